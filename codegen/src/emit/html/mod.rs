//! The catalog page: `docs/index.html`, one self-contained page (inline
//! CSS and script, no network) for the people who review and sign off on
//! events: each event with its purpose, rules, fields, example envelope and
//! schema link, the envelope once, and each lifecycle as an SVG diagram.
//!
//! Catalog prose is rendered from its Markdown by pulldown-cmark with raw
//! HTML turned into text, and every other catalog string goes through
//! [`text`] or [`attribute`]; a Content-Security-Policy allows no script
//! but the page's own (by its hash), so nothing in a catalog can add markup
//! or run code.

mod svg;

use std::collections::HashMap;
use std::fmt::Write;

use base64::Engine;
use pulldown_cmark::{Event as MarkdownEvent, HeadingLevel, Parser, Tag, TagEnd};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::markdown::doc_markdown;
use super::GeneratedFile;
use crate::ir::{Catalog, Doc, Event, Family, Field, FieldType, Scalar};

const STYLE: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

pub fn generate(catalog: &Catalog, examples: &[(String, Value)]) -> GeneratedFile {
    GeneratedFile {
        path: "docs/index.html".to_owned(),
        contents: page(catalog, examples),
    }
}

/// Text content: `&`, `<`, `>`, and both quotes escaped. With
/// [`attribute`] and [`prose`], the one place catalog text is escaped for HTML.
pub fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    pulldown_cmark_escape::escape_html(&mut out, value).expect("writing to a String");
    out
}

/// A double-quoted attribute value.
pub fn attribute(value: &str) -> String {
    text(value)
}

/// Catalog prose as HTML: the Markdown as it was written where the parser
/// kept it (lists, emphasis, headings), else the text's paragraphs, rendered
/// by pulldown-cmark. Raw HTML is shown as text, an image as its text, a
/// link only to the web or within the page, and headings sit two levels
/// below where they were written, under the page's own.
pub fn prose(doc: &Doc) -> String {
    let markdown = if doc.markdown.is_empty() {
        doc_markdown(doc)
    } else {
        doc.markdown.clone()
    };
    let mut links = Vec::new();
    let events = Parser::new(&markdown).filter_map(|event| match event {
        MarkdownEvent::Html(raw) | MarkdownEvent::InlineHtml(raw) => Some(MarkdownEvent::Text(raw)),
        MarkdownEvent::Start(Tag::Image { .. }) | MarkdownEvent::End(TagEnd::Image) => None,
        MarkdownEvent::Start(Tag::Link { dest_url, .. })
            if !["https://", "http://", "#"]
                .iter()
                .any(|scheme| dest_url.starts_with(scheme)) =>
        {
            links.push(false);
            None
        }
        MarkdownEvent::Start(link @ Tag::Link { .. }) => {
            links.push(true);
            Some(MarkdownEvent::Start(link))
        }
        MarkdownEvent::End(TagEnd::Link) => links
            .pop()
            .filter(|kept| *kept)
            .map(|_| MarkdownEvent::End(TagEnd::Link)),
        MarkdownEvent::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(MarkdownEvent::Start(Tag::Heading {
            level: below_the_page(level),
            id,
            classes,
            attrs,
        })),
        MarkdownEvent::End(TagEnd::Heading(level)) => {
            Some(MarkdownEvent::End(TagEnd::Heading(below_the_page(level))))
        }
        other => Some(other),
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

/// A heading of catalog prose, two levels down (`##` is an `<h4>`).
fn below_the_page(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The text of the page's `<script>` element, exactly as its hash covers it.
fn script_element_text() -> String {
    format!("\n{SCRIPT}")
}

/// The policy that lets the page's own script run and nothing else: no
/// network, no other script, styles only inline.
fn content_security_policy() -> String {
    let hash = base64::engine::general_purpose::STANDARD
        .encode(Sha256::digest(script_element_text().as_bytes()));
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; img-src data:"
    )
}

fn page(catalog: &Catalog, examples: &[(String, Value)]) -> String {
    let title = catalog
        .title
        .clone()
        .unwrap_or_else(|| catalog.package.name.clone());
    let families: Vec<&Family> = catalog
        .families
        .iter()
        .filter(|family| !family.events.is_empty())
        .collect();
    let event_count: usize = families.iter().map(|family| family.events.len()).sum();
    // Looked up once per event: a map, not a scan of every example.
    let examples: HashMap<&str, &Value> = examples
        .iter()
        .map(|(name, example)| (name.as_str(), example))
        .collect();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<meta name=\"generator\" content=\"evcat\">\n<title>{}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n",
        attribute(&content_security_policy()),
        text(&title)
    );
    let _ = write!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"meta\">Version {} · {event_count} {} in {} {}</p>\n<div class=\"prose\">{}</div>\n</header>\n",
        text(&title),
        text(&catalog.package.version),
        if event_count == 1 { "event" } else { "events" },
        families.len(),
        if families.len() == 1 { "family" } else { "families" },
        prose(&catalog.doc)
    );
    navigation(&mut out, &families);
    out.push_str("<main>\n");
    envelope_section(&mut out, catalog);
    for family in &families {
        family_section(&mut out, catalog, family, &examples);
    }
    let _ = write!(
        out,
        "</main>\n<script>{}</script>\n</body>\n</html>\n",
        script_element_text()
    );
    out
}

/// `docs/index.html` of a crate of several catalogs: a link to each
/// catalog's page (`<module>/docs/index.html`), with its title and counts.
pub fn project_index(catalogs: &[(&str, &Catalog)]) -> GeneratedFile {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<meta name=\"generator\" content=\"evcat\">\n<title>Event catalogs</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<header>\n<h1>Event catalogs</h1>\n<p class=\"meta\">{} catalogs</p>\n</header>\n<main>\n<ul class=\"catalogs\">\n",
        catalogs.len()
    );
    for (module, catalog) in catalogs {
        let title = catalog
            .title
            .clone()
            .unwrap_or_else(|| catalog.package.name.clone());
        let events = catalog.events().count();
        let _ = writeln!(
            out,
            "<li data-catalog=\"{}\"><a href=\"../{}/docs/index.html\">{}</a> <span class=\"meta\">version {} · {events} {}</span></li>",
            attribute(module),
            attribute(module),
            text(&title),
            text(&catalog.package.version),
            if events == 1 { "event" } else { "events" }
        );
    }
    out.push_str("</ul>\n</main>\n</body>\n</html>\n");
    GeneratedFile {
        path: "docs/index.html".to_owned(),
        contents: out,
    }
}

