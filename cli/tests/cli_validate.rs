//! `evcat validate` on streams: a stream with each kind of finding gets
//! exactly the expected finding per line (`streams/*.expected.*`, refreshed
//! by `UPDATE_EXPECT=1`), and the contract examples in version order are a
//! clean stream.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

mod support;

fn root() -> PathBuf {
    support::workspace_root()
}

fn evcat(args: &[&str], stdin: Option<&[u8]>) -> (Option<i32>, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_evcat"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("evcat runs");
    let mut input = child.stdin.take().expect("stdin");
    input
        .write_all(stdin.unwrap_or_default())
        .expect("stdin written");
    drop(input);
    let output = child.wait_with_output().expect("evcat ends");
    (
        output.status.code(),
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

#[test]
fn a_stream_with_each_kind_of_finding_gets_exactly_those_findings() {
    let stream = "codegen/tests/streams/messaging.ndjson";
    let expected = root().join("codegen/tests/streams");
    let (code, text, stderr) = evcat(
        &["validate", "--catalog", "contracts/catalog.md", stream],
        None,
    );
    assert_eq!(code, Some(1), "findings exit with 1\n{stderr}");
    expect_test::expect_file![expected.join("messaging.expected.txt")].assert_eq(&text);
    let (code, json, _) = evcat(
        &[
            "validate",
            "--catalog",
            "contracts/catalog.md",
            "--format",
            "json",
            stream,
        ],
        None,
    );
    assert_eq!(code, Some(1));
    let document: serde_json::Value = serde_json::from_str(&json).expect("one JSON document");
    expect_test::expect_file![expected.join("messaging.expected.json")]
        .assert_eq(&format!("{document:#}\n"));
    let kinds: Vec<&str> = document["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|finding| finding["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(
        kinds,
        [
            "transition",
            "duplicate",
            "duplicate",
            "conflict",
            "stale",
            "invalid",
            "transition",
            "invalid",
            "invalid",
            "transition"
        ]
    );
}

#[test]
fn the_contract_examples_in_version_order_are_a_clean_stream() {
    let dir = root().join("contracts/examples");
    let mut events: Vec<serde_json::Value> = std::fs::read_dir(dir)
        .expect("examples")
        .map(|entry| {
            serde_json::from_str(
                &std::fs::read_to_string(entry.expect("entry").path()).expect("read"),
            )
            .expect("JSON")
        })
        .collect();
    events.sort_by_key(|event| {
        (
            event["aggregate_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            event["version"].as_u64(),
        )
    });
    let stream: String = events.iter().map(|event| format!("{event}\n")).collect();
    let (code, text, stderr) = evcat(
        &["validate", "--catalog", "contracts/catalog.md", "-"],
        Some(stream.as_bytes()),
    );
    assert_eq!(code, Some(0), "{text}{stderr}");
    assert_eq!(text, "-: 21 events on 21 lines, 0 findings\n");
}

/// JSON text is UTF-8: a line that is not is an `invalid` finding, and the
/// lines after it are checked as usual (CRLF endings and a last line
/// without one included).
#[test]
fn a_line_that_is_not_utf8_is_invalid_and_the_stream_goes_on() {
    let example = root().join("contracts/examples/customer_created.example.json");
    let event: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example).expect("read")).expect("JSON");
    let event = event.to_string();
    let mut stream = b"{\"event_name\": \"Customer\xffCreated\"}\n".to_vec();
    stream.extend_from_slice(format!("{event}\r\n\n{event}").as_bytes());
    let (code, text, stderr) = evcat(
        &["validate", "--catalog", "contracts/catalog.md", "-"],
        Some(&stream),
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        text,
        "-:1: invalid: not JSON: not UTF-8 text (invalid utf-8 sequence of 1 bytes from index 24)\n\
         -:4: duplicate: `event_id` was first seen on line 2\n\
         -: 3 events on 4 lines, 2 findings (invalid: 1, duplicate: 1)\n"
    );
}

#[test]
fn an_unreadable_stream_exits_with_2() {
    let (code, _, stderr) = evcat(
        &[
            "validate",
            "--catalog",
            "contracts/catalog.md",
            "no/such/events.ndjson",
        ],
        None,
    );
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no/such/events.ndjson"), "{stderr}");
}

/// With the CNCF CloudEvents schema as the envelope, an event is the same
/// as another when its `source` and `id` both are: a repeated pair is a
/// duplicate, the same `id` from another `source` is not.
#[test]
fn cloudevents_are_duplicates_by_source_and_id() {
    let (code, text, stderr) = evcat(
        &[
            "validate",
            "--catalog",
            "codegen/tests/fixtures/cloudevents/catalog.md",
            "codegen/tests/streams/cloudevents.ndjson",
        ],
        None,
    );
    assert_eq!(code, Some(1), "findings exit with 1\n{stderr}");
    let expected = root().join("codegen/tests/streams/cloudevents.expected.txt");
    expect_test::expect_file![expected].assert_eq(&text);
    let kinds: Vec<(&str, &str)> = text
        .lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, ':');
            let (_, number, kind) = (parts.next()?, parts.next()?, parts.next()?);
            number
                .bytes()
                .all(|byte| byte.is_ascii_digit())
                .then(|| (number, kind.trim()))
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("4", "duplicate"),
            ("5", "duplicate"),
            ("6", "invalid"),
            ("7", "invalid")
        ],
        "line 2 repeats line 1's `id` from another `source`: not a duplicate"
    );
}

/// A catalog whose `Example:` file breaks its schema checks no stream, and
/// says so after the catalog's errors, so nobody takes silence for a pass.
#[test]
fn a_catalog_with_errors_says_that_no_event_was_checked() {
    let (code, stdout, stderr) = evcat(
        &[
            "validate",
            "--catalog",
            "codegen/tests/errors/example-drift/catalog.md",
            "--envelope",
            "codegen/tests/errors/envelope.schema.json",
            "codegen/tests/streams/cloudevents.ndjson",
        ],
        None,
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("examples/"),
        "the example's error: {stderr}"
    );
    assert!(
        stderr.trim_end().ends_with(
            "nothing in codegen/tests/streams/cloudevents.ndjson was checked: the catalog must be free of errors first"
        ),
        "{stderr}"
    );
}
