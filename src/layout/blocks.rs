//! What a `Document`'s blocks are to layout: its sections (portrait or landscape), blank blocks,
//! the lines of some inline text. Read by both the page model (`pages`) and the writer (`body`),
//! so neither needs the other for them.

use super::style::Style;
use super::{table, xml};
use crate::markup::{Block, Document, Inline};

/// The document's blocks cut into sections: runs of pages (a page break or an attachment starts
/// one) holding a table too wide for portrait are landscape; neighbouring runs of the same
/// orientation stay one section.
pub(super) fn sections(doc: &Document, style: &Style) -> Vec<(std::ops::Range<usize>, bool)> {
    let blocks = &doc.blocks;
    let mut runs: Vec<(usize, bool)> = vec![(0, false)];
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 && matches!(b, Block::PageBreak | Block::Attachment { .. }) {
            runs.push((i, false));
        }
        if let Block::Table(t) = b {
            let run = runs.last_mut().expect("a run");
            run.1 |= table::needs_landscape(style, t);
        }
    }
    let mut parts: Vec<(std::ops::Range<usize>, bool)> = Vec::new();
    for (k, &(start, landscape)) in runs.iter().enumerate() {
        let end = runs.get(k + 1).map_or(blocks.len(), |r| r.0);
        match parts.last_mut() {
            Some((range, l)) if *l == landscape => range.end = end,
            _ => parts.push((start..end, landscape)),
        }
    }
    parts
}

/// A block that makes no text: blank lines, an empty paragraph.
pub(super) fn is_blank(block: &Block) -> bool {
    match block {
        Block::Blank(_) => true,
        Block::Paragraph(p) => p.text.is_empty(),
        Block::Attachments { items, .. } => items.is_empty(),
        _ => false,
    }
}

/// The lines of some inline text, as they will be set (breaks split them).
pub(super) fn text_lines(inlines: &[Inline]) -> Vec<String> {
    let mut lines = vec![String::new()];
    for inline in inlines {
        let line = lines.last_mut().expect("one line at least");
        match inline {
            Inline::Text(t) => line.push_str(&xml::clean(t)),
            Inline::Break => lines.push(String::new()),
            Inline::Tab => line.push('\u{3000}'),
        }
    }
    lines
}
