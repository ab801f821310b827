//! `evcat.toml` beside the catalog: the envelope's roles, declared, and the
//! name and version the catalog is published under.
//!
//! ```toml
//! [envelope]
//! discriminator = "kind"
//! payload = "body"
//! event_id = "message_id"
//!
//! [package]
//! name = "@acme/messaging-events"
//! version = "1.4.0"
//!
//! [lint]
//! field_names = "camelCase"
//!
//! [rust.fields.OrderPlaced]
//! userId = "user_id_camel"
//!
//! [outbox]
//! table = "app.outbox_events"
//! layout = "debezium"
//!
//! [compatibility]
//! mode = "backward_transitive"
//! ```
//!
//! Every `[envelope]` key names an envelope property; the roles not declared
//! are recognized as without the file (see [`super::roles`]).

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Rule};
use crate::ident::Case;
use crate::ir::{FileId, Span};

/// A role an envelope property can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Discriminator,
    Payload,
    EventId,
    EventSource,
    AggregateType,
    AggregateId,
    AggregateVersion,
    OccurredAt,
    IdempotencyKey,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Discriminator,
        Role::Payload,
        Role::EventId,
        Role::EventSource,
        Role::AggregateType,
        Role::AggregateId,
        Role::AggregateVersion,
        Role::OccurredAt,
        Role::IdempotencyKey,
    ];

    /// Its key in `[envelope]`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Discriminator => "discriminator",
            Role::Payload => "payload",
            Role::EventId => "event_id",
            Role::EventSource => "event_source",
            Role::AggregateType => "aggregate_type",
            Role::AggregateId => "aggregate_id",
            Role::AggregateVersion => "aggregate_version",
            Role::OccurredAt => "occurred_at",
            Role::IdempotencyKey => "idempotency_key",
        }
    }
}

/// A role given a property by `evcat.toml` (or by `Builder::discriminator`,
/// then without a span).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    pub role: Role,
    pub property: String,
    pub span: Option<Span>,
}

type Spanned = toml::Spanned<String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    envelope: Option<BTreeMap<Spanned, Spanned>>,
    package: Option<PackageTable>,
    lint: Option<LintTable>,
    rust: Option<RustTable>,
    outbox: Option<OutboxTable>,
    compatibility: Option<CompatibilityTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CompatibilityTable {
    mode: Option<Spanned>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OutboxTable {
    table: Option<Spanned>,
    layout: Option<Spanned>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LintTable {
    field_names: Option<Spanned>,
    event_names: Option<Spanned>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RustTable {
    /// Owner (an event, an object type or `Envelope`) → wire name → member.
    fields: Option<BTreeMap<Spanned, BTreeMap<Spanned, Spanned>>>,
}

/// Everything `evcat.toml` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub declared: Vec<Declared>,
    pub package: PackageConfig,
    pub lint: Lint,
    pub rust_names: Vec<RustName>,
    pub outbox: OutboxConfig,
    /// `[compatibility] mode`: the catalog's compatibility mode, when set.
    pub compatibility: Option<crate::ir::Mode>,
}

/// What `[outbox]` sets, with where the layout is written (a layout that
/// needs roles the envelope lacks is an error there).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxConfig {
    /// The table's name parts, when set.
    pub table: Option<Vec<String>>,
    pub layout: crate::ir::OutboxLayout,
    pub layout_span: Option<Span>,
}

impl OutboxConfig {
    /// The outbox of a catalog: the table set, else `outbox_events`, after
    /// the catalog's module in a project of several
    /// (`billing_outbox_events`), so their tables can share a schema.
    pub fn outbox(&self, module: Option<&str>) -> crate::ir::Outbox {
        let table = match (&self.table, module) {
            (Some(table), _) => table.clone(),
            (None, Some(module)) => vec![format!("{module}_outbox_events")],
            (None, None) => crate::ir::Outbox::default().table,
        };
        crate::ir::Outbox {
            table,
            layout: self.layout,
        }
    }
}

/// The naming conventions a team holds its catalog to; `None`: any name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lint {
    /// Payload and object-type field names.
    pub field_names: Option<(Case, Span)>,
    /// Each dot-separated segment of every event's wire name.
    pub event_names: Option<(Case, Span)>,
}

/// A Rust member chosen for one field: `[rust.fields.OWNER] wire = "member"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustName {
    /// An event's catalog name, an object type's name, or `Envelope`.
    pub owner: (String, Span),
    pub wire: (String, Span),
    pub member: (String, Span),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackageTable {
    name: Option<toml::Spanned<String>>,
    version: Option<toml::Spanned<String>>,
}

/// What `[package]` sets; the rest falls back to [`crate::ir::Package::default_for`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageConfig {
    pub name: Option<String>,
    pub version: Option<String>,
}

