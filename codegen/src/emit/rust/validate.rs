//! Value rules the types cannot express, checked by generated code:
//! `pattern`, `format` (date-time, uuid), lengths and bounds from the
//! envelope schema, and non-empty identifiers in payloads, the same rules the
//! JSON Schemas state, so the Rust types and schema validators agree.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::fields::{member, payload_access, within_parents};
use crate::ir::{Catalog, Event, Field, FieldType, Scalar};

/// `Violation` and the format checks, emitted once.
pub fn support_items() -> TokenStream {
    let formats = format_functions();
    quote! {
        /// A value that breaks a rule of the catalog or the envelope schema.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Violation {
            /// Where: an envelope field, or a path into the payload
            /// (`payload.total.currency`, `payload.lines[1].qty`).
            pub field: ::std::string::String,
            /// What is wrong, in words.
            pub message: ::std::string::String,
        }

        impl Violation {
            /// What every check of this module pushes: one call, not a
            /// struct literal per rule.
            #[allow(dead_code)]
            fn new(field: impl ::std::convert::Into<::std::string::String>, message: &str) -> Self {
                Self { field: field.into(), message: ::std::string::String::from(message) }
            }
        }

        impl ::std::fmt::Display for Violation {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}: {}", self.field, self.message)
            }
        }

        #(#formats)*
    }
}

/// The format checks of `vocabulary/format_checks.rs`, the very functions evcat runs
/// itself, as private items of the generated module.
fn format_functions() -> Vec<syn::ItemFn> {
    let file = syn::parse_file(include_str!("../../vocabulary/format_checks.rs"))
        .expect("vocabulary/format_checks.rs is Rust");
    file.items
        .into_iter()
        .filter_map(|item| match item {
            syn::Item::Fn(mut function) => {
                function.vis = syn::Visibility::Inherited;
                function.attrs.push(syn::parse_quote!(#[allow(dead_code)]));
                Some(function)
            }
            _ => None,
        })
        .collect()
}

/// Whether an object type (or one nested in it) has a rule to check, so
/// that objects without any are not walked.
fn has_checks(catalog: &Catalog, id: crate::ir::StructId) -> bool {
    // A type that nests itself is walked: deciding would recurse forever.
    if catalog.is_recursive(id) {
        return true;
    }
    let path = quote!(at);
    let nested = catalog.struct_type(id);
    nested.presence.is_some()
        || nested
            .fields
            .iter()
            .any(|field| !value_checks(catalog, field, &path).is_empty())
}

/// Whether values of this type have a `violations_at` worth calling: an
/// object type or union with a rule somewhere inside.
fn descends(catalog: &Catalog, ty: &FieldType) -> bool {
    match ty {
        FieldType::Struct(id) => has_checks(catalog, *id),
        FieldType::Union(id) => union_has_checks(catalog, catalog.union_type(*id)),
        _ => false,
    }
}

fn union_has_checks(catalog: &Catalog, union: &crate::ir::UnionType) -> bool {
    let path = quote!(at);
    union
        .variants
        .iter()
        .any(|variant| !value_checks(catalog, variant, &path).is_empty())
}

/// `violations_at` of a union: the rules of the branch the value was read
/// as. Of an `anyOf` (whose branches may overlap), a value breaking them is
/// still valid when another branch reads it and keeps its rules, as JSON
/// Schema's verdict is.
pub fn union_impl(
    catalog: &Catalog,
    union: &crate::ir::UnionType,
    variants: &[&Field],
) -> TokenStream {
    let name = format_ident!("{}", union.name);
    if !union_has_checks(catalog, union) {
        return quote! {
            impl #name {
                /// The value's breaches of its branch's rules: none here.
                pub fn violations_at(&self, _at: &str) -> ::std::vec::Vec<Violation> {
                    ::std::vec::Vec::new()
                }
            }
        };
    }
    let path = quote!(at);
    let arms = variants.iter().map(|variant| {
        let ident = format_ident!("{}", variant.name);
        let checks = value_checks(catalog, variant, &path);
        quote!(Self::#ident(value) => { #(#checks)* })
    });
    let retry = (!union.exclusive).then(|| {
        let others = variants.iter().map(|variant| {
            let ident = format_ident!("{}", variant.name);
            let ty = super::types::value_type(catalog, &variant.ty, variant.rules.non_negative());
            quote! {
                if let ::std::result::Result::Ok(other) = ::serde_json::from_value::<#ty>(written.clone()) {
                    if Self::#ident(other).branch_violations(at).is_empty() {
                        return ::std::vec::Vec::new();
                    }
                }
            }
        });
        quote! {
            if !found.is_empty() {
                if let ::std::result::Result::Ok(written) = ::serde_json::to_value(self) {
                    #(#others)*
                }
            }
        }
    });
    let body = match retry {
        Some(retry) => quote! {
            let found = self.branch_violations(at);
            #retry
            found
        },
        None => quote!(self.branch_violations(at)),
    };
    quote! {
        impl #name {
            /// The rules of the branch the value is, each at `at`.
            #[allow(unused_variables)]
            fn branch_violations(&self, at: &str) -> ::std::vec::Vec<Violation> {
                #[allow(unused_mut)]
                let mut found = ::std::vec::Vec::new();
                match self {
                    #(#arms)*
                }
                found
            }

            /// The value's breaches of the rules of its branch, each at
            /// `at`; empty when the value fits a branch with its rules.
            pub fn violations_at(&self, at: &str) -> ::std::vec::Vec<Violation> {
                #body
            }
        }
    }
}

