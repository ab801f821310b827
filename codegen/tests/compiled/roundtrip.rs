//! Runs inside the scratch crate of `compile_generated.rs`, against the
//! generated modules of the fixture catalogs.

use serde_json::{json, Value};

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: Value) -> Value {
    let typed: T = serde_json::from_value(value).expect("deserializes");
    serde_json::to_value(&typed).expect("serializes")
}

#[test]
fn keyword_fields_keep_their_wire_names() {
    use fixture_crates::keywords::{DomainEvent, JobScheduled, JobScheduledKind};
    let payload = json!({
        "job_id": "job_1", "type": "t", "self": "s", "default": "d", "async": "a",
        "match": "m", "ref": "r", "crate": "c", "super": "p",
        "kind": "one-off", "tags": ["x"], "priority": 0.5, "payload": {"nested": [1, 2]},
        "start_at": "2025-11-05T14:00:00Z", "owner": "6b0f0e5e-4a7a-4c3b-9c1f-2f1c0e7f9a10"
    });
    assert_eq!(round_trip::<JobScheduled>(payload.clone()), payload);
    let typed: JobScheduled = serde_json::from_value(payload).expect("deserializes");
    assert_eq!(typed.r#type, "t");
    assert_eq!(typed.self_, "s");
    assert_eq!(typed.kind, JobScheduledKind::OneOff);
    assert_eq!(JobScheduledKind::OnDemand.as_str(), "on_demand");

    let envelope = json!({
        "event_name": "JobScheduled", "event_id": "01JC9ZAFDN7X2MJ7GAX4JFA0B5", "aggregate_type": "Job",
        "aggregate_id": "job_1", "occurred_at": "2025-11-05T14:00:00Z", "actor": "system", "version": 1,
        "payload": {"job_id": "job_1", "type": "t", "self": "s", "default": "d", "async": "a", "kind": "recurring",
            "priority": 1.0, "payload": {}, "start_at": "2025-11-05T14:00:00Z", "owner": "u"}
    });
    assert_eq!(round_trip::<DomainEvent>(envelope.clone()), envelope);
}

#[test]
fn optional_fields_accept_absent_and_null_and_are_omitted_when_none() {
    use fixture_crates::crlf_unicode::InvoicePaid;
    let with_null: InvoicePaid = serde_json::from_value(json!({"invoice_id": "i", "reason": null})).expect("null accepted");
    let absent: InvoicePaid = serde_json::from_value(json!({"invoice_id": "i"})).expect("absence accepted");
    assert_eq!(with_null, absent);
    assert_eq!(serde_json::to_value(&absent).expect("serializes"), json!({"invoice_id": "i"}));
    assert!(serde_json::from_value::<InvoicePaid>(json!({"reason": "r"})).is_err(), "a required field is required");
}

#[test]
fn crlf_catalog_types_follow_declarations_and_conventions() {
    use fixture_crates::crlf_unicode::{Event, InvoiceIssued, InvoiceVoided};
    let payload = json!({"invoice_id": "i", "amount_cents": -5, "issued_at": "2025-11-05T14:00:00Z", "line_ids": ["l1"], "is_paid": false});
    assert_eq!(round_trip::<InvoiceIssued>(payload.clone()), payload);
    assert_eq!(InvoiceVoided::EVENT_NAME, "InvoiceVoided");
    assert_eq!(InvoiceVoided::AGGREGATE_TYPE, "Billing");
    assert!(serde_json::from_value::<InvoiceIssued>(json!({"invoice_id": "i", "amount_cents": "5", "issued_at": "t", "line_ids": [], "is_paid": true})).is_err());
}

#[test]
fn domain_event_refuses_unknown_and_missing_event_names() {
    use fixture_crates::hostile_prose::DomainEvent;
    let unknown = json!({"event_name": "Nope", "event_id": "e", "aggregate_type": "Audit", "aggregate_id": "a",
        "occurred_at": "2025-11-05T14:00:00Z", "actor": "x", "version": 1, "payload": {"record_id": "r"}});
    let error = serde_json::from_value::<DomainEvent>(unknown).expect_err("unknown event").to_string();
    assert!(error.contains("Nope") && error.contains("RecordTouched"), "{error}");
    let missing = json!({"event_id": "e", "payload": {}});
    let error = serde_json::from_value::<DomainEvent>(missing).expect_err("no event name").to_string();
    assert!(error.contains("event_name"), "{error}");
}

#[test]
fn envelope_properties_come_from_the_schema() {
    use fixture_crates::envelope_2020_12::{DomainEvent, EnvelopeSource};
    let event = json!({
        "event_name": "OrderPlaced", "eventId": "6b0f0e5e-4a7a-4c3b-9c1f-2f1c0e7f9a10", "emitted_at": "2025-11-05T14:00:00Z",
        "schema": 2, "source": "mobile", "priority": null, "tags": ["a"], "trace_id": "t-1", "meta": {"k": "v"},
        "payload": {"order_id": "o", "total": 9.5, "item_ids": ["i"]}
    });
    let typed: DomainEvent = serde_json::from_value(event.clone()).expect("deserializes");
    let DomainEvent::OrderPlaced(envelope) = &typed;
    assert_eq!(envelope.source, Some(EnvelopeSource::Mobile));
    assert_eq!(envelope.trace_id.as_deref(), Some("t-1"));
    // `priority` may be absent or `null` (`["integer", "null"]`, not
    // required): the two stay apart, and `null` is written back.
    assert_eq!(envelope.priority, Some(None));
    assert_eq!(serde_json::to_value(&typed).expect("serializes"), event);
    let mut absent = event.clone();
    absent.as_object_mut().expect("object").remove("priority");
    let typed_absent: DomainEvent = serde_json::from_value(absent.clone()).expect("deserializes");
    assert_eq!(serde_json::to_value(&typed_absent).expect("serializes"), absent);

    let mut unknown = event;
    unknown.as_object_mut().expect("object").insert("surprise".into(), json!(1));
    assert!(serde_json::from_value::<DomainEvent>(unknown).is_err(), "additionalProperties: false is enforced");
}

#[test]
fn debug_redacts_personal_data() {
    use fixture_crates::nevermisscall::CallDetected;
    let payload: CallDetected = serde_json::from_value(json!({
        "call_id": "7f0d8e2c-9e65-4a1a-a7f4-6f3f8b9c0a11", "from_phone": "+13105551212", "to_phone": "+13105550000",
        "reason": "busy", "provider_ref": "CA1"
    }))
    .expect("deserializes");
    let printed = format!("{payload:?}");
    assert!(!printed.contains("555"), "phone numbers are redacted: {printed}");
    assert!(printed.contains("from_phone: \"[redacted]\"") && printed.contains("CA1"), "{printed}");
    let job: fixture_crates::keywords::JobScheduled = serde_json::from_value(json!({
        "job_id": "j", "type": "t", "self": "s", "default": "d", "async": "a", "kind": "recurring",
        "priority": 1.0, "payload": {}, "start_at": "2025-11-05T14:00:00Z", "owner": "6b0f0e5e-4a7a-4c3b-9c1f-2f1c0e7f9a10"
    }))
    .expect("deserializes");
    let printed = format!("{job:?}");
    assert!(!printed.contains("6b0f0e5e") && printed.contains("owner: \"[redacted]\""), "a `PII:` field is redacted: {printed}");
}

#[test]
fn types_shared_by_two_domains_live_in_domain_modules() {
    use fixture_crates::domain_modules::{billing, catalog, DomainEvent, Event};
    assert_eq!(<billing::CatalogUpdated as Event>::EVENT_NAME, "nmc.billing.CatalogUpdated");
    assert_eq!(<catalog::CatalogUpdated as Event>::EVENT_NAME, "nmc.catalog.CatalogUpdated");
    let event: DomainEvent = serde_json::from_value(json!({
        "event_id": "0b0f3b9a-0d1e-4c1b-9f1b-7a0a7b8c3d10", "event_name": "nmc.billing.CatalogUpdated",
        "schema_version": "1.0.0", "tenant_id": "a7b1d0ee-d0a8-4b3a-9a6c-1a2b3c4d5e6f",
        "occurred_at": "2025-09-01T18:22:03Z", "correlation_id": "2f1a3c4b-8a9d-4a8e-9c22-bf0a1c9d22aa",
        "causation_id": null, "payload": { "plan_ids": ["7f0d8e2c-9e65-4a1a-a7f4-6f3f8b9c0a11"] }
    }))
    .expect("deserializes");
    assert!(matches!(event, DomainEvent::BillingCatalogUpdated(_)));
}

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON")
}

