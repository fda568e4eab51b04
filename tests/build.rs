//! `zeren build` end to end: the produced .docx files are read back and checked.

mod common;

use common::*;
use std::path::Path;
use zeren::model::Audience;

fn build_samples() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    (tmp, out)
}

#[test]
fn builds_one_letter_per_unit_with_every_duty_that_applies() {
    let (_tmp, out) = build_samples();
    let (ws, _) = zeren::load::load(&samples()).expect("samples load");
    let files = files_under(&out.join("责任书"));
    // The committee's 班子成员 first, then the units, then the deputies (the tiers offices sign).
    let members = ws.committee().len();
    let deputies: usize = ws.units.iter().map(|u| u.members.len()).sum();
    assert_eq!(files.len(), members + ws.units.len() + deputies, "a letter per 班子成员, unit and deputy: {files:?}");
    assert!(ws.units.len() >= 12 && members == 4 && deputies == 8);
    let width = files.len().to_string().len();
    for (i, unit) in ws.units.iter().enumerate() {
        let name = format!("{:0width$}-{}.docx", members + i + 1, unit.name);
        assert_eq!(files[members + i], Path::new(&name), "roster order and 序号");
        let doc = Docx::open(&out.join("责任书").join(&name));
        let text = doc.text();
        assert!(text.contains(&format!("乙方：{}", unit.name)), "{name}: 乙方");
        assert!(text.contains(&unit.leader.name), "{name}: leader {}", unit.leader.name);
        // {本单位} in the catalogue reads as the unit names itself.
        let own = match ws.kind_of(unit).name.as_str() {
            "处室" => "本处室",
            "党支部" => "本支部",
            _ => "本单位",
        };
        let filled = |d: &String| d.replace("{本单位}", own);
        let mut expected: Vec<String> = ws.groups_for(unit).flat_map(|g| g.duties.iter().map(filled)).collect();
        expected.extend(unit.duties.iter().map(filled));
        assert!(!expected.is_empty());
        for duty in expected {
            assert!(text.contains(duty.as_str()), "{name} lacks duty {duty}");
        }
        for g in ws.duty_groups.iter().filter(|g| !g.applies(Audience::Unit(unit.kind), Some(unit))) {
            for duty in &g.duties {
                assert!(!text.contains(filled(duty).as_str()), "{name} holds a duty of another kind of letter: {duty}");
            }
        }
        assert!(text.contains("本责任书一式两份，甲乙双方各执一份"));
        assert!(text.contains("2026年1月5日"), "成文日期 in Arabic numerals");
        // 甲方 is signed by the 分管领导 under tiered signing, else by the 书记.
        let signer = ws.party_a_signer(unit);
        assert!(text.contains(&signer.name), "{name}: 甲方 signer {}", signer.name);
        let label = if unit.supervisor.is_some() { "分管领导（签字）：" } else { "书记（签字）：" };
        assert!(text.contains(label), "{name}: {label}");
    }
    let csv = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    assert!(csv.starts_with('\u{FEFF}'), "manifest has a BOM for Excel");
    assert_eq!(csv.lines().count(), files.len() + 7 + 3 + 7 + 1, "24 letters, 7 notices, 3 decisions, 7 forms, header");
    assert!(out.join("清单.xlsx").is_file());
    assert!(!out.join(zeren::write::STAGING).exists(), "staging folder is gone");
}

