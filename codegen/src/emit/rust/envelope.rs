//! `Envelope<P>`: the envelope schema's properties, with the payload
//! (`payload: P`, CloudEvents' `data: P`) where the schema puts it.

use proc_macro2::TokenStream;
use quote::quote;

use super::doc::{doc_attrs, doc_lines};
use super::fields::field;
use super::types::derives;
use crate::ident;
use crate::ir::{Catalog, Doc, Inline};

pub fn envelope(catalog: &Catalog) -> TokenStream {
    let envelope = &catalog.envelope;
    let mut fields: Vec<TokenStream> = envelope
        .fields
        .iter()
        .map(|envelope_field| field(catalog, envelope_field, true))
        .collect();
    let flat = envelope.payload.is_none();
    let payload_doc = doc_lines(&[if flat {
        "The event's own fields, beside the envelope's on the wire.".to_owned()
    } else {
        "The event's own fields.".to_owned()
    }]);
    let payload = ident::payload_member(envelope);
    let member: syn::Ident = syn::parse_str(&payload.ident).expect("field identifiers parse");
    let rename = payload.rename.map(|wire| quote!(#[serde(rename = #wire)]));
    let flatten = flat.then(|| quote!(#[serde(flatten)]));
    fields.insert(
        envelope.payload_position,
        quote!(#payload_doc #rename #flatten pub #member: P),
    );
    let description = Doc {
        paragraphs: [&envelope.title, &envelope.description]
            .into_iter()
            .flatten()
            .map(|text| vec![Inline::Text(text.clone())])
            .collect(),
    };
    let summary =
        doc_lines(&["The envelope common to every event, with the event's payload.".to_owned()]);
    let blank = doc_lines(&[String::new()]);
    let described = (!description.is_empty()).then(|| {
        let text = doc_attrs(&[(None, &description)]);
        quote!(#blank #text)
    });
    if ident::envelope_keeps_extensions(envelope) {
        let extensions = quote::format_ident!("{}", ident::ENVELOPE_EXTENSIONS);
        let doc = doc_lines(&if envelope.closed {
            vec![
                "Members neither the envelope nor the event names. The envelope schema".to_owned(),
                "allows none: `violations()` reports each.".to_owned(),
            ]
        } else {
            vec![
                "Members the envelope schema does not name (extension attributes, such".to_owned(),
                "as CloudEvents' `traceparent`): kept, so reading and writing an event".to_owned(),
                "loses nothing. An envelope with `additionalProperties: false` refuses them."
                    .to_owned(),
            ]
        });
        fields.push(quote! {
            #doc
            #[serde(flatten)]
            pub #extensions: ::serde_json::Map<::std::string::String, ::serde_json::Value>
        });
    }
    let derives = derives(catalog, &envelope.fields.iter().collect::<Vec<_>>(), true);
    let closed = (envelope.closed && !flat).then(|| quote!(#[serde(deny_unknown_fields)]));
    quote! {
        #summary
        #described
        #derives
        #closed
        pub struct Envelope<P> {
            #(#fields,)*
        }
    }
}
