//! The catalog dialect, read into the IR: one assertion per feature a
//! catalog author relies on.

use evcat::ir::{Catalog, Event, FieldType, Inline, Scalar, TypeOrigin};
use std::path::Path;

fn compile(fixture: &str) -> Catalog {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(fixture)
        .join("catalog.md");
    evcat::Builder::new(path)
        .compile()
        .unwrap_or_else(|error| panic!("{error}"))
        .catalog
}

fn event<'a>(catalog: &'a Catalog, name: &str) -> &'a Event {
    catalog
        .events()
        .map(|(_, event)| event)
        .find(|event| event.name == name)
        .unwrap_or_else(|| panic!("no event {name}"))
}

fn field_type(catalog: &Catalog, event_name: &str, field: &str) -> (FieldType, bool, TypeOrigin) {
    let found = event(catalog, event_name)
        .fields
        .iter()
        .find(|candidate| candidate.name == field)
        .expect("field");
    (found.ty.clone(), found.optional, found.type_origin)
}

#[test]
fn the_seed_catalog_reads_as_written() {
    let catalog = compile("seed-messaging");
    let families: Vec<(&str, usize)> = catalog
        .families
        .iter()
        .map(|family| (family.name.as_str(), family.events.len()))
        .collect();
    assert_eq!(
        families,
        [
            ("Customer", 4),
            ("Contact", 3),
            ("Provider", 4),
            ("Channel", 3),
            ("Conversation", 7)
        ]
    );
    assert_eq!(
        catalog.title.as_deref(),
        Some("Event Catalog (004-create-domain-events)")
    );
    let enabled = event(&catalog, "CustomerEnabled");
    let disabled = event(&catalog, "CustomerDisabled");
    assert_eq!(
        enabled.fields, disabled.fields,
        "`### A / B` shares its bullets"
    );
    assert_eq!(enabled.docs, disabled.docs);
    assert_ne!(enabled.span, disabled.span, "each name keeps its own span");
    let names: Vec<(&str, bool)> = enabled
        .fields
        .iter()
        .map(|field| (field.name.as_str(), field.optional))
        .collect();
    assert_eq!(names, [("customer_id", false), ("reason", true)]);
    let created = event(&catalog, "CustomerCreated");
    assert_eq!(created.examples.len(), 1);
    assert_eq!(
        created.examples[0].path,
        "examples/customer_created.example.json"
    );
    assert_eq!(
        created.docs.purpose.plain_text(),
        "A new customer organization has been created and is available to configure."
    );
    let conversation = catalog
        .families
        .iter()
        .find(|family| family.name == "Conversation")
        .expect("family");
    assert!(
        conversation
            .doc
            .plain_text()
            .starts_with("Notes: Conversation identity"),
        "family notes are documentation"
    );
    assert!(catalog
        .doc
        .plain_text()
        .contains("Tip: Envelope fields are always required"));
}

#[test]
fn field_types_come_from_the_data_model_then_conventions() {
    let catalog = compile("seed-messaging");
    let (provider_kind, _, origin) = field_type(&catalog, "ProviderConfigured", "kind");
    let (channel_kind, _, _) = field_type(&catalog, "ChannelMapped", "kind");
    let (FieldType::Enum(provider), FieldType::Enum(channel)) = (provider_kind, channel_kind)
    else {
        panic!("enums")
    };
    assert_ne!(provider, channel, "Provider kind and Channel kind differ");
    assert_eq!(catalog.enum_type(provider).name, "ProviderKind");
    assert_eq!(catalog.enum_type(provider).variants.len(), 5);
    assert_eq!(catalog.enum_type(channel).variants.len(), 3);
    assert!(matches!(origin, TypeOrigin::DataModel(_)));
    let (status, _, _) = field_type(&catalog, "ConversationCreated", "status");
    assert!(
        matches!(status, FieldType::Enum(id) if catalog.enum_type(id).name == "ConversationStatus")
    );
    assert_eq!(
        field_type(&catalog, "CustomerCreated", "customer_id").0,
        FieldType::Scalar(Scalar::Id)
    );
    assert_eq!(
        field_type(&catalog, "CustomerUpdated", "changed_fields").0,
        FieldType::Array(Box::new(FieldType::Scalar(Scalar::String)))
    );
    assert_eq!(
        field_type(&catalog, "CustomerDisabled", "reason"),
        (
            FieldType::Scalar(Scalar::String),
            true,
            TypeOrigin::Convention
        )
    );
}

