//! evcat's benchmarks (`benches/`), the programs the side-by-side scripts
//! run (`examples/`), and what both measure on: synthetic catalogs of any
//! size and synthetic event streams.
//!
//! A package of its own, not published: criterion and its dependencies stay
//! out of the tests' build, where they split `evcat` into two builds (one
//! for `build.rs`, one for the tests) by enabling features of shared
//! dependencies on one side only.
//!
//! The catalog exercises every part of the dialect (families, shared
//! `### A / B` sections, optional fields, declared types, data-model enums,
//! prose bullets); [`SyntheticCatalog::json_schema`] is the same model as one
//! JSON Schema, the input a JSON Schema → Rust generator such as
//! cargo-typify would be given instead.

use std::fmt::Write;

/// Events per family.
const FAMILY_SIZE: usize = 10;

#[derive(Debug, Clone)]
pub struct SyntheticCatalog {
    pub catalog_md: String,
    pub data_model_md: String,
    pub envelope_schema: String,
    /// The envelope and every event as one schema (`oneOf` the events).
    pub json_schema: String,
}

/// What the events of a synthetic catalog carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Every kind of field the dialect has: the family's id, a data-model
    /// enum in every event, an optional text, and a list, an integer or a
    /// date-time in turn. Exercises every backend.
    Mixed,
    /// Three to seven string fields per event (the family's id and up to six
    /// texts), a third of them optional, no enums: the catalog issue 18's
    /// compile-time goals are stated on.
    Strings,
}

/// A catalog of exactly `events` events of the [`Shape::Mixed`] shape.
/// Deterministic: the same count gives the same bytes.
pub fn synthetic_catalog(events: usize) -> SyntheticCatalog {
    synthetic_catalog_shaped(events, Shape::Mixed)
}

/// A catalog of exactly `events` events of the given shape.
/// Deterministic: the same count and shape give the same bytes.
pub fn synthetic_catalog_shaped(events: usize, shape: Shape) -> SyntheticCatalog {
    let mut catalog = String::from("# Synthetic catalog\n\nGenerated for benchmarks.\n");
    let mut data_model = String::from("# Synthetic data model\n\n## Entities\n\n");
    let mut schema_events = Vec::new();
    let families = events.div_ceil(FAMILY_SIZE);
    let mut made = 0;
    for family_index in 0..families {
        let family = format!("Family{family_index}");
        let id = format!("family{family_index}_id");
        match shape {
            Shape::Mixed => {
                let _ = writeln!(
                    data_model,
                    "- {family}: {id}, kind (alpha/beta/gamma/delta), status?"
                );
            }
            Shape::Strings => {
                let _ = writeln!(data_model, "- {family}: {id}");
            }
        }
        let _ = write!(catalog, "\n## {family}\n\nThe {family} aggregate.\n");
        let mut index = 0;
        while index < FAMILY_SIZE && made < events {
            let shared = index % 4 == 3 && index + 1 < FAMILY_SIZE && made + 1 < events;
            let names: Vec<String> = if shared {
                vec![
                    format!("{family}Event{index}"),
                    format!("{family}Event{}", index + 1),
                ]
            } else {
                vec![format!("{family}Event{index}")]
            };
            let fields = match shape {
                Shape::Mixed => fields_of(&id, index),
                Shape::Strings => string_fields_of(&id, index),
            };
            let _ = write!(
                catalog,
                "\n### {}\n- Purpose: Something happened to a {family}, case {index}.\n- Required: {{ {} }}\n- Invariants: Identity (`{id}`) unchanged.\n- Preconditions: The {family} exists.\n- Postconditions: The {family} reflects case {index}.\n",
                names.join(" / "),
                fields.iter().map(|field| field.catalog.as_str()).collect::<Vec<_>>().join(", ")
            );
            for name in &names {
                schema_events.push(event_schema(name, &family, &fields));
            }
            made += names.len();
            index += names.len();
        }
    }
    SyntheticCatalog {
        catalog_md: catalog,
        data_model_md: data_model,
        envelope_schema: ENVELOPE.to_owned(),
        json_schema: whole_schema(&schema_events),
    }
}

struct SyntheticField {
    catalog: String,
    name: String,
    optional: bool,
    schema: String,
}

