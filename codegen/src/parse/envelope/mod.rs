//! envelope.schema.json: every property but the payload becomes an envelope
//! field, with its type and constraints. What the properties are for (the
//! event's name, its payload, its id, …) comes from [`super::roles`].

use super::documents::{Asts, Documents, Target};
use super::json::parse_strict_json;
use crate::diagnostics::Sources;
use jsonc_parser::ast::{Object, Value};
use jsonc_parser::common::Ranged;
use referencing::Uri;

mod alternatives;
mod composition;
mod shared;

pub use shared::SharedMembers;
mod property;

use super::config::{Declared, Role};
use super::enums::EnumTable;
use super::roles;
use crate::diagnostics::{Diagnostic, Rule};
use crate::ident;
use crate::ir::{
    Doc, Draft, Envelope, Field, FieldType, FileId, Inline, MemberPath, Roles, Rules, Scalar, Span,
    StructId, StructType, TypeOrigin, UnionType,
};

const DRAFT_04: &str = "http://json-schema.org/draft-04/schema";
const DRAFT_06: &str = "http://json-schema.org/draft-06/schema";
const DRAFT_07: &str = "http://json-schema.org/draft-07/schema";
const DRAFT_2019_09: &str = "https://json-schema.org/draft/2019-09/schema";
const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Keywords that combine schemas: their meaning cannot be one Rust type.
const UNSUPPORTED_KEYWORDS: &[&str] = &["not", "if", "then", "else", "patternProperties"];

/// The types read from schemas, in the order read: nested objects and
/// unions.
#[derive(Default)]
pub struct SchemaTypes {
    pub structs: Vec<StructType>,
    pub unions: Vec<UnionType>,
    /// The type read at each `$ref` target (by file and node): every
    /// reference to it shares that one type.
    referenced: std::collections::BTreeMap<(FileId, usize), PropertyType>,
    /// Names a definition may not take: the events' types and the items
    /// every generated module has (`Envelope`, `DomainEvent`, …).
    pub reserved: std::collections::BTreeSet<String>,
}

/// Where the envelope's schemas are: the loaded files, parsed, and the
/// registry resolving references among them.
pub struct SchemaFiles<'a, 's> {
    pub sources: &'s Sources,
    pub documents: &'a Documents,
    pub asts: &'a Asts<'s>,
}

pub fn parse_envelope<'a, 's>(
    file: FileId,
    schemas: &SchemaFiles<'a, 's>,
    declared: &[Declared],
    enums: &'a mut EnumTable,
    types: &'a mut SchemaTypes,
    errors: &'a mut Vec<Diagnostic>,
) -> Option<Envelope> {
    let source = schemas.sources.text(file);
    let root = match (schemas.asts.get(file), parse_strict_json(source)) {
        (Some(root), _) => root,
        (None, Ok(Some(_))) => return None,
        (None, Ok(None)) => {
            errors.push(Rule::Schema.error(
                Span {
                    file,
                    start: 0,
                    end: 0,
                },
                "the envelope schema is empty",
            ));
            return None;
        }
        (None, Err(error)) => {
            let range = error.range();
            errors.push(
                Rule::Schema.error(
                    Span {
                        file,
                        start: range.start,
                        end: range
                            .end
                            .max(range.start + 1)
                            .min(source.len().max(range.start)),
                    },
                    format!("the envelope schema is not valid JSON: {}", error.kind()),
                ),
            );
            return None;
        }
    };
    let base = schemas.documents.root_base(file, root);
    let reader = SchemaReader {
        file,
        base,
        sources: schemas.sources,
        documents: schemas.documents,
        asts: schemas.asts,
        root,
        type_prefix: "Envelope".to_owned(),
        in_envelope: true,
        enums,
        structs: &mut types.structs,
        unions: &mut types.unions,
        referenced: &mut types.referenced,
        reserved: &types.reserved,
        reading: Vec::new(),
        building: Vec::new(),
        merging: Vec::new(),
        errors,
    };
    reader.envelope(declared)
}

