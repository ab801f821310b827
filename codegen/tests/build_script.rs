//! The root crate's build.rs, run by cargo on a copy of the project: it
//! regenerates on catalog edits, leaves unchanged files alone (no rebuild
//! loop) and fails `cargo build` with the catalog's file:line diagnostics.

mod support;

use std::path::Path;

use support::{assert_success, cargo, copy_tree, scratch_dir, workspace_root, write};

/// The two project copies share the scratch target folder; run concurrently,
/// one's rebuild checks saw the other's builds, so they take turns.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The project's crate, with evcat taken from this workspace by path.
fn project_copy(name: &str) -> std::path::PathBuf {
    let root = workspace_root();
    let dir = scratch_dir(name);
    let manifest = format!(
        r#"[package]
name = "domain-events"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
regex = "1"
schemars = "1"
evcat-runtime = {{ path = "{}" }}

[build-dependencies]
evcat = {{ path = "{}" }}

[workspace]
"#,
        root.join("runtime").display(),
        root.join("codegen").display()
    );
    write(&dir.join("Cargo.toml"), &manifest);
    std::fs::copy(root.join("build.rs"), dir.join("build.rs")).expect("build.rs");
    for folder in ["src", "contracts", "generated"] {
        std::fs::create_dir_all(dir.join(folder)).expect("folder");
        copy_tree(&root.join(folder), &dir.join(folder));
    }
    dir
}

