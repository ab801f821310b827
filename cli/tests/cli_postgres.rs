//! The transactional outbox on a real PostgreSQL (a cluster of the test's
//! own, made with initdb): the generated DDL applies for catalogs of three
//! envelope shapes, every example goes in and comes back equal, the
//! database itself refuses rows that break the envelope; and `evcat
//! validate --postgres`, killed and restarted with `--follow`, finds what
//! `evcat validate` finds in the same events as a file, dead-lettering each
//! invalid row exactly once.

#![cfg(feature = "postgres")]

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use evcat_testkit::postgres::Cluster;
use postgres::{Client, NoTls};
use serde_json::Value;

/// A fresh database on the cluster.
fn database(cluster: &Cluster, name: &str) -> Client {
    let mut admin = Client::connect(&cluster.url("postgres"), NoTls).expect("the cluster answers");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("a database");
    Client::connect(&cluster.url(name), NoTls).expect("the database answers")
}

/// A catalog compiled, with its outputs.
fn compiled(catalog: &Path) -> (evcat::Compiled, BTreeMap<String, String>) {
    let builder = evcat::Builder::new(catalog);
    let compiled = builder.compile().expect("the catalog compiles");
    let generated = builder.generate().expect("the catalog generates");
    let files = generated
        .files
        .into_iter()
        .map(|file| (file.path, file.contents))
        .collect();
    (compiled, files)
}

/// The catalogs the DDL is applied for: the project's (a flat envelope of
/// its own) and every fixture's: seed 004's NeverMissCall catalog (the
/// envelope in the catalog, `uuid` ids, a nullable `causation_id`),
/// CloudEvents' published schema (ids unique per `source`), CDEvents'
/// nested envelope, flat events, camelCase and kebab-case keys, cloud
/// provider and webhook envelopes.
fn catalogs() -> Vec<(String, PathBuf)> {
    let fixtures = support::library_dir().join("tests/fixtures");
    let mut catalogs: Vec<(String, PathBuf)> = std::fs::read_dir(&fixtures)
        .expect("the fixtures")
        .map(|entry| entry.expect("a fixture").path())
        .filter(|dir| dir.join("catalog.md").is_file())
        .map(|dir| {
            let name = dir
                .file_name()
                .expect("a name")
                .to_string_lossy()
                .replace('-', "_");
            (name, dir.join("catalog.md"))
        })
        .collect();
    catalogs.sort();
    assert!(catalogs.len() >= 20, "the fixtures are found");
    catalogs.insert(
        0,
        (
            "project".to_owned(),
            support::workspace_root().join("contracts/catalog.md"),
        ),
    );
    catalogs
}

#[test]
fn the_outbox_tables_apply_and_every_example_comes_back_equal() {
    let cluster = Cluster::start();
    let mut client = database(&cluster, "catalogs");
    for (name, catalog) in catalogs() {
        let (compiled, files) = compiled(&catalog);
        // Each catalog's tables in a schema of its own.
        client
            .batch_execute(&format!("CREATE SCHEMA {name}; SET search_path TO {name}"))
            .expect("a schema");
        client
            .batch_execute(&files["sql/outbox.sql"])
            .unwrap_or_else(|error| panic!("{name}: the DDL applies: {error:?}"));
        let table = evcat::outbox::OutboxTable::of(&compiled.catalog);
        let insert = client
            .prepare(&evcat::outbox::insert(&compiled.catalog, &table))
            .unwrap_or_else(|error| panic!("{name}: the INSERT prepares: {error:?}"));
        // The synthesized examples share their event ids: each goes in, is
        // read back, and is rolled back before the next.
        for (event, example) in &compiled.examples {
            let mut transaction = client.transaction().expect("a transaction");
            let position: i64 = transaction
                .query_one(&insert, &[example])
                .unwrap_or_else(|error| panic!("{name}: {event}'s example goes in: {error:?}"))
                .get(0);
            let rows = transaction
                .query(
                    &evcat::outbox::read_after(&table),
                    &[&(position - 1), &10i64],
                )
                .expect("the rows read back");
            assert_eq!(rows.len(), 1, "{name}: {event} is the one row");
            let text: String = rows[0].get(1);
            let back: Value = serde_json::from_str(&text).expect("an event as JSON");
            assert_eq!(&back, example, "{name}: {event} comes back as it went in");
            // As `evcat validate --postgres` reads it: the columns as text,
            // the event put together by the reader.
            let row = transaction
                .query_one(
                    &evcat::outbox::read_columns_after(&table, false),
                    &[&(position - 1), &10i64],
                )
                .expect("the columns read back");
            let values: Vec<Option<&str>> = (1..row.len()).map(|index| row.get(index)).collect();
            let text = evcat::outbox::event_text(&table, &values);
            let back: Value = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("{name}: {event} as JSON text: {error}: {text}"));
            assert_eq!(
                &back, example,
                "{name}: {event} comes back from its columns"
            );
            transaction.rollback().expect("a rollback");
        }
    }
}

