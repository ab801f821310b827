//! The transactional outbox: what the generated `DomainEvent` knows about
//! the table its catalog's events are stored in (evcat writes the table's
//! DDL to `sql/outbox.sql` and the statements here from the same
//! description), and, with the `postgres` feature, the typed writer and
//! reader on `tokio-postgres`.

/// The statements of a catalog's outbox table, generated with its DDL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outbox {
    /// The table, quoted as SQL writes it (`"outbox_events"`).
    pub table: &'static str,
    /// `INSERT` of one event given as `jsonb` in `$1`, returning its position.
    pub insert: &'static str,
    /// The rows after position `$1`, at most `$2`, in insertion order: each
    /// row's position and its event as JSON text.
    pub read_after: &'static str,
}

/// An event type stored in an outbox: the generated `DomainEvent`.
pub trait OutboxEvent: serde::Serialize + serde::de::DeserializeOwned {
    /// Its catalog's outbox table.
    const OUTBOX: Outbox;

    /// Every rule of the catalog the event breaks (`field: message`); an
    /// event with any is not written.
    fn outbox_violations(&self) -> Vec<String>;
}

#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "postgres")]
pub use postgres::{insert, read_after, OutboxError, OutboxWriter};
