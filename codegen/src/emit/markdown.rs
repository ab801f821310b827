//! Catalog prose → Markdown, as rustdoc and TypeScript editors render it.
//!
//! Text is escaped so nothing in it becomes markup (HTML, links, emphasis,
//! headings, list or code-block starts that doctest would run); code spans
//! from the catalog stay code. Each target adds its own final step
//! (`#[doc]` literals for Rust, `*/` for JSDoc).

use crate::ir::{Doc, Inline};

/// A whole doc as Markdown: its paragraphs, blank lines between.
pub fn doc_markdown(doc: &Doc) -> String {
    doc.paragraphs
        .iter()
        .map(|paragraph| markdown_line(paragraph))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// One paragraph as one Markdown line.
pub fn markdown_line(inlines: &[Inline]) -> String {
    let mut line = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(text) => line.push_str(&text_markdown(text)),
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

/// Prose with its web addresses as autolinks (`<https://…>`, which rustdoc
/// asks for instead of bare ones), the rest escaped.
fn text_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = find_url(rest) {
        out.push_str(&escape_markdown(&rest[..start]));
        let url = &rest[start..];
        let end = url
            .find(|c: char| {
                c.is_whitespace()
                    || matches!(
                        c,
                        '<' | '>' | '"' | '`' | '[' | ']' | '(' | ')' | '{' | '}' | '|' | '\\'
                    )
            })
            .unwrap_or(url.len());
        // Sentence punctuation after an address is not part of it.
        let end = url[..end]
            .trim_end_matches(['.', ',', ';', ':', '!', '?', '\''])
            .len();
        out.push('<');
        out.push_str(&url[..end]);
        out.push('>');
        rest = &url[end..];
    }
    out.push_str(&escape_markdown(rest));
    out
}

/// Where a web address starts (`http://` or `https://` followed by more).
fn find_url(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("http") {
        let start = from + found;
        let after = &text[start..];
        let scheme = ["https://", "http://"]
            .into_iter()
            .find(|scheme| after.starts_with(scheme));
        if let Some(scheme) = scheme {
            let host_starts = after[scheme.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let word_start = text[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if host_starts && word_start {
                return Some(start);
            }
        }
        from = start + 4;
    }
    None
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
            "see \\[docs\\](<http://x>) \\& co"
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
    fn web_addresses_become_autolinks() {
        assert_eq!(
            line("matching [https://tools.ietf.org/html/rfc7231#section-3.1.2.2][RFC 7231]."),
            "matching \\[<https://tools.ietf.org/html/rfc7231#section-3.1.2.2>\\]\\[RFC 7231\\]."
        );
        assert_eq!(
            line("See https://example.com/a."),
            "See <https://example.com/a>."
        );
        assert_eq!(
            line("not xhttps://a nor http://"),
            "not xhttps://a nor http://"
        );
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code_span("customer_id"), "`customer_id`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
    }
}
