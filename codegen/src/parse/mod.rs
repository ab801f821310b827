//! Reading the inputs into the IR.

mod catalog;
mod conventions;
pub mod data_model;
mod enums;
mod envelope;
mod fields;
mod json;
mod markdown;
mod resolve;
mod text;
mod type_expr;

pub use conventions::{conventional_type, TYPE_NAMES};
pub use json::parse_strict_json;

use crate::diagnostics::Diagnostic;
use crate::ir::{Catalog, FileId};
use crate::source::Sources;

/// The files of one catalog, already added to a [`Sources`].
#[derive(Debug, Clone, Copy)]
pub struct InputFiles {
    pub catalog: FileId,
    pub envelope: FileId,
    pub data_model: Option<FileId>,
}

/// Parses and resolves one catalog. Every problem found is pushed to
/// `diagnostics`; the IR is returned only when there were no errors.
pub fn parse(
    sources: &Sources,
    files: InputFiles,
    discriminator: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Catalog> {
    let mut errors = Vec::new();
    let mut enums = enums::EnumTable::default();
    let envelope = envelope::parse_envelope(
        files.envelope,
        sources.text(files.envelope),
        discriminator,
        &mut enums,
        &mut errors,
    );
    let raw = catalog::parse_catalog(files.catalog, sources.text(files.catalog), &mut errors);
    let data_model = files
        .data_model
        .map(|file| data_model::parse_data_model(file, sources.text(file), &mut errors));
    let resolver = resolve::Resolver {
        catalog_file: files.catalog,
        source_name: sources.get(files.catalog).name.clone(),
        data_model: data_model.as_ref(),
        enums,
        errors: &mut errors,
    };
    let catalog = resolver.resolve(raw, envelope);
    if let (Some(model), Some(catalog)) = (&data_model, &catalog) {
        errors.extend(crate::check::data_model_agrees(model, catalog));
    }
    let failed = errors.iter().any(Diagnostic::is_error);
    diagnostics.extend(errors);
    catalog.filter(|_| !failed)
}
