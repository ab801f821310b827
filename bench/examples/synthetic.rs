//! Writes a synthetic catalog of N events into a folder, for the
//! side-by-side benchmark script: `cargo run --release -p evcat-bench --example
//! synthetic -- 10000 /tmp/synthetic [mixed|strings]` (see
//! `evcat_bench::Shape`; mixed by default).

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: synthetic EVENTS OUT_DIR [mixed|strings]";
    let events: usize = args
        .next()
        .and_then(|count| count.parse().ok())
        .expect(usage);
    let out = PathBuf::from(args.next().expect(usage));
    let shape = match args.next().as_deref() {
        None | Some("mixed") => evcat_bench::Shape::Mixed,
        Some("strings") => evcat_bench::Shape::Strings,
        Some(_) => panic!("{usage}"),
    };
    let synthetic = evcat_bench::synthetic_catalog_shaped(events, shape);
    std::fs::create_dir_all(&out).expect("can create the output folder");
    for (name, contents) in [
        ("catalog.md", &synthetic.catalog_md),
        ("data-model.md", &synthetic.data_model_md),
        ("envelope.schema.json", &synthetic.envelope_schema),
        ("events.schema.json", &synthetic.json_schema),
    ] {
        std::fs::write(out.join(name), contents).expect("can write");
    }
}
