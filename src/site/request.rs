//! What a door asks of the library, as one value: the workspace, where its units come from, the
//! selection, the user's own Word templates and how the files are written. From it the library
//! derives what the run does — which kinds' data are checked, which kinds are made when none is
//! named, what may be done to the workspace, which of the last run's files are replaced — so
//! that `zeren build`, `zeren check` and the web page mean the same thing by the same request.

use super::{Access, Output, Site, Sweep, WordRun, plan_problem};
use crate::diag::{Place, Problem, Problems};
use crate::load::{LoadOptions, Scope, UnitsFrom};
use crate::model::{Kind, Workspace};
use crate::plan::{self, Job, Selection};
use crate::stop::Stop;
use crate::wordtpl::WordTemplate;
use indicatif::ProgressBar;
use std::path::{Path, PathBuf};

/// Which door the request came through, and so what the run may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// `zeren build`: writes OUT, hands out and records new 文号.
    Build,
    /// `zeren build --dry-run`: says what a build would do, writes nothing.
    DryRun,
    /// `zeren check`: everything but the writing; without `--kind`, every kind's data.
    Check,
    /// The web page: read-only; nothing ticked means 责任书.
    Web,
}

/// One run, as the user asked for it.
pub struct Request {
    /// The workspace folder (zeren.yaml, templates, data).
    pub root: PathBuf,
    pub door: Door,
    /// The workspace's unit list, an Excel roster (`--roster`, the upload) or none yet.
    pub units: UnitsFrom,
    /// `--sheet`: the roster's sheet.
    pub sheet: Option<String>,
    /// Kinds, units, types, tiers as given (empty = the door's default).
    pub selection: Selection,
    /// The user's own Word templates (`--template`), already opened and checked.
    pub templates: Vec<WordTemplate>,
    /// One print file per kind besides the per-unit files.
    pub merge: bool,
    /// Also `OUT/文书.zip`.
    pub zip: bool,
    /// Overwrite files in OUT the user changed.
    pub force: bool,
}

/// What a run makes: the kinds' documents, the Word templates' documents, and the hints that
/// apply to them (said once, only where the run makes what they are about).
pub struct Planned<'a> {
    pub jobs: Vec<Job<'a>>,
    pub word: Vec<WordRun<'a>>,
    pub hints: Problems,
}

impl Planned<'_> {
    /// Documents in all.
    pub fn count(&self) -> usize {
        self.jobs.len() + self.word.iter().map(|w| w.jobs.len()).sum::<usize>()
    }
}

impl Request {
    /// A request for everything the workspace makes, through `door`.
    pub fn new(root: &Path, door: Door) -> Request {
        Request {
            root: root.to_path_buf(),
            door,
            units: UnitsFrom::Workspace,
            sheet: None,
            selection: Selection::default(),
            templates: Vec::new(),
            merge: false,
            zip: false,
            force: false,
        }
    }

    /// `--template` alone makes only the templates.
    pub fn only_templates(&self) -> bool {
        !self.templates.is_empty() && self.selection.kinds.is_empty() && self.selection.tiers.is_empty()
    }

    /// The kinds asked for, each once: `--tier` alone, or the web form with nothing ticked, means
    /// 责任书; empty means the workspace's own (zeren.yaml's `kinds`, else every kind it has data
    /// for).
    pub fn kinds(&self) -> Vec<Kind> {
        let mut kinds: Vec<Kind> = Vec::new();
        for k in &self.selection.kinds {
            if !kinds.contains(k) {
                kinds.push(*k);
            }
        }
        if kinds.is_empty() && !self.only_templates() && (!self.selection.tiers.is_empty() || self.door == Door::Web) {
            kinds.push(Kind::ResponsibilityLetter);
        }
        kinds
    }

    /// The selection the plan is made from: the request's, with its kinds resolved.
    pub fn selection(&self) -> Selection {
        Selection { kinds: self.kinds(), ..self.selection.clone() }
    }

