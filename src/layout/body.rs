//! Document blocks → the children of `w:body`, written straight into a string, every element's
//! children in ECMA-376 order by construction. Paragraphs carry a named style and only what their
//! style cannot say; every look lives in `Style` (→ styles.xml, written by `parts`).
//!
//! A document is one section, or several where a table too wide for the portrait 版心 is set on
//! landscape pages: the pages holding it (from the page break or attachment before it to the one
//! after) form a landscape section, the rest stay portrait, and the page numbers run on.

use super::blocks::{is_blank, sections, text_lines};
use super::pages::{self, Break};
use super::style::{Style, ids};
use super::writer::{Body, Ind, PPr, SectionEnd, sect_pr};
use super::xml::{self, RunLook};
use super::{parties, table, title};
use crate::markup::{Align, Block, Document, Format, Inline};

/// Where a document stands in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub first: bool,
    pub last: bool,
}

/// What a block's trailing paragraphs take on from where the block stands.
#[derive(Debug, Clone, Default)]
struct Tail {
    /// Kept with the signing block that follows (GB/T 9704 7.3.5.5).
    keep: bool,
    /// The block ends an inner section: its last paragraph carries the section's properties.
    sect: Option<SectionEnd>,
    /// The block starts a page (the page model's decision).
    page_break: bool,
    /// The table is cut before these rows, each starting a page.
    row_breaks: Vec<usize>,
}

/// One document: its sections in order.
pub fn document(out: &mut String, doc: &Document, style: &Style, place: Place) {
    let parts = sections(doc, style);
    let count = parts.len();
    // The page breaks the page model asks for (a signing block never alone on its page).
    let (breaks, _) = pages::decide(doc, style);
    let names = title::names(doc);
    for (i, (range, landscape)) in parts.into_iter().enumerate() {
        let end = SectionEnd {
            odd_page: i == 0 && !place.first,
            restart: i == 0,
            landscape,
            last: place.last && i + 1 == count,
            unnumbered_first: i == 0 && doc.format == Format::Letter,
        };
        let here: Vec<Break> = breaks
            .iter()
            .filter_map(|b| match *b {
                Break::Before(j) if range.contains(&j) => Some(Break::Before(j - range.start)),
                Break::Row(j, r) if range.contains(&j) => Some(Break::Row(j - range.start, r)),
                _ => None,
            })
            .collect();
        section(out, &doc.blocks[range.clone()], range.start > 0, style, end, &here, &names);
    }
}

/// One section: its blocks, and its properties where they belong. `continued`: the section
/// follows another of the same document, whose break starts its page.
fn section(out: &mut String, blocks: &[Block], continued: bool, style: &Style, end: SectionEnd, breaks: &[Break], names: &[String]) {
    let page = if end.landscape { style.page.landscape() } else { style.page.clone() };
    let width = page.text_width();
    let mut body = Body { out, style, page, width, names };
    let ends_in_paragraph = blocks.last().is_some_and(ends_in_paragraph);
    for (i, block) in blocks.iter().enumerate() {
        let closes = i + 1 == blocks.len() && ends_in_paragraph && !end.last;
        let row_breaks: Vec<usize> = breaks
            .iter()
            .filter_map(|b| match *b {
                Break::Row(j, r) if j == i => Some(r),
                _ => None,
            })
            .collect();
        let tail = Tail {
            keep: kept_with_signature(blocks, i),
            sect: closes.then_some(end),
            page_break: breaks.contains(&Break::Before(i)),
            row_breaks,
        };
        match block {
            // The section break starts the page already.
            Block::PageBreak if i == 0 && continued => {
                if tail.sect.is_some() {
                    body.empty(PPr { style: ids::END, sect: tail.sect, ..PPr::default() });
                }
            }
            Block::Attachment { label, title } => body.attachment(label, title, !(i == 0 && continued), tail),
            Block::Letterhead { organ, doc_no } if end.unnumbered_first && i == 0 => body.letter_head(organ, doc_no, tail),
            _ => body.block(block, tail),
        }
    }
    // A section ends with a paragraph: readers anchor a floating table (the 版记) to the
    // paragraph after it, and drop one that has none. It is a sliver high, so it fits below a
    // table that ends on the page's last grid line.
    if !ends_in_paragraph {
        // A floating 版记 anchors to its own paragraph: LibreOffice carries a table floating
        // at a section's closing paragraph into the next section, onto the next document's page.
        if !end.last && matches!(blocks.last(), Some(Block::Imprint { .. })) {
            body.empty(PPr { style: ids::END, ..PPr::default() });
        }
        body.empty(PPr { style: ids::END, sect: (!end.last).then_some(end), ..PPr::default() });
    }
    if end.last {
        sect_pr(body.out, style, end);
    }
}

