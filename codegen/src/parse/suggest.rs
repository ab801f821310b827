//! "Did you mean …?" for names that are one or two letters off a known one.

/// The known name closest to `name`, when it is at most two edits away.
pub fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|candidate| (strsim::levenshtein(name, candidate), candidate))
        .min()
        .filter(|(distance, _)| *distance <= 2)
        .map(|(_, candidate)| candidate)
}

/// A help line: the closest known name, or else the whole list.
pub fn help(name: &str, known: &[&str], listed_as: &str) -> String {
    match closest(name, known.iter().copied()) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("{listed_as} {}", known.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_suggested_and_far_ones_are_not() {
        let known = ["aggregate_id", "aggregate_type", "event_id"];
        assert_eq!(closest("agregate_id", known), Some("aggregate_id"));
        assert_eq!(closest("event_idd", known), Some("event_id"));
        assert_eq!(closest("stream", known), None);
        assert_eq!(
            help("stream", &known, "the roles are"),
            "the roles are aggregate_id, aggregate_type, event_id"
        );
    }
}