#[test]
fn cargo_build_regenerates_without_loops_and_fails_on_bad_catalogs() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = project_copy("project-copy");
    let generated = dir.join("generated/rust/events.rs");
    let checked_in = std::fs::read_to_string(&generated).expect("generated file");

    assert_success(&cargo(&dir, &["build"], &[]), "first cargo build");
    assert_eq!(
        std::fs::read_to_string(&generated).expect("generated"),
        checked_in,
        "the checked-in output is current"
    );
    let modified = std::fs::metadata(&generated)
        .expect("metadata")
        .modified()
        .expect("mtime");

    let again = cargo(&dir, &["build", "-v"], &[]);
    assert_success(&again, "second cargo build");
    let log = String::from_utf8_lossy(&again.stderr);
    assert!(
        log.contains("Fresh domain-events"),
        "nothing changed, so nothing rebuilds:\n{log}"
    );
    assert!(
        !log.contains("build-script-build`"),
        "the build script did not run again:\n{log}"
    );
    assert_eq!(
        std::fs::metadata(&generated)
            .expect("metadata")
            .modified()
            .expect("mtime"),
        modified,
        "no rewrite"
    );

    // CI mode writes nothing and names every stale file and the fix.
    std::fs::write(&generated, format!("{checked_in}// edited by hand\n")).expect("hand edit");
    let schemas = dir.join("generated/schemas");
    std::fs::write(schemas.join("Gone.schema.json"), "{}\n").expect("obsolete file");
    std::fs::remove_file(schemas.join("ContactDeleted.schema.json")).expect("remove a file");
    let modes: [&[(&str, &str)]; 3] = [
        &[("CI", "true")],
        &[("EVCAT_CHECK", "1")],
        &[("CI", "true"), ("EVCAT_FORMAT", "github")],
    ];
    for mode in modes {
        let stale = cargo(&dir, &["build"], mode);
        assert!(
            !stale.status.success(),
            "{mode:?}: a stale generated/ fails the build"
        );
        let stderr = String::from_utf8_lossy(&stale.stderr);
        let lines = checked_in.lines().count() + 1;
        for expected in [
            format!("generated/rust/events.rs:{lines}: expected `(an empty line)`, found `// edited by hand`"),
            "generated/schemas/ContactDeleted.schema.json: missing".to_owned(),
            "generated/schemas/Gone.schema.json: no longer generated".to_owned(),
            "help: regenerate with `env -u CI -u EVCAT_CHECK cargo build`".to_owned(),
        ] {
            assert!(stderr.contains(&expected), "{mode:?}: expected `{expected}` in:\n{stderr}");
        }
        assert!(
            schemas.join("Gone.schema.json").exists(),
            "{mode:?}: check-only mode writes nothing"
        );
        // EVCAT_FORMAT=github: the same, as annotations on the files.
        if mode.contains(&("EVCAT_FORMAT", "github")) {
            for expected in [
                format!("::error file=generated/rust/events.rs,line={lines},col=1,endLine={lines},endColumn=1,title=evcat stale-output%3A generated/rust/events.rs::generated/rust/events.rs differs from what the catalog produces"),
                "::error file=generated/schemas/ContactDeleted.schema.json,title=evcat stale-output%3A generated/schemas/ContactDeleted.schema.json::generated/schemas/ContactDeleted.schema.json is missing%0Ahelp: regenerate with `env -u CI -u EVCAT_CHECK cargo build`".to_owned(),
            ] {
                assert!(stderr.contains(&expected), "{mode:?}: expected `{expected}` in:\n{stderr}");
            }
        }
    }
    assert_success(
        &cargo(&dir, &["build"], &[]),
        "a developer's build regenerates",
    );
    assert_eq!(
        std::fs::read_to_string(&generated).expect("generated"),
        checked_in,
        "the hand edit is undone"
    );
    assert!(
        !schemas.join("Gone.schema.json").exists(),
        "outputs no longer generated are removed"
    );
    assert!(
        schemas.join("ContactDeleted.schema.json").exists(),
        "missing outputs are written"
    );
    assert_success(
        &cargo(&dir, &["build"], &[("CI", "true")]),
        "CI accepts a fresh generated/",
    );

    // A drifted example or data model stops the build in every mode.
    let example = dir.join("contracts/examples/provider_configured.example.json");
    let original_example = std::fs::read_to_string(&example).expect("example");
    std::fs::write(
        &example,
        original_example.replace("\"kind\": \"sms\"", "\"kind\": \"fax\""),
    )
    .expect("drift");
    for mode in [None, Some(("CI", "true"))] {
        let failed = cargo(&dir, &["build"], &mode.into_iter().collect::<Vec<_>>());
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert!(
            !failed.status.success(),
            "{mode:?}: a drifted example fails the build"
        );
        assert!(
            stderr.contains("contracts/examples/provider_configured.example.json:")
                && stderr
                    .contains("`ProviderConfigured` example, `payload.kind`: `fax` is not one of"),
            "{mode:?}: names the example and the field:\n{stderr}"
        );
    }
    std::fs::write(&example, &original_example).expect("restore");
    let model = dir.join("contracts/data-model.md");
    let original_model = std::fs::read_to_string(&model).expect("data model");
    std::fs::write(
        &model,
        original_model.replace(
            "ContactCreated: { contact_id, customer_id, display_name? }",
            "ContactCreated: { contact_id, customer_id, display_name }",
        ),
    )
    .expect("drift");
    let failed = cargo(&dir, &["build"], &[]);
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        !failed.status.success()
            && stderr.contains(
                "`ContactCreated`.`display_name` is required here but optional in the catalog"
            ),
        "{stderr}"
    );
    std::fs::write(&model, &original_model).expect("restore");

    // A breaking change the catalog does not declare stops the build in
    // every mode, naming event and field; declared, it builds and moves the
    // baseline.
    let catalog_path = dir.join("contracts/catalog.md");
    let catalog = std::fs::read_to_string(&catalog_path).expect("catalog");
    let lock = dir.join("generated/catalog.lock.json");
    let baseline = std::fs::read_to_string(&lock).expect("the baseline lock is checked in");
    let required =
        "- Required: { conversation_id, customer_id, reason? }\n- Invariants: Only the status";
    assert!(catalog.contains(required));
    let without_reason = catalog.replace(
        required,
        "- Required: { conversation_id, customer_id }\n- Invariants: Only the status",
    );
    std::fs::write(&catalog_path, &without_reason).expect("edit catalog");
    std::fs::write(
        &model,
        original_model
            .replace(
                "Closed: { conversation_id, customer_id, reason? }",
                "Closed: { conversation_id, customer_id }",
            )
            .replace(
                "Reopened: { conversation_id, customer_id, reason? }",
                "Reopened: { conversation_id, customer_id }",
            ),
    )
    .expect("edit data model");
    for mode in [None, Some(("CI", "true"))] {
        let failed = cargo(&dir, &["build"], &mode.into_iter().collect::<Vec<_>>());
        let stderr = String::from_utf8_lossy(&failed.stderr);
        assert!(
            !failed.status.success(),
            "{mode:?}: an undeclared breaking change fails"
        );
        for expected in [
            "contracts/catalog.md:152:5: error: breaking change to `ConversationClosed.reason` is not declared: field removed",
            "contracts/catalog.md:152:26: error: breaking change to `ConversationReopened.reason` is not declared",
            "note: generated/catalog.lock.json:",
            "help: to publish it, add `- Version: 2` to it",
        ] {
            assert!(stderr.contains(expected), "{mode:?}: expected `{expected}` in:\n{stderr}");
        }
        assert_eq!(
            std::fs::read_to_string(&lock).expect("lock"),
            baseline,
            "{mode:?}: the baseline stays"
        );
    }
    std::fs::write(
        &catalog_path,
        without_reason.replace(
            "- Required: { conversation_id, customer_id }\n",
            "- Required: { conversation_id, customer_id }\n- Version: 2\n",
        ),
    )
    .expect("declare");
    assert_success(
        &cargo(&dir, &["build"], &[]),
        "a declared breaking change builds",
    );
    let moved = std::fs::read_to_string(&lock).expect("lock");
    assert!(
        moved.contains("\"version\": \"2\""),
        "the baseline moved:\n{moved}"
    );
    assert_success(
        &cargo(&dir, &["build"], &[("CI", "true")]),
        "CI accepts the declared change once generated",
    );
    // Going back to version 1 would reuse published schema ids: refused,
    // until the lock is deleted on purpose.
    std::fs::write(&catalog_path, &catalog).expect("restore");
    std::fs::write(&model, &original_model).expect("restore");
    let lowered = cargo(&dir, &["build"], &[]);
    let stderr = String::from_utf8_lossy(&lowered.stderr);
    assert!(
        !lowered.status.success()
            && stderr.contains("breaking change to `ConversationClosed` is not declared: major version lowered (2 → 1)"),
        "{stderr}"
    );
    std::fs::remove_file(&lock).expect("delete the baseline");
    assert_success(
        &cargo(&dir, &["build"], &[]),
        "without a lock, the catalog as it stands is the baseline",
    );
    assert_eq!(std::fs::read_to_string(&lock).expect("lock"), baseline);

    let added = format!("{catalog}\n### ConversationPinned\n- Purpose: Pinned to the top.\n- Required: {{ conversation_id, customer_id, pinned_at }}\n");
    std::fs::write(&catalog_path, added).expect("edit catalog");
    assert_success(
        &cargo(&dir, &["build"], &[]),
        "cargo build after adding an event",
    );
    let regenerated = std::fs::read_to_string(&generated).expect("generated");
    assert!(
        regenerated.contains("pub struct ConversationPinned"),
        "the new event was generated"
    );

    let duplicate = format!("{catalog}\n### CustomerCreated\n- Required: {{ customer_id }}\n");
    std::fs::write(&catalog_path, &duplicate).expect("break catalog");
    let line = duplicate
        .lines()
        .position(|line| line == "### CustomerCreated")
        .expect("first")
        + 1;
    let second = duplicate
        .lines()
        .enumerate()
        .filter(|(_, text)| *text == "### CustomerCreated")
        .nth(1)
        .expect("second")
        .0
        + 1;
    let failed = cargo(&dir, &["build"], &[]);
    assert!(!failed.status.success(), "a bad catalog fails the build");
    let stderr = String::from_utf8_lossy(&failed.stderr);
    let expected =
        format!("contracts/catalog.md:{second}:5: error: duplicate event `CustomerCreated`");
    assert!(
        stderr.contains(&expected),
        "expected `{expected}` in:\n{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "note: contracts/catalog.md:{line}:5: first defined here"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        regenerated == std::fs::read_to_string(&generated).expect("generated"),
        "a failed build writes nothing"
    );
}

