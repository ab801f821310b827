//! The JSON Schema community's own test suite (JSON-Schema-Test-Suite,
//! draft7 and draft2020-12, `json-schema-test-suite/SOURCE.md`) through
//! evcat: each group's schema is the `value` of an event's `Schema:`
//! payload, each test's instance that `value` in an envelope. A group evcat
//! refuses (a keyword it cannot state in every output) counts as refused,
//! never as passed. Every accepted test is judged by `evcat validate`'s
//! checker and by the generated types with `validate()`; a verdict other
//! than the suite's fails the test, except `format` under 2020-12, which
//! the suite treats as an annotation and evcat asserts (counted apart).
//! jsonschema-rs, the compliance anchor, runs the same tests beside.
//!
//! The table per keyword is `json-schema-test-suite/conformance.md`,
//! refreshed with `UPDATE_EXPECT=1`: a change to it is a change of what
//! evcat accepts, to read in the diff.

mod support;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use support::{assert_success, cargo, scratch_dir, write};

const DRAFTS: [(&str, &str); 2] = [
    ("draft7", "http://json-schema.org/draft-07/schema#"),
    (
        "draft2020-12",
        "https://json-schema.org/draft/2020-12/schema",
    ),
];

const MANIFEST: &str = r#"[package]
name = "suite-verdicts"
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

/// Reads `cases.json` (`[[line, expected], …]`) and prints the generated
/// types' verdict of each line: it deserializes and `validate()` is empty.
const VERDICTS_MAIN: &str = r#"#[allow(dead_code, clippy::all)]
mod events;

fn main() {
    let cases: Vec<String> = serde_json::from_str(&std::fs::read_to_string("cases.json").expect("cases")).expect("JSON");
    let verdicts: Vec<bool> = cases
        .iter()
        .map(|line| {
            serde_json::from_str::<events::DomainEvent>(line).is_ok_and(|event| event.validate().is_empty())
        })
        .collect();
    println!("{}", serde_json::to_string(&verdicts).expect("JSON"));
}
"#;

struct Group {
    keyword: String,
    description: String,
    schema: Value,
    tests: Vec<(String, Value, bool)>,
}

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/json-schema-test-suite")
}

fn groups(draft: &str) -> Vec<Group> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(suite_dir().join(draft))
        .expect("the suite's draft folder")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.sort();
    let mut groups = Vec::new();
    for file in files {
        let keyword = file
            .file_stem()
            .expect("named")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&file).expect("readable");
        let listed: Vec<Value> = serde_json::from_str(&text).expect("suite files are JSON");
        for group in listed {
            let tests = group["tests"]
                .as_array()
                .expect("tests")
                .iter()
                .map(|test| {
                    (
                        test["description"].as_str().unwrap_or_default().to_owned(),
                        test["data"].clone(),
                        test["valid"].as_bool().expect("valid"),
                    )
                })
                .collect();
            groups.push(Group {
                keyword: keyword.clone(),
                description: group["description"].as_str().unwrap_or_default().to_owned(),
                schema: group["schema"].clone(),
                tests,
            });
        }
    }
    groups
}

/// A catalog folder whose events `Case<n>` each have one group's schema as
/// the `value` of their payload.
fn catalog(dir: &Path, draft_uri: &str, cases: &[(usize, &Group)]) -> PathBuf {
    write(
        &dir.join("envelope.schema.json"),
        &serde_json::to_string_pretty(&json!({
            "$schema": draft_uri,
            "type": "object",
            "required": ["event_name", "payload"],
            "properties": {
                "event_name": { "type": "string" },
                "payload": { "type": "object" }
            }
        }))
        .expect("JSON"),
    );
    let mut text = String::from("# The JSON Schema Test Suite\n\n## Suite\n");
    for (id, group) in cases {
        write(
            &dir.join(format!("cases/case-{id}.json")),
            &serde_json::to_string_pretty(&group.schema).expect("JSON"),
        );
        write(
            &dir.join(format!("cases/case-{id}.payload.json")),
            &serde_json::to_string_pretty(&json!({
                "$schema": draft_uri,
                "type": "object",
                "required": ["value"],
                "properties": { "value": { "$ref": format!("case-{id}.json") } }
            }))
            .expect("JSON"),
        );
        let _ = write!(
            text,
            "\n### Case{id}\n- Purpose: A group of the JSON Schema Test Suite.\n- Schema: `cases/case-{id}.payload.json`\n"
        );
    }
    let path = dir.join("catalog.md");
    write(&path, &text);
    path
}

