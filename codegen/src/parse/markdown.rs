//! A flat outline of a Markdown file: headings, list items, paragraphs and
//! code blocks, each with its inline text and the source range of every piece.
//!
//! Both catalog dialects and the data model are read from this outline, so
//! CommonMark details (CRLF, closing `#`s, loose lists, escapes) are
//! pulldown-cmark's business and never ours.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::ir::{Doc, Inline};

/// One run of inline text and the source bytes it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub range: Range<usize>,
    /// An inline code span (its backticks are not part of `text`).
    pub code: bool,
}

/// Inline text that knows where each of its bytes came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpannedText {
    pub pieces: Vec<Piece>,
}

impl SpannedText {
    /// The text with code spans unwrapped.
    pub fn plain(&self) -> String {
        self.pieces
            .iter()
            .map(|piece| piece.text.as_str())
            .collect()
    }

    /// The source offset of a byte index into [`Self::plain`]. Exact inside
    /// pieces that are verbatim source; the piece's start otherwise (escapes,
    /// entities), which still points at the right construct.
    pub fn source_offset(&self, plain_index: usize) -> usize {
        let mut consumed = 0;
        for piece in &self.pieces {
            let len = piece.text.len();
            if plain_index < consumed + len {
                let within = plain_index - consumed;
                return if piece.code {
                    code_offset(piece, within)
                } else if piece.range.len() == len {
                    piece.range.start + within
                } else {
                    piece.range.start
                };
            }
            consumed += len;
        }
        self.pieces.last().map_or(0, |piece| piece.range.end)
    }

    /// The source range of a byte range of [`Self::plain`].
    pub fn source_range(&self, plain: Range<usize>) -> Range<usize> {
        let start = self.source_offset(plain.start);
        let end = if plain.end > plain.start {
            self.source_offset(plain.end - 1) + 1
        } else {
            start
        };
        start..end.max(start)
    }

    /// The inline pieces from a byte index of [`Self::plain`] on, whitespace
    /// folded, as documentation.
    pub fn doc_from(&self, plain_start: usize) -> Vec<Inline> {
        let mut inlines: Vec<Inline> = Vec::new();
        let mut consumed = 0;
        for piece in &self.pieces {
            let len = piece.text.len();
            let skip = plain_start.saturating_sub(consumed).min(len);
            consumed += len;
            let text = &piece.text[skip..];
            if text.is_empty() {
                continue;
            }
            if piece.code {
                inlines.push(Inline::Code(text.to_owned()));
            } else if let Some(Inline::Text(last)) = inlines.last_mut() {
                last.push_str(text);
            } else {
                inlines.push(Inline::Text(text.to_owned()));
            }
        }
        fold_whitespace(inlines)
    }
}

/// Code spans drop their backticks (and one padding space): map into the
/// content by counting from the end of the range, which has no padding
/// ambiguity for the common case.
fn code_offset(piece: &Piece, within: usize) -> usize {
    let source_len = piece.range.len();
    let delimiters = source_len.saturating_sub(piece.text.len()) / 2;
    piece.range.start + delimiters + within
}

fn fold_whitespace(inlines: Vec<Inline>) -> Vec<Inline> {
    let count = inlines.len();
    inlines
        .into_iter()
        .enumerate()
        .filter_map(|(index, inline)| match inline {
            Inline::Code(code) => Some(Inline::Code(code)),
            Inline::Text(text) => {
                let mut folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if index > 0 && text.starts_with(char::is_whitespace) {
                    folded.insert(0, ' ');
                }
                if index + 1 < count
                    && text.ends_with(char::is_whitespace)
                    && !folded.ends_with(' ')
                {
                    folded.push(' ');
                }
                (!folded.is_empty()).then_some(Inline::Text(folded))
            }
        })
        .collect()
}

/// Appends a paragraph unless it is empty.
pub fn push_paragraph(doc: &mut Doc, inlines: Vec<Inline>) {
    if !inlines.is_empty() {
        doc.paragraphs.push(inlines);
    }
}

