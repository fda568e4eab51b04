//! Draws a document from zeren's page model (`layout::pages`): every line stands where the model
//! put it — its page, its top, its text as broken there — and this module only says how it
//! looks: the font role and size of its block, its alignment and indent, the 版头's red rule,
//! table cells and their rules, the signing block's blanks (`parties::block`), the 版记 rules,
//! and the 页码. It makes no break of its own, except inside table cells and 版记 lines, whose
//! lines the model counts but does not keep.

use super::sheet::{Mark, Rgb, Sheet, pt};
use crate::layout::pages::{self, Kind, Line};
use crate::layout::style::{FontRole, Page};
use crate::layout::{Style, parties};
use crate::markup::{Align, Block, Document, Format, Table, plain_text};
use std::collections::HashMap;

/// Punctuation a table cell's line may not start with (禁则), and may not end with.
const CLOSING: &str = "）)]】〕》」』”’，。、；：！？,.;:!?%％…—";
const OPENING: &str = "（([【〔《「『“‘";

/// One document's pages, numbered from 1 (GB/T 9704 7.5: odd right, even left).
pub fn sheets(doc: &Document, style: &Style) -> Vec<Sheet> {
    let model = pages::paginate(doc, style);
    let mut painter = Painter { style, doc, page: style.page.clone(), marks: Vec::new(), seen: HashMap::new(), tables: HashMap::new() };
    let mut out = Vec::with_capacity(model.pages.len());
    for (n, page) in model.pages.iter().enumerate() {
        painter.page = if page.landscape { style.page.landscape() } else { style.page.clone() };
        // Tables whose first row on this page is still to come.
        let mut first_row: HashMap<usize, bool> = HashMap::new();
        for line in &page.lines {
            painter.line(line, &mut first_row);
        }
        let mut sheet = blank(&painter.page);
        sheet.marks = std::mem::take(&mut painter.marks);
        if !page.unnumbered {
            folio(style, &mut sheet, n + 1);
        }
        out.push(sheet);
    }
    out
}

/// A print file's pages: every document starts on an odd page, a blank unnumbered sheet before
/// it where the one before ends on an odd page.
pub fn print_sheets<'a>(docs: impl IntoIterator<Item = &'a Document>, style: &Style) -> Vec<Sheet> {
    let mut all: Vec<Sheet> = Vec::new();
    for doc in docs {
        append(&mut all, sheets(doc, style), style);
    }
    all
}

/// Adds one document's sheets to a print file's, after a blank one where they would start on
/// an even page.
pub fn append(all: &mut Vec<Sheet>, doc: Vec<Sheet>, style: &Style) {
    if all.len() % 2 == 1 {
        all.push(blank(&style.page));
    }
    all.extend(doc);
}

/// An empty page the size of `page`.
pub fn blank(page: &Page) -> Sheet {
    Sheet { width: pt(page.width), height: pt(page.height), marks: Vec::new() }
}

/// A line of a cell as set, and its width.
struct Set {
    text: String,
    width: i64,
}

/// A table cell placed: how many rows it spans, its edges (twips from the 版心 left), its lines.
struct CellBox {
    rows: usize,
    x0: i64,
    x1: i64,
    sets: Vec<(Set, Align)>,
}

/// A table as drawn: its cells by row, each row's height as the model counts it, the header.
struct TableBoxes {
    cells: Vec<CellBox>,
    by_row: Vec<std::ops::Range<usize>>,
    heights: Vec<i64>,
    header: usize,
    line: i64,
    size: u32,
    /// The row drawn last, and how much of it is still to come (a row split across pages).
    next: usize,
    rest: i64,
}

struct Painter<'a> {
    style: &'a Style,
    doc: &'a Document,
    page: Page,
    marks: Vec<Mark>,
    /// Lines of each block drawn so far (the first line of a paragraph is indented).
    seen: HashMap<usize, usize>,
    tables: HashMap<usize, TableBoxes>,
}

