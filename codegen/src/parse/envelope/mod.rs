//! envelope.schema.json: every property but the payload becomes an envelope
//! field, with its type and constraints. What the properties are for (the
//! event's name, its payload, its id, …) comes from [`super::roles`].

use super::json::parse_strict_json;
use jsonc_parser::ast::{Object, Value};
use jsonc_parser::common::Ranged;

mod property;

use super::config::{Declared, Role};
use super::enums::EnumTable;
use super::roles;
use crate::diagnostics::Diagnostic;
use crate::ir::{
    Doc, Draft, Envelope, Field, FieldType, FileId, Inline, Roles, Rules, Scalar, Span, TypeOrigin,
};

const DRAFT_04: &str = "http://json-schema.org/draft-04/schema";
const DRAFT_06: &str = "http://json-schema.org/draft-06/schema";
const DRAFT_07: &str = "http://json-schema.org/draft-07/schema";
const DRAFT_2019_09: &str = "https://json-schema.org/draft/2019-09/schema";
const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Keywords that combine schemas: their meaning cannot be one Rust type.
const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "oneOf",
    "anyOf",
    "allOf",
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
];

pub fn parse_envelope(
    file: FileId,
    source: &str,
    declared: &[Declared],
    enums: &mut EnumTable,
    errors: &mut Vec<Diagnostic>,
) -> Option<Envelope> {
    let root = match parse_strict_json(source) {
        Ok(Some(root)) => root,
        Ok(None) => {
            errors.push(Diagnostic::error(
                Span {
                    file,
                    start: 0,
                    end: 0,
                },
                "the envelope schema is empty",
            ));
            return None;
        }
        Err(error) => {
            let range = error.range();
            errors.push(Diagnostic::error(
                Span {
                    file,
                    start: range.start,
                    end: range
                        .end
                        .max(range.start + 1)
                        .min(source.len().max(range.start)),
                },
                format!("the envelope schema is not valid JSON: {}", error.kind()),
            ));
            return None;
        }
    };
    let reader = SchemaReader {
        file,
        source,
        root: &root,
        enums,
        errors,
    };
    reader.envelope(declared)
}

struct SchemaReader<'a, 's> {
    file: FileId,
    source: &'s str,
    root: &'a Value<'s>,
    enums: &'a mut EnumTable,
    errors: &'a mut Vec<Diagnostic>,
}

/// What a property schema says about its values.
struct PropertyType {
    ty: FieldType,
    nullable: bool,
    rules: Rules,
    description: Option<String>,
    examples: Vec<serde_json::Value>,
}

impl<'a, 's> SchemaReader<'a, 's> {
    fn span(&self, node: &dyn Ranged) -> Span {
        let range = node.range();
        Span::new(self.file, range.start..range.end)
    }

