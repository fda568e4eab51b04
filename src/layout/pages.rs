//! zeren's own page model: for a `Document` and a `Style`, where every line and every page
//! breaks, as a reader with the free stand-in fonts (one em a hanzi, `tests/fonts`) sets it.
//!
//! Body text is set on the grid: `line_pitch` a line, 22 lines a page, 28 characters a line
//! (26 after 左空二字), justified. Where a line is full, the next character goes to the next
//! line, unless it is one that hangs in the margin (、。，．：；！？, as LibreOffice lets them); a
//! closing mark never starts a line and an opening one never ends one (禁则): the character
//! before goes down with it. Latin letters and digits are half an em, with a fifth of an em
//! between them and a hanzi, and a run of them is not broken. Titles are set in the lines
//! `title` breaks them into; tables row by row, each row as many lines high as `widths` says
//! at the widths `widths::fit` gives; signing blocks in the rows `parties::block` makes; the
//! 版记 floats at the foot of the last page.
//!
//! Where a reader differs: Word and WPS compress punctuation instead of hanging it, so a line
//! ending in "，" may hold one more character there; with the real 公文 fonts Latin text is a
//! little narrower. Lines of pure hanzi and page breaks on the grid are the same in all.

use super::blocks::{self, is_blank};
use super::parties;
use super::style::Style;
use super::table;
use super::title;
use super::xml;
use crate::markup::{Block, Document, Format, Inline};

/// What a line of the model is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The 版头's 标志, 文号 and rule.
    Head,
    Title,
    /// Body text, headings, 主送, 附件说明, 落款, an attachment's label.
    Text,
    Blank,
    /// A row of a table (its text is the row's first cell).
    Row,
    /// A row of the signing block.
    Signing,
    /// The 版记, floating at the foot of the page.
    Imprint,
}

/// One line (or table row) as set.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Index of the block in the document it comes from.
    pub block: usize,
    pub kind: Kind,
    pub text: String,
    /// Top and height in twips from the top of the 版心.
    pub top: u32,
    pub height: u32,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    pub landscape: bool,
    pub lines: Vec<Line>,
    /// No 页码 (a 信函's first page, GB/T 9704 10.1).
    pub unnumbered: bool,
}

/// A document's pages in order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pages {
    pub pages: Vec<Page>,
}

/// Characters that hang past the line's end where the line is full: LibreOffice's set for
/// Chinese (`LineBreakHangingCharacters` of its zh_CN locale), colons and semicolons too.
pub const HANGING: &str = "、。，．：；！？!,.:;?";
/// Characters that never start a line, and that never end one.
const NO_START: &str = "，。、；：！？）》」』〕】”’…—·%％,.;:!?)]";
const NO_END: &str = "（《「『〔【“‘([";

impl Pages {
    /// The page (from 0) a line of block `block` first stands on.
    pub fn page_of(&self, block: usize) -> Option<usize> {
        self.pages.iter().position(|p| p.lines.iter().any(|l| l.block == block))
    }

    /// The page (from 0) the last line of block `block` stands on.
    pub fn last_page_of(&self, block: usize) -> Option<usize> {
        self.pages.iter().rposition(|p| p.lines.iter().any(|l| l.block == block))
    }

    /// Pages of this document, blank ones included.
    pub fn count(&self) -> usize {
        self.pages.len()
    }
}

/// A page break the layout writes because the model asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// Before the first line of block `i`.
    Before(usize),
    /// Before row `r` of the table that is block `i` (the table is cut in two there).
    Row(usize, usize),
}

/// The page model of `doc` as zeren writes it: with the page breaks `decide` asks for.
pub fn paginate(doc: &Document, style: &Style) -> Pages {
    decide(doc, style).1
}

