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

use conventions::own_id_field;
pub use json::parse_strict_json;
pub use suggest::closest as closest_name;

use crate::diagnostics::Sources;
use crate::diagnostics::{Diagnostic, Rule};
use crate::ir::{Catalog, FileId};

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
/// `diagnostics`; the IR is returned whenever it could be resolved.
pub fn parse(
    sources: &mut Sources,
    files: InputFiles,
    config: &config::Config,
    module: Option<&str>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Parsed> {
    let declared = &config.declared;
    let mut errors = Vec::new();
    let (raw, own_envelope) = {
        let catalog_text = sources.text(files.catalog);
        if json_catalog::is_json_catalog(catalog_text) {
            json_catalog::parse_json_catalog(files.catalog, catalog_text, &mut errors)
        } else {
            (
                catalog::parse_catalog(files.catalog, catalog_text, &mut errors),
                None,
            )
        }
    };
    // The schema files next: the envelope's, the payloads' (`Schema:`) and
    // the files their `$ref`s lead to join the run's sources, so what is
    // wrong in them is shown where it is.
    let catalog_dir = std::path::Path::new(&sources.get(files.catalog).name)
        .parent()
        .filter(|dir| !dir.as_os_str().is_empty())
        .map_or_else(|| std::path::PathBuf::from("."), std::path::Path::to_owned);
    let payload_files = payload_schema_files(sources, &raw, &catalog_dir, &mut errors);
    let mut roots: Vec<FileId> = files.envelope.into_iter().collect();
    roots.extend(payload_files.values().copied());
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
    let mut types = envelope::SchemaTypes::default();
    // A definition named like an event's type, or like an item every
    // generated module has, is named after its field instead.
    types.reserved = ["DomainEvent", "Envelope", "Event", "Violation"]
        .into_iter()
        .map(str::to_owned)
        .chain(
            raw.families
                .iter()
                .flat_map(|family| &family.events)
                .map(|event| resolve::type_name_of(&event.name)),
        )
        .collect();
    let envelope = files.envelope.and_then(|file| {
        envelope::parse_envelope(
            file,
            &schemas,
            declared,
            &mut enums,
            &mut types,
            &mut errors,
        )
    });
    let payloads = payload_schemas(
        &raw,
        &payload_files,
        &schemas,
        envelope.as_ref(),
        &mut enums,
        &mut types,
        &mut errors,
    );
    let data_model = files
        .data_model
        .map(|file| data_model::parse_data_model(file, sources.text(file), &mut errors));
    let mut resolver = resolve::Resolver {
        shared_type_names: Default::default(),
        catalog_file: files.catalog,
        source_name: sources.get(files.catalog).name.clone(),
        data_model: data_model.as_ref(),
        enums,
        structs: types.structs,
        unions: types.unions,
        named: Default::default(),
        payloads,
        module: module.map(str::to_owned),
        package: &config.package,
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
        catalog.outbox = config.outbox.outbox(catalog.module.as_deref());
        catalog.compatibility = config.compatibility;
        config::check_outbox_layout(catalog, config.outbox.layout_span, &mut errors);
    }
    diagnostics.extend(errors);
    catalog.map(|catalog| Parsed {
        catalog,
        data_model,
    })
}

/// What parsing read: the catalog, resolved (with errors, when there were
/// some: the checks across documents still read it), and the data model.
pub struct Parsed {
    pub catalog: Catalog,
    pub data_model: Option<data_model::DataModel>,
}

/// The files `Schema:` bullets name, read into the sources, by the path as
/// written (without the `#pointer`); a file that cannot be read is an error
/// at its bullet.
fn payload_schema_files(
    sources: &mut Sources,
    raw: &catalog::RawCatalog,
    catalog_dir: &std::path::Path,
    errors: &mut Vec<Diagnostic>,
) -> std::collections::BTreeMap<String, FileId> {
    let mut files = std::collections::BTreeMap::new();
    for event in raw.families.iter().flat_map(|family| &family.events) {
        let Some((written, span)) = &event.schema else {
            continue;
        };
        let path = written.split('#').next().unwrap_or_default();
        if files.contains_key(path) || path.is_empty() {
            continue;
        }
        // As the user named the catalog: `schemas/x.json` beside a bare `catalog.md`.
        let full = if catalog_dir == std::path::Path::new(".") {
            std::path::PathBuf::from(path)
        } else {
            catalog_dir.join(path)
        };
        match std::fs::read(&full) {
            Ok(bytes) => {
                let (file, utf8_error) = sources.add_bytes(full.display().to_string(), bytes);
                errors.extend(utf8_error);
                files.insert(path.to_owned(), file);
            }
            Err(error) => errors.push(
                Rule::Input.error(
                    *span,
                    match error.kind() {
                        std::io::ErrorKind::NotFound => {
                            format!("there is no schema `{path}` beside the catalog")
                        }
                        _ => format!("cannot read the schema `{path}`: {error}"),
                    },
                )
                    .with_help("name a JSON Schema file by its path from the catalog's folder, with a `#/pointer` to a definition inside it if needed"),
            ),
        }
    }
    files
}

/// Each `Schema:` event's payload, read from its file, by event name.
fn payload_schemas(
    raw: &catalog::RawCatalog,
    files: &std::collections::BTreeMap<String, FileId>,
    schemas: &envelope::SchemaFiles<'_, '_>,
    parsed_envelope: Option<&crate::ir::Envelope>,
    enums: &mut enums::EnumTable,
    types: &mut envelope::SchemaTypes,
    errors: &mut Vec<Diagnostic>,
) -> std::collections::BTreeMap<String, envelope::PayloadSchema> {
    let shared = resolve::shared_type_names(raw);
    let mut payloads = std::collections::BTreeMap::new();
    for family in &raw.families {
        for event in &family.events {
            let Some((written, span)) = &event.schema else {
                continue;
            };
            let (path, fragment) = written.split_once('#').unwrap_or((written, ""));
            let Some(&file) = files.get(path) else {
                continue;
            };
            let prefix = resolve::type_prefix(&event.name, &family.name, &shared);
            // A flat event's schema is the whole event: the envelope's
            // members in it are the envelope's.
            let members = parsed_envelope
                .filter(|envelope| envelope.payload.is_none())
                .map(|envelope| envelope::SharedMembers {
                    fields: &envelope.fields,
                    discriminator: &envelope.discriminator,
                    wire_name: event
                        .wire_name
                        .as_ref()
                        .map_or_else(|| event.name.clone(), |(name, _)| name.clone()),
                    closed: envelope.closed,
                });
            let payload = envelope::read_payload(
                file,
                fragment,
                *span,
                &prefix,
                schemas,
                enums,
                types,
                members.as_ref(),
                errors,
            );
            if let Some(payload) = payload {
                payloads.insert(event.name.clone(), payload);
            }
        }
    }
    payloads
}
