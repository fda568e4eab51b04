//! 函告书 as a registered 公文: a 文号 from the ledger (stable, recorded by a real build only),
//! the 回执 as its 附件, the recipient addressed by its kind, the report request worded per task.

mod common;

use common::*;
use std::path::Path;

fn build(ws: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "函告书"];
    args.extend_from_slice(extra);
    zeren(&args)
}

fn ledger(ws: &Path) -> String {
    std::fs::read_to_string(ws.join("文号台账.yaml")).unwrap()
}

/// The sample's ledger without its 函告书 numbers (as before the first build).
fn unnumbered() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, ws) = sample_copy();
    let kept: String = ledger(&ws).lines().filter(|l| !l.contains("函告书/")).map(|l| format!("{l}\n")).collect();
    std::fs::write(ws.join("文号台账.yaml"), kept).unwrap();
    (tmp, ws)
}

#[test]
fn a_notice_gets_a_number_recorded_by_a_real_build_and_kept_on_every_rebuild() {
    let (_tmp, ws) = unnumbered();
    let before = ledger(&ws);
    // check and --dry-run plan the numbers but never record them.
    assert_eq!(zeren(&["check", ws.to_str().unwrap()]).status.code(), Some(0));
    let dry = zeren(&["build", ws.to_str().unwrap(), "--dry-run", "--kind", "函告书"]);
    assert!(stdout(&dry).contains("将分配文号：函告书/2026/机关第一党支部 → 江财党函〔2026〕1号"), "{}", stdout(&dry));
    assert_eq!(ledger(&ws), before, "check and --dry-run leave the ledger alone");

    let out = ws.join("out");
    let o = build(&ws, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("已分配文号：函告书/2026/市政府采购中心 → 江财党函〔2026〕7号"), "{}", stdout(&o));
    let recorded = ledger(&ws);
    let files = files_under(&out.join("函告书"));
    assert_eq!(files.len(), 7);
    for (i, file) in files.iter().enumerate() {
        let unit = file.to_string_lossy().split_once('-').unwrap().1.trim_end_matches(".docx").to_string();
        let no = format!("江财党函〔2026〕{}号", i + 1);
        assert!(recorded.contains(&format!("\"函告书/2026/{unit}\": \"{no}\"")), "{unit} recorded:\n{recorded}");
        let text = Docx::open(&out.join("函告书").join(file)).text();
        // 信函格式: the 标志, the 文号 on a line of its own under it, the title two lines on, the 主送.
        let head = format!("中共江州市财政局委员会\n{no}\n\n\n2026年度党风廉政建设主要工作任务函告书\n\n{unit}：");
        assert!(text.starts_with(&head), "{unit}: 文号 on a line of its own, above the title and the 主送:\n{text}");
    }
    assert!(recorded.contains("\"2026-WZ-002\": \"江财党〔2026〕13号\""), "the decisions' numbers are kept");
    // The same numbers again, byte for byte, and nothing new in the ledger.
    let first: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(out.join("函告书").join(f)).unwrap()).collect();
    let o = build(&ws, &out, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("已分配文号"), "{}", stdout(&o));
    let again: Vec<Vec<u8>> = files.iter().map(|f| std::fs::read(out.join("函告书").join(f)).unwrap()).collect();
    assert!(first == again, "rebuilt byte for byte");
    assert_eq!(ledger(&ws), recorded);
    // A number once given is never given again: a notice whose entry is gone gets the next one.
    std::fs::write(ws.join("文号台账.yaml"), recorded.replace("  \"函告书/2026/机关第二党支部\": \"江财党函〔2026〕2号\"\n", "")).unwrap();
    let o = build(&ws, &out, &["--force", "--unit", "机关第二党支部"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(ledger(&ws).contains("\"函告书/2026/机关第二党支部\": \"江财党函〔2026〕8号\""), "{}", ledger(&ws));
}

#[test]
fn the_web_door_refuses_a_notice_without_a_number_naming_the_one_it_would_get() {
    let (_tmp, ws) = unnumbered();
    let (site, problems) = zeren::site::Site::open(&ws, &Default::default(), zeren::site::Access::ReadOnly);
    let site = site.unwrap_or_else(|| panic!("{problems:?}"));
    let selection = zeren::plan::Selection { kinds: vec![zeren::model::Kind::TaskNotice], ..Default::default() };
    let jobs = site.plan(&selection).unwrap();
    let refused = zeren::site::require_numbered(&jobs).unwrap_err();
    let first = refused.iter().next().unwrap().to_string();
    assert!(first.contains("函告书：发给“机关第一党支部”的函告书还没有文号（下一个可用文号是 江财党函〔2026〕1号）"), "{first}");
    // With the sample's full ledger nothing is refused.
    let (site, _) = zeren::site::Site::open(&samples(), &Default::default(), zeren::site::Access::ReadOnly);
    let site = site.unwrap();
    assert!(zeren::site::require_numbered(&site.plan(&selection).unwrap()).is_ok());
}

/// The paragraphs of a 函告书 as read back.
fn paragraphs_of(out: &Path, file: &str) -> Vec<Para> {
    Docx::open(&out.join("函告书").join(file)).paragraphs()
}

#[test]
fn the_receipt_is_an_attachment_with_fields_to_fill_in_and_an_empty_opinion() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&samples(), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let paras = paragraphs_of(&out, "1-机关第一党支部.docx");
    let at = |text: &str| paras.iter().position(|p| p.text == text).unwrap_or_else(|| panic!("no paragraph {text:?}: {paras:?}"));
    // 附件说明 after the body, before the 落款; the 回执 on a page of its own, after the 附件 label.
    let note = at("附件：回执");
    assert!(paras[note - 2].text.starts_with("以上任务由你支部负责落实"), "附件说明 after the last body paragraph");
    // The 落款 (the organ's name is also the 信函's 标志 at the top).
    let signed = paras.iter().rposition(|p| p.text == "中共江州市财政局委员会").expect("落款");
    assert!(note < signed && signed < at("附件"), "附件说明, 落款, then the 附件");
    assert_eq!(at("回　执"), at("附件") + 2, "the attachment's title on the third line, after its label");
    let body = Docx::open(&out.join("函告书/1-机关第一党支部.docx")).document().to_string();
    let label = body.rfind(">附件<").unwrap();
    assert!(body.find("附件：").unwrap() < label);
    assert!(body[body[..label].rfind("<w:p>").unwrap()..label].contains("<w:pageBreakBefore/>"), "the 附件 starts a page");
    // The fields, each with room to write: a 党支部 stamps its seal.
    let receipt = &paras[at("回　执")..];
    let cell = |label: &str| {
        let i = receipt.iter().position(|p| p.text == label).unwrap_or_else(|| panic!("回执 field {label}"));
        receipt[i + 1].text.clone()
    };
    // Each row of the 回执 is at least so many lines of the table's text high.
    let table_line = zeren::layout::Style::gbt9704().table_line;
    let row_lines = |label: &str| -> u32 {
        let at = body.find(&format!(">{label}<")).unwrap_or_else(|| panic!("row {label}"));
        let row = &body[body[..at].rfind("<w:tr>").unwrap()..at];
        let h = row.split(r#"<w:trHeight w:val=""#).nth(1).and_then(|r| r.split('"').next()).unwrap_or("0");
        h.parse::<u32>().unwrap() / table_line
    };
    assert_eq!(cell("收函单位（盖章）"), "机关第一党支部");
    assert!(row_lines("收函单位（盖章）") >= 3, "room for the seal");
    assert!(cell("签收人（签字）").trim().is_empty() && row_lines("签收人（签字）") >= 2, "签收人 left to sign, two lines high at least");
    assert!(cell("联系电话").trim().is_empty(), "联系电话 left to fill in");
    assert_eq!(cell("签收日期"), "　　　　年　　月　　日");
    assert!(cell("意　　见").trim().is_empty() && row_lines("意　　见") >= 4, "意见 empty, with room");
    assert!(!receipt.iter().any(|p| p.text.contains("已收悉")), "nothing written for the recipient");
}

#[test]
fn the_recipient_is_addressed_by_its_kind_and_columns_say_who_leads() {
    let (_tmp, ws) = sample_copy();
    // A task for a 处室 as well: it has no seal, and is 你室.
    let tasks = std::fs::read_to_string(ws.join("data/tasks.yaml")).unwrap();
    std::fs::write(
        ws.join("data/tasks.yaml"),
        tasks.replace("applies_to: [直属单位, 机关第一党支部]", "applies_to: [直属单位, 机关第一党支部, 办公室]"),
    )
    .unwrap();
    let out = ws.join("out");
    let o = build(&ws, &out, &["--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let listed = stdout(&o);
    assert!(listed.contains("函告书/1-办公室.docx") && listed.contains("将分配文号：函告书/2026/办公室 → 江财党函〔2026〕8号"), "{listed}");
    let o = build(&ws, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let office = Docx::open(&out.join("函告书/1-办公室.docx")).text();
    assert!(office.contains("现将你室2026年度") && office.contains("以上任务由你室负责落实"), "{office}");
    assert!(office.contains("\n收函单位\n办公室") && !office.contains("收函单位（盖章）"), "a 处室 is not asked to stamp");
    let branch = Docx::open(&out.join("函告书/2-机关第一党支部.docx")).flowing_text();
    assert!(branch.contains("现将你支部2026年度") && !branch.contains("你单位"), "{branch}");
    let centre = Docx::open(&out.join("函告书/6-市财政投资评审中心.docx")).text();
    assert!(centre.contains("现将你单位2026年度"), "{centre}");
    // The lead office supervises; the recipient is the 责任单位.
    assert!(branch.contains("序号\n工作任务\n具体要求\n完成时限\n牵头部门（牵头人）"), "{branch}");
    assert!(branch.contains("\n机关党委办公室（许文澜）\n"), "the lead and its 牵头人");
    assert!(!branch.contains("责任部门"), "the supervising office is not called responsible");
}

#[test]
fn completion_is_reported_by_the_date_or_as_the_deadline_requires() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(&samples(), &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (ws, _) = zeren::load::load(&samples()).unwrap();
    let notice = ws.notice.as_ref().unwrap();
    for file in files_under(&out.join("函告书")) {
        let unit = file.to_string_lossy().split_once('-').unwrap().1.trim_end_matches(".docx").to_string();
        let unit = ws.units.iter().find(|u| u.name == unit).unwrap();
        let tasks: Vec<&zeren::model::Task> = notice.tasks.iter().filter(|t| t.scope.covers(unit)).collect();
        let seqs = |dated: bool| {
            tasks
                .iter()
                .enumerate()
                .filter(|(_, t)| t.deadline.is_date() == dated)
                .map(|(i, _)| (i + 1).to_string())
                .collect::<Vec<_>>()
                .join("、")
        };
        let (dated, ongoing) = (seqs(true), seqs(false));
        assert!(!dated.is_empty() && !ongoing.is_empty(), "the samples mix both kinds of deadline");
        let text = Docx::open(&out.join("函告书").join(&file)).text();
        let expected = format!("第{dated}项任务完成情况请于完成时限前书面报告机关党委办公室；第{ongoing}项任务请按时限要求报告落实情况。");
        assert!(text.contains(&expected), "{}: {expected}\n{text}", unit.name);
    }
    // All ongoing, all dated: one sentence each, never 完成时限前 for 全年.
    let ongoing = notice_for(
        "  - { task: 谈心谈话, requirement: 每人一次, deadline: 全年, lead: 第一支部 }\n  - { task: 学习, requirement: 每季度一次, deadline: 每季度末, lead: 第一支部 }\n",
    );
    assert!(ongoing.contains("各项任务请按时限要求向中共某某局委员会书面报告落实情况。") && !ongoing.contains("完成时限前"), "{ongoing}");
    let dated = notice_for("  - { task: 专题研究, requirement: 召开会议, deadline: 2026-03-31, lead: 第一支部 }\n");
    assert!(dated.contains("各项任务完成情况请于完成时限前书面报告中共某某局委员会。"), "{dated}");
}

/// The text of the one 函告书 a minimal workspace with these tasks makes.
fn notice_for(tasks: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path();
    std::fs::create_dir_all(ws.join("data")).unwrap();
    std::fs::write(ws.join("zeren.yaml"), SETTINGS).unwrap();
    std::fs::write(ws.join("data/units.yaml"), "units:\n  - { name: 第一支部, type: 党支部, leader: { name: 甲, title: 支部书记 } }\n")
        .unwrap();
    std::fs::write(ws.join("data/tasks.yaml"), format!("tasks:\n{tasks}")).unwrap();
    let out = ws.join("out");
    let o = build(ws, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(ledger(ws).contains("\"函告书/2026/第一支部\": \"某党函〔2026〕1号\""), "{}", ledger(ws));
    Docx::open(&out.join("函告书/1-第一支部.docx")).text()
}

#[test]
fn you_unit_in_the_shared_opening_is_warned_of_and_a_bad_code_is_located() {
    let (_tmp, ws) = sample_copy();
    let tasks = std::fs::read_to_string(ws.join("data/tasks.yaml")).unwrap();
    std::fs::write(ws.join("data/tasks.yaml"), tasks.replace("现将{你单位}", "现将你单位").replace("code: 江财党函", "code: 江财党函〔"))
        .unwrap();
    let o = zeren(&["build", ws.to_str().unwrap(), "--kind", "函告书", "--dry-run"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("tasks.yaml:6:7") && err.contains("函告书的机关代字(code)“江财党函〔”不能用于文号"), "{err}");
    assert!(err.contains("tasks.yaml:8:3") && err.contains("开头段(intro)写的是“你单位”"), "{err}");
}
