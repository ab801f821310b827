//! Writing events into the outbox and reading them back with
//! `tokio-postgres`, in the caller's connection or transaction.

use std::marker::PhantomData;

use tokio_postgres::{GenericClient, Statement};

use super::OutboxEvent;

/// Why an event was not written or read.
#[derive(Debug)]
pub enum OutboxError {
    /// The event breaks the catalog's rules (`field: message` each):
    /// nothing was written.
    Invalid(Vec<String>),
    /// The database refused the statement (a rule of the table, a
    /// duplicate event id) or could not be reached.
    Database(tokio_postgres::Error),
    /// A stored row is not an event of the catalog.
    Json(serde_json::Error),
}

impl std::fmt::Display for OutboxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutboxError::Invalid(violations) => {
                write!(
                    f,
                    "the event breaks the catalog's rules: {}",
                    violations.join("; ")
                )
            }
            OutboxError::Database(error) => write!(f, "the outbox: {error}"),
            OutboxError::Json(error) => write!(f, "an outbox row is not an event: {error}"),
        }
    }
}

impl std::error::Error for OutboxError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutboxError::Invalid(_) => None,
            OutboxError::Database(error) => Some(error),
            OutboxError::Json(error) => Some(error),
        }
    }
}

impl From<tokio_postgres::Error> for OutboxError {
    fn from(error: tokio_postgres::Error) -> Self {
        OutboxError::Database(error)
    }
}

/// Writes `event` into its outbox table through `client` (a connection or
/// the caller's transaction, so the event commits with the change it
/// records), after checking it against the catalog; returns its position.
pub async fn insert<C, E>(client: &C, event: &E) -> Result<i64, OutboxError>
where
    C: GenericClient + Sync,
    E: OutboxEvent,
{
    let value = checked_value(event)?;
    let row = client.query_one(E::OUTBOX.insert, &[&value]).await?;
    Ok(row.get(0))
}

/// The outbox's `INSERT`, prepared once on a connection, for producers that
/// write many events through one.
pub struct OutboxWriter<E> {
    statement: Statement,
    event: PhantomData<fn(&E)>,
}

impl<E: OutboxEvent> OutboxWriter<E> {
    /// Prepares the `INSERT` on `client`'s connection.
    pub async fn prepare<C: GenericClient + Sync>(client: &C) -> Result<Self, OutboxError> {
        Ok(Self {
            statement: client.prepare(E::OUTBOX.insert).await?,
            event: PhantomData,
        })
    }

    /// As [`insert`], on the connection the statement was prepared on (or a
    /// transaction of it).
    pub async fn insert<C: GenericClient + Sync>(
        &self,
        client: &C,
        event: &E,
    ) -> Result<i64, OutboxError> {
        let value = checked_value(event)?;
        let row = client.query_one(&self.statement, &[&value]).await?;
        Ok(row.get(0))
    }
}

fn checked_value<E: OutboxEvent>(event: &E) -> Result<serde_json::Value, OutboxError> {
    let violations = event.outbox_violations();
    if !violations.is_empty() {
        return Err(OutboxError::Invalid(violations));
    }
    serde_json::to_value(event).map_err(OutboxError::Json)
}

/// The events after position `after`, at most `limit`, in insertion order,
/// each with its position.
pub async fn read_after<C, E>(
    client: &C,
    after: i64,
    limit: i64,
) -> Result<Vec<(i64, E)>, OutboxError>
where
    C: GenericClient + Sync,
    E: OutboxEvent,
{
    let rows = client
        .query(E::OUTBOX.read_after, &[&after, &limit])
        .await?;
    rows.iter()
        .map(|row| {
            let position: i64 = row.get(0);
            let text: &str = row.get(1);
            let mut value: serde_json::Value =
                serde_json::from_str(text).map_err(OutboxError::Json)?;
            crate::whole_floats_as_integers(&mut value);
            let event = serde_json::from_value(value).map_err(OutboxError::Json)?;
            Ok((position, event))
        })
        .collect()
}
