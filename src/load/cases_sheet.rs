//! The 问责案件 sheet of a roster workbook (the one `zeren roster template` writes): one case a
//! row, read into `CaseFields` at each cell's place; `cases::validate` holds them to the same
//! rules as data/cases.yaml.

use super::cases::{CaseFields, Field, Origin};
use super::check::tidy;
use super::sheet::{Workbook, cell_ref};
use crate::diag::{Place, Problem, Problems};
use std::path::Path;

/// The sheet's name in the template.
pub const SHEET: &str = "问责案件";

/// The columns of the sheet, shared with the blank template's writer so the two cannot drift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseColumn {
    Id,
    SubjectType,
    Subject,
    Unit,
    Post,
    Methods,
    Responsibility,
    Facts,
    Basis,
    DocNo,
    Cc,
}

impl CaseColumn {
    pub const ALL: [CaseColumn; 11] = [
        CaseColumn::Id,
        CaseColumn::SubjectType,
        CaseColumn::Subject,
        CaseColumn::Unit,
        CaseColumn::Post,
        CaseColumn::Methods,
        CaseColumn::Responsibility,
        CaseColumn::Facts,
        CaseColumn::Basis,
        CaseColumn::DocNo,
        CaseColumn::Cc,
    ];

    /// The header text.
    pub fn label(self) -> &'static str {
        match self {
            CaseColumn::Id => "案件编号",
            CaseColumn::SubjectType => "问责对象类型",
            CaseColumn::Subject => "问责对象",
            CaseColumn::Unit => "所在单位",
            CaseColumn::Post => "职务",
            CaseColumn::Methods => "问责方式",
            CaseColumn::Responsibility => "责任类型",
            CaseColumn::Facts => "事实",
            CaseColumn::Basis => "依据",
            CaseColumn::DocNo => "文号",
            CaseColumn::Cc => "抄送",
        }
    }
}

/// Cases of the workbook's 问责案件 sheet; none when it has no such sheet or no rows.
pub fn read(path: &Path, shown: &Path) -> Result<Vec<CaseFields>, Problems> {
    read_unguarded(path, shown)
}

fn read_unguarded(path: &Path, shown: &Path) -> Result<Vec<CaseFields>, Problems> {
    // The sheet layer catches calamine's panics and bounds the sheet as it does the roster's.
    let Ok(mut book) = Workbook::open(path, shown) else { return Ok(Vec::new()) };
    let Some(name) = book.sheets().iter().map(|s| s.name.clone()).find(|n| n.trim() == SHEET) else { return Ok(Vec::new()) };
    let grid = book.grid(&name, None)?;
    let too_long: Vec<Problem> = grid
        .cells()
        .filter_map(|((r, c), cell)| cell.over_limit().map(|why| (r, c, why)))
        .map(|(r, c, why)| {
            Problem::error(super::sheet::place(shown, &name, r, c), "case.cell-too-long", format!("单元格内容{why}，无法读取"))
        })
        .collect();
    if !too_long.is_empty() {
        return Err(Problems(too_long));
    }
    let table = grid.table();
    let (r0, c0) = table.start();
    let rows: Vec<_> = table.rows().collect();
    let Some(header) = rows.first() else { return Ok(Vec::new()) };
    let col = |c: CaseColumn| header.cells().position(|h| tidy(h.map_or("", |h| h.text())).replace(['　', ' '], "") == c.label());
    let cols: Vec<(CaseColumn, Option<usize>)> = CaseColumn::ALL.iter().map(|&c| (c, col(c))).collect();
    let place = |r: usize, c: usize| Place::Cell { file: shown.into(), sheet: name.clone(), cell: cell_ref(r0 + r as u32, c0 + c as u32) };
    let mut cases = Vec::new();
    for (r, row) in rows.iter().enumerate().skip(1) {
        let cell = |c: CaseColumn| -> Option<Field> {
            let i = cols.iter().find(|(k, _)| *k == c).and_then(|(_, i)| *i)?;
            Some(Field { text: row.get(i).map(|c| c.text().to_string()).unwrap_or_default(), place: place(r, i) })
        };
        if CaseColumn::ALL.iter().all(|&c| cell(c).is_none_or(|f| tidy(&f.text).is_empty())) {
            continue;
        }
        // A list in one cell: one item per line or per 、.
        let list = |c: CaseColumn| -> Vec<Field> {
            cell(c)
                .map(|f| f.text.split(['、', '，', '\n']).map(|t| Field { text: t.to_string(), place: f.place.clone() }).collect())
                .unwrap_or_default()
        };
        let methods = cell(CaseColumn::Methods).map(|f| (f.place.clone(), vec![f]));
        cases.push(CaseFields {
            origin: Origin::Sheet,
            at: place(r, cols[0].1.unwrap_or(0)),
            subject_at: None,
            id: cell(CaseColumn::Id),
            doc_no: cell(CaseColumn::DocNo),
            subject_type: cell(CaseColumn::SubjectType),
            subject_name: cell(CaseColumn::Subject),
            subject_unit: cell(CaseColumn::Unit),
            subject_post: cell(CaseColumn::Post),
            source: None,
            facts: cell(CaseColumn::Facts),
            responsibility: cell(CaseColumn::Responsibility),
            basis: list(CaseColumn::Basis),
            methods,
            plea: None,
            cc: list(CaseColumn::Cc),
            date: None,
        });
    }
    Ok(cases)
}
