//! plan: which documents, for whom. Turns a workspace and the user's selection into jobs, each
//! with the data its template sees. Knows nothing of how a document looks.

use crate::model::score::{self, Assessment, Scheme, Score};
use crate::model::{Case, DocNo, Kind, Method, Person, Report, SECTIONS, Subject, Task, TaskNotice, Unit, Workspace};
use serde::Serialize;

/// What the user asked for: kinds and units to build (empty = all).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub kinds: Vec<Kind>,
    pub units: Vec<String>,
    /// Only units of these types (empty = all).
    pub types: Vec<crate::model::UnitType>,
}

/// One document to produce.
#[derive(Debug, Clone)]
pub struct Job {
    pub kind: Kind,
    /// 1-based position in roster order within its kind (the file name's 序号).
    pub seq: usize,
    /// How many documents of this kind the run makes (for the 序号's width).
    pub of: usize,
    /// The unit (or person) the document is for.
    pub recipient: String,
    /// The file name's part after the 序号 (`01-预算处-唐奕舟-述责述廉表.docx`).
    pub file_stem: String,
    pub template: &'static str,
    /// What the template sees; see `Job::context`.
    pub context: JobContext,
    /// The document's 文号, where it has one.
    pub doc_no: Option<DocNo>,
    /// A 文号 newly assigned to this case id: a real build records it in the ledger.
    pub assigned: Option<(String, DocNo)>,
}

/// A job's template context. The kinds made one per unit are built when the job is rendered,
/// on the worker that renders it: a plan of 10,000 letters holds 10,000 indices, not 10,000
/// copies of the duty catalogue, so memory stays flat as the roster grows.
#[derive(Debug, Clone)]
pub enum JobContext {
    /// The 责任书 of `Workspace::units[i]`.
    Letter(usize),
    /// The 函告书 of `Workspace::units[i]`.
    Notice(usize),
    /// Built with the plan (kinds made a few at a time).
    Ready(tera::Context),
}

impl Job {
    /// The template context, built from `ws` (the workspace this job was planned from) where
    /// the plan left it to be built.
    pub fn context(&self, ws: &Workspace) -> std::borrow::Cow<'_, tera::Context> {
        use std::borrow::Cow;
        match &self.context {
            JobContext::Ready(c) => Cow::Borrowed(c),
            JobContext::Letter(i) => Cow::Owned(ws.units.get(*i).map(|u| letter_context(ws, u)).unwrap_or_default()),
            JobContext::Notice(i) => Cow::Owned(
                ws.notice
                    .as_ref()
                    .zip(ws.units.get(*i))
                    .map(|(notice, unit)| {
                        let tasks: Vec<&Task> = notice.tasks.iter().filter(|t| t.scope.covers(unit)).collect();
                        notice_context(ws, notice, unit, &tasks)
                    })
                    .unwrap_or_default(),
            ),
        }
    }
}

/// A problem with the selection itself (a `--unit` that is not in the roster…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    UnknownUnit(String),
    NoData(Kind),
    NothingToBuild,
}

