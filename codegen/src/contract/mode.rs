//! How a change's two verdicts — new readers of old events, old readers of
//! new events — become one under a compatibility mode, and how open objects
//! are read ([`Policy`]).

use serde::Serialize;

pub use crate::ir::Mode;

use super::Compatibility;

/// The verdict under `mode` of a change judged both ways.
pub fn verdict(mode: Mode, backward: Compatibility, forward: Compatibility) -> Compatibility {
    let (checks_backward, checks_forward) = mode.directions();
    let counted = |checked: bool, verdict: Compatibility| {
        if checked {
            verdict
        } else {
            Compatibility::Compatible
        }
    };
    counted(checks_backward, backward).max(counted(checks_forward, forward))
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
