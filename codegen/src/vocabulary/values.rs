//! JSON values as JSON Schema compares them.

use serde_json::{Number, Value};

/// A JSON number with no fractional part (`1`, `1.0`): an integer, as JSON
/// Schema (Draft-06 on) says.
pub fn is_whole(number: &Number) -> bool {
    number.is_i64()
        || number.is_u64()
        || number
            .as_f64()
            .is_some_and(|float| float.fract() == 0.0 && float.abs() <= 9.0e18)
}

/// The values of an `enum`, as JSON, for a message.
pub fn listed(values: &[Value]) -> String {
    values
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// JSON equality as JSON Schema means it: numbers by value (`1` is `1.0`),
/// objects whatever the order of their members.
pub fn same_json(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same_json(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(key, value)| b.get(key).is_some_and(|other| same_json(value, other)))
        }
        _ => left == right,
    }
}
