//! The 函告书's tasks and the 文号 ledger, each checked against the rules that make the document
//! correct, every problem located. (Cases are `cases.rs`.)

use super::check::{Checker, tidy};
use super::units::UnitList;
use crate::diag::Place;
use crate::model::{Date, Deadline, DocNo, Ledger, Scope, Task, TaskNotice, UnitType};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTasksFile {
    title: Option<String>,
    intro: Option<String>,
    contact: Option<RawContact>,
    receipt_due: Option<Spanned<String>>,
    receipt_to: Option<String>,
    tasks: Vec<Spanned<RawTask>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContact {
    name: Option<String>,
    phone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTask {
    task: Option<Spanned<String>>,
    requirement: Option<Spanned<String>>,
    deadline: Option<Spanned<String>>,
    lead: Option<Spanned<String>>,
    owner: Option<String>,
    applies_to: Option<Vec<Spanned<String>>>,
}

pub(super) fn tasks(raw: &RawTasksFile, units: &UnitList, c: &mut Checker) -> TaskNotice {
    let mut tasks = Vec::new();
    for rt in &raw.tasks {
        let at = c.at(rt);
        let t = &rt.value;
        let task = c.text(&t.task, at.clone(), "工作任务(task)", "task.missing");
        let label = format!("任务“{}”", short(&task));
        let requirement = c.text(&t.requirement, at.clone(), &format!("{label}的具体要求(requirement)"), "task.requirement-missing");
        let deadline = match &t.deadline {
            None => {
                c.error(at.clone(), "task.deadline-missing", format!("{label}缺少完成时限(deadline)，如 2026-06-30 或 全年"));
                Deadline::Text(String::new())
            }
            Some(d) => deadline(c, d, &label),
        };
        let lead = c.text(&t.lead, at.clone(), &format!("{label}的责任部门(lead)"), "task.lead-missing");
        let scope = match &t.applies_to {
            None => Scope::All,
            Some(list) => scope(c, list, units, &label),
        };
        tasks.push(Task {
            task,
            requirement,
            deadline,
            lead,
            owner: t.owner.as_deref().map(tidy).filter(|o| !o.is_empty()),
            scope,
            place: at,
        });
    }
    if tasks.is_empty() {
        let file = c.file.to_path_buf();
        c.error(Place::File(file), "tasks.empty", "任务清单为空（tasks 下至少要有一项任务）".into());
    }
    let receipt_due = raw.receipt_due.as_ref().and_then(|d| c.parsed(d, Date::parse, "tasks.receipt-due", "回执报送日期(receipt_due)"));
    let contact = raw.contact.as_ref();
    TaskNotice {
        title: raw.title.as_deref().map(tidy).filter(|t| !t.is_empty()),
        intro: raw.intro.as_deref().map(tidy).filter(|t| !t.is_empty()),
        contact: contact.and_then(|c| c.name.as_deref()).map(tidy).filter(|t| !t.is_empty()),
        phone: contact.and_then(|c| c.phone.as_deref()).map(tidy).filter(|t| !t.is_empty()),
        receipt_due,
        receipt_to: raw.receipt_to.as_deref().map(tidy).filter(|t| !t.is_empty()),
        tasks,
    }
}

/// A date (2026-06-30) or words (全年, 每季度末); something that looks like a date must be one.
fn deadline(c: &mut Checker, d: &Spanned<String>, label: &str) -> Deadline {
    let text = tidy(&d.value);
    let looks_like_date = text.chars().next().is_some_and(|ch| ch.is_ascii_digit()) && text.contains(['-', '/', '年']);
    if !looks_like_date {
        if text.is_empty() {
            let p = c.at(d);
            c.error(p, "task.deadline-missing", format!("{label}的完成时限为空"));
        }
        return Deadline::Text(text);
    }
    match Date::parse(&text) {
        Ok(date) => Deadline::Date(date),
        Err(e) => {
            let p = c.at(d);
            c.error(p, "task.deadline", format!("{label}的完成时限“{text}”有误：{e}"));
            Deadline::Text(text)
        }
    }
}

fn scope(c: &mut Checker, list: &[Spanned<String>], units: &UnitList, label: &str) -> Scope {
    let mut types = Vec::new();
    let mut names = Vec::new();
    for item in list {
        let v = tidy(&item.value);
        if v == "全部" || v == "all" {
            return Scope::All;
        }
        if let Some(t) = UnitType::parse(&v) {
            types.push(t);
        } else if units.knows(&v) {
            names.push(v);
        } else {
            let message = format!("{label}的适用对象“{v}”既不是单位类别（处室、党支部、直属单位），也不是名单中的单位");
            c.problems.push(units.missing(c.at(item), "task.unknown-unit", message));
        }
    }
    match (types.is_empty(), names.is_empty()) {
        (false, true) => Scope::Types(types),
        (true, false) => Scope::Units(names),
        (false, false) => Scope::Mixed(types, names),
        (true, true) => Scope::Units(Vec::new()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLedger {
    #[serde(default)]
    numbers: BTreeMap<String, Spanned<String>>,
}

pub(super) fn ledger(raw: &RawLedger, c: &mut Checker) -> Ledger {
    let mut ledger = Ledger::default();
    for (id, no) in &raw.numbers {
        if let Some(n) = c.parsed(no, DocNo::parse, "ledger.doc-no", &format!("文号台账中案件“{id}”的文号")) {
            ledger.numbers.insert(id.clone(), n);
        }
    }
    ledger
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(16).collect();
    if s.chars().count() > 16 { format!("{t}…") } else { t }
}
