//! `evcat diff`: two versions of a catalog compared, each change printed
//! with its event and field and classified compatible or breaking.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use evcat::contract::{
    diff_published, diff_under, locate, policies, Change, ChangeKind, Compatibility, Contract, Mode,
};
use evcat::report::{self, Findings, Format, Level, RuleInfo, Suite};

/// Where the old catalog comes from.
pub enum Old<'a> {
    File(&'a Path),
    /// The new catalog's folder as it was at a git revision.
    Git(&'a str),
}

/// Envelope schemas named on the command line; otherwise each catalog's
/// is the one beside it.
pub struct Envelopes<'a> {
    pub old: Option<&'a Path>,
    pub new: Option<&'a Path>,
}

fn builder(catalog: &Path, envelope: Option<&Path>) -> evcat::Builder {
    let builder = evcat::Builder::new(catalog);
    match envelope {
        Some(envelope) => builder.envelope(envelope),
        None => builder,
    }
}

/// What `evcat diff` was asked, besides the two catalogs.
pub struct Question<'a> {
    /// `--mode`: over the catalog's own modes.
    pub mode: Option<Mode>,
    /// `--lock`: a lock whose published versions transitive modes compare
    /// against too.
    pub lock: Option<&'a Path>,
    pub format: Format,
}

/// Prints the changes; `Ok(true)` when none is breaking.
pub fn run(
    old: Old<'_>,
    new: &Path,
    envelopes: Envelopes<'_>,
    question: Question<'_>,
) -> Result<bool, evcat::Error> {
    let new_compiled = builder(new, envelopes.new).compile()?;
    eprint!("{}", new_compiled.warnings);
    let (old_compiled, old_name, old_file) = match old {
        Old::File(path) => (
            builder(path, envelopes.old).compile()?,
            path.display().to_string(),
            true,
        ),
        Old::Git(revision) => {
            let checkout = checkout(revision, new)?;
            let catalog = checkout.path().join(file_name(new));
            (
                builder(&catalog, envelopes.old).compile()?,
                format!("{}:{}", revision, new.display()),
                false,
            )
        }
    };
    let policy_of = policies(&new_compiled.catalog, question.mode);
    let old_contract = Contract::of(&old_compiled.catalog);
    let new_contract = Contract::of(&new_compiled.catalog);
    let mut changes = diff_under(&old_contract, &new_contract, &policy_of);
    if let Some(lock) = question.lock {
        let text = std::fs::read_to_string(lock).map_err(|source| evcat::Error::Io {
            path: lock.to_owned(),
            source,
        })?;
        let published = Contract::from_lock(&text).map_err(|error| evcat::Error::Io {
            path: lock.to_owned(),
            source: std::io::Error::other(format!("not a catalog lock: {error}")),
        })?;
        let history = old_contract.clone().after(&published);
        changes.extend(diff_published(&history, &new_contract, &policy_of));
    }
    let breaking = changes
        .iter()
        .filter(|change| change.compatibility == Compatibility::Breaking)
        .count();
    let compatible = changes.len() - breaking;
    let consumers = |change: &Change| -> Vec<String> {
        if change.compatibility != Compatibility::Breaking {
            return Vec::new();
        }
        let Some(event) = &change.event else {
            return Vec::new();
        };
        [&new_compiled.catalog, &old_compiled.catalog]
            .into_iter()
            .find_map(|catalog| catalog.event_named(event))
            .map(|found| found.consumers.clone())
            .unwrap_or_default()
    };
    let io_error = |source| evcat::Error::Io {
        path: PathBuf::from("<stdout>"),
        source,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mode = question.mode.map_or_else(
        || "each event's own, else the catalog's, else evcat's default".to_owned(),
        |mode| mode.to_string(),
    );
    match question.format {
        Format::Human => {
            for change in &changes {
                writeln!(
                    out,
                    "{}: {}: {}",
                    change.compatibility.as_str(),
                    change.subject(),
                    change.message
                )
                .map_err(io_error)?;
                let hurt = consumers(change);
                if !hurt.is_empty() {
                    writeln!(out, "  consumers: {}", hurt.join(", ")).map_err(io_error)?;
                }
            }
            let under = question
                .mode
                .map_or_else(String::new, |mode| format!(" under {mode}"));
            writeln!(
                out,
                "{old_name} → {}: {} changes, {breaking} breaking, {compatible} compatible{under}",
                new.display(),
                changes.len()
            )
            .map_err(io_error)?;
        }
        Format::Json => {
            let listed: Vec<serde_json::Value> = changes
                .iter()
                .map(|change| {
                    let mut value = serde_json::to_value(change).expect("changes serialize");
                    value["consumers"] = consumers(change).into();
                    value
                })
                .collect();
            let document = serde_json::json!({
                "old": old_name,
                "new": new.display().to_string(),
                "mode": mode,
                "changes": listed,
                "summary": {"breaking": breaking, "compatible": compatible},
            });
            writeln!(out, "{document}").map_err(io_error)?;
        }
        ci => {
            let located = |change: &Change| {
                let on = |compiled: &evcat::Compiled| {
                    locate(
                        &compiled.catalog,
                        change.event.as_deref(),
                        change.field.as_deref(),
                    )
                    .map(|span| compiled.region(span))
                };
                match on(&new_compiled) {
                    Some(found) => Some(found),
                    // Gone from the new catalog: where the old one has it,
                    // when that is a file of the working tree.
                    None if old_file => on(&old_compiled),
                    None => None,
                }
            };
            let findings = Findings {
                command: "evcat diff".to_owned(),
                rules: ChangeKind::ALL
                    .iter()
                    .map(|kind| RuleInfo {
                        id: format!("change/{}", kind.as_str()),
                        description: kind.description().to_owned(),
                    })
                    .collect(),
                suites: vec![Suite {
                    name: report::relative_path(&new.display().to_string()),
                    cases: cases(&old_contract, &new_contract),
                }],
                findings: changes
                    .iter()
                    .map(|change| {
                        let (path, region) = match located(change) {
                            Some((file, region)) => (file, Some(region)),
                            None => (new.display().to_string(), None),
                        };
                        report::Finding {
                            rule: format!("change/{}", change.kind.as_str()),
                            level: match change.compatibility {
                                Compatibility::Breaking => Level::Error,
                                Compatibility::Compatible => Level::Note,
                            },
                            message: format!(
                                "{} change to `{}`: {}",
                                change.compatibility.as_str(),
                                change.subject(),
                                change.message
                            ),
                            path: report::relative_path(&path),
                            region,
                            case: change
                                .event
                                .clone()
                                .unwrap_or_else(|| "envelope".to_owned()),
                            consumers: consumers(change),
                        }
                    })
                    .collect(),
            };
            let text = findings.render(ci).expect("a CI form");
            out.write_all(text.as_bytes()).map_err(io_error)?;
        }
    }
    Ok(breaking == 0)
}

/// JUnit's cases of a diff: the envelope and every event of either side.
fn cases(old: &Contract, new: &Contract) -> Vec<String> {
    let mut names: Vec<String> = vec!["envelope".to_owned()];
    names.extend(old.events.keys().cloned());
    names.extend(
        new.events
            .keys()
            .filter(|name| !old.events.contains_key(*name))
            .cloned(),
    );
    names
}

fn file_name(path: &Path) -> PathBuf {
    path.file_name()
        .map_or_else(|| "catalog.md".into(), PathBuf::from)
}

/// The folder holding `catalog` as it was at `revision`, in a temporary
/// directory: the old catalog with its envelope, data model and examples.
fn checkout(revision: &str, catalog: &Path) -> Result<tempfile::TempDir, evcat::Error> {
    let folder = match catalog.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_owned(),
        _ => PathBuf::from("."),
    };
    let failed = |message: String| evcat::Error::Io {
        path: catalog.to_owned(),
        source: std::io::Error::other(message),
    };
    let git = |args: &[&str]| -> Result<String, evcat::Error> {
        let output = Command::new("git")
            .arg("-C")
            .arg(&folder)
            .args(args)
            .output()
            .map_err(|error| failed(format!("cannot run git: {error}")))?;
        if !output.status.success() {
            return Err(failed(format!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    };
    let prefix = git(&["rev-parse", "--show-prefix"])?;
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let directory = tempfile::tempdir().map_err(|source| evcat::Error::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let archive = directory.path().join("old.tar");
    let archive_arg = format!("--output={}", archive.display());
    let tree = format!("{revision}:{prefix}");
    git(&["-C", &top, "archive", "--format=tar", &archive_arg, &tree])?;
    let status = Command::new("tar")
        .arg("-xf")
        .arg(&archive)
        .arg("-C")
        .arg(directory.path())
        .status()
        .map_err(|error| failed(format!("cannot run tar: {error}")))?;
    if !status.success() {
        return Err(failed(format!("could not unpack {tree}")));
    }
    Ok(directory)
}
