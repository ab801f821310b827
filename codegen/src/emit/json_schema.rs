//! The JSON Schema backend: a schema per event (the whole envelope, with
//! `event_name` fixed and `payload` the event's fields) and `events.schema.json`,
//! which accepts exactly the catalog's events.
//!
//! Standard keywords only, in the dialect the envelope declares, so strict
//! validators (AJV in strict mode) accept the files as they are.

use serde_json::{json, Map, Value};

use super::GeneratedFile;
use crate::ir::{Catalog, Doc, Event, Family, Field, FieldType, Scalar, StructType, UnionType};
use crate::vocabulary::{UTC_PATTERN, UUID_PATTERN};

pub fn generate(catalog: &Catalog) -> Vec<GeneratedFile> {
    // Each event's schema is built once: for its own file and for the
    // definitions of events.schema.json.
    let schemas: Vec<(&Event, Map<String, Value>)> = catalog
        .events()
        .map(|(family, event)| (event, event_schema(catalog, family, event)))
        .collect();
    let mut files: Vec<GeneratedFile> = schemas
        .iter()
        .map(|(event, schema)| GeneratedFile {
            path: format!("schemas/{}", file_name(&event.name)),
            contents: pretty(&event_file(catalog, event, schema)),
        })
        .collect();
    files.push(GeneratedFile {
        path: "schemas/events.schema.json".to_owned(),
        contents: pretty(&events_file(catalog, schemas)),
    });
    files
}

/// The one vendor keyword evcat writes: `true` on personal data. Strict
/// validators must be told of it (`ajv.addKeyword("x-pii")`).
pub const PII_KEYWORD: &str = "x-pii";

/// The file an event's schema is written to: `CustomerCreated.schema.json`.
pub fn file_name(event_name: &str) -> String {
    format!("{event_name}.schema.json")
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    text.push('\n');
    text
}

/// `$id`s sit beside the envelope's own, or are bare file names without one.
fn id_for(catalog: &Catalog, file: &str) -> String {
    match catalog
        .envelope
        .id
        .as_deref()
        .and_then(|id| id.rfind('/').map(|slash| &id[..=slash]))
    {
        Some(base) => format!("{base}{file}"),
        None => file.to_owned(),
    }
}

/// An event schema's `$id` names its version, so two versions of an event
/// never share one: `CustomerCreated.v2.schema.json`.
fn event_file(catalog: &Catalog, event: &Event, schema: &Map<String, Value>) -> Value {
    let mut file = Map::new();
    file.insert("$schema".into(), json!(catalog.envelope.draft.uri()));
    let versioned = format!("{}.v{}.schema.json", event.name, event.version.text);
    file.insert("$id".into(), json!(id_for(catalog, &versioned)));
    file.extend(
        schema
            .iter()
            .map(|(key, value)| (key.clone(), value.clone())),
    );
    let named = named_definitions(catalog);
    if !named.is_empty() {
        file.insert(
            catalog.envelope.draft.definitions_keyword().into(),
            Value::Object(named),
        );
    }
    Value::Object(file)
}

/// An event's envelope schema, without `$schema` and `$id`.
pub(super) fn event_schema(
    catalog: &Catalog,
    family: &Family,
    event: &Event,
) -> Map<String, Value> {
    let envelope = &catalog.envelope;
    let (mut properties, mut required) =
        envelope_properties(catalog, &envelope.fields, &[], family, event);
    if envelope.payload.is_none() {
        // Flat events: the event's fields beside the envelope's, one object.
        for field in &event.fields {
            properties.insert(
                field.name.clone(),
                Value::Object(field_schema(catalog, field)),
            );
            if !field.optional {
                required.push(json!(field.name));
            }
        }
    }
    let mut schema = Map::new();
    schema.insert(
        "title".into(),
        json!(format!("{} v{}", event.name, event.version.text)),
    );
    let description = description(
        &event.docs.purpose,
        &[&format!(
            "Event {} of the {} family.",
            event.name, family.name
        )],
    );
    schema.insert("description".into(), json!(description));
    schema.insert("type".into(), json!("object"));
    schema.insert("required".into(), Value::Array(required));
    schema.insert("properties".into(), Value::Object(properties));
    if envelope.closed {
        schema.insert("additionalProperties".into(), json!(false));
    }
    schema
}

