//! `zeren template import`: last year's Word letter, built here as Word writes it (a field split
//! over runs, a picture, a text box, hostile text), becomes a markup template; `zeren build` then
//! sets it with the bureau's words, and the produced .docx is read back.

mod common;

use common::word::*;
use common::*;
use std::path::{Path, PathBuf};

/// Last year's letter as a secretary has it.
fn letter() -> String {
    let title = r#"<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>2026年度党风廉政建设目标责任书</w:t></w:r></w:p>"#;
    // 单位名称 split by Word over three runs, a bookmark and a proofing mark between.
    let split = r#"<w:p><w:r><w:t>乙方：</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>{{单位</w:t></w:r><w:bookmarkStart w:id="0" w:name="b"/><w:r><w:rPr><w:b/></w:rPr><w:t>名</w:t></w:r><w:bookmarkEnd w:id="0"/><w:proofErr w:type="spellEnd"/><w:r><w:t>称}}</w:t></w:r></w:p>"#;
    let picture =
        p(&format!(r#"{}<w:r><w:drawing><wp:inline><wp:docPr w:id="1" name="局徽"/></wp:inline></w:drawing></w:r>"#, r("局徽如下")));
    let text_box = p(&format!(
        r#"{}<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>框内批示</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"#,
        r("严格执行廉洁纪律。")
    ));
    let hostile = p(&r("提示：a&lt;b &amp;&amp; &lt;w:p&gt; {{ 不是字段 {% if x %}{# c #}"));
    let table = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="5000"/></w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}</w:tr></w:tbl>"#,
        cell("项目"),
        cell("要求"),
        cell_with("<w:vMerge w:val=\"restart\"/>", "廉政谈话"),
        cell("每季度一次，{{负责人}}负责"),
        cell_with("<w:vMerge/>", ""),
        cell("每年述廉一次"),
        cell_with("<w:gridSpan w:val=\"2\"/>", "备注：2025年的谈话记录归档")
    );
    [
        title.to_string(),
        p(&r("甲方：中共江州市财政局委员会")),
        split.to_string(),
        p(&r("为压紧压实责任，甲乙双方签订本责任书。")),
        p(&r("一、责任内容")),
        p(&r("（一）主体责任")),
        p(&r("1.落实“一岗双责”")),
        p(&r("乙方对本单位党风廉政建设负领导责任。")),
        picture,
        text_box,
        hostile,
        table,
        // Word's own 标题 2 style, its number drawn by Word: a heading all the same.
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="2"/><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr>{}</w:p>"#,
            r("监督责任")
        ),
        p(&r("二、责任追究")),
        p(&r("违反本责任书的，依规严肃问责。")),
        p(&r("甲方（盖章）：")),
        p(&r("年　月　日")),
    ]
    .concat()
}

fn import(doc: &Path, ws: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["template", "import", doc.to_str().unwrap(), ws.to_str().unwrap(), "--kind", "责任书"];
    args.extend_from_slice(extra);
    zeren(&args)
}

fn template_of(ws: &Path) -> PathBuf {
    ws.join("templates").join("responsibility-letter.xml")
}

