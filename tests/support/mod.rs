//! The consumer tools, as the tests run them: AJV (strict, ajv-formats) and
//! python-jsonschema (format checker), each printing one verdict per
//! instance of a corpus. A missing tool fails with the command that installs it.

#![allow(dead_code)] // each test binary uses part of this module

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const INSTALL: &str = "npm ci && python3 -m venv target/pyenv && target/pyenv/bin/pip install -r requirements.txt && apt-get install chromium (or bash scripts/test.sh, which does all of it)";

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn tool(path: PathBuf, what: &str) -> PathBuf {
    assert!(
        path.exists(),
        "{what} is not installed ({} missing): run `{INSTALL}` in the repository root",
        path.display()
    );
    path
}

pub fn python() -> PathBuf {
    let python = std::env::var_os("EVCAT_PYTHON")
        .map_or_else(|| root().join("target/pyenv/bin/python"), PathBuf::from);
    tool(python, "python-jsonschema")
}

pub fn run(command: &mut Command, what: &str) -> String {
    let output = command
        .current_dir(root())
        .output()
        .unwrap_or_else(|error| panic!("{what} could not start: {error}"));
    assert!(
        output.status.success(),
        "{what} failed:\n--- stdout\n{}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Every catalog with its outputs, as (label, catalog.md, outputs folder):
/// the project's (`generated/`), then each fixture's (`expected/`).
pub fn catalogs_with_outputs() -> Vec<(String, PathBuf, PathBuf)> {
    let mut found = vec![(
        "project".to_owned(),
        root().join("contracts/catalog.md"),
        root().join("generated"),
    )];
    let fixtures = root().join("codegen/tests/fixtures");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .map(|entry| entry.expect("entry").path())
        .filter(|case| case.join("catalog.md").is_file())
        .collect();
    cases.sort();
    found.extend(cases.into_iter().map(|case| {
        let label = case
            .file_name()
            .expect("named")
            .to_string_lossy()
            .into_owned();
        (label, case.join("catalog.md"), case.join("expected"))
    }));
    found
}

/// Every folder of generated schemas: the project's and each fixture's.
pub fn schema_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![root().join("generated/schemas")];
    let fixtures = root().join("codegen/tests/fixtures");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures)
        .expect("fixtures")
        .map(|entry| entry.expect("entry").path())
        .collect();
    cases.sort();
    dirs.extend(
        cases
            .into_iter()
            .map(|case| case.join("expected/schemas"))
            .filter(|dir| dir.is_dir()),
    );
    dirs
}

#[derive(Debug, PartialEq)]
pub struct Verdicts {
    pub compiled: u64,
    pub valid: Vec<(String, bool)>,
}

pub fn verdicts(output: &str) -> Verdicts {
    let value: Value = serde_json::from_str(output).expect("the client prints JSON");
    let valid = value["verdicts"]
        .as_array()
        .expect("verdicts")
        .iter()
        .map(|verdict| {
            (
                verdict["name"].as_str().expect("name").to_owned(),
                verdict["valid"].as_bool().expect("valid"),
            )
        })
        .collect();
    Verdicts {
        compiled: value["compiled"].as_u64().expect("compiled"),
        valid,
    }
}

pub fn ajv(schemas: &Path, corpus: Option<&Path>) -> Verdicts {
    tool(root().join("node_modules/ajv"), "AJV");
    let mut command = Command::new("node");
    command
        .arg("tests/clients/ajv.mjs")
        .arg(schemas)
        .args(corpus);
    verdicts(&run(&mut command, "AJV"))
}

pub fn python_jsonschema(schemas: &Path, corpus: Option<&Path>) -> Verdicts {
    let mut command = Command::new(python());
    command
        .arg("tests/clients/jsonschema_check.py")
        .arg(schemas)
        .args(corpus);
    verdicts(&run(&mut command, "python-jsonschema"))
}

/// A folder set up as a consumer of the generated npm package in
/// `package`: `node_modules/<its name>` a copy of it, `node_modules/zod` the
/// pinned zod. Returns the folder and the package's name.
pub fn zod_consumer(package: &Path, label: &str) -> (PathBuf, String) {
    let zod = tool(root().join("node_modules/zod"), "zod");
    let manifest = read_json(&package.join("package.json"));
    let name = manifest["name"]
        .as_str()
        .expect("a package name")
        .to_owned();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("zod-consumers")
        .join(label);
    let _ = std::fs::remove_dir_all(&dir);
    let installed = dir.join("node_modules").join(&name);
    std::fs::create_dir_all(&installed).expect("consumer folder");
    for entry in std::fs::read_dir(package).expect("the package") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, installed.join(path.file_name().expect("named"))).expect("copied");
    }
    std::os::unix::fs::symlink(zod, dir.join("node_modules/zod")).expect("zod linked");
    std::fs::copy(root().join("tests/clients/zod.mjs"), dir.join("zod.mjs")).expect("copied");
    (dir, name)
}

/// The verdicts of the generated package's `DomainEventSchema` (zod) on a
/// corpus, imported by name as a consumer imports it.
pub fn zod(package: &Path, label: &str, corpus: Option<&Path>) -> Verdicts {
    let (dir, name) = zod_consumer(package, label);
    let mut command = Command::new("node");
    command.arg(dir.join("zod.mjs")).arg(&name).args(corpus);
    verdicts(&run(&mut command, "zod"))
}

/// Writes a corpus (`[{"name", "instance"}]`) for the clients to read.
pub fn corpus_file(name: &str, cases: &[(String, Value)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("clients");
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let file = dir.join(name);
    let json: Vec<Value> = cases
        .iter()
        .map(|(name, instance)| serde_json::json!({"name": name, "instance": instance}))
        .collect();
    std::fs::write(&file, serde_json::to_string(&json).expect("JSON")).expect("corpus written");
    file
}

pub fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// `work` once a core, on a share of `items` (every n-th one), the results
/// put back in the items' order: for tools whose start (node, a parser, a
/// browser) costs more than an item does.
pub fn in_shares_by_core<T: Sync, R: Send>(
    items: &[T],
    work: impl Fn(&[&T]) -> Vec<R> + Sync,
) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let shares: Vec<Vec<usize>> = (0..cores.min(items.len()))
        .map(|core| (core..items.len()).step_by(cores).collect())
        .collect();
    let results = on_every_core(&shares, |share| {
        let mine: Vec<&T> = share.iter().map(|index| &items[*index]).collect();
        let results = work(&mine);
        assert_eq!(results.len(), mine.len(), "a result per item");
        results
    });
    let mut ordered: Vec<Option<R>> = items.iter().map(|_| None).collect();
    for (share, results) in shares.iter().zip(results) {
        for (index, result) in share.iter().zip(results) {
            ordered[*index] = Some(result);
        }
    }
    ordered
        .into_iter()
        .map(|result| result.expect("every item was worked on"))
        .collect()
}

/// `work` on each item, as many at a time as there are cores, the results
/// in the items' order: the consumer tools run one single-threaded process
/// per document (node, Chromium's page), so one at a time would leave a
/// core idle.
pub fn on_every_core<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Mutex;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..cores.min(items.len()) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else {
                    break;
                };
                let result = work(item);
                *results[index].lock().expect("a result slot") = Some(result);
            });
        }
    });
    results
        .into_iter()
        .map(|slot| {
            slot.into_inner()
                .expect("a result slot")
                .expect("every item was worked on")
        })
        .collect()
}
