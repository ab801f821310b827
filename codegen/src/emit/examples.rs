//! Synthesized example envelopes: one per event, written to
//! `examples/<EventName>.example.json`, so every event has an example that
//! the Rust types, AJV and python-jsonschema all accept.
//!
//! A field takes the first value that satisfies its rules among the schema's
//! `examples` annotation and a default for its type. When none does (a
//! `pattern` no default can match), the author is asked for an `examples` value.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use regex::Regex;
use serde_json::{json, Map, Number, Value};

use super::GeneratedFile;
use crate::diagnostics::Diagnostic;
use crate::ir::{Catalog, Event, Family, Field, FieldType, Rules, Scalar};

/// A timestamp that satisfies RFC 3339 and the usual "UTC with Z" patterns.
const TIMESTAMP: &str = "2025-11-05T14:00:00Z";
const UUID: &str = "6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d";

pub fn generate(catalog: &Catalog) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    let examples = synthesize(catalog)?;
    Ok(examples
        .into_iter()
        .map(|(name, example)| {
            let mut contents =
                serde_json::to_string_pretty(&example).expect("JSON values serialize");
            contents.push('\n');
            GeneratedFile {
                path: format!("examples/{name}.example.json"),
                contents,
            }
        })
        .collect())
}

/// One example envelope per event, in catalog order.
pub fn synthesize(catalog: &Catalog) -> Result<Vec<(String, Value)>, Vec<Diagnostic>> {
    let synthesizer = Synthesizer::new(catalog);
    let mut errors = Vec::new();
    let mut examples = Vec::new();
    for (family, event) in catalog.events() {
        match synthesizer.example(family, event) {
            Ok(example) => examples.push((event.name.clone(), example)),
            Err(error) if !errors.contains(&*error) => errors.push(*error),
            Err(_) => {}
        }
    }
    if errors.is_empty() {
        Ok(examples)
    } else {
        Err(errors)
    }
}

struct Synthesizer<'a> {
    catalog: &'a Catalog,
    /// Every `pattern` of the envelope, compiled once.
    patterns: BTreeMap<&'a str, Regex>,
    date_time: Regex,
    uuid: Regex,
}

