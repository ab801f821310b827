//! GitLab's code quality report: a JSON array of issues, each with a
//! description, check name, fingerprint, severity and location, shown in
//! the merge request's widget and diff.

use serde_json::{json, Value};

use super::{Findings, Level};

pub(super) fn render(findings: &Findings) -> String {
    let issues: Vec<Value> = findings
        .findings
        .iter()
        .map(|finding| {
            let severity = match finding.level {
                Level::Error => "major",
                Level::Warning => "minor",
                Level::Note => "info",
            };
            let begin = finding.region.map_or(1, |region| region.start_line);
            let mut issue = json!({
                "type": "issue",
                "description": finding.text(),
                "check_name": format!("evcat/{}", finding.rule),
                "categories": ["Bug Risk"],
                "fingerprint": finding.fingerprint(),
                "severity": severity,
                "location": {"path": finding.path, "lines": {"begin": begin}},
            });
            if let Some(region) = finding.region {
                issue["location"]["lines"]["end"] = region.end_line.into();
            }
            issue
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&issues).expect("JSON values serialize");
    text.push('\n');
    text
}
