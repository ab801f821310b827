//! data-model.md: the `## Entities` list, whose lines such as
//! `- Provider: provider_id, kind (sms/mms/email), status` give the value
//! sets of an aggregate's fields.

use std::ops::Range;

use super::fields::{parse_field_list, ListSource};
use super::markdown::{outline, BlockKind, SpannedText};
use super::text::{find_unquoted, split_trimmed, trim_range};
use super::transitions::{read_transitions, RawTransition};
use super::type_expr::RawField;
use crate::diagnostics::{Diagnostic, Rule};
use crate::ident;
use crate::ir::{FileId, Span};

#[derive(Debug, Clone, Default)]
pub struct DataModel {
    pub entities: Vec<Entity>,
    /// Lines such as `- CustomerCreated: { customer_id, name }`: an event's
    /// fields as the data model lists them, compared with the catalog.
    pub events: Vec<ModelEvent>,
    /// Its "State Transitions" lines.
    pub transitions: Vec<RawTransition>,
}

#[derive(Debug, Clone)]
pub struct ModelEvent {
    pub name: String,
    pub span: Span,
    pub fields: Vec<RawField>,
}

#[derive(Debug, Clone)]
pub struct Entity {
    pub name: String,
    pub fields: Vec<EntityField>,
}

#[derive(Debug, Clone)]
pub struct EntityField {
    /// As written, without the `?` that marks it optional (the catalog,
    /// not the data model, says what is required).
    pub name: String,
    /// `kind (sms/mms)`: the values, when the parenthesis lists several.
    pub values: Option<(Vec<(String, Span)>, Span)>,
}

impl DataModel {
    pub fn entity(&self, name: &str) -> Option<&Entity> {
        self.entities.iter().find(|entity| entity.name == name)
    }
}

pub fn parse_data_model(file: FileId, source: &str, errors: &mut Vec<Diagnostic>) -> DataModel {
    let mut model = DataModel::default();
    let mut in_entities = false;
    let blocks = outline(source);
    model.transitions = read_transitions(file, &blocks, errors);
    for block in blocks {
        match block.kind {
            BlockKind::Heading(level) if level <= 2 => {
                in_entities = block.text.plain().trim().eq_ignore_ascii_case("entities");
            }
            BlockKind::Item { depth: 1 } if in_entities => {
                if let Some(entity) = parse_entity(file, &block.text, errors) {
                    model.entities.push(entity);
                }
            }
            BlockKind::Item { .. } => {
                model
                    .events
                    .extend(parse_event_fields(file, &block.text, errors))
            }
            _ => {}
        }
    }
    model
}

fn parse_entity(file: FileId, text: &SpannedText, errors: &mut Vec<Diagnostic>) -> Option<Entity> {
    let plain = text.plain();
    let span = |range: Range<usize>| {
        let range = text.source_range(range);
        Span::new(file, range)
    };
    let colon = plain.find(':')?;
    let name = plain[..colon].trim().to_owned();
    let mut fields = Vec::new();
    for range in split_trimmed(&plain, colon + 1..plain.len(), ',') {
        let entry_start = range.start;
        let entry = &plain[range.clone()];
        if entry.is_empty() {
            continue;
        }
        let (head, paren) = match find_unquoted(&plain, range.clone(), '(') {
            Some(open) => (&entry[..open - entry_start], Some(open - entry_start)),
            None => (entry, None),
        };
        let head_trimmed = head.trim_end();
        let written = head_trimmed.trim_end_matches('?').trim_end();
        let field_span = span(entry_start..entry_start + written.len());
        // A key with spaces or punctuation is quoted, as in field lists.
        let field_name = if written.starts_with('"') {
            match serde_json::from_str::<String>(written) {
                Ok(name) => name,
                Err(_) => {
                    errors.push(
                        Rule::DataModel
                            .error(field_span, "cannot read the quoted field name")
                            .with_help("a quoted name is a JSON string, as in `\"first name\"`"),
                    );
                    continue;
                }
            }
        } else {
            written.to_owned()
        };
        let values = match paren {
            None => None,
            Some(open) => {
                let open = entry_start + open;
                let Some(close) = plain[open..range.end].find(')').map(|at| open + at) else {
                    errors.push(
                        Rule::DataModel
                            .error(span(open..open + 1), "unclosed `(` in the entity line")
                            .with_help("close the value list with `)`"),
                    );
                    continue;
                };
                enum_values(&plain, open + 1..close, &span)
                    .map(|values| (values, span(open..close + 1)))
            }
        };
        fields.push(EntityField {
            name: field_name,
            values,
        });
    }
    Some(Entity { name, fields })
}

