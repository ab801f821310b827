//! SARIF 2.1.0: one run of the `evcat` tool, its rules listed in the
//! driver, each finding a result with a rule, a level, a message, a
//! location relative to the checkout and a fingerprint that survives
//! moved lines.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};

use super::{Findings, Level};

/// What may stay as written in a relative URI's path.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

pub(super) fn render(findings: &Findings) -> String {
    let rules: Vec<Value> = findings
        .rules
        .iter()
        .map(|rule| {
            json!({
                "id": rule.id,
                "shortDescription": {"text": rule.description},
                "helpUri": format!("{}/blob/main/docs/reports.md#{}", env!("CARGO_PKG_REPOSITORY"), anchor(&rule.id)),
            })
        })
        .collect();
    let results: Vec<Value> = findings
        .findings
        .iter()
        .map(|finding| {
            let mut location = json!({
                "physicalLocation": {"artifactLocation": artifact(&finding.path)},
                "logicalLocations": [{"name": finding.case}],
            });
            if let Some(region) = finding.region {
                location["physicalLocation"]["region"] = json!({
                    "startLine": region.start_line,
                    "startColumn": region.start_column,
                    "endLine": region.end_line,
                    "endColumn": region.end_column,
                });
            }
            let mut result = json!({
                "ruleId": finding.rule,
                "ruleIndex": findings.rules.iter().position(|rule| rule.id == finding.rule),
                "level": match finding.level {
                    Level::Error => "error",
                    Level::Warning => "warning",
                    Level::Note => "note",
                },
                "message": {"text": finding.text()},
                "locations": [location],
                "partialFingerprints": {"evcatFinding/v1": finding.fingerprint()},
            });
            if !finding.consumers.is_empty() {
                result["properties"] = json!({"consumers": finding.consumers});
            }
            result
        })
        .collect();
    let document = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "evcat",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "automationDetails": {"id": format!("{}/", findings.command)},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&document).expect("JSON values serialize");
    text.push('\n');
    text
}

/// A file as SARIF names it: relative to the checkout (`%SRCROOT%`), or a
/// `file:` URI when it lies outside the working folder.
fn artifact(path: &str) -> Value {
    let encoded = utf8_percent_encode(path, PATH).to_string();
    if path.starts_with('/') {
        json!({"uri": format!("file://{encoded}")})
    } else {
        json!({"uri": encoded, "uriBaseId": "%SRCROOT%"})
    }
}

/// The heading anchor docs/reports.md gives a rule (`stream/duplicate` →
/// `streamduplicate`); the kinds of change share `evcat diff`'s section.
fn anchor(id: &str) -> String {
    if id.starts_with("change/") {
        return "evcat-diff".to_owned();
    }
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}
