//! Whether a JSON value fits a field: its type, enum and the rules the
//! schemas state (pattern, format, lengths, bounds). Shared by the example
//! synthesizer and the check of the catalog's example files, so both apply
//! exactly the rules the generated schemas and `validate()` apply.

use std::collections::BTreeMap;

use regex::Regex;
use serde_json::{Map, Number, Value};

use crate::ir::{Catalog, Field, FieldType, Rules, Scalar, StructId};
use crate::vocabulary::format;
use crate::vocabulary::{is_multiple_of, is_utc_date_time, is_uuid, is_whole, listed, same_json};

pub struct ValueChecker<'a> {
    catalog: &'a Catalog,
    /// Every `pattern` of the envelope, compiled once.
    patterns: BTreeMap<&'a str, Regex>,
}

impl<'a> ValueChecker<'a> {
    pub fn new(catalog: &'a Catalog) -> Self {
        let payload_fields = catalog.events().flat_map(|(_, event)| &event.fields);
        let nested_fields = catalog.structs.iter().flat_map(|nested| &nested.fields);
        let branches = catalog.unions.iter().flat_map(|union| &union.variants);
        let patterns = catalog
            .envelope
            .fields
            .iter()
            .chain(payload_fields)
            .chain(nested_fields)
            .chain(branches)
            .filter_map(|field| field.rules.pattern.as_deref())
            .filter_map(|pattern| Regex::new(pattern).ok().map(|regex| (pattern, regex)))
            .collect();
        Self { catalog, patterns }
    }

    /// Why `value` does not fit `field`, or `None` when it does.
    pub fn problem(&self, field: &Field, value: &Value) -> Option<String> {
        if value.is_null() && field.accepts_null() {
            return None;
        }
        self.type_problem(&field.ty, value)
            .or_else(|| self.rules_problem(&field.rules, value))
    }

    fn type_problem(&self, ty: &FieldType, value: &Value) -> Option<String> {
        let expected =
            match (ty, value) {
                // `1.0` is an integer, as JSON Schema (Draft-06 on) says.
                (FieldType::Scalar(Scalar::Integer), Value::Number(number)) if is_whole(number) => {
                    return None
                }
                (FieldType::Scalar(Scalar::Number), Value::Number(_))
                | (FieldType::Scalar(Scalar::Boolean), Value::Bool(_)) => return None,
                (FieldType::Scalar(Scalar::String), Value::String(_))
                | (FieldType::Object, Value::Object(_)) => return None,
                (FieldType::Scalar(Scalar::Id), Value::String(text)) => {
                    return text.is_empty().then(|| "is empty".to_owned())
                }
                (FieldType::Scalar(Scalar::Uuid), Value::String(text)) => {
                    return (!is_uuid(text)).then(|| format!("`{text}` is not a UUID"));
                }
                (FieldType::Scalar(Scalar::Timestamp), Value::String(text)) => {
                    return (!is_utc_date_time(text))
                        .then(|| format!("`{text}` is not an RFC 3339 date-time in UTC (`Z`)"));
                }
                (FieldType::Struct(id), Value::Object(object)) => {
                    return self.struct_problem(*id, object)
                }
                (FieldType::Null, Value::Null) | (FieldType::Any, _) => return None,
                (FieldType::Union(id), _) => return self.union_problem(*id, value),
                (FieldType::Map(value_type), Value::Object(entries)) => {
                    return entries.iter().find_map(|(key, value)| {
                        self.type_problem(value_type, value)
                            .map(|problem| format!("`{key}`: {problem}"))
                    });
                }
                (FieldType::Tuple(types), Value::Array(items)) => {
                    if types.len() != items.len() {
                        return Some(format!(
                            "expected {} items, found {}",
                            types.len(),
                            items.len()
                        ));
                    }
                    return types.iter().zip(items).enumerate().find_map(
                        |(index, (ty, element))| {
                            self.type_problem(ty, element)
                                .map(|problem| format!("item {index}: {problem}"))
                        },
                    );
                }
                (FieldType::Array(item), Value::Array(items)) => {
                    return items.iter().enumerate().find_map(|(index, element)| {
                        self.type_problem(item, element)
                            .map(|problem| format!("item {index}: {problem}"))
                    });
                }
                (FieldType::Enum(id), Value::String(text)) => {
                    let enum_type = self.catalog.enum_type(*id);
                    if enum_type
                        .variants
                        .iter()
                        .any(|variant| &variant.value == text)
                    {
                        return None;
                    }
                    let values: Vec<&str> = enum_type
                        .variants
                        .iter()
                        .map(|variant| variant.value.as_str())
                        .collect();
                    return Some(format!("`{text}` is not one of {}", values.join(", ")));
                }
                (FieldType::Scalar(Scalar::Integer), _) => "an integer",
                (FieldType::Scalar(Scalar::Number), _) => "a number",
                (FieldType::Scalar(Scalar::Boolean), _) => "a boolean",
                (FieldType::Object | FieldType::Struct(_) | FieldType::Map(_), _) => "an object",
                (FieldType::Array(_) | FieldType::Tuple(_), _) => "an array",
                (FieldType::Null, _) => "null",
                (FieldType::Scalar(_) | FieldType::Enum(_), _) => "a string",
            };
        Some(format!("expected {expected}, found {}", describe(value)))
    }

