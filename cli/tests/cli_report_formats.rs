//! `--format github|sarif|gitlab|junit` on `evcat check`, `evcat diff` and
//! `evcat validate`, each read by its consumer: SARIF logs validated by AJV
//! against the official SARIF 2.1.0 schema, JUnit XML by `xmllint` against
//! Jenkins' JUnit XSD (both in `fixtures/report-formats/`, sources noted
//! there), GitHub workflow commands parsed with the runner's grammar, GitLab
//! code quality issues held to GitLab's documented fields. Each on a broken
//! catalog, a breaking diff of NeverMissCall's catalog (naming the
//! consumers the catalog lists) and a stream with every kind of finding.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::{evcat, library_dir, scratch_dir, workspace_root, write};

/// One command whose findings are printed in every form.
struct Scenario {
    name: &'static str,
    dir: PathBuf,
    args: Vec<String>,
    /// How many errors the run finds: the findings every form must show.
    errors: usize,
    /// The consumers its breaking findings must name.
    consumers: &'static [&'static str],
}

impl Scenario {
    fn run(&self, format: &str) -> String {
        let mut args: Vec<&str> = self.args.iter().map(String::as_str).collect();
        args.extend(["--format", format]);
        let output = evcat(&self.dir, &args);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{} --format {format}: every scenario has errors\n{}",
            self.name,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8")
    }
}

/// The project's contracts with an unknown type, a field listed twice, a
/// misspelled compatibility mode in evcat.toml and an example file no event
/// references (a warning).
fn broken_catalog(test: &str) -> Scenario {
    let dir = scratch_dir(&format!("formats-{test}-check"));
    let contracts = workspace_root().join("contracts");
    let catalog = std::fs::read_to_string(contracts.join("catalog.md"))
        .expect("catalog")
        .replace(
            "- Required: { customer_id, name }",
            "- Required: { customer_id, name, name, tier: Tier }",
        );
    write(&dir.join("contracts/catalog.md"), &catalog);
    for file in ["envelope.schema.json", "data-model.md"] {
        std::fs::copy(contracts.join(file), dir.join("contracts").join(file)).expect("copied");
    }
    write(
        &dir.join("contracts/evcat.toml"),
        "[compatibility]\nmode = \"backwards\"\n",
    );
    write(&dir.join("contracts/examples/orphan.json"), "{}\n");
    Scenario {
        name: "check",
        dir,
        args: vec!["check".into(), "contracts".into()],
        errors: 3,
        consumers: &[],
    }
}

/// NeverMissCall's catalog with a payload field of `CallDetected` removed,
/// under `--mode forward`: its open payload may then carry the field with
/// any value, which readers on the old types check (Confluent's
/// PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, seen from the old reader).
fn breaking_diff(test: &str) -> Scenario {
    let dir = scratch_dir(&format!("formats-{test}-diff"));
    let catalog =
        std::fs::read_to_string(library_dir().join("tests/fixtures/nevermisscall/catalog.md"))
            .expect("the fixture");
    write(&dir.join("old/catalog.md"), &catalog);
    let removed = "    \"provider_ref\": \"CAxxxxxxxx\"\n";
    assert!(catalog.contains(removed));
    let edited = catalog.replacen(removed, "", 1).replacen(
        "    \"reason\": \"no-answer|busy|failed\",\n",
        "    \"reason\": \"no-answer|busy|failed\"\n",
        1,
    );
    write(&dir.join("contracts/catalog.md"), &edited);
    Scenario {
        name: "diff",
        dir,
        args: [
            "diff",
            "--old",
            "old/catalog.md",
            "--new",
            "contracts/catalog.md",
            "--mode",
            "forward",
        ]
        .map(String::from)
        .to_vec(),
        errors: 1,
        consumers: &["Conversation", "Reporting"],
    }
}

/// The project's catalog and a stream with every kind of finding.
fn stream(test: &str) -> Scenario {
    let dir = scratch_dir(&format!("formats-{test}-validate"));
    std::fs::copy(
        library_dir().join("tests/streams/messaging.ndjson"),
        dir.join("events.ndjson"),
    )
    .expect("the stream");
    let contracts = workspace_root().join("contracts");
    Scenario {
        name: "validate",
        dir,
        args: vec![
            "validate".into(),
            contracts.display().to_string(),
            "events.ndjson".into(),
        ],
        errors: 10,
        consumers: &[],
    }
}

