//! The contract a catalog makes with its consumers, as far as compatibility
//! goes: each event's family, version and fields (type, optionality, enum
//! values), the envelope's fields, and the documentation text. Built from
//! the IR; kept as the baseline lock (`catalog.lock.json`) beside the
//! generated files; compared by [`diff`].

mod diff;
mod guard;
mod locate;
mod mode;
mod policy;
mod rules;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ir::{Catalog, Doc, Envelope, EventDocs, Field, FieldType, Scalar, StructId};

pub use diff::{diff, diff_published, diff_under, Change, ChangeKind, Compatibility};
pub use guard::{undeclared_breaking, LOCK_FILE};
pub use locate::locate;
pub use mode::{ContentModel, Mode, Policy};
pub use policy::policies;

/// What a baseline lock holds. Maps are ordered, so the file is
/// deterministic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contract {
    /// The lock's format, for readers of later evcat versions.
    pub format: u32,
    /// The envelope every event travels in.
    pub envelope: EnvelopeContract,
    /// Each event, by its name in the catalog.
    pub events: BTreeMap<String, EventContract>,
    /// Whether fields record their value rules and nested objects whether
    /// they are closed (locks written before they did have neither: rules
    /// are then not compared, and nested objects are taken to be as closed
    /// as their payload or envelope).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub value_rules: bool,
}

/// The envelope as a lock records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnvelopeContract {
    /// Whether unknown envelope fields are refused (`additionalProperties: false`).
    pub closed: bool,
    /// Each envelope field, by its path (`context.id`).
    pub fields: BTreeMap<String, FieldContract>,
    /// Each role (`discriminator`, `payload`, `event_id`, … as in
    /// evcat.toml) and the property that plays it. Empty in locks written
    /// before roles were recorded: then they are not compared.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub roles: BTreeMap<String, String>,
}

/// One event as a lock records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventContract {
    /// The family (aggregate type) it belongs to.
    pub family: String,
    /// Its declared schema version, as written.
    pub version: String,
    /// The discriminator's value, when it is not the event's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wire_name: Option<String>,
    /// Each payload field, by its path (`items.sku`).
    pub fields: BTreeMap<String, FieldContract>,
    /// Purpose, invariants, pre- and postconditions and notes, as text.
    pub docs: String,
    /// The payload refuses unknown members (a closed `Schema:` payload).
    /// Absent in locks of open payloads.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closed: bool,
    /// The versions published before this one, oldest first, without their
    /// own history: what transitive modes compare against.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub published: Vec<EventContract>,
}

/// One field as a lock records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldContract {
    /// `string`, `id`, `uuid`, `timestamp`, `integer`, `number`, `boolean`,
    /// `object`, `enum`, or `array<…>` of one of them.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether it may be absent.
    pub optional: bool,
    /// Whether it may be `null`.
    pub nullable: bool,
    /// The enum's values, in catalog order, for `enum` types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// Its value rules by JSON Schema keyword (`maxLength`, `pattern`,
    /// `enum` for values other than strings …).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub rules: BTreeMap<String, serde_json::Value>,
    /// Its default value, where its schema gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<serde_json::Value>,
    /// For a nested object (or a list of them): it refuses members it does
    /// not declare.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub closed: bool,
    /// Its description, when it has one.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub docs: String,
}

/// The lock format this evcat writes and reads.
pub const FORMAT: u32 = 1;

impl Contract {
    /// The contract a catalog makes: what its lock file records.
    pub fn of(catalog: &Catalog) -> Self {
        let fields = |fields: &[Field]| {
            let mut all = BTreeMap::new();
            each_field(catalog, "", fields, &mut Vec::new(), &mut |path, field| {
                all.insert(path, FieldContract::of(catalog, field));
            });
            all
        };
        Self {
            format: FORMAT,
            envelope: EnvelopeContract {
                closed: catalog.envelope.closed,
                fields: fields(&catalog.envelope.fields),
                roles: roles_of(&catalog.envelope),
            },
            events: catalog
                .events()
                .map(|(family, event)| {
                    let contract = EventContract {
                        family: family.name.clone(),
                        version: event.version.text.clone(),
                        wire_name: (event.wire_name != event.name).then(|| event.wire_name.clone()),
                        fields: fields(&event.fields),
                        docs: docs_text(&event.docs),
                        closed: event.closed,
                        published: Vec::new(),
                    };
                    (event.name.clone(), contract)
                })
                .collect(),
            value_rules: true,
        }
    }

    /// This contract as the next baseline after `baseline`: each event
    /// keeps the versions published before, and the baseline's version
    /// joins them when this one differs.
    pub fn after(mut self, baseline: &Contract) -> Self {
        for (name, event) in &mut self.events {
            let Some(old) = baseline.events.get(name) else {
                continue;
            };
            event.published.clone_from(&old.published);
            if old.version != event.version {
                let mut previous = old.clone();
                previous.published.clear();
                previous.docs.clear();
                event.published.push(previous);
            }
        }
        self
    }

    /// The lock file's text: pretty JSON with a final newline.
    pub fn to_lock(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("contracts serialize");
        text.push('\n');
        text
    }

