//! The `Required: { a, b?, c: type }` field list of the catalog dialect.

use std::ops::Range;

use super::markdown::SpannedText;
use super::text::{find_unquoted, quoted_end, split_top_level, trim_range, unquoted_chars};
use super::type_expr::{parse_type_expr, RawField, TypeExpr};
use crate::diagnostics::{Diagnostic, Rule};
use crate::ir::{FileId, Span};

/// Where the list's text lives: a bullet's inline text, from an offset of its
/// plain text on.
pub struct ListSource<'a> {
    pub file: FileId,
    pub text: &'a SpannedText,
    pub plain: &'a str,
    pub start: usize,
}

impl ListSource<'_> {
    fn span(&self, plain: Range<usize>) -> Span {
        let range = self.text.source_range(plain);
        Span::new(self.file, range)
    }
}

/// Parses a field list; every problem found is pushed to `errors`, and the
/// fields that could be read are returned all the same.
pub fn parse_field_list(source: &ListSource<'_>, errors: &mut Vec<Diagnostic>) -> Vec<RawField> {
    let plain = source.plain;
    let rest = &plain[source.start..];
    let leading = rest.len() - rest.trim_start().len();
    let open = source.start + leading;
    if !plain[open..].starts_with('{') {
        let end = if open < plain.len() { open + 1 } else { open };
        errors.push(
            Rule::Catalog
                .error(
                    source.span(open..end),
                    "expected `{` to open the field list",
                )
                .with_help("write the fields as `Required: { customer_id, reason? }`"),
        );
        return Vec::new();
    }
    let close = match find_close(plain, open) {
        Ok(close) => close,
        Err(Unclosed::Brace) => {
            errors.push(
                Rule::Catalog
                    .error(
                        source.span(open..open + 1),
                        "unclosed `{` in the field list",
                    )
                    .with_label("this `{` has no matching `}`")
                    .with_help("close the list with `}` on the same bullet"),
            );
            return Vec::new();
        }
        Err(Unclosed::Quote(at)) => {
            errors.push(unclosed_quote_error(source.span(at..at + 1)));
            return Vec::new();
        }
        Err(Unclosed::Bracket(at, bracket)) => {
            errors.push(
                Rule::Catalog
                    .error(
                        source.span(at..at + 1),
                        format!("unclosed `{bracket}` in a field type"),
                    )
                    .with_help(format!(
                        "close it with `{}` before the next `,` or `}}`",
                        match bracket {
                            '(' => ')',
                            '[' => ']',
                            _ => '}',
                        }
                    )),
            );
            return Vec::new();
        }
    };
    let trailing = plain[close + 1..].trim_start();
    if !trailing.is_empty() {
        let at = plain.len() - trailing.len();
        errors.push(
            Rule::Catalog
                .error(
                    source.span(at..plain.len()),
                    "unexpected text after the field list",
                )
                .with_help("put notes in their own paragraph or bullet"),
        );
    }
    fields_between(source, open, close, 0, errors)
}

/// How deep objects may nest in a field type.
const DEEPEST: usize = 16;

/// The fields between the braces at `open` and `close`, at a nesting depth.
fn fields_between(
    source: &ListSource<'_>,
    open: usize,
    close: usize,
    depth: usize,
    errors: &mut Vec<Diagnostic>,
) -> Vec<RawField> {
    let plain = source.plain;
    let segments = split_top_level(plain, open + 1..close, ',');
    let last = segments.len() - 1;
    let mut fields = Vec::new();
    for (index, segment) in segments.into_iter().enumerate() {
        let text = &plain[segment.clone()];
        if text.trim().is_empty() {
            // `{}` and a trailing comma are fine; `{ a,, b }` is not.
            if index != last {
                errors.push(
                    Rule::Catalog
                        .error(
                            source.span(segment.start.saturating_sub(1)..segment.start),
                            "empty entry in the field list",
                        )
                        .with_help("remove the extra `,`"),
                );
            }
            continue;
        }
        if let Some(field) = parse_entry(source, segment, depth, errors) {
            fields.push(field);
        }
    }
    fields
}