/// The page breaks zeren writes into `doc`, and its pages with them. GB/T 9704 7.3.5.5: a
/// signing block never stands alone on a page; where it would, the last paragraph before it
/// (or a table's last rows) goes onto its page by an explicit break, not by keep-with-next,
/// which LibreOffice ignores on table rows.
pub fn decide(doc: &Document, style: &Style) -> (Vec<Break>, Pages) {
    // Each table's rows are measured once for all the runs below (the width search is dear).
    let rows = RowLines::default();
    // A row that would leave a sliver at a page's foot starts the next page; each such page
    // moves what follows, so they are found one at a time (a page at most each).
    let mut base = Vec::new();
    let pages = loop {
        let (pages, slivers) = Flow::run_noting(doc, style, &base, 0, &rows);
        match slivers.into_iter().find(|b| !base.contains(b)) {
            Some(b) if base.len() <= pages.count() => base.push(b),
            _ => break pages,
        }
    };
    let (mut breaks, pages) = signing_break(doc, style, &rows, &base, pages);
    // GB/T 9704 7.4: the 版记 at the foot of the last page, never over the text: where the text
    // reaches down into its place, it goes onto a page of its own.
    match imprint_over_text(&pages) {
        Some(i) => {
            breaks.push(Break::Before(i));
            let pages = Flow::run(doc, style, &breaks, 0, &rows);
            (breaks, pages)
        }
        None => (breaks, pages),
    }
}

/// The 版记's block where it floats over text on its page.
fn imprint_over_text(pages: &Pages) -> Option<usize> {
    let page = pages.pages.last()?;
    let imprint = page.lines.iter().find(|l| l.kind == Kind::Imprint)?;
    let text_below = page.lines.iter().any(|l| l.kind != Kind::Imprint && l.kind != Kind::Blank && l.top + l.height > imprint.top);
    text_below.then_some(imprint.block)
}

/// The break that keeps a signing block from standing alone on a page, if one is needed.
/// `pages`: the document's pages with the `base` breaks.
fn signing_break(doc: &Document, style: &Style, rows: &RowLines, base: &[Break], pages: Pages) -> (Vec<Break>, Pages) {
    // Asked of pages a line shorter too: where the block would only just fit, a reader whose
    // table rows come out a little taller than estimated (Latin text in a cell) would leave it
    // alone; moved by zeren, it goes with what belongs to it in every reader.
    if !doc.blocks.iter().any(|b| matches!(b, Block::Parties(_) | Block::Signature { .. })) {
        return (base.to_vec(), pages);
    }
    let tight = Flow::run(doc, style, base, style.line_pitch, rows);
    let Some(sign) = lone_signing(&pages, doc).or_else(|| lone_signing(&tight, doc)) else { return (base.to_vec(), pages) };
    // The last block of the body before it, past the blank lines.
    let Some(last) = (0..sign).rev().find(|&j| !is_blank(&doc.blocks[j])) else { return (base.to_vec(), pages) };
    let brk = match &doc.blocks[last] {
        Block::Table(t) => {
            let body_rows = t.rows.iter().skip_while(|r| r.header).count();
            let keep = style.table_rows_with_signature.min(body_rows.saturating_sub(1));
            if keep == 0 {
                return (base.to_vec(), pages);
            }
            Break::Row(last, t.rows.len() - keep)
        }
        Block::Paragraph(_) | Block::ListItem { .. } | Block::Heading { .. } | Block::Attachments { .. } => Break::Before(last),
        _ => return (base.to_vec(), pages),
    };
    let mut with = base.to_vec();
    with.push(brk);
    let moved = Flow::run(doc, style, &with, 0, rows);
    // Only where it helps: the block and what moved fit on one page.
    if lone_signing(&moved, doc).is_none() && moved.last_page_of(last) == moved.page_of(sign) {
        (with, moved)
    } else {
        (base.to_vec(), pages)
    }
}

/// The page model of `doc` with these page breaks.
pub fn paginate_with(doc: &Document, style: &Style, breaks: &[Break]) -> Pages {
    Flow::run(doc, style, breaks, 0, &RowLines::default())
}

/// Each table's row heights in lines, by block, as measured once.
type RowLines = std::cell::RefCell<std::collections::HashMap<usize, Vec<u32>>>;

impl Flow<'_> {
    /// The pages of `doc`, each `reserve` twips shorter than the 版心.
    fn run(doc: &Document, style: &Style, breaks: &[Break], reserve: u32, rows: &RowLines) -> Pages {
        Flow::run_noting(doc, style, breaks, reserve, rows).0
    }

    /// The pages, and the rows that broke leaving a sliver at a page's foot.
    fn run_noting(doc: &Document, style: &Style, breaks: &[Break], reserve: u32, rows: &RowLines) -> (Pages, Vec<Break>) {
        let names = title::names(doc);
        let letter = doc.format == Format::Letter;
        let mut flow = Flow {
            style,
            pages: Vec::new(),
            y: 0,
            height: 0,
            width: 0,
            landscape: false,
            breaks,
            reserve,
            names,
            rows,
            letter,
            slivers: Vec::new(),
        };
        for (range, landscape) in blocks::sections(doc, style) {
            flow.new_page(landscape);
            for i in range.clone() {
                let block = &doc.blocks[i];
                let first = i == range.start;
                if breaks.contains(&Break::Before(i)) && !flow.at_top() {
                    flow.new_page(flow.landscape);
                }
                flow.block(i, block, first);
            }
        }
        if flow.pages.is_empty() {
            flow.new_page(false);
        }
        flow.pages[0].unnumbered = letter;
        (Pages { pages: flow.pages }, flow.slivers)
    }
}

