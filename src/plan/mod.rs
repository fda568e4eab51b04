//! plan: which documents, for whom. Turns a workspace and the user's selection into jobs, each
//! carrying the view its template sees. Knows nothing of Tera or of how a document looks.

mod annual;
mod decision;
mod letter;
mod lint;
mod notice;
mod parties;
mod per;

pub use annual::{AssessmentContext, CategoryView, ItemView, ReportContext, SectionView, VetoView, assessments};
pub use decision::{DecisionContext, SubjectView, assign_numbers};
pub use letter::{GroupView, LetterContext, LetterText, PersonalLetterContext, UnitView, basis_text};
pub use lint::letter_warnings;
pub use notice::{NoticeContext, TaskView, ledger_label, notice_code, notice_key, notice_numbers};
pub use parties::{PartyView, SignerView};
pub use per::{Per, jobs_per};

use crate::diag::Place;
use crate::model::{DocNo, Form, Kind, KindId, Ledger, Task, Tier, Unit, Workspace};
use serde::Serialize;

/// What the user asked for: kinds and units to build (empty = all).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub kinds: Vec<Kind>,
    pub units: Vec<String>,
    /// Only units of these kinds, by name (empty = all); a name the workspace's kinds do not
    /// have is `PlanError::UnknownUnitKind`.
    pub types: Vec<String>,
    /// Only these tiers of 责任书 (empty = all the workspace makes); given alone, it builds 责任书.
    pub tiers: Vec<Tier>,
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
    /// A 文号 newly assigned under this ledger key (a case id, or a 函告书's `notice_key`): a real
    /// build records it in the ledger.
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
    // Boxed, and a unit's letter made when serialised: a plan of 10,000 jobs holds a pointer or
    // two per job, not the largest view 10,000 times.
    Letter(letter::UnitLetter<'a>),
    PersonalLetter(Box<PersonalLetterContext<'a>>),
    Notice(Box<NoticeContext<'a>>),
    Decision(Box<DecisionContext<'a>>),
    Statement(Box<ReportContext<'a>>),
    Assessment(Box<AssessmentContext<'a>>),
}

/// A problem with the selection itself (a `--unit` that is not in the roster…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    UnknownUnit(String),
    /// `--type` names no kind of the workspace; `known` lists them.
    UnknownUnitKind {
        name: String,
        known: String,
    },
    NoData(Kind),
    NothingToBuild,
    /// The new 文号 would take the ledger past `Ledger::MAX_ENTRIES` (it holds `has`).
    LedgerFull {
        place: Place,
        has: usize,
        adding: usize,
    },
    /// A series has no number left below `DocNo::MAX_NUMBER`.
    NumbersExhausted {
        place: Place,
        series: String,
    },
}

/// Every job of the selection, kinds in the order given, units in roster order.
pub fn plan<'a>(ws: &'a Workspace, sel: &Selection) -> Result<Vec<Job<'a>>, Vec<PlanError>> {
    let committee = ws.committee();
    let known = |name: &String| {
        ws.units.iter().any(|u| &u.name == name || u.members.iter().any(|m| &m.name == name))
            || ws.cases.iter().any(|c| c.subject.name() == name)
            || committee.iter().any(|m| &m.person.name == name)
    };
    let mut errors: Vec<PlanError> =
        sel.units.iter().filter(|name| !known(name)).map(|name| PlanError::UnknownUnit(name.clone())).collect();
    let kinds = &ws.settings.unit_kinds;
    for name in sel.types.iter().filter(|name| kinds.find(name).is_none()) {
        errors.push(PlanError::UnknownUnitKind { name: name.trim().to_string(), known: kinds.list() });
    }
    let explicit = !sel.kinds.is_empty() || !sel.tiers.is_empty() || ws.settings.kinds.is_some();
    let kinds: Vec<Kind> = if !sel.kinds.is_empty() {
        sel.kinds.clone()
    } else if !sel.tiers.is_empty() {
        vec![Kind::ResponsibilityLetter]
    } else if let Some(k) = &ws.settings.kinds {
        k.clone()
    } else {
        ws.available_kinds()
    };
    let available = ws.available_kinds();
    let chooser = Chooser::new(ws, sel);
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
        kind_jobs(ws, kind, &chooser, &mut all);
        let of = all.len();
        for (i, (j, _)) in all.iter_mut().enumerate() {
            j.seq = i + 1;
            j.of = of;
        }
        jobs.extend(all.into_iter().filter(|(_, selected)| *selected).map(|(j, _)| j));
    }
    errors.extend(ledger_room(ws, &jobs));
    if jobs.is_empty() && errors.is_empty() {
        errors.push(PlanError::NothingToBuild);
    }
    if errors.is_empty() { Ok(jobs) } else { Err(errors) }
}

/// Whether the ledger can record what the jobs are newly assigned: within its entries, each
/// number within range. Checked when planning, so `check` and the web page say it as `build` does.
fn ledger_room(ws: &Workspace, jobs: &[Job]) -> Vec<PlanError> {
    let ledger = &ws.ledger;
    let place = || ledger.place.clone().unwrap_or_else(|| Place::File(ws.root.join(Ledger::FILE)));
    let new: Vec<&DocNo> = jobs.iter().filter_map(|j| j.assigned.as_ref().map(|(_, no)| no)).collect();
    let mut errors = Vec::new();
    if ledger.numbers.len() + new.len() > Ledger::MAX_ENTRIES {
        errors.push(PlanError::LedgerFull { place: place(), has: ledger.numbers.len(), adding: new.len() });
    }
    if let Some(no) = new.iter().find(|no| no.number > DocNo::MAX_NUMBER || no.number == 0) {
        // Named at the ledger line holding the series' highest number, the one to look at.
        let highest = ledger.numbers.iter().filter(|(_, n)| n.code == no.code && n.year == no.year).max_by_key(|(_, n)| n.number);
        let at = highest.map_or_else(place, |(key, _)| ledger.place_of(key));
        errors.push(PlanError::NumbersExhausted { place: at, series: format!("{}〔{}〕", no.code, no.year) });
    }
    errors
}

/// Whether the selection chose a document: by its unit's name (--unit) and type (--type), both
/// of which must agree, and for 责任书 by its tier.
struct Chooser<'a> {
    ws: &'a Workspace,
    sel: &'a Selection,
    /// The selection's kinds, found in the workspace's table.
    types: Vec<KindId>,
}

