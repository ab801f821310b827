//! The fast path: one pass over a line's bytes with the JSON reader, each
//! value checked against the plan as it is read, no `Value` tree built. It
//! answers only "valid, with these facts". A line it does not accept goes
//! to the `Value` path, which says what is wrong; shapes it does not take
//! on (duplicate keys, non-string ids, what the reader leaves to
//! serde_json) go there too, so the verdicts are the `Value` path's.

use std::borrow::Cow;

use super::facts::Facts;
use super::json::{KeyRead, Members, Number, Reader, DEEPEST};
use super::plan::{EnvelopeRole, EventPlan, Key, PayloadRole, Plan, TypeCheck, ValueCheck};
use super::table::TableKey;
use super::text::same_text;
use crate::ir::Scalar;

/// A key of the stream's tables, told as soon as it is read so that the
/// tables can fetch where it goes while the rest of the line is read.
pub(super) enum Ahead<'a, 'l> {
    EventId(&'a TableKey<'l>),
    IdempotencyKey(&'a TableKey<'l>),
    /// An aggregate id, with the family index of the event named before it.
    Aggregate(usize, &'a TableKey<'l>),
}

/// The facts of a line that breaks no rule, or `None` to take the `Value`
/// path.
pub(super) fn scan<'l>(
    plan: &Plan<'_>,
    line: &'l str,
    ahead: impl FnMut(Ahead<'_, '_>),
) -> Option<Facts<'l>> {
    if !plan.usable {
        return None;
    }
    let mut reader = Reader::new(line);
    let facts = envelope(plan, &mut reader, line, ahead)?;
    reader.end()?;
    Some(facts)
}

/// A value as far as the stream needs it.
enum Kept<'l> {
    Str(Cow<'l, str>),
    U64(u64),
    Other,
}

impl<'l> Kept<'l> {
    fn into_str(self) -> Option<Cow<'l, str>> {
        match self {
            Kept::Str(text) => Some(text),
            _ => None,
        }
    }
}

enum Payload<'l> {
    Missing,
    /// Before the event's name: where it starts, read once the name is.
    Unread(usize),
    Read(PayloadFacts<'l>),
}

#[derive(Default)]
struct PayloadFacts<'l> {
    own_id: Option<Kept<'l>>,
    status: Option<Cow<'l, str>>,
}

/// Nesting of the envelope's values.
const IN_ENVELOPE: usize = 1;

fn envelope<'l>(
    plan: &Plan<'_>,
    reader: &mut Reader<'l>,
    line: &'l str,
    mut ahead: impl FnMut(Ahead<'_, '_>),
) -> Option<Facts<'l>> {
    reader.open_object()?;
    let mut members = Members::default();
    let mut keys = KeysRead::default();
    let mut event: Option<&EventPlan<'_>> = None;
    let mut payload = Payload::Missing;
    let mut facts = Facts::default();
    let mut aggregate_type = None;
    let mut aggregate_id = None;
    loop {
        // The payload is told by name whatever the envelope says of it.
        let expected = plan
            .envelope
            .get(keys.next)
            .filter(|key| key.plain && Some(&*key.name) != plan.payload);
        let index = match reader.next_key_or(&mut members, expected.map(|key| &*key.name))? {
            None => break,
            Some(KeyRead::Expected) => keys.next,
            Some(KeyRead::Other(key)) if Some(&*key) == plan.payload => {
                if !matches!(payload, Payload::Missing) {
                    return None;
                }
                payload = match event {
                    Some(event) => Payload::Read(payload_facts(event, reader)?),
                    None => {
                        let start = reader.position();
                        reader.skip_value(IN_ENVELOPE)?;
                        Payload::Unread(start)
                    }
                };
                continue;
            }
            Some(KeyRead::Other(key)) => match keys.find(&plan.envelope, &key) {
                Some(index) => index,
                None if plan.closed => return None,
                None => {
                    reader.skip_value(IN_ENVELOPE)?;
                    continue;
                }
            },
        };
        keys.take(index)?;
        let key = &plan.envelope[index];
        // A valid line's event name and family are the event's own,
        // checked once in the plan (`EventPlan::fits_envelope`).
        let check = match key.role {
            Some(EnvelopeRole::EventName | EnvelopeRole::AggregateType) => None,
            _ => key.check.as_ref(),
        };
        let kept = value(reader, check, IN_ENVELOPE)?;
        match key.role {
            None => {}
            Some(EnvelopeRole::EventName) => {
                let index = plan.event_index(&kept.into_str()?)?;
                event = Some(&plan.events[index]);
                facts.event = index;
            }
            Some(EnvelopeRole::EventId) => {
                facts.event_id = kept.into_str().map(TableKey::new);
                // With a source, the table's key is the pair, known later.
                if let Some(id) = facts
                    .event_id
                    .as_ref()
                    .filter(|_| plan.roles.event_source.is_none())
                {
                    ahead(Ahead::EventId(id));
                }
            }
            Some(EnvelopeRole::EventSource) => facts.event_source = kept.into_str(),
            Some(EnvelopeRole::IdempotencyKey) => {
                facts.idempotency_key = kept.into_str().map(TableKey::new);
                if let Some(key) = &facts.idempotency_key {
                    ahead(Ahead::IdempotencyKey(key));
                }
            }
            Some(EnvelopeRole::AggregateType) => aggregate_type = Some(kept.into_str()?),
            Some(EnvelopeRole::AggregateId) => {
                let id = kept.into_str().map(TableKey::new);
                if let (Some(id), Some(event)) = (&id, event) {
                    ahead(Ahead::Aggregate(event.family_index, id));
                }
                aggregate_id = Some(id);
            }
            Some(EnvelopeRole::Version) => {
                facts.version = match kept {
                    Kept::U64(version) => Some(version),
                    _ => None,
                }
            }
        }
    }
    let event = event.filter(|event| event.fits_envelope)?;
    if !keys.include(plan.envelope_required) {
        return None;
    }
    let payload = match payload {
        Payload::Missing => return None,
        Payload::Read(payload) => payload,
        Payload::Unread(start) => payload_facts(event, &mut Reader::at(line, start))?,
    };
    if aggregate_type.is_some_and(|kind| !same_text(&kind, event.family.name.as_str())) {
        return None;
    }
    // `Some(None)`: an aggregate id that is not a string.
    facts.aggregate_id = match (aggregate_id, payload.own_id) {
        (Some(Some(aggregate)), Some(Kept::Str(own))) if same_text(aggregate.text(), &own) => {
            Some(aggregate)
        }
        (Some(_), Some(_)) => return None,
        (aggregate, None) => aggregate.flatten(),
        (None, Some(_)) => None,
    };
    facts.status = payload.status;
    Some(facts)
}

