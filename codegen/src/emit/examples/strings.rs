//! Candidate string values for a field's rules: a sample per known
//! `format`, a value built from its `pattern`, a default fitted to its
//! lengths; and, when none fits, which of the rules contradict each other.

use super::pattern::{matching_string, NoMatch};
use serde_json::Value;

use crate::ir::Rules;
use crate::vocabulary::format;

/// A value of the rules' `format`, when evcat knows the format.
pub fn format_sample(rules: &Rules) -> Option<Value> {
    let format = rules.format.as_deref().and_then(format)?;
    Some(Value::String(format.sample.to_owned()))
}

/// Strings worth trying when the defaults fail: a value the pattern
/// matches within the lengths, or `fallback` padded or cut to the lengths.
pub fn built(rules: &Rules, fallback: &str) -> Vec<Value> {
    let mut found = Vec::new();
    let min = rules.min_length.unwrap_or(0);
    if let Some(pattern) = &rules.pattern {
        if let Ok(value) = matching_string(pattern, min, rules.max_length) {
            found.push(Value::String(value));
        }
    } else {
        found.push(Value::String(fitted(fallback, min, rules.max_length)));
    }
    found
}

/// `text` padded with `x` or cut to fit the lengths.
fn fitted(text: &str, min: u64, max: Option<u64>) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let min = usize::try_from(min)
        .unwrap_or(usize::MAX)
        .min(super::pattern::LONGEST);
    while chars.len() < min {
        chars.push('x');
    }
    if let Some(max) = max.and_then(|max| usize::try_from(max).ok()) {
        chars.truncate(max);
    }
    chars.into_iter().collect()
}

/// Which of a string's rules cannot hold together, in words, when evcat
/// can tell; `None` when they may (a `pattern` and a `format` that evcat
/// found no common value for: the author then gives an example).
pub fn conflict(rules: &Rules) -> Option<String> {
    let min = rules.min_length.unwrap_or(0);
    if let Some(max) = rules.max_length.filter(|&max| max < min) {
        return Some(format!("`minLength` {min} is above `maxLength` {max}"));
    }
    let pattern = rules.pattern.as_deref()?;
    match matching_string(pattern, min, rules.max_length) {
        Err(NoMatch::Empty) => Some(format!("no string matches the `pattern` {pattern}")),
        Err(NoMatch::Lengths) => Some(format!(
            "no string of {} characters matches the `pattern` {pattern}",
            length_range(min, rules.max_length)
        )),
        Err(NoMatch::Invalid | NoMatch::TooLong) => None,
        Ok(_) => None,
    }
}

fn length_range(min: u64, max: Option<u64>) -> String {
    match max {
        Some(max) if max == min => format!("exactly {min}"),
        Some(max) if min == 0 => format!("at most {max}"),
        Some(max) => format!("{min} to {max}"),
        None => format!("at least {min}"),
    }
}
