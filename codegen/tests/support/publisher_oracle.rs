//! The publisher's own schemas as the judge: where a fixture keeps the
//! schema its publisher gives for a whole event (`published-schemas.json`:
//! event name → file, or `file#/pointer` for a schema inside a document),
//! each example is mutated at every depth (inside
//! arrays and the branches of unions too; an object once per set of keys) and judged by that schema with
//! jsonschema-rs (through `evcat-testkit`), formats asserted as evcat asserts them. Every output evcat
//! generates must give the publisher's verdict.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

/// `(name, instance, valid)`: each mutation of each example of an event
/// the fixture has the publisher's schema for, judged by it.
pub fn cases(catalog: &evcat::ir::Catalog, dir: &Path) -> Vec<(String, Value, bool)> {
    let Ok(text) = std::fs::read_to_string(dir.join("published-schemas.json")) else {
        return Vec::new();
    };
    let schemas: BTreeMap<String, String> =
        serde_json::from_str(&text).expect("published-schemas.json maps event names to files");
    let retriever = FixtureFiles::new(dir);
    let mut cases = Vec::new();
    for (_, event) in catalog.events() {
        let Some(file) = schemas.get(&event.name) else {
            continue;
        };
        // `FILE#/pointer`: a schema inside a document (an AsyncAPI
        // message's payload), reached through a `$ref` to it.
        let mut schema = match file.split_once('#') {
            Some(_) => json!({ "$ref": format!("file://{}/{file}", dir.display()) }),
            None => read_json(&dir.join(file)),
        };
        let relative = schema
            .get("$id")
            .and_then(Value::as_str)
            .filter(|id| !id.contains(':') && !id.starts_with('#'))
            .map(str::to_owned);
        if let Some(id) = relative {
            schema["$id"] = json!(format!("file://{}/{id}", dir.display()));
        }
        let validator = evcat_testkit::Judge::with_files(
            &schema,
            format!("file://{}/", dir.display()),
            Box::new(retriever.clone()),
        )
        .unwrap_or_else(|error| panic!("{file}: {error}"));
        for example in &event.examples {
            let published = read_json(&dir.join(&example.path));
            let mut mutated = Vec::new();
            mutations(
                &published,
                &mut Vec::new(),
                &published,
                &mut Vec::new(),
                &mut mutated,
            );
            assert!(
                validator.is_valid(&published),
                "{}: the publisher's schema refuses its own example",
                example.path
            );
            let mut verdicts = [0usize; 2];
            for (what, instance) in mutated {
                let valid = validator.is_valid(&instance);
                verdicts[usize::from(valid)] += 1;
                cases.push((
                    format!("{} {what} (the publisher's schema)", example.path),
                    instance,
                    valid,
                ));
            }
            // Mutations the schema accepts and ones it refuses: a judge
            // that says one thing of all would test nothing.
            assert!(
                verdicts[0] > 0 && verdicts[1] > 0,
                "{}: {} refused, {} accepted",
                example.path,
                verdicts[0],
                verdicts[1]
            );
            if std::env::var_os("EVCAT_ORACLE_COUNTS").is_some() {
                eprintln!(
                    "{}: {} refused, {} accepted",
                    example.path, verdicts[0], verdicts[1]
                );
            }
        }
    }
    cases
}

