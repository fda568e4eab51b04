//! Word-native output: schema order, named styles, outline levels, no stray parts.
//! The files written here (target/tmp/*.docx) are also run through `openxml-audit` by `.ci/run`.

mod common;

use common::*;
use zeren::layout::{Layout, Meta, Style};
use zeren::markup;

/// Child order of the property elements we emit (ECMA-376 part 1), checked on produced XML so
/// the rule holds even where the validator is not installed.
const ORDERS: &[(&str, &[&str])] = &[
    ("w:rPr", &["w:rStyle", "w:rFonts", "w:b", "w:i", "w:color", "w:spacing", "w:kern", "w:sz", "w:szCs", "w:lang"]),
    (
        "w:pPr",
        &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:widowControl",
            "w:pBdr",
            "w:tabs",
            "w:kinsoku",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:jc",
            "w:outlineLvl",
            "w:rPr",
            "w:sectPr",
        ],
    ),
    (
        "w:sectPr",
        &["w:headerReference|w:footerReference", "w:type", "w:pgSz", "w:pgMar", "w:pgNumType", "w:cols", "w:titlePg", "w:docGrid"],
    ),
    ("w:tblPr", &["w:tblStyle", "w:tblpPr", "w:tblW", "w:jc", "w:tblInd", "w:tblBorders", "w:tblLayout", "w:tblCellMar", "w:tblLook"]),
    ("w:tcPr", &["w:tcW", "w:gridSpan", "w:vMerge", "w:tcBorders", "w:vAlign"]),
    ("w:tblBorders", &["w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"]),
];

fn assert_schema_order(part: &str, xml: &str) {
    for (parent, order) in ORDERS {
        for children in child_orders(xml, parent) {
            let ranks: Vec<usize> = children
                .iter()
                .map(|c| {
                    order
                        .iter()
                        .position(|o| o.split('|').any(|n| n == c))
                        .unwrap_or_else(|| panic!("{part}: <{c}> in <{parent}> is not in the test's order table"))
                })
                .collect();
            assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{part}: children of <{parent}> out of schema order: {children:?}");
        }
    }
}

/// A document with every block the markup has.
const ALL_BLOCKS: &str = r#"<document>
  <title>关于全部标记的测试文书</title>
  <to>各党支部、各处室：</to>
  <p>正文第一段，含换行<br/>第二行和<tab/>制表。</p>
  <p indent="0" align="center">居中顶格段落</p>
  <h1>一级</h1><h2>二级</h2><h3>三级</h3><h4>四级</h4>
  <list><item>第一项</item><item>第二项</item></list>
  <list style="（1）"><item>甲</item></list>
  <table widths="1,4,3,2">
    <tr header="true"><td>序号</td><td>工作任务</td><td colspan="2">要求与时限</td></tr>
    <tr><td rowspan="2">1</td><td>任务一</td><td>要求一</td><td align="center">全年</td></tr>
    <tr><td>任务二</td><td>要求二</td><td>每季度末</td></tr>
  </table>
  <attachments label="附件："><item>任务清单</item><item>回执</item></attachments>
  <signature><organ>中共某某局委员会</organ><date>2026年1月5日</date></signature>
  <parties>
    <party label="甲方" seal="甲方（盖章）：" sign="书记（签字）："><organ>中共某某局委员会</organ><signer>赵某</signer><date>2026年1月5日</date></party>
    <party label="乙方" seal="乙方（盖章）：" sign="负责人（签字）："><organ>办公室</organ><signer>王某</signer><date>2026年1月5日</date></party>
  </parties>
  <blank lines="2"/>
  <pagebreak/>
  <imprint><cc label="抄送：">市纪委监委，市委组织部</cc><issuer>中共某某局委员会办公室</issuer><issued>2026年1月5日印发</issued></imprint>
</document>"#;

fn all_blocks_docx() -> (Docx, std::path::PathBuf) {
    let doc = markup::parse(ALL_BLOCKS).expect("markup parses");
    let second = markup::parse("<document><title>第二节</title><p>另一个单位的文书。</p></document>").unwrap();
    let layout = Layout::new(Style::gbt9704());
    let meta = Meta { title: doc.title(), creator: "中共某某局委员会".into(), date: "2026-01-05".into() };
    let bytes = layout.docx(&[doc, second], &meta).expect("lays out");
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("all-blocks.docx");
    std::fs::write(&path, &bytes).unwrap();
    (Docx::open(&path), path)
}

