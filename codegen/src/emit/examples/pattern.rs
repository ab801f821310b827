//! A string that a schema `pattern` matches, built from the pattern's syntax
//! tree (regex-syntax, the parser of the `regex` crate that checks it).
//!
//! The value is deterministic: the shortest length the pattern admits within
//! the length bounds, each character the first readable one of its class
//! (a lowercase letter, then a digit, an uppercase letter, other printable
//! ASCII), and for alternatives the first that fits. ASCII is preferred so
//! the value means the same to JavaScript's and Python's regex engines,
//! whose `\d` and `\w` are narrower than Rust's Unicode ones. Callers check
//! the result with the `regex` crate: zero-width assertions (`\b`) are only
//! assumed to hold, and a value that breaks one is tried at the next length.

use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// How far past the shortest length a search goes when no `maxLength`
/// bounds it: every pattern with a match of some length has a match within
/// this much of it or none that the lengths allow.
const SLACK: usize = 64;

/// Why no value could be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoMatch {
    /// The pattern does not parse (reported where the pattern is read).
    Invalid,
    /// No string matches the pattern at all (`[^\s\S]`).
    Empty,
    /// Strings match, but none with a length between the bounds.
    Lengths,
    /// The shortest value allowed is longer than evcat builds
    /// ([`LONGEST`] characters): not a contradiction, just no example.
    TooLong,
}

/// The longest value evcat builds from a pattern; the search keeps one
/// flag per length and node, so its size follows the length.
pub const LONGEST: usize = 1 << 16;

/// A string of `min_length..=max_length` characters that `pattern` matches.
pub fn matching_string(
    pattern: &str,
    min_length: u64,
    max_length: Option<u64>,
) -> Result<String, NoMatch> {
    let hir = regex_syntax::Parser::new()
        .parse(pattern)
        .map_err(|_| NoMatch::Invalid)?;
    let regex = Regex::new(pattern).map_err(|_| NoMatch::Invalid)?;
    // A pattern is searched for anywhere in the value unless anchored, so
    // an unanchored end may be padded to reach `minLength`.
    let looks = hir.properties();
    let anchored_end = looks.look_set_suffix().contains(Look::End);
    let anchored_start = looks.look_set_prefix().contains(Look::Start);
    let padding = if anchored_end && anchored_start {
        None
    } else {
        Some(Hir::repetition(regex_syntax::hir::Repetition {
            min: 0,
            max: None,
            greedy: true,
            sub: Box::new(Hir::class(Class::Unicode(
                regex_syntax::hir::ClassUnicode::new([regex_syntax::hir::ClassUnicodeRange::new(
                    'a', 'a',
                )]),
            ))),
        }))
    };
    let whole = match padding {
        Some(padding) if !anchored_end => Hir::concat(vec![hir, padding]),
        Some(padding) => Hir::concat(vec![padding, hir]),
        None => hir,
    };
    let min = usize::try_from(min_length).unwrap_or(usize::MAX);
    let max = max_length.map_or(usize::MAX, |max| usize::try_from(max).unwrap_or(usize::MAX));
    // Characters are never more than bytes, so the shortest match in
    // characters is within the byte minimum.
    let Some(bytes) = whole.properties().minimum_len() else {
        return Err(NoMatch::Empty);
    };
    let Some(shortest) = lengths(&whole, bytes.saturating_add(SLACK))
        .iter()
        .position(|&possible| possible)
    else {
        return Err(NoMatch::Empty);
    };
    let from = min.max(shortest);
    if from > LONGEST {
        return Err(NoMatch::TooLong);
    }
    let to = max.min(from.saturating_add(SLACK));
    if from > to {
        return Err(NoMatch::Lengths);
    }
    let possible = lengths(&whole, to);
    for (length, _) in possible
        .iter()
        .enumerate()
        .skip(from)
        .filter(|(_, &can)| can)
    {
        let mut out = String::new();
        if build(&whole, length, &mut out) && regex.is_match(&out) {
            return Ok(out);
        }
    }
    Err(NoMatch::Lengths)
}