/// The properties and required names of one envelope object (`at` its keys
/// from the root) in an event's schema: the event's name and family fixed
/// where the roles put them, nested objects inline, the payload where it sits.
fn envelope_properties(
    catalog: &Catalog,
    fields: &[Field],
    at: &[String],
    family: &Family,
    event: &Event,
) -> (Map<String, Value>, Vec<Value>) {
    let envelope = &catalog.envelope;
    let holds_payload = envelope
        .payload
        .as_ref()
        .filter(|payload| payload.parents() == at);
    let mut properties = Map::new();
    let mut required = Vec::new();
    let insert_payload =
        |properties: &mut Map<String, Value>, required: &mut Vec<Value>, index: usize| {
            if let (true, Some(payload)) = (index == envelope.payload_position, holds_payload) {
                properties.insert(payload.key().to_owned(), payload_schema(catalog, event));
                // Required in every event even where the envelope leaves it
                // optional (CloudEvents' `data`): the catalog gives every event
                // a payload.
                required.push(json!(payload.key()));
            }
        };
    for (index, field) in fields.iter().enumerate() {
        insert_payload(&mut properties, &mut required, index);
        let mut path = at.to_vec();
        path.push(field.name.clone());
        let nested = match field.ty {
            FieldType::Struct(id) if catalog.struct_type(id).envelope => {
                Some(catalog.struct_type(id))
            }
            _ => None,
        };
        let mut property = match nested {
            Some(nested) => {
                let (inner, inner_required) =
                    envelope_properties(catalog, &nested.fields, &path, family, event);
                let mut object = Map::new();
                object.insert("type".into(), json!("object"));
                object.insert("required".into(), Value::Array(inner_required));
                object.insert("properties".into(), Value::Object(inner));
                object_rules(nested, &mut object);
                field_schema_of(field, object)
            }
            None => field_schema(catalog, field),
        };
        if envelope.discriminator.keys() == path.as_slice() {
            property.insert("const".into(), json!(event.wire_name));
        }
        let is_family = envelope
            .roles
            .aggregate_type
            .as_ref()
            .is_some_and(|role| role.keys() == path.as_slice());
        if is_family && field.ty == FieldType::Scalar(Scalar::String) {
            property.insert("const".into(), json!(family.name));
        }
        properties.insert(field.name.clone(), Value::Object(property));
        if !field.optional {
            required.push(json!(field.name));
        }
    }
    insert_payload(
        &mut properties,
        &mut required,
        fields.len().max(envelope.payload_position),
    );
    (properties, required)
}

/// A payload's schema, as the event's file holds it under `payload`; the
/// Rust payload type's `JsonSchema` is this too.
pub(crate) fn payload_schema(catalog: &Catalog, event: &Event) -> Value {
    let mut schema = object_schema(catalog, &event.fields);
    if event.closed {
        schema["additionalProperties"] = json!(false);
    }
    schema
}

/// An object with these fields: the payload, or an object nested in it.
/// Open to fields it does not declare, as payloads are.
fn object_schema(catalog: &Catalog, fields: &[Field]) -> Value {
    let properties: Map<String, Value> = fields
        .iter()
        .map(|field| {
            (
                field.name.clone(),
                Value::Object(field_schema(catalog, field)),
            )
        })
        .collect();
    let required: Vec<Value> = fields
        .iter()
        .filter(|field| !field.optional)
        .map(|field| json!(field.name))
        .collect();
    json!({ "type": "object", "required": required, "properties": properties })
}

