//! The entry point shared by build.rs and the CLI.

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

use crate::check::{self, example_problems, ExampleInput, ValueChecker};
use crate::contract::{self, Contract};
use crate::diagnostics::Sources;
use crate::diagnostics::{self, Diagnostic, Diagnostics, Report, Rule};
use crate::emit::{self, GeneratedFile};
use crate::ir::{Catalog, FileId, Span};
use crate::output;
use crate::parse::{self, InputFiles};

/// Where a catalog's inputs are, and how to read them.
///
/// The envelope defaults to `envelope.schema.json` beside the catalog, the
/// data model to `data-model.md` beside it when that file exists, and the
/// envelope's roles to those `evcat.toml` beside it declares, when it exists.
#[derive(Debug, Clone)]
pub struct Builder {
    catalog: PathBuf,
    envelope: Option<PathBuf>,
    data_model: Option<PathBuf>,
    discriminator: Option<String>,
    baseline: Option<PathBuf>,
    module: Option<String>,
}

/// A catalog that parsed without errors.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The catalog, complete: every event with its envelope, names and types.
    pub catalog: Catalog,
    /// One example envelope per event, `(event name, envelope)` in catalog
    /// order, built from the catalog's rules; every output that shows an
    /// example uses these.
    pub examples: Vec<(String, serde_json::Value)>,
    /// The files read, for rendering findings about them.
    pub(crate) sources: Sources,
    /// Findings that do not stop the build, rendered; empty when none.
    pub warnings: String,
    /// The same findings, for reports in other forms.
    pub(crate) found: Diagnostics,
}

impl Compiled {
    /// Where a span of the compiled inputs is: its file as named, and the
    /// lines and columns it covers.
    pub fn region(&self, span: crate::ir::Span) -> (String, crate::report::Region) {
        let name = self.sources.get(span.file).name.clone();
        (name, diagnostics::region(&self.sources, span))
    }

    /// The findings that did not stop the build (warnings), as a report
    /// in any form; empty when there were none.
    pub fn warnings_report(&self) -> Report {
        Report::new(self.sources.clone(), self.found.clone()).with_events(&self.catalog)
    }

    /// The AsyncAPI 3.0 document as JSON: what `asyncapi.yaml` holds, for
    /// tools that serve or merge the document rather than read YAML.
    pub fn asyncapi(&self) -> serde_json::Value {
        emit::asyncapi::document(&self.catalog, &self.examples)
    }
}

/// Every output of a catalog, not yet written anywhere.
#[derive(Debug, Clone)]
pub struct Generated {
    /// Every output file, in a fixed order.
    pub files: Vec<GeneratedFile>,
    /// Findings that do not stop the build, rendered; empty when none.
    pub warnings: String,
}

/// Why a run wrote nothing.
#[derive(Debug)]
pub enum Error {
    /// The inputs have errors: every finding of the run, each at its
    /// file:line:col.
    Input(Report),
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// Check-only mode found outputs that differ from what the inputs
    /// produce.
    Stale {
        /// Each stale file and how it differs, as printed.
        report: String,
        /// The same, a finding per file, for the CI forms.
        findings: Vec<crate::report::Finding>,
    },
}

impl Error {
    /// The CLI's exit code: 1 for bad input, 2 for I/O.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Stale { .. } => 1,
            Error::Io { .. } => 2,
        }
    }
}

impl From<output::Error> for Error {
    fn from(error: output::Error) -> Self {
        Error::Io {
            path: error.path,
            source: error.source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(report) => write!(f, "{report}"),
            Error::Io { path, source } => write!(f, "error: {}: {source}", path.display()),
            Error::Stale { report, .. } => f.write_str(report.trim_end()),
        }
    }
}

impl std::error::Error for Error {}

impl Builder {
    /// A catalog file; its envelope, data model and `evcat.toml` are looked
    /// for beside it.
    pub fn new(catalog: impl Into<PathBuf>) -> Self {
        Self {
            catalog: catalog.into(),
            envelope: None,
            data_model: None,
            discriminator: None,
            baseline: None,
            module: None,
        }
    }

    /// The catalog's module in a crate of several catalogs (see
    /// [`crate::Project`]), so generated names stay unique across them.
    pub fn module(mut self, name: impl Into<String>) -> Self {
        self.module = Some(name.into());
        self
    }