/// Nesting of the payload's values.
const IN_PAYLOAD: usize = IN_ENVELOPE + 1;

fn payload_facts<'l>(event: &EventPlan<'_>, reader: &mut Reader<'l>) -> Option<PayloadFacts<'l>> {
    reader.open_object()?;
    let mut members = Members::default();
    let mut keys = KeysRead::default();
    let mut facts = PayloadFacts::default();
    loop {
        let expected = event.keys.get(keys.next).filter(|key| key.plain);
        let index = match reader.next_key_or(&mut members, expected.map(|key| &*key.name))? {
            None => break,
            Some(KeyRead::Expected) => keys.next,
            Some(KeyRead::Other(key)) => match keys.find(&event.keys, &key) {
                Some(index) => index,
                None => {
                    reader.skip_value(IN_PAYLOAD)?;
                    continue;
                }
            },
        };
        keys.take(index)?;
        let key = &event.keys[index];
        let kept = value(reader, key.check.as_ref(), IN_PAYLOAD)?;
        match key.role {
            None => {}
            Some(PayloadRole::OwnId) => facts.own_id = Some(kept),
            Some(PayloadRole::Status) => facts.status = kept.into_str(),
        }
    }
    keys.include(event.required).then_some(facts)
}

/// The plan's keys an object has shown so far (at most 64: the plan sends
/// larger objects to the `Value` path), and the one expected next.
#[derive(Default)]
struct KeysRead {
    seen: u64,
    /// The key after the previous one: producers write their fields in one
    /// order, mostly the catalog's.
    next: usize,
}