/// A field's schema: its type, then the constraints as the envelope wrote
/// them. Optional fields accept `null`, as the Rust and TypeScript types do;
/// `anyOf` with `{"type": "null"}` says so without union types, which AJV's
/// strict mode refuses.
fn field_schema(catalog: &Catalog, field: &Field) -> Map<String, Value> {
    field_schema_of(field, type_schema(catalog, &field.ty))
}

/// [`field_schema`] with the schema of the field's type given.
fn field_schema_of(field: &Field, mut value_schema: Map<String, Value>) -> Map<String, Value> {
    let rules = &field.rules;
    let keywords = [
        ("format", rules.format.as_ref().map(|format| json!(format))),
        (
            "pattern",
            rules.pattern.as_ref().map(|pattern| json!(pattern)),
        ),
        ("minLength", rules.min_length.map(|length| json!(length))),
        ("maxLength", rules.max_length.map(|length| json!(length))),
        ("minimum", rules.minimum.clone().map(Value::Number)),
        ("maximum", rules.maximum.clone().map(Value::Number)),
        (
            "exclusiveMinimum",
            rules.exclusive_minimum.clone().map(Value::Number),
        ),
        (
            "exclusiveMaximum",
            rules.exclusive_maximum.clone().map(Value::Number),
        ),
        ("multipleOf", rules.multiple_of.clone().map(Value::Number)),
        ("minItems", rules.min_items.map(|count| json!(count))),
        ("maxItems", rules.max_items.map(|count| json!(count))),
        ("uniqueItems", rules.unique_items.then(|| json!(true))),
        ("enum", listed_values(field)),
    ];
    for (keyword, value) in keywords {
        match (keyword, value) {
            ("pattern", Some(Value::String(pattern))) => add_pattern(&mut value_schema, &pattern),
            // One value is a `const`, as the schema most likely said.
            ("enum", Some(Value::Array(mut values))) if values.len() == 1 => {
                value_schema.insert("const".into(), values.remove(0));
            }
            (_, Some(value)) => {
                value_schema.insert(keyword.into(), value);
            }
            (_, None) => {}
        }
    }
    let stated = rules.format.as_deref().and_then(crate::vocabulary::format);
    if let Some(pattern) = stated.and_then(|format| format.pattern) {
        add_pattern(&mut value_schema, pattern);
    }
    let mut schema = Map::new();
    let text = field.doc.plain_text();
    if !text.is_empty() {
        schema.insert("description".into(), json!(text));
    }
    if let Some(default) = &field.default {
        schema.insert("default".into(), default.clone());
    }
    if field.pii {
        schema.insert(PII_KEYWORD.into(), json!(true));
    }
    // (`null` and any value hold `null` already.)
    if field.accepts_null() && !matches!(field.ty, FieldType::Null | FieldType::Any) {
        schema.insert(
            "anyOf".into(),
            json!([Value::Object(value_schema), { "type": "null" }]),
        );
    } else {
        schema.extend(value_schema);
    }
    schema
}

/// The values an `enum` of numbers, booleans or several types allows;
/// for any value, `null` among them when the field holds it (other types
/// say `null` with `anyOf`).
fn listed_values(field: &Field) -> Option<Value> {
    let mut values = field.rules.values.clone()?;
    if field.ty == FieldType::Any && field.accepts_null() {
        values.push(Value::Null);
    }
    Some(Value::Array(values))
}

/// Whether a schema keyword holds values rather than schemas (`enum`,
/// `const`, annotations): a `$ref` inside it is data, never a reference,
/// and walks over schemas leave it as it is.
pub fn holds_data(keyword: &str) -> bool {
    matches!(keyword, "enum" | "const" | "examples" | "default")
}