/// The block's last element is a paragraph (not a table), so it can close a section.
fn ends_in_paragraph(block: &Block) -> bool {
    match block {
        Block::Table(_) | Block::Imprint { .. } => false,
        Block::Attachments { items, .. } => !items.is_empty(),
        Block::Parties(parties) => !parties.is_empty(),
        Block::Blank(n) => *n > 0,
        _ => true,
    }
}

/// GB/T 9704 7.3.5.5: the signature never stands alone on a page. The blank lines before it and
/// the last paragraph of the body before those are kept with it; a table ends the search.
fn kept_with_signature(blocks: &[Block], i: usize) -> bool {
    // A table's last rows are moved by the page model (`pages::decide`); a 版记 is never
    // followed by a signature.
    if !ends_in_paragraph(&blocks[i]) && !matches!(blocks[i], Block::Table(_)) {
        return false;
    }
    for next in &blocks[i + 1..] {
        match next {
            Block::Signature { .. } | Block::Parties(_) => return true,
            b if is_blank(b) => {}
            _ => return false,
        }
    }
    false
}

impl Body<'_> {
    /// `n` empty body lines; the last takes the tail.
    fn blank_lines(&mut self, n: u32, keep: bool, tail: Tail) {
        for i in 0..n {
            let last = i + 1 == n;
            let ppr =
                PPr { style: ids::BODY, keep_next: keep || tail.keep, page_break_before: i == 0 && tail.page_break, ..PPr::default() };
            self.empty(PPr { sect: if last { tail.sect } else { None }, ..ppr });
        }
    }

    fn block(&mut self, block: &Block, tail: Tail) {
        let one = |style| PPr { style, keep_next: tail.keep, sect: tail.sect, page_break_before: tail.page_break, ..PPr::default() };
        match block {
            Block::Letterhead { organ, doc_no } => self.letterhead(organ, doc_no, tail),
            Block::DocNo(t) => self.text(one(ids::DOC_NO), t),
            Block::Title(t) => {
                self.title(PPr { sect: None, ..one(ids::TITLE) }, t);
                // GB/T 9704 7.3.2: 主送 (or the body) one line below the title.
                self.blank_lines(1, false, tail);
            }
            Block::Addressee(t) => self.text(one(ids::ADDRESSEE), t),
            Block::Paragraph(p) => {
                let style = if p.indent { ids::BODY } else { ids::BODY_FLUSH };
                let align = (p.align != Align::Justify).then_some(p.align);
                self.text(PPr { align, ..one(style) }, &p.text);
            }
            Block::Heading { level, number, text } => {
                let style = ids::HEADINGS[usize::from(level.clamp(&1, &4) - 1)];
                self.paragraph(one(style), number, text, RunLook::default());
            }
            Block::ListItem { marker, text } => self.paragraph(one(ids::BODY), marker, text, RunLook::default()),
            Block::Table(t) => table::grid(self, t, &tail.row_breaks),
            Block::Signature { organ, date } => {
                self.text(PPr { style: ids::SIGNATURE, ..PPr::default() }, organ);
                self.text(one(ids::DATE), date);
            }
            Block::Parties(list) => parties::parties(self, list, tail.keep, tail.sect),
            Block::Blank(n) => self.blank_lines(*n, false, tail),
            Block::PageBreak => {
                self.out.push_str("<w:p>");
                self.ppr(&one(ids::BODY_FLUSH));
                self.out.push_str(r#"<w:r><w:br w:type="page"/></w:r></w:p>"#);
            }
            Block::Attachments { label, items } => self.attachments(label, items, tail),
            Block::Attachment { label, title } => self.attachment(label, title, true, tail),
            Block::Imprint { lines, issuer, issued } => {
                if tail.page_break {
                    // The page model found text in its place: it floats on a page of its own.
                    self.empty(PPr { style: ids::END, page_break_before: true, ..PPr::default() });
                }
                table::imprint(self, lines, issuer, issued)
            }
        }
    }

    /// 公文标题, broken into balanced lines between words where it is longer than a line
    /// (`title`). A title the template broke itself, or that holds a tab, is set as written.
    fn title(&mut self, ppr: PPr, inlines: &[Inline]) {
        let lines = match inlines {
            [Inline::Text(t)] => title::lines(&xml::clean(t), self.style, self.width, &self.names),
            _ => None,
        };
        let Some(lines) = lines else { return self.text(ppr, inlines) };
        let mut split = Vec::with_capacity(2 * lines.len());
        for (i, line) in lines.into_iter().enumerate() {
            if i > 0 {
                split.push(Inline::Break);
            }
            split.push(Inline::Text(line));
        }
        self.text(ppr, &split);
    }

    fn letterhead(&mut self, organ: &[Inline], doc_no: &[Inline], tail: Tail) {
        let lines = text_lines(organ);
        let stretch = self.style.letterhead_stretch(lines.iter().map(String::as_str), self.width);
        self.paragraph(PPr { style: ids::LETTERHEAD, ..PPr::default() }, "", organ, RunLook { stretch });
        // GB/T 9704 7.2.4: the 文号 two lines below the 标志; the red rule 4 mm below it.
        self.blank_lines(2, true, Tail::default());
        self.text(PPr { style: ids::DOC_NO, keep_next: tail.keep, ..PPr::default() }, doc_no);
        self.empty(PPr { style: ids::RULE, keep_next: tail.keep, ..PPr::default() });
        // 7.3.1: the title two lines below the rule.
        self.blank_lines(2, false, tail);
    }

    /// A 信函's head (GB/T 9704 10.1): the 标志 and both red double rules placed on the page
    /// (`letter`), in a paragraph as high as the room down to the 文号; the 文号 at the 版心's
    /// right; the title two lines below it.
    fn letter_head(&mut self, organ: &[Inline], doc_no: &[Inline], tail: Tail) {
        self.out.push_str("<w:p>");
        self.ppr(&PPr { style: ids::LETTER_HEAD, keep_next: true, ..PPr::default() });
        super::letter::shapes(self, organ);
        self.out.push_str("</w:p>");
        self.text(PPr { style: ids::LETTER_DOC_NO, keep_next: true, ..PPr::default() }, doc_no);
        self.blank_lines(self.style.letter.title_gap, true, tail);
    }

    /// An attachment's first page (GB/T 9704 7.3.7): "附件" (its number when there are several)
    /// in 三号黑体 on the first line, flush left; the attachment's title centred on the third,
    /// then a line, as below any title. `new_page`: it starts the page itself (not a section).
    fn attachment(&mut self, label: &str, title: &[Inline], new_page: bool, tail: Tail) {
        let head = PPr { style: ids::ATTACHMENT_LABEL, keep_next: true, page_break_before: new_page, ..PPr::default() };
        if title.is_empty() {
            return self.text(PPr { keep_next: tail.keep, sect: tail.sect, ..head }, &[Inline::Text(label.to_string())]);
        }
        self.text(head, &[Inline::Text(label.to_string())]);
        self.blank_lines(1, true, Tail::default());
        self.title(PPr { style: ids::TITLE, keep_next: true, ..PPr::default() }, title);
        self.blank_lines(1, false, tail);
    }

    /// 附件说明 (GB/T 9704 7.3.6): the label, then the items numbered when there are several;
    /// the first item's later lines and every later item start under the first item's number.
    fn attachments(&mut self, label: &str, items: &[Vec<Inline>], tail: Tail) {
        let (left, hang) = self.style.hang_after(label);
        for (i, item) in items.iter().enumerate() {
            let last = i + 1 == items.len();
            let number = if items.len() == 1 { String::new() } else { format!("{}.", i + 1) };
            let prefix = if i == 0 { format!("{label}{number}") } else { number };
            let ppr = PPr {
                style: ids::ATTACHMENTS,
                keep_next: last && tail.keep,
                page_break_before: i == 0 && tail.page_break,
                ind: Some(Ind { left, right: 0, hanging: if i == 0 { hang } else { 0 } }),
                sect: if last { tail.sect } else { None },
                ..PPr::default()
            };
            self.paragraph(ppr, &prefix, item, RunLook::default());
        }
    }
}
