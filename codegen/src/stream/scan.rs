//! The fast path: one pass over a line's JSON, each value checked against
//! the plan as it is read, no `Value` tree built. It answers only "valid,
//! with these facts". A line it does not accept goes to the `Value` path,
//! which says what is wrong; shapes it does not take on (duplicate keys,
//! non-string ids) go there too, so the verdicts are the `Value` path's.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::facts::Facts;
use super::plan::{EnvelopeRole, EventPlan, Key, PayloadRole, Plan, TypeCheck, ValueCheck};
use super::text::same_text;
use crate::ir::Scalar;

/// The facts of a line that breaks no rule, or `None` to take the `Value`
/// path.
pub(super) fn scan<'de>(plan: &Plan<'_>, text: &'de str) -> Option<Facts<'de>> {
    if !plan.usable {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let facts = EnvelopeSeed(plan).deserialize(&mut deserializer).ok()?;
    deserializer.end().ok()?;
    Some(facts)
}

/// The reason carried by every error of the fast path; never shown.
const REJECTED: &str = "left to the Value path";

/// A value as far as the stream needs it.
enum Kept<'de> {
    Str(Cow<'de, str>),
    U64(u64),
    Other,
}

impl<'de> Kept<'de> {
    fn into_str(self) -> Option<Cow<'de, str>> {
        match self {
            Kept::Str(text) => Some(text),
            _ => None,
        }
    }
}

struct EnvelopeSeed<'p, 'c>(&'p Plan<'c>);

enum Payload<'de> {
    Missing,
    Unread(&'de RawValue),
    Read(PayloadFacts<'de>),
}

#[derive(Default)]
struct PayloadFacts<'de> {
    own_id: Option<Kept<'de>>,
    status: Option<Cow<'de, str>>,
}

impl<'de> DeserializeSeed<'de> for EnvelopeSeed<'_, '_> {
    type Value = Facts<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed<'_, '_> {
    type Value = Facts<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an event envelope")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let plan = self.0;
        let mut seen = 0u64;
        let mut event: Option<&EventPlan<'_>> = None;
        let mut payload = Payload::Missing;
        let mut facts = Facts::default();
        let mut aggregate_type = None;
        let mut aggregate_id = None;
        let mut next = 0;
        while let Some(key) = map.next_key_seed(KeySeed {
            keys: &plan.envelope,
            next,
            payload: true,
        })? {
            let index = match key {
                KeyMatch::Payload => {
                    if !matches!(payload, Payload::Missing) {
                        return Err(A::Error::custom(REJECTED));
                    }
                    payload = match event {
                        Some(event) => Payload::Read(map.next_value_seed(PayloadSeed(event))?),
                        None => Payload::Unread(map.next_value()?),
                    };
                    continue;
                }
                KeyMatch::Other if plan.closed => return Err(A::Error::custom(REJECTED)),
                KeyMatch::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                KeyMatch::Known(index) => index,
            };
            if seen & 1 << index != 0 {
                return Err(A::Error::custom(REJECTED));
            }
            seen |= 1 << index;
            next = index + 1;
            let key = &plan.envelope[index];
            // A valid line's event name and family are the event's own,
            // checked once in the plan (`EventPlan::fits_envelope`).
            let check = match key.role {
                Some(EnvelopeRole::EventName | EnvelopeRole::AggregateType) => None,
                _ => key.check.as_ref(),
            };
            let kept = map.next_value_seed(ValueSeed(check))?;
            match key.role {
                None => {}
                Some(EnvelopeRole::EventName) => {
                    let name = kept.into_str().ok_or_else(|| A::Error::custom(REJECTED))?;
                    let index = plan
                        .by_name
                        .get(name.as_ref())
                        .ok_or_else(|| A::Error::custom(REJECTED))?;
                    event = Some(&plan.events[*index]);
                    facts.event = *index;
                }
                Some(EnvelopeRole::EventId) => facts.event_id = kept.into_str(),
                Some(EnvelopeRole::IdempotencyKey) => facts.idempotency_key = kept.into_str(),
                Some(EnvelopeRole::AggregateType) => {
                    aggregate_type =
                        Some(kept.into_str().ok_or_else(|| A::Error::custom(REJECTED))?);
                }
                Some(EnvelopeRole::AggregateId) => aggregate_id = Some(kept),
                Some(EnvelopeRole::Version) => {
                    facts.version = match kept {
                        Kept::U64(version) => Some(version),
                        _ => None,
                    }
                }
            }
        }
        let Some(event) = event.filter(|event| event.fits_envelope) else {
            return Err(A::Error::custom(REJECTED));
        };
        if seen & plan.envelope_required != plan.envelope_required {
            return Err(A::Error::custom(REJECTED));
        }
        let payload = match payload {
            Payload::Missing => return Err(A::Error::custom(REJECTED)),
            Payload::Read(payload) => payload,
            Payload::Unread(raw) => PayloadSeed(event)
                .deserialize(&mut serde_json::Deserializer::from_str(raw.get()))
                .map_err(|_| A::Error::custom(REJECTED))?,
        };
        if aggregate_type.is_some_and(|kind| !same_text(&kind, event.family.name.as_str())) {
            return Err(A::Error::custom(REJECTED));
        }
        facts.aggregate_id = match (aggregate_id, payload.own_id) {
            (Some(Kept::Str(aggregate)), Some(Kept::Str(own))) if same_text(&aggregate, &own) => {
                Some(aggregate)
            }
            (Some(_), Some(_)) => return Err(A::Error::custom(REJECTED)),
            (aggregate, None) => aggregate.and_then(Kept::into_str),
            (None, Some(_)) => None,
        };
        facts.status = payload.status;
        Ok(facts)
    }
}

