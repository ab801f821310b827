//! `DomainEvent`: any event of the catalog, (de)serialized as its envelope
//! with the discriminator (`event_name`) choosing the variant.
//!
//! Each item is built on its own so the printer handles one at a time.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::types::supports_eq;
use crate::ir::{Catalog, Event};

/// Each event's variant name and type path (`billing::CatalogUpdated` for a
/// type in a domain module).
fn variants(catalog: &Catalog) -> (Vec<syn::Ident>, Vec<TokenStream>) {
    catalog
        .events()
        .map(|(_, event)| (format_ident!("{}", event.variant_name()), type_path(event)))
        .unzip()
}

pub fn type_path(event: &Event) -> TokenStream {
    let name = format_ident!("{}", event.type_name);
    match &event.module {
        Some(module) => {
            let module: syn::Ident = syn::parse_str(module).expect("module names are identifiers");
            quote!(#module::#name)
        }
        None => quote!(#name),
    }
}

pub fn enum_item(catalog: &Catalog) -> TokenStream {
    let (variants, paths) = variants(catalog);
    let variant_docs = paths.iter().map(|path| {
        let text = format!(" A [`{}`] event.", path.to_string().replace(' ', ""));
        quote!(#[doc = #text])
    });
    let mut every_field = catalog
        .envelope
        .fields
        .iter()
        .chain(catalog.events().flat_map(|(_, event)| &event.fields));
    let derives = if every_field.all(|field| supports_eq(catalog, &field.ty)) {
        quote!(#[derive(Debug, Clone, PartialEq, Eq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    // Payload sizes differ by design; boxing would cost an allocation per event.
    quote! {
        /// Any event of the catalog.
        ///
        /// Serializes as the event's envelope; deserializing reads the
        /// envelope's event name to choose the variant and refuses names the
        /// catalog does not define.
        #derives
        #[allow(clippy::large_enum_variant)]
        pub enum DomainEvent {
            #(
                #variant_docs
                #variants(Envelope<#paths>),
            )*
        }
    }
}

/// Names, families and versions are tables indexed by one `match`, rather
/// than a `match` each (fewer arms for rustc to check at 10,000 events).
pub fn inherent_impl(catalog: &Catalog) -> TokenStream {
    let (variants, paths) = variants(catalog);
    let names = catalog.events().map(|(_, event)| event.wire_name.as_str());
    let families = catalog.events().map(|(family, _)| family.name.as_str());
    let versions = catalog
        .events()
        .map(|(_, event)| event.version.text.as_str());
    let positions = (0..variants.len()).map(proc_macro2::Literal::usize_unsuffixed);
    let count = proc_macro2::Literal::usize_unsuffixed(variants.len());
    quote! {
        impl DomainEvent {
            /// The name of every event, in catalog order.
            pub const EVENT_NAMES: [&'static str; #count] = [#(#names),*];

            /// The family of every event, in catalog order.
            pub const AGGREGATE_TYPES: [&'static str; #count] = [#(#families),*];

            /// The schema version of every event, in catalog order.
            pub const SCHEMA_VERSIONS: [&'static str; #count] = [#(#versions),*];

            /// The event's position in catalog order: its name is
            /// `DomainEvent::EVENT_NAMES[event.index()]`.
            pub fn index(&self) -> usize {
                match self {
                    #(Self::#variants(_) => #positions,)*
                }
            }

            /// The event's name on the wire.
            pub fn event_name(&self) -> &'static str {
                Self::EVENT_NAMES[self.index()]
            }

            /// What `schemars` gives for each payload type, by event name;
            /// tests hold these to the generated JSON Schemas.
            pub fn payload_schemas() -> [(&'static str, ::schemars::Schema); #count] {
                [#((<#paths as Event>::EVENT_NAME, ::schemars::schema_for!(#paths))),*]
            }

            /// The event's family, as the catalog names it.
            pub fn aggregate_type(&self) -> &'static str {
                Self::AGGREGATE_TYPES[self.index()]
            }

            /// The event's schema version, as the catalog declares it.
            pub fn schema_version(&self) -> &'static str {
                Self::SCHEMA_VERSIONS[self.index()]
            }
        }
    }
}

/// `From<Envelope<E>> for DomainEvent`, for one event; emitted beside the
/// payload type, inside its domain module if it has one.
pub fn from_envelope(event: &Event) -> TokenStream {
    let name = format_ident!("{}", event.type_name);
    let variant = format_ident!("{}", event.variant_name());
    quote! {
        impl ::std::convert::From<Envelope<#name>> for DomainEvent {
            fn from(envelope: Envelope<#name>) -> Self {
                Self::#variant(envelope)
            }
        }
    }
}

pub fn serialize_impl(catalog: &Catalog) -> TokenStream {
    let (variants, _) = variants(catalog);
    quote! {
        impl ::serde::Serialize for DomainEvent {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #(Self::#variants(envelope) => ::serde::Serialize::serialize(envelope, serializer),)*
                }
            }
        }
    }
}

pub fn deserialize_impl(catalog: &Catalog) -> TokenStream {
    let (variants, _) = variants(catalog);
    let names = catalog.events().map(|(_, event)| event.wire_name.as_str());
    let discriminator = &catalog.envelope.discriminator;
    let not_a_string = format!("`{discriminator}` must be a string");
    let missing = discriminator.dotted();
    // A nested discriminator (`context.type`) is found by its JSON pointer.
    let lookup = if discriminator.is_top() {
        let key = discriminator.key();
        quote!(value.get(#key))
    } else {
        let pointer = discriminator.pointer();
        quote!(value.pointer(#pointer))
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for DomainEvent {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                use ::serde::de::Error as _;
                let mut value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                ::evcat_runtime::whole_floats_as_integers(&mut value);
                let name = match #lookup {
                    ::std::option::Option::Some(::serde_json::Value::String(name)) => name.clone(),
                    ::std::option::Option::Some(_) => return ::std::result::Result::Err(D::Error::custom(#not_a_string)),
                    ::std::option::Option::None => return ::std::result::Result::Err(D::Error::missing_field(#missing)),
                };
                match name.as_str() {
                    #(#names => ::serde_json::from_value(value).map(Self::#variants).map_err(D::Error::custom),)*
                    other => ::std::result::Result::Err(D::Error::unknown_variant(other, &Self::EVENT_NAMES)),
                }
            }
        }
    }
}
