//! Who a case is against, identified as a decision must identify them, checked against the unit
//! list; and the grade of responsibility (条例 Art. 6) checked against the subject's role as far
//! as the list tells it.
//!
//! A unit the list does not have is an error (the decision would name a unit that does not
//! exist). A person the list does not know is a warning, and only for a unit whose 班子成员 the
//! list gives: a list kept for 责任书 need not name every deputy. The grade rules that the 条例
//! states outright are errors (a 主要负责人 with 重要领导责任, an organisation with a person's
//! grade); those that depend on facts the list cannot show are warnings.

use super::{CaseFields, Field, Origin, Validator};
use crate::diag::Place;
use crate::model::{Cadre, DIRECT_ROUTE, Duty, Gender, Organisation, Responsibility, Subject, SubjectKind, Unit, UnitName, YearMonth};

/// What the grade check knows: the responsibility named, the duty failed, and whether the facts
/// are the subject's own act.
pub(super) struct Grade {
    pub duty: Option<Duty>,
    pub responsibility: Option<Responsibility>,
    pub acted_personally: bool,
}

/// A person's place in a unit of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Role {
    /// 主要负责人, with the title the list gives.
    Leader(String),
    /// A 班子成员 the list names.
    Member(String),
    /// The unit's 分管领导: the 班子成员 directly in charge (Art. 6: 直接主管的班子成员).
    Supervisor(String),
    /// The list gives the unit's 班子 and this person is not in it.
    Unknown,
    /// The list cannot tell (no 班子 listed, or the unit's record had its own problem).
    Unchecked,
}

impl<'a> Validator<'a> {
    pub(super) fn subject(&mut self, f: &CaseFields, label: &str) -> Option<Subject> {
        let at = f.subject_at.clone().unwrap_or_else(|| f.at.clone());
        let Some(kind) = f.subject_type.as_ref().filter(|k| !k.is_blank()) else {
            if f.origin == Origin::Yaml && f.subject_at.is_none() {
                self.error(f.at.clone(), "case.subject-missing", format!("{label}缺少问责对象(subject)"));
            } else {
                let place = f.subject_type.as_ref().map_or(at, |k| k.place.clone());
                let what = f.what("问责对象类型(type)", "问责对象类型");
                self.error(place, "case.subject-type", format!("{label}缺少{what}：党组织 或 领导干部"));
            }
            return None;
        };
        let name_what = format!("{label}的{}", f.what("问责对象名称(name)", "问责对象"));
        let name = self.required(&f.subject_name, &at, &name_what, "case.subject-name");
        if let (Some(field), Some(why)) = (&f.subject_name, super::super::limits::name_problem(&name).filter(|_| !name.is_empty())) {
            self.error(field.place.clone(), "name.invalid", format!("{name_what}{why}"));
        }
        match kind.tidy().as_str() {
            "党组织" => self.organisation(f, &at, name, label),
            "领导干部" => self.cadre(f, &at, name, label),
            other => {
                let message = format!("{label}的问责对象类型“{other}”无效；应为 党组织 或 领导干部");
                self.error(kind.place.clone(), "case.subject-type", message);
                None
            }
        }
    }

    /// A required field that must parse: missing, blank or unreadable, each reported.
    fn required_parsed<T>(
        &mut self,
        field: &Option<Field>,
        parent: &Place,
        what: &str,
        code: &'static str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.required(field, parent, what, code);
        if text.is_empty() {
            return None;
        }
        let place = field.as_ref().map(|f| f.place.clone()).unwrap_or_else(|| parent.clone());
        match parse(&text) {
            Ok(v) => Some(v),
            Err(why) => {
                self.error(place, code, format!("{what}“{text}”有误：{why}"));
                None
            }
        }
    }

    /// The subject's unit: required, and a unit of the list.
    fn unit(&mut self, f: &CaseFields, at: &Place, label: &str, what: &str) -> Option<UnitName> {
        let name = self.required(&f.subject_unit, at, &format!("{label}的{what}"), "case.subject-unit");
        if name.is_empty() {
            return None;
        }
        if !self.units.knows(&name) {
            let place = f.subject_unit.as_ref().map_or(at.clone(), |u| u.place.clone());
            self.problems.push(self.units.missing(place, "case.unit-unknown", format!("{label}：单位“{name}”不在单位名单中")));
            return None;
        }
        Some(UnitName(name))
    }

