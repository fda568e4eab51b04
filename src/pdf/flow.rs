//! THE PLACE THE PAGE MODEL PLUGS IN. Until `layout` computes every line and page break itself
//! (design settled 17, issue 26 item 1), this is a minimal adapter that sets a `Document` on
//! sheets from the measures `layout` already has (`Style`, `measure`, `widths`, `title`): body
//! lines on the 28 × 22 grid with the commonest 禁则, the 版头 and its red rule, tables with the
//! columns `widths::fit` gives, signing blocks, the 版记 at the foot of the last page, landscape
//! pages for wide tables, and the 页码. It makes no decision of its own beyond where a line
//! breaks; when the page model lands, `sheets` draws its pages instead and this file goes.

use super::sheet::{Mark, Rgb, Sheet, pt};
use crate::layout::style::{FontRole, Page};
use crate::layout::widths::{self, Measure};
use crate::layout::{Style, table, title};
use crate::markup::{Align, Block, Document, Party, Table, plain_text};

/// Punctuation a line may not start with (禁则) and may not end with.
const CLOSING: &str = "）)]】〕》」』”’，。、；：！？,.;:!?%％…—";
const OPENING: &str = "（([【〔《「『“‘";

/// One document's pages, numbered from 1 (GB/T 9704 7.5: odd right, even left).
pub fn sheets(doc: &Document, style: &Style) -> Vec<Sheet> {
    let mut f = Flow::new(style);
    for block in &doc.blocks {
        f.block(block);
    }
    let mut pages = f.finish();
    for (i, page) in pages.iter_mut().enumerate() {
        folio(style, page, i + 1);
    }
    pages
}

/// A print file's pages: every document starts on an odd page, a blank unnumbered sheet before
/// it where the one before ends on an odd page.
pub fn print_sheets<'a>(docs: impl IntoIterator<Item = &'a Document>, style: &Style) -> Vec<Sheet> {
    let mut all: Vec<Sheet> = Vec::new();
    for doc in docs {
        if all.len() % 2 == 1 {
            all.push(blank(&style.page));
        }
        all.extend(sheets(doc, style));
    }
    all
}

pub fn blank(page: &Page) -> Sheet {
    Sheet { width: pt(page.width), height: pt(page.height), marks: Vec::new() }
}

/// A table cell placed: its first row and how many it spans, its edges (twips from the 版心
/// left), its lines.
struct CellBox {
    row: usize,
    rows: usize,
    x0: i64,
    x1: i64,
    sets: Vec<(Set, Align)>,
}

/// A line of text as set, and its width.
struct Set {
    text: String,
    width: i64,
}

struct Flow<'a> {
    style: &'a Style,
    page: Page,
    landscape: bool,
    pages: Vec<Sheet>,
    /// Twips from the 版心 top where the next line starts.
    y: i64,
}