/// Both seed catalogs in one crate: `contracts/messaging/` (the project's
/// catalog) and `contracts/nevermisscall/` (seed 004 as written), each a
/// module with its own `generated/<name>/` folder.
#[test]
fn several_catalogs_build_into_modules_of_one_crate() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = project_copy("project-two-catalogs");
    let contracts = dir.join("contracts");
    let messaging = contracts.join("messaging");
    std::fs::create_dir_all(&messaging).expect("folder");
    for entry in [
        "catalog.md",
        "envelope.schema.json",
        "data-model.md",
        "examples",
    ] {
        std::fs::rename(contracts.join(entry), messaging.join(entry))
            .expect("move into contracts/messaging");
    }
    let nevermisscall = contracts.join("nevermisscall");
    std::fs::create_dir_all(&nevermisscall).expect("folder");
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/nevermisscall/catalog.md");
    std::fs::copy(seed, nevermisscall.join("catalog.md")).expect("the NeverMissCall catalog");
    std::fs::remove_dir_all(dir.join("generated")).expect("start from no outputs");

    assert_success(
        &cargo(&dir, &["build"], &[]),
        "cargo build with two catalogs",
    );
    for output in [
        "index.rs",
        "messaging/rust/events.rs",
        "messaging/schemas/events.schema.json",
        "nevermisscall/typescript/events.d.ts",
        "nevermisscall/docs/index.html",
    ] {
        assert!(
            dir.join("generated").join(output).is_file(),
            "generated/{output}"
        );
    }
    // Each catalog's outbox table is named after it, so both fit one schema.
    for catalog in ["messaging", "nevermisscall"] {
        let ddl = std::fs::read_to_string(dir.join(format!("generated/{catalog}/sql/outbox.sql")))
            .expect("the catalog's outbox DDL");
        assert!(
            ddl.contains(&format!("CREATE TABLE \"{catalog}_outbox_events\" (")),
            "{catalog}'s table: {ddl}"
        );
    }
    let index =
        std::fs::read_to_string(dir.join("generated/docs/index.html")).expect("the index page");
    for page in [
        "../messaging/docs/index.html",
        "../nevermisscall/docs/index.html",
    ] {
        assert!(index.contains(page), "the index page links {page}");
    }
    write(
        &dir.join("tests/both.rs"),
        r#"
use domain_events::{messaging, nevermisscall};

fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(text: &str) -> T {
    let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
    let event: T = serde_json::from_value(value.clone()).expect("deserializes");
    assert_eq!(serde_json::to_value(&event).expect("serializes"), value);
    event
}

#[test]
fn both_catalogs_are_modules() {
    let ours: messaging::DomainEvent = round_trip(include_str!("../contracts/messaging/examples/provider_configured.example.json"));
    assert_eq!(ours.event_name(), "ProviderConfigured");
    assert!(ours.validate().is_empty());
    let theirs: nevermisscall::DomainEvent =
        round_trip(include_str!("../generated/nevermisscall/examples/nmc.scheduling.AppointmentBooked.catalog-1.example.json"));
    assert_eq!(theirs.event_name(), "nmc.scheduling.AppointmentBooked");
    assert!(theirs.validate().is_empty());
    assert_eq!(<nevermisscall::CallDetected as nevermisscall::Event>::AGGREGATE_TYPE, "telephony");
}
"#,
    );
    assert_success(
        &cargo(&dir, &["test", "--tests"], &[]),
        "tests using both modules",
    );
    assert_success(
        &cargo(&dir, &["build"], &[("CI", "true")]),
        "CI accepts the generated outputs of both",
    );
}