impl<'a> Chooser<'a> {
    /// The selection's kinds are found by name; one the workspace lacks is `plan`'s error.
    fn new(ws: &'a Workspace, sel: &'a Selection) -> Chooser<'a> {
        let types = sel.types.iter().filter_map(|name| ws.settings.unit_kinds.find(name)).collect();
        Chooser { ws, sel, types }
    }

    fn unit(&self, name: &str) -> bool {
        let type_of = || self.ws.units.iter().find(|u| u.name == name).map(|u| u.kind);
        (self.sel.units.is_empty() || self.sel.units.iter().any(|u| u == name))
            && (self.sel.types.is_empty() || type_of().is_some_and(|t| self.types.contains(&t)))
    }

    fn tier(&self, tier: Tier) -> bool {
        self.sel.tiers.is_empty() || self.sel.tiers.contains(&tier)
    }

    /// A 班子成员 of the committee: chosen by name; he or she has no unit type.
    fn member(&self, name: &str) -> bool {
        self.tier(Tier::Members) && self.sel.types.is_empty() && (self.sel.units.is_empty() || self.sel.units.iter().any(|u| u == name))
    }

    /// A deputy: with the unit (its name, its type), or by his or her own name.
    fn deputy(&self, unit: &Unit, name: &str) -> bool {
        let by_name = self.sel.units.iter().any(|u| u == name) && (self.sel.types.is_empty() || self.types.contains(&unit.kind));
        self.tier(Tier::Deputies) && (self.unit(&unit.name) || by_name)
    }
}