fn type_schema(catalog: &Catalog, ty: &FieldType) -> Map<String, Value> {
    let value = match ty {
        FieldType::Scalar(Scalar::String) => json!({ "type": "string" }),
        FieldType::Scalar(Scalar::Id) => json!({ "type": "string", "minLength": 1 }),
        FieldType::Scalar(Scalar::Uuid) => {
            json!({ "type": "string", "format": "uuid", "pattern": UUID_PATTERN })
        }
        FieldType::Scalar(Scalar::Timestamp) => {
            json!({ "type": "string", "format": "date-time", "pattern": UTC_PATTERN })
        }
        FieldType::Scalar(Scalar::Integer) => json!({ "type": "integer" }),
        FieldType::Scalar(Scalar::Number) => json!({ "type": "number" }),
        FieldType::Scalar(Scalar::Boolean) => json!({ "type": "boolean" }),
        FieldType::Object => json!({ "type": "object" }),
        // Exactly these items, in the draft's words.
        FieldType::Tuple(items) => {
            let items: Vec<Value> = items
                .iter()
                .map(|item| Value::Object(type_schema(catalog, item)))
                .collect();
            let count = items.len();
            match catalog.envelope.draft {
                crate::ir::Draft::Draft2020_12 => {
                    json!({ "type": "array", "prefixItems": items, "items": false, "minItems": count })
                }
                _ => {
                    json!({ "type": "array", "items": items, "additionalItems": false, "minItems": count })
                }
            }
        }
        FieldType::Struct(id) => {
            let nested = catalog.struct_type(*id);
            if nested.named {
                let keyword = catalog.envelope.draft.definitions_keyword();
                json!({ "$ref": format!("#/{keyword}/{}", nested.name) })
            } else {
                let mut schema = object_schema(catalog, &nested.fields);
                if let Value::Object(map) = &mut schema {
                    object_rules(nested, map);
                }
                schema
            }
        }
        FieldType::Array(item) => {
            json!({ "type": "array", "items": Value::Object(type_schema(catalog, item)) })
        }
        FieldType::Map(value) => {
            json!({ "type": "object", "additionalProperties": Value::Object(type_schema(catalog, value)) })
        }
        FieldType::Enum(id) => {
            let values: Vec<&str> = catalog
                .enum_type(*id)
                .variants
                .iter()
                .map(|variant| variant.value.as_str())
                .collect();
            json!({ "type": "string", "enum": values })
        }
        FieldType::Null => json!({ "type": "null" }),
        FieldType::Any => json!({}),
        // The keyword as the schema wrote it, a branch per variant with its
        // rules and description.
        FieldType::Union(id) => {
            let union = catalog.union_type(*id);
            let keyword = if union.exclusive { "oneOf" } else { "anyOf" };
            let branches: Vec<Value> = union
                .variants
                .iter()
                .map(|variant| Value::Object(field_schema(catalog, variant)))
                .collect();
            json!({ keyword: branches })
        }
    };
    match value {
        Value::Object(map) => map,
        _ => unreachable!("type schemas are objects"),
    }
}

/// Adds a `pattern` the value must match; a second one (a format's, beside
/// the schema's own) goes in `allOf`, as a schema has one `pattern`.
fn add_pattern(schema: &mut Map<String, Value>, pattern: &str) {
    let stated = |schema: &Map<String, Value>| {
        let own = schema.get("pattern").and_then(Value::as_str) == Some(pattern);
        let all = schema.get("allOf").and_then(Value::as_array);
        own || all.is_some_and(|all| all.iter().any(|part| part["pattern"] == pattern))
    };
    if stated(schema) {
        return;
    }
    if !schema.contains_key("pattern") {
        schema.insert("pattern".into(), json!(pattern));
        return;
    }
    let all = schema.entry("allOf").or_insert_with(|| json!([]));
    if let Value::Array(all) = all {
        all.push(json!({ "pattern": pattern }));
    }
}

fn description(doc: &Doc, extra: &[&str]) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !doc.is_empty() {
        parts.push(doc.plain_text());
    }
    parts.extend(extra.iter().map(|text| text.to_string()));
    parts.join("\n\n")
}

/// The named types (`### type Money`), each defined once and referred to
/// with `$ref` wherever it is used.
pub(super) fn named_definitions(catalog: &Catalog) -> Map<String, Value> {
    catalog
        .structs
        .iter()
        .filter(|nested| nested.named)
        .map(|nested| (nested.name.clone(), struct_schema(catalog, nested)))
        .collect()
}

