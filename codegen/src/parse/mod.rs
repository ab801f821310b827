//! Reading the inputs into the IR.

mod catalog;
pub mod config;
mod conventions;
pub mod data_model;
mod documents;
mod enums;
mod envelope;
mod fields;
mod hints;
mod json;
mod json_catalog;
mod markdown;
mod naming;
mod resolve;
mod roles;
mod suggest;
mod text;
mod transitions;
mod type_expr;

pub use conventions::{
    conventional_type, own_id_field, AGGREGATE_ID_FIELD, AGGREGATE_TYPE_FIELD, TYPE_NAMES,
};
pub use json::parse_strict_json;
pub use suggest::closest as closest_name;

use crate::diagnostics::Diagnostic;
use crate::ir::{Catalog, FileId};
use crate::source::Sources;

/// The files of one catalog, already added to a [`Sources`].
#[derive(Debug, Clone, Copy)]
pub struct InputFiles {
    pub catalog: FileId,
    /// The envelope's JSON Schema; `None` when the catalog gives its own.
    pub envelope: Option<FileId>,
    pub data_model: Option<FileId>,
}

/// Whether a catalog carries its own envelope (the JSON-payload dialect),
/// so no envelope schema file is needed.
pub fn has_own_envelope(catalog: &str) -> bool {
    json_catalog::is_json_catalog(catalog)
}

/// Parses and resolves one catalog. Every problem found is pushed to
/// `diagnostics`; the IR is returned only when there were no errors.
pub fn parse(
    sources: &mut Sources,
    files: InputFiles,
    config: &config::Config,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Catalog> {
    let declared = &config.declared;
    let mut errors = Vec::new();
    // The schema files first: the files `$ref`s lead to join the run's
    // sources, so what is wrong in them is shown where it is.
    let catalog_dir = std::path::Path::new(&sources.get(files.catalog).name)
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .map_or_else(|| std::path::PathBuf::from("."), std::path::Path::to_owned);
    let roots: Vec<FileId> = files.envelope.into_iter().collect();
    let documents = documents::Documents::load(sources, &roots, &catalog_dir, &mut errors);
    let sources: &Sources = sources;
    let asts = documents::Asts::parse(&documents, sources);
    let schemas = envelope::SchemaFiles {
        sources,
        documents: &documents,
        asts: &asts,
    };
    let mut enums = enums::EnumTable::default();
    // The envelope's nested objects come first among the catalog's types.
    let mut structs = Vec::new();
    let envelope = files.envelope.and_then(|file| {
        envelope::parse_envelope(
            file,
            &schemas,
            declared,
            &mut enums,
            &mut structs,
            &mut errors,
        )
    });
    let catalog_text = sources.text(files.catalog);
    let (raw, own_envelope) = if json_catalog::is_json_catalog(catalog_text) {
        json_catalog::parse_json_catalog(files.catalog, catalog_text, &mut errors)
    } else {
        (
            catalog::parse_catalog(files.catalog, catalog_text, &mut errors),
            None,
        )
    };
    let data_model = files
        .data_model
        .map(|file| data_model::parse_data_model(file, sources.text(file), &mut errors));
    let mut resolver = resolve::Resolver {
        shared_type_names: Default::default(),
        catalog_file: files.catalog,
        source_name: sources.get(files.catalog).name.clone(),
        data_model: data_model.as_ref(),
        enums,
        structs,
        named: Default::default(),
        errors: &mut errors,
    };
    // An envelope schema file, when given, wins over the catalog's own block.
    let envelope = match (envelope, own_envelope) {
        (Some(envelope), _) => Some(envelope),
        (None, Some(own)) if files.envelope.is_none() => resolver.envelope(own, declared),
        (None, _) => None,
    };
    let mut catalog = resolver.resolve(raw, envelope);
    if let Some(catalog) = &mut catalog {
        naming::name_members(config, catalog, &mut errors);
        naming::lint(&config.lint, catalog, &mut errors);
    }
    if let (Some(model), Some(catalog)) = (&data_model, &catalog) {
        errors.extend(crate::check::data_model_agrees(model, catalog));
    }
    if let Some(catalog) = &catalog {
        errors.extend(crate::check::states_are_status_values(catalog));
    }
    let failed = errors.iter().any(Diagnostic::is_error);
    diagnostics.extend(errors);
    catalog.filter(|_| !failed)
}
