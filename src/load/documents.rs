//! The 函告书's tasks and the 文号 ledger, each checked against the rules that make the document
//! correct, every problem located. (Cases are `cases.rs`.)

use super::check::{Checker, tidy};
use super::units::UnitList;
use crate::diag::Place;
use crate::model::{Date, Deadline, DocNo, Ledger, LedgerKey, Scope, Task, TaskNotice};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTasksFile {
    title: Option<String>,
    /// 机关代字 of the 函告书's 文号.
    code: Option<Spanned<String>>,
    intro: Option<Spanned<String>>,
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
    let code = raw.code.as_ref().and_then(|code| {
        let text = tidy(&code.value);
        let sample = format!("{text}〔2026〕1号");
        match DocNo::parse(&sample) {
            Ok(_) => Some(text),
            Err(e) => {
                let p = c.at(code);
                c.error(p, "tasks.code", format!("函告书的机关代字(code)“{}”不能用于文号（{e}），应写作如 江财党函", code.value));
                None
            }
        }
    });
    // "你单位" in the shared text would address a 党支部 or a 处室 wrongly.
    if let Some(intro) = raw.intro.as_ref().filter(|i| i.value.replace("{你单位}", "").contains("你单位")) {
        let other: Vec<&str> =
            units.kinds.iter().filter(|(_, k)| k.you.as_deref() != Some("你单位")).map(|(_, k)| k.name.as_str()).collect();
        if units.units.iter().any(|u| other.contains(&units.kinds.name(u.kind))) {
            let p = c.at(intro);
            let message = format!(
                "开头段(intro)写的是“你单位”，发给{}的函告书也会这样称呼；请改写为 {{你单位}}，生成时按收函单位的类别换成各自的称呼（如 你支部、你处）",
                other.join("、")
            );
            c.problems.push(crate::diag::Problem::warning(p, "tasks.address", message));
        }
    }
    let receipt_due = raw.receipt_due.as_ref().and_then(|d| c.parsed(d, Date::parse, "tasks.receipt-due", "回执报送日期(receipt_due)"));
    let contact = raw.contact.as_ref();
    TaskNotice {
        title: raw.title.as_deref().map(tidy).filter(|t| !t.is_empty()),
        code,
        intro: raw.intro.as_ref().map(|i| tidy(&i.value)).filter(|t| !t.is_empty()),
        contact: contact.and_then(|c| c.name.as_deref()).map(tidy).filter(|t| !t.is_empty()),
        phone: contact.and_then(|c| c.phone.as_deref()).map(tidy).filter(|t| !t.is_empty()),
        receipt_due,
        receipt_due_at: raw.receipt_due.as_ref().map(|d| c.at(d)),
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
        if let Some(t) = units.kinds.find(&v) {
            types.push(t);
        } else if units.knows(&v) {
            names.push(v);
        } else {
            let message = format!("{label}的适用对象“{v}”既不是单位类别（{}），也不是名单中的单位", units.kinds.list());
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

/// The ledger as a record of truth: every 文号 well formed and within range, every key a case id
/// or a 函告书/年度/单位 whose year is its 文号's, and no 文号 under two keys (a merge of two copies
/// of the ledger gives that). Each problem names the ledger line.
pub(super) fn ledger(raw: &RawLedger, c: &mut Checker) -> Ledger {
    let mut ledger = Ledger { place: Some(Place::File(c.file.to_path_buf())), ..Ledger::default() };
    let mut owners: HashMap<DocNo, (String, Place)> = HashMap::new();
    for (id, no) in &raw.numbers {
        let at = c.at(no);
        let Some(n) = c.parsed(no, DocNo::parse, "ledger.doc-no", &format!("文号台账中“{id}”的文号")) else { continue };
        match Ledger::key_kind(id) {
            None => {
                let message =
                    format!("文号台账的键“{id}”以“函告书/”开头，却不是 函告书/年度/收函单位 的形式（如 函告书/2026/机关第一党支部）");
                c.error(at, "ledger.key", message);
                continue;
            }
            Some(LedgerKey::Notice { year, .. }) if year != n.year => {
                c.error(at, "ledger.key", format!("文号台账中“{id}”是 {year} 年度的函告书，文号“{n}”却是 {} 年的", n.year));
                continue;
            }
            Some(LedgerKey::Case(case)) if case.trim().is_empty() || case.chars().any(char::is_control) => {
                c.error(at, "ledger.key", format!("文号台账中有文号“{n}”的案件编号为空或含控制字符"));
                continue;
            }
            Some(_) => {}
        }
        if let Some((first, first_at)) = owners.get(&n) {
            let message = format!(
                "文号“{n}”在文号台账中登记了两次：“{first}”（{first_at}）和“{id}”；一个文号只能属于一个案件或一份函告书，请核对后删去错误的一行"
            );
            c.error(at, "ledger.duplicate", message);
            continue;
        }
        owners.insert(n.clone(), (id.clone(), at.clone()));
        ledger.lines.insert(id.clone(), at);
        ledger.numbers.insert(id.clone(), n);
    }
    ledger
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(16).collect();
    if s.chars().count() > 16 { format!("{t}…") } else { t }
}