/// The element id of an event's article.
fn event_id(event: &Event) -> String {
    format!("event-{}", crate::ident::document_id(&event.name))
}

fn family_id(family: &Family) -> String {
    format!("family-{}", crate::ident::document_id(&family.name))
}

/// A name for the narrow navigation column: escaped, and free to wrap
/// after each dot of a dotted name (`nmc.conversation.ConversationStarted`).
fn breakable(name: &str) -> String {
    text(name).replace('.', ".<wbr>")
}

fn navigation(out: &mut String, families: &[&Family]) {
    out.push_str("<nav>\n<input type=\"search\" id=\"search\" placeholder=\"Search events, families, fields\" aria-label=\"Search events\">\n<ul>\n<li><a href=\"#envelope\">Envelope</a></li>\n");
    for family in families {
        let _ = writeln!(
            out,
            "<li><a href=\"#{}\">{}</a>\n<ul>",
            attribute(&family_id(family)),
            breakable(&family.name)
        );
        for event in &family.events {
            let id = event_id(event);
            let _ = writeln!(
                out,
                "<li data-target=\"{}\"><a href=\"#{}\">{}</a></li>",
                attribute(&id),
                attribute(&id),
                breakable(&event.name)
            );
        }
        out.push_str("</ul></li>\n");
    }
    out.push_str("</ul>\n</nav>\n");
}

fn envelope_section(out: &mut String, catalog: &Catalog) {
    let envelope = &catalog.envelope;
    out.push_str("<section id=\"envelope\">\n<h2>Envelope</h2>\n");
    for part in [&envelope.title, &envelope.description]
        .into_iter()
        .flatten()
    {
        let _ = writeln!(out, "<p>{}</p>", text(part));
    }
    let holds = match &envelope.payload {
        Some(payload) => format!("<code>{}</code> holds its fields", text(&payload.dotted())),
        None => "its own fields sit beside these".to_owned(),
    };
    let _ = writeln!(
        out,
        "<p>Every event travels in this envelope; <code>{}</code> names the event and {holds}.{}</p>",
        text(&envelope.discriminator.dotted()),
        if envelope.closed { " No other property is allowed." } else { "" }
    );
    fields_table(out, catalog, &envelope.fields);
    out.push_str("</section>\n");
}

