//! The build as a library call, the one both doors (`cli`, `serve`) use — the shape of zola's
//! `Site`: open (load data and templates) → plan → produce (render, markup, rules, layout, in
//! parallel, into staging) → record new 文号 → bundle → commit. The doors only gather the
//! request and show the outcome.

pub mod bundle;
mod produce;
mod record;
mod request;
mod verify;
mod word;

pub use bundle::{Sweep, zip_files};
pub use produce::pdf_skips_word;
pub use request::{Door, Offer, Planned, Request, check_workspace, offer, what_to_add};
pub use verify::Checked;
pub use word::{WordOffer, WordRun, chosen, folder_of, word_offer};

use crate::diag::{Place, Problem, Problems};
use crate::layout::{self, Layout, Meta};
use crate::load::LoadOptions;
use crate::markup::{self, Document};
use crate::model::{DocNo, Kind, Workspace};
use crate::plan::{self, Job, PlanError, Selection};
use crate::render::Templates;
use crate::rules;
use crate::stop::Stop;
use crate::write::{self, ManifestRow};
use indicatif::ProgressBar;
use std::path::{Path, PathBuf};

/// What a run may do to the workspace itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `check`, `--dry-run`, `serve`: the workspace is only read; no 文号 can be handed out.
    ReadOnly,
    /// A real `build`: the workspace is locked for the whole run, so two runs never hand out the
    /// same 文号, and new numbers are recorded in the ledger.
    Numbering,
}

/// A workspace loaded, its templates compiled and its style built: ready to produce documents.
pub struct Site {
    pub workspace: Workspace,
    pub templates: Templates,
    pub layout: Layout,
    /// Held until the site is dropped; `None` for a read-only site or a workspace that cannot
    /// hold a lock file (such a run may not assign numbers).
    lock: Option<std::fs::File>,
}

/// How a run writes its documents.
pub struct Output<'a> {
    /// One print file per kind instead of a file per document.
    pub merge: bool,
    /// Also `OUT/文书.zip` of every file of the run.
    pub zip: bool,
    /// The PDF writer, to draw each document's PDF beside it (`--pdf`).
    pub pdf: Option<&'a crate::pdf::PdfWriter>,
    /// Overwrite files that exist in OUT.
    pub force: bool,
    pub progress: &'a ProgressBar,
    /// Checked between documents and between stages: a run nobody waits for any more (the web
    /// request timed out, its client went away) ends at once, leaving OUT as it was.
    pub stop: &'a Stop,
    /// Which of the previous run's files this run answers for.
    pub sweep: Sweep,
}

/// What a run wrote.
#[derive(Debug)]
pub struct Built {
    /// One row per document (the manifest's rows).
    pub rows: Vec<ManifestRow>,
    /// Every file the run put into OUT, relative to it.
    pub files: Vec<PathBuf>,
    /// Pages of all the PDFs, when they were made and could be counted.
    pub pdf_pages: Option<u32>,
    /// 文号 handed out by this run, recorded in the ledger.
    pub assigned: Vec<(String, DocNo)>,
    /// What the switch-over did besides writing: files of the last run replaced or removed, the
    /// user's files kept (named).
    pub notes: Vec<String>,
}

/// Why a run stopped.
#[derive(Debug)]
pub enum BuildError {
    /// Problems in the input, every one listed; OUT is as it was.
    Input(Problems),
    /// The request itself cannot be carried out (OUT is a file…).
    Usage(Problem),
}

impl From<Problems> for BuildError {
    fn from(p: Problems) -> BuildError {
        BuildError::Input(p)
    }
}

