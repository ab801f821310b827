//! Synthesized example envelopes: one per event, written to
//! `examples/<EventName>.example.json`, so every event has an example that
//! the Rust types, AJV and python-jsonschema all accept.
//!
//! A field takes the first value that satisfies its rules among the schema's
//! `examples` annotation, a sample of its `format`, a default for its type
//! and a value built from its `pattern` within its lengths. When none does,
//! the error says which rules contradict each other.

mod pattern;
mod strings;

use std::cell::RefCell;

use serde_json::{json, Map, Value};

use super::GeneratedFile;
use crate::check::ValueChecker;
use crate::diagnostics::{Diagnostic, Rule};
use crate::ir::{
    Catalog, Convention, Envelope, Event, Family, Field, FieldType, MemberPath, Rules, Scalar,
    StructId,
};

/// A timestamp that satisfies RFC 3339 and the usual "UTC with Z" patterns.
const TIMESTAMP: &str = "2025-11-05T14:00:00Z";
const UUID: &str = "6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d";

/// The example files: each synthesized example (see [`synthesize`]), then
/// the catalog's own full examples.
pub fn files(catalog: &Catalog, synthesized: &[(String, Value)]) -> Vec<GeneratedFile> {
    let file = |path: String, example: &Value| {
        let mut contents = serde_json::to_string_pretty(example).expect("JSON values serialize");
        contents.push('\n');
        GeneratedFile { path, contents }
    };
    let mut files: Vec<GeneratedFile> = synthesized
        .iter()
        .map(|(name, example)| file(format!("examples/{name}.example.json"), example))
        .collect();
    // The catalog's own full examples (the JSON dialect's examples section),
    // as files consumers and tests use like the synthesized ones.
    for (_, event) in catalog.events() {
        let values = event
            .inline_examples
            .iter()
            .filter_map(|example| example.value.as_ref());
        for (index, value) in values.enumerate() {
            files.push(file(
                format!("examples/{}.catalog-{}.example.json", event.name, index + 1),
                value,
            ));
        }
    }
    files
}

