//! The catalog's table of enumerations, shared by payload and envelope fields.

use crate::diagnostics::{Diagnostic, Rule};
use crate::ident;
use crate::ir::{Doc, EnumId, EnumType, EnumVariant, Span};

#[derive(Debug, Default)]
pub struct EnumTable {
    enums: Vec<EnumType>,
}

impl EnumTable {
    /// Returns the enum of that name, adding it on first use. The same name
    /// with other values is an error: two fields would share one type.
    pub fn intern(
        &mut self,
        name: String,
        values: &[(String, Span)],
        span: Span,
        doc: Doc,
    ) -> Result<EnumId, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut variants: Vec<EnumVariant> = Vec::new();
        for (value, value_span) in values {
            if let Some(first) = variants.iter().find(|variant| &variant.value == value) {
                errors.push(
                    Rule::Catalog
                        .error(*value_span, format!("duplicate value `{value}`"))
                        .with_note(first.span, "first listed here"),
                );
                continue;
            }
            let Some(variant_name) = ident::rust_variant(value) else {
                errors.push(
                    Rule::Catalog
                        .error(
                            *value_span,
                            format!("enum value `{value}` has no letters or digits to name it by"),
                        )
                        .with_help("use words, as in `no-answer`"),
                );
                continue;
            };
            if let Some(clash) = variants.iter().find(|variant| {
                ident::rust_variant(&variant.value).as_deref() == Some(&variant_name)
            }) {
                errors.push(
                    Rule::Catalog
                        .error(
                            *value_span,
                            format!(
                            "enum values `{}` and `{value}` would both be named `{variant_name}`",
                            clash.value
                        ),
                        )
                        .with_note(clash.span, "the other value"),
                );
                continue;
            }
            variants.push(EnumVariant {
                value: value.clone(),
                span: *value_span,
            });
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if let Some(index) = self.enums.iter().position(|existing| existing.name == name) {
            let existing = &self.enums[index];
            let same = existing
                .variants
                .iter()
                .map(|variant| &variant.value)
                .eq(variants.iter().map(|variant| &variant.value));
            return if same {
                Ok(EnumId(index))
            } else {
                Err(vec![Rule::Catalog
                    .error(
                        span,
                        format!("enum `{name}` is defined twice with different values"),
                    )
                    .with_note(existing.span, "first defined here")])
            };
        }
        self.enums.push(EnumType {
            name,
            variants,
            doc,
            span,
        });
        Ok(EnumId(self.enums.len() - 1))
    }

    /// The wire values of an enum interned already.
    pub fn values(&self, id: EnumId) -> Vec<&str> {
        self.enums[id.0]
            .variants
            .iter()
            .map(|variant| variant.value.as_str())
            .collect()
    }

    /// How many enums are interned: a mark to [`Self::truncate`] to.
    pub fn len(&self) -> usize {
        self.enums.len()
    }

    /// Forgets the enums interned after `len` (a read whose types are
    /// compared, then dropped).
    pub fn truncate(&mut self, len: usize) {
        self.enums.truncate(len);
    }

    pub fn into_vec(self) -> Vec<EnumType> {
        self.enums
    }

    pub fn iter(&self) -> impl Iterator<Item = &EnumType> {
        self.enums.iter()
    }
}
