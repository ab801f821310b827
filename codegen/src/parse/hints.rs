//! Type hints: the values of a JSON payload block (`"uuid"`,
//! `"+13105551212"`, `"no-answer|busy|failed"`, `["uuid"]`, `false`, …) read
//! as field types. The rules are listed in the README ("The JSON-payload
//! dialect").

use jsonc_parser::ast::Value as Node;
use jsonc_parser::common::Ranged;
use regex::Regex;
use std::sync::LazyLock;

use super::type_expr::RawField;
use super::type_expr::TypeExpr;
use crate::ir::{FileId, Span};

/// What a hint says about a field.
pub struct Hint {
    pub ty: TypeExpr,
    pub nullable: bool,
    /// The hint itself when it is a sample value (`"+13105551212"`).
    pub example: Option<serde_json::Value>,
}

/// Words that name a type rather than give a sample.
const TYPE_WORDS: &[(&str, &str)] = &[
    ("uuid", "uuid"),
    ("semver", "semver"),
    ("RFC3339-UTC", "timestamp"),
    ("string", "string"),
    ("integer", "integer"),
    ("number", "number"),
    ("boolean", "boolean"),
    ("object", "object"),
];

static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\+[1-9][0-9]{1,14}$").expect("valid"));
static UTC_TIMESTAMP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$").expect("valid"));
static ENUM_VALUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9][A-Za-z0-9_-]*$").expect("valid"));
/// A placeholder such as `nmc.<domain>.<Event>`: a string, not a sample.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^<>]+>").expect("valid"));

/// How deep objects of hints may nest.
const DEEPEST: usize = 16;

pub fn read_hint(file: FileId, offset: usize, node: &Node<'_>) -> Result<Hint, (String, Span)> {
    read_nested_hint(file, offset, node, 0)
}

fn read_nested_hint(
    file: FileId,
    offset: usize,
    node: &Node<'_>,
    depth: usize,
) -> Result<Hint, (String, Span)> {
    let range = node.range();
    let span = Span {
        file,
        start: offset + range.start,
        end: offset + range.end,
    };
    let named = |name: &str| TypeExpr::Named(name.to_owned(), span);
    let plain = |ty: TypeExpr| {
        Ok(Hint {
            ty,
            nullable: false,
            example: None,
        })
    };
    match node {
        Node::BooleanLit(lit) => Ok(Hint {
            ty: named("boolean"),
            nullable: false,
            example: Some(lit.value.into()),
        }),
        Node::NumberLit(lit) => {
            let integer = !lit.value.contains(['.', 'e', 'E']);
            let example = serde_json::from_str(lit.value).ok();
            Ok(Hint {
                ty: named(if integer { "integer" } else { "number" }),
                nullable: false,
                example,
            })
        }
        // An object of hints is an object type; an empty one, or one of
        // placeholders only (`{ "<key>": "<value>" }`), is free-form.
        Node::Object(object) if is_free_form(object) => plain(named("object")),
        Node::Object(_) if depth >= DEEPEST => Err((
            format!("objects of hints nest deeper than {DEEPEST} levels here"),
            span,
        )),
        Node::Object(object) => {
            let mut fields = Vec::new();
            for property in &object.properties {
                let name = property.name.as_str();
                let range = property.name.range();
                let name_span = Span::new(file, offset + range.start..offset + range.end);
                if fields.iter().any(|field: &RawField| field.name == name) {
                    return Err((format!("duplicate field `{name}`"), name_span));
                }
                let hint = read_nested_hint(file, offset, &property.value, depth + 1)?;
                fields.push(RawField {
                    name: name.to_owned(),
                    span: name_span,
                    optional: false,
                    declared_type: Some(hint.ty),
                    nullable: hint.nullable,
                    examples: hint.example.into_iter().collect(),
                });
            }
            plain(TypeExpr::Object(fields, span))
        }
        Node::NullKeyword(_) => Err((
            "`null` is not a type hint".to_owned() + "; write `\"uuid|null\"` (the type, or null)",
            span,
        )),
        Node::Array(array) => match array.elements.as_slice() {
            [item] => {
                let inner = read_nested_hint(file, offset, item, depth + 1)?;
                if inner.nullable {
                    return Err(("array items cannot be null".to_owned(), span));
                }
                Ok(Hint {
                    ty: TypeExpr::Array(Box::new(inner.ty), span),
                    nullable: false,
                    example: None,
                })
            }
            _ => Err((
                "an array hint holds exactly one item hint, as in `[\"uuid\"]`".to_owned(),
                span,
            )),
        },
        Node::StringLit(lit) => string_hint(&lit.value, span),
    }
}

fn is_free_form(object: &jsonc_parser::ast::Object<'_>) -> bool {
    object.properties.iter().all(|property| {
        let name = property.name.as_str();
        PLACEHOLDER.is_match(name) || name.trim_matches('.').is_empty()
    })
}

fn string_hint(text: &str, span: Span) -> Result<Hint, (String, Span)> {
    let named = |name: &str| TypeExpr::Named(name.to_owned(), span);
    let type_word = |word: &str| {
        TYPE_WORDS
            .iter()
            .find(|(known, _)| *known == word)
            .map(|(_, ty)| *ty)
    };
    if text.contains('|') {
        let mut parts: Vec<&str> = text.split('|').map(str::trim).collect();
        let nullable = parts.last() == Some(&"null");
        if nullable {
            parts.pop();
        }
        if parts.iter().any(|part| part.is_empty()) {
            return Err((format!("`{text}` has an empty alternative"), span));
        }
        if let [only] = parts.as_slice() {
            if let Some(ty) = type_word(only) {
                return Ok(Hint {
                    ty: named(ty),
                    nullable,
                    example: None,
                });
            }
        }
        if parts.iter().any(|part| type_word(part).is_some()) {
            return Err((
                format!(
                    "`{text}` mixes type names and values; write `\"uuid|null\"` or `\"a|b|c\"`"
                ),
                span,
            ));
        }
        if let Some(bad) = parts.iter().find(|part| !ENUM_VALUE.is_match(part)) {
            return Err((
                format!("`{bad}` in `{text}` is not an enum value (letters, digits, `-` and `_`)"),
                span,
            ));
        }
        let values = parts
            .iter()
            .map(|part| ((*part).to_owned(), span))
            .collect();
        return Ok(Hint {
            ty: TypeExpr::Enum(values, span),
            nullable,
            example: None,
        });
    }
    if let Some(ty) = type_word(text) {
        return Ok(Hint {
            ty: named(ty),
            nullable: false,
            example: None,
        });
    }
    let sample = Some(serde_json::Value::String(text.to_owned()));
    if PHONE.is_match(text) {
        return Ok(Hint {
            ty: named("phone"),
            nullable: false,
            example: sample,
        });
    }
    if UTC_TIMESTAMP.is_match(text) {
        return Ok(Hint {
            ty: named("timestamp"),
            nullable: false,
            example: sample,
        });
    }
    let example = (!PLACEHOLDER.is_match(text)).then_some(sample).flatten();
    Ok(Hint {
        ty: named("string"),
        nullable: false,
        example,
    })
}
