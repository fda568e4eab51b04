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
/// standard duty catalogue of a 机关党委. `{{YEAR}}` and `{{DATE}}` are filled in when written;
/// the roster workbook beside them is the blank template.
pub const STARTER: &[(&str, &str)] =
    &[("zeren.yaml", include_str!("../starter/zeren.yaml")), ("data/duties.yaml", include_str!("../starter/data/duties.yaml"))];

/// The common shapes of an organisation that signs 责任书 (`zeren init --preset`): each has its
/// own unit kinds, wording and duty catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preset {
    /// A 机关党委 with its 处室, 党支部 and 直属单位 (the default starter).
    Organ,
    /// A 县委 with its 乡镇（街道）, 县直部门党组（党委） and 县委工作部门.
    County,
    /// A 国企党委 with its 职能部门 and 二级单位党组织.
    Enterprise,
    /// A 高校党委 with its 院系党委（党总支） and 职能部门.
    University,
}

impl Preset {
    pub const ALL: [Preset; 4] = [Preset::Organ, Preset::County, Preset::Enterprise, Preset::University];

    /// The name the user types (`--preset 县区`).
    pub fn name(self) -> &'static str {
        match self {
            Preset::Organ => "机关",
            Preset::County => "县区",
            Preset::Enterprise => "国企",
            Preset::University => "高校",
        }
    }

    pub fn parse(s: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.name() == s.trim())
    }

    /// 机关、县区、国企、高校.
    pub fn known_list() -> String {
        Preset::ALL.map(Preset::name).join("、")
    }

    /// The starter files, by path relative to the new workspace.
    pub fn files(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Preset::Organ => STARTER,
            Preset::County => &[
                ("zeren.yaml", include_str!("../starter/county/zeren.yaml")),
                ("data/duties.yaml", include_str!("../starter/county/data/duties.yaml")),
            ],
            Preset::Enterprise => &[
                ("zeren.yaml", include_str!("../starter/enterprise/zeren.yaml")),
                ("data/duties.yaml", include_str!("../starter/enterprise/data/duties.yaml")),
            ],
            Preset::University => &[
                ("zeren.yaml", include_str!("../starter/university/zeren.yaml")),
                ("data/duties.yaml", include_str!("../starter/university/data/duties.yaml")),
            ],
        }
    }
}

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