impl Painter<'_> {
    fn width(&self) -> i64 {
        i64::from(self.page.text_width())
    }

    fn line(&mut self, line: &Line, first_row: &mut HashMap<usize, bool>) {
        let k = *self.seen.entry(line.block).and_modify(|n| *n += 1).or_insert(0);
        let Some(block) = self.doc.blocks.get(line.block) else { return };
        let (top, h) = (i64::from(line.top), i64::from(line.height));
        let s = self.style;
        let width = self.width();
        let pitch = i64::from(s.line_pitch);
        match (line.kind, block) {
            (Kind::Blank, _) => {}
            (Kind::Head, Block::Letterhead { organ, .. }) if self.doc.format == Format::Letter => {
                if k == 0 {
                    self.letter_head(&plain_text(organ));
                } else {
                    // The 文号 at the 版心's right edge (GB/T 9704 10.1), as wide as it is drawn.
                    let w: i64 = line.text.chars().map(|c| self.advance(c, s.body_size) + i64::from(s.char_spacing)).sum();
                    self.put(width - w, top, h, &line.text, FontRole::Fangsong, s.body_size, Rgb::BLACK, 1.0, true);
                }
            }
            (Kind::Head, Block::Letterhead { organ, .. }) if k == 0 => {
                // The 标志 35 mm below the 版心 top, each of its lines centred, red, condensed
                // where too wide (as the DOCX sets it).
                let size = s.letterhead_size;
                let line_h = i64::from(size) * 25 / 2;
                let texts: Vec<String> = plain_text(organ).split('\n').map(str::to_string).collect();
                let stretch = s.letterhead_stretch(texts.iter().map(String::as_str), width as u32).map_or(1.0, |p| p as f32 / 100.0);
                let mut y = top + i64::from(s.letterhead_top);
                for t in &texts {
                    let w = (i64::from(s.advance(t, size)) as f32 * stretch) as i64;
                    self.put((width - w) / 2, y, line_h, t, FontRole::Xiaobiaosong, size, Rgb::hex(s.red), stretch, false);
                    y += line_h;
                }
            }
            (Kind::Head, _) if line.text.is_empty() => {
                // The red rule under the 文号 (GB/T 9704 7.2.4): the foot of the rule's sliver.
                self.rule(0, width, top + h, s.red_rule, Rgb::hex(s.red));
            }
            (Kind::Head, _) => self.centred(&line.text, top, h, FontRole::Fangsong, s.body_size),
            (Kind::Title, _) => self.centred(&line.text, top, h, FontRole::Xiaobiaosong, s.title_size),
            (Kind::Text, _) => self.text(line, k, block),
            (Kind::Row, Block::Table(t)) => {
                let fresh = !first_row.contains_key(&line.block);
                first_row.insert(line.block, true);
                self.row(line.block, t, top, h, fresh);
            }
            (Kind::Signing, Block::Parties(list)) => {
                let b = parties::block(s, list, width as u32);
                let Some(row) = b.rows.get(k) else { return };
                for (c, l) in row.iter().enumerate() {
                    let x0 = i64::from(b.starts.get(c).copied().unwrap_or(0));
                    match l {
                        parties::Line::Empty => {}
                        parties::Line::Text(t) => self.put(x0, top, pitch, t, FontRole::Fangsong, s.body_size, Rgb::BLACK, 1.0, true),
                        parties::Line::Blank { text, from, to, after } => {
                            self.put(x0, top, pitch, text, FontRole::Fangsong, s.body_size, Rgb::BLACK, 1.0, true);
                            self.rule(x0 + i64::from(*from), x0 + i64::from(*to), top + pitch * 8 / 10, 4, Rgb::BLACK);
                            let x = x0 + i64::from(*to) + i64::from(s.char_width) / 4;
                            self.put(x, top, pitch, after, FontRole::Fangsong, s.body_size, Rgb::BLACK, 1.0, true);
                        }
                        parties::Line::Centred { text, centre } => {
                            let w = i64::from(s.set_width(text, s.body_size));
                            self.put(
                                x0 + i64::from(*centre) - w / 2,
                                top,
                                pitch,
                                text,
                                FontRole::Fangsong,
                                s.body_size,
                                Rgb::BLACK,
                                1.0,
                                true,
                            );
                        }
                    }
                }
            }
            (Kind::Imprint, Block::Imprint { lines, issuer, issued }) => {
                let lines: Vec<(String, String)> = lines.iter().map(|l| (l.label.clone(), plain_text(&l.text))).collect();
                self.imprint(&lines, &plain_text(issuer), &plain_text(issued), top + h);
            }
            _ => {}
        }
    }

    /// A 信函's 标志 (GB/T 9704 10.1): red, on one line over the 版心, its characters' top 30 mm
    /// from the paper's top; the upper double rule 4 mm under it, the lower one 20 mm above
    /// the paper's foot, both 170 mm long.
    fn letter_head(&mut self, organ: &str) {
        let s = self.style;
        let l = &s.letter;
        let width = self.width();
        let size = l.organ_size;
        let text = organ.replace('\n', "");
        let stretch = s.stretch_to([text.as_str()], size, width as u32).map_or(1.0, |p| p as f32 / 100.0);
        let w = (i64::from(s.advance(&text, size)) as f32 * stretch) as i64;
        let page_top = i64::from(self.page.top);
        let em = i64::from(s.em(size));
        self.put(
            (width - w) / 2,
            i64::from(l.organ_top) - page_top,
            em,
            &text,
            FontRole::Xiaobiaosong,
            size,
            Rgb::hex(s.red),
            stretch,
            false,
        );
        let (x0, x1) = (-(i64::from(l.rule_width) - width) / 2, width + (i64::from(l.rule_width) - width) / 2);
        for rule in s.letter_upper_rule().into_iter().chain(s.letter_lower_rule()) {
            // A rule is stroked about its middle; its width in eighths of a point.
            let y = i64::from(rule.top) + i64::from(rule.thick) / 2 - page_top;
            self.rule(x0, x1, y, rule.thick * 8 / 20, Rgb::hex(s.red));
        }
    }

    fn centred(&mut self, text: &str, top: i64, h: i64, role: FontRole, size: u32) {
        let w = self.set_width(text, size, true);
        self.put((self.width() - w) / 2, top, h, text, role, size, Rgb::BLACK, 1.0, true);
    }

    /// A line of body text: its block's face, indent and alignment; a full line justified to
    /// the 版心's edge (a hanging mark stands past it).
    fn text(&mut self, line: &Line, k: usize, block: &Block) {
        let s = self.style;
        let width = self.width();
        let size = s.body_size;
        let indent = i64::from(s.body_indent());
        let char_w = i64::from(s.char_width);
        let (top, h) = (i64::from(line.top), i64::from(line.height));
        // As drawn: the glyphs' advances and the tracking (the gaps the model counts beside Latin
        // text are not drawn; justifying spreads the room they leave).
        let natural: i64 = line.text.chars().map(|c| self.advance(c, size) + i64::from(s.char_spacing)).sum();
        let (role, x, right) = match block {
            Block::Paragraph(p) => {
                let left = if k == 0 && p.indent { indent } else { 0 };
                match p.align {
                    Align::Center => (FontRole::Fangsong, (width - natural) / 2, None),
                    Align::Right => (FontRole::Fangsong, width - natural, None),
                    Align::Left => (FontRole::Fangsong, left, None),
                    Align::Justify => (FontRole::Fangsong, left, Some(width)),
                }
            }
            Block::Heading { level, .. } => {
                let role = match level {
                    1 => FontRole::Heiti,
                    2 => FontRole::Kaiti,
                    _ => FontRole::Fangsong,
                };
                (role, if k == 0 { indent } else { 0 }, Some(width))
            }
            Block::ListItem { .. } => (FontRole::Fangsong, if k == 0 { indent } else { 0 }, Some(width)),
            Block::Signature { organ, .. } => {
                // 落款 two characters in from the right, the date four.
                let organ_lines = pages::break_lines(s, organ, (width - 2 * char_w) as u32, (width - 2 * char_w) as u32).len();
                let right = if k < organ_lines { 2 } else { 4 } * char_w;
                (FontRole::Fangsong, width - right - natural, None)
            }
            Block::Attachments { label, .. } => {
                let (left, hang) = s.hang_after(label);
                let x = if k == 0 { i64::from(left) - i64::from(hang) } else { i64::from(left) };
                (FontRole::Fangsong, x, None)
            }
            Block::Attachment { .. } => (FontRole::Heiti, 0, None),
            _ => (FontRole::Fangsong, 0, None),
        };
        // Justified: a line within a character of full is spread to the edge; a mark that hangs
        // past it (`pages::HANGING`) is left out, what stands before it reaches the edge.
        let n = line.text.chars().count() as i64;
        let body = match line.text.chars().last() {
            Some(c) if right.is_some_and(|r| natural > r - x) && pages::HANGING.contains(c) => {
                natural - self.advance(c, size) - i64::from(s.char_spacing)
            }
            _ => natural,
        };
        let spread = match right {
            Some(r) if n > 1 && body < r - x && body + char_w >= r - x => (r - x - body) as f32 / (n - 1) as f32 / 20.0,
            _ => 0.0,
        };
        self.put_tracked(x, top, h, &line.text, role, size, spread);
    }

    /// The width the model gives `text` at `size`: a hanzi an em, ASCII half, a fifth of an em
    /// between a hanzi and a Latin letter or digit; with the tracking where `tracked`.
    fn set_width(&self, text: &str, size: u32, tracked: bool) -> i64 {
        let em = i64::from(self.style.em(size));
        let mut w = 0;
        let mut prev: Option<char> = None;
        for c in text.chars() {
            w += if c.is_ascii() { em / 2 } else { em } + if tracked { i64::from(self.style.char_spacing) } else { 0 };
            if prev.is_some_and(|p| latin_gap(p, c)) {
                w += em / 5;
            }
            prev = Some(c);
        }
        w
    }

    #[allow(clippy::too_many_arguments)]
    fn put(&mut self, x: i64, top: i64, h: i64, text: &str, role: FontRole, size: u32, color: Rgb, stretch: f32, tracked: bool) {
        let tracking = if tracked { self.style.char_spacing as f32 / 20.0 } else { 0.0 };
        self.mark_text(x, top, h, text, role, size, color, stretch, tracking);
    }

    #[allow(clippy::too_many_arguments)]
    fn put_tracked(&mut self, x: i64, top: i64, h: i64, text: &str, role: FontRole, size: u32, extra: f32) {
        let tracking = self.style.char_spacing as f32 / 20.0 + extra;
        self.mark_text(x, top, h, text, role, size, Rgb::BLACK, 1.0, tracking);
    }

    /// Text on one line whose box is `top`…`top + h`, from `x` (twips from the 版心 left): the em
    /// box centred in the line box, the baseline 0.88 em below its top (CJK faces).
    #[allow(clippy::too_many_arguments)]
    fn mark_text(&mut self, x: i64, top: i64, h: i64, text: &str, role: FontRole, size: u32, color: Rgb, stretch: f32, tracking: f32) {
        if text.is_empty() {
            return;
        }
        let em = i64::from(size) * 10;
        let baseline = top + (h - em) / 2 + em * 88 / 100;
        let (x0, y0) = (i64::from(self.page.left), i64::from(self.page.top));
        self.marks.push(Mark::Text {
            x: pt(x0 + x),
            y: pt(y0 + baseline),
            role,
            size: size as f32 / 2.0,
            tracking,
            stretch,
            color,
            quarter: 0,
            text: text.to_string(),
        });
    }

    fn rule(&mut self, x1: i64, x2: i64, y: i64, eighths: u32, color: Rgb) {
        self.segment(x1, y, x2, y, eighths, color);
    }

    fn segment(&mut self, x1: i64, y1: i64, x2: i64, y2: i64, eighths: u32, color: Rgb) {
        let (x0, y0) = (i64::from(self.page.left), i64::from(self.page.top));
        let width = eighths as f32 / 8.0;
        self.marks.push(Mark::Rule { x1: pt(x0 + x1), y1: pt(y0 + y1), x2: pt(x0 + x2), y2: pt(y0 + y2), width, color });
    }

    fn advance(&self, c: char, size: u32) -> i64 {
        let em = i64::from(self.style.em(size));
        if c.is_ascii() { em / 2 } else { em }
    }

    /// A cell's or a 版记 line's text broken into lines `first` and then `rest` wide, with
    /// 禁则: a closing mark takes the character before it down, an opening one goes down.
    fn lines(&self, text: &str, size: u32, first: i64, rest: i64) -> Vec<Set> {
        let mut out: Vec<Set> = Vec::new();
        for para in text.split('\n') {
            let mut line = String::new();
            let mut width = 0;
            for c in para.chars() {
                let room = if out.is_empty() { first } else { rest };
                let a = self.advance(c, size);
                if width + a <= room || line.is_empty() {
                    line.push(c);
                    width += a;
                    continue;
                }
                let mut carry = String::new();
                if CLOSING.contains(c) && line.chars().count() > 1 {
                    let l = line.pop().unwrap_or_default();
                    width -= self.advance(l, size);
                    carry.push(l);
                }
                while line.chars().last().is_some_and(|l| OPENING.contains(l)) && line.chars().count() > 1 {
                    let l = line.pop().unwrap_or_default();
                    width -= self.advance(l, size);
                    carry.insert(0, l);
                }
                out.push(Set { text: std::mem::take(&mut line), width });
                carry.push(c);
                width = carry.chars().map(|l| self.advance(l, size)).sum();
                line = carry;
            }
            out.push(Set { text: line, width });
        }
        out
    }
}

