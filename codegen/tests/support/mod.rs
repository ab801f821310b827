//! Scratch crates for tests that must compile what evcat emits.

#![allow(dead_code)] // each test binary uses part of this module

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The workspace root (the folder of the root `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen sits in the workspace")
        .to_owned()
}

/// A fresh folder for a scratch crate, under cargo's temporary target folder.
pub fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("can create a scratch folder");
    dir
}

/// What every nested build is compiled with, whatever its manifest says (the
/// workspace's packaged manifest asks for optimized evcat, `evcat init`'s for
/// an optimized build script): no optimization and no debug info. Nested
/// builds check that crates package, build and pass their tests; how fast
/// evcat generates is BENCHMARKS.md's business. Configuration takes
/// precedence over manifests; one set of flags also lets every nested build
/// share the dependencies compiled into one target folder.
const NESTED_PROFILE: &[&str] = &[
    "profile.dev.opt-level=0",
    "profile.dev.debug=false",
    "profile.dev.build-override.opt-level=0",
    "profile.dev.build-override.debug=false",
    "profile.dev.package.\"*\".opt-level=0",
    "profile.dev.package.\"*\".debug=false",
    "profile.dev.package.evcat.opt-level=0",
    "profile.dev.package.evcat.debug=false",
];

/// The target folder every nested build shares (scratch crates, packaging,
/// the crates `evcat init` makes), so each dependency is compiled once.
pub fn scratch_target() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch-target")
}

/// Runs cargo in `dir` with a target folder shared by all scratch crates, so
/// serde is compiled once, and the workspace's lock file, so versions match.
pub fn cargo(dir: &Path, args: &[&str], envs: &[(&str, &str)]) -> Output {
    let lock = workspace_root().join("Cargo.lock");
    if !dir.join("Cargo.lock").exists() {
        std::fs::copy(lock, dir.join("Cargo.lock")).expect("can copy Cargo.lock");
    }
    let mut command = Command::new(env!("CARGO"));
    command
        .arg(args[0])
        .arg("--offline")
        .args(
            NESTED_PROFILE
                .iter()
                .flat_map(|setting| ["--config", setting]),
        )
        .args(&args[1..])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", scratch_target())
        .env_remove("CARGO_MAKEFLAGS")
        // The project's build.rs only checks under CI; tests choose the mode.
        .env_remove("CI")
        .env_remove("EVCAT_CHECK")
        .env_remove("RUSTFLAGS");
    for (key, value) in envs {
        command.env(key, value);
    }
    command.output().expect("cargo runs")
}

pub fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n--- stdout\n{}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

pub fn write(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("can create folders");
    }
    std::fs::write(path, contents).expect("can write");
}

/// Copies the folder `from` into `to` (which exists), subfolders included.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("readable folder") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("named"));
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("folder");
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}
