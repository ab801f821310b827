//! envelope.schema.json: every property but `payload` becomes an envelope
//! field, with its type and constraints; nothing about the envelope is
//! assumed beyond the discriminator (`event_name`) and `payload`.

use super::json::parse_strict_json;
use jsonc_parser::ast::{Object, Value};
use jsonc_parser::common::Ranged;

mod property;

use super::enums::EnumTable;
use crate::diagnostics::Diagnostic;
use crate::ident;
use crate::ir::{
    Doc, Draft, Envelope, Field, FieldType, FileId, Inline, Rules, Scalar, Span, TypeOrigin,
};

const DRAFT_07: &str = "http://json-schema.org/draft-07/schema";
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
    discriminator: &str,
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
    reader.envelope(discriminator)
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

impl<'s> SchemaReader<'_, 's> {
    fn span(&self, node: &dyn Ranged) -> Span {
        let range = node.range();
        Span::new(self.file, range.start..range.end)
    }

    fn envelope(mut self, discriminator: &str) -> Option<Envelope> {
        let root = self.root;
        let Some(object) = root.as_object() else {
            self.errors.push(Diagnostic::error(
                self.span(root),
                "the envelope schema must be a JSON object",
            ));
            return None;
        };
        self.reject_duplicate_keys(object);
        let draft = self.draft(object);
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
        let required = self.required(object, properties);
        let mut fields = Vec::new();
        let mut payload_position = None;
        for property in &properties.properties {
            let name = property.name.as_str();
            if name == "payload" {
                self.check_payload(&property.value);
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
            });
        }
        let Some(payload_position) = payload_position else {
            self.errors.push(
                Diagnostic::error(
                    self.span(properties),
                    "the envelope schema has no `payload` property",
                )
                .with_help(
                    "add `\"payload\": { \"type\": \"object\" }`: each event's fields go there",
                ),
            );
            return None;
        };
        self.check_discriminator(discriminator, &fields, properties);
        self.check_identifier_clashes(&fields);
        let closed = object
            .get("additionalProperties")
            .and_then(|prop| prop.value.as_boolean_lit())
            .is_some_and(|lit| !lit.value);
        Some(Envelope {
            draft,
            id: string_keyword(object, "$id"),
            title: string_keyword(object, "title"),
            description: string_keyword(object, "description"),
            fields,
            discriminator: discriminator.to_owned(),
            payload_position,
            closed,
            span: self.span(root),
        })
    }

    fn draft(&mut self, object: &Object<'_>) -> Draft {
        let Some(schema) = object.get("$schema") else {
            return Draft::Draft07;
        };
        let uri = schema
            .value
            .as_string_lit()
            .map(|lit| lit.value.trim_end_matches('#').to_owned());
        match uri.as_deref() {
            Some(DRAFT_07) => Draft::Draft07,
            Some(DRAFT_2020_12) => Draft::Draft2020_12,
            _ => {
                self.errors.push(
                    Diagnostic::error(self.span(&schema.value), "unsupported `$schema`")
                        .with_help(format!("use \"{DRAFT_07}#\" or \"{DRAFT_2020_12}\"")),
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

    fn check_payload(&mut self, value: &Value<'_>) {
        let is_object = value
            .as_object()
            .and_then(|object| object.get("type"))
            .and_then(|kind| kind.value.as_string_lit())
            .is_some_and(|lit| lit.value == "object");
        if !is_object {
            self.errors.push(
                Diagnostic::error(
                    self.span(value),
                    "the `payload` property must be `{ \"type\": \"object\" }`",
                )
                .with_help("each event's fields go in `payload`; declare it as an object"),
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

    fn check_identifier_clashes(&mut self, fields: &[Field]) {
        for (index, field) in fields.iter().enumerate() {
            let ident = ident::rust_field(&field.name).ident;
            let clash = fields[..index]
                .iter()
                .find(|earlier| ident::rust_field(&earlier.name).ident == ident);
            if let Some(earlier) = clash.filter(|_| ident != "payload") {
                self.errors.push(
                    Diagnostic::error(
                        field.span,
                        format!(
                            "`{}` and `{}` would both be the Rust field `{ident}`",
                            earlier.name, field.name
                        ),
                    )
                    .with_note(earlier.span, "the other property"),
                );
            }
            if ident == "payload" {
                self.errors.push(Diagnostic::error(
                    field.span,
                    format!("`{}` would clash with the `payload` field", field.name),
                ));
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
