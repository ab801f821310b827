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

/// The parts of `plain[range]` between `separator`s that are not inside
/// `(…)`, `[…]` or `{…}`, untrimmed, so empty parts keep their position.
pub fn split_top_level(plain: &str, range: Range<usize>, separator: char) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut part_start = range.start;
    for (index, c) in plain[range.clone()].char_indices() {
        let at = range.start + index;
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
}
