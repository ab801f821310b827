//! A struct per object type nested in payloads (`OrderPlacedTotal`), with
//! the same derives, redaction and checks as payloads.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc::{doc_attrs, doc_lines};
use super::fields::field;
use super::fields::redacting_debug;
use super::struct_impls::struct_impls;
use super::types::derives;
use super::validate;
use crate::ir::{Catalog, StructType};

pub fn struct_items(catalog: &Catalog, nested: &StructType) -> TokenStream {
    if nested.envelope {
        let id = crate::ir::StructId(
            catalog
                .structs
                .iter()
                .position(|known| std::ptr::eq(known, nested))
                .expect("the catalog's own type"),
        );
        let object = super::envelope::envelope_object(catalog, nested, id);
        let rules = validate::struct_impl(catalog, nested);
        return quote!(#object #rules);
    }
    let name = format_ident!("{}", nested.name);
    let doc = if nested.named && !nested.doc.is_empty() {
        doc_attrs(&[(None, &nested.doc)])
    } else {
        doc_lines(&["An object nested in a payload, as the catalog declares it.".to_owned()])
    };
    let fields = nested
        .fields
        .iter()
        .map(|nested_field| field(catalog, nested_field, false));
    let all_fields: Vec<_> = nested.fields.iter().collect();
    let derives = derives(catalog, &all_fields, false);
    let debug = redacting_debug(&name, &all_fields);
    let rules = validate::struct_impl(catalog, nested);
    let impls = struct_impls(
        &name,
        &nested.fields,
        nested.closed,
        &crate::emit::json_schema::struct_schema(catalog, nested),
    );
    quote! {
        #doc
        #derives
        pub struct #name {
            #(#fields,)*
        }

        #debug
        #impls
        #rules
    }
}
