//! A Rust enum per union (`oneOf`/`anyOf`, a `type` list): a variant per
//! branch, read untagged (the first variant the value fits), and checked
//! with the rules of the branch it is.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc::{doc_attrs, doc_lines};
use super::struct_impls::{raw_string, references};
use super::types::{supports_eq, value_type};
use super::validate;
use crate::ir::{Catalog, Field, FieldType, Scalar, UnionType};

pub fn union_items(catalog: &Catalog, union: &UnionType) -> TokenStream {
    let name = format_ident!("{}", union.name);
    let doc = if union.doc.is_empty() {
        let keyword = if union.exclusive { "oneOf" } else { "anyOf" };
        doc_lines(&[format!(
            "A value of one of several types (the schema's `{keyword}`)."
        )])
    } else {
        doc_attrs(&[(None, &union.doc)])
    };
    let variants = read_order(union);
    let members = variants.iter().map(|variant| {
        let ident = format_ident!("{}", variant.name);
        let ty = value_type(catalog, &variant.ty, variant.rules.non_negative());
        let doc = doc_attrs(&[(None, &variant.doc)]);
        quote!(#doc #ident(#ty))
    });
    let eq = supports_eq(catalog, &FieldType::Union(catalog.union_id(union))).then(|| quote!(Eq,));
    let schema = crate::emit::json_schema::union_schema(catalog, union);
    let json = raw_string(&serde_json::to_string(&schema).expect("JSON values serialize"));
    let mut named = Vec::new();
    references(&schema, &mut named);
    let named = named.iter().map(|target| {
        let ty = format_ident!("{}", target);
        quote!((#target, ::evcat_runtime::subschema::<#ty>))
    });
    let rules = validate::union_impl(catalog, union, &variants);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #eq ::serde::Serialize, ::serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#members,)*
        }

        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(::core::stringify!(#name))
            }

            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(::core::concat!(
                    ::core::module_path!(),
                    "::",
                    ::core::stringify!(#name)
                ))
            }

            fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::evcat_runtime::json_schema(generator, #json, &[#(#named),*])
            }
        }

        #rules
    }
}

/// The branches in the order serde tries them: a value is read as the first
/// variant it fits, so the narrower Rust types come first (`5` stays an
/// integer before a number could take it; a value set before any string),
/// objects and arrays after, each group in the schema's order.
pub fn read_order(union: &UnionType) -> Vec<&Field> {
    let rank = |ty: &FieldType| match ty {
        FieldType::Null => 0,
        FieldType::Any => 11,
        FieldType::Scalar(Scalar::Boolean) => 1,
        FieldType::Scalar(Scalar::Integer) => 2,
        FieldType::Scalar(Scalar::Number) => 3,
        FieldType::Enum(_) => 4,
        FieldType::Scalar(_) => 5,
        FieldType::Struct(_) => 6,
        FieldType::Map(_) => 7,
        FieldType::Object => 8,
        FieldType::Array(_) => 9,
        FieldType::Union(_) => 10,
    };
    let mut variants: Vec<&Field> = union.variants.iter().collect();
    variants.sort_by_key(|variant| rank(&variant.ty));
    variants
}
