//! The catalog.md dialect: `## Family`, `### EventName` (or `### A / B`),
//! and the bullets `Purpose:`, `Required:`, `Invariants:`, `Preconditions:`,
//! `Postconditions:`, `Example:`. Everything else is documentation.

use super::fields::{parse_field_list, ListSource};
use super::markdown::{outline, push_block, push_paragraph, Block, BlockKind, SpannedText};
use super::text::split_trimmed;
use super::transitions::{read_transitions, RawTransition};
use super::type_expr::RawField;
use crate::diagnostics::{Diagnostic, Rule};
use crate::ident;
use crate::ir::{Doc, EventDocs, ExampleRef, FileId, InlineExample, Span};

#[derive(Debug, Clone, Default)]
pub struct RawCatalog {
    pub title: Option<String>,
    pub doc: Doc,
    pub families: Vec<RawFamily>,
    /// Some `###` heading was read, even if no event came of it.
    pub has_event_headings: bool,
    /// Its "State Transitions" lines.
    pub transitions: Vec<RawTransition>,
    /// Named object types: `### type Money` sections.
    pub types: Vec<RawType>,
}

/// A named object type as written: `### type Money` with a `Fields:` bullet.
#[derive(Debug, Clone)]
pub struct RawType {
    pub name: String,
    pub span: Span,
    pub doc: Doc,
    /// `None` when the section has no `Fields:` bullet.
    pub fields: Option<Vec<RawField>>,
}

/// The heading prefix of a named type: `### type Money`. An event name is
/// one PascalCase word, so no event heading starts so.
const TYPE_PREFIX: &str = "type ";

#[derive(Debug, Clone)]
pub struct RawFamily {
    pub name: String,
    pub span: Span,
    pub doc: Doc,
    pub events: Vec<RawEvent>,
}

#[derive(Debug, Clone)]
pub struct RawEvent {
    pub name: String,
    pub span: Span,
    pub docs: EventDocs,
    /// `None` when the event has no `Required:` bullet.
    pub fields: Option<Vec<RawField>>,
    /// Fields a `PII:` bullet names as personal data.
    pub pii: Vec<(String, Span)>,
    pub examples: Vec<ExampleRef>,
    pub inline_examples: Vec<InlineExample>,
    /// A `Version:` bullet (or the dotted dialect's `Schema` line): the
    /// value and where it is written.
    pub version: Option<(String, Span)>,
    /// A `Wire name:` bullet: the discriminator's value on the wire when it
    /// is not the event's name (`com.acme.orders.placed.v1`).
    pub wire_name: Option<(String, Span)>,
    /// Who publishes the event (the JSON dialect's `**Producer**` line).
    pub producer: Option<String>,
    /// Who reads it (`**Consumers**`), in the catalog's order.
    pub consumers: Vec<String>,
    /// A `Schema:` bullet: the JSON Schema of the payload (`FILE` or
    /// `FILE#/pointer`), and where it is written.
    pub schema: Option<(String, Span)>,
    /// A `Compatibility:` bullet: the event's compatibility mode, as
    /// written, and where.
    pub compatibility: Option<(String, Span)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bullet {
    Purpose,
    Required,
    Invariants,
    Preconditions,
    Postconditions,
    Example,
    Pii,
    Version,
    WireName,
    Schema,
    Compatibility,
}

impl Bullet {
    const ALL: [(Bullet, &'static str); 11] = [
        (Bullet::Purpose, "Purpose"),
        (Bullet::Required, "Required"),
        (Bullet::Invariants, "Invariants"),
        (Bullet::Preconditions, "Preconditions"),
        (Bullet::Postconditions, "Postconditions"),
        (Bullet::Example, "Example"),
        (Bullet::Pii, "PII"),
        (Bullet::Version, "Version"),
        (Bullet::WireName, "Wire name"),
        (Bullet::Schema, "Schema"),
        (Bullet::Compatibility, "Compatibility"),
    ];

    fn parse(key: &str) -> Option<Bullet> {
        // A named type lists its fields under `Fields:`, an event under
        // `Required:`; either reads the same.
        if key.eq_ignore_ascii_case("Fields") {
            return Some(Bullet::Required);
        }
        Self::ALL
            .iter()
            .find(|(_, name)| name.eq_ignore_ascii_case(key))
            .map(|(bullet, _)| *bullet)
    }

    /// The bullet a misspelled key probably meant (`Requird` → `Required`).
    fn near(key: &str) -> Option<Bullet> {
        let key = key.to_ascii_lowercase();
        Self::ALL
            .iter()
            .find(|(_, name)| strsim::levenshtein(&key, &name.to_ascii_lowercase()) <= 2)
            .map(|(bullet, _)| *bullet)
    }

    fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(bullet, _)| *bullet == self)
            .map(|(_, name)| *name)
            .unwrap_or_default()
    }
}

