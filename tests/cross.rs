//! Rules that span documents (issue 27): the workspace is one record. Each test breaks one rule
//! in a copy of the samples and reads what `check` says, where it says it; the samples themselves
//! pass with nothing to say.

mod common;
use common::*;
use std::path::Path;

fn check(ws: &Path) -> (Option<i32>, String) {
    let o = zeren(&["check", ws.to_str().unwrap()]);
    (o.status.code(), format!("{}{}", stdout(&o), stderr(&o)))
}

fn check_json(ws: &Path) -> serde_json::Value {
    let o = zeren(&["check", ws.to_str().unwrap(), "--format", "json"]);
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The problems with `code`: (severity, file:line, message).
fn found(ws: &Path, code: &str) -> Vec<(String, String, String)> {
    let v = check_json(ws);
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["code"] == code)
        .map(|p| {
            let file = p["file"].as_str().unwrap_or("").rsplit('/').next().unwrap_or("").to_string();
            (p["severity"].as_str().unwrap().to_string(), format!("{file}:{}", p["line"]), p["message"].as_str().unwrap().to_string())
        })
        .collect()
}

fn edit(ws: &Path, file: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(ws.join(file)).unwrap();
    assert!(text.contains(from), "{file} has no {from}");
    std::fs::write(ws.join(file), text.replacen(from, to, 1)).unwrap();
}

