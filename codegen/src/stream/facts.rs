//! What the stream's tables need from a valid line, whichever path read it.

use std::borrow::Cow;

use serde_json::Value;

use super::plan::Plan;
use super::table::TableKey;

#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Facts<'a> {
    /// Index of the event in the plan.
    pub event: usize,
    pub event_id: Option<TableKey<'a>>,
    /// The scope the event id is unique in (CloudEvents' `source`).
    pub event_source: Option<Cow<'a, str>>,
    pub idempotency_key: Option<TableKey<'a>>,
    pub aggregate_id: Option<TableKey<'a>>,
    pub version: Option<u64>,
    /// The first status, for an event that starts a lifecycle.
    pub status: Option<Cow<'a, str>>,
}

impl<'a> Facts<'a> {
    /// The facts of a valid instance read into a `Value`.
    pub fn from_value(plan: &Plan<'_>, event_index: usize, value: &'a Value) -> Self {
        let event = &plan.events[event_index];
        let text = |value: Option<&'a Value>| value.and_then(Value::as_str).map(Cow::Borrowed);
        let role = |role: &Option<crate::ir::MemberPath>| role.as_ref()?.find(value);
        let status = event
            .lifecycle
            .filter(|_| event.starts_lifecycle)
            .and_then(|lifecycle| {
                lifecycle
                    .initial
                    .iter()
                    .find(|(name, _)| name == event.name)
            })
            .and_then(|(_, field)| {
                // Flat events (no payload property): the field is at the root.
                let payload = match plan.payload_path {
                    None => value,
                    Some(path) => path.find(value)?,
                };
                text(payload.get(field))
            });
        let roles = plan.roles;
        Self {
            event: event_index,
            event_id: text(role(&roles.event_id)).map(TableKey::new),
            event_source: text(role(&roles.event_source)),
            idempotency_key: text(role(&roles.idempotency_key)).map(TableKey::new),
            aggregate_id: text(role(&roles.aggregate_id)).map(TableKey::new),
            version: role(&roles.aggregate_version).and_then(Value::as_u64),
            status,
        }
    }
}
