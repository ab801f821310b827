//! The build's guard: the catalog against its baseline lock, each event
//! under its compatibility mode (transitive modes also against the versions
//! the lock keeps as published). A breaking change passes only when the
//! catalog declares it: a higher major version of the event, or a new event
//! name (a rename). Anything else is an error at the catalog line that made
//! it, naming the consumers the catalog lists for the event.

use super::{
    diff_published, diff_under, policies, ChangeKind, Compatibility, ContentModel, Contract,
};
use crate::diagnostics::{Diagnostic, Rule};
use crate::ir::{Catalog, FileId, Span, Version};

/// The baseline's file name, beside the generated outputs.
pub const LOCK_FILE: &str = "catalog.lock.json";

/// An error for each breaking change from `baseline` that `catalog` does
/// not declare. `lock` is the baseline's file, for notes pointing into it.
pub fn undeclared_breaking(
    baseline: &Contract,
    catalog: &Catalog,
    lock: (FileId, &str),
) -> Vec<Diagnostic> {
    let current = Contract::of(catalog);
    let major = |version: &str| Version::major_of(version).unwrap_or(0);
    let raised = |event: &str| {
        let old = baseline.events.get(event).map(|old| major(&old.version));
        let new = current.events.get(event).map(|new| major(&new.version));
        matches!((old, new), (Some(old), Some(new)) if new > old)
    };
    let catalog_start = catalog
        .families
        .first()
        .map_or(catalog.envelope.span, |family| {
            Span::new(family.span.file, 0..0)
        });
    let policy_of = policies(catalog, None);
    let mut changes = diff_under(baseline, &current, &policy_of);
    changes.extend(diff_published(baseline, &current, &policy_of));
    let consumers_of = |event: &str| -> Vec<String> {
        catalog
            .event_named(event)
            .map(|found| found.consumers.clone())
            .unwrap_or_default()
    };
    let mut errors = Vec::new();
    for change in changes {
        if change.compatibility != Compatibility::Breaking {
            continue;
        }
        let subject = change.subject();
        // A configured mode is named; evcat's default goes without saying.
        let mode = match policy_of(change.event.as_deref()).content {
            ContentModel::Published => format!(" ({} compatibility)", change.mode),
            ContentModel::Declared => String::new(),
        };
        let message = format!(
            "breaking change to `{subject}` is not declared{mode}: {}",
            change.message
        );
        let diagnostic = match change.event.as_deref() {
            // A rename is declared by its new name.
            Some(_) if change.kind == ChangeKind::EventRenamed => continue,
            Some(event) if change.kind == ChangeKind::EventRemoved => Rule::Baseline
                .error(catalog_start, message)
                .with_help(format!(
                    "consumers of `{event}` lose it; keep the event until they have moved, then \
                     delete {LOCK_FILE} to take the catalog as it is for the new baseline"
                )),
            Some(event) if change.kind == ChangeKind::VersionLowered => {
                let span = catalog.event_named(event).map_or(catalog_start, |found| {
                    found.version.span.unwrap_or(found.span)
                });
                Rule::Baseline.error(span, message).with_help(format!(
                    "versions only go up: keep version {} or higher",
                    baseline
                        .events
                        .get(event)
                        .map_or("", |old| old.version.as_str())
                ))
            }
            Some(event) => {
                if raised(event) {
                    continue;
                }
                let Some(found) = catalog.event_named(event) else {
                    continue;
                };
                let span = super::locate(catalog, Some(event), change.field.as_deref())
                    .unwrap_or(found.span);
                let next = next_major(&found.version.text);
                let how = match found.version.span {
                    Some(_) => format!("raise its version to `{next}`"),
                    None => format!("add `- Version: {next}` to it"),
                };
                Rule::Baseline.error(span, message).with_help(format!(
                    "to publish it, {how} (a new major version), or add the change as an event \
                     with a new name"
                ))
            }
            None => {
                if current.events.keys().all(|event| raised(event)) {
                    continue;
                }
                let span = super::locate(catalog, None, change.field.as_deref())
                    .unwrap_or(catalog.envelope.span);
                Rule::Baseline.error(span, message).with_help(
                    "every event carries the envelope: to publish it, raise the major version of \
                     every event",
                )
            }
        };
        let consumers = change
            .event
            .as_deref()
            .map(consumers_of)
            .unwrap_or_default();
        errors.push(with_baseline_note(
            diagnostic.with_consumers(&consumers),
            &change.event,
            baseline,
            lock,
        ));
    }
    errors
}

/// A note at the event's entry in the lock: what it was.
fn with_baseline_note(
    diagnostic: Diagnostic,
    event: &Option<String>,
    baseline: &Contract,
    (file, text): (FileId, &str),
) -> Diagnostic {
    let (needle, note) = match event {
        Some(event) => (
            serde_json::to_string(event).expect("strings serialize") + ":",
            match baseline.events.get(event) {
                Some(old) => format!("the baseline has `{event}` at version {}", old.version),
                None => format!("the baseline has no `{event}`"),
            },
        ),
        None => (
            "\"envelope\":".to_owned(),
            "the baseline's envelope".to_owned(),
        ),
    };
    match text.find(&needle) {
        Some(start) => diagnostic.with_note(Span::new(file, start..start + needle.len() - 1), note),
        None => diagnostic,
    }
}

/// The version with its major number raised: `1` → `2`, `1.4.0` → `2.0.0`.
fn next_major(version: &str) -> String {
    let parsed = Version::major_of(version).unwrap_or(1);
    if version.contains('.') {
        format!("{}.0.0", parsed + 1)
    } else {
        (parsed + 1).to_string()
    }
}
