//! Bad inputs, through the `evcat` binary: each folder of `tests/errors/`
//! holds a catalog (and sometimes its own envelope) and `expected.stderr`,
//! the exact report. Every case must exit 1 and write nothing.
//! `UPDATE_EXPECT=1` rewrites the expected reports.

mod support;

use std::path::{Path, PathBuf};

use support::evcat;

fn cases() -> Vec<PathBuf> {
    let root = support::library_dir().join("tests/errors");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("tests/errors exists")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.join("catalog.md").is_file())
        .collect();
    cases.sort();
    cases
}

/// The JSON-payload dialect (event names dotted, in backticks, under
/// `###`) declares its envelope in the catalog itself.
fn declares_own_envelope(catalog: &str) -> bool {
    catalog.lines().any(|line| {
        line.starts_with("### ")
            && line
                .split('`')
                .nth(1)
                .is_some_and(|name| name.contains('.'))
    })
}

/// The envelope arguments of a case: none for a catalog with its own
/// envelope block, else its own schema file or the shared one.
fn envelope_args(case: &Path) -> Vec<&'static str> {
    let catalog = std::fs::read_to_string(case.join("catalog.md")).unwrap_or_default();
    if declares_own_envelope(&catalog) {
        vec![]
    } else if case.join("envelope.schema.json").is_file() {
        vec!["--envelope", "envelope.schema.json"]
    } else {
        vec!["--envelope", "../envelope.schema.json"]
    }
}

#[test]
fn every_bad_input_is_reported_at_its_position_with_exit_code_1() {
    let cases = cases();
    assert!(
        cases.len() >= 14,
        "expected the error cases, found {}",
        cases.len()
    );
    for case in cases {
        let args = [
            &["check", "--catalog", "catalog.md"][..],
            &envelope_args(&case),
        ]
        .concat();
        let output = evcat(&case, &args);
        let stderr = String::from_utf8(output.stderr).expect("diagnostics are UTF-8");
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}: exit code\n{stderr}",
            case.display()
        );
        assert!(
            output.stdout.is_empty(),
            "{}: nothing on stdout",
            case.display()
        );
        assert!(
            !stderr.contains("panicked"),
            "{}: panicked\n{stderr}",
            case.display()
        );
        expect_test::expect_file![case.join("expected.stderr")].assert_eq(&stderr);
    }
}