#[test]
fn a_word_letter_becomes_a_template_zeren_builds_with_its_wording() {
    let (_tmp, ws) = sample_copy();
    let doc = ws.join("责任书.docx");
    docx(&doc, &letter());
    let o = import(&doc, &ws, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let said = stdout(&o);
    let markup = std::fs::read_to_string(template_of(&ws)).unwrap();

    // Headings as headings (their numbers left to zeren), the table as a table, fields as variables.
    assert!(markup.contains("<title>{{ year }}年度党风廉政建设目标责任书</title>"), "{markup}");
    assert!(
        markup.contains("<h1>责任内容</h1>") && markup.contains("<h2>主体责任</h2>") && markup.contains("<h3>落实“一岗双责”</h3>"),
        "{markup}"
    );
    assert!(markup.contains("<h2>监督责任</h2>"), "{markup}");
    assert!(markup.contains("<p>乙方：{{ unit.name }}</p>"), "{markup}");
    assert!(markup.contains("<p>甲方：{{ organ }}</p>"), "{markup}");
    assert!(markup.contains("<tr header=\"true\">") && markup.contains("<td>项目</td>"), "{markup}");
    assert!(markup.contains("<td>每季度一次，{{ unit.leader.name }}负责</td>"), "{markup}");
    assert!(markup.contains("<td rowspan=\"2\">廉政谈话</td>") && markup.contains("<td colspan=\"2\">备注："), "{markup}");
    // Another year than the workspace's stays text, and the output says so.
    assert!(markup.contains("备注：2025年的谈话记录归档"), "{markup}");
    assert!(said.contains("“2025年”") && said.contains("仍作文字"), "{said}");
    // Hostile text stays text: escaped for XML, every `{` printed by Tera.
    assert!(markup.contains("&lt;w:p&gt;") && !markup.contains("<w:p>"), "{markup}");
    assert!(markup.contains(r#"{{ "{" }}% if x %}"#) && !markup.contains("{% if x"), "{markup}");
    // The picture and the text box are named with their paragraphs, printed and in the template.
    assert!(said.contains("图片（所在段落：“局徽如下”）"), "{said}");
    assert!(said.contains("文本框（所在段落：“严格执行廉洁纪律。”）"), "{said}");
    assert!(markup.contains("{# 未能带入：文本框"), "{markup}");
    assert!(!markup.contains("框内批示"), "text box text is not body text: {markup}");
    assert!(said.contains("“中共江州市财政局委员会”换成了 {{ organ }}"), "{said}");
    // The letter's own signing lines give way to zeren's signing block.
    assert!(said.contains("签字盖章行“甲方（盖章）：”") && markup.contains("<parties>"), "{said}\n{markup}");
    assert!(!markup.contains("<p>甲方（盖章）：</p>"), "{markup}");

    let out = ws.join("out");
    let b = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "责任书"]);
    assert!(b.status.success(), "{}", stderr(&b));
    let letters = files_under(&out.join("责任书"));
    for unit in ["办公室", "预算处"] {
        let file = letters.iter().find(|f| f.to_string_lossy().contains(unit)).unwrap_or_else(|| panic!("{unit}: {letters:?}"));
        let text = Docx::open(&out.join("责任书").join(file)).text();
        assert!(text.contains(&format!("乙方：{unit}")), "{unit}: {text}");
        for words in [
            "2026年度党风廉政建设目标责任书",
            "甲方：中共江州市财政局委员会",
            "一、责任内容",
            "（一）主体责任",
            "违反本责任书的，依规严肃问责。",
        ] {
            assert!(text.contains(words), "{unit}: {words} missing in {text}");
        }
        assert!(text.contains("a<b && <w:p> {{ 不是字段 {% if x %}{# c #}"), "{unit}: {text}");
    }
}

#[test]
fn an_existing_template_is_not_overwritten_without_force() {
    let (_tmp, ws) = sample_copy();
    let doc = ws.join("责任书.docx");
    docx(&doc, &letter());
    std::fs::create_dir_all(ws.join("templates")).unwrap();
    let mine = "<document><p>我的模板</p></document>";
    std::fs::write(template_of(&ws), mine).unwrap();
    let o = import(&doc, &ws, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("已存在") && stderr(&o).contains("--force"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(template_of(&ws)).unwrap(), mine);
    let o = import(&doc, &ws, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(template_of(&ws)).unwrap().contains("<h1>责任内容</h1>"));

    // -o writes where it is told, with the same refusal.
    let elsewhere = ws.join("导入.xml");
    let o = import(&doc, &ws, &["-o", elsewhere.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&elsewhere).unwrap().contains("<h2>主体责任</h2>"));
    assert_eq!(import(&doc, &ws, &["-o", elsewhere.to_str().unwrap()]).status.code(), Some(1));
}

#[test]
fn an_unknown_field_is_named_with_its_paragraph_and_nothing_is_written() {
    let (_tmp, ws) = sample_copy();
    let doc = ws.join("责任书.docx");
    docx(&doc, &[p(&r("致：{{单位名城}}同志")), p(&r("一、责任内容")), p(&r("{{#责任组}}"))].concat());
    let o = import(&doc, &ws, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("{{单位名城}}") && err.contains("单位名称"), "{err}");
    assert!(err.contains("致：{{单位名城}}同志"), "the paragraph is named: {err}");
    assert!(err.contains("{{#责任组}} 没有结束"), "a loop left open is named: {err}");
    assert!(!template_of(&ws).exists());
}

#[test]
fn a_document_past_the_paragraph_bound_is_refused_before_it_is_read_further() {
    let (_tmp, ws) = sample_copy();
    let doc = ws.join("责任书.docx");
    docx(&doc, &p(&r("一段")).repeat(5001));
    let o = import(&doc, &ws, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("5001 个段落") && stderr(&o).contains("5000"), "{}", stderr(&o));
    assert!(!template_of(&ws).exists());
}

/// The letter zeren made last year, imported: the template it gives builds the same letter again,
/// paragraph for paragraph — its signing block, tabs and names recognised as zeren's own.
#[test]
fn a_letter_zeren_made_imports_back_to_the_same_letter() {
    let (_tmp, ws) = sample_copy();
    let (first, second) = (ws.join("out1"), ws.join("out2"));
    let build = |out: &Path| zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "责任书", "--unit", "办公室"]);
    assert!(build(&first).status.success());
    let letter = |out: &Path| {
        let dir = out.join("责任书");
        dir.join(files_under(&dir).into_iter().find(|f| f.to_string_lossy().contains("办公室")).unwrap())
    };
    let o = import(&letter(&first), &ws, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let markup = std::fs::read_to_string(template_of(&ws)).unwrap();
    assert!(markup.contains("<p>乙方：{{ unit.name }}</p>") && markup.contains("<title>{{ year }}年度"), "{markup}");
    assert!(!markup.contains("签字）"), "the letter's own signing lines are zeren's signing block: {markup}");
    let b = build(&second);
    assert!(b.status.success(), "{}", stderr(&b));
    let texts = |f: PathBuf| Docx::open(&f).paragraphs().into_iter().map(|p| p.text).collect::<Vec<_>>();
    assert_eq!(texts(letter(&first)), texts(letter(&second)));
}

/// A 问责决定书 and a 函告书 zeren made import back: their 文号, 落款 and 版记 are left to zeren
/// (named in the output), and the templates build with the wording of the originals.
#[test]
fn a_decision_and_a_notice_import_back_with_their_docno_and_signature_left_to_zeren() {
    let (_tmp, ws) = sample_copy();
    let (first, second) = (ws.join("out1"), ws.join("out2"));
    let build =
        |out: &Path| zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "问责决定书", "--kind", "函告书"]);
    assert!(build(&first).status.success());
    for (kind, template) in [("问责决定书", "accountability-decision.xml"), ("函告书", "task-notice.xml")] {
        let dir = first.join(kind);
        let doc = dir.join(&files_under(&dir)[0]);
        let target = ws.join("templates").join(template);
        let o = zeren(&["template", "import", doc.to_str().unwrap(), ws.to_str().unwrap(), "--kind", kind]);
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
        let said = stdout(&o);
        assert!(said.contains("文号“") && said.contains("签字盖章行“2026年"), "{kind}: {said}");
        let markup = std::fs::read_to_string(&target).unwrap();
        assert!(markup.contains("<docno>{{ doc_no }}</docno>") && markup.contains("<signature>"), "{kind}: {markup}");
        assert!(!markup.contains("〔2026〕"), "{kind}: the old 文号 is not text: {markup}");
    }
    let b = build(&second);
    assert!(b.status.success(), "{}", stderr(&b));
    let first_text = |kind: &str, out: &Path| {
        let dir = out.join(kind);
        Docx::open(&dir.join(&files_under(&dir)[0])).text()
    };
    for (kind, words) in [("问责决定书", "申诉期间，不停止本决定的执行。"), ("函告书", "请结合实际认真抓好落实。")]
    {
        let (a, b) = (first_text(kind, &first), first_text(kind, &second));
        assert!(a.contains(words) && b.contains(words), "{kind}: {b}");
    }
}

