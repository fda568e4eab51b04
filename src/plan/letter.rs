//! What a 责任书's templates see: a unit's letter (`LetterContext`), and a person's 一岗双责
//! letter (`PersonalLetterContext`: a 班子成员 of the committee, or a unit's deputy).
//! `zeren template vars 责任书` / `一岗双责责任书` show the same names.

use super::parties::{self, PartyView};
use crate::model::{Audience, CommitteeMember, DutyGroup, Member, Person, Tier, Unit, Word, Workspace};
use serde::Serialize;
use std::borrow::Cow;

#[derive(Debug, Clone, Serialize)]
pub struct LetterContext<'a> {
    pub organ: &'a str,
    pub code: &'a str,
    pub year: i32,
    /// 成文日期, 2026年1月5日.
    pub date: String,
    pub letter: LetterText<'a>,
    /// The tier: 单位.
    pub tier: &'static str,
    pub unit: UnitView<'a>,
    /// Who signs for 甲方 (the 书记, or the 分管领导 under tiered signing).
    pub party_a_signer: &'a Person,
    /// True when 甲方 is signed by the unit's 分管领导.
    pub signed_by_supervisor: bool,
    /// The signature block's two sides: the committee (its seal, and who signs for it), the unit.
    pub party_a: PartyView,
    pub party_b: PartyView,
    pub groups: Vec<GroupView<'a>>,
}

/// A person's 一岗双责 letter: the committee (its 书记) with a 班子成员, or a unit (its head)
/// with a deputy.
#[derive(Debug, Clone, Serialize)]
pub struct PersonalLetterContext<'a> {
    pub organ: &'a str,
    pub code: &'a str,
    pub year: i32,
    pub date: String,
    /// 2026年度党风廉政建设“一岗双责”责任书, or zeren.yaml's `letter.title` where it sets one.
    pub title: String,
    pub letter: LetterText<'a>,
    /// The tier: 班子成员 or 副职.
    pub tier: &'static str,
    /// 乙方 in person: name, title, portfolio (分管工作, may be empty).
    pub person: &'a Member,
    /// For a 班子成员: the units in his or her charge, by name, in roster order.
    pub units: Vec<&'a str>,
    /// The same joined: 预算处、国库处、市会计核算中心.
    pub units_text: String,
    /// For a deputy: the unit he or she serves in (甲方).
    pub unit: Option<UnitView<'a>>,
    pub party_a: PartyView,
    pub party_b: PartyView,
    pub groups: Vec<GroupView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LetterText<'a> {
    pub title: String,
    pub basis: &'a [String],
    /// The basis as one phrase: 《A》《B》和C — titles run on, other items joined by 、.
    pub basis_text: String,
    /// zeren.yaml's clauses, {本单位} filled in for the letter's unit.
    pub assessment: Option<String>,
    pub accountability: Option<String>,
    pub copies: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitView<'a> {
    pub name: &'a str,
    /// Its kind's name: 处室, 党支部, 乡镇党委…
    #[serde(rename = "type")]
    pub unit_type: &'a str,
    /// Its kind is a 党组织 (bears 主体责任).
    pub party: bool,
    /// How the unit names itself in its letter: 本处室, 本支部, 本乡镇 (its kind's `own`).
    pub own: &'a str,
    /// How a document addressed to it names it: 你处 / 你室, 你支部, 你乡镇 (its kind's `you`).
    pub you: String,
    /// How its head signs: 负责人, 支部书记, 党委书记 (its kind's `head`).
    pub head: &'a str,
    /// Whether it stamps a seal (its kind's `seal`, or zeren.yaml `seals`).
    pub seal: bool,
    pub tags: &'a [String],
    pub leader: &'a Person,
    pub supervisor: Option<&'a Person>,
    pub members: &'a [Member],
    pub duties: Vec<Cow<'a, str>>,
    pub phone: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView<'a> {
    pub subject: &'a str,
    pub duties: Vec<Cow<'a, str>>,
}

pub(super) fn unit_view<'a>(ws: &'a Workspace, unit: &'a Unit) -> UnitView<'a> {
    let kind = ws.kind_of(unit);
    let (own, you) = (kind.own.as_str(), kind.you(&unit.name));
    UnitView {
        name: &unit.name,
        unit_type: &kind.name,
        party: kind.party,
        own,
        head: &kind.head,
        seal: kind.seal,
        tags: &unit.tags,
        leader: &unit.leader,
        supervisor: unit.supervisor.as_ref(),
        members: &unit.members,
        duties: unit.duties.iter().map(|d| full_stop(fill(d, own, &you))).collect(),
        phone: unit.phone.as_deref(),
        you,
    }
}