struct PayloadSeed<'p, 'c>(&'p EventPlan<'c>);

impl<'de> DeserializeSeed<'de> for PayloadSeed<'_, '_> {
    type Value = PayloadFacts<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PayloadSeed<'_, '_> {
    type Value = PayloadFacts<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a payload object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let event = self.0;
        let mut seen = 0u64;
        let mut facts = PayloadFacts::default();
        let mut next = 0;
        while let Some(key) = map.next_key_seed(KeySeed {
            keys: &event.keys,
            next,
            payload: false,
        })? {
            let KeyMatch::Known(index) = key else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            if seen & 1 << index != 0 {
                return Err(A::Error::custom(REJECTED));
            }
            seen |= 1 << index;
            next = index + 1;
            let key = &event.keys[index];
            let kept = map.next_value_seed(ValueSeed(key.check.as_ref()))?;
            match key.role {
                None => {}
                Some(PayloadRole::OwnId) => facts.own_id = Some(kept),
                Some(PayloadRole::Status) => facts.status = kept.into_str(),
            }
        }
        if seen & event.required != event.required {
            return Err(A::Error::custom(REJECTED));
        }
        Ok(facts)
    }
}

enum KeyMatch {
    Known(usize),
    Payload,
    Other,
}

/// An object key, matched against the plan's keys without allocating.
struct KeySeed<'p, 'c, Role> {
    keys: &'p [Key<'c, Role>],
    /// The key tried first: the one after the previous key. Producers write
    /// their fields in one order, mostly the catalog's.
    next: usize,
    /// Whether `payload` is a key of its own here (the envelope).
    payload: bool,
}

impl<'de, Role> DeserializeSeed<'de> for KeySeed<'_, '_, Role> {
    type Value = KeyMatch;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, Role> Visitor<'de> for KeySeed<'_, '_, Role> {
    type Value = KeyMatch;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a key")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<Self::Value, E> {
        if self.payload && key == "payload" {
            return Ok(KeyMatch::Payload);
        }
        if self
            .keys
            .get(self.next)
            .is_some_and(|known| same_text(&known.name, key))
        {
            return Ok(KeyMatch::Known(self.next));
        }
        Ok(self
            .keys
            .iter()
            .position(|known| same_text(&known.name, key))
            .map_or(KeyMatch::Other, KeyMatch::Known))
    }
}

