//! The check behind `#[contract]`: a struct against one event's field table.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{
    bracketed, parenthesized, Data, DeriveInput, Field, Fields, Ident, LitBool, LitStr, Path,
    Token, Type,
};

/// `event = "…", catalog = "…", fields = [(member, optional), …],
/// path = [the user's path to the payload type], <the struct>`.
pub struct Input {
    event: String,
    catalog: String,
    fields: Vec<CatalogField>,
    payload: Path,
    pub item: DeriveInput,
}

struct CatalogField {
    /// The generated payload's member (`customer_id`, `r#type`, `self_`).
    member: Ident,
    optional: bool,
}

impl CatalogField {
    /// The member as the user writes it in a struct (`type` needs `r#` there
    /// too, so compare without it).
    fn name(&self) -> String {
        self.member.to_string().trim_start_matches("r#").to_owned()
    }
}

fn key(input: ParseStream<'_>, expected: &str) -> syn::Result<()> {
    let key: Ident = input.parse()?;
    if key != expected {
        return Err(syn::Error::new(
            key.span(),
            format!("expected `{expected}`"),
        ));
    }
    input.parse::<Token![=]>()?;
    Ok(())
}

impl Parse for Input {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        key(input, "event")?;
        let event = input.parse::<LitStr>()?.value();
        input.parse::<Token![,]>()?;
        key(input, "catalog")?;
        let catalog = input.parse::<LitStr>()?.value();
        input.parse::<Token![,]>()?;
        key(input, "fields")?;
        let table;
        bracketed!(table in input);
        let mut fields = Vec::new();
        while !table.is_empty() {
            let entry;
            parenthesized!(entry in table);
            let member = entry.parse::<Ident>()?;
            entry.parse::<Token![,]>()?;
            let optional = entry.parse::<LitBool>()?.value;
            fields.push(CatalogField { member, optional });
            if !table.is_empty() {
                table.parse::<Token![,]>()?;
            }
        }
        input.parse::<Token![,]>()?;
        key(input, "path")?;
        let path;
        bracketed!(path in input);
        let payload = path.parse::<Path>()?;
        input.parse::<Token![,]>()?;
        let item = input.parse::<DeriveInput>()?;
        Ok(Self {
            event,
            catalog,
            fields,
            payload,
            item,
        })
    }
}

/// A struct field matched to the catalog's.
struct Matched<'a> {
    field: &'a Field,
    catalog: &'a CatalogField,
}

pub fn expand(input: &Input) -> syn::Result<TokenStream> {
    let Input {
        event,
        catalog,
        item,
        ..
    } = input;
    let named = match &item.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => named,
            _ => {
                return Err(syn::Error::new_spanned(
                    &item.ident,
                    "a contract struct needs named fields, one per catalog field",
                ))
            }
        },
        _ => {
            return Err(syn::Error::new_spanned(
                &item.ident,
                "`#[contract]` goes on a struct with the event's fields",
            ))
        }
    };
    let mut errors: Option<syn::Error> = None;
    let mut push = |error: syn::Error| match &mut errors {
        Some(all) => all.combine(error),
        None => errors = Some(error),
    };
    let catalog_names: Vec<String> = input.fields.iter().map(CatalogField::name).collect();
    let mut matched: Vec<Matched<'_>> = Vec::new();
    for field in &named.named {
        let ident = field.ident.as_ref().expect("named fields have names");
        let field_name = ident.to_string().trim_start_matches("r#").to_owned();
        let Some(catalog_field) = input.fields.iter().find(|known| known.name() == field_name)
        else {
            let hint = match closest(&field_name, &catalog_names) {
                Some(close) => format!("; did you mean `{close}`?"),
                None => format!("; its fields are {}", catalog_names.join(", ")),
            };
            push(syn::Error::new_spanned(
                ident,
                format!("`{field_name}` is not a field of `{event}` in {catalog}{hint}"),
            ));
            continue;
        };
        let name = catalog_field.name();
        match (catalog_field.optional, is_option(&field.ty)) {
            (true, false) => push(syn::Error::new_spanned(
                &field.ty,
                format!("`{name}` is optional in {catalog}'s `{event}`: write `Option<…>`"),
            )),
            (false, true) => push(syn::Error::new_spanned(
                &field.ty,
                format!("`{name}` is required in {catalog}'s `{event}`: drop the `Option`"),
            )),
            _ => {}
        }
        matched.push(Matched {
            field,
            catalog: catalog_field,
        });
    }
    for catalog_field in &input.fields {
        let present = matched
            .iter()
            .any(|found| std::ptr::eq(found.catalog, catalog_field));
        if !present && !catalog_field.optional {
            push(syn::Error::new_spanned(
                &item.ident,
                format!(
                    "`{}` lacks `{}`, a required field of `{event}` in {catalog}",
                    item.ident,
                    catalog_field.name()
                ),
            ));
        }
    }
    match errors {
        Some(errors) => Err(errors),
        None => Ok(conversions(input, &matched)),
    }
}

fn conversions(input: &Input, matched: &[Matched<'_>]) -> TokenStream {
    let item = &input.item;
    let user = &item.ident;
    let payload = &input.payload;
    let (impl_generics, type_generics, where_clause) = item.generics.split_for_impl();
    // The parameter takes its hygiene from the user's tokens, as do its uses,
    // which sit on the user's fields so a type mismatch points there; one
    // declared in the macro's own expansion would be invisible to them.
    let value = Ident::new("value", item.ident.span());
    let value_at = |field: &Field| Ident::new("value", field.ty.span());
    let into_payload = input.fields.iter().map(|catalog_field| {
        let target = respan(&catalog_field.member, Span::call_site());
        match matched
            .iter()
            .find(|found| std::ptr::eq(found.catalog, catalog_field))
        {
            Some(found) => {
                let source = found.field.ident.as_ref().expect("named");
                let value = value_at(found.field);
                quote_spanned!(found.field.ty.span() => #target: #value.#source)
            }
            None => quote!(#target: ::std::option::Option::None),
        }
    });
    let from_payload = matched.iter().map(|found| {
        let target = found.field.ident.as_ref().expect("named");
        let source = respan(&found.catalog.member, found.field.ty.span());
        let value = value_at(found.field);
        quote_spanned!(found.field.ty.span() => #target: #value.#source)
    });
    quote! {
        #item

        impl #impl_generics ::std::convert::From<#user #type_generics> for #payload #where_clause {
            fn from(#value: #user #type_generics) -> Self {
                Self { #(#into_payload,)* }
            }
        }

        impl #impl_generics ::std::convert::From<#payload> for #user #type_generics #where_clause {
            fn from(#value: #payload) -> Self {
                Self { #(#from_payload,)* }
            }
        }
    }
}

/// `Option<T>`, however the path to it is written.
fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|segment| segment.ident == "Option"))
}

fn closest<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|candidate| (strsim::levenshtein(name, candidate), candidate.as_str()))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 3))
        .min()
        .map(|(_, candidate)| candidate)
}

fn respan(ident: &Ident, span: Span) -> Ident {
    let mut ident = ident.clone();
    ident.set_span(span);
    ident
}