impl Site {
    /// Loads data and templates; every problem of both comes back together. `None` when the
    /// data could not be loaded; a template with a problem leaves the rest usable (for `check`).
    /// The hints about 责任书 come with the plan (`Request::plan`), only when it makes them.
    pub fn open(root: &Path, options: &LoadOptions, access: Access) -> (Option<Site>, Problems) {
        // Taken before the ledger is read: numbers planned from it stay free until recorded.
        let lock = match access {
            Access::Numbering => write::lock_workspace(root),
            Access::ReadOnly => None,
        };
        let (templates, mut problems) = Templates::load(Some(root));
        match crate::load::load_with_options(root, options) {
            Ok((workspace, warnings)) => {
                problems.0.splice(0..0, warnings.0);
                let style = layout::style::with_choice(layout::Style::gbt9704(), &workspace.settings.style);
                (Some(Site { workspace, templates, layout: Layout::new(style), lock }), problems)
            }
            Err(data) => {
                problems.0.splice(0..0, data.0);
                problems.extend(verify::templates_on_samples(&templates));
                (None, problems)
            }
        }
    }

    /// A read-only site from parts already loaded (a workspace not on disk, as in tests).
    pub fn new(workspace: Workspace, templates: Templates, layout: Layout) -> Site {
        Site { workspace, templates, layout, lock: None }
    }

    /// The documents of a selection, or why it gives none.
    pub fn plan(&self, selection: &Selection) -> Result<Vec<Job<'_>>, Problems> {
        plan::plan(&self.workspace, selection)
            .map_err(|errors| Problems(errors.iter().map(|e| plan_problem(e, selection, Door::Build)).collect()))
    }

    /// This run's documents dated for another year (the web form's 年度): the same rule as
    /// zeren.yaml's year and date.
    pub fn set_year(&mut self, year: i32) -> Result<(), Problem> {
        let settings = &mut self.workspace.settings;
        if let Some(p) = settings.date.year_mismatch(year, Place::File(crate::load::SETTINGS_FILE.into())).filter(Problem::is_error) {
            return Err(p);
        }
        settings.year = year;
        Ok(())
    }

    /// Renders and parses one job's markup, then checks the document-level rules.
    pub fn document(&self, job: &Job) -> Result<Document, Vec<Problem>> {
        self.document_with(&self.templates, job)
    }

    /// `document`, with another template set.
    fn document_with(&self, templates: &Templates, job: &Job) -> Result<Document, Vec<Problem>> {
        let template = job.form.template();
        let text = templates.render(template, &job.view).map_err(|p| vec![p])?;
        if templates.has_bad_tags(template) {
            return Err(Vec::new()); // its unknown tags were reported with the template's own line
        }
        let doc = markup::parse(&text).map_err(|e| {
            if let markup::MarkupErrorKind::TooLarge(_) = e.kind {
                // Too much for one document: the data's place is unknown here, so name whose
                // document it is and the template that made it.
                let message = format!("为“{}”生成的{}：{}", job.recipient, job.form, e.message);
                return vec![Problem::error(templates.place(template), "markup.too-large", message)];
            }
            vec![markup_problem(templates, template, &text, &e)]
        })?;
        let broken: Vec<Problem> = rules::check(job.kind(), &doc)
            .into_iter()
            .map(|v| Problem::error(templates.place(template), v.code, format!("为“{}”生成的{}：{}", job.recipient, job.form, v.message)))
            .collect();
        if broken.is_empty() { Ok(doc) } else { Err(broken) }
    }

    /// Lays out documents as one DOCX (one section each).
    pub fn docx(&self, docs: &[Document]) -> Result<Vec<u8>, Problem> {
        let meta = self.meta(docs.first().map(Document::title).unwrap_or_default());
        self.layout.docx(docs, &meta).map_err(|e| Problem::error(Place::Nowhere, "layout.internal", e.0))
    }

    fn meta(&self, title: String) -> Meta {
        let s = &self.workspace.settings;
        Meta { title, creator: s.organ.clone(), date: s.date.iso() }
    }

    /// Everything a build does but the writing: each document rendered, checked and laid out in
    /// memory; every problem, and per document the problems it had.
    pub fn check(&self, jobs: &[Job]) -> Checked {
        verify::check(self, jobs)
    }

    /// The files a run of `jobs` and the user's own Word templates `word` writes, relative to OUT.
    pub fn targets(&self, jobs: &[Job], word: &[WordRun], output: &Output) -> Vec<PathBuf> {
        let mut targets = bundle::targets(self, jobs, output);
        let docs = word::targets(word);
        // No PDF of a user's Word template: Word lays it out, not zeren's page model.
        targets.splice(0..0, docs);
        targets
    }

    /// What a run of `jobs` and `word` into `out` would do to it — written, replaced, removed,
    /// kept, in the way — without writing anything (`--dry-run`).
    pub fn preview(&self, jobs: &[Job], word: &[WordRun], out: &Path, output: &Output) -> Result<write::Preflight, BuildError> {
        write::preflight(out, &self.targets(jobs, word, output), output.sweep.reach(), output.force).map_err(write_failure)
    }

    /// Writes `jobs` into `out`, all or nothing: checked before anything is rendered (a file the
    /// user changed is never overwritten without `force`), staged as they are done, new 文号
    /// recorded in the ledger before the documents land, then switched in with the manifest by
    /// a journaled move a killed run's successor completes or undoes. Any problem and OUT is
    /// left as it was. The documents of the user's own Word templates `word` go beside the
    /// kinds', in the same staging, manifest and switch-over.
    pub fn build(&self, jobs: &[Job], word: &[WordRun], out: &Path, output: &Output) -> Result<Built, BuildError> {
        let targets = self.targets(jobs, word, output);
        let checked = write::preflight(out, &targets, output.sweep.reach(), output.force).map_err(write_failure)?;
        let staging = checked.begin().map_err(write_failure)?;
        let produced = produce::produce(self, jobs, word, &staging, output)?;
        output.stop.check()?;
        let assigned = record::record_numbers(self, &word::numbered(jobs, word))?;
        if output.zip {
            bundle::bundle(&staging, &targets).map_err(write_failure)?;
        }
        let committed = staging.commit().map_err(write_failure)?;
        let notes = committed.notes();
        Ok(Built { rows: produced.rows, files: committed.written, pdf_pages: produced.pdf_pages, assigned, notes })
    }
}