#[test]
fn commonmark_variants_read_the_same() {
    let catalog = compile("crlf-unicode");
    assert_eq!(
        catalog.families[0].name, "Billing",
        "closing `##` is not part of the name"
    );
    let issued = event(&catalog, "InvoiceIssued");
    let names: Vec<&str> = issued
        .fields
        .iter()
        .map(|field| field.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "invoice_id",
            "amount_cents",
            "issued_at",
            "line_ids",
            "is_paid"
        ],
        "`*` bullets, backticks, free spacing, a list over two lines"
    );
    assert_eq!(
        issued.docs.purpose.plain_text(),
        "An invoice was issued — «montant dû»."
    );
    assert_eq!(
        issued.docs.invariants.plain_text(),
        "Nested note one.\n\nNested note two.",
        "nested items continue their bullet"
    );
    assert_eq!(
        issued.examples[0].path, "examples/invoice_issued.json",
        "`+` bullets too"
    );
    assert_eq!(
        field_type(&catalog, "InvoiceIssued", "amount_cents").0,
        FieldType::Scalar(Scalar::Integer)
    );
    assert_eq!(
        field_type(&catalog, "InvoiceIssued", "issued_at").0,
        FieldType::Scalar(Scalar::Timestamp)
    );
    assert_eq!(
        field_type(&catalog, "InvoiceIssued", "is_paid").0,
        FieldType::Scalar(Scalar::Boolean)
    );
    let voided = event(&catalog, "InvoiceVoided");
    assert_eq!(
        voided.docs.postconditions.plain_text(),
        "The balance reflects it.",
        "loose lists"
    );
    assert_eq!(
        voided.docs.notes.plain_text(),
        "A paragraph of notes under the event."
    );
}

#[test]
fn spans_point_at_lines_and_columns_of_crlf_files() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crlf-unicode/catalog.md");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let catalog = compile("crlf-unicode");
    let paid = event(&catalog, "InvoicePaid");
    assert_eq!(&text[paid.span.start..paid.span.end], "InvoicePaid");
    let reason = paid
        .fields
        .iter()
        .find(|field| field.name == "reason")
        .expect("reason");
    assert_eq!(&text[reason.span.start..reason.span.end], "reason");
    let voided = event(&catalog, "InvoiceVoided");
    assert_eq!(&text[voided.span.start..voided.span.end], "InvoiceVoided");
}

#[test]
fn code_in_prose_stays_code() {
    let catalog = compile("hostile-prose");
    let touched = event(&catalog, "RecordTouched");
    let has_code = touched.docs.purpose.paragraphs[0]
        .iter()
        .any(|inline| matches!(inline, Inline::Code(_)));
    assert!(has_code);
}

#[test]
fn envelope_fields_are_whatever_the_schema_declares() {
    let catalog = compile("envelope-2020-12");
    let names: Vec<(&str, bool)> = catalog
        .envelope
        .fields
        .iter()
        .map(|field| (field.name.as_str(), field.optional))
        .collect();
    assert_eq!(
        names,
        [
            ("event_name", false),
            ("eventId", false),
            ("emitted_at", false),
            ("schema", false),
            ("source", true),
            ("priority", true),
            ("tags", false),
            ("trace_id", true),
            ("meta", true)
        ]
    );
    assert!(catalog.envelope.closed);
    let priority = catalog
        .envelope
        .fields
        .iter()
        .find(|field| field.name == "priority")
        .expect("priority");
    assert!(priority.nullable);
    let schema = catalog
        .envelope
        .fields
        .iter()
        .find(|field| field.name == "schema")
        .expect("schema");
    assert_eq!(schema.rules.minimum, Some(1.into()));
    assert_eq!(schema.rules.maximum, Some(9.into()));
    let project =
        evcat::Builder::new(Path::new(env!("CARGO_MANIFEST_DIR")).join("../contracts/catalog.md"))
            .compile()
            .expect("project catalog");
    let optional: Vec<&str> = project
        .catalog
        .envelope
        .fields
        .iter()
        .filter(|field| field.optional)
        .map(|field| field.name.as_str())
        .collect();
    assert_eq!(optional, ["idempotency_key"]);
}

