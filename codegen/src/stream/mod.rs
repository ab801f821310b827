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

mod aggregate;
mod facts;
mod json;
mod pattern;
mod plan;
mod scan;
mod table;
#[cfg(test)]
mod tests;
mod text;

use rustc_hash::FxHashMap;
use serde_json::Value;

use crate::check::{instance_problems, ValueChecker};
use crate::ir::Catalog;
use aggregate::Aggregate;
use facts::Facts;
use plan::{EventPlan, Plan};
use scan::{scan, Ahead};
use table::{Lookup, StringTable, TableKey};

/// What is wrong with a line of a stream.
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
    /// Every kind, in the order summaries list them.
    pub const ALL: [FindingKind; 5] = [
        Self::Invalid,
        Self::Duplicate,
        Self::Conflict,
        Self::Stale,
        Self::Transition,
    ];

    /// How reports name it (`invalid`, `duplicate` …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::Duplicate => "duplicate",
            Self::Conflict => "conflict",
            Self::Stale => "stale",
            Self::Transition => "transition",
        }
    }

    /// What the kind of finding means, in a sentence.
    pub fn description(self) -> &'static str {
        match self {
            Self::Invalid => {
                "The line is not JSON, or breaks a rule of the catalog or the envelope."
            }
            Self::Duplicate => "The event's id or idempotency key was seen before: a redelivery.",
            Self::Conflict => "Another event already took this aggregate's version.",
            Self::Stale => {
                "The event is older than its aggregate's latest version: a late delivery."
            }
            Self::Transition => "The event breaks its aggregate's lifecycle.",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with one line of a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Where the line is: its 1-based line number, or the record's offset
    /// for a checker of [`Positions::Offsets`].
    pub line: usize,
    /// What is wrong.
    pub kind: FindingKind,
    /// The event's id, when the line has one.
    pub event_id: Option<String>,
    /// The event's name in the catalog, when the line names one.
    pub event: Option<String>,
    /// What is wrong, in a sentence.
    pub message: String,
}

/// Whether a line holds only whitespace (Unicode's, as `str::trim`): it is
/// skipped, neither an event nor a finding.
pub fn is_blank(line: &[u8]) -> bool {
    // Nearly every line starts with `{`: no need to decode it.
    line.first() != Some(&b'{')
        && std::str::from_utf8(line).is_ok_and(|text| text.trim().is_empty())
}

/// What the positions given to a checker count, for its messages
/// ("first seen on line 7", "first seen at offset 6").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Positions {
    /// Lines of a file, from 1.
    #[default]
    Lines,
    /// Offsets of records in a partition (Kafka's), from 0.
    Offsets,
    /// Positions of rows in an outbox table.
    Rows,
}

impl Positions {
    fn at(self, position: usize) -> String {
        match self {
            Positions::Lines => format!("on line {position}"),
            Positions::Offsets => format!("at offset {position}"),
            Positions::Rows => format!("at position {position}"),
        }
    }
}

/// The most events `StreamChecker::expect_events` sizes tables for.
pub const MOST_EXPECTED: usize = 1 << 22;

/// The stream's state: what redeliveries and ordering are judged against.
pub struct StreamChecker<'c> {
    catalog: &'c Catalog,
    checker: ValueChecker<'c>,
    plan: Plan<'c>,
    /// The line that first had each event id.
    event_ids: StringTable<usize>,
    /// The line that first had each idempotency key.
    idempotency_keys: StringTable<usize>,
    /// Per family (a valid event's `aggregate_type` is its family), by id.
    aggregates: Vec<StringTable<Aggregate>>,
    statuses: Statuses,
    positions: Positions,
    /// The family and aggregate id of the line checked last, if it was an
    /// event that names its aggregate (`aggregate`).
    last_family: Option<usize>,
    last_aggregate_id: String,
}

impl<'c> StreamChecker<'c> {
    /// A checker for a stream of the catalog's events, having seen none.
    pub fn new(catalog: &'c Catalog) -> Self {
        Self {
            catalog,
            checker: ValueChecker::new(catalog),
            plan: Plan::new(catalog),
            event_ids: StringTable::default(),
            idempotency_keys: StringTable::default(),
            aggregates: catalog
                .families
                .iter()
                .map(|_| StringTable::default())
                .collect(),
            statuses: Statuses::new(catalog),
            positions: Positions::Lines,
            last_family: None,
            last_aggregate_id: String::new(),
        }
    }

    /// The family and aggregate id of the event on the line checked last,
    /// whatever its finding; `None` when it was not an event of the catalog
    /// or names no aggregate. What a transport checks its keying with.
    pub fn aggregate(&self) -> Option<(&str, &str)> {
        let family = self.last_family?;
        Some((
            self.catalog.families[family].name.as_str(),
            self.last_aggregate_id.as_str(),
        ))
    }

    /// What the positions given to `check_line` count, for the messages.
    pub fn counting(mut self, positions: Positions) -> Self {
        self.positions = positions;
        self
    }

