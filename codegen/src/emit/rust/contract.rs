//! What `#[contract(Event)]` checks a hand-written struct against: per
//! event, a hidden macro by the payload type's name that hands the event's
//! fields to the contract macro.
//!
//! The macro shares the type's path (`shop_events::OrderPlaced`, or the bare
//! name where the type is imported), so whatever names the type names the
//! table, from any crate, for any number of catalogs. The table lives in the
//! generated code rather than in the macro crate, so one published macro
//! crate serves every catalog.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ident;
use crate::ir::{Catalog, Event};

/// The hidden `macro_rules!` and its re-export under the payload's name.
pub fn table_macro(catalog: &Catalog, event: &Event) -> TokenStream {
    let exported = format_ident!("{}", exported_name(catalog, event));
    let type_name = format_ident!("{}", event.type_name);
    let event_name = &event.name;
    let source = crate::emit::source_file_name(catalog);
    let fields = event.fields.iter().map(|field| {
        let member: syn::Ident = syn::parse_str(&ident::rust_field_of(field).ident)
            .expect("ident::rust_field yields identifiers");
        let optional = field.optional;
        quote!((#member, #optional))
    });
    quote! {
        #[doc(hidden)]
        #[macro_export]
        macro_rules! #exported {
            ($($contract:tt)*) => {
                $crate::__evcat_macros::__contract_check! {
                    event = #event_name,
                    catalog = #source,
                    fields = [#(#fields),*],
                    $($contract)*
                }
            };
        }

        // By the macro's textual name: a `crate::` path to it is refused
        // when the module is mounted with an attribute (`#[rustfmt::skip]`).
        #[doc(hidden)]
        pub use #exported as #type_name;
    }
}

/// `#[macro_export]` puts every such macro at the crate root, so its name
/// holds the catalog's module and the event's domain module: parts in snake
/// or Pascal case never contain `__`, so joining with it cannot collide.
fn exported_name(catalog: &Catalog, event: &Event) -> String {
    let mut parts = vec!["__evcat_contract"];
    parts.extend(catalog.module.as_deref());
    parts.extend(event.module.as_deref());
    parts.push(&event.type_name);
    parts.join("__")
}