#[test]
fn a_failed_generate_creates_and_changes_nothing() {
    let scratch = tempfile::tempdir().expect("temporary folder");
    for case in cases() {
        let existing = scratch.path().join("existing");
        std::fs::create_dir_all(existing.join("rust")).expect("folder");
        std::fs::write(existing.join("rust/events.rs"), "// hand-made\n").expect("file");
        let fresh = scratch.path().join("fresh");
        for out in [&existing, &fresh] {
            let out_arg = out.to_str().expect("UTF-8 path");
            let args = [
                &["generate", "--catalog", "catalog.md"][..],
                &envelope_args(&case),
                &["--out", out_arg],
            ]
            .concat();
            let output = evcat(&case, &args);
            assert_eq!(output.status.code(), Some(1), "{}", case.display());
        }
        assert!(
            !fresh.exists(),
            "{}: generate created the output folder",
            case.display()
        );
        let files: Vec<_> = walk(&existing);
        assert_eq!(
            files,
            vec![existing.join("rust/events.rs")],
            "{}: files appeared",
            case.display()
        );
        assert_eq!(
            std::fs::read_to_string(existing.join("rust/events.rs")).expect("file"),
            "// hand-made\n"
        );
        std::fs::remove_dir_all(&existing).expect("clean up");
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn usage_and_io_errors_exit_with_2() {
    let here = &support::library_dir();
    let missing = evcat(here, &["check", "--catalog", "tests/no-such-catalog.md"]);
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(
        stderr.contains("tests/no-such-catalog.md"),
        "names the file: {stderr}"
    );
    let file_as_folder = evcat(here, &["check", "tests/fixtures/keywords/catalog.md"]);
    assert_eq!(file_as_folder.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&file_as_folder.stderr);
    assert!(
        stderr.contains("not a contracts folder") && stderr.contains("--catalog"),
        "says to use --catalog: {stderr}"
    );
    let usage = evcat(here, &["generate", "--catalog", "x.md"]);
    assert_eq!(
        usage.status.code(),
        Some(2),
        "missing --out is a usage error"
    );
}

#[test]
fn generate_writes_every_output_and_check_writes_nothing() {
    let project = support::library_dir().join("tests/fixtures/seed-messaging");
    let scratch = tempfile::tempdir().expect("temporary folder");
    let out = scratch.path().join("out");
    let output = evcat(
        &project,
        &[
            "generate",
            "--catalog",
            "catalog.md",
            "--out",
            out.to_str().expect("UTF-8"),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written =
        std::fs::read_to_string(out.join("rust/events.rs")).expect("rust/events.rs written");
    assert!(written.contains("pub struct CustomerCreated"));
    let catalog = evcat::Builder::new(project.join("catalog.md"))
        .compile()
        .expect("the seed catalog compiles")
        .catalog;
    let mut expected: Vec<PathBuf> = catalog
        .events()
        .flat_map(|(_, event)| {
            [
                out.join(format!("schemas/{}.schema.json", event.name)),
                out.join(format!("examples/{}.example.json", event.name)),
            ]
        })
        .collect();
    expected.extend([
        out.join("rust/events.rs"),
        out.join("schemas/events.schema.json"),
        out.join("typescript/events.d.ts"),
        out.join("typescript/index.js"),
        out.join("typescript/index.d.ts"),
        out.join("typescript/package.json"),
        out.join("asyncapi.yaml"),
        out.join("docs/index.html"),
        out.join("sql/outbox.sql"),
        out.join("catalog.lock.json"),
    ]);
    expected.sort();
    assert_eq!(
        walk(&out),
        expected,
        "every output, and no temporary file left behind"
    );

    let check = evcat(&project, &["check", "--catalog", "catalog.md"]);
    assert!(check.status.success());
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        "catalog.md: 21 events in 5 families, no errors\n\
         envelope (evcat's names): discriminator = event_name, payload = payload, \
         event_id = event_id, aggregate_type = aggregate_type, aggregate_id = aggregate_id, \
         aggregate_version = version, occurred_at = occurred_at, \
         idempotency_key = idempotency_key; no event_source\n"
    );
}

#[test]
fn generate_removes_outputs_of_removed_events_and_nothing_else() {
    let project = support::library_dir().join("tests/fixtures/keywords");
    let scratch = tempfile::tempdir().expect("temporary folder");
    let out = scratch.path().join("out");
    std::fs::create_dir_all(out.join("schemas")).expect("folder");
    std::fs::write(out.join("schemas/JobCancelled.schema.json"), "{}\n")
        .expect("an event's old schema");
    std::fs::write(out.join("schemas/README.md"), "ours\n").expect("a user's file");
    std::fs::write(out.join("schemas/shared.json"), "{}\n").expect("a user's schema");
    let output = evcat(
        &project,
        &[
            "generate",
            "--catalog",
            "catalog.md",
            "--out",
            out.to_str().expect("UTF-8"),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !out.join("schemas/JobCancelled.schema.json").exists(),
        "a removed event's schema is removed"
    );
    assert!(
        out.join("schemas/README.md").exists() && out.join("schemas/shared.json").exists(),
        "other files stay"
    );
    assert!(out.join("schemas/JobScheduled.schema.json").exists());
}

/// A reader that stops reading (`evcat check … | head -1`) is no error of
/// evcat's: no panic, and the exit code of the check.
#[test]
fn a_closed_stdout_is_not_a_panic() {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_evcat"))
        .args(["check", "--catalog", "contracts/catalog.md"])
        .current_dir(support::workspace_root())
        .stdout(writer)
        .output()
        .expect("evcat runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}
