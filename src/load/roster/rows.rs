//! The rows under a roster's header → units: blank rows skipped, 合计/注/填报人 rows set aside,
//! every field checked at its cell.

use super::super::check::tidy;
use super::super::limits::name_problem;
use super::super::sheet::{CellKind, Grid, cell_ref};
use super::header::{Header, normalise_header};
use super::{Field, SheetCtx};
use crate::diag::{Problem, Problems};
use crate::model::{Person, Unit, UnitKinds};
use std::collections::{HashMap, HashSet};

/// What a row that is not a unit is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Aside {
    Total,
    /// 注/说明 under the table: the table ends here.
    Note,
    /// 填报人/审核人 lines.
    Footer,
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// `text` starts with `word` as a word: “注：”, “注1.”, “合计 6”, but not “注册处” or “总计划处”.
fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word).is_some_and(|rest| rest.chars().next().is_none_or(|c| !is_cjk(c)))
}

fn aside(first_text: &str) -> Option<Aside> {
    let t = normalise_header(first_text);
    let any = |words: &[&str]| words.iter().any(|w| starts_with_word(&t, w));
    if any(&["合计", "总计", "小计", "共计"]) {
        Some(Aside::Total)
    } else if any(&["注", "注意", "注意事项", "备注", "说明", "填表说明", "填报说明"]) {
        Some(Aside::Note)
    } else if any(&["填报人", "填表人", "审核人", "制表人", "填报单位", "填报日期", "审核"]) {
        Some(Aside::Footer)
    } else {
        None
    }
}

fn excerpt(s: &str) -> String {
    let one_line = s.replace('\n', " ");
    let mut out: String = one_line.chars().take(20).collect();
    if one_line.chars().count() > 20 {
        out.push('…');
    }
    out
}

/// The table's rows, in order, as units; every problem goes to `problems`.
pub(super) fn units(grid: &Grid, header: &Header, ctx: &SheetCtx, kinds: &UnitKinds, problems: &mut Problems) -> Vec<Unit> {
    let mut reader = Rows { grid, header, ctx, kinds, names: HashMap::new(), after_note: false, told_no_supervisor_title: false };
    let mut units = Vec::new();
    for r in grid.row_indices().into_iter().filter(|&r| r >= header.data_start) {
        if let Some(unit) = reader.row(r, problems) {
            units.push(unit);
        }
    }
    units
}

/// What reading one row needs from the rows before it.
struct Rows<'a> {
    grid: &'a Grid,
    header: &'a Header,
    ctx: &'a SheetCtx<'a>,
    kinds: &'a UnitKinds,
    /// Unit name → its row, for duplicates.
    names: HashMap<String, u32>,
    after_note: bool,
    told_no_supervisor_title: bool,
}

