//! Document kinds, named in English (for scripts) and Chinese (for people), and the forms each
//! kind is produced as.

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

    /// The forms this kind is produced as, in the order a run makes them.
    pub fn forms(self) -> &'static [Form] {
        match self {
            Kind::ResponsibilityLetter => &[Form::Letter],
            Kind::TaskNotice => &[Form::Notice],
            Kind::AccountabilityDecision => &[Form::Decision],
            Kind::AnnualReport => &[Form::Statement, Form::Assessment],
        }
    }

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

/// One printed form: what a single produced document is. A kind has one form, except the
/// 年度报告表, which is a 述责述廉表 per person and a 考核评分表 per unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Form {
    Letter,
    Notice,
    Decision,
    /// 述责述廉表.
    Statement,
    /// 考核评分表.
    Assessment,
}

impl Form {
    pub const ALL: [Form; 5] = [Form::Letter, Form::Notice, Form::Decision, Form::Statement, Form::Assessment];

    pub fn kind(self) -> Kind {
        match self {
            Form::Letter => Kind::ResponsibilityLetter,
            Form::Notice => Kind::TaskNotice,
            Form::Decision => Kind::AccountabilityDecision,
            Form::Statement | Form::Assessment => Kind::AnnualReport,
        }
    }

    /// The template that renders this form: its built-in name, which a workspace file of the
    /// same name under `templates/` overrides.
    pub fn template(self) -> &'static str {
        match self {
            Form::Letter => "responsibility-letter.xml",
            Form::Notice => "task-notice.xml",
            Form::Decision => "accountability-decision.xml",
            Form::Statement => "annual-report.xml",
            Form::Assessment => "assessment.xml",
        }
    }

    /// How people call the form.
    pub fn chinese(self) -> &'static str {
        match self {
            Form::Letter => "责任书",
            Form::Notice => "函告书",
            Form::Decision => "问责决定书",
            Form::Statement => "述责述廉表",
            Form::Assessment => "考核评分表",
        }
    }

    /// A form named by its kind's or its own name (`年度报告表` names its first form).
    pub fn parse(s: &str) -> Option<Form> {
        let s = s.trim();
        Form::ALL
            .into_iter()
            .find(|f| f.chinese() == s || f.template().strip_suffix(".xml") == Some(s))
            .or_else(|| Kind::parse(s).map(|k| k.forms()[0]))
    }
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.chinese())
    }
}