/// Whether the field's type already checks this format (a `uuid` field).
fn implied_by_type(ty: &FieldType, format: &str) -> bool {
    matches!(
        (ty, format),
        (FieldType::Scalar(Scalar::Uuid), "uuid")
            | (FieldType::Scalar(Scalar::Timestamp), "date-time")
    )
}

/// A check that the value matches `pattern`, compiled once.
fn pattern_check(pattern: &str, path: &TokenStream, message: &str) -> TokenStream {
    quote! {
        {
            static PATTERN: ::std::sync::LazyLock<::regex::Regex> = ::std::sync::LazyLock::new(|| {
                ::regex::Regex::new(#pattern).expect("evcat checked that the pattern compiles")
            });
            if !PATTERN.is_match(value) {
                found.push(Violation::new(#path, #message));
            }
        }
    }
}

/// A path known when generating (`payload.total`): a string literal.
fn fixed_path(path: &str) -> TokenStream {
    quote!(#path)
}

/// `path` as a `&str`: a fixed path is one already; a nested one is a
/// `String` expression to borrow.
fn borrowed(path: &TokenStream) -> TokenStream {
    let mut tokens = path.clone().into_iter();
    match (tokens.next(), tokens.next()) {
        (Some(proc_macro2::TokenTree::Literal(literal)), None) => quote!(#literal),
        // A `&str` in scope (a union's `at`).
        (Some(proc_macro2::TokenTree::Ident(ident)), None) => quote!(#ident),
        _ => quote!(&#path),
    }
}

/// `violations_at` of one nested object type: each field's path is the
/// caller's (`at`) and its name.
pub fn struct_impl(catalog: &Catalog, nested: &crate::ir::StructType) -> TokenStream {
    let name = format_ident!("{}", nested.name);
    let checks: Vec<TokenStream> = nested
        .fields
        .iter()
        .map(|field| {
            let wire = &field.name;
            let path = quote!(::std::format!("{}.{}", at, #wire));
            field_checks(catalog, field, &path, quote!(self))
        })
        .filter(|checks| !checks.is_empty())
        .chain(presence_check(nested))
        .collect();
    let at = if checks.is_empty() {
        format_ident!("_at")
    } else {
        format_ident!("at")
    };
    // An envelope object on the way to the payload is generic over it.
    let generic = catalog
        .structs
        .iter()
        .position(|known| std::ptr::eq(known, nested))
        .is_some_and(|index| nested.envelope && catalog.holds_payload(crate::ir::StructId(index)))
        .then(|| quote!(<P>));
    quote! {
        impl #generic #name #generic {
            /// The object's values that break the catalog's rules, each at
            /// its path under `at`; empty when none does.
            pub fn violations_at(&self, #at: &str) -> ::std::vec::Vec<Violation> {
                #[allow(unused_mut)]
                let mut found = ::std::vec::Vec::new();
                #(#checks)*
                found
            }
        }
    }
}

/// Which members must be present together (`anyOf`/`oneOf` of `required`
/// lists): a member is present when it is not `None`.
fn presence_check(nested: &crate::ir::StructType) -> Option<TokenStream> {
    let presence = nested.presence.as_ref()?;
    let sets = presence.sets.iter().map(|set| {
        let present = set.iter().map(|name| {
            let field = nested.fields.iter().find(|field| &field.name == name);
            match field {
                Some(field) if field.absent_or_null() => {
                    let member = member(field);
                    quote!(matches!(self.#member, ::std::option::Option::Some(::std::option::Option::Some(_))))
                }
                Some(field) if field.optional || field.nullable => {
                    let member = member(field);
                    quote!(self.#member.is_some())
                }
                _ => quote!(true),
            }
        });
        let present: Vec<TokenStream> = present.collect();
        if present.len() == 1 {
            present[0].clone()
        } else {
            quote!((#(#present)&&*))
        }
    });
    let broken = if presence.exclusive {
        quote!([#(#sets),*].iter().filter(|present| **present).count() != 1)
    } else {
        quote!(!(#(#sets)||*))
    };
    let message = presence.describe();
    Some(quote! {
        if #broken {
            found.push(Violation::new(at, #message));
        }
    })
}

/// `Envelope::violations`, checking the envelope's own fields.
pub fn envelope_impl(catalog: &Catalog) -> TokenStream {
    let checks = catalog
        .envelope
        .fields
        .iter()
        .map(|field| field_checks(catalog, field, &fixed_path(&field.name), quote!(self)));
    // A closed envelope of flat events keeps unknown members (serde cannot
    // refuse them beside the flattened payload), and refuses them here.
    let unknown = (catalog.envelope.closed && catalog.envelope.payload.is_none()).then(|| {
        let extensions = format_ident!("{}", crate::ident::ENVELOPE_EXTENSIONS);
        quote! {
            for name in self.#extensions.keys() {
                found.push(Violation::new(name.as_str(), "is not a field of the envelope or the event"));
            }
        }
    });
    let checks = checks.chain(unknown);
    quote! {
        impl<P> Envelope<P> {
            /// The envelope's values that break the schema's rules
            /// (patterns, formats, lengths, bounds); empty when none does.
            pub fn violations(&self) -> ::std::vec::Vec<Violation> {
                #[allow(unused_mut)]
                let mut found = ::std::vec::Vec::new();
                #(#checks)*
                found
            }
        }
    }
}

/// `violations` of one payload type.
pub fn payload_impl(catalog: &Catalog, event: &Event) -> TokenStream {
    let name = format_ident!("{}", event.type_name);
    let checks = event.fields.iter().map(|field| {
        let path = catalog.envelope.payload_path(&field.name);
        field_checks(catalog, field, &fixed_path(&path), quote!(self))
    });
    quote! {
        impl #name {
            /// The payload's values that break the catalog's rules (empty
            /// identifiers, malformed timestamps or UUIDs); empty when none does.
            pub fn violations(&self) -> ::std::vec::Vec<Violation> {
                #[allow(unused_mut)]
                let mut found = ::std::vec::Vec::new();
                #(#checks)*
                found
            }
        }
    }
}

/// `DomainEvent::schema_violations` (the rules the JSON Schemas state) and
/// `DomainEvent::validate` (those and the catalog's cross-field rules).
pub fn domain_event_impl(catalog: &Catalog) -> TokenStream {
    let envelope = &catalog.envelope;
    // A role's property, when it is a string the rule can compare
    // (optional ones are compared when present).
    let family_field = catalog.text_role(&envelope.roles.aggregate_type);
    let id_field_of_envelope = catalog.text_role(&envelope.roles.aggregate_id);
    let payload = payload_access(catalog);
    let mut schema_arms = Vec::new();
    let mut catalog_arms = Vec::new();
    let mut any_catalog_rule = false;
    for (family, event) in catalog.events() {
        let variant = format_ident!("{}", event.variant_name());
        let family_check = family_field.map(|(path, field)| {
            let family_name = &family.name;
            within_parents(catalog, path, quote!(envelope), |owner| {
                with_value(
                    field,
                    owner,
                    quote!(family_rule(&mut found, value, #family_name);),
                )
            })
        });
        schema_arms.push(quote! {
            Self::#variant(envelope) => {
                let mut found = envelope.violations();
                found.extend(envelope.#payload.violations());
                #family_check
                found
            }
        });
        let own_id = &event.own_id;
        let id_field = event.fields.iter().find(|field| {
            field.name == *own_id && !field.optional && !field.nullable && field.ty.is_text()
        });
        let id_check = id_field
            .zip(id_field_of_envelope)
            .map(|(field, (path, aggregate))| {
                let own = member(field);
                let message = format!(
                    "must equal `{}`, the aggregate's own id",
                    envelope.payload_path(own_id)
                );
                within_parents(catalog, path, quote!(envelope), |owner| {
                    with_value(
                        aggregate,
                        owner,
                        quote!(own_id_rule(&mut found, value, &envelope.#payload.#own, #message);),
                    )
                })
            });
        any_catalog_rule |= id_check.is_some();
        catalog_arms.push(match id_check {
            Some(check) => quote!(Self::#variant(envelope) => { #check }),
            None => quote!(Self::#variant(_) => {}),
        });
    }
    // The rules' bodies, once; each event's arm calls them.
    let family_rule = family_field.map(|(path, _)| {
        let wire = path.dotted();
        quote! {
            /// The family rule of [`DomainEvent::schema_violations`].
            fn family_rule(found: &mut ::std::vec::Vec<Violation>, value: &str, family: &str) {
                if value != family {
                    found.push(Violation::new(
                        #wire,
                        &format!("is `{}`, but this event belongs to `{}`", value, family),
                    ));
                }
            }
        }
    });
    let own_id_rule = id_field_of_envelope.filter(|_| any_catalog_rule).map(|(path, _)| {
        let wire = path.dotted();
        quote! {
            /// The aggregate-id rule of [`DomainEvent::validate`].
            fn own_id_rule(found: &mut ::std::vec::Vec<Violation>, aggregate_id: &str, own_id: &str, message: &str) {
                if aggregate_id != own_id {
                    found.push(Violation::new(#wire, message));
                }
            }
        }
    });
    let validate_body = if any_catalog_rule {
        quote! {
            let mut found = self.schema_violations();
            #[allow(clippy::match_single_binding)]
            match self {
                #(#catalog_arms)*
            }
            found
        }
    } else {
        quote!(self.schema_violations())
    };
    quote! {
        impl DomainEvent {
            /// The event's values that break a rule the JSON Schemas state
            /// (patterns, formats, lengths, bounds, identifiers, its family);
            /// empty when schema validators would accept it.
            pub fn schema_violations(&self) -> ::std::vec::Vec<Violation> {
                match self {
                    #(#schema_arms)*
                }
            }

            /// Every rule the event breaks: [`Self::schema_violations`] and the
            /// catalog's rules across fields (the envelope's aggregate id is
            /// the payload's own id); empty when the event is valid.
            pub fn validate(&self) -> ::std::vec::Vec<Violation> {
                #validate_body
            }
        }

        #family_rule
        #own_id_rule
    }
}

/// The checks of one field, pushing to `found`; `path` is a `String`
/// expression naming where the field is.
fn field_checks(
    catalog: &Catalog,
    field: &Field,
    path: &TokenStream,
    owner: TokenStream,
) -> TokenStream {
    let value_checks = value_checks(catalog, field, path);
    if value_checks.is_empty() {
        return TokenStream::new();
    }
    with_value(field, owner, quote!(#(#value_checks)*))
}

/// `body` with the field's value bound to `value` (a reference), run only
/// when an optional field is present.
fn with_value(field: &Field, owner: TokenStream, body: TokenStream) -> TokenStream {
    let member = member(field);
    if field.absent_or_null() {
        quote!(if let ::std::option::Option::Some(::std::option::Option::Some(value)) = &#owner.#member { #body })
    } else if field.optional || field.nullable {
        quote!(if let ::std::option::Option::Some(value) = &#owner.#member { #body })
    } else {
        quote!({ let value = &#owner.#member; #body })
    }
}

fn value_checks(catalog: &Catalog, field: &Field, path: &TokenStream) -> Vec<TokenStream> {
    let push = |condition: TokenStream, message: String| {
        quote! {
            if #condition {
                found.push(Violation::new(#path, #message));
            }
        }
    };
    let rules = &field.rules;
    let mut checks = Vec::new();
    let is_text = field.ty.is_text();
    match &field.ty {
        FieldType::Scalar(Scalar::Id) if rules.min_length.is_none() => {
            checks.push(push(quote!(value.is_empty()), "is empty".into()))
        }
        FieldType::Array(item) if matches!(**item, FieldType::Scalar(Scalar::Id)) => {
            checks.push(push(
                quote!(value.iter().any(|item| item.is_empty())),
                "has an empty identifier".into(),
            ));
        }
        // Nested objects and unions check their own values, under this path.
        ty @ (FieldType::Struct(_) | FieldType::Union(_)) if descends(catalog, ty) => {
            let at = borrowed(path);
            checks.push(quote!(found.extend(value.violations_at(#at));));
        }
        FieldType::Map(value) if descends(catalog, value) => {
            checks.push(quote! {
                let here = #path;
                for (key, item) in value {
                    found.extend(item.violations_at(&::std::format!("{here}.{key}")));
                }
            });
        }
        FieldType::Array(item) if descends(catalog, item) => {
            checks.push(quote! {
                let here = #path;
                for (index, item) in value.iter().enumerate() {
                    found.extend(item.violations_at(&::std::format!("{here}[{index}]")));
                }
            });
        }
        _ => {}
    }
    if is_text {
        match field.ty {
            FieldType::Scalar(Scalar::Timestamp) => checks.push(push(
                quote!(!is_utc_date_time(value)),
                "is not an RFC 3339 date-time in UTC (`Z`)".into(),
            )),
            FieldType::Scalar(Scalar::Uuid) => {
                checks.push(push(quote!(!is_uuid(value)), "is not a UUID".into()))
            }
            _ => {}
        }
        let format = rules.format.as_deref().and_then(crate::vocabulary::format);
        if let Some(format) = format.filter(|format| !implied_by_type(&field.ty, format.name)) {
            let message = format!("is not {}", format.noun);
            match (format.function, format.pattern) {
                (Some((function, _)), _) => {
                    let function = format_ident!("{function}");
                    checks.push(push(quote!(!#function(value)), message));
                }
                (None, Some(pattern)) => checks.push(pattern_check(pattern, path, &message)),
                (None, None) => {}
            }
        }
        if let Some(pattern) = &rules.pattern {
            let message = format!("does not match the pattern {pattern}");
            checks.push(pattern_check(pattern, path, &message));
        }
        if let Some(min) = rules.min_length {
            let min = proc_macro2::Literal::u64_unsuffixed(min);
            checks.push(push(
                quote!((value.chars().count() as u64) < #min),
                format!("is shorter than {min} characters"),
            ));
        }
        if let Some(max) = rules.max_length {
            let max = proc_macro2::Literal::u64_unsuffixed(max);
            checks.push(push(
                quote!((value.chars().count() as u64) > #max),
                format!("is longer than {max} characters"),
            ));
        }
    }
    if matches!(
        field.ty,
        FieldType::Scalar(Scalar::Integer | Scalar::Number)
    ) {
        let float = field.ty == FieldType::Scalar(Scalar::Number);
        for (limit, below, word) in [
            (&rules.minimum, true, "below the minimum"),
            (&rules.maximum, false, "above the maximum"),
        ] {
            let Some(limit) = limit else { continue };
            let text = limit.to_string();
            // An integer field against a whole bound compares integers; a
            // fractional bound (`minimum: 1.1`) compares as `f64`.
            let whole = if rules.non_negative() {
                limit.is_u64()
            } else {
                limit.is_i64()
            };
            let (value, literal): (TokenStream, TokenStream) = if float || !whole {
                let literal = format!("{:?}f64", limit.as_f64().unwrap_or_default())
                    .parse()
                    .expect("numbers parse");
                let value = if float {
                    quote!(*value)
                } else {
                    quote!((*value as f64))
                };
                (value, literal)
            } else {
                (quote!(*value), text.parse().expect("numbers parse"))
            };
            let comparison = if below {
                quote!(#value < #literal)
            } else {
                quote!(#value > #literal)
            };
            // An unsigned field cannot go below zero; the check would never fire.
            if below && !float && rules.non_negative() && text == "0" {
                continue;
            }
            checks.push(push(comparison, format!("is {word} {text}")));
        }
        let as_float = |limit: &serde_json::Number| -> TokenStream {
            format!("{:?}f64", limit.as_f64().unwrap_or_default())
                .parse()
                .expect("numbers parse")
        };
        // Compared as `f64`, as JSON Schema compares numbers.
        let number = if float {
            quote!(*value)
        } else {
            quote!((*value as f64))
        };
        if let Some(limit) = &rules.exclusive_minimum {
            let literal = as_float(limit);
            checks.push(push(
                quote!(#number <= #literal),
                format!("is not above {limit}"),
            ));
        }
        if let Some(limit) = &rules.exclusive_maximum {
            let literal = as_float(limit);
            checks.push(push(
                quote!(#number >= #literal),
                format!("is not below {limit}"),
            ));
        }
        if let Some(divisor) = &rules.multiple_of {
            let literal = as_float(divisor);
            checks.push(push(
                quote!(!is_multiple_of(#number, #literal)),
                format!("is not a multiple of {divisor}"),
            ));
        }
    }
    if let Some(values) = &rules.values {
        if let Some(condition) = not_listed(&field.ty, values) {
            checks.push(push(
                condition,
                format!("is not one of {}", crate::vocabulary::listed(values)),
            ));
        }
    }
    if matches!(field.ty, FieldType::Array(_)) {
        if let Some(min) = rules.min_items {
            let min = proc_macro2::Literal::u64_unsuffixed(min);
            checks.push(push(
                quote!((value.len() as u64) < #min),
                format!("has fewer than {min} items"),
            ));
        }
        if let Some(max) = rules.max_items {
            let max = proc_macro2::Literal::u64_unsuffixed(max);
            checks.push(push(
                quote!((value.len() as u64) > #max),
                format!("has more than {max} items"),
            ));
        }
        if rules.unique_items {
            checks.push(push(
                quote!(value
                    .iter()
                    .enumerate()
                    .any(|(index, item)| value[..index].contains(item))),
                "has an item twice".to_owned(),
            ));
        }
    }
    checks
}

/// The condition under which `value` is none of an `enum`'s `values`: a
/// pattern of integers, a list of numbers, the other boolean, or the JSON
/// comparison for values of several types.
fn not_listed(ty: &FieldType, values: &[serde_json::Value]) -> Option<TokenStream> {
    match ty {
        // Listed whole numbers are written as integers when read (`2.0`
        // is `2`), so each prints as an integer pattern.
        FieldType::Scalar(Scalar::Integer) => {
            let patterns: Vec<TokenStream> = values
                .iter()
                .filter_map(serde_json::Value::as_number)
                .map(|number| number.to_string().parse().expect("integers parse"))
                .collect();
            Some(quote!(!matches!(*value, #(#patterns)|*)))
        }
        FieldType::Scalar(Scalar::Number) => {
            let numbers: Vec<TokenStream> = values
                .iter()
                .filter_map(serde_json::Value::as_f64)
                .map(|number| format!("{number:?}f64").parse().expect("numbers parse"))
                .collect();
            Some(quote!(![#(#numbers),*].contains(value)))
        }
        FieldType::Scalar(Scalar::Boolean) => {
            let listed: Vec<bool> = values
                .iter()
                .filter_map(serde_json::Value::as_bool)
                .collect();
            match listed.as_slice() {
                [true] => Some(quote!(!*value)),
                [false] => Some(quote!(*value)),
                _ => None,
            }
        }
        FieldType::Any => {
            let text = serde_json::Value::Array(values.to_vec()).to_string();
            Some(quote!(!::evcat_runtime::is_listed(value, #text)))
        }
        _ => None,
    }
}
