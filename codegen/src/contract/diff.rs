//! Two contracts compared: every change, classified. The policy is full
//! compatibility, both ways: consumers on the old types must read events
//! written to the new catalog, and consumers on the new types must read
//! events written before (replays, late deliveries). So a change is
//! breaking when either side would refuse an event; the rest is compatible.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Contract, EventContract, FieldContract};
use crate::ir::Version;

/// Whether readers of one version still read events of the other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compatibility {
    /// Readers of either version read events of both.
    Compatible,
    /// Some reader of one version cannot read some event of the other: the
    /// event's major version must rise.
    Breaking,
}

impl Compatibility {
    /// How the command line and JSON reports name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Compatible => "compatible",
            Self::Breaking => "breaking",
        }
    }
}

/// What changed, one kind per row of the evolution table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    /// A new event.
    EventAdded,
    /// An event is gone.
    EventRemoved,
    /// An event is gone and one with the same fields appeared.
    EventRenamed,
    /// The declared version rose.
    VersionChanged,
    /// The declared version fell.
    VersionLowered,
    /// Purpose, invariants, conditions or notes changed.
    Documentation,
    /// A field readers may ignore was added.
    OptionalFieldAdded,
    /// A field producers must now send was added.
    RequiredFieldAdded,
    /// A field is gone.
    FieldRemoved,
    /// An optional field is now required.
    BecameRequired,
    /// A required field may now be absent.
    BecameOptional,
    /// A field may now be `null`.
    BecameNullable,
    /// A field may no longer be `null`.
    NoLongerNullable,
    /// A field's type changed.
    TypeChanged,
    /// An enum gained a value.
    EnumValueAdded,
    /// An enum lost a value.
    EnumValueRemoved,
    /// The envelope now refuses members it does not declare.
    EnvelopeClosed,
    /// The envelope now accepts members it does not declare.
    EnvelopeOpened,
    /// A payload now refuses members it does not declare.
    PayloadClosed,
    /// A payload now accepts members it does not declare.
    PayloadOpened,
    /// A role (discriminator, payload, ids …) is played by another property.
    RoleMoved,
    /// No property plays a role any more.
    RoleDropped,
    /// A property now plays a role.
    RoleAdded,
    /// The discriminator's value for an event changed.
    WireNameChanged,
}

/// One difference between two contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Whether it breaks readers.
    pub compatibility: Compatibility,
    /// What changed.
    pub kind: ChangeKind,
    /// The event, as named in the old catalog; `None` for the envelope.
    pub event: Option<String>,
    /// The field, by its path from the payload or envelope (`customer.id`).
    pub field: Option<String>,
    /// The change in a sentence.
    pub message: String,
}

impl Change {
    /// `ConversationClosed.reason`, `envelope.trace_id`, `CustomerCreated`.
    pub fn subject(&self) -> String {
        let owner = self.event.as_deref().unwrap_or("envelope");
        match &self.field {
            Some(field) => format!("{owner}.{field}"),
            None => owner.to_owned(),
        }
    }
}

