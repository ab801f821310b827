//! `evcat check`: every catalog of a folder compiled, nothing written; the
//! findings in the form asked for.

use std::io::Write;

use evcat::diagnostics::Report;
use evcat::report::{Findings, Format, Level};

use crate::counted::counted;
use crate::say;

/// Compiles every catalog; all their errors make one report. `Ok(false)`
/// when a catalog has errors and the findings were printed in a CI form.
pub fn run(catalogs: Vec<(String, evcat::Builder)>, format: Format) -> Result<bool, evcat::Error> {
    let mut compiled = Vec::new();
    let mut failed = Vec::new();
    for (label, builder) in catalogs {
        match builder.compile() {
            Ok(catalog) => compiled.push((label, catalog)),
            Err(evcat::Error::Input(report)) => failed.push((label, report)),
            Err(other) => return Err(other),
        }
    }
    if format != Format::Human {
        return write_findings(&compiled, &failed, format);
    }
    if !failed.is_empty() {
        let reports = failed.into_iter().map(|(_, report)| report);
        return Err(evcat::Error::Input(Report::merge(reports)));
    }
    for (label, compiled) in compiled {
        eprint!("{}", compiled.warnings);
        let events = compiled.catalog.events().count();
        // A `## Types` section of named types alone is no family.
        let families = compiled
            .catalog
            .families
            .iter()
            .filter(|family| !family.events.is_empty())
            .count();
        say(format_args!(
            "{label}: {} in {}, no errors",
            counted(events as u64, "event", "events"),
            counted(families as u64, "family", "families")
        ));
        say(format_args!(
            "{}",
            crate::roles_line(&compiled.catalog.envelope)
        ));
    }
    Ok(true)
}

/// Every catalog's findings, warnings of the clean ones included, in one
/// document of `format`.
fn write_findings(
    compiled: &[(String, evcat::Compiled)],
    failed: &[(String, Report)],
    format: Format,
) -> Result<bool, evcat::Error> {
    let mut findings = Findings {
        command: "evcat check".to_owned(),
        rules: Report::rules(),
        suites: Vec::new(),
        findings: Vec::new(),
    };
    let warned: Vec<(&String, Report)> = compiled
        .iter()
        .map(|(label, compiled)| (label, compiled.warnings_report()))
        .collect();
    let reports = warned
        .iter()
        .map(|(label, report)| (*label, report))
        .chain(failed.iter().map(|(label, report)| (label, report)));
    for (label, report) in reports {
        let (found, suites) = report.findings(std::slice::from_ref(label));
        findings.findings.extend(found);
        findings.suites.extend(suites);
    }
    let errors = findings
        .findings
        .iter()
        .filter(|finding| finding.level == Level::Error)
        .count();
    let text = match findings.render(format) {
        Some(text) => text,
        None => json_document(&findings, errors),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|source| evcat::Error::Io {
            path: "<stdout>".into(),
            source,
        })?;
    Ok(errors == 0)
}

/// `--format json`: every finding with its place, and a count.
fn json_document(findings: &Findings, errors: usize) -> String {
    let items: Vec<serde_json::Value> = findings
        .findings
        .iter()
        .map(|finding| {
            let region = finding.region.map(|region| {
                serde_json::json!({
                    "line": region.start_line,
                    "column": region.start_column,
                    "end_line": region.end_line,
                    "end_column": region.end_column,
                })
            });
            serde_json::json!({
                "rule": finding.rule,
                "level": finding.level.to_string(),
                "file": finding.path,
                "region": region,
                "event": finding.case,
                "consumers": finding.consumers,
                "message": finding.message,
            })
        })
        .collect();
    let catalogs: Vec<serde_json::Value> = findings
        .suites
        .iter()
        .map(|suite| serde_json::json!({"catalog": suite.name, "events": suite.cases.len()}))
        .collect();
    let document = serde_json::json!({
        "catalogs": catalogs,
        "findings": items,
        "summary": {"errors": errors, "warnings": findings.findings.len() - errors},
    });
    format!("{document:#}\n")
}