/// Which lengths (in characters, `0..=cap`) the expression can match.
fn lengths(hir: &Hir, cap: usize) -> Vec<bool> {
    let mut set = vec![false; cap + 1];
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => set[0] = true,
        HirKind::Literal(literal) => {
            let count = String::from_utf8_lossy(&literal.0).chars().count();
            if count <= cap {
                set[count] = true;
            }
        }
        HirKind::Class(class) => {
            if first_char(class).is_some() && cap >= 1 {
                set[1] = true;
            }
        }
        HirKind::Capture(capture) => return lengths(&capture.sub, cap),
        HirKind::Concat(parts) => {
            set[0] = true;
            for part in parts {
                set = sum(&set, &lengths(part, cap));
            }
        }
        HirKind::Alternation(alternatives) => {
            for alternative in alternatives {
                for (length, possible) in lengths(alternative, cap).into_iter().enumerate() {
                    set[length] |= possible;
                }
            }
        }
        HirKind::Repetition(repetition) => {
            let once = lengths(&repetition.sub, cap);
            if let Some(step) = single_length(&once) {
                let max = repetition.max.map_or(usize::MAX, |max| max as usize);
                let first = repetition.min as usize;
                for count in (first..=max).take_while(|count| count * step <= cap) {
                    set[count * step] = true;
                }
                return set;
            }
            let mut rounds = Rounds::new(&once, repetition.min);
            let mut reachable = rounds.current.clone();
            while rounds.more(repetition.max) {
                for (length, possible) in rounds.current.iter().enumerate() {
                    reachable[length] |= possible;
                }
            }
            return reachable;
        }
    }
    set
}

/// The one length an expression matches, when it is one and not zero
/// (a class, a literal): its repetitions need no search.
fn single_length(lengths: &[bool]) -> Option<usize> {
    let mut set = lengths.iter().enumerate().filter(|(_, &possible)| possible);
    match (set.next(), set.next()) {
        (Some((length, _)), None) if length > 0 => Some(length),
        _ => None,
    }
}

/// Lengths of `a` followed by `b`, up to the cap.
fn sum(a: &[bool], b: &[bool]) -> Vec<bool> {
    let mut out = vec![false; a.len()];
    for (shift, _) in b.iter().enumerate().filter(|(_, &possible)| possible) {
        for (length, _) in a.iter().enumerate().filter(|(_, &possible)| possible) {
            match out.get_mut(length + shift) {
                Some(slot) => *slot = true,
                None => break,
            }
        }
    }
    out
}

/// The lengths of `k` rounds of a repeated expression, for `k` from its
/// minimum up. Past `cap + 1` rounds nothing changes: rounds that can be
/// empty only add lengths already reached, others push every length past
/// the cap.
struct Rounds<'a> {
    once: &'a [bool],
    count: u32,
    current: Vec<bool>,
}

impl<'a> Rounds<'a> {
    fn new(once: &'a [bool], min: u32) -> Self {
        let mut current = vec![false; once.len()];
        current[0] = true;
        let cap = once.len() as u32;
        for _ in 0..min.min(cap + 1) {
            current = sum(&current, once);
        }
        Self {
            once,
            count: min,
            current,
        }
    }

    /// Takes one more round, unless `max` forbids it or nothing can change.
    fn more(&mut self, max: Option<u32>) -> bool {
        let cap = self.once.len() as u32;
        let settled = self.count > cap.saturating_mul(2).saturating_add(1)
            || !self.current.iter().any(|&possible| possible);
        if max.is_some_and(|max| self.count >= max) || settled {
            return false;
        }
        self.current = sum(&self.current, self.once);
        self.count += 1;
        true
    }
}

