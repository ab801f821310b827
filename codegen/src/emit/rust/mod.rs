//! The Rust backend: one self-contained module (`events.rs`) with a payload
//! struct per event, the enums, `Envelope<P>` and `DomainEvent`.
//!
//! Built as tokens with quote and printed by prettyplease, so the output is
//! always valid Rust and formatted the same way on every machine.

mod contract;
mod doc;
mod domain_event;
mod enums;
mod envelope;
mod fields;
pub(crate) mod lifecycle;
mod outbox;
mod payloads;
mod struct_impls;
mod structs;
mod types;
mod unions;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Catalog, EnumType, Event, Family, StructType, UnionType};

/// One top-level item of the module, in output order.
enum Item<'a> {
    EventTrait,
    Validation,
    Envelope,
    Enum(&'a EnumType),
    Struct(&'a StructType),
    Union(&'a UnionType),
    /// The payload struct with its `Event` and `From` impls.
    Payload(&'a Family, &'a Event),
    /// A domain's payloads whose type names another domain shares.
    Module(&'a str, Vec<(&'a Family, &'a Event)>),
    DomainEvent,
    DomainEventImpl,
    DomainEventValidate,
    Outbox,
    Lifecycle(&'a crate::ir::Lifecycle),
    Serialize,
    Deserialize,
}

impl Item<'_> {
    fn tokens(&self, catalog: &Catalog) -> TokenStream {
        match self {
            Item::EventTrait => quote! {
                /// What every payload type knows about its event.
                pub trait Event {
                    /// The event's name on the wire, as the catalog writes it.
                    const EVENT_NAME: &'static str;
                    /// The event's family, the wire value of the aggregate type.
                    const AGGREGATE_TYPE: &'static str;
                    /// The event's schema version as the catalog declares it.
                    /// Not the envelope's `version`, which counts an aggregate's events.
                    const SCHEMA_VERSION: &'static str;
                    /// The major number of [`Event::SCHEMA_VERSION`]: it changes
                    /// with every breaking change to the event.
                    const SCHEMA_MAJOR: u64;
                }
            },
            Item::Validation => validate::support_items(),
            Item::Envelope => {
                let envelope = envelope::envelope(catalog);
                let rules = validate::envelope_impl(catalog);
                quote!(#envelope #rules)
            }
            Item::Enum(enum_type) => enums::enum_type(enum_type),
            Item::Struct(nested) => structs::struct_items(catalog, nested),
            Item::Union(union) => unions::union_items(catalog, union),
            Item::Payload(family, event) => payload_items(catalog, family, event),
            Item::Module(module, events) => {
                let name: syn::Ident =
                    syn::parse_str(module).expect("module names are identifiers");
                let doc = format!(
                    " The `{module}` domain's events whose type names other domains use too."
                );
                let items = events
                    .iter()
                    .map(|(family, event)| payload_items(catalog, family, event));
                quote! {
                    #[doc = #doc]
                    pub mod #name {
                        use super::*;
                        #(#items)*
                    }
                }
            }
            Item::DomainEvent => domain_event::enum_item(catalog),
            Item::DomainEventImpl => domain_event::inherent_impl(catalog),
            Item::DomainEventValidate => validate::domain_event_impl(catalog),
            Item::Outbox => outbox::outbox_impl(catalog),
            Item::Lifecycle(lifecycle) => lifecycle::state_machine(catalog, lifecycle),
            Item::Serialize => domain_event::serialize_impl(catalog),
            Item::Deserialize => domain_event::deserialize_impl(catalog),
        }
    }
}

fn payload_items(catalog: &Catalog, family: &Family, event: &Event) -> TokenStream {
    let payload = payloads::payload(catalog, family, event);
    let rules = validate::payload_impl(catalog, event);
    let from = domain_event::from_envelope(event);
    let contract = contract::table_macro(catalog, event);
    quote!(#payload #rules #from #contract)
}

/// The generated module's source text.
pub fn generate(catalog: &Catalog) -> String {
    let mut items = vec![Item::EventTrait, Item::Validation, Item::Envelope];
    items.extend(catalog.enums.iter().map(Item::Enum));
    items.extend(catalog.structs.iter().map(Item::Struct));
    items.extend(catalog.unions.iter().map(Item::Union));
    // A domain module's events are printed together, after the other payloads.
    let mut modules: Vec<Item<'_>> = Vec::new();
    for (family, event) in catalog.events() {
        match &event.module {
            None => items.push(Item::Payload(family, event)),
            Some(module) => match modules
                .iter_mut()
                .find(|item| matches!(item, Item::Module(name, _) if name == module))
            {
                Some(Item::Module(_, events)) => events.push((family, event)),
                _ => modules.push(Item::Module(module, vec![(family, event)])),
            },
        }
    }
    items.extend(modules);
    items.extend([
        Item::DomainEvent,
        Item::DomainEventImpl,
        Item::DomainEventValidate,
        Item::Serialize,
        Item::Deserialize,
        Item::Outbox,
    ]);
    items.extend(catalog.lifecycles.iter().map(Item::Lifecycle));
    let file_name = crate::emit::source_file_name(catalog);
    let header =
        format!("// @generated by evcat from {file_name}. Edit the catalog, not this file.\n\n");
    header + &print_all(catalog, &items)
}

/// Prints every item, spread over the machine's cores.
///
/// Token streams cannot cross threads, so each thread builds its items' tokens
/// from the shared IR. Items are dealt round-robin (the large `DomainEvent`
/// items land on different cores) and put back in order by index, so the
/// output does not depend on the core count. Printing item by item keeps
/// memory bounded by the largest item rather than the whole catalog.
fn print_all(catalog: &Catalog, items: &[Item<'_>]) -> String {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, items.len().max(1));
    let mut printed = vec![String::new(); items.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|first| {
                scope.spawn(move || {
                    let mine = items.iter().enumerate().skip(first).step_by(threads);
                    mine.map(|(index, item)| (index, print(item.tokens(catalog))))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            for (index, text) in worker.join().expect("printing an item does not panic") {
                printed[index] = text;
            }
        }
    });
    // Pieces are dropped as they are copied, so the module is not held twice.
    let mut module = String::with_capacity(printed.iter().map(String::len).sum());
    for piece in printed {
        module.push_str(&piece);
    }
    module
}

/// Formats one item (or a few that belong together).
fn print(tokens: TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("the Rust backend emits valid items");
    prettyplease::unparse(&file)
}

/// `index.rs`: the module that brings the catalogs' Rust in. A lone
/// catalog's items are re-exported at the root; several catalogs are a
/// module each (`domain_events::messaging::…`). The crate re-exports it at
/// its root (`pub use generated::*`), which is where the contract tables
/// find the macro crate.
pub fn index(modules: &[Option<&str>]) -> String {
    let contract = quote! {
        /// Ties a hand-written struct to a catalog event: `#[contract(OrderPlaced)]`.
        pub use ::evcat_runtime::contract;
        #[doc(hidden)]
        pub use ::evcat_runtime::macros as __evcat_macros;
    };
    let items = modules.iter().map(|module| match module {
        None => quote! {
            #[path = "rust/events.rs"]
            mod events;
            pub use events::*;
        },
        Some(module) => {
            let path = format!("{module}/rust/events.rs");
            let ident: syn::Ident = syn::parse_str(module).expect("module names are identifiers");
            let doc = format!(" The `{module}` catalog.");
            quote! {
                #[doc = #doc]
                #[path = #path]
                pub mod #ident;
            }
        }
    });
    let file: syn::File =
        syn::parse2(quote!(#contract #(#items)*)).expect("the index is valid Rust");
    format!(
        "// @generated by evcat: the catalogs of this crate.\n\n{}",
        prettyplease::unparse(&file)
    )
}