/// One field's value: checked when the plan has a check for it, and kept
/// as far as the stream needs it.
struct ValueSeed<'p, 'c>(Option<&'p ValueCheck<'c>>);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_, '_> {
    type Value = Kept<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl ValueSeed<'_, '_> {
    fn number<E: Error>(self, integer: bool, value: f64) -> Result<(), E> {
        let Some(check) = self.0 else {
            return Ok(());
        };
        let type_fits = match check.ty {
            TypeCheck::Scalar(Scalar::Integer) => integer,
            TypeCheck::Scalar(Scalar::Number) => true,
            _ => false,
        };
        let limit = |limit: &serde_json::Number| limit.as_f64().unwrap_or(0.0);
        let in_bounds = check
            .rules
            .minimum
            .as_ref()
            .is_none_or(|min| value >= limit(min))
            && check
                .rules
                .maximum
                .as_ref()
                .is_none_or(|max| value <= limit(max));
        if type_fits && in_bounds {
            Ok(())
        } else {
            Err(E::custom(REJECTED))
        }
    }

    fn string<E: Error>(&self, text: &str) -> Result<(), E> {
        if self.0.is_none_or(|check| check.fits_text(text)) {
            Ok(())
        } else {
            Err(E::custom(REJECTED))
        }
    }

    fn is(&self, expected: impl Fn(&TypeCheck<'_>) -> bool) -> bool {
        self.0.is_none_or(|check| expected(&check.ty))
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_, '_> {
    type Value = Kept<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a field's value")
    }

    fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
        match self.0 {
            Some(check) if !check.null_allowed => Err(E::custom(REJECTED)),
            _ => Ok(Kept::Other),
        }
    }

    fn visit_bool<E: Error>(self, _: bool) -> Result<Self::Value, E> {
        if self.is(|ty| matches!(ty, TypeCheck::Scalar(Scalar::Boolean))) {
            Ok(Kept::Other)
        } else {
            Err(E::custom(REJECTED))
        }
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<Self::Value, E> {
        self.number(true, value as f64)?;
        Ok(Kept::U64(value))
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<Self::Value, E> {
        self.number(true, value as f64)?;
        Ok(u64::try_from(value).map_or(Kept::Other, Kept::U64))
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<Self::Value, E> {
        self.number(false, value)?;
        Ok(Kept::Other)
    }

    fn visit_borrowed_str<E: Error>(self, text: &'de str) -> Result<Self::Value, E> {
        self.string(text)?;
        Ok(Kept::Str(Cow::Borrowed(text)))
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<Self::Value, E> {
        self.string(text)?;
        Ok(Kept::Str(Cow::Owned(text.to_owned())))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        match self.0.map(|check| &check.ty) {
            None => while seq.next_element::<IgnoredAny>()?.is_some() {},
            Some(TypeCheck::Array(item)) => {
                while seq.next_element_seed(ItemSeed(item))?.is_some() {}
            }
            Some(_) => return Err(A::Error::custom(REJECTED)),
        }
        Ok(Kept::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        if !self.is(|ty| matches!(ty, TypeCheck::Object)) {
            return Err(A::Error::custom(REJECTED));
        }
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Kept::Other)
    }
}

/// An array item: its type only, as `ValueChecker` checks items.
struct ItemSeed<'p, 'c>(&'p TypeCheck<'c>);

impl<'de> DeserializeSeed<'de> for ItemSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ItemSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("an array item")
    }

    fn visit_bool<E: Error>(self, _: bool) -> Result<(), E> {
        self.fits(matches!(self.0, TypeCheck::Scalar(Scalar::Boolean)))
    }

    fn visit_u64<E: Error>(self, _: u64) -> Result<(), E> {
        self.fits(matches!(
            self.0,
            TypeCheck::Scalar(Scalar::Integer) | TypeCheck::Scalar(Scalar::Number)
        ))
    }

    fn visit_i64<E: Error>(self, _: i64) -> Result<(), E> {
        self.fits(matches!(
            self.0,
            TypeCheck::Scalar(Scalar::Integer) | TypeCheck::Scalar(Scalar::Number)
        ))
    }

    fn visit_f64<E: Error>(self, _: f64) -> Result<(), E> {
        self.fits(matches!(self.0, TypeCheck::Scalar(Scalar::Number)))
    }

    fn visit_str<E: Error>(self, text: &str) -> Result<(), E> {
        self.fits(self.0.fits_text(text))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let TypeCheck::Array(item) = self.0 else {
            return Err(A::Error::custom(REJECTED));
        };
        while seq.next_element_seed(ItemSeed(item))?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.fits::<A::Error>(matches!(self.0, TypeCheck::Object))?;
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

impl ItemSeed<'_, '_> {
    fn fits<E: Error>(&self, fits: bool) -> Result<(), E> {
        if fits {
            Ok(())
        } else {
            Err(E::custom(REJECTED))
        }
    }
}