/// Every change from `old` to `new`: the envelope's first, then each
/// event's in name order.
pub fn diff(old: &Contract, new: &Contract) -> Vec<Change> {
    let mut changes = Vec::new();
    let envelope = Owner {
        event: None,
        closed: old.envelope.closed,
    };
    match (old.envelope.closed, new.envelope.closed) {
        (false, true) => changes.push(envelope.change(
            Compatibility::Breaking,
            ChangeKind::EnvelopeClosed,
            None,
            "the envelope now refuses unknown fields".to_owned(),
        )),
        (true, false) => changes.push(envelope.change(
            Compatibility::Compatible,
            ChangeKind::EnvelopeOpened,
            None,
            "the envelope now accepts unknown fields".to_owned(),
        )),
        _ => {}
    }
    field_changes(
        &envelope,
        &old.envelope.fields,
        &new.envelope.fields,
        &mut changes,
    );
    role_changes(
        &envelope,
        &old.envelope.roles,
        &new.envelope.roles,
        &mut changes,
    );
    let removed: Vec<&String> = old
        .events
        .keys()
        .filter(|name| !new.events.contains_key(*name))
        .collect();
    let mut added: Vec<&String> = new
        .events
        .keys()
        .filter(|name| !old.events.contains_key(*name))
        .collect();
    let mut event_changes: BTreeMap<&str, Vec<Change>> = BTreeMap::new();
    for name in removed {
        let owner = Owner {
            event: Some(name),
            closed: false,
        };
        let old_event = &old.events[name];
        // A new event with the same family and fields is this one renamed.
        let renamed = added
            .iter()
            .position(|candidate| same_shape(old_event, &new.events[*candidate]));
        let change = match renamed {
            Some(index) => {
                let new_name = added.remove(index);
                owner.change(
                    Compatibility::Breaking,
                    ChangeKind::EventRenamed,
                    None,
                    format!("renamed to `{new_name}`: consumers of `{name}` receive nothing"),
                )
            }
            None => owner.change(
                Compatibility::Breaking,
                ChangeKind::EventRemoved,
                None,
                "event removed".to_owned(),
            ),
        };
        event_changes.entry(name).or_default().push(change);
    }
    for name in added {
        let owner = Owner {
            event: Some(name),
            closed: false,
        };
        let change = owner.change(
            Compatibility::Compatible,
            ChangeKind::EventAdded,
            None,
            format!("new event of the {} family", new.events[name].family),
        );
        event_changes.entry(name).or_default().push(change);
    }
    for (name, old_event) in &old.events {
        let Some(new_event) = new.events.get(name) else {
            continue;
        };
        let owner = Owner {
            event: Some(name),
            closed: old_event.closed,
        };
        let changes = event_changes.entry(name).or_default();
        match (old_event.closed, new_event.closed) {
            (false, true) => changes.push(owner.change(
                Compatibility::Breaking,
                ChangeKind::PayloadClosed,
                None,
                "the payload now refuses unknown fields".to_owned(),
            )),
            (true, false) => changes.push(owner.change(
                Compatibility::Compatible,
                ChangeKind::PayloadOpened,
                None,
                "the payload now accepts unknown fields".to_owned(),
            )),
            _ => {}
        }
        if Version::major_of(&new_event.version) < Version::major_of(&old_event.version) {
            // The old major's schemas are published under their `$id`s; going
            // back would give different content the same ids.
            changes.push(owner.change(
                Compatibility::Breaking,
                ChangeKind::VersionLowered,
                None,
                format!(
                    "major version lowered ({} → {}): schema ids of version {} are already published",
                    old_event.version, new_event.version, old_event.version
                ),
            ));
        } else if old_event.version != new_event.version {
            changes.push(owner.change(
                Compatibility::Compatible,
                ChangeKind::VersionChanged,
                None,
                format!("version {} → {}", old_event.version, new_event.version),
            ));
        }
        let wire = |event: &EventContract| event.wire_name.clone().unwrap_or_else(|| name.clone());
        if wire(old_event) != wire(new_event) {
            changes.push(owner.change(
                Compatibility::Breaking,
                ChangeKind::WireNameChanged,
                None,
                format!(
                    "wire name `{}` → `{}`: consumers match the old one",
                    wire(old_event),
                    wire(new_event)
                ),
            ));
        }
        if old_event.docs != new_event.docs {
            changes.push(owner.change(
                Compatibility::Compatible,
                ChangeKind::Documentation,
                None,
                "documentation text changed".to_owned(),
            ));
        }
        field_changes(&owner, &old_event.fields, &new_event.fields, changes);
    }
    changes.extend(event_changes.into_values().flatten());
    changes
}

/// Roles that moved to another property, or that no property plays any
/// more, break consumers that read them; a new role is compatible. Locks
/// written before roles were recorded have none, and are not compared.
fn role_changes(
    envelope: &Owner<'_>,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    changes: &mut Vec<Change>,
) {
    if old.is_empty() {
        return;
    }
    for (role, property) in old {
        let (compatibility, kind, message) = match new.get(role) {
            Some(moved) if moved != property => (
                Compatibility::Breaking,
                ChangeKind::RoleMoved,
                format!("the `{role}` role moved from `{property}` to `{moved}`: consumers read `{property}`"),
            ),
            Some(_) => continue,
            None => (
                Compatibility::Breaking,
                ChangeKind::RoleDropped,
                format!("no property plays `{role}` any more (it was `{property}`)"),
            ),
        };
        changes.push(envelope.change(compatibility, kind, None, message));
    }
    for (role, property) in new.iter().filter(|(role, _)| !old.contains_key(*role)) {
        changes.push(envelope.change(
            Compatibility::Compatible,
            ChangeKind::RoleAdded,
            None,
            format!("`{property}` now plays `{role}`"),
        ));
    }
}

