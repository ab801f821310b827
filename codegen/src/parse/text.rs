//! Offsets-preserving splitting and trimming of a bullet's plain text, shared
//! by the readers of headings, field lists, examples and entity lines.

use std::ops::Range;

/// `range` without its surrounding whitespace.
pub fn trim_range(plain: &str, range: Range<usize>) -> Range<usize> {
    let text = &plain[range.clone()];
    let start = range.start + (text.len() - text.trim_start().len());
    let end = range.end - (text.len() - text.trim_end().len());
    start..end.max(start)
}

/// The end (exclusive) of the quoted name that opens at `open` (a `"`),
/// skipping backslash escapes; `None` when it is not closed.
pub fn quoted_end(plain: &str, open: usize) -> Option<usize> {
    let mut escaped = false;
    for (index, c) in plain[open + 1..].char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(open + 1 + index + 1),
            _ => {}
        }
    }
    None
}

/// The characters of `plain[range]` with their byte offsets, leaving out
/// those inside `"…"` (quoted field names), quotes included.
pub fn unquoted_chars(
    plain: &str,
    range: Range<usize>,
) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut skip_to = range.start;
    plain[range.clone()]
        .char_indices()
        .map(move |(index, c)| (range.start + index, c))
        .filter(move |&(at, c)| {
            if at < skip_to {
                return false;
            }
            if c == '"' {
                skip_to = quoted_end(plain, at).unwrap_or(usize::MAX);
                return false;
            }
            true
        })
}

/// The first `wanted` in `plain[range]` outside quoted names.
pub fn find_unquoted(plain: &str, range: Range<usize>, wanted: char) -> Option<usize> {
    unquoted_chars(plain, range)
        .find(|&(_, c)| c == wanted)
        .map(|(at, _)| at)
}

/// The parts of `plain[range]` between `separator`s that are not inside
/// `(…)`, `[…]`, `{…}` or a quoted name, untrimmed, so empty parts keep
/// their position.
pub fn split_top_level(plain: &str, range: Range<usize>, separator: char) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut part_start = range.start;
    for (at, c) in unquoted_chars(plain, range.clone()) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            c if c == separator && depth == 0 => {
                parts.push(part_start..at);
                part_start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(part_start..range.end);
    parts
}

/// [`split_top_level`], each part trimmed.
pub fn split_trimmed(plain: &str, range: Range<usize>, separator: char) -> Vec<Range<usize>> {
    split_top_level(plain, range, separator)
        .into_iter()
        .map(|part| trim_range(plain, part))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_outside_brackets_and_keeps_offsets() {
        let plain = "x: a, b (c, d), [e, f] ,";
        let parts: Vec<&str> = split_trimmed(plain, 2..plain.len(), ',')
            .into_iter()
            .map(|range| &plain[range])
            .collect();
        assert_eq!(parts, ["a", "b (c, d)", "[e, f]", ""]);
        assert_eq!(split_top_level("a/b", 0..3, '/'), [0..1, 2..3]);
        assert_eq!(trim_range("  ab  ", 0..6), 2..4);
        assert_eq!(trim_range("   ", 0..3), 3..3);
    }

    #[test]
    fn quoted_names_are_not_split() {
        let plain = r#"{ "a, b": x, "c\"}": y, z }"#;
        let parts: Vec<&str> = split_trimmed(plain, 1..plain.len() - 1, ',')
            .into_iter()
            .map(|range| &plain[range])
            .collect();
        assert_eq!(parts, [r#""a, b": x"#, r#""c\"}": y"#, "z"]);
        assert_eq!(find_unquoted(plain, 0..plain.len(), ':'), Some(8));
        assert_eq!(quoted_end(r#""open"#, 0), None);
    }
}
