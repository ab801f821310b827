//! The catalog page (`docs/index.html`) in a real headless Chromium, driven
//! by playwright-core, for the project and every fixture: it loads from
//! `file://` with no console error and no request outside the file; every
//! event is a `[data-event]` element whose `<pre>` is an example envelope of
//! that event and which links its JSON Schema; each lifecycle is an SVG;
//! typing an event's name into the search box leaves shown exactly the
//! events that match it; no element or script but the page's own exists
//! (the hostile-prose fixture tries `<b>`, `<script>` and `javascript:`).
//! A screenshot of each page is written under `target/catalog-page/`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};
use support::{catalogs_with_outputs, in_shares_by_core, root, run, tool};

/// What the search box must match for an event: its names, family,
/// purpose and field names, lowercased.
fn search_text(family: &evcat::ir::Family, event: &evcat::ir::Event) -> String {
    let mut parts = vec![
        event.name.clone(),
        event.wire_name.clone(),
        family.name.clone(),
        event.docs.purpose.plain_text(),
    ];
    parts.extend(event.fields.iter().map(|field| field.name.clone()));
    parts.join(" ").to_lowercase()
}

/// Seed 004's introduction as its authors wrote it: bold labels, a
/// `**Conventions**` list whose items start with a code span, a rule.
fn assert_seed_004_introduction_keeps_its_structure(shots: &Path) {
    let outputs = root().join("codegen/tests/fixtures/nevermisscall/expected");
    let expectations = Path::new(env!("CARGO_TARGET_TMPDIR")).join("page-seed-004-intro.json");
    std::fs::write(&expectations, json!({ "searches": [] }).to_string()).expect("written");
    let output = run(
        Command::new("node")
            .arg("tests/clients/page.mjs")
            .arg(outputs.join("docs/index.html"))
            .arg(&expectations)
            .arg(shots.join("seed-004-intro.png")),
        "Chromium on seed 004's page",
    );
    let result: Value = serde_json::from_str(&output).expect("the driver prints JSON");
    let intro = &result["intro"];
    let texts = |key: &str| -> Vec<String> {
        intro[key]
            .as_array()
            .expect("texts")
            .iter()
            .map(|text| text.as_str().expect("text").to_owned())
            .collect()
    };
    let strong = texts("strong");
    for label in ["Status:", "Conventions", "immutable facts"] {
        assert!(
            strong.iter().any(|text| text == label),
            "seed 004's `**{label}**` is bold on the page: {strong:?}"
        );
    }
    let items = texts("items");
    assert!(
        items
            .iter()
            .any(|item| item.starts_with("event_name: dot-separated")),
        "the Conventions list is a list: {items:?}"
    );
    assert!(
        texts("code").iter().any(|code| code == "correlation_id"),
        "code spans stay code"
    );
}

fn chromium() -> PathBuf {
    let path = std::env::var_os("EVCAT_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    tool(
        path,
        "Chromium (Debian's `chromium` package: `apt-get install chromium`)",
    )
}

