//! Column widths from a table's content, where the template does not fix them.
//!
//! Each line of a cell is cut into pieces a reader would not break: a word (机关|党委|办公室, by the
//! same word list that breaks titles), a bracketed name ((许文澜)), the parts of a date
//! (2026年2月28日前 whole, else 2026年|2月28日前, else 2026年|2月|28日前), a number; a header only at its punctuation (序号, 考核组评分 stay whole). A
//! line of sentences (clauses between commas) is running text, which Chinese sets breaking between
//! any two characters: it only asks for `Style::table_prose` characters a line. The narrowest a
//! column may be is its widest piece, so nothing breaks inside a word or a number; a table whose
//! narrowest setting is wider than the portrait 版心 goes on a landscape page. The remaining width
//! goes, a little at a time, where it shortens the table most (fewer lines in its rows, then fewer
//! lines in its cells), so a date or a name comes whole onto one line where the room allows. Lines
//! of pieces are then broken by the writer itself between pieces, never by the reader inside one.
//!
//! Widths are measured as the reader sets them: a hanzi is an em, a Latin letter or digit half.

use super::style::Style;
use crate::markup::{Inline, Paragraph, Table};
use std::collections::HashMap;

/// Punctuation a line may not start with: it stays with the piece before it.
const CLOSING: &str = "）)]】〕》」』”’，。、；：！？,.;:!?%％";
/// Punctuation between clauses: a line holding it is running text.
const SENTENCE: &str = "，。；！？";
/// Punctuation a line may not end with: it starts the piece after it.
const OPENING: &str = "（([【〔《「『“‘";

/// How the text of a table is measured: its size, and the layout's numbers.
#[derive(Clone, Copy)]
pub struct Measure<'a> {
    pub style: &'a Style,
    /// Font size in half-points.
    pub size: u32,
    /// How a date is cut into pieces: whole where the table has room for it.
    pub dates: DateCut,
}

/// Where a date (2026年12月20日前) may break across lines in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateCut {
    /// Never: one piece.
    Whole,
    /// After the year only: 2026年|12月20日前.
    Year,
    /// Between all its parts: 2026年|12月|20日前.
    Parts,
}

/// A piece of a line that is kept on one line where the column has room.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Piece {
    start: usize,
    end: usize,
    width: u32,
    /// Running text: breaks between any two characters.
    prose: bool,
}

/// A line of a cell, cut into its pieces once.
#[derive(Debug)]
struct Line {
    text: String,
    pieces: Vec<Piece>,
}

