//! `evcat validate --postgres`: the events of an outbox table, checked in
//! insertion order as a file's lines are.
//!
//! A reader named by `--consumer` that follows the table (`--follow`) or
//! dead-letters (`--dead-letter`) stores its position in the readers table,
//! in the transaction that writes the dead letters of the rows before it:
//! a reader killed and started again goes on after the last row it stored,
//! so no row is skipped or dead-lettered twice. It first replays the window
//! before that position silently, so the checker's state is the one it had.
//! Findings are JSON lines on standard output, written before the position
//! is stored: after a crash, those of the rows past the stored position are
//! written again.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use evcat::outbox::OutboxTable;
use evcat::stream::{FindingKind, Positions};
use postgres::{Client, NoTls};

use crate::windowed::{replay_start, WindowedChecker};

/// Rows read per statement (and per transaction that stores a position).
const BATCH: i64 = 1000;

pub struct Options {
    pub url: String,
    /// The table, when not the catalog's (`[outbox] table`).
    pub table: Option<String>,
    pub consumer: String,
    pub follow: bool,
    pub dead_letter: bool,
    /// Positions per epoch of the window each row is compared with.
    pub window: u64,
    /// How long a follower waits for new rows when it has read them all.
    pub poll_interval: Duration,
}

/// Reads the table to its end (or, with `--follow`, until SIGINT or
/// SIGTERM); `Ok(true)` when nothing was found.
pub fn run(compiled: evcat::Compiled, options: Options) -> Result<bool, String> {
    // The checker borrows the catalog for as long as the process reads.
    let catalog: &'static evcat::ir::Catalog = Box::leak(Box::new(compiled.catalog));
    let mut table = OutboxTable::of(catalog);
    if let Some(name) = &options.table {
        table.name = name.split('.').map(str::to_owned).collect();
    }
    let shown_name = table.name.join(".");
    let mut client = Client::connect(&options.url, NoTls)
        .map_err(|error| format!("cannot connect to PostgreSQL: {}", database_error(&error)))?;
    let exists: Option<String> = client
        .query_one("SELECT to_regclass($1)::text", &[&table.quoted_name()])
        .map_err(|error| database_error(&error))?
        .get(0);
    if exists.is_none() {
        return Err(format!(
            "no table `{shown_name}` in the database: create it with the catalog's sql/outbox.sql"
        ));
    }
    let stores_position = options.follow || options.dead_letter;
    let readers = table.quoted_sibling("_readers");
    let stored: i64 = if stores_position {
        client
            .query_opt(
                &format!("SELECT \"position\" FROM {readers} WHERE \"consumer\" = $1"),
                &[&options.consumer],
            )
            .map_err(|error| missing_sibling(&error, &readers))?
            .map_or(Ok(0), |row| row.try_get(0))
            .map_err(|error| format!("the table {readers}: {error}"))?
    } else {
        0
    };
    // Each column as text, the event put back together here: cheaper than
    // building `jsonb` on the server (BENCHMARKS.md).
    let read = evcat::outbox::read_columns_after(&table, options.follow);
    let read = client.prepare(&read).map_err(|error| {
        format!(
            "the table `{shown_name}` is not the catalog's outbox: {}",
            database_error(&error)
        )
    })?;
    let dead_letters = table.quoted_sibling("_dead_letters");
    let write_dead_letter = format!(
        "INSERT INTO {dead_letters} (\"consumer\", \"position\", \"event_id\", \"event\", \"kind\", \"error\") \
         VALUES ($1, $2, $3, $4::text::jsonb, $5, $6)"
    );
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|error| format!("cannot handle signal {signal}: {error}"))?;
    }
    // Rows up to `stored` were reported by an earlier run: replayed, silently.
    let replay_from = replay_start(stored.saturating_add(1), options.window);
    let mut checker = WindowedChecker::new(
        catalog,
        options.window,
        stored.saturating_add(1),
        Positions::Rows,
    );
    let mut after = (replay_from - 1).max(0).min(stored);
    let mut committed = stored;
    let mut findings = 0u64;
    let stdout = std::io::stdout();
    loop {
        let rows = client
            .query(&read, &[&after, &BATCH])
            .map_err(|error| database_error(&error))?;
        let mut dead = Vec::new();
        let mut out = stdout.lock();
        for row in &rows {
            // The statement casts every column it reads (to bigint, to text).
            let position: i64 = row.get(0);
            let values: Vec<Option<&str>> = (1..row.len()).map(|index| row.get(index)).collect();
            let event = evcat::outbox::event_text(&table, &values);
            after = position;
            let replay = checker.is_replay(position);
            let Some(finding) = checker.check(position, event.as_bytes()) else {
                continue;
            };
            if replay {
                continue;
            }
            findings += 1;
            let line = serde_json::json!({
                "kind": finding.kind.as_str(),
                "message": finding.message,
                "table": shown_name,
                "position": position,
                "event_id": finding.event_id,
            });
            writeln!(out, "{line}").map_err(|error| format!("cannot write a finding: {error}"))?;
            if options.dead_letter && finding.kind == FindingKind::Invalid {
                dead.push((position, finding, event));
            }
        }
        out.flush()
            .map_err(|error| format!("cannot write a finding: {error}"))?;
        drop(out);
        if stores_position && after > committed {
            let mut transaction = client
                .transaction()
                .map_err(|error| database_error(&error))?;
            // The row lock keeps a second reader of the same name out; the
            // row is made first, so that a new name is locked too.
            transaction
                .execute(
                    &format!(
                        "INSERT INTO {readers} (\"consumer\", \"position\") VALUES ($1, 0) \
                         ON CONFLICT (\"consumer\") DO NOTHING"
                    ),
                    &[&options.consumer],
                )
                .map_err(|error| database_error(&error))?;
            let current: Option<i64> = transaction
                .query_opt(
                    &format!(
                        "SELECT \"position\" FROM {readers} WHERE \"consumer\" = $1 FOR UPDATE"
                    ),
                    &[&options.consumer],
                )
                .map_err(|error| database_error(&error))?
                .map(|row| row.try_get(0))
                .transpose()
                .map_err(|error| format!("the table {readers}: {error}"))?;
            if current.unwrap_or(0) != committed {
                return Err(format!(
                    "another reader named `{}` moved its position to {}: nothing after {committed} was stored",
                    options.consumer,
                    current.unwrap_or(0)
                ));
            }
            for (position, finding, event) in &dead {
                transaction
                    .execute(
                        &write_dead_letter,
                        &[
                            &options.consumer,
                            position,
                            &finding.event_id,
                            event,
                            &finding.kind.as_str(),
                            &finding.message,
                        ],
                    )
                    .map_err(|error| missing_sibling(&error, &dead_letters))?;
            }
            transaction
                .execute(
                    &format!(
                        "UPDATE {readers} SET \"position\" = $2, \"updated_at\" = now() \
                         WHERE \"consumer\" = $1"
                    ),
                    &[&options.consumer, &after],
                )
                .map_err(|error| database_error(&error))?;
            transaction.commit().map_err(|error| {
                format!(
                    "{}; nothing after {committed} was stored",
                    database_error(&error)
                )
            })?;
            committed = after;
        }
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if (rows.len() as i64) < BATCH {
            if !options.follow {
                break;
            }
            std::thread::sleep(options.poll_interval);
            if stop.load(Ordering::Relaxed) {
                break;
            }
        }
    }
    Ok(findings == 0)
}

/// The server's message, with its detail, rather than the client's summary.
fn database_error(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_owned(),
        },
        None => error.to_string(),
    }
}

/// A table beside the outbox that the statement needs and may be missing.
fn missing_sibling(error: &postgres::Error, table: &str) -> String {
    if error.code() == Some(&postgres::error::SqlState::UNDEFINED_TABLE) {
        format!("no table {table}: create it with the catalog's sql/outbox.sql")
    } else {
        database_error(error)
    }
}
