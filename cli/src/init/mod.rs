//! `evcat init`: a ready crate of typed events around a one-event catalog.
//!
//! The files are fixed text with a few names filled in (`templates/`); what
//! they generate is evcat's to write, on the crate's first `cargo build`.

use std::fmt;
use std::path::{Path, PathBuf};

/// The catalog dialect the new crate's `catalog.md` is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `### EventName` sections with `Required: { … }` field lists; the
    /// envelope is `envelope.schema.json`.
    Seed,
    /// Numbered sections with dotted names and JSON payload blocks; the
    /// envelope is a JSON block in the catalog itself.
    Json,
}

/// The envelope the new crate's events travel in (seed dialect).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeKind {
    /// evcat's names: `event_name`, `event_id`, `aggregate_type`, … `payload`.
    Evcat,
    /// CloudEvents 1.0: `type` names the event, `data` holds its fields.
    CloudEvents,
}

#[derive(Debug, Clone)]
pub struct InitOptions {
    /// The crate's package name (`shop-events`).
    pub name: String,
    pub dialect: Dialect,
    pub envelope: EnvelopeKind,
    /// An evcat checkout (with `codegen/` and `macros/`) to take evcat from
    /// instead of crates.io: written as a `[patch.crates-io]` section.
    pub evcat_path: Option<PathBuf>,
}

/// A file of the new crate: its path inside the crate folder and contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScaffoldFile {
    pub path: &'static str,
    pub contents: String,
}

