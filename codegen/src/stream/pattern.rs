//! A schema `pattern` compiled for the fast path. Patterns in envelopes are
//! short and run on every line, so they become a full DFA (a table walk per
//! byte, no per-search setup); a pattern whose DFA would be too large keeps
//! the `regex` crate's engine. Both read the same syntax, so they agree.

use regex::Regex;
use regex_automata::dfa::{dense, Automaton};
use regex_automata::Input;

pub(super) enum Pattern {
    Dfa(Box<dense::DFA<Vec<u32>>>),
    Regex(Regex),
    /// A pattern that does not compile: no value matches it (as in
    /// `check::ValueChecker`).
    Invalid,
}

/// Beyond this many bytes of transition table, the lazy engine is cheaper.
const DFA_SIZE_LIMIT: usize = 1 << 20;

impl Pattern {
    pub fn new(pattern: &str) -> Self {
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .dfa_size_limit(Some(DFA_SIZE_LIMIT))
                    .determinize_size_limit(Some(4 * DFA_SIZE_LIMIT)),
            )
            .build(pattern);
        match (dfa, Regex::new(pattern)) {
            (_, Err(_)) => Self::Invalid,
            (Ok(dfa), Ok(_)) => Self::Dfa(Box::new(dfa)),
            (Err(_), Ok(regex)) => Self::Regex(regex),
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Self::Dfa(dfa) => dfa
                .try_search_fwd(&Input::new(text).earliest(true))
                .is_ok_and(|found| found.is_some()),
            Self::Regex(regex) => regex.is_match(text),
            Self::Invalid => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_as_the_regex_crate_does() {
        let cases = [
            (
                r"^[A-Z][A-Za-z0-9]*$",
                ["ConversationCreated", "conversationCreated", "Conv-1", ""],
            ),
            (
                r"^\d{4}-\d{2}$",
                ["2025-01", "2025-1", "٢٠٢٥-01", "x2025-01"],
            ),
            (r"ab", ["xaby", "ba", "ab", "a b"]),
            (r"^(a|b)+$|^$", ["", "abba", "abc", "b"]),
        ];
        for (pattern, texts) in cases {
            let compiled = Pattern::new(pattern);
            assert!(matches!(compiled, Pattern::Dfa(_)), "{pattern}");
            let regex = Regex::new(pattern).unwrap();
            for text in texts {
                assert_eq!(
                    compiled.is_match(text),
                    regex.is_match(text),
                    "{pattern} on {text}"
                );
            }
        }
        assert!(!Pattern::new("(unclosed").is_match("(unclosed"));
    }
}