fn line_of(ws: &Path, file: &str, needle: &str) -> usize {
    std::fs::read_to_string(ws.join(file)).unwrap().lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn the_samples_are_a_model_no_error_and_no_warning() {
    let (code, text) = check(&samples());
    assert_eq!(code, Some(0), "{text}");
    assert_eq!(text.trim(), "检查通过：42 份文书均可生成", "not one warning");
}

#[test]
fn a_date_the_notice_asks_for_falls_after_its_own_date() {
    let (_tmp, ws) = sample_copy();
    edit(&ws, "data/tasks.yaml", "receipt_due: 2026-01-20", "receipt_due: 2025-12-20");
    edit(&ws, "data/tasks.yaml", "deadline: 2026-02-28", "deadline: 2025-12-28");
    let receipt = found(&ws, "tasks.receipt-due-early");
    assert_eq!(receipt.len(), 1, "{receipt:?}");
    assert_eq!(receipt[0].1, format!("tasks.yaml:{}", line_of(&ws, "data/tasks.yaml", "receipt_due:")));
    assert!(receipt[0].2.contains("2025年12月20日") && receipt[0].2.contains("2026年1月5日"), "{receipt:?}");
    let task = found(&ws, "task.deadline-early");
    assert_eq!(task.len(), 1, "{task:?}");
    assert!(task[0].0 == "error" && task[0].2.contains("专题研究部署年度党风廉政建设工作"), "{task:?}");
}

#[test]
fn a_lead_is_in_the_roster_and_its_owner_fits_the_portfolio() {
    let (_tmp, ws) = sample_copy();
    // 机关纪委 is not in the roster; 罗明澈's portfolio (投资评审、离退休干部) does not hold 纪检.
    edit(
        &ws,
        "data/tasks.yaml",
        "    lead: 机关党委办公室\n    owner: 许文澜\n    applies_to: [直属单位",
        "    lead: 机关纪委\n    owner: 罗明澈\n    applies_to: [直属单位",
    );
    edit(&ws, "data/tasks.yaml", "    lead: 人事教育处\n    owner: 钱慧中", "    lead: 机关党委办公室\n    owner: 罗明澈");
    let unknown = found(&ws, "task.lead-unknown");
    assert!(unknown.len() == 1 && unknown[0].2.contains("“机关纪委”不在单位名单中"), "{unknown:?}");
    let misfit = found(&ws, "task.owner-misfit");
    assert_eq!(misfit.len(), 1, "{misfit:?}");
    assert!(misfit[0].2.contains("罗明澈分管投资评审和离退休干部工作") && misfit[0].2.contains("机关党委办公室"), "{misfit:?}");
    // A committee member as the 联系人: practice varies, a warning.
    edit(&ws, "data/tasks.yaml", "contact: { name: 陆清禾", "contact: { name: 许文澜");
    let contact = found(&ws, "tasks.contact-committee");
    assert!(contact.len() == 1 && contact[0].0 == "warning", "{contact:?}");
}

#[test]
fn one_persons_facts_agree_across_report_roster_and_case() {
    let (_tmp, ws) = sample_copy();
    // The report says she has led the centre since 2020-06; the case, since 2025-09.
    edit(&ws, "data/reports.yaml", "appointed: 2025-09", "appointed: 2020-06");
    let appointed = found(&ws, "person.appointed-differs");
    assert_eq!(appointed.len(), 1, "{appointed:?}");
    assert_eq!(appointed[0].1, format!("cases.yaml:{}", line_of(&ws, "data/cases.yaml", "- 苏望舒：")));
    assert!(appointed[0].2.contains("2025年9月") && appointed[0].2.contains("2020年6月"), "{appointed:?}");
    // The report owns a responsibility the case says she does not bear: a warning (read by words).
    edit(&ws, "data/reports.yaml", "的督促还需加强。", "的督促不够，负有领导责任。");
    let owned = found(&ws, "person.responsibility-differs");
    assert!(owned.len() == 1 && owned[0].0 == "warning" && owned[0].2.contains("苏望舒"), "{owned:?}");
    // A report's post is the roster's.
    edit(&ws, "data/reports.yaml", "    title: 处长", "    title: 副处长");
    let title = found(&ws, "report.title-differs");
    assert!(title.len() == 1 && title[0].2.contains("“副处长”与单位名单中的“处长”"), "{title:?}");
    // A 分管领导 in the roster is the committee member of zeren.yaml.
    edit(&ws, "data/units.yaml", "supervisor: { name: 魏书衡, title: 党委委员、副局长 }", "supervisor: { name: 魏书衡, title: 副局长 }");
    let sup = found(&ws, "unit.supervisor-title-differs");
    assert!(sup.len() == 1 && sup[0].2.contains("预算处") && sup[0].2.contains("“党委委员、副局长”"), "{sup:?}");
    // A person held to account who also reports: the same birth and post in both.
    let (_tmp2, ws) = sample_copy();
    let report = "  - unit: 预算处\n    name: 冯立新\n    title: 副处长\n    gender: 男\n    birth: 1983-12\n    political: 中共党员\n    appointed: 2022-01\n    portfolio: 分管部门预算编制\n    duty: ……\n    discipline: ……\n    frugality: ……\n    integrity: ……\n    personal_matters: ……\n    problems: ……\n    measures: ……\n";
    let text = std::fs::read_to_string(ws.join("data/reports.yaml")).unwrap();
    std::fs::write(ws.join("data/reports.yaml"), format!("{text}{report}")).unwrap();
    let facts = found(&ws, "person.facts-differ");
    assert_eq!(facts.len(), 1, "{facts:?}");
    assert!(facts[0].2.contains("出生年月（1983年11月与1983年12月）"), "{facts:?}");
}

#[test]
fn a_veto_needs_its_evidence() {
    let (_tmp, ws) = sample_copy();
    // 市政府采购中心's only cases: the branch (检查、通报) and 吕振邦 (诫勉) — no 处分.
    let results = std::fs::read_to_string(ws.join("data/results.yaml")).unwrap();
    std::fs::write(ws.join("data/results.yaml"), format!("{results}    veto: [V2]\n")).unwrap();
    let unbacked = found(&ws, "result.veto-unbacked");
    assert_eq!(unbacked.len(), 1, "{unbacked:?}");
    assert!(unbacked[0].2.contains("吕振邦（诫勉（谈话））") && unbacked[0].2.contains("veto_basis"), "{unbacked:?}");
    // An outside decision without a 文号 backs nothing.
    std::fs::write(ws.join("data/results.yaml"), format!("{results}    veto: [V2]\n    veto_basis: {{ V2: 市纪委监委的决定 }}\n")).unwrap();
    assert_eq!(found(&ws, "result.veto-basis").len(), 1);
    // A veto item must say what backs it.
    edit(&ws, "data/scheme.yaml", ", evidence: 处分 }", " }");
    let missing = found(&ws, "scheme.veto-evidence-missing");
    assert!(missing.len() == 1 && missing[0].2.contains("“V2”"), "{missing:?}");
}

#[test]
fn a_unit_held_to_account_is_not_scored_full_marks_on_its_case_without_a_reason() {
    let (_tmp, ws) = sample_copy();
    edit(
        &ws,
        "data/results.yaml",
        "A1: { 自评: 10, 考核组: 8, note: 副处长冯立新被问责，岗位廉政风险清单对资金分配环节的要求未落实到位 }",
        "A1: { 考核组: 10, 自评: 10 }",
    );
    let full = found(&ws, "result.full-marks-despite-case");
    assert_eq!(full.len(), 1, "{full:?}");
    assert!(full[0].2.contains("单位“预算处”") && full[0].2.contains("2026-WZ-003") && full[0].2.contains("“A1”"), "{full:?}");
    // A stated reason answers it.
    edit(&ws, "data/results.yaml", "A1: { 考核组: 10, 自评: 10 }", "A1: { 考核组: 10, 自评: 10, note: 问题已在A2、B1扣分 }");
    assert!(found(&ws, "result.full-marks-despite-case").is_empty());
}

#[test]
fn practice_questions_are_warnings_that_say_why() {
    let (_tmp, ws) = sample_copy();
    // The decision is announced to the cadre's 党组织: the 抄送 names it.
    edit(&ws, "data/cases.yaml", ", 中共江州市财政局机关第二支部委员会]", "]");
    let cc = found(&ws, "case.cc-party-organisation");
    assert!(cc.len() == 1 && cc[0].0 == "warning" && cc[0].2.contains("冯立新"), "{cc:?}");
    // A 处室 is not a 党组织: no 主体责任 group for it.
    edit(
        &ws,
        "data/duties.yaml",
        "  - subject: 履行全面从严治党主体责任\n    applies_to: [直属单位]",
        "  - subject: 履行全面从严治党主体责任\n    applies_to: [处室, 直属单位]",
    );
    let office = found(&ws, "duties.office-principal");
    assert!(office.len() == 1 && office[0].0 == "warning" && office[0].2.contains("处室不是党组织"), "{office:?}");
    let (code, _) = check(&ws);
    assert_eq!(code, Some(0), "warnings do not fail the check");
}
