//! Every event of the project's catalog round-trips through the generated
//! types, using the example envelopes in `contracts/examples/`.

use std::collections::BTreeSet;
use std::path::Path;

use domain_events::{
    ChannelKind, ConversationStatus, DomainEvent, Envelope, ProviderConfigured, ProviderKind,
};
use serde_json::{json, Value};

fn examples() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("contracts/examples");
    let mut examples: Vec<(String, Value)> = std::fs::read_dir(dir)
        .expect("contracts/examples exists")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|extension| extension == "json")
        })
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable example");
            let value = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            (path.display().to_string(), value)
        })
        .collect();
    examples.sort_by(|a, b| a.0.cmp(&b.0));
    examples
}

#[test]
fn every_example_round_trips_losslessly() {
    for (path, value) in examples() {
        let event: DomainEvent =
            serde_json::from_value(value.clone()).unwrap_or_else(|error| panic!("{path}: {error}"));
        assert_eq!(
            Some(event.event_name()),
            value["event_name"].as_str(),
            "{path}"
        );
        assert_eq!(
            Some(event.aggregate_type()),
            value["aggregate_type"].as_str(),
            "{path}"
        );
        assert_eq!(
            serde_json::to_value(&event).expect("serializes"),
            value,
            "{path} changed in the round trip"
        );
    }
}

#[test]
fn every_event_of_the_catalog_has_an_example() {
    let covered: BTreeSet<String> = examples()
        .iter()
        .map(|(_, value)| {
            value["event_name"]
                .as_str()
                .expect("examples name their event")
                .to_owned()
        })
        .collect();
    let all: BTreeSet<String> = DomainEvent::EVENT_NAMES
        .iter()
        .map(|name| name.to_string())
        .collect();
    assert_eq!(all.len(), 21, "the catalog's 21 events");
    assert_eq!(
        covered,
        all,
        "events without an example: {:?}",
        all.difference(&covered).collect::<Vec<_>>()
    );
}

#[test]
fn data_model_value_sets_are_enums_per_family() {
    assert_eq!(
        ProviderKind::ALL.map(ProviderKind::as_str),
        ["sms", "mms", "email", "voice", "voicemail"]
    );
    assert_eq!(
        ChannelKind::ALL.map(ChannelKind::as_str),
        ["sms", "mms", "email"]
    );
    assert_eq!(
        ConversationStatus::ALL.map(ConversationStatus::as_str),
        ["open", "closed", "archived"]
    );
    let payload = json!({"provider_id": "p", "customer_id": "c", "kind": "fax"});
    let error = serde_json::from_value::<ProviderConfigured>(payload)
        .expect_err("fax is not a provider kind")
        .to_string();
    assert!(
        error.contains("fax") && error.contains("voicemail"),
        "{error}"
    );
}

#[test]
fn events_are_built_and_wrapped_with_typed_payloads() {
    let envelope = Envelope {
        event_name: "ProviderConfigured".to_owned(),
        event_id: "01JC9ZAFDN7X2MJ7GAX4JFA0B5".to_owned(),
        aggregate_type: "Provider".to_owned(),
        aggregate_id: "prv_1".to_owned(),
        occurred_at: "2025-11-05T14:00:00Z".to_owned(),
        actor: "system:setup".to_owned(),
        version: 1,
        idempotency_key: None,
        payload: ProviderConfigured {
            provider_id: "prv_1".to_owned(),
            customer_id: "cus_1".to_owned(),
            kind: ProviderKind::Voice,
        },
        extensions: serde_json::Map::new(),
    };
    let event = DomainEvent::from(envelope);
    let value = serde_json::to_value(&event).expect("serializes");
    assert_eq!(value["payload"]["kind"], "voice");
    assert!(value.get("idempotency_key").is_none(), "None is omitted");
    assert_eq!(
        serde_json::from_value::<DomainEvent>(value).expect("deserializes"),
        event
    );
}

#[test]
fn unknown_event_names_are_refused() {
    let mut value = examples().remove(0).1;
    value["event_name"] = json!("CustomerTeleported");
    let error = serde_json::from_value::<DomainEvent>(value)
        .expect_err("not in the catalog")
        .to_string();
    assert!(error.contains("CustomerTeleported"), "{error}");
}

#[test]
fn validate_reports_every_broken_value_rule() {
    for (path, value) in examples() {
        let event: DomainEvent = serde_json::from_value(value).expect("deserializes");
        assert_eq!(event.validate(), vec![], "{path} breaks no rule");
    }
    let mut value = examples().remove(0).1;
    value["event_id"] = json!("evt-1");
    value["occurred_at"] = json!("2025-11-05 14:00");
    value["version"] = json!(0);
    value["actor"] = json!("");
    let event: DomainEvent = serde_json::from_value(value).expect("the shape is right");
    let fields: Vec<String> = event
        .validate()
        .into_iter()
        .map(|violation| violation.field)
        .collect();
    assert_eq!(
        fields,
        ["event_id", "occurred_at", "occurred_at", "actor", "version"],
        "{:?}",
        event.validate()
    );
    let first = &event.validate()[0];
    assert!(
        first
            .to_string()
            .starts_with("event_id: does not match the pattern"),
        "{first}"
    );
}

#[test]
fn validate_checks_the_family_and_the_aggregate_id() {
    let mut value = examples()
        .into_iter()
        .find(|(path, _)| path.contains("provider_configured"))
        .expect("example")
        .1;
    value["aggregate_type"] = json!("Customer");
    value["aggregate_id"] = json!("prv_other");
    let event: DomainEvent = serde_json::from_value(value).expect("the shape is right");
    let schema: Vec<String> = event
        .schema_violations()
        .into_iter()
        .map(|violation| violation.field)
        .collect();
    assert_eq!(schema, ["aggregate_type"], "the schemas fix the family");
    let all: Vec<String> = event.validate().iter().map(ToString::to_string).collect();
    assert_eq!(
        all,
        [
            "aggregate_type: is `Customer`, but this event belongs to `Provider`",
            "aggregate_id: must equal `payload.provider_id`, the aggregate's own id"
        ]
    );
}

#[test]
fn lifecycles_are_typed_state_machines() {
    use domain_events::ConversationState;
    let event = |name: &str| -> DomainEvent {
        let (_, value) = examples()
            .into_iter()
            .find(|(path, _)| path.ends_with(&format!("{name}.example.json")))
            .expect("example");
        serde_json::from_value(value).expect("deserializes")
    };
    let created = event("conversation_created");
    let state = ConversationState::initial(&created).expect("ConversationCreated sets the status");
    assert_eq!(state, ConversationState::Open);
    let closed = state
        .next(&event("conversation_closed"))
        .expect("open → closed");
    assert_eq!(closed, ConversationState::Closed);
    assert_eq!(
        closed.next(&event("conversation_closed")),
        None,
        "closing twice is not a transition"
    );
    assert_eq!(
        closed.next(&event("conversation_updated")),
        Some(ConversationState::Closed),
        "other events leave the status"
    );
    assert_eq!(
        closed.next(&event("conversation_archived")),
        Some(ConversationState::Archived),
        "any → archived"
    );
    assert_eq!(
        closed.next(&event("conversation_reopened")),
        Some(ConversationState::Open),
        "closed → open: a reopened conversation is open again"
    );
    assert_eq!(ConversationState::parse("reopened"), None);
    assert_eq!(
        domain_events::CustomerState::Enabled.next(&event("customer_enabled")),
        None,
        "the status must differ"
    );
}
