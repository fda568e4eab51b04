//! Documents made from a user's own Word template (`wordtpl`): one per unit of the roster, per
//! 班子成员, per deputy, per case… — each with the view the markup template of the same form gets,
//! so a field means the same in both. Unlike a kind, a Word template needs no more data than its
//! recipients: a 廉洁承诺书 per unit needs the roster, not the duty catalogue.

use super::{Chooser, Job, Selection, View, job, kind_jobs, letter};
use crate::model::{Form, Tier, Workspace};

/// Whom a Word template is filled for, once each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Per {
    /// Every unit of the roster (the view of a unit's 责任书).
    Unit,
    /// Every 班子成员 of the committee (the view of his or her 一岗双责责任书).
    Member,
    /// Every deputy of every unit (the view of his or her 一岗双责责任书).
    Deputy,
    /// Every unit with tasks (the view of its 函告书, 文号 included).
    Notice,
    /// Every case (the view of its 问责决定书, 文号 included).
    Case,
    /// Every 述责述廉 report.
    Statement,
    /// Every assessed unit.
    Assessment,
}

impl Per {
    /// In the order a template's fields are tried against them: the first whose view has every
    /// field the template uses is what the template is for.
    pub const ALL: [Per; 7] = [Per::Unit, Per::Member, Per::Deputy, Per::Notice, Per::Case, Per::Statement, Per::Assessment];

    /// How zeren.yaml and `--per` name it.
    pub fn chinese(self) -> &'static str {
        match self {
            Per::Unit => "单位",
            Per::Member => "班子成员",
            Per::Deputy => "副职",
            Per::Notice => "函告",
            Per::Case => "案件",
            Per::Statement => "述责述廉",
            Per::Assessment => "考核",
        }
    }

    pub fn parse(s: &str) -> Option<Per> {
        let s = s.trim();
        Per::ALL.into_iter().find(|p| p.chinese() == s).or(match s {
            "每个单位" | "unit" => Some(Per::Unit),
            "每位班子成员" | "member" => Some(Per::Member),
            "deputy" => Some(Per::Deputy),
            "函告书" | "notice" => Some(Per::Notice),
            "问责" | "问责决定书" | "case" => Some(Per::Case),
            "述责述廉表" | "statement" => Some(Per::Statement),
            "考核评分表" | "assessment" => Some(Per::Assessment),
            _ => None,
        })
    }

    /// The form whose view the template gets.
    pub fn form(self) -> Form {
        match self {
            Per::Unit => Form::Letter,
            Per::Member | Per::Deputy => Form::PersonalLetter,
            Per::Notice => Form::Notice,
            Per::Case => Form::Decision,
            Per::Statement => Form::Statement,
            Per::Assessment => Form::Assessment,
        }
    }
}

impl std::fmt::Display for Per {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.chinese())
    }
}

/// The documents of a Word template filled `per`, numbered over all of them and then selected
/// (a file keeps its 序号 whatever the selection), in roster order.
pub fn jobs_per<'a>(ws: &'a Workspace, per: Per, sel: &Selection) -> Vec<Job<'a>> {
    let chooser = Chooser::new(ws, sel);
    let mut all: Vec<(Job<'a>, bool)> = Vec::new();
    match per {
        Per::Unit => {
            for unit in &ws.units {
                all.push((job(Form::Letter, &unit.name, View::Letter(letter::UnitLetter::new(ws, unit))), chooser.unit(&unit.name)));
            }
        }
        Per::Member => {
            for m in ws.committee() {
                let name = m.person.name.clone();
                let mut j = job(Form::PersonalLetter, &name, View::PersonalLetter(Box::new(letter::member_view(ws, &m))));
                j.file_stem = format!("{}-{name}", Tier::Members.name());
                all.push((j, chooser.member(&name)));
            }
        }
        Per::Deputy => {
            for unit in &ws.units {
                for deputy in &unit.members {
                    let view = View::PersonalLetter(Box::new(letter::deputy_view(ws, unit, deputy)));
                    let mut j = job(Form::PersonalLetter, &unit.name, view);
                    j.file_stem = format!("{}-{}", unit.name, deputy.name);
                    all.push((j, chooser.deputy(unit, &deputy.name)));
                }
            }
        }
        Per::Notice | Per::Case | Per::Statement | Per::Assessment => {
            let kind = per.form().kind();
            let mut of_kind = Vec::new();
            kind_jobs(ws, kind, &chooser, &mut of_kind);
            all.extend(of_kind.into_iter().filter(|(j, _)| j.form == per.form()));
        }
    }
    let of = all.len();
    for (i, (j, _)) in all.iter_mut().enumerate() {
        j.seq = i + 1;
        j.of = of;
    }
    all.into_iter().filter(|(_, chosen)| *chosen).map(|(j, _)| j).collect()
}
