//! The data model's field lists must match the catalog's: an event's, or a
//! named type's (`- Money: { amount_cents, currency }`), the same fields
//! with the same optionality.

use crate::diagnostics::{Diagnostic, Rule};
use crate::ir::{Catalog, Field, Span};
use crate::parse::data_model::DataModel;

/// What a data-model line describes: an event or a named type.
struct Described<'c> {
    name: &'c str,
    span: Span,
    fields: &'c [Field],
}

/// Every disagreement, each naming the event, the field and both places.
pub fn data_model_agrees(model: &DataModel, catalog: &Catalog) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for listed in &model.events {
        let named_type = catalog
            .structs
            .iter()
            .find(|nested| nested.named && nested.name == listed.name)
            .map(|nested| Described {
                name: &nested.name,
                span: nested.span,
                fields: &nested.fields,
            });
        let event = catalog
            .events()
            .find(|(_, event)| event.name == listed.name)
            .map(|(_, event)| Described {
                name: &event.name,
                span: event.span,
                fields: &event.fields,
            });
        let Some(event) = event.or(named_type) else {
            findings.push(
                Rule::DataModel.error(
                    listed.span,
                    format!(
                        "the data model lists `{}`, which the catalog defines as neither an event nor a type",
                        listed.name
                    ),
                )
                .with_help("add the event or the type to the catalog, or remove or rename it here"),
            );
            continue;
        };
        for field in &listed.fields {
            match event
                .fields
                .iter()
                .find(|candidate| candidate.name == field.name)
            {
                None => findings.push(
                    Rule::DataModel
                        .error(
                            field.span,
                            format!(
                                "`{}` lists field `{}`, which the catalog's `{}` lacks",
                                listed.name, field.name, event.name
                            ),
                        )
                        .with_note(event.span, "the catalog's event")
                        .with_help(
                            "add the field to the catalog's `Required:` list, or remove it here",
                        ),
                ),
                Some(catalog_field) if catalog_field.optional != field.optional => {
                    let word = |optional: bool| if optional { "optional" } else { "required" };
                    findings.push(
                        Rule::DataModel
                            .error(
                                field.span,
                                format!(
                                    "`{}`.`{}` is {} here but {} in the catalog",
                                    listed.name,
                                    field.name,
                                    word(field.optional),
                                    word(catalog_field.optional)
                                ),
                            )
                            .with_note(catalog_field.span, "the catalog's field")
                            .with_help(
                                "make both say the same: a trailing `?` marks an optional field",
                            ),
                    );
                }
                Some(_) => {}
            }
        }
        for catalog_field in event.fields {
            if !listed
                .fields
                .iter()
                .any(|field| field.name == catalog_field.name)
            {
                let optional = if catalog_field.optional { "?" } else { "" };
                findings.push(
                    Rule::DataModel
                        .error(
                            listed.span,
                            format!(
                                "the data model's `{}` lacks field `{}` of the catalog",
                                listed.name, catalog_field.name
                            ),
                        )
                        .with_note(catalog_field.span, "the catalog's field")
                        .with_help(format!(
                            "add `{}{optional}` to this list, or remove it from the catalog",
                            catalog_field.name
                        )),
                );
            }
        }
    }
    findings
}
