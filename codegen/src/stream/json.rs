//! A JSON reader for the fast path: it walks one line's bytes in place and
//! hands out keys and values one at a time, so the scan checks each value
//! against the plan as it is read (serde's visitor protocol cost the scan
//! more than the reading itself).
//!
//! It answers `None` on anything it is not sure of, and the line then goes
//! to serde_json on the `Value` path, which decides. So it must never accept
//! what serde_json refuses, nor read a value differently; it may refuse
//! more. It follows serde_json where JSON leaves room: the same whitespace,
//! numbers read as `u64`, negative `i64` or `f64` by the same rules (floats
//! through serde_json itself), and a nesting limit below serde_json's.

use std::borrow::Cow;

use super::text::same_bytes;

/// Deeper values are left to serde_json, whose own limit is 128.
pub(super) const DEEPEST: usize = 100;

pub(super) struct Reader<'l> {
    text: &'l str,
    at: usize,
}

/// A number as serde_json reads it into a visitor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Number {
    U64(u64),
    /// Negative only: serde_json gives non-negative integers as `u64`.
    I64(i64),
    F64(f64),
}

/// A key read by `Reader::next_key_or`.
pub(super) enum KeyRead<'l> {
    /// The key expected.
    Expected,
    /// Another key.
    Other(Cow<'l, str>),
}

/// Whether `text` is written in JSON as itself between quotes: no quote,
/// backslash or control character. A key of such a name can be compared
/// with a line's bytes without decoding them.
pub(super) fn needs_no_escape(text: &str) -> bool {
    !text
        .bytes()
        .any(|byte| matches!(byte, b'"' | b'\\' | 0..0x20))
}

/// Where a reader is in an object or array: before its first member or
/// after one.
#[derive(Default)]
pub(super) struct Members {
    started: bool,
}

impl<'l> Reader<'l> {
    pub fn new(text: &'l str) -> Self {
        Self { text, at: 0 }
    }

    /// A reader at `at`, a position this reader's `position` gave.
    pub fn at(text: &'l str, at: usize) -> Self {
        Self { text, at }
    }

    pub fn position(&self) -> usize {
        self.at
    }