/// Whom changes are about: an event, or the envelope (`event: None`).
struct Owner<'a> {
    event: Option<&'a str>,
    /// For the envelope: whether the old one refused unknown fields.
    closed: bool,
}

impl Owner<'_> {
    fn change(
        &self,
        compatibility: Compatibility,
        kind: ChangeKind,
        field: Option<&str>,
        message: String,
    ) -> Change {
        Change {
            compatibility,
            kind,
            event: self.event.map(str::to_owned),
            field: field.map(str::to_owned),
            message,
        }
    }
}

/// A field's type as the catalog would write it: `enum(a|b)`, `integer`.
fn shown(field: &FieldContract) -> String {
    if field.values.is_empty() {
        return field.ty.clone();
    }
    let values = format!("enum({})", field.values.join("|"));
    field.ty.replace("enum", &values)
}

fn same_shape(old: &EventContract, new: &EventContract) -> bool {
    let shape = |fields: &BTreeMap<String, FieldContract>| -> Vec<(String, FieldContract)> {
        fields
            .iter()
            .map(|(name, field)| {
                let mut field = field.clone();
                field.docs.clear();
                (name.clone(), field)
            })
            .collect()
    };
    old.family == new.family && shape(&old.fields) == shape(&new.fields)
}

fn field_changes(
    owner: &Owner<'_>,
    old: &BTreeMap<String, FieldContract>,
    new: &BTreeMap<String, FieldContract>,
    changes: &mut Vec<Change>,
) {
    use Compatibility::{Breaking, Compatible};
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let field = Some(name.as_str());
        // A field on one side only: one change, and nothing more to compare.
        let one_sided = match (old.get(name), new.get(name)) {
            (Some(old), Some(new)) => Ok((old, new)),
            (Some(_), None) => Err((
                Breaking,
                ChangeKind::FieldRemoved,
                "field removed: consumers on the old types read it",
            )),
            (None, Some(new)) if new.optional && owner.closed => Err((
                Breaking,
                ChangeKind::OptionalFieldAdded,
                "new optional field, but the old envelope refuses unknown fields",
            )),
            (None, Some(new)) if new.optional => Err((
                Compatible,
                ChangeKind::OptionalFieldAdded,
                "new optional field",
            )),
            (None, Some(_)) => Err((
                Breaking,
                ChangeKind::RequiredFieldAdded,
                "new required field: events written before lack it",
            )),
            (None, None) => continue,
        };
        let (old, new) = match one_sided {
            Ok(both) => both,
            Err((compatibility, kind, message)) => {
                changes.push(owner.change(compatibility, kind, field, message.to_owned()));
                continue;
            }
        };
        if old.ty != new.ty {
            changes.push(owner.change(
                Breaking,
                ChangeKind::TypeChanged,
                field,
                format!("type changed from {} to {}", shown(old), shown(new)),
            ));
        } else {
            let removed = (
                &old.values,
                &new.values,
                ChangeKind::EnumValueRemoved,
                "removed: events written before may hold it",
            );
            let added = (
                &new.values,
                &old.values,
                ChangeKind::EnumValueAdded,
                "added: consumers on the old types refuse it",
            );
            for (from, to, kind, why) in [removed, added] {
                for value in from.iter().filter(|value| !to.contains(value)) {
                    let message = format!("enum value `{value}` {why}");
                    changes.push(owner.change(Breaking, kind, field, message));
                }
            }
        }
        // Flags that break either way: (old, new, when cleared, when set).
        let flags = [
            (
                old.optional,
                new.optional,
                (
                    ChangeKind::BecameRequired,
                    "optional → required: events written before may lack it",
                ),
                (
                    ChangeKind::BecameOptional,
                    "required → optional: consumers on the old types require it",
                ),
            ),
            (
                old.nullable,
                new.nullable,
                (
                    ChangeKind::NoLongerNullable,
                    "no longer nullable: events written before may hold null",
                ),
                (
                    ChangeKind::BecameNullable,
                    "may now be null: consumers on the old types refuse null",
                ),
            ),
        ];
        for (was, is, cleared, set) in flags {
            let (kind, message) = match (was, is) {
                (true, false) => cleared,
                (false, true) => set,
                _ => continue,
            };
            changes.push(owner.change(Breaking, kind, field, message.to_owned()));
        }
        if old.docs != new.docs {
            changes.push(owner.change(
                Compatible,
                ChangeKind::Documentation,
                field,
                "documentation text changed".to_owned(),
            ));
        }
    }
}
