//! The JSON Schema files of a catalog: the envelope schema, the files its
//! `$ref`s lead to (relative paths, and `$id`s of files in the catalog's
//! folder), loaded once, with [`referencing`] resolving every reference by
//! its draft's base-URI rules. Nothing is fetched from the network: a
//! reference to a remote URI resolves only to a local file declaring that
//! URI as its `$id`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use jsonc_parser::ast::Value as Node;
use referencing::{Registry, Retrieve, Uri};
use serde_json::Value;

use crate::diagnostics::Sources;
use crate::diagnostics::{Diagnostic, Rule};
use crate::ir::{FileId, Span};

/// Why a referenced document could not be used, by its URI (fragment-less).
#[derive(Debug, Clone)]
struct Failure {
    uri: String,
    reason: String,
}

/// The loaded schema files and the registry resolving references among them.
pub struct Documents {
    registry: Option<Registry<'static>>,
    /// Each loaded file with the URI it was retrieved by.
    files: Vec<(FileId, Uri<String>)>,
    failures: Vec<Failure>,
    /// The catalog's folder: relative `$id`s are read from it.
    folder: Option<Uri<String>>,
}

/// A schema a reference leads to: where it is written, and the base URI its
/// own references resolve against.
pub struct Target<'d, 's> {
    pub file: FileId,
    pub node: &'d Node<'s>,
    pub base: Uri<String>,
    /// The last key on the way to the node in its file (`Money` of
    /// `#/$defs/Money`); `None` for a file's root.
    pub key: Option<String>,
}

impl Documents {
    /// Loads `roots` (already in `sources`) and every file their references
    /// reach, adding those to `sources`. Problems with a file itself (not
    /// JSON) are returned at the file; a reference that leads nowhere is
    /// reported where it is read, at the `$ref`.
    pub fn load(
        sources: &mut Sources,
        roots: &[FileId],
        search_dir: &Path,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        let retriever = Arc::new(LocalFiles {
            loaded: Mutex::new(Vec::new()),
        });
        let mut files = Vec::new();
        let mut resources = Vec::new();
        for &file in roots {
            let Some(uri) = file_uri(Path::new(&sources.get(file).name)) else {
                continue;
            };
            // Unparsable roots are reported by their own readers.
            let Ok(value) = serde_json::from_str::<Value>(sources.text(file)) else {
                continue;
            };
            // A relative `$id` is read from the catalog's folder, as tools
            // that register schemas by `$id` read it (octokit's
            // `issues/opened.schema.json` is `issues$opened`, and its
            // `common/issue.schema.json` the folder's): the root is known
            // there too.
            let mut value = value;
            let by_id = dir_uri(search_dir).and_then(|folder| absolute_id(&mut value, &folder));
            if let Some(by_id) = by_id.filter(|by_id| by_id != &uri) {
                resources.push((by_id.as_str().to_owned(), value.clone()));
                files.push((file, by_id));
            }
            resources.push((uri.as_str().to_owned(), value));
            files.push((file, uri));
        }
        // Every schema file of the folder is known by its `$id`: an absolute
        // one as written (CDEvents' `https://cdevents.dev/…`), a relative one
        // from the folder (octokit's `common/user.schema.json`), as tools
        // that register schemas by `$id` read them.
        let root_paths: Vec<PathBuf> = roots
            .iter()
            .filter_map(|&file| std::path::absolute(&sources.get(file).name).ok())
            .collect();
        if let Some(folder) = dir_uri(search_dir) {
            for (path, text, value, id) in schemas_with_ids(search_dir) {
                let absolute = std::path::absolute(&path).unwrap_or(path.clone());
                if root_paths.contains(&absolute) {
                    continue;
                }
                let Ok(uri) = referencing::uri::resolve_against(&folder.borrow(), &id) else {
                    continue;
                };
                if resources.iter().any(|(known, _)| known == uri.as_str()) {
                    continue;
                }
                let file = sources.add(shown(&path), text);
                let mut value = value;
                absolute_id(&mut value, &folder);
                resources.push((uri.as_str().to_owned(), value));
                files.push((file, uri));
            }
        }
        let prepared = Registry::new()
            .retriever(Shared(Arc::clone(&retriever)))
            .retrieve_known_draft_meta_schemas(false)
            .extend(resources)
            .and_then(|builder| builder.prepare());
        let loaded = std::mem::take(&mut *retriever.loaded.lock().expect("not poisoned"));
        let mut failures = Vec::new();
        for found in loaded {
            match found.outcome {
                Ok((path, text)) => {
                    let file = sources.add(shown(&path), text);
                    if let Err(error) = crate::parse::parse_strict_json(sources.text(file)) {
                        let range = error.range();
                        let end = range
                            .end
                            .max(range.start + 1)
                            .min(sources.text(file).len().max(range.start));
                        diagnostics.push(Rule::Schema.error(
                            Span::new(file, range.start..end),
                            format!("this schema is not valid JSON: {}", error.kind()),
                        ));
                    }
                    if let Ok(uri) = referencing::uri::from_str(&found.uri) {
                        files.push((file, uri));
                    }
                }
                Err(reason) => failures.push(Failure {
                    uri: found.uri,
                    reason,
                }),
            }
        }
        let registry = match prepared {
            Ok(registry) => Some(registry),
            Err(error) => {
                if let Some(&root) = roots.first() {
                    diagnostics.push(Rule::Schema.error(
                        Span::new(root, 0..0),
                        format!("the schemas' references cannot be resolved: {error}"),
                    ));
                }
                None
            }
        };
        Self {
            registry,
            files,
            failures,
            folder: dir_uri(search_dir),
        }
    }

