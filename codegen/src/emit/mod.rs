//! Backends: each a function of the IR alone.

pub mod rust;

use crate::ir::Catalog;

/// One output file, with its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Every output of a catalog, in a fixed order.
pub fn generate(catalog: &Catalog) -> Vec<GeneratedFile> {
    vec![GeneratedFile {
        path: "rust/events.rs".to_owned(),
        contents: rust::generate(catalog),
    }]
}