/// One example envelope per event, in catalog order.
pub fn synthesize(catalog: &Catalog) -> Result<Vec<(String, Value)>, Vec<Diagnostic>> {
    let synthesizer = Synthesizer::new(catalog);
    let mut errors = Vec::new();
    let mut examples = Vec::new();
    for (family, event) in catalog.events() {
        match synthesizer.example(family, event) {
            Ok(example) => examples.push((event.name.clone(), example)),
            Err(found) => {
                for error in found {
                    if !errors.contains(&error) {
                        errors.push(error);
                    }
                }
            }
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
    checker: ValueChecker<'a>,
    /// The object types being built, outermost first: a type met again
    /// inside itself ends there (an empty array, an absent optional field).
    building: RefCell<Vec<StructId>>,
}

impl<'a> Synthesizer<'a> {
    fn new(catalog: &'a Catalog) -> Self {
        Self {
            catalog,
            checker: ValueChecker::new(catalog),
            building: RefCell::new(Vec::new()),
        }
    }

    /// The event's example, or every field no value was found for.
    fn example(&self, family: &Family, event: &Event) -> Result<Value, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut value_for = |field: &Field, known: Option<Value>| {
            self.value_for(field, known).unwrap_or_else(|error| {
                errors.push(*error);
                Value::Null
            })
        };
        let mut payload = Map::new();
        for field in &event.fields {
            payload.insert(field.name.clone(), value_for(field, None));
        }
        let aggregate_id = payload.get(&event.own_id).cloned();
        let envelope = &self.catalog.envelope;
        let roles = &envelope.roles;
        // What the roles say: the event's name and family, the aggregate's id.
        let mut known: Vec<(&MemberPath, Value)> =
            vec![(&envelope.discriminator, json!(event.wire_name))];
        known.extend(
            roles
                .aggregate_type
                .iter()
                .map(|path| (path, json!(family.name))),
        );
        known.extend(roles.aggregate_id.iter().zip(aggregate_id));
        let mut object =
            self.envelope_object(&envelope.fields, &[], &known, &mut payload, &mut value_for);
        if envelope.payload.is_none() {
            // Flat events: the event's fields after the envelope's.
            object.extend(payload);
        }
        if errors.is_empty() {
            Ok(Value::Object(object))
        } else {
            Err(errors)
        }
    }

    fn value_for(&self, field: &Field, known: Option<Value>) -> Result<Value, Box<Diagnostic>> {
        if let Some(built) = self.structured(&field.ty) {
            // As many items as `minItems` asks.
            return built.map(|value| match (value, field.rules.min_items) {
                (Value::Array(items), Some(min))
                    if !items.is_empty() && min as usize > items.len() =>
                {
                    Value::Array(vec![items[0].clone(); min as usize])
                }
                (value, _) => value,
            });
        }
        let default = default_value(self.catalog, &field.name, &field.ty, &field.rules);
        let is_text = field.ty.is_text();
        let sample = is_text
            .then(|| strings::format_sample(&field.rules))
            .flatten();
        // Built only when the cheaper candidates fail: building from a
        // pattern compiles it.
        let built = std::iter::once(()).flat_map(|()| {
            if is_text {
                strings::built(&field.rules, default.as_str().unwrap_or_default())
            } else {
                numbers(&field.rules)
            }
        });
        // An array of the one item, as many times as `minItems` asks.
        let padded = match (&default, field.rules.min_items) {
            (Value::Array(items), Some(min)) if !items.is_empty() && min as usize > items.len() => {
                Some(Value::Array(vec![items[0].clone(); min as usize]))
            }
            _ => None,
        };
        // A known format's sample goes before the type's default, which
        // knows nothing of formats.
        let mut candidates = known
            .into_iter()
            .chain(field.examples.iter().cloned())
            .chain(field.rules.values.iter().flatten().cloned())
            .chain(sample)
            .chain([default.clone()])
            .chain(padded)
            .chain(built);
        candidates
            .find(|candidate| self.checker.problem(field, candidate).is_none())
            .ok_or_else(|| {
                let conflict = if is_text {
                    strings::conflict(&field.rules)
                } else {
                    numbers_conflict(&field.rules)
                };
                let diagnostic = match conflict {
                    Some(conflict) => Rule::Example.error(
                        field.span,
                        format!("the rules of `{}` contradict each other: {conflict}", field.name),
                    )
                    .with_help("no value can satisfy all of them: change one"),
                    None => Rule::Example.error(
                        field.span,
                        format!(
                            "cannot make up an example value for `{}` that satisfies all of its rules",
                            field.name
                        ),
                    )
                    .with_help("add a value that satisfies every rule to the property: `\"examples\": [\"…\"]`"),
                };
                Box::new(diagnostic)
            })
    }
}

impl Synthesizer<'_> {
    /// One object of the envelope (`at` its keys from the root), with the
    /// values the roles fix, and the payload where it sits.
    fn envelope_object(
        &self,
        fields: &[Field],
        at: &[String],
        known: &[(&MemberPath, Value)],
        payload: &mut Map<String, Value>,
        value_for: &mut dyn FnMut(&Field, Option<Value>) -> Value,
    ) -> Map<String, Value> {
        let envelope = &self.catalog.envelope;
        let holds_payload = envelope
            .payload
            .as_ref()
            .filter(|path| path.parents() == at);
        let mut object = Map::new();
        for (index, field) in fields.iter().enumerate() {
            if let (true, Some(path)) = (index == envelope.payload_position, holds_payload) {
                object.insert(path.key().to_owned(), Value::Object(payload.clone()));
            }
            if field.optional && left_out(envelope, field) {
                continue;
            }
            let mut path = at.to_vec();
            path.push(field.name.clone());
            if let FieldType::Struct(id) = field.ty {
                let nested = self.catalog.struct_type(id);
                if nested.envelope {
                    let inner =
                        self.envelope_object(&nested.fields, &path, known, payload, value_for);
                    object.insert(field.name.clone(), Value::Object(inner));
                    continue;
                }
            }
            let fixed = known
                .iter()
                .find(|(role, _)| role.keys() == path.as_slice())
                .map(|(_, value)| value.clone());
            let fixed = fixed.or_else(|| {
                at.is_empty()
                    .then(|| conventional_value(envelope, field))
                    .flatten()
            });
            object.insert(field.name.clone(), value_for(field, fixed));
        }
        if let (true, Some(path)) = (envelope.payload_position >= fields.len(), holds_payload) {
            object.insert(
                path.key().to_owned(),
                Value::Object(std::mem::take(payload)),
            );
        }
        object
    }

    /// A nested object, or an array of one item, built field by field with
    /// each field's own rules; `None` for other types.
    fn structured(&self, ty: &FieldType) -> Option<Result<Value, Box<Diagnostic>>> {
        match ty {
            FieldType::Struct(id) => {
                self.building.borrow_mut().push(*id);
                let mut object = Map::new();
                let mut failed = None;
                let nested = self.catalog.struct_type(*id);
                for field in &nested.fields {
                    // Of exclusive member sets (`oneOf` of `required`), the
                    // first is the one present.
                    let left_out = nested.presence.as_ref().is_some_and(|presence| {
                        presence.exclusive
                            && field.optional
                            && !presence.sets[0].contains(&field.name)
                            && presence.sets.iter().any(|set| set.contains(&field.name))
                    });
                    if left_out {
                        continue;
                    }
                    let again = self
                        .catalog
                        .structs_in(&field.ty)
                        .iter()
                        .any(|inner| self.building.borrow().contains(inner));
                    // Required fields cannot nest a type in itself (the
                    // catalog refuses that), so these are optional or arrays.
                    if again && field.optional {
                        continue;
                    }
                    if again {
                        let end = if field.nullable {
                            Value::Null
                        } else {
                            json!([])
                        };
                        object.insert(field.name.clone(), end);
                        continue;
                    }
                    match self.value_for(field, None) {
                        Ok(value) => drop(object.insert(field.name.clone(), value)),
                        Err(error) => {
                            failed = Some(error);
                            break;
                        }
                    }
                }
                self.building.borrow_mut().pop();
                Some(failed.map_or(Ok(Value::Object(object)), Err))
            }
            FieldType::Array(item) => self
                .structured(item)
                .map(|item| item.map(|item| Value::Array(vec![item]))),
            // The first branch, with its own rules.
            FieldType::Union(id) => {
                Some(self.value_for(&self.catalog.union_type(*id).variants[0], None))
            }
            _ => None,
        }
    }
}

