//! The common envelope: its fields (objects nested at any depth among them),
//! and which member plays which role, named by its path from the root.

use super::{Catalog, Field, FieldType, Span, StructId, StructType};

/// Where a member sits in the envelope: its keys from the root (`["type"]`;
/// `["context", "type"]` for CDEvents' event type). A key may hold any
/// character, dots included: the path is the list, never a dotted string.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemberPath(Vec<String>);

impl MemberPath {
    /// A path of at least one key.
    pub fn new(keys: Vec<String>) -> Self {
        assert!(!keys.is_empty(), "a member path has a key");
        Self(keys)
    }

    /// A property of the envelope's root.
    pub fn top(key: impl Into<String>) -> Self {
        Self(vec![key.into()])
    }

    /// The keys from the root to the member (`["context", "type"]`).
    pub fn keys(&self) -> &[String] {
        &self.0
    }

    /// The member's own key (`type` in `context.type`).
    pub fn key(&self) -> &str {
        self.0.last().expect("a member path has a key")
    }

    /// The keys of the objects holding it, outermost first (`[context]`).
    pub fn parents(&self) -> &[String] {
        &self.0[..self.0.len() - 1]
    }

    /// A property of the root, not of a nested object.
    pub fn is_top(&self) -> bool {
        self.0.len() == 1
    }

    /// As `evcat.toml`, messages and paths in findings write it: the keys
    /// joined by dots (`context.type`).
    pub fn dotted(&self) -> String {
        self.0.join(".")
    }

    /// As a JSON pointer (`/context/type`), `~` and `/` escaped (RFC 6901).
    pub fn pointer(&self) -> String {
        self.0
            .iter()
            .map(|key| format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            .collect()
    }

    /// The value at this path in a JSON value, if every object on the way is one.
    pub fn find<'v>(&self, value: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        self.0.iter().try_fold(value, |value, key| value.get(key))
    }
}

impl std::fmt::Display for MemberPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.dotted())
    }
}

/// What envelope properties are for, beyond naming the event and holding
/// its payload. Every backend and the stream checker read these, never fixed
/// names; a rule that needs a role the envelope lacks is not applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Roles {
    /// Unique per event: a repeated one is a redelivery.
    pub event_id: Option<MemberPath>,
    /// The scope `event_id` is unique in (CloudEvents' `source`): events are
    /// the same when both are.
    pub event_source: Option<MemberPath>,
    /// The event's family (`aggregate_type`): fixed per event in the schemas.
    pub aggregate_type: Option<MemberPath>,
    /// The aggregate the event is about: equals the payload's own id.
    pub aggregate_id: Option<MemberPath>,
    /// The aggregate's version after the event: orders its events.
    pub aggregate_version: Option<MemberPath>,
    /// When the event happened.
    pub occurred_at: Option<MemberPath>,
    /// Stable for one logical event: a repeated one is a redelivery.
    pub idempotency_key: Option<MemberPath>,
}

/// How `evcat.toml` (and the lock) write the payload role of flat events.
pub const FLAT_PAYLOAD: &str = ".";

/// Which envelope shape the roles were recognized from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Convention {
    /// evcat's own names: `event_name`, `payload`, `event_id`, `aggregate_type`, ….
    Evcat,
    /// CloudEvents 1.0: `type`, `data`, `id` with `source`, `subject`, `time`.
    CloudEvents,
}

/// The JSON Schema dialect the envelope declares; outputs use the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draft {
    /// Draft-07, which envelopes of Draft-04 and -06 are written in too.
    Draft07,
    /// Draft 2020-12, which envelopes of 2019-09 are written in too.
    Draft2020_12,
}

impl Draft {
    /// The `$schema` URI of the dialect.
    pub fn uri(self) -> &'static str {
        match self {
            Draft::Draft07 => "http://json-schema.org/draft-07/schema#",
            Draft::Draft2020_12 => "https://json-schema.org/draft/2020-12/schema",
        }
    }

    /// Where the dialect keeps reusable schemas.
    pub fn definitions_keyword(self) -> &'static str {
        match self {
            Draft::Draft07 => "definitions",
            Draft::Draft2020_12 => "$defs",
        }
    }
}

