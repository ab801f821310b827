//! JUnit XML: a test suite per catalog or stream, a test case per event
//! (passing ones too, so a CI's test view shows what was checked), and a
//! failure per error. Warnings and notes go to the case's `system-out`.

use std::collections::BTreeMap;

use super::{Finding, Findings, Level};

pub(super) fn render(findings: &Findings) -> String {
    // The suites as listed, then any a finding names that is not.
    let mut suites: Vec<(String, Vec<String>)> = findings
        .suites
        .iter()
        .map(|suite| (suite.name.clone(), suite.cases.clone()))
        .collect();
    let mut by_case: BTreeMap<(&str, &str), Vec<&Finding>> = BTreeMap::new();
    for finding in &findings.findings {
        let suite = suite_of(findings, finding);
        by_case
            .entry((suite, &finding.case))
            .or_default()
            .push(finding);
        let index = match suites.iter().position(|(name, _)| name == suite) {
            Some(index) => index,
            None => {
                suites.push((suite.to_owned(), Vec::new()));
                suites.len() - 1
            }
        };
        if !suites[index].1.contains(&finding.case) {
            suites[index].1.push(finding.case.clone());
        }
    }
    let failures = |found: &[&Finding]| found.iter().filter(|f| f.level == Level::Error).count();
    let total_cases: usize = suites.iter().map(|(_, cases)| cases.len()).sum();
    let total_failures: usize = by_case.values().map(|found| failures(found)).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"{}\" tests=\"{total_cases}\" failures=\"{total_failures}\" errors=\"0\">\n",
        xml(&findings.command)
    ));
    for (suite, cases) in &suites {
        let found: Vec<&Finding> = cases
            .iter()
            .flat_map(|case| {
                by_case
                    .get(&(suite.as_str(), case.as_str()))
                    .into_iter()
                    .flatten()
                    .copied()
            })
            .collect();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n",
            xml(suite),
            cases.len(),
            failures(&found)
        ));
        for case in cases {
            let found = by_case.get(&(suite.as_str(), case.as_str()));
            let found: &[&Finding] = found.map_or(&[], Vec::as_slice);
            let open = format!(
                "    <testcase name=\"{}\" classname=\"{}\"",
                xml(case),
                xml(suite)
            );
            if found.is_empty() {
                out.push_str(&open);
                out.push_str("/>\n");
                continue;
            }
            out.push_str(&open);
            out.push_str(">\n");
            let mut notes = Vec::new();
            for finding in found {
                let place = match finding.region {
                    Some(region) => format!(
                        "{}:{}:{}",
                        finding.path, region.start_line, region.start_column
                    ),
                    None => finding.path.clone(),
                };
                let body = format!("{place}: {}", finding.text());
                if finding.level == Level::Error {
                    out.push_str(&format!(
                        "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                        xml(&finding.rule),
                        xml(&finding.message),
                        xml(&body)
                    ));
                } else {
                    notes.push(format!("{}: {body}", finding.level));
                }
            }
            if !notes.is_empty() {
                out.push_str(&format!(
                    "      <system-out>{}</system-out>\n",
                    xml(&notes.join("\n"))
                ));
            }
            out.push_str("    </testcase>\n");
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// The suite a finding belongs to: the first listed suite that has its
/// case, else its own file.
fn suite_of<'a>(findings: &'a Findings, finding: &'a Finding) -> &'a str {
    findings
        .suites
        .iter()
        .find(|suite| suite.cases.contains(&finding.case))
        .map_or(finding.path.as_str(), |suite| suite.name.as_str())
}

/// Text for an XML attribute or element: markup characters escaped, and
/// characters XML 1.0 cannot hold (most controls) written as `U+XXXX`.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push_str(&format!("U+{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}
