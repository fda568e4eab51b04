//! The unit list (data/units.yaml) and the duty catalogue (data/duties.yaml) → `model::Unit`s
//! and `DutyGroup`s; and `UnitList`, what every other data file's unit names are checked
//! against, with where the list came from for the message.

use super::check::{Checker, tidy};
use crate::diag::{Place, Problem, Problems};
use crate::model::{Audience, DutyGroup, Member, Person, Unit, UnitKinds, UnitSource};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::HashMap;
use std::path::Path;

/// The units data refers to. Names of records that failed their own checks still count as
/// named, so a unit with a missing leader does not also make every reference to it an error.
pub struct UnitList<'a> {
    pub units: &'a [Unit],
    /// The kinds the units are of, and the names data may use for them.
    pub kinds: &'a UnitKinds,
    source: &'a UnitSource,
    /// False when the list could not be read at all: a reference to it then proves nothing, and
    /// the one real problem (the unreadable list) is the only one reported.
    read: bool,
    /// Every name, listed or only named, to its unit when listed: a roster of 100,000 rows is
    /// looked up once per reference, not scanned.
    by_name: HashMap<&'a str, Option<&'a Unit>>,
}

impl<'a> UnitList<'a> {
    pub fn new(units: &'a [Unit], kinds: &'a UnitKinds, also_named: &'a [String], source: &'a UnitSource, read: bool) -> Self {
        let mut by_name: HashMap<&str, Option<&Unit>> = also_named.iter().map(|n| (n.as_str(), None)).collect();
        // The first unit of a name wins, as a scan from the top would find it.
        for u in units.iter().rev() {
            by_name.insert(u.name.as_str(), Some(u));
        }
        UnitList { units, kinds, source, read, by_name }
    }