    fn cadre(&mut self, f: &CaseFields, at: &Place, name: String, label: &str) -> Option<Subject> {
        let what = |yaml: &str, column: &str| format!("{label}的{}", f.what(yaml, column));
        let gender = self.required_parsed(&f.subject_gender, at, &what("性别(gender)", "性别"), "case.subject-gender", |g| {
            Gender::parse(g).ok_or_else(|| "应为 男 或 女".to_string())
        });
        let born = self.required_parsed(&f.subject_born, at, &what("出生年月(born)", "出生年月"), "case.subject-born", YearMonth::parse);
        let political = self.required(&f.subject_political, at, &what("政治面貌(political)", "政治面貌"), "case.subject-political");
        if !political.is_empty() && !political.contains("中共") && !political.contains("共产党") {
            let place = f.subject_political.as_ref().map_or(at.clone(), |p| p.place.clone());
            let message = format!("{label}的政治面貌为“{political}”：《中国共产党问责条例》的问责对象是党组织和党的领导干部");
            self.warning(place, "case.subject-political", message);
        }
        let unit = self.unit(f, at, label, f.what("所在单位(unit)", "所在单位"));
        let post = self.required(&f.subject_post, at, &what("职务(post)", "职务"), "case.subject-post");
        if !f.members.is_empty() {
            let message = format!("{label}：负有责任的班子成员{}只用于对党组织的案件", f.what("(members)", ""));
            self.error(f.members[0].place.clone(), "case.members-not-organisation", message);
        }
        let unit = unit?;
        if !name.is_empty() && !post.is_empty() {
            self.check_listed(&unit, &name, f.subject_name.as_ref(), Some((&post, f.subject_post.as_ref())), label);
        }
        let unit_full = f.subject_unit_full.as_ref().map(Field::tidy).filter(|u| !u.is_empty()).unwrap_or_else(|| unit.0.clone());
        let (gender, born) = (gender?, born?);
        (!name.is_empty() && !political.is_empty() && !post.is_empty()).then_some(Subject::Cadre(Cadre {
            name,
            gender,
            born,
            political,
            unit,
            unit_full,
            post,
        }))
    }

    fn organisation(&mut self, f: &CaseFields, at: &Place, name: String, label: &str) -> Option<Subject> {
        if !name.is_empty() && !name.starts_with("中共") && !name.starts_with("中国共产党") {
            let place = f.subject_name.as_ref().map_or(at.clone(), |n| n.place.clone());
            let message = format!("{label}：党组织应写全称，如“中共××支部委员会”，而不是“{name}”");
            self.warning(place, "case.organisation-name", message);
        }
        let unit = self.unit(f, at, label, f.what("所属单位(unit)", "所在单位"))?;
        let listed = self.units.get(unit.as_str()).map(|u| u.leader.name.clone());
        let leader = match f.subject_leader.as_ref().map(Field::tidy).filter(|l| !l.is_empty()) {
            Some(leader) => {
                self.check_listed(&unit, &leader, f.subject_leader.as_ref(), None, label);
                leader
            }
            // Known but not in the list: its record (or the list) had a problem of its own,
            // reported there; nothing more to say here.
            None => listed?,
        };
        let unit_full = f.subject_unit_full.as_ref().map(Field::tidy).filter(|u| !u.is_empty()).unwrap_or_else(|| unit.0.clone());
        (!name.is_empty() && !leader.is_empty()).then_some(Subject::Organisation(Organisation { name, unit, unit_full, leader }))
    }

    /// Where the list places `name` in `unit`.
    fn role(&self, unit: &UnitName, name: &str) -> Role {
        let list: &'a crate::load::UnitList<'a> = self.units;
        let Some(u) = list.get(unit.as_str()) else { return Role::Unchecked };
        role_in(u, name)
    }

    /// A warning when the list gives the unit's 班子 and the person is not in it, or when the
    /// post written differs from the title the list gives.
    fn check_listed(&mut self, unit: &UnitName, name: &str, name_field: Option<&Field>, post: Option<(&str, Option<&Field>)>, label: &str) {
        let place = name_field.map_or_else(Place::default, |n| n.place.clone());
        match self.role(unit, name) {
            Role::Unknown => {
                let message = format!("{label}：单位名单中“{unit}”的负责人和班子成员里没有“{name}”，请核对姓名或所在单位");
                self.warning(place, "case.person-unknown", message);
            }
            Role::Leader(title) | Role::Member(title) | Role::Supervisor(title) => {
                let differs = |post: &str| !title.is_empty() && !post.contains(title.as_str()) && !title.contains(post);
                if let Some((post, post_field)) = post.filter(|(post, _)| differs(post)) {
                    let at = post_field.map_or(place, |p| p.place.clone());
                    let message = format!("{label}：职务“{post}”与单位名单中{name}的职务“{title}”不一致，请核对");
                    self.warning(at, "case.post-differs", message);
                }
            }
            Role::Unchecked => {}
        }
    }

