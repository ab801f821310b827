//! `evcat diff` from the command line: between two files and against a git
//! revision, as text and JSON (`diff/*.expected.*`, refreshed by
//! `UPDATE_EXPECT=1`), with exit 1 exactly when something breaks.

mod support;

use std::path::Path;
use std::process::Command;

use support::{scratch_dir, workspace_root, write};

fn run(dir: &Path, program: &str, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|error| panic!("{program} runs: {error}"));
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

fn evcat(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    run(dir, env!("CARGO_BIN_EXE_evcat"), args)
}

fn git(dir: &Path, args: &[&str]) {
    let mut all = vec![
        "-c",
        "user.name=evcat tests",
        "-c",
        "user.email=tests@evcat.dev",
    ];
    all.extend(args);
    let (code, _, stderr) = run(dir, "git", &all);
    assert_eq!(code, Some(0), "git {args:?}: {stderr}");
}

/// The project's catalog and envelope in `contracts/` of a git repository
/// with one commit, and the catalog edited after it.
fn repository() -> std::path::PathBuf {
    let dir = scratch_dir("cli-diff");
    let contracts = workspace_root().join("contracts");
    let catalog: String = std::fs::read_to_string(contracts.join("catalog.md"))
        .expect("catalog")
        .lines()
        .filter(|line| !line.starts_with("- Example:"))
        .map(|line| format!("{line}\n"))
        .collect();
    write(&dir.join("contracts/catalog.md"), &catalog);
    std::fs::copy(
        contracts.join("envelope.schema.json"),
        dir.join("contracts/envelope.schema.json"),
    )
    .expect("envelope");
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "catalog"]);
    write(&dir.join("old/catalog.md"), &catalog);
    std::fs::copy(
        contracts.join("envelope.schema.json"),
        dir.join("old/envelope.schema.json"),
    )
    .expect("envelope");
    let edited = catalog
        .replace(
            "- Required: { conversation_id, customer_id, reason? }\n- Invariants: Only the status",
            "- Required: { conversation_id, customer_id, reason: enum(resolved|spam) }\n- Invariants: Only the status",
        )
        .replace(
            "### ConversationArchived\n",
            "### ConversationPinned\n- Purpose: Pinned to the top of the inbox.\n- Required: { conversation_id, customer_id, note? }\n\n### ConversationArchived\n",
        )
        .replace(
            "- Purpose: The conversation was moved to the archive.",
            "- Purpose: The conversation was moved to the archive, out of the inbox.",
        );
    assert_ne!(edited, catalog);
    write(&dir.join("contracts/catalog.md"), &edited);
    dir
}