/// A payload read from a JSON Schema (`Schema:` in the catalog).
pub struct PayloadSchema {
    pub fields: Vec<Field>,
    /// `additionalProperties: false` on the payload's object.
    pub closed: bool,
}

/// The payload at `fragment` (a JSON pointer, or empty for the root) of a
/// schema file, read as the envelope's properties are: its object's
/// properties are the event's fields, nested objects and enums named after
/// the event (`type_prefix`). `at` is where the catalog names the schema.
#[allow(clippy::too_many_arguments)]
pub fn read_payload<'a, 's>(
    file: FileId,
    fragment: &str,
    at: Span,
    type_prefix: &str,
    schemas: &SchemaFiles<'a, 's>,
    enums: &'a mut EnumTable,
    types: &'a mut SchemaTypes,
    shared: Option<&SharedMembers<'_>>,
    errors: &'a mut Vec<Diagnostic>,
) -> Option<PayloadSchema> {
    let Some(root) = schemas.asts.get(file) else {
        // Not JSON (or empty): said at the file.
        let source = schemas.sources.text(file);
        let (range, message) = match parse_strict_json(source) {
            Err(error) => (
                error.range(),
                format!("this schema is not valid JSON: {}", error.kind()),
            ),
            Ok(_) => (
                jsonc_parser::common::Range::new(0, 0),
                "this schema is empty".to_owned(),
            ),
        };
        let end = range
            .end
            .max(range.start + 1)
            .min(source.len().max(range.start));
        errors.push(Rule::Schema.error(Span::new(file, range.start..end), message));
        return None;
    };
    let base = schemas.documents.root_base(file, root);
    let mut reader = SchemaReader {
        file,
        base,
        sources: schemas.sources,
        documents: schemas.documents,
        asts: schemas.asts,
        root,
        type_prefix: type_prefix.to_owned(),
        in_envelope: false,
        enums,
        structs: &mut types.structs,
        unions: &mut types.unions,
        referenced: &mut types.referenced,
        reserved: &types.reserved,
        reading: Vec::new(),
        building: Vec::new(),
        merging: Vec::new(),
        errors,
    };
    reader.payload(fragment, at, shared)
}

struct SchemaReader<'a, 's> {
    /// The file being read: it moves with each `$ref` to another file.
    file: FileId,
    /// The base URI references resolve against where the reader is.
    base: Option<Uri<String>>,
    sources: &'s Sources,
    documents: &'a Documents,
    asts: &'a Asts<'s>,
    root: &'a Value<'s>,
    /// What the types read are named after: `Envelope`, or the event's
    /// type (`OrderPlaced` gives `OrderPlacedTotal`).
    type_prefix: String,
    /// Reading the envelope (its objects are envelope types), not a payload.
    in_envelope: bool,
    enums: &'a mut EnumTable,
    /// The nested objects, as they are read.
    structs: &'a mut Vec<StructType>,
    /// The unions, as they are read.
    unions: &'a mut Vec<UnionType>,
    /// The types read at `$ref` targets, shared by every reference.
    referenced: &'a mut std::collections::BTreeMap<(FileId, usize), PropertyType>,
    /// Names a definition may not take.
    reserved: &'a std::collections::BTreeSet<String>,
    /// The `$ref` targets being read (by file and node), outermost first.
    reading: Vec<(FileId, usize)>,
    /// The objects being read (by the address of their schema), with the
    /// type each becomes: a `$ref` back into one is that type, recursive.
    building: Vec<(usize, StructId)>,
    /// The schemas whose `allOf` is being merged (by address), read for
    /// their own keywords without merging again.
    merging: Vec<usize>,
    errors: &'a mut Vec<Diagnostic>,
}

/// What a property schema says about its values.
#[derive(Clone)]
struct PropertyType {
    ty: FieldType,
    nullable: bool,
    rules: Rules,
    description: Option<String>,
    examples: Vec<serde_json::Value>,
}

