//! Equality of the short strings the fast path compares on every line
//! (keys, family names, enum values): inline, where a call into libc's
//! `memcmp` cost more than the comparison itself.

/// Whether `a` and `b` are the same text.
pub(super) fn same_text(a: &str, b: &str) -> bool {
    same_bytes(a.as_bytes(), b.as_bytes())
}

/// Whether `a` and `b` are the same bytes.
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
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

/// A name as a hash map key, compared inline (`same_text`).
#[derive(Clone, Copy)]
pub(super) struct Name<'a>(pub &'a str);

impl PartialEq for Name<'_> {
    fn eq(&self, other: &Self) -> bool {
        same_text(self.0, other.0)
    }
}

impl Eq for Name<'_> {}

impl std::hash::Hash for Name<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
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
                let (a, b) = (a.as_bytes(), b.as_bytes());
                assert_eq!(same_bytes(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