    /// Forgets what the lines before `position` told: their event ids and
    /// idempotency keys, the versions they took, and the aggregates last
    /// seen before it (their lifecycle status with them). Memory then holds
    /// what the lines from `position` on told; a later line is compared
    /// with those only. Linear in what is held.
    pub fn forget_before(&mut self, position: usize) {
        self.event_ids.retain(|line| *line >= position);
        self.idempotency_keys.retain(|line| *line >= position);
        for family in &mut self.aggregates {
            family.retain(|aggregate| aggregate.versions.forget_before(position));
        }
    }

    /// Tells the checker to expect about `events` events: the tables of
    /// event ids and idempotency keys are then made that large when they
    /// take their first key, instead of being rebuilt as they fill.
    /// Aggregates are not sized so: a stream may hold many events of each.
    /// A hint past `MOST_EXPECTED` events is taken as that many (32 MiB of
    /// slots a table), so that a wrong guess cannot claim much memory.
    pub fn expect_events(&mut self, events: usize) {
        let events = events.min(MOST_EXPECTED);
        self.event_ids.expect(events);
        self.idempotency_keys.expect(events);
    }

    /// The finding for one line read as bytes, if any: a line that is not
    /// UTF-8 is not JSON.
    pub fn check_bytes(&mut self, line: usize, bytes: &[u8]) -> Option<Finding> {
        self.last_family = None;
        // The SIMD check first: lines are nearly always valid, and only an
        // invalid one needs std's answer of where it breaks.
        let checked = simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes));
        match checked {
            Ok(text) => self.check_line(line, text),
            Err(error) => Some(Finding {
                line,
                kind: FindingKind::Invalid,
                event_id: None,
                event: None,
                message: format!("not JSON: not UTF-8 text ({error})"),
            }),
        }
    }

    /// The finding for one line, if any; blank lines have none.
    pub fn check_line(&mut self, line: usize, text: &str) -> Option<Finding> {
        self.last_family = None;
        if is_blank(text.as_bytes()) {
            return None;
        }
        let fetch = |key: Ahead<'_, '_>| match key {
            Ahead::EventId(id) => self.event_ids.prefetch(id),
            Ahead::IdempotencyKey(key) => self.idempotency_keys.prefetch(key),
            Ahead::Aggregate(family, id) => self.aggregates[family].prefetch(id),
        };
        if let Some(facts) = scan(&self.plan, text, fetch) {
            return self.judge(line, facts);
        }
        // The line breaks a rule, or has a shape the fast path leaves to
        // the `Value` path: that path decides, and says what is wrong.
        let invalid = |event_id: Option<&str>, event: Option<&str>, message: String| {
            Some(Finding {
                line,
                kind: FindingKind::Invalid,
                event_id: event_id.map(str::to_owned),
                event: event.map(str::to_owned),
                message,
            })
        };
        let value: Value = match serde_json::from_str(text) {
            Ok(value) => value,
            Err(error) => return invalid(None, None, format!("not JSON: {error}")),
        };
        let event_id = self
            .plan
            .roles
            .event_id
            .as_ref()
            .and_then(|path| path.find(&value))
            .and_then(Value::as_str);
        let (named, problems) = instance_problems(self.catalog, &self.checker, &value);
        match named.and_then(|(_, event)| self.plan.event_index(&event.wire_name)) {
            Some(index) if problems.is_empty() => {
                let facts = Facts::from_value(&self.plan, index, &value);
                self.judge(line, facts)
            }
            _ => invalid(
                event_id,
                named.map(|(_, event)| event.name.as_str()),
                problems.join("; "),
            ),
        }
    }

    /// The finding for a line that breaks no rule of its own: what the
    /// stream so far says of it. Without one, the line joins the state.
    fn judge(&mut self, line: usize, facts: Facts<'_>) -> Option<Finding> {
        let Self {
            plan,
            event_ids,
            idempotency_keys,
            aggregates,
            statuses,
            positions,
            last_family,
            last_aggregate_id,
            ..
        } = self;
        let event = &plan.events[facts.event];
        if let Some(id) = &facts.aggregate_id {
            *last_family = Some(event.family_index);
            last_aggregate_id.clear();
            last_aggregate_id.push_str(id.text());
        }
        let finding = |kind, message: String| {
            Some(Finding {
                line,
                kind,
                event_id: facts.event_id.as_ref().map(|id| id.text().to_owned()),
                event: Some(event.name.to_owned()),
                message,
            })
        };
        // Each key is looked up once: what is found decides the finding, and
        // what is absent is inserted if the line turns out fine. An event is
        // the same as another when its id is, within its source if the
        // envelope has one (the length first keeps the pair unambiguous).
        let paired;
        let identity = match (&facts.event_source, &facts.event_id) {
            (Some(source), Some(id)) => {
                let pair = format!("{}:{source}{}", source.len(), id.text());
                paired = TableKey::new(std::borrow::Cow::Owned(pair));
                Some(&paired)
            }
            (_, id) => id.as_ref(),
        };
        let event_id = identity.map(|id| event_ids.lookup(id));
        if let Some(first) = event_id.as_ref().and_then(Lookup::found) {
            let roles = plan.roles;
            let id = roles
                .event_id
                .as_ref()
                .map(|path| path.dotted())
                .unwrap_or_default();
            let message = match (&roles.event_source, &facts.event_source) {
                (Some(source_name), Some(source)) => {
                    format!(
                        "`{id}` from `{source_name}` `{source}` was first seen {}",
                        positions.at(*first)
                    )
                }
                _ => format!("`{id}` was first seen {}", positions.at(*first)),
            };
            return finding(FindingKind::Duplicate, message);
        }
        let idempotency_key = facts
            .idempotency_key
            .as_ref()
            .map(|key| (key.text(), idempotency_keys.lookup(key)));
        if let Some((key, Lookup::Found(_))) = idempotency_key {
            let name = plan
                .roles
                .idempotency_key
                .as_ref()
                .map(|path| path.dotted())
                .unwrap_or_default();
            return finding(
                FindingKind::Duplicate,
                format!("`{name}` `{key}` was seen before"),
            );
        }
        let family = &event.family.name;
        let aggregate = facts
            .aggregate_id
            .as_ref()
            .map(|id| aggregates[event.family_index].lookup(id));
        let known = aggregate.as_ref().and_then(Lookup::found);
        if let (Some(known), Some(version), Some(id)) = (
            known,
            facts.version,
            facts.aggregate_id.as_ref().map(TableKey::text),
        ) {
            if let Some(latest) = known.versions.latest().filter(|latest| version <= *latest) {
                if let Some(taken) = known.versions.line_of(version) {
                    return finding(
                        FindingKind::Conflict,
                        format!(
                            "version {version} of {family} `{id}` was taken {}",
                            positions.at(taken)
                        ),
                    );
                }
                return finding(
                    FindingKind::Stale,
                    format!("version {version} is older than {family} `{id}`'s latest, {latest}"),
                );
            }
        }
        let status = match next_status(event, &facts, known, statuses) {
            Ok(status) => status,
            Err(message) => return finding(FindingKind::Transition, message),
        };
        // The line is fine: it becomes part of the state.
        if let Some(Lookup::Absent(vacancy)) = event_id {
            vacancy.insert(line);
        }
        if let Some((_, Lookup::Absent(vacancy))) = idempotency_key {
            vacancy.insert(line);
        }
        let aggregate = aggregate.map(|aggregate| match aggregate {
            Lookup::Found(known) => known,
            Lookup::Absent(vacancy) => vacancy.insert(Aggregate::default()),
        });
        if let Some(aggregate) = aggregate {
            match facts.version {
                Some(version) => aggregate.versions.take(version, line),
                None => aggregate.versions.touch(line),
            }
            if status.is_some() {
                aggregate.status = status;
            }
        }
        None
    }
}

