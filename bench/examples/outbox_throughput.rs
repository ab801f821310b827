//! The PostgreSQL outbox against its floors, in one run on one cluster of
//! its own (the tests' `evcat_testkit::postgres::Cluster`), with the
//! project's catalog:
//! - writes: N distinct `CustomerCreated` events through the typed writer
//!   (`OutboxWriter`: `validate()`, serde, one `jsonb` parameter the
//!   statement spreads over the columns) against a plain prepared `INSERT`
//!   of the same values, one per column, in transactions of 1,000 rows;
//! - reads: `evcat validate --postgres` on the N rows (reading, rebuilding
//!   each event as JSON, checking) against `COPY outbox_events TO STDOUT`
//!   of the same table, drained by the same client library.
//!
//! Each side runs three times, alternating; the best time of each counts.
//!
//! Usage: `outbox_throughput EVENTS EVCAT` (scripts/bench-outbox.sh).

use std::process::Command;
use std::time::{Duration, Instant};

use domain_events::{CustomerCreated, DomainEvent, Envelope};
use evcat_runtime::outbox::OutboxWriter;
use evcat_testkit::postgres::Cluster;
use futures_util::StreamExt;
use tokio_postgres::{Client, NoTls};

const DDL: &str = include_str!("../../generated/sql/outbox.sql");
const BATCH: usize = 1000;
const ROUNDS: usize = 3;

fn event(n: usize) -> DomainEvent {
    let id = format!("cus_{n}");
    DomainEvent::from(Envelope {
        event_name: "CustomerCreated".to_owned(),
        event_id: format!("01JC9ZAFDN7X2MJ{n:011}"),
        aggregate_type: "Customer".to_owned(),
        aggregate_id: id.clone(),
        occurred_at: "2025-11-05T14:00:00Z".to_owned(),
        actor: "system:onboarding".to_owned(),
        version: 1,
        idempotency_key: None,
        payload: CustomerCreated {
            customer_id: id,
            name: "Acme Plumbing".to_owned(),
        },
        extensions: Default::default(),
    })
}

async fn connect(url: &str) -> Client {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .expect("the cluster answers");
    tokio::spawn(connection);
    client
}

async fn empty_table(client: &Client) {
    client
        .batch_execute("TRUNCATE outbox_events RESTART IDENTITY")
        .await
        .expect("the table empties");
}

async fn typed_writes(client: &mut Client, events: &[DomainEvent]) -> Duration {
    empty_table(client).await;
    let writer = OutboxWriter::<DomainEvent>::prepare(&*client)
        .await
        .expect("the INSERT prepares");
    let start = Instant::now();
    for chunk in events.chunks(BATCH) {
        let transaction = client.transaction().await.expect("a transaction");
        for event in chunk {
            writer
                .insert(&transaction, event)
                .await
                .expect("the event goes in");
        }
        transaction.commit().await.expect("a commit");
    }
    start.elapsed()
}

/// What a producer would write by hand: a column per value.
async fn plain_writes(client: &mut Client, events: &[DomainEvent]) -> Duration {
    empty_table(client).await;
    let statement = client
        .prepare(
            "INSERT INTO outbox_events (event_name, event_id, aggregate_type, aggregate_id, occurred_at, actor, version, idempotency_key, payload) \
             VALUES ($1, $2, $3, $4, $5::text::timestamptz, $6, $7, $8, $9::text::jsonb)",
        )
        .await
        .expect("the INSERT prepares");
    let start = Instant::now();
    for chunk in events.chunks(BATCH) {
        let transaction = client.transaction().await.expect("a transaction");
        for event in chunk {
            let DomainEvent::CustomerCreated(envelope) = event else {
                unreachable!("the events are CustomerCreated");
            };
            let payload = serde_json::to_string(&envelope.payload).expect("JSON");
            let version = envelope.version as i64;
            transaction
                .execute(
                    &statement,
                    &[
                        &envelope.event_name,
                        &envelope.event_id,
                        &envelope.aggregate_type,
                        &envelope.aggregate_id,
                        &envelope.occurred_at,
                        &envelope.actor,
                        &version,
                        &envelope.idempotency_key,
                        &payload,
                    ],
                )
                .await
                .expect("the row goes in");
        }
        transaction.commit().await.expect("a commit");
    }
    start.elapsed()
}

async fn copy_out(client: &Client) -> (Duration, usize) {
    let start = Instant::now();
    let stream = client
        .copy_out("COPY outbox_events TO STDOUT")
        .await
        .expect("COPY starts");
    let mut stream = std::pin::pin!(stream);
    let mut bytes = 0;
    while let Some(chunk) = stream.next().await {
        bytes += chunk.expect("COPY data").len();
    }
    (start.elapsed(), bytes)
}

fn evcat_reads(evcat: &str, url: &str, root: &std::path::Path) -> Duration {
    let start = Instant::now();
    let output = Command::new(evcat)
        .current_dir(root)
        .args(["validate", "contracts", "--postgres", url])
        .output()
        .expect("evcat runs");
    let elapsed = start.elapsed();
    assert_eq!(
        output.status.code(),
        Some(0),
        "no findings in valid events: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    elapsed
}

fn per_second(count: usize, time: Duration) -> f64 {
    count as f64 / time.as_secs_f64()
}

fn main() {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(run());
}

async fn run() {
    let args: Vec<String> = std::env::args().collect();
    let [_, events, evcat] = args.as_slice() else {
        eprintln!("usage: outbox_throughput EVENTS EVCAT");
        std::process::exit(2);
    };
    let count: usize = events.parse().expect("EVENTS is a number");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let cluster = Cluster::start();
    let url = cluster.url("postgres");
    let mut client = connect(&url).await;
    client.batch_execute(DDL).await.expect("the DDL applies");
    let events: Vec<DomainEvent> = (0..count).map(event).collect();

    let (mut typed, mut plain) = (Duration::MAX, Duration::MAX);
    for _ in 0..ROUNDS {
        typed = typed.min(typed_writes(&mut client, &events).await);
        plain = plain.min(plain_writes(&mut client, &events).await);
    }
    println!(
        "writes: typed writer {:.0} events/s, plain prepared INSERT {:.0} rows/s: {:.2}x the plain time",
        per_second(count, typed),
        per_second(count, plain),
        typed.as_secs_f64() / plain.as_secs_f64()
    );

    // The table as the typed writer leaves it.
    typed_writes(&mut client, &events).await;
    client
        .batch_execute("VACUUM ANALYZE outbox_events")
        .await
        .expect("VACUUM");
    let (mut read, mut copy, mut bytes) = (Duration::MAX, Duration::MAX, 0);
    for _ in 0..ROUNDS {
        read = read.min(evcat_reads(evcat, &url, &root));
        let (time, copied) = copy_out(&client).await;
        copy = copy.min(time);
        bytes = copied;
    }
    println!(
        "reads: evcat validate --postgres {:.0} rows/s, COPY TO STDOUT {:.0} rows/s ({bytes} bytes): {:.2}x the COPY time",
        per_second(count, read),
        per_second(count, copy),
        read.as_secs_f64() / copy.as_secs_f64()
    );
}
