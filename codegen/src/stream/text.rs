//! Equality of the short strings the fast path compares on every line
//! (keys, family names, enum values): inline, where a call into libc's
//! `memcmp` cost more than the comparison itself.

/// Whether `a` and `b` are the same text.
pub(super) fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        0..8 => a.iter().zip(b).all(|(x, y)| x == y),
        // Two words that overlap when shorter than 16 bytes.
        8..=16 => word(a) == word(b) && word(&a[a.len() - 8..]) == word(&b[b.len() - 8..]),
        _ => a == b,
    }
}

/// The first eight bytes as a number.
fn word(bytes: &[u8]) -> Option<u64> {
    let first: [u8; 8] = bytes.get(..8)?.try_into().ok()?;
    Some(u64::from_ne_bytes(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_is_string_equality() {
        let texts = [
            "",
            "a",
            "b",
            "ab",
            "event_id",
            "event_ie",
            "fvent_id",
            "aggregate_id",
            "aggregate_ie",
            "bggregate_id",
            "aggregate_type",
            "conversation_id",
            "conversation_ie",
            "dconversation_id",
            "a longer key than sixteen bytes",
            "a longer key than sixteen bytez",
            "ünïcode",
            "ünïcodf",
        ];
        for a in texts {
            for b in texts {
                assert_eq!(same_text(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
