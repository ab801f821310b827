//! `evcat validate`: a stream of events checked line by line, read as it
//! comes so memory stays flat apart from the stream checker's tables.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, IsTerminal, Read, Write};
use std::path::Path;

use evcat::report::{self, Findings, Format, Level, Region, RuleInfo, Suite};
use evcat::stream::{is_blank, Finding, FindingKind, StreamChecker};

use crate::counted::counted;
use crate::lines::for_each_line;

/// Prints the findings; `Ok(true)` when there were none.
pub fn run(
    builder: evcat::Builder,
    format: Format,
    events: Option<&Path>,
) -> Result<bool, evcat::Error> {
    // A catalog with errors (a failing `Example:` file among them) checks
    // no stream: say that nothing was, rather than leave it to be guessed.
    let compiled = match builder.compile() {
        Ok(compiled) => compiled,
        Err(evcat::Error::Input(report)) => {
            eprintln!(
                "{report}\nnothing in {} was checked: the catalog must be free of errors first",
                events.map_or_else(
                    || "standard input".to_owned(),
                    |path| path.display().to_string()
                )
            );
            return Ok(false);
        }
        Err(other) => return Err(other),
    };
    eprint!("{}", compiled.warnings);
    let (name, input, size): (String, Box<dyn Read>, Option<u64>) = match events {
        None => ("-".to_owned(), Box::new(std::io::stdin()), None),
        Some(path) if path == Path::new("-") => ("-".to_owned(), Box::new(std::io::stdin()), None),
        Some(path) => {
            let file = std::fs::File::open(path).map_err(|source| evcat::Error::Io {
                path: path.to_owned(),
                source,
            })?;
            let size = file.metadata().ok().map(|metadata| metadata.len());
            (path.display().to_string(), Box::new(file), size)
        }
    };
    let io_error = |source| evcat::Error::Io {
        path: name.clone().into(),
        source,
    };
    let mut checker = StreamChecker::new(&compiled.catalog);
    let mut input = BufReader::with_capacity(1 << 16, input);
    if let Some(size) = size {
        let start = input.fill_buf().map_err(io_error)?;
        checker.expect_events(estimated_lines(size, start));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let progress = std::io::stderr().is_terminal();
    let mut counts: BTreeMap<FindingKind, usize> = BTreeMap::new();
    // Every form but the human one prints the findings after the run.
    let collect = format != Format::Human;
    let mut findings: Vec<Finding> = Vec::new();
    // For the CI forms: the characters of each line with a finding.
    let mut widths: Vec<usize> = Vec::new();
    let mut number = 0;
    let mut events_seen = 0;
    let each_line = |line: &[u8]| -> std::io::Result<()> {
        number += 1;
        if !is_blank(line) {
            events_seen += 1;
        }
        if let Some(finding) = checker.check_bytes(number, line) {
            *counts.entry(finding.kind).or_default() += 1;
            if collect {
                if format != Format::Json {
                    widths.push(line_width(line));
                }
                findings.push(finding);
            } else {
                writeln!(
                    out,
                    "{name}:{}: {}: {}",
                    finding.line, finding.kind, finding.message
                )?;
            }
        }
        if progress && number % 100_000 == 0 {
            eprint!("\r{number} lines checked");
        }
        Ok(())
    };
    for_each_line(input, each_line).map_err(io_error)?;
    if progress && number >= 100_000 {
        eprintln!();
    }
    // The tables hold an entry per event; freeing them one by one just
    // before the process exits took a tenth of a long run.
    std::mem::forget(checker);
    let total: usize = counts.values().sum();
    let summary: serde_json::Map<String, serde_json::Value> = FindingKind::ALL
        .iter()
        .map(|kind| {
            (
                kind.as_str().to_owned(),
                counts.get(kind).copied().unwrap_or(0).into(),
            )
        })
        .collect();
    if collect && format != Format::Json {
        let document = ci_findings(&compiled.catalog, &name, &findings, &widths);
        let text = document.render(format).expect("a CI form");
        out.write_all(text.as_bytes()).map_err(io_error)?;
    } else if collect {
        let findings: Vec<serde_json::Value> = findings
            .iter()
            .map(|finding| serde_json::json!({"line": finding.line, "kind": finding.kind.as_str(), "event_id": finding.event_id, "message": finding.message}))
            .collect();
        let document = serde_json::json!({
            "findings": findings,
            "summary": {"lines": number, "events": events_seen, "findings": total, "by_kind": summary},
        });
        writeln!(out, "{document}").map_err(io_error)?;
    } else {
        let by_kind: Vec<String> = summary
            .iter()
            .filter(|(_, count)| count.as_u64() != Some(0))
            .map(|(kind, count)| format!("{kind}: {count}"))
            .collect();
        let detail = if by_kind.is_empty() {
            String::new()
        } else {
            format!(" ({})", by_kind.join(", "))
        };
        writeln!(
            out,
            "{name}: {} on {}, {}{detail}",
            counted(events_seen as u64, "event", "events"),
            counted(number as u64, "line", "lines"),
            counted(total as u64, "finding", "findings")
        )
        .map_err(io_error)?;
    }
    out.flush().map_err(io_error)?;
    Ok(total == 0)
}

/// A line's characters, its line break left out: where a finding's
/// region ends.
fn line_width(line: &[u8]) -> usize {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    String::from_utf8_lossy(line).chars().count()
}

/// The case of a line whose event the catalog does not know.
const UNKNOWN_EVENT: &str = "(no event of the catalog)";

/// The stream's findings for the CI forms: one suite, the stream, with a
/// case per event of the catalog; each finding at its line.
fn ci_findings(
    catalog: &evcat::ir::Catalog,
    name: &str,
    found: &[Finding],
    widths: &[usize],
) -> Findings {
    let path = report::relative_path(name);
    let mut cases: Vec<String> = catalog
        .events()
        .map(|(_, event)| event.name.clone())
        .collect();
    if found.iter().any(|finding| finding.event.is_none()) {
        cases.push(UNKNOWN_EVENT.to_owned());
    }
    let findings = found
        .iter()
        .zip(widths)
        .map(|(finding, width)| report::Finding {
            rule: format!("stream/{}", finding.kind),
            level: Level::Error,
            message: match &finding.event_id {
                Some(id) => format!("event `{id}`: {}", finding.message),
                None => finding.message.clone(),
            },
            path: path.clone(),
            region: Some(Region {
                start_line: finding.line,
                start_column: 1,
                end_line: finding.line,
                end_column: width + 1,
            }),
            case: finding
                .event
                .clone()
                .unwrap_or_else(|| UNKNOWN_EVENT.to_owned()),
            consumers: Vec::new(),
        })
        .collect();
    Findings {
        command: "evcat validate".to_owned(),
        rules: FindingKind::ALL
            .iter()
            .map(|kind| RuleInfo {
                id: format!("stream/{kind}"),
                description: kind.description().to_owned(),
            })
            .collect(),
        suites: vec![Suite { name: path, cases }],
        findings,
    }
}

/// The lines of a file of `size` bytes that starts with `start`, judged by
/// the lines in `start`: the events the stream checker is told to expect.
fn estimated_lines(size: u64, start: &[u8]) -> usize {
    let lines = memchr::memchr_iter(b'\n', start).count().max(1);
    let estimate = size as f64 / start.len().max(1) as f64 * lines as f64;
    estimate as usize
}

#[cfg(test)]
mod tests {
    use super::estimated_lines;

    #[test]
    fn lines_are_estimated_from_the_start_of_the_file() {
        let start = b"{\"a\":1}\n{\"b\":2}\n";
        assert_eq!(estimated_lines(start.len() as u64, start), 2);
        assert_eq!(estimated_lines(16_000, start), 2_000);
        assert_eq!(estimated_lines(0, b""), 0);
        assert_eq!(estimated_lines(100, b"no newline yet"), 7);
    }
}