/// An npm package name: lowercase, URL-safe, optionally `@scope/`.
const NPM_NAME_PATTERN: &str = r"^(@[a-z0-9-~][a-z0-9-._~]*/)?[a-z0-9-~][a-z0-9-._~]*$";

/// What `evcat.toml` declares; each problem is pushed to `errors`.
pub fn parse_config(file: FileId, text: &str, errors: &mut Vec<Diagnostic>) -> Config {
    let parsed = match toml::from_str::<ConfigFile>(text) {
        Ok(parsed) => parsed,
        Err(error) => {
            let range = error.span().unwrap_or(0..0);
            let end = range
                .end
                .max(range.start + 1)
                .min(text.len().max(range.start));
            let message = error.message().trim_end().to_owned();
            errors.push(
                Rule::Config.error(
                    Span::new(file, range.start..end),
                    format!("evcat.toml: {message}"),
                )
                .with_help(
                    "evcat.toml holds `[envelope]` (role = \"property\"), `[package]` (`name`, `version`), `[lint]` (`field_names`, `event_names`), `[rust.fields.Owner]` (wire = \"member\"), `[outbox]` (`table`, `layout`) and `[compatibility]` (`mode`)",
                ),
            );
            return Config::default();
        }
    };
    let package = parsed
        .package
        .map(|table| package_config(file, table, errors))
        .unwrap_or_default();
    let mut declared = Vec::new();
    for (key, property) in parsed.envelope.unwrap_or_default() {
        let key_span = Span::new(file, key.span());
        match Role::ALL.iter().find(|role| role.key() == key.get_ref()) {
            Some(&role) => declared.push(Declared {
                role,
                property: property.get_ref().clone(),
                span: Some(Span::new(file, property.span())),
            }),
            None => {
                let keys: Vec<&str> = Role::ALL.iter().map(|role| role.key()).collect();
                let help = super::suggest::help(key.get_ref(), &keys, "the roles are");
                errors.push(
                    Rule::Config
                        .error(
                            key_span,
                            format!("unknown envelope role `{}`", key.get_ref()),
                        )
                        .with_help(help),
                );
            }
        }
    }
    declared.sort_by_key(|declared| declared.role);
    let lint = parsed
        .lint
        .map(|table| Lint {
            field_names: table
                .field_names
                .and_then(|value| case(file, value, errors)),
            event_names: table
                .event_names
                .and_then(|value| case(file, value, errors)),
        })
        .unwrap_or_default();
    let rust_names = parsed
        .rust
        .and_then(|table| table.fields)
        .unwrap_or_default()
        .into_iter()
        .flat_map(|(owner, members)| {
            let owner = (owner.get_ref().clone(), Span::new(file, owner.span()));
            members.into_iter().map(move |(wire, member)| RustName {
                owner: owner.clone(),
                wire: (wire.get_ref().clone(), Span::new(file, wire.span())),
                member: (member.get_ref().clone(), Span::new(file, member.span())),
            })
        })
        .collect::<Vec<_>>();
    for name in &rust_names {
        let (member, span) = &name.member;
        if !crate::ident::is_rust_member(member) {
            errors.push(
                Rule::Config.error(*span, format!("`{member}` is not a Rust field name"))
                    .with_help("use ASCII letters, digits and `_`, starting with a letter, as in `user_id_legacy`"),
            );
        }
    }
    let outbox = parsed
        .outbox
        .map(|table| outbox_config(file, table, errors))
        .unwrap_or_default();
    let compatibility = parsed
        .compatibility
        .and_then(|table| table.mode)
        .and_then(|mode| compatibility_mode(file, &mode, errors));
    Config {
        declared,
        package,
        lint,
        rust_names,
        outbox,
        compatibility,
    }
}

/// A compatibility mode by its name, else an error at it naming the modes.
pub(super) fn compatibility_mode(
    file: FileId,
    mode: &Spanned,
    errors: &mut Vec<Diagnostic>,
) -> Option<crate::ir::Mode> {
    parse_mode(
        mode.get_ref(),
        Span::new(file, mode.span()),
        Rule::Config,
        errors,
    )
}

/// A compatibility mode written at `span` (evcat.toml, a catalog bullet).
pub(super) fn parse_mode(
    text: &str,
    span: Span,
    rule: Rule,
    errors: &mut Vec<Diagnostic>,
) -> Option<crate::ir::Mode> {
    match text.parse() {
        Ok(mode) => Some(mode),
        Err(_) => {
            let modes: Vec<&str> = crate::ir::Mode::ALL
                .iter()
                .map(|mode| mode.as_str())
                .collect();
            errors.push(
                rule.error(span, format!("unknown compatibility mode `{text}`"))
                    .with_help(super::suggest::help(text, &modes, "the modes are")),
            );
            None
        }
    }
}

