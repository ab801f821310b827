//! Errors and warnings about the inputs, each with the span that caused it,
//! and the [`Report`] a failed run returns them in.

mod render;
mod report;
mod rule;
mod sources;

pub(crate) use render::{region, render};
pub use report::{Located, Location, Report};
pub use rule::Rule;
pub(crate) use sources::Sources;

use crate::ir::Span;

/// Whether a finding stops the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Printed, and the outputs are still written.
    Warning,
    /// Nothing is written; the command exits with 1.
    Error,
}

/// A finding about the inputs. Built by the parser and checks, printed by
/// a [`Report`]; never a panic, never only the first of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The check it comes from.
    pub rule: Rule,
    /// Whether it stops the run.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where: the bytes of the input that caused it.
    pub span: Span,
    /// Printed under the caret.
    pub label: Option<String>,
    /// Further places that explain the finding (the first definition, …).
    pub notes: Vec<(Span, String)>,
    /// How to fix it, when there is a likely way.
    pub help: Option<String>,
    /// Who is hurt: the consumers the catalog lists for the event a
    /// breaking change is about.
    pub consumers: Vec<String>,
}

impl Diagnostic {
    /// Built through its rule: `Rule::Catalog.error(span, message)`.
    pub(crate) fn new(rule: Rule, severity: Severity, span: Span, message: String) -> Self {
        Self {
            rule,
            severity,
            message,
            span,
            label: None,
            notes: Vec::new(),
            help: None,
            consumers: Vec::new(),
        }
    }

    pub(crate) fn with_consumers(mut self, consumers: &[String]) -> Self {
        self.consumers = consumers.to_vec();
        self
    }

    pub(crate) fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub(crate) fn with_note(mut self, span: Span, note: impl Into<String>) -> Self {
        self.notes.push((span, note.into()));
        self
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether it stops the run.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Every finding of a run, kept in source order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0
            .iter()
            .filter(|diagnostic| diagnostic.is_error())
            .count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The findings sorted by file and position, as they are printed.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut sorted: Vec<&Diagnostic> = self.0.iter().collect();
        sorted.sort_by_key(|diagnostic| (diagnostic.span, diagnostic.message.as_str()));
        sorted
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
