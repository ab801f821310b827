//! The intermediate representation: plain data read by every backend.
//!
//! Parsing builds it, backends only read it. It holds no I/O and no emit
//! logic; every element keeps the [`Span`] it came from so later checks can
//! point at the catalog line that caused them.

mod compatibility;
mod envelope;
mod types;

pub use compatibility::Mode;
pub use envelope::{walk, Convention, Draft, Envelope, MemberPath, Roles, FLAT_PAYLOAD};
pub use types::{
    EnumId, EnumType, EnumVariant, FieldType, Presence, Rules, Scalar, StructId, StructType,
    UnionId, UnionType,
};

/// A byte range in one of the run's source files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    /// The file.
    pub file: FileId,
    /// The first byte.
    pub start: usize,
    /// The byte after the last.
    pub end: usize,
}

impl Span {
    /// The bytes `range` of `file`.
    pub fn new(file: FileId, range: std::ops::Range<usize>) -> Self {
        Self {
            file,
            start: range.start,
            end: range.end,
        }
    }
}

/// Index of a file among those a run read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub usize);

/// Documentation text from the catalog: paragraphs of inline pieces.
///
/// Code spans are kept apart from prose so each backend can escape prose for
/// its own language and still render identifiers as code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Doc {
    /// Each paragraph's pieces, in order.
    pub paragraphs: Vec<Vec<Inline>>,
    /// The same text as it was written, in Markdown with its structure
    /// (lists, emphasis, headings), for outputs that render Markdown: the
    /// introduction and notes of the catalog, a family or an event. Empty
    /// where the text comes from a bullet's value.
    pub markdown: String,
}

/// A piece of documentation text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Prose, unescaped.
    Text(String),
    /// A code span's content (an identifier, a value).
    Code(String),
}

impl Doc {
    /// Whether there is no text at all.
    pub fn is_empty(&self) -> bool {
        self.paragraphs.is_empty()
    }

    /// The text without markup, paragraphs separated by blank lines.
    pub fn plain_text(&self) -> String {
        let paragraphs: Vec<String> = self
            .paragraphs
            .iter()
            .map(|inlines| {
                inlines
                    .iter()
                    .map(|inline| match inline {
                        Inline::Text(text) | Inline::Code(text) => text.as_str(),
                    })
                    .collect()
            })
            .collect();
        paragraphs.join("\n\n")
    }
}

/// How events move one aggregate's status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    /// The family whose aggregates have the status.
    pub family: String,
    /// Events that set the status from their payload (`ConversationCreated`'s
    /// `status`): the event name and the field.
    pub initial: Vec<(String, String)>,
    /// The events that move the status, each from a state to another.
    pub transitions: Vec<Transition>,
    /// Every status it mentions, in order of first mention: the values of
    /// the initial events' status enums, then the transitions' states.
    pub states: Vec<String>,
}

/// An event that moves an aggregate from one status to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    /// The status it leaves; `None` for any.
    pub from: Option<String>,
    /// The status it enters.
    pub to: String,
    /// The event, by name.
    pub event: String,
    /// Where it is written (for an Enabled/Disabled pair, the event heading).
    pub span: Span,
    /// Written in a "State transitions" section, not inferred from an
    /// Enabled/Disabled pair of events.
    pub written: bool,
}

/// One parsed catalog with its envelope: what every backend is a function of.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    /// The catalog file as the user named it, for "generated from" headers.
    pub source_name: String,
    /// The catalog's module in the generated crate when the crate holds
    /// several catalogs (`contracts/<name>/`); `None` for a lone catalog.
    pub module: Option<String>,
    /// The name and version the catalog's packages are published under.
    pub package: Package,
    /// The catalog's first heading.
    pub title: Option<String>,
    /// The introduction: prose before the first family.
    pub doc: Doc,
    /// The families (aggregate types), in catalog order.
    pub families: Vec<Family>,
    /// Enumerations used by payload or envelope fields, in order of first use.
    pub enums: Vec<EnumType>,
    /// Object types nested in payloads, inner ones before the ones holding them.
    pub structs: Vec<StructType>,
    /// Types of alternatives (`oneOf`, `anyOf`) in payloads and the envelope.
    pub unions: Vec<UnionType>,
    /// Each family's status lifecycle, where the docs give one.
    pub lifecycles: Vec<Lifecycle>,
    /// The envelope every event travels in.
    pub envelope: Envelope,
    /// The outbox table the catalog's events are stored in (`[outbox]`).
    pub outbox: Outbox,
    /// `[compatibility] mode`: the question every event's changes answer,
    /// unless the event sets its own; `None`: evcat's default policy.
    pub compatibility: Option<Mode>,
}

