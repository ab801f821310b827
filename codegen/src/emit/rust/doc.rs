//! Catalog prose → rustdoc. The one place prose is escaped for Rust.
//!
//! Docs become `#[doc = "…"]` string literals, so no text can end a comment
//! or reach the code; Markdown that rustdoc would render (HTML, links,
//! emphasis, headings, code blocks that doctest would run) is escaped.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Doc, Inline};

/// `#[doc]` attributes for the given sections: untitled text first, then
/// `# Title` sections for the titled ones that are not empty.
pub fn doc_attrs(sections: &[(Option<&str>, &Doc)]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for (title, doc) in sections {
        if doc.is_empty() {
            continue;
        }
        if let Some(title) = title {
            push_blank(&mut lines);
            lines.push(format!("# {title}"));
        }
        for paragraph in &doc.paragraphs {
            push_blank(&mut lines);
            lines.push(markdown_line(paragraph));
        }
    }
    doc_lines(&lines)
}

/// `#[doc]` attributes for lines that are already Markdown.
pub fn doc_lines(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

fn push_blank(lines: &mut Vec<String>) {
    if !lines.is_empty() {
        lines.push(String::new());
    }
}

/// One paragraph as one Markdown line.
pub fn markdown_line(inlines: &[Inline]) -> String {
    let mut line = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(text) => line.push_str(&escape_markdown(text)),
            Inline::Code(code) => line.push_str(&code_span(code)),
        }
    }
    guard_line_start(line)
}

/// A code span whose fence is longer than any backtick run inside it.
pub fn code_span(code: &str) -> String {
    let longest_run = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{code}{pad}{fence}")
}

/// Backslash-escapes the characters that would start Markdown or HTML.
/// `_` between two letters cannot start emphasis and is left as it is.
fn escape_markdown(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (index, &c) in chars.iter().enumerate() {
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '&' | '~' | '|' | '#' => true,
            '_' => {
                let before = index.checked_sub(1).map(|i| chars[i]);
                let after = chars.get(index + 1);
                !(before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(|c| c.is_alphanumeric()))
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A line may not open a list, quote, heading underline or ordered list.
fn guard_line_start(line: String) -> String {
    if line.starts_with(['-', '+', '=']) {
        return format!("\\{line}");
    }
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 && line[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> String {
        markdown_line(&[Inline::Text(text.to_owned())])
    }

    #[test]
    fn prose_cannot_become_markup() {
        assert_eq!(line("ends */ here"), "ends \\*/ here");
        assert_eq!(line("</script><b>x</b>"), "\\</script\\>\\<b\\>x\\</b\\>");
        assert_eq!(
            line("see [docs](http://x) & co"),
            "see \\[docs\\](http://x) \\& co"
        );
        assert_eq!(line("- not a list"), "\\- not a list");
        assert_eq!(line("1. not a list"), "1\\. not a list");
        assert_eq!(line("```rust"), "\\`\\`\\`rust");
        assert_eq!(line("a \\ b"), "a \\\\ b");
    }

    #[test]
    fn identifiers_in_prose_stay_readable() {
        assert_eq!(line("Unique customer_id."), "Unique customer_id.");
        assert_eq!(line("_leading and trailing_"), "\\_leading and trailing\\_");
        assert_eq!(
            line("Customer metadata changed (e.g., name)."),
            "Customer metadata changed (e.g., name)."
        );
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code_span("customer_id"), "`customer_id`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
    }
}