    /// The base URI of a loaded file's root: its `$id` (or Draft-04 `id`)
    /// against the URI it was loaded by.
    pub fn root_base(&self, file: FileId, root: &Node<'_>) -> Option<Uri<String>> {
        let keyword = id_keyword(root);
        let relative = root
            .as_object()
            .and_then(|object| object.get(keyword))
            .and_then(|prop| prop.value.as_string_lit())
            .is_some_and(|lit| !lit.value.starts_with('#') && !lit.value.contains(':'));
        if let (true, Some(folder)) = (relative, &self.folder) {
            // Read from the folder, as the root is registered (`load`).
            return Some(with_id(folder, root, keyword));
        }
        let (_, uri) = self.files.iter().find(|(known, _)| *known == file)?;
        Some(with_id(uri, root, keyword))
    }

    /// Where `reference`, written where `base` holds, leads; or why not.
    pub fn resolve<'d, 's>(
        &self,
        reference: &str,
        base: &Uri<String>,
        asts: &'d Asts<'s>,
    ) -> Result<Target<'d, 's>, String> {
        let registry = self
            .registry
            .as_ref()
            .ok_or_else(|| "the schemas' references could not be indexed".to_owned())?;
        // A document that could not be loaded resolves to a stand-in; say why.
        let document = referencing::uri::resolve_against(&base.borrow(), reference)
            .map(|uri| {
                uri.as_str()
                    .split('#')
                    .next()
                    .unwrap_or_default()
                    .to_owned()
            })
            .unwrap_or_default();
        if let Some(failure) = self.failures.iter().find(|failure| failure.uri == document) {
            return Err(failure.reason.clone());
        }
        let resolver = registry.resolver(base.clone());
        let resolved = resolver.lookup(reference).map_err(|error| {
            let text = error.to_string();
            // "Pointer '/$defs/x' does not exist", in the messages' words.
            match text
                .strip_prefix("Pointer '")
                .and_then(|rest| rest.strip_suffix("' does not exist"))
            {
                Some(pointer) => format!("the schema has nothing at `#{pointer}`"),
                None => text,
            }
        })?;
        let contents = resolved.contents();
        let new_base = (*resolved.resolver().base_uri()).clone();
        for (file, uri) in &self.files {
            let Ok(root) = registry.resolver(uri.clone()).lookup("") else {
                continue;
            };
            let Some(path) = path_to(root.contents(), contents) else {
                continue;
            };
            let Some(ast) = asts.get(*file) else {
                continue;
            };
            let Some(node) = node_at(ast, &path) else {
                continue;
            };
            let key = path.iter().rev().find_map(|step| match step {
                Step::Key(key) => Some(key.clone()),
                Step::Index(_) => None,
            });
            return Ok(Target {
                file: *file,
                node,
                base: new_base,
                key,
            });
        }
        Err("the reference leads outside the schema files evcat read".to_owned())
    }
}