fn family_section(
    out: &mut String,
    catalog: &Catalog,
    family: &Family,
    examples: &HashMap<&str, &Value>,
) {
    let _ = writeln!(
        out,
        "<section class=\"family\" id=\"{}\" data-family=\"{}\">\n<h2>{}</h2>\n<div class=\"prose\">{}</div>",
        attribute(&family_id(family)),
        attribute(&family.name),
        text(&family.name),
        prose(&family.doc)
    );
    if let Some(lifecycle) = catalog
        .lifecycles
        .iter()
        .find(|lifecycle| lifecycle.family == family.name)
    {
        let _ = writeln!(
            out,
            "<figure data-lifecycle=\"{}\">\n{}<figcaption>The {} lifecycle: each event moves it from one status to another.</figcaption>\n</figure>",
            attribute(&family.name),
            svg::lifecycle(lifecycle),
            text(&family.name)
        );
    }
    for event in &family.events {
        event_article(out, catalog, family, event, examples);
    }
    out.push_str("</section>\n");
}

fn event_article(
    out: &mut String,
    catalog: &Catalog,
    family: &Family,
    event: &Event,
    examples: &HashMap<&str, &Value>,
) {
    // What the search box matches: name, wire name, family, purpose, fields.
    let mut search = vec![
        event.name.clone(),
        event.wire_name.clone(),
        family.name.clone(),
        event.docs.purpose.plain_text(),
    ];
    search.extend(event.fields.iter().map(|field| field.name.clone()));
    let search = search.join(" ").to_lowercase();
    let _ = writeln!(
        out,
        "<article class=\"event\" id=\"{}\" data-event=\"{}\" data-search=\"{}\">\n<h3>{}</h3>",
        attribute(&event_id(event)),
        attribute(&event.wire_name),
        attribute(&search),
        text(&event.name)
    );
    let wire = if event.wire_name == event.name {
        String::new()
    } else {
        format!(" · wire name <code>{}</code>", text(&event.wire_name))
    };
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} family · version {}{wire}</p>\n<div class=\"prose\">{}</div>",
        text(&family.name),
        text(&event.version.text),
        prose(&event.docs.purpose)
    );
    let rules: Vec<(&str, &Doc)> = [
        ("Invariants", &event.docs.invariants),
        ("Preconditions", &event.docs.preconditions),
        ("Postconditions", &event.docs.postconditions),
        ("Notes", &event.docs.notes),
    ]
    .into_iter()
    .filter(|(_, doc)| !doc.is_empty())
    .collect();
    if !rules.is_empty() {
        out.push_str("<dl>\n");
        for (title, doc) in rules {
            let _ = writeln!(out, "<dt>{title}</dt><dd>{}</dd>", prose(doc));
        }
        out.push_str("</dl>\n");
    }
    out.push_str("<h4>Payload</h4>\n");
    fields_table(out, catalog, &event.fields);
    if let Some(example) = examples.get(event.name.as_str()) {
        let json = serde_json::to_string_pretty(example).expect("JSON values serialize");
        let _ = writeln!(
            out,
            "<details open><summary>Example envelope</summary>\n<pre class=\"example\">{}</pre>\n</details>",
            text(&json)
        );
    }
    let schema = super::json_schema::file_name(&event.name);
    let _ = writeln!(
        out,
        "<p><a href=\"../schemas/{}\">JSON Schema</a> · in <a href=\"../schemas/events.schema.json\">events.schema.json</a></p>\n</article>",
        attribute(&schema)
    );
}

fn fields_table(out: &mut String, catalog: &Catalog, fields: &[Field]) {
    if fields.is_empty() {
        out.push_str("<p class=\"meta\">No fields.</p>\n");
        return;
    }
    out.push_str("<table>\n<thead><tr><th>Field</th><th>Type</th><th>Required</th><th>Rules and notes</th></tr></thead>\n<tbody>\n");
    let mut seen = Vec::new();
    field_rows(out, catalog, fields, "", &mut seen);
    out.push_str("</tbody>\n</table>\n");
}

