//! A stream of events, one JSON envelope per line (NDJSON), checked against
//! the catalog. Each line gets at most one finding, the first that applies:
//! `invalid`, `duplicate`, `conflict`, `stale`, `transition`. A line with a
//! finding does not change what later lines are compared with.
//!
//! The envelope fields `event_id`, `idempotency_key`, `aggregate_type`,
//! `aggregate_id` and `version` are recognized by name when the envelope
//! declares them; without `aggregate_id` and `version` there is no ordering
//! to check.

use std::fmt;

use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value;

use crate::check::{instance_problems, ValueChecker};
use crate::ir::{Catalog, Family, Lifecycle};
use crate::parse::{AGGREGATE_ID_FIELD, AGGREGATE_TYPE_FIELD};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// Not JSON, or breaks a rule of the catalog or envelope.
    Invalid,
    /// Its `event_id` or `idempotency_key` was seen before: a redelivery.
    Duplicate,
    /// Another event already took this aggregate's version.
    Conflict,
    /// Older than the aggregate's latest version: a late delivery.
    Stale,
    /// Breaks the aggregate's lifecycle.
    Transition,
}

impl FindingKind {
    pub const ALL: [FindingKind; 5] = [
        Self::Invalid,
        Self::Duplicate,
        Self::Conflict,
        Self::Stale,
        Self::Transition,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::Duplicate => "duplicate",
            Self::Conflict => "conflict",
            Self::Stale => "stale",
            Self::Transition => "transition",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// 1-based line number.
    pub line: usize,
    pub kind: FindingKind,
    pub event_id: Option<String>,
    pub message: String,
}

#[derive(Default)]
struct Aggregate {
    latest: u64,
    /// Each version taken, with the line that took it. A list: an
    /// aggregate sees few versions, and a map per aggregate costs more.
    versions: Vec<(u64, usize)>,
    status: Option<String>,
}

/// The stream's state: what redeliveries and ordering are judged against.
pub struct StreamChecker<'c> {
    catalog: &'c Catalog,
    checker: ValueChecker<'c>,
    // Fx hashing: these tables are only looked up, never iterated, so their
    // order cannot reach the output; SipHash was a fifth of the run.
    event_ids: FxHashMap<String, usize>,
    idempotency_keys: FxHashSet<String>,
    aggregates: FxHashMap<(String, String), Aggregate>,
}

impl<'c> StreamChecker<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        Self {
            catalog,
            checker: ValueChecker::new(catalog),
            event_ids: FxHashMap::default(),
            idempotency_keys: FxHashSet::default(),
            aggregates: FxHashMap::default(),
        }
    }

    /// The finding for one line, if any; blank lines have none.
    pub fn check_line(&mut self, line: usize, text: &str) -> Option<Finding> {
        if text.trim().is_empty() {
            return None;
        }
        let finding = |kind, event_id: Option<&str>, message: String| Finding {
            line,
            kind,
            event_id: event_id.map(str::to_owned),
            message,
        };
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(error) => {
                return Some(finding(
                    FindingKind::Invalid,
                    None,
                    format!("not JSON: {error}"),
                ))
            }
        };
        let event_id = value.get("event_id").and_then(Value::as_str);
        let (named, problems) = instance_problems(self.catalog, &self.checker, &value);
        let (family, event) = match named {
            Some(named) if problems.is_empty() => named,
            _ => return Some(finding(FindingKind::Invalid, event_id, problems.join("; "))),
        };
        if let Some(first) = event_id.and_then(|id| self.event_ids.get(id)) {
            return Some(finding(
                FindingKind::Duplicate,
                event_id,
                format!("`event_id` was first seen on line {first}"),
            ));
        }
        let key = value.get("idempotency_key").and_then(Value::as_str);
        if key.is_some_and(|key| self.idempotency_keys.contains(key)) {
            return Some(finding(
                FindingKind::Duplicate,
                event_id,
                format!(
                    "`idempotency_key` `{}` was seen before",
                    key.unwrap_or_default()
                ),
            ));
        }
        let aggregate_key = self.aggregate_key(&value, family);
        let version = value.get("version").and_then(Value::as_u64);
        let status = self.next_status(family, &event.name, &value);
        if let (Some(aggregate_key), Some(version)) = (&aggregate_key, version) {
            if let Some(aggregate) = self.aggregates.get(aggregate_key) {
                if let Some((_, taken)) = aggregate
                    .versions
                    .iter()
                    .find(|(taken, _)| *taken == version)
                {
                    let message = format!(
                        "version {version} of {} `{}` was taken on line {taken}",
                        aggregate_key.0, aggregate_key.1
                    );
                    return Some(finding(FindingKind::Conflict, event_id, message));
                }
                if version < aggregate.latest {
                    let message = format!(
                        "version {version} is older than {} `{}`'s latest, {}",
                        aggregate_key.0, aggregate_key.1, aggregate.latest
                    );
                    return Some(finding(FindingKind::Stale, event_id, message));
                }
            }
        }
        if let Err(message) = &status {
            return Some(finding(FindingKind::Transition, event_id, message.clone()));
        }
        // The line is fine: it becomes part of the state.
        if let Some(id) = event_id {
            self.event_ids.insert(id.to_owned(), line);
        }
        if let Some(key) = key {
            self.idempotency_keys.insert(key.to_owned());
        }
        if let Some(aggregate_key) = aggregate_key {
            let aggregate = self.aggregates.entry(aggregate_key).or_default();
            if let Some(version) = version {
                aggregate.latest = aggregate.latest.max(version);
                aggregate.versions.push((version, line));
            }
            if let Ok(Some(status)) = status {
                aggregate.status = Some(status);
            }
        }
        None
    }

    fn aggregate_key(&self, value: &Value, family: &Family) -> Option<(String, String)> {
        let id = value.get(AGGREGATE_ID_FIELD)?.as_str()?;
        let kind = value
            .get(AGGREGATE_TYPE_FIELD)
            .and_then(Value::as_str)
            .unwrap_or(&family.name);
        Some((kind.to_owned(), id.to_owned()))
    }

    fn lifecycle(&self, family: &Family) -> Option<&'c Lifecycle> {
        self.catalog
            .lifecycles
            .iter()
            .find(|lifecycle| lifecycle.family == family.name)
    }

    /// The status after this event (`Ok(None)`: unchanged), or why the event
    /// cannot happen in the aggregate's current status.
    fn next_status(
        &self,
        family: &Family,
        event: &str,
        value: &Value,
    ) -> Result<Option<String>, String> {
        let Some(lifecycle) = self.lifecycle(family) else {
            return Ok(None);
        };
        if let Some((_, field)) = lifecycle.initial.iter().find(|(name, _)| name == event) {
            return Ok(value["payload"][field].as_str().map(str::to_owned));
        }
        let Some(transition) = lifecycle
            .transitions
            .iter()
            .find(|transition| transition.event == event)
        else {
            return Ok(None);
        };
        let current = self
            .aggregate_key(value, family)
            .and_then(|key| self.aggregates.get(&key))
            .and_then(|aggregate| aggregate.status.clone());
        match (&transition.from, current) {
            // An aggregate first seen mid-stream is not held to its missing history.
            (_, None) | (None, _) => Ok(Some(transition.to.clone())),
            (Some(from), Some(current)) if *from == current => Ok(Some(transition.to.clone())),
            (Some(from), Some(current)) => Err(format!(
                "`{event}` moves {} from `{from}` to `{}`, but it is `{current}`",
                family.name, transition.to
            )),
        }
    }
}