/// A document's relative root id (`common/user.schema.json`,
/// `issues$opened`: no scheme, not a fragment) made absolute from the
/// folder, in the document as the registry reads it; that URI.
fn absolute_id(document: &mut Value, folder: &Uri<String>) -> Option<Uri<String>> {
    let draft_04 = document
        .get("$schema")
        .and_then(Value::as_str)
        .is_some_and(|schema| schema.contains("draft-04") || schema.contains("draft-03"));
    let keyword = if draft_04 { "id" } else { "$id" };
    let id = document.get(keyword)?.as_str()?;
    if id.starts_with('#') || id.contains(':') {
        return None;
    }
    let uri = referencing::uri::resolve_against(&folder.borrow(), id).ok()?;
    document[keyword] = Value::String(uri.as_str().to_owned());
    Some(uri)
}

/// The keyword naming a schema's URI in a document: Draft-04's (and
/// older) `id`, later drafts' `$id` (each draft ignores the other's, as
/// `referencing` does).
pub fn id_keyword(root: &Node<'_>) -> &'static str {
    let schema = root
        .as_object()
        .and_then(|object| object.get("$schema"))
        .and_then(|prop| prop.value.as_string_lit())
        .map(|lit| lit.value.to_string())
        .unwrap_or_default();
    if schema.contains("draft-04") || schema.contains("draft-03") {
        "id"
    } else {
        "$id"
    }
}

/// The base URI inside a schema object: its id (`keyword`, see
/// [`id_keyword`]) against the enclosing base; a fragment-only id names a
/// place, not a base.
pub fn with_id(base: &Uri<String>, schema: &Node<'_>, keyword: &str) -> Uri<String> {
    let id = schema.as_object().and_then(|object| {
        object
            .get(keyword)
            .and_then(|prop| prop.value.as_string_lit())
            .map(|lit| lit.value.to_string())
    });
    match id.filter(|id| !id.starts_with('#')) {
        Some(id) => {
            referencing::uri::resolve_against(&base.borrow(), &id).unwrap_or_else(|_| base.clone())
        }
        None => base.clone(),
    }
}

/// The parsed text of every loaded schema file, by file.
#[derive(Default)]
pub struct Asts<'s> {
    by_file: BTreeMap<FileId, Node<'s>>,
}

impl<'s> Asts<'s> {
    pub fn parse(documents: &Documents, sources: &'s Sources) -> Self {
        let by_file = documents
            .files
            .iter()
            .filter_map(|(file, _)| {
                let node = crate::parse::parse_strict_json(sources.text(*file)).ok()??;
                Some((*file, node))
            })
            .collect();
        Self { by_file }
    }

    pub fn get(&self, file: FileId) -> Option<&Node<'s>> {
        self.by_file.get(&file)
    }
}

