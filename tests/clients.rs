//! The outputs, proven by the tools consumers run: `tsc --strict`, AJV in
//! strict mode with ajv-formats, and python-jsonschema with format checking,
//! on the project's outputs and on every fixture catalog's (CRLF, keyword
//! field names, hostile prose, a 2020-12 envelope). The tools are pinned in
//! package.json / package-lock.json and requirements.txt; `bash scripts/test.sh`
//! installs them. A missing tool fails with the command that installs it.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use domain_events::DomainEvent;
use serde_json::{json, Value};
use support::{ajv, on_every_core, python_jsonschema, root, run, schema_dirs, tool, zod};

#[test]
fn tsc_strict_compiles_the_declarations_and_refuses_what_must_not_compile() {
    let tsc = tool(
        root().join("node_modules/.bin/tsc"),
        "the TypeScript compiler",
    );
    run(
        Command::new(tsc).args(["--strict", "--noEmit", "-p", "tests/clients/tsconfig.json"]),
        "tsc --strict --noEmit",
    );
}

#[test]
fn every_schema_compiles_in_strict_ajv_and_passes_its_metaschema() {
    for dir in schema_dirs() {
        let expected = std::fs::read_dir(&dir).expect("schemas").count() as u64;
        assert_eq!(
            ajv(&dir, None).compiled,
            expected,
            "AJV compiled every schema of {}",
            dir.display()
        );
        assert_eq!(
            python_jsonschema(&dir, None).compiled,
            expected,
            "python-jsonschema checked every schema of {}",
            dir.display()
        );
    }
}

/// The schema file of the event an example file is of:
/// `X.example.json` and `X.catalog-1.example.json` are `X.schema.json`.
fn event_schema_of(example: &Path) -> String {
    let file = example.file_name().expect("named").to_string_lossy();
    let event = file.strip_suffix(".example.json").expect("an example file");
    let event = match event.rsplit_once(".catalog-") {
        Some((event, index)) if index.bytes().all(|byte| byte.is_ascii_digit()) => event,
        _ => event,
    };
    format!("{event}.schema.json")
}

