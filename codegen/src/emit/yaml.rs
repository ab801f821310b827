//! JSON values as YAML, for `asyncapi.yaml`: block mappings and sequences,
//! every string double-quoted.
//!
//! Quoting every string makes the output mean the same to every reader:
//! YAML 1.1 parsers read a plain `yes`, `no`, `on` or `1.0` as a boolean or
//! a number, and a raw U+2028 or U+0085 as a line break. Double-quoted
//! scalars take JSON's escapes, so a string is its JSON text, with the
//! characters YAML does not allow raw escaped as well. (serde_yaml is no
//! longer maintained, and its forks write `yes` plain and U+2028 raw.)

use std::fmt::Write;

use serde_json::Value;

/// The value as a YAML document (a mapping at the top), ending in a newline.
/// Everything is written straight into one string: the AsyncAPI document of
/// a large catalog is tens of megabytes.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => mapping(&mut out, map, 0, false),
        Value::Array(items) if !items.is_empty() => sequence(&mut out, items, 0),
        scalar => {
            inline(&mut out, scalar);
            out.push('\n');
        }
    }
    out
}

/// `key: value` as an entry of a mapping indented by `indent`, for
/// documents written a piece at a time.
pub fn write_entry(out: &mut String, key: &str, value: &Value, indent: usize) {
    indentation(out, indent);
    key_text(out, key);
    out.push(':');
    nested(out, value, indent);
}

/// `after_dash`: the first key goes on the line of a sequence's `-`.
fn mapping(
    out: &mut String,
    map: &serde_json::Map<String, Value>,
    indent: usize,
    after_dash: bool,
) {
    for (position, (key, value)) in map.iter().enumerate() {
        if position == 0 && after_dash {
            out.push(' ');
        } else {
            indentation(out, indent);
        }
        key_text(out, key);
        out.push(':');
        nested(out, value, indent);
    }
}

fn sequence(out: &mut String, items: &[Value], indent: usize) {
    for item in items {
        indentation(out, indent);
        out.push('-');
        match item {
            Value::Object(map) if !map.is_empty() => mapping(out, map, indent + 2, true),
            other => nested(out, other, indent),
        }
    }
}

fn indentation(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// After `key:` or `-`: a scalar on the same line, a collection below.
fn nested(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            mapping(out, map, indent + 2, false);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            sequence(out, items, indent + 2);
        }
        scalar => {
            out.push(' ');
            inline(out, scalar);
            out.push('\n');
        }
    }
}

fn inline(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(flag) => out.push_str(if *flag { "true" } else { "false" }),
        Value::Number(number) => {
            let _ = write!(out, "{number}");
        }
        Value::String(text) => quoted(out, text),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

/// Plain when the key cannot be read as anything but this string.
fn key_text(out: &mut String, key: &str) {
    let plain = key
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_' || first == '$')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.' | '-' | '/'));
    let special = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"]
        .iter()
        .any(|word| key.eq_ignore_ascii_case(word));
    if plain && !special {
        out.push_str(key);
    } else {
        quoted(out, key);
    }
}

/// A double-quoted scalar: JSON's escapes, and `\uXXXX` for what YAML
/// does not allow raw or reads as a line break (C1 controls, DEL, U+2028,
/// U+2029, the byte-order mark).
fn quoted(out: &mut String, text: &str) {
    let json = serde_json::to_string(text).expect("strings serialize");
    for c in json.chars() {
        let code = u32::from(c);
        if code == 0x7f || (0x80..=0x9f).contains(&code) || matches!(code, 0x2028 | 0x2029 | 0xfeff)
        {
            let _ = write!(out, "\\u{code:04X}");
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn collections_nest_in_block_style_and_strings_are_always_quoted() {
        let value = json!({
            "asyncapi": "3.0.0",
            "info": { "title": "Orders", "version": "1.0" },
            "yes": ["no", 1, true, null, { "name": "a", "x-pii": true }, [], {}],
            "with space": "line\nbreak\u{2028}\u{85}",
        });
        assert_eq!(
            to_yaml(&value),
            concat!(
                "asyncapi: \"3.0.0\"\n",
                "info:\n",
                "  title: \"Orders\"\n",
                "  version: \"1.0\"\n",
                "\"yes\":\n",
                "  - \"no\"\n",
                "  - 1\n",
                "  - true\n",
                "  - null\n",
                "  - name: \"a\"\n",
                "    x-pii: true\n",
                "  - []\n",
                "  - {}\n",
                "\"with space\": \"line\\nbreak\\u2028\\u0085\"\n",
            )
        );
    }

    #[test]
    fn sequences_of_sequences_and_deep_mappings() {
        let value = json!({ "a": [[1, 2], [{ "b": { "c": "d" } }]] });
        assert_eq!(
            to_yaml(&value),
            "a:\n  -\n    - 1\n    - 2\n  -\n    - b:\n        c: \"d\"\n"
        );
    }
}
