//! What a 问责决定书's template sees, and each case's 文号.

use crate::model::{Case, DocNo, Method, Subject, Workspace};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct DecisionContext<'a> {
    pub organ: &'a str,
    pub code: &'a str,
    pub year: i32,
    pub date: String,
    /// 江财党〔2026〕5号.
    pub doc_no: String,
    /// 发文机关标志 text, when the workspace wants a 版头.
    pub letterhead: Option<String>,
    pub case_id: &'a str,
    pub subject: SubjectView<'a>,
    pub source: Option<&'a str>,
    pub facts: &'a str,
    pub responsibility: Option<&'static str>,
    pub basis: &'a [String],
    pub basis_text: String,
    pub methods: Vec<String>,
    /// 通报、诫勉.
    pub methods_text: String,
    /// A 组织调整或者组织处理 is decided: its procedures take one month at most.
    pub organisational: bool,
    pub plea: Option<&'a str>,
    pub appeal: &'a str,
    pub cc: &'a [String],
    /// 抄送 line body: 市纪委监委，市委组织部。
    pub cc_text: String,
    pub issuer: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubjectView<'a> {
    /// 党组织 or 领导干部.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub is_cadre: bool,
    pub name: &'a str,
    pub unit: Option<&'a str>,
    pub post: Option<&'a str>,
}

/// Each case's 文号: as given, as the ledger has it, or the next free number of the year
/// (`true`: newly assigned). Pure: only a real build records the new ones.
pub fn assign_numbers(ws: &Workspace) -> Vec<(DocNo, bool)> {
    let s = &ws.settings;
    let given: Vec<&DocNo> = ws.cases.iter().filter_map(|c| c.doc_no.as_ref()).collect();
    let mut next = ws.ledger.next_free(&s.code, s.year, given.into_iter());
    ws.cases
        .iter()
        .map(|case| {
            if let Some(no) = &case.doc_no {
                (no.clone(), false)
            } else if let Some(no) = ws.ledger.numbers.get(&case.id) {
                (no.clone(), false)
            } else {
                let no = DocNo { code: s.code.clone(), year: s.year, number: next };
                next += 1;
                (no, true)
            }
        })
        .collect()
}

pub(super) fn view<'a>(ws: &'a Workspace, case: &'a Case, no: &DocNo) -> DecisionContext<'a> {
    let s = &ws.settings;
    let (unit, post) = match &case.subject {
        Subject::Cadre { unit, post, .. } => (Some(unit.as_str()), Some(post.as_str())),
        Subject::Organisation { .. } => (None, None),
    };
    let methods: Vec<String> = case.methods.iter().map(ToString::to_string).collect();
    DecisionContext {
        organ: &s.organ,
        code: &s.code,
        year: s.year,
        date: case.date.unwrap_or(s.date).chinese(),
        doc_no: no.to_string(),
        letterhead: s.letterhead.as_ref().map(|l| if l.is_empty() { s.organ.clone() } else { l.clone() }),
        case_id: &case.id,
        subject: SubjectView {
            kind: case.subject.kind_name(),
            is_cadre: matches!(case.subject, Subject::Cadre { .. }),
            name: case.subject.name(),
            unit,
            post,
        },
        source: case.source.as_deref(),
        facts: &case.facts,
        responsibility: case.responsibility.map(|r| r.name()),
        basis: &case.basis,
        basis_text: case.basis.join("、"),
        methods_text: methods.join("、"),
        methods,
        organisational: case.methods.iter().any(|m| matches!(m, Method::Organisational(_))),
        plea: case.plea.as_deref(),
        appeal: &s.appeal,
        cc: &case.cc,
        cc_text: if case.cc.is_empty() { String::new() } else { format!("{}。", case.cc.join("，")) },
        issuer: if s.issuer.is_empty() { format!("{}办公室", s.organ.trim_end_matches("委员会")) } else { s.issuer.clone() },
    }
}