impl Measure<'_> {
    /// A character's advance. The body's tracking is not counted: LibreOffice sets a table's
    /// text without it, and a column measured a little wide never wraps a word in Word either.
    pub fn advance(&self, c: char) -> u32 {
        let em = self.style.em(self.size) as i64;
        let glyph = if c.is_ascii() { em / 2 } else { em };
        (glyph + i64::from(self.style.char_spacing).max(0)) as u32
    }

    /// The width of `s`: its characters' advances, and the gap readers put between a hanzi and
    /// a Latin letter or digit (2026|年|2|月).
    fn width(&self, s: &str) -> u32 {
        let mut width = 0;
        let mut before: Option<char> = None;
        for c in s.chars() {
            width += self.advance(c) + before.map_or(0, |b| self.gap(b, c));
            before = Some(c);
        }
        width
    }

    /// The space Word and LibreOffice add between a hanzi and a Latin letter or digit (their
    /// automatic spacing of East Asian and Latin text, on by default).
    fn gap(&self, a: char, b: char) -> u32 {
        let hanzi = |c: char| !c.is_ascii() && !CLOSING.contains(c) && !OPENING.contains(c);
        if (a.is_ascii_alphanumeric() && hanzi(b)) || (hanzi(a) && b.is_ascii_alphanumeric()) {
            self.style.em(self.size) * self.style.latin_gap / 100
        } else {
            0
        }
    }

    /// The least room a line of running text is given.
    fn prose_floor(&self) -> u32 {
        self.style.table_prose * self.advance('中')
    }

    fn line(&self, text: &str, header: bool) -> Line {
        Line { pieces: self.pieces(text, header), text: text.to_string() }
    }

    /// `line` cut where a reader may break it: before opening punctuation, after closing
    /// punctuation, a space or a slash, between the parts of a date (2026年|2月), and — but in a
    /// header — between the words of a longer run of hanzi.
    fn pieces(&self, line: &str, header: bool) -> Vec<Piece> {
        let prose = line.contains(|c| SENTENCE.contains(c)) && self.width(line) > self.prose_floor();
        let chars: Vec<(usize, char)> = line.char_indices().collect();
        let mut cuts = Vec::new();
        for i in 1..chars.len() {
            let (a, b) = (chars[i - 1].1, chars[i].1);
            let cut_after = match self.dates {
                DateCut::Whole => "",
                DateCut::Year => "年",
                DateCut::Parts => "年月",
            };
            let date_part = cut_after.contains(a) && i >= 2 && chars[i - 2].1.is_ascii_digit() && b.is_ascii_digit();
            let after = (CLOSING.contains(a) || a == '/' || a == ' ' || a == '\u{3000}') && !CLOSING.contains(b);
            let before = OPENING.contains(b) && !OPENING.contains(a);
            if date_part || after || before {
                cuts.push(chars[i].0);
            }
        }
        cuts.push(line.len());
        let mut out = Vec::new();
        let mut from = 0;
        for to in cuts {
            if !prose && !header && self.hanzi(&line[from..to]) > self.style.table_word as usize {
                let base = from;
                for at in super::title::word_bounds(&line[base..to]) {
                    let cut = base + at;
                    if hanzi_joint(line, cut) {
                        self.push_word(line, from, cut, &mut out);
                        from = cut;
                    }
                }
                self.push_word(line, from, to, &mut out);
            } else {
                out.push(Piece { start: from, end: to, width: self.width(&line[from..to]), prose });
            }
            from = to;
        }
        out
    }

    /// One word of a cell as its pieces: whole, or — a term longer than `table_word` hanzi
    /// (党风廉政建设) — cut where its shorter words meet, so a narrow column fills its lines
    /// (专题研究部署|年度党风廉政|建设工作) instead of leaving 年度 alone on one.
    fn push_word(&self, line: &str, start: usize, end: usize, out: &mut Vec<Piece>) {
        let mut from = start;
        if self.hanzi(&line[start..end]) > self.style.table_word as usize {
            for at in super::title::sub_word_bounds(&line[start..end]) {
                let cut = start + at;
                if hanzi_joint(line, cut) {
                    out.push(Piece { start: from, end: cut, width: self.width(&line[from..cut]), prose: false });
                    from = cut;
                }
            }
        }
        out.push(Piece { start: from, end, width: self.width(&line[from..end]), prose: false });
    }

    fn hanzi(&self, s: &str) -> usize {
        s.chars().filter(|c| !c.is_ascii() && !CLOSING.contains(*c) && !OPENING.contains(*c)).count()
    }

    /// The narrowest a line may be set in: its widest piece; running text asks only for its
    /// floor, or a longer number in it.
    fn narrowest(&self, line: &Line) -> u32 {
        let mut narrowest = 0;
        for p in &line.pieces {
            let text = &line.text[p.start..p.end];
            let need = if p.prose { self.prose_floor().min(p.width).max(self.longest_latin(text)) } else { p.width };
            narrowest = narrowest.max(need);
        }
        narrowest
    }

    /// The widest run of Latin letters and digits: a reader never breaks inside one.
    fn longest_latin(&self, s: &str) -> u32 {
        s.split(|c: char| !c.is_ascii_alphanumeric()).map(|run| self.width(run)).max().unwrap_or(0)
    }

    /// How many lines `line` takes in `width`: pieces packed whole, running text filled a
    /// character at a time.
    fn line_count(&self, line: &Line, width: u32) -> u32 {
        let width = width.max(1);
        let (mut lines, mut used) = (1u32, 0u32);
        // The last character set, for the gap between a hanzi and a digit across pieces.
        let mut before: Option<char> = None;
        for p in &line.pieces {
            let text = &line.text[p.start..p.end];
            if !p.prose && p.width <= width {
                let joint = match (before, text.chars().next()) {
                    (Some(b), Some(c)) if used > 0 => self.gap(b, c),
                    _ => 0,
                };
                if used > 0 && used + joint + p.width > width {
                    lines += 1;
                    used = 0;
                } else {
                    used += joint;
                }
                used += p.width;
                before = text.chars().next_back();
                continue;
            }
            let mut last = 0;
            for c in text.chars() {
                let a = self.advance(c) + before.map_or(0, |b| self.gap(b, c));
                before = Some(c);
                if used > 0 && used + a > width {
                    // 禁则 in a cell: LibreOffice hangs no punctuation there; a closing mark
                    // takes the character before it onto the next line.
                    lines += 1;
                    used = if CLOSING.contains(c) && used > last { last } else { 0 };
                }
                used += a;
                last = a;
            }
        }
        lines
    }

    /// `text` with line breaks put between pieces where a line of pieces is wider than `width`
    /// (running text is left to the reader). `None`: nothing to break.
    pub fn break_between_pieces(&self, text: &[Inline], width: u32, header: bool) -> Option<Vec<Inline>> {
        let room = width.saturating_sub(self.style.table_slack);
        let mut out = Vec::with_capacity(text.len() + 2);
        let mut changed = false;
        let mut used = 0u32;
        // A line holding running text is the reader's to break, up to the next line break.
        let mut free = false;
        for inline in text {
            let Inline::Text(t) = inline else {
                if matches!(inline, Inline::Break) {
                    (used, free) = (0, false);
                } else {
                    used += self.style.default_tab_stop();
                }
                out.push(inline.clone());
                continue;
            };
            let pieces = self.pieces(t, header);
            free |= pieces.iter().any(|p| p.prose);
            if free {
                out.push(inline.clone());
                continue;
            }
            let mut from = 0;
            for p in pieces {
                if used > 0 && used + p.width > room {
                    out.push(Inline::Text(t[from..p.start].to_string()));
                    out.push(Inline::Break);
                    from = p.start;
                    used = 0;
                    changed = true;
                }
                used += p.width;
            }
            out.push(Inline::Text(t[from..].to_string()));
        }
        out.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
        changed.then_some(out)
    }
}

