//! The outbox table as columns: what each holds, its PostgreSQL type and
//! rules, how an insert fills it from the event and how a reader gets the
//! event back. The DDL and the statements are written from this alone.

use crate::ident::{sql_identifier, sql_string};
use crate::ir::{Catalog, Field, FieldType, MemberPath, OutboxLayout, Rules, Scalar};

/// The outbox table of a catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxTable {
    /// The table's name, optionally after its schema.
    pub name: Vec<String>,
    /// The insertion-order column readers resume from: `position`, or
    /// `outbox_position` when the envelope has a `position` of its own.
    pub position: String,
    /// The columns after the position, in wire order.
    pub columns: Vec<Column>,
    /// The key: the event id's column (with the event source's, where ids
    /// are unique per source); empty when the id is nested in an object or
    /// missing, and the position is the key.
    pub primary_key: Vec<String>,
    /// Expressions a unique index keeps unique: a nested event id.
    pub unique: Vec<String>,
    /// Expressions of the index readers of one aggregate use: its id, then
    /// its version.
    pub aggregate_index: Vec<String>,
    /// Rules on nested members (a discriminator inside an object), each a
    /// boolean expression over the columns.
    pub checks: Vec<String>,
}

/// One column of the outbox table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its name, unquoted.
    pub name: String,
    /// Its type.
    pub ty: SqlType,
    /// Every event has a value.
    pub not_null: bool,
    /// What its values must satisfy, as boolean expressions over it.
    pub checks: Vec<String>,
    /// What it holds, in words, for `COMMENT ON COLUMN`.
    pub comment: String,
    /// Where its value comes from in the event.
    pub source: Source,
}

/// PostgreSQL types the columns use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlType {
    /// Strings.
    Text,
    /// `character varying(255)`, as Debezium's outbox table declares it.
    Varchar255,
    /// Strings of `format: uuid`.
    Uuid,
    /// Date-times: an instant (the offset it was written with is not kept).
    Timestamptz,
    /// Strings of `format: date`.
    Date,
    /// Integers.
    Bigint,
    /// Numbers, exactly as written.
    Numeric,
    /// Booleans.
    Boolean,
    /// Objects, lists, alternatives, and members whose `null` and absence differ.
    Jsonb,
}

impl SqlType {
    /// As the DDL writes it.
    pub fn sql(self) -> &'static str {
        match self {
            SqlType::Text => "text",
            SqlType::Varchar255 => "varchar(255)",
            SqlType::Uuid => "uuid",
            SqlType::Timestamptz => "timestamptz",
            SqlType::Date => "date",
            SqlType::Bigint => "bigint",
            SqlType::Numeric => "numeric",
            SqlType::Boolean => "boolean",
            SqlType::Jsonb => "jsonb",
        }
    }
}

/// Where a column's value comes from in the event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The member at this path. Read back under its key when the column
    /// is not null; `always`: under its key even when null (a required
    /// member that may be `null`).
    Member {
        /// The member.
        path: MemberPath,
        /// Read back under its key even when the column is null.
        always: bool,
    },
    /// The event's members but these: a flat event's own fields. Read back
    /// merged into the event.
    EventWithout(Vec<String>),
    /// The whole event (Debezium's `payload`).
    Event,
    /// The family of the event whose name is at this path (Debezium's
    /// `aggregatetype` where the envelope names no aggregate type).
    FamilyOf(MemberPath),
}

impl OutboxTable {
    /// The table for a catalog's envelope and its `[outbox]` settings.
    pub fn of(catalog: &Catalog) -> Self {
        match catalog.outbox.layout {
            OutboxLayout::Columns => columns_layout(catalog),
            OutboxLayout::Debezium => debezium_layout(catalog),
        }
    }

    /// The table's name, quoted (`"app"."outbox_events"`).
    pub fn quoted_name(&self) -> String {
        quoted_with_suffix(&self.name, "")
    }

    /// The dead-letter table beside it, quoted: `"outbox_events_dead_letters"`.
    pub fn quoted_dead_letters(&self) -> String {
        quoted_with_suffix(&self.name, "_dead_letters")
    }

