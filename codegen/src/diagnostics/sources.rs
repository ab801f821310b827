//! The files of one run, and how a file's bytes become text.

use super::{Diagnostic, Rule};
use crate::ir::{FileId, Span};

/// One input file as the user named it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as given on the command line or by build.rs.
    pub name: String,
    pub text: String,
}

/// Every file read in a run; diagnostics refer to them by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file's bytes. Invalid UTF-8 yields the file (with replacement
    /// characters, so the error can show its line) and a diagnostic at the
    /// first invalid byte.
    pub fn add_bytes(
        &mut self,
        name: impl Into<String>,
        bytes: Vec<u8>,
    ) -> (FileId, Option<Diagnostic>) {
        match String::from_utf8(bytes) {
            Ok(text) => (self.add(name, text), None),
            Err(error) => {
                let valid_up_to = error.utf8_error().valid_up_to();
                let invalid_len = error.utf8_error().error_len().unwrap_or(1);
                let text = String::from_utf8_lossy(error.as_bytes()).into_owned();
                let id = self.add(name, text);
                let span = Span {
                    file: id,
                    start: valid_up_to,
                    end: valid_up_to + 1,
                };
                let diagnostic = Rule::Input
                    .error(
                        span,
                        format!("the file is not valid UTF-8 ({invalid_len} invalid byte(s) here)"),
                    )
                    .with_help("save the file as UTF-8");
                (id, Some(diagnostic))
            }
        }
    }

    pub fn add(&mut self, name: impl Into<String>, text: String) -> FileId {
        self.files.push(SourceFile {
            name: name.into(),
            text,
        });
        FileId(self.files.len() - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0]
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.files[id.0].text
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(index, file)| (FileId(index), file))
    }
}
