//! Checks across documents, run after parsing: whatever can disagree with
//! the catalog is compared with it here.

mod data_model;
mod examples;
mod instance;
mod lifecycles;
mod values;

pub use data_model::data_model_agrees;
pub use examples::{example_problems, ExampleInput};
pub use instance::instance_problems;
pub use lifecycles::states_are_status_values;
pub use values::ValueChecker;