/// A write error as the run's outcome: OUT not a folder is a usage error, the rest input
/// problems (a file in the way, no room…).
fn write_failure(e: write::WriteError) -> BuildError {
    let problem = write_problem(&e);
    if e.exit_code() == 2 { BuildError::Usage(problem) } else { BuildError::Input(problem.into()) }
}

/// Data is escaped, so a markup fault is the template's own. Where its literal tags do not
/// balance, that place is the cause; otherwise we can name only the rendered line.
fn markup_problem(templates: &Templates, template: &str, text: &str, e: &markup::MarkupError) -> Problem {
    let line = text.lines().nth(e.line.saturating_sub(1) as usize).unwrap_or("").trim();
    let detail = format!("渲染结果第 {} 行：{line}", e.line);
    match templates.unbalanced_tag(template) {
        Some((place, message)) => Problem::error(place, "markup.structure", format!("模板的标记不成对：{message}")),
        None => Problem::error(
            templates.place(template),
            "markup.structure",
            format!("模板生成的标记有误（渲染结果第 {} 行第 {} 列）：{}", e.line, e.column, e.message),
        ),
    }
    .with_detail(detail)
}

pub(crate) fn write_problem(e: &write::WriteError) -> Problem {
    Problem::error(Place::Nowhere, "write.io", e.to_string())
}

/// New 文号 must be recorded in the ledger before they are printed; a read-only door (the web
/// service) cannot record them, so such cases are refused, naming the number they would get.
pub fn require_numbered(jobs: &[Job]) -> Result<(), Problems> {
    let unnumbered: Vec<Problem> = jobs
        .iter()
        .filter_map(|j| j.assigned.as_ref().map(|(id, no)| (j, id, no)))
        .map(|(job, id, no)| {
            let what = match job.form {
                crate::model::Form::Notice => format!("发给“{}”的函告书还没有文号", job.recipient),
                _ => format!("案件 {id} 还没有文号"),
            };
            Problem::error(
                Place::Nowhere,
                "serve.doc-no",
                format!(
                    "{}：{what}（下一个可用文号是 {no}）。网页服务不修改工作区，不能登记新文号；请在终端运行 zeren build 分配并登记文号后，再在网页上生成{}，或本次不选{}",
                    job.kind(),
                    job.kind(),
                    job.kind()
                ),
            )
        })
        .collect();
    if unnumbered.is_empty() { Ok(()) } else { Err(Problems(unnumbered)) }
}