/// Appends a match of exactly `length` characters; `false` when there is none.
fn build(hir: &Hir, length: usize, out: &mut String) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => length == 0,
        HirKind::Literal(literal) => {
            let text = String::from_utf8_lossy(&literal.0);
            if text.chars().count() != length {
                return false;
            }
            out.push_str(&text);
            true
        }
        HirKind::Class(class) => match first_char(class) {
            Some(found) if length == 1 => {
                out.push(found);
                true
            }
            _ => false,
        },
        HirKind::Capture(capture) => build(&capture.sub, length, out),
        HirKind::Alternation(alternatives) => alternatives.iter().any(|alternative| {
            lengths(alternative, length)[length] && build(alternative, length, out)
        }),
        HirKind::Concat(parts) => build_sequence(parts, length, out),
        HirKind::Repetition(repetition) => {
            // The fewest rounds past the minimum that add up to `length`.
            let once = lengths(&repetition.sub, length);
            if let Some(step) = single_length(&once) {
                // Every round is as long: the count is the length's share.
                let count = length / step;
                let fits = count * step == length
                    && count >= repetition.min as usize
                    && repetition.max.is_none_or(|max| count <= max as usize);
                return fits && (0..count).all(|_| build(&repetition.sub, step, out));
            }
            let mut rounds = Rounds::new(&once, repetition.min);
            loop {
                if rounds.current[length] {
                    let count = rounds.count as usize;
                    let parts: Vec<&Hir> = std::iter::repeat_n(&*repetition.sub, count).collect();
                    return build_refs(&parts, length, out);
                }
                if !rounds.more(repetition.max) {
                    return false;
                }
            }
        }
    }
}

fn build_sequence(parts: &[Hir], length: usize, out: &mut String) -> bool {
    let refs: Vec<&Hir> = parts.iter().collect();
    build_refs(&refs, length, out)
}

/// A concatenation of exactly `length` characters: each part takes the
/// shortest length that leaves a possible length for the rest.
fn build_refs(parts: &[&Hir], length: usize, out: &mut String) -> bool {
    // suffix[i]: the lengths the parts from i on can match.
    let mut suffix = vec![vec![false; length + 1]; parts.len() + 1];
    suffix[parts.len()][0] = true;
    for index in (0..parts.len()).rev() {
        suffix[index] = sum(&lengths(parts[index], length), &suffix[index + 1]);
    }
    if !suffix[0][length] {
        return false;
    }
    let mut left = length;
    for (index, part) in parts.iter().enumerate() {
        let own = lengths(part, left);
        let Some(take) = (0..=left).find(|&take| own[take] && suffix[index + 1][left - take])
        else {
            return false;
        };
        if !build(part, take, out) {
            return false;
        }
        left -= take;
    }
    left == 0
}