    /// The envelope schema, instead of `envelope.schema.json` beside the catalog.
    pub fn envelope(mut self, path: impl Into<PathBuf>) -> Self {
        self.envelope = Some(path.into());
        self
    }

    /// The data model, instead of `data-model.md` beside the catalog (when it
    /// exists).
    pub fn data_model(mut self, path: impl Into<PathBuf>) -> Self {
        self.data_model = Some(path.into());
        self
    }

    /// The envelope property that names the event, over `evcat.toml` and
    /// the recognized convention (`event_name`; CloudEvents' `type`).
    pub fn discriminator(mut self, property: impl Into<String>) -> Self {
        self.discriminator = Some(property.into());
        self
    }

    /// The baseline lock (`catalog.lock.json` of the last generation) that
    /// [`Self::generate`] holds the catalog to: a breaking change the
    /// catalog does not declare is an error. No file there: no baseline yet.
    pub fn baseline(mut self, lock: impl Into<PathBuf>) -> Self {
        self.baseline = Some(lock.into());
        self
    }

    /// The files this catalog reads, for `cargo:rerun-if-changed`.
    pub fn input_paths(&self) -> Vec<PathBuf> {
        let mut paths = vec![self.catalog.clone(), self.envelope_path()];
        paths.extend(self.data_model_path());
        paths.extend(self.config_path());
        paths
    }

    fn sibling(&self, name: &str) -> PathBuf {
        self.catalog
            .parent()
            .map_or_else(|| PathBuf::from(name), |dir| dir.join(name))
    }

    fn envelope_path(&self) -> PathBuf {
        self.envelope
            .clone()
            .unwrap_or_else(|| self.sibling("envelope.schema.json"))
    }

    fn data_model_path(&self) -> Option<PathBuf> {
        self.data_model
            .clone()
            .or_else(|| Some(self.sibling("data-model.md")).filter(|path| path.is_file()))
    }

    fn config_path(&self) -> Option<PathBuf> {
        Some(self.sibling("evcat.toml")).filter(|path| path.is_file())
    }

    /// Reads and checks the inputs; every error of the run is in the report.
    pub fn compile(&self) -> Result<Compiled, Error> {
        let mut sources = Sources::new();
        let mut findings = Vec::new();
        let catalog = read_source(&mut sources, &mut findings, &self.catalog)?;
        // A catalog with its own envelope block needs no envelope schema file,
        // unless one is named explicitly.
        let own_envelope = parse::has_own_envelope(sources.text(catalog));
        let envelope = if own_envelope && self.envelope.is_none() {
            None
        } else {
            Some(read_source(
                &mut sources,
                &mut findings,
                &self.envelope_path(),
            )?)
        };
        let data_model = self
            .data_model_path()
            .map(|path| read_source(&mut sources, &mut findings, &path))
            .transpose()?;
        let config = self
            .config_path()
            .map(|path| read_source(&mut sources, &mut findings, &path))
            .transpose()?;
        let unreadable = !findings.is_empty();
        let mut config = config
            .map(|file| parse::config::parse_config(file, sources.text(file), &mut findings))
            .unwrap_or_default();
        config.declared.extend(
            self.discriminator
                .iter()
                .map(|property| parse::config::Declared {
                    role: parse::config::Role::Discriminator,
                    property: property.clone(),
                    span: None,
                }),
        );
        let files = InputFiles {
            catalog,
            envelope,
            data_model,
        };
        let read = findings.len();
        let parsed = if unreadable {
            None
        } else {
            parse::parse(
                &mut sources,
                files,
                &config,
                self.module.as_deref(),
                &mut findings,
            )
        };
        // The documents checked against each other; a catalog with errors
        // goes no further.
        if let Some(parse::Parsed {
            catalog,
            data_model,
        }) = &parsed
        {
            if let Some(model) = data_model {
                findings.extend(check::data_model_agrees(model, catalog));
            }
            findings.extend(check::states_are_status_values(catalog));
        }
        let failed = findings[read..].iter().any(Diagnostic::is_error);
        let (parsed, resolved) = match parsed.map(|parsed| parsed.catalog) {
            Some(catalog) if !failed => (Some(catalog), None),
            // Kept for the report: which event each finding is about.
            other => (None, other),
        };
        // Every event must get an example the schemas accept: a problem with
        // the envelope's rules that `check` reports, not only `generate`.
        let examples = match parsed.as_ref().map(emit::examples::synthesize) {
            Some(Ok(examples)) => examples,
            Some(Err(errors)) => {
                findings.extend(errors);
                Vec::new()
            }
            None => Vec::new(),
        };
        if let Some(catalog) = &parsed {
            findings.extend(self.check_example_files(catalog, &mut sources)?);
        }
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(findings);
        match parsed {
            Some(catalog) if !diagnostics.has_errors() => {
                let warnings = if diagnostics.is_empty() {
                    String::new()
                } else {
                    diagnostics::render(&sources, &diagnostics)
                };
                Ok(Compiled {
                    catalog,
                    examples,
                    sources,
                    warnings,
                    found: diagnostics,
                })
            }
            _ => {
                let report = Report::new(sources, diagnostics);
                Err(Error::Input(match (&parsed, &resolved) {
                    (Some(catalog), _) | (None, Some(catalog)) => report.with_events(catalog),
                    (None, None) => report,
                }))
            }
        }
    }

