//! `Serialize`, `Deserialize` and `JsonSchema` of a payload or nested
//! struct, through `evcat-runtime`: each impl lists the struct's members and
//! calls code every struct shares, instead of a derive's visitor per struct.
//! Same wire format as serde's derives with the attributes evcat used to
//! write (`rename`, optional members `default` and left out when `None`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::fields::member;
use crate::ir::Field;

/// `in_module`: the type is in a domain module, where its name may also
/// be another domain's, so its schema id names the module.
pub fn struct_impls(
    name: &syn::Ident,
    fields: &[Field],
    schema: &Value,
    in_module: bool,
) -> TokenStream {
    let serialize = serialize_impl(name, fields);
    let deserialize = deserialize_impl(name, fields);
    let json_schema = json_schema_impl(name, schema, in_module);
    quote!(#serialize #deserialize #json_schema)
}

fn serialize_impl(name: &syn::Ident, fields: &[Field]) -> TokenStream {
    let type_name = name.to_string();
    let members = fields.iter().map(|field| {
        let wire = &field.name;
        let member = member(wire);
        if field.optional {
            quote!(::evcat_runtime::Field::optional(#wire, &self.#member))
        } else {
            quote!(::evcat_runtime::Field::new(#wire, &self.#member))
        }
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                ::evcat_runtime::serialize_struct(serializer, #type_name, &[#(#members),*])
            }
        }
    }
}

fn deserialize_impl(name: &syn::Ident, fields: &[Field]) -> TokenStream {
    let type_name = name.to_string();
    let slots: Vec<syn::Ident> = (0..fields.len())
        .map(|index| format_ident!("slot_{index}"))
        .collect();
    // Each slot's type is inferred from the member it fills.
    let declarations = slots
        .iter()
        .map(|slot| quote!(let mut #slot = ::std::option::Option::None;));
    let wires = fields.iter().map(|field| &field.name);
    let required = fields
        .iter()
        .map(|field| !(field.optional || field.nullable));
    let values = fields.iter().zip(&slots).map(|(field, slot)| {
        let member = member(&field.name);
        let wire = &field.name;
        // An `Option` member read as absent is `None`, as serde's derive
        // does (optional members, and nullable ones left out).
        if field.optional || field.nullable {
            quote!(#member: #slot.flatten())
        } else {
            quote!(#member: ::evcat_runtime::required::<D::Error, _>(#slot, #wire)?)
        }
    });
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                #(#declarations)*
                ::evcat_runtime::deserialize_struct(
                    deserializer,
                    #type_name,
                    &[#(#wires),*],
                    &[#(#required),*],
                    &mut [#(&mut #slots),*],
                )?;
                ::std::result::Result::Ok(Self { #(#values),* })
            }
        }
    }
}

/// The schema evcat emits for the type, with each named type it refers to
/// resolved through the generator.
fn json_schema_impl(name: &syn::Ident, schema: &Value, in_module: bool) -> TokenStream {
    let type_name = name.to_string();
    let json = raw_string(&serde_json::to_string(schema).expect("JSON values serialize"));
    let mut named = Vec::new();
    references(schema, &mut named);
    let table = named.iter().map(|target| {
        let ty = format_ident!("{}", target);
        quote!((#target, ::evcat_runtime::subschema::<#ty>))
    });
    let schema_id = in_module.then(|| {
        quote! {
            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(::std::concat!(::std::module_path!(), "::", #type_name))
            }
        }
    });
    quote! {
        impl ::schemars::JsonSchema for #name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(#type_name)
            }
            #schema_id
            fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::evcat_runtime::json_schema(generator, #json, &[#(#table),*])
            }
        }
    }
}

/// The named types a schema refers to, each once, in order of first use.
fn references(schema: &Value, found: &mut Vec<String>) {
    match schema {
        Value::Object(object) => {
            let target = object
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| reference.rsplit('/').next());
            if let Some(target) = target {
                if !found.iter().any(|known| known == target) {
                    found.push(target.to_owned());
                }
            }
            object.values().for_each(|inner| references(inner, found));
        }
        Value::Array(items) => items.iter().for_each(|inner| references(inner, found)),
        _ => {}
    }
}

/// `text` as a raw string literal (`r#"…"#`, with as many `#` as it needs),
/// so the JSON in generated code reads as JSON.
fn raw_string(text: &str) -> proc_macro2::Literal {
    let mut hashes = String::new();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .expect("a raw string literal parses")
}