/// Why `evcat init` wrote nothing.
#[derive(Debug)]
pub enum InitError {
    /// The options cannot make a crate (exit 2, like any usage error).
    Usage(String),
    /// These files exist already (exit 1).
    Clashes { dir: PathBuf, paths: Vec<String> },
    /// A file could not be written (exit 2).
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl InitError {
    pub fn exit_code(&self) -> i32 {
        match self {
            InitError::Clashes { .. } => 1,
            InitError::Usage(_) | InitError::Io { .. } => 2,
        }
    }
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::Usage(message) => write!(f, "error: {message}"),
            InitError::Clashes { dir, paths } => {
                writeln!(
                    f,
                    "error: {} already has files `evcat init` would write; nothing was written:",
                    dir.display()
                )?;
                for path in paths {
                    writeln!(f, "  {}", dir.join(path).display())?;
                }
                write!(
                    f,
                    "help: init into a new or empty folder, or move these files away"
                )
            }
            InitError::Io { path, source } => write!(f, "error: {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for InitError {}

/// Whether `name` can be a package name that is also a library name: ASCII
/// letters, digits, `-` and `_`, starting with a letter, and not a Rust
/// keyword once `-` becomes `_`.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let starts_with_letter = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    let allowed = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !starts_with_letter || !allowed || name.len() > 64 {
        return Err(format!(
            "`{name}` is not a crate name: use ASCII letters, digits, `-` and `_`, starting with a letter (at most 64)"
        ));
    }
    let library = name.replace('-', "_");
    if evcat::is_rust_keyword(&library) {
        return Err(format!(
            "`{name}` is a Rust keyword; it cannot name a library"
        ));
    }
    // The library's name is used as written in `use` paths the new crate's
    // README and tests hold: rustc asks for snake_case there.
    let snake = heck::AsSnakeCase(&library).to_string();
    if snake != library {
        return Err(format!(
            "`{name}` is not a snake_case library name once `-` becomes `_`: use `{}`",
            snake.replace('_', "-")
        ));
    }
    Ok(())
}

/// Every file of the new crate, in the order they are listed.
pub fn scaffold(options: &InitOptions) -> Result<Vec<ScaffoldFile>, InitError> {
    check_crate_name(&options.name).map_err(InitError::Usage)?;
    if options.dialect == Dialect::Json && options.envelope == EnvelopeKind::CloudEvents {
        return Err(InitError::Usage(
            "the JSON dialect declares its envelope in catalog.md itself; `--envelope cloudevents` needs `--dialect seed`".to_owned(),
        ));
    }
    let crate_ident = options.name.replace('-', "_");
    let title = format!(
        "{} events",
        heck::AsTitleCase(options.name.trim_end_matches("-events"))
    );
    let cloudevents = options.envelope == EnvelopeKind::CloudEvents;
    let fill = |template: &str| {
        template
            .replace("{{name}}", &options.name)
            .replace("{{crate_ident}}", &crate_ident)
            .replace("{{module}}", &crate_ident)
            .replace("{{title}}", &title)
            .replace("{{evcat_version}}", env!("CARGO_PKG_VERSION"))
            .replace(
                "{{wire_name}}",
                &if cloudevents {
                    format!("- Wire name: `{crate_ident}.order.placed.v1`\n")
                } else {
                    String::new()
                },
            )
            .replace(
                "{{envelope_note}}",
                match (options.dialect, cloudevents) {
                    (Dialect::Json, _) => ", whose section 0 is the envelope",
                    (Dialect::Seed, false) => " with the envelope `contracts/envelope.schema.json`",
                    (Dialect::Seed, true) => {
                        " with the CloudEvents envelope `contracts/envelope.schema.json`"
                    }
                },
            )
    };
    let mut manifest = fill(include_str!("templates/Cargo.toml.txt"));
    if let Some(checkout) = &options.evcat_path {
        manifest.push_str(&patch_section(checkout)?);
    }
    let mut templates: Vec<(&'static str, &'static str)> = vec![
        ("build.rs", include_str!("templates/build.rs.txt")),
        ("src/lib.rs", include_str!("templates/lib.rs.txt")),
        (
            "tests/examples.rs",
            include_str!("templates/examples_test.rs.txt"),
        ),
        (".gitignore", include_str!("templates/gitignore.txt")),
        (
            "contracts/evcat.toml",
            include_str!("templates/evcat.toml.txt"),
        ),
        ("README.md", include_str!("templates/README.md.txt")),
    ];
    templates.extend(match (options.dialect, cloudevents) {
        (Dialect::Json, _) => vec![(
            "contracts/catalog.md",
            include_str!("templates/catalog.json.md"),
        )],
        (Dialect::Seed, cloudevents) => vec![
            (
                "contracts/catalog.md",
                include_str!("templates/catalog.seed.md"),
            ),
            (
                "contracts/envelope.schema.json",
                if cloudevents {
                    include_str!("templates/envelope.cloudevents.json")
                } else {
                    include_str!("templates/envelope.evcat.json")
                },
            ),
            (
                "contracts/examples/order_placed.example.json",
                if cloudevents {
                    include_str!("templates/example.cloudevents.json")
                } else {
                    include_str!("templates/example.evcat.json")
                },
            ),
        ],
    });
    let mut files = vec![ScaffoldFile {
        path: "Cargo.toml",
        contents: manifest,
    }];
    files.extend(templates.into_iter().map(|(path, template)| ScaffoldFile {
        path,
        contents: fill(template),
    }));
    Ok(files)
}

/// `[patch.crates-io]` for an evcat checkout, by absolute path so the crate
/// builds wherever it is moved on this machine.
fn patch_section(checkout: &Path) -> Result<String, InitError> {
    let absolute = std::fs::canonicalize(checkout).map_err(|source| InitError::Io {
        path: checkout.to_owned(),
        source,
    })?;
    let codegen = absolute.join("codegen");
    let macros = absolute.join("macros");
    let runtime = absolute.join("runtime");
    if [&codegen, &macros, &runtime]
        .iter()
        .any(|package| !package.join("Cargo.toml").is_file())
    {
        return Err(InitError::Usage(format!(
            "{} is not an evcat checkout: it has no codegen/Cargo.toml, macros/Cargo.toml and runtime/Cargo.toml",
            checkout.display()
        )));
    }
    // A JSON string is a TOML basic string: the same escapes (`\\`, `\"`,
    // `\uXXXX`), so a path with backslashes or quotes stays one string.
    let toml_path = |path: &Path| {
        serde_json::to_string(&path.display().to_string()).expect("a string serializes")
    };
    Ok(format!(
        "\n# evcat from a checkout rather than crates.io (`evcat init --evcat-path`).\n[patch.crates-io]\nevcat = {{ path = {} }}\nevcat-macros = {{ path = {} }}\nevcat-runtime = {{ path = {} }}\n",
        toml_path(&codegen),
        toml_path(&macros),
        toml_path(&runtime)
    ))
}

/// Writes the new crate into `dir` (created when missing). When any of its
/// files exists already, nothing is written and the clashes are named.
pub fn init(dir: &Path, options: &InitOptions) -> Result<Vec<PathBuf>, InitError> {
    let files = scaffold(options)?;
    let clashes: Vec<String> = files
        .iter()
        .filter(|file| dir.join(file.path).symlink_metadata().is_ok())
        .map(|file| file.path.to_owned())
        .collect();
    if !clashes.is_empty() {
        return Err(InitError::Clashes {
            dir: dir.to_owned(),
            paths: clashes,
        });
    }
    let generated: Vec<evcat::GeneratedFile> = files
        .iter()
        .map(|file| evcat::GeneratedFile {
            path: file.path.to_owned(),
            contents: file.contents.clone(),
        })
        .collect();
    evcat::write_new_files(dir, &generated).map_err(|error| match error {
        evcat::Error::Io { path, source } => InitError::Io { path, source },
        other => InitError::Usage(other.to_string()),
    })
}
