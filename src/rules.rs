//! Document-level rules, checked on the parsed `Document` before layout: what a 公文 of a kind
//! must hold whatever its template says (a title, a filled signing block, dates written the
//! GB/T 9704 way). `check` reports them; `build` refuses a document that breaks one.

use crate::markup::{Block, Document, Inline, plain_text};
use crate::model::{Date, DocNo, Kind};

/// A broken rule: stable code and Chinese message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub code: &'static str,
    pub message: String,
}

fn v(code: &'static str, message: impl Into<String>) -> Violation {
    Violation { code, message: message.into() }
}

pub fn check(kind: Kind, doc: &Document) -> Vec<Violation> {
    let mut out = Vec::new();
    if !doc.blocks.iter().any(|b| matches!(b, Block::Title(t) if !plain_text(t).trim().is_empty())) {
        out.push(v("doc.title-missing", "文书缺少标题（模板中应有非空的 <title>）"));
    }
    for b in &doc.blocks {
        match b {
            Block::Signature { organ, date } => {
                if plain_text(organ).trim().is_empty() {
                    out.push(v("doc.signature-empty", "落款的发文机关为空"));
                }
                date_rule(&mut out, date, "成文日期");
            }
            Block::Parties(parties) => {
                for p in parties {
                    if plain_text(&p.organ).trim().is_empty() {
                        out.push(v("doc.party-empty", format!("签署栏中{}的单位为空", p.label)));
                    }
                    // A date line without digits is left to be dated by hand.
                    if !p.date.is_empty() && !p.date_is_blank() {
                        date_rule(&mut out, &p.date, &format!("签署栏中{}的日期", p.label));
                    }
                }
            }
            _ => {}
        }
    }
    match kind {
        Kind::ResponsibilityLetter => {
            let parties = doc.blocks.iter().find_map(|b| match b {
                Block::Parties(p) => Some(p),
                _ => None,
            });
            match parties {
                None => out.push(v("doc.parties-missing", "责任书缺少甲乙双方签署栏（模板中应有 <parties>）")),
                Some(p) if p.len() < 2 => out.push(v("doc.parties-missing", "责任书的签署栏应有甲方和乙方两方")),
                Some(_) => {}
            }
        }
        Kind::TaskNotice => {
            if !doc.blocks.iter().any(|b| matches!(b, Block::Table(_))) {
                out.push(v("doc.table-missing", "函告书缺少任务表（模板中应有 <table>）"));
            }
            require_doc_no(&mut out, doc, "函告书");
            require_signature(&mut out, doc, "函告书");
        }
        Kind::AnnualReport => {
            if !doc.blocks.iter().any(|b| matches!(b, Block::Table(_))) {
                out.push(v("doc.table-missing", "年度报告表缺少表格（模板中应有 <table>）"));
            }
        }
        Kind::AccountabilityDecision => {
            require_doc_no(&mut out, doc, "问责决定书");
            require_signature(&mut out, doc, "问责决定书");
            appeal_rule(&mut out, doc);
            if !doc.blocks.iter().any(|b| matches!(b, Block::Imprint { .. })) {
                out.push(v("doc.imprint-missing", "问责决定书缺少版记（模板中应有 <imprint>）"));
            }
        }
    }
    out
}

/// A document that is registered carries its 文号, written the GB/T 9704 way.
fn require_doc_no(out: &mut Vec<Violation>, doc: &Document, what: &str) {
    let number = doc.blocks.iter().find_map(|b| match b {
        Block::DocNo(n) | Block::Letterhead { doc_no: n, .. } => Some(plain_text(n)),
        _ => None,
    });
    match number {
        None => out.push(v("doc.docno-missing", format!("{what}缺少文号（模板中应有 <docno> 或 <letterhead>）"))),
        Some(n) => {
            if let Err(e) = DocNo::parse(&n) {
                out.push(v("doc.docno-format", format!("文号“{n}”格式有误：{e}")));
            }
        }
    }
}

fn require_signature(out: &mut Vec<Violation>, doc: &Document, what: &str) {
    if !doc.blocks.iter().any(|b| matches!(b, Block::Signature { .. })) {
        out.push(v("doc.signature-missing", format!("{what}缺少落款和成文日期（模板中应有 <signature>）")));
    }
}

/// 条例: a decision tells how to appeal — in writing, within one month of receipt, to the 党组织
/// that made it (the one that signs it, named in full: a 党委 is not a "机关"), the appeal not
/// suspending it. Whatever the template or zeren.yaml's `appeal` says.
fn appeal_rule(out: &mut Vec<Violation>, doc: &Document) {
    let organ = doc.blocks.iter().find_map(|b| match b {
        Block::Signature { organ, .. } => Some(plain_text(organ).trim().to_string()),
        _ => None,
    });
    let notice = doc.blocks.iter().find_map(|b| match b {
        Block::Paragraph(p) if plain_text(&p.text).contains("申诉") => Some(plain_text(&p.text)),
        _ => None,
    });
    let Some(notice) = notice else {
        out.push(v(
            "doc.appeal-missing",
            "问责决定书缺少申诉告知（可自收到决定之日起1个月内向作出决定的党组织书面申诉，申诉期间不停止执行）",
        ));
        return;
    };
    let mut missing = Vec::new();
    match organ.filter(|o| !o.is_empty()) {
        Some(o) if !notice.contains(o.as_str()) || notice.contains("本机关") => {
            missing.push(format!("向作出决定的“{o}”申诉（不写“本机关”）"))
        }
        _ => {}
    }
    if !notice.contains("1个月") && !notice.contains("一个月") {
        missing.push("期限为1个月".to_string());
    }
    if !notice.contains("不停止") {
        missing.push("申诉期间不停止执行".to_string());
    }
    if !missing.is_empty() {
        out.push(v("doc.appeal", format!("申诉告知“{notice}”应写明：{}（zeren.yaml 的 appeal 或模板中的文字）", missing.join("；"))));
    }
}

/// A date printed in a document must read like 2026年1月5日 and exist.
fn date_rule(out: &mut Vec<Violation>, date: &[Inline], what: &str) {
    let text = plain_text(date);
    let text = text.trim();
    match Date::parse(text) {
        Ok(d) if d.chinese() == text => {}
        Ok(d) => out.push(v("doc.date-format", format!("{what}“{text}”应写作“{}”（阿拉伯数字，年份写全，月日不补零）", d.chinese()))),
        Err(_) => out.push(v("doc.date-format", format!("{what}“{text}”不是有效日期，应写作如“2026年1月5日”"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::parse;

    #[test]
    fn flags_missing_parties_bad_dates_and_empty_organs() {
        let doc = parse("<document><title>x</title><signature><organ> </organ><date>2026年01月05日</date></signature></document>").unwrap();
        let codes: Vec<&str> = check(Kind::ResponsibilityLetter, &doc).iter().map(|v| v.code).collect();
        assert_eq!(codes, ["doc.signature-empty", "doc.date-format", "doc.parties-missing"]);
        let ok = parse(
            "<document><title>x</title><parties><party label='甲方'><organ>a</organ><date>2026年1月5日</date></party>\
             <party label='乙方'><organ>b</organ></party></parties></document>",
        )
        .unwrap();
        assert!(check(Kind::ResponsibilityLetter, &ok).is_empty());
    }
}
