//! A Rust enum per value set, serialized as its wire strings.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::doc::{doc_attrs, doc_lines};
use crate::emit::markdown::code_span;
use crate::ident;
use crate::ir::EnumType;

pub fn enum_type(enum_type: &EnumType) -> TokenStream {
    let name = format_ident!("{}", enum_type.name);
    let values: Vec<&str> = enum_type
        .variants
        .iter()
        .map(|variant| variant.value.as_str())
        .collect();
    let variants: Vec<syn::Ident> = values
        .iter()
        .map(|value| {
            format_ident!(
                "{}",
                ident::rust_variant(value).expect("enum values are checked to name a variant")
            )
        })
        .collect();
    let variant_docs = values.iter().map(|value| doc_lines(&[code_span(value)]));
    let doc = if enum_type.doc.is_empty() {
        let listed: Vec<String> = values.iter().map(|value| code_span(value)).collect();
        doc_lines(&[format!("One of {}.", listed.join(", "))])
    } else {
        doc_attrs(&[(None, &enum_type.doc)])
    };
    let count = proc_macro2::Literal::usize_unsuffixed(values.len());
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize, ::schemars::JsonSchema)]
        pub enum #name {
            #(
                #variant_docs
                #[serde(rename = #values)]
                #variants,
            )*
        }

        impl #name {
            /// Every value, in catalog order.
            pub const ALL: [Self; #count] = [#(Self::#variants),*];

            /// The value as it is written on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    #(Self::#variants => #values,)*
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}
