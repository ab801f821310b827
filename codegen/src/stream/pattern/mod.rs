//! A schema `pattern` compiled for the fast path. Patterns in envelopes are
//! short and run on every line. The common shape (anchored runs of ASCII
//! sets, `sequences`) is matched directly on ASCII text; otherwise the
//! pattern is a full DFA (a table walk per byte, no per-search setup; built
//! when first needed), or, when its DFA would be too large, the `regex`
//! crate's engine. All read the
//! same syntax (regex-syntax), so they agree.

mod sequences;

use std::cell::OnceCell;

use regex::Regex;
use regex_automata::dfa::{dense, Automaton};
use regex_automata::Input;

use sequences::Sequences;

pub(super) struct Pattern {
    sequences: Option<Sequences>,
    engine: Engine,
}

enum Engine {
    /// The regex, and the DFA built from the same pattern the first time
    /// a text needs it (`None` when it would be too large). Building a DFA
    /// is most of the time a run takes to start, and most runs never need
    /// one: the sequences answer.
    Compiled(Regex, OnceCell<Option<Box<dense::DFA<Vec<u32>>>>>),
    /// A pattern that does not compile: no value matches it (as in
    /// `check::ValueChecker`).
    Invalid,
}

/// Beyond this many bytes of transition table, the lazy engine is cheaper.
const DFA_SIZE_LIMIT: usize = 1 << 20;

impl Pattern {
    pub fn new(pattern: &str) -> Self {
        let engine = match Regex::new(pattern) {
            Ok(regex) => Engine::Compiled(regex, OnceCell::new()),
            Err(_) => Engine::Invalid,
        };
        Self {
            sequences: match engine {
                Engine::Invalid => None,
                Engine::Compiled(..) => Sequences::new(pattern),
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
    fn is_match(&self, text: &str) -> bool {
        match self {
            Self::Compiled(regex, dfa) => dfa
                .get_or_init(|| dfa_of(regex.as_str()))
                .as_ref()
                .and_then(|dfa| dfa_matches(dfa, text))
                // The DFA gave up (its quit bytes; none under the default
                // configuration), or there is none: the regex answers.
                .unwrap_or_else(|| regex.is_match(text)),
            Self::Invalid => false,
        }
    }
}

fn dfa_of(pattern: &str) -> Option<Box<dense::DFA<Vec<u32>>>> {
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .dfa_size_limit(Some(DFA_SIZE_LIMIT))
                .determinize_size_limit(Some(4 * DFA_SIZE_LIMIT)),
        )
        .build(pattern)
        .ok()
        .map(Box::new)
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
            // The engine's answers above came from a DFA, built on first use.
            let Engine::Compiled(_, dfa) = &compiled.engine else {
                panic!("{pattern} compiles");
            };
            assert!(matches!(dfa.get(), Some(Some(_))), "{pattern}");
        }
        assert!(!Pattern::new("(unclosed").is_match("(unclosed"));
    }
}
