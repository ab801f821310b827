//! A payload struct per event, documented from the catalog.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc::{doc_attrs, doc_lines};
use super::fields::field;
use super::fields::redacting_debug;
use super::struct_impls::struct_impls;
use super::types::derives;
use crate::emit::markdown::code_span;
use crate::ir::{Catalog, Event, Family};

pub fn payload(catalog: &Catalog, family: &Family, event: &Event) -> TokenStream {
    let name = format_ident!("{}", event.type_name);
    let docs = &event.docs;
    let prose = doc_attrs(&[
        (None, &docs.purpose),
        (Some("Invariants"), &docs.invariants),
        (Some("Preconditions"), &docs.preconditions),
        (Some("Postconditions"), &docs.postconditions),
        (Some("Notes"), &docs.notes),
    ]);
    let wire = doc_lines(&[format!(
        "Event {} of the {} family, schema version {}.",
        code_span(&event.name),
        code_span(&family.name),
        code_span(&event.version.text)
    )]);
    let blank = doc_lines(&[String::new()]);
    // The wire names come first when there is no Purpose to lead with.
    let docs_tokens = if docs.purpose.is_empty() {
        quote!(#wire #blank #prose)
    } else {
        quote!(#prose #blank #wire)
    };
    let fields = event
        .fields
        .iter()
        .map(|payload_field| field(catalog, payload_field, false));
    let all_fields: Vec<_> = event.fields.iter().collect();
    let derives = derives(catalog, &all_fields, false);
    let debug = redacting_debug(&name, &all_fields);
    let impls = struct_impls(
        &name,
        &event.fields,
        event.closed,
        &crate::emit::json_schema::payload_schema(catalog, event),
    );
    let event_name = &event.wire_name;
    let family_name = &family.name;
    let version = &event.version.text;
    let major = event.version.major;
    quote! {
        #docs_tokens
        #derives
        pub struct #name {
            #(#fields,)*
        }

        impl Event for #name {
            const EVENT_NAME: &'static str = #event_name;
            const AGGREGATE_TYPE: &'static str = #family_name;
            const SCHEMA_VERSION: &'static str = #version;
            const SCHEMA_MAJOR: u64 = #major;
        }

        #debug
        #impls
    }
}
