//! Generates the domain-events crate from `contracts/` with evcat: one
//! catalog (`contracts/catalog.md`), or several (`contracts/<name>/`), each
//! then a module of the crate. See `evcat::Build` for what it writes when.

fn main() {
    evcat::Build::new().run();
}
