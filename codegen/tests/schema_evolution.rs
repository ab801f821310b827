//! Schema evolution: each kind of change, made on a copy of the project's
//! catalog, classified by `evcat::contract::diff`; and the baseline guard
//! that `Builder::generate` applies.

mod support;

use std::path::{Path, PathBuf};

use evcat::contract::{diff, Change, Contract, LOCK_FILE};
use support::{scratch_dir, workspace_root, write};

/// The project's catalog and envelope, without example files (the copies
/// change fields the examples would have to follow).
fn base() -> (String, String) {
    let contracts = workspace_root().join("contracts");
    let catalog = std::fs::read_to_string(contracts.join("catalog.md")).expect("catalog");
    let catalog: String = catalog
        .lines()
        .filter(|line| !line.starts_with("- Example:"))
        .map(|line| format!("{line}\n"))
        .collect();
    let envelope =
        std::fs::read_to_string(contracts.join("envelope.schema.json")).expect("envelope");
    (catalog, envelope)
}

fn replaced(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the catalog has `{from}`");
    text.replace(from, to)
}

fn write_catalog(dir: &Path, (catalog, envelope): &(String, String)) -> PathBuf {
    std::fs::create_dir_all(dir).expect("folder");
    write(&dir.join("envelope.schema.json"), envelope);
    write(&dir.join("catalog.md"), catalog);
    dir.join("catalog.md")
}

/// A catalog generated the way build.rs does it: into `generated/`, with
/// the lock written there as the baseline of the next run.
struct Guarded {
    catalog: PathBuf,
    out: PathBuf,
    lock: PathBuf,
}

impl Guarded {
    fn new(dir: &Path, catalog: PathBuf) -> Self {
        let out = dir.join("generated");
        Self {
            catalog,
            lock: out.join(LOCK_FILE),
            out,
        }
    }

    fn generate(&self) -> Result<evcat::Generated, evcat::Error> {
        evcat::Builder::new(&self.catalog)
            .baseline(&self.lock)
            .generate()
    }

    /// Generates and writes everything, the lock included; `accepted` says
    /// why the run must pass.
    fn write(&self, accepted: &str) {
        self.generate()
            .expect(accepted)
            .write_all(&self.out)
            .expect("written");
    }

    fn locked(&self) -> Contract {
        Contract::from_lock(&std::fs::read_to_string(&self.lock).expect("lock")).expect("a lock")
    }
}

fn contract(path: &Path) -> Contract {
    let compiled = evcat::Builder::new(path)
        .compile()
        .unwrap_or_else(|error| panic!("{} compiles:\n{error}", path.display()));
    Contract::of(&compiled.catalog)
}

/// `(compatibility, kind, subject)` of each change from `old` to `new`.
fn classify(
    name: &str,
    old: &(String, String),
    new: &(String, String),
) -> Vec<(String, String, String)> {
    let dir = scratch_dir(&format!("evolution-{name}"));
    let old = contract(&write_catalog(&dir.join("old"), old));
    let new = contract(&write_catalog(&dir.join("new"), new));
    diff(&old, &new).iter().map(summary).collect()
}

fn summary(change: &Change) -> (String, String, String) {
    let kind = serde_json::to_value(change.kind).expect("kinds serialize");
    (
        change.compatibility.as_str().to_owned(),
        kind.as_str().expect("a string").to_owned(),
        change.subject(),
    )
}

fn expect(changes: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    changes
        .iter()
        .map(|(compatibility, kind, subject)| {
            (
                compatibility.to_string(),
                kind.to_string(),
                subject.to_string(),
            )
        })
        .collect()
}

const CLOSED_FIELDS: &str =
    "- Required: { conversation_id, customer_id, reason? }\n- Invariants: Only the status";

fn edit_closed_fields(fields: &str) -> (String, String) {
    let (catalog, envelope) = base();
    let to = format!("- Required: {{ {fields} }}\n- Invariants: Only the status");
    (replaced(&catalog, CLOSED_FIELDS, &to), envelope)
}

#[test]
fn an_unchanged_catalog_has_no_changes() {
    assert_eq!(classify("unchanged", &base(), &base()), expect(&[]));
}

