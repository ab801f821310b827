//! The shape most schema patterns have, matched without an automaton:
//! anchored at both ends (`^…$`), a few alternatives, each a sequence of
//! ASCII byte sets repeated a fixed or bounded number of times
//! (`^[A-Z][A-Za-z0-9]*$`, a ULID or UUID, a timestamp). Checking a byte
//! against its run's set does not wait on the previous byte's outcome, as
//! a DFA's next state does, so these run several times faster than the DFA
//! on the short values an envelope carries.
//!
//! Only ASCII text is matched here; the engine takes the rest. On ASCII
//! text a Unicode class (`\d`, `\w`) can only match its ASCII members, so
//! keeping those is exact. A pattern is taken only when matching each run
//! greedily is exact: a run of varying length is last, or followed by a
//! required run whose set it does not share. Anything else is `None` and
//! stays with the engine.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Beyond this many alternatives (optional parts multiply them), the
/// engine is the better tool.
const MAX_ALTERNATIVES: usize = 16;

#[derive(Debug)]
pub(super) struct Sequences {
    alternatives: Vec<Alternative>,
}

/// One alternative: its runs, and the lengths of text it can match, so
/// that text of another length is not walked (`\.\d+` made optional in a
/// timestamp is two alternatives, and most texts fit one by length).
#[derive(Debug)]
struct Alternative {
    runs: Vec<Table>,
    shortest: usize,
    longest: usize,
}

/// Between `min` and `max` bytes of `set`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    /// Bit `b` is set when ASCII byte `b` belongs.
    set: u128,
    min: u32,
    max: u32,
}

/// A run as matched: its set as a table, one load per byte instead of a
/// 128-bit shift. Bytes past ASCII are never members.
#[derive(Debug)]
struct Table {
    members: [bool; 256],
    min: usize,
    max: usize,
}

/// A piece of a sequence before the anchors are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Run(Run),
    Start,
    End,
}

impl Sequences {
    pub fn new(pattern: &str) -> Option<Self> {
        let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
        let alternatives = items(&hir)?
            .into_iter()
            .map(anchored_runs)
            .collect::<Option<Vec<_>>>()?;
        if !alternatives.iter().all(|runs| greedy_is_exact(runs)) {
            return None;
        }
        let alternatives = alternatives
            .iter()
            .map(|runs| {
                let runs: Vec<Table> = runs.iter().map(Table::new).collect();
                Alternative {
                    shortest: runs.iter().map(|run| run.min).sum(),
                    longest: runs
                        .iter()
                        .fold(0, |longest: usize, run| longest.saturating_add(run.max)),
                    runs,
                }
            })
            .collect();
        Some(Self { alternatives })
    }

    /// Whether `text` matches; `None` for text that is not ASCII.
    pub fn matches(&self, text: &str) -> Option<bool> {
        let bytes = text.as_bytes();
        if self.alternatives.iter().any(|alternative| {
            (alternative.shortest..=alternative.longest).contains(&bytes.len())
                && matches_runs(&alternative.runs, bytes)
        }) {
            // Every byte was a member of a run, so the text is ASCII.
            return Some(true);
        }
        text.is_ascii().then_some(false)
    }
}

fn matches_runs(runs: &[Table], bytes: &[u8]) -> bool {
    let mut at = 0usize;
    for run in runs {
        if run.min == run.max {
            // A fixed count: every byte is checked, without a branch on each.
            let Some(part) = bytes.get(at..at.saturating_add(run.min)) else {
                return false;
            };
            let members = part
                .iter()
                .fold(true, |fits, byte| fits & run.members[usize::from(*byte)]);
            if !members {
                return false;
            }
            at += run.min;
            continue;
        }
        let start = at;
        let end = bytes.len().min(start.saturating_add(run.max));
        while at < end && run.members[usize::from(bytes[at])] {
            at += 1;
        }
        if at - start < run.min {
            return false;
        }
    }
    at == bytes.len()
}

