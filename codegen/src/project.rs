//! A folder of contracts: one catalog (`contracts/catalog.md`), or several
//! (`contracts/<name>/catalog.md`, each its own module and output folder).

use std::path::{Path, PathBuf};

use crate::builder::{Builder, Error, Generated};
use crate::diagnostics::Report;
use crate::emit::{rust, GeneratedFile};
use crate::ident;

/// Every catalog under a contracts folder, generated together.
#[derive(Debug, Clone)]
pub struct Project {
    contracts: PathBuf,
    /// The generated folder whose `catalog.lock.json` files are the baselines.
    baselines: Option<PathBuf>,
}

/// One catalog of a project: its module (none for a lone catalog) and builder.
#[derive(Debug, Clone)]
pub struct ProjectCatalog {
    /// Its module in the generated crate; `None` for a lone catalog.
    pub module: Option<String>,
    /// How its inputs are read.
    pub builder: Builder,
}

impl Project {
    /// The contracts folder: a `catalog.md` at its root, or one per subfolder.
    pub fn new(contracts: impl Into<PathBuf>) -> Self {
        Self {
            contracts: contracts.into(),
            baselines: None,
        }
    }

    /// Holds each catalog to its baseline lock in `generated` (the lone
    /// catalog's `generated/catalog.lock.json`, or `generated/<name>/…`):
    /// see [`Builder::baseline`].
    pub fn baselines_in(mut self, generated: impl Into<PathBuf>) -> Self {
        self.baselines = Some(generated.into());
        self
    }

    /// `contracts/catalog.md` alone, or every `contracts/<name>/catalog.md`
    /// in name order.
    pub fn catalogs(&self) -> Result<Vec<ProjectCatalog>, Error> {
        // `evcat check catalog.md`: one catalog is `--catalog`'s to name.
        if self.contracts.is_file() {
            let not_a_folder = std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "this is a file, not a contracts folder: name one catalog file with `--catalog`",
            );
            return Err(Error::Io {
                path: self.contracts.clone(),
                source: not_a_folder,
            });
        }
        let lone = self.contracts.join("catalog.md");
        if lone.is_file() {
            return Ok(vec![ProjectCatalog {
                module: None,
                builder: Builder::new(lone),
            }]);
        }
        let entries = std::fs::read_dir(&self.contracts).map_err(|source| Error::Io {
            path: self.contracts.clone(),
            source,
        })?;
        let mut folders: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| path.join("catalog.md").is_file())
            .collect();
        folders.sort();
        if folders.is_empty() {
            let missing = std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "no catalog.md here nor in any subfolder",
            );
            return Err(Error::Io {
                path: self.contracts.clone(),
                source: missing,
            });
        }
        Ok(folders
            .into_iter()
            .map(|folder| {
                let name = folder
                    .file_name()
                    .map(|name| name.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let module = ident::module_name(&name);
                ProjectCatalog {
                    builder: Builder::new(folder.join("catalog.md")).module(&module),
                    module: Some(module),
                }
            })
            .collect())
    }

    /// Every output of every catalog, plus `index.rs`, the Rust module that
    /// brings them in (`pub use` of the lone catalog, or a module each).
    /// Every catalog is compiled, so the report holds all their errors.
    pub fn generate(&self) -> Result<Generated, Error> {
        let catalogs = self.catalogs()?;
        let mut files = Vec::new();
        let mut warnings = String::new();
        let mut reports = Vec::new();
        // Each catalog of several, for the index page of their pages.
        let mut pages: Vec<(String, crate::ir::Catalog)> = Vec::new();
        for catalog in &catalogs {
            let mut builder = catalog.builder.clone();
            if let Some(generated) = &self.baselines {
                let folder = match &catalog.module {
                    Some(module) => generated.join(module),
                    None => generated.clone(),
                };
                builder = builder.baseline(folder.join(crate::contract::LOCK_FILE));
            }
            match builder.generate_with_catalog() {
                Ok((generated, catalog_ir)) => {
                    if let Some(module) = &catalog.module {
                        pages.push((module.clone(), catalog_ir));
                    }
                    warnings.push_str(&generated.warnings);
                    let prefix = catalog
                        .module
                        .as_ref()
                        .map_or_else(String::new, |module| format!("{module}/"));
                    files.extend(generated.files.into_iter().map(|file| GeneratedFile {
                        path: format!("{prefix}{}", file.path),
                        ..file
                    }));
                }
                Err(Error::Input(report)) => reports.push(report),
                Err(other) => return Err(other),
            }
        }
        if !reports.is_empty() {
            return Err(Error::Input(Report::merge(reports)));
        }
        let modules: Vec<Option<&str>> = catalogs
            .iter()
            .map(|catalog| catalog.module.as_deref())
            .collect();
        files.push(GeneratedFile {
            path: "index.rs".to_owned(),
            contents: rust::index(&modules),
        });
        if !pages.is_empty() {
            let listed: Vec<(&str, &crate::ir::Catalog)> = pages
                .iter()
                .map(|(module, catalog)| (module.as_str(), catalog))
                .collect();
            files.push(crate::emit::html::project_index(&listed));
        }
        Ok(Generated { files, warnings })
    }

    /// The folder, for `cargo:rerun-if-changed`.
    pub fn contracts(&self) -> &Path {
        &self.contracts
    }
}
