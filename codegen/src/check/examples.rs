//! The catalog's example files must validate against their event, envelope
//! included: every required field present, every value fitting its type and
//! rules. Findings point at the value in the example file and note the
//! `Example:` reference.

use jsonc_parser::ast::Object;
use jsonc_parser::common::Ranged;
use serde_json::Value;

use super::ValueChecker;
use crate::diagnostics::{Diagnostic, Rule};
use crate::ir::{Catalog, Event, Field, FieldType, FileId, MemberPath, Span};
use crate::parse::parse_strict_json;

/// An example file read for the check, and the events that reference it.
pub struct ExampleInput<'a> {
    pub file: FileId,
    pub text: &'a str,
    /// Where `text` starts in the file (0 for an example file; the JSON
    /// block's start for an example written in the catalog).
    pub offset: usize,
    /// The `Example:` reference (the first, when several events share it).
    pub reference: Span,
    /// Events whose section lists the file; the example names one of them.
    pub events: Vec<&'a str>,
}

impl ExampleInput<'_> {
    /// A span of the file for a byte range of `text`.
    fn span(&self, start: usize, end: usize) -> Span {
        Span {
            file: self.file,
            start: self.offset + start,
            end: self.offset + end,
        }
    }
}

pub fn example_problems(
    catalog: &Catalog,
    checker: &ValueChecker<'_>,
    example: &ExampleInput<'_>,
) -> Vec<Diagnostic> {
    let span = |node: &dyn Ranged| example.span(node.range().start, node.range().end);
    let note = |diagnostic: Diagnostic| {
        diagnostic.with_note(example.reference, "the example is referenced here")
    };
    let root = match parse_strict_json(example.text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            return vec![note(
                Rule::Example.error(example.span(0, 0), "the example is empty"),
            )]
        }
        Err(error) => {
            let range = error.range();
            let at = example.span(
                range.start,
                range.end.max(range.start + 1).min(example.text.len()),
            );
            return vec![note(Rule::Example.error(
                at,
                format!("the example is not valid JSON: {}", error.kind()),
            ))];
        }
    };
    let Some(object) = root.as_object() else {
        return vec![note(Rule::Example.error(
            span(&root),
            "an example must be a JSON object: an event envelope",
        ))];
    };
    let discriminator = &catalog.envelope.discriminator;
    let named_at = member_at(object, discriminator);
    let named = named_at
        .and_then(|value| value.as_string_lit())
        .map(|lit| lit.value.to_string());
    let Some((_, event)) = named
        .as_deref()
        .and_then(|name| catalog.events().find(|(_, event)| event.wire_name == name))
    else {
        let at = named_at.map_or_else(|| span(object), |value| span(value));
        let wire_names: Vec<String> = example
            .events
            .iter()
            .filter_map(|name| catalog.events().find(|(_, event)| event.name == *name))
            .map(|(_, event)| format!("`{}`", event.wire_name))
            .collect();
        let help = format!("set `{discriminator}` to {}", wire_names.join(" or "));
        return vec![note(
            Rule::Example
                .error(
                    at,
                    format!(
                        "the example does not name an event of the catalog in `{discriminator}`"
                    ),
                )
                .with_help(help),
        )];
    };
    if !example.events.contains(&event.name.as_str()) {
        let at = span(named_at.expect("found above"));
        let message = format!(
            "the example is a `{}` event but is referenced by {}",
            event.name,
            example.events.join(" / ")
        );
        return vec![note(Rule::Example.error(at, message))];
    }
    let mut findings = Vec::new();
    let context = Context {
        catalog,
        example,
        checker,
        event,
        findings: &mut findings,
    };
    context.check(object);
    findings.into_iter().map(note).collect()
}

/// The value at a member's path in an example, if every object on the way is one.
fn member_at<'v, 's>(
    object: &'v Object<'s>,
    path: &MemberPath,
) -> Option<&'v jsonc_parser::ast::Value<'s>> {
    let (last, parents) = path.keys().split_last()?;
    let mut object = object;
    for key in parents {
        object = object.get(key)?.value.as_object()?;
    }
    Some(&object.get(last)?.value)
}

struct Context<'a, 'c> {
    catalog: &'a Catalog,
    example: &'a ExampleInput<'a>,
    checker: &'a ValueChecker<'c>,
    event: &'a Event,
    findings: &'a mut Vec<Diagnostic>,
}

