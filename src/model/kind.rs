//! Document kinds, named in English (for scripts) and Chinese (for people).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// 党风廉政建设责任书.
    ResponsibilityLetter,
    /// 党风廉政建设主要工作任务函告书.
    TaskNotice,
    /// 问责决定书.
    AccountabilityDecision,
    /// 年度报告表: 述责述廉表 (per person) and 考核评分表 (per unit).
    AnnualReport,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::ResponsibilityLetter, Kind::TaskNotice, Kind::AccountabilityDecision, Kind::AnnualReport];

    pub fn english(self) -> &'static str {
        match self {
            Kind::ResponsibilityLetter => "responsibility-letter",
            Kind::TaskNotice => "task-notice",
            Kind::AccountabilityDecision => "accountability-decision",
            Kind::AnnualReport => "annual-report",
        }
    }

    /// Also the output folder name (`OUT/责任书/`).
    pub fn chinese(self) -> &'static str {
        match self {
            Kind::ResponsibilityLetter => "责任书",
            Kind::TaskNotice => "函告书",
            Kind::AccountabilityDecision => "问责决定书",
            Kind::AnnualReport => "年度报告表",
        }
    }

    /// The built-in template that renders this kind (the 年度报告表's 述责述廉表; its
    /// 考核评分表 is `ASSESSMENT_TEMPLATE`).
    pub fn template(self) -> &'static str {
        match self {
            Kind::ResponsibilityLetter => "responsibility-letter.xml",
            Kind::TaskNotice => "task-notice.xml",
            Kind::AccountabilityDecision => "accountability-decision.xml",
            Kind::AnnualReport => "annual-report.xml",
        }
    }

    pub const ASSESSMENT_TEMPLATE: &'static str = "assessment.xml";

    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim();
        Kind::ALL.into_iter().find(|k| k.english() == s || k.chinese() == s)
    }

    /// "responsibility-letter（责任书）, …" for messages.
    pub fn known_list() -> String {
        Kind::ALL.iter().map(|k| format!("{}（{}）", k.english(), k.chinese())).collect::<Vec<_>>().join("、")
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.chinese())
    }
}
