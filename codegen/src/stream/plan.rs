//! The catalog compiled for the stream checker's fast path: per envelope and
//! per event, the keys to look for, how to check each value, and which values
//! the stream's tables need. Built once per run from the IR.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::json::needs_no_escape;
use super::pattern::Pattern;
use super::text::{same_text, Name};
use crate::ir::{
    Catalog, Family, Field, FieldType, Lifecycle, MemberPath, Roles, Rules, Scalar, Transition,
};
use crate::vocabulary::{format, is_utc_date_time, is_uuid, Format};

/// The envelope values the stream's tables and rules are about: the
/// envelope's roles (`ir::Roles`), read from the properties that play them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EnvelopeRole {
    EventName,
    EventId,
    EventSource,
    IdempotencyKey,
    AggregateType,
    AggregateId,
    Version,
}

/// The payload values the stream needs: the aggregate's own id and, for an
/// event that starts a lifecycle, the field holding the first status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PayloadRole {
    OwnId,
    Status,
}

/// A key the fast path recognizes in an object: a declared field to check,
/// a value to keep, or both.
pub(super) struct Key<'c, Role> {
    pub name: Cow<'c, str>,
    /// A line's key can be compared byte for byte with `name`
    /// (`json::needs_no_escape`).
    pub plain: bool,
    pub check: Option<ValueCheck<'c>>,
    pub required: bool,
    pub role: Option<Role>,
}

/// How one field's value is checked: the rules of `check::ValueChecker`,
/// resolved ahead of time.
pub(super) struct ValueCheck<'c> {
    pub null_allowed: bool,
    pub ty: TypeCheck<'c>,
    pub rules: &'c Rules,
    /// The compiled `rules.pattern`.
    pub pattern: Option<Pattern>,
    /// `rules.format`, when evcat checks it, looked up once.
    pub format: Option<&'static Format>,
}

/// A field type with its enum's values looked up: `FieldType` ready to check.
pub(super) enum TypeCheck<'c> {
    Scalar(Scalar),
    Object,
    Enum(Vec<&'c str>),
    Array(Box<TypeCheck<'c>>),
    /// An object with declared fields: the fast path is not sure of any
    /// value of it, so its lines go to the `Value` path, which descends.
    Nested,
}

pub(super) struct EventPlan<'c> {
    /// The event's name and family pass the envelope's checks of
    /// `event_name` and `aggregate_type`. A valid line holds exactly these
    /// two values, so they are checked once here rather than on every line.
    pub fits_envelope: bool,
    pub family: &'c Family,
    /// Index of the family in the catalog: with the aggregate id, the key of
    /// an aggregate (a valid event's `aggregate_type` is its family).
    pub family_index: usize,
    pub name: &'c str,
    /// The discriminator's value for this event.
    pub wire_name: &'c str,
    pub keys: Vec<Key<'c, PayloadRole>>,
    /// A bit per required key.
    pub required: u64,
    pub lifecycle: Option<&'c Lifecycle>,
    /// This event sets the first status from a payload field.
    pub starts_lifecycle: bool,
    pub transition: Option<&'c Transition>,
}

pub(super) struct Plan<'c> {
    /// The property of the root holding the payload, for the fast path.
    /// (Flat events, whose fields sit beside the envelope's, have none, and
    /// go to the `Value` path: the plan reads payloads as one object; so do
    /// envelopes with a role or the payload in a nested object.)
    pub payload: Option<&'c str>,
    /// Where the payload is, for the `Value` path.
    pub payload_path: Option<&'c MemberPath>,
    /// What the envelope's properties are for, for the `Value` path and
    /// the findings' words.
    pub roles: &'c Roles,
    pub envelope: Vec<Key<'c, EnvelopeRole>>,
    /// A bit per required envelope key.
    pub envelope_required: u64,
    pub closed: bool,
    pub events: Vec<EventPlan<'c>>,
    by_name: FxHashMap<Name<'c>, usize>,
    /// Objects with more keys than a `u64` has bits go to the `Value` path.
    pub usable: bool,
}