/// Whether `line` may break at byte `cut`: between two hanzi, not inside a number, nor between a
/// number and its unit (3|项), nor before closing punctuation.
fn hanzi_joint(line: &str, cut: usize) -> bool {
    let (a, b) = (line[..cut].chars().next_back(), line[cut..].chars().next());
    a.is_some_and(|c| !c.is_ascii()) && b.is_some_and(|c| !c.is_ascii() && !CLOSING.contains(c))
}

/// The lines of a cell's paragraphs, as strings (breaks split them; a tab is a space).
fn cell_lines(m: Measure, paragraphs: &[Paragraph], header: bool) -> Vec<Line> {
    let mut lines = Vec::new();
    for p in paragraphs {
        lines.push(String::new());
        for inline in &p.text {
            match inline {
                Inline::Text(t) => lines.last_mut().expect("a line").push_str(t),
                Inline::Tab => lines.last_mut().expect("a line").push('\u{3000}'),
                Inline::Break => lines.push(String::new()),
            }
        }
    }
    lines.iter().map(|l| m.line(l, header)).collect()
}

/// One cell as the width search sees it.
struct Need {
    row: usize,
    col: usize,
    span: usize,
    /// Rows it spans: a cell spanning several sets no row's height alone.
    rowspan: u32,
    lines: Vec<Line>,
}

/// The grid position of every cell, rowspans and colspans resolved.
fn needs(m: Measure, table: &Table) -> Vec<Need> {
    let columns = table.columns;
    let mut covered = vec![0u32; columns];
    let mut out = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let mut col = 0;
        let mut cells = row.cells.iter();
        while col < columns {
            if covered[col] > 0 {
                covered[col] -= 1;
                col += 1;
                continue;
            }
            let Some(cell) = cells.next() else { break };
            let span = (cell.colspan as usize).clamp(1, columns - col);
            for c in &mut covered[col..col + span] {
                *c = cell.rowspan - 1;
            }
            out.push(Need { row: r, col, span, rowspan: cell.rowspan, lines: cell_lines(m, &cell.paragraphs, row.header) });
            col += span;
        }
    }
    out
}

