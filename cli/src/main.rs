//! The `evcat` command line; the work is done by the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use evcat::report::Format;

mod check;
mod counted;
mod diff;
mod init;
#[cfg(feature = "kafka")]
mod kafka;
mod lines;
#[cfg(feature = "postgres")]
mod outbox;
mod validate;
#[cfg(any(feature = "kafka", feature = "postgres"))]
mod windowed;

// Generation builds and drops millions of small token trees and strings;
// with glibc's allocator a third of `evcat generate`'s time was malloc and
// free (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (15 in its v2 and v3 headers, which
/// keep option numbers stable).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

#[derive(Parser)]
#[command(
    name = "evcat",
    version,
    about = "Typed events, schemas and declarations from a Markdown event catalog"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run: the size of `validate`'s options costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand)]
enum Command {
    /// Write every output for a catalog into a folder.
    Generate {
        #[command(flatten)]
        inputs: Inputs,
        /// The output folder: `rust/events.rs`, `schemas/`, `typescript/`, `asyncapi.yaml`, `docs/`, `sql/` and `examples/` are written inside it.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Run every check on a catalog and write nothing.
    Check {
        #[command(flatten)]
        inputs: Inputs,
        /// How findings are printed: `human` (rustc-style, the default;
        /// `text` is its older name), `json`, `github` (workflow commands),
        /// `sarif` (2.1.0), `gitlab` (code quality) or `junit` (XML).
        #[arg(long, value_parser = report_format, default_value = "human")]
        format: Format,
    },
    /// Check a stream of events (one JSON envelope per line) against a catalog.
    Validate {
        #[command(flatten)]
        inputs: CatalogInputs,
        /// How findings are printed: `human` (`FILE:LINE: kind: message`, the
        /// default; `text` is its older name), `json` (one object with every
        /// finding), `github`, `sarif`, `gitlab` or `junit`. A topic or an
        /// outbox table is always reported in JSON lines.
        #[arg(long, value_parser = report_format, default_value = "human")]
        format: Format,
        /// With `--catalog`: the NDJSON file (`-` or nothing reads standard
        /// input). Without: the contracts folder, then the NDJSON file.
        #[arg(value_name = "[DIR] EVENTS", num_args = 0..=2)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        kafka: KafkaArgs,
        #[command(flatten)]
        postgres: PostgresArgs,
    },
    /// Create a crate of typed events: a one-event catalog, its envelope, build.rs and a README.
    Init(InitArgs),
    /// Compare two versions of a catalog: each change, compatible or breaking (exit 1).
    Diff {
        /// The old catalog.
        #[arg(long, value_name = "FILE", required_unless_present = "against")]
        old: Option<PathBuf>,
        /// Read the old catalog from git: the new catalog's folder at this revision.
        #[arg(long, value_name = "REV", conflicts_with = "old")]
        against: Option<String>,
        /// The new catalog.
        #[arg(long, value_name = "FILE", default_value = "contracts/catalog.md")]
        new: PathBuf,
        /// The new catalog's envelope schema [default: envelope.schema.json beside it].
        #[arg(long, value_name = "FILE")]
        envelope: Option<PathBuf>,
        /// The old catalog's envelope schema [default: envelope.schema.json beside it].
        #[arg(long, value_name = "FILE")]
        old_envelope: Option<PathBuf>,
        /// How changes are printed: `human` (`compatibility: Event.field:
        /// message`, the default; `text` is its older name), `json` (one
        /// object with every change), `github`, `sarif`, `gitlab` or `junit`.
        #[arg(long, value_parser = report_format, default_value = "human")]
        format: Format,
        /// The compatibility mode every change is judged under, as a schema
        /// registry judges it: none, backward, forward, full, or one of the
        /// last three with `_transitive` [default: each event's
        /// `Compatibility:`, else evcat.toml's `[compatibility] mode`, else
        /// evcat's own full check].
        #[arg(long, value_name = "MODE", value_parser = compatibility_mode)]
        mode: Option<evcat::contract::Mode>,
        /// A catalog lock (`catalog.lock.json`) whose published versions
        /// transitive modes also compare the new catalog with.
        #[arg(long, value_name = "FILE")]
        lock: Option<PathBuf>,
    },
}

fn compatibility_mode(text: &str) -> Result<evcat::contract::Mode, String> {
    text.parse()
}

/// `evcat validate --kafka`: the events of a topic instead of a file.
#[derive(Args)]
#[command(next_help_heading = "Kafka")]
struct KafkaArgs {
    /// Check a Kafka topic's records as a member of a consumer group, until
    /// SIGINT or SIGTERM: the bootstrap brokers (`host:port,…`). Findings
    /// are JSON lines on standard output.
    #[arg(long, value_name = "BROKERS", requires = "topic")]
    kafka: Option<String>,
    /// The topic to check.
    #[arg(long, value_name = "TOPIC", requires = "kafka")]
    topic: Option<String>,
    /// The consumer group: members of one group split the partitions.
    #[arg(
        long,
        value_name = "GROUP",
        default_value = "evcat-validate",
        requires = "kafka"
    )]
    group: String,
    /// Where to read a partition the group has no offset for.
    #[arg(long, value_enum, default_value = "earliest", requires = "kafka")]
    from: KafkaStart,
    /// Also write each finding to this topic, keyed like its record.
    #[arg(long, value_name = "TOPIC", requires = "kafka")]
    findings_topic: Option<String>,
    /// Copy each invalid record (key, value, headers) to this topic, with
    /// headers naming the finding and the record's topic, partition and offset.
    #[arg(long, value_name = "TOPIC", requires = "kafka")]
    dead_letter_topic: Option<String>,
    /// Serve Prometheus metrics at `http://ADDR/metrics`.
    #[arg(long, value_name = "ADDR", requires = "kafka")]
    metrics: Option<std::net::SocketAddr>,
    /// Offsets (or outbox positions) per epoch of the window each record is
    /// compared with: the records of its partition (or table) from the
    /// previous epoch's start on.
    #[arg(long, value_name = "OFFSETS", default_value_t = 1_000_000)]
    window: u64,
    /// What a record's key must be: `aggregate-id` (else `misrouted`), or `any`.
    #[arg(long, value_enum, default_value = "aggregate-id", requires = "kafka")]
    keyed_by: KafkaKeying,
    /// A librdkafka property, `name=value` (`security.protocol`, `sasl.*`,
    /// `session.timeout.ms` …); repeatable.
    #[arg(long = "kafka-config", value_name = "NAME=VALUE", requires = "kafka")]
    kafka_config: Vec<String>,
    /// The longest a finding waits before it is written out and the offsets
    /// it covers are committed, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1000, requires = "kafka")]
    commit_interval: u64,
}