/// How a unit calls itself ({本单位}) and how a document addressed to it calls it ({你单位}), as
/// its kind says.
pub fn own_you<'a>(ws: &'a Workspace, unit: &Unit) -> (&'a str, String) {
    let kind = ws.kind_of(unit);
    (&kind.own, kind.you(&unit.name))
}

/// Data text with its placeholders filled: {本单位} → how the unit names itself, {你单位} → how a
/// document addresses it. Anything else in braces is left as written. Borrowed where there is
/// nothing to fill: a letter view holds the catalogue's text, not a copy
/// per unit (10,000 units would hold 10,000 copies).
pub fn fill<'t>(text: &'t str, own: &str, you: &str) -> Cow<'t, str> {
    if text.contains("{本单位}") || text.contains("{你单位}") {
        Cow::Owned(text.replace("{本单位}", own).replace("{你单位}", you))
    } else {
        Cow::Borrowed(text)
    }
}

/// A unit's own duty as a sentence of the letter: a line typed into a roster cell often has no
/// full stop (“负责本科室审计项目廉政风险防控”), and every other item of the letter ends with one.
pub fn full_stop(duty: Cow<'_, str>) -> Cow<'_, str> {
    let text = duty.trim_end();
    match text.chars().last() {
        None | Some('。' | '！' | '？' | '；' | '…') => duty,
        Some('.') => Cow::Owned(format!("{}。", &text[..text.len() - 1])),
        Some(_) => Cow::Owned(format!("{text}。")),
    }
}

fn letter_text<'a>(ws: &'a Workspace, unit: Option<&Unit>) -> LetterText<'a> {
    let s = &ws.settings;
    let (own, you) = unit.map_or(("本单位", String::new()), |u| own_you(ws, u));
    LetterText {
        title: s.letter.title.clone().unwrap_or_else(|| ws.words.title(Word::LetterTitle, s.year)),
        basis: &s.letter.basis,
        basis_text: basis_text(&s.letter.basis),
        assessment: s.letter.assessment.as_deref().map(|t| fill(t, own, &you).into_owned()),
        accountability: s.letter.accountability.as_deref().map(|t| fill(t, own, &you).into_owned()),
        copies: s.letter.copies,
    }
}

fn groups<'a>(ws: &'a Workspace, audience: Audience, unit: Option<&'a Unit>, own: &str) -> Vec<GroupView<'a>> {
    let you = unit.map(|u| own_you(ws, u).1).unwrap_or_default();
    ws.duty_groups
        .iter()
        .filter(|g: &&DutyGroup| g.applies(audience, unit))
        .map(|g| GroupView { subject: &g.subject, duties: g.duties.iter().map(|d| fill(d, own, &you)).collect() })
        .collect()
}

/// A unit's letter as its job holds it: the view is made when the job is serialised (at render,
/// one document at a time), not held by every job of the plan — 10,000 units would otherwise
/// hold 10,000 filled copies of the catalogue and the letter's clauses.
#[derive(Clone, Copy)]
pub struct UnitLetter<'a> {
    ws: &'a Workspace,
    unit: &'a Unit,
}

impl<'a> UnitLetter<'a> {
    pub(super) fn new(ws: &'a Workspace, unit: &'a Unit) -> UnitLetter<'a> {
        UnitLetter { ws, unit }
    }

    /// What the template sees.
    pub fn context(&self) -> LetterContext<'a> {
        view(self.ws, self.unit)
    }
}

impl serde::Serialize for UnitLetter<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.context().serialize(s)
    }
}

impl std::fmt::Debug for UnitLetter<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UnitLetter").field("unit", &self.unit.name).finish()
    }
}

