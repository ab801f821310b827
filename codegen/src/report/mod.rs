//! Findings where reviewers look: GitHub workflow commands (annotations on
//! the pull request), SARIF 2.1.0 (code scanning), GitLab code quality
//! JSON and JUnit XML (test reports). `evcat check`, `evcat diff` and
//! `evcat validate` turn what they found into [`Findings`]; each form is
//! rendered from those alone, so the three commands agree on every form.
//!
//! The human form (rustc-style, the default) and each command's own JSON
//! document are written by the commands themselves; [`Format`] names them
//! too so one option selects among all six.

mod github;
mod gitlab;
mod junit;
mod sarif;

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// How a command prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a terminal: `path:line:col: error: message` with the line and
    /// a caret (`text` is its older name).
    Human,
    /// The command's own JSON document.
    Json,
    /// GitHub Actions workflow commands: `::error file=…,line=…::message`.
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitLab's code quality report (`artifacts:reports:codequality`).
    Gitlab,
    /// JUnit XML: a test case per event, a failure per finding.
    Junit,
}

impl Format {
    /// Every form, by the names `--format` and `EVCAT_FORMAT` take.
    pub const NAMES: [&'static str; 6] = ["human", "json", "github", "sarif", "gitlab", "junit"];
}

impl FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "human" | "text" => Ok(Self::Human),
            "json" => Ok(Self::Json),
            "github" => Ok(Self::Github),
            "sarif" => Ok(Self::Sarif),
            "gitlab" => Ok(Self::Gitlab),
            "junit" => Ok(Self::Junit),
            other => Err(format!(
                "`{other}` is not a report format; use one of {}",
                Self::NAMES.join(", ")
            )),
        }
    }
}

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Fails the command.
    Error,
    /// Printed; the command still succeeds.
    Warning,
    /// For information: a compatible change.
    Note,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Note => "note",
        }
    }
}

/// A kind of finding: its stable id and what it checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable across releases: `catalog`, `stream/duplicate`, `diff/field-removed`.
    pub id: String,
    /// What the rule checks, in a sentence.
    pub description: String,
}

/// Where in a file a finding points; lines and columns count from 1,
/// columns in Unicode characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// The first line.
    pub start_line: usize,
    /// The first column.
    pub start_column: usize,
    /// The last line.
    pub end_line: usize,
    /// The column just past the end.
    pub end_column: usize,
}

/// One finding, in the terms every form shares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The id of its [`RuleInfo`].
    pub rule: String,
    /// How much it matters.
    pub level: Level,
    /// What was found, in a sentence (help included, on lines of its own).
    pub message: String,
    /// The file it points into, as a path relative to the working folder
    /// where it lies below it.
    pub path: String,
    /// Where in the file; `None` for the file as a whole.
    pub region: Option<Region>,
    /// What it is about, as JUnit's test case: the event, or the file.
    pub case: String,
    /// Who is hurt: the consumers the catalog lists for the event.
    pub consumers: Vec<String>,
}

impl Finding {
    /// The message with the consumers it concerns, as every form shows it.
    pub fn text(&self) -> String {
        if self.consumers.is_empty() {
            self.message.clone()
        } else {
            format!("{}\nconsumers: {}", self.message, self.consumers.join(", "))
        }
    }

    /// Identifies the finding across runs even when lines move: its rule,
    /// file, subject and message hashed (SHA-256, hex).
    pub fn fingerprint(&self) -> String {
        let mut hash = Sha256::new();
        for part in [&self.rule, &self.path, &self.case, &self.message] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
        hash.finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect()
    }
}

/// A group of test cases: the catalog or stream a run read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suite {
    /// The file it stands for.
    pub name: String,
    /// Every case, passing ones included: the events it holds.
    pub cases: Vec<String>,
}

/// What one command found, ready for any form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Findings {
    /// `evcat check`, `evcat diff`, `evcat validate`.
    pub command: String,
    /// Every rule the command checks, found or not, in a fixed order.
    pub rules: Vec<RuleInfo>,
    /// The test cases, suite by suite (JUnit).
    pub suites: Vec<Suite>,
    /// Each finding, in the order the human form prints them.
    pub findings: Vec<Finding>,
}

impl Findings {
    /// The findings in `format`; `None` for the human and JSON forms,
    /// which each command writes itself.
    pub fn render(&self, format: Format) -> Option<String> {
        match format {
            Format::Human | Format::Json => None,
            Format::Github => Some(github::render(self)),
            Format::Sarif => Some(sarif::render(self)),
            Format::Gitlab => Some(gitlab::render(self)),
            Format::Junit => Some(junit::render(self)),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `path` relative to the working folder when it lies below it, with `/`
/// between its parts: how every form names files.
pub fn relative_path(path: &str) -> String {
    let as_path = std::path::Path::new(path);
    let relative = match std::env::current_dir() {
        Ok(cwd) if as_path.is_absolute() => as_path.strip_prefix(&cwd).unwrap_or(as_path),
        _ => as_path,
    };
    let text = relative.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}