/// A letter with a paragraph loop, a condition and a row loop: they become Tera loops over the
/// same lists (`{% for item in groups %}`, a repeated `<tr>`), and the letters zeren builds from
/// it have a paragraph per duty and a row per 班子副职.
#[test]
fn loops_and_conditions_are_carried_over_as_tera_loops() {
    let (_tmp, ws) = sample_copy();
    let doc = ws.join("责任书.docx");
    let table = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="3000"/><w:gridCol w:w="3000"/></w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>"#,
        cell("类别"),
        cell("姓名"),
        cell("职务"),
        cell_with(r#"<w:vMerge w:val="restart"/>"#, "班子副职"),
        cell("{{#班子副职}}{{姓名}}"),
        cell("{{职务}}{{/班子副职}}")
    );
    let body = [
        p(&r("{{年度}}年度党风廉政建设责任书")),
        p(&format!("{}{}", r("乙方：{{单位"), r("名称}}"))),
        p(&r("一、责任内容")),
        p(&r("{{#责任组}}")),
        p(&r("（一）{{责任主体}}")),
        p(&r("{{#责任条目}}")),
        p(&r("{{.}}")),
        p(&r("{{/责任条目}}")),
        p(&r("{{/责任组}}")),
        p(&r("{{?分管领导}}")),
        p(&r("分管领导：{{分管领导}}（{{年度}}年）")),
        p(&r("{{/分管领导}}")),
        p(&r("二、班子副职")),
        table,
    ]
    .concat();
    docx(&doc, &body);
    let o = import(&doc, &ws, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let markup = std::fs::read_to_string(template_of(&ws)).unwrap();
    for expected in [
        "{% for item in groups %}",
        "<h2>{{ item.subject }}</h2>",
        "{% for item2 in item.duties %}",
        "<p>{{ item2 }}</p>",
        "{% if unit.supervisor.name %}",
        "<p>分管领导：{{ unit.supervisor.name }}（{{ year }}年）</p>",
        "{% for item in unit.members %}",
        "{% if loop.first %}<td rowspan=\"{{ unit.members | length }}\">班子副职</td>{% endif %}",
        "<td>{{ item.name }}</td>",
        "<td>{{ item.title }}</td>",
    ] {
        assert!(markup.contains(expected), "{expected}: {markup}");
    }
    assert!(markup.matches("{% endfor %}").count() == 3 && markup.contains("{% endif %}\n  <h1>班子副职</h1>"), "{markup}");

    let out = ws.join("out");
    let b = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "责任书"]);
    assert!(b.status.success(), "{}", stderr(&b));
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    let jobs = zeren::plan::jobs_per(&workspace, zeren::plan::Per::Unit, &Default::default());
    let letters = files_under(&out.join("责任书"));
    for job in &jobs {
        let view = serde_json::to_value(&job.view).unwrap();
        let unit = &workspace.units.iter().find(|u| u.name == job.recipient).unwrap();
        let file = letters.iter().find(|f| f.to_string_lossy().ends_with(&format!("-{}.docx", unit.name))).unwrap();
        let docx = Docx::open(&out.join("责任书").join(file));
        let paras = docx.paragraphs();
        let body: Vec<&str> = paras.iter().filter(|p| !p.in_table).map(|p| p.text.as_str()).collect();
        // A heading per group, then a paragraph per duty, in order.
        let mut expected = Vec::new();
        for g in view["groups"].as_array().unwrap() {
            expected.push(g["subject"].as_str().unwrap().to_string());
            expected.extend(g["duties"].as_array().unwrap().iter().map(|d| d.as_str().unwrap().to_string()));
        }
        let at = body.iter().position(|t| t.ends_with(expected[0].as_str())).unwrap_or_else(|| panic!("{}: {body:?}", unit.name));
        for (i, want) in expected.iter().enumerate() {
            assert!(body[at + i].ends_with(want.as_str()), "{}: {want} at {}: {body:?}", unit.name, at + i);
        }
        let supervisor = body.iter().find(|t| t.starts_with("分管领导："));
        match &unit.supervisor {
            Some(s) => assert_eq!(supervisor.copied(), Some(format!("分管领导：{}（{}年）", s.name, workspace.settings.year).as_str())),
            None => assert_eq!(supervisor, None, "{}: kept only with a 分管领导", unit.name),
        }
        // A row per deputy after the header row.
        // (A table zeren carries over a page break is two, each with the header row.)
        let xml = docx.document();
        let rows = xml.matches("<w:tr>").count() + xml.matches("<w:tr ").count() - xml.matches("<w:tblHeader").count();
        assert_eq!(rows, unit.members.len(), "{}", unit.name);
        let cells: Vec<&str> = paras.iter().filter(|p| p.in_table).map(|p| p.text.as_str()).collect();
        for m in &unit.members {
            assert!(cells.contains(&m.name.as_str()) && cells.contains(&m.title.as_str()), "{}: {cells:?}", m.name);
        }
        // “班子副职” once, merged down beside every deputy.
        let label = cells.iter().filter(|c| c.replace('\n', "") == "班子副职").count();
        assert_eq!(label, usize::from(!unit.members.is_empty()), "{}: {cells:?}", unit.name);
        if unit.members.len() >= 2 {
            assert!(xml.contains("<w:vMerge/>") || xml.contains(r#"<w:vMerge w:val="continue"/>"#), "{}", unit.name);
        }
    }
}

#[test]
fn a_loop_in_import_that_is_not_closed_or_not_a_list_is_named() {
    let (_tmp, ws) = sample_copy();
    let doc = ws.join("责任书.docx");
    docx(&doc, &[p(&r("{{#单位名称}}")), p(&r("{{/单位名称}}")), p(&r("{{/责任组}}")), p(&r("{{姓名}}")), p(&r("甲{{#责任组}}"))].concat());
    let o = import(&doc, &ws, &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("“单位名称”不是列表"), "{err}");
    assert!(err.contains("{{/责任组}} 前面没有对应的 {{#责任组}}"), "{err}");
    assert!(err.contains("只能用在 {{#班子副职}} 与 {{/班子副职}} 之间"), "{err}");
    assert!(err.contains("{{#责任组}} 要单独成段"), "{err}");
    assert!(!template_of(&ws).exists());
}

/// A condition on a table row and a loop of paragraphs inside one cell import too: the row is
/// kept only with a 分管领导, the cell holds a paragraph per duty of the unit.
#[test]
fn a_row_condition_and_a_loop_inside_a_cell_import() {
    let (_tmp, ws) = sample_copy();
    let doc = ws.join("责任书.docx");
    let loop_cell = format!("<w:tc>{}{}{}</w:tc>", p(&r("{{#本单位责任}}")), p(&r("{{.}}")), p(&r("{{/本单位责任}}")));
    let table = format!(
        r#"<w:tbl><w:tblGrid><w:gridCol w:w="3000"/><w:gridCol w:w="5000"/></w:tblGrid><w:tr>{}{}</w:tr><w:tr>{}{loop_cell}</w:tr></w:tbl>"#,
        cell("{{?分管领导}}分管领导"),
        cell("{{分管领导}}{{/分管领导}}"),
        cell("本单位责任"),
    );
    docx(&doc, &[p(&r("{{年度}}年度党风廉政建设责任书")), p(&r("乙方：{{单位名称}}")), table].concat());
    let o = import(&doc, &ws, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let markup = std::fs::read_to_string(template_of(&ws)).unwrap();
    assert!(markup.contains("{% if unit.supervisor.name %}\n    <tr>") && markup.contains("</tr>\n    {% endif %}"), "{markup}");
    assert!(markup.contains("<td>{% for item in unit.duties %}<p>{{ item }}</p>{% endfor %}</td>"), "{markup}");
    let out = ws.join("out");
    let b = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "责任书"]);
    assert!(b.status.success(), "{}", stderr(&b));
    let (workspace, _) = zeren::load::load(&ws).unwrap();
    let letters = files_under(&out.join("责任书"));
    for unit in &workspace.units {
        let file = letters.iter().find(|f| f.to_string_lossy().ends_with(&format!("-{}.docx", unit.name))).unwrap();
        let cells: Vec<String> = Docx::open(&out.join("责任书").join(file))
            .paragraphs()
            .into_iter()
            .filter(|p| p.in_table)
            .map(|p| p.text.replace('\n', ""))
            .collect();
        match &unit.supervisor {
            Some(s) => assert!(cells.contains(&"分管领导".to_string()) && cells.contains(&s.name), "{}: {cells:?}", unit.name),
            None => assert!(!cells.contains(&"分管领导".to_string()), "{}: {cells:?}", unit.name),
        }
        let at = cells.iter().position(|c| c == "本单位责任").unwrap_or_else(|| panic!("{}: {cells:?}", unit.name));
        assert_eq!(cells[at + 1..], unit.duties[..], "{}", unit.name);
    }
}
