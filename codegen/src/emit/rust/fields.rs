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
    let doc = doc_attrs(&[(None, &field.documented())]);
    let rename = names
        .rename
        .filter(|_| serde_attributes)
        .map(|wire| quote!(#[serde(rename = #wire)]));
    let optional = (field.optional && serde_attributes)
        .then(|| quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]));
    // May be left out, never `null` (a JSON Schema's optional property);
    // or left out and `null` apart (`Some(None)`).
    let not_null =
        (serde_attributes && field.optional && (field.absent_or_null() || !field.accepts_null()))
            .then(|| quote!(#[serde(deserialize_with = "::evcat_runtime::deserialize_not_null")]));
    // Required with `null` allowed: serde would read an absent `Option` as
    // `None`; through `deserialize_with` an absent member is missing.
    let present = (!field.optional && field.nullable && serde_attributes)
        .then(|| quote!(#[serde(deserialize_with = "::serde::Deserialize::deserialize")]));
    quote! {
        #doc
        #rename
        #optional
        #not_null
        #present
        pub #ident: #ty
    }
}

/// The Rust member of a field (`type` → `r#type`), as code reads it.
pub fn member(field: &Field) -> syn::Member {
    syn::parse_str(&crate::ident::rust_field_of(field).ident).expect("field identifiers parse")
}

/// The members from `Envelope<P>` to the payload, as code reads them after
/// `envelope.`: `payload`, or `subject.content` through nested objects
/// (which the envelope schema requires, so no `Option` is on the way).
pub fn payload_access(catalog: &Catalog) -> TokenStream {
    let envelope = &catalog.envelope;
    let mut members: Vec<syn::Member> = Vec::new();
    if let Some(path) = &envelope.payload {
        let mut fields = &envelope.fields;
        for key in path.parents() {
            let Some(field) = fields.iter().find(|field| &field.name == key) else {
                break;
            };
            members.push(member(field));
            if let crate::ir::FieldType::Struct(id) = field.ty {
                fields = &catalog.struct_type(id).fields;
            }
        }
    }
    let payload: syn::Member = syn::parse_str(&crate::ident::payload_member(envelope).ident)
        .expect("field identifiers parse");
    members.push(payload);
    quote!(#(#members).*)
}

/// `body` with `owner` bound to the envelope object holding the member at
/// `path` (`envelope.context` for `context.type`), run only when each
/// optional object on the way is present.
pub fn within_parents(
    catalog: &Catalog,
    path: &crate::ir::MemberPath,
    root: TokenStream,
    body: impl FnOnce(TokenStream) -> TokenStream,
) -> TokenStream {
    let mut fields = &catalog.envelope.fields;
    let mut owner = root;
    let mut wrappers: Vec<(TokenStream, syn::Ident)> = Vec::new();
    for (depth, key) in path.parents().iter().enumerate() {
        let Some(field) = fields.iter().find(|field| &field.name == key) else {
            return TokenStream::new();
        };
        let member = member(field);
        if field.optional || field.nullable {
            let bound = quote::format_ident!("parent_{depth}");
            wrappers.push((quote!(&#owner.#member), bound.clone()));
            owner = quote!(#bound);
        } else {
            owner = quote!(#owner.#member);
        }
        if let crate::ir::FieldType::Struct(id) = field.ty {
            fields = &catalog.struct_type(id).fields;
        }
    }
    let mut code = body(owner);
    for (value, bound) in wrappers.into_iter().rev() {
        code = quote!(if let ::std::option::Option::Some(#bound) = #value { #code });
    }
    code
}

/// `Debug` that prints `[redacted]` for personal data, so logs of events do
/// not leak it; `None` when no field is personal data.
pub fn redacting_debug(type_name: &syn::Ident, fields: &[&Field]) -> Option<TokenStream> {
    if !fields.iter().any(|field| field.pii) {
        return None;
    }
    let entries = fields.iter().map(|field| {
        let wire = &field.name;
        let member = member(field);
        if field.pii {
            quote!(.field(#wire, &"[redacted]"))
        } else {
            quote!(.field(#wire, &self.#member))
        }
    });
    let name = type_name.to_string();
    Some(quote! {
        impl ::std::fmt::Debug for #type_name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#name) #(#entries)* .finish()
            }
        }
    })
}