/// What a convention fixes: CloudEvents 1.0's `specversion`, and the media
/// type of JSON `data`.
fn conventional_value(envelope: &Envelope, field: &Field) -> Option<Value> {
    match (envelope.convention, field.name.as_str()) {
        (Convention::CloudEvents, "specversion") => Some(json!("1.0")),
        (Convention::CloudEvents, "datacontenttype") => Some(json!("application/json")),
        _ => None,
    }
}

/// Optional properties an example must leave out: CloudEvents' `data_base64`
/// may not stand beside `data`.
fn left_out(envelope: &Envelope, field: &Field) -> bool {
    envelope.convention == Convention::CloudEvents && field.name == "data_base64"
}

/// Numbers worth trying within the bounds: the maximum when no minimum
/// led; the first multiple above the lower bound; just inside an exclusive
/// bound.
fn numbers(rules: &Rules) -> Vec<Value> {
    let as_f64 =
        |number: &Option<serde_json::Number>| number.as_ref().and_then(serde_json::Number::as_f64);
    let mut found: Vec<Value> = rules
        .maximum
        .clone()
        .map(Value::Number)
        .into_iter()
        .collect();
    let floor = as_f64(&rules.minimum)
        .or(as_f64(&rules.exclusive_minimum))
        .unwrap_or(0.0);
    if let Some(divisor) = as_f64(&rules.multiple_of).filter(|divisor| *divisor > 0.0) {
        let mut multiple = (floor / divisor).ceil() * divisor;
        if as_f64(&rules.exclusive_minimum).is_some_and(|min| multiple <= min) {
            multiple += divisor;
        }
        found.extend(number_value(multiple));
    }
    if let Some(min) = as_f64(&rules.exclusive_minimum) {
        found.extend(number_value((min + 1.0).floor()));
        found.extend(number_value(min + 0.5));
    }
    if let Some(max) = as_f64(&rules.exclusive_maximum) {
        found.extend(number_value((max - 1.0).ceil()));
        found.extend(number_value(max - 0.5));
    }
    found
}

/// A JSON number, an integer when it is whole.
fn number_value(number: f64) -> Option<Value> {
    if number.fract() == 0.0 && number.abs() < 9.0e15 {
        return Some(json!(number as i64));
    }
    serde_json::Number::from_f64(number).map(Value::Number)
}

fn numbers_conflict(rules: &Rules) -> Option<String> {
    let (min, max) = (rules.minimum.as_ref()?, rules.maximum.as_ref()?);
    (min.as_f64()? > max.as_f64()?).then(|| format!("`minimum` {min} is above `maximum` {max}"))
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
        // Objects with fields are built by `Synthesizer::structured`.
        FieldType::Object | FieldType::Struct(_) | FieldType::Map(_) | FieldType::Union(_) => {
            json!({})
        }
        FieldType::Null | FieldType::Any => Value::Null,
        FieldType::Tuple(items) => Value::Array(
            items
                .iter()
                .map(|item| default_value(catalog, name, item, &Rules::default()))
                .collect(),
        ),
        FieldType::Array(item) => json!([default_value(catalog, name, item, &Rules::default())]),
        FieldType::Enum(id) => json!(catalog.enum_type(*id).variants[0].value),
    }
}
