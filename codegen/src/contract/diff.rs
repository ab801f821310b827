//! Two contracts compared: every change, judged both ways — may readers on
//! the new version read events written before (backward), may readers on
//! the old version read new events (forward) — and classified under a
//! [`Policy`]: its mode says which of the two verdicts count. Without a
//! configured mode evcat asks for both (full compatibility), reading open
//! objects by their declared fields.

use std::collections::BTreeMap;

use serde::Serialize;

use super::mode::{ContentModel, Mode, Policy};
use super::rules::{compare_rules, RuleChange};
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
    /// A nested object now refuses members it does not declare.
    ObjectClosed,
    /// A nested object now accepts members it does not declare.
    ObjectOpened,
    /// A role (discriminator, payload, ids …) is played by another property.
    RoleMoved,
    /// No property plays a role any more.
    RoleDropped,
    /// A property now plays a role.
    RoleAdded,
    /// The discriminator's value for an event changed.
    WireNameChanged,
    /// A value rule (pattern, format, length, bound, list of values)
    /// accepts fewer values.
    RuleNarrowed,
    /// A value rule accepts more values.
    RuleWidened,
    /// A value rule accepts other values: some fewer, some more.
    RuleChanged,
    /// A field's default value changed.
    DefaultChanged,
}

impl ChangeKind {
    /// Every kind, in the order of the evolution table.
    pub const ALL: [ChangeKind; 30] = [
        Self::EventAdded,
        Self::EventRemoved,
        Self::EventRenamed,
        Self::VersionChanged,
        Self::VersionLowered,
        Self::Documentation,
        Self::OptionalFieldAdded,
        Self::RequiredFieldAdded,
        Self::FieldRemoved,
        Self::BecameRequired,
        Self::BecameOptional,
        Self::BecameNullable,
        Self::NoLongerNullable,
        Self::TypeChanged,
        Self::EnumValueAdded,
        Self::EnumValueRemoved,
        Self::EnvelopeClosed,
        Self::EnvelopeOpened,
        Self::PayloadClosed,
        Self::PayloadOpened,
        Self::ObjectClosed,
        Self::ObjectOpened,
        Self::RoleMoved,
        Self::RoleDropped,
        Self::RoleAdded,
        Self::WireNameChanged,
        Self::RuleNarrowed,
        Self::RuleWidened,
        Self::RuleChanged,
        Self::DefaultChanged,
    ];

