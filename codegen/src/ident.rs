//! Every conversion from a catalog name to an identifier, for every backend.
//!
//! Wire names never change: when an identifier has to differ from the name
//! on the wire (a keyword, a non-snake-case envelope property), the backend
//! is told the wire name to rename to.

use heck::{ToKebabCase, ToLowerCamelCase, ToSnakeCase, ToUpperCamelCase};

/// The Rust member of an open envelope that keeps the members its schema
/// does not name; no envelope field may take it.
pub const ENVELOPE_EXTENSIONS: &str = "extensions";

/// Type names the Rust backend defines itself; an event or enum may not use them.
pub const RESERVED_TYPE_NAMES: &[&str] = &["DomainEvent", "Envelope", "Event"];

/// `CustomerCreated`: an ASCII letter in upper case, then letters and digits.
pub fn is_pascal_case(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|first| first.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
}

/// `customer_id`: lower-case ASCII words joined by single underscores.
pub fn is_snake_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.split('_').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// The PascalCase spelling a user probably meant, when there is a valid one.
pub fn suggest_pascal_case(name: &str) -> Option<String> {
    Some(name.to_upper_camel_case()).filter(|suggestion| is_pascal_case(suggestion))
}

/// A naming convention a team may hold its catalog's names to
/// (`evcat.toml` `[lint]`); the catalog language itself takes any key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    Snake,
    Camel,
    Pascal,
    Kebab,
}

impl Case {
    pub const ALL: [Case; 4] = [Case::Snake, Case::Camel, Case::Pascal, Case::Kebab];

    /// How `evcat.toml` names it.
    pub fn key(self) -> &'static str {
        match self {
            Case::Snake => "snake_case",
            Case::Camel => "camelCase",
            Case::Pascal => "PascalCase",
            Case::Kebab => "kebab-case",
        }
    }

    pub fn from_key(key: &str) -> Option<Case> {
        Self::ALL.into_iter().find(|case| case.key() == key)
    }

    /// Whether a name is written in this convention: ASCII letters and
    /// digits, starting with a letter, words joined as the convention joins
    /// them, and unchanged by converting it (`userID` is not camelCase:
    /// `userId` is).
    pub fn fits(self, name: &str) -> bool {
        let separator = match self {
            Case::Snake => Some('_'),
            Case::Kebab => Some('-'),
            Case::Camel | Case::Pascal => None,
        };
        let first_fits = name.chars().next().is_some_and(|first| match self {
            Case::Pascal => first.is_ascii_uppercase(),
            _ => first.is_ascii_lowercase(),
        });
        let chars_fit = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || Some(c) == separator);
        let words_fit = self != Case::Snake || is_snake_case(name);
        first_fits && chars_fit && words_fit && self.convert(name).as_deref() == Some(name)
    }

    /// The name in this convention, when it has letters to build one from.
    pub fn convert(self, name: &str) -> Option<String> {
        let ascii = deunicode::deunicode(name);
        let converted = match self {
            Case::Snake => ascii.to_snake_case(),
            Case::Camel => ascii.to_lower_camel_case(),
            Case::Pascal => ascii.to_upper_camel_case(),
            Case::Kebab => ascii.to_kebab_case(),
        };
        let starts_with_letter = converted.starts_with(|c: char| c.is_ascii_alphabetic());
        starts_with_letter.then_some(converted)
    }
}

/// The name's words in snake_case, whatever convention it is written in
/// (`customerId`, `customer-id`, `CustomerID` → `customer_id`): what the
/// conventions that read meaning from names look at.
pub fn words_in_snake_case(name: &str) -> String {
    deunicode::deunicode(name).to_snake_case()
}

/// Strict and reserved keywords of every Rust edition: a field named like one
/// needs a raw identifier.
const RUST_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const RUST_NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Whether `name` is a Rust keyword, strict, reserved or weak in the
/// editions evcat writes for (`type`, `async`, `self`, `_` …): what cannot
/// name a crate or a member as written.
pub fn is_rust_keyword(name: &str) -> bool {
    RUST_KEYWORDS.contains(&name) || RUST_NON_RAW_KEYWORDS.contains(&name)
}

/// A lifecycle's state type: `ConversationState` for `Conversation`.
pub fn state_type_name(family: &str) -> String {
    joined_type_name(&[family, "state"])
}

/// A Rust field for a wire name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RustField {
    /// What follows `pub` in the struct, e.g. `r#type` or `self_`.
    pub ident: String,
    /// Set when the identifier differs from the wire name.
    pub rename: Option<String>,
}

