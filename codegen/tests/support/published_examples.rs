//! The example files a catalog names (`Example:`), as their publishers
//! wrote them, and copies mutated the ways producers drift: each top-level
//! key of the envelope and of the payload removed, and respelled
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
            if published
                .get(&envelope.discriminator)
                .and_then(Value::as_str)
                != Some(event.wire_name.as_str())
            {
                continue; // a shared file of a `### A / B` section
            }
            let name = &example.path;
            cases.push((format!("{name} as published"), published.clone(), true));
            let object = published.as_object().expect("an envelope is an object");
            // Flat events: the event's fields are top-level keys too.
            let flat_fields: &[evcat::ir::Field] = match envelope.payload {
                Some(_) => &[],
                None => &event.fields,
            };
            for key in object.keys() {
                let required = key == &envelope.discriminator
                    || envelope.payload.as_ref() == Some(key)
                    || envelope
                        .fields
                        .iter()
                        .chain(flat_fields)
                        .any(|field| &field.name == key && !field.optional);
                let mut removed = published.clone();
                removed.as_object_mut().expect("object").remove(key);
                cases.push((format!("{name} without `{key}`"), removed, !required));
                let respelled = respell(object, key);
                let mut renamed = published.clone();
                rename(renamed.as_object_mut().expect("object"), key, &respelled);
                let accepted = !required && !envelope.closed;
                cases.push((
                    format!("{name} with `{key}` as `{respelled}`"),
                    renamed,
                    accepted,
                ));
            }
            let Some(payload_name) = &envelope.payload else {
                continue;
            };
            let Some(payload) = object.get(payload_name).and_then(Value::as_object) else {
                continue;
            };
            for key in payload.keys() {
                let required = event
                    .fields
                    .iter()
                    .any(|field| &field.name == key && !field.optional);
                let mut removed = published.clone();
                removed[payload_name]
                    .as_object_mut()
                    .expect("object")
                    .remove(key);
                cases.push((
                    format!("{name} without `{payload_name}.{key}`"),
                    removed,
                    !required,
                ));
                let respelled = respell(payload, key);
                let mut renamed = published.clone();
                rename(
                    renamed[payload_name].as_object_mut().expect("object"),
                    key,
                    &respelled,
                );
                // Payloads accept keys they do not declare.
                cases.push((
                    format!("{name} with `{payload_name}.{key}` as `{respelled}`"),
                    renamed,
                    !required,
                ));
            }
        }
    }
    cases
}

/// The key as another convention writes it (snake_case, else camelCase),
/// or with a suffix, never a key the object has.
fn respell(object: &Map<String, Value>, key: &str) -> String {
    use evcat::ident::Case;
    [Case::Snake, Case::Camel]
        .into_iter()
        .filter_map(|case| case.convert(key))
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