enum Unclosed {
    Brace,
    /// A quoted name's `"`, at this byte index.
    Quote(usize),
    /// A `(` or `[` of a type, at this byte index.
    Bracket(usize, char),
}

/// The first `"` from `from` on that opens a quoted name nothing closes.
fn unclosed_quote(plain: &str, from: usize) -> Option<usize> {
    let mut at = from;
    while let Some(quote) = plain[at..].find('"').map(|index| at + index) {
        match quoted_end(plain, quote) {
            Some(end) => at = end,
            None => return Some(quote),
        }
    }
    None
}

/// The `}` that closes the list opened at `open`, skipping brackets of
/// types and the braces of nested objects.
fn find_close(plain: &str, open: usize) -> Result<usize, Unclosed> {
    if let Some(quote) = unclosed_quote(plain, open + 1) {
        return Err(Unclosed::Quote(quote));
    }
    let mut brackets: Vec<(usize, char)> = Vec::new();
    for (at, c) in unquoted_chars(plain, open + 1..plain.len()) {
        match c {
            '(' | '[' | '{' => brackets.push((at, c)),
            ')' | ']' => {
                // A `}` cannot close a `(` or `[`: the `(`/`[` is unclosed.
                if brackets.last().is_some_and(|&(_, open)| open == '{') {
                    let &(bracket_at, _) = brackets
                        .iter()
                        .rev()
                        .find(|(_, open)| *open == '{')
                        .expect("found above");
                    return Err(Unclosed::Bracket(bracket_at, '{'));
                }
                brackets.pop();
            }
            '}' => match brackets.pop() {
                None => return Ok(at),
                Some((_, '{')) => {}
                Some((bracket_at, bracket)) => return Err(Unclosed::Bracket(bracket_at, bracket)),
            },
            _ => {}
        }
    }
    match brackets.first() {
        Some(&(bracket_at, '{')) => Err(Unclosed::Bracket(bracket_at, '{')),
        _ => Err(Unclosed::Brace),
    }
}

fn parse_entry(
    source: &ListSource<'_>,
    segment: Range<usize>,
    depth: usize,
    errors: &mut Vec<Diagnostic>,
) -> Option<RawField> {
    let plain = source.plain;
    let (name, name_range, optional, colon) = field_name(source, segment.clone(), errors)?;
    let span = source.span(name_range);
    let declared_type = match colon {
        None => None,
        Some(colon) => {
            let type_range = trim_range(plain, colon + 1..segment.end);
            if let Some(object) = object_type(source, type_range.clone(), depth, errors) {
                let object = object?;
                return Some(RawField {
                    name,
                    span,
                    optional,
                    declared_type: Some(object),
                    nullable: false,
                    examples: Vec::new(),
                });
            }
            if let Some(at) = plain[type_range.clone()].find('?') {
                let at = type_range.start + at;
                errors.push(malformed_question_mark(source.span(at..at + 1)));
                return None;
            }
            match parse_type_expr(&plain[type_range.clone()], type_range.start) {
                Ok(expr) => Some(expr.map_spans(&|range| source.span(range))),
                Err((message, range)) => {
                    let range = if range.is_empty() {
                        colon..colon + 1
                    } else {
                        range
                    };
                    errors.push(Rule::Catalog.error(source.span(range), message).with_help(
                        "types are written `string`, `[id]` or `enum(a|b)`; see the README",
                    ));
                    return None;
                }
            }
        }
    };
    Some(RawField {
        name,
        span,
        optional,
        declared_type,
        nullable: false,
        examples: Vec::new(),
    })
}

/// Characters a field name can only hold when it is quoted: they mean
/// something in a field list, or end a name.
const NEEDS_QUOTES: &[char] = &['(', ')', '"', '|', '?'];