/// The SQLSTATE of a refused statement.
fn refusal(client: &mut Client, statement: &str) -> String {
    let error = client
        .batch_execute(statement)
        .expect_err("the database refuses the row");
    error
        .code()
        .map(|code| code.code().to_owned())
        .unwrap_or_else(|| panic!("a refusal by the server: {error:?}"))
}

#[test]
fn the_database_itself_refuses_rows_that_break_the_envelope() {
    let cluster = Cluster::start();
    let (_, files) = compiled(&support::workspace_root().join("contracts/catalog.md"));
    let mut client = database(&cluster, "refusals");
    client
        .batch_execute(&files["sql/outbox.sql"])
        .expect("the DDL applies");
    let row = |name: &str, actor: &str, version: &str| {
        format!(
            "INSERT INTO outbox_events (event_name, event_id, aggregate_type, aggregate_id, occurred_at, actor, version, payload) \
             VALUES ('{name}', '01JC9ZAFDN7X2MJ7GAX4JFA0B5', 'Customer', 'cus_1', '2025-11-05T14:00:00Z', {actor}, {version}, '{{}}')"
        )
    };
    // 23514: check_violation; 23502: not_null_violation; 22P02:
    // invalid_text_representation; 23505: unique_violation.
    assert_eq!(
        refusal(&mut client, &row("CustomerPromoted", "'system'", "1")),
        "23514",
        "an unknown event name"
    );
    assert_eq!(
        refusal(&mut client, &row("CustomerCreated", "NULL", "1")),
        "23502",
        "a missing required column"
    );
    assert_eq!(
        refusal(&mut client, &row("CustomerCreated", "'system'", "'one'")),
        "22P02",
        "a version that is not a number"
    );
    assert_eq!(
        refusal(&mut client, &row("CustomerCreated", "'system'", "0")),
        "23514",
        "a version below the envelope's minimum"
    );
    assert_eq!(
        refusal(&mut client, &row("CustomerCreated", "''", "1")),
        "23514",
        "an empty actor"
    );
    client
        .batch_execute(&row("CustomerCreated", "'system'", "1"))
        .expect("a row that keeps the rules goes in");
    assert_eq!(
        refusal(&mut client, &row("CustomerCreated", "'system'", "2")),
        "23505",
        "the same event id twice"
    );
}

/// Debezium's outbox event router reads these columns by default, typed as
/// its documentation's outbox table declares them
/// (https://debezium.io/documentation/reference/stable/transformations/outbox-event-router.html,
/// "Outbox table structure expected by Debezium"); evcat adds the
/// insertion-order position its own reader resumes from.
const DEBEZIUM_COLUMNS: [(&str, &str, &str); 6] = [
    ("position", "bigint", "NO"),
    ("id", "uuid", "NO"),
    ("aggregatetype", "character varying(255)", "NO"),
    ("aggregateid", "character varying(255)", "NO"),
    ("type", "character varying(255)", "NO"),
    ("payload", "jsonb", "YES"),
];

