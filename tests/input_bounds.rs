//! Tiny hostile files that used to crash or freeze the readers, each generated here (no large
//! binaries in git): merged regions reaching column 2^31, hundreds of thousands of merges, .xlsb
//! cells far apart, a cell of 700,000 lines, invisible names, 100,000 YAML units, a 31 MB name, a
//! score of 2^63. Each must end with a located Chinese message (or read correctly) in bounded
//! time and memory.

mod bounds_files;

use bounds_files::*;
use std::path::Path;
use zeren::diag::{Problem, Problems};
use zeren::load::limits::{MAX_MERGES, MAX_RECORDS, MAX_TEXT_CHARS};
use zeren::load::roster::{self, Roster, RosterOptions};
use zeren::load::sheet::cell_ref;

fn read(path: &Path) -> Result<Roster, Problems> {
    roster::read(path, Path::new("名单.xlsx"), &RosterOptions::default())
}

fn lines(p: &Problems) -> Vec<String> {
    p.iter().map(Problem::to_string).collect()
}

fn read_err(path: &Path) -> Vec<String> {
    match read(path) {
        Ok(r) => panic!("{} should be refused, read {} units", path.display(), r.units.len()),
        Err(p) => lines(&p),
    }
}

fn read_ok(path: &Path) -> Roster {
    read(path).unwrap_or_else(|p| panic!("{} should read: {:#?}", path.display(), lines(&p)))
}

const HEADER: [&str; 5] = ["单位名称", "类别", "负责人", "职务", "本单位责任"];