/// The generated `validate()` gives each value of `tests/formats/values.json`
/// the verdict AJV, python-jsonschema and `evcat validate` give it.
#[test]
fn validate_gives_each_format_value_the_verdict_of_every_consumer() {
    use fixture_crates::envelope_patterns::DomainEvent;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = read_json(&dir.join("formats/values.json"));
    let base = read_json(&dir.join("envelope_patterns/examples/OrderPlaced.example.json"));
    let mut wrong = Vec::new();
    for row in table["values"].as_array().expect("values") {
        let format = row["format"].as_str().expect("format");
        let mut instance = base.clone();
        instance[format!("format_{}", format.replace('-', "_"))] = row["value"].clone();
        let event: DomainEvent = serde_json::from_value(instance).expect("a string is a string");
        let valid = event.validate().is_empty();
        if valid != row["valid"].as_bool().expect("valid") {
            wrong.push(format!("{format} {}: validate() says valid={valid}", row["value"]));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn nevermisscall_validate_refuses_non_utc_times_and_non_uuid_ids() {
    use fixture_crates::nevermisscall::DomainEvent;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let base = read_json(&dir.join("nevermisscall/examples/nmc.telephony.CallDetected.example.json"));
    let verdict = |field: &str, value: Value| {
        let mut instance = base.clone();
        instance[field] = value;
        let event: DomainEvent = serde_json::from_value(instance).expect("deserializes");
        event.validate().iter().map(|violation| violation.to_string()).collect::<Vec<_>>()
    };
    assert_eq!(
        verdict("occurred_at", json!("2025-09-01T18:22:03+02:00")),
        ["occurred_at: is not an RFC 3339 date-time in UTC (`Z`)"]
    );
    assert_eq!(verdict("tenant_id", json!("acme")), ["tenant_id: is not a UUID"]);
    assert!(verdict("occurred_at", json!("2025-09-01T18:22:03z")).is_empty());
}

/// The CNCF CloudEvents schema as published is the envelope: `type` chooses
/// the event (by its wire name), `data` is typed, and the round trip is lossless.
#[test]
fn cloudevents_choose_the_event_by_type_and_type_its_data() {
    use fixture_crates::cloudevents::{DomainEvent, OrderPlacedCurrency};
    let placed = json!({
        "specversion": "1.0", "id": "A234-1234-1234", "source": "https://shop.acme.example/orders",
        "type": "com.acme.orders.placed.v1", "subject": "o-1", "time": "2025-11-05T15:00:00+01:00",
        "datacontenttype": "application/json",
        "data": {"order_id": "o-1", "customer_id": "c-9", "total_cents": 1200, "currency": "eur", "placed_at": "2025-11-05T14:00:00Z"}
    });
    let event: DomainEvent = serde_json::from_value(placed.clone()).expect("a CloudEvent");
    let DomainEvent::OrderPlaced(envelope) = &event else {
        panic!("`type` chooses OrderPlaced, got {event:?}");
    };
    assert_eq!(envelope.data.total_cents, 1200);
    assert_eq!(envelope.data.currency, OrderPlacedCurrency::Eur);
    assert_eq!(envelope.r#type, "com.acme.orders.placed.v1");
    assert_eq!(event.event_name(), "com.acme.orders.placed.v1");
    assert_eq!(event.validate(), vec![]);
    assert_eq!(serde_json::to_value(&event).expect("serializes"), placed);

    let refused = |change: &dyn Fn(&mut Value)| {
        let mut instance = placed.clone();
        change(&mut instance);
        match serde_json::from_value::<DomainEvent>(instance) {
            Err(_) => true,
            Ok(event) => !event.validate().is_empty(),
        }
    };
    assert!(refused(&|v| v["data"]["currency"] = json!("gbp")), "a currency outside the enum");
    assert!(refused(&|v| drop(v["data"].as_object_mut().unwrap().remove("order_id"))), "a missing field");
    assert!(refused(&|v| v["data"]["total_cents"] = json!("12")), "a wrong type");
    assert!(refused(&|v| v["type"] = json!("OrderPlaced")), "the type name is not the wire name");
    assert!(refused(&|v| drop(v.as_object_mut().unwrap().remove("data"))), "no data");
    assert!(refused(&|v| v["id"] = json!("")), "an empty id");
    assert!(refused(&|v| v["source"] = json!("not a uri reference")), "source is a URI reference");
    assert!(refused(&|v| v["subject"] = json!("o-2")), "subject is the order's id");
    assert!(!refused(&|v| drop(v.as_object_mut().unwrap().remove("subject"))), "subject is optional");
}

/// EventBridge's hyphenated `detail-type` names the event: the variant is
/// chosen by it, and the field keeps its wire name.
#[test]
fn eventbridge_detail_type_chooses_the_event() {
    use fixture_crates::eventbridge::DomainEvent;
    let delivered = json!({
        "version": "0", "id": "6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d", "detail-type": "Shipment Delivered",
        "source": "acme.shipping", "account": "123456789012", "time": "2025-11-05T14:00:00Z",
        "region": "us-east-1", "resources": [], "detail": {"shipment_id": "s-1"}
    });
    let event: DomainEvent = serde_json::from_value(delivered.clone()).expect("an EventBridge event");
    let DomainEvent::ShipmentDelivered(envelope) = &event else { panic!("chosen by detail-type: {event:?}") };
    assert_eq!(envelope.detail_type, "Shipment Delivered");
    assert_eq!(envelope.detail.shipment_id, "s-1");
    assert_eq!(event.validate(), vec![]);
    assert_eq!(serde_json::to_value(&event).expect("serializes"), delivered);
    let mut other_account = delivered.clone();
    other_account["account"] = json!("12345");
    let event: DomainEvent = serde_json::from_value(other_account).expect("deserializes");
    assert_eq!(event.validate().len(), 1, "the account is 12 digits");
}

/// Nested payloads are typed all the way down, refused where the catalog
/// says so (by serde or `validate()`, with the path), and round-trip.
#[test]
fn nested_payloads_are_typed_checked_at_their_paths_and_round_trip() {
    use fixture_crates::nested_payloads::{DomainEvent, OrderPlacedTotalCurrency};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut placed = read_json(&dir.join("nested_payloads/examples/OrderPlaced.example.json"));
    placed["payload"]["lines"] = json!([{"sku": "a", "qty": 1}, {"sku": "b", "qty": 3, "note": "gift"}]);
    let event: DomainEvent = serde_json::from_value(placed.clone()).expect("deserializes");
    let DomainEvent::OrderPlaced(envelope) = &event else { panic!("{event:?}") };
    let amount: i64 = envelope.payload.total.amount_cents;
    let quantity: i64 = envelope.payload.lines[1].qty;
    assert_eq!((amount, quantity), (1, 3));
    assert_eq!(envelope.payload.total.currency, OrderPlacedTotalCurrency::Usd);
    assert_eq!(envelope.payload.lines[1].note.as_deref(), Some("gift"));
    assert_eq!(event.validate(), vec![]);
    assert_eq!(serde_json::to_value(&event).expect("serializes"), placed);

    let refused_by_serde = |change: &dyn Fn(&mut Value)| {
        let mut instance = placed.clone();
        change(&mut instance);
        serde_json::from_value::<DomainEvent>(instance).is_err()
    };
    assert!(refused_by_serde(&|v| drop(v["payload"]["total"].as_object_mut().unwrap().remove("currency"))));
    assert!(refused_by_serde(&|v| v["payload"]["total"]["currency"] = json!("gbp")));
    assert!(refused_by_serde(&|v| v["payload"]["lines"][1]["qty"] = json!("3")));
    assert!(refused_by_serde(&|v| v["payload"]["lines"] = json!({"sku": "a", "qty": 1})));

    let mut bad_phone = placed.clone();
    bad_phone["payload"]["ship_to"]["phone"] = json!("555-0100");
    bad_phone["payload"]["lines"][1]["sku"] = json!("");
    let event: DomainEvent = serde_json::from_value(bad_phone).expect("deserializes");
    let found: Vec<String> = event.validate().iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        [
            "payload.lines[1].sku: is empty",
            "payload.ship_to.phone: does not match the pattern ^\\+[1-9][0-9]{1,14}$",
        ]
    );
}

/// A named type used by two events is one Rust type.
#[test]
fn a_named_type_is_one_struct_for_every_event_that_uses_it() {
    use fixture_crates::nested_payloads::{DomainEvent, Money, MoneyCurrency};
    fn cents(money: &Money) -> i64 {
        money.amount_cents
    }
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut refunded = read_json(&dir.join("nested_payloads/examples/OrderRefunded.example.json"));
    refunded["payload"]["refund"] = json!({"amount_cents": 500, "currency": "eur"});
    let event: DomainEvent = serde_json::from_value(refunded).expect("deserializes");
    let DomainEvent::OrderRefunded(envelope) = &event else { panic!("{event:?}") };
    assert_eq!(cents(&envelope.payload.refund), 500);
    assert_eq!(envelope.payload.refund.currency, MoneyCurrency::Eur);
    let mut placed = read_json(&dir.join("nested_payloads/examples/OrderPlaced.example.json"));
    placed["payload"]["lines"][0]["price"] = json!({"amount_cents": 250, "currency": "usd"});
    let event: DomainEvent = serde_json::from_value(placed).expect("deserializes");
    let DomainEvent::OrderPlaced(envelope) = &event else { panic!("{event:?}") };
    assert_eq!(envelope.payload.lines[0].price.as_ref().map(cents), Some(250));
}

/// A type may hold itself through an array or an optional field: a tree of
/// categories reads, checks and round-trips at any depth.
#[test]
fn recursive_named_types_nest_to_any_depth() {
    use fixture_crates::nested_payloads::DomainEvent;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut categorized = read_json(&dir.join("nested_payloads/examples/OrderCategorized.example.json"));
    categorized["payload"]["category"] = json!({
        "name": "lamps",
        "parent": {"name": "lighting", "parent": {"name": "home", "children": []}, "children": []},
        "children": [{"name": "desk lamps", "children": [{"name": "clamp lamps", "children": []}]}]
    });
    let event: DomainEvent = serde_json::from_value(categorized.clone()).expect("deserializes");
    let DomainEvent::OrderCategorized(envelope) = &event else { panic!("{event:?}") };
    let category = &envelope.payload.category;
    let grandparent = category.parent.as_ref().and_then(|parent| parent.parent.as_ref());
    assert_eq!(grandparent.map(|home| home.name.as_str()), Some("home"));
    assert_eq!(category.children[0].children[0].name, "clamp lamps");
    assert_eq!(event.validate(), vec![]);
    assert_eq!(serde_json::to_value(&event).expect("serializes"), categorized);
    let mut broken = categorized.clone();
    broken["payload"]["category"]["children"][0]["children"][0]["name"] = json!(7);
    assert!(serde_json::from_value::<DomainEvent>(broken).is_err(), "a wrong type deep in the tree");
}

/// Every class of key (camelCase, PascalCase, kebab-case, dotted, `$`/`@`,
/// leading digit, non-ASCII, quoted with spaces and punctuation), at the
/// top, in nested objects and in named types: read into the generated
/// types and written back byte for byte, each under its own Rust member.
#[test]
fn every_key_class_reads_and_writes_byte_for_byte() {
    use fixture_crates::wire_keys::{DomainEvent, ProfileCreated, ProfileUpdated};
    let text = concat!(
        r#"{"eventType":"com.example.profile.created","eventId":"6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d","#,
        r#""aggregateType":"Profile","aggregateId":"p-1","occurredAt":"2025-11-05T14:00:00Z","trace-id":"t","#,
        r#""data":{"profileId":"p-1","createdAt":"2025-11-05T14:00:00Z","isVerified":true,"display-name":"Ada","#,
        r#""user.id":"u","$ref":"r","@type":"Person","3ds":false,"größe":180,"名前":"エイダ","first name":"Ada","#,
        r#""a,b:{c}":"punct","__typename":"Profile","PascalKey":"P","#,
        r#""address":{"zip-code":"10115","line.1":"Main St 1","care of":"Bob"},"#,
        r#""tags":[{"tag-name":"vip","weight":0.5}],"home":{"geo.lat":52.5,"geo.lon":13.4,"place name":"Berlin"}}}"#
    );
    let event: DomainEvent = serde_json::from_str(text).expect("every key reads");
    assert_eq!(serde_json::to_string(&event).expect("serializes"), text);
    assert_eq!(event.validate(), vec![]);
    let DomainEvent::ProfileCreated(envelope) = &event else {
        panic!("{event:?}")
    };
    let payload: &ProfileCreated = &envelope.data;
    assert_eq!(payload.user_id, "u");
    assert_eq!(payload.r#ref.as_deref(), Some("r"));
    assert_eq!(payload.r#type, "Person");
    assert!(!payload.field_3ds);
    assert_eq!(payload.grosse, Some(180));
    assert_eq!(payload.ming_qian.as_deref(), Some("エイダ"));
    assert_eq!(payload.a_b_c.as_deref(), Some("punct"));
    assert_eq!(payload.typename, "Profile");
    assert_eq!(payload.address.line_1, "Main St 1");
    assert_eq!(payload.tags[0].tag_name, "vip");
    assert_eq!(payload.home.as_ref().map(|home| home.geo_lat), Some(52.5));
    assert_eq!(envelope.trace_id.as_deref(), Some("t"));

    // A key respelled is not the key: the required `user.id` is missing.
    let respelled = text.replace(r#""user.id""#, r#""user_id""#);
    let error = serde_json::from_str::<DomainEvent>(&respelled).expect_err("respelled key");
    assert!(error.to_string().contains("user.id"), "{error}");

    // Two keys of one derived member, both kept: `[rust.fields]` names one.
    let updated = concat!(
        r#"{"eventType":"com.example.profile.updated","eventId":"6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d","#,
        r#""aggregateType":"Profile","aggregateId":"p-1","occurredAt":"2025-11-05T14:00:00Z","#,
        r#""data":{"profileId":"p-1","userId":"camel","user_id":"snake","changedFields":["display-name"]}}"#
    );
    let event: DomainEvent = serde_json::from_str(updated).expect("reads");
    assert_eq!(serde_json::to_string(&event).expect("serializes"), updated);
    let DomainEvent::ProfileUpdated(envelope) = &event else {
        panic!("{event:?}")
    };
    let payload: &ProfileUpdated = &envelope.data;
    assert_eq!((payload.user_id.as_str(), payload.user_id_snake.as_str()), ("camel", "snake"));

    // The aggregate id rule learned `profileId` as the Profile's own id.
    let mut other = serde_json::from_str::<Value>(updated).expect("JSON");
    other["aggregateId"] = json!("p-2");
    let event: DomainEvent = serde_json::from_value(other).expect("reads");
    let problems = event.validate();
    assert!(
        problems.iter().any(|problem| problem.field == "aggregateId"),
        "{problems:?}"
    );
}