/// Every scenario, in folders of the test's own (tests run side by side).
fn scenarios(test: &str) -> Vec<Scenario> {
    vec![broken_catalog(test), breaking_diff(test), stream(test)]
}

#[test]
fn sarif_logs_validate_against_the_sarif_2_1_0_schema() {
    let schema = fixture("sarif-schema-2.1.0.json");
    let mut logs = Vec::new();
    for scenario in scenarios("sarif") {
        let text = scenario.run("sarif");
        let log: Value = serde_json::from_str(&text).expect("JSON");
        let run = &log["runs"][0];
        let results = run["results"].as_array().expect("results");
        let errors: Vec<&Value> = results
            .iter()
            .filter(|result| result["level"] == "error")
            .collect();
        assert_eq!(errors.len(), scenario.errors, "{}: {text}", scenario.name);
        let rules: Vec<&str> = run["tool"]["driver"]["rules"]
            .as_array()
            .expect("rules")
            .iter()
            .map(|rule| rule["id"].as_str().expect("an id"))
            .collect();
        for result in results {
            let id = result["ruleId"].as_str().expect("a rule id");
            let index = result["ruleIndex"].as_u64().expect("a rule index") as usize;
            assert_eq!(
                rules[index], id,
                "{}: ruleIndex points at its rule",
                scenario.name
            );
            let location = &result["locations"][0]["physicalLocation"];
            let uri = location["artifactLocation"]["uri"].as_str().expect("a uri");
            assert!(!uri.starts_with('/'), "relative: {uri}");
            assert!(
                scenario.dir.join(uri).is_file(),
                "{}: {uri} is a file of the checkout",
                scenario.name
            );
            assert!(result["partialFingerprints"]["evcatFinding/v1"].is_string());
        }
        for consumer in scenario.consumers {
            assert!(
                errors.iter().any(|error| error["properties"]["consumers"]
                    .as_array()
                    .is_some_and(|listed| listed.iter().any(|name| name == consumer))
                    && error["message"]["text"]
                        .as_str()
                        .is_some_and(|text| text.contains(consumer))),
                "{}: names {consumer}: {text}",
                scenario.name
            );
        }
        // Each rule's help is a heading of docs/reports.md.
        let reference = std::fs::read_to_string(workspace_root().join("docs/reports.md"))
            .expect("docs/reports.md");
        let anchors: BTreeSet<String> = reference
            .lines()
            .filter(|line| line.starts_with('#'))
            .map(|line| {
                line.trim_start_matches('#')
                    .trim()
                    .to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-')
                    .map(|c| if c == ' ' { '-' } else { c })
                    .collect()
            })
            .collect();
        for rule in run["tool"]["driver"]["rules"].as_array().expect("rules") {
            let help = rule["helpUri"].as_str().expect("a help link");
            let anchor = help
                .split_once("docs/reports.md#")
                .expect("docs/reports.md")
                .1;
            assert!(
                anchors.contains(anchor),
                "{}: no heading `{anchor}` in docs/reports.md",
                scenario.name
            );
        }
        let path = scenario.dir.join("report.sarif");
        write(&path, &text);
        logs.push(path);
    }
    // A sabotaged log: the checker must refuse it.
    let mut broken: Value =
        serde_json::from_str(&std::fs::read_to_string(&logs[0]).expect("log")).expect("JSON");
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    let sabotaged = logs[0].with_file_name("sabotaged.sarif");
    write(&sabotaged, &broken.to_string());
    let node = |logs: &[PathBuf]| {
        Command::new("node")
            .arg(workspace_root().join("tests/clients/sarif.mjs"))
            .arg(&schema)
            .args(logs)
            .output()
            .expect("node runs")
    };
    let output = node(&logs);
    assert!(
        output.status.success(),
        "AJV refuses a SARIF log:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !node(&[sabotaged]).status.success(),
        "AJV refuses a level SARIF does not define"
    );
}