/// The first readable character of a class, or `None` when it is empty.
fn first_char(class: &Class) -> Option<char> {
    let contains = |candidate: char| match class {
        Class::Unicode(unicode) => unicode
            .ranges()
            .iter()
            .any(|range| range.start() <= candidate && candidate <= range.end()),
        Class::Bytes(bytes) => {
            candidate.is_ascii()
                && bytes
                    .ranges()
                    .iter()
                    .any(|range| range.start() <= candidate as u8 && candidate as u8 <= range.end())
        }
    };
    let preferred = ('a'..='z')
        .chain('0'..='9')
        .chain('A'..='Z')
        .chain('!'..='~')
        .chain([' '])
        .find(|&candidate| contains(candidate));
    preferred.or_else(|| match class {
        Class::Unicode(unicode) => unicode
            .ranges()
            .iter()
            .flat_map(|range| range.start()..=range.end())
            .find(|candidate| !candidate.is_control()),
        Class::Bytes(bytes) => bytes
            .ranges()
            .iter()
            .flat_map(|range| range.start()..=range.end())
            .find(u8::is_ascii)
            .map(char::from),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns of the kinds teams write in envelopes, with the lengths
    /// they come with: each value must match (checked by `regex` here; the
    /// same patterns are an envelope fixture that AJV and python-jsonschema
    /// check in `tests/clients.rs`).
    const PATTERNS: &[(&str, u64, Option<u64>)] = &[
        (
            r"^([0-9A-HJKMNP-TV-Z]{26}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$",
            0,
            None,
        ),
        (r"^evt_[0-9a-f]{24}$", 0, None),
        (r"^(us|eu|ap)-(east|west)-[1-3]$", 0, None),
        (r"^sha256:[A-Fa-f0-9]{64}$", 0, None),
        (
            r"^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$",
            0,
            None,
        ),
        (r"order", 10, None),
        (r"[0-9]{3}", 0, None),
        (r"^cust-", 8, None),
        (r"\.json$", 9, None),
        (
            r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?$",
            0,
            None,
        ),
        (r"^\+[1-9]\d{1,14}$", 0, None),
        (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$", 0, None),
        (r"^[a-z]{2,3}(-[A-Z]{2})?$", 4, None),
        (r"^[a-z0-9]+(?:-[a-z0-9]+)*$", 0, None),
        (r"^(?:ab|cd){2}$", 0, None),
        (r"^((a|b)(c|d))+$", 5, None),
        (r"^a{3,5}$", 4, Some(4)),
        (r"^b{4,}$", 0, Some(6)),
        (r"^colou?r$", 6, None),
        (r"^z*$", 0, Some(0)),
        (r"^[^0-9]+$", 3, None),
        (r"^\(\d+\)\[\w\]\{\}\.\*\+\?\|\^\$$", 0, None),
        (r"^\S+\s\S+$", 0, None),
        (r"^(?i)abc$", 0, None),
        (r"^(\d{1,3}\.){3}\d{1,3}$", 0, None),
        (r"^([0-9A-F]{2}:){5}[0-9A-F]{2}$", 0, None),
        (r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", 2, Some(63)),
        (r"^[^@\s]+@[^@\s]+\.[^@\s]+$", 0, None),
        (r"\bready\b", 0, None),
        (r"^\p{L}+$", 0, None),
        (r"^[\]\[]+$", 0, None),
        (r"^.{5}$", 0, None),
        (r"^[A-Z0-9]{40}$", 0, None),
        (r"^[a-z]*x$", 0, Some(3)),
        (r"(?m)^line$", 0, None),
        (r"^\u{e9}t\u{e9}$", 0, None),
        (r"^é+$", 2, Some(2)),
        (r"^(a|bb|ccc)$", 2, None),
        (r"^(?:x{2}){3}$", 0, None),
        (r"^(a+)+$", 0, None),
        (r"^[[:alpha:]]+$", 0, None),
        (r"^\d{3}(-\d{4}){2}$", 0, None),
        (r"^[A-Z]{3}-\d{3}$|^[a-z]{2}$", 3, None),
    ];

    #[test]
    fn every_value_matches_its_pattern_within_its_lengths() {
        for (pattern, min, max) in PATTERNS {
            let value = matching_string(pattern, *min, *max)
                .unwrap_or_else(|error| panic!("{pattern}: {error:?}"));
            let length = value.chars().count() as u64;
            assert!(
                Regex::new(pattern).unwrap().is_match(&value),
                "{pattern}: {value:?}"
            );
            assert!(length >= *min, "{pattern}: {value:?} shorter than {min}");
            assert!(
                max.is_none_or(|max| length <= max),
                "{pattern}: {value:?} longer than {max:?}"
            );
        }
    }

    #[test]
    fn values_are_the_shortest_and_readable() {
        for (pattern, expected) in [
            (r"^(us|eu|ap)-(east|west)-[1-3]$", "us-east-1"),
            (r"^evt_[0-9a-f]{24}$", "evt_aaaaaaaaaaaaaaaaaaaaaaaa"),
            (r"^[A-Z]{2}$", "AA"),
            (r"^colou?r$", "color"),
            (r"order", "order"),
            (r"^\d+$", "0"),
        ] {
            assert_eq!(matching_string(pattern, 0, None).as_deref(), Ok(expected));
        }
        assert_eq!(
            matching_string(r"^colou?r$", 6, None).as_deref(),
            Ok("colour")
        );
        assert_eq!(
            matching_string(r"^cust-", 8, None).as_deref(),
            Ok("cust-aaa")
        );
    }

    #[test]
    fn contradictions_are_told_apart() {
        assert_eq!(matching_string(r"^[^\s\S]$", 0, None), Err(NoMatch::Empty));
        assert_eq!(
            matching_string(r"^tr-[0-9]{8}$", 0, Some(8)),
            Err(NoMatch::Lengths)
        );
        assert_eq!(matching_string(r"^a{3}$", 4, None), Err(NoMatch::Lengths));
        assert_eq!(matching_string(r"^(?=a)", 0, None), Err(NoMatch::Invalid));
        assert_eq!(
            matching_string(r"^a+$", 1 << 40, None),
            Err(NoMatch::TooLong)
        );
    }

    #[test]
    fn a_long_minimum_is_reached_without_a_search_past_it() {
        let value = matching_string(r"^[a-z]+$", 5000, None).unwrap();
        assert_eq!(value.len(), 5000);
    }
}