/// Any JSON key works: non-ASCII letters are transliterated to ASCII
/// (`größe` → `grosse`), every other character that is no identifier's
/// separates words (`user.id` → `user_id`, `$ref` → `r#ref`), so generated
/// code is plain snake_case ASCII that no lint questions. Keys of one object
/// that come out alike are refused by the checks with a way to rename one.
pub fn rust_field(wire: &str) -> RustField {
    // A leading sign is a word (GitHub's reactions `+1` and `-1`), not
    // punctuation to drop: `plus_1`, `minus_1`.
    let signed = match wire.as_bytes().first() {
        Some(b'+') => format!("plus {}", &wire[1..]),
        Some(b'-') => format!("minus {}", &wire[1..]),
        _ => wire.to_owned(),
    };
    let ascii = deunicode::deunicode(&signed);
    let mut snake = ascii.to_snake_case();
    if snake.is_empty() {
        snake = "field".to_owned();
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake.insert_str(0, "field_");
    }
    escaped(snake, wire)
}

/// A snake_case name as a Rust member for `wire`: raw for keywords, `_`
/// after those raw identifiers cannot spell, renamed where it differs.
fn escaped(snake: String, wire: &str) -> RustField {
    let ident = if RUST_KEYWORDS.contains(&snake.as_str()) {
        format!("r#{snake}")
    } else if RUST_NON_RAW_KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_")
    } else {
        snake
    };
    let bare = ident.strip_prefix("r#").unwrap_or(&ident);
    let rename = (bare != wire).then(|| wire.to_owned());
    RustField { ident, rename }
}

/// The Rust member holding the payload: named after its property, or
/// `payload` for flat events, whose fields sit beside the envelope's.
pub fn payload_member(envelope: &crate::ir::Envelope) -> RustField {
    match &envelope.payload {
        Some(payload) => rust_field(payload.key()),
        None => RustField {
            ident: "payload".to_owned(),
            rename: None,
        },
    }
}

/// Whether `Envelope<P>` keeps the members no schema names: open
/// envelopes do, and flat ones always (serde cannot refuse unknown
/// members beside a flattened payload, so `violations()` does for a closed
/// one).
pub fn envelope_keeps_extensions(envelope: &crate::ir::Envelope) -> bool {
    !envelope.closed || envelope.payload.is_none()
}

/// The Rust member of a field: the one `[rust.fields]` names, else the
/// one derived from its wire name.
pub fn rust_field_of(field: &crate::ir::Field) -> RustField {
    match &field.rust_name {
        Some(chosen) => escaped(chosen.clone(), &field.name),
        None => rust_field(&field.name),
    }
}

/// Whether `name` can be a Rust member as written (`[rust.fields]`
/// values): an ASCII identifier that is not a keyword that raw identifiers
/// cannot spell.
pub fn is_rust_member(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !RUST_NON_RAW_KEYWORDS.contains(&name)
}

/// A Rust type name for a PascalCase catalog name (events are checked to be
/// PascalCase before this is called).
pub fn rust_type(name: &str) -> String {
    if RUST_NON_RAW_KEYWORDS.contains(&name) {
        format!("{name}_")
    } else {
        name.to_owned()
    }
}

/// A PascalCase name joined from parts: `("Provider", "kind")` → `ProviderKind`.
pub fn joined_type_name(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|part| part.to_upper_camel_case())
        .collect()
}

/// A Rust enum variant for a wire value: `no-answer` → `NoAnswer`,
/// `past_due` → `PastDue`, `10dlc` → `V10dlc`. `None` when the value has no
/// letters or digits to build a name from.
pub fn rust_variant(value: &str) -> Option<String> {
    let camel = value.to_upper_camel_case();
    if camel.is_empty() {
        return None;
    }
    if camel.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!("V{camel}"));
    }
    Some(rust_type(&camel))
}

/// A Rust module name for a catalog folder: `never-miss-call` → `never_miss_call`.
pub fn module_name(folder: &str) -> String {
    rust_field(folder).ident
}

/// A name as an id in documents that allow only ASCII letters, digits,
/// `.`, `-` and `_` (AsyncAPI component keys, HTML anchors): anything else
/// becomes `_`; an empty name is `_`.
pub fn document_id(name: &str) -> String {
    let id: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if id.is_empty() {
        "_".to_owned()
    } else {
        id
    }
}

/// A TypeScript property name for a wire name: bare when it is an
/// identifier (reserved words are valid property names), quoted otherwise.
pub fn ts_property(wire: &str) -> String {
    let mut chars = wire.chars();
    let identifier = chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_' || first == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        wire.to_owned()
    } else {
        serde_json::to_string(wire).expect("strings serialize")
    }
}

