//! The fast path and the `Value` path must reach the same verdict and the
//! same facts on every line: the fast path only ever says "valid", so a
//! line it wrongly accepted would lose its `invalid` finding.

use serde_json::{json, Map, Value};

use super::facts::Facts;
use super::plan::Plan;
use super::scan::scan;
use crate::check::{instance_problems, ValueChecker};
use crate::ir::Catalog;

fn catalog(fixture: &str) -> Catalog {
    let path = format!("{}/{fixture}", env!("CARGO_MANIFEST_DIR"));
    compile(crate::Builder::new(path))
}

fn compile(builder: crate::Builder) -> Catalog {
    builder.compile().expect("the fixture compiles").catalog
}

/// The `Value` path's verdict: the facts of a valid line, `None` otherwise.
fn slow<'v>(
    catalog: &Catalog,
    checker: &ValueChecker<'_>,
    plan: &Plan<'_>,
    value: &'v Value,
) -> Option<Facts<'v>> {
    match instance_problems(catalog, checker, value) {
        (Some((_, event)), problems) if problems.is_empty() => {
            let index = plan
                .event_index(&event.wire_name)
                .expect("every event has a plan");
            Some(Facts::from_value(plan, index, value))
        }
        _ => None,
    }
}

/// Both paths' verdicts on one line, `(fast, value)`: whether each found
/// it valid. Where the fast path accepts, the `Value` path must accept
/// with the same facts.
fn verdicts(
    catalog: &Catalog,
    checker: &ValueChecker<'_>,
    plan: &Plan<'_>,
    line: &str,
) -> (bool, bool) {
    let value: Option<Value> = serde_json::from_str(line).ok();
    let expected = value
        .as_ref()
        .and_then(|value| slow(catalog, checker, plan, value));
    let fast = scan(plan, line, |_| {});
    if let Some(fast) = &fast {
        assert_eq!(Some(fast), expected.as_ref(), "{line}");
    }
    (fast.is_some(), expected.is_some())
}

/// Values that break, or keep, the rules of most field types.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(7),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("x"),
        json!("2025-13-01T00:00:00Z"),
        json!("2024-02-29T10:00:00Z"),
        json!("2025-01-01T00:00:00+01:00"),
        json!("0f8fad5b-d9cb-469f-a165-70867728950e"),
        json!("01JE0000000000000000000099"),
        json!("open"),
        json!("closed"),
        json!("ConversationCreated"),
        json!("Conversation"),
        json!(["a", "b"]),
        json!([1]),
        json!({}),
        json!({"nested": [1, {"deep": null}]}),
    ]
}

/// Every line made from an instance: each field removed or replaced, keys
/// in reverse order, unknown keys, and escaped strings.
fn variants(instance: &Value) -> Vec<String> {
    let object = instance.as_object().expect("an envelope object");
    let mut lines = vec![instance.to_string()];
    let reversed: Map<String, Value> = object
        .iter()
        .rev()
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    lines.push(Value::Object(reversed).to_string());
    let mut with_unknown = object.clone();
    with_unknown.insert("x_unknown".into(), json!({"a": [1, 2]}));
    with_unknown["payload"]
        .as_object_mut()
        .map(|payload| payload.insert("x_unknown".into(), json!(null)));
    lines.push(Value::Object(with_unknown).to_string());
    // Whitespace between every token, and keys spelled with an escape.
    lines.push(
        serde_json::to_string_pretty(instance)
            .expect("JSON")
            .replace('\n', " \t"),
    );
    for key in object.keys() {
        if let Some((first, rest)) = key.split_at_checked(1) {
            let escaped = format!("\"\\u{:04x}{rest}\":", u32::from(first.as_bytes()[0]));
            lines.push(
                instance
                    .to_string()
                    .replacen(&format!("\"{key}\":"), &escaped, 1),
            );
        }
    }
    // Numbers spelled in every way JSON allows, and some it does not.
    if let Some(version) = object.get("version") {
        let field = format!("\"version\":{version}");
        for spelling in [
            "1.0",
            "-0",
            "1e0",
            "10E-1",
            "01",
            "1.",
            "+1",
            "-1",
            "2",
            "99999999999999999999",
        ] {
            let line = instance
                .to_string()
                .replacen(&field, &format!("\"version\":{spelling}"), 1);
            lines.push(line);
        }
    }
    let mut paths: Vec<(Option<&str>, &str)> =
        object.keys().map(|key| (None, key.as_str())).collect();
    if let Some(payload) = object.get("payload").and_then(Value::as_object) {
        paths.extend(payload.keys().map(|key| (Some("payload"), key.as_str())));
    }
    for (parent, key) in paths {
        let mut changed = instance.clone();
        let target = match parent {
            Some(parent) => &mut changed[parent],
            None => &mut changed,
        };
        let target = target.as_object_mut().expect("an object");
        let original = target.remove(key).expect("present");
        lines.push(changed.to_string());
        for replacement in replacements() {
            let mut changed = instance.clone();
            let slot = match parent {
                Some(parent) => &mut changed[parent][key],
                None => &mut changed[key],
            };
            *slot = replacement;
            lines.push(changed.to_string());
        }
        if let Some(text) = original.as_str() {
            // The same string with an escape: read as an owned string.
            let escaped = instance.to_string().replacen(
                &format!("\"{key}\":{}", Value::from(text)),
                &format!("\"{key}\":{}", escape_first(text)),
                1,
            );
            lines.push(escaped);
        }
    }
    lines
}

