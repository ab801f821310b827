//! The type syntax authors may write after a field name: `string`, `[id]`,
//! `enum(sms|mms)`, `{ amount: integer }`, and the fields that carry it.
//! Resolving names to types happens later, against the list in `resolve`.

use std::ops::Range;

use crate::ir::Span;

/// A field as written, before its type is resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawField {
    pub name: String,
    pub span: Span,
    pub optional: bool,
    pub declared_type: Option<TypeExpr>,
    /// `null` is a value (the JSON dialect's `"uuid|null"`).
    pub nullable: bool,
    /// A sample value the catalog gives (the JSON dialect's hints).
    pub examples: Vec<serde_json::Value>,
}

/// A type as written, with spans of type `S` (plain-text ranges while
/// parsing, [`crate::ir::Span`]s once mapped to the source).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr<S = crate::ir::Span> {
    Named(String, S),
    Array(Box<TypeExpr<S>>, S),
    Enum(Vec<(String, S)>, S),
    /// An object type written inline, `{ amount_cents: integer, currency }`:
    /// its fields, read by the field-list reader (so already with spans).
    Object(Vec<RawField>, S),
}

impl<S> TypeExpr<S> {
    pub fn map_spans<T>(self, map: &dyn Fn(S) -> T) -> TypeExpr<T> {
        match self {
            TypeExpr::Named(name, span) => TypeExpr::Named(name, map(span)),
            TypeExpr::Array(item, span) => {
                TypeExpr::Array(Box::new(item.map_spans(map)), map(span))
            }
            TypeExpr::Enum(values, span) => TypeExpr::Enum(
                values
                    .into_iter()
                    .map(|(value, span)| (value, map(span)))
                    .collect(),
                map(span),
            ),
            TypeExpr::Object(fields, span) => TypeExpr::Object(fields, map(span)),
        }
    }
}

type ParseError = (String, Range<usize>);

/// Parses `text`, whose first byte is at `offset` of the enclosing text.
pub fn parse_type_expr(text: &str, offset: usize) -> Result<TypeExpr<Range<usize>>, ParseError> {
    let mut parser = Parser {
        text,
        offset,
        at: 0,
    };
    let expr = parser.expr()?;
    parser.skip_space();
    if parser.at < text.len() {
        return Err((
            format!("unexpected `{}` after the type", &text[parser.at..]),
            parser.range(parser.at, text.len()),
        ));
    }
    Ok(expr)
}

struct Parser<'a> {
    text: &'a str,
    offset: usize,
    at: usize,
}

impl Parser<'_> {
    fn range(&self, start: usize, end: usize) -> Range<usize> {
        self.offset + start..self.offset + end
    }

    fn skip_space(&mut self) {
        let rest = &self.text[self.at..];
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_space();
        if self.text[self.at..].starts_with(c) {
            self.at += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expr(&mut self) -> Result<TypeExpr<Range<usize>>, ParseError> {
        self.skip_space();
        let start = self.at;
        if self.eat('[') {
            let item = self.expr()?;
            if !self.eat(']') {
                return Err((
                    "expected `]` to close the array type".into(),
                    self.range(start, start + 1),
                ));
            }
            return Ok(TypeExpr::Array(Box::new(item), self.range(start, self.at)));
        }
        let word = self.word();
        if word.is_empty() {
            let end = (self.at + 1).min(self.text.len());
            return Err(("expected a type".into(), self.range(self.at, end)));
        }
        if word == "enum" {
            return self.enum_values(start);
        }
        Ok(TypeExpr::Named(word.to_owned(), self.range(start, self.at)))
    }

    fn word(&mut self) -> &str {
        let rest = &self.text[self.at..];
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let word = &rest[..len];
        self.at += len;
        word
    }

    fn enum_values(&mut self, start: usize) -> Result<TypeExpr<Range<usize>>, ParseError> {
        if !self.eat('(') {
            return Err((
                "expected `(` after `enum`, as in `enum(sms|mms)`".into(),
                self.range(start, self.at),
            ));
        }
        let Some(close) = self.text[self.at..].find(')').map(|at| self.at + at) else {
            return Err((
                "unclosed `(` in the enum type".into(),
                self.range(self.at - 1, self.at),
            ));
        };
        let mut values = Vec::new();
        let mut value_start = self.at;
        for piece in self.text[self.at..close].split('|') {
            let lead = piece.len() - piece.trim_start().len();
            let value = piece.trim();
            let begin = value_start + lead;
            if value.is_empty() {
                return Err((
                    "empty value in the enum type".into(),
                    self.range(value_start, value_start + piece.len().max(1)),
                ));
            }
            values.push((value.to_owned(), self.range(begin, begin + value.len())));
            value_start += piece.len() + 1;
        }
        self.at = close + 1;
        Ok(TypeExpr::Enum(values, self.range(start, self.at)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_names_arrays_and_enums() {
        assert_eq!(
            parse_type_expr("string", 10),
            Ok(TypeExpr::Named("string".into(), 10..16))
        );
        assert_eq!(
            parse_type_expr("[ id ]", 0),
            Ok(TypeExpr::Array(
                Box::new(TypeExpr::Named("id".into(), 2..4)),
                0..6
            ))
        );
        assert_eq!(
            parse_type_expr("enum(no-answer | busy)", 0),
            Ok(TypeExpr::Enum(
                vec![("no-answer".into(), 5..14), ("busy".into(), 17..21)],
                0..22
            ))
        );
    }

    #[test]
    fn reports_what_is_wrong_and_where() {
        assert_eq!(parse_type_expr("[id", 0).unwrap_err().1, 0..1);
        assert_eq!(
            parse_type_expr("enum(a||b)", 0).unwrap_err().0,
            "empty value in the enum type"
        );
        assert_eq!(
            parse_type_expr("string extra", 0).unwrap_err().0,
            "unexpected `extra` after the type"
        );
        assert_eq!(parse_type_expr("", 0).unwrap_err().0, "expected a type");
    }
}