    /// The next byte after whitespace, not consumed.
    pub fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = bytes.get(self.at) {
            self.at += 1;
        }
        bytes.get(self.at).copied()
    }

    fn eat(&mut self, expected: u8) -> Option<()> {
        (self.peek()? == expected).then(|| self.at += 1)
    }

    /// Only whitespace is left.
    pub fn end(&mut self) -> Option<()> {
        self.peek().is_none().then_some(())
    }

    pub fn open_object(&mut self) -> Option<()> {
        self.eat(b'{')
    }

    pub fn open_array(&mut self) -> Option<()> {
        self.eat(b'[')
    }

    /// The next key of an open object, its `:` read; `None` inside at its
    /// closing brace.
    pub fn next_key(&mut self, members: &mut Members) -> Option<Option<Cow<'l, str>>> {
        if !self.at_key(members)? {
            return Some(None);
        }
        let key = self.string()?;
        self.eat(b':')?;
        Some(Some(key))
    }

    /// `next_key`, first comparing the key byte for byte with `expected`,
    /// a text that needs no escape in JSON (`needs_no_escape`): the key a
    /// producer mostly writes next, told without decoding it.
    pub fn next_key_or(
        &mut self,
        members: &mut Members,
        expected: Option<&str>,
    ) -> Option<Option<KeyRead<'l>>> {
        if !self.at_key(members)? {
            return Some(None);
        }
        let bytes = self.text.as_bytes();
        if let Some(expected) = expected {
            let end = self.at + 1 + expected.len();
            if bytes.get(end) == Some(&b'"')
                && same_bytes(&bytes[self.at + 1..end], expected.as_bytes())
            {
                self.at = end + 1;
                self.eat(b':')?;
                return Some(Some(KeyRead::Expected));
            }
        }
        let key = self.string()?;
        self.eat(b':')?;
        Some(Some(KeyRead::Other(key)))
    }

    /// Whether an open object has another member; the reader is then at
    /// its key's opening quote.
    fn at_key(&mut self, members: &mut Members) -> Option<bool> {
        if !self.next_member(members, b'}')? {
            return Some(false);
        }
        (self.peek()? == b'"').then_some(true)
    }

    /// Whether an open array has another item; the reader is then at it.
    pub fn next_item(&mut self, members: &mut Members) -> Option<bool> {
        self.next_member(members, b']')
    }

    fn next_member(&mut self, members: &mut Members, close: u8) -> Option<bool> {
        let byte = self.peek()?;
        if byte == close {
            self.at += 1;
            return Some(false);
        }
        if members.started {
            (byte == b',').then(|| self.at += 1)?;
        }
        members.started = true;
        Some(true)
    }

    /// A string value, the reader at its opening quote.
    pub fn string(&mut self) -> Option<Cow<'l, str>> {
        debug_assert_eq!(self.text.as_bytes().get(self.at), Some(&b'"'));
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let end = find_special(bytes, start)?;
        match bytes[end] {
            b'"' => {
                self.at = end + 1;
                Some(Cow::Borrowed(&self.text[start..end]))
            }
            b'\\' => self.escaped_string(start, end).map(Cow::Owned),
            _ => None,
        }
    }

    /// The rest of a string from its first escape, decoded.
    fn escaped_string(&mut self, start: usize, mut escape: usize) -> Option<String> {
        let bytes = self.text.as_bytes();
        let mut decoded = String::from(&self.text[start..escape]);
        loop {
            let (character, after) = decode_escape(bytes, escape)?;
            decoded.push(character);
            let end = find_special(bytes, after)?;
            decoded.push_str(&self.text[after..end]);
            match bytes[end] {
                b'"' => {
                    self.at = end + 1;
                    return Some(decoded);
                }
                b'\\' => escape = end,
                _ => return None,
            }
        }
    }

    /// `true`, `false` or `null`, the reader at its first letter.
    pub fn literal(&mut self, word: &str) -> Option<()> {
        let rest = self.text.as_bytes().get(self.at..)?;
        rest.starts_with(word.as_bytes())
            .then(|| self.at += word.len())
    }

    /// A number, the reader at its first character.
    pub fn number(&mut self) -> Option<Number> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let negative = bytes.get(self.at) == Some(&b'-');
        self.at += usize::from(negative);
        let digits_start = self.at;
        let mut magnitude: u64 = 0;
        let mut overflow = false;
        while let Some(digit @ b'0'..=b'9') = bytes.get(self.at) {
            let value = u64::from(digit - b'0');
            match magnitude.checked_mul(10).and_then(|m| m.checked_add(value)) {
                Some(next) => magnitude = next,
                None => overflow = true,
            }
            self.at += 1;
        }
        let digits = self.at - digits_start;
        if digits == 0 || (digits > 1 && bytes[digits_start] == b'0') {
            return None;
        }
        let fraction = bytes.get(self.at) == Some(&b'.');
        if fraction {
            self.at += 1;
            self.digits()?;
        }
        let exponent = matches!(bytes.get(self.at), Some(b'e' | b'E'));
        if exponent {
            self.at += 1;
            if let Some(b'+' | b'-') = bytes.get(self.at) {
                self.at += 1;
            }
            self.digits()?;
        }
        if fraction || exponent || (negative && magnitude == 0) {
            // serde_json reads `-0` as a float too; its own float reading,
            // so that a value at a bound compares as it does there.
            return serde_json::from_str(&self.text[start..self.at])
                .ok()
                .map(Number::F64);
        }
        // serde_json reads integers past 64 bits as floats: left to it.
        if overflow {
            return None;
        }
        if !negative {
            return Some(Number::U64(magnitude));
        }
        let negated = (magnitude as i64).wrapping_neg();
        (negated < 0).then_some(Number::I64(negated))
    }

    /// One or more digits.
    fn digits(&mut self) -> Option<()> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        while let Some(b'0'..=b'9') = bytes.get(self.at) {
            self.at += 1;
        }
        (self.at > start).then_some(())
    }

    /// Any value, read for its validity only; `depth` is the nesting of the
    /// object or array holding it.
    pub fn skip_value(&mut self, depth: usize) -> Option<()> {
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => {
                if depth >= DEEPEST {
                    return None;
                }
                self.at += 1;
                let mut members = Members::default();
                while self.next_key(&mut members)?.is_some() {
                    self.skip_value(depth + 1)?;
                }
                Some(())
            }
            b'[' => {
                if depth >= DEEPEST {
                    return None;
                }
                self.at += 1;
                let mut members = Members::default();
                while self.next_item(&mut members)? {
                    self.skip_value(depth + 1)?;
                }
                Some(())
            }
            b't' => self.literal("true"),
            b'f' => self.literal("false"),
            b'n' => self.literal("null"),
            b'-' | b'0'..=b'9' => self.number().map(drop),
            _ => None,
        }
    }
}

/// The character of the escape at `at` (a backslash) and where it ends.
/// Lone surrogates, which serde_json refuses in strings, are refused.
fn decode_escape(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    let simple = match *bytes.get(at + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let unit = hex4(bytes, at + 2)?;
            return match unit {
                0xD800..=0xDBFF => {
                    if bytes.get(at + 6..at + 8)? != b"\\u" {
                        return None;
                    }
                    let low = hex4(bytes, at + 8)?;
                    if !(0xDC00..=0xDFFF).contains(&low) {
                        return None;
                    }
                    let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    Some((char::from_u32(code)?, at + 12))
                }
                _ => Some((char::from_u32(unit)?, at + 6)),
            };
        }
        _ => return None,
    };
    Some((simple, at + 2))
}

fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    bytes.get(at..at + 4)?.iter().try_fold(0, |value, byte| {
        let digit = char::from(*byte).to_digit(16)?;
        Some(value << 4 | digit)
    })
}

/// The first quote, backslash or control character at or after `at`:
/// what ends a run of plain text in a string. Eight bytes at a time.
fn find_special(bytes: &[u8], mut at: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    // Each term flags the bytes equal to zero (below 0x20 for the last);
    // a flag can be wrong only above a right one, and the lowest is used.
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().ok()?);
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        let flags = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(ONES * 0x20) & !word);
        let flags = flags & HIGH_BITS;
        if flags != 0 {
            return Some(at + (flags.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    let rest = bytes.get(at..)?;
    rest.iter()
        .position(|byte| matches!(byte, b'"' | b'\\' | 0..0x20))
        .map(|offset| at + offset)
}

#[cfg(test)]
mod tests;
