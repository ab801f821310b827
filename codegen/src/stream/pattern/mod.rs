//! A schema `pattern` compiled for the fast path. Patterns in envelopes are
//! short and run on every line. The common shape (anchored runs of ASCII
//! sets, `sequences`) is matched directly on ASCII text; otherwise the
//! pattern is a full DFA (a table walk per byte, no per-search setup), or,
//! when its DFA would be too large, the `regex` crate's engine. All read the
//! same syntax (regex-syntax), so they agree.

mod sequences;

use regex::Regex;
use regex_automata::dfa::{dense, Automaton};
use regex_automata::Input;

use sequences::Sequences;

pub(super) struct Pattern {
    sequences: Option<Sequences>,
    engine: Engine,
}

enum Engine {
    /// The DFA, and the regex it was built from for the inputs a DFA may
    /// give up on (its quit bytes; none under the default configuration).
    Dfa(Box<dense::DFA<Vec<u32>>>, Regex),
    Regex(Regex),
    /// A pattern that does not compile: no value matches it (as in
    /// `check::ValueChecker`).
    Invalid,
}

/// Beyond this many bytes of transition table, the lazy engine is cheaper.
const DFA_SIZE_LIMIT: usize = 1 << 20;

impl Pattern {
    pub fn new(pattern: &str) -> Self {
        let engine = Engine::new(pattern);
        Self {
            sequences: match engine {
                Engine::Invalid => None,
                _ => Sequences::new(pattern),
            },
            engine,
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.sequences
            .as_ref()
            .and_then(|sequences| sequences.matches(text))
            .unwrap_or_else(|| self.engine.is_match(text))
    }
}

impl Engine {
    fn new(pattern: &str) -> Self {
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .dfa_size_limit(Some(DFA_SIZE_LIMIT))
                    .determinize_size_limit(Some(4 * DFA_SIZE_LIMIT)),
            )
            .build(pattern);
        match (dfa, Regex::new(pattern)) {
            (_, Err(_)) => Self::Invalid,
            (Ok(dfa), Ok(regex)) => Self::Dfa(Box::new(dfa), regex),
            (Err(_), Ok(regex)) => Self::Regex(regex),
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Self::Dfa(dfa, regex) => dfa_matches(dfa, text).unwrap_or_else(|| regex.is_match(text)),
            Self::Regex(regex) => regex.is_match(text),
            Self::Invalid => false,
        }
    }
}

/// Whether the DFA matches anywhere in `text` (`None`: it gave up): a plain
/// walk over its transition table, without the search loop's setup for
/// finding where a match ends (most of the time on short envelope values).
fn dfa_matches(dfa: &dense::DFA<Vec<u32>>, text: &str) -> Option<bool> {
    let mut state = dfa.start_state_forward(&Input::new(text)).ok()?;
    for &byte in text.as_bytes() {
        state = dfa.next_state(state, byte);
        if dfa.is_special_state(state) {
            // Matches are reported one byte late, so a match state here
            // means a match ended before this byte.
            if dfa.is_match_state(state) {
                return Some(true);
            }
            if dfa.is_dead_state(state) {
                return Some(false);
            }
            if dfa.is_quit_state(state) {
                return None;
            }
        }
    }
    Some(dfa.is_match_state(dfa.next_eoi_state(state)))
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
            assert!(matches!(compiled.engine, Engine::Dfa(..)), "{pattern}");
            let regex = Regex::new(pattern).unwrap();
            for text in texts {
                let expected = regex.is_match(text);
                assert_eq!(compiled.is_match(text), expected, "{pattern} on {text}");
                assert_eq!(
                    compiled.engine.is_match(text),
                    expected,
                    "{pattern} on {text}"
                );
            }
        }
        assert!(!Pattern::new("(unclosed").is_match("(unclosed"));
    }
}
