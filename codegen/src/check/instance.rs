//! One event instance, as JSON, against the catalog: the rules of
//! `DomainEvent::validate()`, for tools that have no generated types (the
//! stream checker, `evcat validate`).

use serde_json::{Map, Value};

use super::ValueChecker;
use crate::ir::{Catalog, Event, Family, Field};
use crate::parse::{own_id_field, AGGREGATE_ID_FIELD, AGGREGATE_TYPE_FIELD};

/// Every broken rule of an instance, as `field: message`; the event it names
/// when the name is known.
pub fn instance_problems<'c>(
    catalog: &'c Catalog,
    checker: &ValueChecker<'_>,
    instance: &Value,
) -> (Option<(&'c Family, &'c Event)>, Vec<String>) {
    let Some(object) = instance.as_object() else {
        return (None, vec!["an event must be a JSON object".to_owned()]);
    };
    let discriminator = &catalog.envelope.discriminator;
    let Some(name) = object.get(discriminator).and_then(Value::as_str) else {
        return (
            None,
            vec![format!("`{discriminator}` is missing or not a string")],
        );
    };
    let Some((family, event)) = catalog.events().find(|(_, event)| event.name == name) else {
        return (
            None,
            vec![format!(
                "`{discriminator}`: `{name}` is not an event of the catalog"
            )],
        );
    };
    let mut problems = Vec::new();
    fields(
        checker,
        object,
        catalog.envelope.fields.iter(),
        "",
        catalog.envelope.closed,
        &mut problems,
    );
    match object.get("payload").and_then(Value::as_object) {
        Some(payload) => fields(
            checker,
            payload,
            event.fields.iter(),
            "payload.",
            false,
            &mut problems,
        ),
        None => problems.push("`payload` is missing or not an object".to_owned()),
    }
    if let Some(kind) = object.get(AGGREGATE_TYPE_FIELD).and_then(Value::as_str) {
        if kind != family.name {
            problems.push(format!(
                "`{AGGREGATE_TYPE_FIELD}`: is `{kind}`, but `{name}` belongs to `{}`",
                family.name
            ));
        }
    }
    let own_id = own_id_field(&family.name);
    let payload_id = object
        .get("payload")
        .and_then(|payload| payload.get(&own_id));
    if let (Some(aggregate_id), Some(payload_id)) = (object.get(AGGREGATE_ID_FIELD), payload_id) {
        if aggregate_id != payload_id {
            problems.push(format!(
                "`{AGGREGATE_ID_FIELD}`: must equal `payload.{own_id}`, the aggregate's own id"
            ));
        }
    }
    (Some((family, event)), problems)
}

fn fields<'f>(
    checker: &ValueChecker<'_>,
    object: &Map<String, Value>,
    fields: impl Iterator<Item = &'f Field> + Clone,
    prefix: &str,
    closed: bool,
    problems: &mut Vec<String>,
) {
    for field in fields.clone() {
        match object.get(&field.name) {
            None if !field.optional => {
                problems.push(format!("`{prefix}{}` is required but missing", field.name))
            }
            None => {}
            Some(value) => {
                if let Some(problem) = checker.problem(field, value) {
                    problems.push(format!("`{prefix}{}`: {problem}", field.name));
                }
            }
        }
    }
    if closed {
        for name in object.keys() {
            if name != "payload" && !fields.clone().any(|field| &field.name == name) {
                problems.push(format!("`{prefix}{name}` is not a field of the envelope"));
            }
        }
    }
}