/// The kinds of `jobs`, in the order the run makes them.
pub fn kinds_of(jobs: &[Job]) -> Vec<(Kind, usize)> {
    let mut kinds: Vec<(Kind, usize)> = Vec::new();
    for job in jobs {
        match kinds.iter_mut().find(|(k, _)| *k == job.kind()) {
            Some((_, n)) => *n += 1,
            None => kinds.push((job.kind(), 1)),
        }
    }
    kinds
}

fn plan_problem(e: &PlanError, selection: &Selection, door: Door) -> Problem {
    match e {
        PlanError::UnknownUnit(name) => Problem::error(
            Place::Nowhere,
            "select.unknown-unit",
            format!("名单中没有单位“{name}”（--unit 须与单位名称或班子成员姓名完全一致）"),
        ),
        // On the web the uploader cannot add files to the server's workspace: say who can.
        PlanError::NoData(kind) if door == Door::Web => Problem::error(
            Place::Nowhere,
            "select.no-data",
            format!("本工作区还没有{kind}的数据，网页上暂时不能生成{kind}；请联系管理员在工作区加入{}", request::what_to_add(*kind)),
        ),
        PlanError::NoData(kind) => Problem::error(
            Place::Nowhere,
            "select.no-data",
            format!(
                "工作区没有{kind}的数据：{}",
                match kind {
                    Kind::ResponsibilityLetter => "需要单位名单（data/units.yaml 或 Excel 名单）和责任清单 data/duties.yaml",
                    Kind::TaskNotice => "需要工作任务 data/tasks.yaml，且至少一项任务适用于名单中的单位",
                    Kind::AccountabilityDecision => "需要问责案件 data/cases.yaml，或 Excel 名单中的“问责案件”表",
                    Kind::AnnualReport => "需要 data/reports.yaml，或考核方案 data/scheme.yaml 与考核结果 data/results.yaml",
                }
            ),
        ),
        PlanError::UnknownUnitKind { name, known } => Problem::error(
            Place::Nowhere,
            "select.unknown-type",
            format!("本工作区没有单位类别“{name}”（--type 须是 zeren.yaml 的 kinds 中的名称）；单位类别有：{known}"),
        ),
        PlanError::NothingToBuild => Problem::error(Place::Nowhere, "select.nothing", nothing_selected(selection)),
        PlanError::LedgerFull { place, has, adding } => Problem::error(
            place.clone(),
            "ledger.full",
            format!(
                "文号台账已有 {has} 条，本次还要登记 {adding} 个新文号，将超过上限 {} 条；请把往年的条目移到另一个文件存档（台账只需保留本年度用到的文号）",
                crate::model::Ledger::MAX_ENTRIES
            ),
        ),
        PlanError::NumbersExhausted { place, series } => Problem::error(
            place.clone(),
            "ledger.number-range",
            format!("{series}的序号已用到上限 {}，不能再分配新文号；请核对文号台账中过大的序号", crate::model::DocNo::MAX_NUMBER),
        ),
    }
}

/// Why a selection gave no document, in the terms the user chose it by.
fn nothing_selected(sel: &Selection) -> String {
    let kinds = if sel.kinds.is_empty() {
        "任何文书".to_string()
    } else {
        sel.kinds.iter().map(|k| k.to_string()).collect::<Vec<_>>().join("、")
    };
    let mut who = Vec::new();
    if !sel.units.is_empty() {
        who.push(format!("单位{}", sel.units.iter().map(|u| format!("“{u}”")).collect::<Vec<_>>().join("、")));
    }
    if !sel.types.is_empty() {
        who.push(format!("类别“{}”", sel.types.join("、")));
    }
    if who.is_empty() {
        format!("没有可生成的文书：工作区的数据生成不了{kinds}")
    } else {
        format!("没有可生成的文书：所选{}没有{kinds}（检查 --unit、--type 与 --kind 的组合）", who.join("中的"))
    }
}
