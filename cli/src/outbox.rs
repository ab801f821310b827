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

use evcat::outbox::{OutboxTable, ReaderStatements};
use evcat::stream::{Finding, FindingKind, Positions};
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
    let statements = ReaderStatements::of(&table);
    let stored: i64 = if stores_position {
        client
            .query_opt(&statements.stored_position, &[&options.consumer])
            .map_err(|error| missing_sibling(&error, &statements.readers))?
            .map_or(0, |row| row.get(0))
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
            store_batch(
                &mut client,
                &statements,
                &options.consumer,
                committed,
                after,
                &dead,
            )?;
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

/// Stores position `after` for `consumer`, with the batch's dead letters,
/// in one transaction: nothing of the batch is stored unless all of it is.
/// The reader's row stays locked until the commit, and a position another
/// reader of the name moved since `committed` stops this one.
fn store_batch(
    client: &mut Client,
    statements: &ReaderStatements,
    consumer: &str,
    committed: i64,
    after: i64,
    dead: &[(i64, Finding, String)],
) -> Result<(), String> {
    let mut transaction = client
        .transaction()
        .map_err(|error| database_error(&error))?;
    transaction
        .execute(&statements.create_reader, &[&consumer])
        .map_err(|error| database_error(&error))?;
    let current: i64 = transaction
        .query_one(&statements.lock_position, &[&consumer])
        .map_err(|error| database_error(&error))?
        .get(0);
    if current != committed {
        return Err(format!(
            "another reader named `{consumer}` moved its position to {current}: nothing after {committed} was stored"
        ));
    }
    for (position, finding, event) in dead {
        transaction
            .execute(
                &statements.dead_letter,
                &[
                    &consumer,
                    position,
                    &finding.event_id,
                    event,
                    &finding.kind.as_str(),
                    &finding.message,
                ],
            )
            .map_err(|error| missing_sibling(&error, &statements.dead_letters))?;
    }
    transaction
        .execute(&statements.store_position, &[&consumer, &after])
        .map_err(|error| database_error(&error))?;
    transaction.commit().map_err(|error| {
        format!(
            "{}; nothing after {committed} was stored",
            database_error(&error)
        )
    })
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
