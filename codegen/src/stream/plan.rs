//! The catalog compiled for the stream checker's fast path: per envelope and
//! per event, the keys to look for, how to check each value, and which values
//! the stream's tables need. Built once per run from the IR.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::pattern::Pattern;
use crate::ir::{Catalog, Family, Field, FieldType, Lifecycle, Rules, Scalar, Transition};
use crate::parse::{own_id_field, AGGREGATE_ID_FIELD, AGGREGATE_TYPE_FIELD};

/// The envelope values the stream's tables and rules are about, read by name
/// whether or not the envelope declares them (as the `Value` path does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EnvelopeRole {
    EventName,
    EventId,
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
}

/// A field type with its enum's values looked up: `FieldType` ready to check.
pub(super) enum TypeCheck<'c> {
    Scalar(Scalar),
    Object,
    Enum(Vec<&'c str>),
    Array(Box<TypeCheck<'c>>),
}

pub(super) struct EventPlan<'c> {
    pub family: &'c Family,
    /// Index of the family in the catalog: with the aggregate id, the key of
    /// an aggregate (a valid event's `aggregate_type` is its family).
    pub family_index: usize,
    pub name: &'c str,
    pub keys: Vec<Key<'c, PayloadRole>>,
    /// A bit per required key.
    pub required: u64,
    pub lifecycle: Option<&'c Lifecycle>,
    /// This event sets the first status from a payload field.
    pub starts_lifecycle: bool,
    pub transition: Option<&'c Transition>,
}

pub(super) struct Plan<'c> {
    pub envelope: Vec<Key<'c, EnvelopeRole>>,
    /// A bit per required envelope key.
    pub envelope_required: u64,
    pub closed: bool,
    pub events: Vec<EventPlan<'c>>,
    pub by_name: FxHashMap<&'c str, usize>,
    /// Objects with more keys than a `u64` has bits go to the `Value` path.
    pub usable: bool,
}

const ENVELOPE_ROLES: [(&str, EnvelopeRole); 5] = [
    ("event_id", EnvelopeRole::EventId),
    ("idempotency_key", EnvelopeRole::IdempotencyKey),
    (AGGREGATE_TYPE_FIELD, EnvelopeRole::AggregateType),
    (AGGREGATE_ID_FIELD, EnvelopeRole::AggregateId),
    ("version", EnvelopeRole::Version),
];

impl<'c> Plan<'c> {
    pub fn new(catalog: &'c Catalog) -> Self {
        let discriminator = catalog.envelope.discriminator.as_str();
        let roles = std::iter::once((discriminator, EnvelopeRole::EventName))
            .chain(ENVELOPE_ROLES)
            .map(|(name, role)| (Cow::Borrowed(name), role));
        let envelope = keys(catalog, &catalog.envelope.fields, roles.collect());
        let events: Vec<EventPlan<'c>> = catalog
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
                    let mut roles =
                        vec![(Cow::Owned(own_id_field(&family.name)), PayloadRole::OwnId)];
                    roles.extend(
                        status_field.map(|field| (Cow::Borrowed(field), PayloadRole::Status)),
                    );
                    let keys = keys(catalog, &event.fields, roles);
                    EventPlan {
                        family,
                        family_index,
                        name: &event.name,
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
            .collect();
        let by_name = events
            .iter()
            .enumerate()
            .map(|(index, event)| (event.name, index))
            .collect();
        let usable = envelope.len() <= 64 && events.iter().all(|event| event.keys.len() <= 64);
        Self {
            envelope_required: required_mask(&envelope),
            envelope,
            closed: catalog.envelope.closed,
            events,
            by_name,
            usable,
        }
    }
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
                name,
                check: None,
                required: false,
                role: Some(role),
            });
        }
    }
    keys
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
        null_allowed: field.optional || field.nullable,
        ty: type_check(catalog, &field.ty),
        rules: &field.rules,
        pattern: field.rules.pattern.as_deref().map(Pattern::new),
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
    }
}