fn escape_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("\"\\u{:04x}{}\"", u32::from(first), chars.as_str()),
        None => "\"\"".to_owned(),
    }
}

fn assert_paths_agree(fixture: &str) {
    let catalog = catalog(fixture);
    let examples = crate::emit::examples::synthesize(&catalog).expect("examples");
    assert_paths_agree_on(fixture, &catalog, &examples, 3);
}

/// `fewest`: lines per example the fast path must accept at least.
fn assert_paths_agree_on(
    fixture: &str,
    catalog: &Catalog,
    examples: &[(String, Value)],
    fewest: usize,
) {
    let plan = Plan::new(catalog);
    let checker = ValueChecker::new(catalog);
    let mut accepted = 0;
    let mut lines = 0;
    for (_, example) in examples {
        for line in variants(example) {
            lines += 1;
            let (fast, value) = verdicts(catalog, &checker, &plan, &line);
            accepted += usize::from(fast);
            // Only keys given twice and integers past 64 bits are left to
            // the `Value` path when valid.
            let left = line.contains("99999999999999999999");
            assert!(left || fast == value, "{fixture}: {line}");
        }
    }
    eprintln!("{fixture}: the fast path accepted {accepted} of {lines} lines");
    assert!(
        accepted > examples.len() * fewest,
        "{fixture}: {accepted} of {lines}"
    );
    assert!(accepted < lines / 2, "{fixture}: {accepted} of {lines}");
}

#[test]
fn paths_agree_on_the_project_catalog() {
    assert_paths_agree("../contracts/catalog.md");
}

#[test]
fn paths_agree_on_a_closed_2020_12_envelope() {
    assert_paths_agree("tests/fixtures/envelope-2020-12/catalog.md");
}

#[test]
fn paths_agree_on_the_nevermisscall_dialect() {
    assert_paths_agree("tests/fixtures/nevermisscall/catalog.md");
}

/// The fast path checks an event's name and family against the envelope
/// once, in the plan: an envelope that refuses some of them must make
/// those events invalid there too. A catalog whose examples break its
/// envelope does not compile, so the envelope is narrowed in the IR.
#[test]
fn paths_agree_when_the_envelope_refuses_some_names_and_families() {
    let mut catalog = catalog("../contracts/catalog.md");
    let examples = crate::emit::examples::synthesize(&catalog).expect("examples");
    for field in &mut catalog.envelope.fields {
        match field.name.as_str() {
            // Only Customer and Conversation events by name…
            "event_name" => field.rules.pattern = Some("^(Customer|Conversation)[A-Za-z]*$".into()),
            // …and no family longer than `Customer`.
            "aggregate_type" => field.rules.max_length = Some(8),
            _ => {}
        }
    }
    let plan = Plan::new(&catalog);
    let fitting: Vec<&str> = plan
        .events
        .iter()
        .filter(|event| event.fits_envelope)
        .map(|event| event.name)
        .collect();
    assert!(!fitting.is_empty());
    assert!(
        fitting.iter().all(|name| name.starts_with("Customer")),
        "{fitting:?}"
    );
    assert_paths_agree_on("a narrowed envelope", &catalog, &examples, 0);
}