    /// Reads a lock file's text.
    pub fn from_lock(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// The roles, by their evcat.toml keys.
fn roles_of(envelope: &Envelope) -> BTreeMap<String, String> {
    envelope
        .roles_by_key()
        .into_iter()
        .filter_map(|(role, property)| Some((role.to_owned(), property?.to_owned())))
        .collect()
}

impl FieldContract {
    fn of(catalog: &Catalog, field: &Field) -> Self {
        let (mut ty, values) = describe(catalog, &field.ty);
        // Envelope date-times were `timestamp` before UTC became that
        // type's rule; locks written then must still compare equal.
        if field.ty == FieldType::Scalar(Scalar::String)
            && field.rules.format.as_deref() == Some("date-time")
        {
            ty = "timestamp".to_owned();
        }
        let rules = rules::recorded(&field.rules, ty == "timestamp");
        Self {
            ty,
            optional: field.optional,
            nullable: field.nullable,
            values,
            rules,
            default: field.default.clone(),
            closed: closed_object(catalog, &field.ty),
            docs: field.doc.plain_text(),
        }
    }
}

/// Each field by its path, nested objects' fields included (`total.currency`,
/// `lines[].qty`), so nested changes are classified like top-level ones.
pub(crate) fn each_field<'c>(
    catalog: &'c Catalog,
    prefix: &str,
    fields: &'c [Field],
    inside: &mut Vec<StructId>,
    visit: &mut dyn FnMut(String, &'c Field),
) {
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        visit(path.clone(), field);
        each_in_type(catalog, &path, &field.ty, inside, visit);
    }
}

/// The entries inside a field's type: a nested object's fields
/// (`total.currency`, `lines[].qty`) and each branch of a union
/// (`amount|Integer`, `links[]|EmbeddedLinkEnd.from`).
fn each_in_type<'c>(
    catalog: &'c Catalog,
    path: &str,
    ty: &FieldType,
    inside: &mut Vec<StructId>,
    visit: &mut dyn FnMut(String, &'c Field),
) {
    match ty {
        // A type inside itself (`next?: Node`) is described once, where it
        // first appears.
        FieldType::Struct(id) if !inside.contains(id) => {
            inside.push(*id);
            let fields = &catalog.struct_type(*id).fields;
            each_field(catalog, &format!("{path}."), fields, inside, visit);
            inside.pop();
        }
        FieldType::Array(item) => each_in_type(catalog, &format!("{path}[]"), item, inside, visit),
        FieldType::Union(id) => {
            let variants = &catalog.union_type(*id).variants;
            each_field(catalog, &format!("{path}|"), variants, inside, visit);
        }
        _ => {}
    }
}

/// Whether a type is a closed object, or a list of closed objects.
fn closed_object(catalog: &Catalog, ty: &FieldType) -> bool {
    match ty {
        FieldType::Struct(id) => catalog.struct_type(*id).closed,
        FieldType::Array(item) => closed_object(catalog, item),
        _ => false,
    }
}

fn describe(catalog: &Catalog, ty: &FieldType) -> (String, Vec<String>) {
    let scalar = |scalar: &Scalar| match scalar {
        Scalar::String => "string",
        Scalar::Id => "id",
        Scalar::Uuid => "uuid",
        Scalar::Timestamp => "timestamp",
        Scalar::Integer => "integer",
        Scalar::Number => "number",
        Scalar::Boolean => "boolean",
    };
    match ty {
        FieldType::Scalar(kind) => (scalar(kind).to_owned(), Vec::new()),
        FieldType::Object => ("object".to_owned(), Vec::new()),
        // Its fields are entries of their own, by path.
        FieldType::Struct(_) => ("struct".to_owned(), Vec::new()),
        FieldType::Enum(id) => (
            "enum".to_owned(),
            catalog
                .enum_type(*id)
                .variants
                .iter()
                .map(|variant| variant.value.clone())
                .collect(),
        ),
        FieldType::Array(item) => {
            let (item, values) = describe(catalog, item);
            (format!("array<{item}>"), values)
        }
        FieldType::Map(value) => {
            let (value, values) = describe(catalog, value);
            (format!("map<{value}>"), values)
        }
        FieldType::Null => ("null".to_owned(), Vec::new()),
        FieldType::Any => ("any".to_owned(), Vec::new()),
        FieldType::Tuple(items) => {
            let items: Vec<String> = items.iter().map(|item| describe(catalog, item).0).collect();
            (format!("tuple<{}>", items.join(",")), Vec::new())
        }
        // Each branch is an entry of its own (`amount|Integer`).
        FieldType::Union(id) => {
            let union = catalog.union_type(*id);
            let keyword = if union.exclusive { "oneOf" } else { "anyOf" };
            let names: Vec<&str> = union
                .variants
                .iter()
                .map(|variant| variant.name.as_str())
                .collect();
            (format!("{keyword}<{}>", names.join("|")), Vec::new())
        }
    }
}

fn docs_text(docs: &EventDocs) -> String {
    let parts: [(&str, &Doc); 5] = [
        ("Purpose", &docs.purpose),
        ("Invariants", &docs.invariants),
        ("Preconditions", &docs.preconditions),
        ("Postconditions", &docs.postconditions),
        ("Notes", &docs.notes),
    ];
    parts
        .iter()
        .filter(|(_, doc)| !doc.is_empty())
        .map(|(title, doc)| format!("{title}: {}", doc.plain_text()))
        .collect::<Vec<_>>()
        .join("\n")
}
