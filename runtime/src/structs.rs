//! One `Serialize` and one `Deserialize` path for every generated struct.
//!
//! A generated impl lists its members (wire name and value, or the slot a
//! value is read into) and hands them to these functions, which are generic
//! over the serde format only. Values cross as `erased_serde` trait objects,
//! so the code a format instantiates does not grow with the number of
//! structs.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};

/// One member of a struct being written: its wire name and its value, or no
/// value for an absent optional member, which is left out.
pub struct Field<'a> {
    name: &'static str,
    value: Option<&'a dyn erased_serde::Serialize>,
}

impl<'a> Field<'a> {
    /// A member that is always written.
    pub fn new<T: serde::Serialize>(name: &'static str, value: &'a T) -> Self {
        Field {
            name,
            value: Some(value),
        }
    }

    /// An optional member: written when `Some`, left out when `None`.
    pub fn optional<T: serde::Serialize>(name: &'static str, value: &'a Option<T>) -> Self {
        Field {
            name,
            value: value
                .as_ref()
                .map(|value| value as &dyn erased_serde::Serialize),
        }
    }
}

/// Writes a struct named `name` with these members, in order, as
/// `#[derive(Serialize)]` with `skip_serializing_if = "Option::is_none"` on
/// the optional ones would.
pub fn serialize_struct<S: Serializer>(
    serializer: S,
    name: &'static str,
    fields: &[Field<'_>],
) -> Result<S::Ok, S::Error> {
    let present = fields.iter().filter(|field| field.value.is_some()).count();
    let mut state = serializer.serialize_struct(name, present)?;
    for field in fields {
        match field.value {
            Some(value) => state.serialize_field(field.name, value)?,
            None => state.skip_field(field.name)?,
        }
    }
    state.end()
}

/// Where one member's value goes while a struct is read: an `Option<T>`
/// that is `None` until the member is seen.
pub trait Slot<'de> {
    /// Reads the member's value.
    fn fill(
        &mut self,
        deserializer: &mut dyn erased_serde::Deserializer<'de>,
    ) -> Result<(), erased_serde::Error>;
    /// Whether the member has been read already.
    fn is_filled(&self) -> bool;
}

impl<'de, T: serde::Deserialize<'de>> Slot<'de> for Option<T> {
    fn fill(
        &mut self,
        deserializer: &mut dyn erased_serde::Deserializer<'de>,
    ) -> Result<(), erased_serde::Error> {
        *self = Some(erased_serde::deserialize(deserializer)?);
        Ok(())
    }

    fn is_filled(&self) -> bool {
        self.is_some()
    }
}

/// Reads a struct named `name` whose members have these wire names, each
/// into the slot at the same position. Members it does not name are skipped,
/// or refused when it is `closed` (`additionalProperties: false`, as
/// `#[serde(deny_unknown_fields)]` does); a member seen twice, or a member
/// `required` marks that is missing, is an error (raised while the struct is
/// read, so formats give its position). Other missing members are left `None`.
pub fn deserialize_struct<'de, D: Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
    fields: &'static [&'static str],
    required: &[bool],
    closed: bool,
    slots: &mut [&mut dyn Slot<'de>],
) -> Result<(), D::Error> {
    deserializer.deserialize_struct(
        name,
        fields,
        StructVisitor {
            name,
            fields,
            required,
            closed,
            slots,
        },
    )
}

/// The value of a required member, or serde's "missing field" error
/// ([`deserialize_struct`] has reported a missing one already).
pub fn required<E: de::Error, T>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(name))
}

/// The value of a member that may be left out but is never `null` (an
/// optional property of a JSON Schema whose type has no `null`): `None`
/// when absent, serde's "invalid type" error when `null`.
pub fn not_null<E: de::Error, T>(
    slot: Option<Option<T>>,
    name: &'static str,
) -> Result<Option<T>, E> {
    match slot {
        Some(None) => Err(E::invalid_type(
            de::Unexpected::Unit,
            &format!("a value for `{name}`, not null").as_str(),
        )),
        Some(value) => Ok(value),
        None => Ok(None),
    }
}