impl PropertyType {
    /// Any JSON value, `null` among them.
    fn any_value(description: Option<String>) -> Self {
        Self {
            ty: FieldType::Any,
            nullable: true,
            rules: Rules::default(),
            description,
            examples: Vec::new(),
        }
    }
}

impl<'a, 's> SchemaReader<'a, 's> {
    fn span(&self, node: &dyn Ranged) -> Span {
        let range = node.range();
        Span::new(self.file, range.start..range.end)
    }

    fn envelope(mut self, declared: &[Declared]) -> Option<Envelope> {
        let root = self.root;
        let Some(root_object) = root.as_object() else {
            self.errors.push(
                Rule::Schema.error(self.span(root), "the envelope schema must be a JSON object"),
            );
            return None;
        };
        self.reject_duplicate_keys(root_object);
        let draft = self.draft(root_object);
        // A root `$ref` (CloudEvents' `#/definitions/event`) names the object
        // schema of the envelope; `$schema` and `$id` stay the root's.
        let object = match root_object.get("$ref") {
            Some(reference) if root_object.get("properties").is_none() => {
                // The envelope object may be in another file: the reader
                // stays there for the rest.
                let target = self.follow(&reference.value, false)?;
                self.file = target.file;
                self.base = Some(target.base);
                let Some(object) = target.node.as_object() else {
                    self.errors.push(Rule::Schema.error(
                        self.span(target.node),
                        "the envelope's `$ref` must lead to an object schema",
                    ));
                    return None;
                };
                object
            }
            _ => root_object,
        };
        if let Some(kind) = object.get("type") {
            if kind.value.as_string_lit().map(|lit| lit.value.as_ref()) != Some("object") {
                self.errors.push(Rule::Schema.error(
                    self.span(&kind.value),
                    "the envelope must be `\"type\": \"object\"`",
                ));
            }
        }
        let Some(properties) = object
            .get("properties")
            .and_then(|prop| prop.value.as_object())
        else {
            // A schema of alternatives (an AsyncAPI document's messages,
            // `oneOf` of event schemas) is no envelope of fields; say so.
            let alternatives = ["oneOf", "anyOf", "allOf"]
                .into_iter()
                .find_map(|keyword| object.get(keyword).map(|found| (keyword, found)));
            if let Some((keyword, found)) = alternatives {
                let through = if std::ptr::eq(object, root_object) {
                    "the envelope schema"
                } else {
                    "the envelope schema's root `$ref`"
                };
                let (message, help) = if keyword == "allOf" {
                    (
                        format!("{through} leads to `allOf`: an envelope made of merged schemas is not supported yet"),
                        "write the envelope as one object with `properties` (a property may `$ref` the shared schemas); events' `Schema:` payloads may use `allOf`",
                    )
                } else {
                    (
                        format!("{through} leads to `{keyword}`: alternatives, not one object of fields"),
                        "evcat reads one envelope object with `properties`; point the root (or its `$ref`) at that object, and describe each event in the catalog",
                    )
                };
                self.errors.push(
                    Rule::Schema
                        .error(self.span(&found.value), message)
                        .with_help(help),
                );
                return None;
            }
            self.errors.push(
                Rule::Schema
                    .error(
                        self.span(root),
                        "the envelope schema has no `properties` object",
                    )
                    .with_help("declare the envelope's fields, and `payload`, under `properties`"),
            );
            return None;
        };
        self.reject_duplicate_keys(properties);
        let mut members = Vec::new();
        let base = self.base.clone();
        self.members(properties, &[], &mut members, 0, base);
        let assigned = roles::assign(&members, declared, self.errors);
        let mut payload_position = None;
        let fields = self.object_fields(
            object,
            properties,
            &[],
            assigned.payload.as_ref(),
            &mut payload_position,
        );
        // Flat events' fields follow the envelope's own on the wire.
        let payload_position = match (&assigned.payload, payload_position) {
            (None, _) => Some(fields.len()),
            (Some(_), position) => position,
        };
        let Some(payload_position) = payload_position else {
            let payload = assigned
                .payload
                .as_ref()
                .map(|payload| payload.dotted())
                .unwrap_or_default();
            self.errors.push(
                Rule::Schema.error(
                    self.span(properties),
                    format!("the envelope schema has no `{payload}` property"),
                )
                .with_help(format!(
                    "add `\"{payload}\": {{ \"type\": \"object\" }}`: each event's fields go there \
                     (or name the property that holds them: `payload = \"…\"` under `[envelope]` in evcat.toml)"
                )),
            );
            return None;
        };
        let structs = self.structs.clone();
        let tree = Tree {
            fields: &fields,
            structs: &structs,
        };
        self.check_discriminator(&assigned.discriminator, &tree, properties);
        if let Some(payload) = &assigned.payload {
            self.check_payload_parents(payload, &tree);
        }
        let mut roles = assigned.roles;
        self.check_roles(&mut roles, &tree, declared);
        // Two properties of one Rust member are refused after `[rust.fields]`
        // applies (`parse::naming`), where the way out is.
        let closed = closed(object);
        Some(Envelope {
            draft,
            id: string_keyword(root_object, "$id"),
            title: string_keyword(root_object, "title").or_else(|| string_keyword(object, "title")),
            description: string_keyword(root_object, "description")
                .or_else(|| string_keyword(object, "description")),
            fields,
            discriminator: assigned.discriminator,
            payload: assigned.payload,
            payload_position,
            roles,
            convention: assigned.convention,
            declared: assigned.declared,
            closed,
            span: self.span(root),
        })
    }