/// A new user's CloudEvents project: the CNCF schema exactly as published as
/// `contracts/envelope.schema.json`, a catalog beside it, nothing else (no
/// data model, no examples, no evcat.toml). `cargo build` generates and
/// builds, and the types read a CloudEvent chosen by `type`.
#[test]
fn cargo_build_takes_the_cloudevents_schema_as_published() {
    let _serial = SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let dir = project_copy("project-cloudevents");
    let contracts = dir.join("contracts");
    std::fs::remove_dir_all(&contracts).expect("start from no contracts");
    std::fs::remove_dir_all(dir.join("generated")).expect("start from no outputs");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cloudevents");
    for file in ["catalog.md", "envelope.schema.json"] {
        write(
            &contracts.join(file),
            &std::fs::read_to_string(fixture.join(file)).expect("fixture file"),
        );
    }
    assert_success(&cargo(&dir, &["build"], &[]), "cargo build on CloudEvents");
    write(
        &dir.join("tests/cloudevents.rs"),
        r##"
use domain_events::{DomainEvent, OrderShipped};

#[test]
fn a_cloudevent_round_trips_through_domain_event() {
    let text = r#"{"specversion":"1.0","id":"e-1","source":"/warehouse","type":"com.acme.orders.shipped.v1","subject":"o-1","data":{"order_id":"o-1","carrier":"ups"}}"#;
    let value: serde_json::Value = serde_json::from_str(text).expect("JSON");
    let event: DomainEvent = serde_json::from_value(value.clone()).expect("deserializes");
    let DomainEvent::OrderShipped(envelope) = &event else { panic!("chosen by type: {event:?}") };
    let data: &OrderShipped = &envelope.data;
    assert_eq!(data.carrier, "ups");
    assert_eq!(envelope.source, "/warehouse");
    assert!(event.validate().is_empty());
    assert_eq!(serde_json::to_value(&event).expect("serializes"), value);
}
"##,
    );
    assert_success(
        &cargo(&dir, &["test", "--tests"], &[]),
        "a CloudEvent through the generated crate",
    );
    assert_success(
        &cargo(&dir, &["build"], &[("CI", "true")]),
        "CI accepts the generated outputs",
    );
}
