//! plan: which documents, for whom. Turns a workspace and the user's selection into jobs, each
//! carrying the view its template sees. Knows nothing of Tera or of how a document looks.

mod annual;
mod decision;
mod letter;
mod notice;

pub use annual::{AssessmentContext, CategoryView, ItemView, ReportContext, SectionView, VetoView, assessments};
pub use decision::{DecisionContext, SubjectView, assign_numbers};
pub use letter::{GroupView, LetterContext, LetterText, UnitView, basis_text};
pub use notice::{NoticeContext, TaskView};

use crate::model::{DocNo, Form, Kind, Task, UnitType, Workspace};
use serde::Serialize;

/// What the user asked for: kinds and units to build (empty = all).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub kinds: Vec<Kind>,
    pub units: Vec<String>,
    /// Only units of these types (empty = all).
    pub types: Vec<UnitType>,
}

/// One document to produce.
#[derive(Debug, Clone)]
pub struct Job<'a> {
    pub form: Form,
    /// 1-based position in roster order within its kind (the file name's 序号).
    pub seq: usize,
    /// How many documents of this kind the run makes (for the 序号's width).
    pub of: usize,
    /// The unit (or person) the document is for.
    pub recipient: String,
    /// The file name's part after the 序号 (`01-预算处-唐奕舟-述责述廉表.docx`).
    pub file_stem: String,
    /// What the form's template sees.
    pub view: View<'a>,
    /// The document's 文号, where it has one.
    pub doc_no: Option<DocNo>,
    /// A 文号 newly assigned to this case id: a real build records it in the ledger.
    pub assigned: Option<(String, DocNo)>,
}

impl Job<'_> {
    pub fn kind(&self) -> Kind {
        self.form.kind()
    }
}

/// The data one document's template sees, by form. Serialises as the view itself, so a
/// template reads `unit.name`, not `Letter.unit.name`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum View<'a> {
    Letter(LetterContext<'a>),
    Notice(NoticeContext<'a>),
    Decision(DecisionContext<'a>),
    Statement(ReportContext<'a>),
    Assessment(Box<AssessmentContext<'a>>),
}

/// A problem with the selection itself (a `--unit` that is not in the roster…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    UnknownUnit(String),
    NoData(Kind),
    NothingToBuild,
}

/// Every job of the selection, kinds in the order given, units in roster order.
pub fn plan<'a>(ws: &'a Workspace, sel: &Selection) -> Result<Vec<Job<'a>>, Vec<PlanError>> {
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
        // Numbered over the whole kind, then selected: a file keeps its 序号 whatever the
        // selection, so rebuilding one unit replaces its file instead of adding a duplicate.
        let mut all = Vec::new();
        kind_jobs(ws, kind, &chosen, &mut all);
        let of = all.len();
        for (i, (j, _)) in all.iter_mut().enumerate() {
            j.seq = i + 1;
            j.of = of;
        }
        jobs.extend(all.into_iter().filter(|(_, selected)| *selected).map(|(j, _)| j));
    }
    if jobs.is_empty() && errors.is_empty() {
        errors.push(PlanError::NothingToBuild);
    }
    if errors.is_empty() { Ok(jobs) } else { Err(errors) }
}

/// Every job of one kind in roster order, each with whether the selection chose it.
fn kind_jobs<'a>(ws: &'a Workspace, kind: Kind, chosen: &dyn Fn(&str) -> bool, jobs: &mut Vec<(Job<'a>, bool)>) {
    match kind {
        Kind::ResponsibilityLetter => {
            for unit in &ws.units {
                jobs.push((job(Form::Letter, &unit.name, View::Letter(letter::view(ws, unit))), chosen(&unit.name)));
            }
        }
        Kind::TaskNotice => {
            let Some(notice) = &ws.notice else { return };
            for unit in &ws.units {
                let tasks: Vec<&Task> = notice.tasks.iter().filter(|t| t.scope.covers(unit)).collect();
                if !tasks.is_empty() {
                    let view = View::Notice(notice::view(ws, notice, unit, &tasks));
                    jobs.push((job(Form::Notice, &unit.name, view), chosen(&unit.name)));
                }
            }
        }
        Kind::AnnualReport => {
            for r in &ws.reports {
                let mut j = job(Form::Statement, &r.unit, View::Statement(annual::report_view(ws, r)));
                j.file_stem = format!("{}-{}-述责述廉表", r.unit, r.name);
                jobs.push((j, chosen(&r.unit)));
            }
            if let Some(scheme) = &ws.scheme {
                let all = assessments(ws);
                for a in &all {
                    let view = View::Assessment(Box::new(annual::assessment_view(ws, scheme, a, all.len())));
                    let mut j = job(Form::Assessment, &a.unit, view);
                    j.file_stem = format!("{}-考核评分表", a.unit);
                    jobs.push((j, chosen(&a.unit)));
                }
            }
        }
        Kind::AccountabilityDecision => {
            let numbers = assign_numbers(ws);
            for (case, (no, fresh)) in ws.cases.iter().zip(numbers) {
                let selected = chosen(case.subject.name()) || chosen(case.subject.unit().as_str());
                let mut j = job(Form::Decision, case.subject.name(), View::Decision(decision::view(ws, case, &no)));
                j.assigned = fresh.then(|| (case.id.clone(), no.clone()));
                j.doc_no = Some(no);
                jobs.push((j, selected));
            }
        }
    }
}

fn job<'a>(form: Form, recipient: &str, view: View<'a>) -> Job<'a> {
    Job { form, seq: 0, of: 0, recipient: recipient.to_string(), file_stem: recipient.to_string(), view, doc_no: None, assigned: None }
}
