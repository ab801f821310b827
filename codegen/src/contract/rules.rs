//! A field's value rules as a lock records them (JSON Schema keywords and
//! their values), and how two sets compare: narrowed (fewer values
//! accepted), widened (more) or changed (some of each), keyword by keyword
//! as Confluent's JSON Schema checker does (`MAX_LENGTH_DECREASED`,
//! `PATTERN_ADDED`, `ENUM_ARRAY_EXTENDED` …).

use std::collections::BTreeMap;

use serde_json::{Number, Value};

use crate::ir::Rules;

/// How a rule changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleChange {
    /// It accepts fewer values.
    Narrowed,
    /// It accepts more values.
    Widened,
    /// It accepts some values it did not, and refuses some it accepted.
    Changed,
}

/// One rule's change, with what happened in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleFound {
    pub change: RuleChange,
    pub fact: String,
}

/// A field's rules by keyword; `format: date-time` is left out where the
/// type already says `timestamp`.
pub fn recorded(rules: &Rules, timestamp: bool) -> BTreeMap<String, Value> {
    let mut all = BTreeMap::new();
    let mut put = |keyword: &str, value: Option<Value>| {
        if let Some(value) = value {
            all.insert(keyword.to_owned(), value);
        }
    };
    put("pattern", rules.pattern.clone().map(Value::String));
    put(
        "format",
        rules
            .format
            .clone()
            .filter(|format| !(timestamp && format == "date-time"))
            .map(Value::String),
    );
    put("minLength", rules.min_length.map(Value::from));
    put("maxLength", rules.max_length.map(Value::from));
    put("minimum", rules.minimum.clone().map(Value::Number));
    put("maximum", rules.maximum.clone().map(Value::Number));
    put(
        "exclusiveMinimum",
        rules.exclusive_minimum.clone().map(Value::Number),
    );
    put(
        "exclusiveMaximum",
        rules.exclusive_maximum.clone().map(Value::Number),
    );
    put("multipleOf", rules.multiple_of.clone().map(Value::Number));
    put("minItems", rules.min_items.map(Value::from));
    put("maxItems", rules.max_items.map(Value::from));
    put(
        "uniqueItems",
        rules.unique_items.then_some(Value::Bool(true)),
    );
    put("enum", rules.values.clone().map(Value::Array));
    all
}

/// Each keyword whose rule differs between `old` and `new`.
pub fn compare_rules(
    old: &BTreeMap<String, Value>,
    new: &BTreeMap<String, Value>,
) -> Vec<RuleFound> {
    let mut keywords: Vec<&String> = old.keys().chain(new.keys()).collect();
    keywords.sort();
    keywords.dedup();
    let mut found = Vec::new();
    for keyword in keywords {
        let (before, after) = (old.get(keyword), new.get(keyword));
        if before == after {
            continue;
        }
        let change = match (before, after) {
            // A rule that appears accepts fewer values; one that goes, more.
            (None, Some(_)) => RuleChange::Narrowed,
            (Some(_), None) => RuleChange::Widened,
            (Some(before), Some(after)) => changed(keyword, before, after),
            (None, None) => continue,
        };
        let shown =
            |value: Option<&Value>| value.map_or_else(|| "none".to_owned(), ToString::to_string);
        let fact = format!("`{keyword}` {} → {}", shown(before), shown(after));
        found.push(RuleFound { change, fact });
    }
    found
}

/// How a rule present on both sides changed.
fn changed(keyword: &str, before: &Value, after: &Value) -> RuleChange {
    let number = |value: &Value| value.as_f64();
    match keyword {
        // Lower bounds: a higher one accepts fewer values.
        "minLength" | "minimum" | "exclusiveMinimum" | "minItems" => {
            match (number(before), number(after)) {
                (Some(before), Some(after)) if after > before => RuleChange::Narrowed,
                (Some(_), Some(_)) => RuleChange::Widened,
                _ => RuleChange::Changed,
            }
        }
        // Upper bounds: a lower one accepts fewer values.
        "maxLength" | "maximum" | "exclusiveMaximum" | "maxItems" => {
            match (number(before), number(after)) {
                (Some(before), Some(after)) if after < before => RuleChange::Narrowed,
                (Some(_), Some(_)) => RuleChange::Widened,
                _ => RuleChange::Changed,
            }
        }
        // Multiples of 4 are multiples of 2: 2 → 4 narrows, 4 → 2 widens.
        "multipleOf" => match (before.as_number(), after.as_number()) {
            (Some(before), Some(after)) if divides(before, after) => RuleChange::Narrowed,
            (Some(before), Some(after)) if divides(after, before) => RuleChange::Widened,
            _ => RuleChange::Changed,
        },
        "enum" => match (before.as_array(), after.as_array()) {
            (Some(before), Some(after)) if after.iter().all(|value| before.contains(value)) => {
                RuleChange::Narrowed
            }
            (Some(before), Some(after)) if before.iter().all(|value| after.contains(value)) => {
                RuleChange::Widened
            }
            _ => RuleChange::Changed,
        },
        // Another pattern or format: neither contains the other in general.
        _ => RuleChange::Changed,
    }
}

/// Whether `multiple` is a whole multiple of `of`.
fn divides(of: &Number, multiple: &Number) -> bool {
    match (of.as_u64(), multiple.as_u64()) {
        (Some(of), Some(multiple)) if of > 0 => multiple % of == 0,
        _ => match (of.as_f64(), multiple.as_f64()) {
            (Some(of), Some(multiple)) if of > 0.0 => {
                let ratio = multiple / of;
                (ratio - ratio.round()).abs() < 1e-9
            }
            _ => false,
        },
    }
}