/// Each folder's example files (synthesized, and the catalog's own), as a
/// corpus for its schemas: each checked against the bundle and its event's
/// own schema.
fn synthesized_corpus(schemas: &Path) -> (PathBuf, Vec<(String, Value)>) {
    let examples = schemas
        .parent()
        .expect("beside the schemas")
        .join("examples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&examples)
        .unwrap_or_else(|error| panic!("{}: {error}", examples.display()))
        .map(|entry| entry.expect("entry").path())
        .collect();
    paths.sort();
    let cases: Vec<(String, Value)> = paths
        .iter()
        .map(|path| {
            (
                path.display().to_string(),
                serde_json::from_str(&std::fs::read_to_string(path).expect("example"))
                    .expect("JSON"),
            )
        })
        .collect();
    let name = schemas.display().to_string().replace(['/', '\\'], "_");
    let file = tempfile_path(&format!("{name}.json"));
    let json: Vec<Value> = cases
        .iter()
        .zip(&paths)
        .map(|((name, instance), path)| {
            json!({"name": name, "instance": instance, "schema": event_schema_of(path)})
        })
        .collect();
    std::fs::write(&file, serde_json::to_string(&json).expect("JSON")).expect("corpus written");
    (file, cases)
}

#[test]
fn every_example_file_is_valid_for_every_client() {
    for dir in schema_dirs() {
        let (file, cases) = synthesized_corpus(&dir);
        let events = std::fs::read_dir(&dir).expect("schemas").count() - 1;
        let synthesized = cases
            .iter()
            .filter(|(name, _)| !name.contains(".catalog-"))
            .count();
        assert_eq!(
            synthesized,
            events,
            "{}: a synthesized example per event",
            dir.display()
        );
        let package = dir.parent().expect("beside the schemas").join("typescript");
        let label = dir.display().to_string().replace(['/', '\\'], "_");
        for verdicts in [
            ajv(&dir, Some(&file)),
            python_jsonschema(&dir, Some(&file)),
            zod(&package, &label, Some(&file)),
        ] {
            let refused: Vec<&(String, bool)> =
                verdicts.valid.iter().filter(|(_, valid)| !valid).collect();
            assert!(refused.is_empty(), "{}: refused {refused:?}", dir.display());
        }
    }
    let (_, project) = synthesized_corpus(&root().join("generated/schemas"));
    for (name, instance) in project {
        let event: DomainEvent = serde_json::from_value(instance.clone())
            .unwrap_or_else(|error| panic!("{name}: {error}"));
        assert_eq!(
            serde_json::to_value(&event).expect("serializes"),
            instance,
            "{name} round-trips"
        );
    }
}

/// The contract examples (valid) and one instance per envelope rule and per
/// payload constraint (invalid), each named after what it breaks.
fn corpus() -> Vec<(String, Value, bool)> {
    let dir = root().join("contracts/examples");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("examples")
        .map(|entry| entry.expect("entry").path())
        .collect();
    paths.sort();
    let mut corpus: Vec<(String, Value, bool)> = paths
        .iter()
        .map(|path| {
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(path).expect("example"))
                    .expect("JSON");
            (
                format!(
                    "example {}",
                    path.file_name().expect("named").to_string_lossy()
                ),
                value,
                true,
            )
        })
        .collect();
    let base = |name: &str| {
        corpus
            .iter()
            .find(|(case, _, _)| case.contains(name))
            .expect("example")
            .1
            .clone()
    };
    let provider = base("provider_configured");
    let conversation = base("conversation_created");
    let customer_updated = base("customer_updated");
    let participant_added = base("participant_added");
    // A variation of an example, and whether it stays valid.
    let mut case = |name: &str, from: &Value, change: &dyn Fn(&mut Value), valid: bool| {
        let mut instance = from.clone();
        change(&mut instance);
        corpus.push((name.to_owned(), instance, valid));
    };
    let mut invalid =
        |name: &str, from: &Value, change: &dyn Fn(&mut Value)| case(name, from, change, false);
    invalid("envelope: missing event_id", &provider, &|v| {
        drop(v.as_object_mut().expect("object").remove("event_id"))
    });
    invalid("envelope: missing payload", &provider, &|v| {
        drop(v.as_object_mut().expect("object").remove("payload"))
    });
    invalid("envelope: version is a string", &provider, &|v| {
        v["version"] = json!("1")
    });
    invalid("envelope: actor is a number", &provider, &|v| {
        v["actor"] = json!(7)
    });
    invalid("envelope: unknown event_name", &provider, &|v| {
        v["event_name"] = json!("ProviderTeleported")
    });
    invalid("payload: missing required customer_id", &provider, &|v| {
        drop(
            v["payload"]
                .as_object_mut()
                .expect("object")
                .remove("customer_id"),
        )
    });
    invalid("payload: kind outside the enum", &provider, &|v| {
        v["payload"]["kind"] = json!("fax")
    });
    invalid("payload: status outside the enum", &conversation, &|v| {
        v["payload"]["status"] = json!("pending")
    });
    invalid("payload: topic is a number", &conversation, &|v| {
        v["payload"]["topic"] = json!(42)
    });
    invalid(
        "payload: changed_fields is not an array",
        &customer_updated,
        &|v| v["payload"]["changed_fields"] = json!("name"),
    );
    invalid("payload of another event", &provider, &|v| {
        v["payload"] = json!({"customer_id": "c", "name": "n"})
    });
    invalid(
        "envelope: event_id neither ULID nor UUID",
        &provider,
        &|v| v["event_id"] = json!("evt-1"),
    );
    invalid("envelope: event_id ULID with a U", &provider, &|v| {
        v["event_id"] = json!("01JC9ZAFDNUX2LJ7GAX4JFA0B5")
    });
    invalid("envelope: occurred_at without Z", &provider, &|v| {
        v["occurred_at"] = json!("2025-11-05T14:00:00+01:00")
    });
    invalid("envelope: occurred_at not a date", &provider, &|v| {
        v["occurred_at"] = json!("2025-02-30T14:00:00Z")
    });
    invalid("envelope: occurred_at hour 24", &provider, &|v| {
        v["occurred_at"] = json!("2025-11-05T24:00:00Z")
    });
    invalid("envelope: version 0", &provider, &|v| {
        v["version"] = json!(0)
    });
    invalid(
        "envelope: aggregate_type of another family",
        &provider,
        &|v| v["aggregate_type"] = json!("Customer"),
    );
    invalid("envelope: empty actor", &provider, &|v| {
        v["actor"] = json!("")
    });
    invalid("envelope: empty aggregate_id", &provider, &|v| {
        v["aggregate_id"] = json!("")
    });
    invalid("envelope: empty idempotency_key", &provider, &|v| {
        v["idempotency_key"] = json!("")
    });
    // The envelope schema says `"type": "string"`: an optional property
    // may be absent, not `null` (the catalog's own `topic?` may be both).
    invalid("envelope: optional field null", &provider, &|v| {
        v["idempotency_key"] = Value::Null
    });
    invalid("payload: empty customer_id", &provider, &|v| {
        v["payload"]["customer_id"] = json!("")
    });
    invalid("payload: empty participant id", &participant_added, &|v| {
        v["payload"]["participant_id"] = json!("")
    });
    let mut valid =
        |name: &str, from: &Value, change: &dyn Fn(&mut Value)| case(name, from, change, true);
    valid("optional field null", &conversation, &|v| {
        v["payload"]["topic"] = Value::Null
    });
    valid("optional field absent", &conversation, &|v| {
        drop(
            v["payload"]
                .as_object_mut()
                .expect("object")
                .remove("topic"),
        )
    });
    valid("unknown payload field tolerated", &provider, &|v| {
        v["payload"]["added_later"] = json!(true)
    });
    valid("event_id as a UUID", &provider, &|v| {
        v["event_id"] = json!("6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d")
    });
    valid("occurred_at with fractional seconds", &provider, &|v| {
        v["occurred_at"] = json!("2024-02-29T23:59:59.123Z")
    });
    corpus
}