fn line(id: usize, data: &Value) -> String {
    json!({ "event_name": format!("Case{id}"), "payload": { "value": data } }).to_string()
}

#[derive(Default, Clone, Copy)]
struct Row {
    groups: usize,
    accepted: usize,
    tests: usize,
    accepted_tests: usize,
    wrong: usize,
    format_apart: usize,
    anchor_right: usize,
}

#[test]
fn the_json_schema_test_suite_gets_the_suites_verdicts() {
    let mut report = String::from(
        "# JSON-Schema-Test-Suite through evcat\n\n\
         Generated by `codegen/tests/json_schema_suite.rs` (refresh with `UPDATE_EXPECT=1`).\n\
         Per keyword file: the groups (one schema each) and tests; the groups evcat\n\
         accepts (refused ones use a keyword evcat cannot state in every output); on\n\
         accepted tests, the verdicts of `evcat validate` and the generated `validate()`\n\
         that differ from the suite (must be 0), `format` asserted where 2020-12 makes it\n\
         an annotation (apart, by design); and jsonschema-rs 0.61's right verdicts on\n\
         every test of the file (no remote references served).\n",
    );
    let mut wrong_verdicts = Vec::new();
    for (draft, draft_uri) in DRAFTS {
        let groups = groups(draft);
        let mut rows: BTreeMap<String, Row> = BTreeMap::new();
        let mut accepted: Vec<(usize, &Group)> = Vec::new();
        for (id, group) in groups.iter().enumerate() {
            let row = rows.entry(group.keyword.clone()).or_default();
            row.groups += 1;
            row.tests += group.tests.len();
            row.anchor_right += anchor_right(draft, group);
            let dir = scratch_dir(&format!("suite-{draft}-{id}"));
            let path = catalog(&dir, draft_uri, &[(id, group)]);
            if evcat::Builder::new(path.clone()).compile().is_ok() {
                row.accepted += 1;
                row.accepted_tests += group.tests.len();
                accepted.push((id, group));
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
        // Every accepted group in one catalog: the checker and the
        // generated crate judge each of its tests.
        let dir = scratch_dir(&format!("suite-{draft}"));
        let path = catalog(&dir, draft_uri, &accepted);
        let compiled = evcat::Builder::new(path.clone())
            .compile()
            .unwrap_or_else(|error| panic!("{draft}: the accepted groups together: {error}"));
        let mut lines = Vec::new();
        for (id, group) in &accepted {
            for (description, data, valid) in &group.tests {
                lines.push((*id, *group, description, line(*id, data), *valid));
            }
        }
        let rust = generated_verdicts(
            draft,
            &path,
            &lines.iter().map(|case| case.3.clone()).collect::<Vec<_>>(),
        );
        for (index, (id, group, description, text, expected)) in lines.iter().enumerate() {
            let mut checker = evcat::stream::StreamChecker::new(&compiled.catalog);
            let stream = checker.check_line(1, text).is_none();
            let row = rows.get_mut(&group.keyword).expect("a row per keyword");
            let by_design = draft == "draft2020-12" && group.keyword == "format" && *expected;
            for (judge, verdict) in [("evcat validate", stream), ("validate()", rust[index])] {
                if verdict == *expected {
                    continue;
                }
                if by_design {
                    row.format_apart += 1;
                    continue;
                }
                row.wrong += 1;
                wrong_verdicts.push(format!(
                    "{draft}/{}.json case {id} \"{}\" / \"{description}\": {judge} says valid={verdict}, the suite {expected}\n  schema {}\n  line {text}",
                    group.keyword, group.description, group.schema
                ));
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        report.push_str(&table(draft, &rows));
    }
    print!("{report}");
    let expected = suite_dir().join("conformance.md");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        write(&expected, &report);
    } else {
        let known = std::fs::read_to_string(&expected).unwrap_or_default();
        assert!(
            known == report,
            "the conformance table changed: refresh `{}` with UPDATE_EXPECT=1 and read the diff",
            expected.display()
        );
    }
    assert!(
        wrong_verdicts.is_empty(),
        "{} verdicts differ from the suite's:\n{}",
        wrong_verdicts.len(),
        wrong_verdicts.join("\n")
    );
}

/// The generated types' verdict of each line, from a scratch crate.
fn generated_verdicts(draft: &str, catalog: &Path, lines: &[String]) -> Vec<bool> {
    let generated = evcat::Builder::new(catalog.to_path_buf())
        .generate()
        .unwrap_or_else(|error| panic!("{draft}: {error}"));
    let events = generated
        .files
        .iter()
        .find(|file| file.path == "rust/events.rs")
        .expect("rust output");
    let crate_dir = scratch_dir(&format!("suite-verdicts-{draft}"));
    let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    write(
        &crate_dir.join("Cargo.toml"),
        &MANIFEST.replace("RUNTIME", &runtime.display().to_string()),
    );
    write(&crate_dir.join("src/events.rs"), &events.contents);
    write(&crate_dir.join("src/main.rs"), VERDICTS_MAIN);
    write(
        &crate_dir.join("cases.json"),
        &serde_json::to_string(lines).expect("JSON"),
    );
    let output = cargo(&crate_dir, &["run", "--quiet"], &[]);
    assert_success(&output, &format!("the {draft} suite's generated crate"));
    let verdicts: Vec<bool> =
        serde_json::from_slice(&output.stdout).expect("the verdicts are JSON");
    assert_eq!(verdicts.len(), lines.len());
    verdicts
}

/// How many of the group's tests jsonschema-rs gets right (none when it
/// cannot build the schema).
fn anchor_right(draft: &str, group: &Group) -> usize {
    let draft = match draft {
        "draft7" => evcat_testkit::Draft::Draft7,
        _ => evcat_testkit::Draft::Draft202012,
    };
    let Ok(validator) = evcat_testkit::Judge::for_draft(draft, &group.schema) else {
        return 0;
    };
    group
        .tests
        .iter()
        .filter(|(_, data, valid)| validator.is_valid(data) == *valid)
        .count()
}

fn table(draft: &str, rows: &BTreeMap<String, Row>) -> String {
    let mut text = format!(
        "\n## {draft}\n\n| keyword | groups | accepted | tests | accepted tests | wrong | format apart | jsonschema-rs right |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
    );
    let mut total = Row::default();
    for (keyword, row) in rows {
        let _ = writeln!(
            text,
            "| {keyword} | {} | {} | {} | {} | {} | {} | {} |",
            row.groups,
            row.accepted,
            row.tests,
            row.accepted_tests,
            row.wrong,
            row.format_apart,
            row.anchor_right
        );
        total.groups += row.groups;
        total.accepted += row.accepted;
        total.tests += row.tests;
        total.accepted_tests += row.accepted_tests;
        total.wrong += row.wrong;
        total.format_apart += row.format_apart;
        total.anchor_right += row.anchor_right;
    }
    let _ = writeln!(
        text,
        "| **all** | {} | {} | {} | {} | {} | {} | {} |",
        total.groups,
        total.accepted,
        total.tests,
        total.accepted_tests,
        total.wrong,
        total.format_apart,
        total.anchor_right
    );
    let _ = writeln!(
        text,
        "\nevcat accepts {:.1}% of the tests ({} of {}); jsonschema-rs is right on {:.1}%.",
        100.0 * total.accepted_tests as f64 / total.tests as f64,
        total.accepted_tests,
        total.tests,
        100.0 * total.anchor_right as f64 / total.tests as f64
    );
    text
}
