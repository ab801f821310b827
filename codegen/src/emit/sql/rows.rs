//! Reading the outbox fast: each row's columns as PostgreSQL writes them in
//! text, put back together as the event's JSON by the reader rather than by
//! the server. Building `jsonb` per row took three quarters of `evcat
//! validate --postgres`'s time (BENCHMARKS.md); the text of the columns
//! costs about what `COPY` does.

use super::table::{OutboxTable, Source, SqlType};
use crate::ident::sql_identifier;

/// The rows after position `$1`, at most `$2`, in insertion order: the
/// position, then each column as text for [`event_text`]. `settled`: only
/// the rows no transaction still open can precede (a follower's reads: a
/// row's position is taken at insert, the row seen at commit).
pub fn read_columns_after(table: &OutboxTable, settled: bool) -> String {
    let position = sql_identifier(&table.position);
    let columns: Vec<String> = table
        .columns
        .iter()
        .map(|column| {
            let name = sql_identifier(&column.name);
            match (&column.source, column.ty) {
                // Not part of the event (Debezium's family, read from the event).
                (Source::FamilyOf(_), _) => "NULL::text".to_owned(),
                // As PostgreSQL writes a `timestamp` in JSON: `T`, and no
                // more fractional digits than it has.
                (_, SqlType::Timestamptz) => {
                    format!("(to_jsonb({name} AT TIME ZONE 'UTC') #>> '{{}}')")
                }
                _ => format!("{name}::text"),
            }
        })
        .collect();
    // A table made by hand may number its rows with another integer type.
    super::statements::rows_after(
        table,
        &format!("{position}::bigint, {}", columns.join(", ")),
        settled,
    )
}

/// The event a row holds, as JSON text, from its columns as
/// [`read_columns_after`] selects them (`None` for SQL `NULL`), in the
/// table's order. Members keep the wire order of the columns.
pub fn event_text(table: &OutboxTable, values: &[Option<&str>]) -> String {
    let mut members: Vec<String> = Vec::new();
    let mut own_fields: Option<&str> = None;
    for (column, value) in table.columns.iter().zip(values) {
        match &column.source {
            Source::Event => return value.unwrap_or("null").to_owned(),
            Source::EventWithout(_) => own_fields = *value,
            Source::FamilyOf(_) => {}
            Source::Member { path, always } => {
                let value = match value {
                    None if !always => continue,
                    None => "null".to_owned(),
                    Some(text) => json_value(column.ty, text),
                };
                let key = serde_json::to_string(path.key()).expect("strings serialize");
                members.push(format!("{key}:{value}"));
            }
        }
    }
    // A flat event's own fields: the members of the object its column holds.
    if let Some(inner) = own_fields
        .and_then(|object| object.trim().strip_prefix('{'))
        .and_then(|object| object.strip_suffix('}'))
        .map(str::trim)
        .filter(|inner| !inner.is_empty())
    {
        members.push(inner.to_owned());
    }
    format!("{{{}}}", members.join(","))
}

/// A column's text as the JSON value the event had.
fn json_value(ty: SqlType, text: &str) -> String {
    match ty {
        SqlType::Text | SqlType::Varchar255 | SqlType::Uuid | SqlType::Date => {
            serde_json::to_string(text).expect("strings serialize")
        }
        SqlType::Timestamptz => {
            serde_json::to_string(&format!("{text}Z")).expect("strings serialize")
        }
        SqlType::Bigint | SqlType::Numeric | SqlType::Boolean | SqlType::Jsonb => text.to_owned(),
    }
}
