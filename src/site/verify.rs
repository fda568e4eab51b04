//! `check`: every document rendered, checked and laid out in memory, nothing written.

use super::{Site, bundle};
use crate::diag::Problems;
use crate::diag::report::Case;
use crate::layout::{Layout, Style};
use crate::model::Form;
use crate::plan::{self, Job, Selection};
use crate::render::{Source, Templates};

/// What a check found: every distinct problem, and per document the problems it had.
pub struct Checked {
    pub problems: Problems,
    /// One JUnit test case per template × document.
    pub cases: Vec<Case>,
    pub documents: usize,
}

pub(super) fn check(site: &Site, jobs: &[Job]) -> Checked {
    let mut problems = Problems::new();
    let mut cases = Vec::new();
    let mut documents = 0;
    for job in jobs.iter().filter(|j| site.templates.compiled(j.form.template())) {
        let found = match site.document(job) {
            Ok(doc) => site.docx(std::slice::from_ref(&doc)).err().into_iter().collect(),
            Err(found) => found,
        };
        documents += 1;
        problems.0.extend(found.iter().cloned());
        let name = bundle::target(job);
        let name = name.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        cases.push(Case { suite: job.form.template().to_string(), name: format!("{}/{name}", job.kind().chinese()), problems: found });
    }
    Checked { problems: problems.deduplicated(), cases, documents }
}

/// A workspace's own templates rendered with the built-in sample data, for when the workspace's
/// data does not load: render-time faults (a misspelt variable, a tag that does not close) are
/// then listed with the data's problems in one run, not only after the data is mended. The
/// views are typed, so the sample's have every variable the workspace's would.
pub(super) fn templates_on_samples(templates: &Templates) -> Problems {
    let overridden: Vec<Form> = Form::ALL
        .into_iter()
        .filter(|f| matches!(templates.source(f.template()), Some(Source::File(_))) && templates.compiled(f.template()))
        .collect();
    if overridden.is_empty() {
        return Problems::new();
    }
    let Ok(samples) = crate::embedded::sample_workspace() else { return Problems::new() };
    let Ok(jobs) = plan::plan(&samples, &Selection::default()) else { return Problems::new() };
    let site = Site::new(samples.clone(), Templates::load(None).0, Layout::new(Style::gbt9704()));
    let mut problems = Problems::new();
    for form in overridden {
        if let Some(job) = jobs.iter().find(|j| j.form == form) {
            if let Err(found) = site.document_with(templates, job) {
                problems.0.extend(found);
            }
        }
    }
    problems.deduplicated()
}
