//! Compatibility modes, as schema registries name them (Confluent's
//! `BACKWARD`, `FORWARD`, `FULL`, each also `_TRANSITIVE`, and `NONE`): what
//! a catalog or an event declares; [`crate::contract`] judges by it.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

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