/// The common envelope, read from `envelope.schema.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The dialect the outputs are written in.
    pub draft: Draft,
    /// The schema's `$id`; generated schemas get theirs beside it.
    pub id: Option<String>,
    /// The schema's `title`.
    pub title: Option<String>,
    /// The schema's `description`.
    pub description: Option<String>,
    /// The root's properties but the payload, in the schema's order. An
    /// object with `properties` is a [`FieldType::Struct`] whose type is
    /// marked [`super::StructType::envelope`].
    pub fields: Vec<Field>,
    /// The member whose value names the event (`event_name`; CloudEvents'
    /// `type`; CDEvents' `context.type`).
    pub discriminator: MemberPath,
    /// The member that holds the event's own fields (`payload`; CloudEvents'
    /// `data`; CDEvents' `subject.content`); `None` for flat events, whose
    /// fields sit at the root beside the envelope's (`payload = "."` in
    /// `evcat.toml`). Its parent objects keep every field but it.
    pub payload: Option<MemberPath>,
    /// Where the payload sits among the fields of the object holding it, to
    /// keep wire order (flat events: after the envelope's own properties).
    pub payload_position: usize,
    /// What the other members are for, as declared or recognized.
    pub roles: Roles,
    /// Where the roles came from, for `evcat check` to say: recognized by
    /// this convention, and some declared in `evcat.toml` when `declared`.
    pub convention: Convention,
    /// Whether `evcat.toml` declared some of the roles.
    pub declared: bool,
    /// `additionalProperties: false` on the envelope object.
    pub closed: bool,
    /// The envelope's schema object.
    pub span: Span,
}

impl Envelope {
    /// Where a payload field sits, as paths name it: `payload.order_id`, or
    /// `order_id` for flat events.
    pub fn payload_path(&self, field: &str) -> String {
        match &self.payload {
            Some(payload) => format!("{payload}.{field}"),
            None => field.to_owned(),
        }
    }

    /// Every role by its `evcat.toml` key, with the member that plays it.
    pub fn roles_by_key(&self) -> [(&'static str, Option<String>); 9] {
        let roles = &self.roles;
        let dotted = |path: &Option<MemberPath>| path.as_ref().map(MemberPath::dotted);
        [
            ("discriminator", Some(self.discriminator.dotted())),
            (
                "payload",
                Some(
                    self.payload
                        .as_ref()
                        .map_or_else(|| FLAT_PAYLOAD.to_owned(), MemberPath::dotted),
                ),
            ),
            ("event_id", dotted(&roles.event_id)),
            ("event_source", dotted(&roles.event_source)),
            ("aggregate_type", dotted(&roles.aggregate_type)),
            ("aggregate_id", dotted(&roles.aggregate_id)),
            ("aggregate_version", dotted(&roles.aggregate_version)),
            ("occurred_at", dotted(&roles.occurred_at)),
            ("idempotency_key", dotted(&roles.idempotency_key)),
        ]
    }

    /// Every role with a member: the discriminator first, the payload aside.
    pub fn played(&self) -> impl Iterator<Item = &MemberPath> {
        let roles = &self.roles;
        std::iter::once(&self.discriminator).chain(
            [
                &roles.event_id,
                &roles.event_source,
                &roles.aggregate_type,
                &roles.aggregate_id,
                &roles.aggregate_version,
                &roles.occurred_at,
                &roles.idempotency_key,
            ]
            .into_iter()
            .flatten(),
        )
    }

    /// Whether every role's member and the payload are properties of the
    /// root (no nested objects on their paths).
    pub fn roles_at_top(&self) -> bool {
        self.played().all(MemberPath::is_top)
            && self.payload.as_ref().is_none_or(MemberPath::is_top)
    }
}

/// Follows keys through the objects of `fields` (their types in `structs`):
/// the objects passed on the way, outermost first, and the field the last
/// key names, if every key before it names an object.
pub fn walk<'f>(
    fields: &'f [Field],
    structs: &'f [StructType],
    keys: &[String],
) -> (Vec<StructId>, Option<&'f Field>) {
    let mut fields = fields;
    let mut objects = Vec::new();
    let Some((last, parents)) = keys.split_last() else {
        return (objects, None);
    };
    for key in parents {
        let found = fields.iter().find(|field| &field.name == key);
        let Some(FieldType::Struct(id)) = found.map(|field| &field.ty) else {
            return (objects, None);
        };
        let Some(object) = structs.get(id.0) else {
            return (objects, None);
        };
        objects.push(*id);
        fields = &object.fields;
    }
    (objects, fields.iter().find(|field| &field.name == last))
}

