//! A user's own Word document as a template (`build --template`): built here as Word writes
//! them — fields split over runs, bookmarks and proofing marks, a header field, a table row
//! loop — and the produced .docx read back.

mod common;

use common::word::*;
use common::*;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Settings, font table and theme as Word writes them, taken from a document zeren made.
fn word_parts() -> Vec<(String, Vec<u8>)> {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "函告书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let donor = out.join("函告书").join(&files_under(&out.join("函告书"))[0]);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(donor).unwrap()).unwrap();
    ["word/settings.xml", "word/fontTable.xml", "word/theme/theme1.xml"]
        .iter()
        .map(|name| {
            let mut bytes = Vec::new();
            zip.by_name(name).unwrap().read_to_end(&mut bytes).unwrap();
            (name.to_string(), bytes)
        })
        .collect()
}

/// The letter a secretary types: the unit's name split by Word over three runs with a
/// bookmark and a proofing mark between, the leader in a table, the 班子副职 as table rows.
fn letter_body() -> String {
    let title = r#"<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>廉洁承诺书（</w:t></w:r><w:r><w:t>{{年</w:t></w:r><w:r><w:t>度}}）</w:t></w:r></w:p>"#;
    let split = format!(
        r#"<w:p><w:r><w:t xml:space="preserve">致：</w:t></w:r>{}<w:proofErr w:type="spellStart"/><w:bookmarkStart w:id="0" w:name="单位"/><w:r w:rsidR="00A1B2C3"><w:t>{{{{单位</w:t></w:r><w:bookmarkEnd w:id="0"/><w:r w:rsidR="00B2C3D4"><w:t>名</w:t></w:r><w:proofErr w:type="spellEnd"/><w:r><w:t>称}}}}</w:t></w:r>{}</w:p>"#,
        "",
        r("（盖章）")
    );
    let table = r#"<w:tbl><w:tblPr><w:tblW w:w="8000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="5000"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>负责人</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:tcW w:w="5000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>{{负责人}}（{{unit.leader.title}}）</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:tcW w:w="3000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>{{#班子副职}}{{姓名}}</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:tcW w:w="5000" w:type="dxa"/></w:tcPr><w:p><w:r><w:t>{{职务}}{{/班子副职}}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
    [
        title.to_string(),
        split,
        p(&format!("{}{}", r("本单位承诺："), bold("{{发文机关}}"))),
        p(&r("{{?分管领导}}")),
        p(&r("分管领导：{{分管领导}}")),
        p(&r("{{/分管领导}}")),
        table.to_string(),
        p(&r("{{#责任组}}")),
        p(&format!(r#"<w:bookmarkStart w:id="5" w:name="组"/>{}<w:bookmarkEnd w:id="5"/>"#, r("{{责任主体}}"))),
        p(&r("{{#责任条目}}")),
        p(&format!("{}{}", r("· "), r("{{.}}"))),
        p(&r("{{/责任条目}}")),
        p(&r("{{/责任组}}")),
        p(&r("（完）")),
        tables(),
        p(&r("")),
    ]
    .concat()
}

/// A footer as Word leaves it after editing: the year's field split over runs of three rsids, a
/// grammar mark and a bookmark, the second piece in italics.
fn footer() -> String {
    p(
        r#"<w:r w:rsidR="00AA0001"><w:t xml:space="preserve">第</w:t></w:r><w:r w:rsidR="00AA0002"><w:t>{{年</w:t></w:r><w:proofErr w:type="gramStart"/><w:bookmarkStart w:id="9" w:name="页脚"/><w:r w:rsidRPr="00AA0003"><w:rPr><w:i/></w:rPr><w:t>度}}</w:t></w:r><w:bookmarkEnd w:id="9"/><w:proofErr w:type="gramEnd"/><w:r><w:t>年度·{{单位名称}}</w:t></w:r>"#,
    )
}

/// Two tables as people make them: a row loop whose first cell is merged down (“班子副职” beside
/// every deputy), its tags split over runs by a spelling mark, a last row spanning the grid; and
/// a table with no `w:tblGrid` (some tools write none), a field split by a bookmark in a cell.
fn tables() -> String {
    let tc = |props: &str, inner: &str| format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(inner));
    let merged = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="8000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}</w:tr></w:tbl>"#,
        tc(r#"<w:tcW w:w="2000" w:type="dxa"/>"#, &r("类别")),
        tc(r#"<w:tcW w:w="3000" w:type="dxa"/>"#, &r("姓名")),
        tc(r#"<w:tcW w:w="3000" w:type="dxa"/>"#, &r("职务")),
        tc(r#"<w:tcW w:w="2000" w:type="dxa"/><w:vMerge w:val="restart"/>"#, &r("班子副职")),
        tc(
            r#"<w:tcW w:w="3000" w:type="dxa"/>"#,
            r#"<w:r><w:t>{{#班子</w:t></w:r><w:proofErr w:type="spellStart"/><w:r w:rsidR="00BB0001"><w:t>副职}}{{姓</w:t></w:r><w:proofErr w:type="spellEnd"/><w:r><w:t>名}}</w:t></w:r>"#
        ),
        tc(r#"<w:tcW w:w="3000" w:type="dxa"/>"#, &r("{{职务}}{{/班子副职}}")),
        tc(r#"<w:tcW w:w="8000" w:type="dxa"/><w:gridSpan w:val="3"/>"#, &r("以上人员均已签字")),
    );
    let gridless = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tr>{}{}</w:tr></w:tbl>"#,
        tc(r#"<w:tcW w:w="2500" w:type="dxa"/>"#, &r("单位")),
        tc(
            r#"<w:tcW w:w="5500" w:type="dxa"/>"#,
            r#"<w:r><w:t>{{单</w:t></w:r><w:bookmarkStart w:id="7" w:name="格"/><w:r w:rsidR="00CC0001"><w:t>位名称}}</w:t></w:r><w:bookmarkEnd w:id="7"/>"#
        ),
    );
    format!("{merged}{}{gridless}", p(&r("")))
}

fn header() -> String {
    p(&format!("{}{}", r("{{发文"), r("机关}}·{{年度}}年")))
}

/// Each table of a part's XML (tables not nested).
fn tables_of(xml: &str) -> Vec<&str> {
    xml.split("<w:tbl>").skip(1).map(|t| &t[..t.find("</w:tbl>").unwrap()]).collect()
}

/// The text of a part, paragraph by paragraph.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn paragraphs(xml: &str) -> Vec<String> {
    xml.split("</w:p>")
        .map(|p| {
            let mut text = String::new();
            let mut rest = p;
            while let Some(i) = rest.find("<w:t>").into_iter().chain(rest.find("<w:t ")).min() {
                let after = &rest[i..];
                let Some(open_end) = after.find('>') else { break };
                if after[..open_end].ends_with('/') {
                    rest = &after[open_end + 1..];
                    continue;
                }
                let body = &after[open_end + 1..];
                let close = body.find("</w:t>").unwrap_or(body.len());
                text.push_str(&body[..close]);
                rest = &body[close..];
            }
            text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
        })
        .filter(|t| !t.is_empty())
        .collect()
}

fn build(ws: &Path, extra: &[&str]) -> (std::process::Output, PathBuf) {
    let out = ws.join("out");
    let mut args = vec!["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    (zeren(&args), out)
}

#[test]
fn a_word_letter_is_filled_per_unit_keeping_runs_styles_header_and_table() {
    let (_tmp, ws) = sample_copy();
    let template = ws.join("廉洁承诺书.docx");
    WordDoc { body: &letter_body(), header: Some(&header()), footer: Some(&footer()), extra: &word_parts() }.write(&template);
    let (o, out) = build(&ws, &["--template", template.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    let files = files_under(&out.join("廉洁承诺书"));
    assert_eq!(files.len(), workspace.units.len(), "one per unit, and nothing else of the kinds: {files:?}");
    assert!(!out.join("责任书").exists(), "--template alone makes only the template");
    let width = files.len().to_string().len();
    let jobs = zeren::plan::jobs_per(&workspace, zeren::plan::Per::Unit, &Default::default());
    for (i, unit) in workspace.units.iter().enumerate() {
        let file = out.join("廉洁承诺书").join(format!("{:0width$}-{}.docx", i + 1, unit.name));
        let body = part(&file, "word/document.xml");
        let text = paragraphs(&body);
        assert_eq!(text[0], format!("廉洁承诺书（{}）", workspace.settings.year));
        assert_eq!(text[1], format!("致：{}（盖章）", unit.name), "the split field: {text:?}");
        assert_eq!(text[2], format!("本单位承诺：{}", workspace.settings.organ));
        assert!(!body.contains("{{") && !body.contains("}}"), "every tag filled: {body}");
        // The value sits in the run where the field started: the organ's run is still bold red.
        assert!(body.contains(&format!(
            r#"<w:rPr><w:b/><w:color w:val="C00000"/></w:rPr><w:t xml:space="preserve">{}</w:t>"#,
            workspace.settings.organ
        )));
        // Bookmarks and proofing marks stay where Word put them.
        assert!(body.contains(r#"<w:bookmarkStart w:id="0" w:name="单位"/>"#) && body.contains(r#"<w:proofErr w:type="spellEnd"/>"#));
        // The section kept its page set-up and header; the table its grid.
        assert!(body.contains(r#"<w:pgMar w:top="2098""#) && body.contains(r#"<w:gridCol w:w="3000"/><w:gridCol w:w="5000"/>"#));
        let supervisor = text.iter().find(|t| t.starts_with("分管领导："));
        match &unit.supervisor {
            Some(s) => assert_eq!(supervisor, Some(&format!("分管领导：{}", s.name))),
            None => assert_eq!(supervisor, None, "{{?分管领导}} drops the paragraph when there is none"),
        }
        assert!(!text.iter().any(|t| t.contains("{{")), "marker paragraphs are gone");
        assert!(text.contains(&format!("{}（{}）", unit.leader.name, unit.leader.title)));
        // A row per deputy, in order.
        let rows = tables_of(&body)[0].matches("<w:tr>").count();
        assert_eq!(rows, 1 + unit.members.len(), "{}: a row per 班子副职", unit.name);
        for m in &unit.members {
            assert!(text.contains(&m.name) && text.contains(&m.title), "{}: {}", unit.name, m.name);
        }
        // Each group's subject, then its duties, one paragraph each, in order; the bookmark once.
        let view = serde_json::to_value(&jobs[i].view).unwrap();
        let mut expected = Vec::new();
        for g in view["groups"].as_array().unwrap() {
            expected.push(g["subject"].as_str().unwrap().to_string());
            expected.extend(g["duties"].as_array().unwrap().iter().map(|d| format!("· {}", d.as_str().unwrap())));
        }
        assert!(!expected.is_empty());
        let at = text.iter().position(|t| *t == expected[0]).expect("the first group");
        assert_eq!(text[at..at + expected.len()], expected[..], "{}", unit.name);
        assert_eq!(text[at + expected.len()], "（完）");
        assert_eq!(body.matches(r#"w:name="组""#).count(), 1, "a repeated bookmark would make Word repair the file");
        let ids: Vec<&str> = body.split("w14:paraId=\"").skip(1).map(|s| &s[..8]).collect();
        let distinct: std::collections::BTreeSet<&&str> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len(), "repeated paragraphs get no second paraId");
        let head = paragraphs(&part(&file, "word/header1.xml"));
        assert_eq!(head, [format!("{}·{}年", workspace.settings.organ, workspace.settings.year)]);
        // Everything else is copied as it was.
        assert_eq!(part(&file, "word/styles.xml"), part(&template, "word/styles.xml"));
    }
    // For .ci/run: openxml-audit must find nothing in a filled document (Word and WPS open it
    // without repair) — one with a split field, a paragraph loop with a bookmark, row loops (one
    // beside a merged cell), a table given the grid it lacked, a footer.
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR")).join("word-template.docx");
    // The unit with the most deputies: its merged cell continues down the copied rows.
    let most = (0..workspace.units.len()).max_by_key(|&i| workspace.units[i].members.len()).unwrap();
    assert!(workspace.units[most].members.len() >= 2);
    std::fs::copy(out.join("廉洁承诺书").join(&files[most]), kept).unwrap();
    // The manifest lists them under the template's name.
    let manifest = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    assert!(manifest.contains("廉洁承诺书"), "{manifest}");
}

#[test]
fn data_stays_text_and_line_breaks_become_breaks() {
    let (_tmp, ws) = sample_copy();
    let units = ws.join("data/units.yaml");
    let yaml = std::fs::read_to_string(&units).unwrap();
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    let first = workspace.units[0].name.clone();
    let hostile = "A&B<w:p/>{{年度}}\\n第二行";
    std::fs::write(&units, yaml.replacen(&format!("name: {first}"), &format!("name: \"{hostile}\""), 1)).unwrap();
    let template = ws.join("承诺.docx");
    docx_with_header(&template, &p(&r("{{单位名称}}")), &p(&r("页眉{{单位名称}}")));
    let (o, out) = build(&ws, &["--template", template.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = &files_under(&out.join("承诺"))[0];
    let head = part(&out.join("承诺").join(file), "word/header1.xml");
    assert!(head.contains("页眉A&amp;B&lt;w:p/&gt;{{年度}}</w:t><w:br/>"), "escaped in a header too: {head}");
    let body = part(&out.join("承诺").join(file), "word/document.xml");
    assert!(
        body.contains("A&amp;B&lt;w:p/&gt;{{年度}}</w:t><w:br/><w:t xml:space=\"preserve\">第二行"),
        "a value is never read as a field: {body}"
    );
    assert_eq!(body.matches("<w:p ").count() + body.matches("<w:p>").count(), 1, "data never becomes structure");
}

#[test]
fn an_unknown_field_is_refused_with_its_paragraph_and_the_nearest_name() {
    let (_tmp, ws) = sample_copy();
    let template = ws.join("承诺.docx");
    docx_with_header(
        &template,
        &[p(&format!("{}{}", r("致 {{单位"), r("名城}} 同志"))), p(&r("{{#班子副职}}"))].concat(),
        &p(&r("{{年度")),
    );
    let (o, out) = build(&ws, &["--template", template.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("{{单位名城}}") && err.contains("是不是“单位名称”") && err.contains("致 {{单位名城}} 同志"), "{err}");
    assert!(err.contains("{{#班子副职}} 没有结束"), "{err}");
    assert!(err.contains("“{{年度”没有在本段内以 }} 结束"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_template_with_a_persons_fields_is_filled_per_committee_member() {
    let (_tmp, ws) = sample_copy();
    let template = ws.join("谈话提醒.docx");
    docx_with_header(&template, &[p(&r("{{姓名}}同志（{{职务}}）：")), p(&r("分管：{{分管单位}}"))].concat(), &p(&r("{{发文机关}}")));
    let (o, out) = build(&ws, &["--template", template.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    let files = files_under(&out.join("谈话提醒"));
    assert_eq!(files.len(), workspace.committee().len(), "{files:?}");
    let first = &workspace.committee()[0];
    let text = paragraphs(&part(&out.join("谈话提醒").join(&files[0]), "word/document.xml"));
    assert_eq!(text[0], format!("{}同志（{}）：", first.person.name, first.person.title));
}

#[test]
fn a_workspace_lists_its_word_templates_and_build_and_check_make_and_check_them() {
    let (_tmp, ws) = sample_copy();
    docx_with_header(&ws.join("承诺.docx"), &p(&r("{{单位名称}}：{{负责人}}")), &p(&r("{{年度}}")));
    docx_with_header(&ws.join("提醒.docx"), &p(&r("{{单位名称}}：{{负责人}}")), &p(&r("{{年度}}")));
    list_in_settings(&ws, "  - file: 承诺.docx\n  - file: 提醒.docx\n    per: 副职");
    let o = zeren(&["check", ws.to_str().unwrap()]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    let (o, out) = build(&ws, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    assert!(out.join("责任书").is_dir(), "the kinds are made as before");
    assert_eq!(files_under(&out.join("承诺")).len(), workspace.units.len());
    // Per deputy: the deputy's unit and its head.
    let deputies: Vec<(String, String)> =
        workspace.units.iter().flat_map(|u| u.members.iter().map(move |m| (u.name.clone(), format!("{}-{}", u.name, m.name)))).collect();
    let files = files_under(&out.join("提醒"));
    assert_eq!(files.len(), deputies.len());
    assert!(files[0].to_string_lossy().ends_with(&format!("{}.docx", deputies[0].1)), "{files:?}");

    // A field zeren does not know: check names it, with the paragraph, and build refuses.
    docx_with_header(&ws.join("提醒.docx"), &p(&r("{{负责人姓名}}同志")), &p(&r("")));
    let o = zeren(&["check", ws.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert!(said.contains("{{负责人姓名}}") && said.contains("{{负责人姓名}}同志") && said.contains("是不是“负责人"), "{said}");
    let before = files_under(&out);
    let (o, _) = build(&ws, &["--force"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(files_under(&out), before, "nothing written");
}

#[test]
fn a_per_that_does_not_exist_is_named_at_its_line() {
    let (_tmp, ws) = sample_copy();
    docx_with_header(&ws.join("承诺.docx"), &p(&r("{{单位名称}}")), &p(&r("")));
    list_in_settings(&ws, "  - file: 承诺.docx\n    per: 每个科室");
    let o = zeren(&["check", ws.to_str().unwrap()]);
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("每个科室") && said.contains("zeren.yaml"), "{said}");
}

#[test]
fn a_loop_inside_one_cell_repeats_paragraphs_and_item_fields_need_their_loop() {
    let (_tmp, ws) = sample_copy();
    let cell = |inner: &str| format!("<w:tc><w:tcPr><w:tcW w:w=\"4000\" w:type=\"dxa\"/></w:tcPr>{inner}</w:tc>");
    let table = format!(
        "<w:tbl><w:tblGrid><w:gridCol w:w=\"4000\"/><w:gridCol w:w=\"4000\"/></w:tblGrid><w:tr>{}{}</w:tr></w:tbl>",
        cell(&p(&r("{{单位名称}}"))),
        cell(&[p(&r("{{#本单位责任}}")), p(&r("{{.}}")), p(&r("{{/本单位责任}}"))].concat())
    );
    let template = ws.join("清单.docx");
    docx_with_header(&template, &table, &p(&r("")));
    let (o, out) = build(&ws, &["--template", template.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    let jobs = zeren::plan::jobs_per(&workspace, zeren::plan::Per::Unit, &Default::default());
    for (job, file) in jobs.iter().zip(files_under(&out.join("清单"))) {
        let body = part(&out.join("清单").join(file), "word/document.xml");
        assert_eq!(body.matches("<w:tr>").count(), 1, "one row: the loop is inside the cell");
        let view = serde_json::to_value(&job.view).unwrap();
        let duties: Vec<String> = view["unit"]["duties"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()).collect();
        let text = paragraphs(&body);
        assert_eq!(text[1..], duties[..], "{}", job.recipient);
        // A cell left with no paragraph would not open in Word.
        assert!(body.matches("<w:tc>").all(|_| true) && body.split("<w:tc>").skip(1).all(|c| c.contains("<w:p")));
    }
    // {{姓名}} of a 班子副职 outside the rows it belongs to.
    docx_with_header(&template, &p(&r("{{职务}}")), &p(&r("")));
    let o = zeren(&["build", ws.to_str().unwrap(), "--template", template.to_str().unwrap(), "--per", "单位"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("只能用在 {{#班子副职}} 与 {{/班子副职}} 之间"), "{}", stderr(&o));
}

#[test]
fn template_vars_shows_the_chinese_name_of_each_variable() {
    let o = zeren(&["template", "vars", "责任书", samples().to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for (path, name) in
        [("unit.name", "单位名称"), ("unit.leader.name", "负责人"), ("year", "年度"), ("organ", "发文机关"), ("groups", "责任组")]
    {
        let line = out.lines().find(|l| l.trim_start().starts_with(&format!("{path} "))).unwrap_or_else(|| panic!("{path}:\n{out}"));
        assert_eq!(line.split_whitespace().nth(1), Some(name), "{line}");
    }
    assert!(out.contains("{{#名称}}"), "how a Word template uses them: {out}");
}

/// LibreOffice opens a filled document and prints what Word would: the unit's name, its
/// deputies' rows, the header. Needs `soffice` and `pdftotext`.
#[test]
#[ignore]
fn libreoffice_prints_the_filled_document() {
    let (_tmp, ws) = sample_copy();
    let template = ws.join("廉洁承诺书.docx");
    WordDoc { body: &letter_body(), header: Some(&header()), footer: Some(&footer()), extra: &word_parts() }.write(&template);
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fonts/fonts.conf");
    let out = ws.join("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_zeren"))
        .args(["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "-u", "预算处", "--template"])
        .arg(&template)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    let unit = workspace.units.iter().find(|u| u.name == "预算处").unwrap();
    // Word lays a user's own template out, so zeren draws no PDF of it: LibreOffice opens it here.
    let docx = files_under(&out.join("廉洁承诺书")).into_iter().find(|f| f.extension().is_some_and(|e| e == "docx")).expect("a .docx");
    let profile = ws.join("lo-profile");
    let converted = std::process::Command::new("soffice")
        .env("FONTCONFIG_FILE", fonts)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out.join("廉洁承诺书"))
        .arg(out.join("廉洁承诺书").join(&docx))
        .output()
        .expect("soffice: bash .ci/fidelity-deps");
    assert!(converted.status.success(), "{}", String::from_utf8_lossy(&converted.stderr));
    let pdf = files_under(&out.join("廉洁承诺书")).into_iter().find(|f| f.extension().is_some_and(|e| e == "pdf")).expect("a PDF");
    let text = std::process::Command::new("pdftotext").arg(out.join("廉洁承诺书").join(pdf)).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).replace(' ', "");
    assert!(text.contains(&format!("致：{}（盖章）", unit.name)), "{text}");
    assert!(text.contains(&format!("{}·{}年", workspace.settings.organ, workspace.settings.year)), "the header: {text}");
    for m in &unit.members {
        assert!(text.contains(&m.name), "{}: {text}", m.name);
    }
}

#[test]
fn a_workspace_of_a_roster_and_its_own_word_template_builds_it() {
    let (_tmp, ws) = sample_copy();
    for f in ["duties", "tasks", "cases", "reports", "scheme", "results"] {
        std::fs::remove_file(ws.join(format!("data/{f}.yaml"))).unwrap();
    }
    std::fs::remove_file(ws.join("文号台账.yaml")).ok();
    let settings = ws.join("zeren.yaml");
    let yaml: String = std::fs::read_to_string(&settings)
        .unwrap()
        .lines()
        .filter(|l| !["duties:", "tasks:", "cases:", "reports:", "scheme:", "results:"].iter().any(|k| l.trim_start().starts_with(k)))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&settings, yaml).unwrap();
    docx_with_header(&ws.join("承诺.docx"), &p(&r("{{单位名称}}")), &p(&r("")));
    list_in_settings(&ws, "  - file: 承诺.docx");
    let (o, out) = build(&ws, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    assert_eq!(files_under(&out.join("承诺")).len(), workspace.units.len());
    assert!(stdout(&o).contains(&format!("承诺 {} 份", workspace.units.len())), "{}", stdout(&o));
}

#[test]
fn an_item_that_is_a_group_of_fields_asks_for_one_of_them() {
    let (_tmp, ws) = sample_copy();
    let template = ws.join("组.docx");
    docx_with_header(&template, &[p(&r("{{#责任组}}")), p(&r("{{.}}")), p(&r("{{/责任组}}"))].concat(), &p(&r("")));
    let o = zeren(&["build", ws.to_str().unwrap(), "--template", template.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("{{.}} 填不出文字") && stderr(&o).contains("{{责任"), "{}", stderr(&o));
}

#[test]
fn a_template_run_replaces_its_own_folder_and_leaves_the_last_runs_other_files() {
    let (_tmp, ws) = sample_copy();
    let template = ws.join("承诺.docx");
    docx_with_header(&template, &p(&r("{{单位名称}}")), &p(&r("")));
    let (o, out) = build(&ws, &["--template", template.to_str().unwrap(), "--kind", "函告书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let notices = files_under(&out.join("函告书"));
    assert!(!notices.is_empty() && !files_under(&out.join("承诺")).is_empty(), "both made");
    // Again with the template alone, now per 副职: its folder is replaced, the 函告书 stay.
    let (o, _) = build(&ws, &["--template", template.to_str().unwrap(), "--per", "副职"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(files_under(&out.join("函告书")), notices, "the 函告书 of the last run are kept");
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    let deputies: usize = workspace.units.iter().map(|u| u.members.len()).sum();
    assert_eq!(files_under(&out.join("承诺")).len(), deputies, "the per-unit files of the last run are gone");
    // The template's documents carry no 文号, and the ledger got none from them.
    let manifest = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    assert!(manifest.lines().filter(|l| l.contains("承诺/")).count() == deputies, "{manifest}");
}

#[test]
fn a_template_with_a_cases_fields_is_filled_per_case_with_the_same_doc_numbers() {
    let (_tmp, ws) = sample_copy();
    // A case not yet numbered: the run hands it the next number and records it.
    let ledger_file = ws.join("文号台账.yaml");
    let ledger = std::fs::read_to_string(&ledger_file).unwrap();
    std::fs::write(&ledger_file, ledger.lines().filter(|l| !l.contains("2026-WZ-003")).map(|l| format!("{l}\n")).collect::<String>())
        .unwrap();
    let template = ws.join("通知.docx");
    docx_with_header(&template, &p(&r("{{文号}}：{{问责对象}}")), &p(&r("")));
    let (o, out) = build(&ws, &["--template", template.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    let files = files_under(&out.join("通知"));
    assert_eq!(files.len(), workspace.cases.len(), "one per case: {files:?}");
    let ledger = std::fs::read_to_string(&ledger_file).unwrap();
    assert!(ledger.contains("2026-WZ-003"), "the template's new 文号 is recorded: {ledger}");
    assert!(stdout(&o).contains("已分配文号"), "{}", stdout(&o));
    // The 文号 a template prints are the ledger's: the 决定书 built next carry the same.
    let (o, out2) =
        (zeren(&["build", ws.to_str().unwrap(), "-o", ws.join("out2").to_str().unwrap(), "--kind", "问责决定书"]), ws.join("out2"));
    assert!(o.status.success(), "{}", stderr(&o));
    let numbers = |dir: &Path| -> Vec<String> {
        std::fs::read_to_string(dir.join("manifest.csv"))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(3).unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(numbers(&out), numbers(&out2));
    for (file, no) in files.iter().zip(numbers(&out)) {
        let text = paragraphs(&part(&out.join("通知").join(file), "word/document.xml"));
        assert!(!no.is_empty() && text[0].starts_with(&format!("{no}：")), "{text:?} {no}");
    }
}

/// `zeren check` checks a listed Word template as `build` would, every fault at once: a loop
/// left open, a field split across two paragraphs, a misspelled field split over runs in a
/// table cell and one in the footer — each with its paragraph's text and the nearest name; and
/// it does so even when the data cannot be read.
#[test]
fn check_names_every_fault_of_a_listed_template_with_its_paragraph() {
    let (_tmp, ws) = sample_copy();
    let table = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol w:w="8000"/></w:tblGrid><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>"#,
        p(&format!("{}{}", r("负责人：{{负责"), r("人姓名}}")))
    );
    let body = [p(&r("{{#责任组}}")), p(&r("{{责任主体}}")), p(&r("致{{单位")), p(&r("名称}}同志")), table].concat();
    let footer = p(&format!("{}<w:proofErr w:type=\"spellStart\"/>{}", r("第{{发文"), r("机官}}页")));
    WordDoc { body: &body, footer: Some(&footer), ..WordDoc::default() }.write(&ws.join("承诺.docx"));
    list_in_settings(&ws, "  - file: 承诺.docx");
    let o = zeren(&["check", ws.to_str().unwrap()]);
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{said}");
    for expected in [
        "{{#责任组}} 没有结束",
        "“{{单位”没有在本段内以 }} 结束",
        "所在段落：“致{{单位”",
        "{{负责人姓名}}：没有叫“负责人姓名”的字段——是不是“负责人",
        "所在段落：“负责人：{{负责人姓名}}”",
        "{{发文机官}}：没有叫“发文机官”的字段——是不是“发文机关”？",
        "所在段落：“第{{发文机官}}页”",
        "承诺.docx",
    ] {
        assert!(said.contains(expected), "{expected}: {said}");
    }
    let o = zeren(&["check", ws.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("word.field") && stdout(&o).contains("发文机官"), "{}", stdout(&o));
    // The data broken as well: both are listed in one run.
    std::fs::write(ws.join("data/units.yaml"), "units:\n  - name: [\n").unwrap();
    let o = zeren(&["check", ws.to_str().unwrap()]);
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains("units.yaml") && said.contains("{{发文机官}}"), "{said}");
}

/// What other tools get wrong, each read back: a field split over rsid runs, a grammar mark and
/// a bookmark in a footer and in a table cell; a merged cell in a looped row spanning every
/// copy; a grid WPS can read after the loop, and one made for a table that had none.
#[test]
fn footers_and_tables_keep_their_fields_merges_and_grid() {
    let (_tmp, ws) = sample_copy();
    let template = ws.join("承诺.docx");
    let body = [p(&r("{{单位名称}}")), tables()].concat();
    WordDoc { body: &body, footer: Some(&footer()), ..WordDoc::default() }.write(&template);
    let (o, out) = build(&ws, &["--template", template.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    let year = workspace.settings.year;
    let files = files_under(&out.join("承诺"));
    let unit = workspace.units.iter().max_by_key(|u| u.members.len()).unwrap();
    assert!(unit.members.len() >= 2, "a unit with deputies to merge beside");
    for (i, u) in workspace.units.iter().enumerate() {
        let file = out.join("承诺").join(&files[i]);
        let foot = part(&file, "word/footer1.xml");
        assert_eq!(paragraphs(&foot), [format!("第{year}年度·{}", u.name)], "{foot}");
        // The value in the run where the field began (no italics); the bookmark and marks stay.
        assert!(foot.contains(&format!(r#"<w:r w:rsidR="00AA0002"><w:t xml:space="preserve">{year}</w:t></w:r>"#)), "{foot}");
        assert!(foot.contains(r#"<w:bookmarkStart w:id="9" w:name="页脚"/>"#) && foot.contains(r#"<w:proofErr w:type="gramEnd"/>"#));
        let body = part(&file, "word/document.xml");
        let tables = tables_of(&body);
        // The looped table: header, a row per deputy, the spanning row; three grid columns in
        // every row, as the grid says.
        let rows: Vec<&str> = tables[0].split("</w:tr>").filter(|r| r.contains("<w:tr")).collect();
        assert_eq!(rows.len(), 2 + u.members.len(), "{}", u.name);
        assert!(tables[0].contains(r#"<w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid>"#));
        for row in &rows {
            let spans: usize = row
                .split("<w:tc>")
                .skip(1)
                .map(|c| c.split("<w:gridSpan w:val=\"").nth(1).map_or(1, |v| v[..v.find('"').unwrap()].parse().unwrap()))
                .sum();
            assert_eq!(spans, 3, "{}: {row}", u.name);
        }
        for (j, m) in u.members.iter().enumerate() {
            let text = paragraphs(rows[1 + j]);
            let first_cell = &rows[1 + j][..rows[1 + j].find("</w:tc>").unwrap()];
            if j == 0 {
                assert_eq!(text, ["班子副职", m.name.as_str(), m.title.as_str()], "{}", u.name);
                assert!(first_cell.contains(r#"<w:vMerge w:val="restart"/>"#), "{first_cell}");
            } else {
                assert_eq!(text, [m.name.as_str(), m.title.as_str()], "{}: the merged cell is empty in the copies", u.name);
                assert!(first_cell.contains("<w:vMerge/>") && !first_cell.contains("restart"), "{first_cell}");
            }
        }
        // The table without a grid got one, from its cells' widths, after its properties.
        assert!(
            tables[1].contains(r#"</w:tblPr><w:tblGrid><w:gridCol w:w="2500"/><w:gridCol w:w="5500"/></w:tblGrid><w:tr>"#),
            "{}",
            tables[1]
        );
        assert_eq!(paragraphs(tables[1]), ["单位", u.name.as_str()]);
    }
}

/// A workspace may list at most 64 Word templates (the web page's form carries one field for
/// each); the 65th is refused at its line in zeren.yaml.
#[test]
fn too_many_word_templates_are_refused_at_the_first_one_past_the_limit() {
    let (_tmp, ws) = sample_copy();
    let mut yaml = std::fs::read_to_string(ws.join("zeren.yaml")).unwrap();
    yaml.push_str("word_templates:\n");
    for i in 0..65 {
        yaml.push_str(&format!("  - {{ file: templates/t{i}.docx }}\n"));
    }
    std::fs::write(ws.join("zeren.yaml"), &yaml).unwrap();
    let line = yaml.lines().position(|l| l.contains("t64.docx")).unwrap() + 1;
    let o = zeren(&["check", ws.to_str().unwrap()]);
    let said = format!("{}{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(1), "{said}");
    assert!(said.contains(&format!("zeren.yaml:{line}:")) && said.contains("超过 64 个"), "{said}");
}
