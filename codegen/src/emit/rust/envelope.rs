//! `Envelope<P>`: the envelope schema's properties, with the payload
//! (`payload: P`, CloudEvents' `data: P`) where the schema puts it; and a
//! struct per object nested in the envelope (CDEvents' `context`), generic
//! over the payload on the way to it (`subject: EnvelopeSubject<P>`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc::{doc_attrs, doc_lines};
use super::fields::field;
use super::types::derives;
use crate::ident;
use crate::ir::{Catalog, Doc, Field, Inline, StructType};

pub fn envelope(catalog: &Catalog) -> TokenStream {
    let envelope = &catalog.envelope;
    let flat = envelope.payload.is_none();
    let holds_payload = envelope.payload.as_ref().is_none_or(|path| path.is_top());
    let description = Doc {
        paragraphs: [&envelope.title, &envelope.description]
            .into_iter()
            .flatten()
            .map(|text| vec![Inline::Text(text.clone())])
            .collect(),
        markdown: String::new(),
    };
    let summary =
        doc_lines(&["The envelope common to every event, with the event's payload.".to_owned()]);
    let blank = doc_lines(&[String::new()]);
    let described = (!description.is_empty()).then(|| {
        let text = doc_attrs(&[(None, &description)]);
        quote!(#blank #text)
    });
    let extensions = ident::envelope_keeps_extensions(envelope).then(|| {
        doc_lines(&if envelope.closed {
            vec![
                "Members neither the envelope nor the event names. The envelope schema".to_owned(),
                "allows none: `violations()` reports each.".to_owned(),
            ]
        } else {
            extensions_doc("An envelope")
        })
    });
    let object = Object {
        fields: &envelope.fields,
        payload: holds_payload.then_some(envelope.payload_position),
        flat,
        extensions,
        // The payload's type parameter, on the way to it or not.
        generic: true,
        closed: envelope.closed && !flat,
    };
    let body = object.tokens(catalog, &format_ident!("Envelope"));
    quote! {
        #summary
        #described
        #body
    }
}

/// The struct of an object nested in the envelope.
pub fn envelope_object(
    catalog: &Catalog,
    nested: &StructType,
    id: crate::ir::StructId,
) -> TokenStream {
    let envelope = &catalog.envelope;
    let holds_payload = envelope
        .payload
        .as_ref()
        .is_some_and(|path| catalog.envelope_object_of(path) == Some(id));
    let doc = if nested.doc.is_empty() {
        doc_lines(&["An object of the envelope, as its schema declares it.".to_owned()])
    } else {
        doc_attrs(&[(None, &nested.doc)])
    };
    let object = Object {
        fields: &nested.fields,
        payload: holds_payload.then_some(envelope.payload_position),
        flat: false,
        extensions: (!nested.closed).then(|| doc_lines(&extensions_doc("An object"))),
        generic: catalog.holds_payload(id),
        closed: nested.closed,
    };
    let body = object.tokens(catalog, &format_ident!("{}", nested.name));
    quote! {
        #doc
        #body
    }
}

fn extensions_doc(which: &str) -> Vec<String> {
    vec![
        "Members the envelope schema does not name (extension attributes, such".to_owned(),
        "as CloudEvents' `traceparent`): kept, so reading and writing an event".to_owned(),
        format!("loses nothing. {which} with `additionalProperties: false` refuses them."),
    ]
}

/// One struct of the envelope, serde deriving its traits.
struct Object<'a> {
    fields: &'a [Field],
    /// Where the payload's member goes among the fields, in the object
    /// holding it.
    payload: Option<usize>,
    /// The payload's fields sit beside the object's (flattened).
    flat: bool,
    /// The doc of the map keeping members the schema does not name; `None`
    /// when the object keeps none.
    extensions: Option<TokenStream>,
    /// Generic over the payload's type (`<P>`).
    generic: bool,
    closed: bool,
}

impl Object<'_> {
    fn tokens(&self, catalog: &Catalog, name: &syn::Ident) -> TokenStream {
        let envelope = &catalog.envelope;
        let mut fields: Vec<TokenStream> = self
            .fields
            .iter()
            .map(|envelope_field| field(catalog, envelope_field, true))
            .collect();
        if let Some(position) = self.payload {
            let payload_doc = doc_lines(&[if self.flat {
                "The event's own fields, beside the envelope's on the wire.".to_owned()
            } else {
                "The event's own fields.".to_owned()
            }]);
            let payload = ident::payload_member(envelope);
            let member: syn::Ident =
                syn::parse_str(&payload.ident).expect("field identifiers parse");
            let rename = payload.rename.map(|wire| quote!(#[serde(rename = #wire)]));
            let flatten = self.flat.then(|| quote!(#[serde(flatten)]));
            fields.insert(
                position.min(fields.len()),
                quote!(#payload_doc #rename #flatten pub #member: P),
            );
        }
        if let Some(doc) = &self.extensions {
            let extensions = format_ident!("{}", ident::ENVELOPE_EXTENSIONS);
            fields.push(quote! {
                #doc
                #[serde(flatten)]
                pub #extensions: ::serde_json::Map<::std::string::String, ::serde_json::Value>
            });
        }
        let derives = derives(catalog, &self.fields.iter().collect::<Vec<_>>(), true);
        let closed = (self.closed && self.extensions.is_none())
            .then(|| quote!(#[serde(deny_unknown_fields)]));
        let generic = self.generic.then(|| quote!(<P>));
        quote! {
            #derives
            #closed
            pub struct #name #generic {
                #(#fields,)*
            }
        }
    }
}
