//! Prints diagnostics as `path:line:col: error: message` followed by the
//! source line with a caret, rustc style.
//!
//! The first line is the form editors and CI problem matchers read
//! (gcc, clang, rustc `--error-format=short`); codespan-reporting supplies
//! the line and column arithmetic, so columns count characters as rustc's do.

use std::fmt::Write;

use codespan_reporting::files::{Files, SimpleFiles};
use unicode_width::UnicodeWidthStr;

use super::Sources;
use super::{Diagnostic, Diagnostics, Severity};
use crate::ir::Span;

/// Renders every diagnostic in source order, then a summary line.
pub fn render(sources: &Sources, diagnostics: &Diagnostics) -> String {
    let files = index(sources);
    let mut out = String::new();
    for diagnostic in diagnostics.sorted() {
        render_one(&files, diagnostic, &mut out);
    }
    let errors = diagnostics.error_count();
    if errors > 0 {
        let plural = if errors == 1 { "" } else { "s" };
        let _ = writeln!(out, "error: {errors} error{plural} found");
    }
    out
}

type Index<'a> = SimpleFiles<&'a str, &'a str>;

fn index(sources: &Sources) -> Index<'_> {
    let mut files = SimpleFiles::new();
    for (_, file) in sources.iter() {
        files.add(file.name.as_str(), file.text.as_str());
    }
    files
}

/// The 1-based line and column where `span` starts, columns counted in
/// characters as rustc counts them: what the printed reports show.
pub fn line_and_column(sources: &Sources, span: Span) -> (usize, usize) {
    let Position { line, column } = position(&index(sources), span);
    (line, column)
}

/// The lines and columns `span` covers, counted as [`line_and_column`]
/// counts them: where a report form puts a finding.
pub fn region(sources: &Sources, span: Span) -> crate::report::Region {
    let (start_line, start_column) = line_and_column(sources, span);
    let (end_line, end_column) = line_and_column(sources, Span::new(span.file, span.end..span.end));
    crate::report::Region {
        start_line,
        start_column,
        end_line,
        end_column,
    }
}

struct Position {
    line: usize,
    column: usize,
}

fn position(files: &Index, span: Span) -> Position {
    let start = clamp_to_char_boundary(files, span);
    files
        .location(span.file.0, start)
        .map(|location| Position {
            line: location.line_number,
            column: location.column_number,
        })
        .unwrap_or(Position { line: 1, column: 1 })
}

fn clamp_to_char_boundary(files: &Index, span: Span) -> usize {
    let text = files.source(span.file.0).unwrap_or("");
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    start
}

fn location_text(files: &Index, span: Span) -> String {
    let name = files
        .name(span.file.0)
        .map(|name| name.to_string())
        .unwrap_or_default();
    let Position { line, column } = position(files, span);
    format!("{name}:{line}:{column}")
}

fn render_one(files: &Index, diagnostic: &Diagnostic, out: &mut String) {
    let severity = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let _ = writeln!(
        out,
        "{}: {severity}: {}",
        location_text(files, diagnostic.span),
        diagnostic.message
    );
    render_snippet(files, diagnostic.span, diagnostic.label.as_deref(), out);
    for (span, note) in &diagnostic.notes {
        let _ = writeln!(out, "   = note: {}: {note}", location_text(files, *span));
    }
    if !diagnostic.consumers.is_empty() {
        let _ = writeln!(out, "   = consumers: {}", diagnostic.consumers.join(", "));
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "   = help: {help}");
    }
    out.push('\n');
}

/// The span's first line with carets under the span (to the line's end when
/// the span goes on).
fn render_snippet(files: &Index, span: Span, label: Option<&str>, out: &mut String) {
    let start = clamp_to_char_boundary(files, span);
    let Ok(line_index) = files.line_index(span.file.0, start) else {
        return;
    };
    let Ok(line_range) = files.line_range(span.file.0, line_index) else {
        return;
    };
    let text = files.source(span.file.0).unwrap_or("");
    let line = text[line_range.clone()].trim_end_matches(['\n', '\r']);
    let line_number = (line_index + 1).to_string();
    let gutter = " ".repeat(line_number.len());
    let shown = line.replace('\t', "    ");
    let before = text[line_range.start..start].replace('\t', "    ");
    let end = span.end.clamp(start, line_range.start + line.len());
    let end = (start..=end)
        .rev()
        .find(|&index| text.is_char_boundary(index))
        .unwrap_or(start);
    let marked_width = text[start..end].replace('\t', "    ").width().max(1);
    let _ = writeln!(out, "{gutter} |");
    let _ = writeln!(out, "{line_number} | {shown}");
    let _ = write!(
        out,
        "{gutter} | {}{}",
        " ".repeat(before.width()),
        "^".repeat(marked_width)
    );
    match label {
        Some(label) => {
            let _ = writeln!(out, " {label}");
        }
        None => out.push('\n'),
    }
}