/// Every job of the selection, kinds in the order given, units in roster order.
pub fn plan(ws: &Workspace, sel: &Selection) -> Result<Vec<Job>, Vec<PlanError>> {
    let known = |name: &String| ws.units.iter().any(|u| &u.name == name) || ws.cases.iter().any(|c| c.subject.name() == name);
    let mut errors: Vec<PlanError> =
        sel.units.iter().filter(|name| !known(name)).map(|name| PlanError::UnknownUnit(name.clone())).collect();
    let explicit = !sel.kinds.is_empty() || ws.settings.kinds.is_some();
    let kinds: Vec<Kind> = if !sel.kinds.is_empty() {
        sel.kinds.clone()
    } else if let Some(k) = &ws.settings.kinds {
        k.clone()
    } else {
        ws.available_kinds()
    };
    let available = ws.available_kinds();
    // A document is chosen by its unit's name (--unit) and type (--type); both must agree.
    let type_of = |name: &str| ws.units.iter().find(|u| u.name == name).map(|u| u.unit_type);
    let chosen = |name: &str| {
        (sel.units.is_empty() || sel.units.iter().any(|u| u == name))
            && (sel.types.is_empty() || type_of(name).is_some_and(|t| sel.types.contains(&t)))
    };
    let mut jobs = Vec::new();
    for kind in kinds {
        if !available.contains(&kind) {
            if explicit {
                errors.push(PlanError::NoData(kind));
            }
            continue;
        }
        let start = jobs.len();
        match kind {
            Kind::ResponsibilityLetter => {
                for (i, unit) in ws.units.iter().enumerate().filter(|(_, u)| chosen(&u.name)) {
                    jobs.push(job(kind, &unit.name, JobContext::Letter(i)));
                }
            }
            Kind::TaskNotice => {
                let Some(notice) = &ws.notice else { continue };
                for (i, unit) in ws.units.iter().enumerate().filter(|(_, u)| chosen(&u.name)) {
                    if notice.tasks.iter().any(|t| t.scope.covers(unit)) {
                        jobs.push(job(kind, &unit.name, JobContext::Notice(i)));
                    }
                }
            }
            Kind::AnnualReport => {
                for r in ws.reports.iter().filter(|r| chosen(&r.unit)) {
                    let mut j = job(kind, &r.unit, JobContext::Ready(report_context(ws, r)));
                    j.file_stem = format!("{}-{}-述责述廉表", r.unit, r.name);
                    jobs.push(j);
                }
                if let Some(scheme) = &ws.scheme {
                    let all = assessments(ws);
                    for a in all.iter().filter(|a| chosen(&a.unit)) {
                        let mut j = job(kind, &a.unit, JobContext::Ready(assessment_context(ws, scheme, a, all.len())));
                        j.template = Kind::ASSESSMENT_TEMPLATE;
                        j.file_stem = format!("{}-考核评分表", a.unit);
                        jobs.push(j);
                    }
                }
            }
            Kind::AccountabilityDecision => {
                let numbers = assign_numbers(ws);
                for (case, (no, fresh)) in ws.cases.iter().zip(numbers) {
                    let unit = match &case.subject {
                        Subject::Cadre { unit, .. } => Some(unit.as_str()),
                        Subject::Organisation { .. } => None,
                    };
                    if !(chosen(case.subject.name()) || unit.is_some_and(chosen)) {
                        continue;
                    }
                    let mut j = job(kind, case.subject.name(), JobContext::Ready(decision_context(ws, case, &no)));
                    j.assigned = fresh.then(|| (case.id.clone(), no.clone()));
                    j.doc_no = Some(no);
                    jobs.push(j);
                }
            }
        }
        let of = jobs.len() - start;
        for (i, j) in jobs[start..].iter_mut().enumerate() {
            j.seq = i + 1;
            j.of = of;
        }
    }
    if jobs.is_empty() && errors.is_empty() {
        errors.push(PlanError::NothingToBuild);
    }
    if errors.is_empty() { Ok(jobs) } else { Err(errors) }
}

fn job(kind: Kind, recipient: &str, context: JobContext) -> Job {
    Job {
        kind,
        seq: 0,
        of: 0,
        recipient: recipient.to_string(),
        file_stem: recipient.to_string(),
        template: kind.template(),
        context,
        doc_no: None,
        assigned: None,
    }
}

/// Each case's 文号: as given, as the ledger has it, or the next free number of the year
/// (`true`: newly assigned). Pure: only a real build records the new ones.
pub fn assign_numbers(ws: &Workspace) -> Vec<(DocNo, bool)> {
    let s = &ws.settings;
    let given: Vec<&DocNo> = ws.cases.iter().filter_map(|c| c.doc_no.as_ref()).collect();
    let mut next = ws.ledger.next_free(&s.code, s.year, given.into_iter());
    ws.cases
        .iter()
        .map(|case| {
            if let Some(no) = &case.doc_no {
                (no.clone(), false)
            } else if let Some(no) = ws.ledger.numbers.get(&case.id) {
                (no.clone(), false)
            } else {
                let no = DocNo { code: s.code.clone(), year: s.year, number: next };
                next += 1;
                (no, true)
            }
        })
        .collect()
}

