//! One verdict in every consumer: for the values of each format evcat
//! checks, and for the UTC and UUID rules the NeverMissCall catalog states,
//! AJV (strict, ajv-formats), python-jsonschema (format checker with its
//! format packages), the generated package's zod validators and `evcat
//! validate`'s stream checker must all give the verdict the table gives. The generated `validate()` is held to the same
//! table in `codegen/tests/compiled/roundtrip.rs`.

#[path = "../codegen/tests/support/published_examples.rs"]
mod published_examples;
mod support;

use serde_json::{json, Value};
use support::{ajv, corpus_file, python_jsonschema, read_json, root, zod};

/// Each case's verdict from AJV, python-jsonschema and the stream checker,
/// against `expected`; the disagreements, worded.
fn disagreements(test: &str, fixture: &str, cases: &[(String, Value, bool)]) -> Vec<String> {
    let dir = root().join("codegen/tests/fixtures").join(fixture);
    let named: Vec<(String, Value)> = cases
        .iter()
        .map(|(name, instance, _)| (name.clone(), instance.clone()))
        .collect();
    // A file per test and fixture: tests run in parallel.
    let file = corpus_file(&format!("one-verdict-{test}-{fixture}.json"), &named);
    let schemas = dir.join("expected/schemas");
    let package = dir.join("expected/typescript");
    // The three consumers at once: each is a process of its own.
    let (ajv, python, zod) = std::thread::scope(|scope| {
        let ajv = scope.spawn(|| ajv(&schemas, Some(&file)).valid);
        let python = scope.spawn(|| python_jsonschema(&schemas, Some(&file)).valid);
        let zod = zod(
            &package,
            &format!("one-verdict-{test}-{fixture}"),
            Some(&file),
        )
        .valid;
        (
            ajv.join().expect("AJV ran"),
            python.join().expect("python-jsonschema ran"),
            zod,
        )
    });
    let compiled = evcat::Builder::new(dir.join("catalog.md"))
        .compile()
        .unwrap_or_else(|error| panic!("{fixture}: {error}"));
    let mut found = Vec::new();
    for (index, (name, instance, expected)) in cases.iter().enumerate() {
        // A fresh checker per line: only the line's own validity counts here.
        let mut checker = evcat::stream::StreamChecker::new(&compiled.catalog);
        let stream = checker.check_line(1, &instance.to_string()).is_none();
        let verdicts = [
            ("ajv", ajv[index].1),
            ("python-jsonschema", python[index].1),
            ("zod", zod[index].1),
            ("evcat validate", stream),
        ];
        for (consumer, verdict) in verdicts {
            if verdict != *expected {
                found.push(format!(
                    "{fixture}: {name}: {consumer} says valid={verdict}, expected {expected}"
                ));
            }
        }
    }
    found
}

fn example(fixture: &str, event: &str) -> Value {
    read_json(
        &root()
            .join("codegen/tests/fixtures")
            .join(fixture)
            .join(format!("expected/examples/{event}.example.json")),
    )
}

#[test]
fn every_consumer_gives_each_format_value_the_same_verdict() {
    let table = read_json(&root().join("codegen/tests/formats/values.json"));
    let base = example("envelope-patterns", "OrderPlaced");
    let cases: Vec<(String, Value, bool)> = table["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|row| {
            let format = row["format"].as_str().expect("format");
            let field = format!("format_{}", format.replace('-', "_"));
            assert!(
                base.get(&field).is_some(),
                "the fixture has a `{field}` property"
            );
            let mut instance = base.clone();
            instance[&field] = row["value"].clone();
            let name = format!("{format} {}", row["value"]);
            (name, instance, row["valid"].as_bool().expect("valid"))
        })
        .collect();
    assert!(cases.len() >= 60, "a table of values per format");
    let found = disagreements("formats", "envelope-patterns", &cases);
    assert!(found.is_empty(), "verdicts differ:\n{}", found.join("\n"));
}

