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
        let text = doc.flowing_text();
        assert!(text.contains(&format!("{}：", unit.name)), "主送 {}", unit.name);
        for task in &notice.tasks {
            assert_eq!(text.contains(&task.task), task.scope.covers(unit), "{}: task {}", unit.name, task.task);
        }
        let body = doc.document();
        // The task table's header row repeats on each page: in each part where the page model
        // cut the table before a row (the 回执's table has no header).
        let parts = body.matches("<w:tbl>").count() - 1;
        assert_eq!(body.matches("<w:tblHeader/>").count(), parts, "{}: the task table's header row repeats", unit.name);
        assert!(body.contains("<w:cantSplit/>"), "rows do not split");
        let paras = doc.paragraphs();
        let receipt = paras.iter().position(|p| p.text == "回　执").expect("回执 title");
        // The attachment's label, "附件" alone on the first line of a new page (GB/T 9704 7.3.7).
        let label = body[..body.find("回　执").unwrap()].rfind(">附件<").expect("附件 label before 回执");
        let label_paragraph = &body[body[..label].rfind("<w:p>").unwrap()..label];
        assert!(label_paragraph.contains("<w:pageBreakBefore/>"), "回执 starts on a new page: {label_paragraph}");
        assert!(paras[receipt..].iter().any(|p| p.text == "签收人（签字）"), "回执 has 签收人");
        assert!(text.contains("序号\n工作任务\n具体要求\n完成时限\n牵头部门（牵头人）"), "header columns in order");
        assert!(text.contains("联系人：陆清禾，联系电话：0571-87051234"));
    }
}

/// What each sample decision must say, read back from the .docx.
struct Expected {
    file: &'static str,
    doc_no: &'static str,
    title: &'static str,
    /// The paragraph right after the title: who the subject is.
    identity: &'static str,
    /// The citation, generated from the situation and the methods.
    citation: &'static str,
    /// The methods spelled out.
    decision: &'static str,
    /// Other sentences the decision must hold (grade, 陈述申辩, circumstances, execution).
    also: &'static [&'static str],
}

const SAMPLE_DECISIONS: [Expected; 3] = [
    Expected {
        file: "1-中共江州市政府采购中心支部委员会.docx",
        doc_no: "江财党〔2026〕12号",
        title: "关于对中共江州市政府采购中心支部委员会进行问责的决定",
        identity: "中共江州市政府采购中心支部委员会，江州市政府采购中心党组织，主要负责人苏望舒。",
        citation: "根据《中国共产党问责条例》第七条第八项、第八条第一款第一项和第二项、第三款以及《江州市贯彻〈中国共产党问责条例〉实施办法》第九条的规定，经中共江州市财政局委员会研究，",
        decision: "决定对中共江州市政府采购中心支部委员会合并使用以下问责方式：责令中共江州市政府采购中心支部委员会作出书面检查并切实整改；对其进行通报，责令其整改，并在市财政局系统内通报。",
        also: &[
            "中共江州市政府采购中心支部委员会履行主体责任不力，对上述问题负有全面领导责任。",
            "支部委员会在陈述申辩中对上述事实无异议",
            "应当认真整改，并在1个月内将整改情况书面报告中共江州市财政局委员会。",
        ],
    },
    Expected {
        file: "2-吕振邦.docx",
        doc_no: "江财党〔2026〕13号",
        title: "关于对吕振邦同志进行问责的决定",
        identity: "吕振邦，男，1978年6月生，中共党员，江州市政府采购中心副主任。",
        citation: "根据《中国共产党问责条例》第七条第八项、第八条第二款第二项的规定，经中共江州市财政局委员会研究，",
        decision: "决定以谈话方式对吕振邦同志进行诫勉。",
        also: &[
            "吕振邦同志履行领导责任不力，对上述问题负有主要领导责任。",
            "吕振邦同志在陈述申辩中对上述事实无异议，表示深刻认识错误，愿意接受组织处理。",
            "鉴于吕振邦同志在巡察期间主动说明问题，并牵头完成采购方式变更审批制度的整改，根据《中国共产党问责条例》第十八条的规定，予以从轻问责。",
            "吕振邦同志应当向中共江州市财政局委员会写出书面检讨，并在民主生活会、组织生活会或者党的其他会议上作出深刻检查。",
        ],
    },
    Expected {
        file: "3-冯立新.docx",
        doc_no: "江财党〔2026〕14号",
        title: "关于对冯立新同志进行问责的决定",
        identity: "冯立新，男，1983年11月生，中共党员，江州市财政局预算处副处长。",
        citation: "根据《中国共产党问责条例》第七条第八项、第八条第二款第一项和第三项、第三款的规定，经中共江州市财政局委员会研究，",
        // 组织调整 names the post, so the 组织部门 can carry it out.
        decision: "决定对冯立新同志合并使用以下问责方式：对冯立新同志进行通报，予以严肃批评，责令其作出书面检查、切实整改，并在市财政局系统内通报；将其职务由江州市财政局预算处副处长调整为江州市财政局国库处四级调研员。",
        also: &[
            // A 问责 grade of 第六条 (the sample once found 直接责任, which is not 问责's).
            "冯立新同志履行领导责任不力，对上述问题负有主要领导责任。",
            "经核实，对其意见不予采纳，理由是：上述调整涉及资金分配，按规定应当提交局党委会集体研究，冯立新同志作为分管副处长未予制止，事后口头报告不能代替集体决策程序。",
            "抄送：市纪委监委驻市财政局纪检监察组，市委组织部，中共江州市财政局机关第二支部委员会。",
            "组织调整或者组织处理的相关手续应当在1个月内办理完毕。",
        ],
    },
];