    pub fn get(&self, name: &str) -> Option<&'a Unit> {
        self.by_name.get(name).copied().flatten()
    }

    /// Whether a reference to `name` is fine: a unit of the list, one named there whose record
    /// had its own problem, or anything when the list could not be read.
    pub fn knows(&self, name: &str) -> bool {
        !self.read || self.by_name.contains_key(name)
    }

    /// A reference to a unit that is not in the list: `message` at `place`, with where the list
    /// came from and what to do about it.
    pub fn missing(&self, place: Place, code: &'static str, message: String) -> Problem {
        let from = match self.source {
            UnitSource::None => "工作区没有单位名单（data/units.yaml，或 Excel 名单：--roster 或 zeren.yaml 的 data.roster）".to_string(),
            source => format!("单位名单来自 {source}，共 {} 个单位", self.by_name.len()),
        };
        Problem::error(place, code, message).with_detail(format!(
            "{from}。请改正名称；如果这些数据与本次要生成的文书无关，可用 --kind 只生成需要的种类，或从 zeren.yaml 的 documents、data 中去掉它们"
        ))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPerson {
    name: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMember {
    name: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    portfolio: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUnitsFile {
    units: Vec<Spanned<RawUnit>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    name: Option<Spanned<String>>,
    #[serde(rename = "type")]
    unit_type: Option<Spanned<String>>,
    leader: Option<Spanned<RawPerson>>,
    supervisor: Option<Spanned<RawPerson>>,
    #[serde(default)]
    members: Vec<Spanned<RawMember>>,
    #[serde(default)]
    duties: Vec<Spanned<String>>,
    phone: Option<String>,
    /// Sub-kinds (离退休…) that duty groups may exclude.
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDutiesFile {
    groups: Vec<Spanned<RawGroup>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    subject: Option<Spanned<String>>,
    applies_to: Option<Vec<Spanned<String>>>,
    /// Unit tags whose letters leave the group out.
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    duties: Vec<Spanned<String>>,
}

pub(super) fn person(c: &mut Checker, raw: &Spanned<RawPerson>, who: &str) -> Person {
    let at = c.at(raw);
    Person {
        name: c.name(&raw.value.name, at.clone(), &format!("{who}姓名(name)"), "person.name-missing"),
        title: c.text(&raw.value.title, at, &format!("{who}职务(title)"), "person.title-missing"),
    }
}

/// A 班子成员 with the work in his or her charge; `who` names whose member it is, for messages.
pub(super) fn member(c: &mut Checker, m: &Spanned<RawMember>, who: &str) -> Member {
    let at = c.at(m);
    Member {
        name: c.name(&m.value.name, at.clone(), &format!("{who}姓名(name)"), "member.name-missing"),
        title: c.text(&m.value.title, at, &format!("{who}职务(title)"), "member.title-missing"),
        portfolio: m.value.portfolio.as_deref().map(tidy).unwrap_or_default(),
    }
}

/// The units that passed their checks, and the names of those that did not.
pub(super) fn units(raw: &RawUnitsFile, file: &Path, kinds: &UnitKinds, problems: &mut Problems) -> (Vec<Unit>, Vec<String>) {
    let mut c = Checker { file, problems };
    let mut seen: HashMap<String, Place> = HashMap::new();
    let mut out = Vec::new();
    let mut also_named = Vec::new();
    for ru in &raw.units {
        let at = c.at(ru);
        let u = &ru.value;
        let name = c.name(&u.name, at.clone(), "单位名称(name)", "unit.name-missing");
        let label = if name.is_empty() { "单位".to_string() } else { format!("单位“{name}”") };
        let kind = match &u.unit_type {
            Some(t) => match kinds.find(&t.value) {
                Some(k) => Some(k),
                None => {
                    let p = c.at(t);
                    let message = format!("{label}的类别(type)“{}”无效；应为 {}", tidy(&t.value), kinds.choices());
                    c.error(p, "unit.type", message);
                    None
                }
            },
            None => {
                c.error(at.clone(), "unit.type-missing", format!("{label}缺少类别(type)：{}", kinds.choices()));
                None
            }
        };
        let leader = match &u.leader {
            Some(l) => Some(person(&mut c, l, &format!("{label}负责人"))),
            None => {
                c.error(at.clone(), "unit.leader-missing", format!("{label}缺少负责人(leader)"));
                None
            }
        };
        let supervisor = u.supervisor.as_ref().map(|s| person(&mut c, s, &format!("{label}分管领导")));
        let members = u.members.iter().map(|m| member(&mut c, m, &format!("{label}班子成员"))).collect();
        let duties = duty_texts(&mut c, &u.duties, &label);
        if !name.is_empty() {
            if let Some(first) = seen.get(&name) {
                c.error(at.clone(), "unit.duplicate", format!("单位名称“{name}”重复（首次出现在 {first}）"));
            } else {
                seen.insert(name.clone(), at.clone());
            }
        }
        if let (Some(kind), Some(leader)) = (kind, leader) {
            let phone = u.phone.as_deref().map(tidy).filter(|p| !p.is_empty());
            let tags = u.tags.iter().map(|t| tidy(t)).filter(|t| !t.is_empty()).collect();
            out.push(Unit { name, kind, leader, supervisor, members, duties, tags, phone, place: at });
        } else if !name.is_empty() {
            also_named.push(name);
        }
    }
    if raw.units.is_empty() {
        c.error(Place::File(file.into()), "units.empty", "单位名单为空（units 下至少要有一个单位）".into());
    }
    (out, also_named)
}

fn duty_texts(c: &mut Checker, list: &[Spanned<String>], label: &str) -> Vec<String> {
    list.iter()
        .filter_map(|d| {
            let text = tidy(&d.value);
            if text.is_empty() {
                let p = c.at(d);
                c.error(p, "duty.empty", format!("{label}有一条空的责任内容"));
                None
            } else {
                Some(text)
            }
        })
        .collect()
}

pub(super) fn groups(raw: &RawDutiesFile, file: &Path, kinds: &UnitKinds, problems: &mut Problems) -> Vec<DutyGroup> {
    let mut c = Checker { file, problems };
    let mut out = Vec::new();
    for rg in &raw.groups {
        let at = c.at(rg);
        let g = &rg.value;
        let subject = c.text(&g.subject, at.clone(), "责任主体(subject)", "group.subject-missing");
        let label = format!("责任组“{subject}”");
        let applies_to = match &g.applies_to {
            // Unset: every unit's letter. The person tiers are new; an old catalogue's groups
            // were written for units, so they are named explicitly.
            None => kinds.ids().map(Audience::Unit).collect(),
            Some(list) => list
                .iter()
                .filter_map(|t| {
                    let audience = Audience::parse(&t.value, kinds);
                    if audience.is_none() {
                        let p = c.at(t);
                        let message = format!("{label}的适用类别“{}”无效；应为 {}", tidy(&t.value), Audience::known(kinds));
                        c.error(p, "group.applies-to", message);
                    }
                    audience
                })
                .collect(),
        };
        let exclude = g.exclude.iter().map(|t| tidy(t)).filter(|t| !t.is_empty()).collect();
        let duties = duty_texts(&mut c, &g.duties, &label);
        if duties.is_empty() {
            c.error(at.clone(), "group.empty", format!("{label}没有责任条目(duties)"));
        }
        out.push(DutyGroup { subject, applies_to, exclude, duties, place: at });
    }
    out
}
