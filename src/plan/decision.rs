//! What a 问责决定书's template sees, and each case's 文号.

use crate::model::{Case, DocNo, Method, Subject, Word, Workspace, words};
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
    /// 主体责任 / 监督责任 / 领导责任, when the data names it.
    pub duty: Option<&'static str>,
    pub responsibility: Option<&'static str>,
    /// The Art. 7 item: its number and the situation in short.
    pub situation: SituationView,
    /// The Art. 8 clause for this subject and the items of the methods, in order.
    pub article8: Article8View,
    /// More than one method: 第八条第三款 (合并使用).
    pub combined: bool,
    /// Other provisions cited (a local 实施办法).
    pub local_basis: &'a [String],
    pub methods: Vec<MethodView<'a>>,
    /// A 组织调整或者组织处理 is decided: its procedures take one month at most.
    pub organisational: bool,
    pub plea: PleaView<'a>,
    /// The post 调整职务 or 降职 moves the subject to.
    pub new_post: Option<&'a str>,
    pub mitigating: Option<&'a str>,
    pub aggravating: Option<&'a str>,
    pub execution: &'a [String],
    /// The workspace's own appeal notice; none: the template's, naming `organ`.
    pub appeal: Option<&'a str>,
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
    /// The unit as the unit list names it.
    pub unit: &'a str,
    /// 单位全称 as the decision prints it.
    pub unit_full: &'a str,
    pub gender: Option<&'static str>,
    /// 1979年4月.
    pub born: Option<String>,
    pub political: Option<&'a str>,
    pub post: Option<&'a str>,
    /// An organisation's 主要负责人.
    pub leader: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SituationView {
    pub item: u8,
    pub name: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Article8View {
    pub clause: u8,
    pub items: Vec<u8>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MethodView<'a> {
    /// 检查, 通报, 改组, 诫勉, 组织调整或者组织处理, 纪律处分.
    pub method: &'static str,
    /// Its item in the Art. 8 clause.
    pub item: u8,
    /// 通报: 在市财政局系统内.
    pub scope: Option<&'a str>,
    /// 诫勉: 谈话 or 书面.
    pub form: Option<&'static str>,
    /// 组织调整或者组织处理: 停职检查, 调整职务, 责令辞职, 降职 or 免职.
    pub measure: Option<&'static str>,
    /// 纪律处分: 党内警告…开除党籍.
    pub sanction: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PleaView<'a> {
    /// What the subject said, as a sentence (may be empty when waived).
    pub said: &'a str,
    /// 无异议, 采纳, 部分采纳, 不予采纳 or 放弃.
    pub result: &'static str,
    pub reason: Option<&'a str>,
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
            } else if let Some(no) = ws.ledger.case_number(&case.id) {
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
    let kind = case.subject.kind();
    let methods: Vec<MethodView> = case.methods.iter().map(|m| method_view(m, kind)).collect();
    DecisionContext {
        organ: &s.organ,
        code: &s.code,
        year: s.year,
        date: case.date.unwrap_or(s.date).chinese(),
        doc_no: no.to_string(),
        letterhead: s.letterhead.as_ref().map(|l| if l.is_empty() { s.organ.clone() } else { l.clone() }),
        case_id: &case.id,
        subject: subject_view(&case.subject),
        source: case.source.as_deref(),
        facts: &case.facts,
        duty: case.duty.map(|d| d.name()),
        responsibility: case.responsibility.map(|r| r.name()),
        situation: SituationView { item: case.situation.item(), name: case.situation.name() },
        article8: Article8View { clause: kind.article8_clause(), items: case.article8_items() },
        combined: case.methods.len() > 1,
        local_basis: &case.local_basis,
        organisational: case.methods.iter().any(|m| matches!(m, Method::Organisational(_))),
        methods,
        plea: PleaView { said: &case.plea.said, result: case.plea.result.name(), reason: case.plea.reason.as_deref() },
        new_post: case.new_post.as_deref(),
        mitigating: case.mitigating.as_deref(),
        aggravating: case.aggravating.as_deref(),
        execution: &case.execution,
        appeal: s.appeal.as_deref(),
        cc: &case.cc,
        cc_text: if case.cc.is_empty() { String::new() } else { format!("{}。", case.cc.join("，")) },
        issuer: if s.issuer.is_empty() {
            let stem = s.organ.trim_end_matches("委员会");
            ws.words.fill(Word::Issuer, &[(words::ORGAN_STEM, stem), (words::ORGAN, &s.organ)])
        } else {
            s.issuer.clone()
        },
    }
}

fn subject_view(subject: &Subject) -> SubjectView<'_> {
    match subject {
        Subject::Cadre(c) => SubjectView {
            kind: subject.kind_name(),
            is_cadre: true,
            name: &c.name,
            unit: c.unit.as_str(),
            unit_full: &c.unit_full,
            gender: Some(c.gender.name()),
            born: Some(c.born.chinese()),
            political: Some(&c.political),
            post: Some(&c.post),
            leader: None,
        },
        Subject::Organisation(o) => SubjectView {
            kind: subject.kind_name(),
            is_cadre: false,
            name: &o.name,
            unit: o.unit.as_str(),
            unit_full: &o.unit_full,
            gender: None,
            born: None,
            political: None,
            post: None,
            leader: Some(&o.leader),
        },
    }
}

fn method_view(m: &Method, kind: crate::model::SubjectKind) -> MethodView<'_> {
    let mut v = MethodView {
        method: m.kind().name(),
        item: m.kind().item(kind).unwrap_or(0),
        scope: None,
        form: None,
        measure: None,
        sanction: None,
    };
    match m {
        Method::Circular { scope } => v.scope = Some(scope),
        Method::Admonition(form) => v.form = Some(form.name()),
        Method::Organisational(measure) => v.measure = Some(measure.name()),
        Method::Discipline(sanction) => v.sanction = Some(sanction.name()),
        Method::Inspection | Method::Reorganisation => {}
    }
    v
}