impl Rows<'_> {
    /// Whether row `r` is set aside (合计, 注, 填报人…); says so in a warning.
    fn set_aside(&mut self, r: u32, first_col: u32, first: &str, problems: &mut Problems) -> bool {
        let kind = aside(first);
        if kind == Some(Aside::Note) {
            self.after_note = true;
        }
        let Some(kind) = kind.or(self.after_note.then_some(Aside::Note)) else { return false };
        let what = match kind {
            Aside::Total => "合计行",
            Aside::Note => "表后说明",
            Aside::Footer => "表外信息",
        };
        problems.push(Problem::warning(
            self.ctx.at(r, first_col),
            "roster.skipped",
            format!("已跳过第 {} 行（{what}）：“{}”", r + 1, excerpt(first)),
        ));
        true
    }

    /// Each field's text, with error values and names that cannot be used reported (once: not
    /// again as “为空”); `bad` gets those fields.
    fn values(&self, r: u32, bad: &mut HashSet<Field>, problems: &mut Problems) -> HashMap<Field, String> {
        let header = self.header;
        let mut value = |field: Field| -> String {
            let Some(c) = header.col(field) else { return String::new() };
            let Some(cell) = self.grid.get(r, c) else { return String::new() };
            match cell.kind() {
                CellKind::Error => {
                    bad.insert(field);
                    let message = format!("{}是错误值 {}（公式出错），请改为文字", header.label(field), cell.text());
                    problems.push(Problem::error(self.ctx.at(r, c), "roster.cell-error", message));
                    String::new()
                }
                // Reported where the sheet was read.
                CellKind::TooLong => {
                    bad.insert(field);
                    String::new()
                }
                _ => {
                    let text = tidy(cell.text());
                    let is_name = matches!(field, Field::Name | Field::LeaderName | Field::SupervisorName);
                    match name_problem(&text).filter(|_| is_name && !text.is_empty()) {
                        Some(why) => {
                            bad.insert(field);
                            problems.push(Problem::error(self.ctx.at(r, c), "roster.name", format!("{}{why}", header.label(field))));
                            String::new()
                        }
                        None => text,
                    }
                }
            }
        };
        Field::DATA.iter().map(|&f| (f, value(f))).collect()
    }

    /// Row `r` as a unit, or `None` for a blank, set-aside or faulty row.
    fn row(&mut self, r: u32, problems: &mut Problems) -> Option<Unit> {
        let (grid, header, ctx) = (self.grid, self.header, self.ctx);
        let name_col = header.col(Field::Name).unwrap_or(0);
        let (first_col, first) = grid.row(r).map(|(c, d)| (c, tidy(d.text()))).find(|(_, t)| !t.is_empty())?;
        if self.set_aside(r, first_col, &first, problems) {
            return None;
        }
        // This row's problems are the ones pushed from here on: counting them is O(1) a row.
        let before = problems.0.len();
        let mut bad = HashSet::new();
        let v = self.values(r, &mut bad, problems);
        // A row with only 序号 or 备注 filled in (a pre-numbered template) is blank.
        if v.values().all(String::is_empty) {
            return None;
        }
        let at = |field: Field| ctx.at(r, header.col(field).unwrap_or(name_col));
        let name = v[&Field::Name].clone();
        // The unit as well as the cell: "“办公室”的负责人为空" says whom to ask.
        let whose = if name.is_empty() { String::new() } else { format!("“{name}”的") };
        // A column the header lacks was reported once there, not again on every row.
        let empty = |field: Field, code: &'static str, extra: &str| {
            (!bad.contains(&field) && header.col(field).is_some())
                .then(|| Problem::error(at(field), code, format!("{whose}{}为空{extra}", header.label(field))))
        };
        if name.is_empty() {
            problems.0.extend(empty(Field::Name, "roster.name-missing", ""));
        }
        let kinds = self.kinds;
        let kind = match v[&Field::Type].as_str() {
            "" => {
                problems.0.extend(empty(Field::Type, "roster.type-missing", &format!("；应为 {}", kinds.choices())));
                None
            }
            t => kinds.find(t).or_else(|| {
                let label = header.label(Field::Type);
                let message = format!("{whose}{label}“{t}”无效；应为 {}", kinds.choices());
                problems.push(Problem::error(at(Field::Type), "roster.type", message));
                None
            }),
        };
        if v[&Field::LeaderName].is_empty() {
            problems.0.extend(empty(Field::LeaderName, "roster.leader-missing", ""));
        }
        if v[&Field::LeaderTitle].is_empty() {
            problems.0.extend(empty(Field::LeaderTitle, "roster.title-missing", ""));
        }
        let supervisor = self.supervisor(r, &v, &empty, problems);
        if !name.is_empty() {
            match self.names.get(&name) {
                Some(&first) => problems.push(Problem::error(
                    ctx.at(r, name_col),
                    "roster.duplicate",
                    format!("单位名称“{name}”重复：{} 与 {}", cell_ref(first, name_col), cell_ref(r, name_col)),
                )),
                None => {
                    self.names.insert(name.clone(), r);
                }
            }
        }
        let ok = !problems.0[before..].iter().any(Problem::is_error);
        let (Some(kind), true) = (kind, ok) else { return None };
        let phone = Some(v[&Field::Phone].clone()).filter(|p| !p.is_empty());
        self.check_phone(r, phone.as_deref(), problems);
        let duties = v[&Field::Duties].lines().map(tidy).filter(|d| !d.is_empty()).collect();
        let leader = Person { name: v[&Field::LeaderName].clone(), title: v[&Field::LeaderTitle].clone() };
        Some(Unit { name, kind, leader, supervisor, members: Vec::new(), duties, tags: Vec::new(), phone, place: ctx.at(r, name_col) })
    }

    fn supervisor(
        &mut self,
        r: u32,
        v: &HashMap<Field, String>,
        empty: &dyn Fn(Field, &'static str, &str) -> Option<Problem>,
        problems: &mut Problems,
    ) -> Option<Person> {
        let header = self.header;
        match (v[&Field::SupervisorName].is_empty(), v[&Field::SupervisorTitle].is_empty()) {
            (true, true) => None,
            (false, false) => Some(Person { name: v[&Field::SupervisorName].clone(), title: v[&Field::SupervisorTitle].clone() }),
            (false, true) if header.col(Field::SupervisorTitle).is_none() => {
                // Once, at the first such row: the fix is one column, not every row.
                if !self.told_no_supervisor_title {
                    self.told_no_supervisor_title = true;
                    let at = self.ctx.at(r, header.col(Field::SupervisorName).unwrap_or(0));
                    problems.push(Problem::error(at, "roster.column-missing", "填了分管领导，但表头没有“分管领导职务”列"));
                }
                None
            }
            (false, true) => {
                problems.0.extend(empty(Field::SupervisorTitle, "roster.supervisor-title-missing", "（已填分管领导）"));
                None
            }
            (true, false) => {
                problems.0.extend(empty(Field::SupervisorName, "roster.supervisor-missing", "（已填分管领导职务）"));
                None
            }
        }
    }

    /// A number-formatted 座机 has lost its leading 0 (0791… → 791…); a mobile has not.
    fn check_phone(&self, r: u32, phone: Option<&str>, problems: &mut Problems) {
        let (Some(p), Some(c)) = (phone, self.header.col(Field::Phone)) else { return };
        let numeric = self.grid.get(r, c).is_some_and(|cell| cell.kind() == CellKind::Number);
        if numeric && !(p.len() == 11 && p.starts_with('1')) {
            problems.push(Problem::warning(
                self.ctx.at(r, c),
                "roster.phone-number",
                format!("{}“{p}”按数字保存，开头的 0 可能已丢失；请把该列设为文本格式后重新输入", self.header.label(Field::Phone)),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asides_are_words_not_prefixes() {
        assert_eq!(aside("合计"), Some(Aside::Total));
        assert_eq!(aside("合　计：6 个"), Some(Aside::Total));
        assert_eq!(aside("注：类别填处室"), Some(Aside::Note));
        assert_eq!(aside("注1. 电话"), Some(Aside::Note));
        assert_eq!(aside("说明"), Some(Aside::Note));
        assert_eq!(aside("填报人：张三"), Some(Aside::Footer));
        assert_eq!(aside("注册登记处"), None);
        assert_eq!(aside("总计划处"), None);
        assert_eq!(aside("说明书管理处"), None);
        assert_eq!(aside("办公室"), None);
    }
}