#[test]
fn diff_prints_each_change_and_exits_1_on_breaking_ones() {
    let dir = repository();
    let expected = workspace_root().join("codegen/tests/diff");
    let (code, text, stderr) = evcat(
        &dir,
        &[
            "diff",
            "--old",
            "old/catalog.md",
            "--new",
            "contracts/catalog.md",
        ],
    );
    assert_eq!(code, Some(1), "breaking changes exit with 1\n{stderr}");
    expect_test::expect_file![expected.join("files.expected.txt")].assert_eq(&text);
    let (code, json, _) = evcat(
        &dir,
        &[
            "diff",
            "--old",
            "old/catalog.md",
            "--new",
            "contracts/catalog.md",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, Some(1));
    let json: serde_json::Value = serde_json::from_str(&json).expect("one JSON document");
    expect_test::expect_file![expected.join("files.expected.json")].assert_eq(&format!(
        "{}\n",
        serde_json::to_string_pretty(&json).expect("JSON")
    ));

    // Against git: the same changes, the old side named by its revision.
    let (code, against, stderr) = evcat(
        &dir,
        &["diff", "--against", "HEAD", "--new", "contracts/catalog.md"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        against.replace("HEAD:contracts/catalog.md →", "old/catalog.md →"),
        text
    );

    // Compatible changes only: exit 0.
    let (code, same, _) = evcat(
        &dir,
        &["diff", "--old", "old/catalog.md", "--new", "old/catalog.md"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        same,
        "old/catalog.md → old/catalog.md: 0 changes, 0 breaking, 0 compatible\n"
    );

    let (code, _, stderr) = evcat(
        &dir,
        &[
            "diff",
            "--against",
            "no-such-revision",
            "--new",
            "contracts/catalog.md",
        ],
    );
    assert_eq!(
        code,
        Some(2),
        "a revision git does not know is an I/O error"
    );
    assert!(stderr.contains("no-such-revision"), "{stderr}");
}

/// Catalogs whose envelopes differ: the envelope's changes are reported,
/// roles that move and wire names that change are breaking, and
/// `--envelope` / `--old-envelope` name schemas that are not beside them.
#[test]
fn diff_reports_envelope_roles_and_wire_names_with_named_envelopes() {
    let dir = scratch_dir("cli-diff-envelopes");
    let fixture = workspace_root().join("codegen/tests/fixtures/cloudevents");
    let catalog = std::fs::read_to_string(fixture.join("catalog.md")).expect("catalog");
    let schema = std::fs::read_to_string(fixture.join("envelope.schema.json")).expect("schema");
    write(&dir.join("old/catalog.md"), &catalog);
    write(&dir.join("schemas/cloudevents.json"), &schema);
    // The new side: `subject` dropped from the envelope (so no aggregate id),
    // a `traceparent` extension added, a wire name changed.
    let new_schema = schema.replace(
        "        \"subject\": {\n          \"$ref\": \"#/definitions/subject\"\n        },\n",
        "        \"traceparent\": {\n          \"type\": \"string\"\n        },\n",
    );
    assert_ne!(new_schema, schema);
    write(&dir.join("schemas/cloudevents-next.json"), &new_schema);
    write(
        &dir.join("new/catalog.md"),
        &catalog.replace(
            "com.acme.orders.shipped.v1",
            "com.acme.orders.dispatched.v1",
        ),
    );
    let (code, text, stderr) = evcat(
        &dir,
        &[
            "diff",
            "--old",
            "old/catalog.md",
            "--old-envelope",
            "schemas/cloudevents.json",
            "--new",
            "new/catalog.md",
            "--envelope",
            "schemas/cloudevents-next.json",
        ],
    );
    assert_eq!(code, Some(1), "breaking changes exit with 1\n{stderr}");
    let expected = workspace_root().join("codegen/tests/diff/envelopes.expected.txt");
    expect_test::expect_file![expected].assert_eq(&text);
    for needed in [
        "breaking: envelope.subject: ",
        "compatible: envelope.traceparent: ",
        "breaking: envelope: no property plays `aggregate_id` any more (it was `subject`)",
        "breaking: OrderShipped: wire name `com.acme.orders.shipped.v1` → `com.acme.orders.dispatched.v1`",
    ] {
        assert!(text.contains(needed), "missing `{needed}` in:\n{text}");
    }
}

/// Nested fields are compared by path: removing one breaks, adding an
/// optional one does not, and each change names its path.
#[test]
fn diff_names_nested_paths() {
    let dir = scratch_dir("cli-diff-nested");
    let fixture = workspace_root().join("codegen/tests/fixtures/nested-payloads");
    let catalog = std::fs::read_to_string(fixture.join("catalog.md")).expect("catalog");
    let envelope = std::fs::read_to_string(fixture.join("envelope.schema.json")).expect("envelope");
    for side in ["old", "new"] {
        write(&dir.join(side).join("envelope.schema.json"), &envelope);
    }
    write(&dir.join("old/catalog.md"), &catalog);
    let edited = catalog
        .replace(
            "{ street, city, postal_code, phone?: phone }",
            "{ street, postal_code, phone?: phone }",
        )
        .replace(
            "tax?: { rate: number, amount_cents: integer }",
            "tax?: { rate: number, amount_cents: integer, region? }",
        );
    assert_ne!(edited, catalog);
    write(&dir.join("new/catalog.md"), &edited);
    let (code, text, stderr) = evcat(
        &dir,
        &["diff", "--old", "old/catalog.md", "--new", "new/catalog.md"],
    );
    assert_eq!(code, Some(1), "a removed nested field breaks\n{stderr}");
    assert_eq!(
        text,
        "breaking: OrderPlaced.ship_to.city: field removed: consumers on the old types read it\n\
         compatible: OrderRepriced.total.tax.region: new optional field\n\
         old/catalog.md → new/catalog.md: 2 changes, 1 breaking, 1 compatible\n"
    );
}
