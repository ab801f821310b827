//! The library's test helpers, and the `evcat` binary this package builds.

#![allow(dead_code)] // each test binary uses part of this module

use std::path::Path;
use std::process::{Command, Output};

#[path = "../../../codegen/tests/support/mod.rs"]
mod library;

pub use library::*;

/// The `evcat` binary of this build, run in `dir`.
pub fn evcat(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_evcat"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("evcat runs")
}

/// The library's package folder, whose tests/ hold the fixtures and the
/// bad inputs these tests run the command on.
pub fn library_dir() -> std::path::PathBuf {
    workspace_root().join("codegen")
}
