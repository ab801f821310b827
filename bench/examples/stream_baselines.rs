//! The baselines `evcat validate` is measured against, on the same stream:
//!
//! - `make CATALOG N OUT`: N distinct, valid envelopes (NDJSON) built from the
//!   catalog's synthesized examples, each with its own event id and aggregate;
//! - `parse FILE`: serde_json into `IgnoredAny`, line by line (the floor);
//! - `value FILE`: serde_json into a `Value` tree, as the stream checker does;
//! - `jsonschema SCHEMA FILE`: jsonschema-rs validating each line against the
//!   generated `events.schema.json`, formats included.
//!
//! Each prints the line count and the number of invalid lines; time it from
//! outside (scripts/bench-validate.sh).

use std::io::{BufRead, BufReader, Write};

use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["make", catalog, count, out] => make(catalog, count.parse().expect("a count"), out),
        ["parse", file] => parse(file),
        ["value", file] => value(file),
        ["jsonschema", schema, file] => jsonschema(schema, file),
        _ => panic!(
            "usage: stream_baselines make CATALOG N OUT | parse FILE | jsonschema SCHEMA FILE"
        ),
    }
}

fn lines(file: &str) -> impl Iterator<Item = String> {
    BufReader::with_capacity(1 << 16, std::fs::File::open(file).expect("readable stream"))
        .lines()
        .map(|line| line.expect("UTF-8 lines"))
}

fn make(catalog: &str, count: usize, out: &str) {
    let compiled = evcat::Builder::new(catalog)
        .compile()
        .expect("a valid catalog");
    let stream = evcat_bench::distinct_stream(&compiled);
    let mut writer = std::io::BufWriter::new(std::fs::File::create(out).expect("writable"));
    for event in stream.take(count) {
        writeln!(writer, "{event}").expect("written");
    }
}

fn parse(file: &str) {
    let mut count = 0;
    let mut invalid = 0;
    for line in lines(file) {
        count += 1;
        invalid += usize::from(serde_json::from_str::<serde::de::IgnoredAny>(&line).is_err());
    }
    println!("{count} lines, {invalid} invalid");
}

/// serde_json into a `Value` tree, as the stream checker reads each line.
fn value(file: &str) {
    let mut count = 0;
    let mut invalid = 0;
    for line in lines(file) {
        count += 1;
        invalid += usize::from(serde_json::from_str::<Value>(&line).is_err());
    }
    println!("{count} lines, {invalid} invalid");
}

fn jsonschema(schema: &str, file: &str) {
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema).expect("schema")).expect("JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid schema");
    let mut count = 0;
    let mut invalid = 0;
    for line in lines(file) {
        count += 1;
        let valid = serde_json::from_str::<Value>(&line)
            .is_ok_and(|instance| validator.is_valid(&instance));
        invalid += usize::from(!valid);
    }
    println!("{count} lines, {invalid} invalid");
}
