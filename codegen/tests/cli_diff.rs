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