/// The name of one entry, as its producer writes the key: bare
/// (`clientRequestId`, `instance-id`, `user.id`, `$ref`, `größe`) or quoted
/// as a JSON string (`"first name"`). Returns the name, its range, whether a
/// `?` marks it optional, and where its `:` is.
fn field_name(
    source: &ListSource<'_>,
    segment: Range<usize>,
    errors: &mut Vec<Diagnostic>,
) -> Option<(String, Range<usize>, bool, Option<usize>)> {
    let plain = source.plain;
    let colon = find_unquoted(plain, segment.clone(), ':');
    let name_part = trim_range(plain, segment.start..colon.unwrap_or(segment.end));
    if plain[name_part.clone()].starts_with('"') {
        let Some(end) = quoted_end(plain, name_part.start).filter(|&end| end <= name_part.end)
        else {
            errors.push(unclosed_quote_error(
                source.span(name_part.start..name_part.start + 1),
            ));
            return None;
        };
        let name = match serde_json::from_str::<String>(&plain[name_part.start..end]) {
            Ok(name) => name,
            Err(error) => {
                errors.push(
                    Rule::Catalog
                        .error(
                            source.span(name_part.start..end),
                            format!("cannot read the quoted field name: {error}"),
                        )
                        .with_help(
                            "a quoted name is a JSON string: escape `\"` and `\\` with `\\`",
                        ),
                );
                return None;
            }
        };
        let after = trim_range(plain, end..name_part.end);
        let optional = match &plain[after.clone()] {
            "" => false,
            "?" => true,
            _ => {
                errors.push(malformed_question_mark(source.span(after)));
                return None;
            }
        };
        return Some((name, name_part.start..end, optional, colon));
    }
    let mut name_range = name_part.clone();
    let optional = plain[name_range.clone()].ends_with('?');
    if optional {
        name_range = trim_range(plain, name_range.start..name_range.end - 1);
    }
    let name = &plain[name_range.clone()];
    if let Some(at) = name.find('?') {
        let at = name_range.start + at;
        errors.push(malformed_question_mark(source.span(at..at + 1)));
        return None;
    }
    if name.is_empty() {
        let message = if optional {
            "`?` without a field name"
        } else {
            "missing field name"
        };
        errors.push(
            Rule::Catalog
                .error(source.span(name_part), message)
                .with_help("write the field's name before `?` or `:`"),
        );
        return None;
    }
    if let Some((at, c)) = name
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || NEEDS_QUOTES.contains(&c))
    {
        let at = name_range.start + at;
        let what = if c.is_whitespace() {
            "a space".to_owned()
        } else {
            format!("`{c}`")
        };
        let quoted = serde_json::to_string(name).expect("strings serialize");
        errors.push(
            Rule::Catalog
                .error(
                    source.span(at..at + c.len_utf8()),
                    format!("field name `{name}` holds {what}"),
                )
                .with_label("a bare name ends here")
                .with_help(format!(
                    "quote a name that holds spaces or `(`, `)`, `|`, `?`, `\"`: `{quoted}`"
                )),
        );
        return None;
    }
    Some((name.to_owned(), name_range, optional, colon))
}

