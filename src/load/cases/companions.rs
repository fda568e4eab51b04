//! 条例 Art. 6: 对党组织问责的，应当同时对该党组织中负有责任的领导班子成员进行问责. A case
//! against an organisation names its responsible 班子成员 (`members`); each, and always the
//! 主要负责人, is covered by a case against that person in the same unit (by the unit's identity
//! in the list, never by a name that merely contains another) or by a reason given. The cases may
//! be decided in another batch, so a gap is a warning naming who is missing.

use super::{CaseFields, Validator};
use crate::diag::{Problem, Problems};
use crate::model::{Case, Companion, Subject};

impl Validator<'_> {
    /// An organisation case's `members`: "姓名", or "姓名：不予问责（或另案处理）的理由".
    pub(super) fn companions(&mut self, f: &CaseFields, subject: Option<&Subject>, label: &str) -> Vec<Companion> {
        if !matches!(subject, Some(Subject::Organisation(_))) {
            return Vec::new();
        }
        let mut out: Vec<Companion> = Vec::new();
        for field in &f.members {
            // One a line; names alone may also be listed with 、 (a reason may hold one itself).
            let lines = field.text.lines().flat_map(|l| if l.contains(['：', ':']) { vec![l] } else { l.split(['、', '，']).collect() });
            for line in lines.map(str::trim).filter(|l| !l.is_empty()) {
                let (name, reason) = match line.split_once(['：', ':']) {
                    Some((n, r)) => (n.trim(), Some(r.trim()).filter(|r| !r.is_empty())),
                    None => (line, None),
                };
                if out.iter().any(|c| c.name == name) {
                    self.error(field.place.clone(), "case.member-duplicate", format!("{label}的负有责任的班子成员“{name}”重复"));
                    continue;
                }
                out.push(Companion { name: name.to_string(), reason: reason.map(str::to_string), place: field.place.clone() });
            }
        }
        out
    }
}

/// Who is held accountable in a unit by the batch's cases against persons, as written (a case
/// that failed its own checks still counts: its problem is reported once, not again here).
fn cadres_of(all: &[CaseFields]) -> Vec<(String, String)> {
    all.iter()
        .filter(|f| f.subject_type.as_ref().is_some_and(|t| t.tidy() == "领导干部"))
        .filter_map(|f| Some((f.subject_name.as_ref()?.tidy(), f.subject_unit.as_ref()?.tidy())))
        .collect()
}

pub(super) fn organisations_need_cadres(cases: &[Case], all: &[CaseFields], problems: &mut Problems) {
    let cadres = cadres_of(all);
    for case in cases {
        let Subject::Organisation(org) = &case.subject else { continue };
        let held = |name: &str| cadres.iter().any(|(n, u)| n == name && u == org.unit.as_str());
        let explained = |name: &str| case.companions.iter().any(|c| c.name == name && c.reason.is_some());
        let mut missing: Vec<String> = Vec::new();
        if !held(&org.leader) && !explained(&org.leader) {
            missing.push(format!("主要负责人{}", org.leader));
        }
        for c in case.companions.iter().filter(|c| c.name != org.leader && c.reason.is_none() && !held(&c.name)) {
            missing.push(c.name.clone());
        }
        if case.companions.is_empty() && !cadres.iter().any(|(_, u)| u == org.unit.as_str()) {
            missing.push("负有责任的其他班子成员（未列出）".to_string());
        }
        if !missing.is_empty() {
            let message = format!(
                "对党组织“{}”问责的，应当同时对该党组织中负有责任的领导班子成员进行问责（《中国共产党问责条例》第六条）；本批案件中“{}”没有对下列人员的案件，也没有说明理由：{}",
                org.name,
                org.unit,
                missing.join("、")
            );
            problems.push(Problem::warning(case.place.clone(), "case.org-without-cadre", message).with_detail(
                "为这些人员各立一个领导干部案件（所在单位写同一单位），或在本案的负有责任的班子成员(members)中写“姓名：理由”（如另案处理、不予问责的理由）",
            ));
        }
    }
}
