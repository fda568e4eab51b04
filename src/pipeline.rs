//! The stages put together: load → plan → render → markup → layout. `build` adds write;
//! `check` stops before it. Each stage's errors come back as located problems.

use crate::diag::{Place, Problem, Problems};
use crate::layout::{self, Layout, Meta};
use crate::markup::{self, Document};
use crate::model::Workspace;
use crate::plan::{self, Job, PlanError, Selection};
use crate::render::Templates;
use crate::rules;
use std::path::Path;

/// A workspace loaded, its templates compiled and its style built: ready to produce documents.
pub struct Prepared {
    pub workspace: Workspace,
    pub templates: Templates,
    pub layout: Layout,
}

/// Loads data and templates; every problem of both comes back together. `None` when the data
/// could not be loaded; a template with a problem leaves the rest usable (for `check`).
pub fn prepare(root: &Path, options: &crate::load::LoadOptions) -> (Option<Prepared>, Problems) {
    let (templates, mut problems) = Templates::load(Some(root));
    match crate::load::load_with_options(root, options) {
        Ok((workspace, warnings)) => {
            problems.0.splice(0..0, warnings.0);
            let style = layout::style::with_choice(layout::Style::gbt9704(), &workspace.settings.style);
            (Some(Prepared { workspace, templates, layout: Layout::new(style) }), problems)
        }
        Err(data) => {
            problems.0.splice(0..0, data.0);
            (None, problems)
        }
    }
}

impl Prepared {
    pub fn plan(&self, selection: &Selection) -> Result<Vec<Job>, Problems> {
        plan::plan(&self.workspace, selection).map_err(|errors| {
            Problems(
                errors
                    .into_iter()
                    .map(|e| match e {
                        PlanError::UnknownUnit(name) => Problem::error(
                            Place::Nowhere,
                            "select.unknown-unit",
                            format!("名单中没有单位“{name}”（--unit 须与单位名称完全一致）"),
                        ),
                        PlanError::NoData(kind) => Problem::error(
                            Place::Nowhere,
                            "select.no-data",
                            format!(
                                "工作区没有{kind}的数据（{}）",
                                match kind {
                                    crate::model::Kind::ResponsibilityLetter => "需要 data/units.yaml 和 data/duties.yaml",
                                    crate::model::Kind::TaskNotice => "需要 data/tasks.yaml，且至少一项任务适用于名单中的单位",
                                    crate::model::Kind::AccountabilityDecision => "需要 data/cases.yaml",
                                    crate::model::Kind::AnnualReport => "需要 data/reports.yaml，或 data/scheme.yaml 与 data/results.yaml",
                                }
                            ),
                        ),
                        PlanError::NothingToBuild => Problem::error(Place::Nowhere, "select.nothing", nothing_selected(selection)),
                    })
                    .collect(),
            )
        })
    }

    /// Renders and parses one job's markup, then checks the document-level rules.
    pub fn document(&self, job: &Job) -> Result<Document, Vec<Problem>> {
        let text = self.templates.render(job.template, &job.context(&self.workspace)).map_err(|p| vec![p])?;
        if self.templates.has_bad_tags(job.template) {
            return Err(Vec::new()); // its unknown tags were reported with the template's own line
        }
        let doc = markup::parse(&text).map_err(|e| {
            // Data is escaped, so the fault is the template's; we can name only the rendered line.
            // Data is escaped, so the fault is the template's own. Where its literal tags do not
            // balance, that place is the cause; otherwise we can name only the rendered line.
            let line = text.lines().nth(e.line.saturating_sub(1) as usize).unwrap_or("").trim();
            let detail = format!("渲染结果第 {} 行：{line}", e.line);
            match self.templates.unbalanced_tag(job.template) {
                Some((place, message)) => Problem::error(place, "markup.structure", format!("模板的标记不成对：{message}")),
                None => Problem::error(
                    Place::File(self.templates.shown(job.template)),
                    "markup.structure",
                    format!("模板生成的标记有误（渲染结果第 {} 行第 {} 列）：{}", e.line, e.column, e.message),
                ),
            }
            .with_detail(detail)
        });
        let doc = doc.map_err(|p| vec![p])?;
        let broken: Vec<Problem> = rules::check(job.kind, &doc)
            .into_iter()
            .map(|v| {
                Problem::error(
                    Place::File(self.templates.shown(job.template)),
                    v.code,
                    format!("为“{}”生成的{}：{}", job.recipient, job.kind, v.message),
                )
            })
            .collect();
        if broken.is_empty() { Ok(doc) } else { Err(broken) }
    }

    /// Lays out one document as DOCX bytes.
    pub fn docx(&self, docs: &[Document]) -> Result<Vec<u8>, Problem> {
        let s = &self.workspace.settings;
        let meta = Meta { title: docs.first().map(Document::title).unwrap_or_default(), creator: s.organ.clone(), date: s.date.iso() };
        self.layout.docx(docs, &meta).map_err(|e| Problem::error(Place::Nowhere, "layout.internal", e.0))
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
        who.push(format!("类别“{}”", sel.types.iter().map(|t| t.to_string()).collect::<Vec<_>>().join("、")));
    }
    if who.is_empty() {
        format!("没有可生成的文书：工作区的数据生成不了{kinds}")
    } else {
        format!("没有可生成的文书：所选{}没有{kinds}（检查 --unit、--type 与 --kind 的组合）", who.join("中的"))
    }
}