#[test]
fn every_catalog_page_works_offline_in_a_real_browser() {
    chromium();
    tool(
        root().join("node_modules/playwright-core"),
        "playwright-core",
    );
    let shots = root().join("target/catalog-page");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let catalogs = catalogs_with_outputs();
    // A browser a core, each with its share of the pages.
    let runs = in_shares_by_core(&catalogs, |share| {
        let mut command = Command::new("node");
        command.arg("tests/clients/page.mjs");
        let mut compiled_share = Vec::new();
        for (label, catalog_path, outputs) in share {
            let compiled = evcat::Builder::new(catalog_path)
                .compile()
                .unwrap_or_else(|error| panic!("{label}: {error}"));
            let searches: Vec<Value> = compiled
                .catalog
                .events()
                .map(|(_, event)| json!({ "event": event.wire_name, "query": event.name }))
                .collect();
            let expectations =
                Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("page-{label}.json"));
            std::fs::write(&expectations, json!({ "searches": searches }).to_string())
                .expect("written");
            command
                .arg(outputs.join("docs/index.html"))
                .arg(&expectations)
                .arg(shots.join(format!("{label}.png")));
            compiled_share.push(compiled);
        }
        let output = run(&mut command, "Chromium on the catalog pages");
        let lines: Vec<String> = output.lines().map(str::to_owned).collect();
        assert_eq!(lines.len(), compiled_share.len(), "a result per page");
        compiled_share.into_iter().zip(lines).collect()
    });
    for ((label, _, outputs), (compiled, output)) in catalogs.iter().zip(runs) {
        let catalog = &compiled.catalog;
        let events: Vec<(&evcat::ir::Family, &evcat::ir::Event)> = catalog.events().collect();
        let page = outputs.join("docs/index.html");
        let result: Value = serde_json::from_str(&output).expect("the driver prints JSON");
        for key in ["consoleErrors", "outside", "dialogs", "unexpectedElements"] {
            assert_eq!(result[key], json!([]), "{label}: {key}");
        }
        assert_eq!(result["scripts"], 1, "{label}: only the page's own script");
        assert_eq!(
            result["clipped"],
            json!([]),
            "{label}: every navigation entry wraps inside its column"
        );
        // The introduction keeps the structure it was written with: a list
        // item of the catalog's Markdown is a list item on the page.
        let intro = &result["intro"];
        let written_items = catalog
            .doc
            .markdown
            .lines()
            .filter(|line| line.trim_start().starts_with("- "))
            .count();
        assert_eq!(
            intro["items"].as_array().map(Vec::len),
            Some(written_items),
            "{label}: the introduction's list items"
        );
        if catalog.doc.markdown.contains("**") {
            assert!(
                !intro["strong"].as_array().expect("strong").is_empty(),
                "{label}: the introduction's bold text"
            );
        }

        let shown: Vec<&Value> = result["events"]
            .as_array()
            .expect("events")
            .iter()
            .collect();
        let wire_names: Vec<&str> = shown
            .iter()
            .map(|event| event["event"].as_str().expect("name"))
            .collect();
        let expected: Vec<&str> = events
            .iter()
            .map(|(_, event)| event.wire_name.as_str())
            .collect();
        assert_eq!(wire_names, expected, "{label}: an element per event");
        for (element, (_, event)) in shown.iter().zip(&events) {
            let example: Value =
                serde_json::from_str(element["example"].as_str().expect("a <pre>"))
                    .unwrap_or_else(|error| panic!("{label}: {}: {error}", event.name));
            assert_eq!(
                catalog
                    .envelope
                    .discriminator
                    .find(&example)
                    .cloned()
                    .unwrap_or_default(),
                event.wire_name,
                "{label}: {}'s example is an envelope of it",
                event.name
            );
            let link = element["schemaLink"].as_str().expect("a schema link");
            assert!(
                page.parent().expect("docs").join(link).is_file(),
                "{label}: {} links {link}",
                event.name
            );
        }

        let lifecycles: Vec<(String, bool)> = result["lifecycles"]
            .as_array()
            .expect("lifecycles")
            .iter()
            .map(|lifecycle| {
                (
                    lifecycle["family"].as_str().expect("family").to_owned(),
                    lifecycle["svg"] == true,
                )
            })
            .collect();
        let expected: Vec<(String, bool)> = catalog
            .lifecycles
            .iter()
            .map(|lifecycle| (lifecycle.family.clone(), true))
            .collect();
        assert_eq!(lifecycles, expected, "{label}: each lifecycle is an SVG");

        for search in result["searches"].as_array().expect("searches") {
            let query = search["query"].as_str().expect("query").to_lowercase();
            let words: Vec<&str> = query.split_whitespace().collect();
            let matching: Vec<&str> = events
                .iter()
                .filter(|(family, event)| {
                    let text = search_text(family, event);
                    words.iter().all(|word| text.contains(word))
                })
                .map(|(_, event)| event.wire_name.as_str())
                .collect();
            let shown: Vec<&str> = search["shown"]
                .as_array()
                .expect("shown")
                .iter()
                .map(|name| name.as_str().expect("name"))
                .collect();
            assert!(
                shown.contains(&search["event"].as_str().expect("event")),
                "{label}: {query} shows its event"
            );
            assert_eq!(shown, matching, "{label}: searching {query}");
        }
    }
    assert_seed_004_introduction_keeps_its_structure(&shots);
    let project = catalogs_with_outputs().remove(0);
    let catalog = evcat::Builder::new(&project.1)
        .compile()
        .expect("the project compiles")
        .catalog;
    assert!(
        catalog
            .lifecycles
            .iter()
            .any(|lifecycle| lifecycle.family == "Conversation"),
        "the project's Conversation lifecycle is drawn"
    );
}