#[test]
fn compatible_changes() {
    let (catalog, envelope) = base();
    let new_event = replaced(
        &catalog,
        "### ConversationArchived\n",
        "### ConversationTagged\n- Purpose: A tag was put on the conversation.\n- Required: { conversation_id, customer_id, tag }\n\n### ConversationArchived\n",
    );
    assert_eq!(
        classify("new-event", &base(), &(new_event, envelope.clone())),
        expect(&[("compatible", "event-added", "ConversationTagged")])
    );
    assert_eq!(
        classify(
            "new-optional-field",
            &base(),
            &edit_closed_fields("conversation_id, customer_id, reason?, note?")
        ),
        expect(&[
            (
                "compatible",
                "optional-field-added",
                "ConversationClosed.note"
            ),
            (
                "compatible",
                "optional-field-added",
                "ConversationReopened.note"
            ),
        ])
    );
    let traced = replaced(
        &envelope,
        "  \"properties\": {\n",
        "  \"properties\": {\n    \"trace_id\": { \"type\": \"string\", \"description\": \"A tracing id.\" },\n",
    );
    assert_eq!(
        classify("new-envelope-field", &base(), &(catalog.clone(), traced)),
        expect(&[("compatible", "optional-field-added", "envelope.trace_id")])
    );
    let documented = replaced(
        &catalog,
        "- Purpose: The conversation was moved to the archive.",
        "- Purpose: The conversation was moved to the archive, out of the inbox.",
    );
    assert_eq!(
        classify("documentation", &base(), &(documented, envelope)),
        expect(&[("compatible", "documentation", "ConversationArchived")])
    );
}

#[test]
fn breaking_changes() {
    let (catalog, envelope) = base();
    let without_archived = {
        let start = catalog
            .find("### ConversationArchived")
            .expect("the section");
        let end = catalog[start..]
            .find("\n#")
            .map_or(catalog.len(), |end| start + end + 1);
        format!("{}{}", &catalog[..start], &catalog[end..])
    };
    assert_eq!(
        classify(
            "removed-event",
            &base(),
            &(without_archived, envelope.clone())
        ),
        expect(&[("breaking", "event-removed", "ConversationArchived")])
    );
    let renamed = replaced(
        &catalog,
        "### ConversationArchived\n",
        "### ConversationShelved\n",
    );
    let changes = classify("renamed-event", &base(), &(renamed, envelope.clone()));
    assert_eq!(
        changes,
        expect(&[("breaking", "event-renamed", "ConversationArchived")])
    );
    for (name, fields, kind, field) in [
        (
            "removed-field",
            "conversation_id, customer_id",
            "field-removed",
            "reason",
        ),
        (
            "became-required",
            "conversation_id, customer_id, reason",
            "became-required",
            "reason",
        ),
        (
            "new-required-field",
            "conversation_id, customer_id, reason?, closed_by",
            "required-field-added",
            "closed_by",
        ),
        (
            "changed-type",
            "conversation_id, customer_id, reason?: integer",
            "type-changed",
            "reason",
        ),
    ] {
        let closed = format!("ConversationClosed.{field}");
        let reopened = format!("ConversationReopened.{field}");
        assert_eq!(
            classify(name, &base(), &edit_closed_fields(fields)),
            expect(&[("breaking", kind, &closed), ("breaking", kind, &reopened)]),
            "{name}"
        );
    }
    assert_eq!(
        classify(
            "became-optional",
            &edit_closed_fields("conversation_id, customer_id, reason"),
            &base()
        ),
        expect(&[
            ("breaking", "became-optional", "ConversationClosed.reason"),
            ("breaking", "became-optional", "ConversationReopened.reason"),
        ])
    );
    let all =
        edit_closed_fields("conversation_id, customer_id, reason?: enum(duplicate|spam|resolved)");
    let fewer =
        edit_closed_fields("conversation_id, customer_id, reason?: enum(duplicate|resolved)");
    assert_eq!(
        classify("removed-enum-value", &all, &fewer),
        expect(&[
            (
                "breaking",
                "enum-value-removed",
                "ConversationClosed.reason"
            ),
            (
                "breaking",
                "enum-value-removed",
                "ConversationReopened.reason"
            ),
        ])
    );
    assert_eq!(
        classify("added-enum-value", &fewer, &all),
        expect(&[
            ("breaking", "enum-value-added", "ConversationClosed.reason"),
            (
                "breaking",
                "enum-value-added",
                "ConversationReopened.reason"
            ),
        ])
    );
}