    /// The kind's stable name: `field-removed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::EventAdded => "event-added",
            Self::EventRemoved => "event-removed",
            Self::EventRenamed => "event-renamed",
            Self::VersionChanged => "version-changed",
            Self::VersionLowered => "version-lowered",
            Self::Documentation => "documentation",
            Self::OptionalFieldAdded => "optional-field-added",
            Self::RequiredFieldAdded => "required-field-added",
            Self::FieldRemoved => "field-removed",
            Self::BecameRequired => "became-required",
            Self::BecameOptional => "became-optional",
            Self::BecameNullable => "became-nullable",
            Self::NoLongerNullable => "no-longer-nullable",
            Self::TypeChanged => "type-changed",
            Self::EnumValueAdded => "enum-value-added",
            Self::EnumValueRemoved => "enum-value-removed",
            Self::EnvelopeClosed => "envelope-closed",
            Self::EnvelopeOpened => "envelope-opened",
            Self::PayloadClosed => "payload-closed",
            Self::PayloadOpened => "payload-opened",
            Self::ObjectClosed => "object-closed",
            Self::ObjectOpened => "object-opened",
            Self::RoleMoved => "role-moved",
            Self::RoleDropped => "role-dropped",
            Self::RoleAdded => "role-added",
            Self::WireNameChanged => "wire-name-changed",
            Self::RuleNarrowed => "rule-narrowed",
            Self::RuleWidened => "rule-widened",
            Self::RuleChanged => "rule-changed",
            Self::DefaultChanged => "default-changed",
        }
    }

    /// What the kind of change is, in a sentence.
    pub fn description(self) -> &'static str {
        match self {
            Self::EventAdded => "A new event.",
            Self::EventRemoved => "An event is gone.",
            Self::EventRenamed => "An event is gone and one with the same fields appeared.",
            Self::VersionChanged => "The declared version rose.",
            Self::VersionLowered => "The declared version fell.",
            Self::Documentation => "Purpose, invariants, conditions or notes changed.",
            Self::OptionalFieldAdded => "A field readers may ignore was added.",
            Self::RequiredFieldAdded => "A field producers must now send was added.",
            Self::FieldRemoved => "A field is gone.",
            Self::BecameRequired => "An optional field is now required.",
            Self::BecameOptional => "A required field may now be absent.",
            Self::BecameNullable => "A field may now be `null`.",
            Self::NoLongerNullable => "A field may no longer be `null`.",
            Self::TypeChanged => "A field's type changed.",
            Self::EnumValueAdded => "An enum gained a value.",
            Self::EnumValueRemoved => "An enum lost a value.",
            Self::EnvelopeClosed => "The envelope now refuses members it does not declare.",
            Self::EnvelopeOpened => "The envelope now accepts members it does not declare.",
            Self::PayloadClosed => "A payload now refuses members it does not declare.",
            Self::PayloadOpened => "A payload now accepts members it does not declare.",
            Self::ObjectClosed => "A nested object now refuses members it does not declare.",
            Self::ObjectOpened => "A nested object now accepts members it does not declare.",
            Self::RoleMoved => "A role (discriminator, payload, ids …) is played by another property.",
            Self::RoleDropped => "No property plays a role any more.",
            Self::RoleAdded => "A property now plays a role.",
            Self::WireNameChanged => "The discriminator's value for an event changed.",
            Self::RuleNarrowed => "A value rule (pattern, format, length, bound, list of values) accepts fewer values.",
            Self::RuleWidened => "A value rule accepts more values.",
            Self::RuleChanged => "A value rule accepts other values: some fewer, some more.",
            Self::DefaultChanged => "A field's default value changed.",
        }
    }
}

/// One difference between two contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Whether it breaks readers under its mode.
    pub compatibility: Compatibility,
    /// Whether readers on the new version still read events written with
    /// the old one.
    pub backward: Compatibility,
    /// Whether readers on the old version still read events written with
    /// the new one.
    pub forward: Compatibility,
    /// The mode it was judged under.
    pub mode: Mode,
    /// What changed.
    pub kind: ChangeKind,
    /// The event, as named in the old catalog; `None` for the envelope.
    pub event: Option<String>,
    /// The field, by its path from the payload or envelope (`customer.id`).
    pub field: Option<String>,
    /// The change in a sentence, with why it breaks where it does.
    pub message: String,
    /// The published version it was compared with, when not the previous
    /// one (transitive modes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub against: Option<String>,
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

/// Why a change breaks readers in one direction; `None`: they still read.
type Why<'a> = Option<&'a str>;

/// Every change from `old` to `new` under evcat's default policy (full,
/// declared fields): the envelope's first, then each event's in name order.
pub fn diff(old: &Contract, new: &Contract) -> Vec<Change> {
    diff_under(old, new, &|_| Policy::DEFAULT)
}