/// Appends a block of prose: its text as a paragraph, and its Markdown, the
/// items of one list on consecutive lines.
pub fn push_block(doc: &mut Doc, block: &Block) {
    let inlines = block.text.doc_from(0);
    if inlines.is_empty() {
        return;
    }
    doc.paragraphs.push(inlines);
    let is_item = |line: &str| line.trim_start().starts_with("- ");
    if !doc.markdown.is_empty() {
        let previous_item = doc.markdown.lines().last().is_some_and(is_item);
        doc.markdown
            .push_str(if previous_item && is_item(&block.markdown) {
                "\n"
            } else {
                "\n\n"
            });
    }
    doc.markdown.push_str(&block.markdown);
}

/// A block's own Markdown, from the source it was read from.
fn block_markdown(block: &Block, source: &str) -> String {
    let written = |range: Range<usize>| source.get(range).unwrap_or_default().trim();
    match block.kind {
        BlockKind::Item { depth } => {
            // The item's own lines: from its marker to the end of the line
            // its last text is on, before any list nested in it.
            let end = block
                .text
                .pieces
                .iter()
                .map(|piece| piece.range.end)
                .max()
                .unwrap_or(block.range.start)
                .max(block.range.start);
            let line_end = source[end.min(source.len())..]
                .find('\n')
                .map_or(source.len(), |at| end + at);
            let own = written(block.range.start..line_end.min(block.range.end));
            let text = own
                .strip_prefix(['-', '*', '+'])
                .or_else(|| {
                    let digits =
                        own.len() - own.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                    own[digits..]
                        .strip_prefix(['.', ')'])
                        .filter(|_| digits > 0)
                })
                .unwrap_or(own)
                .trim();
            let lines: Vec<&str> = text.lines().map(str::trim).collect();
            format!(
                "{}- {}",
                "  ".repeat(depth.saturating_sub(1)),
                lines.join(" ")
            )
        }
        // A paragraph quoted over several lines carries the quote's `>`
        // on every line but its first: a `>` starting a line inside a
        // paragraph can only be that marker, since it would otherwise have
        // begun a quote of its own.
        _ => written(block.range.clone())
            .lines()
            .enumerate()
            .map(|(index, line)| match index {
                0 => line,
                _ => without_quote_markers(line),
            })
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// A line without the `>` markers (and the space after each) of the quotes
/// it sits in.
fn without_quote_markers(line: &str) -> &str {
    let mut rest = line.trim_start();
    while let Some(inner) = rest.strip_prefix('>') {
        rest = inner.strip_prefix(' ').unwrap_or(inner).trim_start();
    }
    rest
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Heading(u8),
    /// A list item; `depth` 1 is a top-level list.
    Item {
        depth: usize,
    },
    Paragraph,
    CodeBlock {
        info: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: SpannedText,
    pub range: Range<usize>,
    /// The block as written, on its own: a list item as `- ` and its text
    /// (indented by its depth; numbered items too), without the items
    /// nested in it.
    pub markdown: String,
}

/// Reads a Markdown file into blocks, in source order.
pub fn outline(source: &str) -> Vec<Block> {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut builder = OutlineBuilder::default();
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        builder.event(event, range);
    }
    let mut blocks = builder.blocks;
    for block in &mut blocks {
        block.markdown = block_markdown(block, source);
    }
    blocks
}

#[derive(Default)]
struct OutlineBuilder {
    blocks: Vec<Block>,
    current: Option<Block>,
    list_depth: usize,
}

impl OutlineBuilder {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                self.open(BlockKind::Heading(level as u8), range)
            }
            Event::Start(Tag::List(_)) => {
                self.flush();
                self.list_depth += 1;
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.list_depth = self.list_depth.saturating_sub(1);
            }
            Event::Start(Tag::Item) => self.open(
                BlockKind::Item {
                    depth: self.list_depth,
                },
                range,
            ),
            Event::Start(Tag::Paragraph) => {
                // A loose list item wraps its text in paragraphs: keep one block.
                if let Some(current) = &mut self.current {
                    if matches!(current.kind, BlockKind::Item { .. }) {
                        if !current.text.pieces.is_empty() {
                            current.text.pieces.push(Piece {
                                text: " ".into(),
                                range: range.start..range.start,
                                code: false,
                            });
                        }
                        return;
                    }
                }
                self.open(BlockKind::Paragraph, range);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => info.to_string(),
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                self.open(BlockKind::CodeBlock { info }, range);
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock) => self.flush(),
            Event::End(TagEnd::Paragraph)
                if self
                    .current
                    .as_ref()
                    .is_some_and(|block| block.kind == BlockKind::Paragraph) =>
            {
                self.flush();
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                self.push(text.to_string(), range, false)
            }
            Event::Code(code) => self.push(code.to_string(), range, true),
            Event::SoftBreak | Event::HardBreak => self.push(" ".into(), range, false),
            _ => {}
        }
    }

    fn open(&mut self, kind: BlockKind, range: Range<usize>) {
        self.flush();
        self.current = Some(Block {
            kind,
            text: SpannedText::default(),
            range,
            markdown: String::new(),
        });
    }

    fn push(&mut self, text: String, range: Range<usize>, code: bool) {
        if let Some(current) = &mut self.current {
            current.text.pieces.push(Piece { text, range, code });
        }
    }

    fn flush(&mut self) {
        if let Some(block) = self.current.take() {
            self.blocks.push(block);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_map_back_to_source_offsets() {
        let source = "- Required: { `customer_id`, name }\r\n";
        let blocks = outline(source);
        assert_eq!(blocks.len(), 1);
        let text = &blocks[0].text;
        let plain = text.plain();
        assert_eq!(plain, "Required: { customer_id, name }");
        let at = plain.find("customer_id").unwrap();
        assert_eq!(&source[text.source_offset(at)..][..11], "customer_id");
        let at = plain.find("name").unwrap();
        assert_eq!(&source[text.source_offset(at)..][..4], "name");
    }

    #[test]
    fn closing_hashes_and_crlf_are_not_part_of_headings() {
        let blocks = outline("## Customer ##\r\n\r\n### CustomerCreated ###\r\n");
        let headings: Vec<(BlockKind, String)> = blocks
            .iter()
            .map(|block| (block.kind.clone(), block.text.plain()))
            .collect();
        assert_eq!(
            headings,
            vec![
                (BlockKind::Heading(2), "Customer".into()),
                (BlockKind::Heading(3), "CustomerCreated".into())
            ]
        );
    }

    #[test]
    fn nested_and_loose_items_keep_their_depth() {
        let blocks = outline("- Invariants:\n\n  - one\n  - two\n\n- Purpose: x\n");
        let items: Vec<(BlockKind, String)> = blocks
            .iter()
            .map(|block| (block.kind.clone(), block.text.plain()))
            .collect();
        assert_eq!(
            items,
            vec![
                (BlockKind::Item { depth: 1 }, "Invariants:".into()),
                (BlockKind::Item { depth: 2 }, "one".into()),
                (BlockKind::Item { depth: 2 }, "two".into()),
                (BlockKind::Item { depth: 1 }, "Purpose: x".into()),
            ]
        );
    }

    #[test]
    fn prose_keeps_its_markdown_one_list_item_a_line() {
        let source = "**Conventions**\n\n* `event_name`: dotted,\n  domain-scoped.\n  1. nested *first*\n+ **PII** here\n\n> A **quote**\n> that goes on\n";
        let mut doc = Doc::default();
        for block in outline(source) {
            push_block(&mut doc, &block);
        }
        assert_eq!(
            doc.markdown,
            "**Conventions**\n\n- `event_name`: dotted, domain-scoped.\n  - nested *first*\n- **PII** here\n\nA **quote**\nthat goes on"
        );
        assert_eq!(doc.paragraphs.len(), 5);
    }

    #[test]
    fn docs_keep_code_apart_and_fold_whitespace() {
        let blocks = outline("Uses  `a*/b`\nand more.\n");
        let doc = blocks[0].text.doc_from(0);
        assert_eq!(
            doc,
            vec![
                Inline::Text("Uses ".into()),
                Inline::Code("a*/b".into()),
                Inline::Text(" and more.".into())
            ]
        );
    }
}