#[derive(Serialize)]
pub struct NoticeContext<'a> {
    pub organ: &'a str,
    pub year: i32,
    pub date: String,
    pub title: String,
    pub intro: Option<&'a str>,
    pub unit: UnitView<'a>,
    pub tasks: Vec<TaskView<'a>>,
    pub contact: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// 回执报送日期, 2026年2月15日.
    pub receipt_due: Option<String>,
    pub receipt_to: &'a str,
}

#[derive(Serialize)]
pub struct TaskView<'a> {
    pub seq: usize,
    pub task: &'a str,
    pub requirement: &'a str,
    /// 2026年6月30日前, or 全年.
    pub deadline: String,
    pub lead: &'a str,
    pub owner: Option<&'a str>,
}

fn notice_context(ws: &Workspace, notice: &TaskNotice, unit: &Unit, tasks: &[&Task]) -> tera::Context {
    to_context(&notice_view(ws, notice, unit, tasks))
}

fn notice_view<'a>(ws: &'a Workspace, notice: &'a TaskNotice, unit: &'a Unit, tasks: &[&'a Task]) -> NoticeContext<'a> {
    let s = &ws.settings;
    NoticeContext {
        organ: &s.organ,
        year: s.year,
        date: s.date.chinese(),
        title: notice.title.clone().unwrap_or_else(|| format!("{}年度党风廉政建设主要工作任务函告书", s.year)),
        intro: notice.intro.as_deref(),
        unit: unit_view(unit),
        tasks: tasks
            .iter()
            .enumerate()
            .map(|(i, t)| TaskView {
                seq: i + 1,
                task: &t.task,
                requirement: &t.requirement,
                deadline: t.deadline.to_string(),
                lead: &t.lead,
                owner: t.owner.as_deref(),
            })
            .collect(),
        contact: notice.contact.as_deref(),
        phone: notice.phone.as_deref(),
        receipt_due: notice.receipt_due.map(|d| d.chinese()),
        receipt_to: notice.receipt_to.as_deref().unwrap_or(&s.organ),
    }
}

#[derive(Serialize)]
pub struct DecisionContext<'a> {
    pub organ: &'a str,
    pub code: &'a str,
    pub year: i32,
    pub date: String,
    /// 江财党〔2026〕5号.
    pub doc_no: String,
    /// 发文机关标志 text, when the workspace wants a 版头.
    pub letterhead: Option<String>,
    pub case_id: &'a str,
    pub subject: SubjectView<'a>,
    pub source: Option<&'a str>,
    pub facts: &'a str,
    pub responsibility: Option<&'static str>,
    pub basis: &'a [String],
    pub basis_text: String,
    pub methods: Vec<String>,
    /// 通报、诫勉.
    pub methods_text: String,
    /// A 组织调整或者组织处理 is decided: its procedures take one month at most.
    pub organisational: bool,
    pub plea: Option<&'a str>,
    pub appeal: &'a str,
    pub cc: &'a [String],
    /// 抄送 line body: 市纪委监委，市委组织部。
    pub cc_text: String,
    pub issuer: String,
}

#[derive(Serialize)]
pub struct SubjectView<'a> {
    /// 党组织 or 领导干部.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub is_cadre: bool,
    pub name: &'a str,
    pub unit: Option<&'a str>,
    pub post: Option<&'a str>,
}

fn decision_context(ws: &Workspace, case: &Case, no: &DocNo) -> tera::Context {
    to_context(&decision_view(ws, case, no))
}

