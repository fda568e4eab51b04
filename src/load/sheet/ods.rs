//! One pass over an ODS file's content.xml before calamine reads it: calamine expands repeated
//! rows and columns and lays the used area out densely, and it does not report merged cells.
//! This pass counts what the expansion would hold (without expanding it) and collects merges.
//! Text is counted as calamine builds it: a cell's text (its `text:s` spaces as many as they
//! say), value attributes and formula, once per repeated column and row, over the whole file
//! (calamine reads every sheet at once).

use super::super::limits::{MAX_CELLS, MAX_COLUMNS, MAX_MERGES, MAX_RECORDS};
use super::Merge;
use super::budget::TextBudget;
use super::cfb::MAX_DENSE_AREA;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::{BufReader, Read, Seek};

#[derive(Default)]
pub struct OdsLayout {
    pub sheets: HashMap<String, OdsSheet>,
    /// The sheet and cell where the file's text passed `MAX_TOTAL_TEXT_CHARS`.
    pub text_over: Option<(String, u32, u32)>,
}

#[derive(Default)]
pub struct OdsSheet {
    /// At most `MAX_MERGES + 1`: one more says there are too many.
    pub merges: Vec<Merge>,
    /// Why the sheet is past the bounds, at the cell where it leaves them.
    pub over: Option<Oversize>,
    cells: u64,
    /// (first row, last row, first column, last column) of the cells with content.
    used: Option<(u64, u64, u64, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oversize {
    /// A cell past `MAX_RECORDS` rows, `MAX_COLUMNS` columns or `MAX_CELLS` cells.
    Cell(u32, u32),
    /// The used area, which calamine lays out cell by cell: rows × columns, and its far corner.
    Area { rows: u64, cols: u64, corner: (u32, u32) },
}

impl OdsLayout {
    /// The first sheet found past the bounds.
    pub fn oversize(&self) -> Option<(String, Oversize)> {
        self.sheets.iter().find_map(|(name, s)| s.over.map(|o| (name.clone(), o)))
    }
}

fn clip(v: u64) -> u32 {
    v.min(u64::from(u32::MAX - 1)) as u32
}

/// Where the walk is in content.xml.
#[derive(Default)]
struct Walk {
    layout: OdsLayout,
    table: Option<String>,
    /// Nested tables (inside cells) are not sheets.
    depth: u32,
    row: u64,
    col: u64,
    row_repeat: u64,
    budget: TextBudget,
    /// The cell (at depth 1) whose content is being read.
    open: Option<OpenCell>,
    /// Inside an `office:annotation` of that cell: calamine skips comments.
    annotation: u32,
}

/// A cell whose text is being counted: where it starts, how often it repeats, its characters.
struct OpenCell {
    row: u64,
    col: u64,
    cols: u64,
    rows: u64,
    chars: u64,
    paragraphs: u64,
}

/// The characters of a cell's attributes that calamine keeps as text.
fn attribute_chars(e: &BytesStart) -> u64 {
    e.attributes()
        .flatten()
        .filter(|a| matches!(a.key.as_ref(), "office:string-value" | "office:date-value" | "office:time-value" | "table:formula"))
        .map(|a| a.value.chars().count() as u64)
        .sum()
}

fn number(e: &BytesStart, name: &str) -> u64 {
    e.try_get_attribute(name).ok().flatten().and_then(|a| a.value.parse().ok()).unwrap_or(1).max(1)
}

impl Walk {
    fn start_table(&mut self, e: &BytesStart, empty: bool) {
        self.depth += 1;
        if self.depth == 1 && !empty {
            let name = e
                .try_get_attribute("table:name")
                .ok()
                .flatten()
                .and_then(|a| quick_xml::escape::unescape(&a.value).map(|s| s.into_owned()).ok())
                .unwrap_or_default();
            self.layout.sheets.insert(name.clone(), OdsSheet::default());
            self.table = Some(name);
            self.row = 0;
        }
        if empty {
            self.depth -= 1;
        }
    }

    fn cell(&mut self, e: &BytesStart, empty: bool) {
        let repeat = number(e, "table:number-columns-repeated");
        let (rows_spanned, cols_spanned) = (number(e, "table:number-rows-spanned"), number(e, "table:number-columns-spanned"));
        let has_value = !empty
            || e.try_get_attribute("office:value-type").ok().flatten().is_some()
            || e.try_get_attribute("table:formula").ok().flatten().is_some();
        let (row, col, row_repeat) = (self.row, self.col, self.row_repeat);
        self.col = self.col.saturating_add(repeat);
        if has_value && self.table.is_some() {
            let open = OpenCell { row, col, cols: repeat, rows: row_repeat, chars: attribute_chars(e), paragraphs: 0 };
            // A cell left open (its end missing) is charged as it stands: calamine would have
            // read on into this one.
            self.end_cell();
            if empty { self.charge(open) } else { self.open = Some(open) }
        }
        let Some(sheet) = self.table.as_ref().and_then(|t| self.layout.sheets.get_mut(t)) else { return };
        if (rows_spanned > 1 || cols_spanned > 1) && row < u64::from(u32::MAX) && sheet.merges.len() <= MAX_MERGES {
            let end = |a: u64, n: u64| clip(a.saturating_add(n - 1));
            sheet.merges.push(Merge { first: (row as u32, clip(col)), last: (end(row, rows_spanned), end(col, cols_spanned)) });
        }
        if !has_value || sheet.over.is_some() {
            return;
        }
        sheet.cells = sheet.cells.saturating_add(repeat.saturating_mul(row_repeat));
        let last_row = row.saturating_add(row_repeat - 1);
        let last_col = col.saturating_add(repeat - 1);
        if last_row >= MAX_RECORDS as u64 || last_col >= u64::from(MAX_COLUMNS) || sheet.cells > MAX_CELLS as u64 {
            sheet.over = Some(Oversize::Cell(clip(last_row.min(MAX_RECORDS as u64)), clip(last_col.min(u64::from(MAX_COLUMNS)))));
            return;
        }
        let (r0, r1, c0, c1) = sheet.used.unwrap_or((row, last_row, col, last_col));
        sheet.used = Some((r0.min(row), r1.max(last_row), c0.min(col), c1.max(last_col)));
    }

    /// Text inside the open cell: characters, `text:p` (a line break between paragraphs),
    /// `text:s` (as many spaces as `text:c` says), tabs and line breaks.
    fn text(&mut self, chars: u64) {
        if let Some(open) = self.open.as_mut().filter(|_| self.annotation == 0) {
            open.chars = open.chars.saturating_add(chars);
        }
    }

    fn inline(&mut self, e: &BytesStart, empty: bool) {
        match e.name().as_ref() {
            "office:annotation" if self.open.is_some() && !empty => self.annotation += 1,
            "text:p" => {
                if let Some(open) = self.open.as_mut().filter(|_| self.annotation == 0) {
                    open.paragraphs += 1;
                    if open.paragraphs > 1 {
                        open.chars = open.chars.saturating_add(1);
                    }
                }
            }
            "text:s" => {
                let spaces = e.try_get_attribute("text:c").ok().flatten().and_then(|a| a.value.parse().ok());
                self.text(spaces.unwrap_or(1));
            }
            "text:tab" | "text:line-break" => self.text(1),
            _ => {}
        }
    }

    /// The end of the open cell: its text is charged once per copy calamine makes of it.
    fn end_cell(&mut self) {
        self.annotation = 0;
        if let Some(open) = self.open.take() {
            self.charge(open);
        }
    }

    fn charge(&mut self, cell: OpenCell) {
        if self.layout.text_over.is_some() {
            return;
        }
        let Some(sheet) = self.table.as_ref() else { return };
        if self.layout.sheets.get(sheet).is_some_and(|s| s.over.is_some()) {
            return; // refused for its size already, at a cell of its own
        }
        if let Err(copy) = self.budget.charge(cell.chars, cell.cols.saturating_mul(cell.rows)) {
            let (row, col) = (cell.row.saturating_add(copy / cell.cols), cell.col.saturating_add(copy % cell.cols));
            self.layout.text_over = Some((sheet.clone(), clip(row), clip(col)));
        }
    }

    fn end_table(&mut self) {
        if self.depth == 1 {
            self.end_cell();
        }
        self.depth = self.depth.saturating_sub(1);
        if self.depth != 0 {
            return;
        }
        if let Some(sheet) = self.table.take().and_then(|t| self.layout.sheets.get_mut(&t)) {
            if let (None, Some((r0, r1, c0, c1))) = (sheet.over, sheet.used) {
                let (rows, cols) = (r1 - r0 + 1, c1 - c0 + 1);
                if rows.saturating_mul(cols) > MAX_DENSE_AREA {
                    sheet.over = Some(Oversize::Area { rows, cols, corner: (clip(r1), clip(c1)) });
                }
            }
        }
    }
}

/// Reads content.xml: each sheet's merged regions (`table:number-rows-spanned` /
/// `-columns-spanned`) and whether its content goes past the bounds (repeated rows and columns
/// are counted, not expanded).
pub fn layout<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<OdsLayout, String> {
    let content = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    walk_content(BufReader::new(content))
}

fn walk_content(content: impl std::io::BufRead) -> Result<OdsLayout, String> {
    let mut xml = quick_xml::Reader::from_reader(content);
    let mut walk = Walk::default();
    let mut buf = Vec::new();
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => walk.start_table(&e, empty),
                "table:table-row" if walk.depth == 1 => {
                    walk.row_repeat = number(&e, "table:number-rows-repeated");
                    walk.col = 0;
                    if empty {
                        walk.row = walk.row.saturating_add(walk.row_repeat);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if walk.depth == 1 => walk.cell(&e, empty),
                _ => walk.inline(&e, empty),
            },
            Event::Text(t) => walk.text(t.chars().count() as u64),
            Event::GeneralRef(_) => walk.text(1),
            Event::End(e) => match e.name().as_ref() {
                "table:table" => walk.end_table(),
                "table:table-cell" | "table:covered-table-cell" if walk.depth == 1 => walk.end_cell(),
                "office:annotation" if walk.annotation > 0 => walk.annotation -= 1,
                "table:table-row" if walk.depth == 1 => walk.row = walk.row.saturating_add(walk.row_repeat),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(walk.layout)
}

#[cfg(test)]
mod tests {
    use super::super::super::limits::MAX_TOTAL_TEXT_CHARS;
    use super::*;

    fn table(rows: &str) -> OdsLayout {
        let xml = format!(r#"<office:spreadsheet><table:table table:name="表">{rows}</table:table></office:spreadsheet>"#);
        walk_content(xml.as_bytes()).unwrap()
    }

    /// The text a one-cell sheet yields, by making the cell repeat past the bound and reading
    /// where it crosses: `copies` at the crossing × the cell's characters is the bound.
    fn chars_of(cell: &str) -> u64 {
        let layout = table(&format!(r#"<table:table-row table:number-rows-repeated="99999">{cell}</table:table-row>"#));
        let (_, row, _) = layout.text_over.expect("crosses the bound");
        MAX_TOTAL_TEXT_CHARS / u64::from(row)
    }

    #[test]
    fn text_is_counted_as_calamine_builds_it() {
        let p = |inner: &str| format!(r#"<table:table-cell office:value-type="string">{inner}</table:table-cell>"#);
        // Two paragraphs joined by a line break; 998 spaces; a tab; an entity.
        let cell = p(r#"<text:p>甲乙</text:p><text:p>丙<text:s text:c="998"/><text:tab/>&amp;</text:p>"#);
        assert_eq!(chars_of(&cell), 2 + 1 + 1 + 998 + 1 + 1);
        // A comment is not part of the value.
        let noted = p(r#"<office:annotation><text:p>很长很长的批注</text:p></office:annotation><text:p>甲</text:p>"#);
        assert_eq!(chars_of(&noted.replace("甲", &"甲".repeat(500))), 500);
        // Values and formulas held in attributes.
        let attributes = format!(
            r#"<table:table-cell office:value-type="string" office:string-value="{}" table:formula="{}"/>"#,
            "x".repeat(300),
            "y".repeat(200)
        );
        assert_eq!(chars_of(&attributes), 500);
    }

    #[test]
    fn the_crossing_is_named_at_its_copy() {
        let cell = format!(
            r#"<table:table-cell office:value-type="string" table:number-columns-repeated="10"><text:p>{}</text:p></table:table-cell>"#,
            "字".repeat(1000)
        );
        let layout = table(&format!(r#"<table:table-row/><table:table-row table:number-rows-repeated="5000">{cell}</table:table-row>"#));
        // 40,000 copies fit: the next is row 4,000 of the repeat (after the empty first row), column 0.
        assert_eq!(layout.text_over, Some(("表".to_string(), 4_001, 0)));
        let within = table(&format!(r#"<table:table-row table:number-rows-repeated="3999">{cell}</table:table-row>"#));
        assert_eq!(within.text_over, None);
    }
}
