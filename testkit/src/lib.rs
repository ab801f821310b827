//! What evcat's tests share: jsonschema-rs, the tests' reference
//! validator, behind functions that are not generic; and a PostgreSQL
//! server of a test's own ([`postgres::Cluster`]).
//!
//! jsonschema-rs is generic over its JSON backend, so every crate that
//! builds or runs a validator compiles its whole compiler and every keyword
//! again. Each test crate that did so took about 12 s longer to build (at
//! `opt-level = 2`, evcat's test crates' level). Here it is compiled once,
//! and the test crates call plain functions.

use serde_json::Value;

pub mod postgres;

pub use jsonschema::{Retrieve, Uri};

/// The drafts the tests ask for by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Draft {
    Draft7,
    Draft202012,
}

/// A compiled schema.
pub struct Judge {
    validator: jsonschema::Validator,
}

impl Judge {
    /// A schema of `draft` with the draft's defaults (formats annotate).
    pub fn for_draft(draft: Draft, schema: &Value) -> Result<Self, String> {
        let draft = match draft {
            Draft::Draft7 => jsonschema::Draft::Draft7,
            Draft::Draft202012 => jsonschema::Draft::Draft202012,
        };
        jsonschema::options()
            .with_draft(draft)
            .build(schema)
            .map(|validator| Self { validator })
            .map_err(|error| error.to_string())
    }

    /// A schema whose `$ref`s are resolved against `base_uri` by
    /// `retriever`, formats asserted.
    pub fn with_files(
        schema: &Value,
        base_uri: String,
        retriever: Box<dyn Retrieve>,
    ) -> Result<Self, String> {
        jsonschema::options()
            .should_validate_formats(true)
            .with_base_uri(base_uri)
            .with_retriever(Boxed(retriever))
            .build(schema)
            .map(|validator| Self { validator })
            .map_err(|error| error.to_string())
    }

    pub fn is_valid(&self, instance: &Value) -> bool {
        self.validator.is_valid(instance)
    }
}

struct Boxed(Box<dyn Retrieve>);

impl Retrieve for Boxed {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        self.0.retrieve(uri)
    }
}
