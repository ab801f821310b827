//! The shared (de)serialization gives what serde's derives give, on the
//! same struct written both ways.

use std::collections::BTreeMap;

use serde::de::value::SeqDeserializer;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// What evcat generates for a payload with a renamed member, an optional
/// one and a nested list.
#[derive(Debug, Clone, PartialEq)]
struct Generated {
    order_id: String,
    kind: String,
    note: Option<String>,
    lines: Vec<BTreeMap<String, u32>>,
}

evcat_runtime::struct_impls! {
    Generated,
    schema = r#"{"type":"object"}"#,
    named = [],
    fields = [
        order_id = "order_id" required,
        kind = "type" required,
        note = "note" optional,
        lines = "lines" required,
    ],
}

/// The same struct as evcat wrote it before, with serde's derives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Derived {
    order_id: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    lines: Vec<BTreeMap<String, u32>>,
}

fn both(
    order_id: &str,
    note: Option<&str>,
    lines: Vec<BTreeMap<String, u32>>,
) -> (Generated, Derived) {
    let note = note.map(str::to_owned);
    (
        Generated {
            order_id: order_id.to_owned(),
            kind: "retail".to_owned(),
            note: note.clone(),
            lines: lines.clone(),
        },
        Derived {
            order_id: order_id.to_owned(),
            kind: "retail".to_owned(),
            note,
            lines,
        },
    )
}

#[test]
fn writes_what_the_derive_writes() {
    let line = BTreeMap::from([("qty".to_owned(), 2)]);
    for (generated, derived) in [
        both("ord_1", None, vec![]),
        both("ord_2", Some("gift"), vec![line.clone(), line]),
        both("\u{2028}\"", Some(""), vec![]),
    ] {
        assert_eq!(
            serde_json::to_string(&generated).unwrap(),
            serde_json::to_string(&derived).unwrap()
        );
        assert_eq!(
            serde_json::to_string_pretty(&generated).unwrap(),
            serde_json::to_string_pretty(&derived).unwrap()
        );
    }
}

#[test]
fn reads_what_the_derive_reads() {
    let accepted = [
        json!({ "order_id": "a", "type": "t", "lines": [] }),
        json!({ "order_id": "a", "type": "t", "note": null, "lines": [] }),
        json!({ "order_id": "a", "type": "t", "note": "n", "lines": [{ "qty": 1 }] }),
        // Members the struct does not have are skipped, whatever they hold.
        json!({ "extra": { "deep": [1, 2, { "x": null }] }, "order_id": "a", "type": "t", "lines": [] }),
    ];
    for value in accepted {
        let text = value.to_string();
        let generated: Generated = serde_json::from_str(&text).expect("generated reads it");
        let derived: Derived = serde_json::from_str(&text).expect("derived reads it");
        let expected = Generated {
            order_id: derived.order_id,
            kind: derived.kind,
            note: derived.note,
            lines: derived.lines,
        };
        assert_eq!(generated, expected, "{text}");
    }
}

#[test]
fn refuses_what_the_derive_refuses_with_the_same_words() {
    let refused = [
        r#"{ "type": "t", "lines": [] }"#,
        r#"{ "order_id": 7, "type": "t", "lines": [] }"#,
        r#"{ "order_id": "a", "order_id": "b", "type": "t", "lines": [] }"#,
        r#"{ "order_id": "a", "type": "t", "lines": [{ "qty": -1 }] }"#,
        r#"["a", "t"]"#,
        r#""a string""#,
        r#"{ "order_id": "a", "type": "t", "lines": [] "#,
    ];
    for text in refused {
        let generated = serde_json::from_str::<Generated>(text).expect_err(text);
        let derived = serde_json::from_str::<Derived>(text).expect_err(text);
        let generated = generated.to_string();
        let derived = derived.to_string();
        // The message and the position agree; only the struct's name in
        // "expected struct …" differs.
        assert_eq!(generated.replace("Generated", "Derived"), derived, "{text}");
    }
}

#[test]
fn reads_structs_written_as_sequences() {
    // Formats such as bincode and postcard write a struct as its members in
    // order, without names.
    let members = vec![json!("ord_1"), json!("retail"), json!("gift"), json!([])];
    let deserializer = SeqDeserializer::<_, serde_json::Error>::new(members.into_iter());
    let generated = Generated::deserialize(deserializer).expect("reads the sequence");
    assert_eq!(generated, both("ord_1", Some("gift"), vec![]).0);
}

/// Every byte of a document deleted or replaced by a character that changes
/// JSON's structure: the shared visitor and serde's derive agree on every
/// result, the value read or the error's words and position.
#[test]
fn agrees_with_the_derive_on_every_mutation_of_a_document() {
    let document = r#"{"order_id":"o-1","type":"retail","note":null,"x":[1,{"y":"z"}],"lines":[{"qty":2},{}]}"#;
    let replacements = [
        "", "\"", "{", "}", "[", "]", ",", ":", "1", "n", " ", "\u{e9}",
    ];
    for position in 0..document.len() {
        for replacement in replacements {
            let mutated = format!(
                "{}{replacement}{}",
                &document[..position],
                &document[position + 1..]
            );
            let generated = serde_json::from_str::<Generated>(&mutated);
            let derived = serde_json::from_str::<Derived>(&mutated);
            match (generated, derived) {
                (Ok(generated), Ok(derived)) => {
                    let derived = Generated {
                        order_id: derived.order_id,
                        kind: derived.kind,
                        note: derived.note,
                        lines: derived.lines,
                    };
                    assert_eq!(generated, derived, "{mutated}");
                }
                (Err(generated), Err(derived)) => assert_eq!(
                    generated.to_string().replace("Generated", "Derived"),
                    derived.to_string(),
                    "{mutated}"
                ),
                (generated, derived) => {
                    panic!("{mutated}: generated {generated:?}, derived {derived:?}")
                }
            }
        }
    }
}

/// A closed struct (`additionalProperties: false`) and one required member
/// that may be `null`, beside the derive that states the same.
#[derive(Debug, Clone, PartialEq)]
struct ClosedGenerated {
    id: String,
    description: Option<String>,
}

evcat_runtime::struct_impls! {
    ClosedGenerated,
    closed,
    schema = r#"{"type":"object"}"#,
    named = [],
    fields = [
        id = "id" required,
        description = "description" nullable,
    ],
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClosedDerived {
    id: String,
    #[serde(deserialize_with = "Deserialize::deserialize")]
    description: Option<String>,
}

#[test]
fn a_closed_struct_refuses_what_deny_unknown_fields_refuses() {
    for (text, valid) in [
        (r#"{"id":"a","description":null}"#, true),
        (r#"{"id":"a","description":"x"}"#, true),
        (r#"{"id":"a","description":null,"extra":1}"#, false),
        (r#"{"id":"a"}"#, false),
    ] {
        let generated = serde_json::from_str::<ClosedGenerated>(text);
        let derived = serde_json::from_str::<ClosedDerived>(text);
        assert_eq!(generated.is_ok(), valid, "{text}: {generated:?}");
        assert_eq!(derived.is_ok(), valid, "{text}: {derived:?}");
        if let (Err(generated), Err(derived)) = (generated, derived) {
            assert_eq!(generated.to_string(), derived.to_string(), "{text}");
        }
    }
}