#[test]
fn every_block_lays_out_in_schema_order_with_several_sections() {
    let (doc, _) = all_blocks_docx();
    for (name, xml) in &doc.parts {
        assert_well_formed(name, xml);
        if name.ends_with(".xml") {
            assert_schema_order(name, xml);
        }
    }
    let body = doc.document();
    assert_eq!(body.matches("<w:sectPr").count(), 2, "two documents, two sections");
    assert_eq!(body.matches(r#"<w:pgNumType w:start="1"/>"#).count(), 2, "numbering restarts per section");
    assert!(body.contains("<w:tblHeader/>"), "header row repeats");
    assert!(body.contains(r#"<w:gridSpan w:val="2"/>"#) && body.contains(r#"<w:vMerge w:val="restart"/>"#));
    assert!(body.contains("<w:vMerge/>") || body.contains(r#"<w:vMerge w:val="continue"/>"#));
    assert!(body.contains("<w:cantSplit/>"), "rows do not split across pages");
    assert!(!body.contains("w14:paraId"), "no run-dependent ids");
    assert!(!body.contains(r#"<w:gridCol w:w="1" w:type"#) && !body.contains("w:type=\"dxa\"/></w:tblGrid>"));
    let text = doc.text();
    for expected in [
        "关于全部标记的测试文书",
        "一、一级",
        "（一）二级",
        "1.三级",
        "（1）四级",
        "1.第一项",
        "（1）甲",
        "附件：1.任务清单",
        "2.回执",
        "抄送：市纪委监委，市委组织部",
        "中共某某局委员会办公室\t2026年1月5日印发",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn package_has_only_referenced_parts_and_chinese_defaults() {
    let (doc, _) = all_blocks_docx();
    let names: Vec<&str> = doc.parts.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/app.xml",
            "docProps/core.xml",
            "word/_rels/document.xml.rels",
            "word/document.xml",
            "word/fontTable.xml",
            "word/footer1.xml",
            "word/footer2.xml",
            // The landscape pages' footers (a wide 考核评分表), referenced by every package alike.
            "word/footer3.xml",
            "word/footer4.xml",
            // A 信函's first page: no 页码 (the 函告书).
            "word/footer5.xml",
            "word/settings.xml",
            "word/styles.xml",
            "word/theme/theme1.xml",
        ]
    );
    let rels = doc.part("word/_rels/document.xml.rels");
    for target in [
        "styles.xml",
        "settings.xml",
        "fontTable.xml",
        "theme/theme1.xml",
        "footer1.xml",
        "footer2.xml",
        "footer3.xml",
        "footer4.xml",
        "footer5.xml",
    ] {
        assert!(rels.contains(&format!("Target=\"{target}\"")), "{target} referenced");
    }
    let types = doc.part("[Content_Types].xml");
    for part in names.iter().filter(|n| !n.ends_with(".rels") && **n != "[Content_Types].xml") {
        assert!(types.contains(&format!("PartName=\"/{part}\"")), "{part} has a content type");
    }
    assert!(doc.part("word/styles.xml").contains(r#"<w:lang w:val="en-US" w:eastAsia="zh-CN""#));
    assert!(doc.part("docProps/app.xml").contains("<Application>zeren</Application>"));
}

#[test]
fn letter_paragraphs_use_named_styles_without_direct_formatting() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", out.to_str().unwrap(), "--unit", "预算处"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = Docx::open(&out.join("责任书/06-预算处.docx"));
    assert_schema_order("word/document.xml", doc.document());
    let paras = doc.paragraphs();
    assert!(paras.iter().all(|p| !p.run_props), "no run carries its own font or size (the East Asian hint aside)");
    let body: Vec<&Para> = paras.iter().filter(|p| !p.in_table && !p.text.is_empty()).collect();
    let style_of = |text: &str| body.iter().find(|p| p.text.starts_with(text)).and_then(|p| p.style.clone());
    assert_eq!(style_of("2026年度党风廉政建设责任书").as_deref(), Some("GwTitle"));
    assert_eq!(style_of("一、责任内容").as_deref(), Some("GwHeading1"));
    assert_eq!(style_of("（一）").as_deref(), Some("GwHeading2"));
    assert_eq!(style_of("为深入推进").as_deref(), Some("GwBody"));
    let is_duty = |t: &str| t.split_once('.').is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    let duties: Vec<&&Para> = body.iter().filter(|p| is_duty(&p.text)).collect();
    assert!(duties.len() >= 10, "duties found: {}", duties.len());
    for p in duties {
        assert_eq!(p.style.as_deref(), Some("GwBody"), "duty paragraph {:?}", p.text);
    }
    let styles = doc.part("word/styles.xml");
    for (id, name, level) in
        [("GwHeading1", "一级标题", 0), ("GwHeading2", "二级标题", 1), ("GwHeading3", "三级标题", 2), ("GwHeading4", "四级标题", 3)]
    {
        let def = styles.split("<w:style ").find(|s| s.contains(&format!("w:styleId=\"{id}\""))).unwrap();
        assert!(def.contains(&format!("<w:name w:val=\"{name}\"/>")), "{id} is named {name}");
        assert!(def.contains(&format!("<w:outlineLvl w:val=\"{level}\"/>")), "{id} outline level");
    }
    for name in ["正文", "公文标题", "主送", "落款", "成文日期", "附件说明", "表格文字", "版记", "签署栏"] {
        assert!(styles.contains(&format!("<w:name w:val=\"{name}\"/>")), "style {name} defined");
    }
    let default = styles.split("<w:style ").find(|s| s.contains("w:default=\"1\"") && s.contains("paragraph")).unwrap();
    assert!(default.contains("w:styleId=\"GwBody\""), "正文 is the default paragraph style");
}

/// The samples of every kind, separate and as print files, and the all-blocks document.
fn every_kind() -> (tempfile::TempDir, Vec<std::path::PathBuf>) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let print = tmp.path().join("print");
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", print.to_str().unwrap(), "--merge"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut files: Vec<std::path::PathBuf> =
        [out, print].iter().flat_map(|dir| files_under(dir).into_iter().map(move |f| dir.join(f))).collect();
    files.retain(|f| f.extension().is_some_and(|e| e == "docx"));
    files.push(all_blocks_docx().1);
    (tmp, files)
}

#[test]
fn every_run_with_east_asian_punctuation_carries_the_east_asian_hint() {
    let (_tmp, files) = every_kind();
    assert!(files.len() >= 30, "{} files", files.len());
    let mut hinted = 0;
    for file in &files {
        let doc = Docx::open(file);
        for part in ["word/document.xml", "word/footer1.xml", "word/footer2.xml"] {
            for run in runs(doc.part(part)) {
                if run.text.chars().any(|c| "“”‘’—…·".contains(c)) {
                    assert!(run.hint, "{} {part}: run “{}” is set in the Latin face (no w:hint=\"eastAsia\")", file.display(), run.text);
                    hinted += 1;
                }
            }
        }
        // The 页码's dashes, on every page.
        assert!(runs(doc.part("word/footer1.xml")).iter().any(|r| r.text.contains('—') && r.hint), "{}", file.display());
    }
    eprintln!("{hinted} runs with East Asian punctuation in {} files, all hinted", files.len());
    assert!(hinted > 3 * files.len(), "the samples' quotes and dashes were found: {hinted}");
}

#[test]
fn fonts_are_named_in_all_four_slots_and_never_through_the_theme() {
    let (_tmp, files) = every_kind();
    let doc = Docx::open(&files[0]);
    let styles = doc.part("word/styles.xml");
    let mut fonts = 0;
    for tag in styles.split("<w:rFonts ").skip(1) {
        let attrs = &tag[..tag.find("/>").unwrap()];
        for slot in ["w:ascii=", "w:hAnsi=", "w:eastAsia=", "w:cs="] {
            assert!(attrs.contains(slot), "styles.xml: rFonts without {slot}: {attrs}");
        }
        fonts += 1;
    }
    assert!(fonts >= 5, "{fonts} font declarations");
    for file in &files {
        let doc = Docx::open(file);
        for (name, xml) in &doc.parts {
            assert!(!xml.contains("Theme=\""), "{} {name}: a theme font attribute", file.display());
        }
        // In the body a run names no font; it may only say its punctuation is East Asian.
        for tag in doc.document().split("<w:rFonts ").skip(1) {
            assert_eq!(&tag[..tag.find("/>").unwrap()], r#"w:hint="eastAsia""#, "{}", file.display());
        }
    }
}

#[test]
fn page_numbers_are_complete_fields_with_a_cached_value() {
    let (_tmp, files) = every_kind();
    let doc = Docx::open(&files[0]);
    for part in ["word/footer1.xml", "word/footer2.xml"] {
        let xml = doc.part(part);
        let order = [
            "fldCharType=\"begin\"",
            "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>",
            "fldCharType=\"separate\"",
            "<w:t>1</w:t>",
            "fldCharType=\"end\"",
        ];
        let at: Vec<usize> = order.iter().map(|s| xml.find(s).unwrap_or_else(|| panic!("{part}: no {s}"))).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{part}: begin, PAGE, separate, cached 1, end");
    }
}

/// Widths of every table: `tblW`, the `gridCol`s, and each row's `tcW`s with their spans.
#[test]
fn table_widths_agree_between_the_table_its_grid_and_its_cells() {
    let (_tmp, files) = every_kind();
    let num = |s: &str, key: &str| -> u32 {
        let at = s.find(key).unwrap_or_else(|| panic!("no {key} in {s}")) + key.len();
        s[at..].split('"').next().unwrap().parse().unwrap()
    };
    let mut tables = 0;
    for file in &files {
        let doc = Docx::open(file);
        for table in doc.document().split("<w:tbl>").skip(1) {
            let table = &table[..table.find("</w:tbl>").unwrap()];
            let total = num(table, "<w:tblW w:w=\"");
            let grid: Vec<u32> = table.split("<w:gridCol ").skip(1).map(|g| num(g, "w:w=\"")).collect();
            assert_eq!(grid.iter().sum::<u32>(), total, "{}: gridCols sum to tblW", file.display());
            for row in table.split("<w:tr>").skip(1) {
                let mut col = 0;
                for cell in row.split("<w:tc>").skip(1) {
                    let span = if cell.contains("<w:gridSpan ") { num(cell, "<w:gridSpan w:val=\"") as usize } else { 1 };
                    let width = num(cell, "<w:tcW w:w=\"");
                    assert_eq!(
                        width,
                        grid[col..col + span].iter().sum::<u32>(),
                        "{}: tcW is the width of the columns it spans",
                        file.display()
                    );
                    col += span;
                }
                assert_eq!(col, grid.len(), "{}: a row covers the grid", file.display());
            }
            tables += 1;
        }
    }
    assert!(tables >= 20, "{tables} tables");
}