/// `EventName: { a, b? }`, anywhere outside the entities.
fn parse_event_fields(
    file: FileId,
    text: &SpannedText,
    errors: &mut Vec<Diagnostic>,
) -> Option<ModelEvent> {
    let plain = text.plain();
    let colon = plain.find(':')?;
    let name_range = trim_range(&plain, 0..colon);
    let name = &plain[name_range.clone()];
    if !ident::is_pascal_case(name) || !plain[colon + 1..].trim_start().starts_with('{') {
        return None;
    }
    let list = ListSource {
        file,
        text,
        plain: &plain,
        start: colon + 1,
    };
    let fields = parse_field_list(&list, errors);
    let range = text.source_range(name_range);
    Some(ModelEvent {
        name: name.to_owned(),
        span: Span::new(file, range),
        fields,
    })
}

/// `sms/mms/email` lists values; `(UTC ISO-8601)` or `(int)` is a remark.
fn enum_values(
    plain: &str,
    range: Range<usize>,
    span: &dyn Fn(Range<usize>) -> Span,
) -> Option<Vec<(String, Span)>> {
    if !plain[range.clone()].contains('/') {
        return None;
    }
    let mut values = Vec::new();
    for value_range in split_trimmed(plain, range, '/') {
        let value = &plain[value_range.clone()];
        if value.is_empty() || value.contains(char::is_whitespace) {
            return None;
        }
        values.push((value.to_owned(), span(value_range)));
    }
    Some(values)
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entity_value_sets_and_ignores_remarks() {
        let source = "# Model\n\n## Entities\n\n- Provider: provider_id, kind (sms/mms/email), status, changed_fields?\n- EventEnvelope: occurred_at (UTC ISO-8601), version (int)\n\n## Other\n\n- Ignored: a (x/y)\n";
        let mut errors = Vec::new();
        let model = parse_data_model(FileId(0), source, &mut errors);
        assert!(errors.is_empty());
        assert_eq!(model.entities.len(), 2);
        let provider = model.entity("Provider").unwrap();
        let kind = provider
            .fields
            .iter()
            .find(|field| field.name == "kind")
            .unwrap();
        let values: Vec<&str> = kind
            .values
            .as_ref()
            .unwrap()
            .0
            .iter()
            .map(|(value, _)| value.as_str())
            .collect();
        assert_eq!(values, ["sms", "mms", "email"]);
        assert!(provider
            .fields
            .iter()
            .any(|field| field.name == "changed_fields"));
        let envelope = model.entity("EventEnvelope").unwrap();
        assert!(envelope.fields.iter().all(|field| field.values.is_none()));
    }

    #[test]
    fn entity_fields_are_keys_as_written() {
        let source = "## Entities\n\n- Instance: instance-id, instanceState (pending/running), \"display name (short)\"?\n";
        let mut errors = Vec::new();
        let model = parse_data_model(FileId(0), source, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        let fields: Vec<(&str, bool)> = model
            .entity("Instance")
            .unwrap()
            .fields
            .iter()
            .map(|field| (field.name.as_str(), field.values.is_some()))
            .collect();
        assert_eq!(
            fields,
            [
                ("instance-id", false),
                ("instanceState", true),
                ("display name (short)", false)
            ]
        );
    }
}