impl<'a> Synthesizer<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        let patterns = catalog
            .envelope
            .fields
            .iter()
            .filter_map(|field| field.rules.pattern.as_deref())
            .filter_map(|pattern| Regex::new(pattern).ok().map(|regex| (pattern, regex)))
            .collect();
        Self {
            catalog,
            patterns,
            date_time: Regex::new(
                r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$",
            )
            .expect("valid"),
            uuid: Regex::new(
                r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
            )
            .expect("valid"),
        }
    }

    fn example(&self, family: &Family, event: &Event) -> Result<Value, Box<Diagnostic>> {
        let mut payload = Map::new();
        for field in &event.fields {
            payload.insert(field.name.clone(), self.value_for(field, None)?);
        }
        let aggregate_id = payload
            .get(&format!("{}_id", family.name.to_snake_case()))
            .cloned();
        let envelope = &self.catalog.envelope;
        let mut object = Map::new();
        for (index, field) in envelope.fields.iter().enumerate() {
            if index == envelope.payload_position {
                object.insert("payload".into(), Value::Object(payload.clone()));
            }
            // The envelope's conventions: the event's name and family, the aggregate's id.
            let known = if field.name == envelope.discriminator {
                Some(json!(event.name))
            } else if field.name == "aggregate_type" {
                Some(json!(family.name))
            } else if field.name == "aggregate_id" {
                aggregate_id.clone()
            } else {
                None
            };
            object.insert(field.name.clone(), self.value_for(field, known)?);
        }
        if envelope.payload_position == envelope.fields.len() {
            object.insert("payload".into(), Value::Object(payload));
        }
        Ok(Value::Object(object))
    }

    fn value_for(&self, field: &Field, known: Option<Value>) -> Result<Value, Box<Diagnostic>> {
        let default = default_value(self.catalog, &field.name, &field.ty, &field.rules);
        let mut candidates = known
            .into_iter()
            .chain(field.examples.iter().cloned())
            .chain([default]);
        candidates
            .find(|candidate| self.satisfies(&field.ty, &field.rules, candidate))
            .ok_or_else(|| {
                let message = format!(
                    "cannot make up an example value for `{}` that satisfies its schema",
                    field.name
                );
                let help = "add a matching value to the property: `\"examples\": [\"…\"]`";
                Box::new(Diagnostic::error(field.span, message).with_help(help))
            })
    }

    /// Whether a value meets the field's type and rules as a validator
    /// checks the keywords evcat writes.
    fn satisfies(&self, ty: &FieldType, rules: &Rules, value: &Value) -> bool {
        let typed = match (ty, value) {
            (FieldType::Scalar(Scalar::Integer), Value::Number(number)) => {
                number.is_i64() || number.is_u64()
            }
            (FieldType::Scalar(Scalar::Number), Value::Number(_))
            | (FieldType::Scalar(Scalar::Boolean), Value::Bool(_)) => true,
            (FieldType::Scalar(Scalar::Id), Value::String(text)) => !text.is_empty(),
            (FieldType::Scalar(Scalar::Uuid), Value::String(text)) => self.uuid.is_match(text),
            (FieldType::Scalar(Scalar::Timestamp), Value::String(text)) => {
                self.date_time.is_match(text)
            }
            (FieldType::Scalar(Scalar::String), Value::String(_))
            | (FieldType::Object, Value::Object(_)) => true,
            (FieldType::Array(item), Value::Array(items)) => items
                .iter()
                .all(|element| self.satisfies(item, &Rules::default(), element)),
            (FieldType::Enum(id), Value::String(text)) => self
                .catalog
                .enum_type(*id)
                .variants
                .iter()
                .any(|variant| &variant.value == text),
            _ => false,
        };
        typed && self.meets_rules(rules, value)
    }

    fn meets_rules(&self, rules: &Rules, value: &Value) -> bool {
        match value {
            Value::String(text) => {
                let length = text.chars().count() as u64;
                let format_ok = match rules.format.as_deref() {
                    Some("date-time") => self.date_time.is_match(text),
                    Some("uuid") => self.uuid.is_match(text),
                    _ => true,
                };
                let pattern_ok = rules.pattern.as_deref().is_none_or(|pattern| {
                    self.patterns
                        .get(pattern)
                        .is_some_and(|regex| regex.is_match(text))
                });
                format_ok
                    && pattern_ok
                    && rules.min_length.is_none_or(|min| length >= min)
                    && rules.max_length.is_none_or(|max| length <= max)
            }
            Value::Number(number) => {
                let limit = |limit: &Number| limit.as_f64().unwrap_or(0.0);
                let actual = number.as_f64().unwrap_or(0.0);
                rules
                    .minimum
                    .as_ref()
                    .is_none_or(|min| actual >= limit(min))
                    && rules
                        .maximum
                        .as_ref()
                        .is_none_or(|max| actual <= limit(max))
            }
            _ => true,
        }
    }
}

fn default_value(catalog: &Catalog, name: &str, ty: &FieldType, rules: &Rules) -> Value {
    match ty {
        FieldType::Scalar(Scalar::String) => json!(format!("example {name}")),
        FieldType::Scalar(Scalar::Id) => json!(format!(
            "{}-0001",
            name.trim_end_matches("_ids").trim_end_matches("_id")
        )),
        FieldType::Scalar(Scalar::Uuid) => json!(UUID),
        FieldType::Scalar(Scalar::Timestamp) => json!(TIMESTAMP),
        FieldType::Scalar(Scalar::Integer) => rules.minimum.clone().map_or(json!(1), Value::Number),
        FieldType::Scalar(Scalar::Number) => {
            rules.minimum.clone().map_or(json!(1.5), Value::Number)
        }
        FieldType::Scalar(Scalar::Boolean) => json!(true),
        FieldType::Object => json!({}),
        FieldType::Array(item) => json!([default_value(catalog, name, item, &Rules::default())]),
        FieldType::Enum(id) => json!(catalog.enum_type(*id).variants[0].value),
    }
}
