//! Backends: each a function of the IR alone.

pub mod json_schema;
pub mod markdown;
pub mod rust;
pub mod typescript;

use crate::ir::Catalog;

/// One output file, with its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// Every output of a catalog, in a fixed order.
pub fn generate(catalog: &Catalog) -> Vec<GeneratedFile> {
    let mut files = vec![GeneratedFile {
        path: "rust/events.rs".to_owned(),
        contents: rust::generate(catalog),
    }];
    files.extend(json_schema::generate(catalog));
    files.push(typescript::generate(catalog));
    files
}