    /// The first field of a nested object that breaks its rules.
    fn struct_problem(&self, id: StructId, object: &Map<String, Value>) -> Option<String> {
        let nested = self.catalog.struct_type(id);
        let fields = &nested.fields;
        let field_problem = fields
            .iter()
            .find_map(|field| match object.get(&field.name) {
                None if !field.optional => {
                    Some(format!("`{}` is required but missing", field.name))
                }
                None => None,
                Some(value) => self
                    .problem(field, value)
                    .map(|problem| format!("`{}`: {problem}", field.name)),
            });
        if field_problem.is_some() {
            return field_problem;
        }
        if let Some(presence) = &nested.presence {
            let present = |name: &str| object.get(name).is_some_and(|value| !value.is_null());
            if !presence.holds(present) {
                return Some(presence.describe());
            }
        }
        // A closed envelope object refuses members it does not declare.
        if !nested.closed {
            return None;
        }
        let unknown = object
            .keys()
            .find(|key| !fields.iter().any(|field| &field.name == *key))?;
        Some(format!("`{unknown}` is not a member of this object"))
    }

    /// Fits one branch of a union (a `oneOf`'s branches are exclusive, so
    /// one is all it can fit). The problem shown is the branch's of the
    /// value's JSON type, when one branch has that type.
    fn union_problem(&self, id: crate::ir::UnionId, value: &Value) -> Option<String> {
        let union = self.catalog.union_type(id);
        let problems: Vec<(&Field, String)> = union
            .variants
            .iter()
            .map(|variant| {
                self.problem(variant, value)
                    .map(|problem| (variant, problem))
            })
            .collect::<Option<_>>()?;
        let of_kind: Vec<&(&Field, String)> = problems
            .iter()
            .filter(|(_, problem)| !problem.starts_with("expected "))
            .collect();
        if let [(_, problem)] = of_kind.as_slice() {
            return Some(problem.clone());
        }
        let names: Vec<&str> = union
            .variants
            .iter()
            .map(|variant| variant.name.as_str())
            .collect();
        Some(format!(
            "{} fits none of the alternatives ({})",
            describe(value),
            names.join(", ")
        ))
    }

    fn rules_problem(&self, rules: &Rules, value: &Value) -> Option<String> {
        if let Some(values) = &rules.values {
            if !values.iter().any(|allowed| same_json(allowed, value)) {
                return Some(format!("{value} is not one of {}", listed(values)));
            }
        }
        match value {
            Value::String(text) => {
                let length = text.chars().count() as u64;
                let known = rules.format.as_deref().and_then(format);
                if let Some(format) = known.filter(|format| !format.holds(text)) {
                    return Some(format!("`{text}` is not {}", format.noun));
                }
                if let Some(pattern) = rules.pattern.as_deref() {
                    if !self
                        .patterns
                        .get(pattern)
                        .is_some_and(|regex| regex.is_match(text))
                    {
                        return Some(format!("`{text}` does not match the pattern {pattern}"));
                    }
                }
                if let Some(min) = rules.min_length.filter(|&min| length < min) {
                    return Some(format!("is shorter than {min} characters"));
                }
                rules
                    .max_length
                    .filter(|&max| length > max)
                    .map(|max| format!("is longer than {max} characters"))
            }
            Value::Number(number) => {
                let limit = |limit: &Number| limit.as_f64().unwrap_or(0.0);
                let actual = number.as_f64().unwrap_or(0.0);
                if let Some(min) = rules.minimum.as_ref().filter(|min| actual < limit(min)) {
                    return Some(format!("{number} is below the minimum {min}"));
                }
                if let Some(max) = rules.maximum.as_ref().filter(|max| actual > limit(max)) {
                    return Some(format!("{number} is above the maximum {max}"));
                }
                if let Some(min) = rules
                    .exclusive_minimum
                    .as_ref()
                    .filter(|min| actual <= limit(min))
                {
                    return Some(format!("{number} is not above {min}"));
                }
                if let Some(max) = rules
                    .exclusive_maximum
                    .as_ref()
                    .filter(|max| actual >= limit(max))
                {
                    return Some(format!("{number} is not below {max}"));
                }
                rules
                    .multiple_of
                    .as_ref()
                    .filter(|divisor| !is_multiple_of(actual, limit(divisor)))
                    .map(|divisor| format!("{number} is not a multiple of {divisor}"))
            }
            Value::Array(items) => {
                let count = items.len() as u64;
                if let Some(min) = rules.min_items.filter(|&min| count < min) {
                    return Some(format!("has fewer than {min} items"));
                }
                if let Some(max) = rules.max_items.filter(|&max| count > max) {
                    return Some(format!("has more than {max} items"));
                }
                let repeated = rules.unique_items
                    && items.iter().enumerate().any(|(index, item)| {
                        items[..index]
                            .iter()
                            .any(|earlier| same_json(earlier, item))
                    });
                repeated.then(|| "has an item twice".to_owned())
            }
            _ => None,
        }
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
