//! The whole of a crate's `build.rs`: `evcat::Build::new().run()`.

use std::path::{Path, PathBuf};

use crate::builder::Error;
use crate::project::Project;
use crate::report::Format;

/// The command that brings `generated/` up to date, for the stale report.
const FIX: &str = "env -u CI -u EVCAT_CHECK cargo build";

/// Generates a crate's events from its contracts folder, for `build.rs`.
///
/// ```no_run
/// // The body of build.rs's `main`.
/// evcat::Build::new().run();
/// ```
///
/// Reads `contracts/` (one `catalog.md`, or a folder per catalog) and
/// keeps `generated/` up to date: a file is rewritten only when its content
/// changes, so builds do not loop. Each catalog is held to its baseline,
/// `generated/catalog.lock.json`: a breaking change the catalog does not
/// declare fails the build.
///
/// With `CI=true` or `EVCAT_CHECK=1` nothing is written, and the build
/// fails when `generated/` is not what `contracts/` produce. A packaged copy
/// of the crate (one that `cargo package` made, as a registry serves it) is
/// never written to: it compiles the outputs it was published with, and a
/// difference is a warning, since the evcat a dependent resolves may print
/// them differently.
#[derive(Debug, Clone)]
pub struct Build {
    contracts: PathBuf,
    generated: PathBuf,
}

/// What a build does with `generated/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildMode {
    /// Write the files that changed.
    Write,
    /// Write nothing; differences fail the build.
    Check,
    /// Write nothing; differences are warnings.
    Packaged,
}

impl Default for Build {
    fn default() -> Self {
        Self::new()
    }
}

impl Build {
    /// `contracts/` in, `generated/` out, relative to the crate's folder.
    pub fn new() -> Self {
        Self {
            contracts: PathBuf::from("contracts"),
            generated: PathBuf::from("generated"),
        }
    }

    /// The folder holding `catalog.md` (or a folder per catalog).
    pub fn contracts(mut self, folder: impl Into<PathBuf>) -> Self {
        self.contracts = folder.into();
        self
    }

    /// The folder the outputs are kept in (and checked in from).
    pub fn generated(mut self, folder: impl Into<PathBuf>) -> Self {
        self.generated = folder.into();
        self
    }

    /// Runs the build as cargo's build script: tells cargo what to watch,
    /// passes warnings on, and on an error prints every diagnostic and
    /// exits with status 1.
    pub fn run(&self) {
        println!("cargo:rerun-if-changed={}", self.contracts.display());
        println!("cargo:rerun-if-changed={}", self.generated.display());
        println!("cargo:rerun-if-env-changed=CI");
        println!("cargo:rerun-if-env-changed=EVCAT_CHECK");
        println!("cargo:rerun-if-env-changed=EVCAT_FORMAT");
        let github = match std::env::var("EVCAT_FORMAT") {
            Err(_) => false,
            Ok(name) if name.is_empty() => false,
            Ok(name) => match name.parse::<Format>() {
                Ok(Format::Github) => true,
                Ok(Format::Human) => false,
                Ok(_) => {
                    println!(
                        "cargo:warning=EVCAT_FORMAT={name}: a build prints its errors as `human` or `github`"
                    );
                    false
                }
                Err(problem) => {
                    println!("cargo:warning=EVCAT_FORMAT: {problem}");
                    false
                }
            },
        };
        let mode = BuildMode::from_environment();
        match self.run_in(mode) {
            Ok(warnings) => {
                for warning in warnings {
                    println!("cargo:warning={warning}");
                }
            }
            Err(error) => {
                eprintln!("{error}");
                // Workflow commands after the report: the runner turns them
                // into annotations on the files, cargo's log keeps the rest.
                if github {
                    eprint!("{}", github_commands(&error));
                }
                std::process::exit(1);
            }
        }
    }

    /// The build in the given mode: the warning lines for cargo, or the error.
    pub fn run_in(&self, mode: BuildMode) -> Result<Vec<String>, Error> {
        let generated = Project::new(&self.contracts)
            .baselines_in(&self.generated)
            .generate();
        let generated = match (generated, mode) {
            (Ok(generated), _) => generated,
            (Err(error), BuildMode::Packaged) => {
                return Ok(vec![format!(
                    "evcat could not regenerate this packaged crate's outputs; building the ones it shipped: {}",
                    first_line(&error.to_string())
                )])
            }
            (Err(error), _) => return Err(error),
        };
        let mut warnings: Vec<String> = generated
            .warnings
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(str::to_owned)
            .collect();
        match mode {
            BuildMode::Write => {
                generated.write_changed(&self.generated)?;
            }
            BuildMode::Check => generated.check_fresh(&self.generated, FIX)?,
            BuildMode::Packaged => {
                if let Err(stale) = generated.check_fresh(&self.generated, FIX) {
                    warnings.push(format!(
                        "this packaged crate's {} differs from what this evcat generates; building the shipped files: {}",
                        self.generated.display(),
                        first_line(&stale.to_string())
                    ));
                }
            }
        }
        Ok(warnings)
    }
}

/// A build's error as GitHub workflow commands, one per finding.
pub fn github_commands(error: &Error) -> String {
    let findings = match error {
        Error::Input(report) => report.findings(&[]).0,
        Error::Stale { findings, .. } => findings.clone(),
        Error::Io { path, source } => vec![crate::report::Finding {
            rule: "input".to_owned(),
            level: crate::report::Level::Error,
            message: source.to_string(),
            path: crate::report::relative_path(&path.display().to_string()),
            region: None,
            case: path.display().to_string(),
            consumers: Vec::new(),
        }],
    };
    let findings = crate::report::Findings {
        command: "cargo build".to_owned(),
        rules: Vec::new(),
        suites: Vec::new(),
        findings,
    };
    findings
        .render(Format::Github)
        .expect("the github form renders")
}

impl BuildMode {
    /// `Check` under `CI=true` or `EVCAT_CHECK=1`, `Packaged` in a copy
    /// `cargo package` made, else `Write`.
    pub fn from_environment() -> Self {
        let check = std::env::var("CI").is_ok_and(|value| value == "true")
            || std::env::var("EVCAT_CHECK").is_ok_and(|value| value == "1");
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        if manifest_dir.as_deref().is_some_and(is_packaged) {
            BuildMode::Packaged
        } else if check {
            BuildMode::Check
        } else {
            BuildMode::Write
        }
    }
}

/// `cargo package` keeps the author's manifest beside the normalized one.
fn is_packaged(crate_dir: &Path) -> bool {
    crate_dir.join("Cargo.toml.orig").is_file()
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}