    fn catalog_dir(&self) -> PathBuf {
        self.catalog
            .parent()
            .map(Path::to_owned)
            .unwrap_or_default()
    }

    /// The `Example:` files: each must exist inside the catalog's folder and
    /// validate against its event; an example file nobody references is a
    /// warning.
    fn check_example_files(
        &self,
        catalog: &Catalog,
        sources: &mut Sources,
    ) -> Result<Vec<Diagnostic>, Error> {
        let dir = self.catalog_dir();
        let mut references: Vec<(&str, Span, Vec<&str>)> = Vec::new();
        for (_, event) in catalog.events() {
            for example in &event.examples {
                match references
                    .iter_mut()
                    .find(|(path, _, _)| *path == example.path)
                {
                    Some((_, _, events)) => events.push(&event.name),
                    None => references.push((&example.path, example.span, vec![&event.name])),
                }
            }
        }
        let mut findings = Vec::new();
        let checker = ValueChecker::new(catalog);
        for (path, reference, events) in &references {
            let relative = Path::new(path);
            let escapes = relative
                .components()
                .any(|part| !matches!(part, Component::Normal(_) | Component::CurDir));
            if escapes {
                findings.push(
                    Rule::Example.error(
                        *reference,
                        format!("example path `{path}` leaves the catalog's folder"),
                    )
                    .with_help(
                        "name the file relative to the catalog's folder, as in `examples/x.json`",
                    ),
                );
                continue;
            }
            // What no file name can hold is the catalog's error, not the disk's.
            if path.contains('\0') {
                findings.push(
                    Rule::Example.error(
                        *reference,
                        format!(
                            "example path `{}` contains a NUL character, which no file name can",
                            path.escape_debug()
                        ),
                    )
                    .with_help(
                        "name the file relative to the catalog's folder, as in `examples/x.json`",
                    ),
                );
                continue;
            }
            let full = dir.join(relative);
            if full.is_dir() {
                findings.push(
                    Rule::Example
                        .error(
                            *reference,
                            format!("example path `{path}` is a folder, not a file"),
                        )
                        .with_help("name the example file itself, as in `examples/x.json`"),
                );
                continue;
            }
            let bytes = match std::fs::read(&full) {
                Ok(bytes) => bytes,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    findings.push(
                        Rule::Example
                            .error(
                                *reference,
                                format!("example file `{}` does not exist", full.display()),
                            )
                            .with_help(
                                "create it, or fix the path (relative to the catalog's folder)",
                            ),
                    );
                    continue;
                }
                Err(source) => return Err(Error::Io { path: full, source }),
            };
            let (file, utf8_error) = sources.add_bytes(full.display().to_string(), bytes);
            if let Some(error) = utf8_error {
                findings.push(error);
                continue;
            }
            let input = ExampleInput {
                file,
                text: sources.text(file),
                offset: 0,
                reference: *reference,
                events: events.clone(),
            };
            findings.extend(example_problems(catalog, &checker, &input));
        }
        for (_, event) in catalog.events() {
            for example in &event.inline_examples {
                let json = example.span;
                let text = &sources.text(json.file)[json.start..json.end];
                let input = ExampleInput {
                    file: json.file,
                    text,
                    offset: json.start,
                    reference: json,
                    events: vec![&event.name],
                };
                findings.extend(example_problems(catalog, &checker, &input));
            }
        }
        findings.extend(self.unreferenced_examples(&dir, &references, sources));
        Ok(findings)
    }

    /// `*.json` files in the catalog's `examples/` folder that no event names.
    fn unreferenced_examples(
        &self,
        dir: &Path,
        references: &[(&str, Span, Vec<&str>)],
        sources: &mut Sources,
    ) -> Vec<Diagnostic> {
        let referenced: Vec<PathBuf> = references
            .iter()
            .map(|(path, _, _)| normalize(&dir.join(path)))
            .collect();
        let Ok(entries) = std::fs::read_dir(dir.join("examples")) else {
            return Vec::new();
        };
        let mut unreferenced: Vec<PathBuf> = entries
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| {
                path.extension()
                    .is_some_and(|extension| extension == "json")
            })
            .filter(|path| !referenced.contains(&normalize(path)))
            .collect();
        unreferenced.sort();
        unreferenced
            .into_iter()
            .map(|path| {
                let file = sources.add(
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap_or_default(),
                );
                Rule::Example
                    .warning(
                        Span {
                            file,
                            start: 0,
                            end: 0,
                        },
                        "this example file is not referenced by any event",
                    )
                    .with_help(
                        "reference it from its event with `- Example: `examples/…``, or delete it",
                    )
            })
            .collect()
    }

    /// Compiles, holds the catalog to its baseline (when one is set), and
    /// runs every backend, in memory.
    pub fn generate(&self) -> Result<Generated, Error> {
        self.generate_with_catalog().map(|(generated, _)| generated)
    }

    /// [`Self::generate`], and the catalog the outputs were made from.
    pub(crate) fn generate_with_catalog(&self) -> Result<(Generated, Catalog), Error> {
        let mut compiled = self.compile()?;
        let baseline = self.check_baseline(&mut compiled)?;
        let mut files = emit::generate(&compiled.catalog, &compiled.examples);
        // The next baseline keeps the versions published before this one.
        if let Some(baseline) = baseline {
            let lock = files
                .iter_mut()
                .find(|file| file.path == contract::LOCK_FILE)
                .expect("every catalog's outputs include its lock");
            lock.contents = Contract::of(&compiled.catalog).after(&baseline).to_lock();
        }
        Ok((
            Generated {
                files,
                warnings: compiled.warnings,
            },
            compiled.catalog,
        ))
    }
}

