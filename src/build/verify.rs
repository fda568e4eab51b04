//! `check`: every document rendered, checked and laid out in memory, nothing written.

use super::{Site, bundle};
use crate::diag::Problems;
use crate::diag::report::Case;
use crate::plan::Job;

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
