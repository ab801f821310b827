//! Field types, shared by payload and envelope fields.

use super::{Doc, Span};

/// What values a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// A string, number or boolean of one kind.
    Scalar(Scalar),
    /// A list of values of one type.
    Array(Box<FieldType>),
    /// One of a set of strings.
    Enum(EnumId),
    /// A free-form JSON object.
    Object,
    /// An object of any keys whose values all have one type
    /// (`additionalProperties` with a schema): a map.
    Map(Box<FieldType>),
    /// An object with declared fields (`total: { amount_cents: integer }`).
    Struct(StructId),
    /// Only `null` (`{"type": "null"}`, as a narrowing `allOf` leaves it).
    Null,
    /// Any JSON value (`{}`, `true`): `serde_json::Value`, `unknown`.
    Any,
    /// A value of one of several types (`oneOf`/`anyOf`, a `type` list).
    Union(UnionId),
    /// An array of exactly these items, each of its own type
    /// (`prefixItems` with `items: false`, Draft-07's `items` list with
    /// `additionalItems: false`, `minItems` the count): a tuple.
    Tuple(Vec<FieldType>),
}

impl FieldType {
    /// Whether values are strings: the text scalars (enums aside).
    pub fn is_text(&self) -> bool {
        matches!(
            self,
            FieldType::Scalar(Scalar::String | Scalar::Id | Scalar::Uuid | Scalar::Timestamp)
        )
    }
}

/// The kinds of single values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// Any string.
    String,
    /// An identifier: a non-empty string.
    Id,
    /// A UUID in its hyphenated form.
    Uuid,
    /// An RFC 3339 timestamp in UTC (`Z`).
    Timestamp,
    /// A whole number.
    Integer,
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Boolean,
}

/// Value constraints carried from the envelope schema (or implied by a type).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    /// An ECMAScript regular expression the string matches (`pattern`).
    pub pattern: Option<String>,
    /// A JSON Schema `format` evcat checks (`date-time`, `email` …).
    pub format: Option<String>,
    /// The fewest characters (`minLength`).
    pub min_length: Option<u64>,
    /// The most characters (`maxLength`).
    pub max_length: Option<u64>,
    /// The smallest value (`minimum`).
    pub minimum: Option<serde_json::Number>,
    /// The largest value (`maximum`).
    pub maximum: Option<serde_json::Number>,
    /// Above this, not equal (`exclusiveMinimum`; Draft-04's boolean form
    /// turns its `minimum` into this).
    pub exclusive_minimum: Option<serde_json::Number>,
    /// Below this, not equal (`exclusiveMaximum`).
    pub exclusive_maximum: Option<serde_json::Number>,
    /// A whole multiple of this (`multipleOf`, above zero).
    pub multiple_of: Option<serde_json::Number>,
    /// An array's count of items.
    pub min_items: Option<u64>,
    /// The most items of an array.
    pub max_items: Option<u64>,
    /// No two items of the array are equal (as JSON values: `1` and `1.0`
    /// are equal, members in any order).
    pub unique_items: bool,
    /// The value is one of these (`enum`, `const`), compared as JSON
    /// values (`1` is `1.0`): for integers, numbers, booleans and values of
    /// mixed types. A set of strings is an [`FieldType::Enum`] instead.
    pub values: Option<Vec<serde_json::Value>>,
}

impl Rules {
    /// Whether an integer with these rules can never be negative.
    pub fn non_negative(&self) -> bool {
        self.minimum
            .as_ref()
            .and_then(serde_json::Number::as_f64)
            .is_some_and(|minimum| minimum >= 0.0)
    }
}

/// Index of an enumeration in [`super::Catalog::enums`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnumId(pub usize);

/// Index of an object type in [`super::Catalog::structs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StructId(pub usize);

/// Index of a union in [`super::Catalog::unions`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnionId(pub usize);

/// Values of one of several types: a schema's `oneOf` or `anyOf` (its
/// `null` branch aside: that makes the field nullable), or a `type` list
/// of several JSON types. A Rust enum with a variant per branch, a
/// TypeScript union, `z.union`, the schema's keyword as written.
#[derive(Debug, Clone, PartialEq)]
pub struct UnionType {
    /// The type name, in PascalCase, after the field (`OrderPlacedAmount`).
    pub name: String,
    /// Each branch as a field named after it (the variant's name, in
    /// PascalCase): its type, rules, description and examples. Never
    /// optional or nullable.
    pub variants: Vec<super::Field>,
    /// `oneOf`: a value matches exactly one branch. evcat accepts it only
    /// where no value can match two, so a union type's verdict is the
    /// schema's; `anyOf` and `type` lists match any.
    pub exclusive: bool,
    /// Its description.
    pub doc: Doc,
    /// Where the alternatives are written.
    pub span: Span,
}

/// An object type with declared fields, nested in a payload: a Rust struct,
/// a TypeScript interface, a schema with `properties`.
#[derive(Debug, Clone, PartialEq)]
pub struct StructType {
    /// The type name, in PascalCase: the event's and the field's
    /// (`OrderPlacedTotal`; `OrderPlacedLinesItem` for an array's objects).
    pub name: String,
    /// Its members, in wire order.
    pub fields: Vec<super::Field>,
    /// Where the object type is written.
    pub span: Span,
    /// Defined once by name (`### type Money`) and used by that name; the
    /// schemas keep it in their definitions.
    pub named: bool,
    /// Its description.
    pub doc: Doc,
    /// An object of the envelope (CDEvents' `context`), not of a payload:
    /// serde derives its traits as the envelope's, and on the payload's path
    /// its type is generic over the payload.
    pub envelope: bool,
    /// `additionalProperties: false`: members it does not declare are
    /// refused (payload objects are open).
    pub closed: bool,
    /// Which optional members must be present together (`anyOf` or `oneOf`
    /// of `required` lists), where the schema says.
    pub presence: Option<Presence>,
}

/// `"anyOf": [{"required": ["contextId"]}, {"required": ["domainId"]}]`
/// beside an object's `properties`: at least one (`oneOf`: exactly one) of
/// the member sets is present.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    /// `oneOf`: exactly one set; `anyOf`: at least one.
    pub exclusive: bool,
    /// The sets of wire names, as listed.
    pub sets: Vec<Vec<String>>,
    /// Where the rule is written.
    pub span: Span,
}

impl Presence {
    /// Whether the members present (by wire name) satisfy the rule.
    pub fn holds(&self, present: impl Fn(&str) -> bool) -> bool {
        let satisfied = self
            .sets
            .iter()
            .filter(|set| set.iter().all(|name| present(name)))
            .count();
        if self.exclusive {
            satisfied == 1
        } else {
            satisfied >= 1
        }
    }

    /// The rule in words, for messages: "needs `a` or `b`".
    pub fn describe(&self) -> String {
        let sets: Vec<String> = self
            .sets
            .iter()
            .map(|set| {
                let names: Vec<String> = set.iter().map(|name| format!("`{name}`")).collect();
                names.join(" and ")
            })
            .collect();
        if self.exclusive {
            format!("needs exactly one of {}", sets.join(", "))
        } else {
            format!("needs {}", sets.join(" or "))
        }
    }
}

/// A closed set of string values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// The type name, in PascalCase (`ProviderKind`).
    pub name: String,
    /// The values, in the order listed.
    pub variants: Vec<EnumVariant>,
    /// Its description.
    pub doc: Doc,
    /// Where the values were listed.
    pub span: Span,
}

/// One value of an enumeration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The wire value (`no-answer`).
    pub value: String,
    /// Where it is listed.
    pub span: Span,
}