fn roster_rows(n: usize) -> Vec<Vec<String>> {
    let mut rows = vec![HEADER.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    for i in 0..n {
        rows.push(vec![format!("单位{i}"), "处室".into(), format!("负责人{i}"), "处长".into(), "一条责任".into()]);
    }
    rows
}

// ---------------------------------------------------------------------------------------------
// Merged regions.

#[test]
fn a_two_row_header_merge_reaching_column_2_31_reads_the_roster() {
    // 负责人 merged from C1 to column FXSHRXW (2^31) over 姓名 | 职务: the header analysis used
    // to list every column the merge covers (8–17 GB requested) and abort.
    let (_t, path) = tmp("名单.xlsx");
    let rows: Vec<Vec<String>> = [
        vec!["单位名称", "类别", "负责人", ""],
        vec!["", "", "姓名", "职务"],
        vec!["办公室", "处室", "张三", "主任"],
        vec!["预算处", "处室", "李四", "处长"],
    ]
    .iter()
    .map(|r| r.iter().map(|s| s.to_string()).collect())
    .collect();
    xlsx(&path, "单位名单", &rows, &["C1:FXSHRXW1"]);
    let r = read_ok(&path);
    let read: Vec<(&str, &str, &str)> =
        r.units.iter().map(|u| (u.name.as_str(), u.leader.name.as_str(), u.leader.title.as_str())).collect();
    assert_eq!(read, [("办公室", "张三", "主任"), ("预算处", "李四", "处长")]);
}

#[test]
fn wide_header_merges_with_nothing_under_them_end_at_once() {
    // A hundred merges from E1 to near column 2^31 with no second header row under them: each
    // used to walk two billion columns looking for one (~130 s a merge).
    let (_t, path) = tmp("名单.xlsx");
    let refs: Vec<String> = (0..100).map(|i| format!("E1:{}", cell_ref(0, (1 << 31) - 2 - i))).collect();
    assert_eq!(refs[0], "E1:FXSHRXW1");
    let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
    xlsx(&path, "单位名单", &roster_rows(3), &refs);
    let r = read_ok(&path);
    assert_eq!(r.units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["单位0", "单位1", "单位2"]);
    assert_eq!(r.units[2].duties, ["一条责任"]);
}

#[test]
fn more_merges_than_the_bound_are_refused_at_the_sheet() {
    // 200,001 merges in a file of a few KB used to spin for minutes (rows × merges).
    let (_t, path) = tmp("名单.xlsx");
    let refs: Vec<String> = (0..=200_000u32).map(|i| format!("F{}:G{}", i + 1, i + 1)).collect();
    let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
    xlsx(&path, "单位名单", &roster_rows(2), &refs);
    assert!(std::fs::metadata(&path).unwrap().len() < 2_000_000);
    let errors = read_err(&path);
    assert_eq!(
        errors,
        [format!(
            "名单.xlsx [单位名单] F{}: 工作表“单位名单”的合并单元格超过 100,000 处（上限），无法读取；请取消不需要的合并后再试",
            MAX_MERGES + 1
        )]
    );
}

#[test]
fn many_overlapping_merges_fill_each_cell_once() {
    // 类别 merged down all 2,000 rows, written 90,000 times over, plus a merge per row: the
    // fill used to cost rows × merges; now every unit gets its 类别 and nothing else changes.
    let (_t, path) = tmp("名单.xlsx");
    let mut rows = roster_rows(2_000);
    for row in rows.iter_mut().skip(2) {
        row[1] = String::new();
    }
    let mut refs: Vec<String> = vec!["B2:B2001".to_string(); 90_000];
    refs.extend((2..=2001).map(|r| format!("D{r}:D{r}")));
    let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
    xlsx(&path, "单位名单", &rows, &refs);
    let r = read_ok(&path);
    assert_eq!(r.units.len(), 2_000);
    assert!(r.units.iter().all(|u| zeren::model::UnitKinds::builtin().name(u.kind) == "处室"), "every unit has the merged 类别");
}

#[test]
fn an_ods_header_cell_spanning_4294967295_columns_reads_the_roster() {
    let (_t, path) = tmp("名单.ods");
    let header = HEADER.iter().enumerate().map(|(i, h)| {
        let span = if i == 4 { r#" table:number-columns-spanned="4294967295""# } else { "" };
        format!(r#"<table:table-cell office:value-type="string"{span}><text:p>{h}</text:p></table:table-cell>"#)
    });
    let row = |cells: &[&str]| -> String {
        let cells: String = cells
            .iter()
            .map(|c| format!(r#"<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>"#))
            .collect();
        format!("<table:table-row>{cells}</table:table-row>")
    };
    let rows = format!(
        "<table:table-row>{}</table:table-row>{}{}",
        header.collect::<String>(),
        row(&["办公室", "处室", "张三", "主任", "责任甲"]),
        row(&["预算处", "处室", "李四", "处长", "责任乙"])
    );
    ods(&path, "单位名单", &rows);
    let r = read_ok(&path);
    assert_eq!(r.units.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(), ["办公室", "预算处"]);
}

// ---------------------------------------------------------------------------------------------
// .xlsb

#[test]
fn an_xlsb_roster_reads_like_any_other() {
    let (_t, path) = tmp("名单.xlsb");
    let rows = roster_rows(2);
    let cells: Vec<(u32, u32, &str)> =
        rows.iter().enumerate().flat_map(|(r, row)| row.iter().enumerate().map(move |(c, v)| (r as u32, c as u32, v.as_str()))).collect();
    xlsb(&path, "单位名单", &cells, None);
    let r = read_ok(&path);
    assert_eq!(r.sheet, "单位名单");
    assert_eq!(
        r.units.iter().map(|u| (u.name.as_str(), u.leader.name.as_str())).collect::<Vec<_>>(),
        [("单位0", "负责人0"), ("单位1", "负责人1")]
    );
}

#[test]
fn xlsb_cells_far_apart_are_refused_without_reserving_the_area_between() {
    // Two cells: calamine's range would reserve a million rows × 16,384 columns (hundreds of GB).
    let (_t, path) = tmp("名单.xlsb");
    xlsb(&path, "单位名单", &[(0, 0, "单位名称"), (0, 2, "负责人"), (1_000_000, 16_383, "远处")], None);
    assert_eq!(
        read_err(&path),
        [
            "名单.xlsx [单位名单] XFD1000001: 工作表超出可处理的范围（最多 100000 行、200 列、200 万个有内容的单元格），此单元格已超出；请删去表格以外的内容，或把名单单独存为一个文件"
        ]
    );
}

#[test]
fn an_xlsb_record_claiming_256_mb_is_refused_before_calamine_sizes_a_buffer() {
    let (_t, path) = tmp("名单.xlsb");
    // A BrtCellSt whose length field says 2^28 − 1 bytes, in a file of a few hundred bytes.
    xlsb(&path, "单位名单", &[(0, 0, "单位名称")], Some(&[0x06, 0xFF, 0xFF, 0xFF, 0x7F]));
    let errors = read_err(&path);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("名单.xlsx: 文件已损坏或不完整"), "{errors:?}");
    assert!(errors[0].contains("超过上限"), "{errors:?}");
}

// ---------------------------------------------------------------------------------------------
// Cells over the text bounds.

#[test]
fn a_duties_cell_of_700000_lines_is_refused_at_its_cell() {
    // 4.6 KB on disk; laid out, it took 4.6 GB.
    let (_t, path) = tmp("名单.xlsx");
    let mut rows = roster_rows(6);
    rows[6][4] = "责任\n".repeat(700_000);
    // Within the characters a cell may hold, but more lines (duties) than a unit may have.
    rows[5][4] = "责\n".repeat(1_500);
    xlsx(&path, "单位名单", &rows, &[]);
    assert!(std::fs::metadata(&path).unwrap().len() < 50_000, "{}", std::fs::metadata(&path).unwrap().len());
    assert_eq!(
        read_err(&path),
        [
            "名单.xlsx [单位名单] E6: 单元格内容有 1,501 行，超过上限 1,000 行，无法读取",
            "名单.xlsx [单位名单] E7: 单元格内容有 2,100,000 个字符，超过上限 32,767 个字符，无法读取",
        ]
    );
}

#[test]
fn a_name_cell_past_excels_own_cell_limit_is_refused_at_its_cell() {
    let (_t, path) = tmp("名单.xlsx");
    let mut rows = roster_rows(2);
    rows[2][0] = "处".repeat(MAX_TEXT_CHARS + 1);
    xlsx(&path, "单位名单", &rows, &[]);
    assert_eq!(read_err(&path), ["名单.xlsx [单位名单] A3: 单元格内容有 32,768 个字符，超过上限 32,767 个字符，无法读取"]);
}

#[test]
fn a_cases_sheet_cell_over_the_bounds_is_refused_at_its_cell() {
    let (_t, path) = tmp("名单.xlsx");
    let cases = vec![
        vec!["案件编号".to_string(), "问责对象类型".into(), "问责对象".into(), "事实".into()],
        vec!["WZ-1".to_string(), "党组织".into(), "某支部".into(), "事实\n".repeat(2_000)],
    ];
    xlsx_sheets(&path, &[("单位名单", &roster_rows(1), &[]), ("问责案件", &cases, &[])]);
    let p = zeren::load::cases_sheet::read(&path, Path::new("名单.xlsx")).unwrap_err();
    assert_eq!(lines(&p), ["名单.xlsx [问责案件] D2: 单元格内容有 2,001 行，超过上限 1,000 行，无法读取"]);
}

// ---------------------------------------------------------------------------------------------
// Names.

#[test]
fn invisible_and_control_characters_in_roster_names_are_refused_at_their_cells() {
    let (_t, path) = tmp("名单.xlsx");
    let mut rows = roster_rows(4);
    rows[1][0] = "\u{200D}".into();
    rows[2][0] = "预算\u{202E}处".into();
    rows[3][2] = "张\u{1B}[31m三".into();
    rows[4][1] = "处室\u{1B}[2J".into();
    xlsx(&path, "单位名单", &rows, &[]);
    let errors = read_err(&path);
    assert_eq!(
        errors,
        [
            "名单.xlsx [单位名单] A2: 单位名称只有不可见字符，没有文字",
            "名单.xlsx [单位名单] A3: 单位名称含有改变文字方向的不可见字符 U+202E，请删去后重新输入",
            "名单.xlsx [单位名单] C4: 负责人含有控制字符 U+001B，请删去后重新输入",
            "名单.xlsx [单位名单] B5: “单位3”的类别“处室\\u{1B}[2J”无效；应为 处室、党支部 或 直属单位",
        ]
    );
    assert!(errors.iter().all(|e| !e.contains('\u{1B}')), "no escape sequence reaches the terminal raw");
}

// ---------------------------------------------------------------------------------------------
// Counting problems: O(1) a row.

#[test]
fn a_hundred_thousand_bad_rows_each_get_their_problem() {
    let (_t, path) = tmp("名单.xlsx");
    let mut rows = roster_rows(MAX_RECORDS - 2);
    for row in rows.iter_mut().skip(1) {
        row[2] = String::new();
    }
    xlsx(&path, "单位名单", &rows, &[]);
    let errors = read_err(&path);
    assert_eq!(errors.len(), MAX_RECORDS - 2);
    assert_eq!(errors[MAX_RECORDS - 3], format!("名单.xlsx [单位名单] C{}: “单位{}”的负责人为空", MAX_RECORDS - 1, MAX_RECORDS - 3));
}

// ---------------------------------------------------------------------------------------------
// YAML: the same bounds.

const SETTINGS: &str = "organ: 中共某某局委员会\ncode: 某党\nyear: 2026\ndate: 2026-01-05\nsignatory: { name: 赵书记, title: 党委书记 }\n";

fn load_units(units: &str) -> Result<zeren::model::Workspace, Vec<String>> {
    zeren::load::load_files(Path::new("ws"), &[("zeren.yaml", SETTINGS), ("data/units.yaml", units)])
        .map(|(ws, _)| ws)
        .map_err(|p| lines(&p))
}

fn units_yaml(n: usize) -> String {
    let mut s = String::from("units:\n");
    for i in 0..n {
        s.push_str(&format!(
            "  - name: 单位{i}\n    type: 处室\n    leader: {{ name: 负责人{i}, title: 处长 }}\n    supervisor: {{ name: 分管{i}, title: 副局长 }}\n    phone: \"0791-8888{i}\"\n    duties: [一条责任, 另一条责任]\n"
        ));
    }
    s
}

#[test]
fn as_many_yaml_units_as_roster_rows_load_and_one_more_is_refused_in_chinese() {
    let ws = load_units(&units_yaml(MAX_RECORDS)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(ws.units.len(), MAX_RECORDS);
    let errors = load_units(&units_yaml(MAX_RECORDS + 1)).unwrap_err();
    let line = 2 + 6 * MAX_RECORDS;
    assert_eq!(errors, [format!("ws/data/units.yaml:{line}:5: 列表过长：此处是第 100,001 项，一个列表最多 100,000 项")]);
}

#[test]
fn a_31_mb_yaml_unit_name_is_refused_at_its_place_not_blamed_on_the_template() {
    let name = "甲".repeat(31 * 1024 * 1024 / 3);
    let errors = load_units(&format!("units:\n  - name: {name}\n    type: 处室\n    leader: {{ name: 甲, title: 处长 }}\n")).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("ws/data/units.yaml:2:11: 此处的文字有 10,83"), "{errors:?}");
    assert!(errors[0].ends_with(" 个字符，超过上限 32,767 个字符"), "{errors:?}");
}

#[test]
fn yaml_names_of_invisible_characters_are_refused_at_their_place() {
    let errors =
        load_units("units:\n  - name: \"\\u200D\"\n    type: 处室\n    leader: { name: \"\\u202Eabc\", title: 处长 }\n").unwrap_err();
    assert_eq!(
        errors,
        [
            "ws/data/units.yaml:2:11: 单位名称(name)只有不可见字符，没有文字",
            "ws/data/units.yaml:4:21: 单位负责人姓名(name)含有改变文字方向的不可见字符 U+202E，请删去后重新输入",
        ]
    );
}

#[test]
fn yaml_lists_inside_a_record_are_bounded() {
    let duties = vec!["一条"; 1_001].join(", ");
    let errors =
        load_units(&format!("units:\n  - name: 甲\n    type: 处室\n    leader: {{ name: 甲, title: 处长 }}\n    duties: [{duties}]\n"))
            .unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("ws/data/units.yaml:5:"), "{errors:?}");
    assert!(errors[0].ends_with("列表过长：此处是第 1,001 项，一条记录内的列表最多 1,000 项"), "{errors:?}");
}

#[test]
fn a_yaml_alias_counts_as_what_its_anchor_holds_at_each_use() {
    // One list of 1,000 duties, anchored once and used by 5,000 more units: five million values
    // once built, from a file of 200 KB.
    let duties = vec!["责"; 1_000].join(", ");
    let mut units = format!("units:\n  - {{ name: 甲, type: 处室, leader: {{ name: 甲, title: 处长 }}, duties: &d [{duties}] }}\n");
    for i in 0..5_000 {
        units.push_str(&format!("  - {{ name: 单位{i}, type: 处室, leader: {{ name: 甲, title: 处长 }}, duties: *d }}\n"));
    }
    let errors = load_units(&units).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    // A unit is 12 values and its 1,001 duties (the list and its items); the file's first three
    // and the anchored unit come first: (5,000,000 − 3 − 1,013 − 1,013) / 1,013 = 4,933.9, so
    // unit 4,934's alias passes the bound.
    let line = 3 + 4_934;
    let column = "  - { name: 单位4934, type: 处室, leader: { name: 甲, title: 处长 }, duties: ".chars().count() + 1;
    assert_eq!(errors[0], format!("ws/data/units.yaml:{line}:{column}: 文件内容过多：超过 5,000,000 个值（上限）；请拆分或精简"));
}

#[test]
fn saphyrs_english_messages_reach_users_in_chinese() {
    let deep = format!("units: {}{}\n", "[".repeat(300), "]".repeat(300));
    let errors = load_units(&deep).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("ws/data/units.yaml:1:"), "{errors:?}");
    assert!(errors[0].contains("嵌套过深"), "{errors:?}");
    let tagged = load_units("units:\n  - name: !!map 甲\n    type: 处室\n    leader: { name: 甲, title: 处长 }\n").unwrap_err();
    assert_eq!(tagged.len(), 1, "{tagged:?}");
    assert!(tagged[0].starts_with("ws/data/units.yaml:2:17: 不支持的 YAML 标签“!!map”"), "{tagged:?}");
    for message in errors.iter().chain(&tagged) {
        let first = message.lines().next().unwrap();
        assert!(!first.contains("recursion") && !first.contains("unsupported") && !first.contains("budget"), "{message}");
    }
}

// ---------------------------------------------------------------------------------------------
// Scores.

#[test]
fn a_scheme_max_of_2_63_is_refused_at_its_place_instead_of_wrapping() {
    let units = "units:\n  - { name: 甲, type: 处室, leader: { name: 甲, title: 处长 } }\n";
    let scheme = "scales: [{ name: 考核组 }]\ncategories:\n  - name: 类\n    items:\n      - { id: A1, content: 内容, max: 92233720368547758 }\n      - { id: A2, content: 内容, max: 92233720368547758 }\n";
    let results = "results:\n  - unit: 甲\n    scores: { A1: { 考核组: 92233720368547758 }, A2: { 考核组: 92233720368547758 } }\n";
    let files = [("zeren.yaml", SETTINGS), ("data/units.yaml", units), ("data/scheme.yaml", scheme), ("data/results.yaml", results)];
    let errors = lines(&zeren::load::load_files(Path::new("ws"), &files).unwrap_err());
    assert_eq!(
        errors[..2],
        [
            "ws/data/scheme.yaml:5:37: 项目“A1”的分值(max)“92233720368547758”应为 0 到 10000 之间的数，最多两位小数",
            "ws/data/scheme.yaml:6:37: 项目“A2”的分值(max)“92233720368547758”应为 0 到 10000 之间的数，最多两位小数",
        ]
    );
}

/// Writes the seed files of the roster fuzzer (fuzz/corpus/roster): small versions of the
/// hostile workbooks above, so the fuzzer starts from .xlsb records and merged regions.
/// Run by fuzz/seeds.sh.
#[test]
#[ignore = "run by fuzz/seeds.sh"]
fn write_fuzz_seeds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/roster");
    std::fs::create_dir_all(&dir).unwrap();
    let rows = roster_rows(3);
    xlsx(&dir.join("seed-merge-2-31.xlsx"), "单位名单", &rows, &["E1:FXSHRXW1", "B2:B4", "A1:A1"]);
    xlsx(&dir.join("seed-merges.xlsx"), "单位名单", &rows, &["B2:B4", "C1:D1", "B2:B4", "A5:E5"]);
    let cells: Vec<(u32, u32, &str)> =
        rows.iter().enumerate().flat_map(|(r, row)| row.iter().enumerate().map(move |(c, v)| (r as u32, c as u32, v.as_str()))).collect();
    xlsb(&dir.join("seed-roster.xlsb"), "单位名单", &cells, None);
    xlsb(&dir.join("seed-far.xlsb"), "单位名单", &[(0, 0, "单位名称"), (0, 2, "负责人"), (1_000_000, 16_383, "远处")], None);
    let header: String = HEADER
        .iter()
        .map(|h| {
            format!(
                r#"<table:table-cell office:value-type="string" table:number-columns-spanned="2"><text:p>{h}</text:p></table:table-cell>"#
            )
        })
        .collect();
    ods(&dir.join("seed-spans.ods"), "单位名单", &format!("<table:table-row>{header}</table:table-row>"));
    // Expansions (tests/text_budget.rs): a row repeated, a cell repeated across columns and rows,
    // a run of spaces, one shared string used by many cells — each at the text bound, so that
    // mutations land on both sides of it.
    let long = "责".repeat(1_000);
    let cell = |text: &str, attributes: &str| {
        format!(r#"<table:table-cell office:value-type="string"{attributes}><text:p>{text}</text:p></table:table-cell>"#)
    };
    let row = |cells: String, repeat: u32| format!(r#"<table:table-row table:number-rows-repeated="{repeat}">{cells}</table:table-row>"#);
    ods(&dir.join("seed-rows-repeated.ods"), "单位名单", &row(cell(&long, ""), 99_998));
    let across = cell(&long, r#" table:number-columns-repeated="150""#);
    ods(&dir.join("seed-columns-repeated.ods"), "单位名单", &format!("{}{}", row(cell("单位名称", ""), 1), row(across, 600)));
    ods(&dir.join("seed-space-run.ods"), "单位名单", &row(cell(r#"单位<text:s text:c="4000000000"/>甲"#, ""), 1));
    // The header names shared strings 1–5, every row below it string 0.
    let shared: Vec<&str> = [long.as_str()].into_iter().chain(HEADER).collect();
    let header: String = (0..5).map(|c| format!(r#"<c r="{}" t="s"><v>{}</v></c>"#, cell_ref(0, c), c + 1)).collect();
    let refs: String = (2..=1_000).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#)).collect();
    xlsx_shared(&dir.join("seed-shared.xlsx"), "单位名单", &format!(r#"<row r="1">{header}</row>{refs}"#), &shared);
    let isst = |r: u32, c: u32, i: u32| {
        let cell = record(0x07, &[&c.to_le_bytes()[..], &[0; 4], &i.to_le_bytes()].concat());
        [record(0x00, &[&r.to_le_bytes()[..], &[0; 13]].concat()), cell].concat()
    };
    let mut cells: Vec<u8> = (0..5).flat_map(|c| isst(0, c, c + 1)).collect();
    cells.extend((1..1_000).flat_map(|r| isst(r, 0, 0)));
    xlsb_shared(&dir.join("seed-shared.xlsb"), "单位名单", &[], Some(&cells), &shared);
    let mut labels: Vec<(u16, u16, u32)> = (0..5).map(|c| (0, c, u32::from(c) + 1)).collect();
    labels.extend((1..1_000).map(|r| (r, 0, 0)));
    xls_shared(&dir.join("seed-shared.xls"), "单位名单", &shared, &labels);
    // The same, uncompressed: byte changes then reach the XML and the records.
    for name in [
        "seed-merge-2-31.xlsx",
        "seed-merges.xlsx",
        "seed-roster.xlsb",
        "seed-far.xlsb",
        "seed-spans.ods",
        "seed-rows-repeated.ods",
        "seed-columns-repeated.ods",
        "seed-space-run.ods",
        "seed-shared.xlsx",
        "seed-shared.xlsb",
    ] {
        let copy = dir.join(format!("stored-{name}"));
        std::fs::copy(dir.join(name), &copy).unwrap();
        stored(&copy);
    }
}