    /// The payload object at a pointer of the reader's file (its root when
    /// `fragment` is empty: through a root `$ref`, as Google's event data
    /// schemas have it).
    fn payload(
        &mut self,
        fragment: &str,
        at: Span,
        shared: Option<&SharedMembers<'_>>,
    ) -> Option<PayloadSchema> {
        let root = self.root;
        let mut node = root;
        if !fragment.is_empty() {
            let base = self.base.clone()?;
            match self
                .documents
                .resolve(&format!("#{fragment}"), &base, self.asts)
            {
                Ok(target) => {
                    self.file = target.file;
                    self.base = Some(target.base);
                    node = target.node;
                }
                Err(reason) => {
                    self.errors.push(Rule::Schema.error(
                        at,
                        format!("cannot find `#{fragment}` in the schema: {reason}"),
                    ));
                    return None;
                }
            }
        }
        for _ in 0..MAX_DEPTH {
            let reference = node
                .as_object()
                .filter(|object| object.get("properties").is_none())
                .and_then(|object| object.get("$ref"));
            let Some(reference) = reference else {
                break;
            };
            let target = self.follow(&reference.value, false)?;
            self.file = target.file;
            self.base = Some(target.base);
            node = target.node;
        }
        let Some(object) = node.as_object() else {
            self.errors.push(Rule::Schema.error(
                self.span(node),
                "an event's payload schema must be an object schema",
            ));
            return None;
        };
        if let Some(keyword) = UNSUPPORTED_KEYWORDS
            .iter()
            .find(|keyword| object.get(keyword).is_some())
        {
            self.errors.push(
                Rule::Schema
                    .error(
                        self.span(&object.get(keyword)?.name),
                        format!("`{keyword}` at a payload's root is not supported yet"),
                    )
                    .with_help("point `Schema:` at one object schema with `properties`"),
            );
            return None;
        }
        if let Some(kind) = object.get("type") {
            if kind.value.as_string_lit().map(|lit| lit.value.as_ref()) != Some("object") {
                self.errors.push(Rule::Schema.error(
                    self.span(&kind.value),
                    "an event's payload must be `\"type\": \"object\"`",
                ));
                return None;
            }
        }
        self.reject_duplicate_keys(object);
        if object.get("allOf").is_some() {
            return self.merged_payload(node, shared);
        }
        if let Some((keyword, found)) = ["oneOf", "anyOf"]
            .into_iter()
            .find_map(|keyword| Some((keyword, object.get(keyword)?)))
        {
            let error = if alternatives::is_presence(&found.value) {
                root_presence_unsupported(self.span(&found.name))
            } else {
                Rule::Schema.error(
                    self.span(&found.name),
                    format!("an event's payload is one object, and this schema is `{keyword}` of alternatives"),
                )
                .with_help("each alternative is an event of its own in the catalog: give each its `###` section and point its `Schema:` at the branch (`FILE#/components/schemas/Name`)")
            };
            self.errors.push(error);
            return None;
        }
        let properties = match object.get("properties") {
            Some(properties) => match properties.value.as_object() {
                Some(properties) => properties,
                None => {
                    self.errors.push(Rule::Schema.error(
                        self.span(&properties.value),
                        "`properties` must be an object of property schemas",
                    ));
                    return None;
                }
            },
            None => &EMPTY_OBJECT,
        };
        self.reject_duplicate_keys(properties);
        let skipped = match shared {
            Some(shared) => self.shared_members(properties, shared),
            None => Vec::new(),
        };
        let fields = self.object_fields_except(object, properties, &[], None, &mut None, &skipped);
        // A closed schema of a whole flat event that lists every member of
        // a closed envelope closes nothing more than the envelope does.
        let closes_as_envelope = shared.is_some_and(|shared| shared.closes_as_envelope(&skipped));
        let closed = closed(object) && !closes_as_envelope;
        Some(PayloadSchema { fields, closed })
    }