#[test]
fn nevermisscall_outputs_refuse_non_utc_times_and_non_uuid_ids_everywhere() {
    let base = example("nevermisscall", "nmc.telephony.CallDetected");
    let mut cases = vec![("the synthesized example".to_owned(), base.clone(), true)];
    let mut case = |name: &str, change: &dyn Fn(&mut Value), valid: bool| {
        let mut instance = base.clone();
        change(&mut instance);
        cases.push((name.to_owned(), instance, valid));
    };
    case(
        "occurred_at with a +02:00 offset",
        &|v| v["occurred_at"] = json!("2025-09-01T18:22:03+02:00"),
        false,
    );
    case(
        "occurred_at in UTC with a lowercase z",
        &|v| v["occurred_at"] = json!("2025-09-01T18:22:03z"),
        true,
    );
    case(
        "tenant_id that is not a UUID",
        &|v| v["tenant_id"] = json!("acme"),
        false,
    );
    case(
        "event_id that is not a UUID",
        &|v| v["event_id"] = json!("evt-1"),
        false,
    );
    case(
        "correlation_id that is not a UUID",
        &|v| v["correlation_id"] = json!("c-1"),
        false,
    );
    case(
        "causation_id null",
        &|v| v["causation_id"] = Value::Null,
        true,
    );
    let found = disagreements("utc-uuid", "nevermisscall", &cases);
    assert!(found.is_empty(), "verdicts differ:\n{}", found.join("\n"));
}

/// The CNCF CloudEvents schema as published is the envelope: what the
/// catalog allows and forbids reaches AJV, python-jsonschema and the stream
/// checker alike.
#[test]
fn cloudevents_instances_get_one_verdict() {
    let base = json!({
        "specversion": "1.0", "id": "A234-1234-1234", "source": "https://shop.acme.example/orders",
        "type": "com.acme.orders.placed.v1", "subject": "o-1", "time": "2025-11-05T15:00:00+01:00",
        "datacontenttype": "application/json",
        "data": {"order_id": "o-1", "customer_id": "c-9", "total_cents": 1200, "currency": "eur", "placed_at": "2025-11-05T14:00:00Z"}
    });
    let mut cases = vec![("a placed order".to_owned(), base.clone(), true)];
    let mut case = |name: &str, change: &dyn Fn(&mut Value), valid: bool| {
        let mut instance = base.clone();
        change(&mut instance);
        cases.push((name.to_owned(), instance, valid));
    };
    case(
        "no subject",
        &|v| drop(v.as_object_mut().unwrap().remove("subject")),
        true,
    );
    case(
        "time in UTC",
        &|v| v["time"] = json!("2025-11-05T14:00:00Z"),
        true,
    );
    case(
        "a relative source",
        &|v| v["source"] = json!("/orders"),
        true,
    );
    case(
        "a currency outside the enum",
        &|v| v["data"]["currency"] = json!("gbp"),
        false,
    );
    case(
        "a missing data field",
        &|v| drop(v["data"].as_object_mut().unwrap().remove("order_id")),
        false,
    );
    case(
        "a total that is a string",
        &|v| v["data"]["total_cents"] = json!("12"),
        false,
    );
    case(
        "the type name instead of the wire name",
        &|v| v["type"] = json!("OrderPlaced"),
        false,
    );
    case(
        "no data",
        &|v| drop(v.as_object_mut().unwrap().remove("data")),
        false,
    );
    case("data that is a string", &|v| v["data"] = json!("{}"), false);
    case("an empty id", &|v| v["id"] = json!(""), false);
    case(
        "no specversion",
        &|v| drop(v.as_object_mut().unwrap().remove("specversion")),
        false,
    );
    case(
        "a source that is no URI reference",
        &|v| v["source"] = json!("not a uri reference"),
        false,
    );
    case(
        "a time that is no date-time",
        &|v| v["time"] = json!("yesterday"),
        false,
    );
    case(
        "a dataschema that is no URI",
        &|v| v["dataschema"] = json!("/relative"),
        false,
    );
    case(
        "placed_at not in UTC",
        &|v| v["data"]["placed_at"] = json!("2025-11-05T15:00:00+01:00"),
        false,
    );
    let found = disagreements("cloudevents", "cloudevents", &cases);
    assert!(found.is_empty(), "verdicts differ:\n{}", found.join("\n"));
}

/// A value that breaks each format, from the format table.
fn bad_value_of(format: &str) -> Option<Value> {
    let table = read_json(&root().join("codegen/tests/formats/values.json"));
    table["values"]
        .as_array()?
        .iter()
        .find(|row| row["format"] == format && row["valid"] == false)
        .map(|row| row["value"].clone())
}