/// The status after this event (`Ok(None)`: unchanged), or why the event
/// cannot happen in the aggregate's current status.
fn next_status(
    event: &EventPlan<'_>,
    facts: &Facts<'_>,
    aggregate: Option<&Aggregate>,
    statuses: &mut Statuses,
) -> Result<Option<u32>, String> {
    if event.starts_lifecycle {
        return Ok(facts.status.as_deref().map(|status| statuses.index(status)));
    }
    let Some(transition) = event.transition else {
        return Ok(None);
    };
    let current = aggregate.and_then(|aggregate| aggregate.status);
    match (&transition.from, current) {
        // An aggregate first seen mid-stream is not held to its missing history.
        (_, None) | (None, _) => Ok(Some(statuses.index(&transition.to))),
        (Some(from), Some(current)) if *from == statuses.name(current) => {
            Ok(Some(statuses.index(&transition.to)))
        }
        (Some(from), Some(current)) => Err(format!(
            "`{}` moves {} from `{from}` to `{}`, but it is `{}`",
            event.name,
            event.family.name,
            transition.to,
            statuses.name(current)
        )),
    }
}

/// Status names, each stored once: aggregates hold a 32-bit index. The
/// lifecycles' own statuses come first, so that should a stream bring more
/// than `u32::MAX` other first statuses, the ones past that (which share
/// one index) still compare unequal to every status a transition names.
struct Statuses {
    names: Vec<Box<str>>,
    indices: FxHashMap<Box<str>, u32>,
}

/// The index shared by statuses past the limit.
const OTHER_STATUS: u32 = u32::MAX;

impl Statuses {
    fn new(catalog: &Catalog) -> Self {
        let mut statuses = Self {
            names: Vec::new(),
            indices: FxHashMap::default(),
        };
        for transition in catalog
            .lifecycles
            .iter()
            .flat_map(|lifecycle| &lifecycle.transitions)
        {
            for name in transition.from.iter().chain([&transition.to]) {
                statuses.index(name);
            }
        }
        statuses
    }

    fn index(&mut self, name: &str) -> u32 {
        if let Some(index) = self.indices.get(name) {
            return *index;
        }
        let Some(index) = u32::try_from(self.names.len())
            .ok()
            .filter(|index| *index != OTHER_STATUS)
        else {
            return OTHER_STATUS;
        };
        self.names.push(name.into());
        self.indices.insert(name.into(), index);
        index
    }

    fn name(&self, index: u32) -> &str {
        self.names
            .get(index as usize)
            .map_or("another status", |name| name)
    }
}
