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
    Gender,
    Born,
    Political,
    Unit,
    UnitFull,
    Post,
    OrgLeader,
    Members,
    Source,
    Facts,
    Duty,
    Responsibility,
    ActedPersonally,
    Situation,
    Local,
    Methods,
    CircularScope,
    Admonition,
    Measure,
    Sanction,
    Plea,
    PleaResult,
    PleaReason,
    Mitigating,
    Aggravating,
    Execution,
    DocNo,
    Date,
    Cc,
    Basis,
}

impl CaseColumn {
    /// Every column the reader knows. `Basis` (依据) is the old single column: still read, no
    /// longer in the template (the situation and other provisions have columns of their own).
    pub const ALL: [CaseColumn; 33] = [
        CaseColumn::Id,
        CaseColumn::SubjectType,
        CaseColumn::Subject,
        CaseColumn::Gender,
        CaseColumn::Born,
        CaseColumn::Political,
        CaseColumn::Unit,
        CaseColumn::UnitFull,
        CaseColumn::Post,
        CaseColumn::OrgLeader,
        CaseColumn::Members,
        CaseColumn::Source,
        CaseColumn::Facts,
        CaseColumn::Duty,
        CaseColumn::Responsibility,
        CaseColumn::ActedPersonally,
        CaseColumn::Situation,
        CaseColumn::Local,
        CaseColumn::Methods,
        CaseColumn::CircularScope,
        CaseColumn::Admonition,
        CaseColumn::Measure,
        CaseColumn::Sanction,
        CaseColumn::Plea,
        CaseColumn::PleaResult,
        CaseColumn::PleaReason,
        CaseColumn::Mitigating,
        CaseColumn::Aggravating,
        CaseColumn::Execution,
        CaseColumn::DocNo,
        CaseColumn::Date,
        CaseColumn::Cc,
        CaseColumn::Basis,
    ];

    /// The header text.
    pub fn label(self) -> &'static str {
        match self {
            CaseColumn::Id => "案件编号",
            CaseColumn::SubjectType => "问责对象类型",
            CaseColumn::Subject => "问责对象",
            CaseColumn::Gender => "性别",
            CaseColumn::Born => "出生年月",
            CaseColumn::Political => "政治面貌",
            CaseColumn::Unit => "所在单位",
            CaseColumn::UnitFull => "单位全称",
            CaseColumn::Post => "职务",
            CaseColumn::OrgLeader => "主要负责人",
            CaseColumn::Members => "负有责任的班子成员",
            CaseColumn::Source => "案件来源",
            CaseColumn::Facts => "事实",
            CaseColumn::Duty => "责任类别",
            CaseColumn::Responsibility => "责任类型",
            CaseColumn::ActedPersonally => "本人直接实施",
            CaseColumn::Situation => "问责情形",
            CaseColumn::Local => "其他依据",
            CaseColumn::Methods => "问责方式",
            CaseColumn::CircularScope => "通报范围",
            CaseColumn::Admonition => "诫勉方式",
            CaseColumn::Measure => "组织处理措施",
            CaseColumn::Sanction => "纪律处分",
            CaseColumn::Plea => "陈述申辩",
            CaseColumn::PleaResult => "申辩处理",
            CaseColumn::PleaReason => "处理理由",
            CaseColumn::Mitigating => "从轻情节",
            CaseColumn::Aggravating => "从重情节",
            CaseColumn::Execution => "其他执行要求",
            CaseColumn::DocNo => "文号",
            CaseColumn::Date => "成文日期",
            CaseColumn::Cc => "抄送",
            CaseColumn::Basis => "依据",
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
        // A list in one cell: one item per line (or per 、 where items never hold one).
        let lines = |c: CaseColumn| -> Vec<Field> {
            cell(c).map(|f| f.text.lines().map(|t| Field { text: t.to_string(), place: f.place.clone() }).collect()).unwrap_or_default()
        };
        let cc = cell(CaseColumn::Cc)
            .map(|f| f.text.split(['、', '，', '\n']).map(|t| Field { text: t.to_string(), place: f.place.clone() }).collect())
            .unwrap_or_default();
        let basis = lines(CaseColumn::Basis);
        cases.push(CaseFields {
            origin: Origin::Sheet,
            at: place(r, cols[0].1.unwrap_or(0)),
            subject_at: None,
            id: cell(CaseColumn::Id),
            doc_no: cell(CaseColumn::DocNo),
            subject_type: cell(CaseColumn::SubjectType),
            subject_name: cell(CaseColumn::Subject),
            subject_gender: cell(CaseColumn::Gender),
            subject_born: cell(CaseColumn::Born),
            subject_political: cell(CaseColumn::Political),
            subject_unit: cell(CaseColumn::Unit),
            subject_unit_full: cell(CaseColumn::UnitFull),
            subject_post: cell(CaseColumn::Post),
            subject_leader: cell(CaseColumn::OrgLeader),
            members: lines(CaseColumn::Members),
            source: cell(CaseColumn::Source),
            facts: cell(CaseColumn::Facts),
            duty: cell(CaseColumn::Duty),
            responsibility: cell(CaseColumn::Responsibility),
            acted_personally: cell(CaseColumn::ActedPersonally),
            situation: cell(CaseColumn::Situation),
            local: lines(CaseColumn::Local),
            basis_at: basis.first().map(|b| b.place.clone()),
            basis,
            methods: cell(CaseColumn::Methods).map(|f| (f.place.clone(), vec![f])),
            circular_scope: cell(CaseColumn::CircularScope),
            admonition: cell(CaseColumn::Admonition),
            measure: cell(CaseColumn::Measure),
            sanction: cell(CaseColumn::Sanction),
            plea: cell(CaseColumn::Plea),
            plea_result: cell(CaseColumn::PleaResult),
            plea_reason: cell(CaseColumn::PleaReason),
            mitigating: cell(CaseColumn::Mitigating),
            aggravating: cell(CaseColumn::Aggravating),
            execution: lines(CaseColumn::Execution),
            cc,
            date: cell(CaseColumn::Date),
        });
    }
    Ok(cases)
}
