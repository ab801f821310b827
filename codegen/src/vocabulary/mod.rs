//! What JSON Schema's value keywords mean to evcat: the formats it knows
//! and checks, and how values compare. The one place the parser, the
//! checks, the stream checker and every backend read it from.

mod format_checks;
mod formats;
mod values;

pub use format_checks::{is_multiple_of, is_utc_date_time, is_uuid};
pub use formats::{format, Format, FORMATS, UTC_PATTERN, UUID_PATTERN};
pub use values::{is_whole, listed, same_json};
