//! A struct field, with its serde attributes where serde derives the
//! struct's traits (the envelope).

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::doc_attrs;
use super::types::rust_type;
use crate::ident;
use crate::ir::{Catalog, Field};

pub fn field(catalog: &Catalog, field: &Field, serde_attributes: bool) -> TokenStream {
    let names = ident::rust_field_of(field);
    let ident: syn::Ident =
        syn::parse_str(&names.ident).expect("ident::rust_field yields identifiers");
    let ty = rust_type(catalog, field);
    let doc = doc_attrs(&[(None, &field.doc)]);
    let rename = names
        .rename
        .filter(|_| serde_attributes)
        .map(|wire| quote!(#[serde(rename = #wire)]));
    let optional = (field.optional && serde_attributes)
        .then(|| quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]));
    quote! {
        #doc
        #rename
        #optional
        pub #ident: #ty
    }
}

/// The Rust member of a field (`type` → `r#type`), as code reads it.
pub fn member(field: &Field) -> syn::Member {
    syn::parse_str(&crate::ident::rust_field_of(field).ident).expect("field identifiers parse")
}

/// The member of `Envelope<P>` that holds the payload, as code reads it.
pub fn payload_member(envelope: &crate::ir::Envelope) -> syn::Member {
    syn::parse_str(&crate::ident::payload_member(envelope).ident).expect("field identifiers parse")
}