    /// `kind` as declared (the subject may have failed its own checks).
    pub(super) fn grade(&mut self, f: &CaseFields, subject: Option<&Subject>, kind: Option<SubjectKind>, label: &str) -> Grade {
        let duty = self.parsed(
            &f.duty,
            |d| Duty::parse(d).ok_or(format!("{label}的责任类别“{d}”无效；应为 主体责任、监督责任 或 领导责任")),
            "case.duty",
        );
        let names = Responsibility::NAMES;
        let direct = f.responsibility.as_ref().filter(|r| Responsibility::is_direct(&r.tidy()));
        let responsibility = if let Some(r) = direct {
            self.error(r.place.clone(), "case.direct-responsibility", format!("{label}认定为“直接责任”：{DIRECT_ROUTE}"));
            None
        } else {
            self.parsed(
                &f.responsibility,
                |r| Responsibility::parse(r).ok_or(format!("{label}的责任类型“{r}”无效；应为 {names}")),
                "case.responsibility",
            )
        };
        let acted_personally = self
            .parsed(
                &f.acted_personally,
                |a| yes_no(a).ok_or(format!("{label}的本人直接实施“{a}”无效；应为 是 或 否")),
                "case.acted-personally",
            )
            .unwrap_or(false);
        let place = f.responsibility.as_ref().map_or(f.at.clone(), |r| r.place.clone());
        match kind {
            Some(SubjectKind::Cadre) => {
                if acted_personally {
                    // One's own act is not a 问责 case, whatever grade it is given.
                    let at = f.acted_personally.as_ref().map_or(f.at.clone(), |a| a.place.clone());
                    self.error(at, "case.acted-personally", format!("{label}写明问题是本人直接实施的：{DIRECT_ROUTE}"));
                }
                if responsibility.is_none() && f.responsibility.as_ref().is_none_or(Field::is_blank) {
                    let what = f.what("责任类型(responsibility)", "责任类型");
                    let message = format!("{label}缺少{what}：{names}（《中国共产党问责条例》第六条）");
                    self.error(place.clone(), "case.responsibility-missing", message);
                }
                // The role needs the subject as the list knows it.
                if let Some(Subject::Cadre(c)) = subject {
                    self.cadre_grade(c, responsibility, place, label);
                }
            }
            Some(SubjectKind::Organisation) => {
                if let Some(r) = responsibility.filter(|r| *r != Responsibility::Overall) {
                    let message = format!("{label}：党组织领导班子负全面领导责任（第六条），“{}”是个人承担的责任", r.name());
                    self.error(place, "case.responsibility-subject", message);
                }
                if acted_personally {
                    let at = f.acted_personally.as_ref().map_or(f.at.clone(), |a| a.place.clone());
                    self.error(at, "case.acted-personally", format!("{label}：本人直接实施只用于对领导干部的案件"));
                }
            }
            None => {}
        }
        Grade { duty, responsibility, acted_personally }
    }

    /// Art. 6 for a person: the 主要负责人 bears 主要领导责任 (never 重要); 全面领导责任 is the
    /// 班子's.
    fn cadre_grade(&mut self, c: &Cadre, r: Option<Responsibility>, place: Place, label: &str) {
        let Some(r) = r else { return };
        let role = self.role(&c.unit, &c.name);
        if matches!(role, Role::Leader(_)) && r == Responsibility::Important {
            let message = format!(
                "{label}：{}是“{}”的主要负责人，按《中国共产党问责条例》第六条承担主要领导责任，不能认定为重要领导责任",
                c.name, c.unit
            );
            self.error(place, "case.responsibility-leader", message);
        } else if matches!(role, Role::Supervisor(_)) && r == Responsibility::Important {
            let message = format!(
                "{label}：{}是“{}”的分管领导，即直接主管的班子成员，按第六条一般承担主要领导责任，而不是重要领导责任",
                c.name, c.unit
            );
            self.warning(place, "case.responsibility-supervisor", message);
        } else if r == Responsibility::Overall {
            let message = format!("{label}：全面领导责任由党组织领导班子承担（第六条）；对个人认定为主要领导责任或重要领导责任");
            self.warning(place, "case.responsibility-overall", message);
        }
    }
}

fn role_in(u: &Unit, name: &str) -> Role {
    if u.leader.name == name {
        return Role::Leader(u.leader.title.clone());
    }
    if let Some(m) = u.members.iter().find(|m| m.name == name) {
        return Role::Member(m.title.clone());
    }
    if let Some(s) = u.supervisor.as_ref().filter(|s| s.name == name) {
        return Role::Supervisor(s.title.clone());
    }
    if u.members.is_empty() { Role::Unchecked } else { Role::Unknown }
}

fn yes_no(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "是" | "true" | "yes" | "1" | "√" => Some(true),
        "否" | "false" | "no" | "0" => Some(false),
        _ => None,
    }
}
