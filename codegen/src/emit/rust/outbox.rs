//! `DomainEvent`'s outbox: the statements of the table `sql/outbox.sql`
//! declares, for the runtime's typed writer and reader.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::sql;
use crate::ir::Catalog;

pub fn outbox_impl(catalog: &Catalog) -> TokenStream {
    let table = sql::OutboxTable::of(catalog);
    let name = table.quoted_name();
    let insert = sql::insert(catalog, &table);
    let read_after = sql::read_after(&table);
    quote! {
        impl ::evcat_runtime::outbox::OutboxEvent for DomainEvent {
            const OUTBOX: ::evcat_runtime::outbox::Outbox = ::evcat_runtime::outbox::Outbox {
                table: #name,
                insert: #insert,
                read_after: #read_after,
            };
            fn outbox_violations(&self) -> ::std::vec::Vec<::std::string::String> {
                self.validate()
                    .iter()
                    .map(::std::string::ToString::to_string)
                    .collect()
            }
        }
    }
}
