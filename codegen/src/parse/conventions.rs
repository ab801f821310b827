//! Field types for names the catalog gives without a type. Documented in the
//! README ("Field types"); a declared type or a data-model value set wins.

use crate::ir::{Field, FieldType, Rules, Scalar};

/// The type a field name implies, with the rules that come with it. The
/// name's words count, not its spelling: `customerId`, `customer-id` and
/// `customer_id` are all ids.
pub fn conventional_type(name: &str) -> (FieldType, Rules) {
    let words = crate::ident::words_in_snake_case(name);
    let name = words.as_str();
    let scalar = |scalar| FieldType::Scalar(scalar);
    if name.ends_with("_ids") {
        (
            FieldType::Array(Box::new(scalar(Scalar::Id))),
            Rules::default(),
        )
    } else if name == "id" || name.ends_with("_id") {
        (scalar(Scalar::Id), Rules::default())
    } else if name.ends_with("_fields") {
        (
            FieldType::Array(Box::new(scalar(Scalar::String))),
            Rules::default(),
        )
    } else if name.ends_with("_at") {
        (scalar(Scalar::Timestamp), Rules::default())
    } else if name.starts_with("is_") || name.starts_with("has_") {
        (scalar(Scalar::Boolean), Rules::default())
    } else if name.ends_with("_count") {
        (
            scalar(Scalar::Integer),
            Rules {
                minimum: Some(0.into()),
                ..Rules::default()
            },
        )
    } else {
        (scalar(Scalar::String), Rules::default())
    }
}

/// The payload field holding the aggregate's own id: `customer_id` for
/// the `Customer` family, or the field among `fields` that spells it
/// another way (`customerId`, `customer-id`), the exact spelling first.
pub fn own_id_field(family: &str, fields: &[Field]) -> String {
    let own = format!("{}_id", crate::ident::words_in_snake_case(family));
    let spelled = || {
        fields
            .iter()
            .find(|field| crate::ident::words_in_snake_case(&field.name) == own)
    };
    match fields
        .iter()
        .find(|field| field.name == own)
        .or_else(spelled)
    {
        Some(field) => field.name.clone(),
        None => own,
    }
}

/// The type names authors may write after `name:`.
pub const TYPE_NAMES: &[(&str, Scalar)] = &[
    ("string", Scalar::String),
    ("id", Scalar::Id),
    ("uuid", Scalar::Uuid),
    ("timestamp", Scalar::Timestamp),
    ("integer", Scalar::Integer),
    ("number", Scalar::Number),
    ("boolean", Scalar::Boolean),
];

/// An E.164 phone number: `+`, then up to 15 digits.
pub const PHONE_PATTERN: &str = r"^\+[1-9][0-9]{1,14}$";
/// A semantic version: `1.2.3`, with optional pre-release and build parts.
pub const SEMVER_PATTERN: &str = r"^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$";

/// Types that are strings with a pattern, and a sample value of each:
/// `phone` (E.164) and `semver`.
pub const PATTERNED_NAMES: &[(&str, &str, &str)] = &[
    ("phone", PHONE_PATTERN, "+13105550100"),
    ("semver", SEMVER_PATTERN, "1.0.0"),
];

/// A declared type name with the rules it brings, and a sample value that
/// satisfies them when a pattern makes one hard to invent.
pub fn named_type_with_rules(name: &str) -> Option<(FieldType, Rules, Option<&'static str>)> {
    if let Some((_, pattern, sample)) = PATTERNED_NAMES.iter().find(|(known, _, _)| *known == name)
    {
        let rules = Rules {
            pattern: Some((*pattern).to_owned()),
            ..Rules::default()
        };
        return Some((FieldType::Scalar(Scalar::String), rules, Some(sample)));
    }
    named_type(name).map(|ty| (ty, Rules::default(), None))
}

/// `object` is a free-form JSON object; the rest are [`TYPE_NAMES`].
pub fn named_type(name: &str) -> Option<FieldType> {
    if name == "object" {
        return Some(FieldType::Object);
    }
    TYPE_NAMES
        .iter()
        .find(|(known, _)| *known == name)
        .map(|(_, scalar)| FieldType::Scalar(*scalar))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_imply_types() {
        let table = [
            ("customer_id", FieldType::Scalar(Scalar::Id)),
            ("id", FieldType::Scalar(Scalar::Id)),
            (
                "participant_ids",
                FieldType::Array(Box::new(FieldType::Scalar(Scalar::Id))),
            ),
            (
                "changed_fields",
                FieldType::Array(Box::new(FieldType::Scalar(Scalar::String))),
            ),
            ("closed_at", FieldType::Scalar(Scalar::Timestamp)),
            ("is_active", FieldType::Scalar(Scalar::Boolean)),
            ("has_consent", FieldType::Scalar(Scalar::Boolean)),
            ("retry_count", FieldType::Scalar(Scalar::Integer)),
            ("reason", FieldType::Scalar(Scalar::String)),
            ("name", FieldType::Scalar(Scalar::String)),
            ("identity", FieldType::Scalar(Scalar::String)),
            ("customerId", FieldType::Scalar(Scalar::Id)),
            ("customer-id", FieldType::Scalar(Scalar::Id)),
            ("createdAt", FieldType::Scalar(Scalar::Timestamp)),
            ("isActive", FieldType::Scalar(Scalar::Boolean)),
            (
                "participantIds",
                FieldType::Array(Box::new(FieldType::Scalar(Scalar::Id))),
            ),
            ("retryCount", FieldType::Scalar(Scalar::Integer)),
            ("ID", FieldType::Scalar(Scalar::Id)),
        ];
        for (name, ty) in table {
            assert_eq!(conventional_type(name).0, ty, "type of {name}");
        }
        assert!(conventional_type("retry_count").1.non_negative());
    }
}
