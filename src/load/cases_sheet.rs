//! The 问责案件 sheet of a roster workbook (the one `zeren roster template` writes): one case a
//! row, checked by the same rules as data/cases.yaml, every problem at its sheet and cell.

use super::check::tidy;
use super::sheet::{Workbook, cell_ref};
use crate::diag::{Place, Problem, Problems};
use crate::model::{CADRE_METHODS, Case, Date, DocNo, Method, ORG_METHODS, Responsibility, Subject};
use std::path::Path;

/// The sheet's name in the template, and the columns it has.
pub const SHEET: &str = "问责案件";
const COLUMNS: [&str; 11] =
    ["案件编号", "问责对象类型", "问责对象", "所在单位", "职务", "问责方式", "责任类型", "事实", "依据", "文号", "抄送"];

/// Cases from the workbook's 问责案件 sheet; none when it has no such sheet or no rows.
pub fn read(path: &Path, shown: &Path) -> Result<Vec<Case>, Problems> {
    read_unguarded(path, shown)
}

fn read_unguarded(path: &Path, shown: &Path) -> Result<Vec<Case>, Problems> {
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
    let mut problems = Problems::new();
    let table = grid.table();
    let (r0, c0) = table.start();
    let rows: Vec<_> = table.rows().collect();
    let Some(header) = rows.first() else { return Ok(Vec::new()) };
    let col = |title: &str| header.cells().position(|h| tidy(h.map_or("", |h| h.text())).replace(['　', ' '], "") == title);
    let cols: Vec<Option<usize>> = COLUMNS.iter().map(|t| col(t)).collect();
    let place = |r: usize, c: usize| Place::Cell { file: shown.into(), sheet: name.clone(), cell: cell_ref(r0 + r as u32, c0 + c as u32) };
    let mut cases = Vec::new();
    let mut ids: Vec<(String, Place)> = Vec::new();
    let mut numbers: Vec<(DocNo, Place)> = Vec::new();
    for (r, row) in rows.iter().enumerate().skip(1) {
        let get = |i: usize| cols[i].and_then(|c| row.get(c)).map(|d| tidy(d.text())).unwrap_or_default();
        let at = |i: usize| place(r, cols[i].unwrap_or(0));
        if (0..COLUMNS.len()).all(|i| get(i).is_empty()) {
            continue;
        }
        let mut error = |i: usize, code: &'static str, msg: String| problems.push(Problem::error(at(i), code, msg));
        let id = get(0);
        if id.is_empty() {
            error(0, "case.id-missing", "案件编号为空".into());
            continue;
        }
        let label = format!("案件“{id}”");
        if let Some((_, first)) = ids.iter().find(|(i, _)| *i == id) {
            error(0, "case.duplicate-id", format!("案件编号“{id}”重复（首次出现在 {first}）"));
        }
        ids.push((id.clone(), at(0)));
        let name = get(2);
        if name.is_empty() {
            error(2, "case.subject-name", format!("{label}的问责对象为空"));
        }
        let subject = match get(1).as_str() {
            "党组织" => Some(Subject::Organisation { name }),
            "领导干部" => {
                let (unit, post) = (get(3), get(4));
                if unit.is_empty() {
                    error(3, "case.subject-unit", format!("{label}的所在单位为空"));
                }
                if post.is_empty() {
                    error(4, "case.subject-post", format!("{label}的职务为空"));
                }
                Some(Subject::Cadre { name, unit, post })
            }
            other => {
                error(1, "case.subject-type", format!("{label}的问责对象类型“{other}”无效；应为 党组织 或 领导干部"));
                None
            }
        };
        let mut methods: Vec<Method> = Vec::new();
        for part in get(5).split(['、', '，', ',', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
            let allowed = if matches!(subject, Some(Subject::Organisation { .. })) { ORG_METHODS } else { CADRE_METHODS };
            match (Method::parse(part), &subject) {
                (None, _) => error(5, "case.method", format!("{label}的问责方式“{part}”不存在；可用：{allowed}")),
                (Some(m), Some(s)) if !m.fits(s) => error(
                    5,
                    "case.method-subject",
                    format!("{label}：对{}不能采用“{m}”；对{}可用：{allowed}", s.kind_name(), s.kind_name()),
                ),
                (Some(m), _) if !methods.contains(&m) => methods.push(m),
                _ => {}
            }
        }
        if get(5).is_empty() {
            error(5, "case.methods-missing", format!("{label}的问责方式为空"));
        }
        let responsibility = match get(6).as_str() {
            "" => None,
            v => {
                let r = Responsibility::parse(v);
                if r.is_none() {
                    error(6, "case.responsibility", format!("{label}的责任类型“{v}”无效；应为 全面领导责任、主要领导责任 或 重要领导责任"));
                }
                r
            }
        };
        let facts = get(7);
        if facts.is_empty() {
            error(7, "case.facts-missing", format!("{label}的事实为空"));
        }
        let doc_no = match get(9).as_str() {
            "" => None,
            v => match DocNo::parse(v) {
                Ok(no) => {
                    if let Some((_, first)) = numbers.iter().find(|(n, _)| *n == no) {
                        error(9, "case.duplicate-doc-no", format!("{label}的文号“{no}”重复（{first}）"));
                    }
                    numbers.push((no.clone(), at(9)));
                    Some(no)
                }
                Err(e) => {
                    error(9, "case.doc-no", format!("{label}的文号“{v}”格式有误：{e}"));
                    None
                }
            },
        };
        let list = |s: String| -> Vec<String> { s.split(['、', '，', '\n']).map(tidy).filter(|x| !x.is_empty()).collect() };
        if let Some(subject) = subject {
            cases.push(Case {
                id,
                doc_no,
                subject,
                source: None,
                facts,
                responsibility,
                basis: list(get(8)),
                methods,
                plea: None,
                cc: list(get(10)),
                date: None::<Date>,
                place: at(0),
            });
        }
    }
    if problems.has_errors() { Err(problems) } else { Ok(cases) }
}
