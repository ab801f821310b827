//! `#[contract(Event)]`: a hand-written struct tied to a catalog event.
//!
//! The struct must have the event's fields: every required field, no field
//! the catalog lacks, and `Option<…>` exactly for the optional ones. Errors
//! point at the offending field and name the catalog's. A matching struct
//! gets `From` conversions to and from the generated payload type.
//!
//! `Event` is the payload type's path as it resolves where the attribute is
//! written (`shop_events::OrderPlaced`, or `OrderPlaced` once imported).
//! evcat generates, beside each payload type, a hidden macro of the same
//! name holding the event's fields; the attribute calls it, and it calls
//! back [`__contract_check`] with the table. So this crate knows no catalog
//! and serves every crate evcat generates.

mod check;

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, Path};

/// Checks the struct against the catalog's event and adds `From` both ways;
/// see the crate documentation.
#[proc_macro_attribute]
pub fn contract(attribute: TokenStream, item: TokenStream) -> TokenStream {
    let event = parse_macro_input!(attribute as Path);
    let item = proc_macro2::TokenStream::from(item);
    quote!(#event! { path = [#event], #item }).into()
}

/// The second half of `#[contract]`, called by the generated table macro.
/// Not for direct use: its input format may change with any release.
#[doc(hidden)]
#[proc_macro]
pub fn __contract_check(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as check::Input);
    match check::expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(error) => {
            let item = &input.item;
            let errors = error.to_compile_error();
            quote!(#item #errors).into()
        }
    }
}