#[test]
fn the_debezium_layout_has_the_routers_default_columns() {
    let cluster = Cluster::start();
    // Seed 004's catalog, its correlation id keying the records.
    let dir = support::scratch_dir("outbox-debezium");
    let fixtures = support::library_dir().join("tests/fixtures/nevermisscall");
    std::fs::copy(fixtures.join("catalog.md"), dir.join("catalog.md")).expect("the catalog copies");
    support::write(
        &dir.join("evcat.toml"),
        "[envelope]\naggregate_id = \"correlation_id\"\n\n[outbox]\ntable = \"nmc_outbox\"\nlayout = \"debezium\"\n",
    );
    let (compiled, files) = compiled(&dir.join("catalog.md"));
    let mut client = database(&cluster, "debezium");
    client
        .batch_execute(&files["sql/outbox.sql"])
        .expect("the DDL applies");
    let columns: Vec<(String, String, String)> = client
        .query(
            "SELECT column_name::text, format_type(atttypid, atttypmod), is_nullable::text \
             FROM information_schema.columns JOIN pg_attribute ON attrelid = 'nmc_outbox'::regclass AND attname = column_name \
             WHERE table_name = 'nmc_outbox' ORDER BY ordinal_position",
            &[],
        )
        .expect("the columns")
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect();
    let expected: Vec<(String, String, String)> = DEBEZIUM_COLUMNS
        .iter()
        .map(|(name, ty, nullable)| (name.to_string(), ty.to_string(), nullable.to_string()))
        .collect();
    assert_eq!(columns, expected);
    // Each example goes in with its id, family, key and name in the router's
    // columns and the event, whole, as the record's value.
    let table = evcat::outbox::OutboxTable::of(&compiled.catalog);
    let insert = evcat::outbox::insert(&compiled.catalog, &table);
    for (event, example) in &compiled.examples {
        let family = compiled
            .catalog
            .events()
            .find(|(_, candidate)| &candidate.name == event)
            .map(|(family, _)| family.name.clone())
            .expect("the event's family");
        let mut transaction = client.transaction().expect("a transaction");
        let position: i64 = transaction
            .query_one(&insert, &[example])
            .unwrap_or_else(|error| panic!("{event}'s example goes in: {error:?}"))
            .get(0);
        let row = transaction
            .query_one(
                "SELECT id::text, aggregatetype, aggregateid, type, payload FROM nmc_outbox WHERE position = $1",
                &[&position],
            )
            .expect("the row");
        let id: String = row.get(0);
        assert_eq!(Some(id.as_str()), example["event_id"].as_str());
        assert_eq!(row.get::<_, String>(1), family);
        assert_eq!(
            Some(row.get::<_, String>(2).as_str()),
            example["correlation_id"].as_str()
        );
        assert_eq!(
            Some(row.get::<_, String>(3).as_str()),
            example["event_name"].as_str()
        );
        assert_eq!(&row.get::<_, Value>(4), example);
        transaction.rollback().expect("a rollback");
    }
}

/// The project's stream of every kind, as rows: `messaging.ndjson` without
/// what a table cannot hold (a line that is not JSON, a redelivery under the
/// same event id, which the primary key refuses), spread through valid
/// events of distinct aggregates. Line n is the row at position n.
fn stream() -> Vec<String> {
    let file = support::library_dir().join("tests/streams/messaging.ndjson");
    let text = std::fs::read_to_string(file).expect("the stream");
    let mut ids = BTreeSet::new();
    let special: Vec<String> = text
        .lines()
        .filter(|line| {
            serde_json::from_str::<Value>(line)
                .ok()
                .and_then(|event| event["event_id"].as_str().map(str::to_owned))
                .is_some_and(|id| ids.insert(id))
        })
        .map(str::to_owned)
        .collect();
    let valid = |n: usize| {
        serde_json::json!({
            "event_name": "CustomerCreated",
            "event_id": format!("01JC9ZAFDN7X2MJ{n:011}"),
            "aggregate_type": "Customer",
            "aggregate_id": format!("bulk_{n}"),
            "occurred_at": "2025-11-05T14:00:00.25Z",
            "actor": "system:onboarding",
            "version": 1,
            "payload": {"customer_id": format!("bulk_{n}"), "name": "Acme Plumbing"},
        })
        .to_string()
    };
    // One special line after every 350 valid ones, in the stream's order:
    // the first finding (a transition) falls in the first batch a reader
    // stores, some after it, some after the half the test inserts later.
    let mut lines = Vec::new();
    let mut special = special.into_iter();
    for n in 0..6000 {
        lines.push(valid(n));
        if n % 350 == 175 {
            lines.extend(special.next());
        }
    }
    lines.extend(special);
    lines
}

