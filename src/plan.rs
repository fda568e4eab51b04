//! plan: which documents, for whom. Turns a workspace and the user's selection into jobs, each
//! with the data its template sees. Knows nothing of how a document looks.

use crate::model::{Kind, Person, Unit, Workspace};
use serde::Serialize;

/// What the user asked for: kinds and units to build (empty = all).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub kinds: Vec<Kind>,
    pub units: Vec<String>,
}

/// One document to produce.
#[derive(Debug, Clone)]
pub struct Job {
    pub kind: Kind,
    /// 1-based position in roster order within its kind (the file name's 序号).
    pub seq: usize,
    /// How many documents of this kind the run makes (for the 序号's width).
    pub of: usize,
    /// The unit (or person) the document is for.
    pub recipient: String,
    pub template: &'static str,
    pub context: tera::Context,
}

/// A problem with the selection itself (a `--unit` that is not in the roster…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanError {
    UnknownUnit(String),
    NothingToBuild,
}

/// Every job of the selection, kinds in the order given, units in roster order.
pub fn plan(ws: &Workspace, sel: &Selection) -> Result<Vec<Job>, Vec<PlanError>> {
    let mut errors: Vec<PlanError> = sel
        .units
        .iter()
        .filter(|name| !ws.units.iter().any(|u| &u.name == *name))
        .map(|name| PlanError::UnknownUnit(name.clone()))
        .collect();
    let kinds: Vec<Kind> = if !sel.kinds.is_empty() {
        sel.kinds.clone()
    } else if let Some(k) = &ws.settings.kinds {
        k.clone()
    } else {
        ws.available_kinds()
    };
    let mut jobs = Vec::new();
    for kind in kinds {
        match kind {
            Kind::ResponsibilityLetter => {
                let units: Vec<&Unit> = ws
                    .units
                    .iter()
                    .filter(|u| sel.units.is_empty() || sel.units.contains(&u.name))
                    .collect();
                let of = units.len();
                for (i, unit) in units.into_iter().enumerate() {
                    jobs.push(Job {
                        kind,
                        seq: i + 1,
                        of,
                        recipient: unit.name.clone(),
                        template: kind.template(),
                        context: letter_context(ws, unit),
                    });
                }
            }
        }
    }
    if jobs.is_empty() && errors.is_empty() {
        errors.push(PlanError::NothingToBuild);
    }
    if errors.is_empty() { Ok(jobs) } else { Err(errors) }
}

/// What a 责任书 template sees. `zeren template vars` documents the same names.
#[derive(Serialize)]
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

#[derive(Serialize)]
pub struct LetterText<'a> {
    pub title: String,
    pub basis: &'a [String],
    /// The basis as one phrase: 《A》《B》和C — titles run on, other items joined by 、.
    pub basis_text: String,
    pub assessment: Option<&'a str>,
    pub accountability: Option<&'a str>,
    pub copies: u32,
}

#[derive(Serialize)]
pub struct UnitView<'a> {
    pub name: &'a str,
    #[serde(rename = "type")]
    pub unit_type: &'static str,
    pub leader: &'a Person,
    pub supervisor: Option<&'a Person>,
    pub members: &'a [crate::model::Member],
    pub duties: &'a [String],
}

#[derive(Serialize)]
pub struct GroupView<'a> {
    pub subject: &'a str,
    pub duties: &'a [String],
}

/// The context the first document of `kind` would get, as JSON (for `zeren template vars`).
pub fn example_context(ws: &Workspace, kind: Kind) -> Option<serde_json::Value> {
    match kind {
        // The unit with the most filled in shows the most fields.
        Kind::ResponsibilityLetter => ws
            .units
            .iter()
            .max_by_key(|u| (u.supervisor.is_some(), u.members.len().min(1), u.duties.len().min(1)))
            .and_then(|u| serde_json::to_value(letter_view(ws, u)).ok()),
    }
}

fn letter_context(ws: &Workspace, unit: &Unit) -> tera::Context {
    // Serializing our own plain structs cannot fail; an empty context would surface as a
    // template error naming the variable, never as a panic.
    tera::Context::from_serialize(&letter_view(ws, unit)).unwrap_or_default()
}

fn letter_view<'a>(ws: &'a Workspace, unit: &'a Unit) -> LetterContext<'a> {
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
        unit: UnitView {
            name: &unit.name,
            unit_type: unit.unit_type.name(),
            leader: &unit.leader,
            supervisor: unit.supervisor.as_ref(),
            members: &unit.members,
            duties: &unit.duties,
        },
        party_a_signer: signer,
        signed_by_supervisor: !std::ptr::eq(signer, &s.signatory),
        groups: ws
            .groups_for(unit.unit_type)
            .map(|g| GroupView { subject: &g.subject, duties: &g.duties })
            .collect(),
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