/// The bullets of one `###` section, shared by every name in its heading.
#[derive(Debug, Default)]
struct Section {
    names: Vec<(String, Span)>,
    docs: EventDocs,
    fields: Option<Vec<RawField>>,
    pii: Vec<(String, Span)>,
    examples: Vec<ExampleRef>,
    version: Option<(String, Span)>,
    wire_name: Option<(String, Span)>,
    compatibility: Option<(String, Span)>,
    schema: Option<(String, Span)>,
    seen: Vec<(Bullet, Span)>,
    /// The last top-level bullet, which nested items continue.
    last_bullet: Option<Bullet>,
    /// A `### type Name` section: a named type, not events.
    named_type: Option<(String, Span)>,
}

pub fn parse_catalog(file: FileId, source: &str, errors: &mut Vec<Diagnostic>) -> RawCatalog {
    let mut reader = Reader {
        file,
        catalog: RawCatalog::default(),
        section: None,
        in_orphan_section: false,
        errors,
    };
    let blocks = outline(source);
    for block in &blocks {
        reader.block(block);
    }
    reader.close_section();
    let mut catalog = reader.catalog;
    catalog.transitions = read_transitions(file, &blocks, errors);
    catalog
}

struct Reader<'e> {
    file: FileId,
    catalog: RawCatalog,
    section: Option<Section>,
    /// Inside an event heading that has no family: its bullets are skipped.
    in_orphan_section: bool,
    errors: &'e mut Vec<Diagnostic>,
}