/// A row per field, and below an object's field its own fields
/// (`total.currency`, `lines[].qty`); a named type that holds itself is
/// listed once.
fn field_rows(
    out: &mut String,
    catalog: &Catalog,
    fields: &[Field],
    prefix: &str,
    seen: &mut Vec<usize>,
) {
    for field in fields {
        let path = format!("{prefix}{}", field.name);
        let mut notes = Vec::new();
        if field.pii {
            notes.push("<span class=\"badge pii\">PII</span>".to_owned());
        }
        if let Some(values) = enum_values(catalog, &field.ty) {
            notes.push(format!(
                "one of {}",
                values
                    .iter()
                    .map(|value| format!("<code>{}</code>", text(value)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        notes.extend(rules(field));
        let doc = prose(&field.documented());
        if !doc.is_empty() {
            notes.push(doc);
        }
        let required = match (field.optional, field.nullable) {
            (false, false) => "required",
            (false, true) => "required, may be null",
            (true, _) => "optional",
        };
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td class=\"{}\">{required}</td><td>{}</td></tr>",
            text(&path),
            text(&type_name(catalog, &field.ty)),
            if field.optional { "optional" } else { "required" },
            notes.join(" ")
        );
        let (nested, suffix) = match &field.ty {
            FieldType::Struct(id) => (Some(*id), "."),
            FieldType::Array(item) => match **item {
                FieldType::Struct(id) => (Some(id), "[]."),
                _ => (None, ""),
            },
            _ => (None, ""),
        };
        if let Some(id) = nested {
            if !seen.contains(&id.0) {
                seen.push(id.0);
                let nested_fields = &catalog.struct_type(id).fields;
                field_rows(
                    out,
                    catalog,
                    nested_fields,
                    &format!("{path}{suffix}"),
                    seen,
                );
                seen.pop();
            }
        }
    }
}

fn enum_values<'a>(catalog: &'a Catalog, ty: &FieldType) -> Option<Vec<&'a str>> {
    match ty {
        FieldType::Enum(id) => Some(
            catalog
                .enum_type(*id)
                .variants
                .iter()
                .map(|variant| variant.value.as_str())
                .collect(),
        ),
        FieldType::Array(item) => enum_values(catalog, item),
        _ => None,
    }
}

fn rules(field: &Field) -> Vec<String> {
    let rules = &field.rules;
    let mut found = Vec::new();
    if let Some(format) = &rules.format {
        found.push(format!("format <code>{}</code>", text(format)));
    }
    if let Some(pattern) = &rules.pattern {
        found.push(format!("pattern <code>{}</code>", text(pattern)));
    }
    if let Some(min) = rules.min_length {
        found.push(format!(
            "at least {min} character{}",
            if min == 1 { "" } else { "s" }
        ));
    }
    if let Some(max) = rules.max_length {
        found.push(format!(
            "at most {max} character{}",
            if max == 1 { "" } else { "s" }
        ));
    }
    if let Some(minimum) = &rules.minimum {
        found.push(format!("at least {minimum}"));
    }
    if let Some(maximum) = &rules.maximum {
        found.push(format!("at most {maximum}"));
    }
    if let Some(minimum) = &rules.exclusive_minimum {
        found.push(format!("above {minimum}"));
    }
    if let Some(maximum) = &rules.exclusive_maximum {
        found.push(format!("below {maximum}"));
    }
    if let Some(divisor) = &rules.multiple_of {
        found.push(format!("a multiple of {divisor}"));
    }
    if let Some(values) = &rules.values {
        found.push(format!("one of {}", crate::vocabulary::listed(values)));
    }
    if let Some(min) = rules.min_items {
        found.push(format!(
            "at least {min} item{}",
            if min == 1 { "" } else { "s" }
        ));
    }
    if let Some(max) = rules.max_items {
        found.push(format!(
            "at most {max} item{}",
            if max == 1 { "" } else { "s" }
        ));
    }
    if rules.unique_items {
        found.push("items unique".to_owned());
    }
    found
}

fn type_name(catalog: &Catalog, ty: &FieldType) -> String {
    match ty {
        FieldType::Scalar(Scalar::String) => "string".to_owned(),
        FieldType::Scalar(Scalar::Id) => "identifier".to_owned(),
        FieldType::Scalar(Scalar::Uuid) => "UUID".to_owned(),
        FieldType::Scalar(Scalar::Timestamp) => "timestamp (UTC)".to_owned(),
        FieldType::Scalar(Scalar::Integer) => "integer".to_owned(),
        FieldType::Scalar(Scalar::Number) => "number".to_owned(),
        FieldType::Scalar(Scalar::Boolean) => "boolean".to_owned(),
        FieldType::Object => "object".to_owned(),
        FieldType::Array(item) => format!("list of {}", type_name(catalog, item)),
        FieldType::Map(value) => format!("map of {}", type_name(catalog, value)),
        FieldType::Enum(id) => catalog.enum_type(*id).name.clone(),
        FieldType::Struct(id) => catalog.struct_type(*id).name.clone(),
        FieldType::Null => "null".to_owned(),
        FieldType::Any => "any JSON value".to_owned(),
        FieldType::Tuple(items) => {
            let items: Vec<String> = items.iter().map(|item| type_name(catalog, item)).collect();
            format!("tuple of {}", items.join(", "))
        }
        FieldType::Union(id) => {
            let branches: Vec<String> = catalog
                .union_type(*id)
                .variants
                .iter()
                .map(|variant| type_name(catalog, &variant.ty))
                .collect();
            format!("one of {}", branches.join(", "))
        }
    }
}
