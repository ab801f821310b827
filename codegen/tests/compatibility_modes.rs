//! Compatibility modes as schema registries judge them: each row a change
//! to an event's published payload schema (`Schema:`), each column one of
//! the seven modes, each cell the verdict Confluent Schema Registry's JSON
//! Schema checker gives (`io.confluent.kafka.schemaregistry.json.diff`:
//! `SchemaDiff.COMPATIBLE_CHANGES`, `ObjectSchemaDiff`). A registry checks
//! BACKWARD as `compare(original = old, update = new)` and FORWARD as
//! `compare(original = new, update = old)`; each row names the difference
//! type each direction yields. Then the transitive modes against a history.

mod support;

use std::path::Path;

use evcat::contract::{
    diff_published, diff_under, ChangeKind, Compatibility, Contract, Mode, Policy,
};
use serde_json::{json, Value};
use support::{copy_tree, scratch_dir, workspace_root};

/// The order of the columns.
const MODES: [Mode; 7] = [
    Mode::None,
    Mode::Backward,
    Mode::BackwardTransitive,
    Mode::Forward,
    Mode::ForwardTransitive,
    Mode::Full,
    Mode::FullTransitive,
];

/// `C`ompatible or `B`reaking, in [`MODES`]' order.
type Verdicts = [char; 7];

/// Backward breaks, forward passes.
const BACKWARD_ONLY: Verdicts = ['C', 'B', 'B', 'C', 'C', 'B', 'B'];
/// Forward breaks, backward passes.
const FORWARD_ONLY: Verdicts = ['C', 'C', 'C', 'B', 'B', 'B', 'B'];
/// Both break.
const BOTH: Verdicts = ['C', 'B', 'B', 'B', 'B', 'B', 'B'];
/// Neither breaks.
const NEITHER: Verdicts = ['C'; 7];

/// A one-event catalog whose payload is `schema`, at `version`, compiled
/// into its contract (the project's envelope around it).
fn contract(dir: &Path, version: &str, schema: &Value) -> Contract {
    std::fs::create_dir_all(dir).expect("folder");
    let envelope = workspace_root().join("contracts/envelope.schema.json");
    std::fs::copy(envelope, dir.join("envelope.schema.json")).expect("envelope");
    let schema = serde_json::to_string_pretty(schema).expect("schemas serialize");
    std::fs::write(dir.join("order.schema.json"), schema).expect("schema");
    let catalog = format!(
        "# Orders\n\n## Order\n\n### OrderPlaced\n- Purpose: An order was placed.\n- Version: {version}\n- Schema: `order.schema.json`\n"
    );
    std::fs::write(dir.join("catalog.md"), catalog).expect("catalog");
    let compiled = evcat::Builder::new(dir.join("catalog.md"))
        .compile()
        .unwrap_or_else(|error| panic!("{} compiles:\n{error}", dir.display()));
    Contract::of(&compiled.catalog)
}

/// An object schema: `properties`, the required ones, closed or open.
fn object(properties: Value, required: &[&str], closed: bool) -> Value {
    let mut schema = json!({
        "type": "object",
        "properties": properties,
        "required": required,
    });
    if closed {
        schema["additionalProperties"] = json!(false);
    }
    schema
}

/// The verdict of every mode on the change from `old` to `new`: breaking
/// when any change is.
fn verdicts(name: &str, old: &Value, new: &Value) -> Verdicts {
    let dir = scratch_dir(&format!("modes-{name}"));
    let old = contract(&dir.join("old"), "1.0.0", old);
    let new = contract(&dir.join("new"), "1.0.1", new);
    judged(name, &old, &new)
}

/// Each mode's verdict on the changes from `old` to `new`: breaking when
/// any change is. The change must be seen at all: a row whose edit evcat
/// missed would pass `NEITHER` for nothing.
fn judged(name: &str, old: &Contract, new: &Contract) -> Verdicts {
    let seen = diff_under(old, new, &|_| Policy::DEFAULT);
    assert!(
        seen.iter()
            .any(|change| change.kind != ChangeKind::VersionChanged),
        "{name}: the change is found"
    );
    MODES.map(|mode| {
        let changes = diff_under(old, new, &|_| Policy::registry(mode));
        match changes
            .iter()
            .any(|change| change.compatibility == Compatibility::Breaking)
        {
            true => 'B',
            false => 'C',
        }
    })
}