/// Where the flow stands.
struct Flow<'a> {
    style: &'a Style,
    pages: Vec<Page>,
    /// Height used on the current page, in twips.
    y: u32,
    /// The 版心 on the current section's pages.
    height: u32,
    width: u32,
    landscape: bool,
    breaks: &'a [Break],
    /// Taken off every page's height (a stricter model for decisions).
    reserve: u32,
    /// The document's names, never broken in a title.
    names: Vec<String>,
    rows: &'a RowLines,
    /// A 信函: its letterhead is set as GB/T 9704 10.1 says.
    letter: bool,
    /// Rows that broke leaving less than `table_split_lines` at a page's foot: `decide` starts a
    /// page before them.
    slivers: Vec<Break>,
}

impl Flow<'_> {
    fn new_page(&mut self, landscape: bool) {
        let page = if landscape { self.style.page.landscape() } else { self.style.page.clone() };
        self.height = page.text_height().saturating_sub(self.reserve);
        self.width = page.text_width();
        self.landscape = landscape;
        self.y = self.grid_top();
        self.pages.push(Page { landscape, lines: Vec::new(), unnumbered: false });
    }

    /// Where the page's grid starts: readers centre the whole lines of the grid in the 版心.
    fn grid_top(&self) -> u32 {
        self.height % self.style.line_pitch / 2
    }

    /// The bottom of the page's last whole grid line.
    fn grid_bottom(&self) -> u32 {
        self.grid_top() + self.height / self.style.line_pitch * self.style.line_pitch
    }

    /// Nothing on the page yet.
    fn at_top(&self) -> bool {
        self.y <= self.grid_top()
    }

    /// A line of the grid after a table moves down to the next grid line. Whether `kind` is
    /// set on the grid.
    fn snap(&mut self, kind: Kind) -> bool {
        let pitch = self.style.line_pitch;
        let on_grid = matches!(kind, Kind::Text | Kind::Title | Kind::Blank | Kind::Signing);
        let after_table = self.pages.last().and_then(|p| p.lines.last()).is_some_and(|l| l.kind == Kind::Row);
        if on_grid && after_table && !self.at_top() {
            self.y = self.grid_top() + (self.y - self.grid_top()).div_ceil(pitch) * pitch;
        }
        on_grid
    }

    /// Places a line `height` high, on the next page where this one has no room for it. A line
    /// of the grid after a table starts on the next grid line, and ends on the grid's last at
    /// the latest; a table row may fill the 版心 to its edge.
    fn put(&mut self, block: usize, kind: Kind, text: String, height: u32) {
        let on_grid = self.snap(kind);
        let bottom = if on_grid { self.grid_bottom() } else { self.height };
        if !self.at_top() && self.y + height > bottom {
            self.new_page(self.landscape);
        }
        let top = self.y;
        self.y += height;
        self.pages.last_mut().expect("a page").lines.push(Line { block, kind, text, top, height });
    }

    /// Lines kept together (keep-with-next, rows that cannot split): all on the next page
    /// where this one has no room for them all.
    fn put_together(&mut self, block: usize, kind: Kind, lines: Vec<String>, each: u32) {
        let total = each * lines.len() as u32;
        self.snap(kind);
        if !self.at_top() && self.y + total > self.grid_bottom() && total <= self.height {
            self.new_page(self.landscape);
        }
        for l in lines {
            self.put(block, kind, l, each);
        }
    }

    fn pitch(&self) -> u32 {
        self.style.line_pitch
    }

    fn block(&mut self, i: usize, block: &Block, first_in_section: bool) {
        let style = self.style;
        let pitch = self.pitch();
        let width = self.width;
        let indent = style.body_indent();
        match block {
            Block::Letterhead { organ, doc_no } if self.letter => {
                // The 标志 and the rules stand above the 版心 (they take no line); room down
                // to the 文号 under the upper rule, set at the 版心's right; the title two lines on.
                let room = style.letter_head_room(self.grid_top());
                self.put(i, Kind::Head, plain(organ), room);
                self.put(i, Kind::Head, plain(doc_no), pitch);
                for _ in 0..style.letter.title_gap {
                    self.put(i, Kind::Blank, String::new(), pitch);
                }
            }
            Block::Letterhead { organ, doc_no } => {
                let organ = blocks::text_lines(organ).join("");
                let head = style.letterhead_top + style.letterhead_size * 25 / 2;
                self.put(i, Kind::Head, organ, head);
                for _ in 0..2 {
                    self.put(i, Kind::Blank, String::new(), pitch);
                }
                self.put(i, Kind::Head, plain(doc_no), pitch);
                self.put(i, Kind::Head, String::new(), style.rule_gap);
                for _ in 0..2 {
                    self.put(i, Kind::Blank, String::new(), pitch);
                }
            }
            Block::DocNo(t) => self.put(i, Kind::Head, plain(t), pitch),
            Block::Title(t) => {
                self.title(i, t);
                self.put(i, Kind::Blank, String::new(), pitch);
            }
            Block::Addressee(t) => self.text(i, t, 0, 0, width),
            Block::Paragraph(p) => self.text(i, &p.text, if p.indent { indent } else { 0 }, 0, width),
            Block::Heading { number, text, .. } => {
                let all: Vec<Inline> = std::iter::once(Inline::Text(number.clone())).chain(text.iter().cloned()).collect();
                // A heading is kept with the line after it.
                if !self.at_top() && self.y + 2 * pitch > self.grid_bottom() {
                    self.new_page(self.landscape);
                }
                self.text(i, &all, indent, 0, width);
            }
            Block::ListItem { marker, text } => {
                let all: Vec<Inline> = std::iter::once(Inline::Text(marker.clone())).chain(text.iter().cloned()).collect();
                self.text(i, &all, indent, 0, width);
            }
            Block::Table(t) => self.table(i, t),
            Block::Signature { organ, date } => {
                let right = 2 * style.char_width;
                self.text(i, organ, 0, right, width);
                self.text(i, date, 0, 2 * right, width);
            }
            Block::Parties(list) => {
                let rows = parties::block(style, list, width).rows.iter().map(|r| row_text(r)).collect();
                self.put_together(i, Kind::Signing, rows, pitch);
            }
            Block::Blank(n) => {
                for _ in 0..*n {
                    // Blank lines at a page's top stay there (they are paragraphs), as readers do.
                    self.put(i, Kind::Blank, String::new(), pitch);
                }
            }
            Block::PageBreak => {
                if !first_in_section {
                    self.new_page(self.landscape);
                }
            }
            Block::Attachments { label, items } => {
                let (left, hang) = style.hang_after(label);
                for (k, item) in items.iter().enumerate() {
                    let number = if items.len() == 1 { String::new() } else { format!("{}.", k + 1) };
                    let prefix = if k == 0 { format!("{label}{number}") } else { number };
                    let all: Vec<Inline> = std::iter::once(Inline::Text(prefix)).chain(item.iter().cloned()).collect();
                    let first = if k == 0 { left - hang } else { left };
                    self.text_hanging(i, &all, first, left, width);
                }
            }
            Block::Attachment { label, title } => {
                if !first_in_section {
                    self.new_page(self.landscape);
                }
                self.put(i, Kind::Text, label.clone(), pitch);
                if !title.is_empty() {
                    self.put(i, Kind::Blank, String::new(), pitch);
                    self.title(i, title);
                    self.put(i, Kind::Blank, String::new(), pitch);
                }
            }
            Block::Imprint { lines, .. } => {
                // Floats at the foot of the page the flow ends on; takes no room in the flow.
                let height = table::imprint_height(style, lines, width);
                let top = self.height.saturating_sub(height);
                let page = self.pages.last_mut().expect("a page");
                page.lines.push(Line { block: i, kind: Kind::Imprint, text: String::new(), top, height });
            }
        }
    }

    fn title(&mut self, i: usize, t: &[Inline]) {
        let text = match t {
            [Inline::Text(s)] => xml::clean(s),
            _ => blocks::text_lines(t).join("\n"),
        };
        let lines =
            title::lines(&text, self.style, self.width, &self.names).unwrap_or_else(|| text.split('\n').map(str::to_string).collect());
        self.put_together(i, Kind::Title, lines, self.style.line_pitch);
    }

    /// A paragraph of body text: first line indented by `first`, every line `right` short of
    /// the right edge.
    fn text(&mut self, i: usize, t: &[Inline], first: u32, right: u32, width: u32) {
        self.text_hanging(i, t, first, 0, width.saturating_sub(right));
    }

    fn text_hanging(&mut self, i: usize, t: &[Inline], first: u32, left: u32, width: u32) {
        for line in break_lines(self.style, t, width.saturating_sub(first), width.saturating_sub(left)) {
            self.put(i, Kind::Text, line, self.style.line_pitch);
        }
    }

    /// A table row by row: a row kept whole goes to the next page where it does not fit; a
    /// tall row breaks a line at a time; header rows repeat on every page after the first.
    fn table(&mut self, i: usize, t: &crate::markup::Table) {
        let style = self.style;
        let line = if t.small { style.small_table_line } else { style.table_line };
        let width = self.width;
        let lines = self.rows.borrow_mut().entry(i).or_insert_with(|| table::setting(style, t, width).rows).clone();
        let heights: Vec<u32> = t.rows.iter().zip(&lines).map(|(r, &n)| n.max(r.lines) * line + style.table_border_height()).collect();
        let header: u32 = t.rows.iter().zip(&heights).take_while(|(r, _)| r.header).map(|(_, h)| h).sum();
        let continued = spanned_into(t);
        for (r, (row, &h)) in t.rows.iter().zip(&heights).enumerate() {
            let text = row.cells.first().map(|c| c.paragraphs.iter().map(|p| plain(&p.text)).collect::<String>()).unwrap_or_default();
            let split = row.split.unwrap_or(lines[r] > style.table_keep_lines);
            if self.breaks.contains(&Break::Row(i, r)) && !self.at_top() {
                self.new_page(self.landscape);
                self.y += style.end_line + header;
            }
            if !self.at_top() && self.y + h > self.height && (!split || self.height - self.y < line) {
                self.new_page(self.landscape);
                if !row.header && header > 0 {
                    self.y += header;
                }
            }
            if self.y + h > self.height && split {
                // The rest of the row goes on.
                let here = (self.height - self.y) / line * line;
                if here < style.table_split_lines * line && !continued[r] && r > 0 {
                    self.slivers.push(Break::Row(i, r));
                }
                self.put(i, Kind::Row, text, here);
                self.new_page(self.landscape);
                self.y += header;
                self.put(i, Kind::Row, String::new(), h - here);
            } else {
                self.put(i, Kind::Row, text, h);
            }
        }
    }
}

