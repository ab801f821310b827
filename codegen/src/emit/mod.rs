//! Backends: each a function of the IR alone.

pub mod asyncapi;
pub mod examples;
pub mod html;
pub mod json_schema;
pub mod markdown;
pub mod rust;
pub mod typescript;
pub mod yaml;
pub mod zod;

use crate::diagnostics::Diagnostic;
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
    pub path: String,
    pub contents: String,
}

/// Every output of a catalog, in a fixed order; fails only when an example
/// cannot be synthesized (see [`examples`]). The Rust backend spreads its
/// items over the cores; the other backends run one after the other on a
/// thread of their own beside it, so the cores stay busy while Rust's
/// largest items are printed (BENCHMARKS.md).
pub fn generate(catalog: &Catalog) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    let (rust, others) = std::thread::scope(|scope| {
        let others = scope.spawn(|| other_outputs(catalog));
        let rust = GeneratedFile {
            path: "rust/events.rs".to_owned(),
            contents: rust::generate(catalog),
        };
        (rust, others.join().expect("the backends do not panic"))
    });
    let mut files = vec![rust];
    files.extend(others?);
    Ok(files)
}

/// Every output but the Rust module, in order.
fn other_outputs(catalog: &Catalog) -> Result<Vec<GeneratedFile>, Vec<Diagnostic>> {
    let mut files = json_schema::generate(catalog);
    files.push(typescript::generate(catalog));
    files.extend(zod::generate(catalog));
    let synthesized = examples::synthesize(catalog)?;
    files.extend(examples::files(catalog, &synthesized));
    files.push(asyncapi::generate(catalog, &synthesized));
    files.push(html::generate(catalog, &synthesized));
    // The baseline the next build's compatibility check compares with.
    files.push(GeneratedFile {
        path: crate::contract::LOCK_FILE.to_owned(),
        contents: crate::contract::Contract::of(catalog).to_lock(),
    });
    Ok(files)
}