impl Painter<'_> {
    /// A table's cells placed once: columns as `widths::fit` (or the template) sets them, the
    /// rows' heights as the model counts them.
    fn boxes(&self, t: &Table) -> TableBoxes {
        let s = self.style;
        let size = if t.small { s.small_table_size } else { s.table_size };
        let line = i64::from(if t.small { s.small_table_line } else { s.table_line });
        let total = self.width() as u32;
        // Set as the DOCX writer sets it (dates whole where that costs no lines).
        let crate::layout::table::Setting { measure: m, widths: cols, rows: counted } = crate::layout::table::setting(s, t, total);
        let heights: Vec<i64> =
            t.rows.iter().zip(&counted).map(|(r, &n)| i64::from(n.max(r.lines)) * line + i64::from(s.table_border_height())).collect();
        let margin = i64::from(s.cell_margin);
        let mut starts = vec![0i64];
        for w in &cols {
            starts.push(starts.last().copied().unwrap_or(0) + i64::from(*w));
        }
        let left = (self.width() - starts.last().copied().unwrap_or(0)) / 2;
        let mut cells: Vec<CellBox> = Vec::new();
        let mut by_row = vec![0..0; t.rows.len()];
        let mut covered = vec![0u32; cols.len()];
        for (r, row) in t.rows.iter().enumerate() {
            let mut col = 0usize;
            let from = cells.len();
            for cell in &row.cells {
                while col < cols.len() && covered[col] > 0 {
                    col += 1;
                }
                if col >= cols.len() {
                    break;
                }
                let span = (cell.colspan.max(1) as usize).min(cols.len() - col);
                let (x0, x1) = (starts[col], starts[col + span]);
                let inner = (x1 - x0 - 2 * margin).max(i64::from(s.em(size)));
                let mut sets = Vec::new();
                for p in &cell.paragraphs {
                    // Broken between words where the DOCX breaks them; a header row centred.
                    let broken = m.break_between_pieces(&p.text, inner as u32, row.header);
                    let text = plain_text(broken.as_deref().unwrap_or(&p.text)).replace('\t', "\u{3000}");
                    let align = if row.header { Align::Center } else { p.align };
                    for l in self.lines(&text, size, inner, inner) {
                        sets.push((l, align));
                    }
                }
                let rows = cell.rowspan.max(1).min((t.rows.len() - r) as u32);
                for c in &mut covered[col..col + span] {
                    *c = rows;
                }
                cells.push(CellBox { rows: rows as usize, x0: left + x0, x1: left + x1, sets });
                col += span;
            }
            by_row[r] = from..cells.len();
            for c in &mut covered {
                *c = c.saturating_sub(1);
            }
        }
        let header = t.rows.iter().take_while(|r| r.header).count();
        TableBoxes { cells, by_row, heights, header, line, size, next: 0, rest: 0 }
    }

    /// One row line of the model: the next row of the table (its header rows first where the
    /// model left room for them at the page's top), or the rest of a row split across pages.
    fn row(&mut self, block: usize, t: &Table, top: i64, h: i64, first_on_page: bool) {
        let mut tb = match self.tables.remove(&block) {
            Some(tb) => tb,
            None => self.boxes(t),
        };
        if tb.rest > 0 && tb.next > 0 {
            // The rest of a split row: its lines past those the first part held.
            let r = tb.next - 1;
            let shown = ((tb.heights[r] - tb.rest) / tb.line).max(0) as usize;
            self.cells(&tb, r, top, h, shown, usize::MAX);
            tb.rest = (tb.rest - h).max(0);
        } else if tb.next < tb.heights.len() {
            let r = tb.next;
            tb.next += 1;
            let head: i64 = tb.heights[..tb.header].iter().sum();
            if first_on_page && r >= tb.header && tb.header > 0 && top >= head {
                let mut y = top - head;
                for hr in 0..tb.header {
                    self.cells(&tb, hr, y, tb.heights[hr], 0, usize::MAX);
                    y += tb.heights[hr];
                }
            }
            let fits = (h / tb.line).max(1) as usize;
            self.cells(&tb, r, top, h, 0, fits);
            tb.rest = (tb.heights[r] - h).max(0);
        }
        self.tables.insert(block, tb);
    }

    /// The cells starting in row `r`, `h` high from `top` (a cell over several rows the height
    /// of them all), ruled round, lines `skip..skip + most` of each centred in it.
    fn cells(&mut self, tb: &TableBoxes, r: usize, top: i64, h: i64, skip: usize, most: usize) {
        let border = self.style.table_border;
        let margin = i64::from(self.style.cell_margin);
        for c in &tb.cells[tb.by_row[r].clone()] {
            let height = if c.rows > 1 { tb.heights[r..(r + c.rows).min(tb.heights.len())].iter().sum() } else { h };
            self.rule(c.x0, c.x1, top, border, Rgb::BLACK);
            self.rule(c.x0, c.x1, top + height, border, Rgb::BLACK);
            self.segment(c.x0, top, c.x0, top + height, border, Rgb::BLACK);
            self.segment(c.x1, top, c.x1, top + height, border, Rgb::BLACK);
            let shown: Vec<&(Set, Align)> = c.sets.iter().skip(skip).take(most).collect();
            let mut y = top + (height - shown.len() as i64 * tb.line).max(0) / 2;
            for (set, align) in shown {
                let inner = c.x1 - c.x0 - 2 * margin;
                let x = match align {
                    Align::Center => c.x0 + margin + (inner - set.width) / 2,
                    Align::Right => c.x1 - margin - set.width,
                    _ => c.x0 + margin,
                };
                self.put(x, y, tb.line, &set.text, FontRole::Fangsong, tb.size, Rgb::BLACK, 1.0, false);
                y += tb.line;
            }
        }
    }

    /// 版记 (GB/T 9704 7.4) ending at `bottom` (the 版心's foot, where the model floats it):
    /// each line between rules, the first and the last thick; 印发机关 left, 印发日期 right.
    fn imprint(&mut self, lines: &[(String, String)], issuer: &str, issued: &str, bottom: i64) {
        let s = self.style;
        let size = s.imprint_size;
        let row = i64::from(s.imprint_row_height(1));
        let line = i64::from(s.imprint_line);
        let indent = i64::from(s.imprint_indent()) + i64::from(s.cell_margin);
        let width = self.width();
        let inner = i64::from(s.imprint_text_width(width as u32));
        let mut rows: Vec<Vec<Set>> = lines
            .iter()
            .map(|(label, text)| {
                let hang = i64::from(s.set_width(label, size));
                self.lines(&format!("{label}{text}"), size, inner, inner - hang)
            })
            .collect();
        rows.push(Vec::new()); // the 印发 line
        let heights: Vec<i64> = rows.iter().map(|r| (r.len().max(1) as i64 - 1) * line + row).collect();
        let mut y = bottom - heights.iter().sum::<i64>();
        let last = rows.len();
        self.rule(0, width, y, s.rule_thick, Rgb::BLACK);
        for (i, (sets, h)) in rows.iter().zip(&heights).enumerate() {
            let pad = (h - sets.len().max(1) as i64 * line) / 2;
            if sets.is_empty() {
                self.put(indent, y + pad, line, issuer, FontRole::Fangsong, size, Rgb::BLACK, 1.0, false);
                let w: i64 = issued.chars().map(|c| self.advance(c, size)).sum();
                self.put(width - indent - w, y + pad, line, issued, FontRole::Fangsong, size, Rgb::BLACK, 1.0, false);
            }
            let hang = lines.get(i).map_or(0, |(label, _)| i64::from(s.set_width(label, size)));
            for (k, set) in sets.iter().enumerate() {
                let x = indent + if k > 0 { hang } else { 0 };
                self.put(x, y + pad + k as i64 * line, line, &set.text, FontRole::Fangsong, size, Rgb::BLACK, 1.0, false);
            }
            y += h;
            let thick = if i + 1 == last { s.rule_thick } else { s.rule_thin };
            self.rule(0, width, y, thick, Rgb::BLACK);
        }
    }
}