    /// Whose data the load reads and checks: a run checks the data of what it makes, and only
    /// that; `check` without `--kind` checks every kind's.
    pub fn scope(&self) -> Scope {
        if self.only_templates() {
            let mut kinds: Vec<Kind> = Vec::new();
            for k in self.templates.iter().map(|t| t.per.form().kind()) {
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
            return Scope::Kinds(kinds);
        }
        match (self.kinds(), self.door) {
            (kinds, _) if !kinds.is_empty() => Scope::Kinds(kinds),
            (_, Door::Check) => Scope::Everything,
            _ => Scope::Default,
        }
    }

    /// Only a real build may touch the workspace (its lock, its 文号台账).
    pub fn access(&self) -> Access {
        if self.door == Door::Build { Access::Numbering } else { Access::ReadOnly }
    }

    pub fn load_options(&self) -> LoadOptions {
        LoadOptions { units: self.units.clone(), sheet: self.sheet.clone(), scope: self.scope() }
    }

    /// The workspace loaded and its templates compiled, with every problem of both.
    pub fn open(&self) -> (Option<Site>, Problems) {
        Site::open(&self.root, &self.load_options(), self.access())
    }

    /// A full run (no `--kind`, `--tier` or `--template`) also makes the Word templates zeren.yaml
    /// lists, and `check` checks them: those templates, and their problems. The web page makes
    /// those the user ticked (`templates`, from `site::chosen`), not all of them.
    pub fn listed(&self, site: &Site) -> (Vec<WordTemplate>, Problems) {
        let full = self.templates.is_empty() && self.selection.kinds.is_empty() && self.selection.tiers.is_empty();
        if !full || self.door == Door::Web || site.workspace.settings.word_templates.is_empty() {
            return (Vec::new(), Problems::new());
        }
        crate::wordtpl::listed(&site.workspace)
    }

    /// The documents of the run: the kinds', then each Word template's (`listed` from
    /// `Request::listed`); a template the user named that nobody in the selection fills is an
    /// error, a listed one simply makes nothing.
    pub fn plan<'a>(&'a self, site: &'a Site, listed: &'a [WordTemplate]) -> Result<Planned<'a>, Problems> {
        let selection = self.selection();
        let jobs = if self.only_templates() {
            Vec::new()
        } else {
            match plan::plan(&site.workspace, &selection) {
                Ok(jobs) => jobs,
                Err(errors) => {
                    let problems = Problems(errors.iter().map(|e| plan_problem(e, &selection, self.door)).collect());
                    // A workspace of a roster and its own Word templates has no kind to make.
                    if listed.is_empty() || !problems.0.iter().all(|p| p.code == "select.nothing") {
                        return Err(problems);
                    }
                    Vec::new()
                }
            }
        };
        let mut word: Vec<WordRun> = self.templates.iter().map(|t| WordRun::plan(site, t, &selection)).collect();
        let empty: Vec<Problem> = word
            .iter()
            .filter(|w| w.jobs.is_empty())
            .map(|w| {
                let per = w.template.per;
                let check = if self.door == Door::Web { "请检查上传的名单" } else { "请检查名单、--unit、--type 与 --per" };
                Problem::error(
                    Place::File(w.template.path.clone()),
                    "word.nobody",
                    format!("这个 Word 模板按{per}逐份填写，但所选范围内没有{per}（{check}）"),
                )
            })
            .collect();
        if !empty.is_empty() {
            return Err(Problems(empty));
        }
        word.extend(listed.iter().map(|t| WordRun::plan(site, t, &selection)).filter(|w| !w.jobs.is_empty()));
        let hints = hints(&site.workspace, &jobs);
        Ok(Planned { jobs, word, hints })
    }

    /// Which of the last run's files in OUT this run answers for: by the selection, and with
    /// Word templates, their folders and the kinds made with them. The web's OUT is new each time.
    pub fn sweep(&self, word: &[WordRun]) -> Sweep {
        if self.door == Door::Web {
            return Sweep::Everything;
        }
        let by_kind = Sweep::of(&self.selection());
        if word.is_empty() || by_kind == Sweep::Written {
            return by_kind;
        }
        Sweep::Named(self.kinds(), word.iter().map(WordRun::folder).collect())
    }

    /// How this run writes: the request's options, with the door's PDF writer, progress and stop.
    pub fn output<'a>(
        &self,
        word: &[WordRun],
        pdf: Option<&'a crate::pdf::PdfWriter>,
        progress: &'a ProgressBar,
        stop: &'a Stop,
    ) -> Output<'a> {
        Output { merge: self.merge, zip: self.zip, pdf, force: self.force, progress, stop, sweep: self.sweep(word) }
    }
}

