//! Spreadsheets (xlsx, xlsm, xlsb, xls, ods) as bounded grids of text: the only code that touches
//! calamine. It knows nothing of what a roster or a case is.
//!
//! Input is untrusted: the format is sniffed from the bytes, each format has its pre-check (the
//! OLE structure of .xls, unpacked sizes of zip files, the layout of ODS, the record framing of
//! xlsb) before calamine reads it, and every dimension — file, rows, columns, cells, characters
//! and lines in a cell, merged regions, the text of all cells together (`budget`) — is bounded
//! before anything that large is held. A panic inside calamine is caught and reported as a
//! damaged file.

mod budget;
mod cell;
mod cfb;
mod grid;
mod guard;
mod ods;
mod open;
mod xls_text;
mod xlsb;

pub use cell::{Cell, CellKind, cell_ref, cell_text};
pub use grid::{Grid, Table, TableRow};
pub use guard::guarded;

use super::limits::{MAX_COLUMNS, MAX_MERGES, MAX_RECORDS, grouped};
use crate::diag::{Place, Problem, Problems};
use calamine::{Data, DataRef, Reader, SheetType, SheetVisible, XlsxError};
use grid::Sink;
use open::Book;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// A sheet of a workbook, as listed in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetInfo {
    pub name: String,
    /// Hidden (or “very hidden”) sheets are not looked at unless named.
    pub visible: bool,
    /// A worksheet, not a chart or dialog sheet.
    pub worksheet: bool,
}

/// A merged region: its top-left and bottom-right cells, 0-based (row, column), inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Merge {
    pub first: (u32, u32),
    pub last: (u32, u32),
}

/// `名单.xlsx [单位名单] D7`.
pub fn place(file: &Path, sheet: &str, row: u32, col: u32) -> Place {
    Place::Cell { file: file.into(), sheet: sheet.to_string(), cell: cell_ref(row, col) }
}

/// An open workbook; every problem names the file as `shown`.
pub struct Workbook {
    book: Book,
    shown: PathBuf,
    sheets: Vec<SheetInfo>,
}

impl Workbook {
    /// Opens the workbook at `path`, after its format's pre-check. `shown` is the path as messages
    /// name it.
    pub fn open(path: &Path, shown: &Path) -> Result<Workbook, Problems> {
        let book = guarded(|| open::open(path, shown)).unwrap_or_else(|| Err(damaged(shown)))?;
        let sheets = match &book {
            Book::Xlsx(b) => b.sheets_metadata(),
            Book::Xlsb(b) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
            Book::Ods(b, _) => b.sheets_metadata(),
        };
        let sheets = sheets
            .iter()
            .map(|s| SheetInfo {
                name: s.name.clone(),
                visible: s.visible == SheetVisible::Visible,
                worksheet: s.typ == SheetType::WorkSheet,
            })
            .collect();
        Ok(Workbook { book, shown: shown.to_path_buf(), sheets })
    }

    pub fn sheets(&self) -> &[SheetInfo] {
        &self.sheets
    }

    /// The file as messages name it.
    pub fn shown(&self) -> &Path {
        &self.shown
    }

    /// Non-empty cells of a sheet; with `head`, only its first that many non-blank rows. A sheet
    /// past the bounds is refused at its first cell outside them.
    pub fn grid(&mut self, sheet: &str, head: Option<usize>) -> Result<Grid, Problems> {
        let shown = self.shown.clone();
        let mut sink = Sink::new(head);
        let read = guarded(|| read_cells(&mut self.book, sheet, &mut sink)).ok_or_else(|| damaged(&shown))?;
        if let Err(e) = read {
            return Err(Problems::from(
                Problem::error(
                    Place::File(shown),
                    "roster.corrupt",
                    format!("工作表“{sheet}”无法读取，文件可能已损坏；请用 Excel 或 WPS 打开后另存再试"),
                )
                .with_detail(format!("技术信息：{e}")),
            ));
        }
        match (sink.over, sink.over_text) {
            (Some((row, col)), _) => Err(open::too_big(&shown, sheet, row, col)),
            (None, Some((row, col))) => Err(budget::too_much_text(&shown, sheet, row, col)),
            (None, None) => Ok(sink.grid),
        }
    }