/// The transactional outbox: `evcat.toml`'s `[outbox]`, or defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbox {
    /// The table, optionally schema-qualified (`app.outbox_events`): its
    /// dot-separated parts.
    pub table: Vec<String>,
    /// Which columns the table has.
    pub layout: OutboxLayout,
}

impl Default for Outbox {
    fn default() -> Self {
        Self {
            table: vec!["outbox_events".to_owned()],
            layout: OutboxLayout::Columns,
        }
    }
}

/// The columns of the outbox table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutboxLayout {
    /// A column per envelope property, typed from its schema (the payload
    /// and objects as `jsonb`).
    #[default]
    Columns,
    /// Debezium's outbox event router's default columns (`id`,
    /// `aggregatetype`, `aggregateid`, `type`, `payload`): the event, whole,
    /// in `payload`.
    Debezium,
}

/// The catalog as a package: `evcat.toml`'s `[package]`, or defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Package {
    /// The npm package's name (`@acme/messaging-events`).
    pub name: String,
    /// A semantic version (`1.4.0`).
    pub version: String,
}

impl Package {
    /// The catalog's title in kebab case (`messaging-domain-events`), or
    /// `domain-events`; version `0.1.0`.
    pub fn default_for(title: Option<&str>) -> Self {
        let slug: String = title
            .unwrap_or_default()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|word| !word.is_empty())
            .map(str::to_ascii_lowercase)
            .collect::<Vec<_>>()
            .join("-");
        Self {
            name: if slug.is_empty() {
                "domain-events".to_owned()
            } else {
                slug
            },
            version: "0.1.0".to_owned(),
        }
    }
}

impl Event {
    /// The `DomainEvent` variant: the type name, prefixed by the module's
    /// name when the type lives in one (`BillingCatalogUpdated`).
    pub fn variant_name(&self) -> String {
        match &self.module {
            Some(module) => format!("{}{}", heck::AsUpperCamelCase(module), self.type_name),
            None => self.type_name.clone(),
        }
    }
}

impl Catalog {
    /// Every event with its family, in catalog order.
    pub fn events(&self) -> impl Iterator<Item = (&Family, &Event)> {
        self.families
            .iter()
            .flat_map(|family| family.events.iter().map(move |event| (family, event)))
    }

    /// The event of this name in the catalog, if any.
    pub fn event_named(&self, name: &str) -> Option<&Event> {
        self.events()
            .map(|(_, event)| event)
            .find(|event| event.name == name)
    }

    /// The enumeration a field type names.
    pub fn enum_type(&self, id: EnumId) -> &EnumType {
        &self.enums[id.0]
    }

    /// The object type a field type names.
    pub fn struct_type(&self, id: StructId) -> &StructType {
        &self.structs[id.0]
    }

    /// The union a field type names.
    pub fn union_type(&self, id: UnionId) -> &UnionType {
        &self.unions[id.0]
    }

    /// The member by which a union of objects is told apart, when there is
    /// one: a required, non-null member every branch fixes to a string of
    /// its own (`"kind": {"const": "card"}`), with each branch's value in
    /// branch order. The first such member of the first branch.
    pub fn union_tag(&self, union: &UnionType) -> Option<UnionTag<'_>> {
        let fixed = |ty: &FieldType, name: &str| -> Option<&str> {
            let FieldType::Struct(id) = ty else {
                return None;
            };
            let field = self
                .struct_type(*id)
                .fields
                .iter()
                .find(|field| field.name == name && !field.optional && !field.nullable)?;
            let FieldType::Enum(values) = field.ty else {
                return None;
            };
            match self.enum_type(values).variants.as_slice() {
                [only] => Some(only.value.as_str()),
                _ => None,
            }
        };
        let FieldType::Struct(first) = union.variants.first()?.ty else {
            return None;
        };
        self.struct_type(first).fields.iter().find_map(|candidate| {
            let values: Vec<&str> = union
                .variants
                .iter()
                .map(|variant| fixed(&variant.ty, &candidate.name))
                .collect::<Option<_>>()?;
            let distinct = values
                .iter()
                .enumerate()
                .all(|(index, value)| !values[..index].contains(value));
            distinct.then_some(UnionTag {
                member: candidate.name.as_str(),
                values,
            })
        })
    }

    /// The id of one of the catalog's own unions.
    pub fn union_id(&self, union: &UnionType) -> UnionId {
        let index = self
            .unions
            .iter()
            .position(|known| std::ptr::eq(known, union))
            .expect("a union of this catalog");
        UnionId(index)
    }

    /// The object types a field's type holds directly: inside arrays, maps
    /// and a union's branches included.
    pub fn structs_in(&self, ty: &FieldType) -> Vec<StructId> {
        let mut found = Vec::new();
        self.collect_structs(ty, &mut found);
        found
    }

    fn collect_structs(&self, ty: &FieldType, found: &mut Vec<StructId>) {
        match ty {
            FieldType::Struct(id) => found.push(*id),
            FieldType::Array(item) | FieldType::Map(item) => self.collect_structs(item, found),
            FieldType::Union(id) => {
                for variant in &self.union_type(*id).variants {
                    self.collect_structs(&variant.ty, found);
                }
            }
            _ => {}
        }
    }

    /// Whether a value of this object type can hold another of it (through
    /// arrays, unions and optional fields: `children: [Node]`, `next?: Node`).
    pub fn is_recursive(&self, id: StructId) -> bool {
        let mut seen = Vec::new();
        let mut stack = vec![id];
        while let Some(current) = stack.pop() {
            for field in &self.struct_type(current).fields {
                for inner in self.structs_in(&field.ty) {
                    if inner == id {
                        return true;
                    }
                    if !seen.contains(&inner) {
                        seen.push(inner);
                        stack.push(inner);
                    }
                }
            }
        }
        false
    }
}