pub(super) fn view<'a>(ws: &'a Workspace, unit: &'a Unit) -> LetterContext<'a> {
    let s = &ws.settings;
    let w = &ws.words;
    let signer = ws.party_a_signer(unit);
    let by_supervisor = !std::ptr::eq(signer, &s.signatory);
    LetterContext {
        organ: &s.organ,
        code: &s.code,
        year: s.year,
        date: s.date.chinese(),
        letter: letter_text(ws, Some(unit)),
        tier: Tier::Units.name(),
        unit: unit_view(ws, unit),
        party_a_signer: signer,
        signed_by_supervisor: by_supervisor,
        party_a: parties::organ(ws, w.get(Word::PartyA), signer, w.get(if by_supervisor { Word::Supervisor } else { Word::Secretary })),
        party_b: parties::unit(ws, w.get(Word::PartyB), unit),
        groups: groups(ws, Audience::Unit(unit.kind), Some(unit), own_you(ws, unit).0),
    }
}

fn personal_title(ws: &Workspace) -> String {
    let s = &ws.settings;
    s.letter.title.clone().unwrap_or_else(|| ws.words.title(Word::PersonalLetterTitle, s.year))
}

/// The committee (its 书记) with one of its 班子成员.
pub(super) fn member_view<'a>(ws: &'a Workspace, m: &CommitteeMember<'a>) -> PersonalLetterContext<'a> {
    let s = &ws.settings;
    let w = &ws.words;
    let units: Vec<&str> = m.units.iter().map(|u| u.name.as_str()).collect();
    let as_person = Person { name: m.person.name.clone(), title: m.person.title.clone() };
    PersonalLetterContext {
        organ: &s.organ,
        code: &s.code,
        year: s.year,
        date: s.date.chinese(),
        title: personal_title(ws),
        letter: letter_text(ws, None),
        tier: Tier::Members.name(),
        person: m.person,
        units_text: units.join("、"),
        units,
        unit: None,
        party_a: parties::organ(ws, w.get(Word::PartyA), &s.signatory, w.get(Word::Secretary)),
        party_b: parties::person(ws, w.get(Word::PartyB), &as_person),
        // A 班子成员's duties are about the units in his or her charge.
        groups: groups(ws, Audience::Member, None, w.get(Word::MemberOwn)),
    }
}

/// A unit (its head) with one of its deputies.
pub(super) fn deputy_view<'a>(ws: &'a Workspace, unit: &'a Unit, deputy: &'a Member) -> PersonalLetterContext<'a> {
    let s = &ws.settings;
    let w = &ws.words;
    let as_person = Person { name: deputy.name.clone(), title: deputy.title.clone() };
    PersonalLetterContext {
        organ: &s.organ,
        code: &s.code,
        year: s.year,
        date: s.date.chinese(),
        title: personal_title(ws),
        letter: letter_text(ws, Some(unit)),
        tier: Tier::Deputies.name(),
        person: deputy,
        units: Vec::new(),
        units_text: String::new(),
        unit: Some(unit_view(ws, unit)),
        party_a: parties::unit(ws, w.get(Word::PartyA), unit),
        party_b: parties::person(ws, w.get(Word::PartyB), &as_person),
        groups: groups(ws, Audience::Deputy, Some(unit), own_you(ws, unit).0),
    }
}

/// 《党章》《条例》、上级部署 → "《党章》《条例》和上级部署": 书名号 titles need no separator
/// (GB punctuation usage); the last plain item is joined by 和.
pub fn basis_text(items: &[String]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            let prev_title = items[i - 1].ends_with('》');
            let this_title = item.starts_with('《');
            if !(prev_title && this_title) {
                out.push_str(if i + 1 == items.len() { "和" } else { "、" });
            }
        }
        out.push_str(item);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_units_own_duty_ends_as_a_sentence() {
        let stop = |s: &str| super::full_stop(s.into()).into_owned();
        assert_eq!(stop("负责本科室审计项目廉政风险防控"), "负责本科室审计项目廉政风险防控。");
        assert_eq!(stop("严防“四风”问题。"), "严防“四风”问题。");
        assert_eq!(stop("落实“一岗双责”"), "落实“一岗双责”。");
        assert_eq!(stop("每季度报告一次；"), "每季度报告一次；");
        assert_eq!(stop("Report quarterly."), "Report quarterly。");
        assert_eq!(stop("（见附件） "), "（见附件）。");
    }

    #[test]
    fn basis_joins_titles_without_separator() {
        let items = ["《甲》", "《乙》", "上级部署"].map(String::from);
        assert_eq!(super::basis_text(&items), "《甲》《乙》和上级部署");
    }
}