#[test]
fn rust_types_ajv_python_jsonschema_and_zod_agree_on_the_corpus() {
    let corpus = corpus();
    let file = tempfile_path("corpus.json");
    let cases: Vec<Value> = corpus
        .iter()
        .map(|(name, instance, _)| json!({"name": name, "instance": instance}))
        .collect();
    std::fs::write(&file, serde_json::to_string(&cases).expect("JSON")).expect("corpus written");
    let schemas = root().join("generated/schemas");
    let ajv = ajv(&schemas, Some(&file)).valid;
    let python = python_jsonschema(&schemas, Some(&file)).valid;
    let zod = zod(
        &root().join("generated/typescript"),
        "project-corpus",
        Some(&file),
    )
    .valid;
    let mut disagreements = Vec::new();
    for (index, (name, instance, expected)) in corpus.iter().enumerate() {
        let rust = serde_json::from_value::<DomainEvent>(instance.clone())
            .is_ok_and(|event| event.validate().is_empty());
        let verdicts = (rust, ajv[index].1, python[index].1, zod[index].1);
        if verdicts != (*expected, *expected, *expected, *expected) {
            disagreements.push(format!(
                "{name}: expected {expected}, rust {} ajv {} python {} zod {}\n  {instance}",
                verdicts.0, verdicts.1, verdicts.2, verdicts.3
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "verdicts differ:\n{}",
        disagreements.join("\n")
    );
}

fn tempfile_path(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("clients");
    std::fs::create_dir_all(&dir).expect("temporary folder");
    dir.join(name)
}

/// Every example file, typed as the catalog's `DomainEvent` in TypeScript:
/// tsc must accept each as written.
#[test]
fn tsc_accepts_every_example_as_a_domain_event() {
    let tsc = tool(
        root().join("node_modules/.bin/tsc"),
        "the TypeScript compiler",
    );
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tsc-examples");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temporary folder");
    let mut files = Vec::new();
    for (index, schemas) in schema_dirs().into_iter().enumerate() {
        let outputs = schemas.parent().expect("beside the schemas");
        let declarations = outputs.join("typescript/events");
        let (_, cases) = synthesized_corpus(&schemas);
        let mut source = format!(
            "import type {{ DomainEvent }} from {};\n",
            json!(declarations.display().to_string())
        );
        for (number, (name, instance)) in cases.iter().enumerate() {
            source.push_str(&format!(
                "// {name}\nexport const example{number}: DomainEvent = {instance};\n"
            ));
        }
        let file = dir.join(format!("examples{index}.ts"));
        std::fs::write(&file, source).expect("written");
        files.push(file.display().to_string());
    }
    let config = json!({
        "compilerOptions": { "strict": true, "noEmit": true, "target": "es2022", "module": "esnext", "moduleResolution": "bundler", "types": [] },
        "files": files,
    });
    std::fs::write(dir.join("tsconfig.json"), config.to_string()).expect("written");
    run(
        Command::new(tsc).args(["-p", dir.join("tsconfig.json").to_str().expect("UTF-8")]),
        "tsc on every example",
    );
}

/// The generated npm package under `tsc --strict --module nodenext`, as a
/// consumer installs it: `safeParse(...).data` narrows with a `switch` on
/// the discriminator, exhaustively; and the type zod infers from the
/// package's JavaScript and the declared `DomainEvent` are assignable both
/// ways (and not `any`), so parsing yields the declared type without a cast.
#[test]
fn the_zod_package_narrows_under_nodenext_and_infers_the_declared_types() {
    let tsc = tool(
        root().join("node_modules/.bin/tsc"),
        "the TypeScript compiler",
    );
    let fixtures = root().join("codegen/tests/fixtures");
    let catalogs = [
        (
            "project",
            root().join("contracts/catalog.md"),
            root().join("generated"),
        ),
        (
            "nevermisscall",
            fixtures.join("nevermisscall/catalog.md"),
            fixtures.join("nevermisscall/expected"),
        ),
        (
            "nested-payloads",
            fixtures.join("nested-payloads/catalog.md"),
            fixtures.join("nested-payloads/expected"),
        ),
        (
            "hostile-prose",
            fixtures.join("hostile-prose/catalog.md"),
            fixtures.join("hostile-prose/expected"),
        ),
        (
            "wire-keys",
            fixtures.join("wire-keys/catalog.md"),
            fixtures.join("wire-keys/expected"),
        ),
        (
            "github-issues-webhook",
            fixtures.join("github-issues-webhook/catalog.md"),
            fixtures.join("github-issues-webhook/expected"),
        ),
        (
            "asyncapi-gemini",
            fixtures.join("asyncapi-gemini/catalog.md"),
            fixtures.join("asyncapi-gemini/expected"),
        ),
        (
            "cdevents",
            fixtures.join("cdevents/catalog.md"),
            fixtures.join("cdevents/expected"),
        ),
        (
            "segment-analytics-go",
            fixtures.join("segment-analytics-go/catalog.md"),
            fixtures.join("segment-analytics-go/expected"),
        ),
        (
            "cloudevents",
            fixtures.join("cloudevents/catalog.md"),
            fixtures.join("cloudevents/expected"),
        ),
        (
            "domain-modules",
            fixtures.join("domain-modules/catalog.md"),
            fixtures.join("domain-modules/expected"),
        ),
    ];
    // Each catalog's consumer in a folder of its own, then one tsc for many
    // of them: zod's types, which every consumer imports, are read and
    // checked once a run rather than once a catalog. tsc takes two packages
    // of one name and version for the same one, so consumers of packages
    // named alike go to different runs.
    let folders = on_every_core(&catalogs, |(label, catalog, outputs)| {
        let compiled = evcat::Builder::new(catalog)
            .compile()
            .unwrap_or_else(|error| panic!("{label}: {error}"));
        let package = outputs.join("typescript");
        let (dir, name) = support::zod_consumer(&package, &format!("nodenext-{label}"));
        std::fs::write(dir.join("package.json"), r#"{ "type": "module" }"#).expect("written");
        std::fs::write(
            dir.join("consumer.ts"),
            narrowing_consumer(&compiled.catalog, &name),
        )
        .expect("written");
        std::fs::create_dir_all(dir.join("inferred")).expect("folder");
        std::fs::copy(package.join("index.js"), dir.join("inferred/index.js")).expect("copied");
        std::fs::write(
            dir.join("inferred.ts"),
            format!(
                r#"import type * as z from "zod";
import type {{ DomainEvent }} from {name};
import {{ DomainEventSchema }} from "./inferred/index.js";

type Inferred = z.infer<typeof DomainEventSchema>;
type IsAny<T> = 0 extends 1 & T ? true : false;
export const notAny: IsAny<Inferred> = false;
export const toDeclared = (event: Inferred): DomainEvent => event;
export const fromDeclared = (event: DomainEvent): Inferred => event;
"#,
                name = json!(name)
            ),
        )
        .expect("written");
        (dir, name)
    });
    let mut runs: Vec<Vec<&(std::path::PathBuf, String)>> = Vec::new();
    for consumer in &folders {
        match runs
            .iter_mut()
            .find(|run| run.iter().all(|(_, name)| name != &consumer.1))
        {
            Some(run) => run.push(consumer),
            None => runs.push(vec![consumer]),
        }
    }
    let parent = folders[0].0.parent().expect("the consumers' folder");
    let numbered: Vec<(usize, &Vec<&(std::path::PathBuf, String)>)> =
        runs.iter().enumerate().collect();
    on_every_core(&numbered, |(number, consumers)| {
        let files: Vec<String> = consumers
            .iter()
            .flat_map(|(dir, _)| {
                ["consumer.ts", "inferred.ts"].map(|file| dir.join(file).display().to_string())
            })
            .collect();
        let config = json!({
            "compilerOptions": {
                "strict": true, "noEmit": true, "target": "es2022", "lib": ["es2022", "dom"],
                "module": "nodenext", "moduleResolution": "nodenext", "types": [],
                "allowJs": true, "skipLibCheck": false
            },
            "files": files,
        });
        let tsconfig = parent.join(format!("nodenext-consumers-{number}.tsconfig.json"));
        std::fs::write(&tsconfig, config.to_string()).expect("written");
        run(
            Command::new(&tsc).args(["-p", tsconfig.to_str().expect("UTF-8")]),
            "tsc --strict --module nodenext on the catalogs' zod consumers",
        );
    });
}

/// A function that parses with the package and switches on the event name,
/// naming each event's payload type: every case must narrow.
/// `void (payload?.["key"]);` for each field, descending into objects and
/// arrays of objects (three levels, so recursive types end).
fn key_reads(
    catalog: &evcat::ir::Catalog,
    fields: &[evcat::ir::Field],
    owner: &str,
    depth: usize,
    reads: &mut String,
) {
    for field in fields {
        let read = format!("{owner}?.[{}]", json!(field.name));
        reads.push_str(&format!("      void ({read});\n"));
        if depth >= 2 {
            continue;
        }
        match &field.ty {
            evcat::ir::FieldType::Struct(id) => key_reads(
                catalog,
                &catalog.struct_type(*id).fields,
                &read,
                depth + 1,
                reads,
            ),
            evcat::ir::FieldType::Array(item) => {
                if let evcat::ir::FieldType::Struct(id) = &**item {
                    let first = format!("{read}?.[0]");
                    key_reads(
                        catalog,
                        &catalog.struct_type(*id).fields,
                        &first,
                        depth + 1,
                        reads,
                    )
                }
            }
            _ => {}
        }
    }
}

fn narrowing_consumer(catalog: &evcat::ir::Catalog, package: &str) -> String {
    let envelope = &catalog.envelope;
    let mut source = format!(
        "import {{ DomainEventSchema, parseDomainEvent, isDomainEvent, isEvent }} from {};\nimport type * as events from {};\n\n",
        json!(package),
        json!(package)
    );
    source.push_str("export function payloadOf(value: unknown): unknown {\n");
    source.push_str("  const result = DomainEventSchema.safeParse(value);\n");
    source.push_str(
        "  if (!result.success) return result.error.issues.map((issue) => issue.message);\n",
    );
    source.push_str("  const event = result.data;\n");
    // `event["context"]["type"]`: a `switch` narrows by a property of the
    // root only; a nested name narrows through `isEvent`.
    let access = |path: &evcat::ir::MemberPath| -> String {
        path.keys()
            .iter()
            .map(|key| format!("[{}]", json!(key)))
            .collect()
    };
    let nested = !envelope.discriminator.is_top();
    if !nested {
        source.push_str(&format!(
            "  switch (event{}) {{\n",
            access(&envelope.discriminator)
        ));
    }
    for (_, event) in catalog.events() {
        let type_path = match &event.module {
            Some(module) => format!("events.{module}.{}", event.type_name),
            None => format!("events.{}", event.type_name),
        };
        // Each key read by its wire name: under `--strict`, a key the
        // declared type lacks does not compile.
        let mut reads = String::new();
        key_reads(catalog, &event.fields, "payload", 0, &mut reads);
        // Flat events: the event itself holds its fields.
        let holder = match &envelope.payload {
            Some(payload) => format!("event{}", access(payload)),
            None => "event".to_owned(),
        };
        let wire = json!(event.wire_name);
        let body =
            format!("      const payload: {type_path} = {holder};\n{reads}      return payload;\n");
        if nested {
            source.push_str(&format!("  if (isEvent(event, {wire})) {{\n{body}  }}\n"));
        } else {
            source.push_str(&format!("    case {wire}: {{\n{body}    }}\n"));
        }
    }
    if nested {
        source.push_str("  const unreachable: never = event;\n  return unreachable;\n}\n\n");
    } else {
        source.push_str(&format!(
            "    default: {{\n      const unreachable: never = event{};\n      return unreachable;\n    }}\n  }}\n}}\n\n",
            access(&envelope.discriminator)
        ));
    }
    source.push_str("export const parsed: events.DomainEvent | false = isDomainEvent(null) && parseDomainEvent(null);\n");
    source
}

/// Catalog text reaches the package's JavaScript only inside escaped string
/// literals and comments: no `</` (an HTML page inlining the code would end
/// its script there) and no raw line or paragraph separator, in the project
/// and every fixture, the hostile-prose one included (whose purpose holds
/// `*/`, `</script>`, backticks, `${…}` and both separators). Importing
/// each package (`every_example_file_is_valid_for_every_client`) runs none
/// of it.
#[test]
fn the_package_javascript_keeps_catalog_text_inert() {
    for schemas in schema_dirs() {
        let script = schemas
            .parent()
            .expect("outputs")
            .join("typescript/index.js");
        let text = std::fs::read_to_string(&script).expect("index.js");
        for (found, what) in [
            (text.contains("</"), "`</`"),
            (text.contains('\u{2028}'), "a raw U+2028"),
            (text.contains('\u{2029}'), "a raw U+2029"),
        ] {
            assert!(!found, "{}: {what}", script.display());
        }
    }
    let hostile = root().join("codegen/tests/fixtures/hostile-prose/expected/typescript/index.js");
    let text = std::fs::read_to_string(hostile).expect("index.js");
    assert!(
        text.contains("a template `${process.exit(1)}` and ${globalThis.boom}"),
        "the hostile purpose is documented, inside a comment"
    );
}