/// The sequences `hir` stands for: one per alternative, optional parts
/// expanded into alternatives.
fn items(hir: &Hir) -> Option<Vec<Vec<Item>>> {
    match hir.kind() {
        HirKind::Empty => Some(vec![Vec::new()]),
        HirKind::Literal(literal) => literal
            .0
            .iter()
            .map(|byte| byte.is_ascii().then(|| Item::Run(Run::one(1 << byte))))
            .collect::<Option<Vec<_>>>()
            .map(|sequence| vec![sequence]),
        HirKind::Class(class) => Some(vec![vec![Item::Run(Run::one(ascii_set(class)?))]]),
        HirKind::Look(Look::Start) => Some(vec![vec![Item::Start]]),
        HirKind::Look(Look::End) => Some(vec![vec![Item::End]]),
        HirKind::Look(_) => None,
        HirKind::Capture(capture) => items(&capture.sub),
        HirKind::Concat(parts) => parts.iter().try_fold(vec![Vec::new()], |sequences, part| {
            let tails = items(part)?;
            let joined: Vec<Vec<Item>> = sequences
                .iter()
                .flat_map(|head| {
                    tails
                        .iter()
                        .map(move |tail| head.iter().chain(tail).copied().collect())
                })
                .collect();
            (joined.len() <= MAX_ALTERNATIVES).then_some(joined)
        }),
        HirKind::Alternation(choices) => {
            let mut all = Vec::new();
            for choice in choices {
                all.extend(items(choice)?);
            }
            (all.len() <= MAX_ALTERNATIVES).then_some(all)
        }
        HirKind::Repetition(repetition) => {
            let inner = items(&repetition.sub)?;
            // One set, repeated: a run.
            if let [[Item::Run(Run {
                set,
                min: 1,
                max: 1,
            })]] = inner
                .iter()
                .map(Vec::as_slice)
                .collect::<Vec<_>>()
                .as_slice()
            {
                return Some(vec![vec![Item::Run(Run {
                    set: *set,
                    min: repetition.min,
                    max: repetition.max.unwrap_or(u32::MAX),
                })]]);
            }
            // Optional: without it, or once.
            if (repetition.min, repetition.max) != (0, Some(1)) {
                return None;
            }
            let mut all = vec![Vec::new()];
            all.extend(inner);
            (all.len() <= MAX_ALTERNATIVES).then_some(all)
        }
    }
}

impl Run {
    fn one(set: u128) -> Self {
        Self {
            set,
            min: 1,
            max: 1,
        }
    }
}

impl Table {
    fn new(run: &Run) -> Self {
        Self {
            members: std::array::from_fn(|byte| byte < 128 && run.set >> byte & 1 == 1),
            min: run.min as usize,
            max: usize::try_from(run.max).unwrap_or(usize::MAX),
        }
    }
}

/// The ASCII members of a class; `None` for a byte class reaching past
/// ASCII (those match bytes of non-ASCII text, which only the engine sees
/// whole).
fn ascii_set(class: &Class) -> Option<u128> {
    let bits = |start: u32, end: u32| -> u128 {
        let end = end.min(127);
        if start > end {
            return 0;
        }
        let width = end - start + 1;
        let ones = if width == 128 {
            u128::MAX
        } else {
            (1u128 << width) - 1
        };
        ones << start
    };
    match class {
        Class::Unicode(class) => Some(class.ranges().iter().fold(0, |set, range| {
            set | bits(u32::from(range.start()), u32::from(range.end()))
        })),
        Class::Bytes(class) => class.ranges().iter().try_fold(0, |set, range| {
            range
                .end()
                .is_ascii()
                .then(|| set | bits(u32::from(range.start()), u32::from(range.end())))
        }),
    }
}

/// The runs of a sequence anchored at both ends and nowhere else.
fn anchored_runs(sequence: Vec<Item>) -> Option<Vec<Run>> {
    let [Item::Start, body @ .., Item::End] = sequence.as_slice() else {
        return None;
    };
    body.iter()
        .map(|item| match item {
            Item::Run(run) => Some(*run),
            Item::Start | Item::End => None,
        })
        .collect()
}