    /// The table of readers' positions beside it, quoted: `"outbox_events_readers"`.
    pub fn quoted_readers(&self) -> String {
        quoted_with_suffix(&self.name, "_readers")
    }

    /// The column, if any, whose member is at this path.
    pub fn column_of(&self, path: &MemberPath) -> Option<&Column> {
        self.columns.iter().find(|column| column.holds(path))
    }
}

impl Column {
    /// Whether it holds the member at this path.
    pub fn holds(&self, path: &MemberPath) -> bool {
        matches!(&self.source, Source::Member { path: member, .. } if member == path)
    }
}

fn quoted_with_suffix(name: &[String], suffix: &str) -> String {
    let (last, schema) = name.split_last().expect("a table has a name");
    let mut parts: Vec<String> = schema.iter().map(|part| sql_identifier(part)).collect();
    parts.push(sql_identifier(&format!("{last}{suffix}")));
    parts.join(".")
}

/// A column per property of the envelope's root, the payload (or a flat
/// event's own fields) as `jsonb`.
fn columns_layout(catalog: &Catalog) -> OutboxTable {
    let envelope = &catalog.envelope;
    let mut columns: Vec<Column> = envelope
        .fields
        .iter()
        .map(|field| member_column(catalog, field))
        .collect();
    let payload_key = match &envelope.payload {
        Some(payload) if payload.is_top() => Some(payload.key().to_owned()),
        Some(_) => None,
        None => Some(unused_name(&columns, "payload", "event_fields")),
    };
    if let Some(key) = payload_key {
        let source = match &envelope.payload {
            Some(payload) => Source::Member {
                path: payload.clone(),
                always: true,
            },
            None => Source::EventWithout(
                envelope
                    .fields
                    .iter()
                    .map(|field| field.name.clone())
                    .collect(),
            ),
        };
        let at = envelope.payload_position.min(columns.len());
        columns.insert(
            at,
            Column {
                name: key,
                ty: SqlType::Jsonb,
                not_null: true,
                checks: Vec::new(),
                comment: "The event's own fields, as the catalog lists them.".to_owned(),
                source,
            },
        );
    }
    let position = unused_name(&columns, "position", "outbox_position");
    let mut table = OutboxTable {
        name: catalog.outbox.table.clone(),
        position,
        columns,
        primary_key: Vec::new(),
        unique: Vec::new(),
        aggregate_index: Vec::new(),
        checks: Vec::new(),
    };
    // The event name is one of the catalog's.
    let names = event_names(catalog);
    match table
        .columns
        .iter_mut()
        .find(|column| column.holds(&envelope.discriminator))
    {
        Some(column) => {
            let check = format!("{} IN ({names})", sql_identifier(&column.name));
            column.checks.push(check);
        }
        None => {
            let value = nested_text(&envelope.discriminator);
            table
                .checks
                .push(format!("COALESCE({value} IN ({names}), false)"));
        }
    }
    let roles = &envelope.roles;
    let key_parts = [roles.event_source.as_ref(), roles.event_id.as_ref()];
    let top_key: Option<Vec<String>> = key_parts
        .iter()
        .flatten()
        .map(|path| table.column_of(path).map(|column| column.name.clone()))
        .collect();
    match (top_key, roles.event_id.is_some()) {
        (Some(key), true) => table.primary_key = key,
        (None, true) => {
            table.unique = key_parts
                .iter()
                .flatten()
                .map(|path| member_text(&table, path))
                .collect();
        }
        _ => {}
    }
    if let (Some(id), Some(version)) = (&roles.aggregate_id, &roles.aggregate_version) {
        table.aggregate_index = vec![member_text(&table, id), member_value(&table, version)];
    }
    table
}

