//! The format checks of `vocabulary/format_checks.rs`, in JavaScript, for the zod
//! validators: each the same rule as its Rust function, so the package, the
//! generated crate and `evcat validate` give one verdict (the format table
//! of `codegen/tests/formats/values.json` holds all of them to it).

/// A JavaScript function: its name, source, and the functions it calls.
pub struct JsFunction {
    pub name: &'static str,
    pub source: &'static str,
    pub calls: &'static [&'static str],
}

/// The JavaScript function of a format's Rust function (`is_date_time`).
pub fn js_function(rust_name: &str) -> Option<&'static JsFunction> {
    let name = match rust_name {
        "is_date_time" => "isDateTime",
        "is_utc_date_time" => "isUtcDateTime",
        "is_date" => "isDate",
        "is_time" => "isTime",
        "is_uuid" => "isUuid",
        "is_hostname" => "isHostname",
        "is_ipv4" => "isIpv4",
        "is_ipv6" => "isIpv6",
        "is_multiple_of" => "isMultipleOf",
        _ => return None,
    };
    FUNCTIONS.iter().find(|function| function.name == name)
}

/// `names` and every function they call, in source order, once each.
pub fn with_dependencies(names: &[&str]) -> Vec<&'static JsFunction> {
    let mut wanted: Vec<&str> = names.to_vec();
    let mut index = 0;
    while index < wanted.len() {
        if let Some(function) = FUNCTIONS
            .iter()
            .find(|function| function.name == wanted[index])
        {
            for call in function.calls {
                if !wanted.contains(call) {
                    wanted.push(call);
                }
            }
        }
        index += 1;
    }
    FUNCTIONS
        .iter()
        .filter(|function| wanted.contains(&function.name))
        .collect()
}

const FUNCTIONS: &[JsFunction] = &[
    JsFunction {
        name: "isDateTime",
        calls: &[],
        source: r#"/** RFC 3339 `date-time`, with real calendar and clock ranges. */
function isDateTime(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (month < 1 || month > 12 || day === 0 || day > monthDays[month - 1]) return false;
  if (hour > 23 || minute > 59 || second > 59) return false;
  return match[9] === undefined || (Number(match[10]) <= 23 && Number(match[11]) <= 59);
}
"#,
    },
    JsFunction {
        name: "isUtcDateTime",
        calls: &["isDateTime"],
        source: r#"/** RFC 3339 `date-time` in UTC: a date-time whose offset is `Z`. */
function isUtcDateTime(text) {
  return isDateTime(text) && (text.endsWith("Z") || text.endsWith("z"));
}
"#,
    },
    JsFunction {
        name: "isDate",
        calls: &["isDateTime"],
        source: r#"/** RFC 3339 `full-date`: `2025-11-05`, a day of the calendar. */
function isDate(text) {
  return text.length === 10 && isDateTime(`${text}T00:00:00Z`);
}
"#,
    },
    JsFunction {
        name: "isTime",
        calls: &["isDateTime"],
        source: r#"/** RFC 3339 `full-time`: `14:00:00Z`, `14:00:00.5+02:00`. */
function isTime(text) {
  return isDateTime(`2000-01-01T${text}`);
}
"#,
    },
    JsFunction {
        name: "isUuid",
        calls: &[],
        source: r#"/** The `uuid` format: 8-4-4-4-12 hexadecimal digits. */
function isUuid(text) {
  return /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(text);
}
"#,
    },
    JsFunction {
        name: "isHostname",
        calls: &[],
        source: r#"/**
 * A host name (RFC 1123): dot-separated labels of 1 to 63 letters, digits
 * and inner hyphens, at most 253 characters without a final dot.
 */
function isHostname(text) {
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  return (
    name.length > 0 &&
    name.length <= 253 &&
    name.split(".").every((label) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(label))
  );
}
"#,
    },
    JsFunction {
        name: "isIpv4",
        calls: &[],
        source: r#"/** An IPv4 address in dotted-quad form, without leading zeros. */
function isIpv4(text) {
  return /^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$/.test(text);
}
"#,
    },
    JsFunction {
        name: "isIpv6",
        calls: &["isIpv4"],
        source: r#"/**
 * An IPv6 address (RFC 4291 text forms, without a zone): eight groups of
 * one to four hex digits, the last two of which may be an IPv4 address,
 * and one `::` standing for at least one group of zeros.
 */
function isIpv6(text) {
  const groups = (part) => {
    if (part === "") return 0;
    const pieces = part.split(":");
    let count = 0;
    for (const [index, piece] of pieces.entries()) {
      if (index === pieces.length - 1 && isIpv4(piece)) {
        count += 2;
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        count += 1;
      } else {
        return -1;
      }
    }
    return count;
  };
  const halves = text.split("::");
  if (halves.length > 2) return false;
  if (halves.length === 1) return groups(text) === 8;
  const [head, tail] = halves.map(groups);
  if (head < 0 || tail < 0) return false;
  if (head > 0 && /\d+\.\d+\.\d+\.\d+$/.test(halves[0])) return false;
  return head + tail <= 7;
}
"#,
    },
    JsFunction {
        name: "isMultipleOf",
        calls: &[],
        source: r#"/** A whole multiple of `divisor`: exactly for integers, for fractions within the rounding of the division (as the Rust checks decide). */
function isMultipleOf(value, divisor) {
  if (Number.isInteger(value) && Number.isInteger(divisor) && divisor !== 0) return value % divisor === 0;
  const quotient = value / divisor;
  return Number.isFinite(quotient) && Math.abs(quotient - Math.round(quotient)) < 1e-9;
}
"#,
    },
    JsFunction {
        name: "sameJson",
        calls: &[],
        source: r#"/** JSON equality as JSON Schema means it: numbers by value, members in any order. */
function sameJson(left, right) {
  if (Array.isArray(left) || Array.isArray(right)) {
    return Array.isArray(left) && Array.isArray(right) && left.length === right.length
      && left.every((item, index) => sameJson(item, right[index]));
  }
  if (left !== null && right !== null && typeof left === "object" && typeof right === "object") {
    const keys = Object.keys(left);
    return keys.length === Object.keys(right).length
      && keys.every((key) => Object.hasOwn(right, key) && sameJson(left[key], right[key]));
  }
  return left === right;
}
"#,
    },
    JsFunction {
        name: "isListed",
        calls: &["sameJson"],
        source: r#"/** Whether the value is one of an `enum`'s values, as JSON values. */
function isListed(value, listed) {
  return listed.some((allowed) => sameJson(allowed, value));
}
"#,
    },
    JsFunction {
        name: "hasUniqueItems",
        calls: &["sameJson"],
        source: r#"/** No two items of the array are equal as JSON values. */
function hasUniqueItems(items) {
  return items.every((item, index) => items.slice(0, index).every((earlier) => !sameJson(earlier, item)));
}
"#,
    },
];
