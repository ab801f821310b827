//! Backends: each a function of the IR alone.

pub mod asyncapi;
pub mod examples;
pub mod html;
pub mod json_schema;
pub mod markdown;
pub mod rust;
pub mod sql;
pub mod typescript;
pub mod yaml;
pub mod zod;

use serde_json::Value;

use crate::ir::Catalog;

/// The catalog's file name alone, for "generated from" headers and
/// messages: outputs must not depend on where the catalog was on the
/// machine that generated them.
pub fn source_file_name(catalog: &Catalog) -> &str {
    let path = catalog.source_name.as_str();
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// One output file, with its path relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Where it goes, relative to the output folder (`schemas/OrderPlaced.schema.json`).
    pub path: String,
    /// Its text.
    pub contents: String,
}

/// Every output of a catalog, in a fixed order, with its synthesized
/// example envelopes (see [`examples`]; compiling makes them, once). The Rust backend spreads its
/// items over the cores; the other backends run one after the other on a
/// thread of their own beside it, so the cores stay busy while Rust's
/// largest items are printed (BENCHMARKS.md).
pub fn generate(catalog: &Catalog, synthesized: &[(String, Value)]) -> Vec<GeneratedFile> {
    let (rust, others) = std::thread::scope(|scope| {
        let others = scope.spawn(|| other_outputs(catalog, synthesized));
        let rust = GeneratedFile {
            path: "rust/events.rs".to_owned(),
            contents: rust::generate(catalog),
        };
        (rust, others.join().expect("the backends do not panic"))
    });
    let mut files = vec![rust];
    files.extend(others);
    files
}

/// Every output but the Rust module, in order.
fn other_outputs(catalog: &Catalog, synthesized: &[(String, Value)]) -> Vec<GeneratedFile> {
    let mut files = json_schema::generate(catalog);
    files.push(typescript::generate(catalog));
    files.extend(zod::generate(catalog));
    files.extend(examples::files(catalog, synthesized));
    files.push(asyncapi::generate(catalog, synthesized));
    files.push(html::generate(catalog, synthesized));
    files.push(sql::generate(catalog));
    // The baseline the next build's compatibility check compares with.
    files.push(GeneratedFile {
        path: crate::contract::LOCK_FILE.to_owned(),
        contents: crate::contract::Contract::of(catalog).to_lock(),
    });
    files
}