    /// Every member's path, nested objects' members included (through
    /// `$ref`s), so roles can name any of them.
    fn members(
        &mut self,
        properties: &'a Object<'s>,
        parents: &[String],
        found: &mut Vec<MemberPath>,
        depth: usize,
        base: Option<Uri<String>>,
    ) {
        for property in &properties.properties {
            let mut keys = parents.to_vec();
            keys.push(property.name.as_str().to_owned());
            found.push(MemberPath::new(keys.clone()));
            let mut schema = property.value.as_object();
            let mut inner_base = base.clone();
            if let Some(reference) = schema.and_then(|schema| schema.get("$ref")) {
                let saved = std::mem::replace(&mut self.base, base.clone());
                let target = self.follow(&reference.value, true);
                self.base = saved;
                schema = target.as_ref().and_then(|target| target.node.as_object());
                inner_base = target.map(|target| target.base);
            }
            let nested = schema
                .and_then(|schema| schema.get("properties"))
                .and_then(|nested| nested.value.as_object());
            if let (Some(nested), true) = (nested, depth < MAX_DEPTH) {
                self.members(nested, &keys, found, depth + 1, inner_base);
            }
        }
    }

    /// The fields of one envelope object (the root, or one nested in it),
    /// the payload left out: its position goes to `payload_position` when
    /// this object holds it.
    pub(super) fn object_fields(
        &mut self,
        object: &'a Object<'s>,
        properties: &'a Object<'s>,
        parents: &[String],
        payload: Option<&MemberPath>,
        payload_position: &mut Option<usize>,
    ) -> Vec<Field> {
        self.object_fields_except(object, properties, parents, payload, payload_position, &[])
    }

