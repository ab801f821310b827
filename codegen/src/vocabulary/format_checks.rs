//! The string formats evcat checks itself. This file is also the source of
//! the same functions in generated crates (`emit::rust::validate` parses it),
//! so the CLI, the example checks and `validate()` cannot disagree; keep it
//! free of imports, and spell library items by full path (`::core::…`): a
//! catalog event may be named like a prelude type.

/// Whether `value` is a whole multiple of `divisor`: exactly for integers;
/// for fractions within the rounding of the division
/// (`0.0075` is a multiple of `0.0001`), as jsonschema-rs decides. Shared by
/// every Rust check (the generated `validate()` too) and written the same
/// way in JavaScript.
pub fn is_multiple_of(value: f64, divisor: f64) -> bool {
    if value.fract() == 0.0 && divisor.fract() == 0.0 && divisor != 0.0 {
        return value % divisor == 0.0;
    }
    let quotient = value / divisor;
    quotient.is_finite() && (quotient - quotient.round()).abs() < 1e-9
}

/// RFC 3339 `date-time`, with real calendar and clock ranges.
pub fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |start: usize, end: usize| -> ::core::option::Option<u32> {
        let part = bytes.get(start..end)?;
        part.iter().try_fold(0u32, |value, byte| {
            byte.is_ascii_digit()
                .then(|| value * 10 + u32::from(byte - b'0'))
        })
    };
    if bytes.len() < 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || !matches!(bytes[10], b'T' | b't')
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return false;
    }
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        digits(0, 4),
        digits(5, 7),
        digits(8, 10),
        digits(11, 13),
        digits(14, 16),
        digits(17, 19),
    ) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1..=12).contains(&month)
        || day == 0
        || day > month_days[month as usize - 1]
        || hour > 23
        || minute > 59
        || second > 59
    {
        return false;
    }
    let mut rest = &bytes[19..];
    if let [b'.', fraction @ ..] = rest {
        let count = fraction
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', _, _, b':', _, _] => {
            let end = bytes.len();
            matches!(
                (digits(end - 5, end - 3), digits(end - 2, end)),
                (Some(hours), Some(minutes)) if hours <= 23 && minutes <= 59
            )
        }
        _ => false,
    }
}

/// The `uuid` format: 8-4-4-4-12 hexadecimal digits.
pub fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

/// RFC 3339 `date-time` in UTC: a date-time whose offset is `Z`.
pub fn is_utc_date_time(text: &str) -> bool {
    is_date_time(text) && (text.ends_with('Z') || text.ends_with('z'))
}

/// RFC 3339 `full-date`: `2025-11-05`, a day of the calendar.
pub fn is_date(text: &str) -> bool {
    let mut probe = ::std::string::String::with_capacity(20);
    probe.push_str(text);
    probe.push_str("T00:00:00Z");
    text.len() == 10 && is_date_time(&probe)
}

/// RFC 3339 `full-time`: `14:00:00Z`, `14:00:00.5+02:00`.
pub fn is_time(text: &str) -> bool {
    let mut probe = ::std::string::String::from("2000-01-01T");
    probe.push_str(text);
    is_date_time(&probe)
}

/// A host name (RFC 1123): dot-separated labels of 1 to 63 letters, digits
/// and inner hyphens, at most 253 characters without a final dot.
pub fn is_hostname(text: &str) -> bool {
    let name = text.strip_suffix('.').unwrap_or(text);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            let bytes = label.as_bytes();
            !bytes.is_empty()
                && bytes.len() <= 63
                && bytes[0] != b'-'
                && bytes[bytes.len() - 1] != b'-'
                && bytes
                    .iter()
                    .all(|byte| byte.is_ascii_alphanumeric() || *byte == b'-')
        })
}

/// An IPv4 address in dotted-quad form, without leading zeros.
pub fn is_ipv4(text: &str) -> bool {
    text.parse::<::core::net::Ipv4Addr>().is_ok()
}

/// An IPv6 address (RFC 4291 text forms, without a zone).
pub fn is_ipv6(text: &str) -> bool {
    text.parse::<::core::net::Ipv6Addr>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_follow_rfc_3339_and_the_calendar() {
        for valid in [
            "2025-01-31T23:59:59Z",
            "2024-02-29T00:00:00z",
            "2000-02-29t12:30:00.123456+05:30",
            "2025-06-01T08:00:00-23:59",
        ] {
            assert!(is_date_time(valid), "{valid}");
        }
        for invalid in [
            "2025-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-04-31T00:00:00Z",
            "2025-01-01T24:00:00Z",
            "2025-01-01T00:60:00Z",
            "2025-01-01T00:00:00",
            "2025-01-01T00:00:00.Z",
            "2025-01-01 00:00:00Z",
            "2025-01-01T00:00:00+24:00",
            "2025-01-01T00:00:00+0530",
            "２０２５-01-01T00:00:00Z",
        ] {
            assert!(!is_date_time(invalid), "{invalid}");
        }
    }

    #[test]
    fn uuids_are_8_4_4_4_12_hex_digits() {
        assert!(is_uuid("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(is_uuid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
        assert!(!is_uuid("0f8fad5bd9cb469fa16570867728950e"));
        assert!(!is_uuid("0f8fad5b-d9cb-469f-a165-70867728950"));
        assert!(!is_uuid("0f8fad5b-d9cb-469f-a165-70867728950g"));
        assert!(!is_uuid("0f8fad5b-d9cb-469f-a16-570867728950e"));
    }
}