/// For each row, whether a cell of a row above spans down into it: a table is never cut there.
fn spanned_into(t: &crate::markup::Table) -> Vec<bool> {
    let mut open_until = 0usize;
    t.rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            let inside = r < open_until;
            for c in &row.cells {
                open_until = open_until.max(r + c.rowspan.max(1) as usize);
            }
            inside
        })
        .collect()
}

fn plain(t: &[Inline]) -> String {
    blocks::text_lines(t).join("")
}

/// The text of a signing row, columns joined by a space.
fn row_text(row: &[parties::Line]) -> String {
    let parts: Vec<&str> = row
        .iter()
        .filter_map(|l| match l {
            parties::Line::Empty => None,
            parties::Line::Text(t) => Some(t.as_str()),
            parties::Line::Blank { text, after, .. } => Some(if after.is_empty() { text.as_str() } else { after.as_str() }),
            parties::Line::Centred { text, .. } => Some(text.as_str()),
        })
        .collect();
    parts.join(" ")
}

/// A character's advance in body text, tracking included.
fn advance(style: &Style, c: char) -> u32 {
    let em = style.em(style.body_size);
    let glyph = if c.is_ascii() { em / 2 } else { em };
    (i64::from(glyph) + i64::from(style.char_spacing)).max(0) as u32
}

