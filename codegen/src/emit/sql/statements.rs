//! The statements that write events into the outbox and read them back,
//! each a function of the table: the typed writer and `evcat validate
//! --postgres` run these, so they agree with the DDL by construction.

use super::table::{key_array, Column, OutboxTable, Source, SqlType};
use crate::ident::{sql_identifier, sql_string};
use crate::ir::{Catalog, MemberPath};

/// `INSERT` of one event, given as `jsonb` in `$1`; returns the row's
/// position. Each column is cast from the event's member, so a value of the
/// wrong type fails the statement, and the table's rules refuse the rest.
pub fn insert(catalog: &Catalog, table: &OutboxTable) -> String {
    let names: Vec<String> = table
        .columns
        .iter()
        .map(|column| sql_identifier(&column.name))
        .collect();
    let values: Vec<String> = table
        .columns
        .iter()
        .map(|column| fill(catalog, column))
        .collect();
    format!(
        "INSERT INTO {} ({}) SELECT {} FROM (SELECT $1::jsonb AS e) AS event RETURNING {}",
        table.quoted_name(),
        names.join(", "),
        values.join(", "),
        sql_identifier(&table.position)
    )
}

/// The event a row holds, as `jsonb`: what `evcat validate --postgres`
/// checks and the typed reader deserializes.
pub fn event_expression(table: &OutboxTable) -> String {
    if let Some(whole) = table
        .columns
        .iter()
        .find(|column| column.source == Source::Event)
    {
        return sql_identifier(&whole.name);
    }
    let mut parts: Vec<String> = table
        .columns
        .iter()
        .filter(|column| matches!(column.source, Source::EventWithout(_)))
        .map(|column| sql_identifier(&column.name))
        .collect();
    let mut always = Vec::new();
    for column in &table.columns {
        let Source::Member { path, always: kept } = &column.source else {
            continue;
        };
        let pair = format!("{}, {}", sql_string(path.key()), as_json(column));
        if *kept {
            always.push(pair);
        } else {
            parts.push(format!(
                "CASE WHEN {} IS NULL THEN '{{}}'::jsonb ELSE jsonb_build_object({pair}) END",
                sql_identifier(&column.name)
            ));
        }
    }
    // jsonb_build_object takes at most 100 arguments.
    for chunk in always.chunks(50).rev() {
        parts.insert(0, format!("jsonb_build_object({})", chunk.join(", ")));
    }
    if parts.is_empty() {
        return "'{}'::jsonb".to_owned();
    }
    format!("({})", parts.join(" || "))
}

/// The rows after position `$1`, in insertion order, at most `$2`: their
/// positions and events as JSON text.
pub fn read_after(table: &OutboxTable) -> String {
    let select = format!(
        "{}, ({})::text",
        sql_identifier(&table.position),
        event_expression(table)
    );
    rows_after(table, &select, false)
}

/// `SELECT select` of the rows after position `$1`, at most `$2`, in
/// position order. `settled`: only rows no transaction still open can
/// precede. A position is taken when the row is inserted and the row is
/// seen when its transaction commits, so a row seen now may have a lower
/// position committed later: rows from the first one whose transaction is
/// not older than every transaction open now wait for a later read.
pub(super) fn rows_after(table: &OutboxTable, select: &str, settled: bool) -> String {
    let position = sql_identifier(&table.position);
    let name = table.quoted_name();
    let before = if settled {
        // The snapshot's oldest open transaction, as a 32-bit xid for `age`,
        // which compares modulo wraparound.
        let horizon = "age(((pg_snapshot_xmin(pg_current_snapshot())::text::bigint % 4294967296)::text)::xid)";
        format!(
            " AND {position} < COALESCE((SELECT min({position}) FROM {name} \
             WHERE {position} > $1::bigint AND age(xmin) <= {horizon}), 9223372036854775807)"
        )
    } else {
        String::new()
    };
    format!(
        "SELECT {select} FROM {name} WHERE {position} > $1::bigint{before} ORDER BY {position} LIMIT $2::bigint"
    )
}

