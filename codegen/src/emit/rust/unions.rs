//! A Rust enum per union (`oneOf`/`anyOf`, a `type` list): a variant per
//! branch, read by the member every branch fixes when there is one, else
//! untagged (the first variant the value fits), and checked with the rules
//! of the branch it is.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc::{doc_attrs, doc_lines};
use super::struct_impls::{raw_string, references};
use super::types::{supports_eq, value_type};
use super::validate;
use crate::ir::{Catalog, Field, FieldType, Scalar, UnionTag, UnionType};

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
    // Told apart by a member every branch fixes: read by it (an unknown
    // value is an error naming the member); otherwise the first branch the
    // value fits, in the read order.
    let (derived, tagged_read) = match catalog.union_tag(union) {
        Some(tag) => (
            quote!(::serde::Serialize),
            Some(tagged_read(catalog, union, &name, &tag)),
        ),
        None => (quote!(::serde::Serialize, ::serde::Deserialize), None),
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #eq #derived)]
        #[serde(untagged)]
        pub enum #name {
            #(#members,)*
        }

        #tagged_read

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

/// `Deserialize` for a union told apart by `tag`: the member's value picks
/// the branch, which reads the whole object.
fn tagged_read(
    catalog: &Catalog,
    union: &UnionType,
    name: &proc_macro2::Ident,
    tag: &UnionTag<'_>,
) -> TokenStream {
    let member = tag.member;
    let arms = union
        .variants
        .iter()
        .zip(&tag.values)
        .map(|(variant, value)| {
            let ident = format_ident!("{}", variant.name);
            let ty = value_type(catalog, &variant.ty, variant.rules.non_negative());
            quote! {
                ::std::option::Option::Some(#value) => ::serde_json::from_value::<#ty>(value)
                    .map(Self::#ident)
                    .map_err(<D::Error as ::serde::de::Error>::custom),
            }
        });
    let listed = tag
        .values
        .iter()
        .map(|value| format!("`{value}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let unknown = format!("`{member}` must be one of {listed}");
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#member).and_then(::serde_json::Value::as_str) {
                    #(#arms)*
                    _ => ::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom(#unknown)),
                }
            }
        }
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
        FieldType::Tuple(_) => 9,
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
