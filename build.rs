//! Generates the domain-events crate from `contracts/` with evcat: one
//! catalog (`contracts/catalog.md`), or several (`contracts/<name>/`), each
//! then a module of the crate.
//!
//! Outputs go to `generated/` (checked in, so type changes show in review);
//! a file is rewritten only when its content changes, so builds do not loop.
//! With `CI=true` or `EVCAT_CHECK=1` nothing is written: the build fails when
//! `generated/` is not what `contracts/` produce.
//!
//! Either way, each catalog is held to its baseline,
//! `generated/catalog.lock.json`: a breaking change the catalog does not
//! declare (a new major version, or a new event name) fails the build.

use std::process::exit;

/// The command that brings `generated/` up to date, for the stale report.
const FIX: &str = "env -u CI -u EVCAT_CHECK cargo build";

fn main() {
    println!("cargo:rerun-if-changed=contracts");
    println!("cargo:rerun-if-changed=generated");
    println!("cargo:rerun-if-env-changed=CI");
    println!("cargo:rerun-if-env-changed=EVCAT_CHECK");
    let check_only = std::env::var("CI").is_ok_and(|value| value == "true")
        || std::env::var("EVCAT_CHECK").is_ok_and(|value| value == "1");
    let result = evcat::Project::new("contracts")
        .baselines_in("generated")
        .generate()
        .and_then(|generated| {
            for warning in generated
                .warnings
                .lines()
                .filter(|line| !line.trim().is_empty())
            {
                println!("cargo:warning={warning}");
            }
            if check_only {
                generated.check_fresh("generated", FIX)
            } else {
                generated.write_changed("generated").map(drop)
            }
        });
    if let Err(error) = result {
        eprintln!("{error}");
        exit(1);
    }
}