    /// [`Self::object_fields`], leaving out the properties named in `skip`.
    fn object_fields_except(
        &mut self,
        object: &'a Object<'s>,
        properties: &'a Object<'s>,
        parents: &[String],
        payload: Option<&MemberPath>,
        payload_position: &mut Option<usize>,
        skip: &[String],
    ) -> Vec<Field> {
        let required = self.required(object, properties);
        let mut fields = Vec::new();
        for property in &properties.properties {
            let name = property.name.as_str();
            if skip.iter().any(|skipped| skipped == name) {
                continue;
            }
            let mut path = parents.to_vec();
            path.push(name.to_owned());
            if payload.is_some_and(|payload| payload.keys() == path.as_slice()) {
                self.check_payload(name, &property.value);
                *payload_position = Some(fields.len());
                continue;
            }
            let name_span = self.span(&property.name);
            let Some(found) =
                self.property_type(&path, &property.value, 0, payload, payload_position)
            else {
                continue;
            };
            fields.push(Field {
                name: name.to_owned(),
                span: name_span,
                optional: !required.iter().any(|required| required == name),
                nullable: found.nullable,
                ty: found.ty,
                rules: found.rules,
                doc: doc_of(found.description),
                type_origin: if self.in_envelope {
                    TypeOrigin::EnvelopeSchema
                } else {
                    TypeOrigin::PayloadSchema
                },
                examples: found.examples,
                default: self.default_of(&property.value),
                pii: false,
                rust_name: None,
            });
        }
        fields
    }

    /// Where a `$ref` leads from where the reader is, or (unless `quiet`)
    /// an error at the `$ref` saying why not.
    fn follow(&mut self, reference: &Value<'s>, quiet: bool) -> Option<Target<'a, 's>> {
        let target = reference
            .as_string_lit()
            .map(|lit| lit.value.to_string())
            .unwrap_or_default();
        let found = match &self.base {
            Some(base) => self.documents.resolve(&target, base, self.asts),
            None => Err("the schema's location is not known".to_owned()),
        };
        match found {
            Ok(found) => Some(found),
            Err(reason) => {
                if !quiet {
                    self.errors.push(
                        Rule::Schema.error(
                            self.span(reference),
                            format!("cannot resolve `$ref` \"{target}\": {reason}"),
                        )
                        .with_help("refer to a definition in this file (`#/$defs/Name`), to a file by its path relative to this one (`common/user.schema.json#/$defs/Name`), or to a file in the catalog's folder by its `$id`"),
                    );
                }
                None
            }
        }
    }

    /// `read` at a `$ref`'s target, the reader in the target's file and base.
    fn at_target<T>(&mut self, target: &Target<'a, 's>, read: impl FnOnce(&mut Self) -> T) -> T {
        self.at(target.file, Some(target.base.clone()), read)
    }

    /// `read` with the reader in `file` and `base`, put back afterwards.
    fn at<T>(
        &mut self,
        file: FileId,
        base: Option<Uri<String>>,
        read: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let saved_file = std::mem::replace(&mut self.file, file);
        let saved_base = std::mem::replace(&mut self.base, base);
        let result = read(self);
        self.file = saved_file;
        self.base = saved_base;
        result
    }

    /// The name of a type read at `path` below the reader's prefix
    /// (`OrderPlaced` and `total.amount` give `OrderPlacedTotalAmount`).
    fn type_name(&self, path: &[String]) -> String {
        let parts: Vec<&str> = std::iter::once(self.type_prefix.as_str())
            .chain(path.iter().map(String::as_str))
            .collect();
        ident::joined_type_name(&parts)
    }

    /// Roles whose property must have a certain type to serve: a declared
    /// one that does not is an error; a recognized one (a string `version`,
    /// as EventBridge's) is simply not that role.
    fn check_roles(&mut self, roles: &mut Roles, tree: &Tree<'_>, declared: &[Declared]) {
        let version = roles
            .aggregate_version
            .as_ref()
            .and_then(|path| tree.field(path));
        let unfit = version.filter(|field| field.ty != FieldType::Scalar(Scalar::Integer));
        let is_declared = declared
            .iter()
            .any(|declared| declared.role == Role::AggregateVersion);
        if unfit.is_some() && !is_declared {
            roles.aggregate_version = None;
            return;
        }
        if let Some(field) = unfit {
            self.errors.push(
                Rule::Schema.error(
                    field.span,
                    format!("`{}` orders an aggregate's events, so it must be an integer", field.name),
                )
                .with_help("declare it `{ \"type\": \"integer\" }`, or give `aggregate_version` another property in evcat.toml"),
            );
        }
    }