#[test]
fn versions_only_go_up() {
    let (catalog, envelope) = base();
    let raised = replaced(
        &catalog,
        "### ConversationArchived\n",
        "### ConversationArchived\n- Version: 3\n",
    );
    let raised = (raised, envelope);
    assert_eq!(
        classify("version-raised", &base(), &raised),
        expect(&[("compatible", "version-changed", "ConversationArchived")])
    );
    assert_eq!(
        classify("version-lowered", &raised, &base()),
        expect(&[("breaking", "version-lowered", "ConversationArchived")])
    );
}

#[test]
fn messages_name_what_changed() {
    let dir = scratch_dir("evolution-messages");
    let old = contract(&write_catalog(&dir.join("old"), &base()));
    let (catalog, envelope) = base();
    let renamed = replaced(
        &catalog,
        "### ConversationArchived\n",
        "### ConversationShelved\n",
    );
    let new = contract(&write_catalog(&dir.join("new"), &(renamed, envelope)));
    let changes = diff(&old, &new);
    assert_eq!(
        changes[0].message,
        "renamed to `ConversationShelved`: readers on the new version do not know the old name; consumers of `ConversationArchived` receive nothing"
    );
    let new = contract(&write_catalog(
        &dir.join("typed"),
        &edit_closed_fields("conversation_id, customer_id, reason?: integer"),
    ));
    assert_eq!(
        diff(&old, &new)[0].message,
        "type changed from string to integer"
    );
}

/// The guard: a breaking change passes only when the catalog declares it.
#[test]
fn generate_refuses_undeclared_breaking_changes_and_moves_the_baseline_on_declared_ones() {
    let dir = scratch_dir("evolution-guard");
    let guarded = Guarded::new(&dir, write_catalog(&dir.join("contracts"), &base()));
    guarded.write("no baseline yet");
    let baseline = std::fs::read_to_string(&guarded.lock).expect("a lock was written");
    guarded
        .generate()
        .expect("an unchanged catalog passes its baseline");

    write_catalog(
        &dir.join("contracts"),
        &edit_closed_fields("conversation_id, customer_id"),
    );
    let error = guarded
        .generate()
        .expect_err("an undeclared breaking change")
        .to_string();
    for expected in [
        "catalog.md:138:5: error: breaking change to `ConversationClosed.reason` is not declared: field removed",
        "catalog.md:138:26: error: breaking change to `ConversationReopened.reason` is not declared",
        "the baseline has `ConversationClosed` at version 1",
        "help: to publish it, add `- Version: 2` to it (a new major version), or add the change as an event with a new name",
        "error: 2 errors found",
    ] {
        assert!(error.contains(expected), "expected `{expected}` in:\n{error}");
    }
    assert_eq!(
        std::fs::read_to_string(&guarded.lock).expect("lock"),
        baseline,
        "a refused change leaves the baseline"
    );

    let (declared, envelope) = edit_closed_fields("conversation_id, customer_id");
    let declared = replaced(
        &declared,
        "- Required: { conversation_id, customer_id }\n",
        "- Required: { conversation_id, customer_id }\n- Version: 2\n",
    );
    write_catalog(&dir.join("contracts"), &(declared, envelope));
    guarded.write("a declared breaking change passes");
    let moved = guarded.locked();
    assert_eq!(moved.events["ConversationClosed"].version, "2");
    assert!(!moved.events["ConversationClosed"]
        .fields
        .contains_key("reason"));
    let schema =
        std::fs::read_to_string(guarded.out.join("schemas/ConversationClosed.schema.json"))
            .expect("schema");
    assert!(
        schema.contains("ConversationClosed.v2.schema.json"),
        "{schema}"
    );
    assert!(
        schema.contains("\"title\": \"ConversationClosed v2\""),
        "{schema}"
    );

    std::fs::write(&guarded.lock, "{ \"format\": 1,").expect("a broken lock");
    let error = guarded.generate().expect_err("a broken lock").to_string();
    assert!(
        error.contains("catalog.lock.json:1:")
            && error.contains("this baseline lock is not readable"),
        "{error}"
    );
}

