//! What kind of check a finding comes from: a stable id and a sentence,
//! for reports that group findings by rule (SARIF's `ruleId`, GitLab's
//! `check_name`, GitHub's annotation title).

use std::fmt;

/// The check a [`Diagnostic`](super::Diagnostic) comes from. Ids never
/// change meaning once published: CI systems key suppressions and
/// fingerprints on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A file is missing, unreadable or not UTF-8.
    Input,
    /// The catalog's own structure.
    Catalog,
    /// Field types and the names they refer to.
    Types,
    /// Names as the generated code spells them.
    Naming,
    /// A JSON Schema evcat reads: the envelope, a `Schema:` payload.
    Schema,
    /// `evcat.toml`.
    Config,
    /// The data model against the catalog.
    DataModel,
    /// Lifecycles and their status values.
    Lifecycle,
    /// Example files and the examples evcat makes up.
    Example,
    /// The catalog against its baseline lock.
    Baseline,
}

impl Rule {
    /// Every rule, in the order reports list them.
    pub const ALL: [Rule; 10] = [
        Self::Input,
        Self::Catalog,
        Self::Types,
        Self::Naming,
        Self::Schema,
        Self::Config,
        Self::DataModel,
        Self::Lifecycle,
        Self::Example,
        Self::Baseline,
    ];

    /// The rule's stable id: `catalog`, `data-model`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Input => "input",
            Self::Catalog => "catalog",
            Self::Types => "types",
            Self::Naming => "naming",
            Self::Schema => "schema",
            Self::Config => "config",
            Self::DataModel => "data-model",
            Self::Lifecycle => "lifecycle",
            Self::Example => "example",
            Self::Baseline => "baseline",
        }
    }

    /// What the rule checks, in a sentence.
    pub fn description(self) -> &'static str {
        match self {
            Self::Input => "Every input file exists, can be read and is UTF-8 text.",
            Self::Catalog => {
                "The catalog is well formed: families, events, bullets, field lists, enums and transitions as its dialect writes them."
            }
            Self::Types => {
                "Every field type is known, every referenced type and event is defined once, and payloads fit their events."
            }
            Self::Naming => {
                "Names become distinct, valid identifiers in every generated language, and follow the configured lints."
            }
            Self::Schema => {
                "The envelope schema and `Schema:` payloads are valid JSON Schema that evcat can represent, with references that resolve."
            }
            Self::Config => "evcat.toml is valid: known keys, roles that name envelope properties, outbox settings.",
            Self::DataModel => "The data model agrees with the catalog's events and fields.",
            Self::Lifecycle => "Lifecycle transitions use the status values their aggregate declares.",
            Self::Example => {
                "Example files exist, are valid for their event, and an example can be made up for every event."
            }
            Self::Baseline => {
                "Breaking changes against the baseline lock (catalog.lock.json) are declared by a new major version or a new name."
            }
        }
    }

    /// A finding of this rule that stops the run.
    pub(crate) fn error(
        self,
        span: crate::ir::Span,
        message: impl Into<String>,
    ) -> super::Diagnostic {
        super::Diagnostic::new(self, super::Severity::Error, span, message.into())
    }

    /// A finding of this rule that the run prints and goes on.
    pub(crate) fn warning(
        self,
        span: crate::ir::Span,
        message: impl Into<String>,
    ) -> super::Diagnostic {
        super::Diagnostic::new(self, super::Severity::Warning, span, message.into())
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}
