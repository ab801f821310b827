//! GitHub Actions workflow commands: each finding a line
//! `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`,
//! which the runner turns into an annotation on the pull request's diff.

use super::{Findings, Level};

pub(super) fn render(findings: &Findings) -> String {
    let mut out = String::new();
    for finding in &findings.findings {
        let command = match finding.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Note => "notice",
        };
        let mut properties = vec![("file", finding.path.clone())];
        if let Some(region) = finding.region {
            properties.extend([
                ("line", region.start_line.to_string()),
                ("col", region.start_column.to_string()),
                ("endLine", region.end_line.to_string()),
                ("endColumn", region.end_column.to_string()),
            ]);
        }
        properties.push(("title", format!("evcat {}: {}", finding.rule, finding.case)));
        let properties: Vec<String> = properties
            .into_iter()
            .map(|(name, value)| format!("{name}={}", escape_property(&value)))
            .collect();
        out.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&finding.text())
        ));
    }
    out
}

/// A message: the runner reads `%`, CR and LF as escapes.
pub(super) fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: also `:` and `,`, which end a value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
