//! 单位名单 from a spreadsheet (xlsx, xlsm, xlsb, xls, ods) → `model::Unit`s, every problem located
//! at `文件 [工作表] 单元格` and in Chinese.
//!
//! Real rosters are typed by hand in Excel or WPS: a title merged across the table, a
//! “填报单位：…  填报日期：…” line, the header somewhere in the first rows, 类别 merged down a
//! group of units, a 合计 row and 注 lines under the table. This module reads that shape as it
//! is, rather than asking users to tidy the sheet first. The workbook itself (formats, damaged
//! files, bounds) is the sheet layer's business.

mod header;
mod rows;

use super::check::tidy;
use super::sheet::{Grid, SheetInfo, Workbook};
use crate::diag::{Place, Problem, Problems};
use crate::model::{Unit, UnitKinds};
use std::path::Path;

pub use header::field_for_header;

/// The header is looked for among this many non-blank rows at the top of a sheet.
const HEADER_SCAN_ROWS: usize = 10;

/// What a roster column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Type,
    LeaderName,
    LeaderTitle,
    SupervisorName,
    SupervisorTitle,
    Phone,
    /// 本单位责任: one duty per line in the cell.
    Duties,
    /// A known column with nothing for us (序号, 备注).
    Ignore,
}

impl Field {
    /// The fields a unit's row carries (every one but `Ignore`).
    pub const DATA: [Field; 8] = [
        Field::Name,
        Field::Type,
        Field::LeaderName,
        Field::LeaderTitle,
        Field::SupervisorName,
        Field::SupervisorTitle,
        Field::Phone,
        Field::Duties,
    ];

    /// The column name the blank template uses.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "单位名称",
            Field::Type => "类别",
            Field::LeaderName => "负责人",
            Field::LeaderTitle => "职务",
            Field::SupervisorName => "分管领导",
            Field::SupervisorTitle => "分管领导职务",
            Field::Phone => "联系电话",
            Field::Duties => "本单位责任",
            Field::Ignore => "序号",
        }
    }

    /// Every header text (normalised) this field is recognised by.
    pub fn aliases(self) -> impl Iterator<Item = &'static str> {
        header::ALIASES.iter().filter(move |(_, f)| *f == self).map(|(a, _)| *a)
    }
}

#[derive(Debug)]
pub struct RosterOptions<'a> {
    /// Read this sheet instead of looking for the roster.
    pub sheet: Option<&'a str>,
    /// Extra header text → field (from zeren.yaml); checked before the built-in names.
    pub columns: &'a [(String, Field)],
    /// The kinds the 类别 column may name (the workspace's).
    pub kinds: &'a UnitKinds,
}

impl Default for RosterOptions<'_> {
    fn default() -> Self {
        RosterOptions { sheet: None, columns: &[], kinds: UnitKinds::builtin() }
    }
}

#[derive(Debug, Clone)]
pub struct Roster {
    pub units: Vec<Unit>,
    /// The sheet the units came from.
    pub sheet: String,
    /// Warnings: skipped 合计/注 rows, ignored columns.
    pub notes: Problems,
}

/// Names the sheet in every message about it.
struct SheetCtx<'a> {
    file: &'a Path,
    sheet: &'a str,
}

impl SheetCtx<'_> {
    fn at(&self, row: u32, col: u32) -> Place {
        super::sheet::place(self.file, self.sheet, row, col)
    }
}