    fn draft(&mut self, object: &Object<'_>) -> Draft {
        let Some(schema) = object.get("$schema") else {
            return Draft::Draft07;
        };
        let uri = schema
            .value
            .as_string_lit()
            .map(|lit| lit.value.trim_end_matches('#').to_owned());
        // The keywords evcat reads mean the same in each of these drafts;
        // the outputs are written in Draft-07 or 2020-12, the nearest.
        match uri.as_deref() {
            Some(DRAFT_04 | DRAFT_06 | DRAFT_07) => Draft::Draft07,
            Some(DRAFT_2019_09 | DRAFT_2020_12) => Draft::Draft2020_12,
            _ => {
                self.errors.push(
                    Rule::Schema.error(self.span(&schema.value), "unsupported `$schema`")
                        .with_help(format!(
                            "evcat reads Draft-04, -06, -07, 2019-09 and 2020-12: use \"{DRAFT_07}#\" or \"{DRAFT_2020_12}\""
                        )),
                );
                Draft::Draft07
            }
        }
    }

    fn required(&mut self, object: &Object<'_>, properties: &Object<'_>) -> Vec<String> {
        let Some(required) = object.get("required") else {
            return Vec::new();
        };
        let Some(array) = required.value.as_array() else {
            self.errors.push(Rule::Schema.error(
                self.span(&required.value),
                "`required` must be an array of property names",
            ));
            return Vec::new();
        };
        let mut names = Vec::new();
        for element in &array.elements {
            match element.as_string_lit() {
                Some(name) if properties.get(&name.value).is_some() => {
                    names.push(name.value.to_string())
                }
                Some(name) => self.errors.push(
                    Rule::Schema
                        .error(
                            self.span(element),
                            format!(
                                "`{}` is required but not declared under `properties`",
                                name.value
                            ),
                        )
                        .with_help("declare it under `properties` or remove it from `required`"),
                ),
                None => self.errors.push(Rule::Schema.error(
                    self.span(element),
                    "`required` must list property names as strings",
                )),
            }
        }
        names
    }

    /// The payload must be able to hold an object: `"type": "object"`, or a
    /// list of types with `object` (CloudEvents' `data` is
    /// `["object", "string"]`), directly or through a `$ref`. Each event's
    /// schema narrows it to the event's object.
    fn check_payload(&mut self, name: &str, value: &Value<'s>) {
        let schema = match value.as_object().and_then(|object| object.get("$ref")) {
            Some(reference) => self
                .follow(&reference.value, false)
                .and_then(|target| target.node.as_object()),
            None => value.as_object(),
        };
        let Some(schema) = schema else {
            return;
        };
        let holds_object = schema.get("type").is_some_and(|kind| match &kind.value {
            Value::StringLit(lit) => lit.value == "object",
            Value::Array(array) => array.elements.iter().any(|element| {
                element
                    .as_string_lit()
                    .is_some_and(|lit| lit.value == "object")
            }),
            _ => false,
        });
        if !holds_object {
            self.errors.push(
                Rule::Schema
                    .error(
                        self.span(value),
                        format!("the `{name}` property must be `{{ \"type\": \"object\" }}`"),
                    )
                    .with_help(format!(
                        "each event's fields go in `{name}`; declare it as an object"
                    )),
            );
        }
    }

    /// The discriminator names every event, so it and each object holding
    /// it must be present: a required string in required objects.
    fn check_discriminator(
        &mut self,
        discriminator: &MemberPath,
        tree: &Tree<'_>,
        properties: &Object<'_>,
    ) {
        let shown = discriminator.dotted();
        let Some(field) = tree.field(discriminator) else {
            if discriminator.is_top() && properties.get(discriminator.key()).is_some() {
                // Its schema was refused, and said why.
                return;
            }
            self.errors.push(
                Rule::Schema.error(self.span(properties), format!("the envelope schema has no `{shown}` property"))
                    .with_help(format!("declare `\"{shown}\": {{ \"type\": \"string\" }}` and list it in `required`: it names the event")),
            );
            return;
        };
        if field.optional || field.ty != FieldType::Scalar(Scalar::String) {
            self.errors.push(
                Rule::Schema
                    .error(
                        field.span,
                        format!("`{shown}` must be a required string: it names the event"),
                    )
                    .with_help(
                        "declare it as `{ \"type\": \"string\" }` and list it in `required`",
                    ),
            );
        }
        self.check_required_parents(discriminator, tree, "it holds the event's name");
    }

