//! The JSON-payload dialect (the NeverMissCall catalog): `## N) Telephony
//! Domain` sections, events headed `### 1.1 \`nmc.telephony.CallDetected\``
//! with `**When**`, `**Producer**`, `**Consumers**` and `**Schema \`1.0.0\`**`
//! bullets and a JSON block `{ "payload": { … } }` whose values are type
//! hints, and the envelope given as a JSON block in an "Envelope" section.

use std::sync::LazyLock;

use jsonc_parser::ast::{Object, Value as Node};
use jsonc_parser::common::Ranged;
use jsonc_parser::{parse_to_ast, CollectOptions, ParseOptions};
use regex::Regex;

use super::catalog::{RawCatalog, RawEvent, RawFamily};
use super::hints::read_hint;
use super::markdown::{outline, push_block, push_paragraph, Block, BlockKind, SpannedText};
use super::type_expr::RawField;
use crate::diagnostics::{Diagnostic, Rule};
use crate::ident;
use crate::ir::{Doc, EventDocs, FileId, InlineExample, Span};

/// `nmc.telephony.CallDetected`: lower-case segments, then the event.
static DOTTED_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z][a-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$").expect("valid"));

/// The envelope as the catalog's own JSON block gives it.
#[derive(Debug, Clone)]
pub struct RawEnvelope {
    pub fields: Vec<RawField>,
    pub payload_position: usize,
    pub span: Span,
}

/// Whether a catalog is written in this dialect: some event heading names a
/// dotted event in a code span.
pub fn is_json_catalog(source: &str) -> bool {
    outline(source)
        .iter()
        .any(|block| block.kind == BlockKind::Heading(3) && dotted_name(&block.text).is_some())
}

fn dotted_name(text: &SpannedText) -> Option<(String, std::ops::Range<usize>)> {
    let mut offset = 0;
    for piece in &text.pieces {
        let range = offset..offset + piece.text.len();
        offset = range.end;
        if piece.code && DOTTED_NAME.is_match(piece.text.trim()) {
            return Some((piece.text.trim().to_owned(), range));
        }
    }
    None
}

#[derive(PartialEq)]
enum Section {
    Preamble,
    Envelope,
    Examples,
    Other,
}

struct Reader<'e> {
    file: FileId,
    catalog: RawCatalog,
    envelope: Option<RawEnvelope>,
    section: Section,
    /// The event being read, with whether its payload block was seen.
    event: Option<(RawEvent, String, bool)>,
    /// In the examples section: the event the next JSON block is an example of.
    example_of: Option<(String, Span)>,
    /// Full example envelopes: the event named by the heading, the heading, the example.
    inline_examples: Vec<(String, Span, InlineExample)>,
    errors: &'e mut Vec<Diagnostic>,
}

pub fn parse_json_catalog(
    file: FileId,
    source: &str,
    errors: &mut Vec<Diagnostic>,
) -> (RawCatalog, Option<RawEnvelope>) {
    let mut reader = Reader {
        file,
        catalog: RawCatalog::default(),
        envelope: None,
        section: Section::Preamble,
        event: None,
        example_of: None,
        inline_examples: Vec::new(),
        errors,
    };
    for block in outline(source) {
        reader.block(&block);
    }
    reader.close_event();
    reader.attach_inline_examples();
    if reader.envelope.is_none() {
        reader.errors.push(
            Rule::Catalog.error(Span { file, start: 0, end: 0 }, "the catalog has no envelope block")
                .with_help("add a `## Envelope` section with a ```json block of the envelope's fields, or pass --envelope"),
        );
    }
    (reader.catalog, reader.envelope)
}