/// A nested object type's schema: its definition when it is named, else
/// what is written inline where it is used.
pub(crate) fn struct_schema(catalog: &Catalog, nested: &StructType) -> Value {
    let mut schema = object_schema(catalog, &nested.fields);
    if let Value::Object(map) = &mut schema {
        object_rules(nested, map);
    }
    let text = nested.doc.plain_text();
    if let (Value::Object(map), true, false) = (&mut schema, nested.named, text.is_empty()) {
        map.insert("description".into(), json!(text));
    }
    schema
}

/// What an object type says beside its properties: closed, and which of
/// its members must be present together.
fn object_rules(nested: &StructType, schema: &mut Map<String, Value>) {
    if nested.closed {
        schema.insert("additionalProperties".into(), json!(false));
    }
    if let Some(presence) = &nested.presence {
        let keyword = if presence.exclusive { "oneOf" } else { "anyOf" };
        let sets: Vec<Value> = presence
            .sets
            .iter()
            .map(|set| {
                // Each name under `properties` too, as AJV's strict mode
                // asks. Present means not `null` either: a member that may
                // be `null` reads it as absent in every other output.
                let present: Map<String, Value> = set
                    .iter()
                    .map(|name| {
                        let accepts_null = nested
                            .fields
                            .iter()
                            .any(|field| &field.name == name && field.accepts_null());
                        let schema = if accepts_null {
                            json!({ "not": { "type": "null" } })
                        } else {
                            json!({})
                        };
                        (name.clone(), schema)
                    })
                    .collect();
                json!({ "required": set, "properties": present })
            })
            .collect();
        schema.insert(keyword.into(), Value::Array(sets));
    }
}

/// A union's schema: its branches under the keyword the schema used.
pub(crate) fn union_schema(catalog: &Catalog, union: &UnionType) -> Value {
    let mut schema = type_schema(catalog, &FieldType::Union(catalog.union_id(union)));
    let text = union.doc.plain_text();
    if !text.is_empty() {
        schema.insert("description".into(), json!(text));
    }
    Value::Object(schema)
}

/// Every event, discriminated by the event name.
fn events_file(catalog: &Catalog, schemas: Vec<(&Event, Map<String, Value>)>) -> Value {
    let draft = catalog.envelope.draft;
    let keyword = draft.definitions_keyword();
    let mut definitions: Map<String, Value> = schemas
        .into_iter()
        .map(|(event, schema)| (event.name.clone(), Value::Object(schema)))
        .collect();
    definitions.extend(named_definitions(catalog));
    let one_of: Vec<Value> = catalog
        .events()
        .map(|(_, event)| json!({ "$ref": format!("#/{keyword}/{}", event.name) }))
        .collect();
    let names: Vec<&str> = catalog
        .events()
        .map(|(_, event)| event.wire_name.as_str())
        .collect();
    let discriminator = &catalog.envelope.discriminator;
    // `{"required": ["context"], "properties": {"context": {…"type"…}}}`
    // for a discriminator nested in the envelope.
    let mut named = json!({ "type": "string", "enum": names });
    for (depth, key) in discriminator.keys().iter().enumerate().rev() {
        let properties: Map<String, Value> = [(key.clone(), named)].into_iter().collect();
        named = json!({ "required": [key], "properties": properties });
        if depth > 0 {
            named["type"] = json!("object");
        }
    }
    let title = catalog
        .title
        .clone()
        .unwrap_or_else(|| "DomainEvent".to_owned());
    json!({
        "$schema": draft.uri(),
        "$id": id_for(catalog, "events.schema.json"),
        "title": title,
        "description": "Any event of the catalog, chosen by its event name.",
        "type": "object",
        "required": named["required"],
        "properties": named["properties"],
        "oneOf": one_of,
        keyword: definitions,
    })
}