    fn envelope(mut self, declared: &[Declared]) -> Option<Envelope> {
        let root = self.root;
        let Some(root_object) = root.as_object() else {
            self.errors.push(Diagnostic::error(
                self.span(root),
                "the envelope schema must be a JSON object",
            ));
            return None;
        };
        self.reject_duplicate_keys(root_object);
        let draft = self.draft(root_object);
        // A root `$ref` (CloudEvents' `#/definitions/event`) names the object
        // schema of the envelope; `$schema` and `$id` stay the root's.
        let object = match root_object.get("$ref") {
            Some(reference) if root_object.get("properties").is_none() => {
                self.definition(&reference.value)?
            }
            _ => root_object,
        };
        if let Some(kind) = object.get("type") {
            if kind.value.as_string_lit().map(|lit| lit.value.as_ref()) != Some("object") {
                self.errors.push(Diagnostic::error(
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
                self.errors.push(
                    Diagnostic::error(
                        self.span(&found.value),
                        format!("{through} leads to `{keyword}`: alternatives, not one object of fields"),
                    )
                    .with_help("evcat reads one envelope object with `properties`; point the root (or its `$ref`) at that object, and describe each event in the catalog"),
                );
                return None;
            }
            self.errors.push(
                Diagnostic::error(
                    self.span(root),
                    "the envelope schema has no `properties` object",
                )
                .with_help("declare the envelope's fields, and `payload`, under `properties`"),
            );
            return None;
        };
        self.reject_duplicate_keys(properties);
        let names: Vec<&str> = properties
            .properties
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        let assigned = roles::assign(&names, declared, self.errors);
        let required = self.required(object, properties);
        let mut fields = Vec::new();
        let mut payload_position = None;
        for property in &properties.properties {
            let name = property.name.as_str();
            if assigned.payload.as_deref() == Some(name) {
                self.check_payload(name, &property.value);
                payload_position = Some(fields.len());
                continue;
            }
            let name_span = self.span(&property.name);
            let Some(found) = self.property_type(name, &property.value, 0) else {
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
                type_origin: TypeOrigin::EnvelopeSchema,
                examples: found.examples,
                pii: false,
                rust_name: None,
            });
        }
        // Flat events' fields follow the envelope's own on the wire.
        let payload_position = match (&assigned.payload, payload_position) {
            (None, _) => Some(fields.len()),
            (Some(_), position) => position,
        };
        let Some(payload_position) = payload_position else {
            let payload = assigned.payload.as_deref().unwrap_or_default();
            self.errors.push(
                Diagnostic::error(
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
        self.check_discriminator(&assigned.discriminator, &fields, properties);
        let mut roles = assigned.roles;
        self.check_roles(&mut roles, &fields, declared);
        // Two properties of one Rust member are refused after `[rust.fields]`
        // applies (`parse::naming`), where the way out is.
        let closed = object
            .get("additionalProperties")
            .and_then(|prop| prop.value.as_boolean_lit())
            .is_some_and(|lit| !lit.value);
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

    /// The object a `$ref` into this file's definitions names.
    fn definition(&mut self, reference: &Value<'s>) -> Option<&'a Object<'s>> {
        let root = self.root;
        let target = reference
            .as_string_lit()
            .map(|lit| lit.value.to_string())
            .unwrap_or_default();
        let found = ["definitions", "$defs"].iter().find_map(|section| {
            let key = target.strip_prefix(&format!("#/{section}/"))?;
            root.as_object()?
                .get(section)?
                .value
                .as_object()?
                .get(key)?
                .value
                .as_object()
        });
        if found.is_none() {
            self.errors.push(
                Diagnostic::error(
                    self.span(reference),
                    format!("cannot resolve `$ref` \"{target}\" to an object schema"),
                )
                .with_help("refer to `#/definitions/Name` or `#/$defs/Name` in the same file"),
            );
        }
        found
    }

    /// Roles whose property must have a certain type to serve: a declared
    /// one that does not is an error; a recognized one (a string `version`,
    /// as EventBridge's) is simply not that role.
    fn check_roles(&mut self, roles: &mut Roles, fields: &[Field], declared: &[Declared]) {
        let version = roles
            .aggregate_version
            .as_ref()
            .and_then(|name| fields.iter().find(|field| &field.name == name));
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
                Diagnostic::error(
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
                    Diagnostic::error(self.span(&schema.value), "unsupported `$schema`")
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
            self.errors.push(Diagnostic::error(
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
                    Diagnostic::error(
                        self.span(element),
                        format!(
                            "`{}` is required but not declared under `properties`",
                            name.value
                        ),
                    )
                    .with_help("declare it under `properties` or remove it from `required`"),
                ),
                None => self.errors.push(Diagnostic::error(
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
            Some(reference) => self.definition(&reference.value),
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
                Diagnostic::error(
                    self.span(value),
                    format!("the `{name}` property must be `{{ \"type\": \"object\" }}`"),
                )
                .with_help(format!(
                    "each event's fields go in `{name}`; declare it as an object"
                )),
            );
        }
    }

    fn check_discriminator(
        &mut self,
        discriminator: &str,
        fields: &[Field],
        properties: &Object<'_>,
    ) {
        match fields.iter().find(|field| field.name == discriminator) {
            None if properties.get(discriminator).is_none() => self.errors.push(
                Diagnostic::error(self.span(properties), format!("the envelope schema has no `{discriminator}` property"))
                    .with_help(format!("declare `\"{discriminator}\": {{ \"type\": \"string\" }}` and list it in `required`: it names the event")),
            ),
            None => {}
            Some(field) if field.optional || field.ty != FieldType::Scalar(Scalar::String) => self.errors.push(
                Diagnostic::error(field.span, format!("`{discriminator}` must be a required string: it names the event"))
                    .with_help("declare it as `{ \"type\": \"string\" }` and list it in `required`"),
            ),
            Some(_) => {}
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
                    Diagnostic::error(self.span(&property.name), format!("duplicate key `{name}`"))
                        .with_note(self.span(&first.name), "first given here"),
                );
            }
        }
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
            .map(|text| vec![Inline::Text(text)])
            .collect(),
    }
}