impl<'c> Plan<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        let envelope = &catalog.envelope;
        let roles = &envelope.roles;
        let played = [
            (&roles.event_id, EnvelopeRole::EventId),
            (&roles.event_source, EnvelopeRole::EventSource),
            (&roles.idempotency_key, EnvelopeRole::IdempotencyKey),
            (&roles.aggregate_type, EnvelopeRole::AggregateType),
            (&roles.aggregate_id, EnvelopeRole::AggregateId),
            (&roles.aggregate_version, EnvelopeRole::Version),
        ];
        // The fast path reads the root's properties: roles below it leave
        // the plan unusable, and each line goes to the `Value` path.
        let played = std::iter::once((&envelope.discriminator, EnvelopeRole::EventName))
            .chain(
                played
                    .into_iter()
                    .filter_map(|(path, role)| Some((path.as_ref()?, role))),
            )
            .filter(|(path, _)| path.is_top())
            .map(|(path, role)| (Cow::Borrowed(path.key()), role));
        let envelope_keys = keys(catalog, &envelope.fields, played.collect());
        let events = event_plans(catalog, &envelope_keys);
        let by_name = events
            .iter()
            .enumerate()
            .map(|(index, event)| (Name(event.wire_name), index))
            .collect();
        let usable = envelope_keys.len() <= 64
            && events.iter().all(|event| event.keys.len() <= 64)
            && envelope.payload.is_some()
            && envelope.roles_at_top()
            // Closed payloads refuse unknown members: the `Value` path says so.
            && catalog.events().all(|(_, event)| !event.closed);
        Self {
            payload: envelope.payload.as_ref().map(MemberPath::key),
            payload_path: envelope.payload.as_ref(),
            roles,
            envelope_required: required_mask(&envelope_keys),
            envelope: envelope_keys,
            closed: envelope.closed,
            events,
            by_name,
            usable,
        }
    }

    /// The index of the event of this name.
    pub fn event_index(&self, wire_name: &str) -> Option<usize> {
        self.by_name.get(&Name(wire_name)).copied()
    }
}

fn event_plans<'c>(catalog: &'c Catalog, envelope: &[Key<'c, EnvelopeRole>]) -> Vec<EventPlan<'c>> {
    catalog
        .families
        .iter()
        .enumerate()
        .flat_map(|(family_index, family)| {
            let lifecycle = catalog
                .lifecycles
                .iter()
                .find(|lifecycle| lifecycle.family == family.name);
            family.events.iter().map(move |event| {
                let status_field = lifecycle.and_then(|lifecycle| {
                    lifecycle
                        .initial
                        .iter()
                        .find(|(name, _)| *name == event.name)
                        .map(|(_, field)| field.as_str())
                });
                let mut roles = vec![(Cow::Borrowed(event.own_id.as_str()), PayloadRole::OwnId)];
                roles.extend(status_field.map(|field| (Cow::Borrowed(field), PayloadRole::Status)));
                let keys = keys(catalog, &event.fields, roles);
                EventPlan {
                    fits_envelope: fits_envelope(envelope, &event.wire_name, &family.name),
                    family,
                    family_index,
                    name: &event.name,
                    wire_name: &event.wire_name,
                    required: required_mask(&keys),
                    keys,
                    lifecycle,
                    starts_lifecycle: status_field.is_some(),
                    transition: lifecycle.and_then(|lifecycle| {
                        lifecycle
                            .transitions
                            .iter()
                            .find(|transition| transition.event == event.name)
                    }),
                }
            })
        })
        .collect()
}

fn fits_envelope(envelope: &[Key<'_, EnvelopeRole>], event: &str, family: &str) -> bool {
    envelope.iter().all(|key| {
        let value = match key.role {
            Some(EnvelopeRole::EventName) => event,
            Some(EnvelopeRole::AggregateType) => family,
            _ => return true,
        };
        key.check
            .as_ref()
            .is_none_or(|check| check.fits_text(value))
    })
}

/// The declared fields, then the role names no field declares.
fn keys<'c, Role: Copy + PartialEq>(
    catalog: &'c Catalog,
    fields: &'c [Field],
    roles: Vec<(Cow<'c, str>, Role)>,
) -> Vec<Key<'c, Role>> {
    let mut keys: Vec<Key<'c, Role>> = fields
        .iter()
        .map(|field| Key {
            plain: needs_no_escape(&field.name),
            name: Cow::Borrowed(&field.name),
            check: Some(value_check(catalog, field)),
            required: !field.optional,
            role: roles
                .iter()
                .find(|(name, _)| *name == field.name)
                .map(|(_, role)| *role),
        })
        .collect();
    for (name, role) in roles {
        if !fields.iter().any(|field| field.name == name) {
            keys.push(Key {
                plain: needs_no_escape(&name),
                name,
                check: None,
                required: false,
                role: Some(role),
            });
        }
    }
    keys
}

impl ValueCheck<'_> {
    /// Whether a string value passes: its type, format, pattern and length.
    pub fn fits_text(&self, text: &str) -> bool {
        let rules = self.rules;
        self.ty.fits_text(text)
            && self.format.is_none_or(|format| format.holds(text))
            && self
                .pattern
                .as_ref()
                .is_none_or(|pattern| pattern.is_match(text))
            && length_fits(text, rules.min_length, rules.max_length)
    }
}

