//! IR field types → Rust types.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{Catalog, Field, FieldType, Scalar, StructId};

pub fn rust_type(catalog: &Catalog, field: &Field) -> TokenStream {
    let mut inner = value_type(catalog, &field.ty, field.rules.non_negative());
    if let FieldType::Struct(id) = field.ty {
        // `next?: Node` inside `Node`: a value of itself needs a pointer.
        if (field.optional || field.nullable) && catalog.is_recursive(id) {
            inner = quote!(::std::boxed::Box<#inner>);
        }
    }
    if field.absent_or_null() {
        quote!(::std::option::Option<::std::option::Option<#inner>>)
    } else if field.optional || field.nullable {
        quote!(::std::option::Option<#inner>)
    } else {
        inner
    }
}

pub(super) fn value_type(catalog: &Catalog, ty: &FieldType, non_negative: bool) -> TokenStream {
    match ty {
        FieldType::Scalar(Scalar::String | Scalar::Id | Scalar::Uuid | Scalar::Timestamp) => {
            quote!(::std::string::String)
        }
        FieldType::Scalar(Scalar::Integer) if non_negative => quote!(u64),
        FieldType::Scalar(Scalar::Integer) => quote!(i64),
        FieldType::Scalar(Scalar::Number) => quote!(f64),
        FieldType::Scalar(Scalar::Boolean) => quote!(bool),
        FieldType::Array(item) => {
            let item = value_type(catalog, item, false);
            quote!(::std::vec::Vec<#item>)
        }
        FieldType::Enum(id) => {
            let name = format_ident!("{}", catalog.enum_type(*id).name);
            quote!(#name)
        }
        FieldType::Object => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        FieldType::Map(value) => {
            let value = value_type(catalog, value, false);
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
        FieldType::Struct(id) => {
            let name = format_ident!("{}", catalog.struct_type(*id).name);
            // An envelope object on the way to the payload holds it.
            let generic = catalog.holds_payload(*id).then(|| quote!(<P>));
            quote!(#name #generic)
        }
        FieldType::Null => quote!(()),
        FieldType::Any => quote!(::serde_json::Value),
        // serde reads a tuple from an array of exactly its items.
        FieldType::Tuple(items) => {
            let items = items.iter().map(|item| value_type(catalog, item, false));
            quote!((#(#items,)*))
        }
        FieldType::Union(id) => {
            let name = format_ident!("{}", catalog.union_type(*id).name);
            quote!(#name)
        }
    }
}

/// `f64` has no total equality; everything else we generate has, and so
/// has a nested object whose fields all have.
pub fn supports_eq(catalog: &Catalog, ty: &FieldType) -> bool {
    supports_eq_within(catalog, ty, &mut Vec::new())
}

/// [`supports_eq`], not entering an object type twice (types may nest themselves).
fn supports_eq_within(catalog: &Catalog, ty: &FieldType, seen: &mut Vec<StructId>) -> bool {
    match ty {
        FieldType::Scalar(Scalar::Number) => false,
        FieldType::Array(item) | FieldType::Map(item) => supports_eq_within(catalog, item, seen),
        FieldType::Union(id) => catalog
            .union_type(*id)
            .variants
            .iter()
            .all(|variant| supports_eq_within(catalog, &variant.ty, seen)),
        FieldType::Struct(id) if seen.contains(id) => true,
        FieldType::Struct(id) => {
            seen.push(*id);
            catalog
                .struct_type(*id)
                .fields
                .iter()
                .all(|field| supports_eq_within(catalog, &field.ty, seen))
        }
        _ => true,
    }
}

/// The derives of a generated struct holding these fields. Only the
/// envelope derives serde's traits (it is one generic type); payloads and
/// nested types get theirs from [`super::struct_impls`], a few lines each.
/// `Debug` is left out when a field is personal data: [`super::fields::redacting_debug`]
/// writes it instead.
pub fn derives(catalog: &Catalog, fields: &[&Field], serde: bool) -> TokenStream {
    let debug = (!fields.iter().any(|field| field.pii)).then(|| quote!(Debug,));
    let eq = fields
        .iter()
        .all(|field| supports_eq(catalog, &field.ty))
        .then(|| quote!(Eq,));
    let serde = serde.then(|| quote!(::serde::Serialize, ::serde::Deserialize,));
    quote!(#[derive(#debug Clone, PartialEq, #eq #serde)])
}
