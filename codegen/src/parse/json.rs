//! Strict JSON (no comments, trailing commas or other JSON5 extensions)
//! parsed to an AST that keeps every value's position.

use jsonc_parser::ast::Value;
use jsonc_parser::errors::ParseError;
use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};

pub fn parse_strict_json(source: &str) -> Result<Option<Value<'_>>, ParseError> {
    let strict = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    parse_to_ast(source, &CollectOptions::default(), &strict).map(|result| result.value)
}