impl TypeCheck<'_> {
    pub fn fits_text(&self, text: &str) -> bool {
        match self {
            TypeCheck::Scalar(Scalar::String) => true,
            TypeCheck::Scalar(Scalar::Id) => !text.is_empty(),
            TypeCheck::Scalar(Scalar::Uuid) => is_uuid(text),
            TypeCheck::Scalar(Scalar::Timestamp) => is_utc_date_time(text),
            TypeCheck::Enum(values) => values.iter().any(|value| same_text(value, text)),
            _ => false,
        }
    }
}

/// Whether the text's length in characters is within bounds, counting the
/// characters only when its length in bytes does not tell (a character is
/// one to four bytes).
fn length_fits(text: &str, min: Option<u64>, max: Option<u64>) -> bool {
    let bytes = text.len() as u64;
    let (fewest, most) = (bytes.div_ceil(4), bytes);
    if min.is_none_or(|min| fewest >= min) && max.is_none_or(|max| most <= max) {
        return true;
    }
    if min.is_some_and(|min| most < min) || max.is_some_and(|max| fewest > max) {
        return false;
    }
    let length = text.chars().count() as u64;
    min.is_none_or(|min| length >= min) && max.is_none_or(|max| length <= max)
}

fn required_mask<Role>(keys: &[Key<'_, Role>]) -> u64 {
    keys.iter()
        .take(64)
        .enumerate()
        .filter(|(_, key)| key.required)
        .fold(0, |mask, (index, _)| mask | 1 << index)
}

fn value_check<'c>(catalog: &'c Catalog, field: &'c Field) -> ValueCheck<'c> {
    ValueCheck {
        null_allowed: field.accepts_null(),
        ty: type_check(catalog, &field.ty),
        rules: &field.rules,
        pattern: field.rules.pattern.as_deref().map(Pattern::new),
        format: field.rules.format.as_deref().and_then(format),
    }
}

fn type_check<'c>(catalog: &'c Catalog, ty: &'c FieldType) -> TypeCheck<'c> {
    match ty {
        FieldType::Scalar(scalar) => TypeCheck::Scalar(*scalar),
        FieldType::Object => TypeCheck::Object,
        FieldType::Enum(id) => TypeCheck::Enum(
            catalog
                .enum_type(*id)
                .variants
                .iter()
                .map(|variant| variant.value.as_str())
                .collect(),
        ),
        FieldType::Array(item) => TypeCheck::Array(Box::new(type_check(catalog, item))),
        // The fast path is not sure of a map's values, a union's branches
        // or a lone `null` either.
        FieldType::Struct(_)
        | FieldType::Map(_)
        | FieldType::Union(_)
        | FieldType::Null
        | FieldType::Any
        | FieldType::Tuple(_) => TypeCheck::Nested,
    }
}
