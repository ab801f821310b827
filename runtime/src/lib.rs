//! What the Rust code [evcat](https://crates.io/crates/evcat) generates
//! shares, so that each event costs a few lines to compile rather than a
//! derive's worth of code (as `prost` is to `prost-build`).
//!
//! - [`struct_impls!`]: what evcat writes beside each generated struct in
//!   place of serde's and schemars' derives.
//! - [`Field`], [`serialize_struct`], [`deserialize_struct`] and
//!   [`required`]: every generated struct's `Serialize` and `Deserialize`
//!   impls call these, and one visitor reads every struct. The impls work
//!   with any serde format, as derived ones do.
//! - [`json_schema`]: every generated struct's `schemars::JsonSchema` is the
//!   schema evcat emitted for it, with the named types it refers to added to
//!   the generator's definitions.
//! - [`contract`]: ties a hand-written struct to a catalog event.
//!
//! Generated code calls these; they are public for it, and stable within a
//! minor version of evcat.

mod impls;
mod schema;
mod structs;

pub use schema::{json_schema, subschema, SubschemaFn};
pub use structs::{
    deserialize_not_null, deserialize_struct, not_null, required, serialize_struct, Field, Slot,
};

/// Ties a hand-written struct to a catalog event: `#[contract(OrderPlaced)]`.
pub use evcat_macros::contract;

/// The macro crate, for the contract tables in generated code.
#[doc(hidden)]
pub use evcat_macros as macros;