#[test]
fn versions_are_declared_per_event_and_checked() {
    let dir = scratch_dir("evolution-versions");
    let (catalog, envelope) = base();
    let bad = replaced(
        &catalog,
        "### ConversationArchived\n",
        "### ConversationArchived\n- Version: two\n",
    );
    let path = write_catalog(&dir, &(bad, envelope));
    let error = evcat::Builder::new(&path)
        .compile()
        .expect_err("a bad version")
        .to_string();
    assert!(
        error.contains("error: `two` is not a version of `ConversationArchived`")
            && error.contains("help: write a major version (`2`) or a semantic version (`2.1.0`)"),
        "{error}"
    );
}

/// The NeverMissCall dialect: dotted names, `**Schema `x.y.z`**` lines.
#[test]
fn the_dotted_dialect_declares_versions_with_its_schema_line() {
    let fixture = workspace_root().join("codegen/tests/fixtures/nevermisscall/catalog.md");
    let original = std::fs::read_to_string(fixture).expect("seed 004");
    let dir = scratch_dir("evolution-dotted");
    let catalog = dir.join("catalog.md");
    write(&catalog, &original);
    let guarded = Guarded::new(&dir, catalog.clone());
    guarded.write("the seed");
    let old = guarded.locked();
    assert_eq!(old.events["nmc.telephony.CallDetected"].version, "1.0.0");

    let without_ref = replaced(
        &original,
        "\"reason\": \"no-answer|busy|failed\",\n    \"provider_ref\": \"CAxxxxxxxx\"\n",
        "\"reason\": \"no-answer|busy|failed\"\n",
    );
    write(&catalog, &without_ref);
    let changes: Vec<_> = diff(&old, &contract(&catalog))
        .iter()
        .map(summary)
        .collect();
    assert_eq!(
        changes,
        expect(&[(
            "breaking",
            "field-removed",
            "nmc.telephony.CallDetected.provider_ref"
        )])
    );
    let error = guarded.generate().expect_err("undeclared").to_string();
    assert!(
        error.contains(
            "breaking change to `nmc.telephony.CallDetected.provider_ref` is not declared"
        ) && error.contains("raise its version to `2.0.0`"),
        "{error}"
    );
    let schema_line = "* **Schema `1.0.0`**\n\n```json\n{\n  \"payload\": {\n    \"call_id\"";
    let declared = replaced(
        &without_ref,
        schema_line,
        &schema_line.replace("1.0.0", "2.0.0"),
    );
    write(&catalog, &declared);
    guarded.write("declared");
    let moved = guarded.locked();
    assert_eq!(moved.events["nmc.telephony.CallDetected"].version, "2.0.0");
    assert_eq!(
        moved.events["nmc.telephony.InboundSmsReceived"].version,
        "1.0.0"
    );
}

/// Every event carries the envelope: a breaking envelope change needs every
/// event's major version raised.
#[test]
fn a_breaking_envelope_change_needs_every_major_raised() {
    let dir = scratch_dir("evolution-envelope");
    let guarded = Guarded::new(&dir, write_catalog(&dir.join("contracts"), &base()));
    guarded.write("the base");

    let (text, envelope) = base();
    let traced = replaced(
        &replaced(
            &envelope,
            "\"actor\", \"version\"",
            "\"actor\", \"trace_id\", \"version\"",
        ),
        "  \"properties\": {\n",
        "  \"properties\": {\n    \"trace_id\": { \"type\": \"string\" },\n",
    );
    write_catalog(&dir.join("contracts"), &(text.clone(), traced.clone()));
    let error = guarded
        .generate()
        .expect_err("a new required envelope field")
        .to_string();
    assert!(
        error.contains("envelope.schema.json:9:5: error: breaking change to `envelope.trace_id` is not declared: new required field")
            && error.contains("raise the major version of every event")
            && error.contains("error: 1 error found"),
        "{error}"
    );
    let every_event_raised: String = text
        .lines()
        .map(|line| match line.starts_with("- Required:") {
            true => format!("{line}\n- Version: 2\n"),
            false => format!("{line}\n"),
        })
        .collect();
    write_catalog(&dir.join("contracts"), &(every_event_raised, traced));
    guarded.generate().expect("declared for every event");
}