/// Whether taking as many bytes as each run allows, run after run, finds
/// every match: each run of varying length is last, or followed by a
/// required run that shares none of its bytes.
fn greedy_is_exact(runs: &[Run]) -> bool {
    runs.windows(2).all(|pair| {
        let [run, next] = pair else {
            return true;
        };
        run.min == run.max || (next.min >= 1 && run.set & next.set == 0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// Patterns of the shapes taken, from envelopes and catalogs.
    const TAKEN: [&str; 8] = [
        r"^[A-Z][A-Za-z0-9]*$",
        r"^([0-7][0-9A-HJKMNP-TV-Z]{25}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$",
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$",
        r"^(user|system):[a-z][a-z0-9._-]{0,40}$",
        r"^\+[1-9]\d{1,14}$",
        r"^[a-z]{2,3}(-[A-Z]{2})?$",
        r"^(?i)abc[x-z]?$",
        r"^$",
    ];

    /// Patterns left to the engine: greedy would be wrong, or the shape is
    /// not one of these.
    const LEFT: [&str; 8] = [
        r"^a*a$",
        r"^[a-z]*[0-9]?x$",
        r"ab",
        r"^ab",
        r"^(ab)+$",
        r"\bword\b",
        r"^é+$",
        r"^a$|b",
    ];

    #[test]
    fn only_shapes_matched_exactly_are_taken() {
        for pattern in TAKEN {
            assert!(Sequences::new(pattern).is_some(), "{pattern}");
        }
        for pattern in LEFT {
            assert!(Sequences::new(pattern).is_none(), "{pattern}");
        }
    }

    /// Texts near the matches: seeds, each with every byte replaced,
    /// dropped or doubled, and every short string over a small alphabet.
    fn texts(seeds: &[&str]) -> Vec<String> {
        let alphabet: Vec<char> = "aAzZ09x-:.T+_é Z".chars().collect();
        let mut texts: Vec<String> = seeds.iter().map(|seed| seed.to_string()).collect();
        for seed in seeds {
            let chars: Vec<char> = seed.chars().collect();
            for at in 0..chars.len() {
                let mut dropped = chars.clone();
                dropped.remove(at);
                texts.push(dropped.iter().collect());
                let mut doubled = chars.clone();
                doubled.insert(at, chars[at]);
                texts.push(doubled.iter().collect());
                for replacement in &alphabet {
                    let mut replaced = chars.clone();
                    replaced[at] = *replacement;
                    texts.push(replaced.iter().collect());
                }
            }
        }
        let mut short = vec![String::new()];
        for _ in 0..3 {
            short = short
                .iter()
                .flat_map(|text| alphabet.iter().map(move |c| format!("{text}{c}")))
                .collect();
            texts.extend(short.iter().cloned());
        }
        texts
    }

    #[test]
    fn sequences_match_as_the_regex_crate_does() {
        let seeds = [
            "ConversationCreated",
            "01JC9ZAFDN7X2MJ7GAX4JFA0B5",
            "6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d",
            "2025-11-05T14:00:00Z",
            "2025-11-05T14:00:00.123Z",
            "user:ops.team-1",
            "+14155550123",
            "en-US",
            "ABCx",
            "abz",
            "",
        ];
        let texts = texts(&seeds);
        for pattern in TAKEN {
            let sequences = Sequences::new(pattern).expect("taken");
            let regex = Regex::new(pattern).expect("valid");
            let mut matched = 0;
            for text in &texts {
                let expected = regex.is_match(text);
                match sequences.matches(text) {
                    Some(found) => assert_eq!(found, expected, "{pattern} on {text:?}"),
                    None => assert!(!text.is_ascii(), "{pattern} on {text:?}"),
                }
                matched += usize::from(expected);
            }
            assert!(matched > 0, "{pattern} matched none of the texts");
        }
    }
}