#[test]
fn the_nevermisscall_catalog_reads_as_written() {
    let catalog = compile("nevermisscall");
    let events: Vec<(&str, &str)> = catalog
        .events()
        .map(|(_, event)| (event.name.as_str(), event.type_name.as_str()))
        .collect();
    assert_eq!(events.len(), 13);
    assert_eq!(events[0], ("nmc.telephony.CallDetected", "CallDetected"));
    let families: Vec<&str> = catalog
        .families
        .iter()
        .map(|family| family.name.as_str())
        .collect();
    assert_eq!(
        families,
        [
            "telephony",
            "conversation",
            "catalog",
            "scheduling",
            "compliance",
            "billing"
        ]
    );
    let detected = event(&catalog, "nmc.telephony.CallDetected");
    assert_eq!(
        detected.docs.purpose.plain_text(),
        "We detect a missed/failed/busy inbound call worthy of SMS follow-up."
    );
    assert!(detected
        .docs
        .notes
        .plain_text()
        .contains("Producer: Telephony Ingestion"));
    let field = |event_name: &str, name: &str| {
        event(&catalog, event_name)
            .fields
            .iter()
            .find(|field| field.name == name)
            .cloned()
            .expect("field")
    };
    let phone = field("nmc.telephony.CallDetected", "from_phone");
    assert_eq!(phone.ty, FieldType::Scalar(Scalar::String));
    assert!(
        phone
            .rules
            .pattern
            .as_deref()
            .is_some_and(|pattern| pattern.contains("[1-9]")),
        "E.164"
    );
    assert_eq!(
        phone.examples,
        [serde_json::json!("+13105551212")],
        "the hint is a sample"
    );
    let FieldType::Enum(reason) = field("nmc.telephony.CallDetected", "reason").ty else {
        panic!("an enum")
    };
    assert_eq!(catalog.enum_type(reason).name, "CallDetectedReason");
    assert_eq!(catalog.enum_type(reason).variants.len(), 3);
    let error_code = field("nmc.conversation.DeliveryUpdated", "error_code");
    assert!(
        error_code.nullable && !error_code.optional,
        "`string|null`: present, may be null"
    );
    assert_eq!(
        field("nmc.catalog.CatalogUpdated", "updated_item_ids").ty,
        FieldType::Array(Box::new(FieldType::Scalar(Scalar::Uuid)))
    );
    assert_eq!(
        field("nmc.catalog.CatalogUpdated", "full_refresh").ty,
        FieldType::Scalar(Scalar::Boolean)
    );
    assert_eq!(
        field("nmc.scheduling.AppointmentHeld", "start").ty,
        FieldType::Scalar(Scalar::Timestamp)
    );
    let envelope: Vec<(&str, bool)> = catalog
        .envelope
        .fields
        .iter()
        .map(|field| (field.name.as_str(), field.nullable))
        .collect();
    assert_eq!(
        envelope,
        [
            ("event_id", false),
            ("event_name", false),
            ("schema_version", false),
            ("tenant_id", false),
            ("occurred_at", false),
            ("correlation_id", false),
            ("causation_id", true)
        ]
    );
}

