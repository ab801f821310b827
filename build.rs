//! Generates the domain-events crate from `contracts/` with evcat.
//!
//! Outputs go to `generated/` (checked in, so type changes show in review);
//! a file is rewritten only when its content changes, so builds do not loop.

use std::process::exit;

fn main() {
    println!("cargo:rerun-if-changed=contracts");
    println!("cargo:rerun-if-changed=generated");
    let builder = evcat::Builder::new("contracts/catalog.md");
    let result = builder.generate().and_then(|generated| {
        for warning in generated
            .warnings
            .lines()
            .filter(|line| !line.trim().is_empty())
        {
            println!("cargo:warning={warning}");
        }
        generated.write_changed("generated")
    });
    if let Err(error) = result {
        eprintln!("{error}");
        exit(1);
    }
}
