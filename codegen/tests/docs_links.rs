//! The README is the front door and `docs/` the reference: every relative
//! link and image in them (and in the packages' READMEs and BENCHMARKS.md)
//! names a file of this repository, and every `#fragment` a heading of the
//! page it points into, as GitHub renders it.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use support::workspace_root;

/// The pages whose links are checked: the READMEs, BENCHMARKS.md and docs/.
fn pages(root: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = [
        "README.md",
        "BENCHMARKS.md",
        "codegen/README.md",
        "runtime/README.md",
        "macros/README.md",
    ]
    .iter()
    .map(|page| root.join(page))
    .collect();
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .expect("docs/ exists")
        .map(|entry| entry.expect("a docs/ entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    assert!(!docs.is_empty(), "docs/ holds the reference pages");
    pages.extend(docs);
    pages
}

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces
/// as hyphens, and `-1`, `-2`… for repeats.
fn anchors(markdown: &str) -> BTreeSet<String> {
    let mut anchors = BTreeSet::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut heading: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::Text(text) | Event::Code(text) => {
                if let Some(heading) = heading.as_mut() {
                    heading.push_str(&text);
                }
            }
            Event::End(TagEnd::Heading(_)) => {
                let text = heading.take().unwrap_or_default();
                let slug: String = text
                    .to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
                    .map(|c| if c == ' ' { '-' } else { c })
                    .collect();
                let count = seen.entry(slug.clone()).or_insert(0);
                let anchor = if *count == 0 {
                    slug.clone()
                } else {
                    format!("{slug}-{count}")
                };
                *count += 1;
                anchors.insert(anchor);
            }
            _ => {}
        }
    }
    anchors
}

/// Every link and image destination of a page.
fn destinations(markdown: &str) -> Vec<String> {
    Parser::new(markdown)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
                Some(dest_url.to_string())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn every_relative_link_of_the_documentation_resolves() {
    let root = workspace_root();
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in pages(&root) {
        let markdown = std::fs::read_to_string(&page).expect("a readable page");
        let shown = page
            .strip_prefix(&root)
            .unwrap_or(&page)
            .display()
            .to_string();
        for destination in destinations(&markdown) {
            if destination.contains("://") || destination.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (file, fragment) = match destination.split_once('#') {
                Some((file, fragment)) => (file, Some(fragment)),
                None => (destination.as_str(), None),
            };
            let target = if file.is_empty() {
                page.clone()
            } else {
                page.parent().expect("a page's folder").join(file)
            };
            if !target.exists() {
                broken.push(format!("{shown}: {destination}: no such file"));
                continue;
            }
            if let Some(fragment) = fragment {
                let text = std::fs::read_to_string(&target).expect("a readable page");
                if !anchors(&text).contains(fragment) {
                    broken.push(format!("{shown}: {destination}: no such heading"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(checked > 30, "only {checked} relative links were found");
}

#[test]
fn the_readme_is_a_front_door() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).expect("README");
    assert!(
        readme.len() <= 15 * 1024,
        "the README is {} bytes; the reference belongs in docs/",
        readme.len()
    );
    let first_screen: String = readme.lines().take(50).collect::<Vec<_>>().join("\n");
    for shown in [
        "cargo build",
        "scripts/test.sh",
        "evcat init",
        "EVCAT_CHECK=1",
    ] {
        assert!(
            first_screen.contains(shown),
            "`{shown}` is not on the README's first screen"
        );
    }
    let headings = anchors(&readme);
    assert!(headings.contains("quick-start"), "a Quick start heading");
}

#[test]
fn anchors_are_the_ones_github_makes() {
    let markdown = "# The catalog\n## `evcat validate`: event streams\n## build.rs: developers regenerate, CI checks\n## The catalog\n";
    let expected: BTreeSet<String> = [
        "the-catalog",
        "evcat-validate-event-streams",
        "buildrs-developers-regenerate-ci-checks",
        "the-catalog-1",
    ]
    .map(String::from)
    .into();
    assert_eq!(anchors(markdown), expected);
}