#[test]
fn keys_given_twice_and_trailing_text_go_to_the_value_path() {
    let catalog = catalog("../contracts/catalog.md");
    let plan = Plan::new(&catalog);
    let examples = crate::emit::examples::synthesize(&catalog).expect("examples");
    let line = examples[0].1.to_string();
    assert!(scan(&plan, &line, |_| {}).is_some());
    let twice = line.replacen('{', r#"{"event_id":"01JE0000000000000000000098","#, 1);
    assert!(scan(&plan, &twice, |_| {}).is_none());
    assert!(scan(&plan, &format!("{line} x"), |_| {}).is_none());
    assert!(scan(&plan, &line[..line.len() - 1], |_| {}).is_none());
}

/// Lines near valid ones, each character deleted or replaced: whatever the
/// fast path accepts, the `Value` path accepts with the same facts.
#[test]
fn the_fast_path_accepts_nothing_the_value_path_refuses() {
    let catalog = catalog("../contracts/catalog.md");
    let plan = Plan::new(&catalog);
    let checker = ValueChecker::new(&catalog);
    let examples = crate::emit::examples::synthesize(&catalog).expect("examples");
    let replacements = [
        '"', '\\', '{', '}', '[', ']', ':', ',', ' ', '0', '9', '-', '.', 'e', 'x', 'é', '\u{1}',
    ];
    let (mut accepted, mut lines) = (0, 0);
    for (_, example) in examples.iter().take(6) {
        let chars: Vec<char> = example.to_string().chars().collect();
        for at in 0..chars.len() {
            let mut near = vec![chars[..at]
                .iter()
                .chain(&chars[at + 1..])
                .collect::<String>()];
            for replacement in replacements {
                let mut changed = chars.clone();
                changed[at] = replacement;
                near.push(changed.into_iter().collect());
            }
            for line in near {
                lines += 1;
                let (fast, _) = verdicts(&catalog, &checker, &plan, &line);
                accepted += usize::from(fast);
            }
        }
    }
    eprintln!("the fast path accepted {accepted} of {lines} lines near examples");
    assert!(
        accepted > 100 && accepted < lines / 2,
        "{accepted} of {lines}"
    );
}

/// `evcat validate` guesses a stream's length from its first lines; a wild
/// guess must not claim more than a bounded table.
#[test]
fn a_wild_guess_of_the_stream_length_claims_bounded_memory() {
    let catalog = catalog("../contracts/catalog.md");
    let examples = crate::emit::examples::synthesize(&catalog).expect("examples");
    let mut checker = super::StreamChecker::new(&catalog);
    checker.expect_events(usize::MAX);
    let line = examples[0].1.to_string();
    assert_eq!(checker.check_line(1, &line), None);
    let again = checker.check_line(2, &line).expect("a redelivery");
    assert_eq!(again.kind, super::FindingKind::Duplicate);
}

/// What a window forgets: after `forget_before(n)`, lines before `n` no
/// longer make a redelivery, a conflict or a lifecycle step; lines from `n`
/// on still do. Positions counted as offsets are worded so.
#[test]
fn a_window_forgets_what_came_before_it() {
    use super::{FindingKind, Positions, StreamChecker};
    let catalog = compile(crate::Builder::new(format!(
        "{}/../contracts/catalog.md",
        env!("CARGO_MANIFEST_DIR")
    )));
    let stream = std::fs::read_to_string(format!(
        "{}/tests/streams/messaging.ndjson",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("the stream");
    let lines: Vec<&str> = stream.lines().collect();
    let kinds = |checker: &mut StreamChecker<'_>, from: usize| -> Vec<Option<FindingKind>> {
        (from..lines.len())
            .map(|index| {
                checker
                    .check_line(index, lines[index])
                    .map(|finding| finding.kind)
            })
            .collect()
    };
    // Every line remembered: the findings the file run gives.
    let mut whole = StreamChecker::new(&catalog).counting(Positions::Offsets);
    let all = kinds(&mut whole, 0);
    assert!(all.iter().flatten().count() >= 8, "{all:?}");
    // Lines 0..3 forgotten before line 3: line 3 (a redelivery of line 0)
    // is no duplicate any more.
    let mut windowed = StreamChecker::new(&catalog).counting(Positions::Offsets);
    for (index, line) in lines.iter().enumerate().take(3) {
        windowed.check_line(index, line);
    }
    windowed.forget_before(3);
    let after = kinds(&mut windowed, 3);
    assert_eq!(all[3], Some(FindingKind::Duplicate));
    assert_eq!(after[0], None, "line 3 compared with forgotten lines");
    // What came from line 3 on is still judged as in the whole run.
    assert_eq!(&after[3..], &all[6..]);
    let duplicate = whole
        .check_line(99, lines[3])
        .expect("a redelivery of a remembered line");
    assert!(
        duplicate.message.contains("at offset 0"),
        "{}",
        duplicate.message
    );
    assert_eq!(whole.aggregate(), Some(("Conversation", "cnv_1")));
}