/// Envelopes of other shapes: the roles each one's properties play.
#[test]
fn envelope_roles_are_recognized_or_declared() {
    use evcat::ir::Convention;
    let cloud = compile("cloudevents");
    let envelope = &cloud.envelope;
    assert_eq!(envelope.convention, Convention::CloudEvents);
    assert!(!envelope.declared, "nothing beside the published schema");
    let dotted = |path: &Option<evcat::ir::MemberPath>| path.as_ref().map(|path| path.dotted());
    assert_eq!(
        (envelope.discriminator.dotted(), dotted(&envelope.payload)),
        ("type".to_owned(), Some("data".to_owned()))
    );
    assert_eq!(
        dotted(&envelope.roles.event_source).as_deref(),
        Some("source")
    );
    assert_eq!(
        dotted(&envelope.roles.aggregate_id).as_deref(),
        Some("subject")
    );
    assert_eq!(
        event(&cloud, "OrderPlaced").wire_name,
        "com.acme.orders.placed.v1"
    );

    // EventBridge: declared in evcat.toml; its string `version` is not an
    // aggregate version, though evcat's names would make it one.
    let bridge = compile("eventbridge");
    let envelope = &bridge.envelope;
    assert!(envelope.declared);
    assert_eq!(envelope.discriminator.dotted(), "detail-type");
    assert_eq!(dotted(&envelope.payload).as_deref(), Some("detail"));
    assert_eq!(envelope.roles.aggregate_version, None);
    assert_eq!(
        event(&bridge, "ShipmentDelivered").wire_name,
        "Shipment Delivered"
    );

    let ours = compile("seed-messaging");
    assert_eq!(ours.envelope.convention, Convention::Evcat);
    assert_eq!(
        dotted(&ours.envelope.roles.aggregate_version).as_deref(),
        Some("version")
    );
    assert_eq!(event(&ours, "CustomerCreated").wire_name, "CustomerCreated");

    // CDEvents: every role below the root, the payload two objects down.
    let cd = compile("cdevents");
    let envelope = &cd.envelope;
    assert_eq!(
        (
            envelope.discriminator.pointer(),
            envelope.payload.as_ref().map(|path| path.pointer())
        ),
        (
            "/context/type".to_owned(),
            Some("/subject/content".to_owned())
        )
    );
    assert_eq!(
        dotted(&envelope.roles.event_id).as_deref(),
        Some("context.id")
    );
    assert_eq!(
        dotted(&envelope.roles.aggregate_id).as_deref(),
        Some("subject.id")
    );
    let subject = cd
        .structs
        .iter()
        .find(|object| object.name == "EnvelopeSubject")
        .expect("subject is an envelope object");
    assert!(subject.envelope && subject.closed);
    assert_eq!(
        subject
            .fields
            .iter()
            .map(|field| field.name.as_str())
            .collect::<Vec<_>>(),
        ["id", "source"],
        "the payload is no field of the object holding it"
    );
}

/// A named type used by several events is one type in every output: one
/// schema definition the events refer to, one Rust struct, one interface.
#[test]
fn a_named_type_is_defined_once_in_every_output() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nested-payloads/catalog.md");
    let generated = evcat::Builder::new(path).generate().expect("generates");
    let file = |name: &str| {
        &generated
            .files
            .iter()
            .find(|file| file.path == name)
            .unwrap_or_else(|| panic!("{name}"))
            .contents
    };
    let bundle: serde_json::Value =
        serde_json::from_str(file("schemas/events.schema.json")).expect("JSON");
    assert_eq!(
        bundle["definitions"]["Money"]["required"],
        serde_json::json!(["amount_cents", "currency"])
    );
    let refunded = &bundle["definitions"]["OrderRefunded"]["properties"]["payload"]["properties"];
    assert_eq!(
        refunded["refund"],
        serde_json::json!({"$ref": "#/definitions/Money"})
    );
    let lines =
        &bundle["definitions"]["OrderPlaced"]["properties"]["payload"]["properties"]["lines"];
    assert_eq!(
        lines["items"]["properties"]["price"]["anyOf"][0],
        serde_json::json!({"$ref": "#/definitions/Money"})
    );
    assert_eq!(
        file("rust/events.rs").matches("pub struct Money {").count(),
        1
    );
    assert_eq!(
        file("typescript/events.d.ts")
            .matches("export interface Money {")
            .count(),
        1
    );
}

