//! 年度报告表: 述责述廉表 and 考核评分表, scored by rule. Expected totals were worked
//! out by hand from samples/data/scheme.yaml and results.yaml.

mod common;

use common::*;
use std::path::Path;

fn build_annual(ws: &Path) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "annual-report"]);
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, out)
}

/// The row of the 考核评分表 whose cells start with `first` (cells joined by |).
fn row_with(doc: &Docx, label: &str) -> String {
    let body = doc.document();
    body.split("<w:tr>")
        .skip(1)
        .map(|row| row.split("</w:tr>").next().unwrap_or(""))
        .map(|row| paragraphs(&format!("<w:tr>{row}</w:tr>")).iter().map(|p| p.text.replace('\n', "")).collect::<Vec<_>>().join("|"))
        .find(|r| r.contains(label))
        .unwrap_or_else(|| panic!("no row with {label}"))
}

#[test]
fn scores_are_computed_by_rule_and_printed_in_the_cells() {
    let (_t, out) = build_annual(&samples());
    let dir = out.join("年度报告表");
    // The 处室 are not scored on C1 (15 points, 直属单位 only): their 基础分 is out of 85 and
    // 折算 to 100 (rounded to the hundredth), then the bonus is added.
    // (unit, 自评 total, 考核组 total, grade, rank)
    let expected = [
        ("办公室", "102", "98.47", "优秀", 1), // 82 / 85 × 100 = 96.47, + 2
        // Held to account this year (案件 2026-WZ-003): A1, A2 and B1 not full; 79 / 85 × 100 = 92.94, + 3
        ("预算处", "103", "95.94", "优秀", 2),
        ("国库处", "100", "94.12", "优秀", 3),           // 80 / 85 × 100
        ("市政府采购中心", "100", "87", "良好", 4),      // its cases reflected in A1, A2, B1 and C1; no veto: 诫勉 is no 处分
        ("政府采购管理处", "98.82", "65.88", "合格", 5), // D1: 5 × 5 = 25 > 20, the item gives 0; 自评 A3 one late report −1
    ];
    for (unit, own, panel, grade, rank) in expected {
        let file = files_under(&dir).into_iter().find(|f| f.to_string_lossy().contains(&format!("-{unit}-考核评分表"))).unwrap();
        let doc = Docx::open(&dir.join(file));
        let total = row_with(&doc, "合　　计");
        let office = unit.ends_with('处') || unit == "办公室";
        let made = if office { "折算基础分＋加分" } else { "基础分＋加分" };
        // 分值 says what the total is out of: 100 and a bonus of at most 5, never "100" beside 102.
        assert_eq!(total, format!("合　　计|100+5|{made}|{own}|{panel}||{panel}"), "{unit}: totals row");
        let grade_row = row_with(&doc, "考核等次");
        assert!(grade_row.contains(grade) && grade_row.contains(&format!("排名：第{rank}名（共5个单位）")), "{unit}: {grade_row}");
        if unit == "政府采购管理处" {
            let d1 = row_with(&doc, "落实中央八项规定精神");
            assert!(d1.ends_with("|20|0|共发现五起“四风”问题，扣完为止|0"), "D1 never below 0: {d1}");
        }
        if unit == "预算处" {
            assert!(row_with(&doc, "加分合计（封顶）").ends_with("|3|3||3"), "{}", row_with(&doc, "加分合计（封顶）"));
        }
        if unit == "办公室" {
            assert_eq!(row_with(&doc, "基础分合计"), "基础分合计|85||85|82||82", "基础分 over the items that apply");
            assert!(row_with(&doc, "基础分折算").ends_with("|100|96.47||96.47"), "折算 to 100");
            let c1 = row_with(&doc, "班子成员抓好分管领域");
            assert!(c1.contains("一岗双责（不适用）") && c1.contains("不适用（处室不考核此项，不计入满分）"), "{c1}");
            assert!(!c1.contains("15"), "no marks shown for an item that does not apply: {c1}");
        }
        if unit == "市政府采购中心" {
            assert_eq!(row_with(&doc, "基础分合计"), "基础分合计|100||100|87||87");
            assert!(!doc.text().contains("基础分折算"), "nothing to 折算 when every item applies");
            assert!(row_with(&doc, "班子成员抓好分管领域").contains("|15|"), "C1 scored for a 直属单位");
        }
        let body = doc.document();
        // 类别 merged down its items; header row repeats.
        assert!(body.contains(r#"<w:vMerge w:val="restart"/>"#) && body.contains(r#"<w:vMerge w:val="continue"/>"#), "{unit}: 类别 vMerge");
        // One header row, repeated only where the page model cut the table for the signing block.
        assert_eq!(body.matches("<w:tblHeader/>").count(), body.matches("<w:tbl>").count());
        assert!(!body.contains("89.99"), "no float noise");
    }
}

/// A veto backed by an outside decision (作出机关 and 文号) overrides a full score.
#[test]
fn a_backed_veto_overrides_the_score() {
    let (_tmp, ws) = sample_copy();
    let results = std::fs::read_to_string(ws.join("data/results.yaml")).unwrap();
    let vetoed = format!("{results}    veto: [V2]\n    veto_basis: {{ V2: 市纪委监委 江纪〔2026〕5号 }}\n");
    std::fs::write(ws.join("data/results.yaml"), vetoed).unwrap();
    let (_t, out) = build_annual(&ws);
    let dir = out.join("年度报告表");
    let file = files_under(&dir).into_iter().find(|f| f.to_string_lossy().contains("-市政府采购中心-考核评分表")).unwrap();
    let grade_row = row_with(&Docx::open(&dir.join(file)), "考核等次");
    assert!(grade_row.contains("不合格") && grade_row.contains("一票否决：班子成员受到党纪政务处分"), "{grade_row}");
}

#[test]
fn summary_workbook_ranks_every_unit() {
    let (_t, out) = build_annual(&samples());
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(out.join("考核汇总.xlsx")).unwrap();
    let range = wb.worksheet_range("考核汇总").unwrap();
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows[0], ["排名", "单位", "自评合计", "考核组合计", "得分", "等次", "一票否决"]);
    let firsts: Vec<(&str, &str, &str)> = rows[1..].iter().map(|r| (r[0].as_str(), r[1].as_str(), r[5].as_str())).collect();
    assert_eq!(
        firsts,
        [
            ("1", "办公室", "优秀"),
            ("2", "预算处", "优秀"),
            ("3", "国库处", "优秀"),
            ("4", "市政府采购中心", "良好"),
            ("5", "政府采购管理处", "合格")
        ]
    );
}

#[test]
fn report_form_holds_every_section_with_merged_labels() {
    let (_t, out) = build_annual(&samples());
    let doc = Docx::open(&out.join("年度报告表/1-预算处-唐奕舟-述责述廉表.docx"));
    let text = doc.flowing_text();
    for label in [
        "单　　位",
        "姓名",
        "职　　务",
        "分管工作",
        "履行第一责任人或一岗双责情况",
        "落实中央八项规定精神情况",
        "廉洁自律情况",
        "个人有关事项报告情况",
        "性别",
        "出生年月",
        "政治面貌",
        "任职时间",
        "存在问题",
        "整改措施",
        "本人签字",
        "党组织意见",
    ] {
        assert!(text.contains(label), "{label}");
    }
    assert!(text.contains("唐奕舟") && text.contains("主持预算处全面工作") && text.contains("建立年轻干部廉政谈话制度"));
    assert!(!text.contains("存在问题及整改措施"), "one label per cell");
    // The personal fields, each beside its label.
    for (label, value) in [("性别", "男"), ("出生年月", "1979年8月"), ("政治面貌", "中共党员"), ("任职时间", "2021年3月")]
    {
        assert!(text.contains(&format!("{label}\n{value}")), "{label} → {value}:\n{text}");
    }
    // 存在问题 and 整改措施 in cells of their own.
    assert!(row_with(&doc, "存在问题").ends_with("存在问题|对处室年轻干部的廉政教育针对性不够强。"));
    assert!(row_with(&doc, "整改措施").ends_with("整改措施|建立年轻干部廉政谈话制度，每季度开展一次岗位廉政风险提醒。"));
    assert_eq!(doc.text().matches("（盖章）").count(), 1, "the seal is asked for once, in the cell, not in its label too");
    let body = doc.document();
    assert!(body.contains(r#"<w:vMerge w:val="restart"/>"#), "述责述廉情况 label merged down the sections");
    assert!(body.contains(r#"<w:gridSpan w:val="5"/>"#), "text cells span the form");
}

/// A tiny scheme to break: one fixed item (max 10), one deduct item.
fn mini(results: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path();
    std::fs::create_dir_all(ws.join("data")).unwrap();
    std::fs::write(ws.join("zeren.yaml"), SETTINGS).unwrap();
    std::fs::write(
        ws.join("data/units.yaml"),
        "units:\n  - { name: 甲处, type: 处室, leader: { name: 甲, title: 处长 } }\n  - { name: 乙处, type: 处室, leader: { name: 乙, title: 处长 } }\n  - { name: 丙处, type: 处室, leader: { name: 丙, title: 处长 } }\n",
    )
    .unwrap();
    std::fs::write(
        ws.join("data/scheme.yaml"),
        "scales: [{ name: 考核组 }]\ncategories:\n  - name: 责任\n    items:\n      - { id: A, content: 甲项, max: 60 }\n      - { id: B, content: 乙项, max: 40, deduct: 1.5 }\n",
    )
    .unwrap();
    std::fs::write(ws.join("data/results.yaml"), results).unwrap();
    tmp
}

#[test]
fn a_tie_shares_its_rank_and_the_next_rank_is_skipped() {
    let ws = mini(
        "results:\n  - { unit: 甲处, scores: { A: { 考核组: 59.5, note: 缺一项 }, B: { 考核组: 1, note: 迟报 } } }\n  - { unit: 乙处, scores: { A: { 考核组: 60 }, B: { 考核组: 1, note: 迟报 } } }\n  - { unit: 丙处, scores: { A: { 考核组: 59.5, note: 缺一项 }, B: { 考核组: 1, note: 迟报 } } }\n",
    );
    let (_t, out) = build_annual(ws.path());
    use calamine::{Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(out.join("考核汇总.xlsx")).unwrap();
    let range = wb.worksheet_range("考核汇总").unwrap();
    let got: Vec<(String, String, String)> = range.rows().skip(1).map(|r| (r[0].to_string(), r[1].to_string(), r[3].to_string())).collect();
    // 60 + (40 − 1.5) = 98.5; 59.5 + 38.5 = 98 twice → ranks 1, 2, 2.
    assert_eq!(got, [("1", "乙处", "98.5"), ("2", "甲处", "98"), ("2", "丙处", "98")].map(|(a, b, c)| (a.into(), b.into(), c.into())));
}

fn fails(results: &str, place: &str, words: &str) {
    let ws = mini(results);
    let out = ws.path().join("out");
    let o = zeren(&["build", ws.path().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let line = err.lines().find(|l| l.contains(place)).unwrap_or_else(|| panic!("no message at {place}:\n{err}"));
    assert!(line.contains(words), "{place}: {words}\n{err}");
    assert!(!out.exists());
}

#[test]
fn a_result_for_an_item_not_in_the_scheme_names_the_row() {
    fails("results:\n  - unit: 甲处\n    scores:\n      Z9: { 考核组: 5 }\n", "results.yaml:4:11", "考核项目“Z9”不在考核方案中");
}

#[test]
fn a_score_above_the_items_maximum_is_an_error() {
    fails("results:\n  - unit: 甲处\n    scores:\n      A: { 考核组: 61 }\n", "results.yaml:4:17", "得分 61 超过该项分值 60");
}

#[test]
fn occurrences_must_be_counts_and_units_must_exist() {
    fails("results:\n  - unit: 甲处\n    scores:\n      B: { 考核组: 1.5 }\n", "results.yaml:4:17", "应填发生次数");
    fails("results:\n  - unit: 丁处\n    scores:\n      A: { 考核组: 1 }\n", "results.yaml:2:11", "单位“丁处”不在名单中");
}

#[test]
fn a_deduction_without_its_note_is_rejected_at_its_line() {
    // A count of occurrences above 0, and a score below the item's marks: both deduct.
    fails(
        "results:\n  - unit: 甲处\n    scores:\n      B: { 考核组: 2 }\n",
        "results.yaml:4:10",
        "项目“B”扣了分（考核组 扣 2 次），须写明扣分说明",
    );
    fails(
        "results:\n  - unit: 甲处\n    scores:\n      A: { 考核组: 58 }\n",
        "results.yaml:4:10",
        "项目“A”扣了分（考核组 58 分，分值 60 分）",
    );
    // Nothing deducted, nothing to explain; with its note a deduction passes.
    let ws = mini("results:\n  - unit: 甲处\n    scores:\n      A: { 考核组: 60 }\n      B: { 考核组: 2, note: 两次迟报 }\n");
    build_annual(ws.path());
}

/// `mini`, with a scheme item only 直属单位 are scored on, and a 直属单位 among the units.
fn mini_typed(results: &str) -> tempfile::TempDir {
    let ws = mini(results);
    let dir = ws.path();
    std::fs::write(
        dir.join("data/units.yaml"),
        "units:\n  - { name: 甲处, type: 处室, leader: { name: 甲, title: 处长 } }\n  - { name: 中心, type: 直属单位, leader: { name: 丁, title: 主任 } }\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("data/scheme.yaml"),
        "scales: [{ name: 考核组 }]\nbonus: { cap: 5, items: [{ id: J, content: 加分, max: 5 }] }\ncategories:\n  - name: 责任\n    items:\n      - { id: A, content: 甲项, max: 60 }\n      - { id: C, content: 班子成员一岗双责, max: 40, applies_to: [直属单位] }\n",
    )
    .unwrap();
    ws
}

#[test]
fn an_item_limited_to_unit_types_is_not_counted_for_the_others() {
    let ws = mini_typed(
        "results:\n  - { unit: 甲处, scores: { A: { 考核组: 45, note: 缺两项 }, J: { 考核组: 2 } } }\n  - { unit: 中心, scores: { A: { 考核组: 45, note: 缺两项 }, C: { 考核组: 40 }, J: { 考核组: 2 } } }\n",
    );
    let (_t, out) = build_annual(ws.path());
    let dir = out.join("年度报告表");
    let office = Docx::open(&dir.join("1-甲处-考核评分表.docx"));
    // 45 of the 60 marks that apply → 75 of 100, + 2.
    assert_eq!(row_with(&office, "基础分合计"), "基础分合计|60||45||45");
    assert!(row_with(&office, "基础分折算").ends_with("|100|基础分合计÷60×100，保留两位小数|75||75"));
    assert_eq!(row_with(&office, "合　　计"), "合　　计|100+5|折算基础分＋加分|77||77");
    assert!(row_with(&office, "班子成员一岗双责").contains("不适用"));
    // The parties side by side (tab-separated), each its line, its organ under it, a blank to sign.
    let office_text = office.text();
    assert!(
        office_text.contains("\t被考核单位：\n") && office_text.contains("\t甲处\n") && !office_text.contains("被考核单位（盖章）"),
        "a 处室 is not asked to stamp: {office_text}"
    );
    assert!(office_text.contains("被考核单位负责人（签字）："), "the 处室's head signs");
    let centre = Docx::open(&dir.join("2-中心-考核评分表.docx"));
    assert_eq!(row_with(&centre, "合　　计"), "合　　计|100+5|基础分＋加分|87||87", "45 + 40 + 2, nothing to 折算");
    let centre_text = centre.text();
    assert!(
        centre_text.contains("\t被考核单位（盖章）：\n")
            && centre_text.contains("\t中心\n")
            && centre_text.contains("被考核单位主要负责人（签字）："),
        "{centre_text}"
    );
    // A score given for an item that does not apply is refused where it is written.
    let ws = mini_typed("results:\n  - unit: 甲处\n    scores:\n      C: { 考核组: 40 }\n");
    let o = zeren(&["build", ws.path().to_str().unwrap(), "-o", ws.path().join("out").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("results.yaml:4:10") && stderr(&o).contains("单位“甲处”（处室）不考核项目“C”（只适用于 直属单位）"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn an_old_report_with_measures_in_its_problems_says_how_to_split_them() {
    let (_tmp, ws) = sample_copy();
    let path = ws.join("data/reports.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    // The old shape: one field for both.
    let old = text
        .replace(
            "    problems: 对处室年轻干部的廉政教育针对性不够强。\n    measures: ",
            "    problems: 对处室年轻干部的廉政教育针对性不够强。整改措施：",
        )
        .replace("    birth: 1979-08", "    birth: 1979-13");
    std::fs::write(&path, old).unwrap();
    let o = zeren(&["build", ws.to_str().unwrap(), "--kind", "年度报告表", "--dry-run"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("reports.yaml:18:15") && err.contains("存在问题和整改措施现在分两栏填写"), "{err}");
    assert!(err.contains("请把“整改措施：”之后的文字移到新的一项 measures: 下"), "{err}");
    assert!(err.contains("reports.yaml:9:12") && err.contains("出生年月(birth)“1979-13”有误"), "{err}");
}

#[test]
fn the_nine_column_assessment_form_is_set_landscape_and_the_report_form_portrait() {
    let (_t, out) = build_annual(&samples());
    let section = |file: &str| {
        let doc = Docx::open(&out.join("年度报告表").join(file));
        let body = doc.document().to_string();
        let sect = &body[body.rfind("<w:sectPr").expect("the last section")..];
        (sect.contains(r#"w:orient="landscape""#), body.matches("<w:sectPr").count(), doc)
    };
    let (landscape, sections, form) = section("3-办公室-考核评分表.docx");
    assert!(landscape && sections == 1, "the title, the table and the signing block on landscape pages: {sections} sections");
    let table = form.document();
    let first_grid = table.split("</w:tblGrid>").next().unwrap();
    let grid: Vec<u32> = first_grid.split(r#"<w:gridCol w:w=""#).skip(1).map(|c| c.split('"').next().unwrap().parse().unwrap()).collect();
    assert_eq!(grid.len(), 9, "nine columns: {grid:?}");
    // The landscape 版心 is the portrait one turned: 225 mm across (12,756 twips).
    let across: u32 = grid.iter().sum();
    assert!(across > 12_000 && across <= 12_756, "the table spans the landscape 版心: {across}");
    // The last rows of the table go onto the signing block's page by an explicit break (the
    // page model found the block would stand alone there), its header repeated.
    let cut = table.find("<w:pageBreakBefore/>").expect("a page break in the form");
    let after = &table[cut..];
    assert!(
        after.contains("<w:tblHeader/>") && after.contains("考核等次") && !after.contains("基础分合计"),
        "the last two rows after the break"
    );
    let (landscape, _, _) = section("1-预算处-唐奕舟-述责述廉表.docx");
    assert!(!landscape, "the 述责述廉表 fits the portrait page");
}

/// The bonus category's name is a word of the workspace's vocabulary (templates/words.yaml).
#[test]
fn the_bonus_category_is_named_by_the_workspace() {
    let (_tmp, ws) = sample_copy();
    std::fs::create_dir_all(ws.join("templates")).unwrap();
    std::fs::write(ws.join("templates/words.yaml"), "bonus: 创新加分\n").unwrap();
    let (_t, out) = build_annual(&ws);
    let dir = out.join("年度报告表");
    let file = files_under(&dir).into_iter().find(|f| f.to_string_lossy().contains("考核评分表")).unwrap();
    let doc = Docx::open(&dir.join(file));
    assert!(row_with(&doc, "创新加分").starts_with("创新加分"), "the category's row");
    assert!(!doc.document().contains("加分项"), "the built-in name is gone");
}