/// `(position, kind)` of each finding `evcat validate` makes of the lines
/// as a file.
fn file_findings(lines: &[String], dir: &Path) -> BTreeSet<(i64, String)> {
    let file = dir.join("rows.ndjson");
    std::fs::write(&file, lines.join("\n") + "\n").expect("the file");
    let output = Command::new(env!("CARGO_BIN_EXE_evcat"))
        .current_dir(support::workspace_root())
        .args(["validate", "contracts", "--format", "json"])
        .arg(&file)
        .output()
        .expect("evcat runs");
    let document: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    document["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|finding| {
            (
                finding["line"].as_i64().expect("line"),
                finding["kind"].as_str().expect("kind").to_owned(),
            )
        })
        .collect()
}

/// `evcat validate --postgres URL` with `options`, its output read as it
/// comes.
fn reader(url: &str, options: &[&str]) -> support::Running {
    let mut command = Command::new(env!("CARGO_BIN_EXE_evcat"));
    command
        .current_dir(support::workspace_root())
        .args(["validate", "contracts", "--postgres", url])
        .args(options);
    support::Running::spawn(command)
}

/// Ends a reader with `signal` (`-KILL`, or `-TERM` for a graceful stop):
/// its exit code and output.
fn stop(reader: support::Running, signal: &str) -> (Option<i32>, Vec<u8>, String) {
    reader.signal(signal);
    reader.finish()
}

/// `(position, kind)` of each complete JSON line a reader wrote.
fn findings(output: &[u8]) -> Vec<(i64, String)> {
    output
        .split(|byte| *byte == b'\n')
        .filter_map(|line| serde_json::from_slice::<Value>(line).ok())
        .map(|finding| {
            assert_eq!(finding["table"], "outbox_events");
            (
                finding["position"].as_i64().expect("position"),
                finding["kind"].as_str().expect("kind").to_owned(),
            )
        })
        .collect()
}

/// The reader's stored position, once it has one.
fn stored(client: &mut Client, consumer: &str) -> Option<i64> {
    client
        .query_opt(
            "SELECT position FROM outbox_events_readers WHERE consumer = $1",
            &[&consumer],
        )
        .expect("the readers table")
        .map(|row| row.get(0))
}

fn insert_all(client: &mut Client, lines: &[String]) {
    let (compiled, _) = compiled(&support::workspace_root().join("contracts/catalog.md"));
    let table = evcat::outbox::OutboxTable::of(&compiled.catalog);
    let insert = client
        .prepare(&evcat::outbox::insert(&compiled.catalog, &table))
        .expect("the INSERT prepares");
    let mut transaction = client.transaction().expect("a transaction");
    for line in lines {
        let event: Value = serde_json::from_str(line).expect("a JSON row");
        transaction
            .query_one(&insert, &[&event])
            .expect("the row goes in");
    }
    transaction.commit().expect("the rows commit");
}

