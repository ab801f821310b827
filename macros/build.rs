//! Compiles the catalog's events and fields into the macro, so
//! `#[contract(Event)]` checks structs against the catalog as it is now; an
//! edit to the catalog reruns this and re-checks every contract.

use std::fmt::Write;
use std::process::exit;

fn main() {
    println!("cargo:rerun-if-changed=../contracts");
    let compiled = match evcat::Builder::new("../contracts/catalog.md").compile() {
        Ok(compiled) => compiled,
        Err(error) => {
            eprintln!("{error}");
            exit(1);
        }
    };
    let mut table = String::from("/// Every event of the catalog: its name, source line and fields (wire name, Rust field, optional).\nconst EVENTS: &[CatalogEvent] = &[\n");
    for (_, event) in compiled.catalog.events() {
        let fields: Vec<String> = event
            .fields
            .iter()
            .map(|field| {
                format!(
                    "({:?}, {:?}, {})",
                    field.name,
                    evcat::ident::rust_field(&field.name).ident,
                    field.optional
                )
            })
            .collect();
        let line = compiled.sources.text(event.span.file)[..event.span.start]
            .matches('\n')
            .count()
            + 1;
        let _ = writeln!(
            table,
            "    CatalogEvent {{ name: {:?}, line: {line}, fields: &[{}] }},",
            event.name,
            fields.join(", ")
        );
    }
    table.push_str("];\n");
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("catalog.rs"), table).expect("OUT_DIR is writable");
}
