//! One event instance, as JSON, against the catalog: the rules of
//! `DomainEvent::validate()`, for tools that have no generated types (the
//! stream checker, `evcat validate`).

use serde_json::{Map, Value};

use super::ValueChecker;
use crate::ir::{Catalog, Event, Family, Field};
use crate::parse::own_id_field;

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
    let Some((family, event)) = catalog.events().find(|(_, event)| event.wire_name == name) else {
        return (
            None,
            vec![format!(
                "`{discriminator}`: `{name}` is not an event of the catalog"
            )],
        );
    };
    let envelope = &catalog.envelope;
    let mut problems = Vec::new();
    let payload = match &envelope.payload {
        Some(payload_name) => {
            fields(
                checker,
                object,
                envelope.fields.iter(),
                "",
                envelope.closed.then_some(&[payload_name.as_str()]),
                &mut problems,
            );
            let payload = object.get(payload_name).and_then(Value::as_object);
            match payload {
                Some(payload) => fields(
                    checker,
                    payload,
                    event.fields.iter(),
                    &format!("{payload_name}."),
                    None,
                    &mut problems,
                ),
                None => problems.push(format!("`{payload_name}` is missing or not an object")),
            }
            payload
        }
        // Flat events: the event's fields beside the envelope's.
        None => {
            fields(
                checker,
                object,
                envelope.fields.iter().chain(&event.fields),
                "",
                envelope.closed.then_some(&[]),
                &mut problems,
            );
            Some(object)
        }
    };
    let role = |role: &'c Option<String>| {
        let name = role.as_ref()?;
        Some((name, object.get(name)?))
    };
    if let Some((name, kind)) = role(&envelope.roles.aggregate_type) {
        if kind.as_str().is_some_and(|kind| kind != family.name) {
            problems.push(format!(
                "`{name}`: is `{}`, but `{}` belongs to `{}`",
                kind.as_str().unwrap_or_default(),
                event.name,
                family.name
            ));
        }
    }
    let own_id = own_id_field(&family.name, &event.fields);
    let payload_id = payload.and_then(|payload| payload.get(&own_id));
    if let (Some((name, aggregate_id)), Some(payload_id)) =
        (role(&envelope.roles.aggregate_id), payload_id)
    {
        if aggregate_id != payload_id {
            problems.push(format!(
                "`{name}`: must equal `{}`, the aggregate's own id",
                envelope.payload_path(&own_id)
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
    // A closed object refuses keys other than the fields and these (the
    // payload's property, outside flat events).
    closed_except: Option<&[&str]>,
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
    if let Some(allowed) = closed_except {
        for name in object.keys() {
            if !allowed.contains(&name.as_str()) && !fields.clone().any(|field| &field.name == name)
            {
                problems.push(format!("`{prefix}{name}` is not a field of the envelope"));
            }
        }
    }
}
