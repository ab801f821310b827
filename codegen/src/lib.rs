//! evcat: a Markdown event catalog in, typed events out.
//!
//! A catalog (`catalog.md`), the envelope its events travel in
//! (`envelope.schema.json`) and optionally a data model and an
//! `evcat.toml` are read into one intermediate representation, [`ir`],
//! and every output is a function of it: Rust types, JSON Schemas, an npm
//! package with zod validators, an AsyncAPI document, a catalog page and a
//! lock of the published contract.
//!
//! - [`Build`] is the whole of a crate's `build.rs`: it generates in
//!   development, and in CI fails when the checked-in outputs are stale.
//! - [`Builder`] reads one catalog: [`Builder::compile`] checks it into a
//!   [`Compiled`] catalog, [`Builder::generate`] makes every output in
//!   memory ([`Generated`]); [`Project`] does the same for a folder of
//!   catalogs.
//! - A run whose inputs have errors returns [`Error::Input`] with a
//!   [`diagnostics::Report`]: every finding with its file and position.
//! - [`contract`] compares two versions of a catalog; [`stream`] checks a
//!   stream of events against one.
//!
//! ```no_run
//! // The body of build.rs's `main`: contracts/ in, generated/ (checked in)
//! // kept up to date.
//! evcat::Build::new().run();
//! ```

#![deny(missing_docs)]

mod build_script;
mod builder;
mod check;
pub mod contract;
pub mod diagnostics;
mod emit;
mod ident;
pub mod ir;
pub mod outbox;
mod output;
mod parse;
mod project;
pub mod report;
pub mod stream;
mod vocabulary;

pub use build_script::{Build, BuildMode};
pub use builder::{write_new_files, Builder, Compiled, Error, Generated};
pub use emit::GeneratedFile;
pub use ident::is_rust_keyword;
pub use project::{Project, ProjectCatalog};