/// `evcat validate --postgres`: the events of an outbox table instead of a file.
#[derive(Args)]
#[command(next_help_heading = "PostgreSQL outbox")]
struct PostgresArgs {
    /// Check the events of the catalog's outbox table (sql/outbox.sql) in
    /// insertion order: a connection string (`postgresql://user@host/db`,
    /// or `host=… dbname=…`). Findings are JSON lines on standard output.
    #[arg(long, value_name = "URL", conflicts_with = "kafka")]
    postgres: Option<String>,
    /// The outbox table, when not the catalog's `[outbox] table`.
    #[arg(long, value_name = "TABLE", requires = "postgres")]
    table: Option<String>,
    /// The reader's name in the readers table: where `--follow` and
    /// `--dead-letter` store its position and dead letters.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "evcat-validate",
        requires = "postgres"
    )]
    consumer: String,
    /// Go on from the reader's stored position and wait for new rows until
    /// SIGINT or SIGTERM.
    #[arg(long, requires = "postgres")]
    follow: bool,
    /// Copy each invalid row to the dead-letter table, in the transaction
    /// that stores the reader's position.
    #[arg(long, requires = "postgres")]
    dead_letter: bool,
    /// How long a follower waits before it looks for new rows again, in
    /// milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 500, requires = "postgres")]
    poll_interval: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum KafkaStart {
    Earliest,
    Latest,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum KafkaKeying {
    AggregateId,
    Any,
}

#[derive(Args)]
struct InitArgs {
    /// The folder to create the crate in (created when missing).
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// The crate's package name [default: the folder's name].
    #[arg(long, value_name = "NAME", value_parser = crate_name)]
    name: Option<String>,
    /// `seed`: `### Event` sections with `Required: { … }`; `json`: dotted names with JSON payload blocks.
    #[arg(long, value_enum, default_value_t = DialectArg::Seed)]
    dialect: DialectArg,
    /// The envelope of `contracts/envelope.schema.json` (seed dialect).
    #[arg(long, value_enum, default_value_t = EnvelopeArg::Evcat)]
    envelope: EnvelopeArg,
    /// Take evcat from this checkout of its repository instead of crates.io
    /// (writes a `[patch.crates-io]` section).
    #[arg(long, value_name = "CHECKOUT")]
    evcat_path: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum DialectArg {
    Seed,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum EnvelopeArg {
    Evcat,
    Cloudevents,
}

fn crate_name(name: &str) -> Result<String, String> {
    init::check_crate_name(name).map(|()| name.to_owned())
}

impl InitArgs {
    fn run(&self) -> ExitCode {
        let name = match &self.name {
            Some(name) => name.clone(),
            None => match folder_name(&self.dir) {
                Some(name) => match crate_name(&name) {
                    Ok(name) => name,
                    Err(problem) => {
                        eprintln!("error: the folder's name {problem}; pass `--name`");
                        return ExitCode::from(2);
                    }
                },
                None => {
                    eprintln!(
                        "error: {} has no name to give the crate; pass `--name`",
                        self.dir.display()
                    );
                    return ExitCode::from(2);
                }
            },
        };
        let options = init::InitOptions {
            name,
            dialect: match self.dialect {
                DialectArg::Seed => init::Dialect::Seed,
                DialectArg::Json => init::Dialect::Json,
            },
            envelope: match self.envelope {
                EnvelopeArg::Evcat => init::EnvelopeKind::Evcat,
                EnvelopeArg::Cloudevents => init::EnvelopeKind::CloudEvents,
            },
            evcat_path: self.evcat_path.clone(),
        };
        match init::init(&self.dir, &options) {
            Ok(written) => {
                for path in written {
                    say(format_args!("wrote {}", path.display()));
                }
                say(format_args!(
                    "next: cd {} && cargo build && cargo test",
                    self.dir.display()
                ));
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("{error}");
                ExitCode::from(error.exit_code() as u8)
            }
        }
    }
}

/// The folder's own name (of its absolute path, so `.` works).
fn folder_name(dir: &std::path::Path) -> Option<String> {
    let absolute = std::path::absolute(dir).ok()?;
    let name = absolute
        .components()
        .rev()
        .find_map(|component| match component {
            std::path::Component::Normal(name) => Some(name),
            _ => None,
        })?;
    Some(name.to_string_lossy().into_owned())
}

/// `--format`: one of evcat's report forms, by its name.
fn report_format(name: &str) -> Result<Format, String> {
    name.parse()
}

#[derive(Args)]
struct Inputs {
    /// The contracts folder, read as `build.rs` reads it: `DIR/catalog.md`,
    /// or every `DIR/<name>/catalog.md`, each with the envelope, data model,
    /// examples and `evcat.toml` beside it.
    #[arg(
        value_name = "DIR",
        required_unless_present = "catalog",
        conflicts_with_all = ["catalog", "envelope", "data_model"]
    )]
    contracts: Option<PathBuf>,
    /// One catalog file, instead of a contracts folder.
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// The envelope's JSON Schema [default: envelope.schema.json beside the catalog].
    #[arg(long, value_name = "FILE")]
    envelope: Option<PathBuf>,
    /// The data model [default: data-model.md beside the catalog, if present].
    #[arg(long, value_name = "FILE")]
    data_model: Option<PathBuf>,
}

/// `--catalog FILE` alone, for `validate`, whose positionals are its own.
#[derive(Args)]
struct CatalogInputs {
    /// One catalog file; without it, the first path is the contracts folder.
    #[arg(long, value_name = "FILE")]
    catalog: Option<PathBuf>,
    /// The envelope's JSON Schema [default: envelope.schema.json beside the catalog].
    #[arg(long, value_name = "FILE", requires = "catalog")]
    envelope: Option<PathBuf>,
    /// The data model [default: data-model.md beside the catalog, if present].
    #[arg(long, value_name = "FILE", requires = "catalog")]
    data_model: Option<PathBuf>,
}

/// The catalogs a command reads: the one `--catalog` names, or each of a
/// contracts folder, labelled as its reports name it.
fn builders(
    contracts: Option<&std::path::Path>,
    catalog: Option<&std::path::Path>,
    envelope: Option<&std::path::Path>,
    data_model: Option<&std::path::Path>,
) -> Result<Vec<(String, evcat::Builder)>, evcat::Error> {
    if let Some(catalog) = catalog {
        let mut builder = evcat::Builder::new(catalog);
        if let Some(envelope) = envelope {
            builder = builder.envelope(envelope);
        }
        if let Some(data_model) = data_model {
            builder = builder.data_model(data_model);
        }
        return Ok(vec![(catalog.display().to_string(), builder)]);
    }
    let contracts = contracts.expect("clap requires a folder or --catalog");
    let catalogs = evcat::Project::new(contracts).catalogs()?;
    Ok(catalogs
        .into_iter()
        .map(|catalog| {
            let file = match &catalog.module {
                Some(module) => contracts.join(module).join("catalog.md"),
                None => contracts.join("catalog.md"),
            };
            (file.display().to_string(), catalog.builder)
        })
        .collect())
}

impl Inputs {
    fn builders(&self) -> Result<Vec<(String, evcat::Builder)>, evcat::Error> {
        builders(
            self.contracts.as_deref(),
            self.catalog.as_deref(),
            self.envelope.as_deref(),
            self.data_model.as_deref(),
        )
    }
}

/// What each envelope property is for, in `evcat.toml`'s words, so a user
/// sees what evcat recognized and can declare otherwise.
pub(crate) fn roles_line(envelope: &evcat::ir::Envelope) -> String {
    let convention = match (envelope.declared, envelope.convention) {
        (false, evcat::ir::Convention::Evcat) => "evcat's names",
        (false, evcat::ir::Convention::CloudEvents) => "CloudEvents",
        (true, evcat::ir::Convention::Evcat) => "evcat.toml, else evcat's names",
        (true, evcat::ir::Convention::CloudEvents) => "evcat.toml, else CloudEvents",
    };
    let all = envelope.roles_by_key();
    let played: Vec<String> = all
        .iter()
        .filter_map(|(role, property)| Some(format!("{role} = {}", property.as_deref()?)))
        .collect();
    let unplayed: Vec<&str> = all
        .iter()
        .filter(|(_, property)| property.is_none())
        .map(|(role, _)| *role)
        .collect();
    let mut line = format!("envelope ({convention}): {}", played.join(", "));
    if !unplayed.is_empty() {
        line.push_str(&format!("; no {}", unplayed.join(", ")));
    }
    line
}

/// The one catalog a stream or topic is checked against: `--catalog FILE`,
/// or the contracts folder's, where it holds one (exit 2 naming the
/// folders to choose from where it holds several).
fn the_one_catalog(
    inputs: &CatalogInputs,
    contracts: Option<&std::path::Path>,
    checked: &str,
) -> Result<evcat::Builder, evcat::Error> {
    let mut catalogs = builders(
        contracts,
        inputs.catalog.as_deref(),
        inputs.envelope.as_deref(),
        inputs.data_model.as_deref(),
    )?;
    if catalogs.len() > 1 {
        let folders: Vec<String> = catalogs
            .iter()
            .map(|(label, _)| {
                std::path::Path::new(label)
                    .parent()
                    .map_or_else(String::new, |folder| folder.display().to_string())
            })
            .collect();
        eprintln!(
            "error: {} holds {} catalogs and {checked} is checked against one: name its folder, one of {}",
            contracts.map_or_else(String::new, |dir| dir.display().to_string()),
            catalogs.len(),
            folders.join(", ")
        );
        std::process::exit(2)
    }
    Ok(catalogs.remove(0).1)
}

/// `evcat validate [--catalog FILE | DIR] [EVENTS]`: one catalog checks a
/// stream, so a folder of several catalogs names the one to use.
fn validate_command(
    inputs: &CatalogInputs,
    paths: &[PathBuf],
    format: evcat::report::Format,
) -> Result<bool, evcat::Error> {
    let usage = |message: String| -> Result<bool, evcat::Error> {
        eprintln!("error: {message}");
        std::process::exit(2)
    };
    let (contracts, events) = match (&inputs.catalog, paths) {
        (Some(_), [events]) => (None, Some(events.as_path())),
        (Some(_), []) => (None, None),
        (Some(_), _) => return usage("with `--catalog`, name at most the events file".to_owned()),
        (None, [contracts]) => (Some(contracts.as_path()), None),
        (None, [contracts, events]) => (Some(contracts.as_path()), Some(events.as_path())),
        (None, _) => {
            return usage(
                "name the contracts folder (or `--catalog FILE`), then the events file".to_owned(),
            )
        }
    };
    let builder = the_one_catalog(inputs, contracts, "a stream")?;
    validate::run(builder, format, events)
}

/// `evcat validate [--catalog FILE | DIR] --kafka BROKERS --topic T`.
fn kafka_command(
    inputs: &CatalogInputs,
    paths: &[PathBuf],
    brokers: &str,
    args: &KafkaArgs,
) -> Result<bool, evcat::Error> {
    let contracts = match (&inputs.catalog, paths) {
        (Some(_), []) => None,
        (None, [contracts]) => Some(contracts.as_path()),
        _ => {
            eprintln!("error: with `--kafka`, name the contracts folder (or `--catalog FILE`) and no events file");
            std::process::exit(2)
        }
    };
    let builder = the_one_catalog(inputs, contracts, "a topic")?;
    let compiled = builder.compile()?;
    eprint!("{}", compiled.warnings);
    #[cfg(feature = "kafka")]
    {
        let options = kafka::Options {
            brokers: brokers.to_owned(),
            topic: args.topic.clone().expect("clap requires --topic"),
            group: args.group.clone(),
            start: match args.from {
                KafkaStart::Earliest => kafka::Start::Earliest,
                KafkaStart::Latest => kafka::Start::Latest,
            },
            findings_topic: args.findings_topic.clone(),
            dead_letter_topic: args.dead_letter_topic.clone(),
            metrics: args.metrics,
            window: args.window,
            keying: match args.keyed_by {
                KafkaKeying::AggregateId => kafka::Keying::AggregateId,
                KafkaKeying::Any => kafka::Keying::Any,
            },
            config: args.kafka_config.clone(),
            commit_interval: std::time::Duration::from_millis(args.commit_interval),
        };
        match kafka::run(compiled, options) {
            Ok(clean) => Ok(clean),
            Err(message) => {
                eprintln!("error: {message}");
                std::process::exit(2)
            }
        }
    }
    #[cfg(not(feature = "kafka"))]
    {
        let _ = (brokers, args, compiled);
        eprintln!(
            "error: this evcat was built without Kafka (cargo install evcat-cli --features kafka)"
        );
        std::process::exit(2)
    }
}

/// `evcat validate [--catalog FILE | DIR] --postgres URL`.
fn postgres_command(
    inputs: &CatalogInputs,
    paths: &[PathBuf],
    url: &str,
    window: u64,
    args: &PostgresArgs,
) -> Result<bool, evcat::Error> {
    let contracts = match (&inputs.catalog, paths) {
        (Some(_), []) => None,
        (None, [contracts]) => Some(contracts.as_path()),
        _ => {
            eprintln!("error: with `--postgres`, name the contracts folder (or `--catalog FILE`) and no events file");
            std::process::exit(2)
        }
    };
    let builder = the_one_catalog(inputs, contracts, "an outbox table")?;
    let compiled = builder.compile()?;
    eprint!("{}", compiled.warnings);
    #[cfg(feature = "postgres")]
    {
        let options = outbox::Options {
            url: url.to_owned(),
            table: args.table.clone(),
            consumer: args.consumer.clone(),
            follow: args.follow,
            dead_letter: args.dead_letter,
            window,
            poll_interval: std::time::Duration::from_millis(args.poll_interval),
        };
        match outbox::run(compiled, options) {
            Ok(clean) => Ok(clean),
            Err(message) => {
                eprintln!("error: {message}");
                std::process::exit(2)
            }
        }
    }
    #[cfg(not(feature = "postgres"))]
    {
        let _ = (url, window, args, compiled);
        eprintln!(
            "error: this evcat was built without PostgreSQL (cargo install evcat-cli --features postgres)"
        );
        std::process::exit(2)
    }
}

/// A line on standard output. A reader that closed the pipe (`| head`)
/// wants no more: that is no error of evcat's, and no panic.
fn say(line: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

fn main() -> ExitCode {
    // Hand freed memory back after 10 ms rather than mimalloc 3's 1 s:
    // generation frees hundreds of megabytes of token trees and JSON values
    // while it builds the next output (peak at 10,000 events: 515 MiB, not
    // 595; BENCHMARKS.md).
    // SAFETY: sets a process-wide option before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    let cli = Cli::parse();
    if let Command::Init(init) = &cli.command {
        return init.run();
    }
    // `Ok(false)`: the run found problems (exit 1) without failing.
    let result: Result<bool, evcat::Error> = match &cli.command {
        Command::Generate { inputs, out } => {
            let generated = match &inputs.contracts {
                Some(contracts) => evcat::Project::new(contracts).baselines_in(out).generate(),
                // `--catalog FILE`: one builder.
                None => inputs.builders().and_then(|mut builders| {
                    let (_, builder) = builders.remove(0);
                    builder
                        .baseline(out.join(evcat::contract::LOCK_FILE))
                        .generate()
                }),
            };
            generated.and_then(|generated| {
                eprint!("{}", generated.warnings);
                for path in generated.write_all(out)? {
                    say(format_args!("wrote {}", path.display()));
                }
                Ok(true)
            })
        }
        Command::Check { inputs, format } => inputs
            .builders()
            .and_then(|catalogs| check::run(catalogs, *format)),
        Command::Validate {
            inputs,
            format,
            paths,
            kafka,
            postgres,
        } => match (&kafka.kafka, &postgres.postgres) {
            (Some(_), _) | (_, Some(_)) if *format != Format::Human => {
                eprintln!("error: `--format` is for a file or standard input; a topic or an outbox table is reported in JSON lines");
                return ExitCode::from(2);
            }
            (Some(brokers), _) => kafka_command(inputs, paths, brokers, kafka),
            (None, Some(url)) => postgres_command(inputs, paths, url, kafka.window, postgres),
            (None, None) => validate_command(inputs, paths, *format),
        },
        Command::Init(_) => unreachable!("handled above"),
        Command::Diff {
            old,
            against,
            new,
            envelope,
            old_envelope,
            format,
            mode,
            lock,
        } => {
            let old = match (old, against) {
                (Some(old), _) => diff::Old::File(old),
                (None, Some(revision)) => diff::Old::Git(revision),
                (None, None) => unreachable!("clap requires --old or --against"),
            };
            let envelopes = diff::Envelopes {
                old: old_envelope.as_deref(),
                new: envelope.as_deref(),
            };
            let question = diff::Question {
                mode: *mode,
                lock: lock.as_deref(),
                format: *format,
            };
            diff::run(old, new, envelopes, question)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(error.exit_code() as u8)
        }
    }
}
