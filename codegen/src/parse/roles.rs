//! Which envelope property plays which role: declared in `evcat.toml`,
//! otherwise recognized from the envelope's shape. evcat's own convention
//! names them (`event_name`, `payload`, `event_id`, `aggregate_type`,
//! `aggregate_id`, `version`, `occurred_at`, `idempotency_key`); an envelope
//! with `specversion`, `id`, `source`, `type` and `data` is CloudEvents.

use super::config::{Declared, Role};
use crate::diagnostics::Diagnostic;
use crate::ir::{Convention, Roles};

/// The roles of an envelope whose properties (the payload's included) are `names`.
#[derive(Debug, Clone)]
pub struct Assigned {
    pub discriminator: String,
    /// `None`: flat events (`payload = "."`).
    pub payload: Option<String>,
    pub roles: Roles,
    pub convention: Convention,
    /// Some role was declared in `evcat.toml`.
    pub declared: bool,
}

/// The properties that make an envelope CloudEvents: its required
/// attributes and `data`.
const CLOUDEVENTS: [&str; 5] = ["specversion", "id", "source", "type", "data"];

pub fn convention_of(names: &[&str]) -> Convention {
    if CLOUDEVENTS.iter().all(|name| names.contains(name)) {
        Convention::CloudEvents
    } else {
        Convention::Evcat
    }
}

/// The property a convention gives a role, if any.
pub fn conventional_property(convention: Convention, role: Role) -> Option<&'static str> {
    match convention {
        Convention::Evcat => Some(match role {
            Role::Discriminator => "event_name",
            Role::Payload => "payload",
            Role::EventId => "event_id",
            Role::EventSource => return None,
            Role::AggregateType => "aggregate_type",
            Role::AggregateId => "aggregate_id",
            Role::AggregateVersion => "version",
            Role::OccurredAt => "occurred_at",
            Role::IdempotencyKey => "idempotency_key",
        }),
        Convention::CloudEvents => match role {
            Role::Discriminator => Some("type"),
            Role::Payload => Some("data"),
            Role::EventId => Some("id"),
            Role::EventSource => Some("source"),
            Role::AggregateId => Some("subject"),
            Role::OccurredAt => Some("time"),
            Role::AggregateType | Role::AggregateVersion | Role::IdempotencyKey => None,
        },
    }
}

/// Assigns every role: the declared property, else the convention's when
/// the envelope has it. A declared property the envelope lacks is an error
/// at its declaration.
pub fn assign(names: &[&str], declared: &[Declared], errors: &mut Vec<Diagnostic>) -> Assigned {
    let convention = convention_of(names);
    let property = |role: Role, errors: &mut Vec<Diagnostic>| -> Option<String> {
        if let Some(declared) = declared.iter().rev().find(|declared| declared.role == role) {
            let flat = role == Role::Payload && declared.property == crate::ir::FLAT_PAYLOAD;
            if let (false, false, Some(span)) = (
                flat,
                names.contains(&declared.property.as_str()),
                declared.span,
            ) {
                let help = super::suggest::help(
                    &declared.property,
                    names,
                    "the envelope's properties are",
                );
                errors.push(
                    Diagnostic::error(
                        span,
                        format!(
                            "`{}` names `{}`, which the envelope schema does not declare",
                            role.key(),
                            declared.property
                        ),
                    )
                    .with_help(help),
                );
            }
            return Some(declared.property.clone());
        }
        conventional_property(convention, role)
            .filter(|name| {
                names.contains(name) || matches!(role, Role::Discriminator | Role::Payload)
            })
            .map(str::to_owned)
    };
    let mut take = |role| property(role, errors);
    Assigned {
        discriminator: take(Role::Discriminator).unwrap_or_default(),
        // The payload role always has a property (the convention's name
        // when undeclared), so `None` here means `payload = "."`.
        payload: take(Role::Payload).filter(|payload| payload != crate::ir::FLAT_PAYLOAD),
        roles: Roles {
            event_id: take(Role::EventId),
            event_source: take(Role::EventSource),
            aggregate_type: take(Role::AggregateType),
            aggregate_id: take(Role::AggregateId),
            aggregate_version: take(Role::AggregateVersion),
            occurred_at: take(Role::OccurredAt),
            idempotency_key: take(Role::IdempotencyKey),
        },
        convention,
        declared: declared.iter().any(|declared| declared.span.is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{FileId, Span};

    #[test]
    fn evcat_names_and_cloudevents_are_recognized() {
        let mut errors = Vec::new();
        let evcat = assign(
            &["event_name", "event_id", "version", "payload"],
            &[],
            &mut errors,
        );
        assert_eq!(evcat.convention, Convention::Evcat);
        assert_eq!(
            (
                evcat.discriminator.as_str(),
                evcat.payload.as_deref().unwrap_or_default()
            ),
            ("event_name", "payload")
        );
        assert_eq!(evcat.roles.aggregate_version.as_deref(), Some("version"));
        assert_eq!(
            evcat.roles.aggregate_id, None,
            "absent properties have no role"
        );
        let cloud = assign(
            &[
                "specversion",
                "id",
                "source",
                "type",
                "data",
                "subject",
                "time",
            ],
            &[],
            &mut errors,
        );
        assert_eq!(cloud.convention, Convention::CloudEvents);
        assert_eq!(
            (
                cloud.discriminator.as_str(),
                cloud.payload.as_deref().unwrap_or_default()
            ),
            ("type", "data")
        );
        assert_eq!(cloud.roles.event_source.as_deref(), Some("source"));
        assert_eq!(cloud.roles.aggregate_id.as_deref(), Some("subject"));
        assert_eq!(cloud.roles.aggregate_version, None);
        assert!(errors.is_empty());
    }

    #[test]
    fn declarations_win_and_must_name_a_property() {
        let span = Some(Span::new(FileId(0), 0..1));
        let declared = [
            Declared {
                role: Role::EventId,
                property: "message_id".into(),
                span,
            },
            Declared {
                role: Role::AggregateVersion,
                property: "seq".into(),
                span,
            },
        ];
        let mut errors = Vec::new();
        let assigned = assign(
            &["event_name", "event_id", "message_id", "payload"],
            &declared,
            &mut errors,
        );
        assert_eq!(assigned.roles.event_id.as_deref(), Some("message_id"));
        assert_eq!(errors.len(), 1, "`seq` is not a property");
        assert!(
            errors[0]
                .message
                .contains("`aggregate_version` names `seq`"),
            "{}",
            errors[0].message
        );
    }
}
