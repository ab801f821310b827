//! Names beyond the wire: the Rust member each field gets (derived, or
//! chosen in `evcat.toml` where two would collide), and the naming
//! conventions a team may hold its catalog to (`[lint]`).
//!
//! The catalog takes every key its producers use; only a declared
//! convention turns a spelling into an error.

use super::config::{Config, Lint};
use crate::diagnostics::{Diagnostic, Rule};
use crate::ident::{self, Case};
use crate::ir::{Catalog, Field, Span};

/// The owner name `[rust.fields]` uses for the envelope's own fields.
const ENVELOPE_OWNER: &str = "Envelope";

/// Applies `[rust.fields]`, then refuses two fields of one object whose
/// Rust members would be the same (`userId` and `user_id`).
pub fn name_members(config: &Config, catalog: &mut Catalog, errors: &mut Vec<Diagnostic>) {
    for chosen in &config.rust_names {
        let (owner, owner_span) = &chosen.owner;
        let (wire, wire_span) = &chosen.wire;
        let Some(fields) = fields_of(catalog, owner) else {
            let mut owners = vec![ENVELOPE_OWNER.to_owned()];
            owners.extend(catalog.events().map(|(_, event)| event.name.clone()));
            owners.extend(catalog.structs.iter().map(|object| object.name.clone()));
            let owners: Vec<&str> = owners.iter().map(String::as_str).collect();
            errors.push(
                Rule::Naming
                    .error(
                        *owner_span,
                        format!(
                            "`[rust.fields]` names `{owner}`, which the catalog does not define"
                        ),
                    )
                    .with_help(super::suggest::help(
                        owner,
                        &owners,
                        "owners are `Envelope`, events and object types:",
                    )),
            );
            continue;
        };
        match fields.iter_mut().find(|field| field.name == *wire) {
            Some(field) => field.rust_name = Some(chosen.member.0.clone()),
            None => {
                let known: Vec<String> = fields.iter().map(|field| field.name.clone()).collect();
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                errors.push(
                    Rule::Naming
                        .error(*wire_span, format!("`{owner}` has no field `{wire}`"))
                        .with_help(super::suggest::help(wire, &known, "its fields are")),
                );
            }
        }
    }
    flat_field_conflicts(catalog, errors);
    let envelope = &catalog.envelope;
    let mut envelope_members: Vec<(String, &str, Option<Span>)> = envelope
        .fields
        .iter()
        .map(|field| (bare_member(field), field.name.as_str(), Some(field.span)))
        .collect();
    let payload = ident::payload_member(envelope).ident;
    // Members that are no field: what they are for stands in their place.
    // The payload's member is the object's that holds it.
    let payload_holder = envelope
        .payload
        .as_ref()
        .and_then(|path| catalog.envelope_object_of(path));
    if payload_holder.is_none() {
        envelope_members.push((bare(&payload).to_owned(), "the payload", None));
    }
    if ident::envelope_keeps_extensions(envelope) {
        envelope_members.push((
            ident::ENVELOPE_EXTENSIONS.to_owned(),
            "the members the schema does not name",
            None,
        ));
    }
    collisions(ENVELOPE_OWNER, &envelope_members, envelope.span, errors);
    for (_, event) in catalog.events() {
        collisions(&event.name, &members(&event.fields), event.span, errors);
    }
    for (index, object) in catalog.structs.iter().enumerate() {
        let mut object_members = members(&object.fields);
        if payload_holder == Some(crate::ir::StructId(index)) {
            object_members.push((bare(&payload).to_owned(), "the payload", None));
        }
        if object.envelope && !object.closed {
            object_members.push((
                ident::ENVELOPE_EXTENSIONS.to_owned(),
                "the members the schema does not name",
                None,
            ));
        }
        collisions(&object.name, &object_members, object.span, errors);
    }
}

/// Flat events share one object with the envelope: an event field named
/// like an envelope property is an error at both places.
fn flat_field_conflicts(catalog: &Catalog, errors: &mut Vec<Diagnostic>) {
    let envelope = &catalog.envelope;
    if envelope.payload.is_some() {
        return;
    }
    for (_, event) in catalog.events() {
        for field in &event.fields {
            let Some(property) = envelope
                .fields
                .iter()
                .find(|property| property.name == field.name)
            else {
                continue;
            };
            errors.push(
                Rule::Naming.error(
                    field.span,
                    format!(
                        "`{}` of `{}` has the name of an envelope property, and flat events share one object with the envelope",
                        field.name, event.name
                    ),
                )
                .with_note(property.span, "the envelope's property")
                .with_help("the envelope's property already carries it: leave it out of the event's fields, or rename one of them on the wire"),
            );
        }
    }
}

