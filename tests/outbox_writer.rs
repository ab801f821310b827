//! The generated crate's typed outbox writer (the `postgres` feature of
//! evcat-runtime) on a real PostgreSQL: every example of the catalog goes
//! into the table `generated/sql/outbox.sql` declares, inside the caller's
//! transaction, and reads back as the same `DomainEvent`; an event that
//! breaks the catalog's rules is not written.

use domain_events::DomainEvent;
use evcat_runtime::outbox::{self, OutboxError, OutboxWriter};
use evcat_testkit::postgres::Cluster;
use tokio_postgres::NoTls;

fn examples() -> Vec<DomainEvent> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/examples");
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .expect("the examples")
        .map(|entry| entry.expect("an example").path())
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("an example file");
            serde_json::from_str(&text).expect("an example is a DomainEvent")
        })
        .collect()
}

/// `future` run to its end on a runtime of its own (tokio's macros would
/// be one more proc macro to build for two tests).
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
        .block_on(future)
}

#[test]
fn every_example_goes_through_the_typed_writer_and_reads_back_equal() {
    block_on(typed_writer_round_trip())
}

#[test]
fn an_event_that_breaks_the_catalog_is_not_written() {
    block_on(invalid_event_refused())
}

async fn typed_writer_round_trip() {
    let cluster = Cluster::start();
    let (mut client, connection) = tokio_postgres::connect(&cluster.url("postgres"), NoTls)
        .await
        .expect("the cluster answers");
    tokio::spawn(connection);
    let ddl = include_str!("../generated/sql/outbox.sql");
    client.batch_execute(ddl).await.expect("the DDL applies");
    let examples = examples();
    assert_eq!(examples.len(), 21, "an example per event");

    // Written in the caller's transaction: rolled back, nothing is stored.
    let writer = OutboxWriter::<DomainEvent>::prepare(&client)
        .await
        .expect("the INSERT prepares");
    let transaction = client.transaction().await.expect("a transaction");
    writer
        .insert(&transaction, &examples[0])
        .await
        .expect("the event goes in");
    transaction.rollback().await.expect("a rollback");
    let none: Vec<(i64, DomainEvent)> = outbox::read_after(&client, 0, 100)
        .await
        .expect("the table reads");
    assert!(none.is_empty(), "a rolled-back event stays out");

    // The synthesized examples share their event ids: each goes in, reads
    // back from its position, and is rolled back before the next.
    for event in &examples {
        let transaction = client.transaction().await.expect("a transaction");
        let position = writer
            .insert(&transaction, event)
            .await
            .unwrap_or_else(|error| panic!("{} goes in: {error}", event.event_name()));
        let back: Vec<(i64, DomainEvent)> = outbox::read_after(&transaction, position - 1, 10)
            .await
            .expect("the table reads");
        assert_eq!(
            back,
            vec![(position, event.clone())],
            "{} reads back equal",
            event.event_name()
        );
        transaction.rollback().await.expect("a rollback");
    }

    outbox::insert(&client, &examples[1])
        .await
        .expect("an event goes in outside a transaction");
    // The same event again: the table's key refuses it.
    match outbox::insert(&client, &examples[1]).await {
        Err(OutboxError::Database(error)) => assert_eq!(
            error.code(),
            Some(&tokio_postgres::error::SqlState::UNIQUE_VIOLATION)
        ),
        other => panic!("a second write of one event id is refused, not {other:?}"),
    }
}

async fn invalid_event_refused() {
    let cluster = Cluster::start();
    let (client, connection) = tokio_postgres::connect(&cluster.url("postgres"), NoTls)
        .await
        .expect("the cluster answers");
    tokio::spawn(connection);
    client
        .batch_execute(include_str!("../generated/sql/outbox.sql"))
        .await
        .expect("the DDL applies");
    let created = examples()
        .into_iter()
        .find(|event| event.event_name() == "CustomerCreated")
        .expect("CustomerCreated's example");
    let mut event = serde_json::to_value(&created).expect("JSON");
    // The aggregate id must be the payload's own id.
    event["aggregate_id"] = "someone-else".into();
    let event: DomainEvent = serde_json::from_value(event).expect("still a DomainEvent");
    match outbox::insert(&client, &event).await {
        Err(OutboxError::Invalid(violations)) => {
            assert!(
                violations
                    .iter()
                    .any(|violation| violation.starts_with("aggregate_id:")),
                "{violations:?}"
            )
        }
        other => panic!("an invalid event is refused before the database, not {other:?}"),
    }
    let rows = client
        .query_one("SELECT count(*) FROM outbox_events", &[])
        .await
        .expect("a count");
    assert_eq!(rows.get::<_, i64>(0), 0);
}