/// A PostgreSQL identifier for a name: always double-quoted with `"`
/// doubled, so every name (a keyword, mixed case, a dot) means itself.
pub fn sql_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A PostgreSQL string literal: single-quoted with `'` doubled. Backslashes
/// stay as written under `standard_conforming_strings`, on by default since
/// PostgreSQL 9.1; NUL, which no PostgreSQL text holds, is dropped.
pub fn sql_string(text: &str) -> String {
    format!("'{}'", text.replace('\0', "").replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_identifiers_keep_their_wire_names() {
        let table = [
            ("customer_id", "customer_id", None),
            ("type", "r#type", None),
            ("match", "r#match", None),
            ("async", "r#async", None),
            ("ref", "r#ref", None),
            ("default", "default", None),
            ("gen", "r#gen", None),
            ("self", "self_", Some("self")),
            ("super", "super_", Some("super")),
            ("crate", "crate_", Some("crate")),
            ("eventId", "event_id", Some("eventId")),
            ("trace-id", "trace_id", Some("trace-id")),
            ("3ds", "field_3ds", Some("3ds")),
        ];
        for (wire, ident, rename) in table {
            let field = rust_field(wire);
            assert_eq!(field.ident, ident, "identifier for {wire:?}");
            assert_eq!(field.rename.as_deref(), rename, "rename for {wire:?}");
        }
    }

    #[test]
    fn variants_are_pascal_case_and_never_start_with_a_digit() {
        let table = [
            ("sms", Some("Sms")),
            ("no-answer", Some("NoAnswer")),
            ("past_due", Some("PastDue")),
            ("10dlc", Some("V10dlc")),
            ("Self", Some("Self_")),
            ("---", None),
        ];
        for (value, variant) in table {
            assert_eq!(
                rust_variant(value).as_deref(),
                variant,
                "variant for {value:?}"
            );
        }
    }

    #[test]
    fn case_checks_follow_the_catalog_rules() {
        assert!(is_pascal_case("CustomerCreated"));
        assert!(is_pascal_case("Sms2Received"));
        assert!(!is_pascal_case("customerCreated"));
        assert!(!is_pascal_case("Customer_Created"));
        assert!(!is_pascal_case("nmc.telephony.CallDetected"));
        assert!(!is_pascal_case(""));
        assert!(is_snake_case("customer_id"));
        assert!(is_snake_case("e164"));
        assert!(!is_snake_case("customerId"));
        assert!(!is_snake_case("customer__id"));
        assert!(!is_snake_case("_customer"));
        assert!(!is_snake_case("customer_"));
        assert!(!is_snake_case("1st"));
    }

    #[test]
    fn any_key_gets_a_plain_ascii_identifier() {
        let table = [
            ("user.id", "user_id", Some("user.id")),
            ("$ref", "r#ref", Some("$ref")),
            ("@type", "r#type", Some("@type")),
            ("instance-id", "instance_id", Some("instance-id")),
            (
                "clientRequestId",
                "client_request_id",
                Some("clientRequestId"),
            ),
            ("ETag", "e_tag", Some("ETag")),
            ("größe", "grosse", Some("größe")),
            ("first name", "first_name", Some("first name")),
            ("2fa", "field_2fa", Some("2fa")),
            ("🚀", "rocket", Some("🚀")),
            ("!!", "field", Some("!!")),
            ("x²", "x2", Some("x²")),
        ];
        for (wire, ident, rename) in table {
            let field = rust_field(wire);
            assert_eq!(field.ident, ident, "identifier for {wire:?}");
            assert_eq!(field.rename.as_deref(), rename, "rename for {wire:?}");
            assert!(
                syn::parse_str::<syn::Ident>(&field.ident).is_ok(),
                "{ident} parses"
            );
        }
    }

    #[test]
    fn conventions_fit_their_own_spellings_only() {
        let table = [
            ("customer_id", [true, false, false, false]),
            ("customerId", [false, true, false, false]),
            ("CustomerId", [false, false, true, false]),
            ("customer-id", [false, false, false, true]),
            ("name", [true, true, false, true]),
            ("userID", [false, false, false, false]),
            ("user.id", [false, false, false, false]),
            ("_hidden", [false, false, false, false]),
            ("address_line1", [true, false, false, false]),
        ];
        for (name, fits) in table {
            for (case, expected) in Case::ALL.into_iter().zip(fits) {
                assert_eq!(case.fits(name), expected, "{name:?} in {}", case.key());
            }
        }
        assert_eq!(Case::Camel.convert("user_id").as_deref(), Some("userId"));
        assert_eq!(
            Case::Kebab.convert("instanceId").as_deref(),
            Some("instance-id")
        );
        assert_eq!(Case::Snake.convert("!!"), None);
        assert_eq!(words_in_snake_case("customerId"), "customer_id");
        assert_eq!(words_in_snake_case("customer-id"), "customer_id");
        assert_eq!(words_in_snake_case("createdAt"), "created_at");
    }

    #[test]
    fn typescript_properties_are_quoted_only_when_needed() {
        let table = [
            ("customer_id", "customer_id"),
            ("type", "type"),
            ("default", "default"),
            ("self", "self"),
            ("eventId", "eventId"),
            ("trace-id", "\"trace-id\""),
            ("3ds", "\"3ds\""),
            ("a\"b", "\"a\\\"b\""),
        ];
        for (wire, property) in table {
            assert_eq!(ts_property(wire), property, "property for {wire:?}");
        }
    }

    #[test]
    fn joined_names_are_pascal_case() {
        assert_eq!(joined_type_name(&["Provider", "kind"]), "ProviderKind");
        assert_eq!(
            joined_type_name(&["CallDetected", "cancelled_reason"]),
            "CallDetectedCancelledReason"
        );
    }
}