fn fields_of(id: &str, index: usize) -> Vec<SyntheticField> {
    let field = |catalog: &str, name: &str, optional: bool, schema: &str| SyntheticField {
        catalog: catalog.to_owned(),
        name: name.to_owned(),
        optional,
        schema: schema.to_owned(),
    };
    let mut fields = vec![
        field(id, id, false, r#"{"type":"string","minLength":1}"#),
        field(
            "kind",
            "kind",
            false,
            r#"{"enum":["alpha","beta","gamma","delta"]}"#,
        ),
        field("reason?", "reason", true, r#"{"type":"string"}"#),
    ];
    match index % 3 {
        0 => fields.push(field(
            "changed_fields",
            "changed_fields",
            false,
            r#"{"type":"array","items":{"type":"string"}}"#,
        )),
        1 => fields.push(field(
            "seats: integer",
            "seats",
            false,
            r#"{"type":"integer"}"#,
        )),
        _ => fields.push(field(
            "happened_at",
            "happened_at",
            false,
            r#"{"type":"string","format":"date-time"}"#,
        )),
    }
    fields
}

/// The family's id, then two to six texts (three to seven fields in turn);
/// every third field is optional.
fn string_fields_of(id: &str, index: usize) -> Vec<SyntheticField> {
    let mut fields = vec![SyntheticField {
        catalog: id.to_owned(),
        name: id.to_owned(),
        optional: false,
        schema: r#"{"type":"string","minLength":1}"#.to_owned(),
    }];
    for position in 1..3 + index % 5 {
        let name = format!("text_{position}");
        let optional = position % 3 == 2;
        fields.push(SyntheticField {
            catalog: if optional {
                format!("{name}?")
            } else {
                name.clone()
            },
            name,
            optional,
            schema: r#"{"type":"string"}"#.to_owned(),
        });
    }
    fields
}

fn event_schema(name: &str, family: &str, fields: &[SyntheticField]) -> (String, String) {
    let properties: Vec<String> = fields
        .iter()
        .map(|field| format!("\"{}\":{}", field.name, field.schema))
        .collect();
    let required: Vec<String> = fields
        .iter()
        .filter(|field| !field.optional)
        .map(|field| format!("\"{}\"", field.name))
        .collect();
    let schema = format!(
        r#"{{"type":"object","required":["event_name","aggregate_type","payload"],"properties":{{"event_name":{{"const":"{name}"}},"aggregate_type":{{"const":"{family}"}},"payload":{{"type":"object","required":[{}],"properties":{{{}}}}}}}}}"#,
        required.join(","),
        properties.join(",")
    );
    (name.to_owned(), schema)
}

fn whole_schema(events: &[(String, String)]) -> String {
    let definitions: Vec<String> = events
        .iter()
        .map(|(name, schema)| format!("\"{name}\":{schema}"))
        .collect();
    let one_of: Vec<String> = events
        .iter()
        .map(|(name, _)| format!(r##"{{"$ref":"#/definitions/{name}"}}"##))
        .collect();
    format!(
        r#"{{"$schema":"http://json-schema.org/draft-07/schema#","title":"DomainEvent","oneOf":[{}],"definitions":{{{}}}}}"#,
        one_of.join(","),
        definitions.join(",")
    )
}

const ENVELOPE: &str = r#"{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "required": ["event_name", "event_id", "aggregate_type", "aggregate_id", "occurred_at", "actor", "version", "payload"],
  "properties": {
    "event_name": { "type": "string" },
    "event_id": { "type": "string", "minLength": 1 },
    "aggregate_type": { "type": "string" },
    "aggregate_id": { "type": "string", "minLength": 1 },
    "occurred_at": { "type": "string", "format": "date-time" },
    "actor": { "type": "string", "minLength": 1 },
    "version": { "type": "integer", "minimum": 1 },
    "idempotency_key": { "type": "string", "minLength": 1 },
    "payload": { "type": "object" }
  }
}
"#;

/// Valid, distinct envelopes of a compiled synthetic catalog, without end:
/// its synthesized examples in turn, each with its own event id and its own
/// aggregate (so no line is a duplicate, a conflict or a lifecycle step of
/// another). What the stream checker is measured on.
pub fn distinct_stream(compiled: &evcat::Compiled) -> impl Iterator<Item = serde_json::Value> + '_ {
    let examples = &compiled.examples;
    let own_ids: Vec<&str> = compiled
        .catalog
        .events()
        .map(|(_, event)| event.own_id.as_str())
        .collect();
    (0..).map(move |index| {
        let turn = index % examples.len();
        let mut event = examples[turn].1.clone();
        let aggregate = serde_json::Value::from(format!("agg-{index}"));
        event["event_id"] = serde_json::Value::from(format!("01JE{index:022}"));
        if event.get("aggregate_id").is_some() {
            event["aggregate_id"] = aggregate.clone();
        }
        if event["payload"].get(own_ids[turn]).is_some() {
            event["payload"][own_ids[turn]] = aggregate;
        }
        if let Some(object) = event.as_object_mut() {
            object.remove("idempotency_key");
        }
        event
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(shape: Shape, events: usize) -> evcat::ir::Catalog {
        let dir = tempfile::tempdir().expect("temporary folder");
        let synthetic = synthetic_catalog_shaped(events, shape);
        for (name, contents) in [
            ("catalog.md", &synthetic.catalog_md),
            ("data-model.md", &synthetic.data_model_md),
            ("envelope.schema.json", &synthetic.envelope_schema),
        ] {
            std::fs::write(dir.path().join(name), contents).expect("write");
        }
        evcat::Builder::new(dir.path().join("catalog.md"))
            .compile()
            .unwrap_or_else(|error| panic!("{shape:?} catalogs compile: {error}"))
            .catalog
    }

    #[test]
    fn the_strings_shape_is_the_one_issue_18_states() {
        let catalog = compiled(Shape::Strings, 95);
        assert_eq!(catalog.events().count(), 95);
        assert!(catalog.enums.is_empty(), "no enums");
        let fields: Vec<_> = catalog
            .events()
            .flat_map(|(_, event)| &event.fields)
            .collect();
        for (_, event) in catalog.events() {
            assert!((3..=7).contains(&event.fields.len()), "{}", event.name);
            assert!(!event.docs.invariants.is_empty());
        }
        assert!(fields.iter().all(|field| field.ty.is_text()));
        let optional = fields.iter().filter(|field| field.optional).count();
        let third = fields.len() as f64 / 3.0;
        assert!(
            (optional as f64 - third).abs() < third * 0.25,
            "{optional} of {} optional",
            fields.len()
        );
    }

    #[test]
    fn the_mixed_shape_has_an_enum_per_event() {
        let catalog = compiled(Shape::Mixed, 20);
        assert_eq!(catalog.events().count(), 20);
        assert!(!catalog.enums.is_empty());
    }
}