/// The hints about what the 责任书 will say (`plan::letter_warnings`), when the run makes 责任书:
/// a run of 函告书 alone, or of Word templates alone, says nothing of letters it does not make.
fn hints(ws: &Workspace, jobs: &[Job]) -> Problems {
    if jobs.iter().any(|j| j.kind() == Kind::ResponsibilityLetter) { plan::letter_warnings(ws) } else { Problems::new() }
}

/// Kinds the web page offers, and for the others what the administrator must add.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offer {
    /// Kinds the workspace has the data for (units to come with the upload), in the usual order.
    pub ready: Vec<Kind>,
    /// The others, each with what to add to the workspace, in plain words.
    pub missing: Vec<(Kind, &'static str)>,
}

/// Which kinds the workspace at `root` has the data for, its units to come from an upload (the
/// web page's choices). A kind whose data cannot be read is offered: its fault is the
/// administrator's, and a request for it says so as the server's (500), not as missing data.
pub fn offer(root: &Path) -> Offer {
    let mut offer = Offer::default();
    for kind in Kind::ALL {
        let options = LoadOptions { units: UnitsFrom::Deferred, sheet: None, scope: Scope::Kinds(vec![kind]) };
        let ready = match crate::load::load_with_options(root, &options) {
            Ok((ws, _)) => has_data(&ws, kind),
            Err(_) => true,
        };
        if ready {
            offer.ready.push(kind);
        } else {
            offer.missing.push((kind, what_to_add(kind)));
        }
    }
    offer
}

/// Whether a workspace whose units are still to come holds the data of `kind`.
fn has_data(ws: &Workspace, kind: Kind) -> bool {
    match kind {
        // The units come with the upload; the catalogue is the workspace's.
        Kind::ResponsibilityLetter => !ws.duty_groups.is_empty(),
        _ => ws.available_kinds().contains(&kind),
    }
}

/// What the administrator must add to the workspace before the web can make `kind`, as the page
/// and the web's messages say it ("需要在工作区加入…").
pub fn what_to_add(kind: Kind) -> &'static str {
    match kind {
        Kind::ResponsibilityLetter => "责任清单 data/duties.yaml",
        Kind::TaskNotice => "工作任务 data/tasks.yaml",
        Kind::AccountabilityDecision => "问责案件 data/cases.yaml",
        Kind::AnnualReport => "述责述廉 data/reports.yaml，或考核方案 data/scheme.yaml 与考核结果 data/results.yaml",
    }
}

/// The server's own workspace as a web run of `scope` needs it, before any upload: what fails
/// here is the administrator's, never the uploader's. Also what `zeren serve` checks on start.
pub fn check_workspace(root: &Path, scope: Scope) -> Problems {
    let options = LoadOptions { units: UnitsFrom::Deferred, sheet: None, scope };
    Site::open(root, &options, Access::ReadOnly).1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Tier;

    #[test]
    fn the_default_kind_and_the_tier_rule_are_the_requests() {
        let root = Path::new("ws");
        let mut build = Request::new(root, Door::Build);
        assert_eq!(build.kinds(), Vec::<Kind>::new(), "the workspace's own kinds");
        assert_eq!(build.scope(), Scope::Default);
        assert_eq!(build.access(), Access::Numbering);
        build.selection.tiers = vec![Tier::Units];
        assert_eq!(build.kinds(), [Kind::ResponsibilityLetter], "--tier alone means 责任书");
        assert_eq!(build.scope(), Scope::Kinds(vec![Kind::ResponsibilityLetter]));
        let web = Request::new(root, Door::Web);
        assert_eq!(web.kinds(), [Kind::ResponsibilityLetter], "nothing ticked means 责任书");
        assert_eq!(web.access(), Access::ReadOnly);
        let check = Request::new(root, Door::Check);
        assert_eq!(check.scope(), Scope::Everything);
        let mut twice = Request::new(root, Door::DryRun);
        twice.selection.kinds = vec![Kind::TaskNotice, Kind::TaskNotice];
        assert_eq!(twice.kinds(), [Kind::TaskNotice]);
        assert_eq!(twice.access(), Access::ReadOnly);
    }
}
