//! Checks across documents, run after parsing: whatever can disagree with
//! the catalog is compared with it here.

mod data_model;
mod examples;
mod formats;
mod instance;
mod values;

pub use data_model::data_model_agrees;
pub use examples::{example_problems, ExampleInput};
pub use formats::{is_date_time, is_uuid};
pub use instance::instance_problems;
pub use values::ValueChecker;
