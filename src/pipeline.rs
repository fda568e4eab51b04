//! The stages put together: load → plan → render → markup → layout. `build` adds write;
//! `check` stops before it. Each stage's errors come back as located problems.

use crate::diag::{Place, Problem, Problems};
use crate::layout::{self, Layout, Meta};
use crate::markup::{self, Document};
use crate::model::Workspace;
use crate::plan::{self, Job, PlanError, Selection};
use crate::render::Templates;
use std::path::Path;

/// A workspace loaded, its templates compiled and its style built: ready to produce documents.
pub struct Prepared {
    pub workspace: Workspace,
    pub templates: Templates,
    pub layout: Layout,
    /// Warnings found while loading (errors stop before this exists).
    pub warnings: Problems,
}

/// Loads data and templates; every problem of both is reported together.
pub fn prepare(root: &Path) -> Result<Prepared, Problems> {
    let loaded = crate::load::load(root);
    let templates = Templates::load(Some(root));
    match (loaded, templates) {
        (Ok((workspace, warnings)), Ok(templates)) => {
            let style = layout::style::with_choice(layout::Style::gbt9704(), &workspace.settings.style);
            Ok(Prepared { workspace, templates, layout: Layout::new(style), warnings })
        }
        (loaded, templates) => {
            let mut all = Problems::new();
            if let Err(p) = loaded {
                all.extend(p);
            }
            if let Err(p) = templates {
                all.extend(p);
            }
            Err(all)
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
                        PlanError::NothingToBuild => Problem::error(
                            Place::Nowhere,
                            "select.nothing",
                            "没有可生成的文书：所选种类在工作区中没有数据".to_string(),
                        ),
                    })
                    .collect(),
            )
        })
    }

    /// Renders and parses one job's markup.
    pub fn document(&self, job: &Job) -> Result<Document, Problem> {
        let text = self.templates.render(job.template, &job.context)?;
        markup::parse(&text).map_err(|e| {
            // Data is escaped, so the fault is the template's; we can name only the rendered line.
            let line = text.lines().nth(e.line.saturating_sub(1) as usize).unwrap_or("").trim();
            Problem::error(
                Place::File(self.templates.shown(job.template)),
                "markup.structure",
                format!("模板生成的标记有误（渲染结果第 {} 行第 {} 列）：{}", e.line, e.column, e.message),
            )
            .with_detail(format!("{} | {}", e.line, line))
        })
    }

    /// Lays out one document as DOCX bytes.
    pub fn docx(&self, docs: &[Document]) -> Result<Vec<u8>, Problem> {
        let s = &self.workspace.settings;
        let meta = Meta { title: docs.first().map(Document::title).unwrap_or_default(), creator: s.organ.clone(), date: s.date.iso() };
        self.layout.docx(docs, &meta).map_err(|e| Problem::error(Place::Nowhere, "layout.internal", e.0))
    }
}
