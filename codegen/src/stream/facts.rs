//! What the stream's tables need from a valid line, whichever path read it.

use std::borrow::Cow;

use serde_json::Value;

use super::plan::EventPlan;
use super::table::TableKey;
use crate::parse::AGGREGATE_ID_FIELD;

#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Facts<'a> {
    /// Index of the event in the plan.
    pub event: usize,
    pub event_id: Option<TableKey<'a>>,
    pub idempotency_key: Option<TableKey<'a>>,
    pub aggregate_id: Option<TableKey<'a>>,
    pub version: Option<u64>,
    /// The first status, for an event that starts a lifecycle.
    pub status: Option<Cow<'a, str>>,
}

impl<'a> Facts<'a> {
    /// The facts of a valid instance read into a `Value`.
    pub fn from_value(event_index: usize, event: &EventPlan<'_>, value: &'a Value) -> Self {
        let text = |value: Option<&'a Value>| value.and_then(Value::as_str).map(Cow::Borrowed);
        let status = event
            .lifecycle
            .filter(|_| event.starts_lifecycle)
            .and_then(|lifecycle| {
                lifecycle
                    .initial
                    .iter()
                    .find(|(name, _)| name == event.name)
            })
            .and_then(|(_, field)| text(value.get("payload")?.get(field)));
        Self {
            event: event_index,
            event_id: text(value.get("event_id")).map(TableKey::new),
            idempotency_key: text(value.get("idempotency_key")).map(TableKey::new),
            aggregate_id: text(value.get(AGGREGATE_ID_FIELD)).map(TableKey::new),
            version: value.get("version").and_then(Value::as_u64),
            status,
        }
    }
}