/// Reads the roster of a workbook. `shown` is the path as messages name it.
pub fn read(path: &Path, shown: &Path, opts: &RosterOptions) -> Result<Roster, Problems> {
    let mut book = Workbook::open(path, shown)?;
    let (sheet, head_row) = match opts.sheet {
        Some(wanted) => named_sheet(&mut book, wanted, opts)?,
        None => first_roster_sheet(&mut book, opts)?,
    };
    let ctx = SheetCtx { file: shown, sheet: &sheet };
    let mut grid = book.grid(&sheet, None)?;
    let merges = grid.clip(&book.merges(&sheet)?);
    let mut problems = Problems::new();
    // A cell over the text bounds was not read: say where, once.
    for ((r, c), cell) in grid.cells() {
        if let Some(why) = cell.over_limit() {
            problems.push(Problem::error(ctx.at(r, c), "roster.cell-too-long", format!("单元格内容{why}，无法读取")));
        }
    }
    // Rows are checked even when the header has a problem, so one run lists everything.
    let header = header::analyse(&grid, head_row, &merges, opts.columns, &ctx, &mut problems);
    let columns: Vec<u32> = header.columns.iter().map(|(c, _, _)| *c).collect();
    grid.fill_merges(&merges, header.data_start, &columns);
    let units = rows::units(&grid, &header, &ctx, opts.kinds, &mut problems);
    if units.is_empty() && !problems.has_errors() {
        problems.push(Problem::error(
            ctx.at(header.row, header.first_col),
            "roster.empty",
            format!("名单中没有单位：表头（第 {} 行）下面没有数据", header.row + 1),
        ));
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Roster { units, sheet, notes: problems })
}

fn sheet_list(book: &Workbook) -> String {
    let describe = |s: &SheetInfo| if s.visible { s.name.clone() } else { format!("{}（隐藏）", s.name) };
    book.sheets().iter().map(describe).collect::<Vec<_>>().join("、")
}

/// The sheet `--sheet` names, and its header row.
fn named_sheet(book: &mut Workbook, wanted: &str, opts: &RosterOptions) -> Result<(String, u32), Problems> {
    let file_place = Place::File(book.shown().into());
    let Some(sheet) = book.sheets().iter().find(|s| s.name == wanted || tidy(&s.name) == tidy(wanted)).map(|s| s.name.clone()) else {
        return Err(Problem::error(
            file_place,
            "roster.sheet-unknown",
            format!("没有名为“{wanted}”的工作表；本文件的工作表有：{}", sheet_list(book)),
        )
        .into());
    };
    let grid = book.grid(&sheet, Some(HEADER_SCAN_ROWS))?;
    match header::header_row(&grid, opts.columns) {
        Some(row) => Ok((sheet, row)),
        None => {
            let message = if grid.is_empty() {
                format!("工作表“{sheet}”是空的")
            } else {
                format!("工作表“{sheet}”的前 {HEADER_SCAN_ROWS} 行中没有找到名单的表头：需要有“单位名称”和“负责人”两列")
            };
            Err(Problem::error(file_place, "roster.no-header", message).with_detail(header_hint()).into())
        }
    }
}

/// The first visible worksheet whose header names the roster's columns, and its header row.
fn first_roster_sheet(book: &mut Workbook, opts: &RosterOptions) -> Result<(String, u32), Problems> {
    let file_place = Place::File(book.shown().into());
    let candidates: Vec<String> = book.sheets().iter().filter(|s| s.visible && s.worksheet).map(|s| s.name.clone()).collect();
    let mut any_data = false;
    let mut unreadable = Problems::new();
    for name in candidates {
        // A sheet that cannot be read (or is too big) may not be the roster: look on, and
        // report it only if no sheet is.
        let grid: Grid = match book.grid(&name, Some(HEADER_SCAN_ROWS)) {
            Ok(g) => g,
            Err(p) => {
                unreadable.extend(p);
                continue;
            }
        };
        any_data |= !grid.is_empty();
        if let Some(row) = header::header_row(&grid, opts.columns) {
            return Ok((name, row));
        }
    }
    if !unreadable.is_empty() {
        return Err(unreadable);
    }
    if !any_data {
        return Err(Problem::error(file_place, "roster.empty-workbook", "表格是空的：没有任何内容")
            .with_detail(format!("工作表：{}", sheet_list(book)))
            .into());
    }
    Err(Problem::error(
        file_place,
        "roster.no-header",
        format!("没有找到单位名单：各工作表的前 {HEADER_SCAN_ROWS} 行中都没有同时含“单位名称”和“负责人”两列的表头"),
    )
    .with_detail(format!("已查看的工作表：{}（隐藏的工作表不查看，可用 --sheet 指定）\n{}", sheet_list(book), header_hint()))
    .into())
}

fn header_hint() -> String {
    let names = |f: Field| f.aliases().collect::<Vec<_>>().join("、");
    format!("单位名称列可写作：{}；负责人列可写作：{}\n{}", names(Field::Name), names(Field::LeaderName), header::MAPPING_HINT)
}
