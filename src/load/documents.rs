//! The data of the other document kinds: tasks (函告书), cases (问责决定书) and the 文号 ledger,
//! each checked against the rules that make the document correct, every problem located.

use super::check::{Checker, tidy};
use crate::diag::{Place, Problem};
use crate::model::{
    CADRE_METHODS, Case, Date, Deadline, DocNo, Ledger, Method, ORG_METHODS, Responsibility, Scope, Subject, Task, TaskNotice, Unit,
    UnitType,
};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};

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

pub(super) fn tasks(raw: &RawTasksFile, units: &[Unit], c: &mut Checker) -> TaskNotice {
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

fn scope(c: &mut Checker, list: &[Spanned<String>], units: &[Unit], label: &str) -> Scope {
    let mut types = Vec::new();
    let mut names = Vec::new();
    for item in list {
        let v = tidy(&item.value);
        if v == "全部" || v == "all" {
            return Scope::All;
        }
        if let Some(t) = UnitType::parse(&v) {
            types.push(t);
        } else if units.iter().any(|u| u.name == v) {
            names.push(v);
        } else {
            let p = c.at(item);
            c.error(p, "task.unknown-unit", format!("{label}的适用对象“{v}”既不是单位类别（处室、党支部、直属单位），也不是名单中的单位"));
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
pub(super) struct RawCasesFile {
    cases: Vec<Spanned<RawCase>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    id: Option<Spanned<String>>,
    doc_no: Option<Spanned<String>>,
    subject: Option<Spanned<RawSubject>>,
    source: Option<String>,
    facts: Option<Spanned<String>>,
    responsibility: Option<Spanned<String>>,
    #[serde(default)]
    basis: Vec<String>,
    methods: Option<Spanned<Vec<Spanned<String>>>>,
    plea: Option<String>,
    #[serde(default)]
    cc: Vec<String>,
    date: Option<Spanned<String>>,
}

/// Flat on purpose: an internally tagged enum would lose saphyr's locations.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubject {
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    unit: Option<Spanned<String>>,
    post: Option<Spanned<String>>,
}

pub(super) fn cases(raw: &RawCasesFile, ledger: &Ledger, c: &mut Checker) -> Vec<Case> {
    let mut out = Vec::new();
    let mut ids: HashMap<String, Place> = HashMap::new();
    let mut numbers: HashMap<DocNo, (String, Place)> = HashMap::new();
    for rc in &raw.cases {
        let at = c.at(rc);
        let r = &rc.value;
        let id = c.text(&r.id, at.clone(), "案件编号(id)", "case.id-missing");
        let label = format!("案件“{id}”");
        if !id.is_empty() {
            if let Some(first) = ids.get(&id) {
                c.error(at.clone(), "case.duplicate-id", format!("案件编号“{id}”重复（首次出现在 {first}）"));
            } else {
                ids.insert(id.clone(), at.clone());
            }
        }
        let doc_no = r.doc_no.as_ref().and_then(|d| {
            let p = c.at(d);
            match DocNo::parse(&d.value) {
                Ok(no) => {
                    if let Some((other, first)) = numbers.get(&no) {
                        c.error(p, "case.duplicate-doc-no", format!("{label}的文号“{no}”与案件“{other}”重复（{first}）"));
                    } else if let Some((owner, _)) = ledger.numbers.iter().find(|(owner, n)| **n == no && **owner != id) {
                        c.error(p, "case.doc-no-taken", format!("{label}的文号“{no}”已在文号台账中分配给案件“{owner}”"));
                    } else {
                        numbers.insert(no.clone(), (id.clone(), p));
                    }
                    Some(no)
                }
                Err(e) => {
                    c.error(p, "case.doc-no", format!("{label}的文号“{}”格式有误：{e}", d.value));
                    None
                }
            }
        });
        let subject = match &r.subject {
            None => {
                c.error(at.clone(), "case.subject-missing", format!("{label}缺少问责对象(subject)"));
                None
            }
            Some(s) => subject(c, s, &label),
        };
        let facts = c.text(&r.facts, at.clone(), &format!("{label}的事实(facts)"), "case.facts-missing");
        let responsibility = r.responsibility.as_ref().and_then(|s| {
            let v = Responsibility::parse(&s.value);
            if v.is_none() {
                let p = c.at(s);
                c.error(
                    p,
                    "case.responsibility",
                    format!("{label}的责任类型“{}”无效；应为 全面领导责任、主要领导责任 或 重要领导责任", s.value),
                );
            }
            v
        });
        let methods = match (&r.methods, &subject) {
            (None, _) => {
                c.error(at.clone(), "case.methods-missing", format!("{label}缺少问责方式(methods)"));
                Vec::new()
            }
            (Some(list), subject) => methods(c, list, subject.as_ref(), &label),
        };
        let date = r.date.as_ref().and_then(|d| c.parsed(d, Date::parse, "case.date", &format!("{label}的日期")));
        if let Some(subject) = subject {
            out.push(Case {
                id,
                doc_no,
                subject,
                source: r.source.as_deref().map(tidy).filter(|s| !s.is_empty()),
                facts,
                responsibility,
                basis: r.basis.iter().map(|b| tidy(b)).filter(|b| !b.is_empty()).collect(),
                methods,
                plea: r.plea.as_deref().map(tidy).filter(|s| !s.is_empty()),
                cc: r.cc.iter().map(|b| tidy(b)).filter(|b| !b.is_empty()).collect(),
                date,
                place: at,
            });
        }
    }
    organisation_needs_cadres(&out, c);
    out
}

fn subject(c: &mut Checker, s: &Spanned<RawSubject>, label: &str) -> Option<Subject> {
    let at = c.at(s);
    let v = &s.value;
    let name = c.name(&v.name, at.clone(), &format!("{label}的问责对象名称(name)"), "case.subject-name");
    match v.kind.as_ref().map(|k| tidy(&k.value)).as_deref() {
        Some("党组织") => Some(Subject::Organisation { name }),
        Some("领导干部") => {
            let unit = c.text(&v.unit, at.clone(), &format!("{label}的问责对象所在单位(unit)"), "case.subject-unit");
            let post = c.text(&v.post, at.clone(), &format!("{label}的问责对象职务(post)"), "case.subject-post");
            Some(Subject::Cadre { name, unit, post })
        }
        Some(other) => {
            let p = v.kind.as_ref().map(|k| c.at(k)).unwrap_or(at);
            c.error(p, "case.subject-type", format!("{label}的问责对象类型“{other}”无效；应为 党组织 或 领导干部"));
            None
        }
        None => {
            c.error(at, "case.subject-type", format!("{label}缺少问责对象类型(type)：党组织 或 领导干部"));
            None
        }
    }
}

fn methods(c: &mut Checker, list: &Spanned<Vec<Spanned<String>>>, subject: Option<&Subject>, label: &str) -> Vec<Method> {
    let mut out: Vec<Method> = Vec::new();
    for m in &list.value {
        let p = c.at(m);
        // "通报、诫勉" in one item is two methods.
        for part in m.value.split(['、', '，', ',']).map(str::trim).filter(|s| !s.is_empty()) {
            let allowed = match subject {
                Some(Subject::Organisation { .. }) => ORG_METHODS,
                _ => CADRE_METHODS,
            };
            match Method::parse(part) {
                None => c.error(p.clone(), "case.method", format!("{label}的问责方式“{part}”不存在；可用：{allowed}")),
                Some(method) => match subject {
                    Some(s) if !method.fits(s) => c.error(
                        p.clone(),
                        "case.method-subject",
                        format!("{label}：对{}不能采用“{method}”；对{}可用：{allowed}", s.kind_name(), s.kind_name()),
                    ),
                    _ if out.contains(&method) => c.error(p.clone(), "case.method-duplicate", format!("{label}的问责方式“{method}”重复")),
                    _ => out.push(method),
                },
            }
        }
    }
    if list.value.is_empty() {
        let p = c.at(list);
        c.error(p, "case.methods-missing", format!("{label}的问责方式(methods)为空"));
    }
    out
}

/// 条例 Art. 6: a case against an organisation comes with cases for its responsible 班子
/// members. Not always in the same batch, so a warning, not an error.
fn organisation_needs_cadres(cases: &[Case], c: &mut Checker) {
    for case in cases {
        if let Subject::Organisation { name } = &case.subject {
            let has_cadre = cases.iter().any(|o| match &o.subject {
                Subject::Cadre { unit, .. } => !unit.is_empty() && (name.contains(unit.as_str()) || unit.contains(name.as_str())),
                _ => false,
            });
            if !has_cadre {
                c.problems.push(Problem::warning(
                    case.place.clone(),
                    "case.org-without-cadre",
                    format!("对党组织“{name}”问责的，应当同时对其负有责任的领导班子成员问责（《中国共产党问责条例》第六条）；本批案件中未见相应的领导干部案件"),
                ));
            }
        }
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