/// The narrowest and widest each column's text may be set in (cell margins left out), spanning
/// cells spreading what their own columns lack evenly over them.
fn column_needs(m: Measure, table: &Table, cells: &[Need]) -> (Vec<u32>, Vec<u32>) {
    let n = table.columns;
    let (mut min, mut max) = (vec![0u32; n], vec![0u32; n]);
    let cell_need =
        |c: &Need| c.lines.iter().map(|l| (m.narrowest(l), m.width(&l.text))).fold((0, 0), |(a, b), (x, y)| (a.max(x), b.max(y)));
    for c in cells.iter().filter(|c| c.span == 1) {
        let (lo, hi) = cell_need(c);
        min[c.col] = min[c.col].max(lo);
        max[c.col] = max[c.col].max(hi);
    }
    let inner = 2 * m.style.cell_margin;
    for c in cells.iter().filter(|c| c.span > 1) {
        let (lo, hi) = cell_need(c);
        let cols = c.col..c.col + c.span;
        for (need, have) in [(lo, &mut min), (hi, &mut max)] {
            let room = have[cols.clone()].iter().sum::<u32>() + inner * (c.span as u32 - 1);
            if need > room {
                let each = (need - room).div_ceil(c.span as u32);
                for w in &mut have[cols.clone()] {
                    *w += each;
                }
            }
        }
    }
    // The slack keeps what was measured to fit on one line there in every reader.
    let slack = m.style.table_slack;
    for i in 0..n {
        min[i] += slack;
        max[i] = (max[i] + slack).max(min[i]);
    }
    (min, max)
}

/// The width the table needs at the least, cell margins included.
pub fn narrowest(m: Measure, table: &Table) -> u32 {
    let cells = needs(m, table);
    let (min, _) = column_needs(m, table, &cells);
    min.iter().map(|w| w + 2 * m.style.cell_margin).sum()
}

/// Each row's height in lines at these column widths (cell margins included), as estimated here.
pub fn row_lines(m: Measure, table: &Table, widths: &[u32]) -> Vec<u32> {
    rows_of(m, table, &needs(m, table), widths)
}

/// The columns and row heights of a table measured by `m` in `total` twips, its cells cut into
/// pieces once: (widths, each row's lines). `None` where even its narrowest setting is wider.
pub fn setting(m: Measure, table: &Table, total: u32) -> Option<(Vec<u32>, Vec<u32>)> {
    let cells = needs(m, table);
    let (min, _) = column_needs(m, table, &cells);
    if min.iter().map(|w| w + 2 * m.style.cell_margin).sum::<u32>() > total {
        return None;
    }
    let widths = fit_cells(m, table, &cells, total);
    let rows = rows_of(m, table, &cells, &widths);
    Some((widths, rows))
}

/// Each row's height in lines at these column widths (cell margins included), as estimated here.
fn rows_of(m: Measure, table: &Table, cells: &[Need], widths: &[u32]) -> Vec<u32> {
    let inner = 2 * m.style.cell_margin;
    let mut rows = vec![1u32; table.rows.len()];
    for c in cells.iter().filter(|c| c.rowspan == 1 && c.col + c.span <= widths.len()) {
        let width = widths[c.col..c.col + c.span].iter().sum::<u32>().saturating_sub(inner);
        let n = c.lines.iter().map(|l| m.line_count(l, width)).sum::<u32>();
        rows[c.row] = rows[c.row].max(n);
    }
    rows
}

/// Column widths (twips, cell margins included) summing to `total`. Where even the narrowest
/// widths exceed it they are scaled down, and some word will break.
pub fn fit(m: Measure, table: &Table, total: u32) -> Vec<u32> {
    fit_cells(m, table, &needs(m, table), total)
}

fn fit_cells(m: Measure, table: &Table, cells: &[Need], total: u32) -> Vec<u32> {
    let (min, max) = column_needs(m, table, cells);
    let margin = 2 * m.style.cell_margin;
    let room = total.saturating_sub(margin * table.columns as u32);
    let sum_min: u32 = min.iter().sum();
    let widths = if sum_min >= room {
        column_widths(&min.iter().map(|w| (*w).max(1)).collect::<Vec<_>>(), room)
    } else if max.iter().sum::<u32>() <= room {
        // Everything fits on one line: the rest of the 版心 goes to the columns by their text.
        let weights: Vec<u32> = max.iter().map(|w| (*w).max(1)).collect();
        let extra = column_widths(&weights, room - max.iter().sum::<u32>());
        max.iter().zip(extra).map(|(w, e)| w + e).collect()
    } else {
        Search::new(m, cells, min, max, table.rows.len()).run(room)
    };
    widths.into_iter().map(|w| w + margin).collect()
}