/// An aggregate family: a `## Heading` with its events.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// The heading as written; it is the wire value of `aggregate_type`.
    pub name: String,
    /// Its heading.
    pub span: Span,
    /// Prose under the heading, before the first event.
    pub doc: Doc,
    /// Its events, in catalog order.
    pub events: Vec<Event>,
}

/// One event: its names, documentation, payload fields and version.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The name as written in the catalog: its identity in the catalog,
    /// the data model, the lock and file names.
    pub name: String,
    /// The discriminator's value on the wire: the name, or the catalog's
    /// `Wire name:` (`com.acme.orders.placed.v1`, as CloudEvents recommends).
    pub wire_name: String,
    /// Where a `Wire name:` is written.
    pub wire_name_span: Option<Span>,
    /// The type's name in Rust and TypeScript: the name itself, or its last
    /// segment for dotted names (`nmc.telephony.CallDetected` → `CallDetected`).
    pub type_name: String,
    /// The module (its domain) the type lives in when another domain has an
    /// event of the same type name (`billing::CatalogUpdated`); `None` otherwise.
    pub module: Option<String>,
    /// Its heading.
    pub span: Span,
    /// Purpose, invariants, conditions and notes.
    pub docs: EventDocs,
    /// The payload's fields, in wire order.
    pub fields: Vec<Field>,
    /// The payload field that holds the aggregate's own id: `customer_id`
    /// in the `Customer` family, or a field spelling it another way
    /// (`customerId`); the conventional name when no field does.
    pub own_id: String,
    /// `Example:` files; a `### A / B` section shares its list, each file
    /// naming its event in its envelope.
    pub examples: Vec<ExampleRef>,
    /// Full example envelopes written in the catalog itself (the JSON
    /// dialect's examples section).
    pub inline_examples: Vec<InlineExample>,
    /// Who publishes the event, where the catalog says (`**Producer**`).
    pub producer: Option<String>,
    /// Who reads it (`**Consumers**`), in the catalog's order.
    pub consumers: Vec<String>,
    /// The event's schema version as declared (`2`, `1.4.0`), or the
    /// dialect's default (`1`; `1.0.0` for dotted names).
    pub version: Version,
    /// The payload refuses members it does not declare: a `Schema:` payload
    /// with `additionalProperties: false` (the catalog's own are open).
    pub closed: bool,
    /// The JSON Schema the payload was read from (`Schema:`), as written.
    pub schema: Option<String>,
    /// Its own compatibility mode (a `Compatibility:` bullet), over the
    /// catalog's.
    pub compatibility: Option<Mode>,
}

/// An event's declared version. Its major number is what the baseline check
/// compares: a breaking change needs a higher one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// As written (`2`, `1.4.0`).
    pub text: String,
    /// The major number.
    pub major: u64,
    /// Where it is declared; `None` for the default.
    pub span: Option<Span>,
}

impl Version {
    /// The major number of a version written as text (a lock's), if it is one.
    pub fn major_of(text: &str) -> Option<u64> {
        Self::parse(text, None).map(|version| version.major)
    }

    /// `2` or `1.4.0`; `None` for anything else.
    pub fn parse(text: &str, span: Option<Span>) -> Option<Self> {
        let parts: Vec<&str> = text.split('.').collect();
        let numeric =
            |part: &&str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
        if !(parts.len() == 1 || parts.len() == 3) || !parts.iter().all(numeric) {
            return None;
        }
        Some(Self {
            text: text.to_owned(),
            major: parts[0].parse().ok()?,
            span,
        })
    }
}

