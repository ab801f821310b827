//! `struct_impls!`: what evcat writes beside each payload and nested
//! struct, in place of `#[derive(Serialize, Deserialize, JsonSchema)]`.
//!
//! One invocation per struct keeps the generated file short and quick for
//! evcat to print; the impls it expands to are a few lines each, calling the
//! shared code of this crate.

/// The `Serialize`, `Deserialize` and `JsonSchema` impls of a struct evcat
/// generated:
///
/// ```
/// #[derive(Debug, PartialEq)]
/// pub struct OrderPlaced {
///     pub order_id: String,
///     pub note: Option<String>,
/// }
///
/// evcat_runtime::struct_impls! {
///     OrderPlaced,
///     schema = r#"{"type":"object","required":["order_id"],"properties":{"order_id":{"type":"string"},"note":{"anyOf":[{"type":"string"},{"type":"null"}]}}}"#,
///     named = [],
///     fields = [order_id = "order_id" required, note = "note" optional],
/// }
///
/// let order: OrderPlaced = serde_json::from_str(r#"{"order_id":"o1","extra":1}"#).unwrap();
/// assert_eq!(order, OrderPlaced { order_id: "o1".into(), note: None });
/// assert_eq!(serde_json::to_string(&order).unwrap(), r#"{"order_id":"o1"}"#);
/// ```
///
/// Members are listed in order with their wire names and how they are
/// read: `required`; `optional`, an `Option` left out when `None` and read
/// as `None` when absent or `null`; `omittable`, the same but refusing
/// `null` (a JSON Schema's optional property); `absent_or_null`, an
/// `Option<Option<T>>` keeping absent (`None`) and `null` (`Some(None)`)
/// apart; or `nullable`, an `Option` always
/// written (`null` for `None`), read as `None` from `null` and missing when
/// absent (it is required: JSON Schema's `required` with `null` allowed).
/// `named` lists the named types the schema refers to. `closed` after the
/// name refuses members the struct does not list.
#[macro_export]
macro_rules! struct_impls {
    (
        $name:ident,
        closed,
        schema = $schema:literal,
        named = [$(($target:literal, $target_type:ty)),* $(,)?],
        fields = [$($member:ident = $wire:literal $kind:ident),* $(,)?] $(,)?
    ) => {
        $crate::__struct_impls! {
            $name, true, $schema, [$(($target, $target_type)),*], [$($member = $wire $kind),*]
        }
    };
    (
        $name:ident,
        schema = $schema:literal,
        named = [$(($target:literal, $target_type:ty)),* $(,)?],
        fields = [$($member:ident = $wire:literal $kind:ident),* $(,)?] $(,)?
    ) => {
        $crate::__struct_impls! {
            $name, false, $schema, [$(($target, $target_type)),*], [$($member = $wire $kind),*]
        }
    };
}

/// The impls of [`struct_impls!`], closed or not.
#[doc(hidden)]
#[macro_export]
macro_rules! __struct_impls {
    (
        $name:ident,
        $closed:literal,
        $schema:literal,
        [$(($target:literal, $target_type:ty)),*],
        [$($member:ident = $wire:literal $kind:ident),*]
    ) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::serialize_struct(
                    serializer,
                    ::core::stringify!($name),
                    &[$($crate::__member!($kind, $wire, &self.$member)),*],
                )
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $(let mut $member = ::core::option::Option::None;)*
                $crate::deserialize_struct(
                    deserializer,
                    ::core::stringify!($name),
                    &[$($wire),*],
                    &[$($crate::__required!($kind)),*],
                    $closed,
                    &mut [$(&mut $member),*],
                )?;
                ::core::result::Result::Ok(Self {
                    $($member: $crate::__value!($kind, $member, $wire, D)),*
                })
            }
        }

        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(::core::stringify!($name))
            }

            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(::core::concat!(
                    ::core::module_path!(),
                    "::",
                    ::core::stringify!($name)
                ))
            }

            fn json_schema(generator: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                $crate::json_schema(
                    generator,
                    $schema,
                    &[$(($target, $crate::subschema::<$target_type>)),*],
                )
            }
        }
    };
}

/// A member as [`crate::Field`]: always written, or left out when `None`.
#[doc(hidden)]
#[macro_export]
macro_rules! __member {
    (required, $wire:literal, $value:expr) => {
        $crate::Field::new($wire, $value)
    };
    (optional, $wire:literal, $value:expr) => {
        $crate::Field::optional($wire, $value)
    };
    (omittable, $wire:literal, $value:expr) => {
        $crate::Field::optional($wire, $value)
    };
    (absent_or_null, $wire:literal, $value:expr) => {
        $crate::Field::optional($wire, $value)
    };
    (nullable, $wire:literal, $value:expr) => {
        $crate::Field::new($wire, $value)
    };
}

/// Whether reading fails when the member is missing.
#[doc(hidden)]
#[macro_export]
macro_rules! __required {
    (required) => {
        true
    };
    (optional) => {
        false
    };
    (omittable) => {
        false
    };
    (absent_or_null) => {
        false
    };
    (nullable) => {
        true
    };
}

/// A member's value from its slot once the struct is read.
#[doc(hidden)]
#[macro_export]
macro_rules! __value {
    (required, $slot:ident, $wire:literal, $deserializer:ident) => {
        $crate::required::<$deserializer::Error, _>($slot, $wire)?
    };
    (optional, $slot:ident, $wire:literal, $deserializer:ident) => {
        $slot.flatten()
    };
    (omittable, $slot:ident, $wire:literal, $deserializer:ident) => {
        $crate::not_null::<$deserializer::Error, _>($slot, $wire)?
    };
    (absent_or_null, $slot:ident, $wire:literal, $deserializer:ident) => {
        $slot
    };
    (nullable, $slot:ident, $wire:literal, $deserializer:ident) => {
        $crate::required::<$deserializer::Error, _>($slot, $wire)?
    };
}
