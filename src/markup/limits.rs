//! How much one document may hold. Checked while its markup is read, before the parser or the
//! layout allocate for it: layout needs about 7 KB of memory per paragraph, 6 KB per table cell
//! and 3 KB per line break (measured on 100,000 of each), so a roster cell of 700,000 lines once
//! took 4.6 GB. A 责任书 holds about 100 paragraphs (the sample about 35) and an assessment
//! table about 100 rows of 12 cells; each bound is many times that, and together they keep one
//! document's layout to about 100 MB.

/// Paragraphs: `<p>`, headings, list items, title and the other one-line blocks; each line of
/// `<blank lines="N">` and each page break counts as one.
pub const MAX_PARAGRAPHS: usize = 5_000;

/// Table rows (`<tr>`), over all the document's tables.
pub const MAX_TABLE_ROWS: usize = 2_000;

/// Table cells (`<td>`), over all the document's tables.
pub const MAX_TABLE_CELLS: usize = 10_000;

/// Line breaks and tabs (`<br/>`, `<tab/>`; a newline or tab in data becomes one).
pub const MAX_BREAKS: usize = 5_000;

/// Tags of any kind, which bounds what the parser holds before it knows what they are.
pub const MAX_ELEMENTS: usize = 30_000;

/// Which bound a document went past.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    Paragraphs,
    TableRows,
    TableCells,
    Breaks,
    Elements,
}

impl Cap {
    pub fn max(self) -> usize {
        match self {
            Cap::Paragraphs => MAX_PARAGRAPHS,
            Cap::TableRows => MAX_TABLE_ROWS,
            Cap::TableCells => MAX_TABLE_CELLS,
            Cap::Breaks => MAX_BREAKS,
            Cap::Elements => MAX_ELEMENTS,
        }
    }

    /// "段落", "表格行"…: what was counted, in the user's words.
    pub fn what(self) -> &'static str {
        match self {
            Cap::Paragraphs => "段落",
            Cap::TableRows => "表格行",
            Cap::TableCells => "表格单元格",
            Cap::Breaks => "换行（含数据里的换行）和制表符",
            Cap::Elements => "标记",
        }
    }

    /// The message for a document that went past this bound.
    pub fn message(self) -> String {
        let hint = match self {
            Cap::Breaks => "数据里是否有异常多的换行？",
            _ => "是否把过多的数据放进了一份文书，或模板重复生成了内容？",
        };
        format!("{}超过单份文书 {} 个的上限（{hint}）", self.what(), self.max())
    }
}

/// Running counts of one document's tags, as they are read.
#[derive(Debug, Default)]
pub(super) struct Counts {
    elements: usize,
    rows: usize,
    cells: usize,
    breaks: usize,
}

impl Counts {
    /// Counts one more tag named `name`; the bound it goes past, if any.
    pub(super) fn add(&mut self, name: &str) -> Result<(), Cap> {
        bump(&mut self.elements, Cap::Elements)?;
        match name {
            "tr" => bump(&mut self.rows, Cap::TableRows),
            "td" => bump(&mut self.cells, Cap::TableCells),
            "br" | "tab" => bump(&mut self.breaks, Cap::Breaks),
            _ => Ok(()),
        }
    }
}

/// Adds `n` to a count, refusing to pass `cap`'s bound.
pub(super) fn bump_by(count: &mut usize, n: usize, cap: Cap) -> Result<(), Cap> {
    *count = count.saturating_add(n);
    if *count > cap.max() { Err(cap) } else { Ok(()) }
}

fn bump(count: &mut usize, cap: Cap) -> Result<(), Cap> {
    bump_by(count, 1, cap)
}
