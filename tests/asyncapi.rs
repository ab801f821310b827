//! `asyncapi.yaml`, read by the real AsyncAPI parser (@asyncapi/parser 3,
//! pinned, offline) for the project and every fixture: no error and no
//! warning, a message per event named by its wire name, each message's
//! payload accepting the event's example envelopes (AJV), the YAML meaning
//! exactly the document evcat built (js-yaml), and, where the catalog names
//! producers and consumers, an operation for each.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use support::{catalogs_with_outputs, in_shares_by_core, root, run, tool};

/// What the parser made of a document, with the examples' verdicts.
fn parsed(outputs: &Path) -> Value {
    parsed_all(&[outputs]).remove(0)
}

/// What the parser made of each document, in one node process: starting
/// the parser is most of the time a small document takes.
fn parsed_all(outputs: &[&Path]) -> Vec<Value> {
    tool(
        root().join("node_modules/@asyncapi/parser"),
        "the AsyncAPI parser",
    );
    let mut command = Command::new("node");
    command.arg("tests/clients/asyncapi.mjs");
    for outputs in outputs {
        command
            .arg(outputs.join("asyncapi.yaml"))
            .arg(outputs.join("examples"));
    }
    let output = run(&mut command, "the AsyncAPI parser");
    let results: Vec<Value> = output
        .lines()
        .map(|line| serde_json::from_str(line).expect("the client prints JSON"))
        .collect();
    assert_eq!(results.len(), outputs.len(), "a result per document");
    results
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| item.as_str().expect("a string").to_owned())
        .collect()
}

#[test]
fn every_document_parses_cleanly_and_its_payloads_accept_the_examples() {
    let catalogs = catalogs_with_outputs();
    // A node process a core, each with its share of the documents.
    let results = in_shares_by_core(&catalogs, |share| {
        let outputs: Vec<&Path> = share
            .iter()
            .map(|(_, _, outputs)| outputs.as_path())
            .collect();
        parsed_all(&outputs)
    });
    for ((label, catalog_path, outputs), result) in catalogs.into_iter().zip(results) {
        let compiled = evcat::Builder::new(&catalog_path)
            .compile()
            .unwrap_or_else(|error| panic!("{label}: {error}"));
        let catalog = &compiled.catalog;
        assert_eq!(
            strings(&result["errors"]),
            Vec::<String>::new(),
            "{label}: parser errors"
        );
        assert_eq!(
            strings(&result["warnings"]),
            Vec::<String>::new(),
            "{label}: parser warnings"
        );

        let messages: Vec<(String, String)> = result["messages"]
            .as_array()
            .expect("messages")
            .iter()
            .map(|message| {
                (
                    message["id"].as_str().expect("id").to_owned(),
                    message["name"].as_str().expect("name").to_owned(),
                )
            })
            .collect();
        let expected: Vec<(String, String)> = catalog
            .events()
            .map(|(_, event)| (event.name.clone(), event.wire_name.clone()))
            .collect();
        assert_eq!(
            messages, expected,
            "{label}: a message per event, named by its wire name"
        );

        let examples = std::fs::read_dir(outputs.join("examples"))
            .expect("examples")
            .count();
        let verdicts = result["verdicts"].as_array().expect("verdicts");
        assert_eq!(verdicts.len(), examples, "{label}: every example checked");
        for verdict in verdicts {
            assert_eq!(verdict["valid"], true, "{label}: {verdict}");
        }

        assert_eq!(
            result["yaml"],
            compiled.asyncapi(),
            "{label}: the YAML reads back as the document evcat built"
        );
    }
}

#[test]
fn named_producers_send_and_named_consumers_receive() {
    let fixture = root().join("codegen/tests/fixtures/nevermisscall");
    let compiled = evcat::Builder::new(fixture.join("catalog.md"))
        .compile()
        .expect("the NeverMissCall catalog compiles");
    let result = parsed(&fixture.join("expected"));
    let operations = result["operations"].as_array().expect("operations");
    // The operation's summary names the parties as the catalog writes them.
    let handles = |action: &str, party: &str, event: &str| {
        operations.iter().any(|operation| {
            operation["action"] == action
                && operation["summary"].as_str().is_some_and(|summary| {
                    summary.split("; ").any(|named| summary_names(named, party))
                })
                && strings(&operation["messages"])
                    .iter()
                    .any(|name| name == event)
        })
    };
    let mut checked = 0;
    for (_, event) in compiled.catalog.events() {
        let producer = event
            .producer
            .as_deref()
            .expect("every NeverMissCall event names its producer");
        assert!(
            handles("send", producer, &event.name),
            "{producer} sends {}",
            event.name
        );
        for consumer in &event.consumers {
            assert!(
                handles("receive", consumer, &event.name),
                "{consumer} receives {}",
                event.name
            );
        }
        checked += 1 + event.consumers.len();
    }
    assert!(
        checked > 20,
        "the catalog names its producers and consumers ({checked})"
    );
    let project = parsed(&root().join("generated"));
    for operation in project["operations"].as_array().expect("operations") {
        assert_eq!(
            operation["action"], "send",
            "without named parties, a send per channel"
        );
    }
}

/// Whether a summary's part (`Reporting reads these events.`) names `party`.
fn summary_names(part: &str, party: &str) -> bool {
    part == party
        || part
            .strip_prefix(party)
            .is_some_and(|rest| rest.starts_with(' '))
}
