//! What the Rust code [evcat](https://crates.io/crates/evcat) generates
//! shares, so that each event costs a few lines to compile rather than a
//! derive's worth of code (as `prost` is to `prost-build`).
//!
//! - [`struct_impls!`]: what evcat writes beside each generated struct in
//!   place of serde's and schemars' derives.
//! - [`Field`], [`serialize_struct`], [`deserialize_struct`] and
//!   [`required`]: every generated struct's `Serialize` and `Deserialize`
//!   impls call these, and one visitor reads every struct. The impls work
//!   with any serde format, as derived ones do.
//! - [`json_schema`]: every generated struct's `schemars::JsonSchema` is the
//!   schema evcat emitted for it, with the named types it refers to added to
//!   the generator's definitions.
//! - [`contract`]: ties a hand-written struct to a catalog event.
//! - [`outbox`]: the transactional outbox's statements, and with the
//!   `postgres` feature its typed writer and reader.
//!
//! Generated code calls these; they are public for it, and stable within a
//! minor version of evcat.

mod impls;
pub mod outbox;
mod schema;
mod structs;

pub use schema::{json_schema, subschema, SubschemaFn};
pub use structs::{
    deserialize_not_null, deserialize_struct, not_null, required, serialize_struct, Field, Slot,
};

/// Ties a hand-written struct to a catalog event: `#[contract(OrderPlaced)]`.
pub use evcat_macros::contract;

/// The macro crate, for the contract tables in generated code.
#[doc(hidden)]
pub use evcat_macros as macros;

/// Whole numbers written with a fraction (`1.0`) made integers, everywhere
/// in `value`: JSON Schema calls `1.0` an integer, and the generated types
/// read `DomainEvent`s through this, so an `integer` field takes it as the
/// schemas, zod and the validators do. A `number` field reads the same
/// value either way.
pub fn whole_floats_as_integers(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(number) if !number.is_i64() && !number.is_u64() => {
            let Some(float) = number.as_f64() else {
                return;
            };
            if float.fract() != 0.0 {
                return;
            }
            if (-9.0e18..=9.0e18).contains(&float) {
                *number = serde_json::Number::from(float as i64);
            } else if float > 0.0 && float <= 1.8e19 {
                *number = serde_json::Number::from(float as u64);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_floats_as_integers),
        serde_json::Value::Object(members) => {
            members.values_mut().for_each(whole_floats_as_integers)
        }
        _ => {}
    }
}

/// Whether `value` is one of the values `listed` (the JSON text of an
/// array, as the schema's `enum` lists them), compared as JSON Schema
/// compares values: numbers by value (`1` is `1.0`), members in any order.
pub fn is_listed(value: &serde_json::Value, listed: &str) -> bool {
    serde_json::from_str::<Vec<serde_json::Value>>(listed)
        .is_ok_and(|listed| listed.iter().any(|allowed| same_json(allowed, value)))
}

/// JSON equality as JSON Schema means it: numbers by value, objects
/// whatever the order of their members.
pub fn same_json(left: &serde_json::Value, right: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (left, right) {
        (Value::Number(left), Value::Number(right)) => left.as_f64() == right.as_f64(),
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .zip(right)
                    .all(|(left, right)| same_json(left, right))
        }
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .all(|(key, value)| right.get(key).is_some_and(|other| same_json(value, other)))
        }
        _ => left == right,
    }
}