/// A hanzi next to a Latin letter or digit: readers put a fifth of an em between them.
fn latin_gap(a: char, b: char) -> bool {
    let hanzi = |c: char| !c.is_ascii() && !CLOSING.contains(c) && !OPENING.contains(c);
    (a.is_ascii_alphanumeric() && hanzi(b)) || (hanzi(a) && b.is_ascii_alphanumeric())
}

/// "— N —" in 四号宋体, the dashes' top 7 mm below the 版心 (GB/T 9704 7.5), one character in
/// from the 版心's right edge on odd pages, its left on even ones. On a landscape page the number
/// stands where the portrait page has it on the sheet, turned with it: beside the table, left of
/// it on odd pages and right on even ones.
fn folio(style: &Style, sheet: &mut Sheet, n: usize) {
    let p = &style.page;
    let text = format!("— {n} —");
    let size = style.footer_size;
    let em = i64::from(style.em(size));
    let w: i64 = text.chars().map(|c| if c.is_ascii() { em / 2 } else { em }).sum();
    let indent = i64::from(style.footer_indent);
    let (left, right) = (i64::from(p.left), i64::from(p.width - p.right));
    let px = if n % 2 == 1 { right - indent - w } else { left + indent };
    // 7 mm (397 tw) to the dash's top; the dash sits 0.4 em above the baseline, a hair thick.
    let py = i64::from(p.height - p.bottom) + 397 + em * 45 / 100;
    let landscape = sheet.width > sheet.height;
    let (x, y, quarter) = if !landscape {
        (pt(px), pt(py), 0)
    } else if n % 2 == 1 {
        (pt(i64::from(p.height) - py), pt(px), 1)
    } else {
        (pt(py), pt(i64::from(p.width) - px), -1)
    };
    let size = size as f32 / 2.0;
    sheet.marks.push(Mark::Text { x, y, role: FontRole::Songti, size, tracking: 0.0, stretch: 1.0, color: Rgb::BLACK, quarter, text });
}