#[test]
fn a_reader_killed_and_restarted_with_follow_finds_what_the_file_holds() {
    let cluster = Cluster::start();
    let (_, files) = compiled(&support::workspace_root().join("contracts/catalog.md"));
    let mut client = database(&cluster, "follow");
    client
        .batch_execute(&files["sql/outbox.sql"])
        .expect("the DDL applies");
    let url = cluster.url("follow");
    let lines = stream();
    let half = lines.len() / 2;
    insert_all(&mut client, &lines[..half]);
    let dir = support::scratch_dir("outbox-follow");
    let expected = file_findings(&lines, &dir);
    let kinds: BTreeSet<&str> = expected.iter().map(|(_, kind)| kind.as_str()).collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["conflict", "duplicate", "invalid", "stale", "transition"]),
        "the stream has a finding of every kind a table can hold"
    );
    let options = [
        "--follow",
        "--dead-letter",
        "--consumer",
        "audit",
        "--poll-interval",
        "50",
    ];
    // Killed as soon as it has stored a position: the rows past it are
    // left to the next run.
    let first = reader(&url, &options);
    let deadline = Instant::now() + Duration::from_secs(60);
    let at_kill = loop {
        if let Some(position) = stored(&mut client, "audit") {
            break position;
        }
        assert!(Instant::now() < deadline, "the reader stored no position");
        std::thread::sleep(Duration::from_millis(2));
    };
    let (_, before, _) = stop(first, "-KILL");
    let stored_at_kill = stored(&mut client, "audit").expect("a position");
    assert!(stored_at_kill >= at_kill);
    assert!(
        expected
            .iter()
            .any(|(position, _)| *position <= stored_at_kill)
            && expected
                .iter()
                .any(|(position, _)| *position > stored_at_kill),
        "findings on both sides of the position stored at the kill ({stored_at_kill})"
    );
    // The rest of the stream arrives while no reader runs.
    insert_all(&mut client, &lines[half..]);
    let second = reader(&url, &options);
    let last = lines.len() as i64;
    let deadline = Instant::now() + Duration::from_secs(120);
    while stored(&mut client, "audit") != Some(last) {
        assert!(
            Instant::now() < deadline,
            "the restarted reader did not reach the end"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let (code, after, errors) = stop(second, "-TERM");
    assert_eq!(code, Some(1), "findings, and a graceful stop: {errors}");
    let before = findings(&before);
    let after = findings(&after);
    // Nothing the first run stored is reported again; what it reported
    // past its stored position (the batch in flight) may be.
    for finding in &after {
        assert!(
            finding.0 > stored_at_kill,
            "{finding:?} was stored by the killed reader (at {stored_at_kill}) and reported again"
        );
    }
    let union: BTreeSet<(i64, String)> = before.iter().chain(&after).cloned().collect();
    assert_eq!(union, expected, "the findings of the table are the file's");
    let mut seen = BTreeSet::new();
    for finding in &after {
        assert!(
            seen.insert(finding),
            "{finding:?} reported twice by one run"
        );
    }
    // The dead-letter table holds each invalid row once.
    let dead: Vec<(i64, String, Value)> = client
        .query(
            "SELECT position, kind, event FROM outbox_events_dead_letters WHERE consumer = 'audit' ORDER BY position",
            &[],
        )
        .expect("the dead letters")
        .iter()
        .map(|row| (row.get(0), row.get(1), row.get(2)))
        .collect();
    let invalid: Vec<i64> = expected
        .iter()
        .filter(|(_, kind)| kind == "invalid")
        .map(|(position, _)| *position)
        .collect();
    assert_eq!(
        dead.iter()
            .map(|(position, ..)| *position)
            .collect::<Vec<_>>(),
        invalid
    );
    for (position, kind, event) in &dead {
        assert_eq!(kind, "invalid");
        let line: Value = serde_json::from_str(&lines[*position as usize - 1]).expect("JSON");
        assert_eq!(
            event, &line,
            "the dead letter at {position} is the row's event"
        );
    }

    // A second reader of the same name moves the stored position while a
    // follower runs: the follower stores nothing and stops.
    let mut third = reader(&url, &options);
    // Once it reads rows, it has read its stored position.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let reading: i64 = client
            .query_one(
                "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() \
                 AND query LIKE '%FROM \"outbox_events\" WHERE \"position\" >%'",
                &[],
            )
            .expect("the server's activity")
            .get(0);
        if reading > 0 {
            break;
        }
        assert!(Instant::now() < deadline, "the third reader never read");
        std::thread::sleep(Duration::from_millis(10));
    }
    client
        .execute(
            "UPDATE outbox_events_readers SET position = 5 WHERE consumer = 'audit'",
            &[],
        )
        .expect("the position moves");
    let extra = lines[0].replace("01JC9ZAFDN7X2MJ", "01JC9ZAFDN7X2MK");
    insert_all(&mut client, &[extra]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while third.child.try_wait().expect("its status").is_none() {
        if Instant::now() > deadline {
            let _ = third.child.kill();
            panic!("the third reader did not stop");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let (code, _, errors) = third.finish();
    assert_eq!(code, Some(2), "{errors}");
    assert!(errors.contains("another reader named `audit`"), "{errors}");
    assert_eq!(
        stored(&mut client, "audit"),
        Some(5),
        "nothing stored over the other reader's"
    );
}

#[test]
fn a_table_read_once_finds_what_the_file_holds_and_stores_nothing() {
    let cluster = Cluster::start();
    let (_, files) = compiled(&support::workspace_root().join("contracts/catalog.md"));
    let mut client = database(&cluster, "once");
    client
        .batch_execute(&files["sql/outbox.sql"])
        .expect("the DDL applies");
    let lines: Vec<String> = stream().into_iter().take(2000).collect();
    insert_all(&mut client, &lines);
    let expected = file_findings(&lines, &support::scratch_dir("outbox-once"));
    let (code, output, errors) = reader(&cluster.url("once"), &[]).finish();
    assert_eq!(code, Some(1), "{errors}");
    let found: BTreeSet<(i64, String)> = findings(&output).into_iter().collect();
    assert_eq!(found, expected);
    assert_eq!(stored(&mut client, "evcat-validate"), None);
}

#[test]
fn unreachable_servers_missing_tables_and_foreign_tables_are_clear_errors() {
    let cluster = Cluster::start();
    let mut client = database(&cluster, "errors");
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
        listener.local_addr().expect("its address").port()
    };
    let cases = [
        (
            format!("host=127.0.0.1 port={closed} user=postgres dbname=errors connect_timeout=5"),
            vec![],
            "cannot connect to PostgreSQL",
        ),
        (cluster.url("errors"), vec![], "no table `outbox_events`"),
        (
            cluster.url("errors"),
            vec!["--table", "app.outbox_events"],
            "no table `app.outbox_events`",
        ),
    ];
    for (url, options, message) in &cases {
        let (code, _, errors) = reader(url, options).finish();
        assert_eq!(code, Some(2), "{errors}");
        assert!(errors.contains(message), "{message:?} in {errors}");
        assert!(!errors.contains("panicked"), "{errors}");
    }
    // A table of the name with other columns.
    client
        .batch_execute("CREATE TABLE outbox_events (id bigint)")
        .expect("a table");
    let (code, _, errors) = reader(&cluster.url("errors"), &[]).finish();
    assert_eq!(code, Some(2), "{errors}");
    assert!(errors.contains("is not the catalog's outbox"), "{errors}");
    // Following needs the readers table beside it.
    let (code, _, errors) = reader(&cluster.url("errors"), &["--follow"]).finish();
    assert_eq!(code, Some(2), "{errors}");
    assert!(
        errors.contains("no table \"outbox_events_readers\""),
        "{errors}"
    );
    // A table made by hand that numbers its rows with `integer` is read
    // like the generated one.
    let (_, files) = compiled(&support::workspace_root().join("contracts/catalog.md"));
    client
        .batch_execute(&format!(
            "CREATE SCHEMA handmade; SET search_path TO handmade; {}; \
             ALTER TABLE outbox_events ALTER COLUMN position TYPE integer",
            files["sql/outbox.sql"]
        ))
        .expect("the hand-made table");
    insert_all(&mut client, &stream()[..3]);
    let (code, output, errors) = reader(
        &cluster.url("errors"),
        &["--table", "handmade.outbox_events"],
    )
    .finish();
    assert_eq!(code, Some(0), "{errors}");
    assert!(findings(&output).is_empty());
}
