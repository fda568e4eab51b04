//! What a 责任书's template sees. `zeren template vars 责任书` shows the same names.

use crate::model::{Member, Person, Unit, Workspace};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct LetterContext<'a> {
    pub organ: &'a str,
    pub code: &'a str,
    pub year: i32,
    /// 成文日期, 2026年1月5日.
    pub date: String,
    pub letter: LetterText<'a>,
    pub unit: UnitView<'a>,
    /// Who signs for 甲方 (the 书记, or the 分管领导 under tiered signing).
    pub party_a_signer: &'a Person,
    /// True when 甲方 is signed by the unit's 分管领导.
    pub signed_by_supervisor: bool,
    pub groups: Vec<GroupView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LetterText<'a> {
    pub title: String,
    pub basis: &'a [String],
    /// The basis as one phrase: 《A》《B》和C — titles run on, other items joined by 、.
    pub basis_text: String,
    pub assessment: Option<&'a str>,
    pub accountability: Option<&'a str>,
    pub copies: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitView<'a> {
    pub name: &'a str,
    #[serde(rename = "type")]
    pub unit_type: &'static str,
    pub leader: &'a Person,
    pub supervisor: Option<&'a Person>,
    pub members: &'a [Member],
    pub duties: &'a [String],
    pub phone: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupView<'a> {
    pub subject: &'a str,
    pub duties: &'a [String],
}

pub(super) fn unit_view(unit: &Unit) -> UnitView<'_> {
    UnitView {
        name: &unit.name,
        unit_type: unit.unit_type.name(),
        leader: &unit.leader,
        supervisor: unit.supervisor.as_ref(),
        members: &unit.members,
        duties: &unit.duties,
        phone: unit.phone.as_deref(),
    }
}

pub(super) fn view<'a>(ws: &'a Workspace, unit: &'a Unit) -> LetterContext<'a> {
    let s = &ws.settings;
    let signer = ws.party_a_signer(unit);
    LetterContext {
        organ: &s.organ,
        code: &s.code,
        year: s.year,
        date: s.date.chinese(),
        letter: LetterText {
            title: s.letter.title.clone().unwrap_or_else(|| format!("{}年度党风廉政建设责任书", s.year)),
            basis: &s.letter.basis,
            basis_text: basis_text(&s.letter.basis),
            assessment: s.letter.assessment.as_deref(),
            accountability: s.letter.accountability.as_deref(),
            copies: s.letter.copies,
        },
        unit: unit_view(unit),
        party_a_signer: signer,
        signed_by_supervisor: !std::ptr::eq(signer, &s.signatory),
        groups: ws.groups_for(unit.unit_type).map(|g| GroupView { subject: &g.subject, duties: &g.duties }).collect(),
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
    fn basis_joins_titles_without_separator() {
        let items = ["《甲》", "《乙》", "上级部署"].map(String::from);
        assert_eq!(super::basis_text(&items), "《甲》《乙》和上级部署");
    }
}