impl Catalog {
    /// The envelope field at a path, through its nested objects.
    pub fn envelope_field(&self, path: &MemberPath) -> Option<&Field> {
        walk(&self.envelope.fields, &self.structs, path.keys()).1
    }

    /// The nested envelope object a path's parents lead to: `None` for the
    /// root (or a path that leads nowhere).
    pub fn envelope_object_of(&self, path: &MemberPath) -> Option<StructId> {
        let objects = self.envelope_objects_on(path);
        (objects.len() == path.parents().len())
            .then(|| objects.last().copied())
            .flatten()
    }

    /// The nested envelope objects a path goes through, outermost first.
    pub fn envelope_objects_on(&self, path: &MemberPath) -> Vec<StructId> {
        walk(&self.envelope.fields, &self.structs, path.keys()).0
    }

    /// The keys from the envelope's root to one of its objects.
    pub fn envelope_path_of(&self, id: StructId) -> Vec<String> {
        fn find(catalog: &Catalog, fields: &[Field], id: StructId, at: &mut Vec<String>) -> bool {
            for field in fields {
                let FieldType::Struct(inner) = field.ty else {
                    continue;
                };
                if !catalog.struct_type(inner).envelope {
                    continue;
                }
                at.push(field.name.clone());
                if inner == id || find(catalog, &catalog.struct_type(inner).fields, id, at) {
                    return true;
                }
                at.pop();
            }
            false
        }
        let mut at = Vec::new();
        find(self, &self.envelope.fields, id, &mut at);
        at
    }

    /// A role's member with its field, when it is a string a rule can
    /// compare (the family, the aggregate id).
    pub fn text_role<'c>(
        &'c self,
        role: &'c Option<MemberPath>,
    ) -> Option<(&'c MemberPath, &'c Field)> {
        let path = role.as_ref()?;
        let field = self
            .envelope_field(path)
            .filter(|field| field.ty.is_text())?;
        Some((path, field))
    }

    /// Whether the payload sits inside this nested envelope object (its
    /// type is then generic over the payload's).
    pub fn holds_payload(&self, id: StructId) -> bool {
        self.envelope
            .payload
            .as_ref()
            .is_some_and(|payload| self.envelope_objects_on(payload).contains(&id))
    }

    /// Whether the discriminator sits inside this nested envelope object.
    pub fn holds_discriminator(&self, id: StructId) -> bool {
        self.envelope_objects_on(&self.envelope.discriminator)
            .contains(&id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_print_dotted_and_as_escaped_pointers() {
        let path = MemberPath::new(vec!["context".into(), "a/b~c".into()]);
        assert_eq!(path.dotted(), "context.a/b~c");
        assert_eq!(path.pointer(), "/context/a~1b~0c");
        assert_eq!(path.key(), "a/b~c");
        assert_eq!(path.parents(), ["context".to_owned()]);
        let value = serde_json::json!({ "context": { "a/b~c": 1 } });
        assert_eq!(path.find(&value), Some(&serde_json::json!(1)));
        assert_eq!(value.pointer(&path.pointer()), Some(&serde_json::json!(1)));
    }
}