/// `#[serde(deserialize_with)]` of an optional member that is never `null`
/// (with `#[serde(default)]` for absence): `null` is an error, as the
/// schema's type says.
pub fn deserialize_not_null<'de, D: serde::Deserializer<'de>, T: serde::Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(deserializer).map(Some)
}

struct StructVisitor<'a, 'b, 'de> {
    name: &'static str,
    fields: &'static [&'static str],
    required: &'a [bool],
    closed: bool,
    slots: &'a mut [&'b mut dyn Slot<'de>],
}

impl StructVisitor<'_, '_, '_> {
    /// The first required member that was not read.
    fn missing(&self) -> Option<usize> {
        self.slots
            .iter()
            .zip(self.required)
            .position(|(slot, required)| *required && !slot.is_filled())
    }
}

impl<'de> Visitor<'de> for StructVisitor<'_, '_, 'de> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        write!(formatter, "struct {}", self.name)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let names = MemberName {
            fields: self.fields,
            closed: self.closed,
        };
        while let Some(member) = map.next_key_seed(names)? {
            match member {
                Some(index) => {
                    if self.slots[index].is_filled() {
                        return Err(de::Error::duplicate_field(self.fields[index]));
                    }
                    map.next_value_seed(SlotSeed(&mut *self.slots[index]))?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        match self.missing() {
            Some(index) => Err(de::Error::missing_field(self.fields[index])),
            None => Ok(()),
        }
    }

    /// Formats that write structs as sequences (bincode, postcard): the
    /// members in order; a sequence may stop before optional ones only.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        for (index, slot) in self.slots.iter_mut().enumerate() {
            if seq.next_element_seed(SlotSeed(&mut **slot))?.is_none() {
                // As serde's derive counts: optional members may be left
                // out, and the error names the first required one missing.
                return match self.required[index..].iter().position(|required| *required) {
                    Some(offset) => Err(de::Error::invalid_length(
                        index + offset,
                        &Elements(self.name, self.fields.len()),
                    )),
                    None => Ok(()),
                };
            }
        }
        Ok(())
    }
}

/// What a struct read as a sequence expected: "struct X with 4 elements".
struct Elements(&'static str, usize);

impl de::Expected for Elements {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        write!(formatter, "struct {} with {} elements", self.0, self.1)
    }
}

/// A member's name, read as its position among the struct's members
/// (`None` for a name the struct does not have, an error if it is closed).
#[derive(Clone, Copy)]
struct MemberName {
    fields: &'static [&'static str],
    closed: bool,
}

impl<'de> DeserializeSeed<'de> for MemberName {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for MemberName {
    type Value = Option<usize>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a field name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<Self::Value, E> {
        let found = self.fields.iter().position(|field| *field == name);
        match found {
            None if self.closed => Err(E::unknown_field(name, self.fields)),
            found => Ok(found),
        }
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<Self::Value, E> {
        let found = self
            .fields
            .iter()
            .position(|field| field.as_bytes() == name);
        match found {
            None if self.closed => Err(E::unknown_field(
                &String::from_utf8_lossy(name),
                self.fields,
            )),
            found => Ok(found),
        }
    }

    /// Formats that name members by position.
    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Self::Value, E> {
        Ok(usize::try_from(index)
            .ok()
            .filter(|index| *index < self.fields.len()))
    }
}

/// Reads one member's value into its slot.
struct SlotSeed<'a, 'de>(&'a mut dyn Slot<'de>);

impl<'de> DeserializeSeed<'de> for SlotSeed<'_, 'de> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let mut erased = <dyn erased_serde::Deserializer>::erase(deserializer);
        self.0.fill(&mut erased).map_err(de::Error::custom)
    }
}