/// A PostgreSQL name evcat writes unquoted in messages and quoted in SQL:
/// letters, digits and `_`, not starting with a digit, at most 63 bytes
/// (longer ones PostgreSQL cuts short).
const SQL_NAME_PATTERN: &str = r"^[A-Za-z_][A-Za-z0-9_]{0,62}$";

fn outbox_config(file: FileId, table: OutboxTable, errors: &mut Vec<Diagnostic>) -> OutboxConfig {
    let mut config = OutboxConfig::default();
    if let Some(name) = table.table {
        let parts: Vec<String> = name.get_ref().split('.').map(str::to_owned).collect();
        let rule = regex::Regex::new(SQL_NAME_PATTERN).expect("the pattern compiles");
        // The dead-letter and reader tables are named after it, 13 bytes longer.
        let fits = parts.len() <= 2
            && parts.iter().all(|part| rule.is_match(part))
            && parts.last().is_some_and(|last| last.len() <= 50);
        if fits {
            config.table = Some(parts);
        } else {
            errors.push(
                Rule::Config.error(
                    Span::new(file, name.span()),
                    format!("`{}` is not a table name", name.get_ref()),
                )
                .with_help("name the table with letters, digits and `_` (at most 50 bytes), optionally after its schema: `outbox_events`, `app.outbox_events`"),
            );
        }
    }
    if let Some(layout) = table.layout {
        let span = Span::new(file, layout.span());
        config.layout_span = Some(span);
        match layout.get_ref().as_str() {
            "columns" => config.layout = crate::ir::OutboxLayout::Columns,
            "debezium" => config.layout = crate::ir::OutboxLayout::Debezium,
            other => errors.push(
                Rule::Config
                    .error(span, format!("unknown outbox layout `{other}`"))
                    .with_help(super::suggest::help(
                        other,
                        &["columns", "debezium"],
                        "the layouts are",
                    )),
            ),
        }
    }
    config
}

/// A naming convention by its `[lint]` value.
fn case(file: FileId, value: Spanned, errors: &mut Vec<Diagnostic>) -> Option<(Case, Span)> {
    let span = Span::new(file, value.span());
    if let Some(case) = Case::from_key(value.get_ref()) {
        return Some((case, span));
    }
    let keys: Vec<&str> = Case::ALL.iter().map(|case| case.key()).collect();
    errors.push(
        Rule::Config
            .error(
                span,
                format!("unknown naming convention `{}`", value.get_ref()),
            )
            .with_help(super::suggest::help(
                value.get_ref(),
                &keys,
                "the conventions are",
            )),
    );
    None
}

fn package_config(
    file: FileId,
    table: PackageTable,
    errors: &mut Vec<Diagnostic>,
) -> PackageConfig {
    let mut checked = |value: Option<toml::Spanned<String>>, pattern: &str, what: &str| {
        let value = value?;
        let text = value.get_ref();
        let fits = regex::Regex::new(pattern).is_ok_and(|rule| rule.is_match(text));
        if fits && text.len() <= 214 {
            return Some(text.clone());
        }
        errors.push(Rule::Config.error(
            Span::new(file, value.span()),
            format!("`{text}` is not {what}"),
        ));
        None
    };
    PackageConfig {
        name: checked(
            table.name,
            NPM_NAME_PATTERN,
            "a package name: lowercase letters, digits, `-`, `.`, `_`, `~`, optionally `@scope/` first",
        ),
        version: checked(
            table.version,
            super::conventions::SEMVER_PATTERN,
            "a semantic version (`1.4.0`)",
        ),
    }
}

/// Debezium's router keys each record by the aggregate id and names it by
/// the event id: the envelope must have both roles for its layout.
pub fn check_outbox_layout(
    catalog: &crate::ir::Catalog,
    layout_span: Option<Span>,
    errors: &mut Vec<Diagnostic>,
) {
    let (crate::ir::OutboxLayout::Debezium, Some(span)) = (catalog.outbox.layout, layout_span)
    else {
        return;
    };
    let roles = &catalog.envelope.roles;
    let missing: Vec<&str> = [
        ("event_id", roles.event_id.is_none()),
        ("aggregate_id", roles.aggregate_id.is_none()),
    ]
    .into_iter()
    .filter_map(|(role, missing)| missing.then_some(role))
    .collect();
    if !missing.is_empty() {
        let listed: Vec<String> = missing.iter().map(|role| format!("`{role}`")).collect();
        errors.push(
            Rule::Config.error(
                span,
                format!(
                    "the Debezium layout needs the envelope's {} (its `id` and `aggregateid` columns)",
                    listed.join(" and ")
                ),
            )
            .with_help("name the envelope properties that play them in `[envelope]`, as in `event_id = \"id\"`"),
        );
    }
}