/// Debezium's outbox router's default columns, as its documentation
/// declares them, and the reader's position.
fn debezium_layout(catalog: &Catalog) -> OutboxTable {
    let envelope = &catalog.envelope;
    let roles = &envelope.roles;
    let role_column = |name: &str, ty: SqlType, path: &Option<MemberPath>, comment: &str| Column {
        name: name.to_owned(),
        ty,
        not_null: true,
        checks: Vec::new(),
        comment: comment.to_owned(),
        source: Source::Member {
            // The configuration check makes the roles Debezium needs present.
            path: path
                .clone()
                .unwrap_or_else(|| envelope.discriminator.clone()),
            always: true,
        },
    };
    let aggregate_type = match &roles.aggregate_type {
        Some(path) => Source::Member {
            path: path.clone(),
            always: true,
        },
        None => Source::FamilyOf(envelope.discriminator.clone()),
    };
    let mut type_column = role_column(
        "type",
        SqlType::Varchar255,
        &Some(envelope.discriminator.clone()),
        "The event's name: the `type` header of the record the router writes.",
    );
    type_column.checks.push(format!(
        "{} IN ({})",
        sql_identifier("type"),
        event_names(catalog)
    ));
    // Debezium's table declares `id uuid`; its router reads any type, so
    // ids that are not UUIDs (ULIDs, prefixed ids) are kept as text.
    let id_type = match roles
        .event_id
        .as_ref()
        .and_then(|path| catalog.envelope_field(path))
        .map(column_type)
    {
        Some(SqlType::Uuid) => SqlType::Uuid,
        _ => SqlType::Varchar255,
    };
    let columns = vec![
        role_column(
            "id",
            id_type,
            &roles.event_id,
            "The event's id: the `id` header of the record the router writes.",
        ),
        Column {
            source: aggregate_type,
            ..role_column(
                "aggregatetype",
                SqlType::Varchar255,
                &None,
                "The event's family: the router writes to the topic named after it.",
            )
        },
        role_column(
            "aggregateid",
            SqlType::Varchar255,
            &roles.aggregate_id,
            "The aggregate's id: the key of the record the router writes.",
        ),
        type_column,
        Column {
            name: "payload".to_owned(),
            ty: SqlType::Jsonb,
            not_null: false,
            checks: Vec::new(),
            comment: "The event, envelope and payload: the value of the record the router writes."
                .to_owned(),
            source: Source::Event,
        },
    ];
    OutboxTable {
        name: catalog.outbox.table.clone(),
        position: "position".to_owned(),
        columns,
        primary_key: vec!["id".to_owned()],
        unique: Vec::new(),
        aggregate_index: vec![sql_identifier("aggregateid")],
        checks: Vec::new(),
    }
}

/// `name`, or `instead` when a column has it.
fn unused_name(columns: &[Column], name: &str, instead: &str) -> String {
    if columns.iter().any(|column| column.name == name) {
        instead.to_owned()
    } else {
        name.to_owned()
    }
}

/// The catalog's event names as a list of literals.
fn event_names(catalog: &Catalog) -> String {
    let names: Vec<String> = catalog
        .events()
        .map(|(_, event)| sql_string(&event.wire_name))
        .collect();
    names.join(", ")
}

/// An envelope property of the root as a column.
fn member_column(catalog: &Catalog, field: &Field) -> Column {
    let name = sql_identifier(&field.name);
    let ty = column_type(field);
    let mut checks = Vec::new();
    match ty {
        SqlType::Text => text_checks(&name, &field.rules, &mut checks),
        SqlType::Bigint | SqlType::Numeric => number_checks(&name, &field.rules, &mut checks),
        SqlType::Jsonb => match &field.ty {
            FieldType::Object | FieldType::Map(_) | FieldType::Struct(_) => {
                checks.push(format!("jsonb_typeof({name}) = 'object'"))
            }
            FieldType::Array(_) | FieldType::Tuple(_) => {
                checks.push(format!("jsonb_typeof({name}) = 'array'"))
            }
            _ => {}
        },
        _ => {}
    }
    if let FieldType::Enum(id) = &field.ty {
        let values: Vec<String> = catalog
            .enum_type(*id)
            .variants
            .iter()
            .map(|variant| sql_string(&variant.value))
            .collect();
        checks.push(format!("{name} IN ({})", values.join(", ")));
    }
    if let (Some(values), SqlType::Bigint | SqlType::Numeric | SqlType::Boolean) =
        (&field.rules.values, ty)
    {
        let listed: Vec<String> = values.iter().map(ToString::to_string).collect();
        checks.push(format!("{name} IN ({})", listed.join(", ")));
    }
    Column {
        name: field.name.clone(),
        ty,
        not_null: !field.optional && !field.holds_null(),
        checks,
        comment: field.doc.plain_text(),
        source: Source::Member {
            path: MemberPath::top(field.name.clone()),
            always: !field.optional,
        },
    }
}

