//! A team adopting evcat, as a new user would: the crates are packaged (with
//! cargo's verification), `evcat init` makes a crate that takes them from
//! the packages through `[patch.crates-io]`, and that crate builds, tests,
//! grows an event and serves it to a crate that depends on it. Offline.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::{assert_success, cargo, evcat, scratch_target, workspace_root, write};

/// `cargo package` of the workspace, verified, then the crates a user
/// depends on (evcat, evcat-macros, evcat-runtime) unpacked as a registry
/// would serve them.
fn packaged_crates(into: &Path) -> [PathBuf; 3] {
    forget_unpacked_packages();
    let output = cargo(
        &workspace_root(),
        &[
            "package",
            "--workspace",
            "--exclude",
            "evcat-bench",
            // The CLI is verified without Kafka: librdkafka is built and
            // tested with the workspace, not a second time for the package.
            "--no-default-features",
            "--locked",
            "--allow-dirty",
        ],
        &[],
    );
    assert_success(&output, "cargo package --workspace (with verification)");
    let log = String::from_utf8_lossy(&output.stderr);
    for complaint in ["manifest has no", "does not specify a version", "ignoring"] {
        assert!(
            !log.contains(complaint),
            "cargo package complains ({complaint}):\n{log}"
        );
    }
    let version = env!("CARGO_PKG_VERSION");
    let unpack = |name: &str| {
        let archive = scratch_target().join(format!("package/{name}-{version}.crate"));
        let status = Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .arg("-C")
            .arg(into)
            .status()
            .expect("tar runs");
        assert!(status.success(), "unpacking {}", archive.display());
        into.join(format!("{name}-{version}"))
    };
    ["evcat", "evcat-macros", "evcat-runtime"].map(unpack)
}

/// Cargo verifies a package against its dependencies unpacked under
/// `$CARGO_HOME/registry/src`, and does not unpack a version it unpacked
/// before: a changed `evcat-runtime` of the same version would be checked
/// against its old sources. The workspace's own packages are removed there
/// first, so verification reads what this tree packages.
fn forget_unpacked_packages() {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    let Some(sources) = home.map(|home| home.join("registry/src")) else {
        return;
    };
    let Ok(registries) = std::fs::read_dir(&sources) else {
        return;
    };
    let version = env!("CARGO_PKG_VERSION");
    for registry in registries.flatten() {
        for name in ["evcat", "evcat-macros", "evcat-runtime", "domain-events"] {
            let unpacked = registry.path().join(format!("{name}-{version}"));
            if unpacked.is_dir() {
                std::fs::remove_dir_all(&unpacked).expect("stale unpacked package removed");
            }
        }
    }
}

fn patch(crates: &[PathBuf; 3]) -> String {
    let [evcat, macros, runtime] = crates.each_ref().map(|path| path.display().to_string());
    format!(
        "\n[patch.crates-io]\nevcat = {{ path = {evcat:?} }}\nevcat-macros = {{ path = {macros:?} }}\nevcat-runtime = {{ path = {runtime:?} }}\n",
    )
}

fn append(path: &Path, text: &str) {
    let mut contents = std::fs::read_to_string(path).expect("readable");
    contents.push_str(text);
    write(path, &contents);
}

const NEW_EVENT: &str = "
### OrderShipped
- Purpose: The order left the warehouse.
- Required: { order_id, carrier, tracking_code? }
- Postconditions: The order can no longer be cancelled.
";

/// A crate of another team that depends on the events crate by path.
const CONSUMER_LIB: &str = r##"//! Ships orders; its own type is tied to the catalog's event.

use shop_events::{contract, OrderShipped};

#[contract(OrderShipped)]
#[derive(Debug, Clone, PartialEq)]
pub struct Shipment {
    pub order_id: String,
    pub carrier: String,
    pub tracking_code: Option<String>,
}

pub fn announce(shipment: Shipment) -> String {
    let payload: OrderShipped = shipment.into();
    serde_json::to_string(&payload).expect("serializes")
}