fn decision_view<'a>(ws: &'a Workspace, case: &'a Case, no: &DocNo) -> DecisionContext<'a> {
    let s = &ws.settings;
    let (unit, post) = match &case.subject {
        Subject::Cadre { unit, post, .. } => (Some(unit.as_str()), Some(post.as_str())),
        Subject::Organisation { .. } => (None, None),
    };
    let methods: Vec<String> = case.methods.iter().map(ToString::to_string).collect();
    DecisionContext {
        organ: &s.organ,
        code: &s.code,
        year: s.year,
        date: case.date.unwrap_or(s.date).chinese(),
        doc_no: no.to_string(),
        letterhead: s.letterhead.as_ref().map(|l| if l.is_empty() { s.organ.clone() } else { l.clone() }),
        case_id: &case.id,
        subject: SubjectView {
            kind: case.subject.kind_name(),
            is_cadre: matches!(case.subject, Subject::Cadre { .. }),
            name: case.subject.name(),
            unit,
            post,
        },
        source: case.source.as_deref(),
        facts: &case.facts,
        responsibility: case.responsibility.map(|r| r.name()),
        basis: &case.basis,
        basis_text: case.basis.join("、"),
        methods_text: methods.join("、"),
        methods,
        organisational: case.methods.iter().any(|m| matches!(m, Method::Organisational(_))),
        plea: case.plea.as_deref(),
        appeal: &s.appeal,
        cc: &case.cc,
        cc_text: if case.cc.is_empty() { String::new() } else { format!("{}。", case.cc.join("，")) },
        issuer: if s.issuer.is_empty() { format!("{}办公室", s.organ.trim_end_matches("委员会")) } else { s.issuer.clone() },
    }
}

/// Every unit's assessment, ranked (roster order of the results file).
pub fn assessments(ws: &Workspace) -> Vec<Assessment> {
    let Some(scheme) = &ws.scheme else { return Vec::new() };
    let mut all: Vec<Assessment> = ws.results.iter().map(|r| score::assess(scheme, r)).collect();
    score::rank(&mut all, scheme.decides);
    all
}

#[derive(Serialize)]
pub struct ReportContext<'a> {
    pub organ: &'a str,
    pub year: i32,
    pub date: String,
    pub unit: &'a str,
    pub name: &'a str,
    pub title: &'a str,
    pub portfolio: &'a str,
    pub sections: Vec<SectionView<'a>>,
}

#[derive(Serialize)]
pub struct SectionView<'a> {
    pub label: &'static str,
    pub text: &'a str,
}

fn report_context(ws: &Workspace, r: &Report) -> tera::Context {
    to_context(&report_view(ws, r))
}

fn report_view<'a>(ws: &'a Workspace, r: &'a Report) -> ReportContext<'a> {
    let s = &ws.settings;
    ReportContext {
        organ: &s.organ,
        year: s.year,
        date: s.date.chinese(),
        unit: &r.unit,
        name: &r.name,
        title: &r.title,
        portfolio: &r.portfolio,
        sections: SECTIONS.iter().zip(&r.sections).map(|((_, label), text)| SectionView { label, text }).collect(),
    }
}

#[derive(Serialize)]
pub struct AssessmentContext<'a> {
    pub organ: &'a str,
    pub year: i32,
    pub date: String,
    pub title: String,
    pub unit: &'a str,
    /// Column headings of the scales, e.g. [自评分, 考核组评分].
    pub scales: Vec<&'a str>,
    pub decides: &'a str,
    pub categories: Vec<CategoryView<'a>>,
    pub bonus: Option<CategoryView<'a>>,
    pub bonus_cap: String,
    pub veto: Vec<VetoView<'a>>,
    pub totals: Vec<String>,
    pub total: String,
    pub full_marks: String,
    pub grade: &'a str,
    /// Why the grade is 不合格, when a 一票否决 item was triggered.
    pub vetoed: &'a [String],
    pub rank: usize,
    pub of: usize,
}

#[derive(Serialize)]
pub struct CategoryView<'a> {
    pub name: &'a str,
    pub rows: Vec<ItemView<'a>>,
    pub max: String,
    pub subtotals: Vec<String>,
    pub subtotal: String,
}

#[derive(Serialize)]
pub struct ItemView<'a> {
    pub seq: usize,
    pub id: &'a str,
    pub content: &'a str,
    pub max: String,
    pub criteria: &'a str,
    /// Per scale; empty where that scale gave nothing.
    pub scores: Vec<String>,
    pub note: &'a str,
    /// The deciding scale's score: 得分.
    pub score: String,
}

#[derive(Serialize)]
pub struct VetoView<'a> {
    pub content: &'a str,
    pub triggered: bool,
}

fn assessment_context(ws: &Workspace, scheme: &Scheme, a: &Assessment, of: usize) -> tera::Context {
    to_context(&assessment_view(ws, scheme, a, of))
}