impl Builder {
    /// Holds the catalog to its baseline lock, if there is one; the
    /// baseline, for the next lock to keep its published versions.
    fn check_baseline(&self, compiled: &mut Compiled) -> Result<Option<Contract>, Error> {
        let Some(path) = &self.baseline else {
            return Ok(None);
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(Error::Io {
                    path: path.clone(),
                    source,
                })
            }
        };
        let file = compiled
            .sources
            .add(path.display().to_string(), text.clone());
        let mut read = None;
        let findings = match Contract::from_lock(&text) {
            Ok(baseline) if baseline.format == contract::FORMAT => {
                let errors =
                    contract::undeclared_breaking(&baseline, &compiled.catalog, (file, &text));
                read = Some(baseline);
                errors
            }
            Ok(baseline) => vec![Rule::Baseline
                .error(
                    Span::new(file, 0..0),
                    format!(
                        "this baseline lock has format {}, which this evcat does not read",
                        baseline.format
                    ),
                )
                .with_help("generate it with this evcat: delete it and build again")],
            Err(error) => {
                let offset = offset_of(&text, error.line(), error.column());
                vec![Rule::Baseline.error(
                    Span::new(file, offset..offset),
                    format!("this baseline lock is not readable: {error}"),
                )
                .with_help("it is generated: restore it from version control, or delete it and build again")]
            }
        };
        if findings.is_empty() {
            return Ok(read);
        }
        let mut diagnostics = Diagnostics::default();
        diagnostics.extend(findings);
        Err(Error::Input(
            Report::new(std::mem::take(&mut compiled.sources), diagnostics)
                .with_events(&compiled.catalog),
        ))
    }
}

