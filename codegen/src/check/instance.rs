//! One event instance, as JSON, against the catalog: the rules of
//! `DomainEvent::validate()`, for tools that have no generated types (the
//! stream checker, `evcat validate`).

use serde_json::{Map, Value};

use super::ValueChecker;
use crate::ir::{Catalog, Event, Family, Field, FieldType, MemberPath};

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
    let Some(name) = discriminator.find(instance).and_then(Value::as_str) else {
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
        Some(payload) => {
            envelope_object(
                catalog,
                checker,
                object,
                &envelope.fields,
                &[],
                envelope.closed,
                payload,
                &mut problems,
            );
            let found = payload.find(instance).and_then(Value::as_object);
            if let Some(found) = found {
                check_fields(
                    checker,
                    found,
                    event.fields.iter(),
                    &format!("{payload}."),
                    event.closed.then_some(&[]),
                    &mut problems,
                );
            }
            found
        }
        // Flat events: the event's fields beside the envelope's.
        None => {
            check_fields(
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
    let role = |role: &'c Option<MemberPath>| {
        let path = role.as_ref()?;
        Some((path, path.find(instance)?))
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
    let own_id = &event.own_id;
    let payload_id = payload.and_then(|payload| payload.get(own_id));
    if let (Some((name, aggregate_id)), Some(payload_id)) =
        (role(&envelope.roles.aggregate_id), payload_id)
    {
        if aggregate_id != payload_id {
            problems.push(format!(
                "`{name}`: must equal `{}`, the aggregate's own id",
                envelope.payload_path(own_id)
            ));
        }
    }
    (Some((family, event)), problems)
}

/// One object of the envelope (`at` its keys from the root): its fields,
/// and the object on the way to the payload. The payload is checked apart.
#[allow(clippy::too_many_arguments)]
fn envelope_object(
    catalog: &Catalog,
    checker: &ValueChecker<'_>,
    object: &Map<String, Value>,
    fields: &[Field],
    at: &[String],
    closed: bool,
    payload: &MemberPath,
    problems: &mut Vec<String>,
) {
    let prefix: String = at.iter().map(|key| format!("{key}.")).collect();
    let next = &payload.keys()[at.len()];
    let holds = payload.parents() == at;
    // The field on the way to the payload is read below, not checked whole.
    let through = fields.iter().find(|field| !holds && &field.name == next);
    check_fields(
        checker,
        object,
        fields
            .iter()
            .filter(|field| through.is_none_or(|through| !std::ptr::eq(*field, through))),
        &prefix,
        closed.then_some(&[next.as_str()]),
        problems,
    );
    let Some(inner) = object.get(next).and_then(Value::as_object) else {
        problems.push(format!("`{prefix}{next}` is missing or not an object"));
        return;
    };
    let nested = through.and_then(|field| match field.ty {
        FieldType::Struct(id) => Some(catalog.struct_type(id)),
        _ => None,
    });
    if let (Some(nested), false) = (nested, holds) {
        let mut deeper = at.to_vec();
        deeper.push(next.clone());
        envelope_object(
            catalog,
            checker,
            inner,
            &nested.fields,
            &deeper,
            nested.closed,
            payload,
            problems,
        );
    }
}

fn check_fields<'f>(
    checker: &ValueChecker<'_>,
    object: &Map<String, Value>,
    fields: impl Iterator<Item = &'f Field> + Clone,
    prefix: &str,
    // A closed object refuses keys other than the fields and these (the
    // payload's property, or the object on the way to it).
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
                problems.push(format!(
                    "`{prefix}{name}` is not a field of the {}",
                    if prefix.is_empty() {
                        "envelope"
                    } else {
                        "object"
                    }
                ));
            }
        }
    }
}