/// An object type, `{ a, b?: integer }`, or an array of one, `[{ … }]`:
/// `None` when the type is neither; `Some(None)` after reporting why the
/// object cannot be read.
fn object_type(
    source: &ListSource<'_>,
    range: Range<usize>,
    depth: usize,
    errors: &mut Vec<Diagnostic>,
) -> Option<Option<TypeExpr>> {
    let plain = source.plain;
    let text = &plain[range.clone()];
    let (open, array) = if text.starts_with('{') {
        (range.start, false)
    } else if text.starts_with('[') && text[1..].trim_start().starts_with('{') {
        (
            range.start + 1 + (text[1..].len() - text[1..].trim_start().len()),
            true,
        )
    } else {
        return None;
    };
    if depth >= DEEPEST {
        errors.push(
            Rule::Catalog
                .error(
                    source.span(open..open + 1),
                    format!("objects nest deeper than {DEEPEST} levels here"),
                )
                .with_help("name a type for the inner objects, or flatten them"),
        );
        return Some(None);
    }
    let close = match find_close(plain, open) {
        Ok(close) if close < range.end => close,
        _ => {
            errors.push(
                Rule::Catalog
                    .error(source.span(open..open + 1), "unclosed `{` in a field type")
                    .with_help("close the object with `}` before the next `,` or `}`"),
            );
            return Some(None);
        }
    };
    let after = trim_range(plain, close + 1..range.end);
    let rest = &plain[after.clone()];
    let closes_array = rest == "]";
    if (array && !closes_array) || (!array && !rest.is_empty()) {
        let at = if after.is_empty() {
            close..close + 1
        } else {
            after
        };
        let message = if array {
            "expected `]` to close the array of objects"
        } else {
            "unexpected text after the object type"
        };
        errors.push(Rule::Catalog.error(source.span(at), message).with_help(
            "write an object type as `{ a, b?: integer }` and an array of them as `[{ a, b }]`",
        ));
        return Some(None);
    }
    let fields = fields_between(source, open, close, depth + 1, errors);
    let object = TypeExpr::Object(fields, source.span(open..close + 1));
    Some(Some(if array {
        TypeExpr::Array(Box::new(object), source.span(range))
    } else {
        object
    }))
}

fn unclosed_quote_error(span: Span) -> Diagnostic {
    Rule::Catalog
        .error(span, "unclosed `\"` in a field name")
        .with_help("close the quoted name with `\"`, as in `\"first name\"?: string`")
}

