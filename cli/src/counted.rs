//! Counts in the command line's summaries, with the noun in the right
//! number (`1 event`, `2 events`).

/// `count` followed by `one` or `many`.
pub fn counted(count: u64, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}