/// Every job of one kind in roster order, each with whether the selection chose it.
fn kind_jobs<'a>(ws: &'a Workspace, kind: Kind, chosen: &Chooser, jobs: &mut Vec<(Job<'a>, bool)>) {
    match kind {
        Kind::ResponsibilityLetter => letter_jobs(ws, chosen, jobs),
        Kind::TaskNotice => {
            let Some(notice) = &ws.notice else { return };
            let recipients: Vec<(&Unit, Vec<&Task>)> = ws
                .units
                .iter()
                .map(|unit| (unit, notice.tasks.iter().filter(|t| t.scope.covers(unit)).collect::<Vec<_>>()))
                .filter(|(_, tasks)| !tasks.is_empty())
                .collect();
            let units: Vec<&Unit> = recipients.iter().map(|(u, _)| *u).collect();
            for ((unit, tasks), (key, no, fresh)) in recipients.iter().zip(notice_numbers(ws, &units)) {
                let view = View::Notice(Box::new(notice::view(ws, notice, unit, tasks, &no)));
                let mut j = job(Form::Notice, &unit.name, view);
                j.assigned = fresh.then(|| (key, no.clone()));
                j.doc_no = Some(no);
                jobs.push((j, chosen.unit(&unit.name)));
            }
        }
        Kind::AnnualReport => {
            for r in &ws.reports {
                let mut j = job(Form::Statement, &r.unit, View::Statement(Box::new(annual::report_view(ws, r))));
                j.file_stem = format!("{}-{}-述责述廉表", r.unit, r.name);
                jobs.push((j, chosen.unit(&r.unit)));
            }
            if let Some(scheme) = &ws.scheme {
                let all = assessments(ws);
                for a in &all {
                    let view = View::Assessment(Box::new(annual::assessment_view(ws, scheme, a, all.len())));
                    let mut j = job(Form::Assessment, &a.unit, view);
                    j.file_stem = format!("{}-考核评分表", a.unit);
                    jobs.push((j, chosen.unit(&a.unit)));
                }
            }
        }
        Kind::AccountabilityDecision => {
            let numbers = assign_numbers(ws);
            for (case, (no, fresh)) in ws.cases.iter().zip(numbers) {
                let selected = chosen.unit(case.subject.name()) || chosen.unit(case.subject.unit().as_str());
                let mut j = job(Form::Decision, case.subject.name(), View::Decision(Box::new(decision::view(ws, case, &no))));
                j.assigned = fresh.then(|| (case.id.clone(), no.clone()));
                j.doc_no = Some(no);
                jobs.push((j, selected));
            }
        }
    }
}

/// The 责任书 in the order they are signed and printed: the committee with each 班子成员, with
/// each unit, then each unit's head with its deputies — the tiers the workspace makes.
fn letter_jobs<'a>(ws: &'a Workspace, chosen: &Chooser, jobs: &mut Vec<(Job<'a>, bool)>) {
    let tiers = &ws.settings.letter.tiers;
    if tiers.contains(&Tier::Members) {
        for m in ws.committee() {
            let name = m.person.name.clone();
            let mut j = job(Form::PersonalLetter, &name, View::PersonalLetter(Box::new(letter::member_view(ws, &m))));
            j.file_stem = format!("{}-{name}", Tier::Members.name());
            jobs.push((j, chosen.member(&name)));
        }
    }
    // A unit signs the tiers the workspace makes and its kind signs.
    if tiers.contains(&Tier::Units) {
        for unit in ws.units.iter().filter(|u| ws.kind_of(u).signs(Tier::Units)) {
            let selected = chosen.tier(Tier::Units) && chosen.unit(&unit.name);
            jobs.push((job(Form::Letter, &unit.name, View::Letter(letter::UnitLetter::new(ws, unit))), selected));
        }
    }
    if tiers.contains(&Tier::Deputies) {
        for unit in ws.units.iter().filter(|u| ws.kind_of(u).signs(Tier::Deputies)) {
            for deputy in &unit.members {
                let mut j = job(Form::PersonalLetter, &unit.name, View::PersonalLetter(Box::new(letter::deputy_view(ws, unit, deputy))));
                j.file_stem = format!("{}-{}", unit.name, deputy.name);
                jobs.push((j, chosen.deputy(unit, &deputy.name)));
            }
        }
    }
}

fn job<'a>(form: Form, recipient: &str, view: View<'a>) -> Job<'a> {
    Job { form, seq: 0, of: 0, recipient: recipient.to_string(), file_stem: recipient.to_string(), view, doc_no: None, assigned: None }
}