fn malformed_question_mark(span: Span) -> Diagnostic {
    Rule::Catalog.error(span, "malformed `?`")
        .with_label("`?` may only follow a field name")
        .with_help("mark an optional field with one `?` right after its name: `reason?` or `reason?: string`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::markdown::outline;

    fn parse(list: &str) -> (Vec<RawField>, Vec<String>) {
        let source = format!("- Required: {list}\n");
        let blocks = outline(&source);
        let text = &blocks[0].text;
        let plain = text.plain();
        let start = plain.find(':').unwrap() + 1;
        let mut errors = Vec::new();
        let list = ListSource {
            file: FileId(0),
            text,
            plain: &plain,
            start,
        };
        let fields = parse_field_list(&list, &mut errors);
        let messages = errors
            .iter()
            .map(|error| {
                format!(
                    "{}@{}",
                    error.message,
                    &source[error.span.start..error.span.end]
                )
            })
            .collect();
        (fields, messages)
    }

    fn names(fields: &[RawField]) -> Vec<(String, bool)> {
        fields
            .iter()
            .map(|field| (field.name.clone(), field.optional))
            .collect()
    }

    #[test]
    fn reads_names_optional_marks_and_backticks() {
        let (fields, errors) = parse("{ `customer_id`,name ,  reason ? , topic?, }");
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(
            names(&fields),
            vec![
                ("customer_id".into(), false),
                ("name".into(), false),
                ("reason".into(), true),
                ("topic".into(), true)
            ]
        );
        assert_eq!(
            fields[0].span.end - fields[0].span.start,
            "customer_id".len()
        );
    }

    #[test]
    fn keys_are_kept_as_their_producers_write_them() {
        let (fields, errors) = parse(
            r#"{ clientRequestId, instance-id?, user.id: id, $ref, @type, 3ds, größe, "first name"?: string, "a,b:{c}": integer, `"say \"hi\""`, `__typename` }"#,
        );
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(
            names(&fields),
            [
                ("clientRequestId", false),
                ("instance-id", true),
                ("user.id", false),
                ("$ref", false),
                ("@type", false),
                ("3ds", false),
                ("größe", false),
                ("first name", true),
                ("a,b:{c}", false),
                ("say \"hi\"", false),
                ("__typename", false),
            ]
            .map(|(name, optional)| (name.to_owned(), optional))
        );
        assert!(matches!(fields[8].declared_type, Some(TypeExpr::Named(..))));
    }

    #[test]
    fn names_that_need_quotes_say_so() {
        let (_, errors) = parse(r#"{ first name, kind (legacy) }"#);
        assert_eq!(
            errors,
            [
                "field name `first name` holds a space@ ",
                "field name `kind (legacy)` holds a space@ ",
            ]
        );
        let (_, errors) = parse(r#"{ a, "open, b }"#);
        assert_eq!(errors, ["unclosed `\"` in a field name@\""]);
        let (_, errors) = parse(r#"{ `"bad\q"`: string, "x" y }"#);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("cannot read the quoted field name"),
            "{errors:?}"
        );
        assert_eq!(errors[1], "malformed `?`@y");
    }

    #[test]
    fn reads_declared_types() {
        let (fields, errors) = parse("{ seats: integer, tags?: [string], kind: enum(sms|mms) }");
        assert_eq!(errors, Vec::<String>::new());
        assert_eq!(
            names(&fields),
            vec![
                ("seats".into(), false),
                ("tags".into(), true),
                ("kind".into(), false)
            ]
        );
        assert!(matches!(fields[1].declared_type, Some(TypeExpr::Array(..))));
        assert!(
            matches!(&fields[2].declared_type, Some(TypeExpr::Enum(values, _)) if values.len() == 2)
        );
    }

    #[test]
    fn an_empty_list_is_allowed() {
        let (fields, errors) = parse("{ }");
        assert!(fields.is_empty());
        assert!(errors.is_empty());
    }

    #[test]
    fn reports_each_malformed_entry() {
        let (_, errors) = parse("{ ?a, b??, c?d, customerId, , e: string? }");
        // `customerId` is a key like any other: only a declared naming
        // lint questions it.
        assert_eq!(
            errors,
            vec![
                "malformed `?`@?".to_owned(),
                "malformed `?`@?".to_owned(),
                "malformed `?`@?".to_owned(),
                "empty entry in the field list@,".to_owned(),
                "malformed `?`@?".to_owned(),
            ]
        );
    }

    #[test]
    fn reports_unclosed_and_missing_braces() {
        assert_eq!(
            parse("{ a, b").1,
            vec!["unclosed `{` in the field list@{".to_owned()]
        );
        assert_eq!(
            parse("a, b").1,
            vec!["expected `{` to open the field list@a".to_owned()]
        );
        assert_eq!(
            parse("{ a } and more").1,
            vec!["unexpected text after the field list@and more".to_owned()]
        );
        assert_eq!(
            parse("{ kind: enum(a|b }").1,
            vec!["unclosed `(` in a field type@(".to_owned()]
        );
    }

    #[test]
    fn reads_nested_objects_and_arrays_of_them() {
        let (fields, errors) =
            parse("{ total: { amount: integer, tax?: { rate } }, lines: [{ sku, qty? }] }");
        assert!(errors.is_empty(), "{errors:?}");
        let Some(TypeExpr::Object(total, _)) = &fields[0].declared_type else {
            panic!("{:?}", fields[0].declared_type)
        };
        assert_eq!(
            names(total),
            [("amount".to_owned(), false), ("tax".to_owned(), true)]
        );
        let Some(TypeExpr::Array(item, _)) = &fields[1].declared_type else {
            panic!("{:?}", fields[1].declared_type)
        };
        let TypeExpr::Object(line, _) = &**item else {
            panic!("{item:?}")
        };
        assert_eq!(
            names(line),
            [("sku".to_owned(), false), ("qty".to_owned(), true)]
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = format!("{{ a: {}x{} }}", "{ b: ".repeat(20), " }".repeat(20));
        let (_, errors) = parse(&deep);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("objects nest deeper than 16 levels here"),
            "{errors:?}"
        );
        let (_, unclosed) = parse("{ a: [{ b }, c }");
        assert_eq!(unclosed, vec!["unclosed `[` in a field type@[".to_owned()]);
    }
}