impl<'a> Flow<'a> {
    fn new(style: &'a Style) -> Flow<'a> {
        let page = style.page.clone();
        Flow { style, pages: vec![blank(&page)], page, landscape: false, y: 0 }
    }

    fn finish(self) -> Vec<Sheet> {
        self.pages
    }

    fn width(&self) -> i64 {
        i64::from(self.page.text_width())
    }

    fn height(&self) -> i64 {
        i64::from(self.page.text_height())
    }

    fn new_page(&mut self) {
        self.pages.push(blank(&self.page));
        self.y = 0;
    }

    /// Turns the page for a wide table, or back; a page with something on it is closed first.
    fn orient(&mut self, landscape: bool) {
        if self.landscape == landscape {
            return;
        }
        self.landscape = landscape;
        self.page = if landscape { self.style.page.landscape() } else { self.style.page.clone() };
        let empty = self.pages.last().is_some_and(|p| p.marks.is_empty());
        if empty {
            self.pages.pop();
        }
        self.new_page();
    }

    /// Room for `h` twips: a new page where this one has not.
    fn room(&mut self, h: i64) -> i64 {
        if self.y + h > self.height() && self.y > 0 {
            self.new_page();
        }
        let top = self.y;
        self.y += h;
        top
    }

    fn mark(&mut self, m: Mark) {
        if let Some(p) = self.pages.last_mut() {
            p.marks.push(m);
        }
    }

    /// Back onto the grid after something of another height (the 版头, a table).
    fn snap(&mut self) {
        let pitch = i64::from(self.style.line_pitch);
        self.y = (self.y + pitch - 1) / pitch * pitch;
        if self.y >= self.height() {
            self.new_page();
        }
    }

    /// Text on one line whose box is `top`…`top + h`, from `x` (twips from the 版心 left).
    #[allow(clippy::too_many_arguments)]
    fn put(&mut self, x: i64, top: i64, h: i64, text: &str, role: FontRole, size: u32, color: Rgb, stretch: f32, tracked: bool) {
        if text.is_empty() {
            return;
        }
        let size_pt = size as f32 / 2.0;
        // The em box centred in the line box; the baseline 0.88 em below its top (CJK faces).
        let em = i64::from(size) * 10;
        let baseline = top + (h - em) / 2 + em * 88 / 100;
        let tracking = if tracked { self.style.char_spacing as f32 / 20.0 } else { 0.0 };
        let (x0, y0) = (i64::from(self.page.left), i64::from(self.page.top));
        self.mark(Mark::Text {
            x: pt(x0 + x),
            y: pt(y0 + baseline),
            role,
            size: size_pt,
            tracking,
            stretch,
            color,
            quarter: 0,
            text: text.to_string(),
        });
    }

    fn rule(&mut self, x1: i64, x2: i64, y: i64, eighths: u32, color: Rgb) {
        let (x0, y0) = (i64::from(self.page.left), i64::from(self.page.top));
        let w = eighths as f32 / 8.0;
        self.mark(Mark::Rule { x1: pt(x0 + x1), y1: pt(y0 + y), x2: pt(x0 + x2), y2: pt(y0 + y), width: w, color });
    }

    fn advance(&self, c: char, size: u32, tracked: bool) -> i64 {
        let em = i64::from(self.style.em(size));
        let glyph = if c.is_ascii() { em / 2 } else { em };
        glyph + if tracked { i64::from(self.style.char_spacing) } else { 0 }
    }

    /// `text` broken into lines `first` (the first line) and `rest` wide, with 禁则: a closing
    /// mark goes up with the character before it, an opening one down with the one after.
    fn lines(&self, text: &str, size: u32, first: i64, rest: i64, tracked: bool) -> Vec<Set> {
        let mut out: Vec<Set> = Vec::new();
        for para in text.split('\n') {
            let chars: Vec<char> = para.chars().collect();
            let mut line = String::new();
            let mut width = 0;
            let mut i = 0;
            while i < chars.len() {
                let c = chars[i];
                let room = if out.is_empty() { first } else { rest };
                let a = self.advance(c, size, tracked);
                let fits = width + a <= room;
                if fits || line.is_empty() {
                    line.push(c);
                    width += a;
                    i += 1;
                    continue;
                }
                // An opening mark at the end of the line goes down with what it opens; a closing
                // one that does not fit takes the character before it down with it.
                let mut carry = String::new();
                if CLOSING.contains(c) && line.chars().count() > 1 {
                    let l = line.pop().unwrap_or_default();
                    width -= self.advance(l, size, tracked);
                    carry.push(l);
                }
                while line.chars().last().is_some_and(|l| OPENING.contains(l)) && line.chars().count() > 1 {
                    let l = line.pop().unwrap_or_default();
                    width -= self.advance(l, size, tracked);
                    carry.insert(0, l);
                }
                out.push(Set { text: std::mem::take(&mut line), width });
                width = carry.chars().map(|l| self.advance(l, size, tracked)).sum();
                line = carry;
            }
            out.push(Set { text: line, width });
        }
        out
    }

    /// A paragraph of body text on the grid.
    fn paragraph(&mut self, text: &str, role: FontRole, indent: i64, hang: i64, align: Align) {
        let pitch = i64::from(self.style.line_pitch);
        let size = self.style.body_size;
        let width = self.width();
        let lines = self.lines(text, size, width - indent, width - hang, true);
        for (i, l) in lines.iter().enumerate() {
            let top = self.room(pitch);
            let left = if i == 0 { indent } else { hang };
            let x = match align {
                Align::Center => (width - l.width) / 2,
                Align::Right => width - l.width,
                _ => left,
            };
            self.put(x, top, pitch, &l.text, role, size, Rgb::BLACK, 1.0, true);
        }
    }

    /// A line set right, ending `right` characters in from the 版心 edge.
    fn right(&mut self, text: &str, right_chars: i64) {
        let w = self.width() - right_chars * i64::from(self.style.char_width);
        let pitch = i64::from(self.style.line_pitch);
        for l in self.lines(text, self.style.body_size, w, w, true) {
            let top = self.room(pitch);
            self.put(w - l.width, top, pitch, &l.text, FontRole::Fangsong, self.style.body_size, Rgb::BLACK, 1.0, true);
        }
    }

    fn blank_lines(&mut self, n: u32) {
        let pitch = i64::from(self.style.line_pitch);
        for _ in 0..n {
            self.room(pitch);
        }
    }

    fn block(&mut self, block: &Block) {
        let indent = i64::from(self.style.body_indent());
        match block {
            Block::Letterhead { organ, doc_no } => self.letterhead(&plain_text(organ), &plain_text(doc_no)),
            Block::DocNo(t) => self.paragraph(&plain_text(t), FontRole::Fangsong, 0, 0, Align::Center),
            Block::Title(t) => {
                self.title(&plain_text(t));
                self.blank_lines(1);
            }
            Block::Addressee(t) => self.paragraph(&plain_text(t), FontRole::Fangsong, 0, 0, Align::Left),
            Block::Paragraph(p) => {
                let first = if p.indent { indent } else { 0 };
                self.paragraph(&plain_text(&p.text).replace('\t', "\u{3000}"), FontRole::Fangsong, first, 0, p.align);
            }
            Block::Heading { level, number, text } => {
                let role = match level {
                    1 => FontRole::Heiti,
                    2 => FontRole::Kaiti,
                    _ => FontRole::Fangsong,
                };
                self.paragraph(&format!("{number}{}", plain_text(text)), role, indent, 0, Align::Justify);
            }
            Block::ListItem { marker, text } => {
                self.paragraph(&format!("{marker}{}", plain_text(text)), FontRole::Fangsong, indent, 0, Align::Justify)
            }
            Block::Table(t) => self.table(t),
            Block::Signature { organ, date } => {
                self.right(&plain_text(organ), 2);
                self.right(&plain_text(date), 4);
            }
            Block::Parties(list) => self.parties(list),
            Block::Blank(n) => self.blank_lines((*n).min(1000)),
            Block::PageBreak => {
                self.orient(false);
                self.new_page();
            }
            Block::Attachments { label, items } => {
                let hang = indent + crate::layout::Style::set_width(self.style, label, self.style.body_size) as i64;
                for (i, item) in items.iter().enumerate() {
                    let number = if items.len() == 1 { String::new() } else { format!("{}.", i + 1) };
                    let head = if i == 0 { label.as_str() } else { "" };
                    let first = if i == 0 { indent } else { hang };
                    self.paragraph(&format!("{head}{number}{}", plain_text(item)), FontRole::Fangsong, first, hang, Align::Left);
                }
            }
            Block::Attachment { label, title } => {
                self.orient(false);
                if self.y > 0 || !self.pages.last().is_some_and(|p| p.marks.is_empty()) {
                    self.new_page();
                }
                self.paragraph(label, FontRole::Heiti, 0, 0, Align::Left);
                if !title.is_empty() {
                    self.blank_lines(1);
                    self.title(&plain_text(title));
                    self.blank_lines(1);
                }
            }
            Block::Imprint { lines, issuer, issued } => {
                let lines: Vec<(String, String)> = lines.iter().map(|l| (l.label.clone(), plain_text(&l.text))).collect();
                self.imprint(&lines, &plain_text(issuer), &plain_text(issued));
            }
        }
    }

    /// 版头 (GB/T 9704 7.2): the red 标志 35 mm below the 版心 top, the 文号 two lines below
    /// it, the red rule 4 mm under the 文号, the title two lines below the rule — on the grid.
    fn letterhead(&mut self, organ: &str, doc_no: &str) {
        let s = self.style;
        let width = self.width();
        let size = s.letterhead_size;
        let line_h = i64::from(size) * 25 / 2;
        self.y += i64::from(s.letterhead_top);
        let lines: Vec<&str> = organ.split('\n').collect();
        let stretch = s.letterhead_stretch(lines.iter().copied(), width as u32).map_or(1.0, |p| p as f32 / 100.0);
        let red = Rgb::hex(s.red);
        for l in lines {
            let top = self.room(line_h);
            let w = (i64::from(s.advance(l, size)) as f32 * stretch) as i64;
            self.put((width - w) / 2, top, line_h, l, FontRole::Xiaobiaosong, size, red, stretch, false);
        }
        self.snap();
        self.blank_lines(2);
        self.paragraph(doc_no, FontRole::Fangsong, 0, 0, Align::Center);
        let rule = self.y + i64::from(s.rule_gap) * 4 / 10;
        self.rule(0, width, rule, s.red_rule, red);
        self.y += i64::from(s.rule_gap);
        self.snap();
        self.blank_lines(2);
    }

    /// 公文标题 in 二号小标宋, centred, in the balanced lines `title::lines` gives.
    fn title(&mut self, text: &str) {
        let s = self.style;
        let width = self.width();
        let lines = title::lines(text, s, width as u32).unwrap_or_else(|| text.split('\n').map(str::to_string).collect());
        let pitch = i64::from(s.line_pitch);
        for l in lines {
            for set in self.lines(&l, s.title_size, width, width, true) {
                let top = self.room(pitch);
                self.put((width - set.width) / 2, top, pitch, &set.text, FontRole::Xiaobiaosong, s.title_size, Rgb::BLACK, 1.0, true);
            }
        }
    }

    /// A ruled table, columns as `widths::fit` (or the template) sets them; a row that does
    /// not fit goes to the next page, after the header rows repeated.
    fn table(&mut self, t: &Table) {
        let s = self.style;
        self.orient(table::needs_landscape(s, t));
        let size = if t.small { s.small_table_size } else { s.table_size };
        let line = i64::from(if t.small { s.small_table_line } else { s.table_line });
        let m = Measure { style: s, size };
        let total = self.width() as u32;
        let cols = match &t.widths {
            Some(rel) => widths::column_widths(rel, total),
            None => widths::fit(m, t, total),
        };
        let margin = i64::from(s.cell_margin);
        let pad = line / 4;
        let mut starts = vec![0i64];
        for w in &cols {
            starts.push(starts.last().copied().unwrap_or(0) + i64::from(*w));
        }
        let table_w = *starts.last().unwrap_or(&0);
        let left = (self.width() - table_w) / 2;
        // Each cell where it stands: its row, its columns' span, its rows, its lines; a column
        // under a rowspan is skipped as the row is filled.
        let mut cells: Vec<CellBox> = Vec::new();
        let mut covered = vec![0u32; cols.len()];
        let mut heights: Vec<i64> = Vec::with_capacity(t.rows.len());
        for (r, row) in t.rows.iter().enumerate() {
            let mut col = 0usize;
            let mut most = i64::from(row.lines.max(1));
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
                    for l in self.lines(&plain_text(&p.text).replace('\t', "\u{3000}"), size, inner, inner, false) {
                        sets.push((l, p.align));
                    }
                }
                let rows = cell.rowspan.max(1).min((t.rows.len() - r) as u32);
                if rows == 1 {
                    most = most.max(sets.len() as i64);
                }
                for c in &mut covered[col..col + span] {
                    *c = rows;
                }
                cells.push(CellBox { row: r, rows: rows as usize, x0: left + x0, x1: left + x1, sets });
                col += span;
            }
            for c in &mut covered {
                *c = c.saturating_sub(1);
            }
            heights.push(most * line + 2 * pad);
        }
        // A cell over several rows that needs more room than they have grows its last row.
        for c in cells.iter().filter(|c| c.rows > 1) {
            let have: i64 = heights[c.row..c.row + c.rows].iter().sum();
            let need = c.sets.len() as i64 * line + 2 * pad;
            if need > have {
                heights[c.row + c.rows - 1] += need - have;
            }
        }
        // The cells of each row (they were placed in row order).
        let mut by_row: Vec<std::ops::Range<usize>> = vec![0..0; t.rows.len()];
        for (i, c) in cells.iter().enumerate() {
            let range = &mut by_row[c.row];
            if range.start == range.end {
                *range = i..i + 1;
            } else {
                range.end = i + 1;
            }
        }
        let header = t.rows.iter().take_while(|r| r.header).count();
        let mut drawn_on_page = 0;
        let mut r = 0;
        while r < t.rows.len() {
            // Rows joined by a rowspan go together.
            let mut end = r + 1;
            let mut k = r;
            while k < end {
                end = end.max(cells[by_row[k].clone()].iter().map(|c| c.row + c.rows).max().unwrap_or(k + 1));
                k += 1;
            }
            let h: i64 = heights[r..end].iter().sum();
            if self.y + h > self.height() && drawn_on_page > 0 {
                self.new_page();
                drawn_on_page = 0;
                if r >= header {
                    let head_h: i64 = heights[..header].iter().sum();
                    let top = self.room(head_h);
                    self.rows(&cells[..by_row.get(header.saturating_sub(1)).map_or(0, |r| r.end)], &heights, 0..header, top, line);
                }
            }
            let top = self.room(h);
            let from = by_row[r..end].iter().find(|b| b.start < b.end).map_or(0, |b| b.start);
            let to = by_row[r..end].iter().rev().find(|b| b.start < b.end).map_or(from, |b| b.end);
            self.rows(&cells[from..to], &heights, r..end, top, line);
            drawn_on_page += 1;
            r = end;
        }
        self.snap();
    }

    /// The cells of rows `range`, the first row's top at `top`: each cell ruled round and its
    /// lines centred in its height.
    fn rows(&mut self, cells: &[CellBox], heights: &[i64], range: std::ops::Range<usize>, top: i64, line: i64) {
        let border = self.style.table_border;
        let margin = i64::from(self.style.cell_margin);
        let size = if line == i64::from(self.style.small_table_line) { self.style.small_table_size } else { self.style.table_size };
        let first = range.start;
        for c in cells.iter().filter(|c| range.contains(&c.row)) {
            let y0 = top + heights[first..c.row].iter().sum::<i64>();
            let h: i64 = heights[c.row..(c.row + c.rows).min(heights.len())].iter().sum();
            self.rule(c.x0, c.x1, y0, border, Rgb::BLACK);
            self.rule(c.x0, c.x1, y0 + h, border, Rgb::BLACK);
            self.vertical(c.x0, y0, y0 + h, border);
            self.vertical(c.x1, y0, y0 + h, border);
            let mut y = y0 + (h - c.sets.len() as i64 * line) / 2;
            for (set, align) in &c.sets {
                let inner = c.x1 - c.x0 - 2 * margin;
                let x = match align {
                    Align::Center => c.x0 + margin + (inner - set.width) / 2,
                    Align::Right => c.x1 - margin - set.width,
                    _ => c.x0 + margin,
                };
                self.put(x, y, line, &set.text, FontRole::Fangsong, size, Rgb::BLACK, 1.0, false);
                y += line;
            }
        }
    }

    fn vertical(&mut self, x: i64, y1: i64, y2: i64, eighths: u32) {
        let (x0, y0) = (i64::from(self.page.left), i64::from(self.page.top));
        let w = eighths as f32 / 8.0;
        self.mark(Mark::Rule { x1: pt(x0 + x), y1: pt(y0 + y1), x2: pt(x0 + x), y2: pt(y0 + y2), width: w, color: Rgb::BLACK });
    }

    /// The signing block: the parties side by side, lines of a kind level across them; each
    /// hand's blank a rule after its label, the printed name under it in （）. A line longer
    /// than its column wraps within it.
    fn parties(&mut self, parties: &[Party]) {
        let s = self.style;
        let n = parties.len().max(1) as i64;
        let column = self.width() / n;
        let pitch = i64::from(s.line_pitch);
        let size = s.body_size;
        let signs = parties.iter().map(|p| p.signs.len()).max().unwrap_or(0);
        // Per party, its slots (party line, each hand's label and name, the date), each the
        // lines it takes: (text, the blank's span on the line).
        type Slot = Vec<(String, Option<(i64, i64)>)>;
        let mut columns: Vec<Vec<Slot>> = Vec::new();
        for p in parties {
            let wrap = |text: &str| -> Slot { self.lines(text, size, column, column, true).into_iter().map(|l| (l.text, None)).collect() };
            let mut slots = vec![wrap(&format!("{}{}", p.seal, plain_text(&p.organ)))];
            for k in 0..signs {
                let Some(sign) = p.signs.get(k) else {
                    slots.push(Vec::new());
                    slots.push(Vec::new());
                    continue;
                };
                let mut label = wrap(&sign.label);
                let last_w = label.last().map_or(0, |(t, _)| i64::from(s.set_width(t, size)));
                let room = column - last_w - i64::from(s.char_width) / 2;
                if room >= i64::from(s.sign_blank_min) {
                    let blank = room.min(i64::from(s.sign_blank));
                    if let Some(l) = label.last_mut() {
                        l.1 = Some((last_w, last_w + blank));
                    } else {
                        label.push((String::new(), Some((0, blank))));
                    }
                } else {
                    label.push((String::new(), Some((0, i64::from(s.sign_blank).min(column - i64::from(s.char_width))))));
                }
                slots.push(label);
                let name = plain_text(&sign.name);
                slots.push(if name.is_empty() { Vec::new() } else { wrap(&format!("{}{name}{}", s.name_marks.0, s.name_marks.1)) });
            }
            slots.push(wrap(&plain_text(&p.date)));
            columns.push(slots);
        }
        let n_slots = columns.iter().map(Vec::len).max().unwrap_or(0);
        let heights: Vec<usize> = (0..n_slots).map(|k| columns.iter().map(|c| c.get(k).map_or(0, Vec::len)).max().unwrap_or(0)).collect();
        let rows: i64 = heights.iter().sum::<usize>() as i64;
        // The block is kept whole: a page that cannot hold it starts a new one.
        if self.y + rows * pitch > self.height() && self.y > 0 {
            self.new_page();
        }
        for (k, h) in heights.iter().enumerate() {
            for i in 0..*h {
                let top = self.room(pitch);
                for (c, slots) in columns.iter().enumerate() {
                    let x0 = column * c as i64;
                    let Some((text, blank)) = slots.get(k).and_then(|slot| slot.get(i)) else { continue };
                    self.put(x0, top, pitch, text, FontRole::Fangsong, size, Rgb::BLACK, 1.0, true);
                    if let Some((from, to)) = blank {
                        self.rule(x0 + from, x0 + to, top + pitch * 8 / 10, 4, Rgb::BLACK);
                    }
                }
            }
        }
    }

    /// 版记 (GB/T 9704 7.4) at the foot of the page: each line between rules, the first and the
    /// last rule thick, the last on the 版心's bottom edge; 印发机关 left, 印发日期 right.
    fn imprint(&mut self, lines: &[(String, String)], issuer: &str, issued: &str) {
        let s = self.style;
        let size = s.imprint_size;
        let row = i64::from(s.imprint_row_height(1));
        let indent = i64::from(s.imprint_indent()) + i64::from(s.cell_margin);
        let width = self.width();
        let inner = i64::from(s.imprint_text_width(width as u32));
        let mut rows: Vec<Vec<Set>> =
            lines.iter().map(|(label, text)| self.lines(&format!("{label}{text}"), size, inner, inner, false)).collect();
        let has_issue = !issuer.is_empty() || !issued.is_empty();
        if has_issue {
            rows.push(Vec::new());
        }
        let heights: Vec<i64> = rows.iter().map(|r| (r.len().max(1) as i64 - 1) * i64::from(s.imprint_line) + row).collect();
        let total: i64 = heights.iter().sum();
        if self.y + total > self.height() {
            self.new_page();
        }
        let mut y = self.height() - total;
        let last = rows.len();
        self.rule(0, width, y, s.rule_thick, Rgb::BLACK);
        for (i, (sets, h)) in rows.iter().zip(&heights).enumerate() {
            let line = i64::from(s.imprint_line);
            let pad = (h - sets.len().max(1) as i64 * line) / 2;
            if sets.is_empty() {
                self.put(indent, y + pad, line, issuer, FontRole::Fangsong, size, Rgb::BLACK, 1.0, false);
                let w = issued.chars().map(|c| self.advance(c, size, false)).sum::<i64>();
                self.put(width - indent - w, y + pad, line, issued, FontRole::Fangsong, size, Rgb::BLACK, 1.0, false);
            }
            for (k, set) in sets.iter().enumerate() {
                self.put(indent, y + pad + k as i64 * line, line, &set.text, FontRole::Fangsong, size, Rgb::BLACK, 1.0, false);
            }
            y += h;
            let thick = if i + 1 == last { s.rule_thick } else { s.rule_thin };
            self.rule(0, width, y, thick, Rgb::BLACK);
        }
        self.y = self.height();
    }
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
    let (x, y, turn) = if !landscape {
        (pt(px), pt(py), 0)
    } else if n % 2 == 1 {
        (pt(i64::from(p.height) - py), pt(px), 1)
    } else {
        (pt(py), pt(i64::from(p.width) - px), -1)
    };
    let size = size as f32 / 2.0;
    sheet.marks.push(Mark::Text {
        x,
        y,
        role: FontRole::Songti,
        size,
        tracking: 0.0,
        stretch: 1.0,
        color: Rgb::BLACK,
        quarter: turn,
        text,
    });
}
