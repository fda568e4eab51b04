//! Files built into the binary, so `zeren` works with nothing around it: the templates (which a
//! workspace may override) and the sample workspace that `zeren init` writes out.

/// Built-in templates, by the name a workspace override uses (`templates/NAME`).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("responsibility-letter.xml", include_str!("../templates/responsibility-letter.xml")),
    ("responsibility-letter-personal.xml", include_str!("../templates/responsibility-letter-personal.xml")),
    ("task-notice.xml", include_str!("../templates/task-notice.xml")),
    ("accountability-decision.xml", include_str!("../templates/accountability-decision.xml")),
    ("annual-report.xml", include_str!("../templates/annual-report.xml")),
    ("assessment.xml", include_str!("../templates/assessment.xml")),
];

/// The built-in vocabulary: words zeren puts in documents outside the templates
/// (`load::words`); a workspace's `templates/words.yaml` overrides the entries it lists.
pub const WORDS: &str = include_str!("../templates/words.yaml");

/// A new workspace for one's own organisation (`zeren init`): settings to fill in and the
/// standard duty catalogue. `{{YEAR}}` and `{{DATE}}` are filled in when written; the roster
/// workbook beside them is the blank template.
pub const STARTER: &[(&str, &str)] =
    &[("zeren.yaml", include_str!("../starter/zeren.yaml")), ("data/duties.yaml", include_str!("../starter/data/duties.yaml"))];

/// The roster workbook a new workspace names as its unit list.
pub const STARTER_ROSTER: &str = "名单.xlsx";

/// The sample workspace (`zeren init --example`), by path relative to its root.
pub const SAMPLES: &[(&str, &str)] = &[
    ("zeren.yaml", include_str!("../samples/zeren.yaml")),
    ("data/units.yaml", include_str!("../samples/data/units.yaml")),
    ("data/duties.yaml", include_str!("../samples/data/duties.yaml")),
    ("data/tasks.yaml", include_str!("../samples/data/tasks.yaml")),
    ("data/cases.yaml", include_str!("../samples/data/cases.yaml")),
    ("data/reports.yaml", include_str!("../samples/data/reports.yaml")),
    ("data/scheme.yaml", include_str!("../samples/data/scheme.yaml")),
    ("data/results.yaml", include_str!("../samples/data/results.yaml")),
    ("文号台账.yaml", include_str!("../samples/文号台账.yaml")),
];

/// The sample workspace, loaded straight from the binary (no files needed).
pub fn sample_workspace() -> Result<crate::model::Workspace, crate::diag::Problems> {
    crate::load::load_files(std::path::Path::new("samples"), SAMPLES).map(|(ws, _)| ws)
}
