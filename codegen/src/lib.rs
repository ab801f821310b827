//! evcat: a Markdown event catalog in, typed events out.
//!
//! The pipeline is parse → IR → backends: [`parse`] reads catalog.md, the
//! envelope schema and the data model into an [`ir::Catalog`]; each module
//! of [`emit`] turns that IR, and only that, into one kind of output.
//! [`Builder`] is the whole surface a `build.rs` or the CLI needs.
//!
//! ```no_run
//! // build.rs
//! evcat::Builder::new("contracts/catalog.md")
//!     .generate()
//!     .and_then(|generated| generated.write_changed("generated"))
//!     .unwrap_or_else(|error| {
//!         eprintln!("{error}");
//!         std::process::exit(1);
//!     });
//! ```

mod builder;
pub mod check;
pub mod contract;
pub mod diagnostics;
pub mod emit;
pub mod ident;
pub mod ir;
mod output;
pub mod parse;
mod project;
pub mod source;
pub mod stream;
pub mod synthetic;

pub use builder::{Builder, Compiled, Error, Generated};
pub use project::{Project, ProjectCatalog};