fn assessment_view<'a>(ws: &'a Workspace, scheme: &'a Scheme, a: &'a Assessment, of: usize) -> AssessmentContext<'a> {
    let s = &ws.settings;
    let d = scheme.decides;
    let text = |v: Option<Score>| v.map(|x| x.to_string()).unwrap_or_default();
    let mut seq = 0;
    let mut rows = |items: &'a [score::Item]| -> Vec<ItemView<'a>> {
        items
            .iter()
            .map(|item| {
                seq += 1;
                let scored = a.items.get(&item.id);
                let scores: Vec<String> =
                    (0..scheme.scales.len()).map(|i| text(scored.and_then(|x| x.scores.get(i).copied().flatten()))).collect();
                ItemView {
                    seq,
                    id: &item.id,
                    content: &item.content,
                    max: item.max.to_string(),
                    criteria: &item.criteria,
                    score: scores.get(d).cloned().unwrap_or_default(),
                    scores,
                    note: scored.map(|x| x.note.as_str()).unwrap_or(""),
                }
            })
            .collect()
    };
    let categories = scheme
        .categories
        .iter()
        .zip(&a.subtotals)
        .map(|(c, sums)| CategoryView {
            name: &c.name,
            rows: rows(&c.items),
            max: c.items.iter().map(|i| i.max).sum::<Score>().to_string(),
            subtotals: sums.iter().map(ToString::to_string).collect(),
            subtotal: sums.get(d).map(ToString::to_string).unwrap_or_default(),
        })
        .collect();
    let bonus = (!scheme.bonus.is_empty()).then(|| CategoryView {
        name: "加分项",
        rows: rows(&scheme.bonus),
        max: scheme.bonus_cap.to_string(),
        subtotals: a.bonus.iter().map(ToString::to_string).collect(),
        subtotal: a.bonus.get(d).map(ToString::to_string).unwrap_or_default(),
    });
    AssessmentContext {
        organ: &s.organ,
        year: s.year,
        date: s.date.chinese(),
        title: scheme.title.clone().unwrap_or_else(|| format!("{}年度党风廉政建设责任制考核评分表", s.year)),
        unit: &a.unit,
        scales: scheme.scales.iter().map(|x| x.column.as_str()).collect(),
        decides: scheme.scales.get(d).map_or("", |x| x.column.as_str()),
        categories,
        bonus,
        bonus_cap: scheme.bonus_cap.to_string(),
        veto: scheme
            .veto
            .iter()
            .map(|(id, content)| VetoView { content, triggered: a.vetoed.contains(content) && !id.is_empty() })
            .collect(),
        totals: a.totals.iter().map(ToString::to_string).collect(),
        total: a.totals.get(d).map(ToString::to_string).unwrap_or_default(),
        full_marks: scheme.full_marks().to_string(),
        grade: &a.grade,
        vetoed: &a.vetoed,
        rank: a.rank,
        of,
    }
}

fn to_context<T: Serialize>(view: &T) -> tera::Context {
    // Serializing our own plain structs cannot fail; an empty context would surface as a
    // template error naming the variable, never as a panic.
    tera::Context::from_serialize(view).unwrap_or_default()
}

fn unit_view(unit: &Unit) -> UnitView<'_> {
    UnitView {
        name: &unit.name,
        unit_type: unit.unit_type.name(),
        leader: &unit.leader,
        supervisor: unit.supervisor.as_ref(),
        members: &unit.members,
        duties: &unit.duties,
        phone: unit.phone.as_deref(),
    }
}

/// What a 责任书 template sees. `zeren template vars` documents the same names.
#[derive(Serialize)]
pub struct LetterContext<'a> {
    pub organ: &'a str,
    pub code: &'a str,
    pub year: i32,
    /// 成文日期, 2026年1月5日.
    pub date: String,
    pub letter: LetterText<'a>,
    pub unit: UnitView<'a>,
    /// Who signs for 甲方 (the 书记, or the 分管领导 under tiered signing).
    pub party_a_signer: &'a Person,
    /// True when 甲方 is signed by the unit's 分管领导.
    pub signed_by_supervisor: bool,
    pub groups: Vec<GroupView<'a>>,
}