/// Every mutation of `root` at `value` (found at `at`) and inside it: a
/// member removed or respelled, a value made `null`, another value of its
/// type, or one of another type.
fn mutations<'v>(
    root: &Value,
    at: &mut Vec<Step>,
    value: &'v Value,
    seen: &mut Vec<Vec<&'v str>>,
    found: &mut Vec<(String, Value)>,
) {
    // An object with the keys of one mutated before (a list's items, the
    // same user as sender and assignee) is, in the publishers' schemas
    // here, an instance of the same definition: mutated once, at its first
    // place, GitHub's five 14 KB examples give 4,558 cases instead of 7,328.
    if let Value::Object(members) = value {
        let mut keys: Vec<&str> = members.keys().map(String::as_str).collect();
        keys.sort_unstable();
        if !at.is_empty() && seen.contains(&keys) {
            return;
        }
        seen.push(keys);
    }
    let shown = shown(at);
    let mut replace = |what: String, new: Value| {
        let mut copy = root.clone();
        *locate(&mut copy, at) = new;
        found.push((what, copy));
    };
    if !at.is_empty() {
        replace(format!("with `{shown}` null"), Value::Null);
    }
    match value {
        Value::String(text) => {
            replace(format!("with `{shown}` empty"), json!(""));
            replace(
                format!("with `{shown}` another string"),
                json!(format!("{text}-mutated")),
            );
            replace(format!("with `{shown}` a number"), json!(1));
        }
        Value::Number(_) => {
            replace(format!("with `{shown}` negative"), json!(-1));
            replace(format!("with `{shown}` a fraction"), json!(1.5));
            replace(format!("with `{shown}` a string"), json!("1"));
        }
        Value::Bool(flag) => {
            replace(format!("with `{shown}` flipped"), json!(!flag));
            replace(format!("with `{shown}` a string"), json!("true"));
        }
        Value::Array(items) => {
            replace(format!("with `{shown}` empty"), json!([]));
            replace(format!("with `{shown}` an object"), json!({}));
            for (index, item) in items.iter().enumerate() {
                at.push(Step::Index(index));
                mutations(root, at, item, seen, found);
                at.pop();
            }
        }
        Value::Object(members) => {
            replace(format!("with `{shown}` a string"), json!("object"));
            for key in members.keys() {
                let mut removed = root.clone();
                locate(&mut removed, at)
                    .as_object_mut()
                    .expect("an object")
                    .remove(key);
                found.push((format!("without `{}`", shown_with(at, key)), removed));
                let mut respelled = root.clone();
                let object = locate(&mut respelled, at)
                    .as_object_mut()
                    .expect("an object");
                let entries: Map<String, Value> = std::mem::take(object)
                    .into_iter()
                    .map(|(name, value)| {
                        if &name == key {
                            (format!("{name}_x"), value)
                        } else {
                            (name, value)
                        }
                    })
                    .collect();
                *object = entries;
                found.push((
                    format!("with `{}` respelled", shown_with(at, key)),
                    respelled,
                ));
            }
            for (key, member) in members {
                at.push(Step::Key(key.clone()));
                mutations(root, at, member, seen, found);
                at.pop();
            }
        }
        Value::Null => {}
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn locate<'v>(value: &'v mut Value, at: &[Step]) -> &'v mut Value {
    at.iter().fold(value, |value, step| match step {
        Step::Key(key) => &mut value[key.as_str()],
        Step::Index(index) => &mut value[*index],
    })
}

fn shown(at: &[Step]) -> String {
    let mut text = String::new();
    for step in at {
        match step {
            Step::Key(key) if text.is_empty() => text.push_str(key),
            Step::Key(key) => {
                text.push('.');
                text.push_str(key);
            }
            Step::Index(index) => text.push_str(&format!("[{index}]")),
        }
    }
    text
}

fn shown_with(at: &[Step], key: &str) -> String {
    let mut path = at.to_vec();
    path.push(Step::Key(key.to_owned()));
    shown(&path)
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The fixture's schema files, nothing from the network: by `file://`
/// path, and by the absolute `$id` each declares.
#[derive(Clone)]
struct FixtureFiles {
    by_id: BTreeMap<String, PathBuf>,
    folder: PathBuf,
}

impl FixtureFiles {
    fn new(dir: &Path) -> Self {
        let mut by_id = BTreeMap::new();
        let mut pending = vec![dir.to_path_buf()];
        while let Some(folder) = pending.pop() {
            for entry in std::fs::read_dir(&folder).expect("the fixture's folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    pending.push(path);
                    continue;
                }
                if path.extension().is_none_or(|extension| extension != "json") {
                    continue;
                }
                let Ok(value) = serde_json::from_str::<Value>(
                    &std::fs::read_to_string(&path).unwrap_or_default(),
                ) else {
                    continue;
                };
                if let Some(id) = value
                    .get("$id")
                    .and_then(Value::as_str)
                    .filter(|id| id.contains("://"))
                {
                    by_id.insert(id.trim_end_matches('#').to_owned(), path);
                }
            }
        }
        Self {
            by_id,
            folder: dir.to_path_buf(),
        }
    }
}

impl evcat_testkit::Retrieve for FixtureFiles {
    fn retrieve(
        &self,
        uri: &evcat_testkit::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let text = uri.as_str();
        if let Some(path) = self.by_id.get(text) {
            return Ok(read_json(path));
        }
        if let Some(path) = text.strip_prefix("file://") {
            // A relative `$id` (octokit's `common/issue.schema.json`) is the
            // folder's, as AJV's `addSchema` registers it.
            let mut document = read_json(Path::new(path));
            let relative = document
                .get("$id")
                .and_then(Value::as_str)
                .filter(|id| !id.contains(':') && !id.starts_with('#'))
                .map(str::to_owned);
            if let Some(id) = relative {
                document["$id"] = json!(format!("file://{}/{id}", self.folder.display()));
            }
            return Ok(document);
        }
        Err(format!("{text} is not a file of the fixture").into())
    }
}
