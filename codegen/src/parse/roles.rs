//! Which envelope property plays which role: declared in `evcat.toml`,
//! otherwise recognized from the envelope's shape. evcat's own convention
//! names them (`event_name`, `payload`, `event_id`, `aggregate_type`,
//! `aggregate_id`, `version`, `occurred_at`, `idempotency_key`); an envelope
//! with `specversion`, `id`, `source`, `type` and `data` is CloudEvents.

use super::config::{Declared, Role};
use crate::diagnostics::{Diagnostic, Rule};
use crate::ir::{Convention, MemberPath, Roles};

/// The roles of an envelope whose members (the payload's included) are `members`.
#[derive(Debug, Clone)]
pub struct Assigned {
    pub discriminator: MemberPath,
    /// `None`: flat events (`payload = "."`).
    pub payload: Option<MemberPath>,
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

/// Assigns every role: the declared member, else the convention's when the
/// envelope has it. A declared member the envelope lacks is an error at its
/// declaration. `members` are every property's path, nested ones included;
/// conventions name properties of the root only.
pub fn assign(
    members: &[MemberPath],
    declared: &[Declared],
    errors: &mut Vec<Diagnostic>,
) -> Assigned {
    let names: Vec<&str> = members
        .iter()
        .filter(|member| member.is_top())
        .map(MemberPath::key)
        .collect();
    let convention = convention_of(&names);
    let property = |role: Role, errors: &mut Vec<Diagnostic>| -> Option<MemberPath> {
        if let Some(declared) = declared.iter().rev().find(|declared| declared.role == role) {
            if role == Role::Payload && declared.property == crate::ir::FLAT_PAYLOAD {
                return Some(MemberPath::top(crate::ir::FLAT_PAYLOAD));
            }
            let found = member_named(members, &declared.property);
            if let (None, Some(span)) = (&found, declared.span) {
                let dotted: Vec<String> = members.iter().map(MemberPath::dotted).collect();
                let dotted: Vec<&str> = dotted.iter().map(String::as_str).collect();
                let help =
                    super::suggest::help(&declared.property, &dotted, "the envelope's members are");
                errors.push(
                    Rule::Config
                        .error(
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
            return Some(found.unwrap_or_else(|| MemberPath::top(declared.property.clone())));
        }
        conventional_property(convention, role)
            .filter(|name| {
                names.contains(name) || matches!(role, Role::Discriminator | Role::Payload)
            })
            .map(MemberPath::top)
    };
    let mut take = |role| property(role, errors);
    Assigned {
        discriminator: take(Role::Discriminator).unwrap_or_else(|| MemberPath::top("")),
        // The payload role always has a member (the convention's name when
        // undeclared), so `None` here means `payload = "."`.
        payload: take(Role::Payload).filter(|payload| payload.dotted() != crate::ir::FLAT_PAYLOAD),
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

/// The member `evcat.toml` names: a property of the root by its exact key
/// (a key may hold dots: `user.id`), else a nested one by its keys joined
/// with dots (`context.type`), or by a JSON pointer (`/context/type`) when a
/// nested key holds a dot itself.
pub fn member_named(members: &[MemberPath], written: &str) -> Option<MemberPath> {
    let exact = MemberPath::top(written);
    if members.contains(&exact) {
        return Some(exact);
    }
    let keys: Vec<String> = match written.strip_prefix('/') {
        Some(pointer) => pointer
            .split('/')
            .map(|key| key.replace("~1", "/").replace("~0", "~"))
            .collect(),
        None => written.split('.').map(str::to_owned).collect(),
    };
    if keys.iter().any(String::is_empty) {
        return None;
    }
    let path = MemberPath::new(keys);
    members.contains(&path).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{FileId, Span};

    fn top(names: &[&str]) -> Vec<MemberPath> {
        names.iter().map(|name| MemberPath::top(*name)).collect()
    }

    fn dotted(path: &Option<MemberPath>) -> Option<String> {
        path.as_ref().map(MemberPath::dotted)
    }

    #[test]
    fn nested_members_are_named_by_dots_or_pointers_and_exact_keys_win() {
        let members = vec![
            MemberPath::top("context"),
            MemberPath::new(vec!["context".into(), "type".into()]),
            MemberPath::new(vec!["context".into(), "a.b".into()]),
            MemberPath::top("user.id"),
        ];
        assert_eq!(
            member_named(&members, "context.type").map(|path| path.pointer()),
            Some("/context/type".to_owned())
        );
        assert_eq!(
            member_named(&members, "/context/a.b").map(|path| path.pointer()),
            Some("/context/a.b".to_owned())
        );
        assert_eq!(
            member_named(&members, "user.id").map(|path| path.keys().len()),
            Some(1)
        );
        assert_eq!(member_named(&members, "context.id"), None);
        assert_eq!(member_named(&members, "context..type"), None);
    }

    #[test]
    fn evcat_names_and_cloudevents_are_recognized() {
        let mut errors = Vec::new();
        let evcat = assign(
            &top(&["event_name", "event_id", "version", "payload"]),
            &[],
            &mut errors,
        );
        assert_eq!(evcat.convention, Convention::Evcat);
        assert_eq!(
            (evcat.discriminator.dotted(), dotted(&evcat.payload)),
            ("event_name".to_owned(), Some("payload".to_owned()))
        );
        assert_eq!(
            dotted(&evcat.roles.aggregate_version).as_deref(),
            Some("version")
        );
        assert_eq!(
            evcat.roles.aggregate_id, None,
            "absent properties have no role"
        );
        let cloud = assign(
            &top(&[
                "specversion",
                "id",
                "source",
                "type",
                "data",
                "subject",
                "time",
            ]),
            &[],
            &mut errors,
        );
        assert_eq!(cloud.convention, Convention::CloudEvents);
        assert_eq!(
            (cloud.discriminator.dotted(), dotted(&cloud.payload)),
            ("type".to_owned(), Some("data".to_owned()))
        );
        assert_eq!(dotted(&cloud.roles.event_source).as_deref(), Some("source"));
        assert_eq!(
            dotted(&cloud.roles.aggregate_id).as_deref(),
            Some("subject")
        );
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
            &top(&["event_name", "event_id", "message_id", "payload"]),
            &declared,
            &mut errors,
        );
        assert_eq!(
            dotted(&assigned.roles.event_id).as_deref(),
            Some("message_id")
        );
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