/// Every change from `old` to `new`, each judged under the policy
/// `policy_of` gives its event (`None`: the envelope).
pub fn diff_under(
    old: &Contract,
    new: &Contract,
    policy_of: &dyn Fn(Option<&str>) -> Policy,
) -> Vec<Change> {
    let mut changes = Vec::new();
    let envelope = Owner {
        event: None,
        old_closed: old.envelope.closed,
        new_closed: new.envelope.closed,
        policy: policy_of(None),
    };
    envelope.content_model_change(
        ChangeKind::EnvelopeClosed,
        ChangeKind::EnvelopeOpened,
        "the envelope",
        &mut changes,
    );
    field_changes_with(
        &envelope,
        &old.envelope.fields,
        &new.envelope.fields,
        old.value_rules && new.value_rules,
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
        let owner = Owner::event(name, &old.events[name], None, policy_of(Some(name)));
        let old_event = &old.events[name];
        // A new event with the same family and fields is this one renamed.
        let renamed = added
            .iter()
            .position(|candidate| same_shape(old_event, &new.events[*candidate]));
        let change = match renamed {
            Some(index) => {
                let new_name = added.remove(index);
                let lost = format!("consumers of `{name}` receive nothing");
                owner.change(
                    ChangeKind::EventRenamed,
                    None,
                    format!("renamed to `{new_name}`"),
                    Some("readers on the new version do not know the old name"),
                    Some(&lost),
                )
            }
            None => owner.change(
                ChangeKind::EventRemoved,
                None,
                "event removed".to_owned(),
                Some("readers on the new version do not know events of it written before"),
                None,
            ),
        };
        event_changes.entry(name).or_default().push(change);
    }
    for name in added {
        let owner = Owner::event(name, &new.events[name], None, policy_of(Some(name)));
        let change = owner.change(
            ChangeKind::EventAdded,
            None,
            format!("new event of the {} family", new.events[name].family),
            None,
            None,
        );
        event_changes.entry(name).or_default().push(change);
    }
    for (name, old_event) in &old.events {
        let Some(new_event) = new.events.get(name) else {
            continue;
        };
        let owner = Owner::event(name, old_event, Some(new_event), policy_of(Some(name)));
        let changes = event_changes.entry(name).or_default();
        owner.content_model_change(
            ChangeKind::PayloadClosed,
            ChangeKind::PayloadOpened,
            "the payload",
            changes,
        );
        if Version::major_of(&new_event.version) < Version::major_of(&old_event.version) {
            // The old major's schemas are published under their `$id`s; going
            // back would give different content the same ids.
            let why = "schema ids of the old version are already published";
            changes.push(owner.change(
                ChangeKind::VersionLowered,
                None,
                format!(
                    "major version lowered ({} → {})",
                    old_event.version, new_event.version
                ),
                Some(why),
                Some(why),
            ));
        } else if old_event.version != new_event.version {
            changes.push(owner.change(
                ChangeKind::VersionChanged,
                None,
                format!("version {} → {}", old_event.version, new_event.version),
                None,
                None,
            ));
        }
        let wire = |event: &EventContract| event.wire_name.clone().unwrap_or_else(|| name.clone());
        if wire(old_event) != wire(new_event) {
            changes.push(owner.change(
                ChangeKind::WireNameChanged,
                None,
                format!("wire name `{}` → `{}`", wire(old_event), wire(new_event)),
                Some("readers on the new version do not match events written before"),
                Some("consumers match the old name"),
            ));
        }
        if old_event.docs != new_event.docs {
            changes.push(owner.change(
                ChangeKind::Documentation,
                None,
                "documentation text changed".to_owned(),
                None,
                None,
            ));
        }
        let rules = old.value_rules && new.value_rules;
        field_changes_with(&owner, &old_event.fields, &new_event.fields, rules, changes);
    }
    changes.extend(event_changes.into_values().flatten());
    changes
}

/// The changes from each published version of `new`'s events, in `old`'s
/// lock, of the same major version, under a transitive mode: what a
/// registry set to `…_TRANSITIVE` compares beside the previous version.
/// Each change names the version it was compared with.
pub fn diff_published(
    old: &Contract,
    new: &Contract,
    policy_of: &dyn Fn(Option<&str>) -> Policy,
) -> Vec<Change> {
    let mut changes = Vec::new();
    for (name, new_event) in &new.events {
        let policy = policy_of(Some(name));
        if !policy.mode.is_transitive() {
            continue;
        }
        let Some(old_event) = old.events.get(name) else {
            continue;
        };
        let major = Version::major_of(&new_event.version);
        for published in &old_event.published {
            if Version::major_of(&published.version) != major {
                continue;
            }
            let single = |event: &EventContract, rules: bool| Contract {
                format: old.format,
                envelope: old.envelope.clone(),
                events: BTreeMap::from([(name.clone(), event.clone())]),
                value_rules: rules,
            };
            let mut current = new_event.clone();
            current.published.clear();
            current.docs.clone_from(&published.docs);
            let found = diff_under(
                &single(published, old.value_rules),
                &single(&current, new.value_rules),
                &|_| policy,
            );
            changes.extend(
                found
                    .into_iter()
                    .filter(|change| {
                        change.event.is_some() && change.kind != ChangeKind::VersionChanged
                    })
                    .map(|mut change| {
                        change.message = format!(
                            "against published version {}: {}",
                            published.version, change.message
                        );
                        change.against = Some(published.version.clone());
                        change
                    }),
            );
        }
    }
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
        let (kind, message) = match new.get(role) {
            Some(moved) if moved != property => (
                ChangeKind::RoleMoved,
                format!("the `{role}` role moved from `{property}` to `{moved}`"),
            ),
            Some(_) => continue,
            None => (
                ChangeKind::RoleDropped,
                format!("no property plays `{role}` any more (it was `{property}`)"),
            ),
        };
        let why = "readers find the role where it was";
        changes.push(envelope.change(kind, None, message, Some(why), Some(why)));
    }
    for (role, property) in new.iter().filter(|(role, _)| !old.contains_key(*role)) {
        changes.push(envelope.change(
            ChangeKind::RoleAdded,
            None,
            format!("`{property}` now plays `{role}`"),
            None,
            None,
        ));
    }
}