    /// Merged regions of a sheet, clipped to the bounds of a sheet, single cells and repeats
    /// dropped, sorted. xlsx and xls come from calamine; ods from our own pass over content.xml
    /// (calamine reads covered cells as empty and drops the spans). xlsb: calamine has no merge
    /// API, so merged cells there read as blank below the first row.
    pub fn merges(&mut self, sheet: &str) -> Result<Vec<Merge>, Problems> {
        let shown = self.shown.clone();
        let read = guarded(|| read_merges(&mut self.book, sheet)).ok_or_else(|| damaged(&shown))?;
        let raw = read.map_err(|e| -> Problems {
            Problem::error(Place::File(shown.clone()), "roster.corrupt", format!("工作表“{sheet}”的合并单元格信息无法读取，文件可能已损坏"))
                .with_detail(format!("技术信息：{e}"))
                .into()
        })?;
        if raw.len() > MAX_MERGES {
            let first = raw[MAX_MERGES].first;
            return Err(Problem::error(
                place(&shown, sheet, first.0.min(MAX_RECORDS as u32), first.1.min(MAX_COLUMNS)),
                "roster.too-many-merges",
                format!("工作表“{sheet}”的合并单元格超过 {} 处（上限），无法读取；请取消不需要的合并后再试", grouped(MAX_MERGES)),
            )
            .into());
        }
        let (last_row, last_col) = (MAX_RECORDS as u32 - 1, MAX_COLUMNS - 1);
        let mut merges: Vec<Merge> = raw
            .into_iter()
            .map(|m| Merge {
                first: (m.first.0.min(m.last.0), m.first.1.min(m.last.1)),
                last: (m.first.0.max(m.last.0), m.first.1.max(m.last.1)),
            })
            .filter(|m| m.first.0 <= last_row && m.first.1 <= last_col)
            .map(|m| Merge { first: m.first, last: (m.last.0.min(last_row), m.last.1.min(last_col)) })
            .filter(|m| m.first != m.last)
            .collect();
        merges.sort_unstable();
        merges.dedup();
        Ok(merges)
    }
}

/// The message for a file calamine panicked on.
fn damaged(shown: &Path) -> Problems {
    Problem::error(
        Place::File(shown.into()),
        "roster.damaged",
        "文件已损坏或结构异常，无法读取（请用 Excel 或 WPS 打开后另存为 .xlsx 再试）",
    )
    .into()
}

/// Feeds a sheet's non-empty cells to `sink` until it says stop. xlsx and xlsb are streamed
/// cell by cell, so a sheet past the bounds is refused before it is held in memory (a shared
/// string is measured where a cell uses it and copied only within the text budget); xls and ods
/// have been pre-checked, text budget included, and come as calamine's range.
fn read_cells(book: &mut Book, sheet: &str, sink: &mut Sink) -> Result<(), String> {
    match book {
        Book::Xlsx(b) => match b.worksheet_cells_reader(sheet) {
            Ok(mut reader) => loop {
                match reader.next_cell() {
                    Ok(Some(c)) => {
                        let (row, col) = c.get_position();
                        if offer(sink, row, col, c.get_value()).is_break() {
                            return Ok(());
                        }
                    }
                    Ok(None) => return Ok(()),
                    Err(e) => return Err(e.to_string()),
                }
            },
            Err(XlsxError::NotAWorksheet(_)) => Ok(()),
            Err(e) => Err(e.to_string()),
        },
        Book::Xlsb(b) => {
            let mut reader = b.worksheet_cells_reader(sheet).map_err(|e| e.to_string())?;
            loop {
                match reader.next_cell() {
                    Ok(Some(c)) => {
                        let (row, col) = c.get_position();
                        if offer(sink, row, col, c.get_value()).is_break() {
                            return Ok(());
                        }
                    }
                    Ok(None) => return Ok(()),
                    Err(e) => return Err(e.to_string()),
                }
            }
        }
        Book::Xls(b) => b.worksheet_range(sheet).map(|r| feed(&r, sink)).map_err(|e| e.to_string()),
        Book::Ods(b, _) => b.worksheet_range(sheet).map(|r| feed(&r, sink)).map_err(|e| e.to_string()),
    }
}

/// One streamed cell to the sink, its text measured before it is copied.
fn offer(sink: &mut Sink, row: u32, col: u32, value: &DataRef) -> ControlFlow<()> {
    let chars = match value {
        DataRef::Empty => return ControlFlow::Continue(()),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(s.chars().count()),
        DataRef::SharedString(s) => Some(s.chars().count()),
        _ => None,
    };
    sink.take(row, col, chars, || Cell::from_ref(value))
}

fn feed(range: &calamine::Range<Data>, sink: &mut Sink) {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, value) in range.used_cells() {
        let chars = match value {
            Data::Empty => continue,
            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Some(s.chars().count()),
            _ => None,
        };
        let (row, col) = (r0.saturating_add(r as u32), c0.saturating_add(c as u32));
        if sink.take(row, col, chars, || Cell::from_owned(value)).is_break() {
            return;
        }
    }
}

fn read_merges(book: &mut Book, sheet: &str) -> Result<Vec<Merge>, String> {
    let from = |d: Vec<calamine::Dimensions>| d.into_iter().map(|d| Merge { first: d.start, last: d.end }).collect();
    match book {
        Book::Xlsx(b) => b.merge_cells_by_sheet_name(sheet).map(from).map_err(|e| e.to_string()),
        Book::Xls(b) => b.merge_cells_by_sheet_name(sheet).map(from).map_err(|e| e.to_string()),
        Book::Xlsb(_) => Ok(Vec::new()),
        Book::Ods(_, layout) => Ok(layout.sheets.get(sheet).map(|s| s.merges.clone()).unwrap_or_default()),
    }
}