#[test]
fn junit_reports_validate_against_a_published_junit_xsd() {
    let xsd = fixture("junit-10.xsd");
    let mut reports = Vec::new();
    for scenario in scenarios("junit") {
        let text = scenario.run("junit");
        let failures = text.matches("<failure ").count();
        assert_eq!(
            failures, scenario.errors,
            "{}: a failure per error\n{text}",
            scenario.name
        );
        assert!(
            text.contains(&format!("failures=\"{}\"", scenario.errors)),
            "{}: the count of failures\n{text}",
            scenario.name
        );
        for consumer in scenario.consumers {
            assert!(
                text.contains(consumer),
                "{}: names {consumer}\n{text}",
                scenario.name
            );
        }
        let path = scenario.dir.join(format!("{}.xml", scenario.name));
        write(&path, &text);
        reports.push(path);
    }
    // Every event of the catalog is a case of the stream's suite, passing or not.
    let stream = std::fs::read_to_string(&reports[2]).expect("report");
    assert!(
        stream.contains("<testcase name=\"ContactCreated\" classname=\"events.ndjson\"/>"),
        "{stream}"
    );
    let xmllint = |files: &[PathBuf]| {
        Command::new("xmllint")
            .args(["--noout", "--schema"])
            .arg(&xsd)
            .args(files)
            .output()
            .expect("xmllint runs (Debian's libxml2-utils)")
    };
    let output = xmllint(&reports);
    assert!(
        output.status.success(),
        "xmllint refuses a report:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let sabotaged = reports[0].with_file_name("sabotaged.xml");
    write(
        &sabotaged,
        &std::fs::read_to_string(&reports[0])
            .expect("report")
            .replace(" tests=\"", " count=\""),
    );
    assert!(
        !xmllint(&[sabotaged]).status.success(),
        "xmllint refuses a suite without `tests`"
    );
}

#[test]
fn github_lines_parse_as_workflow_commands() {
    for scenario in scenarios("github") {
        let text = scenario.run("github");
        let commands: Vec<WorkflowCommand> = text
            .lines()
            .map(|line| {
                parse_command(line)
                    .unwrap_or_else(|| panic!("{}: not a workflow command: {line}", scenario.name))
            })
            .collect();
        let errors: Vec<&WorkflowCommand> = commands
            .iter()
            .filter(|command| command.name == "error")
            .collect();
        assert_eq!(errors.len(), scenario.errors, "{}:\n{text}", scenario.name);
        for command in &commands {
            assert!(["error", "warning", "notice"].contains(&command.name.as_str()));
            let file = command
                .properties
                .iter()
                .find(|(key, _)| key == "file")
                .map(|(_, value)| value)
                .expect("a file");
            let lines = std::fs::read_to_string(scenario.dir.join(file))
                .unwrap_or_else(|_| panic!("{}: {file} is a file of the checkout", scenario.name))
                .lines()
                .count()
                .max(1);
            for (key, value) in &command.properties {
                match key.as_str() {
                    "line" | "endLine" => {
                        let line: usize = value.parse().expect("a number");
                        assert!(
                            (1..=lines).contains(&line),
                            "{}: {key}={line} in {file}",
                            scenario.name
                        );
                    }
                    "col" | "endColumn" => assert!(value.parse::<usize>().expect("a number") >= 1),
                    "file" | "title" => {}
                    other => panic!("{}: GitHub knows no property `{other}`", scenario.name),
                }
            }
        }
        if !scenario.consumers.is_empty() {
            let named = format!("consumers: {}", scenario.consumers.join(", "));
            assert!(
                errors.iter().any(|error| error.message.contains(&named)),
                "{}: `{named}` in\n{text}",
                scenario.name
            );
        }
    }
}

#[test]
fn gitlab_issues_have_gitlabs_documented_fields() {
    for scenario in scenarios("gitlab") {
        let text = scenario.run("gitlab");
        let issues: Vec<Value> = serde_json::from_str(&text).expect("a JSON array");
        let mut fingerprints = BTreeSet::new();
        for issue in &issues {
            for field in ["description", "check_name", "fingerprint", "severity"] {
                assert!(
                    issue[field].is_string(),
                    "{}: `{field}` in {issue}",
                    scenario.name
                );
            }
            assert!(
                ["info", "minor", "major", "critical", "blocker"]
                    .contains(&issue["severity"].as_str().expect("a severity")),
                "{issue}"
            );
            let path = issue["location"]["path"].as_str().expect("location.path");
            assert!(
                !path.starts_with('/') && scenario.dir.join(path).is_file(),
                "{}: {path}",
                scenario.name
            );
            assert!(issue["location"]["lines"]["begin"]
                .as_u64()
                .is_some_and(|line| line >= 1));
            assert!(
                fingerprints.insert(
                    issue["fingerprint"]
                        .as_str()
                        .expect("a fingerprint")
                        .to_owned()
                ),
                "fingerprints are unique: {issue}"
            );
        }
        let major = issues
            .iter()
            .filter(|issue| issue["severity"] == "major")
            .count();
        assert_eq!(major, scenario.errors, "{}:\n{text}", scenario.name);
        for consumer in scenario.consumers {
            assert!(
                text.contains(consumer),
                "{}: names {consumer}",
                scenario.name
            );
        }
    }
}

/// The human and JSON forms of the breaking diff name its consumers too.
#[test]
fn the_human_and_json_forms_name_the_consumers() {
    let scenario = breaking_diff("human");
    let output = evcat(
        &scenario.dir,
        &scenario.args.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    assert!(
        text.contains("breaking: nmc.telephony.CallDetected.provider_ref: field removed"),
        "{text}"
    );
    assert!(
        text.contains("  consumers: Conversation, Reporting"),
        "{text}"
    );
    assert!(
        text.ends_with("1 breaking, 0 compatible under forward\n"),
        "{text}"
    );
    let text = scenario.run("json");
    let document: Value = serde_json::from_str(&text).expect("JSON");
    let breaking: Vec<&Value> = document["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter(|change| change["compatibility"] == "breaking")
        .collect();
    assert_eq!(breaking.len(), 1, "{text}");
    assert_eq!(
        breaking[0]["consumers"],
        serde_json::json!(["Conversation", "Reporting"])
    );
    assert_eq!(breaking[0]["backward"], "compatible", "{text}");
    assert_eq!(breaking[0]["forward"], "breaking", "{text}");
    // Under BACKWARD a field removed from an open payload passes
    // (PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL).
    let mut args: Vec<&str> = scenario.args.iter().map(String::as_str).collect();
    let last = args.len() - 1;
    args[last] = "backward";
    assert_eq!(evcat(&scenario.dir, &args).status.code(), Some(0));
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/report-formats")
        .join(name)
}

/// A workflow command: `::name key=value,…::message`, values unescaped.
struct WorkflowCommand {
    name: String,
    properties: Vec<(String, String)>,
    message: String,
}

/// The runner's grammar (actions/toolkit's `command.ts`): properties after
/// the name and a space, `,`-separated `key=value`, then `::` and the
/// message; `%25`, `%0D`, `%0A` (and in values `%3A`, `%2C`) escaped.
fn parse_command(line: &str) -> Option<WorkflowCommand> {
    let rest = line.strip_prefix("::")?;
    let end = rest.find("::")?;
    let (head, message) = (&rest[..end], &rest[end + 2..]);
    let (name, properties) = match head.split_once(' ') {
        Some((name, properties)) => (name, properties),
        None => (head, ""),
    };
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let unescape = |text: &str| {
        text.replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let mut parsed = Vec::new();
    for property in properties
        .split(',')
        .filter(|property| !property.is_empty())
    {
        let (key, value) = property.split_once('=')?;
        // An unescaped `:` or a line break would end the value early.
        if value.contains(':') || value.contains('\n') {
            return None;
        }
        parsed.push((key.to_owned(), unescape(value)));
    }
    if message.contains('\n') || message.contains('\r') {
        return None;
    }
    Some(WorkflowCommand {
        name: name.to_owned(),
        properties: parsed,
        message: message
            .replace("%0D", "\r")
            .replace("%0A", "\n")
            .replace("%25", "%"),
    })
}