impl KeysRead {
    /// The plan's key of this name, trying `next` first.
    fn find<Role>(&self, keys: &[Key<'_, Role>], key: &str) -> Option<usize> {
        if keys
            .get(self.next)
            .is_some_and(|known| same_text(&known.name, key))
        {
            return Some(self.next);
        }
        keys.iter().position(|known| same_text(&known.name, key))
    }

    /// The key at `index` was read; `None` when it was read before (a
    /// duplicate key is the `Value` path's to judge).
    fn take(&mut self, index: usize) -> Option<()> {
        if self.seen & 1 << index != 0 {
            return None;
        }
        self.seen |= 1 << index;
        self.next = index + 1;
        Some(())
    }

    /// Whether every key of `required` (a mask of key indices) was read.
    fn include(&self, required: u64) -> bool {
        self.seen & required == required
    }
}

/// One field's value: checked when the plan has a check for it, and kept
/// as far as the stream needs it. `depth`: the nesting of its object.
fn value<'l>(
    reader: &mut Reader<'l>,
    check: Option<&ValueCheck<'_>>,
    depth: usize,
) -> Option<Kept<'l>> {
    let Some(check) = check else {
        return match reader.peek()? {
            b'"' => reader.string().map(Kept::Str),
            b'-' | b'0'..=b'9' => reader.number().map(|number| match number {
                Number::U64(value) => Kept::U64(value),
                _ => Kept::Other,
            }),
            _ => reader.skip_value(depth).map(|()| Kept::Other),
        };
    };
    // A listed value (`enum` of numbers, of several types) is the `Value`
    // path's to compare.
    if check.rules.values.is_some() {
        return None;
    }
    match reader.peek()? {
        b'"' => {
            let text = reader.string()?;
            check.fits_text(&text).then_some(Kept::Str(text))
        }
        b'-' | b'0'..=b'9' => {
            let number = reader.number()?;
            number_fits(check, number).then_some(match number {
                Number::U64(value) => Kept::U64(value),
                _ => Kept::Other,
            })
        }
        b'n' => {
            reader.literal("null")?;
            check.null_allowed.then_some(Kept::Other)
        }
        b't' | b'f' => {
            skip_boolean(reader)?;
            matches!(check.ty, TypeCheck::Scalar(Scalar::Boolean)).then_some(Kept::Other)
        }
        b'[' => {
            let TypeCheck::Array(item) = &check.ty else {
                return None;
            };
            // Counts and uniqueness are the `Value` path's to check.
            let rules = check.rules;
            if rules.min_items.is_some() || rules.max_items.is_some() || rules.unique_items {
                return None;
            }
            items(reader, item, depth + 1).map(|()| Kept::Other)
        }
        b'{' => {
            matches!(check.ty, TypeCheck::Object).then_some(())?;
            reader.skip_value(depth).map(|()| Kept::Other)
        }
        _ => None,
    }
}

fn skip_boolean(reader: &mut Reader<'_>) -> Option<()> {
    match reader.peek()? {
        b't' => reader.literal("true"),
        _ => reader.literal("false"),
    }
}

/// The numeric rules of `check::ValueChecker`: the type, then the bounds.
fn number_fits(check: &ValueCheck<'_>, number: Number) -> bool {
    let (integer, value) = match number {
        Number::U64(value) => (true, value as f64),
        Number::I64(value) => (true, value as f64),
        // `1.0` is an integer, as the `Value` path and JSON Schema say.
        Number::F64(value) => (value.fract() == 0.0 && value.abs() <= 9.0e18, value),
    };
    let type_fits = match check.ty {
        TypeCheck::Scalar(Scalar::Integer) => integer,
        TypeCheck::Scalar(Scalar::Number) => true,
        _ => false,
    };
    let limit = |limit: &serde_json::Number| limit.as_f64().unwrap_or(0.0);
    type_fits
        && check
            .rules
            .minimum
            .as_ref()
            .is_none_or(|min| value >= limit(min))
        && check
            .rules
            .maximum
            .as_ref()
            .is_none_or(|max| value <= limit(max))
        && check
            .rules
            .exclusive_minimum
            .as_ref()
            .is_none_or(|min| value > limit(min))
        && check
            .rules
            .exclusive_maximum
            .as_ref()
            .is_none_or(|max| value < limit(max))
        && check
            .rules
            .multiple_of
            .as_ref()
            .is_none_or(|divisor| crate::vocabulary::is_multiple_of(value, limit(divisor)))
}

/// An array's items, each of the item type (as `ValueChecker` checks
/// items: their type only). `depth`: the array's nesting.
fn items(reader: &mut Reader<'_>, item: &TypeCheck<'_>, depth: usize) -> Option<()> {
    if depth > DEEPEST {
        return None;
    }
    reader.open_array()?;
    let mut members = Members::default();
    while reader.next_item(&mut members)? {
        let fits = match reader.peek()? {
            b'"' => item.fits_text(&reader.string()?),
            b'-' | b'0'..=b'9' => matches!(
                (reader.number()?, item),
                (_, TypeCheck::Scalar(Scalar::Number))
                    | (
                        Number::U64(_) | Number::I64(_),
                        TypeCheck::Scalar(Scalar::Integer)
                    )
            ),
            b't' | b'f' => {
                skip_boolean(reader)?;
                matches!(item, TypeCheck::Scalar(Scalar::Boolean))
            }
            b'[' => {
                let TypeCheck::Array(inner) = item else {
                    return None;
                };
                items(reader, inner, depth + 1)?;
                true
            }
            b'{' => {
                matches!(item, TypeCheck::Object).then_some(())?;
                reader.skip_value(depth)?;
                true
            }
            _ => false,
        };
        if !fits {
            return None;
        }
    }
    Some(())
}
