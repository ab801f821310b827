//! Compatibility modes, as schema registries name them (Confluent's
//! `BACKWARD`, `FORWARD`, `FULL`, each also `_TRANSITIVE`, and `NONE`),
//! and how a change's two verdicts — new readers of old events, old
//! readers of new events — become one under a mode.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use super::Compatibility;

/// Which readers must keep reading which events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// No check: every change is compatible.
    None,
    /// Readers on the new version read events written with the previous
    /// one (consumers upgrade first).
    Backward,
    /// [`Mode::Backward`] against every published version, not only the
    /// previous one.
    BackwardTransitive,
    /// Readers on the previous version read events written with the new one
    /// (producers upgrade first).
    Forward,
    /// [`Mode::Forward`] against every published version.
    ForwardTransitive,
    /// Both: backward and forward.
    Full,
    /// [`Mode::Full`] against every published version.
    FullTransitive,
}

impl Mode {
    /// Every mode, in the order the documentation lists them.
    pub const ALL: [Mode; 7] = [
        Self::None,
        Self::Backward,
        Self::BackwardTransitive,
        Self::Forward,
        Self::ForwardTransitive,
        Self::Full,
        Self::FullTransitive,
    ];

    /// Its name in evcat.toml, catalogs and `--mode`: `backward_transitive`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Backward => "backward",
            Self::BackwardTransitive => "backward_transitive",
            Self::Forward => "forward",
            Self::ForwardTransitive => "forward_transitive",
            Self::Full => "full",
            Self::FullTransitive => "full_transitive",
        }
    }

    /// Whether every published version is compared, not only the last.
    pub fn is_transitive(self) -> bool {
        matches!(
            self,
            Self::BackwardTransitive | Self::ForwardTransitive | Self::FullTransitive
        )
    }

    /// Which directions the mode checks: (backward, forward).
    pub fn directions(self) -> (bool, bool) {
        match self {
            Self::None => (false, false),
            Self::Backward | Self::BackwardTransitive => (true, false),
            Self::Forward | Self::ForwardTransitive => (false, true),
            Self::Full | Self::FullTransitive => (true, true),
        }
    }

    /// The verdict under this mode of a change judged both ways.
    pub fn verdict(self, backward: Compatibility, forward: Compatibility) -> Compatibility {
        let (checks_backward, checks_forward) = self.directions();
        let counted = |checked: bool, verdict: Compatibility| {
            if checked {
                verdict
            } else {
                Compatibility::Compatible
            }
        };
        counted(checks_backward, backward).max(counted(checks_forward, forward))
    }
}

impl FromStr for Mode {
    type Err = String;

    /// A mode by its name, in any case, `-` or `_` between words
    /// (`BACKWARD_TRANSITIVE` as a registry writes it, too).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let normal = text.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|mode| mode.as_str() == normal)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|mode| mode.as_str()).collect();
                format!(
                    "`{text}` is not a compatibility mode; use one of {}",
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How an object that accepts members it does not declare (an open
/// content model) is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContentModel {
    /// As its published JSON Schema says, the way schema registries judge
    /// it: an open object's events may hold any member, so a property added
    /// to it may clash with one written before (Confluent's
    /// `PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL`).
    Published,
    /// As the catalog declares it: producers write the declared fields only
    /// (the generated types do), so adding an optional field is compatible
    /// whether or not the object is closed. evcat's verdicts when no mode is
    /// configured.
    Declared,
}

/// The question a diff answers: a mode, and how open objects are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Which readers must keep reading which events.
    pub mode: Mode,
    /// How open objects are read.
    pub content: ContentModel,
}

impl Policy {
    /// evcat's policy without a configured mode: full compatibility, the
    /// catalog's declared fields.
    pub const DEFAULT: Policy = Policy {
        mode: Mode::Full,
        content: ContentModel::Declared,
    };

    /// A mode as a registry judges it (open content model included).
    pub fn registry(mode: Mode) -> Self {
        Self {
            mode,
            content: ContentModel::Published,
        }
    }
}

impl Default for Policy {
    fn default() -> Self {
        Self::DEFAULT
    }
}
