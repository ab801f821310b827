//! The transactional outbox on PostgreSQL: the table a catalog's events are
//! stored in (`sql/outbox.sql`) and the statements that write and read it,
//! for the generated crate's typed writer and `evcat validate --postgres`.

pub use crate::emit::sql::{
    event_expression, event_text, insert, read_after, read_columns_after, Column, OutboxTable,
    ReaderStatements, Source, SqlType, OUTBOX_FILE,
};