/// `$ref` as JSON Schema means it: other files relative to the referencing
/// one, JSON pointers with `~0`, `~1` and percent-encoding, a subschema's
/// `$id` as the base of the references inside it, and files known by their
/// `$id` (absolute, or relative to the catalog's folder).
#[test]
fn references_resolve_across_files_by_the_drafts_rules() {
    let dir = tempfile::tempdir().expect("scratch folder");
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder");
        std::fs::write(path, text).expect("written");
    };
    write(
        "catalog.md",
        "# Refs\n\n## Order\n\n### OrderPlaced\n- Purpose: An order was placed.\n- Required: { order_id }\n",
    );
    write(
        "envelope.schema.json",
        r##"{
  "type": "object",
  "required": ["event_name", "payload"],
  "properties": {
    "event_name": { "type": "string" },
    "payload": { "type": "object" },
    "escaped": { "$ref": "parts/shared.schema.json#/$defs/a~1b" },
    "spaced": { "$ref": "parts/shared.schema.json#/$defs/with%20space" },
    "tilde": { "$ref": "parts/shared.schema.json#/$defs/x~0y" },
    "remote": { "$ref": "https://schemas.example.org/money.json" },
    "relative": { "$ref": "common/user.schema.json" },
    "moved": {
      "$id": "https://schemas.example.org/nested/",
      "type": "object",
      "properties": { "amount": { "$ref": "../money.json" } }
    }
  }
}"##,
    );
    write(
        "parts/shared.schema.json",
        r#"{ "$defs": {
  "a/b": { "type": "string", "minLength": 1 },
  "with space": { "type": "integer" },
  "x~y": { "type": "boolean" } } }"#,
    );
    write(
        "schemas/money.json",
        r#"{ "$id": "https://schemas.example.org/money.json", "type": "object",
  "required": ["cents"], "properties": { "cents": { "type": "integer" } } }"#,
    );
    write(
        "schemas/user.json",
        r#"{ "$id": "common/user.schema.json", "type": "object",
  "properties": { "login": { "type": "string" } }, "additionalProperties": false }"#,
    );
    let compiled = evcat::Builder::new(dir.path().join("catalog.md"))
        .compile()
        .unwrap_or_else(|error| panic!("{error}"));
    let catalog = &compiled.catalog;
    let field = |name: &str| {
        catalog
            .envelope
            .fields
            .iter()
            .find(|field| field.name == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(
        field("escaped").ty,
        FieldType::Scalar(evcat::ir::Scalar::String)
    );
    assert_eq!(field("escaped").rules.min_length, Some(1));
    assert_eq!(
        field("spaced").ty,
        FieldType::Scalar(evcat::ir::Scalar::Integer)
    );
    assert_eq!(
        field("tilde").ty,
        FieldType::Scalar(evcat::ir::Scalar::Boolean)
    );
    let object_fields = |name: &str| match field(name).ty {
        FieldType::Struct(id) => catalog
            .struct_type(id)
            .fields
            .iter()
            .map(|field| field.name.clone())
            .collect::<Vec<_>>(),
        ref other => panic!("{name} is {other:?}"),
    };
    assert_eq!(object_fields("remote"), ["cents"], "by its absolute `$id`");
    assert_eq!(
        object_fields("relative"),
        ["login"],
        "by its relative `$id`"
    );
    let moved = match field("moved").ty {
        FieldType::Struct(id) => catalog.struct_type(id),
        ref other => panic!("{other:?}"),
    };
    let amount = &moved.fields[0];
    assert!(
        matches!(amount.ty, FieldType::Struct(id) if catalog.struct_type(id).fields[0].name == "cents"),
        "`../money.json` against the subschema's `$id`"
    );
}