/// What a reader of the outbox keeps its position and dead letters with,
/// in the tables the DDL declares beside the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReaderStatements {
    /// The readers table, quoted, for messages.
    pub readers: String,
    /// The dead-letter table, quoted, for messages.
    pub dead_letters: String,
    /// The position reader `$1` stored, if any.
    pub stored_position: String,
    /// Makes reader `$1`'s row at position 0 unless it has one, so that
    /// [`ReaderStatements::lock_position`] locks a row for a new name too.
    pub create_reader: String,
    /// Reader `$1`'s position, its row locked until the transaction ends.
    pub lock_position: String,
    /// Stores position `$2` for reader `$1`.
    pub store_position: String,
    /// A dead letter: consumer `$1`, position `$2`, event id `$3`, the
    /// event as JSON text `$4`, the finding's kind `$5` and message `$6`.
    pub dead_letter: String,
}

impl ReaderStatements {
    /// The statements for the tables beside `table`.
    pub fn of(table: &OutboxTable) -> Self {
        let readers = table.quoted_readers();
        let dead_letters = table.quoted_dead_letters();
        Self {
            stored_position: format!(
                "SELECT \"position\"::bigint FROM {readers} WHERE \"consumer\" = $1"
            ),
            create_reader: format!(
                "INSERT INTO {readers} (\"consumer\", \"position\") VALUES ($1, 0) \
                 ON CONFLICT (\"consumer\") DO NOTHING"
            ),
            lock_position: format!(
                "SELECT \"position\"::bigint FROM {readers} WHERE \"consumer\" = $1 FOR UPDATE"
            ),
            store_position: format!(
                "UPDATE {readers} SET \"position\" = $2, \"updated_at\" = now() \
                 WHERE \"consumer\" = $1"
            ),
            dead_letter: format!(
                "INSERT INTO {dead_letters} \
                 (\"consumer\", \"position\", \"event_id\", \"event\", \"kind\", \"error\") \
                 VALUES ($1, $2, $3, $4::text::jsonb, $5, $6)"
            ),
            readers,
            dead_letters,
        }
    }
}

/// A column's value from the event `e`, cast to its type.
fn fill(catalog: &Catalog, column: &Column) -> String {
    match &column.source {
        Source::Event => "e".to_owned(),
        Source::EventWithout(keys) => {
            let keys: Vec<String> = keys.iter().map(|key| sql_string(key)).collect();
            format!("e - ARRAY[{}]::text[]", keys.join(", "))
        }
        Source::FamilyOf(discriminator) => {
            let arms: Vec<String> = catalog
                .events()
                .map(|(family, event)| {
                    format!(
                        "WHEN {} THEN {}",
                        sql_string(&event.wire_name),
                        sql_string(&family.name)
                    )
                })
                .collect();
            format!("CASE {} {} END", text_at(discriminator), arms.join(" "))
        }
        Source::Member { path, .. } => {
            let text = text_at(path);
            let json = format!("(e #> {})", key_array(path.keys()));
            match column.ty {
                SqlType::Text | SqlType::Varchar255 => text,
                SqlType::Jsonb => json,
                SqlType::Uuid | SqlType::Timestamptz | SqlType::Date => {
                    format!("{text}::{}", column.ty.sql())
                }
                // jsonb casts to numbers and booleans refuse strings.
                SqlType::Bigint | SqlType::Numeric | SqlType::Boolean => {
                    format!("NULLIF({json}, 'null'::jsonb)::{}", column.ty.sql())
                }
            }
        }
    }
}

fn text_at(path: &MemberPath) -> String {
    format!("(e #>> {})", key_array(path.keys()))
}

/// A column's value as JSON, as the event writes it: instants in UTC with
/// `Z` and no more fractional digits than they have (PostgreSQL writes a
/// `timestamp` in JSON that way, `2025-11-05T14:00:00.25`).
fn as_json(column: &Column) -> String {
    let name = sql_identifier(&column.name);
    match column.ty {
        SqlType::Timestamptz => {
            format!("to_jsonb((to_jsonb({name} AT TIME ZONE 'UTC') #>> '{{}}') || 'Z')")
        }
        _ => format!("to_jsonb({name})"),
    }
}