impl Reader<'_> {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    fn block(&mut self, block: &Block) {
        match &block.kind {
            BlockKind::Heading(1) if self.catalog.title.is_none() => {
                self.catalog.title = Some(block.text.plain().trim().to_owned())
            }
            BlockKind::Heading(2) => {
                self.close_event();
                let title = block.text.plain().to_ascii_lowercase();
                // "Examples (full envelopes)" is examples, not the envelope.
                self.section = if title.contains("example") {
                    Section::Examples
                } else if title.contains("envelope") {
                    Section::Envelope
                } else {
                    Section::Other
                };
            }
            BlockKind::Heading(3) => {
                self.close_event();
                if self.section == Section::Examples {
                    self.example_of = dotted_name(&block.text)
                        .map(|(name, range)| (name, self.span(block.text.source_range(range))));
                } else {
                    self.open_event(block);
                }
            }
            BlockKind::CodeBlock { .. } => self.code_block(block),
            BlockKind::Item { .. } if self.event.is_some() => self.bullet(block),
            _ => self.documentation(block),
        }
    }

    fn documentation(&mut self, block: &Block) {
        let doc = match (&mut self.event, self.catalog.families.last_mut()) {
            (Some((event, _, _)), _) => &mut event.docs.notes,
            (None, Some(family)) if self.section == Section::Other => &mut family.doc,
            _ => &mut self.catalog.doc,
        };
        push_block(doc, block);
    }

    fn open_event(&mut self, block: &Block) {
        let Some((name, range)) = dotted_name(&block.text) else {
            self.documentation(block);
            return;
        };
        self.catalog.has_event_headings = true;
        let span = self.span(block.text.source_range(range));
        let segments: Vec<&str> = name.split('.').collect();
        let last = segments[segments.len() - 1];
        if !ident::is_pascal_case(last) {
            self.errors.push(
                Rule::Catalog
                    .error(
                        span,
                        format!("the event `{name}` must end in a PascalCase name"),
                    )
                    .with_help("write it as `prefix.domain.EventName`"),
            );
            return;
        }
        let family = segments[segments.len() - 2].to_owned();
        let event = RawEvent {
            name,
            span,
            docs: EventDocs::default(),
            fields: None,
            pii: Vec::new(),
            examples: Vec::new(),
            inline_examples: Vec::new(),
            version: None,
            wire_name: None,
            producer: None,
            consumers: Vec::new(),
            schema: None,
            compatibility: None,
        };
        self.event = Some((event, family, false));
    }

    /// `**When**: …` is the purpose; Producer, Consumers and the schema
    /// version are notes, and `**Schema `1.0.0`**` is also the version.
    fn bullet(&mut self, block: &Block) {
        let plain = block.text.plain();
        let Some((event, _, _)) = &mut self.event else {
            return;
        };
        let inlines = block.text.doc_from(0);
        if let Some(rest) = plain.strip_prefix("Schema ") {
            let value = rest.trim().trim_matches('`').trim();
            let start = plain.len() - rest.len() + rest.find(value).unwrap_or(0);
            let range = block.text.source_range(start..start + value.len().max(1));
            event.version = Some((value.to_owned(), Span::new(self.file, range)));
        }
        // Who publishes and who reads the event: the AsyncAPI operations.
        if let Some(rest) = plain.strip_prefix("Producer:") {
            event.producer = Some(rest.trim().to_owned()).filter(|name| !name.is_empty());
        }
        if let Some(rest) = plain.strip_prefix("Consumers:") {
            event.consumers = rest
                .split(',')
                .map(str::trim)
                .filter(|name| !name.is_empty())
                .map(str::to_owned)
                .collect();
        }
        if let Some(rest) = plain.strip_prefix("When:") {
            let start = plain.len() - rest.len();
            push_paragraph(&mut event.docs.purpose, block.text.doc_from(start));
        } else {
            push_paragraph(&mut event.docs.notes, inlines);
        }
    }

    fn code_block(&mut self, block: &Block) {
        let Some(first) = block.text.pieces.first() else {
            return;
        };
        let offset = first.range.start;
        if self.section == Section::Examples {
            if let Some((name, heading)) = self.example_of.take() {
                let end = block
                    .text
                    .pieces
                    .last()
                    .map_or(offset, |piece| piece.range.end);
                let value = serde_json::from_str(&block.text.plain()).ok();
                let example = InlineExample {
                    span: self.span(offset..end),
                    value,
                };
                self.inline_examples.push((name, heading, example));
            }
            return;
        }
        let text = block.text.plain();
        let options = ParseOptions {
            allow_trailing_commas: false,
            ..ParseOptions::default()
        };
        let root = match parse_to_ast(&text, &CollectOptions::default(), &options) {
            Ok(result) => result.value,
            Err(error) => {
                if self.section == Section::Envelope || self.event.is_some() {
                    let range = error.range();
                    let span =
                        self.span(offset + range.start..offset + range.end.max(range.start + 1));
                    self.errors.push(Rule::Catalog.error(
                        span,
                        format!("this JSON block is not valid JSON: {}", error.kind()),
                    ));
                }
                return;
            }
        };
        let Some(object) = root.as_ref().and_then(Node::as_object) else {
            return;
        };
        if self.section == Section::Envelope && self.envelope.is_none() {
            self.envelope = Some(self.envelope_block(object, offset, block));
        } else if self.event.is_some() {
            self.payload_block(object, offset);
        }
    }

    fn envelope_block(&mut self, object: &Object<'_>, offset: usize, block: &Block) -> RawEnvelope {
        let mut fields = Vec::new();
        let mut payload_position = None;
        for property in &object.properties {
            if property.name.as_str() == "payload" {
                payload_position = Some(fields.len());
                continue;
            }
            if let Some(field) = self.hinted_field(
                property.name.as_str(),
                &property.name,
                &property.value,
                offset,
            ) {
                fields.push(field);
            }
        }
        let span = self.span(block.range.clone());
        if payload_position.is_none() {
            self.errors.push(
                Rule::Catalog
                    .error(span, "the envelope block has no `payload`")
                    .with_help("add `\"payload\": { }`"),
            );
        }
        RawEnvelope {
            payload_position: payload_position.unwrap_or(fields.len()),
            fields,
            span,
        }
    }

    fn payload_block(&mut self, object: &Object<'_>, offset: usize) {
        let Some(payload) = object.get("payload") else {
            let range = object.range();
            let span = self.span(offset + range.start..offset + range.start + 1);
            self.errors
                .push(Rule::Catalog.error(span, "the event's JSON block has no `payload` object"));
            return;
        };
        let Some(payload_object) = payload.value.as_object() else {
            let range = payload.value.range();
            self.errors.push(Rule::Catalog.error(
                self.span(offset + range.start..offset + range.end),
                "`payload` must be an object of field hints",
            ));
            return;
        };
        let mut fields = Vec::new();
        for property in &payload_object.properties {
            if let Some(field) = self.hinted_field(
                property.name.as_str(),
                &property.name,
                &property.value,
                offset,
            ) {
                if let Some(first) = fields
                    .iter()
                    .find(|earlier: &&RawField| earlier.name == field.name)
                {
                    self.errors.push(
                        Rule::Catalog
                            .error(field.span, format!("duplicate field `{}`", field.name))
                            .with_note(first.span, "first listed here"),
                    );
                    continue;
                }
                fields.push(field);
            }
        }
        if let Some((event, _, seen)) = &mut self.event {
            event.fields = Some(fields);
            *seen = true;
        }
    }

    fn hinted_field(
        &mut self,
        name: &str,
        name_node: &dyn Ranged,
        value: &Node<'_>,
        offset: usize,
    ) -> Option<RawField> {
        let range = name_node.range();
        let span = self.span(offset + range.start..offset + range.end);
        match read_hint(self.file, offset, value) {
            Ok(hint) => Some(RawField {
                name: name.to_owned(),
                span,
                optional: false,
                declared_type: Some(hint.ty),
                nullable: hint.nullable,
                examples: hint.example.into_iter().collect(),
            }),
            Err((message, at)) => {
                self.errors.push(
                    Rule::Catalog.error(at, format!("cannot read the type hint of `{name}`: {message}"))
                        .with_help("hints are `\"uuid\"`, `\"string|null\"`, `\"a|b|c\"`, `[\"uuid\"]`, `{ \"field\": hint }`, `true`, or a sample value"),
                );
                None
            }
        }
    }

    /// Gives each example of the examples section to the event it names.
    fn attach_inline_examples(&mut self) {
        for (name, heading, json) in std::mem::take(&mut self.inline_examples) {
            let event = self
                .catalog
                .families
                .iter_mut()
                .flat_map(|family| family.events.iter_mut())
                .find(|event| event.name == name);
            match event {
                Some(event) => event.inline_examples.push(json),
                None => self.errors.push(Rule::Catalog.error(
                    heading,
                    format!("an example of `{name}`, which the catalog does not define"),
                )),
            }
        }
    }

    fn close_event(&mut self) {
        let Some((event, family, seen)) = self.event.take() else {
            return;
        };
        if !seen {
            self.errors.push(
                Rule::Catalog.error(event.span, format!("event `{}` has no JSON payload block", event.name))
                    .with_help("add a ```json block `{ \"payload\": { \"field\": \"hint\" } }` under the heading"),
            );
            return;
        }
        let target = match self
            .catalog
            .families
            .iter_mut()
            .find(|existing| existing.name == family)
        {
            Some(existing) => existing,
            None => {
                self.catalog.families.push(RawFamily {
                    name: family,
                    span: event.span,
                    doc: Doc::default(),
                    events: Vec::new(),
                });
                self.catalog.families.last_mut().expect("just pushed")
            }
        };
        target.events.push(event);
    }
}