/// What breaks a field's type or format, if anything evcat checks: a
/// non-UTC offset for a `timestamp`, a non-UUID for a `uuid`, a bad value
/// for each format.
fn breaking_value(field: &evcat::ir::Field) -> Option<(&'static str, Value)> {
    use evcat::ir::{FieldType, Scalar};
    match (&field.ty, field.rules.format.as_deref()) {
        (FieldType::Scalar(Scalar::Timestamp), _) => {
            Some(("a non-UTC offset", json!("2025-09-01T18:22:03+02:00")))
        }
        (FieldType::Scalar(Scalar::Uuid), _) => Some(("not a UUID", json!("acme"))),
        (FieldType::Scalar(_), Some(format)) => {
            Some(("a value outside the format", bad_value_of(format)?))
        }
        _ => None,
    }
}

/// The fixtures folder and the names of its catalogs, sorted.
fn fixture_names() -> (std::path::PathBuf, Vec<String>) {
    let fixtures = root().join("codegen/tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|name| fixtures.join(name).join("catalog.md").is_file())
        .collect();
    names.sort();
    (fixtures, names)
}

/// Every fixture catalog: each synthesized example stays valid, and each
/// field that is a `timestamp`, a `uuid` or of a format gets a value that
/// breaks it; every consumer must refuse those alike.
#[test]
fn every_fixture_refuses_non_utc_times_non_uuids_and_bad_formats_everywhere() {
    let (fixtures, names) = fixture_names();
    let mut found = Vec::new();
    let mut broken = 0;
    for fixture in &names {
        let compiled = evcat::Builder::new(fixtures.join(fixture).join("catalog.md"))
            .compile()
            .unwrap_or_else(|error| panic!("{fixture}: {error}"));
        let catalog = &compiled.catalog;
        let envelope = &catalog.envelope;
        let mut cases = Vec::new();
        for (_, event) in catalog.events() {
            let base = example(fixture, &event.name);
            cases.push((format!("{} example", event.name), base.clone(), true));
            // Each field with the keys of the object holding it: the
            // envelope's, its nested objects' and the payload's.
            let mut places: Vec<(Vec<String>, &evcat::ir::Field)> = Vec::new();
            envelope_places(catalog, &envelope.fields, &[], &mut places);
            let payload_keys = envelope
                .payload
                .as_ref()
                .map(|path| path.keys().to_vec())
                .unwrap_or_default();
            places.extend(
                event
                    .fields
                    .iter()
                    .map(|field| (payload_keys.clone(), field)),
            );
            for (inside, field) in places {
                let Some((what, value)) = breaking_value(field) else {
                    continue;
                };
                let mut instance = base.clone();
                let target = inside
                    .iter()
                    .fold(&mut instance, |value, key| &mut value[key]);
                target[&field.name] = value;
                cases.push((
                    format!("{} {}: {what}", event.name, field.name),
                    instance,
                    false,
                ));
                broken += 1;
            }
        }
        found.extend(disagreements("fixtures", fixture, &cases));
    }
    assert!(
        broken > 50,
        "only {broken} broken values: the fixtures should have many such fields"
    );
    assert!(found.is_empty(), "verdicts differ:\n{}", found.join("\n"));
}

/// The envelope's fields, each with the keys of the object holding it, the
/// fields of its nested objects included.
fn envelope_places<'c>(
    catalog: &'c evcat::ir::Catalog,
    fields: &'c [evcat::ir::Field],
    at: &[String],
    places: &mut Vec<(Vec<String>, &'c evcat::ir::Field)>,
) {
    for field in fields {
        places.push((at.to_vec(), field));
        if let evcat::ir::FieldType::Struct(id) = field.ty {
            let nested = catalog.struct_type(id);
            if nested.envelope {
                let mut inner = at.to_vec();
                inner.push(field.name.clone());
                envelope_places(catalog, &nested.fields, &inner, places);
            }
        }
    }
}

/// Nested payloads: what the catalog says of an object inside a payload (its
/// fields, their types and values, an array of objects) reaches every
/// consumer alike.
#[test]
fn nested_objects_get_one_verdict() {
    let base = example("nested-payloads", "OrderPlaced");
    let mut cases = vec![("the synthesized example".to_owned(), base.clone(), true)];
    let mut case = |name: &str, change: &dyn Fn(&mut Value), valid: bool| {
        let mut instance = base.clone();
        change(&mut instance);
        cases.push((name.to_owned(), instance, valid));
    };
    fn payload(v: &mut Value) -> &mut Value {
        &mut v["payload"]
    }
    case(
        "two lines",
        &|v| {
            payload(v)["lines"] =
                json!([{"sku": "a", "qty": 1}, {"sku": "b", "qty": 2, "note": null}])
        },
        true,
    );
    case("no lines", &|v| payload(v)["lines"] = json!([]), true);
    case(
        "no ship_to",
        &|v| drop(payload(v).as_object_mut().unwrap().remove("ship_to")),
        true,
    );
    case(
        "a field nested objects do not declare",
        &|v| payload(v)["total"]["rounded"] = json!(true),
        true,
    );
    case(
        "a missing nested field",
        &|v| {
            drop(
                payload(v)["total"]
                    .as_object_mut()
                    .unwrap()
                    .remove("currency"),
            )
        },
        false,
    );
    case(
        "a nested enum value outside the set",
        &|v| payload(v)["total"]["currency"] = json!("gbp"),
        false,
    );
    case(
        "a nested wrong type",
        &|v| payload(v)["total"]["amount_cents"] = json!("12"),
        false,
    );
    case(
        "a non-array where an array is declared",
        &|v| payload(v)["lines"] = json!({"sku": "a", "qty": 1}),
        false,
    );
    case(
        "a wrong type in the second line",
        &|v| payload(v)["lines"] = json!([{"sku": "a", "qty": 1}, {"sku": "b", "qty": 1.5}]),
        false,
    );
    case(
        "a line without its sku",
        &|v| payload(v)["lines"] = json!([{"qty": 1}]),
        false,
    );
    case(
        "an empty sku in the second line",
        &|v| payload(v)["lines"] = json!([{"sku": "a", "qty": 1}, {"sku": "", "qty": 1}]),
        false,
    );
    case(
        "a ship_to phone that is not E.164",
        &|v| payload(v)["ship_to"]["phone"] = json!("555-0100"),
        false,
    );
    case(
        "a total that is not an object",
        &|v| payload(v)["total"] = json!(12),
        false,
    );
    let tree = example("nested-payloads", "OrderCategorized");
    let deep = json!({"name": "a", "parent": {"name": "b", "children": []}, "children": [{"name": "c", "children": [{"name": "d", "children": []}]}]});
    let mut categorized = tree.clone();
    categorized["payload"]["category"] = deep.clone();
    cases.push((
        "a category tree four levels deep".to_owned(),
        categorized.clone(),
        true,
    ));
    let mut broken = categorized;
    broken["payload"]["category"]["children"][0]["children"][0]["name"] = json!(7);
    cases.push((
        "a wrong type deep in the category tree".to_owned(),
        broken,
        false,
    ));
    let mut orphan = tree;
    orphan["payload"]["category"] = json!({"name": "a", "children": [{"name": "b"}]});
    cases.push((
        "a child category without its children".to_owned(),
        orphan,
        false,
    ));
    let found = disagreements("nested", "nested-payloads", &cases);
    assert!(found.is_empty(), "verdicts differ:\n{}", found.join("\n"));
}

/// Every fixture's example files as their publishers wrote them (AWS,
/// Azure and Google samples among them), and copies with each top-level
/// key of the envelope and the payload removed or respelled: AJV,
/// python-jsonschema, zod and `evcat validate` give the verdict the catalog
/// implies. The generated `validate()` is held to the same cases in
/// `codegen/tests/compile_generated.rs`.
#[test]
fn published_examples_and_their_mutations_get_one_verdict() {
    let (fixtures, names) = fixture_names();
    let mut found = Vec::new();
    let mut published = 0;
    let mut judged = 0;
    for fixture in &names {
        let dir = fixtures.join(fixture);
        let compiled = evcat::Builder::new(dir.join("catalog.md"))
            .compile()
            .unwrap_or_else(|error| panic!("{fixture}: {error}"));
        let cases = published_examples::cases(&compiled.catalog, &dir);
        if cases.is_empty() {
            continue;
        }
        published += cases
            .iter()
            .filter(|(name, _, _)| name.ends_with("as published"))
            .count();
        judged += cases.len();
        found.extend(disagreements("published", fixture, &cases));
    }
    assert!(
        published >= 12 && judged > 300,
        "only {published} published examples and {judged} cases"
    );
    assert!(found.is_empty(), "verdicts differ:\n{}", found.join("\n"));
}
