//! The contracts folder as an argument: `evcat check DIR`, `evcat generate
//! DIR --out OUT` and `evcat validate DIR EVENTS` read a folder as
//! `build.rs` does, one catalog (`DIR/catalog.md`) or several
//! (`DIR/<name>/catalog.md`), each with what lies beside it.

mod support;

use std::path::Path;

use support::{evcat, scratch_dir};

/// Copies a fixture's input files (not its expected outputs) into `to`.
fn copy_fixture(name: &str, to: &Path) {
    let from = support::library_dir().join("tests/fixtures").join(name);
    copy_inputs(&from, to);
}

fn copy_inputs(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("fixture") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("named").to_owned();
        if path.is_dir() && name != "expected" {
            copy_inputs(&path, &to.join(&name));
        } else if path.is_file() {
            std::fs::copy(&path, to.join(&name)).expect("copied");
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[test]
fn a_folder_of_several_catalogs_is_checked_generated_and_validated_as_build_rs_reads_it() {
    let root = scratch_dir("cli-contracts-dir");
    // Two catalogs with envelopes, examples and evcat.toml of their own.
    copy_fixture("azure-event-grid", &root.join("contracts/azure"));
    copy_fixture("aws-eventbridge", &root.join("contracts/aws"));

    let check = evcat(&root, &["check", "contracts"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
    let stdout = text(&check.stdout);
    assert!(
        stdout.contains("contracts/aws/catalog.md: 4 events in 3 families, no errors")
            && stdout.contains("contracts/azure/catalog.md: 7 events in 2 families, no errors"),
        "{stdout}"
    );
    assert!(stdout.contains("discriminator = eventType"), "{stdout}");
    assert!(stdout.contains("discriminator = detail-type"), "{stdout}");

    let generate = evcat(&root, &["generate", "contracts", "--out", "generated"]);
    assert_eq!(
        generate.status.code(),
        Some(0),
        "{}",
        text(&generate.stderr)
    );
    for file in [
        "index.rs",
        "docs/index.html",
        "aws/rust/events.rs",
        "azure/schemas/events.schema.json",
        "azure/typescript/index.js",
        "aws/catalog.lock.json",
    ] {
        assert!(
            root.join("generated").join(file).is_file(),
            "{file} written"
        );
    }
    let index = std::fs::read_to_string(root.join("generated/index.rs")).expect("index");
    assert!(
        index.contains("mod aws") && index.contains("mod azure"),
        "{index}"
    );

    // One stream is checked against one catalog: the folder names it.
    let published =
        std::fs::read_to_string(root.join("contracts/azure/examples/blob-created.json"))
            .expect("example");
    let line: serde_json::Value = serde_json::from_str(&published).expect("JSON");
    std::fs::write(root.join("events.ndjson"), format!("{line}\n")).expect("stream");
    let several = evcat(&root, &["validate", "contracts", "events.ndjson"]);
    assert_eq!(several.status.code(), Some(2));
    let stderr = text(&several.stderr);
    assert!(
        stderr.contains("holds 2 catalogs") && stderr.contains("contracts/azure"),
        "{stderr}"
    );
    let one = evcat(&root, &["validate", "contracts/azure", "events.ndjson"]);
    assert_eq!(one.status.code(), Some(0), "{}", text(&one.stderr));
    assert!(text(&one.stdout).contains("1 event on 1 line, 0 findings"));
    let wrong = evcat(&root, &["validate", "contracts/aws", "events.ndjson"]);
    assert_eq!(
        wrong.status.code(),
        Some(1),
        "an Azure event is no AWS event"
    );

    // Both catalogs' errors in one report, exit 1, nothing written.
    for catalog in ["contracts/aws/catalog.md", "contracts/azure/catalog.md"] {
        let path = root.join(catalog);
        let text = std::fs::read_to_string(&path).expect("catalog");
        std::fs::write(
            &path,
            text.replace("- Required: {", "- Required: { broken: nosuchtype,"),
        )
        .expect("broken");
    }
    let broken = evcat(&root, &["check", "contracts"]);
    assert_eq!(broken.status.code(), Some(1));
    let stderr = text(&broken.stderr);
    assert!(
        stderr.contains("contracts/aws/catalog.md:")
            && stderr.contains("contracts/azure/catalog.md:"),
        "{stderr}"
    );
    let before = std::fs::read_to_string(root.join("generated/aws/rust/events.rs")).expect("kept");
    let failed = evcat(&root, &["generate", "contracts", "--out", "generated"]);
    assert_eq!(failed.status.code(), Some(1));
    let after = std::fs::read_to_string(root.join("generated/aws/rust/events.rs")).expect("kept");
    assert_eq!(before, after, "a failed generate changes nothing");
}

#[test]
fn a_folder_with_one_catalog_reads_like_its_catalog_file() {
    let root = scratch_dir("cli-contracts-dir-one");
    copy_fixture("wire-keys", &root.join("contracts"));
    let by_folder = evcat(&root, &["generate", "contracts", "--out", "by-folder"]);
    assert_eq!(
        by_folder.status.code(),
        Some(0),
        "{}",
        text(&by_folder.stderr)
    );
    let by_file = evcat(
        &root,
        &[
            "generate",
            "--catalog",
            "contracts/catalog.md",
            "--out",
            "by-file",
        ],
    );
    assert_eq!(by_file.status.code(), Some(0), "{}", text(&by_file.stderr));
    for file in [
        "rust/events.rs",
        "schemas/events.schema.json",
        "typescript/index.js",
    ] {
        let folder = std::fs::read(root.join("by-folder").join(file)).expect("written");
        let single = std::fs::read(root.join("by-file").join(file)).expect("written");
        assert!(folder == single, "{file}: the same output either way");
    }
    assert!(
        root.join("by-folder/index.rs").is_file(),
        "a folder gets its index.rs"
    );
    let usage = evcat(
        &root,
        &["check", "contracts", "--catalog", "contracts/catalog.md"],
    );
    assert_eq!(
        usage.status.code(),
        Some(2),
        "a folder or a catalog, not both"
    );
    let neither = evcat(&root, &["validate"]);
    assert_eq!(neither.status.code(), Some(2));
}