/// The gap between a hanzi and a Latin letter or digit.
fn gap(style: &Style, a: char, b: char) -> u32 {
    let hanzi = |c: char| !c.is_ascii() && !NO_START.contains(c) && !NO_END.contains(c);
    if (a.is_ascii_alphanumeric() && hanzi(b)) || (hanzi(a) && b.is_ascii_alphanumeric()) { style.em(style.body_size) / 5 } else { 0 }
}

/// The lines a paragraph of body text is set in: the first `first` wide, the rest `rest`.
pub fn break_lines(style: &Style, text: &[Inline], first: u32, rest: u32) -> Vec<String> {
    let mut out = Vec::new();
    let mut para: Vec<char> = Vec::new();
    let flush = |para: &mut Vec<char>, out: &mut Vec<String>, first_line: bool| {
        let widths = if first_line && out.is_empty() { (first, rest) } else { (rest, rest) };
        out.extend(fill(style, para, widths.0, widths.1));
        para.clear();
    };
    let mut forced = false;
    for inline in text {
        match inline {
            Inline::Text(t) => para.extend(xml::clean(t).chars()),
            Inline::Tab => para.push('\u{3000}'),
            Inline::Break => {
                flush(&mut para, &mut out, !forced);
                forced = true;
            }
        }
    }
    flush(&mut para, &mut out, !forced);
    out
}

