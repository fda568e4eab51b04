//! 工作任务函告书 and 问责决定书: read back, and the rules that make them correct.

mod common;

use common::*;
use std::path::Path;

fn build(ws: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    zeren(&args)
}

#[test]
fn each_branch_gets_its_own_tasks_and_a_receipt_on_a_new_page() {
    let (tmp, ws) = sample_copy();
    let out = tmp.path().join("out");
    let o = build(&ws, &out, &["--kind", "函告书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    let notice = workspace.notice.as_ref().unwrap();
    let files = files_under(&out.join("函告书"));
    let recipients: Vec<&zeren::model::Unit> = workspace.units.iter().filter(|u| notice.tasks.iter().any(|t| t.scope.covers(u))).collect();
    assert_eq!(files.len(), recipients.len());
    assert!(recipients.len() >= 3, "tasks for at least three branches");
    for (file, unit) in files.iter().zip(&recipients) {
        assert!(file.to_string_lossy().ends_with(&format!("-{}.docx", unit.name)), "{}", file.display());
        let doc = Docx::open(&out.join("函告书").join(file));
        let text = doc.text();
        assert!(text.contains(&format!("{}：", unit.name)), "主送 {}", unit.name);
        for task in &notice.tasks {
            assert_eq!(text.contains(&task.task), task.scope.covers(unit), "{}: task {}", unit.name, task.task);
        }
        let body = doc.document();
        assert_eq!(body.matches("<w:tblHeader/>").count(), 1, "{}: the task table's header row repeats", unit.name);
        assert!(body.contains("<w:cantSplit/>"), "rows do not split");
        let paras = doc.paragraphs();
        let receipt = paras.iter().position(|p| p.text == "回　执").expect("回执 title");
        let page_break = body.find(r#"<w:br w:type="page"/>"#).expect("page break before 回执");
        assert!(page_break < body.find("回　执").unwrap(), "回执 starts on a new page");
        assert!(paras[receipt..].iter().any(|p| p.text == "签收人"), "回执 has 签收人");
        assert!(text.contains("序号\n工作任务\n具体要求\n完成时限\n责任部门（责任人）"), "header columns in order");
        assert!(text.contains("联系人：许文澜，联系电话：0571-87051234"));
    }
}

#[test]
fn each_decision_has_its_number_subject_methods_appeal_and_imprint() {
    let (tmp, ws) = sample_copy();
    let out = tmp.path().join("out");
    let o = build(&ws, &out, &["--kind", "accountability-decision"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = files_under(&out.join("问责决定书"));
    assert_eq!(files.len(), 3);
    let expect = [
        ("中共江州市政府采购中心支部委员会", "江财党〔2026〕12号", "检查、通报"),
        ("吕振邦", "江财党〔2026〕13号", "诫勉"),
        ("冯立新", "江财党〔2026〕14号", "通报、组织调整或者组织处理（调整职务）"),
    ];
    for (file, (subject, no, methods)) in files.iter().zip(expect) {
        let doc = Docx::open(&out.join("问责决定书").join(file));
        let text = doc.text();
        assert!(text.contains(no), "{subject}: 文号 {no}");
        assert!(text.contains(&format!("关于对{subject}")), "{subject}: title");
        assert!(text.contains(&format!("予以{methods}。")), "{subject}: methods {methods}\n{text}");
        assert!(text.contains("如不服本决定，可自收到本决定之日起1个月内向本机关书面申诉，申诉期间不停止执行。"));
        assert!(text.contains("抄送：市纪委监委驻市财政局纪检监察组，市委组织部"), "{subject}: 抄送");
        assert!(text.contains("中共江州市财政局委员会办公室\t2026年3月"), "印发机关 and date");
        let body = doc.document();
        assert!(body.contains(r#"<w:pStyle w:val="GwLetterhead"/>"#), "版头");
        assert!(body.contains(r#"w:vertAnchor="margin""#), "版记 floats to the foot of the page");
        let styles = doc.part("word/styles.xml");
        let head = styles.split("<w:style ").find(|s| s.contains("GwLetterhead")).unwrap();
        assert!(head.contains(r#"<w:color w:val="FF0000"/>"#), "红头 is red");
        let rule = styles.split("<w:style ").find(|s| s.contains("GwRule")).unwrap();
        assert!(rule.contains(r#"w:color="FF0000""#) && rule.contains("<w:pBdr>"), "red rule");
        // 0.35 mm outer rules (sz 8) and 0.25 mm middle rule (sz 6) in the 版记.
        assert!(body.contains(r#"<w:top w:val="single" w:sz="8""#) && body.contains(r#"<w:bottom w:val="single" w:sz="6""#));
    }
    let csv = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    assert!(csv.contains("江财党〔2026〕13号"), "manifest carries the 文号");
}

#[test]
fn a_letterhead_too_wide_for_the_type_area_is_condensed_not_wrapped() {
    let (tmp, ws) = sample_copy();
    let settings = std::fs::read_to_string(ws.join("zeren.yaml")).unwrap();
    let run = |letterhead: &str, out: &str| {
        let text = settings.replace("letterhead: true", &format!("letterhead: {letterhead}"));
        std::fs::write(ws.join("zeren.yaml"), text).unwrap();
        let out = tmp.path().join(out);
        let o = build(&ws, &out, &["--kind", "问责决定书"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let doc = Docx::open(&out.join("问责决定书").join(files_under(&out.join("问责决定书"))[0].clone()));
        let body = doc.document();
        let head = body.split("<w:p>").find(|p| p.contains("GwLetterhead")).unwrap().to_string();
        assert!(head.contains(letterhead), "{head}");
        head
    };
    // 11 characters of 小初 fit the 156 mm line: set as they are.
    assert!(!run("中共江州市财政局委员会", "fits").contains("<w:w "));
    // 15 do not (15 × 36 pt > 442 pt): condensed to 442 / 540 ≈ 81 %, one line.
    let head = run("中共江州市财政局机关委员会文件", "condensed");
    assert!(head.contains(r#"<w:w w:val="81"/>"#), "{head}");
}

#[test]
fn numbers_are_assigned_once_recorded_and_reused() {
    let (tmp, ws) = sample_copy();
    std::fs::remove_file(ws.join("文号台账.yaml")).unwrap();
    let out = tmp.path().join("out1");
    let o = zeren(&["check", ws.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(!ws.join("文号台账.yaml").exists(), "check never writes the ledger");
    let o = build(&ws, &out, &["--kind", "问责决定书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ledger = std::fs::read_to_string(ws.join("文号台账.yaml")).expect("build records new numbers");
    assert!(ledger.contains("\"2026-WZ-002\": \"江财党〔2026〕13号\""), "next free after the given 12:\n{ledger}");
    assert!(ledger.contains("\"2026-WZ-003\": \"江财党〔2026〕14号\""));
    assert!(!ledger.contains("2026-WZ-001"), "a number given in the data is not the ledger's");
    // A re-run (even after a new case is added before the others) keeps every number.
    let cases = ws.join("data/cases.yaml");
    let text = std::fs::read_to_string(&cases).unwrap();
    let new_case = "  - id: 2026-WZ-000\n    subject: { type: 领导干部, name: 新案件, unit: 办公室, post: 科长 }\n    facts: 经查，……\n    methods: [诫勉]\n";
    std::fs::write(&cases, text.replacen("cases:\n", &format!("cases:\n{new_case}"), 1)).unwrap();
    let out2 = tmp.path().join("out2");
    let o = build(&ws, &out2, &["--kind", "问责决定书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ledger = std::fs::read_to_string(ws.join("文号台账.yaml")).unwrap();
    assert!(ledger.contains("\"2026-WZ-000\": \"江财党〔2026〕15号\""), "the new case gets a fresh number:\n{ledger}");
    assert!(ledger.contains("\"2026-WZ-002\": \"江财党〔2026〕13号\""), "old numbers kept");
    let old = Docx::open(&out.join("问责决定书/2-吕振邦.docx")).text();
    let new = Docx::open(&out2.join("问责决定书/3-吕振邦.docx")).text();
    assert_eq!(old, new, "the same case reads the same after a re-run");
}

/// A minimal workspace with cases (and tasks) to break.
fn workspace_with(cases: &str, tasks: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path();
    std::fs::create_dir_all(ws.join("data")).unwrap();
    std::fs::write(
        ws.join("zeren.yaml"),
        "organ: 中共某某局委员会\ncode: 某党\nyear: 2026\ndate: 2026-01-05\nsignatory: { name: 赵书记, title: 党委书记 }\n",
    )
    .unwrap();
    std::fs::write(ws.join("data/units.yaml"), "units:\n  - name: 办公室\n    type: 处室\n    leader: { name: 王主任, title: 主任 }\n")
        .unwrap();
    std::fs::write(ws.join("data/cases.yaml"), cases).unwrap();
    if let Some(t) = tasks {
        std::fs::write(ws.join("data/tasks.yaml"), t).unwrap();
    }
    tmp
}

fn fails_at(cases: &str, tasks: Option<&str>, place: &str, words: &str) {
    let ws = workspace_with(cases, tasks);
    let out = ws.path().join("out");
    let o = build(ws.path(), &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let line = err.lines().find(|l| l.contains(place)).unwrap_or_else(|| panic!("no message at {place}:\n{err}"));
    assert!(line.contains(words), "{place} should say {words}:\n{err}");
    assert!(!out.exists(), "nothing written");
    assert!(!ws.path().join("文号台账.yaml").exists(), "no number handed out");
}

const ORG: &str = "cases:\n  - id: A1\n    subject: { type: 党组织, name: 中共某某支部委员会 }\n    facts: 经查，……\n    methods: [检查]\n";
const CADRE: &str =
    "cases:\n  - id: B1\n    subject: { type: 领导干部, name: 张某, unit: 办公室, post: 主任 }\n    facts: 经查，……\n    methods: [通报]\n";

#[test]
fn an_organisation_cannot_be_given_admonition() {
    fails_at(&ORG.replace("[检查]", "[检查, 诫勉]"), None, "cases.yaml:5:19", "对党组织不能采用“诫勉”");
}

#[test]
fn a_cadre_cannot_be_given_reorganisation() {
    fails_at(&CADRE.replace("[通报]", "[改组]"), None, "cases.yaml:5:15", "对领导干部不能采用“改组”");
}

#[test]
fn an_unknown_method_lists_the_allowed_ones() {
    fails_at(&CADRE.replace("[通报]", "[警告处分]"), None, "cases.yaml:5:15", "问责方式“警告处分”不存在；可用：通报、诫勉");
}

#[test]
fn malformed_numbers_are_refused() {
    for (bad, why) in
        [("江财党〔26〕03号", "四位"), ("江财党[2026]3号", "六角括号"), ("江财党〔2026〕03号", "不编虚位"), ("江财党〔2026〕第3号", "第")]
    {
        let cases = CADRE.replace("    facts:", &format!("    doc_no: {bad}\n    facts:"));
        fails_at(&cases, None, "cases.yaml:4:13", why);
    }
}

#[test]
fn a_duplicate_number_names_both_cases() {
    let two = format!(
        "{CADRE}  - id: B2\n    doc_no: 某党〔2026〕3号\n    subject: {{ type: 领导干部, name: 李某, unit: 办公室, post: 副主任 }}\n    facts: 经查，……\n    methods: [诫勉]\n"
    );
    let cases = two.replacen("    facts:", "    doc_no: 某党〔2026〕3号\n    facts:", 1);
    fails_at(&cases, None, "cases.yaml:8:13", "与案件“B1”重复");
}

#[test]
fn a_task_for_a_unit_that_does_not_exist_is_located() {
    let tasks =
        "tasks:\n  - task: 学习\n    requirement: 每季度一次\n    deadline: 全年\n    lead: 办公室\n    applies_to: [不存在的支部]\n";
    fails_at(CADRE, Some(tasks), "tasks.yaml:6:18", "“不存在的支部”既不是单位类别");
}

#[test]
fn organisation_case_alone_warns_about_article_6() {
    let ws = workspace_with(ORG, None);
    let o = build(ws.path(), &ws.path().join("out"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("第六条"), "{}", stderr(&o));
}