/// An example envelope written in the catalog: where, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct InlineExample {
    /// The JSON text's span in the catalog.
    pub span: Span,
    /// `None` when the text is not valid JSON (reported by the checks).
    pub value: Option<serde_json::Value>,
}

/// What the catalog says of an event, bullet by bullet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventDocs {
    /// `Purpose:`
    pub purpose: Doc,
    /// `Invariants:`
    pub invariants: Doc,
    /// `Preconditions:`
    pub preconditions: Doc,
    /// `Postconditions:`
    pub postconditions: Doc,
    /// Paragraphs under the event that are not one of the bullets above.
    pub notes: Doc,
}

/// An `Example:` reference, relative to the catalog's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleRef {
    /// As written.
    pub path: String,
    /// Where it is written.
    pub span: Span,
}

/// A payload or envelope field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The wire name.
    pub name: String,
    /// Where it is declared.
    pub span: Span,
    /// It may be absent.
    pub optional: bool,
    /// `null` is a valid value (besides absence, for optional fields).
    pub nullable: bool,
    /// Its type.
    pub ty: FieldType,
    /// What values of the type it accepts (patterns, bounds, formats …).
    pub rules: Rules,
    /// Its description.
    pub doc: Doc,
    /// How its type was given: written, conventional, or from a schema.
    pub type_origin: TypeOrigin,
    /// Sample values (the schema's `examples` annotation), used first when
    /// examples are synthesized.
    pub examples: Vec<serde_json::Value>,
    /// The value readers take when it is absent (the schema's `default`):
    /// stated in every output and the lock, where registries' rules read it.
    pub default: Option<serde_json::Value>,
    /// Personal data: marked in the schemas (`x-pii`) and redacted by the
    /// generated `Debug`. Phone numbers always are; others by a `PII:` bullet.
    pub pii: bool,
    /// The Rust member `evcat.toml` `[rust.fields]` names for it, where the
    /// one derived from the wire name would collide with another's.
    pub rust_name: Option<String>,
}

impl Field {
    /// Its description for the generated code's comments, the default
    /// value (if any) said in a paragraph of its own.
    pub fn documented(&self) -> Doc {
        let mut doc = self.doc.clone();
        if let Some(default) = &self.default {
            doc.paragraphs.push(vec![
                Inline::Text("Default: ".to_owned()),
                Inline::Code(default.to_string()),
                Inline::Text(".".to_owned()),
            ]);
        }
        doc
    }

    /// An optional property of a JSON Schema that may be `null`: absent and
    /// `null` are two values the wire keeps apart (Rust
    /// `Option<Option<T>>`), so each round-trips as it came.
    pub fn absent_or_null(&self) -> bool {
        self.optional && self.holds_null() && self.type_origin.is_schema()
    }

    /// Whether `null` is one of the type's own values: a nullable field, or
    /// one of type `null` or any value.
    pub fn holds_null(&self) -> bool {
        self.nullable
            || self.ty == FieldType::Null
            // Any value, unless an `enum` lists them (then `null` is listed
            // by `nullable`).
            || (self.ty == FieldType::Any && self.rules.values.is_none())
    }

    /// Whether `null` is a valid value: a nullable field's, and an optional
    /// field's of the catalog's own (`note?: string` reads absent and `null`
    /// alike). An optional property of a JSON Schema may be absent, never
    /// `null` unless its type says so, as the schema means it.
    pub fn accepts_null(&self) -> bool {
        self.holds_null() || (self.optional && !self.type_origin.is_schema())
    }
}

impl TypeOrigin {
    /// Read from a JSON Schema (the envelope's, or a `Schema:` payload's).
    pub fn is_schema(self) -> bool {
        matches!(self, TypeOrigin::EnvelopeSchema | TypeOrigin::PayloadSchema)
    }
}

/// Why a field has the type it has; shown by diagnostics and docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeOrigin {
    /// `name: type` in the catalog.
    Declared,
    /// An entity line of the data model, such as `kind (sms/mms)`.
    DataModel(Span),
    /// A naming convention (`*_id`, `*_at`, …); see the README.
    Convention,
    /// The envelope's JSON Schema.
    EnvelopeSchema,
    /// The JSON Schema an event's `Schema:` bullet names.
    PayloadSchema,
}

/// What tells the branches of a union apart: see [`Catalog::union_tag`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionTag<'c> {
    /// The member's key on the wire.
    pub member: &'c str,
    /// Each branch's value of it, in branch order.
    pub values: Vec<&'c str>,
}
