//! The reader against serde_json on texts near valid JSON: every byte of
//! each seed replaced, deleted, or preceded by another character. Where
//! the reader accepts, serde_json must accept and read the same; where
//! serde_json accepts, the reader must too, but for the integers past 64
//! bits it leaves to serde_json.

use serde_json::Value;

use super::*;

const SEEDS: &[&str] = &[
    r#"{"a":[1,-2,3.5e-3,true,false,null,"x\"y\u00e9\ud83d\ude00"],"b":{}}"#,
    r#"{ "k" : [ 1 , 2 ] , "n" : { "m" : [ ] } }"#,
    "\t[\r\n0, -0, 10, 0.25, 1E+2, 2e-0, -9223372036854775808]",
    r#""\\\/\b\f\n\r\t\u0041\u00DF""#,
    r#"{"s":"ünïcödé 😀","e":""}"#,
    "18446744073709551615",
    "[18446744073709551616, -9223372036854775809]",
    "-1.5",
];

const ALPHABET: &[char] = &[
    '{', '}', '[', ']', ':', ',', '"', '\\', ' ', '0', '1', '9', '-', '+', '.', 'e', 'E', 't', 'f',
    'n', 'u', 'l', 'a', 'x', 'D', '\u{1}', '\u{1f}', '\t', '\n', 'é',
];

fn near(seed: &str) -> Vec<String> {
    let chars: Vec<char> = seed.chars().collect();
    let mut texts = vec![seed.to_owned()];
    for at in 0..=chars.len() {
        let text = |middle: &[char], skip: usize| -> String {
            chars[..at]
                .iter()
                .chain(middle)
                .chain(chars.get(at + skip..).unwrap_or_default())
                .collect()
        };
        if at < chars.len() {
            texts.push(text(&[], 1));
        }
        for &other in ALPHABET {
            if at < chars.len() {
                texts.push(text(&[other], 1));
            }
            texts.push(text(&[other], 0));
        }
    }
    texts
}

fn reads(text: &str) -> bool {
    let mut reader = Reader::new(text);
    reader.skip_value(0).is_some() && reader.end().is_some()
}

/// An integer serde_json reads as a float because it does not fit.
fn has_wide_integer(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_digit())
        .any(|digits| digits.len() >= 19)
}

#[test]
fn the_reader_accepts_what_serde_json_accepts() {
    let mut accepted = 0;
    let mut texts = 0;
    for seed in SEEDS {
        assert!(reads(seed) || has_wide_integer(seed), "{seed}");
        for text in near(seed) {
            texts += 1;
            let serde = serde_json::from_str::<Value>(&text).is_ok();
            let ours = reads(&text);
            accepted += usize::from(ours);
            assert!(!ours || serde, "the reader accepted {text:?}");
            assert!(
                ours || !serde || has_wide_integer(&text),
                "refused {text:?}"
            );
        }
    }
    assert!(
        accepted > 1000 && accepted < texts / 2,
        "{accepted} of {texts}"
    );
}

#[test]
fn strings_read_as_serde_json_reads_them() {
    for seed in SEEDS.iter().filter(|seed| seed.starts_with('"')) {
        for text in near(seed) {
            let mut reader = Reader::new(&text);
            let ours = (reader.peek() == Some(b'"'))
                .then(|| reader.string())
                .flatten()
                .filter(|_| reader.end().is_some());
            let serde = serde_json::from_str::<String>(&text).ok();
            assert_eq!(ours.as_deref(), serde.as_deref(), "{text:?}");
        }
    }
}

#[test]
fn numbers_read_as_serde_json_reads_them() {
    let seeds = [
        "0",
        "-0",
        "7",
        "-7",
        "10",
        "0.5",
        "-0.0",
        "1e3",
        "1E-3",
        "2.50e+2",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "1e400",
        "0.1",
        "123456789.987654321",
    ];
    for seed in seeds {
        for text in near(seed) {
            let mut reader = Reader::new(&text);
            let ours = matches!(reader.peek(), Some(b'-' | b'0'..=b'9'))
                .then(|| reader.number())
                .flatten()
                .filter(|_| reader.end().is_some());
            let serde = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|value| match value {
                    Value::Number(number) => Some(number),
                    _ => None,
                });
            let expected = serde.as_ref().map(|number| {
                if let Some(value) = number.as_u64() {
                    Number::U64(value)
                } else if let Some(value) = number.as_i64() {
                    Number::I64(value)
                } else {
                    Number::F64(number.as_f64().expect("a float"))
                }
            });
            match (ours, expected) {
                (None, Some(Number::F64(_))) if has_wide_integer(&text) => {}
                (ours, expected) => assert_eq!(ours, expected, "{text:?}"),
            }
        }
    }
}

#[test]
fn nesting_deeper_than_the_limit_is_left_to_serde_json() {
    let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(reads(&nested(DEEPEST)));
    assert!(!reads(&nested(DEEPEST + 1)));
    assert!(serde_json::from_str::<Value>(&nested(DEEPEST + 1)).is_ok());
}

#[test]
fn plain_text_ends_at_the_first_quote_backslash_or_control_character() {
    let pieces = [
        "a", "é", "😀", "\"", "\\", "\u{0}", "\u{1f}", " ", "\u{7f}", "~",
    ];
    for length in 0..20 {
        for (index, special) in pieces.iter().enumerate() {
            for position in 0..=length {
                let text: String = (0..=length)
                    .map(|at| {
                        if at == position {
                            *special
                        } else {
                            pieces[(at + index) % 3]
                        }
                    })
                    .collect();
                let bytes = text.as_bytes();
                for start in 0..bytes.len() {
                    let expected = bytes[start..]
                        .iter()
                        .position(|byte| matches!(byte, b'"' | b'\\' | 0..0x20))
                        .map(|offset| start + offset);
                    assert_eq!(
                        find_special(bytes, start),
                        expected,
                        "{text:?} from {start}"
                    );
                }
            }
        }
    }
}
