//! A written state transition against the family's status values: the
//! data model may not name a status that no event can set.

use crate::diagnostics::{Diagnostic, Rule};
use crate::ir::{Catalog, FieldType};

/// An error at each written transition whose `from` or `to` is not a value
/// of the family's status field (the enum an event such as
/// `ConversationCreated` sets it from). Families whose status has no listed
/// values are not checked.
pub fn states_are_status_values(catalog: &Catalog) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for lifecycle in &catalog.lifecycles {
        let status = lifecycle
            .initial
            .iter()
            .find_map(|(event_name, field_name)| {
                let (_, event) = catalog
                    .events()
                    .find(|(_, event)| &event.name == event_name)?;
                let field = event
                    .fields
                    .iter()
                    .find(|field| &field.name == field_name)?;
                match field.ty {
                    FieldType::Enum(id) => Some((event, field, catalog.enum_type(id))),
                    _ => None,
                }
            });
        let Some((event, field, values)) = status else {
            continue;
        };
        let known: Vec<&str> = values
            .variants
            .iter()
            .map(|variant| variant.value.as_str())
            .collect();
        for transition in lifecycle
            .transitions
            .iter()
            .filter(|transition| transition.written)
        {
            let states = transition.from.iter().chain([&transition.to]);
            for state in states.filter(|state| !known.contains(&state.as_str())) {
                let help = match crate::parse::closest_name(state, known.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => format!(
                        "name one of {}, or add `{state}` to the status values",
                        known.join(", ")
                    ),
                };
                errors.push(
                    Rule::Lifecycle.error(
                        transition.span,
                        format!(
                            "the transition names the status `{state}`, which `{}`'s `{}` cannot hold",
                            lifecycle.family, field.name
                        ),
                    )
                    .with_note(
                        field.span,
                        format!(
                            "`{}` sets `{}` to one of {}",
                            event.name,
                            field.name,
                            known.join(", ")
                        ),
                    )
                    .with_help(help),
                );
            }
        }
    }
    errors
}
