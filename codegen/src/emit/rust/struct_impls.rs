//! `Serialize`, `Deserialize` and `JsonSchema` of a payload or nested
//! struct: one `evcat_runtime::struct_impls!` invocation listing the
//! struct's members, whose impls call code every struct shares instead of a
//! derive's visitor per struct. Same wire format as serde's derives with the
//! attributes evcat used to write (`rename`, optional members `default` and
//! left out when `None`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use super::fields::member;
use crate::ir::Field;

/// One `evcat_runtime::struct_impls!` invocation: the three impls, listing
/// the members. (The schema id always names the module, so a domain
/// module's type never shares one with another domain's.)
pub fn struct_impls(
    name: &syn::Ident,
    fields: &[Field],
    closed: bool,
    schema: &Value,
) -> TokenStream {
    let json = raw_string(&serde_json::to_string(schema).expect("JSON values serialize"));
    let mut named = Vec::new();
    references(schema, &mut named);
    let named = named.iter().map(|target| {
        let ty = format_ident!("{}", target);
        quote!((#target, #ty))
    });
    let members = fields.iter().map(|field| {
        let wire = &field.name;
        let member = member(field);
        // An `Option` member read as absent is `None`, as serde's derive
        // does (optional members, and nullable ones left out); only
        // optional ones are left out when writing.
        let kind = if field.absent_or_null() {
            format_ident!("absent_or_null")
        } else if field.optional && !field.accepts_null() {
            format_ident!("omittable")
        } else if field.optional {
            format_ident!("optional")
        } else if field.nullable {
            format_ident!("nullable")
        } else {
            format_ident!("required")
        };
        quote!(#member = #wire #kind)
    });
    // `additionalProperties: false`: members the struct does not list are
    // refused, as `deny_unknown_fields` would.
    let closed = closed.then(|| quote!(closed,));
    quote! {
        ::evcat_runtime::struct_impls! {
            #name,
            #closed
            schema = #json,
            named = [#(#named),*],
            fields = [#(#members),*],
        }
    }
}

/// The named types a schema refers to, each once, in order of first use.
pub(super) fn references(schema: &Value, found: &mut Vec<String>) {
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
            // Listed values and annotations are data: a `$ref` in them is
            // a member of a value, not a reference.
            object
                .iter()
                .filter(|(keyword, _)| !crate::emit::json_schema::holds_data(keyword))
                .for_each(|(_, inner)| references(inner, found));
        }
        Value::Array(items) => items.iter().for_each(|inner| references(inner, found)),
        _ => {}
    }
}

/// `text` as a raw string literal (`r#"…"#`, with as many `#` as it needs),
/// so the JSON in generated code reads as JSON.
pub(super) fn raw_string(text: &str) -> proc_macro2::Literal {
    let mut hashes = String::new();
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .expect("a raw string literal parses")
}