/// The column type of an envelope property: its scalar's, or `jsonb` for
/// objects, lists, alternatives and members whose `null` and absence
/// differ (a `jsonb` `null` beside SQL's).
fn column_type(field: &Field) -> SqlType {
    if field.absent_or_null() {
        return SqlType::Jsonb;
    }
    match &field.ty {
        FieldType::Scalar(scalar) => match (scalar, field.rules.format.as_deref()) {
            (Scalar::Timestamp, _) | (Scalar::String, Some("date-time")) => SqlType::Timestamptz,
            (Scalar::String, Some("date")) => SqlType::Date,
            (Scalar::Uuid, _) | (Scalar::String, Some("uuid")) => SqlType::Uuid,
            (Scalar::String | Scalar::Id, _) => SqlType::Text,
            (Scalar::Integer, _) => SqlType::Bigint,
            (Scalar::Number, _) => SqlType::Numeric,
            (Scalar::Boolean, _) => SqlType::Boolean,
        },
        FieldType::Enum(_) => SqlType::Text,
        _ => SqlType::Jsonb,
    }
}

/// Lengths (in characters, as JSON Schema counts them); patterns are
/// ECMAScript and PostgreSQL's are not, so they stay with the validators.
fn text_checks(name: &str, rules: &Rules, checks: &mut Vec<String>) {
    if let Some(min) = rules.min_length.filter(|min| *min > 0) {
        checks.push(format!("char_length({name}) >= {min}"));
    }
    if let Some(max) = rules.max_length {
        checks.push(format!("char_length({name}) <= {max}"));
    }
}

fn number_checks(name: &str, rules: &Rules, checks: &mut Vec<String>) {
    let bounds = [
        (&rules.minimum, ">="),
        (&rules.exclusive_minimum, ">"),
        (&rules.maximum, "<="),
        (&rules.exclusive_maximum, "<"),
    ];
    for (bound, operator) in bounds {
        if let Some(bound) = bound {
            checks.push(format!("{name} {operator} {bound}"));
        }
    }
    if let Some(step) = &rules.multiple_of {
        checks.push(format!("mod({name}, {step}) = 0"));
    }
}

/// A member's value as text: its column, or the text at its path inside
/// the column of its outermost object.
fn member_text(table: &OutboxTable, path: &MemberPath) -> String {
    match table.column_of(path) {
        Some(column) => sql_identifier(&column.name),
        None => nested_text(path),
    }
}

/// A member's value as its column holds it, or as `jsonb` inside an object.
fn member_value(table: &OutboxTable, path: &MemberPath) -> String {
    match table.column_of(path) {
        Some(column) => sql_identifier(&column.name),
        None => format!(
            "({} #> {})",
            sql_identifier(&path.keys()[0]),
            key_array(&path.keys()[1..])
        ),
    }
}

/// The text at a nested path, inside the column of its outermost object.
fn nested_text(path: &MemberPath) -> String {
    format!(
        "({} #>> {})",
        sql_identifier(&path.keys()[0]),
        key_array(&path.keys()[1..])
    )
}

/// Keys as a `text[]` for `#>` and `#>>`.
pub(super) fn key_array(keys: &[String]) -> String {
    let keys: Vec<String> = keys.iter().map(|key| sql_string(key)).collect();
    format!("ARRAY[{}]::text[]", keys.join(", "))
}