#[derive(Serialize)]
pub struct LetterText<'a> {
    pub title: String,
    pub basis: &'a [String],
    /// The basis as one phrase: 《A》《B》和C — titles run on, other items joined by 、.
    pub basis_text: String,
    pub assessment: Option<&'a str>,
    pub accountability: Option<&'a str>,
    pub copies: u32,
}

#[derive(Serialize)]
pub struct UnitView<'a> {
    pub name: &'a str,
    #[serde(rename = "type")]
    pub unit_type: &'static str,
    pub leader: &'a Person,
    pub supervisor: Option<&'a Person>,
    pub members: &'a [crate::model::Member],
    pub duties: &'a [String],
    pub phone: Option<&'a str>,
}

#[derive(Serialize)]
pub struct GroupView<'a> {
    pub subject: &'a str,
    pub duties: &'a [String],
}

/// The context the first document of `kind` would get, as JSON (for `zeren template vars`).
pub fn example_context(ws: &Workspace, kind: Kind) -> Option<serde_json::Value> {
    let json = |v: &dyn erased::Json| v.json();
    match kind {
        Kind::TaskNotice => {
            let notice = ws.notice.as_ref()?;
            ws.units.iter().find_map(|u| {
                let tasks: Vec<&Task> = notice.tasks.iter().filter(|t| t.scope.covers(u)).collect();
                (!tasks.is_empty()).then(|| json(&notice_view(ws, notice, u, &tasks)))
            })
        }
        Kind::AccountabilityDecision => {
            let numbers = assign_numbers(ws);
            ws.cases.first().map(|c| json(&decision_view(ws, c, &numbers[0].0)))
        }
        Kind::AnnualReport => match (ws.reports.first(), &ws.scheme) {
            (Some(r), _) => Some(json(&report_view(ws, r))),
            (None, Some(scheme)) => {
                let all = assessments(ws);
                all.first().map(|a| json(&assessment_view(ws, scheme, a, all.len())))
            }
            _ => None,
        },
        // The unit with the most filled in shows the most fields.
        Kind::ResponsibilityLetter => ws
            .units
            .iter()
            .max_by_key(|u| (u.supervisor.is_some(), u.members.len().min(1), u.duties.len().min(1)))
            .map(|u| json(&letter_view(ws, u))),
    }
}

fn letter_context(ws: &Workspace, unit: &Unit) -> tera::Context {
    to_context(&letter_view(ws, unit))
}

/// Lets `example_context` serialize any view through one closure.
mod erased {
    pub trait Json {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or_default()
        }
    }
}

fn letter_view<'a>(ws: &'a Workspace, unit: &'a Unit) -> LetterContext<'a> {
    let s = &ws.settings;
    let signer = ws.party_a_signer(unit);
    LetterContext {
        organ: &s.organ,
        code: &s.code,
        year: s.year,
        date: s.date.chinese(),
        letter: LetterText {
            title: s.letter.title.clone().unwrap_or_else(|| format!("{}年度党风廉政建设责任书", s.year)),
            basis: &s.letter.basis,
            basis_text: basis_text(&s.letter.basis),
            assessment: s.letter.assessment.as_deref(),
            accountability: s.letter.accountability.as_deref(),
            copies: s.letter.copies,
        },
        unit: unit_view(unit),
        party_a_signer: signer,
        signed_by_supervisor: !std::ptr::eq(signer, &s.signatory),
        groups: ws.groups_for(unit.unit_type).map(|g| GroupView { subject: &g.subject, duties: &g.duties }).collect(),
    }
}

/// 《党章》《条例》、上级部署 → "《党章》《条例》和上级部署": 书名号 titles need no separator
/// (GB punctuation usage); the last plain item is joined by 和.
pub fn basis_text(items: &[String]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            let prev_title = items[i - 1].ends_with('》');
            let this_title = item.starts_with('《');
            if !(prev_title && this_title) {
                out.push_str(if i + 1 == items.len() { "和" } else { "、" });
            }
        }
        out.push_str(item);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn basis_joins_titles_without_separator() {
        let items = ["《甲》", "《乙》", "上级部署"].map(String::from);
        assert_eq!(super::basis_text(&items), "《甲》《乙》和上级部署");
    }
}