    /// The objects holding the payload must be required objects: every
    /// event has its payload.
    fn check_payload_parents(&mut self, payload: &MemberPath, tree: &Tree<'_>) {
        self.check_required_parents(payload, tree, "it holds the event's payload");
    }

    fn check_required_parents(&mut self, path: &MemberPath, tree: &Tree<'_>, why: &str) {
        for depth in 1..path.keys().len() {
            let parent = MemberPath::new(path.keys()[..depth].to_vec());
            if let Some(field) = tree
                .field(&parent)
                .filter(|field| field.optional || field.nullable)
            {
                self.errors.push(
                    Rule::Schema
                        .error(
                            field.span,
                            format!(
                                "`{}` must be required and not null: {why} (`{}`)",
                                parent.dotted(),
                                path.dotted()
                            ),
                        )
                        .with_help(if field.optional {
                            format!("list `{}` in its object's `required`", field.name)
                        } else {
                            format!("take `null` out of the type of `{}`", field.name)
                        }),
                );
            }
        }
    }

    fn reject_duplicate_keys(&mut self, object: &Object<'_>) {
        for (index, property) in object.properties.iter().enumerate() {
            let name = property.name.as_str();
            if let Some(first) = object.properties[..index]
                .iter()
                .find(|earlier| earlier.name.as_str() == name)
            {
                self.errors.push(
                    Rule::Schema
                        .error(self.span(&property.name), format!("duplicate key `{name}`"))
                        .with_note(self.span(&first.name), "first given here"),
                );
            }
        }
    }
}

/// An object schema without properties, for objects that declare none.
static EMPTY_OBJECT: Object<'static> = Object {
    properties: Vec::new(),
    range: jsonc_parser::common::Range { start: 0, end: 0 },
};

/// How deep envelope objects may nest (and `$ref`s chain) before evcat
/// calls it a cycle.
const MAX_DEPTH: usize = 8;

/// `additionalProperties: false` on an object schema.
/// A presence rule (`anyOf`/`oneOf` of `required` lists) at a payload's
/// root, which the payload's fields cannot state yet.
fn root_presence_unsupported(at: Span) -> Diagnostic {
    Rule::Schema.error(
        at,
        "a presence rule (`anyOf`/`oneOf` of `required` lists) at a payload's root is not supported yet",
    )
    .with_help("move the members it names into an object property of the payload")
}

fn closed(object: &Object<'_>) -> bool {
    object
        .get("additionalProperties")
        .and_then(|prop| prop.value.as_boolean_lit())
        .is_some_and(|lit| !lit.value)
}

/// The envelope's fields while it is read, with the nested objects read so
/// far: where a role's path leads.
struct Tree<'t> {
    fields: &'t [Field],
    structs: &'t [StructType],
}

impl Tree<'_> {
    fn field(&self, path: &MemberPath) -> Option<&Field> {
        crate::ir::walk(self.fields, self.structs, path.keys()).1
    }
}

fn string_keyword(object: &Object<'_>, keyword: &str) -> Option<String> {
    object
        .get(keyword)
        .and_then(|prop| prop.value.as_string_lit())
        .map(|lit| lit.value.to_string())
}

fn doc_of(description: Option<String>) -> Doc {
    Doc {
        paragraphs: description
            .into_iter()
            .filter(|text| !text.trim().is_empty())
            .map(|text| vec![Inline::Text(text)])
            .collect(),
        markdown: String::new(),
    }
}