/// Greedy filling with hanging punctuation and 禁则, in linear time.
fn fill(style: &Style, chars: &[char], first: u32, rest: u32) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut width = first;
    while start < chars.len() {
        let mut used = 0;
        let mut end = start;
        while end < chars.len() {
            let c = chars[end];
            let a = advance(style, c) + if end > start { gap(style, chars[end - 1], c) } else { 0 };
            if used + a > width && end > start {
                break;
            }
            used += a;
            end += 1;
        }
        if end < chars.len() {
            if HANGING.contains(chars[end]) {
                end += 1;
            } else {
                let mut at = end;
                let unbreakable = |at: usize| {
                    let (a, b) = (chars[at - 1], chars[at]);
                    NO_START.contains(b) || NO_END.contains(a) || (a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric())
                };
                while at > start + 1 && unbreakable(at) {
                    at -= 1;
                }
                if at > start + 1 || !unbreakable(at) {
                    end = at;
                }
            }
        }
        out.push(chars[start..end].iter().collect());
        start = end;
        width = rest;
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// Whether block `i` is the signing block of its document and it would begin a page with
/// nothing of the body above it.
pub fn lone_signing(pages: &Pages, doc: &Document) -> Option<usize> {
    let i = doc.blocks.iter().position(|b| matches!(b, Block::Parties(_) | Block::Signature { .. }))?;
    let page = pages.page_of(i)?;
    let before = pages.pages[page].lines.iter().take_while(|l| l.block != i);
    let alone = before.clone().all(|l| l.kind == Kind::Blank || is_blank(&doc.blocks[l.block]));
    (page > 0 && alone).then_some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str, indent: bool) -> Vec<String> {
        let style = Style::gbt9704();
        let w = style.page.text_width();
        break_lines(&style, &[Inline::Text(s.into())], if indent { w - style.body_indent() } else { w }, w)
    }

    /// A tall row that breaks across pages leaves at least `table_split_lines` lines at the
    /// foot of the page, or starts the next page whole; the DOCX is cut there too.
    #[test]
    fn a_row_never_leaves_a_sliver_at_a_pages_foot() {
        let style = Style::gbt9704();
        let line = style.table_line;
        // The fragments a row leaves at page feet: (page, height) of each.
        let slivers = |pages: &Pages| -> Vec<(usize, u32)> {
            let mut out = Vec::new();
            for (p, page) in pages.pages.iter().enumerate() {
                let (Some(last), Some(next)) = (page.lines.last(), pages.pages.get(p + 1).and_then(|n| n.lines.first())) else { continue };
                if last.kind == Kind::Row && next.kind == Kind::Row && next.text.is_empty() && last.height < style.table_split_lines * line
                {
                    out.push((p + 1, last.height));
                }
            }
            out
        };
        let row = |n: usize| format!("<tr><td>{n}</td><td>{}</td></tr>", "乙".repeat(5 + n % 7 * 30));
        let rows: String = (0..12).map(row).collect();
        let mut tried = 0;
        for lead in 1..=21 {
            let paragraphs = format!("<p>{}</p>", "甲".repeat(26)).repeat(lead);
            let doc = crate::markup::parse(&format!("<document>{paragraphs}<table widths=\"1,5\">{rows}</table></document>")).unwrap();
            if slivers(&paginate_with(&doc, &style, &[])).is_empty() {
                continue;
            }
            tried += 1;
            let (breaks, pages) = decide(&doc, &style);
            assert_eq!(slivers(&pages), [], "{lead} lines before the table");
            assert!(breaks.iter().any(|b| matches!(b, Break::Row(..))), "{breaks:?}");
        }
        assert!(tried > 0, "some arrangement leaves a sliver without the rule");
    }

    #[test]
    fn a_line_holds_28_hanzi_26_after_the_indent_and_commas_hang() {
        let text = "甲".repeat(60);
        let got = lines(&text, true);
        assert_eq!(got.iter().map(|l| l.chars().count()).collect::<Vec<_>>(), [26, 28, 6]);
        let got = lines(&format!("{}，乙", "甲".repeat(26)), true);
        assert_eq!(got[0].chars().count(), 27, "the comma hangs: {got:?}");
        let got = lines(&format!("{}）乙", "甲".repeat(26)), true);
        assert_eq!(got[0].chars().count(), 25, "a closing bracket takes the character before it down: {got:?}");
        let got = lines(&format!("{}（乙）", "甲".repeat(25)), true);
        assert_eq!(got[0].chars().count(), 25, "an opening bracket never ends a line: {got:?}");
    }

    #[test]
    fn an_imprint_with_text_in_its_place_goes_onto_a_page_of_its_own() {
        use crate::markup::{ImprintLine, Paragraph};
        let style = Style::gbt9704();
        let para = |n: usize| {
            Block::Paragraph(Paragraph { text: vec![Inline::Text("甲".repeat(n))], align: crate::markup::Align::Justify, indent: false })
        };
        let imprint = Block::Imprint {
            lines: vec![ImprintLine { label: "抄送：".into(), text: vec![Inline::Text("市纪委监委".into())] }],
            issuer: vec![Inline::Text("中共江州市财政局委员会办公室".into())],
            issued: vec![Inline::Text("2026年3月10日印发".into())],
        };
        // 21 full lines: the 版记 (two rows) would cover the last of them.
        let doc = Document { blocks: vec![para(28 * 21), imprint.clone()], ..Document::default() };
        let (breaks, pages) = decide(&doc, &style);
        assert_eq!(breaks, [Break::Before(1)]);
        assert_eq!(pages.count(), 2);
        assert!(pages.pages[1].lines.iter().all(|l| l.kind == Kind::Imprint), "{:?}", pages.pages[1]);
        // 15 lines leave its place free: it stays.
        let doc = Document { blocks: vec![para(28 * 15), imprint], ..Document::default() };
        assert_eq!(decide(&doc, &style).0, []);
    }

    #[test]
    fn a_letter_sets_its_docno_under_the_upper_rule_and_leaves_page_one_unnumbered() {
        let style = Style::gbt9704();
        let markup = format!(
            "<document format=\"letter\"><letterhead><organ>中共某委员会</organ><docno>某函〔2026〕1号</docno></letterhead>\
             <title>关于某事的函</title><p>{}</p></document>",
            "甲".repeat(28 * 30)
        );
        let doc = crate::markup::parse(&markup).unwrap();
        let pages = paginate(&doc, &style);
        assert!(pages.pages[0].unnumbered && !pages.pages[1].unnumbered);
        let lines = &pages.pages[0].lines;
        let no = &lines[1];
        assert_eq!((no.kind, no.text.as_str()), (Kind::Head, "某函〔2026〕1号"));
        // The 文号's characters start 7/8 of a 三号 character under the upper rule's thin line.
        let [_, thin] = style.letter_upper_rule();
        let em = style.em(style.body_size);
        let glyph_top = style.page.top + no.top + (no.height - em) / 2;
        assert!(glyph_top.abs_diff(thin.top + thin.thick + style.letter.doc_no_gap) <= 1, "{glyph_top}");
        // The title two lines below it.
        let title = lines.iter().position(|l| l.kind == Kind::Title).unwrap();
        assert_eq!(title, 4, "{lines:?}");
        assert_eq!(lines[title].top, no.top + 3 * style.line_pitch);
    }

    #[test]
    fn digits_are_half_an_em_and_a_number_stays_whole() {
        let got = lines(&format!("{}2026年", "甲".repeat(24)), true);
        assert_eq!(got[0], "甲".repeat(24), "{got:?}");
    }
}
