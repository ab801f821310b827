//! The example files a catalog names (`Example:`), as their publishers
//! wrote them, and copies mutated the ways producers drift: each key of the
//! envelope (its nested objects' included) and of the payload removed, and respelled
//! (`clientRequestId` → `client_request_id`). The expected verdict follows
//! from the catalog: a copy stays valid when the key is optional and the
//! object it leaves accepts unknown keys.
//!
//! Shared by `compile_generated.rs` (the generated Rust's verdict) and the
//! root crate's `one_verdict.rs` (AJV, python-jsonschema, zod, `evcat
//! validate`), so every consumer judges the same cases.

#![allow(dead_code)] // each test binary uses part of this module

use std::path::Path;

use serde_json::{Map, Value};

#[path = "publisher_oracle.rs"]
mod publisher_oracle;

/// `(name, instance, valid)` for each example file of the catalog and each
/// of its mutations, in catalog order.
pub fn cases(catalog: &evcat::ir::Catalog, catalog_dir: &Path) -> Vec<(String, Value, bool)> {
    let envelope = &catalog.envelope;
    let mut cases = Vec::new();
    for (_, event) in catalog.events() {
        for example in &event.examples {
            let text = std::fs::read_to_string(catalog_dir.join(&example.path))
                .unwrap_or_else(|error| panic!("{}: {error}", example.path));
            let published: Value = serde_json::from_str(&text).expect("examples are JSON");
            if envelope
                .discriminator
                .find(&published)
                .and_then(Value::as_str)
                != Some(event.wire_name.as_str())
            {
                continue; // a shared file of a `### A / B` section
            }
            let name = &example.path;
            cases.push((format!("{name} as published"), published.clone(), true));
            // Flat events: the event's fields are top-level keys too.
            let flat_fields: &[evcat::ir::Field] = match envelope.payload {
                Some(_) => &[],
                None => &event.fields,
            };
            let root: Vec<&evcat::ir::Field> = envelope.fields.iter().chain(flat_fields).collect();
            envelope_cases(
                catalog,
                name,
                &published,
                &[],
                &root,
                envelope.closed,
                &mut cases,
            );
            let Some(payload_path) = &envelope.payload else {
                continue;
            };
            let Some(payload) = payload_path.find(&published).and_then(Value::as_object) else {
                continue;
            };
            let shown = payload_path.dotted();
            for key in payload.keys() {
                let required = event
                    .fields
                    .iter()
                    .any(|field| &field.name == key && !field.optional);
                let mut removed = published.clone();
                object_at(&mut removed, payload_path.keys()).remove(key);
                cases.push((
                    format!("{name} without `{shown}.{key}`"),
                    removed,
                    !required,
                ));
                let respelled = respell(payload, key);
                let mut renamed = published.clone();
                rename(
                    object_at(&mut renamed, payload_path.keys()),
                    key,
                    &respelled,
                );
                // Payloads accept keys they do not declare, unless closed
                // (a `Schema:` payload with `additionalProperties: false`).
                cases.push((
                    format!("{name} with `{shown}.{key}` as `{respelled}`"),
                    renamed,
                    !required && !event.closed,
                ));
            }
        }
    }
    cases.extend(publisher_oracle::cases(catalog, catalog_dir));
    cases
}

/// The cases of one object of the envelope (`at` its keys from the root):
/// each key removed and respelled, and the same for the objects inside it
/// (the payload's own keys aside).
fn envelope_cases(
    catalog: &evcat::ir::Catalog,
    name: &str,
    published: &Value,
    at: &[String],
    fields: &[&evcat::ir::Field],
    closed: bool,
    cases: &mut Vec<(String, Value, bool)>,
) {
    let envelope = &catalog.envelope;
    let Some(object) = at
        .iter()
        .try_fold(published, |value, key| value.get(key))
        .and_then(Value::as_object)
    else {
        return;
    };
    for key in object.keys() {
        let mut path = at.to_vec();
        path.push(key.clone());
        let shown = path.join(".");
        let field = fields.iter().find(|field| &field.name == key);
        let on_the_way = |role: &evcat::ir::MemberPath| role.keys().starts_with(&path);
        let required = on_the_way(&envelope.discriminator)
            || envelope.payload.as_ref().is_some_and(on_the_way)
            || field.is_some_and(|field| !field.optional);
        let mut removed = published.clone();
        object_at(&mut removed, at).remove(key);
        cases.push((format!("{name} without `{shown}`"), removed, !required));
        let respelled = respell(object, key);
        let mut renamed = published.clone();
        rename(object_at(&mut renamed, at), key, &respelled);
        let accepted = !required && !closed;
        cases.push((
            format!("{name} with `{shown}` as `{respelled}`"),
            renamed,
            accepted,
        ));
        let nested = field.and_then(|field| match field.ty {
            evcat::ir::FieldType::Struct(id) if catalog.struct_type(id).envelope => {
                Some(catalog.struct_type(id))
            }
            _ => None,
        });
        if let Some(nested) = nested {
            let inner: Vec<&evcat::ir::Field> = nested.fields.iter().collect();
            envelope_cases(
                catalog,
                name,
                published,
                &path,
                &inner,
                nested.closed,
                cases,
            );
        }
    }
}

/// The object at these keys of a value (the value itself for none).
fn object_at<'v>(value: &'v mut Value, keys: &[String]) -> &'v mut Map<String, Value> {
    keys.iter()
        .fold(value, |value, key| &mut value[key])
        .as_object_mut()
        .expect("an object")
}

/// The key as another convention writes it (snake_case, else camelCase),
/// or with a suffix, never a key the object has.
fn respell(object: &Map<String, Value>, key: &str) -> String {
    use heck::{ToLowerCamelCase, ToSnakeCase};
    [key.to_snake_case(), key.to_lower_camel_case()]
        .into_iter()
        .filter(|converted| converted.starts_with(|c: char| c.is_ascii_alphabetic()))
        .chain([format!("{key}_")])
        .find(|candidate| {
            candidate != key && !candidate.is_empty() && !object.contains_key(candidate)
        })
        .unwrap_or_else(|| format!("{key}__respelled"))
}

/// Renames a key in place of its position.
fn rename(object: &mut Map<String, Value>, from: &str, to: &str) {
    let entries: Vec<(String, Value)> = std::mem::take(object).into_iter().collect();
    for (key, value) in entries {
        object.insert(if key == from { to.to_owned() } else { key }, value);
    }
}