fn fields_of<'c>(catalog: &'c mut Catalog, owner: &str) -> Option<&'c mut Vec<Field>> {
    if owner == ENVELOPE_OWNER {
        return Some(&mut catalog.envelope.fields);
    }
    if let Some(object) = catalog
        .structs
        .iter_mut()
        .find(|object| object.name == owner)
    {
        return Some(&mut object.fields);
    }
    catalog
        .families
        .iter_mut()
        .flat_map(|family| family.events.iter_mut())
        .find(|event| event.name == owner)
        .map(|event| &mut event.fields)
}

fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

fn bare_member(field: &Field) -> String {
    bare(&ident::rust_field_of(field).ident).to_owned()
}

fn members(fields: &[Field]) -> Vec<(String, &str, Option<Span>)> {
    fields
        .iter()
        .map(|field| (bare_member(field), field.name.as_str(), Some(field.span)))
        .collect()
}

/// An error at each later field whose member an earlier one already has,
/// pointing at both.
fn collisions(
    owner: &str,
    members: &[(String, &str, Option<Span>)],
    owner_span: Span,
    errors: &mut Vec<Diagnostic>,
) {
    for (index, (member, wire, span)) in members.iter().enumerate() {
        let Some((_, first_wire, first_span)) = members[..index]
            .iter()
            .find(|(earlier, _, _)| earlier == member)
        else {
            continue;
        };
        let table = toml_key(owner);
        let way_out = |field: &str| {
            format!(
                "name the field's Rust member in evcat.toml: `[rust.fields.{table}]` then `{} = \"{member}_2\"`",
                toml_key(field)
            )
        };
        let (at, other, message, help) = match (span, first_span) {
            (Some(span), first) => (
                *span,
                *first,
                format!("`{first_wire}` and `{wire}` of `{owner}` would both be the Rust field `{member}`"),
                format!("both wire names stay; {}", way_out(wire)),
            ),
            (None, Some(first)) => (
                *first,
                None,
                format!("`{first_wire}` of `{owner}` would be the Rust field `{member}`, which holds {wire}"),
                way_out(first_wire),
            ),
            (None, None) => (
                owner_span,
                None,
                format!("{first_wire} and {wire} of `{owner}` would both be the Rust field `{member}`"),
                "rename a property of the envelope schema".to_owned(),
            ),
        };
        let mut error = Rule::Naming.error(at, message).with_help(help);
        if let Some(other) = other {
            error = error.with_note(other, format!("`{first_wire}` is here"));
        }
        errors.push(error);
    }
}

/// A TOML key: bare when TOML allows it, else quoted.
fn toml_key(name: &str) -> String {
    let bare = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        name.to_owned()
    } else {
        serde_json::to_string(name).expect("strings serialize")
    }
}

/// `[lint]`: field names and event wire names in the declared convention.
pub fn lint(lint: &Lint, catalog: &Catalog, errors: &mut Vec<Diagnostic>) {
    if let Some((case, declared)) = lint.field_names {
        let fields = catalog
            .events()
            .flat_map(|(_, event)| event.fields.iter())
            .chain(
                catalog
                    .structs
                    .iter()
                    .flat_map(|object| object.fields.iter()),
            );
        for field in fields {
            if !case.fits(&field.name) {
                let help = match case.convert(&field.name) {
                    Some(suggestion) => format!("write it as `{suggestion}`"),
                    None => format!("spell it in {}", case.key()),
                };
                errors.push(
                    misnamed("field name", &field.name, field.span, case, declared).with_help(help),
                );
            }
        }
    }
    if let Some((case, declared)) = lint.event_names {
        for (_, event) in catalog.events() {
            let wire = &event.wire_name;
            if wire.split('.').all(|segment| case.fits(segment)) {
                continue;
            }
            // Each dot-separated segment in the convention
            // (`com.acme.order-placed`).
            let suggestion: Option<Vec<String>> = wire
                .split('.')
                .map(|segment| {
                    if case.fits(segment) {
                        Some(segment.to_owned())
                    } else {
                        case.convert(segment)
                    }
                })
                .collect();
            let help = match (suggestion, event.wire_name_span) {
                (Some(parts), Some(_)) => format!("write it as `{}`", parts.join(".")),
                (Some(parts), None) => format!("give the event `- Wire name: {}`", parts.join(".")),
                (None, _) => format!("spell each dot-separated part in {}", case.key()),
            };
            let span = event.wire_name_span.unwrap_or(event.span);
            errors.push(misnamed("event name", wire, span, case, declared).with_help(help));
        }
    }
}

fn misnamed(what: &str, name: &str, span: Span, case: Case, declared: Span) -> Diagnostic {
    Rule::Naming
        .error(span, format!("{what} `{name}` is not {}", case.key()))
        .with_note(
            declared,
            format!("evcat.toml holds {what}s to {} here", case.key()),
        )
}
