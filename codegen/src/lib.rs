//! evcat: a Markdown event catalog in, typed events out.
//!
//! The pipeline is parse → IR → backends: [`parse`] reads catalog.md, the
//! envelope schema and the data model into an [`ir::Catalog`]; each module
//! of [`emit`] turns that IR, and only that, into one kind of output.
//! [`Build`] is the whole of a crate's `build.rs`; [`Builder`] and
//! [`Project`] are what it and the CLI are made of.
//!
//! ```no_run
//! // The body of build.rs's `main`: contracts/ in, generated/ (checked in)
//! // kept up to date.
//! evcat::Build::new().run();
//! ```

mod build_script;
mod builder;
pub mod check;
pub mod contract;
pub mod diagnostics;
pub mod emit;
pub mod ident;
pub mod init;
pub mod ir;
mod output;
pub mod parse;
mod project;
pub mod source;
pub mod stream;
pub mod synthetic;

pub use build_script::{Build, BuildMode};
pub use builder::{Builder, Compiled, Error, Generated};
pub use project::{Project, ProjectCatalog};
