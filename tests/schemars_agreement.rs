//! What schemars derives from the generated payload types agrees with the
//! emitted JSON Schemas, for every event: the same properties, the same
//! required set, and per property the same JSON type, enum values and
//! nullability. A backend that drifts from the Rust types fails here.

use std::collections::BTreeSet;
use std::path::Path;

use domain_events::DomainEvent;
use serde_json::Value;

/// What a property schema says, in the terms both generators share.
#[derive(Debug, PartialEq)]
struct Shape {
    kind: Option<String>,
    values: Option<BTreeSet<String>>,
    nullable: bool,
}

/// Follows `$ref` into `$defs` of `root`.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix("#/$defs/"))
    {
        Some(name) => &root["$defs"][name],
        None => schema,
    }
}

fn shape(root: &Value, schema: &Value) -> Shape {
    let mut nullable = false;
    let mut branches: Vec<&Value> = match schema.get("anyOf").and_then(Value::as_array) {
        Some(options) => options.iter().collect(),
        None => vec![schema],
    };
    branches.retain(|branch| {
        let null = branch.get("type").and_then(Value::as_str) == Some("null");
        nullable |= null;
        !null
    });
    let schema = resolve(root, branches.first().copied().unwrap_or(&Value::Null));
    let kind = match schema.get("type") {
        Some(Value::String(kind)) => Some(kind.clone()),
        Some(Value::Array(kinds)) => {
            nullable |= kinds.iter().any(|kind| kind == "null");
            kinds
                .iter()
                .filter_map(Value::as_str)
                .find(|kind| *kind != "null")
                .map(str::to_owned)
        }
        _ => None,
    };
    let mut values: Option<BTreeSet<String>> =
        schema.get("enum").and_then(Value::as_array).map(|values| {
            nullable |= values.iter().any(Value::is_null);
            values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        });
    let mut kind = kind;
    // A value set may also be written `oneOf` one `const` each (schemars does
    // so when the values are documented).
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        values = Some(
            options
                .iter()
                .filter_map(|option| option["const"].as_str())
                .map(str::to_owned)
                .collect(),
        );
        kind = options
            .first()
            .and_then(|option| option["type"].as_str())
            .map(str::to_owned);
    }
    Shape {
        kind,
        values,
        nullable,
    }
}

fn names(object: &Value) -> BTreeSet<String> {
    object
        .as_object()
        .map(|map| map.keys().cloned().collect())
        .unwrap_or_default()
}

fn required(schema: &Value) -> BTreeSet<String> {
    schema["required"]
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn schemars_and_the_emitted_schemas_agree_on_every_payload() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/schemas");
    let derived = DomainEvent::payload_schemas();
    assert_eq!(derived.len(), DomainEvent::EVENT_NAMES.len());
    for (name, derived) in derived {
        let derived = derived.as_value();
        let file = schemas.join(format!("{name}.schema.json"));
        let emitted: Value =
            serde_json::from_str(&std::fs::read_to_string(&file).expect("schema file"))
                .expect("JSON");
        let emitted = &emitted["properties"]["payload"];
        assert_eq!(
            names(&derived["properties"]),
            names(&emitted["properties"]),
            "{name}: properties"
        );
        assert_eq!(
            required(derived),
            required(emitted),
            "{name}: required fields"
        );
        for property in names(&emitted["properties"]) {
            let ours = shape(emitted, &emitted["properties"][&property]);
            let theirs = shape(derived, &derived["properties"][&property]);
            assert_eq!(
                ours, theirs,
                "{name}.{property}: type, enum values and nullability"
            );
        }
    }
}
