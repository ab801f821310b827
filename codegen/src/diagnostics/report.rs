//! What a run whose inputs have errors hands its caller.

use std::fmt;

use super::Sources;
use super::{render, Diagnostic, Diagnostics};
use crate::ir::Span;

/// Every finding of a run whose inputs have errors, with the files they
/// point into: a caller can inspect each (file, position, message, label,
/// notes, help) or print them all as evcat does ([`Report::render`]).
#[derive(Debug, Clone)]
pub struct Report {
    runs: Vec<Run>,
}

/// One catalog's findings and the files they point into.
#[derive(Debug, Clone)]
struct Run {
    sources: Sources,
    diagnostics: Diagnostics,
}

/// Where a finding points: the file as it was named, and the 1-based line
/// and column (in characters) of the span's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location<'a> {
    /// The file's path as given to evcat.
    pub file: &'a str,
    /// The line, counted from 1.
    pub line: usize,
    /// The column, counted from 1 in characters.
    pub column: usize,
}

/// A finding of a [`Report`], with the files its spans point into.
#[derive(Debug, Clone, Copy)]
pub struct Located<'a> {
    /// What was found, where, and what helps.
    pub diagnostic: &'a Diagnostic,
    sources: &'a Sources,
}

impl<'a> Located<'a> {
    /// Where the finding itself points.
    pub fn location(&self) -> Location<'a> {
        self.location_of(self.diagnostic.span)
    }

    /// Where one of the finding's spans (its own or a note's) points.
    pub fn location_of(&self, span: Span) -> Location<'a> {
        let (line, column) = render::line_and_column(self.sources, span);
        Location {
            file: &self.sources.get(span.file).name,
            line,
            column,
        }
    }
}

impl Report {
    pub(crate) fn new(sources: Sources, diagnostics: Diagnostics) -> Self {
        Self {
            runs: vec![Run {
                sources,
                diagnostics,
            }],
        }
    }

    /// The reports of several catalogs as one, in the order given.
    pub fn merge(reports: impl IntoIterator<Item = Report>) -> Self {
        Self {
            runs: reports.into_iter().flat_map(|report| report.runs).collect(),
        }
    }

    /// Every finding, errors and warnings, in the order they are printed:
    /// by catalog, then by file and position.
    pub fn diagnostics(&self) -> impl Iterator<Item = Located<'_>> {
        self.runs.iter().flat_map(|run| {
            run.diagnostics
                .sorted()
                .into_iter()
                .map(|diagnostic| Located {
                    diagnostic,
                    sources: &run.sources,
                })
        })
    }

    /// The errors found (warnings not counted); a failed catalog counts at
    /// least one.
    pub fn error_count(&self) -> usize {
        self.runs
            .iter()
            .map(|run| run.diagnostics.error_count().max(1))
            .sum()
    }

    /// The report as evcat prints it: each finding as `path:line:col:
    /// error: message`, the line with a caret, notes and help, then a count.
    pub fn render(&self) -> String {
        self.runs
            .iter()
            .map(|run| render(&run.sources, &run.diagnostics))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render().trim_end())
    }
}
