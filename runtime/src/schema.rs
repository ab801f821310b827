//! `schemars::JsonSchema` for generated types from the schemas evcat emits,
//! so the Rust types describe themselves exactly as the published schema
//! files do (patterns, formats, lengths, bounds, descriptions) at the cost
//! of parsing a string, not of a derive per type.

use schemars::{Schema, SchemaGenerator};
use serde_json::Value;

/// Adds a named type to a generator's definitions and returns the reference
/// to it: `subschema::<OrderLine>` in a [`json_schema`] table.
pub type SubschemaFn = fn(&mut SchemaGenerator) -> Schema;

/// [`SchemaGenerator::subschema_for`], as a function pointer for tables.
pub fn subschema<T: schemars::JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// The schema of a generated type: `emitted` (a JSON object, as evcat wrote
/// it into the schema files), where each reference to a named type
/// (`#/definitions/Name` or `#/$defs/Name`) that `named` lists becomes the
/// generator's own reference to that type, so the type is defined once in
/// whatever place the generator's settings say.
///
/// # Panics
///
/// When `emitted` is not a JSON object: evcat writes it, so that is a bug.
pub fn json_schema(
    generator: &mut SchemaGenerator,
    emitted: &str,
    named: &[(&str, SubschemaFn)],
) -> Schema {
    let mut value: Value =
        serde_json::from_str(emitted).expect("evcat emits each type's schema as JSON");
    refer(&mut value, generator, named);
    Schema::try_from(value).expect("evcat emits each type's schema as an object")
}

fn refer(value: &mut Value, generator: &mut SchemaGenerator, named: &[(&str, SubschemaFn)]) {
    match value {
        Value::Object(object) => {
            let target = object
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| {
                    reference
                        .strip_prefix("#/definitions/")
                        .or_else(|| reference.strip_prefix("#/$defs/"))
                })
                .and_then(|name| named.iter().find(|(known, _)| *known == name));
            match target {
                Some((_, subschema)) => {
                    object.remove("$ref");
                    if let Value::Object(reference) = subschema(generator).to_value() {
                        object.extend(reference);
                    }
                }
                None => object
                    .values_mut()
                    .for_each(|inner| refer(inner, generator, named)),
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|inner| refer(inner, generator, named)),
        _ => {}
    }
}
