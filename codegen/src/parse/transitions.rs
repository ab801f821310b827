//! "State Transitions" sections, in the data model or the catalog: list
//! items such as `open → closed (ConversationClosed)` or
//! `any -> archived (ConversationArchived)`.

use super::markdown::{Block, BlockKind};
use crate::diagnostics::{Diagnostic, Rule};
use crate::ir::{FileId, Span};

/// A transition as written; the event is resolved against the catalog later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTransition {
    /// `None` for `any`.
    pub from: Option<String>,
    pub to: String,
    pub event: String,
    pub span: Span,
}

/// Every transition under a heading that says "state transitions".
pub fn read_transitions(
    file: FileId,
    blocks: &[Block],
    errors: &mut Vec<Diagnostic>,
) -> Vec<RawTransition> {
    let mut transitions = Vec::new();
    let mut inside: Option<u8> = None;
    for block in blocks {
        match block.kind {
            BlockKind::Heading(level) => {
                if inside.is_some_and(|section| level <= section) {
                    inside = None;
                }
                if block
                    .text
                    .plain()
                    .to_ascii_lowercase()
                    .contains("state transitions")
                {
                    inside = Some(level);
                }
            }
            BlockKind::Item { .. } if inside.is_some() => {
                let plain = block.text.plain();
                let span = Span::new(file, block.text.source_range(0..plain.len()));
                match parse_transition(&plain) {
                    Some((from, to, event)) => transitions.push(RawTransition { from, to, event, span }),
                    None => errors.push(
                        Rule::Catalog.error(span, "a state transition reads `from → to (EventName)`")
                            .with_help("write `open → closed (ConversationClosed)`, or `any → archived (ConversationArchived)`"),
                    ),
                }
            }
            _ => {}
        }
    }
    transitions
}

fn parse_transition(text: &str) -> Option<(Option<String>, String, String)> {
    let (from, rest) = text.split_once('→').or_else(|| text.split_once("->"))?;
    let (to, event) = rest.split_once('(')?;
    let event = event.trim().strip_suffix(')')?.trim();
    let from = from.trim();
    let to = to.trim();
    let word = |text: &str| !text.is_empty() && !text.contains(char::is_whitespace);
    if !word(from) || !word(to) || !word(event) {
        return None;
    }
    let from = (!from.eq_ignore_ascii_case("any")).then(|| from.to_owned());
    Some((from, to.to_owned(), event.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_arrows_any_and_event_names() {
        assert_eq!(
            parse_transition("open → closed (ConversationClosed)"),
            Some((
                Some("open".into()),
                "closed".into(),
                "ConversationClosed".into()
            ))
        );
        assert_eq!(
            parse_transition("any -> archived (ConversationArchived)"),
            Some((None, "archived".into(), "ConversationArchived".into()))
        );
        assert_eq!(parse_transition("open closed"), None);
        assert_eq!(parse_transition("open → (X)"), None);
    }
}