/// The byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// Writes `files` under `dir` (created when missing) and touches nothing
/// else there: every file is staged beside its target first and renamed
/// into place only when all are staged, so a failure leaves none of them
/// half-written. What `evcat init` writes a new crate with.
pub fn write_new_files(
    dir: impl AsRef<Path>,
    files: &[GeneratedFile],
) -> Result<Vec<PathBuf>, Error> {
    Ok(output::write_new_files(dir.as_ref(), files)?)
}

impl Generated {
    /// Writes every file under `out`, each atomically (a temporary file then
    /// a rename), so an interrupted run never leaves a half-written file.
    pub fn write_all(&self, out: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
        Ok(output::write_files(out.as_ref(), &self.files, false)?)
    }

    /// Like [`Self::write_all`], but leaves files whose content is unchanged
    /// untouched, so build.rs does not trigger rebuilds; returns the files written.
    pub fn write_changed(&self, out: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
        Ok(output::write_files(out.as_ref(), &self.files, true)?)
    }

    /// Writes nothing; fails when `out` differs from these outputs, naming
    /// each stale file with its first differing line and `fix`, the command
    /// that regenerates them. For CI, where a build must never write.
    pub fn check_fresh(&self, out: impl AsRef<Path>, fix: &str) -> Result<(), Error> {
        let drift = output::drift(out.as_ref(), &self.files);
        if drift.is_empty() {
            return Ok(());
        }
        let mut report = format!(
            "error: {} is stale: it differs from what the catalog produces\n",
            out.as_ref().display()
        );
        let mut findings = Vec::new();
        for (path, found) in &drift {
            findings.push(stale_finding(path, found, fix));
            let path = path.display();
            let line = match found {
                output::Drift::Missing => format!("  {path}: missing"),
                output::Drift::Obsolete => format!("  {path}: no longer generated"),
                output::Drift::Differs {
                    line,
                    expected,
                    found,
                } => {
                    format!(
                        "  {path}:{line}: expected `{}`, found `{}`",
                        shorten(expected),
                        shorten(found)
                    )
                }
            };
            report.push_str(&line);
            report.push('\n');
        }
        report.push_str(&format!(
            "help: regenerate with `{fix}` and commit the result\n"
        ));
        Err(Error::Stale { report, findings })
    }
}

/// A stale output as a finding: at the first line that differs.
fn stale_finding(path: &Path, found: &output::Drift, fix: &str) -> crate::report::Finding {
    let (what, line) = match found {
        output::Drift::Missing => ("is missing".to_owned(), None),
        output::Drift::Obsolete => ("is no longer generated".to_owned(), None),
        output::Drift::Differs {
            line,
            expected,
            found,
        } => (
            format!(
                "differs from what the catalog produces: expected `{}`, found `{}`",
                shorten(expected),
                shorten(found)
            ),
            Some(*line),
        ),
    };
    let path = crate::report::relative_path(&path.display().to_string());
    crate::report::Finding {
        rule: "stale-output".to_owned(),
        level: crate::report::Level::Error,
        message: format!("{path} {what}\nhelp: regenerate with `{fix}` and commit the result"),
        region: line.map(|line| crate::report::Region {
            start_line: line,
            start_column: 1,
            end_line: line,
            end_column: 1,
        }),
        case: path.clone(),
        consumers: Vec::new(),
        path,
    }
}

/// A line cut to a readable length for reports.
fn shorten(line: &str) -> String {
    let line = line.trim();
    if line.is_empty() {
        return "(an empty line)".to_owned();
    }
    match line.char_indices().nth(100) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}

/// A path without `.` components, for comparing references with files.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|part| !matches!(part, Component::CurDir))
        .collect()
}

/// Reads an input file into `sources`; invalid UTF-8 is a finding, not a failure.
fn read_source(
    sources: &mut Sources,
    findings: &mut Vec<Diagnostic>,
    path: &Path,
) -> Result<FileId, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let (id, utf8_error) = sources.add_bytes(path.display().to_string(), bytes);
    findings.extend(utf8_error);
    Ok(id)
}
