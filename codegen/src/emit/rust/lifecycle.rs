//! A typed state machine per lifecycle: `ConversationState`, with the
//! transitions the docs list, checked against `DomainEvent`s.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::fields::{member, payload_access};
use crate::emit::markdown::code_span;
use crate::ident;
use crate::ir::{Catalog, Event, Lifecycle};

fn find_event<'c>(catalog: &'c Catalog, name: &str) -> Option<&'c Event> {
    catalog
        .events()
        .map(|(_, event)| event)
        .find(|event| event.name == name)
}

pub fn state_machine(catalog: &Catalog, lifecycle: &Lifecycle) -> TokenStream {
    let name = format_ident!("{}", ident::state_type_name(&lifecycle.family));
    let states = &lifecycle.states;
    let variants: Vec<syn::Ident> = states
        .iter()
        .map(|state| {
            format_ident!(
                "{}",
                ident::rust_variant(state).unwrap_or_else(|| "Unnamed".to_owned())
            )
        })
        .collect();
    let count = proc_macro2::Literal::usize_unsuffixed(states.len());
    let variant_of = |state: &str| {
        variants[states
            .iter()
            .position(|known| known == state)
            .expect("collected above")]
        .clone()
    };
    let event_variant = |event_name: &str| {
        find_event(catalog, event_name).map(|event| format_ident!("{}", event.variant_name()))
    };
    let mut moves = Vec::new();
    let mut forbidden = Vec::new();
    for transition in &lifecycle.transitions {
        let Some(event) = event_variant(&transition.event) else {
            continue;
        };
        let to = variant_of(&transition.to);
        match &transition.from {
            Some(from) => {
                let from = variant_of(from);
                moves.push(quote!((Self::#from, DomainEvent::#event(_)) => ::std::option::Option::Some(Self::#to),));
                forbidden.push(quote!((_, DomainEvent::#event(_)) => ::std::option::Option::None,));
            }
            None => moves.push(
                quote!((_, DomainEvent::#event(_)) => ::std::option::Option::Some(Self::#to),),
            ),
        }
    }
    let payload = payload_access(catalog);
    let initial = lifecycle.initial.iter().filter_map(|(event_name, field)| {
        let event = event_variant(event_name)?;
        let field = find_event(catalog, event_name)?
            .fields
            .iter()
            .find(|candidate| &candidate.name == field)?;
        let field_member = member(field);
        Some(quote!(DomainEvent::#event(envelope) => Self::parse(&envelope.#payload.#field_member.to_string()),))
    });
    let family = &lifecycle.family;
    let doc = format!(
        " The statuses of a {}, and how its events move them.",
        code_span(family)
    );
    let state_docs: Vec<String> = states
        .iter()
        .map(|state| format!(" {}", code_span(state)))
        .collect();
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(
                #[doc = #state_docs]
                #variants,
            )*
        }

        impl #name {
            /// Every status, in the order the docs first name them.
            pub const ALL: [Self; #count] = [#(Self::#variants),*];

            /// The status as the docs write it.
            pub fn as_str(self) -> &'static str {
                match self {
                    #(Self::#variants => #states,)*
                }
            }

            /// The status written as `text`, if it is one.
            pub fn parse(text: &str) -> ::std::option::Option<Self> {
                match text {
                    #(#states => ::std::option::Option::Some(Self::#variants),)*
                    _ => ::std::option::Option::None,
                }
            }

            /// The status an event starts the aggregate in, for events that
            /// carry it (`None` for the others).
            pub fn initial(event: &DomainEvent) -> ::std::option::Option<Self> {
                #[allow(clippy::match_single_binding)]
                match event {
                    #(#initial)*
                    _ => ::std::option::Option::None,
                }
            }

            /// The status after `event`: `None` when the lifecycle forbids the
            /// event in this status; unchanged for events that do not move it.
            pub fn next(self, event: &DomainEvent) -> ::std::option::Option<Self> {
                #[allow(clippy::match_single_binding, unreachable_patterns)]
                match (self, event) {
                    #(#moves)*
                    #(#forbidden)*
                    _ => ::std::option::Option::Some(self),
                }
            }
        }
    }
}