/// `[compatibility] mode` in evcat.toml: the guard asks the registry's
/// question. Removing a field from an open payload passes BACKWARD
/// (PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL) and breaks FORWARD, where the
/// error names the mode and the consumers the catalog lists; declared by a
/// new major version, the lock keeps the version before as published.
#[test]
fn the_guard_applies_the_catalogs_mode_and_names_the_consumers() {
    let fixture = workspace_root().join("codegen/tests/fixtures/nevermisscall/catalog.md");
    let original = std::fs::read_to_string(fixture).expect("seed 004");
    let dir = scratch_dir("evolution-modes");
    let catalog = dir.join("catalog.md");
    write(&catalog, &original);
    let guarded = Guarded::new(&dir, catalog.clone());
    guarded.write("the seed");
    let without_ref = replaced(
        &original,
        "\"reason\": \"no-answer|busy|failed\",\n    \"provider_ref\": \"CAxxxxxxxx\"\n",
        "\"reason\": \"no-answer|busy|failed\"\n",
    );
    write(&catalog, &without_ref);

    write(
        &dir.join("evcat.toml"),
        "[compatibility]\nmode = \"forward\"\n",
    );
    let error = guarded.generate().expect_err("forward").to_string();
    for expected in [
        "breaking change to `nmc.telephony.CallDetected.provider_ref` is not declared (forward compatibility): field removed: new events may hold a member of its name with any value",
        "= consumers: Conversation, Reporting",
        "raise its version to `2.0.0`",
    ] {
        assert!(error.contains(expected), "expected `{expected}` in:\n{error}");
    }

    write(
        &dir.join("evcat.toml"),
        "[compatibility]\nmode = \"BACKWARD\"\n",
    );
    guarded
        .generate()
        .expect("a field removed from an open payload is backward compatible");

    write(
        &dir.join("evcat.toml"),
        "[compatibility]\nmode = \"forward\"\n",
    );
    let schema_line = "* **Schema `1.0.0`**\n\n```json\n{\n  \"payload\": {\n    \"call_id\"";
    let declared = replaced(
        &without_ref,
        schema_line,
        &schema_line.replace("1.0.0", "2.0.0"),
    );
    write(&catalog, &declared);
    guarded.write("declared");
    let moved = guarded.locked();
    let event = &moved.events["nmc.telephony.CallDetected"];
    assert_eq!(event.version, "2.0.0");
    assert_eq!(event.published.len(), 1, "{event:#?}");
    assert_eq!(event.published[0].version, "1.0.0");
    assert!(event.published[0].fields.contains_key("provider_ref"));
    assert!(moved.events["nmc.telephony.InboundSmsReceived"]
        .published
        .is_empty());
}

/// A `Compatibility:` bullet sets an event's own mode over the default.
#[test]
fn an_events_bullet_sets_its_own_mode() {
    let dir = scratch_dir("evolution-bullet");
    let guarded = Guarded::new(&dir, write_catalog(&dir.join("contracts"), &base()));
    guarded.write("the base");
    let (catalog, envelope) = edit_closed_fields("conversation_id, customer_id");
    write_catalog(&dir.join("contracts"), &(catalog.clone(), envelope.clone()));
    guarded
        .generate()
        .expect_err("evcat's default: a removed field breaks consumers on the old types");
    let backward = replaced(
        &catalog,
        "- Required: { conversation_id, customer_id }\n",
        "- Required: { conversation_id, customer_id }\n- Compatibility: backward\n",
    );
    write_catalog(
        &dir.join("contracts"),
        &(backward.clone(), envelope.clone()),
    );
    guarded
        .generate()
        .expect("under backward, removing a field of an open payload passes");
    let unknown = backward.replace("- Compatibility: backward", "- Compatibility: sideways");
    let path = write_catalog(&dir.join("contracts"), &(unknown, envelope));
    let error = evcat::Builder::new(&path)
        .compile()
        .expect_err("an unknown mode")
        .to_string();
    assert!(
        error.contains("error: unknown compatibility mode `sideways`"),
        "{error}"
    );
}