impl Context<'_, '_> {
    fn span(&self, node: &dyn Ranged) -> Span {
        self.example.span(node.range().start, node.range().end)
    }

    fn check(mut self, object: &Object<'_>) {
        let envelope = &self.catalog.envelope;
        let fields: Vec<&Field> = envelope.fields.iter().collect();
        let Some(payload) = &envelope.payload else {
            // Flat events: the event's fields beside the envelope's.
            let all: Vec<&Field> = fields.into_iter().chain(&self.event.fields).collect();
            self.fields(object, &all, "", envelope.closed.then_some(&[]));
            return;
        };
        self.envelope_object(object, &fields, &[], envelope.closed, payload);
    }

    /// One object of the envelope (`at` its keys from the root): its fields,
    /// and the object on the way to the payload, or the payload itself.
    fn envelope_object(
        &mut self,
        object: &Object<'_>,
        fields: &[&Field],
        at: &[String],
        closed: bool,
        payload: &MemberPath,
    ) {
        let prefix: String = at.iter().map(|key| format!("{key}.")).collect();
        let next = &payload.keys()[at.len()];
        let holds = payload.parents() == at;
        let (through, others): (Vec<&Field>, Vec<&Field>) = fields
            .iter()
            .partition(|field| !holds && &field.name == next);
        self.fields(object, &others, &prefix, closed.then_some(&[next.as_str()]));
        let Some(prop) = object.get(next) else {
            self.findings.push(Rule::Example.error(
                self.span(object),
                format!(
                    "`{prefix}{next}` is missing from this `{}` example",
                    self.event.name
                ),
            ));
            return;
        };
        let Some(inner) = prop.value.as_object() else {
            self.findings.push(Rule::Example.error(
                self.span(&prop.value),
                format!("`{prefix}{next}` must be an object"),
            ));
            return;
        };
        if holds {
            let payload_fields: Vec<&Field> = self.event.fields.iter().collect();
            let closed = self.event.closed.then_some(&[] as &[&str]);
            self.fields(inner, &payload_fields, &format!("{prefix}{next}."), closed);
            return;
        }
        let nested = through.first().and_then(|field| match field.ty {
            FieldType::Struct(id) => Some(self.catalog.struct_type(id)),
            _ => None,
        });
        if let Some(nested) = nested {
            let inner_fields: Vec<&Field> = nested.fields.iter().collect();
            let mut deeper = at.to_vec();
            deeper.push(next.clone());
            self.envelope_object(inner, &inner_fields, &deeper, nested.closed, payload);
        }
    }

    /// Checks the fields; a closed object refuses other keys than the
    /// fields and those of `closed_except` (the payload's property, outside
    /// flat events).
    fn fields(
        &mut self,
        object: &Object<'_>,
        fields: &[&Field],
        prefix: &str,
        closed_except: Option<&[&str]>,
    ) {
        for field in fields {
            match object.get(&field.name) {
                None if !field.optional => self.findings.push(
                    Rule::Example
                        .error(
                            self.span(object),
                            format!(
                                "`{prefix}{}` is required but missing from this `{}` example",
                                field.name, self.event.name
                            ),
                        )
                        .with_help(format!("add `{}` to the example", field.name)),
                ),
                None => {}
                Some(prop) => {
                    let range = prop.value.range();
                    let value: Value =
                        serde_json::from_str(&self.example.text[range.start..range.end])
                            .unwrap_or(Value::Null);
                    if let Some(problem) = self.checker.problem(field, &value) {
                        self.findings.push(Rule::Example.error(
                            self.span(&prop.value),
                            format!(
                                "`{}` example, `{prefix}{}`: {problem}",
                                self.event.name, field.name
                            ),
                        ));
                    }
                }
            }
        }
        if let Some(allowed) = closed_except {
            for prop in &object.properties {
                let name = prop.name.as_str();
                if !allowed.contains(&name) && !fields.iter().any(|field| field.name == name) {
                    self.findings.push(Rule::Example.error(
                        self.span(&prop.name),
                        format!("`{prefix}{name}` is not a field of the envelope (in this `{}` example)", self.event.name),
                    ));
                }
            }
        }
    }
}
