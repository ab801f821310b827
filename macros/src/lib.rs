//! `#[contract(EventName)]`: a hand-written struct tied to a catalog event.
//!
//! The struct must have the event's fields: every required field, no field
//! the catalog lacks, and `Option<…>` exactly for the optional ones. Errors
//! point at the offending field and name the catalog's. A matching struct
//! gets `From` conversions to and from the generated payload type.

use proc_macro::TokenStream;
use proc_macro2::Span;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{parse_macro_input, Field, Fields, Ident, ItemStruct, Type};

struct CatalogEvent {
    name: &'static str,
    line: usize,
    /// Wire name, the generated type's field (`r#type`, `self_`), optional.
    fields: &'static [(&'static str, &'static str, bool)],
}

include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

#[proc_macro_attribute]
pub fn contract(attribute: TokenStream, item: TokenStream) -> TokenStream {
    let event_name = parse_macro_input!(attribute as Ident);
    let item = parse_macro_input!(item as ItemStruct);
    match expand(&event_name, &item) {
        Ok(tokens) => tokens.into(),
        Err(error) => {
            let errors = error.to_compile_error();
            quote!(#item #errors).into()
        }
    }
}

fn expand(event_name: &Ident, item: &ItemStruct) -> syn::Result<proc_macro2::TokenStream> {
    let name = event_name.to_string();
    let Some(event) = EVENTS.iter().find(|event| event.name == name) else {
        let known: Vec<&str> = EVENTS.iter().map(|event| event.name).collect();
        let hint = closest(&name, &known)
            .map_or_else(String::new, |close| format!("; did you mean `{close}`?"));
        return Err(syn::Error::new_spanned(
            event_name,
            format!("the catalog has no event `{name}`{hint}"),
        ));
    };
    let Fields::Named(named) = &item.fields else {
        return Err(syn::Error::new_spanned(
            &item.ident,
            "a contract struct needs named fields, one per catalog field",
        ));
    };
    let mut errors: Option<syn::Error> = None;
    let mut push = |error: syn::Error| match &mut errors {
        Some(all) => all.combine(error),
        None => errors = Some(error),
    };
    let catalog_names: Vec<&str> = event
        .fields
        .iter()
        .map(|(_, rust, _)| rust.trim_start_matches("r#"))
        .collect();
    let mut matched: Vec<(&Field, &str, bool)> = Vec::new();
    for field in &named.named {
        let ident = field.ident.as_ref().expect("named fields have names");
        let field_name = ident.to_string().trim_start_matches("r#").to_owned();
        match event
            .fields
            .iter()
            .find(|(_, rust, _)| rust.trim_start_matches("r#") == field_name)
            .map(|(_, rust, optional)| (rust, optional))
        {
            None => {
                let hint = match closest(&field_name, &catalog_names) {
                    Some(close) => format!("; did you mean `{close}`?"),
                    None => format!("; its fields are {}", catalog_names.join(", ")),
                };
                push(syn::Error::new_spanned(
                    ident,
                    format!("`{field_name}` is not a field of `{name}` in the catalog{hint}"),
                ));
            }
            Some((catalog_field, optional)) => {
                let is_option = is_option(&field.ty);
                if *optional && !is_option {
                    push(syn::Error::new_spanned(
                        &field.ty,
                        format!("`{catalog_field}` is optional in the catalog's `{name}`: write `Option<…>`"),
                    ));
                } else if !*optional && is_option {
                    push(syn::Error::new_spanned(
                        &field.ty,
                        format!("`{catalog_field}` is required in the catalog's `{name}`: drop the `Option`"),
                    ));
                }
                matched.push((field, catalog_field, *optional));
            }
        }
    }
    for (_, catalog_field, optional) in event.fields {
        let present = matched
            .iter()
            .any(|(_, matched_name, _)| matched_name == catalog_field);
        if !present && !optional {
            push(syn::Error::new_spanned(
                &item.ident,
                format!(
                    "`{}` lacks `{catalog_field}`, a required field of `{name}` (catalog.md line {})",
                    item.ident, event.line
                ),
            ));
        }
    }
    if let Some(errors) = errors {
        return Err(errors);
    }
    Ok(conversions(event, event_name, item, &matched))
}

fn conversions(
    event: &CatalogEvent,
    event_name: &Ident,
    item: &ItemStruct,
    matched: &[(&Field, &str, bool)],
) -> proc_macro2::TokenStream {
    let user = &item.ident;
    let (impl_generics, type_generics, where_clause) = item.generics.split_for_impl();
    let payload = quote!(::domain_events::#event_name);
    let into_payload = event.fields.iter().map(|(_, catalog_field, _)| {
        let target = field_ident(catalog_field, Span::call_site());
        match matched.iter().find(|(_, name, _)| name == catalog_field) {
            Some((field, _, _)) => {
                let source = field.ident.as_ref().expect("named");
                // Spanned on the user's field, so a type mismatch points there.
                quote_spanned!(field.ty.span() => #target: value.#source)
            }
            None => quote!(#target: ::std::option::Option::None),
        }
    });
    let from_payload = matched.iter().map(|(field, catalog_field, _)| {
        let target = field.ident.as_ref().expect("named");
        let source = field_ident(catalog_field, field.ty.span());
        quote_spanned!(field.ty.span() => #target: value.#source)
    });
    quote! {
        #item

        impl #impl_generics ::std::convert::From<#user #type_generics> for #payload #where_clause {
            fn from(value: #user #type_generics) -> Self {
                Self { #(#into_payload,)* }
            }
        }

        impl #impl_generics ::std::convert::From<#payload> for #user #type_generics #where_clause {
            fn from(value: #payload) -> Self {
                Self { #(#from_payload,)* }
            }
        }
    }
}

/// `Option<T>`, however the path to it is written.
fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|segment| segment.ident == "Option"))
}

fn closest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (strsim::levenshtein(name, candidate), *candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 3))
        .min()
        .map(|(_, candidate)| candidate)
}

/// The generated type's field, as evcat names it (`customer_id`, `r#type`, `self_`).
fn field_ident(rust: &str, span: Span) -> Ident {
    let mut ident = syn::parse_str::<Ident>(rust).unwrap_or_else(|_| Ident::new(rust, span));
    ident.set_span(span);
    ident
}