/// One step into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The steps from `root` to `target` (the very value, not an equal one).
fn path_to(root: &Value, target: &Value) -> Option<Vec<Step>> {
    if std::ptr::eq(root, target) {
        return Some(Vec::new());
    }
    match root {
        Value::Object(object) => object.iter().find_map(|(key, value)| {
            let mut path = path_to(value, target)?;
            path.insert(0, Step::Key(key.clone()));
            Some(path)
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(index, value)| {
            let mut path = path_to(value, target)?;
            path.insert(0, Step::Index(index));
            Some(path)
        }),
        _ => None,
    }
}

/// The node the steps lead to in a parsed file.
fn node_at<'d, 's>(root: &'d Node<'s>, path: &[Step]) -> Option<&'d Node<'s>> {
    path.iter().try_fold(root, |node, step| match step {
        Step::Key(key) => node.as_object()?.get(key).map(|prop| &prop.value),
        Step::Index(index) => node.as_array()?.elements.get(*index),
    })
}

/// A path as a `file://` URI (what references relative to it resolve against).
fn file_uri(path: &Path) -> Option<Uri<String>> {
    let absolute = std::path::absolute(path).ok()?;
    let url = url::Url::from_file_path(absolute).ok()?;
    referencing::uri::from_str(url.as_str()).ok()
}

/// What the retriever found for one URI.
struct Loaded {
    uri: String,
    outcome: Result<(PathBuf, String), String>,
}

/// The `.json` files below a folder (not in hidden folders, `target` or
/// `node_modules`) whose root declares an `$id` (or a Draft-04 schema's
/// `id`), in path order: each with its text, value and id.
fn schemas_with_ids(dir: &Path) -> Vec<(PathBuf, String, Value, String)> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|entry| entry.path()).collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("");
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "node_modules" {
                    pending.push(path);
                }
                continue;
            }
            if !name.ends_with(".json") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            // `id` is Draft-04's `$id`, and only a schema of that draft's
            // (an event example's `id` is no schema's).
            let draft_04 = value
                .get("$schema")
                .and_then(Value::as_str)
                .is_some_and(|schema| schema.contains("draft-04"));
            let id = value
                .get("$id")
                .or_else(|| value.get("id").filter(|_| draft_04))
                .and_then(Value::as_str)
                .map(|id| id.trim_end_matches('#').to_owned());
            if let Some(id) = id.filter(|id| !id.is_empty()) {
                found.push((path, text, value, id));
            }
        }
    }
    found.sort_by(|left, right| left.0.cmp(&right.0));
    found
}

/// A path as messages show it: from the current folder when it is inside
/// it (as the user named the catalog), else whole.
fn shown(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|current| path.strip_prefix(current).ok().map(Path::to_owned));
    relative
        .unwrap_or_else(|| path.to_owned())
        .display()
        .to_string()
}

/// A folder as a `file://` URI ending in `/`, so relative ids resolve into it.
fn dir_uri(dir: &Path) -> Option<Uri<String>> {
    let absolute = std::path::absolute(dir).ok()?;
    let url = url::Url::from_directory_path(absolute).ok()?;
    referencing::uri::from_str(url.as_str()).ok()
}

/// Reads referenced schemas from local files only, by path.
struct LocalFiles {
    loaded: Mutex<Vec<Loaded>>,
}

impl LocalFiles {
    fn find(&self, uri: &str) -> Result<PathBuf, String> {
        match url::Url::parse(uri) {
            Ok(url) if url.scheme() == "file" => url
                .to_file_path()
                .map_err(|()| format!("`{uri}` is not a file path")),
            _ => Err(format!(
                "evcat does not fetch schemas from the network: put a file with `\"$id\": \"{uri}\"` in the catalog's folder"
            )),
        }
    }
}

/// The retriever as `referencing` takes it, sharing what it found.
struct Shared(Arc<LocalFiles>);

impl Retrieve for Shared {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let files = &self.0;
        let text = uri
            .as_str()
            .split('#')
            .next()
            .unwrap_or_default()
            .to_owned();
        let outcome = files.find(&text).and_then(|path| {
            std::fs::read_to_string(&path)
                .map(|contents| (path.clone(), contents))
                .map_err(|error| match error.kind() {
                    std::io::ErrorKind::NotFound => format!("there is no file `{}`", shown(&path)),
                    _ => format!("cannot read `{}`: {error}", shown(&path)),
                })
        });
        // A document that cannot be used still resolves (to a schema
        // admitting anything), so the other references are indexed; the
        // reference to it is an error where the reader meets it.
        let value = match &outcome {
            Ok((_, contents)) => serde_json::from_str(contents).unwrap_or(Value::Bool(true)),
            Err(_) => Value::Bool(true),
        };
        files
            .loaded
            .lock()
            .expect("not poisoned")
            .push(Loaded { uri: text, outcome });
        Ok(value)
    }
}