impl Reader<'_> {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    fn block(&mut self, block: &Block) {
        match block.kind {
            BlockKind::Heading(1) => {
                self.close_section();
                if self.catalog.title.is_none() {
                    self.catalog.title = Some(block.text.plain().trim().to_owned());
                }
            }
            BlockKind::Heading(2) => {
                self.close_section();
                self.open_family(block);
            }
            BlockKind::Heading(3) => {
                self.close_section();
                self.open_section(block);
            }
            BlockKind::Item { depth } if self.section.is_some() => self.section_item(block, depth),
            BlockKind::CodeBlock { .. } => {}
            _ => self.documentation(block),
        }
    }

    /// Text outside the bullets: notes of the event, family or catalog.
    fn documentation(&mut self, block: &Block) {
        if self.in_orphan_section {
            return;
        }
        let doc = match (&mut self.section, self.catalog.families.last_mut()) {
            (Some(section), _) => &mut section.docs.notes,
            (None, Some(family)) => &mut family.doc,
            (None, None) => &mut self.catalog.doc,
        };
        push_block(doc, block);
    }

    fn open_family(&mut self, block: &Block) {
        let name = block.text.plain().trim().to_owned();
        let span = self.span(block.range.clone());
        if name.is_empty() {
            self.errors.push(
                Rule::Catalog
                    .error(span, "empty family heading")
                    .with_help("name the aggregate, as in `## Customer`"),
            );
            return;
        }
        if let Some(first) = self
            .catalog
            .families
            .iter()
            .find(|family| family.name == name)
        {
            self.errors.push(
                Rule::Catalog
                    .error(span, format!("duplicate family `{name}`"))
                    .with_note(first.span, "first defined here")
                    .with_help("put all of a family's events under one heading"),
            );
        }
        self.catalog.families.push(RawFamily {
            name,
            span,
            doc: Doc::default(),
            events: Vec::new(),
        });
    }

    fn open_section(&mut self, block: &Block) {
        let heading = self.span(block.range.clone());
        let plain = block.text.plain();
        if let Some(name) = plain.trim().strip_prefix(TYPE_PREFIX) {
            self.open_type(block, name.trim(), heading);
            return;
        }
        self.catalog.has_event_headings = true;
        if self.catalog.families.is_empty() {
            self.in_orphan_section = true;
            self.errors.push(
                Rule::Catalog
                    .error(heading, "event heading outside a family")
                    .with_help("add a `## Family` heading (the aggregate type) above the event"),
            );
            return;
        }
        let plain = block.text.plain();
        let mut names = Vec::new();
        for part in split_trimmed(&plain, 0..plain.len(), '/') {
            let name = &plain[part.clone()];
            let range = block.text.source_range(part);
            let span = if name.is_empty() {
                heading
            } else {
                self.span(range)
            };
            if ident::is_pascal_case(name) {
                names.push((name.to_owned(), span));
            } else if name.is_empty() {
                self.errors.push(
                    Rule::Catalog
                        .error(span, "empty event name in heading")
                        .with_help("write `### EventName` or `### First / Second`"),
                );
            } else {
                let error = Rule::Catalog.error(
                    span,
                    format!("event name `{name}` is not a PascalCase identifier"),
                );
                self.errors.push(match ident::suggest_pascal_case(name) {
                    Some(suggestion) => error.with_help(format!("write it as `{suggestion}`")),
                    None => error.with_help(
                        "use ASCII letters and digits, starting with an upper-case letter",
                    ),
                });
            }
        }
        self.section = Some(Section {
            names,
            ..Section::default()
        });
    }

    /// `### type Money`: a named type, allowed under any heading.
    fn open_type(&mut self, block: &Block, name: &str, heading: Span) {
        let plain = block.text.plain();
        let start = plain.find(name).unwrap_or(0);
        let span = if name.is_empty() {
            heading
        } else {
            self.span(block.text.source_range(start..start + name.len()))
        };
        if !ident::is_pascal_case(name) {
            let error = Rule::Catalog.error(
                span,
                format!("type name `{name}` is not a PascalCase identifier"),
            );
            self.errors.push(match ident::suggest_pascal_case(name) {
                Some(suggestion) => error.with_help(format!("write it as `{suggestion}`")),
                None => error.with_help("write `### type Money`: `type`, then a PascalCase name"),
            });
            self.in_orphan_section = true;
            return;
        }
        self.section = Some(Section {
            named_type: Some((name.to_owned(), span)),
            ..Section::default()
        });
    }

    fn section_item(&mut self, block: &Block, depth: usize) {
        let plain = block.text.plain();
        let item_span = self.span(block.range.clone());
        let keyed = plain
            .split_once(':')
            .and_then(|(key, _)| Bullet::parse(key.trim()));
        let section = self
            .section
            .as_mut()
            .expect("items are routed here only inside a section");
        match keyed {
            Some(bullet) if depth == 1 => {
                section.last_bullet = Some(bullet);
                if let Some((_, first)) = section.seen.iter().find(|(seen, _)| *seen == bullet) {
                    self.errors.push(
                        Rule::Catalog
                            .error(item_span, format!("duplicate `{}:` bullet", bullet.name()))
                            .with_note(*first, "first given here")
                            .with_help("merge the two bullets into one"),
                    );
                    return;
                }
                section.seen.push((bullet, item_span));
                let value_start = plain.find(':').map_or(plain.len(), |colon| colon + 1);
                self.bullet(bullet, &block.text, &plain, value_start);
            }
            _ => {
                if let (1, None, Some((key, _))) = (depth, keyed, plain.split_once(':')) {
                    if let Some(meant) = Bullet::near(key.trim()) {
                        let key_range = block.text.source_range(0..key.len());
                        let key_span = Span::new(self.file, key_range);
                        self.errors.push(
                            Rule::Catalog
                                .warning(
                                    key_span,
                                    format!(
                                        "`{}:` is not a catalog bullet; read as a note",
                                        key.trim()
                                    ),
                                )
                                .with_help(format!("did you mean `{}:`?", meant.name())),
                        );
                    }
                }
                // A nested item continues the bullet above it; anything else is a note.
                let doc = block.text.doc_from(0);
                let target = match (depth, section.last_bullet) {
                    (2.., Some(bullet)) => doc_of(&mut section.docs, bullet),
                    _ => &mut section.docs.notes,
                };
                push_paragraph(target, doc);
            }
        }
    }

    fn bullet(&mut self, bullet: Bullet, text: &SpannedText, plain: &str, value_start: usize) {
        let file = self.file;
        let section = self
            .section
            .as_mut()
            .expect("bullets are read only inside a section");
        match bullet {
            Bullet::Required => {
                let list = ListSource {
                    file,
                    text,
                    plain,
                    start: value_start,
                };
                section.fields = Some(parse_field_list(&list, self.errors));
            }
            Bullet::Pii => {
                let list = ListSource {
                    file,
                    text,
                    plain,
                    start: value_start,
                };
                section.pii = parse_field_list(&list, self.errors)
                    .into_iter()
                    .map(|field| (field.name, field.span))
                    .collect();
            }
            Bullet::Version | Bullet::WireName | Bullet::Schema | Bullet::Compatibility => {
                let value = plain[value_start..].trim().trim_matches('`').trim();
                let start = value_start + plain[value_start..].find(value).unwrap_or(0);
                let range = text.source_range(start..start + value.len().max(1));
                let value = Some((value.to_owned(), Span::new(file, range)));
                match bullet {
                    Bullet::Version => section.version = value,
                    Bullet::Schema => section.schema = value,
                    Bullet::Compatibility => section.compatibility = value,
                    _ => section.wire_name = value,
                }
            }
            Bullet::Example => {
                let examples = example_paths(file, text, plain, value_start);
                if examples.is_empty() {
                    let range = text.source_range(value_start.saturating_sub(1)..value_start);
                    self.errors.push(
                        Rule::Catalog.error(Span::new(file, range), "empty `Example:` bullet")
                            .with_help("name the example file, as in: Example: `examples/customer_created.example.json`"),
                    );
                }
                section.examples = examples;
            }
            prose => push_paragraph(doc_of(&mut section.docs, prose), text.doc_from(value_start)),
        }
    }

    fn close_section(&mut self) {
        self.in_orphan_section = false;
        let Some(section) = self.section.take() else {
            return;
        };
        if let Some((name, span)) = section.named_type {
            let mut doc = section.docs.purpose;
            doc.paragraphs.extend(section.docs.notes.paragraphs);
            self.catalog.types.push(RawType {
                name,
                span,
                doc,
                fields: section.fields,
            });
            return;
        }
        let family = self
            .catalog
            .families
            .last_mut()
            .expect("sections open only inside a family");
        for (name, span) in section.names {
            family.events.push(RawEvent {
                name,
                span,
                docs: section.docs.clone(),
                fields: section.fields.clone(),
                pii: section.pii.clone(),
                examples: section.examples.clone(),
                inline_examples: Vec::new(),
                version: section.version.clone(),
                wire_name: section.wire_name.clone(),
                producer: None,
                consumers: Vec::new(),
                schema: section.schema.clone(),
                compatibility: section.compatibility.clone(),
            });
        }
    }
}

