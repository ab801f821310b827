//! The build's guard: the catalog against its baseline lock. A breaking
//! change passes only when the catalog declares it: a higher major version
//! of the event, or a new event name (a rename). Anything else is an error
//! at the catalog line that made it.

use super::{diff, ChangeKind, Compatibility, Contract};
use crate::diagnostics::Diagnostic;
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
    let mut errors = Vec::new();
    for change in diff(baseline, &current) {
        if change.compatibility != Compatibility::Breaking {
            continue;
        }
        let subject = change.subject();
        let message = format!(
            "breaking change to `{subject}` is not declared: {}",
            change.message
        );
        let diagnostic = match change.event.as_deref() {
            // A rename is declared by its new name.
            Some(_) if change.kind == ChangeKind::EventRenamed => continue,
            Some(event) if change.kind == ChangeKind::EventRemoved => {
                Diagnostic::error(catalog_start, message).with_help(format!(
                    "consumers of `{event}` lose it; keep the event until they have moved, then \
                     delete {LOCK_FILE} to take the catalog as it is for the new baseline"
                ))
            }
            Some(event) if change.kind == ChangeKind::VersionLowered => {
                let span = catalog
                    .events()
                    .find(|(_, found)| found.name == event)
                    .map_or(catalog_start, |(_, found)| {
                        found.version.span.unwrap_or(found.span)
                    });
                Diagnostic::error(span, message).with_help(format!(
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
                let Some((_, found)) = catalog.events().find(|(_, found)| found.name == event)
                else {
                    continue;
                };
                let span = change
                    .field
                    .as_deref()
                    .and_then(|field| {
                        found
                            .fields
                            .iter()
                            .find(|candidate| candidate.name == field)
                    })
                    .map_or(found.span, |field| field.span);
                let next = next_major(&found.version.text);
                let how = match found.version.span {
                    Some(_) => format!("raise its version to `{next}`"),
                    None => format!("add `- Version: {next}` to it"),
                };
                Diagnostic::error(span, message).with_help(format!(
                    "to publish it, {how} (a new major version), or add the change as an event \
                     with a new name"
                ))
            }
            None => {
                if current.events.keys().all(|event| raised(event)) {
                    continue;
                }
                let span = change
                    .field
                    .as_deref()
                    .and_then(|field| {
                        catalog
                            .envelope
                            .fields
                            .iter()
                            .find(|candidate| candidate.name == field)
                    })
                    .map_or(catalog.envelope.span, |field| field.span);
                Diagnostic::error(span, message).with_help(
                    "every event carries the envelope: to publish it, raise the major version of \
                     every event",
                )
            }
        };
        errors.push(with_baseline_note(
            diagnostic,
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