#[test]
fn the_new_event_is_a_type_here() {
    let shipment = Shipment { order_id: "ord_1".into(), carrier: "DHL".into(), tracking_code: None };
    assert_eq!(announce(shipment), r#"{"order_id":"ord_1","carrier":"DHL"}"#);
    assert_eq!(<OrderShipped as shop_events::Event>::EVENT_NAME, "OrderShipped");
}
"##;

#[test]
fn a_new_team_packages_inits_builds_grows_and_consumes_its_events() {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let root = scratch.path();
    let crates = root.join("crates");
    std::fs::create_dir_all(&crates).expect("folder");
    let patch = patch(&packaged_crates(&crates));

    // Every flavour `init` offers builds and passes its own tests.
    for (name, flags) in [
        ("shop-events", &[][..]),
        ("cloud-events", &["--envelope", "cloudevents"][..]),
        ("json-events", &["--dialect", "json"][..]),
    ] {
        let mut args = vec!["init", name];
        args.extend(flags);
        assert_success(&evcat(root, &args), "evcat init");
        let dir = root.join(name);
        append(&dir.join("Cargo.toml"), &patch);
        assert_success(
            &cargo(&dir, &["build"], &[]),
            &format!("{name}: cargo build"),
        );
        assert!(
            dir.join("generated/index.rs").is_file(),
            "{name}: the first build generates"
        );
        assert_success(&cargo(&dir, &["test"], &[]), &format!("{name}: cargo test"));
        assert_success(
            &cargo(&dir, &["build"], &[("EVCAT_CHECK", "1")]),
            &format!("{name}: generated/ is fresh for CI"),
        );
    }

    // The team adds an event; the build regenerates.
    let shop = root.join("shop-events");
    append(&shop.join("contracts/catalog.md"), NEW_EVENT);
    assert_success(
        &cargo(&shop, &["build"], &[]),
        "build after adding an event",
    );
    let rust = std::fs::read_to_string(shop.join("generated/rust/events.rs")).expect("rust");
    assert!(
        rust.contains("pub struct OrderShipped"),
        "the new payload type"
    );
    for file in [
        "generated/schemas/OrderShipped.schema.json",
        "generated/examples/OrderShipped.example.json",
    ] {
        assert!(shop.join(file).is_file(), "{file} is generated");
    }
    assert_success(&cargo(&shop, &["test"], &[]), "tests after adding an event");

    // Another crate uses the new event through a path dependency.
    let consumer = root.join("shipping");
    write(
        &consumer.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"shipping\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nshop-events = {{ path = \"../shop-events\" }}\nserde_json = \"1\"\n{patch}"
        ),
    );
    write(&consumer.join("src/lib.rs"), CONSUMER_LIB);
    assert_success(&cargo(&consumer, &["test"], &[]), "the consuming crate");
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    let dir = scratch.path().join("orders");
    write(&dir.join("Cargo.toml"), "[package]\nname = \"mine\"\n");
    write(&dir.join("contracts/catalog.md"), "# Mine\n");
    let before = listing(&dir);
    let output = evcat(scratch.path(), &["init", "orders"]);
    assert_eq!(output.status.code(), Some(1), "clashing files: exit 1");
    let stderr = String::from_utf8_lossy(&output.stderr);
    for clash in ["orders/Cargo.toml", "orders/contracts/catalog.md"] {
        assert!(stderr.contains(clash), "names {clash}:\n{stderr}");
    }
    assert!(
        !stderr.contains("build.rs"),
        "names only the clashes:\n{stderr}"
    );
    assert_eq!(listing(&dir), before, "nothing was written");
    assert_eq!(
        std::fs::read_to_string(dir.join("Cargo.toml")).expect("kept"),
        "[package]\nname = \"mine\"\n"
    );

    // Other files in the folder are no obstacle and stay as they were.
    let other = scratch.path().join("existing");
    write(&other.join("notes.txt"), "keep me\n");
    assert_success(
        &evcat(scratch.path(), &["init", "existing"]),
        "init beside other files",
    );
    assert_eq!(
        std::fs::read_to_string(other.join("notes.txt")).expect("kept"),
        "keep me\n"
    );
    assert!(other.join("contracts/catalog.md").is_file());
}

#[test]
fn init_usage_errors_exit_2_and_write_nothing() {
    let scratch = tempfile::tempdir().expect("a temporary folder");
    for (args, expected) in [
        (&["init", "a", "--name", "9lives"][..], "not a crate name"),
        (&["init", "a", "--name", "fn"][..], "Rust keyword"),
        (
            &["init", "a", "--name", "ShopEvents"][..],
            "use `shop-events`",
        ),
        (&["init", "bad name"][..], "pass `--name`"),
        (
            &["init", "a", "--dialect", "yaml"][..],
            "invalid value 'yaml'",
        ),
        (
            &[
                "init",
                "a",
                "--dialect",
                "json",
                "--envelope",
                "cloudevents",
            ][..],
            "needs `--dialect seed`",
        ),
        (
            &["init", "a", "--evcat-path", "."][..],
            "not an evcat checkout",
        ),
        (&["init"][..], "<DIR>"),
    ] {
        let output = evcat(scratch.path(), args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: exit 2\n{stderr}");
        assert!(
            stderr.contains(expected),
            "{args:?}: `{expected}` in:\n{stderr}"
        );
        assert_eq!(
            listing(scratch.path()),
            Vec::<String>::new(),
            "{args:?}: nothing written"
        );
    }
}

/// Every path under `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("readable") {
            let path = entry.expect("entry").path();
            found.push(
                path.strip_prefix(dir)
                    .expect("inside")
                    .display()
                    .to_string(),
            );
            if path.is_dir() {
                pending.push(path);
            }
        }
    }
    found.sort();
    found
}
