//! Inputs mutated byte by byte: whatever a catalog, an envelope schema or
//! an evcat.toml holds, evcat reports input errors (exit code 1) or
//! generates; it never panics and never calls bad input an I/O failure.

use std::path::Path;

// Tens of thousands of runs build and drop small trees and strings; the
// command line's allocator spends about an eighth less time on them than
// glibc's (BENCHMARKS.md, "The test command").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Each byte deleted, and replaced by bytes that break structure or text:
/// a NUL, a brace, a quote, a newline, a backtick, a byte that is not UTF-8.
const REPLACEMENTS: &[u8] = b"\0{\"\n`\xff";

fn mutants(original: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    (0..original.len()).flat_map(move |index| {
        let deleted = [original[..index].to_vec(), original[index + 1..].to_vec()].concat();
        let replaced = REPLACEMENTS.iter().map(move |&byte| {
            let mut mutant = original.to_vec();
            mutant[index] = byte;
            mutant
        });
        std::iter::once(deleted).chain(replaced)
    })
}

/// One mutant a byte: every other byte deleted, the others replaced by the
/// bytes of [`REPLACEMENTS`] in turn. For the fixtures whose every build
/// reads several schema files (and generates megabytes from them: GitHub's
/// webhook payloads are 5.8 MB of outputs a build), and for the catalogs
/// that each add one construct to the fully mutated cloudevents catalog
/// (nested field lists, wire keys): every byte is still mutated, with a
/// seventh of the builds.
fn sampled_mutants(original: &[u8]) -> impl Iterator<Item = Vec<u8>> + '_ {
    (0..original.len()).map(move |index| {
        if index % 2 == 0 {
            return [original[..index].to_vec(), original[index + 1..].to_vec()].concat();
        }
        let mut replaced = original.to_vec();
        replaced[index] = REPLACEMENTS[(index / 2) % REPLACEMENTS.len()];
        replaced
    })
}

/// A fixture's inputs (its example files included), not its expected outputs.
fn copy_inputs(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("fixture") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("named").to_owned();
        if path.is_dir() && name != "expected" {
            copy_inputs(&path, &to.join(&name));
        } else if path.is_file() {
            std::fs::copy(&path, to.join(&name)).expect("copy");
        }
    }
}

/// Copies a fixture, mutates one of its files every way, and builds each.
fn survive_mutations_of(fixture: &str, file: &str) -> usize {
    survive(fixture, file, false)
}

/// [`survive_mutations_of`] with [`sampled_mutants`].
fn survive_sampled_mutations_of(fixture: &str, file: &str) -> usize {
    survive(fixture, file, true)
}

fn survive(fixture: &str, file: &str, sampled: bool) -> usize {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("mutations-{fixture}-{file}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    copy_inputs(&source, &dir);
    let original = std::fs::read(source.join(file)).expect("the file to mutate");
    let mut runs = 0;
    let all: Box<dyn Iterator<Item = Vec<u8>>> = if sampled {
        Box::new(sampled_mutants(&original))
    } else {
        Box::new(mutants(&original))
    };
    for mutant in all {
        std::fs::write(dir.join(file), &mutant).expect("mutant written");
        let outcome = std::panic::catch_unwind(|| {
            evcat::Builder::new(dir.join("catalog.md"))
                .generate()
                .map(|_| ())
        });
        let shown = String::from_utf8_lossy(&mutant);
        match outcome {
            Err(_) => panic!("{fixture}/{file}: evcat panicked on:\n{shown}"),
            Ok(Err(error)) => assert_eq!(
                error.exit_code(),
                1,
                "{fixture}/{file}: bad input must be exit code 1, got {error}\non:\n{shown}"
            ),
            Ok(Ok(())) => {}
        }
        runs += 1;
    }
    runs
}

#[test]
fn mutated_catalogs_are_input_errors_never_panics() {
    let runs = survive_mutations_of("cloudevents", "catalog.md");
    assert!(runs > 3000, "{runs} mutants");
}

#[test]
fn mutated_envelope_schemas_are_input_errors_never_panics() {
    let runs = survive_mutations_of("cloudevents", "envelope.schema.json");
    assert!(runs > 5000, "{runs} mutants");
}

#[test]
fn mutated_evcat_toml_files_are_input_errors_never_panics() {
    let runs = survive_mutations_of("declared-roles", "evcat.toml");
    assert!(runs > 1000, "{runs} mutants");
}

#[test]
fn mutated_nested_field_lists_are_input_errors_never_panics() {
    let runs = survive_sampled_mutations_of("nested-payloads", "catalog.md");
    assert!(runs > 1100, "{runs} mutants");
}

/// Keys as producers write them: camelCase, kebab-case, dotted, quoted with
/// punctuation, `[rust.fields]` in `evcat.toml`.
#[test]
fn mutated_wire_key_catalogs_are_input_errors_never_panics() {
    let runs = survive_sampled_mutations_of("wire-keys", "catalog.md");
    assert!(runs > 1100, "{runs} mutants");
}

#[test]
fn mutated_rust_names_and_lints_are_input_errors_never_panics() {
    let runs = survive_mutations_of("wire-keys", "evcat.toml");
    assert!(runs > 2000, "{runs} mutants");
}

/// Flat events (`payload = "."`): the catalog of GitHub's webhook events,
/// with its example files.
#[test]
fn mutated_flat_catalogs_are_input_errors_never_panics() {
    let runs = survive_sampled_mutations_of("github-issues-webhook", "catalog.md");
    assert!(runs > 900, "{runs} mutants");
}

#[test]
fn mutated_flat_evcat_toml_files_are_input_errors_never_panics() {
    let runs = survive_sampled_mutations_of("github-issues-webhook", "evcat.toml");
    assert!(runs > 200, "{runs} mutants");
}

/// Nested envelopes: CDEvents' `context` and `subject` objects, and roles
/// named by paths into them.
#[test]
fn mutated_nested_envelopes_are_input_errors_never_panics() {
    let runs = survive_sampled_mutations_of("cdevents", "envelope.schema.json");
    assert!(runs > 1400, "{runs} mutants");
}

#[test]
fn mutated_nested_role_paths_are_input_errors_never_panics() {
    let runs = survive_sampled_mutations_of("cdevents", "evcat.toml");
    assert!(runs > 300, "{runs} mutants");
}

/// A schema split across files: a byte of a file the envelope's `$ref`s
/// lead to (octokit's `common/user.schema.json`) changed.
#[test]
fn mutated_referenced_schema_files_are_input_errors_never_panics() {
    let runs = survive_sampled_mutations_of("github-issues-webhook", "common/user.schema.json");
    assert!(runs > 1500, "{runs} mutants");
}

/// A payload read from a published schema (`Schema:`): CDEvents' own file
/// for one event, changed byte by byte.
#[test]
fn mutated_payload_schemas_are_input_errors_never_panics() {
    let runs = survive_sampled_mutations_of("cdevents", "schemas/buildfinished.json");
    assert!(runs > 2000, "{runs} mutants");
}

/// The vocabulary of a payload schema: `enum`/`const` of any values, a
/// tagged `oneOf`, a definition that holds itself, a tuple.
#[test]
fn mutated_schema_vocabulary_is_input_errors_never_panics() {
    let runs = survive_sampled_mutations_of("schema-vocabulary", "schemas/reading.schema.json");
    assert!(runs > 3000, "{runs} mutants");
}
