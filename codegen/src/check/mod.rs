//! Checks across documents, run after parsing: whatever can disagree with
//! the catalog is compared with it here.

mod data_model;
mod examples;
mod format_rules;
mod formats;
mod instance;
mod lifecycles;
mod values;

pub use data_model::data_model_agrees;
pub use examples::{example_problems, ExampleInput};
pub use format_rules::{format, Format, FORMATS, UTC_PATTERN, UUID_PATTERN};
pub use formats::{is_multiple_of, is_utc_date_time, is_uuid};
pub use instance::instance_problems;
pub use lifecycles::states_are_status_values;
pub use values::{is_whole, listed, same_json, ValueChecker};