#[test]
fn letter_carries_gbt9704_page_fonts_and_footer() {
    let (_tmp, out) = build_samples();
    let doc = Docx::open(&out.join("责任书").join("05-办公室.docx"));
    for (name, xml) in &doc.parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            assert_well_formed(name, xml);
        }
    }
    let body = doc.document();
    assert!(body.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#), "A4");
    assert!(body.contains(r#"w:top="2098""#) && body.contains(r#"w:left="1588""#));
    assert!(body.contains(r#"w:right="1474""#) && body.contains(r#"w:bottom="1984""#));
    assert!(body.contains(r#"<w:docGrid w:type="lines" w:linePitch="579"/>"#));
    assert!(body.contains(r#"<w:pgNumType w:start="1"/>"#));
    let styles = doc.part("word/styles.xml");
    assert!(styles.contains(r#"w:eastAsia="仿宋_GB2312""#) && styles.contains(r#"w:ascii="Times New Roman""#));
    assert!(styles.contains(r#"w:hAnsi="Times New Roman""#) && styles.contains(r#"w:cs="Times New Roman""#));
    assert!(styles.contains(r#"w:eastAsia="方正小标宋简体""#), "title font");
    assert!(styles.contains(r#"w:eastAsia="黑体""#) && styles.contains(r#"w:eastAsia="楷体_GB2312""#));
    assert!(styles.contains(r#"<w:sz w:val="32"/>"#), "三号 body");
    assert!(styles.contains(r#"<w:sz w:val="44"/>"#), "二号 title");
    assert!(styles.contains(r#"w:line="579" w:lineRule="exact""#));
    assert!(styles.contains(r#"<w:spacing w:val="-5"/>"#), "−0.25 pt tracking");
    assert!(styles.contains(r#"w:firstLineChars="200" w:firstLine="640""#), "左空二字");
    assert!(styles.contains(r#"<w:widowControl w:val="0"/>"#));
    assert!(!styles.contains("<w:b/>"), "no bold anywhere");
    assert!(doc.part("word/settings.xml").contains("<w:evenAndOddHeaders/>"));
    for (part, jc) in [("word/footer1.xml", "right"), ("word/footer2.xml", "left")] {
        let f = doc.part(part);
        assert!(f.contains(" PAGE "), "{part}: PAGE field");
        assert!(f.contains("— ") && f.contains(" —"), "{part}: 一字线");
        assert!(f.contains(&format!(r#"<w:jc w:val="{jc}"/>"#)), "{part}: {jc}");
        assert!(f.contains(r#"w:ind w:"#) && f.contains(r#"="280""#), "{part}: one 四号 character in");
    }
    assert!(doc.part("word/fontTable.xml").contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#));
    let core = doc.part("docProps/core.xml");
    assert!(core.contains("<dc:title>2026年度党风廉政建设责任书</dc:title>"));
    assert!(core.contains("<dc:creator>中共江州市财政局委员会</dc:creator>"));
}

#[test]
fn parts_are_deflated() {
    let (_tmp, out) = build_samples();
    let file = std::fs::File::open(out.join("责任书").join("05-办公室.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    for i in 0..zip.len() {
        let f = zip.by_index(i).unwrap();
        assert_eq!(f.compression(), zip::CompressionMethod::Deflated, "{}", f.name());
    }
}

#[test]
fn two_builds_give_identical_bytes() {
    let (_a, out_a) = build_samples();
    let (_b, out_b) = build_samples();
    let files = files_under(&out_a);
    assert_eq!(files, files_under(&out_b));
    for f in files {
        assert_eq!(std::fs::read(out_a.join(&f)).unwrap(), std::fs::read(out_b.join(&f)).unwrap(), "{}", f.display());
    }
}

#[test]
fn hostile_data_stays_text_and_keeps_the_structure() {
    // Two units of one type with one duty each: the plain one and the hostile one must give
    // letters of the same structure; the hostile text must read back verbatim.
    let hostile_name = "<b>预算&处</b>{{ x }}{% if %}\u{0B}";
    let units = format!(
        "units:\n  - name: 预算处\n    type: 处室\n    leader: {{ name: 甲, title: 处长 }}\n    duties: [普通的一条责任。]\n\
         \x20 - name: \"{}\"\n    type: 处室\n    leader: {{ name: \"<i>乙</i>\", title: 处长 }}\n    duties: [\"第一行\\n第二行\\t制表<w:p>&amp;\"]\n",
        hostile_name.replace('\u{0B}', "\\v")
    );
    let ws = mini_workspace(&units);
    let out = ws.path().join("out");
    let o = zeren(&["build", ws.path().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let files = files_under(&out.join("责任书"));
    assert_eq!(files.len(), 2, "{files:?}");
    // Kept for `.ci/run`, which runs openxml-audit over it.
    std::fs::copy(out.join("责任书").join(&files[1]), std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile.docx")).unwrap();
    let plain = Docx::open(&out.join("责任书").join(&files[0]));
    let hostile = Docx::open(&out.join("责任书").join(&files[1]));
    for (name, xml) in &hostile.parts {
        assert_well_formed(name, xml);
    }
    let text = hostile.text();
    let expected_name = hostile_name.replace('\u{0B}', "");
    assert!(text.contains(&format!("乙方：{expected_name}")), "name verbatim minus the control character:\n{text}");
    assert!(text.contains("<i>乙</i>"));
    assert!(text.contains("第一行\n第二行\t制表<w:p>&amp;"), "newline → break, tab → tab, markup stays text:\n{text}");
    assert!(hostile.document().contains("<w:br ") && hostile.document().contains("<w:tab/>"));
    // The signing block wraps a long name within its column: it may take more lines, nothing else.
    let styles = |d: &Docx| d.paragraphs().iter().map(|p| p.style.clone()).filter(|s| s.as_deref() != Some("GwParty")).collect::<Vec<_>>();
    assert_eq!(styles(&plain), styles(&hostile), "data added or removed no paragraph");
    let party_lines = |d: &Docx| d.paragraphs().iter().filter(|p| p.style.as_deref() == Some("GwParty")).count();
    assert!(party_lines(&hostile) >= party_lines(&plain) && party_lines(&plain) > 0);
    assert!(!files[1].to_string_lossy().contains(['<', '>', '/']), "file name made safe: {}", files[1].display());
}

/// A minimal workspace with the given units file.
fn mini_workspace(units_yaml: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("data")).unwrap();
    std::fs::write(tmp.path().join("zeren.yaml"), SETTINGS).unwrap();
    std::fs::write(tmp.path().join("data/units.yaml"), units_yaml).unwrap();
    std::fs::write(
        tmp.path().join("data/duties.yaml"),
        "groups:\n  - subject: 主体责任\n    applies_to: [处室]\n    duties: [目录里的一条责任。]\n",
    )
    .unwrap();
    tmp
}

#[test]
fn refuses_to_overwrite_without_force_and_overwrites_with_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let signed = out.join("责任书").join("05-办公室.docx");
    std::fs::create_dir_all(signed.parent().unwrap()).unwrap();
    std::fs::write(&signed, b"a signed copy").unwrap();
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--force") && stderr(&o).contains("05-办公室.docx"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&signed).unwrap(), b"a signed copy");
    assert_eq!(files_under(&out), vec![Path::new("责任书/05-办公室.docx").to_path_buf()], "nothing else written");

    let o = zeren(&["build", samples().to_str().unwrap(), "-o", out.to_str().unwrap(), "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(Docx::open(&signed).text().contains("乙方：办公室"));
}

#[test]
fn a_stale_staging_folder_is_removed_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let stale = out.join(zeren::write::STAGING).join("责任书").join("05-办公室.docx.part");
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, b"truncated").unwrap();
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.join(zeren::write::STAGING).exists());
}

#[test]
fn selects_units_and_kinds_by_english_or_chinese_name() {
    let tmp = tempfile::tempdir().unwrap();
    for kind in ["责任书", "responsibility-letter"] {
        let out = tmp.path().join(kind);
        let o = zeren(&[
            "build",
            samples().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--kind",
            kind,
            "--unit",
            "国库处",
            "--unit",
            "办公室",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let files = files_under(&out.join("责任书"));
        // Numbered as in the full run (国库处 is the 7th of 24 letters: 4 班子成员, then the units), so a partial rebuild
        // replaces the files of a full one instead of adding duplicates.
        assert_eq!(files, vec![Path::new("05-办公室.docx").to_path_buf(), Path::new("07-国库处.docx").to_path_buf()]);
    }
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", tmp.path().join("x").to_str().unwrap(), "--unit", "不存在的处"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("名单中没有单位“不存在的处”"), "{}", stderr(&o));
    assert!(!tmp.path().join("x").exists());
}

#[test]
fn init_example_writes_the_sample_that_builds_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("2026");
    let o = zeren(&["init", "--example", ws.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(ws.join("zeren.yaml").is_file() && ws.join("data/units.yaml").is_file());
    let o = zeren(&["build", ws.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(ws.join("out/责任书/05-办公室.docx").is_file());
    std::fs::write(ws.join("zeren.yaml"), "organ: 改过的\n").unwrap();
    for init in [&["init", "--example"][..], &["init"][..]] {
        let o = zeren(&[init, &[ws.to_str().unwrap()]].concat());
        assert_eq!(o.status.code(), Some(1));
        assert_eq!(std::fs::read_to_string(ws.join("zeren.yaml")).unwrap(), "organ: 改过的\n");
    }
}

#[test]
fn a_workspace_template_overrides_the_builtin_one() {
    let (_tmp, ws) = sample_copy();
    std::fs::create_dir_all(ws.join("templates")).unwrap();
    std::fs::write(
        ws.join("templates/responsibility-letter.xml"),
        "<document><title>{{ unit.name }}专用责任书</title><p>{{ unit.leader.name }}</p>\
         <parties><party label=\"甲方\"><organ>{{ organ }}</organ></party><party label=\"乙方\"><organ>{{ unit.name }}</organ></party></parties></document>",
    )
    .unwrap();
    let out = ws.join("out");
    let o = zeren(&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--unit", "国库处"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc = Docx::open(&out.join("责任书/07-国库处.docx"));
    assert!(doc.text().starts_with("国库处专用责任书"), "{}", doc.text());
}

/// The hints about what the 责任书 say are said where 责任书 are made, once, and nowhere else.
#[test]
fn letter_hints_are_said_once_and_only_by_runs_that_make_letters() {
    let (tmp, ws) = sample_copy();
    // No unit has a duty of its own: every letter of theirs would be the catalogue's.
    let path = ws.join("data/units.yaml");
    let units: String = std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("      - ") || l.contains("{ name"))
        .map(|l| format!("{l}\n"))
        .collect();
    let units = units.replace("    duties:\n", "");
    std::fs::write(&path, units).unwrap();
    let hint = "没有本单位自己的责任";
    let run = |args: &[&str]| {
        let out = tmp.path().join("out");
        let mut all = vec!["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--force"];
        all.extend_from_slice(args);
        let o = zeren(&all);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stderr(&o).matches(hint).count()
    };
    assert_eq!(run(&[]), 1, "a full build makes 责任书: said once");
    assert_eq!(run(&["--kind", "函告书"]), 0, "函告书 alone: not said");
    assert_eq!(run(&["--tier", "单位", "--dry-run"]), 1, "--tier alone makes 责任书");
    // A Word template filled per unit reads the units, not what their 责任书 would say.
    let template = ws.join("回执.docx");
    std::fs::copy(tmp.path().join("out/函告书").join(&files_under(&tmp.path().join("out/函告书"))[0]), &template).unwrap();
    assert_eq!(run(&["--template", template.to_str().unwrap()]), 0, "a Word template alone: not said");
    let o = zeren(&["check", ws.to_str().unwrap(), "--kind", "函告书"]);
    assert!(o.status.success() && !stdout(&o).contains(hint) && !stderr(&o).contains(hint), "{}", stdout(&o));
    let o = zeren(&["check", ws.to_str().unwrap()]);
    assert_eq!(stdout(&o).matches(hint).count(), 1, "{}", stdout(&o));
    // It says where this workspace writes a unit's duties: units.yaml, not a roster's column.
    let o = zeren(&["check", ws.to_str().unwrap(), "--format", "json"]);
    assert!(stdout(&o).contains("units.yaml 中该单位的 duties") && !stdout(&o).contains("“本单位责任”列"), "{}", stdout(&o));
}
