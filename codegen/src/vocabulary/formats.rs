//! The string formats evcat knows, and how each is stated to consumers.
//!
//! Validators read `format` each in their own way: AJV with ajv-formats
//! accepts `2025-01-01 00:00:00+0530` as a `date-time`, python-jsonschema's
//! Draft-07 checker has no `uuid` and takes any text with an `@` as an
//! `email`. So beside each `format` whose readings differ, every output
//! states the rule once more as a `pattern`, which all of them read alike;
//! the Rust checks (`validate()`, `evcat validate`, the example checks) apply
//! the same pattern or, where the pattern alone is not the whole rule
//! (calendar days, label lengths, address ranges), a function of
//! `formats.rs` that implies the pattern and adds what it cannot say.

use std::sync::LazyLock;

use regex::Regex;

use super::format_checks as formats;

/// A function of `formats.rs`: whether a text has the format.
pub type FormatCheck = fn(&str) -> bool;

/// One format: its name, the pattern outputs state beside it, and the
/// check evcat runs itself.
#[derive(Debug)]
pub struct Format {
    pub name: &'static str,
    /// Stated as a `pattern` beside the `format` in every schema.
    pub pattern: Option<&'static str>,
    /// The function of `formats.rs` that decides when the pattern alone
    /// does not (its name, as generated crates call it, and the function);
    /// it accepts only texts the pattern matches.
    pub function: Option<(&'static str, FormatCheck)>,
    /// "an RFC 3339 date-time", for messages.
    pub noun: &'static str,
    /// A value every consumer accepts, for synthesized examples.
    pub sample: &'static str,
}

/// RFC 3339 `date-time` with any offset.
pub const DATE_TIME_PATTERN: &str = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$";
/// RFC 3339 `date-time` in UTC: the `timestamp` type and the `RFC3339-UTC` hint.
pub const UTC_PATTERN: &str =
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?[Zz]$";
pub const UUID_PATTERN: &str =
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// Every format evcat checks. Any other `format` is left to consumers, and
/// `evcat check` warns that their verdicts may differ.
pub const FORMATS: &[Format] = &[
    Format {
        name: "date-time",
        pattern: Some(DATE_TIME_PATTERN),
        function: Some(("is_date_time", formats::is_date_time)),
        noun: "an RFC 3339 date-time",
        sample: "2025-11-05T14:00:00Z",
    },
    Format {
        name: "date",
        pattern: None,
        function: Some(("is_date", formats::is_date)),
        noun: "an RFC 3339 full-date",
        sample: "2025-11-05",
    },
    Format {
        name: "time",
        pattern: Some(
            r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$",
        ),
        function: Some(("is_time", formats::is_time)),
        noun: "an RFC 3339 full-time",
        sample: "14:00:00Z",
    },
    Format {
        name: "uuid",
        pattern: Some(UUID_PATTERN),
        function: Some(("is_uuid", formats::is_uuid)),
        noun: "a UUID",
        sample: "6f1c2b7e-3d4a-4f5b-8c9d-0e1f2a3b4c5d",
    },
    Format {
        name: "email",
        pattern: Some(
            r"^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-zA-Z0-9!#$%&'*+/=?^_`{|}~-]+)*@([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$",
        ),
        function: None,
        noun: "an email address",
        sample: "someone@example.com",
    },
    Format {
        name: "hostname",
        pattern: Some(
            r"^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$",
        ),
        function: Some(("is_hostname", formats::is_hostname)),
        noun: "a host name",
        sample: "example.com",
    },
    Format {
        name: "ipv4",
        pattern: None,
        function: Some(("is_ipv4", formats::is_ipv4)),
        noun: "an IPv4 address",
        sample: "192.0.2.1",
    },
    Format {
        name: "ipv6",
        pattern: None,
        function: Some(("is_ipv6", formats::is_ipv6)),
        noun: "an IPv6 address",
        sample: "2001:db8::1",
    },
    Format {
        name: "uri",
        pattern: Some(
            r#"^(?:[a-zA-Z][a-zA-Z0-9+\-.]*:)(?:\/?\/(?:(?:[a-zA-Z0-9\-._~!$&'()*+,;=:]|%[0-9a-fA-F]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-fA-F]{1,4}:){6}|::(?:[0-9a-fA-F]{1,4}:){5}|(?:[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){4}|(?:(?:[0-9a-fA-F]{1,4}:){0,1}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){3}|(?:(?:[0-9a-fA-F]{1,4}:){0,2}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){2}|(?:(?:[0-9a-fA-F]{1,4}:){0,3}[0-9a-fA-F]{1,4})?::[0-9a-fA-F]{1,4}:|(?:(?:[0-9a-fA-F]{1,4}:){0,4}[0-9a-fA-F]{1,4})?::)(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?))|(?:(?:[0-9a-fA-F]{1,4}:){0,5}[0-9a-fA-F]{1,4})?::[0-9a-fA-F]{1,4}|(?:(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{1,4})?::)|[Vv][0-9a-fA-F]+\.[a-zA-Z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)|(?:[a-zA-Z0-9\-._~!$&'()*+,;=]|%[0-9a-fA-F]{2})*)(?::[0-9]*)?(?:\/(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*)*|\/(?:(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+(?:\/(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*)*)?|(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+(?:\/(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})*)*)(?:\?(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-fA-F]{2})*)?(?:#(?:[a-zA-Z0-9\-._~!$&'()*+,;=:@/?]|%[0-9a-fA-F]{2})*)?$"#,
        ),
        function: None,
        noun: "a URI",
        sample: "https://example.com/events",
    },
    Format {
        name: "uri-reference",
        pattern: Some(
            r#"^(?:[a-zA-Z][a-zA-Z0-9+\-.]*:)?(?:\/?\/(?:(?:[a-zA-Z0-9\-._~!$&'()*+,;=:]|%[0-9a-fA-F]{2})*@)?(?:\[(?:(?:(?:(?:[0-9a-fA-F]{1,4}:){6}|::(?:[0-9a-fA-F]{1,4}:){5}|(?:[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){4}|(?:(?:[0-9a-fA-F]{1,4}:){0,1}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){3}|(?:(?:[0-9a-fA-F]{1,4}:){0,2}[0-9a-fA-F]{1,4})?::(?:[0-9a-fA-F]{1,4}:){2}|(?:(?:[0-9a-fA-F]{1,4}:){0,3}[0-9a-fA-F]{1,4})?::[0-9a-fA-F]{1,4}:|(?:(?:[0-9a-fA-F]{1,4}:){0,4}[0-9a-fA-F]{1,4})?::)(?:[0-9a-fA-F]{1,4}:[0-9a-fA-F]{1,4}|(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?))|(?:(?:[0-9a-fA-F]{1,4}:){0,5}[0-9a-fA-F]{1,4})?::[0-9a-fA-F]{1,4}|(?:(?:[0-9a-fA-F]{1,4}:){0,6}[0-9a-fA-F]{1,4})?::)|[Vv][0-9a-fA-F]+\.[a-zA-Z0-9\-._~!$&'()*+,;=:]+)\]|(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)|(?:[a-zA-Z0-9\-._~!$&'"()*+,;=]|%[0-9a-fA-F]{2})*)(?::[0-9]*)?(?:\/(?:[a-zA-Z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-fA-F]{2})*)*|\/(?:(?:[a-zA-Z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-fA-F]{2})+(?:\/(?:[a-zA-Z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-fA-F]{2})*)*)?|(?:[a-zA-Z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-fA-F]{2})+(?:\/(?:[a-zA-Z0-9\-._~!$&'"()*+,;=:@]|%[0-9a-fA-F]{2})*)*)?(?:\?(?:[a-zA-Z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-fA-F]{2})*)?(?:#(?:[a-zA-Z0-9\-._~!$&'"()*+,;=:@/?]|%[0-9a-fA-F]{2})*)?$"#,
        ),
        function: None,
        noun: "a URI reference",
        sample: "/events",
    },
    Format {
        // RFC 6570: literals, and `{…}` expressions of variables with an
        // operator, prefixes (`:3`) and explosion (`*`); ajv-formats' rule.
        name: "uri-template",
        pattern: Some(
            r#"^(?:(?:[^\x00-\x20"'<>%\\^`{|}]|%[0-9a-fA-F]{2})|\{[+#./;?&=,!@|]?(?:[a-zA-Z0-9_]|%[0-9a-fA-F]{2})+(?::[1-9][0-9]{0,3}|\*)?(?:,(?:[a-zA-Z0-9_]|%[0-9a-fA-F]{2})+(?::[1-9][0-9]{0,3}|\*)?)*\})*$"#,
        ),
        function: None,
        noun: "a URI template",
        sample: "https://example.com/events{/id}",
    },
];

/// The format of this name, if evcat knows it.
pub fn format(name: &str) -> Option<&'static Format> {
    FORMATS.iter().find(|format| format.name == name)
}

impl Format {
    /// Whether `text` has this format, as every output states it.
    pub fn holds(&self, text: &str) -> bool {
        static COMPILED: LazyLock<Vec<Option<Regex>>> = LazyLock::new(|| {
            FORMATS
                .iter()
                .map(|format| {
                    let pattern = format.pattern.filter(|_| format.function.is_none());
                    pattern.map(|pattern| Regex::new(pattern).expect("format patterns compile"))
                })
                .collect()
        });
        if let Some((_, check)) = self.function {
            return check(text);
        }
        let index = FORMATS
            .iter()
            .position(|format| std::ptr::eq(format, self))
            .expect("formats come from FORMATS");
        COMPILED[index]
            .as_ref()
            .is_none_or(|regex| regex.is_match(text))
    }
}