/// Whom changes are about: an event, or the envelope (`event: None`).
struct Owner<'a> {
    event: Option<&'a str>,
    /// Whether the old and the new object refuse members they do not
    /// declare (nested objects are taken to be as closed as their event).
    old_closed: bool,
    new_closed: bool,
    policy: Policy,
}

impl<'a> Owner<'a> {
    fn event(
        name: &'a str,
        old: &EventContract,
        new: Option<&EventContract>,
        policy: Policy,
    ) -> Self {
        Self {
            event: Some(name),
            old_closed: old.closed,
            new_closed: new.map_or(old.closed, |new| new.closed),
            policy,
        }
    }

    fn published(&self) -> bool {
        self.policy.content == ContentModel::Published
    }

    /// Whether a reader takes the field's default when it is absent: a
    /// registry's rules say so; evcat's generated readers do not.
    fn fills(&self, field: &FieldContract) -> bool {
        self.published() && field.default.is_some()
    }

    /// A change judged both ways; `why` says what breaks in a direction.
    fn change(
        &self,
        kind: ChangeKind,
        field: Option<&str>,
        fact: String,
        backward: Why<'_>,
        forward: Why<'_>,
    ) -> Change {
        let verdict = |why: Why<'_>| match why {
            Some(_) => Compatibility::Breaking,
            None => Compatibility::Compatible,
        };
        let (backward_verdict, forward_verdict) = (verdict(backward), verdict(forward));
        let mode = self.policy.mode;
        let compatibility = super::mode::verdict(mode, backward_verdict, forward_verdict);
        let (checks_backward, checks_forward) = mode.directions();
        let reasons: Vec<(&str, bool)> = [(backward, checks_backward), (forward, checks_forward)]
            .into_iter()
            .filter_map(|(why, counts)| Some((why?, counts)))
            .collect();
        let mut message = fact;
        // An empty reason: the fact says why.
        let said = |counted: bool| -> Vec<&str> {
            let mut said: Vec<&str> = reasons
                .iter()
                .filter(|(why, counts)| *counts == counted && !why.is_empty())
                .map(|(why, _)| *why)
                .collect();
            said.dedup();
            said
        };
        let (breaking, ignored) = (said(true), said(false));
        if !breaking.is_empty() {
            message = format!("{message}: {}", breaking.join("; "));
        }
        if !ignored.is_empty() {
            message = format!("{message} ({mode} does not check: {})", ignored.join("; "));
        }
        Change {
            compatibility,
            backward: backward_verdict,
            forward: forward_verdict,
            mode,
            kind,
            event: self.event.map(str::to_owned),
            field: field.map(str::to_owned),
            message,
            against: None,
        }
    }

    /// The object now refuses, or now accepts, members it does not declare.
    fn content_model_change(
        &self,
        closed: ChangeKind,
        opened: ChangeKind,
        what: &str,
        changes: &mut Vec<Change>,
    ) {
        let flags = (self.old_closed, self.new_closed);
        self.object_change(flags, (closed, opened), None, what, changes);
    }

    /// An object (`field`: a nested one) closed or opened; `flags`: whether
    /// the old and the new one are closed.
    fn object_change(
        &self,
        flags: (bool, bool),
        (closed, opened): (ChangeKind, ChangeKind),
        field: Option<&str>,
        what: &str,
        changes: &mut Vec<Change>,
    ) {
        match flags {
            (false, true) => changes.push(self.change(
                closed,
                field,
                format!("{what} now refuses unknown fields"),
                Some("events written before may hold members the new version refuses"),
                None,
            )),
            (true, false) => {
                changes.push(self.change(
                    opened,
                    field,
                    format!("{what} now accepts unknown fields"),
                    None,
                    self.published().then_some(
                        "readers on the old version refuse the members new events may hold",
                    ),
                ))
            }
            _ => {}
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

fn field_changes_with(
    owner: &Owner<'_>,
    old: &BTreeMap<String, FieldContract>,
    new: &BTreeMap<String, FieldContract>,
    value_rules: bool,
    changes: &mut Vec<Change>,
) {
    let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let field = Some(name.as_str());
        let (old_fields, new_fields) = (old, new);
        let (old, new) = match (old.get(name), new.get(name)) {
            (Some(old), Some(new)) => (old, new),
            (Some(old), None) => {
                let closed = holder_closed(new_fields, name, owner.new_closed, value_rules);
                changes.push(field_removed(owner, name, old, closed));
                continue;
            }
            (None, Some(new)) => {
                let closed = holder_closed(old_fields, name, owner.old_closed, value_rules);
                changes.push(field_added(owner, name, new, closed));
                continue;
            }
            (None, None) => continue,
        };
        if value_rules {
            let kinds = (ChangeKind::ObjectClosed, ChangeKind::ObjectOpened);
            let flags = (old.closed, new.closed);
            owner.object_change(flags, kinds, field, "the object", changes);
        }
        if old.ty != new.ty {
            let (backward, forward) = match (old.ty.as_str(), new.ty.as_str()) {
                // Every integer is a number (Confluent's TYPE_EXTENDED).
                ("integer", "number") => (None, Some("readers on the old types refuse fractions")),
                ("number", "integer") => (Some("events written before may hold fractions"), None),
                // Readers of either type refuse the other: the fact says it.
                _ => (Some(""), Some("")),
            };
            let fact = format!("type changed from {} to {}", shown(old), shown(new));
            changes.push(owner.change(ChangeKind::TypeChanged, field, fact, backward, forward));
        } else {
            for value in old
                .values
                .iter()
                .filter(|value| !new.values.contains(value))
            {
                changes.push(owner.change(
                    ChangeKind::EnumValueRemoved,
                    field,
                    format!("enum value `{value}` removed"),
                    Some("events written before may hold it"),
                    None,
                ));
            }
            for value in new
                .values
                .iter()
                .filter(|value| !old.values.contains(value))
            {
                changes.push(owner.change(
                    ChangeKind::EnumValueAdded,
                    field,
                    format!("enum value `{value}` added"),
                    None,
                    Some("consumers on the old types refuse it"),
                ));
            }
        }
        match (old.optional, new.optional) {
            (true, false) => changes.push(owner.change(
                ChangeKind::BecameRequired,
                field,
                "optional → required".to_owned(),
                // A registry's reader fills the default in
                // (REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED); evcat's generated
                // readers do not, so its own reading does not count it.
                (!owner.fills(new)).then_some("events written before may lack it"),
                None,
            )),
            (false, true) => changes.push(owner.change(
                ChangeKind::BecameOptional,
                field,
                "required → optional".to_owned(),
                None,
                (!owner.fills(old)).then_some("consumers on the old types require it"),
            )),
            _ => {}
        }
        match (old.nullable, new.nullable) {
            (true, false) => changes.push(owner.change(
                ChangeKind::NoLongerNullable,
                field,
                "no longer nullable".to_owned(),
                Some("events written before may hold null"),
                None,
            )),
            (false, true) => changes.push(owner.change(
                ChangeKind::BecameNullable,
                field,
                "may now be null".to_owned(),
                None,
                Some("consumers on the old types refuse null"),
            )),
            _ => {}
        }
        if value_rules && old.ty == new.ty {
            for found in compare_rules(&old.rules, &new.rules) {
                let (kind, backward, forward) = match found.change {
                    RuleChange::Narrowed => (
                        ChangeKind::RuleNarrowed,
                        Some("events written before may break the new rule"),
                        None,
                    ),
                    RuleChange::Widened => (
                        ChangeKind::RuleWidened,
                        None,
                        Some("consumers on the old types refuse values the new rule allows"),
                    ),
                    RuleChange::Changed => (
                        ChangeKind::RuleChanged,
                        Some("events written before may break the new rule"),
                        Some("consumers on the old types refuse values the new rule allows"),
                    ),
                };
                changes.push(owner.change(kind, field, found.fact, backward, forward));
            }
        }
        if old.default != new.default {
            let shown = |value: &Option<serde_json::Value>| {
                value
                    .as_ref()
                    .map_or_else(|| "none".to_owned(), ToString::to_string)
            };
            changes.push(owner.change(
                ChangeKind::DefaultChanged,
                field,
                format!("default {} → {}", shown(&old.default), shown(&new.default)),
                None,
                None,
            ));
        }
        if old.docs != new.docs {
            changes.push(owner.change(
                ChangeKind::Documentation,
                field,
                "documentation text changed".to_owned(),
                None,
                None,
            ));
        }
    }
}

/// Whether the object holding the field at `path` is closed: the nested
/// object's own flag, as the lock records it, or the owner's (`top`) for
/// its own fields and for locks written before nested objects' were.
fn holder_closed(
    fields: &BTreeMap<String, FieldContract>,
    path: &str,
    top: bool,
    recorded: bool,
) -> bool {
    let Some(end) = path.rfind(['.', '|']) else {
        return top;
    };
    // A union's branch sits in the union, not in an object.
    if !recorded || path[end..].starts_with('|') {
        return top;
    }
    let holder = path[..end].trim_end_matches("[]");
    fields.get(holder).map_or(top, |holder| holder.closed)
}

/// A field the new version no longer has; `new_closed`: whether the new
/// object that held it is closed.
fn field_removed(owner: &Owner<'_>, name: &str, old: &FieldContract, new_closed: bool) -> Change {
    // New readers of old events: a closed object refuses the member
    // (PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL); an open one ignores it.
    let backward = new_closed.then_some("the new version refuses it in events written before");
    let forward = if owner.published() {
        // Old readers of new events: the new object is the writer here.
        if !new_closed {
            // PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL, seen from the old reader.
            (old.ty != "any")
                .then_some("new events may hold a member of its name with any value, which consumers on the old types check")
        } else if !old.optional && !owner.fills(old) {
            Some("consumers on the old types require it")
        } else {
            None
        }
    } else {
        // evcat's own reading: consumers on the old types read it.
        Some("consumers on the old types read it")
    };
    owner.change(
        ChangeKind::FieldRemoved,
        Some(name),
        "field removed".to_owned(),
        backward,
        forward,
    )
}

/// A field the old version did not have; `old_closed`: whether the old
/// object that holds it is closed.
fn field_added(owner: &Owner<'_>, name: &str, new: &FieldContract, old_closed: bool) -> Change {
    let required = !new.optional && !owner.fills(new);
    let backward = if owner.published() && !old_closed && new.ty != "any" {
        // New readers of old events: an open old object may already hold a
        // member of this name with another value
        // (PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL).
        Some("events written before may hold a member of its name with another value: the old object is open")
    } else if required {
        Some("events written before lack it")
    } else {
        None
    };
    // Old readers of new events: a closed old object refuses the member.
    let forward = old_closed.then_some("consumers on the old types refuse unknown fields");
    let (kind, fact) = if new.optional {
        (ChangeKind::OptionalFieldAdded, "new optional field")
    } else {
        (ChangeKind::RequiredFieldAdded, "new required field")
    };
    owner.change(kind, Some(name), fact.to_owned(), backward, forward)
}