/// The paths of an `Example:` bullet: its code spans, or else its
/// comma-separated words.
fn example_paths(
    file: FileId,
    text: &SpannedText,
    plain: &str,
    value_start: usize,
) -> Vec<ExampleRef> {
    let mut ranges = Vec::new();
    let mut offset = 0;
    for piece in &text.pieces {
        let range = offset..offset + piece.text.len();
        offset = range.end;
        if piece.code && range.start >= value_start && !piece.text.trim().is_empty() {
            ranges.push(range);
        }
    }
    if ranges.is_empty() {
        let parts = split_trimmed(plain, value_start..plain.len(), ',');
        ranges.extend(parts.into_iter().filter(|part| !part.is_empty()));
    }
    ranges
        .into_iter()
        .map(|range| {
            let source = text.source_range(range.clone());
            ExampleRef {
                path: plain[range].trim().to_owned(),
                span: Span::new(file, source),
            }
        })
        .collect()
}

/// Where a bullet's prose goes; nested items under `Required:` or
/// `Example:` (and the other non-prose bullets) are notes.
fn doc_of(docs: &mut EventDocs, bullet: Bullet) -> &mut Doc {
    match bullet {
        Bullet::Purpose => &mut docs.purpose,
        Bullet::Invariants => &mut docs.invariants,
        Bullet::Preconditions => &mut docs.preconditions,
        Bullet::Postconditions => &mut docs.postconditions,
        Bullet::Required
        | Bullet::Example
        | Bullet::Pii
        | Bullet::Version
        | Bullet::WireName
        | Bullet::Schema
        | Bullet::Compatibility => &mut docs.notes,
    }
}