#[test]
fn each_change_gets_the_verdict_confluent_gives_under_each_mode() {
    let id = json!({"type": "string"});
    let note = json!({"type": "string"});
    let base = |closed: bool| object(json!({"id": id, "note": note}), &["id"], closed);
    let without_note = |closed: bool| object(json!({"id": id}), &["id"], closed);
    let with = |extra: Value, required: &[&str], closed: bool| {
        let mut properties = json!({"id": id, "note": note});
        for (name, schema) in extra.as_object().expect("an object") {
            properties[name] = schema.clone();
        }
        object(properties, required, closed)
    };
    // (name, rule cited: backward | forward, old, new, verdicts)
    let rows: Vec<(&str, &str, Value, Value, Verdicts)> = vec![
        (
            "optional-added-to-closed",
            "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL (compatible) | PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
            base(true),
            with(json!({"tag": {"type": "string"}}), &["id"], true),
            FORWARD_ONLY,
        ),
        (
            "optional-added-to-open",
            "PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL | PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL (compatible)",
            base(false),
            with(json!({"tag": {"type": "string"}}), &["id"], false),
            BACKWARD_ONLY,
        ),
        (
            "removed-from-open",
            "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL (compatible) | PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL",
            base(false),
            without_note(false),
            FORWARD_ONLY,
        ),
        (
            "optional-removed-from-closed",
            "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL | OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL (compatible)",
            base(true),
            without_note(true),
            BACKWARD_ONLY,
        ),
        (
            "required-added-to-closed",
            "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL | PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
            base(true),
            with(json!({"tag": {"type": "string"}}), &["id", "tag"], true),
            BOTH,
        ),
        (
            "required-with-default-added-to-closed",
            "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL (compatible) | PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
            base(true),
            with(json!({"tag": {"type": "string", "default": "none"}}), &["id", "tag"], true),
            FORWARD_ONLY,
        ),
        (
            "became-required",
            "REQUIRED_ATTRIBUTE_ADDED | REQUIRED_ATTRIBUTE_REMOVED (compatible)",
            base(true),
            object(json!({"id": id, "note": note}), &["id", "note"], true),
            BACKWARD_ONLY,
        ),
        (
            "became-required-with-default",
            "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED (compatible) | REQUIRED_ATTRIBUTE_REMOVED (compatible); DEFAULT_CHANGED (compatible)",
            base(true),
            object(json!({"id": id, "note": {"type": "string", "default": "-"}}), &["id", "note"], true),
            NEITHER,
        ),
        (
            "max-length-decreased",
            "MAX_LENGTH_DECREASED | MAX_LENGTH_INCREASED (compatible)",
            object(json!({"id": {"type": "string", "maxLength": 64}}), &["id"], true),
            object(json!({"id": {"type": "string", "maxLength": 32}}), &["id"], true),
            BACKWARD_ONLY,
        ),
        (
            "max-length-removed",
            "MAX_LENGTH_REMOVED (compatible) | MAX_LENGTH_ADDED",
            object(json!({"id": {"type": "string", "maxLength": 64}}), &["id"], true),
            object(json!({"id": {"type": "string"}}), &["id"], true),
            FORWARD_ONLY,
        ),
        (
            "pattern-added",
            "PATTERN_ADDED | PATTERN_REMOVED (compatible)",
            object(json!({"id": {"type": "string"}}), &["id"], true),
            object(json!({"id": {"type": "string", "pattern": "^o-"}}), &["id"], true),
            BACKWARD_ONLY,
        ),
        (
            "minimum-raised",
            "MINIMUM_INCREASED | MINIMUM_DECREASED (compatible)",
            object(json!({"qty": {"type": "integer", "minimum": 0}}), &["qty"], true),
            object(json!({"qty": {"type": "integer", "minimum": 1}}), &["qty"], true),
            BACKWARD_ONLY,
        ),
        (
            "enum-extended",
            "ENUM_ARRAY_EXTENDED (compatible) | ENUM_ARRAY_NARROWED",
            object(json!({"state": {"type": "string", "enum": ["open", "paid"]}}), &["state"], true),
            object(json!({"state": {"type": "string", "enum": ["open", "paid", "void"]}}), &["state"], true),
            FORWARD_ONLY,
        ),
        (
            "integer-to-number",
            "TYPE_EXTENDED (compatible) | TYPE_NARROWED",
            object(json!({"qty": {"type": "integer"}}), &["qty"], true),
            object(json!({"qty": {"type": "number"}}), &["qty"], true),
            FORWARD_ONLY,
        ),
        (
            "type-changed",
            "TYPE_CHANGED | TYPE_CHANGED",
            object(json!({"qty": {"type": "string"}}), &["qty"], true),
            object(json!({"qty": {"type": "integer"}}), &["qty"], true),
            BOTH,
        ),
        (
            "closed-to-open",
            "ADDITIONAL_PROPERTIES_ADDED (compatible) | ADDITIONAL_PROPERTIES_REMOVED",
            base(true),
            base(false),
            FORWARD_ONLY,
        ),
        (
            "open-to-closed",
            "ADDITIONAL_PROPERTIES_REMOVED | ADDITIONAL_PROPERTIES_ADDED (compatible)",
            base(false),
            base(true),
            BACKWARD_ONLY,
        ),
        (
            "description-changed",
            "DESCRIPTION_CHANGED (compatible) | DESCRIPTION_CHANGED (compatible)",
            base(true),
            object(json!({"id": {"type": "string", "description": "The order."}, "note": note}), &["id"], true),
            NEITHER,
        ),
    ];
    let mut wrong = Vec::new();
    for (name, rule, old, new, expected) in rows {
        let found = verdicts(name, &old, &new);
        if found != expected {
            wrong.push(format!(
                "{name} ({rule}): expected {}, found {}",
                String::from_iter(expected),
                String::from_iter(found)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "columns: none, backward, backward_transitive, forward, forward_transitive, full, full_transitive\n{}",
        wrong.join("\n")
    );
}

/// Three published versions of one major: making `note` required with a
/// default (REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED, compatible), then
/// dropping the default (DEFAULT_CHANGED, compatible). Against version 1.0.0
/// the last is REQUIRED_ATTRIBUTE_ADDED: only the transitive modes that
/// check backward see it.
#[test]
fn transitive_modes_catch_a_break_against_an_older_published_version() {
    let dir = scratch_dir("modes-transitive");
    let id = json!({"type": "string"});
    let v1 = contract(
        &dir.join("v1"),
        "1.0.0",
        &object(json!({"id": id, "note": {"type": "string"}}), &["id"], true),
    );
    let v2 = contract(
        &dir.join("v2"),
        "1.1.0",
        &object(
            json!({"id": id, "note": {"type": "string", "default": "-"}}),
            &["id", "note"],
            true,
        ),
    );
    let v3 = contract(
        &dir.join("v3"),
        "1.2.0",
        &object(
            json!({"id": id, "note": {"type": "string"}}),
            &["id", "note"],
            true,
        ),
    );
    // What the build's locks hold after publishing v1, then v2.
    let lock = v2.after(&v1);
    assert_eq!(
        lock.events["OrderPlaced"]
            .published
            .iter()
            .map(|published| published.version.as_str())
            .collect::<Vec<_>>(),
        ["1.0.0"],
        "the lock keeps version 1.0.0 as published"
    );
    let lock = Contract::from_lock(&lock.to_lock()).expect("the lock reads back");
    let found = MODES.map(|mode| {
        let policy = |_: Option<&str>| Policy::registry(mode);
        let mut changes = diff_under(&lock, &v3, &policy);
        changes.extend(diff_published(&lock, &v3, &policy));
        let breaking: Vec<_> = changes
            .iter()
            .filter(|change| change.compatibility == Compatibility::Breaking)
            .collect();
        if mode == Mode::BackwardTransitive {
            assert_eq!(breaking.len(), 1, "{breaking:#?}");
            assert_eq!(breaking[0].against.as_deref(), Some("1.0.0"));
            assert!(
                breaking[0]
                    .message
                    .starts_with("against published version 1.0.0: optional → required"),
                "{}",
                breaking[0].message
            );
        }
        if breaking.is_empty() {
            'C'
        } else {
            'B'
        }
    });
    assert_eq!(
        String::from_iter(found),
        "CCBCCCB",
        "columns: none, backward, backward_transitive, forward, forward_transitive, full, full_transitive"
    );
}

/// evcat's own reading without a configured mode: both directions, open
/// payloads read by their declared fields, so a new optional field stays
/// compatible where a registry's BACKWARD or FULL would refuse it.
#[test]
fn without_a_mode_open_payloads_are_read_by_their_declared_fields() {
    let dir = scratch_dir("modes-default");
    let id = json!({"type": "string"});
    let old = contract(
        &dir.join("old"),
        "1.0.0",
        &object(json!({"id": id}), &["id"], false),
    );
    let new = contract(
        &dir.join("new"),
        "1.0.1",
        &object(json!({"id": id, "tag": {"type": "string"}}), &["id"], false),
    );
    let breaking = |policy: Policy| {
        diff_under(&old, &new, &|_| policy)
            .iter()
            .any(|change| change.compatibility == Compatibility::Breaking)
    };
    assert!(!breaking(Policy::DEFAULT));
    assert!(breaking(Policy::registry(Mode::Full)));
    assert!(breaking(Policy::registry(Mode::Backward)));
    assert!(!breaking(Policy::registry(Mode::Forward)));
}

/// The same verdicts on schemas someone else publishes: octokit's GitHub
/// `issues` webhook schemas (the `github-issues-webhook` fixture, closed
/// objects throughout), each edited the way a publisher might.
#[test]
fn published_schemas_get_the_registrys_verdicts() {
    let fixture = workspace_root().join("codegen/tests/fixtures/github-issues-webhook");
    let compiled = |dir: &Path| {
        let compiled = evcat::Builder::new(dir.join("catalog.md"))
            .compile()
            .unwrap_or_else(|error| panic!("{} compiles:\n{error}", dir.display()));
        Contract::of(&compiled.catalog)
    };
    let dir = scratch_dir("modes-published");
    std::fs::create_dir_all(dir.join("old")).expect("folder");
    copy_tree(&fixture, &dir.join("old"));
    let old = compiled(&dir.join("old"));
    // (name, file, text replaced, replacement, rule cited, verdicts)
    let rows: [(&str, &str, &str, &str, &str, Verdicts); 4] = [
        (
            "label-gains-an-optional-member",
            "common/label.schema.json",
            "\"default\": { \"type\": \"boolean\" }",
            "\"default\": { \"type\": \"boolean\" },\n    \"archived\": { \"type\": \"boolean\" }",
            "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL (compatible) | PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL",
            FORWARD_ONLY,
        ),
        (
            "label-description-no-longer-required",
            "common/label.schema.json",
            "\"default\",\n    \"description\"\n",
            "\"default\"\n",
            "REQUIRED_ATTRIBUTE_REMOVED (compatible) | REQUIRED_ATTRIBUTE_ADDED",
            FORWARD_ONLY,
        ),
        (
            "author-association-gains-a-value",
            "common/author_association.schema.json",
            "\"OWNER\"",
            "\"OWNER\",\n    \"BOT\"",
            "ENUM_ARRAY_EXTENDED (compatible) | ENUM_ARRAY_NARROWED",
            FORWARD_ONLY,
        ),
        (
            "author-association-loses-a-value",
            "common/author_association.schema.json",
            "\"MANNEQUIN\",\n",
            "",
            "ENUM_ARRAY_NARROWED | ENUM_ARRAY_EXTENDED (compatible)",
            BACKWARD_ONLY,
        ),
    ];
    let mut wrong = Vec::new();
    for (name, file, from, to, rule, expected) in rows {
        let new_dir = dir.join(name);
        std::fs::create_dir_all(&new_dir).expect("folder");
        copy_tree(&fixture, &new_dir);
        let path = new_dir.join(file);
        let text = std::fs::read_to_string(&path).expect("the schema");
        assert!(text.contains(from), "{name}: {file} has `{from}`");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("edited");
        let found = judged(name, &old, &compiled(&new_dir));
        if found != expected {
            wrong.push(format!(
                "{name} ({rule}): expected {}, found {}",
                String::from_iter(expected),
                String::from_iter(found)
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "columns: none, backward, backward_transitive, forward, forward_transitive, full, full_transitive\n{}",
        wrong.join("\n")
    );
}
