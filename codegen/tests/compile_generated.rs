//! The generated Rust of every fixture catalog compiles in a real crate,
//! passes `clippy -D warnings`, round-trips JSON (tests in
//! `tests/compiled/roundtrip.rs`), and documents without rustdoc warnings
//! and without any catalog prose reaching the HTML unescaped.

#[path = "support/published_examples.rs"]
mod published_examples;
mod support;

use std::path::Path;

use support::{assert_success, cargo, scratch_dir, write};

const MANIFEST: &str = r#"[package]
name = "fixture-crates"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
serde = { version = "1", features = ["derive"] }
serde_json = "1"
regex = "1"
schemars = "1"
evcat-runtime = { path = "RUNTIME" }

[workspace]
"#;

/// Each fixture's synthesized examples, through that fixture's own types.
const EXAMPLES_TESTS: &str = r#"//! Every synthesized example deserializes, breaks no rule and round-trips.

/// JSON equality with numbers compared by value, as JSON Schema compares
/// them: a `number` field read from `0` is written `0.0`.
fn same_json(left: &serde_json::Value, right: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (left, right) {
        (Value::Number(left), Value::Number(right)) => left.as_f64() == right.as_f64(),
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len() && left.iter().zip(right).all(|(left, right)| same_json(left, right))
        }
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left.iter().all(|(key, value)| right.get(key).is_some_and(|other| same_json(value, other)))
        }
        _ => left == right,
    }
}

macro_rules! examples_of {
    ($module:ident) => {
        #[test]
        fn $module() {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(stringify!($module)).join("examples");
            let mut count = 0;
            for entry in std::fs::read_dir(&dir).expect("examples") {
                let path = entry.expect("entry").path();
                let value: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
                let event: fixture_crates::$module::DomainEvent =
                    serde_json::from_value(value.clone()).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
                assert_eq!(event.validate(), vec![], "{}", path.display());
                assert_eq!(serde_json::to_value(&event).expect("serializes"), value, "{}", path.display());
                count += usize::from(!path.to_string_lossy().contains(".catalog-"));
            }
            assert_eq!(count, fixture_crates::$module::DomainEvent::EVENT_NAMES.len(), "a synthesized example per event");
            // The catalog's example files as published, and mutated copies:
            // the generated types and `validate()` give the verdict the
            // catalog implies, and each file round-trips losslessly.
            let published = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(stringify!($module)).join("published.json");
            let cases: Vec<(String, serde_json::Value, bool)> =
                serde_json::from_str(&std::fs::read_to_string(&published).expect("published cases")).expect("JSON");
            let mut wrong = Vec::new();
            for (name, instance, expected) in &cases {
                let typed = serde_json::from_value::<fixture_crates::$module::DomainEvent>(instance.clone());
                let valid = typed.as_ref().is_ok_and(|event| event.validate().is_empty());
                if valid != *expected {
                    wrong.push(format!("{name}: valid={valid}, expected {expected} ({:?})", typed.as_ref().map(|event| event.validate())));
                }
                // As published, nothing is lost; a copy with a key the
                // payload does not declare loses that key, as documented.
                if let (true, true, Ok(event)) = (valid, name.ends_with("as published"), &typed) {
                    let written = serde_json::to_value(event).expect("serializes");
                    assert!(same_json(&written, instance), "{name}: lossless\n{written}\n{instance}");
                }
            }
            assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        }
    };
}

"#;

#[test]
fn generated_code_compiles_passes_clippy_round_trips_and_documents_safely() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let crate_dir = scratch_dir("fixture-crates");
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    write(
        &crate_dir.join("Cargo.toml"),
        &MANIFEST.replace("RUNTIME", &runtime.display().to_string()),
    );
    // What `index.rs` puts at a generated crate's root, for `#[contract]`.
    let mut lib = String::from(
        "//! Every fixture catalog's generated module.\n\npub use ::evcat_runtime::contract;\n#[doc(hidden)]\npub use ::evcat_runtime::macros as __evcat_macros;\n\n",
    );
    let mut examples_tests = String::from(EXAMPLES_TESTS);
    let mut cases: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .map(|entry| entry.expect("entry").path())
        .collect();
    cases.sort();
    for case in cases
        .iter()
        .filter(|case| case.join("catalog.md").is_file())
    {
        let module = case
            .file_name()
            .expect("named")
            .to_string_lossy()
            .replace('-', "_");
        // Side by side in one crate, as `Project` mounts several catalogs.
        let generated = evcat::Builder::new(case.join("catalog.md"))
            .module(&module)
            .generate()
            .expect("fixture generates");
        let events = generated
            .files
            .iter()
            .find(|file| file.path == "rust/events.rs")
            .expect("rust output");
        write(
            &crate_dir.join(format!("src/{module}.rs")),
            &events.contents,
        );
        lib.push_str(&format!("pub mod {module};\n"));
        for example in generated
            .files
            .iter()
            .filter(|file| file.path.starts_with("examples/"))
        {
            write(
                &crate_dir.join(module.as_str()).join(&example.path),
                &example.contents,
            );
        }
        let compiled = evcat::Builder::new(case.join("catalog.md"))
            .compile()
            .expect("fixture compiles");
        let published = published_examples::cases(&compiled.catalog, case);
        write(
            &crate_dir.join(module.as_str()).join("published.json"),
            &serde_json::to_string_pretty(&published).expect("JSON"),
        );
        examples_tests.push_str(&format!("examples_of!({module});\n"));
    }
    write(&crate_dir.join("src/lib.rs"), &lib);
    let roundtrip = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compiled/roundtrip.rs"),
    )
    .expect("round-trip tests");
    write(&crate_dir.join("tests/roundtrip.rs"), &roundtrip);
    let contracts = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/compiled/contracts.rs"),
    )
    .expect("contract tests");
    write(&crate_dir.join("tests/contracts.rs"), &contracts);
    let formats = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/formats/values.json");
    write(
        &crate_dir.join("formats/values.json"),
        &std::fs::read_to_string(formats).expect("the format table"),
    );
    write(&crate_dir.join("tests/examples.rs"), &examples_tests);

    assert_success(
        &cargo(
            &crate_dir,
            &["clippy", "--all-targets", "--", "-D", "warnings"],
            &[],
        ),
        "cargo clippy -D warnings",
    );
    assert_success(
        &cargo(&crate_dir, &["test"], &[]),
        "cargo test of the generated code",
    );
    assert_success(
        &cargo(
            &crate_dir,
            &["doc", "--no-deps"],
            &[("RUSTDOCFLAGS", "-D warnings")],
        ),
        "cargo doc -D warnings",
    );

    let page = crate_dir
        .parent()
        .expect("scratch parent")
        .join("scratch-target/doc/fixture_crates/hostile_prose/struct.RecordTouched.html");
    let html = std::fs::read_to_string(&page)
        .unwrap_or_else(|error| panic!("{}: {error}", page.display()));
    assert!(html.contains("Ends a comment"), "the prose is documented");
    for injected in ["<script>alert(", "<b>bold</b>", "href=\"javascript:"] {
        assert!(
            !html.contains(injected),
            "catalog prose reached the HTML as markup: {injected}"
        );
    }
    assert!(
        html.contains("&lt;/script&gt;&lt;script&gt;alert("),
        "the prose is shown escaped"
    );
}
