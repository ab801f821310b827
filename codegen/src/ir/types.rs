//! Field types, shared by payload and envelope fields.

use super::{Doc, Span};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    Scalar(Scalar),
    Array(Box<FieldType>),
    Enum(EnumId),
    /// A free-form JSON object.
    Object,
    /// An object of any keys whose values all have one type
    /// (`additionalProperties` with a schema): a map.
    Map(Box<FieldType>),
    /// An object with declared fields (`total: { amount_cents: integer }`).
    Struct(StructId),
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    /// An identifier: a non-empty string.
    Id,
    Uuid,
    /// An RFC 3339 timestamp in UTC (`Z`).
    Timestamp,
    Integer,
    Number,
    Boolean,
}

/// Value constraints carried from the envelope schema (or implied by a type).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rules {
    pub pattern: Option<String>,
    pub format: Option<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<serde_json::Number>,
    pub maximum: Option<serde_json::Number>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnumId(pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StructId(pub usize);

/// An object type with declared fields, nested in a payload: a Rust struct,
/// a TypeScript interface, a schema with `properties`.
#[derive(Debug, Clone, PartialEq)]
pub struct StructType {
    /// The type name, in PascalCase: the event's and the field's
    /// (`OrderPlacedTotal`; `OrderPlacedLinesItem` for an array's objects).
    pub name: String,
    pub fields: Vec<super::Field>,
    /// Where the object type is written.
    pub span: Span,
    /// Defined once by name (`### type Money`) and used by that name; the
    /// schemas keep it in their definitions.
    pub named: bool,
    pub doc: Doc,
    /// An object of the envelope (CDEvents' `context`), not of a payload:
    /// serde derives its traits as the envelope's, and on the payload's path
    /// its type is generic over the payload.
    pub envelope: bool,
    /// `additionalProperties: false`: members it does not declare are
    /// refused (payload objects are open).
    pub closed: bool,
}

/// A closed set of string values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// The type name, in PascalCase (`ProviderKind`).
    pub name: String,
    pub variants: Vec<EnumVariant>,
    pub doc: Doc,
    /// Where the values were listed.
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The wire value (`no-answer`).
    pub value: String,
    pub span: Span,
}