/// Column widths in twips from relative widths, summing exactly to `total`.
pub fn column_widths(rel: &[u32], total: u32) -> Vec<u32> {
    let sum: u64 = rel.iter().map(|w| u64::from(*w)).sum::<u64>().max(1);
    let mut widths: Vec<u32> = rel.iter().map(|w| (u64::from(*w) * u64::from(total) / sum) as u32).collect();
    let assigned: u32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += total - assigned;
    }
    widths
}

/// The greedy search that spends the room left above the narrowest widths.
struct Search<'a> {
    m: Measure<'a>,
    cells: &'a [Need],
    widths: Vec<u32>,
    max: Vec<u32>,
    rows: usize,
    memo: HashMap<(usize, u32), u32>,
}

/// A row's line counts for more than a cell's: a row's height is what the reader sees.
const ROW_WEIGHT: u64 = 4;
/// How far ahead the search looks, in steps of half a character: a date comes onto one line
/// only a few characters wider, and the step before gains nothing.
const LOOKAHEAD: u32 = 16;

impl<'a> Search<'a> {
    fn new(m: Measure<'a>, cells: &'a [Need], min: Vec<u32>, max: Vec<u32>, rows: usize) -> Search<'a> {
        Search { m, cells, widths: min, max, rows, memo: HashMap::new() }
    }

    fn lines(&mut self, i: usize, width: u32) -> u32 {
        if let Some(n) = self.memo.get(&(i, width)) {
            return *n;
        }
        let n = self.cells[i].lines.iter().map(|l| self.m.line_count(l, width)).sum::<u32>().max(1);
        self.memo.insert((i, width), n);
        n
    }

    /// Rows' heights (weighted) and cells' lines at the current widths, one column widened.
    fn cost(&mut self, widened: Option<(usize, u32)>) -> u64 {
        let inner = 2 * self.m.style.cell_margin;
        let mut row_max = vec![0u32; self.rows];
        let mut total = 0u64;
        let cells = self.cells;
        for (i, c) in cells.iter().enumerate() {
            let (col, span, row, rowspan) = (c.col, c.span, c.row, c.rowspan);
            let mut width: u32 = self.widths[col..col + span].iter().sum::<u32>() + inner * (span as u32 - 1);
            if let Some((w, by)) = widened
                && (col..col + span).contains(&w)
            {
                width += by;
            }
            let n = self.lines(i, width);
            total += u64::from(n);
            if rowspan == 1 {
                row_max[row] = row_max[row].max(n);
            }
        }
        total + ROW_WEIGHT * row_max.iter().map(|&n| u64::from(n)).sum::<u64>()
    }

    fn run(mut self, room: u32) -> Vec<u32> {
        let step = self.m.advance('中') / 2;
        let mut left = room - self.widths.iter().sum::<u32>();
        while left >= step {
            let now = self.cost(None);
            // The best gain per step of width, over every column and every look-ahead.
            let mut best: Option<(u64, u32, usize)> = None; // (gain, steps, column)
            for col in 0..self.widths.len() {
                for k in 1..=LOOKAHEAD.min(left / step) {
                    if self.widths[col] + k * step > self.max[col] + step {
                        break;
                    }
                    let gain = now.saturating_sub(self.cost(Some((col, k * step))));
                    if gain > 0 && best.is_none_or(|(g, s, _)| gain * u64::from(s) > g * u64::from(k)) {
                        best = Some((gain, k, col));
                    }
                }
            }
            let Some((_, k, col)) = best else { break };
            self.widths[col] += k * step;
            left -= k * step;
        }
        // Nothing shortens the table any more: the rest by what each column's text would take.
        let weights: Vec<u32> = self.max.iter().zip(&self.widths).map(|(m, w)| m.saturating_sub(*w).max(1)).collect();
        let extra = column_widths(&weights, left);
        self.widths.iter().zip(extra).map(|(w, e)| w + e).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::parse;

    fn table(markup: &str) -> Table {
        let doc = parse(&format!("<document>{markup}</document>")).unwrap();
        match doc.blocks.into_iter().next() {
            Some(crate::markup::Block::Table(t)) => t,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pieces_keep_dates_words_and_brackets_whole() {
        let style = Style::gbt9704();
        let m = Measure { style: &style, size: style.table_size, dates: DateCut::Parts };
        let cut = |s: &str, header| m.pieces(s, header).iter().map(|p| s[p.start..p.end].to_string()).collect::<Vec<_>>();
        assert_eq!(cut("2026年2月28日前", false), ["2026年", "2月", "28日前"]);
        assert_eq!(cut("机关党委办公室（许文澜）", false), ["机关党委", "办公室", "（许文澜）"]);
        assert_eq!(cut("加/扣分说明", true), ["加/", "扣分说明"]);
        assert_eq!(cut("考核组评分", true), ["考核组评分"], "a header breaks only at its punctuation");
        assert_eq!(cut("序号", false), ["序号"]);
        let prose = m.pieces("召开支委会专题研究，制定年度工作计划和责任清单", false);
        assert!(prose.iter().all(|p| p.prose), "{prose:?}");
    }

    #[test]
    fn a_long_term_breaks_where_its_words_meet_rather_than_leave_a_word_alone() {
        let style = Style::gbt9704();
        let m = Measure { style: &style, size: style.table_size, dates: DateCut::Parts };
        let cut = |s: &str| m.pieces(s, false).iter().map(|p| s[p.start..p.end].to_string()).collect::<Vec<_>>();
        assert_eq!(cut("专题研究部署年度党风廉政建设工作"), ["专题研究", "部署", "年度", "党风", "廉政", "建设", "工作"]);
        let text = [Inline::Text("专题研究部署年度党风廉政建设工作".into())];
        let six = m.width("专题研究部署") + style.table_slack;
        let broken = m.break_between_pieces(&text, six, false).unwrap();
        let lines: Vec<&Inline> = broken.iter().filter(|i| matches!(i, Inline::Text(_))).collect();
        assert_eq!(
            lines,
            [&Inline::Text("专题研究部署".into()), &Inline::Text("年度党风廉政".into()), &Inline::Text("建设工作".into())],
            "three full lines, not 专题研究部署|年度|党风廉政建设|工作"
        );
    }

    #[test]
    fn a_narrow_column_breaks_between_pieces_only() {
        let style = Style::gbt9704();
        let m = Measure { style: &style, size: style.table_size, dates: DateCut::Parts };
        let text = [Inline::Text("机关党委办公室（许文澜）".into())];
        let width = m.width("机关党委办公室") + style.table_slack + 10;
        let broken = m.break_between_pieces(&text, width, false).unwrap();
        assert_eq!(broken, [Inline::Text("机关党委办公室".into()), Inline::Break, Inline::Text("（许文澜）".into())]);
        assert_eq!(m.break_between_pieces(&text, 20 * 280, false), None);
        let date = [Inline::Text("2026年12月20日前".into())];
        let broken = m.break_between_pieces(&date, m.width("2026年12月") + style.table_slack, false).unwrap();
        assert_eq!(broken, [Inline::Text("2026年12月".into()), Inline::Break, Inline::Text("20日前".into())]);
    }

    #[test]
    fn headers_and_dates_get_their_width_and_text_the_rest() {
        let style = Style::gbt9704();
        let m = Measure { style: &style, size: style.table_size, dates: DateCut::Parts };
        let t = table(
            "<table><tr header='true'><td>序号</td><td>具体要求</td><td>完成时限</td></tr>\
             <tr><td>1</td><td>召开支委会专题研究，制定年度工作计划和责任清单，明确分工。</td><td>2026年2月28日前</td></tr></table>",
        );
        let widths = fit(m, &t, style.page.text_width());
        assert_eq!(widths.iter().sum::<u32>(), style.page.text_width());
        let inner = |i: usize| widths[i] - 2 * style.cell_margin;
        assert!(inner(0) >= m.width("序号"), "序号 on one line: {widths:?}");
        assert!(inner(2) >= m.width("2026年2月28日前"), "the date whole: {widths:?}");
        assert!(inner(1) > inner(2), "the text column widest: {widths:?}");
    }
}