#[test]
fn each_decision_cites_spells_out_identifies_and_names_the_appeal_body() {
    let (tmp, ws) = sample_copy();
    let out = tmp.path().join("out");
    let o = build(&ws, &out, &["--kind", "accountability-decision"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("提示"), "the samples are exemplary: no warning\n{}", stderr(&o));
    let files = files_under(&out.join("问责决定书"));
    assert_eq!(files.len(), 3);
    for (file, e) in files.iter().zip(&SAMPLE_DECISIONS) {
        assert_eq!(file.to_string_lossy(), e.file);
        let doc = Docx::open(&out.join("问责决定书").join(file));
        let paras: Vec<String> = doc.paragraphs().into_iter().map(|p| p.text.replace('\n', "")).collect();
        let text = doc.text();
        // A long title is set in lines broken between words: read each paragraph whole.
        let title = paras.iter().position(|p| p == e.title).unwrap_or_else(|| panic!("{}: title {}\n{text}", e.file, e.title));
        let first = paras[title + 1..].iter().find(|p| !p.is_empty()).unwrap();
        assert_eq!(*first, e.identity, "{}: the subject is identified first", e.file);
        assert!(text.contains(e.doc_no), "{}: 文号 {}", e.file, e.doc_no);
        let decision = paras.iter().find(|p| p.starts_with("根据《中国共产党问责条例》")).expect("the decision paragraph");
        assert_eq!(*decision, format!("{}{}", e.citation, e.decision), "{}", e.file);
        for sentence in e.also {
            assert!(text.contains(sentence), "{}: {sentence}\n{text}", e.file);
        }
        // The appeal goes to the 党组织 that decided, in full; one month; not suspended.
        assert!(
            paras
                .iter()
                .any(|p| p == "如不服本决定，可自收到本决定之日起1个月内向中共江州市财政局委员会书面申诉。申诉期间，不停止本决定的执行。"),
            "{}: appeal\n{text}",
            e.file
        );
        assert!(!text.contains("本机关"), "{}", e.file);
        // A measure is named, never the category label with it in brackets.
        assert!(!text.contains("组织调整或者组织处理（"), "{}", e.file);
        assert!(text.contains("抄送：市纪委监委驻市财政局纪检监察组，市委组织部"), "{}: 抄送", e.file);
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
    let new_case = "  - id: 2026-WZ-000\n    subject: { type: 领导干部, name: 易兰, gender: 女, born: 1985-02, political: 中共党员, unit: 市政府采购中心, post: 副主任 }\n    facts: 经查，……\n    responsibility: 重要领导责任\n    situation: 8\n    methods: [书面诫勉]\n    plea_result: 放弃\n";
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

/// A minimal workspace with cases (and tasks) to break: 办公室 (leader 王主任, deputy 李副主任)
/// and 预算处 (leader 唐处长, 分管 魏局长, deputy 钱副处长).
fn workspace_with(cases: &str, tasks: Option<&str>) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path();
    std::fs::create_dir_all(ws.join("data")).unwrap();
    std::fs::write(ws.join("zeren.yaml"), SETTINGS).unwrap();
    std::fs::write(
        ws.join("data/units.yaml"),
        "units:\n  - name: 办公室\n    type: 处室\n    leader: { name: 王主任, title: 主任 }\n    members: [{ name: 李副主任, title: 副主任 }]\n  - name: 预算处\n    type: 处室\n    leader: { name: 唐处长, title: 处长 }\n    supervisor: { name: 魏局长, title: 副局长 }\n    members: [{ name: 钱副处长, title: 副处长 }]\n",
    )
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
    assert!(err.lines().any(|l| l.contains(place) && l.contains(words)), "{place} should say {words}:\n{err}");
    assert!(!out.exists(), "nothing written");
    assert!(!ws.path().join("文号台账.yaml").exists(), "no number handed out");
}

/// Builds and returns stderr (the warnings).
fn builds_with(cases: &str) -> String {
    let ws = workspace_with(cases, None);
    let o = build(ws.path(), &ws.path().join("out"), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    stderr(&o)
}

/// A valid case against an organisation: methods on line 6.
const ORG: &str = "cases:
  - id: A1
    subject: { type: 党组织, name: 中共某某局办公室支部委员会, unit: 办公室 }
    facts: 经查，……
    situation: 8
    methods: [检查]
    plea_result: 放弃
";
/// A valid case against a cadre (the deputy of 办公室): responsibility on line 5, situation 6,
/// methods 7, circular_scope 8, plea 9, plea_result 10.
const CADRE: &str = "cases:
  - id: B1
    subject: { type: 领导干部, name: 李副主任, gender: 男, born: 1980-01, political: 中共党员, unit: 办公室, post: 副主任 }
    facts: 经查，……
    responsibility: 重要领导责任
    situation: 8
    methods: [通报]
    circular_scope: 在局机关范围内
    plea: 李副主任同志对上述事实无异议。
    plea_result: 无异议
    cc: [中共某某局机关第一支部委员会]
";

#[test]
fn the_minimal_cases_build() {
    let o = builds_with(CADRE);
    assert!(!o.contains("提示"), "{o}");
}

#[test]
fn an_organisation_cannot_be_given_admonition() {
    fails_at(&ORG.replace("[检查]", "[检查, 诫勉]"), None, "cases.yaml:6:19", "对党组织不能采用“诫勉”");
}

#[test]
fn a_cadre_cannot_be_given_reorganisation() {
    fails_at(&CADRE.replace("[通报]", "[改组]"), None, "cases.yaml:7:15", "对领导干部不能采用“改组”");
}

#[test]
fn an_unknown_method_lists_the_allowed_ones() {
    fails_at(
        &CADRE.replace("[通报]", "[约谈]"),
        None,
        "cases.yaml:7:15",
        "问责方式“约谈”不存在（《中国共产党问责条例》第八条）；可用：通报（第一项）、诫勉（第二项）",
    );
}

#[test]
fn article_7_has_eleven_items() {
    fails_at(&CADRE.replace("situation: 8", "situation: 15"), None, "cases.yaml:6:16", "第七条只有十一项，没有第十五项");
    fails_at(&CADRE.replace("    situation: 8\n", ""), None, "cases.yaml:2:5", "案件“B1”缺少问责情形(situation)");
}

#[test]
fn an_old_basis_list_is_read_and_checked_against_the_methods() {
    // 第八条第一款 is for organisations; the item the user wrote must exist and be imposed.
    let old = |basis: &str| CADRE.replace("    situation: 8\n", &format!("    basis: [《中国共产党问责条例》第七条第八项, {basis}]\n"));
    fails_at(&old("第八条第一款第三项"), None, "cases.yaml:6:32", "第八条第一款是对党组织的问责方式，不适用于领导干部");
    fails_at(&old("第八条第二款第五项"), None, "cases.yaml:6:32", "第八条第二款没有第五项");
    fails_at(&old("第八条第二款第二项"), None, "cases.yaml:6:32", "所引第八条第二款第二项是“诫勉”，但问责方式中没有诫勉");
    let o = builds_with(&old("第八条第二款第一项"));
    assert!(o.contains("cases.yaml:6:12: 提示") && o.contains("已分为问责情形和其他依据"), "a hint to move to situation:\n{o}");
}

#[test]
fn each_method_needs_its_parameters() {
    fails_at(&CADRE.replace("    circular_scope: 在局机关范围内\n", ""), None, "cases.yaml:7:15", "通报应写明通报范围");
    let with = |methods: &str| CADRE.replace("[通报]", methods).replace("    circular_scope: 在局机关范围内\n", "");
    fails_at(&with("[诫勉]"), None, "cases.yaml:7:15", "诫勉应写明以谈话还是书面方式进行");
    fails_at(
        &with("[组织调整或者组织处理]"),
        None,
        "cases.yaml:7:15",
        "组织调整或者组织处理应写明具体措施：停职检查、调整职务、责令辞职、降职、免职",
    );
    fails_at(&with("[纪律处分]"), None, "cases.yaml:7:15", "纪律处分应写明处分种类");
    fails_at(&with("[留党察看]"), None, "cases.yaml:7:15", "留党察看应写明期限");
    let stray = CADRE.replace("    circular_scope: 在局机关范围内\n", "    circular_scope: 在局机关范围内\n    admonition: 谈话\n");
    fails_at(&stray, None, "cases.yaml:9:17", "填了诫勉方式(admonition)，但问责方式中没有诫勉");
    fails_at(
        &CADRE.replace("[通报]", "[通报, 诫勉]").replace("    plea:", "    admonition: 口头\n    plea:"),
        None,
        "cases.yaml:9:17",
        "诫勉方式(admonition)“口头”无效",
    );
}

#[test]
fn the_plea_is_required_and_a_rejection_gives_its_reason() {
    let no_plea = CADRE.replace("    plea: 李副主任同志对上述事实无异议。\n    plea_result: 无异议\n", "");
    fails_at(&no_plea, None, "cases.yaml:2:5", "缺少陈述申辩(plea)");
    fails_at(&CADRE.replace("plea_result: 无异议", "plea_result: 不予采纳"), None, "cases.yaml:10:18", "应写明处理理由(plea_reason)");
    fails_at(&CADRE.replace("    plea_result: 无异议\n", ""), None, "cases.yaml:9:11", "缺少申辩处理(plea_result)");
}

#[test]
fn a_cadre_is_identified_in_full() {
    fails_at(&CADRE.replace("gender: 男, ", ""), None, "cases.yaml:3:14", "缺少案件“B1”的性别(gender)");
    fails_at(&CADRE.replace("born: 1980-01", "born: 1980-13"), None, "cases.yaml:3:57", "出生年月(born)“1980-13”有误");
    fails_at(&CADRE.replace("political: 中共党员, ", ""), None, "cases.yaml:3:14", "缺少案件“B1”的政治面貌(political)");
}

#[test]
fn a_case_unit_must_be_in_the_unit_list() {
    fails_at(&CADRE.replace("unit: 办公室", "unit: 办公厅"), None, "cases.yaml:3:89", "单位“办公厅”不在单位名单中");
    fails_at(&ORG.replace(", unit: 办公室", ""), None, "cases.yaml:3:14", "缺少案件“A1”的所属单位(unit)");
}

#[test]
fn the_grade_is_checked_against_the_subjects_role() {
    // The unit's 主要负责人 bears 主要领导责任, never 重要.
    let leader = CADRE.replace("name: 李副主任", "name: 王主任").replace("post: 副主任", "post: 主任");
    fails_at(&leader, None, "cases.yaml:5:21", "王主任是“办公室”的主要负责人，按《中国共产党问责条例》第六条承担主要领导责任");
    // An organisation's 班子 bears 全面领导责任.
    fails_at(
        &ORG.replace("    situation:", "    responsibility: 主要领导责任\n    situation:"),
        None,
        "cases.yaml:5:21",
        "党组织领导班子负全面领导责任",
    );
    // 问责 has no 直接责任 (条例 第六条): refused, pointing to the 纪律处分条例 route.
    let direct = CADRE.replace("responsibility: 重要领导责任", "responsibility: 直接责任");
    fails_at(&direct, None, "cases.yaml:5:21", "没有直接责任；本人直接实施的违纪问题属于《中国共产党纪律处分条例》规定的直接责任者");
    // So is a case of one's own act, whatever grade it was given.
    let own = CADRE.replace("    situation:", "    acted_personally: true\n    situation:");
    fails_at(&own, None, "cases.yaml:6:23", "应当按纪律审查程序处理、给予纪律处分，不作问责决定");
    // A person the list does not have in the unit (its 班子 is listed): a warning.
    let o = builds_with(&CADRE.replace("name: 李副主任", "name: 张某"));
    assert!(o.contains("“办公室”的负责人和班子成员里没有“张某”"), "{o}");
    let o = builds_with(&CADRE.replace("post: 副主任", "post: 科长"));
    assert!(o.contains("cases.yaml:3:100: 提示") && o.contains("职务“科长”与单位名单中李副主任的职务“副主任”不一致"), "{o}");
    // The 分管领导 is the 班子成员 directly in charge: 主要领导责任, as a rule.
    let supervisor =
        CADRE.replace("name: 李副主任", "name: 魏局长").replace("unit: 办公室", "unit: 预算处").replace("post: 副主任", "post: 副局长");
    let o = builds_with(&supervisor);
    assert!(o.contains("cases.yaml:5:21") && o.contains("魏局长是“预算处”的分管领导"), "{o}");
    let missing = CADRE.replace("    responsibility: 重要领导责任\n", "");
    fails_at(&missing, None, "cases.yaml:2:5", "缺少责任类型(responsibility)");
}

#[test]
fn a_reassignment_or_demotion_names_the_new_post() {
    // "调整其职务" names no post: the 组织部门 could not carry it out.
    for measure in ["调整职务", "降职"] {
        let cases = CADRE
            .replace("methods: [通报]", "methods: [通报, 组织调整或者组织处理]")
            .replace("    plea:", &format!("    measure: {measure}\n    plea:"));
        fails_at(&cases, None, "cases.yaml:9:14", "没有写明调整后的职务");
    }
    let cases = CADRE
        .replace("methods: [通报]", "methods: [通报, 组织调整或者组织处理]")
        .replace("    plea:", "    measure: 降职：办公室一级主任科员\n    plea:");
    let ws = workspace_with(&cases, None);
    let out = ws.path().join("out");
    let o = build(ws.path(), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = Docx::open(&out.join("问责决定书/1-李副主任.docx")).text();
    assert!(text.contains("对其作降职处理，由办公室副主任降为办公室一级主任科员"), "{text}");
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
    let second = CADRE.replace("cases:\n", "").replace("id: B1", "id: B2").replace("    facts:", "    doc_no: 某党〔2026〕3号\n    facts:");
    let cases = format!("{}{second}", CADRE.replacen("    facts:", "    doc_no: 某党〔2026〕3号\n    facts:", 1));
    // B1 takes 12 lines; B2's 文号 is its third line.
    fails_at(&cases, None, "cases.yaml:15:13", "与案件“B1”重复");
}

#[test]
fn a_task_for_a_unit_that_does_not_exist_is_located() {
    let tasks =
        "tasks:\n  - task: 学习\n    requirement: 每季度一次\n    deadline: 全年\n    lead: 办公室\n    applies_to: [不存在的支部]\n";
    fails_at(CADRE, Some(tasks), "tasks.yaml:6:18", "“不存在的支部”既不是单位类别");
}

/// 条例 Art. 6: a case against an organisation comes with cases (or reasons) for its
/// 主要负责人 and responsible members, matched by the unit's identity.
#[test]
fn organisation_case_alone_warns_about_article_6() {
    let o = builds_with(ORG);
    assert!(o.contains("第六条") && o.contains("主要负责人王主任"), "{o}");
    // A case against the deputy does not cover the 主要负责人.
    let o = builds_with(&format!("{ORG}{}", CADRE.replace("cases:\n", "")));
    assert!(o.contains("主要负责人王主任") && !o.contains("未列出"), "{o}");
    // A case against someone named 王主任 in another unit is not one against this unit's.
    let elsewhere = CADRE.replace("cases:\n", "").replace("name: 李副主任", "name: 王主任").replace("unit: 办公室", "unit: 预算处");
    let o = builds_with(&format!("{ORG}{elsewhere}"));
    assert!(o.contains("主要负责人王主任"), "matched by the unit, not the name alone:\n{o}");
    // With a case against each, or a reason, nothing to say.
    let leader = CADRE
        .replace("cases:\n", "")
        .replace("id: B1", "id: B0")
        .replace("name: 李副主任", "name: 王主任")
        .replace("post: 副主任", "post: 主任")
        .replace("重要领导责任", "主要领导责任");
    let o = builds_with(&format!("{ORG}{leader}"));
    assert!(!o.contains("第六条"), "{o}");
    let reason = ORG.replace("    facts:", "    members: [王主任：已另案处理]\n    facts:");
    let o = builds_with(&reason);
    assert!(!o.contains("第六条"), "{o}");
    // A member named without a reason and without a case is named.
    let o = builds_with(&ORG.replace("    facts:", "    members: [王主任：已另案处理, 李副主任]\n    facts:"));
    assert!(o.contains("没有对下列人员的案件，也没有说明理由：李副主任"), "{o}");
    fails_at(&CADRE.replace("    facts:", "    members: [王主任]\n    facts:"), None, "cases.yaml:4:15", "只用于对党组织的案件");
}

#[test]
fn an_appeal_to_this_organ_is_flagged_and_the_decision_refused() {
    let ws = workspace_with(CADRE, None);
    let settings = ws.path().join("zeren.yaml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("{text}appeal: 如不服本决定，可在1个月内向本机关申诉，申诉期间不停止执行。\n")).unwrap();
    let out = ws.path().join("out");
    let o = build(ws.path(), &out, &[]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("zeren.yaml:6:9: 提示：申诉告知(appeal)应写明：向作出决定的党组织“中共某某局委员会”申诉"), "{err}");
    assert!(err.contains("申诉告知“如不服本决定，可在1个月内向本机关申诉"), "the decision itself is refused:\n{err}");
    assert!(!out.exists());
}

/// Without `issuer`, the 版记 names the organ's 办公室 by the organ's full name: a 县委's is
/// 中共××县委员会办公室, never a stem such as 中共××县办公室.
#[test]
fn default_issuer_is_the_full_organ_and_its_office() {
    let (_tmp, ws) = common::sample_copy();
    let settings = ws.join("zeren.yaml");
    let yaml = std::fs::read_to_string(&settings).unwrap();
    let yaml: String = yaml
        .lines()
        .filter(|l| !l.starts_with("issuer:"))
        .map(|l| l.replace("organ: 中共江州市财政局委员会", "organ: 中共青山县委员会"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&settings, yaml).unwrap();
    let out = ws.join("out");
    let o = common::zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "问责决定书"]);
    assert!(o.status.success(), "{}", common::stderr(&o));
    let first = common::files_under(&out.join("问责决定书")).into_iter().next().expect("a decision");
    let text = Docx::open(&out.join("问责决定书").join(first)).text();
    assert!(text.contains("中共青山县委员会办公室\t"), "{text}");
    assert!(!text.contains("中共青山县办公室"), "{text}");
}
