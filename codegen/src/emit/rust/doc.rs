//! Catalog prose → rustdoc. The one place prose is escaped for Rust.
//!
//! Docs become `#[doc = "…"]` string literals, so no text can end a comment
//! or reach the code; the Markdown in them is escaped by `emit::markdown`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::markdown::markdown_line;
use crate::ir::Doc;

/// `#[doc]` attributes for the given sections: untitled text first, then
/// `# Title` sections for the titled ones that are not empty.
pub fn doc_attrs(sections: &[(Option<&str>, &Doc)]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for (title, doc) in sections {
        if doc.is_empty() {
            continue;
        }
        if let Some(title) = title {
            push_blank(&mut lines);
            lines.push(format!("# {title}"));
        }
        for paragraph in &doc.paragraphs {
            push_blank(&mut lines);
            lines.push(markdown_line(paragraph));
        }
    }
    doc_lines(&lines)
}

/// `#[doc]` attributes for lines that are already Markdown.
pub fn doc_lines(lines: &[String]) -> TokenStream {
    let attrs = lines.iter().map(|line| {
        let text = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #text])
    });
    quote!(#(#attrs)*)
}

fn push_blank(lines: &mut Vec<String>) {
    if !lines.is_empty() {
        lines.push(String::new());
    }
}
