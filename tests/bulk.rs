//! Bulk: print file, zip bundle, manifest, selection, dry run, determinism.

mod common;

use common::*;
use std::path::Path;

fn build(out: &Path, extra: &[&str]) -> std::process::Output {
    let ws = samples();
    let mut args = vec!["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = zeren(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

#[test]
fn a_print_file_has_one_section_per_unit_each_restarting_its_numbers_on_an_odd_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&out, &["--merge", "--kind", "责任书"]);
    // The print file comes with the files to send to each unit, not instead of them.
    let files = out_files(&out);
    assert!(files.contains(&std::path::PathBuf::from("责任书.docx")), "{files:?}");
    assert!(files.contains(&std::path::PathBuf::from("manifest.csv")), "{files:?}");
    let letters = files.iter().filter(|f| f.starts_with("责任书") && f.extension().is_some_and(|e| e == "docx")).count();
    let doc = Docx::open(&out.join("责任书.docx"));
    let body = doc.document();
    let (ws, _) = zeren::load::load(&samples()).unwrap();
    // A section per letter: the 班子成员's, the units', the deputies'.
    let n = ws.committee().len() + ws.units.len() + ws.units.iter().map(|u| u.members.len()).sum::<usize>();
    assert_eq!(body.matches("<w:sectPr>").count(), n, "one section per letter");
    assert_eq!(body.matches(r#"<w:pgNumType w:start="1"/>"#).count(), n, "numbering restarts");
    assert_eq!(body.matches(r#"<w:type w:val="oddPage"/>"#).count(), n - 1, "every unit after the first starts on an odd page");
    assert_eq!(body.matches(r#"<w:footerReference w:type="even""#).count(), n, "odd/even footers kept in every section");
    let text = doc.text();
    let mut last = 0;
    for unit in &ws.units {
        let at = text.find(&format!("乙方：{}", unit.name)).unwrap_or_else(|| panic!("{} in the print file", unit.name));
        assert!(at > last, "roster order");
        last = at;
    }
    assert!(doc.part("docProps/core.xml").contains(&format!("责任书合订本（{n}份）")));
    let csv = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    assert_eq!(letters, n, "a file per letter in 责任书/ besides the print file");
    assert_eq!(csv.lines().filter(|l| l.contains(",责任书/")).count(), n, "a manifest row per document, naming its own file");
}

/// One section of a print file as read back: the paragraphs before its `w:sectPr`, and that
/// `w:sectPr`'s type, where it stood (inside a paragraph's `w:pPr`, or as the body's last child)
/// and whether it restarts numbering and names both footers.
#[derive(Debug)]
struct Section {
    paras: Vec<(Option<String>, String)>,
    kind: Option<String>,
    in_paragraph: bool,
    restarts: bool,
    footers: usize,
}

/// The sections of a document.xml, by walking it: every `w:sectPr` closes the one before it.
fn sections(xml: &str) -> Vec<Section> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut paras: Vec<(Option<String>, String)> = Vec::new();
    let mut open: Option<Section> = None;
    let attr = |e: &quick_xml::events::BytesStart, key: &str| {
        e.attributes().filter_map(Result::ok).find(|a| a.key.as_ref() == key).map(|a| a.value.into_owned())
    };
    loop {
        let event = reader.read_event().unwrap();
        let (e, empty) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = e {
            let name = e.name().as_ref().to_string();
            match name.as_str() {
                "w:p" => paras.push((None, String::new())),
                "w:pStyle" if stack.last().is_some_and(|p| p == "w:pPr") => {
                    paras.last_mut().unwrap().0 = attr(&e, "w:val");
                }
                "w:sectPr" => {
                    let in_paragraph = stack.last().is_some_and(|p| p == "w:pPr");
                    open = Some(Section { paras: Vec::new(), kind: None, in_paragraph, restarts: false, footers: 0 });
                }
                "w:type" if open.is_some() => open.as_mut().unwrap().kind = attr(&e, "w:val"),
                "w:pgNumType" if open.is_some() => open.as_mut().unwrap().restarts = attr(&e, "w:start").as_deref() == Some("1"),
                "w:footerReference" if open.is_some() => open.as_mut().unwrap().footers += 1,
                _ => {}
            }
            if !empty {
                stack.push(name);
            }
        }
        match event {
            Event::End(e) => {
                stack.pop();
                // A section closes with the paragraph that holds its properties, or with them.
                let closes = match e.name().as_ref() {
                    "w:sectPr" => open.as_ref().is_some_and(|s| !s.in_paragraph),
                    "w:p" => open.is_some(),
                    _ => false,
                };
                if closes {
                    let mut section = open.take().unwrap();
                    section.paras = std::mem::take(&mut paras);
                    out.push(section);
                }
            }
            Event::Text(t) if stack.last().is_some_and(|n| n == "w:t") => paras.last_mut().unwrap().1.push_str(&t.xml10_content()),
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(paras.is_empty() || paras.iter().all(|p| p.1.is_empty()), "no text after the last section's properties");
    out
}

#[test]
fn a_print_file_writes_each_unit_as_one_section_closed_by_its_own_sectpr_in_roster_order() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&out, &["--merge", "--kind", "责任书", "--kind", "函告书"]);
    let (prepared, _) = zeren::site::Site::open(&samples(), &Default::default(), zeren::site::Access::ReadOnly);
    let prepared = prepared.unwrap();
    for (kind, key) in [(zeren::model::Kind::ResponsibilityLetter, "GwBodyFlush"), (zeren::model::Kind::TaskNotice, "GwAddressee")] {
        let selection = zeren::plan::Selection { kinds: vec![kind], ..Default::default() };
        let roster: Vec<String> = prepared.plan(&selection).unwrap().into_iter().map(|j| j.recipient).collect();
        assert!(roster.len() >= 7, "{kind}: {roster:?}");
        let doc = Docx::open(&out.join(format!("{}.docx", kind.chinese())));
        let found = sections(doc.document());
        assert_eq!(found.len(), roster.len(), "{kind}: one sectPr per unit");
        for (i, (section, unit)) in found.iter().zip(&roster).enumerate() {
            // The recipient's own line: 乙方：unit (乙方：title　name for a 班子成员) in a 责任书, the 主送
            // unit： in a 函告书.
            let named: Vec<&String> = section.paras.iter().filter(|(style, _)| style.as_deref() == Some(key)).map(|p| &p.1).collect();
            // (A deputy's letter names its unit on the 甲方 line.)
            let ours = |n: &&&String| {
                if key == "GwAddressee" {
                    **n == &format!("{unit}：")
                } else {
                    n.starts_with(['甲', '乙']) && n.ends_with(unit.as_str())
                }
            };
            assert!(named.iter().any(|n| ours(&n)), "{kind} section {}: {unit} expected among {named:?}", i + 1);
            let titles = section.paras.iter().filter(|(style, text)| style.as_deref() == Some("GwTitle") && text.starts_with("2026年度"));
            assert_eq!(titles.count(), 1, "{kind} section {}: the document's title, once", i + 1);
            let expected_type = if i == 0 { None } else { Some("oddPage") };
            assert_eq!(section.kind.as_deref(), expected_type, "{kind} section {}: section type", i + 1);
            assert_eq!(section.in_paragraph, i + 1 < roster.len(), "{kind} section {}: inner sections end in a paragraph", i + 1);
            // A 函告书 is a 函 (GB/T 9704 10.1): its first page's footer has no number.
            let footers = if key == "GwAddressee" { 3 } else { 2 };
            assert!(section.restarts && section.footers == footers, "{kind} section {}: numbers from 1, odd and even footers", i + 1);
        }
    }
}

#[test]
fn zip_and_manifest_list_exactly_the_files_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&out, &["--zip"]);
    let mut written: Vec<String> =
        out_files(&out).iter().map(|p| p.to_string_lossy().replace('\\', "/")).filter(|p| p != "文书.zip").collect();
    written.sort();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(out.join("文书.zip")).unwrap()).unwrap();
    let mut zipped: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().to_string()).collect();
    zipped.sort();
    assert_eq!(zipped, written, "the zip holds the same tree");
    // The bundled letter is byte for byte the one beside it.
    let mut inner = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name("责任书/05-办公室.docx").unwrap(), &mut inner).unwrap();
    assert_eq!(inner, std::fs::read(out.join("责任书/05-办公室.docx")).unwrap());
    // The manifest lists every document written, with its SHA-256.
    let csv = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    let docs: Vec<&String> = written.iter().filter(|f| f.ends_with(".docx")).collect();
    assert_eq!(csv.lines().count() - 1, docs.len());
    for line in csv.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let file = cells[4];
        assert_eq!(cells[5], "", "{file}: pages are counted only with --pdf");
        let sha = cells[6];
        assert!(docs.iter().any(|d| d.as_str() == file), "{file} was written");
        use sha2::Digest;
        let digest: String = sha2::Sha256::digest(std::fs::read(out.join(file)).unwrap()).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(sha, digest, "{file}");
    }
}

#[test]
fn selections_combine_and_dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o =
        zeren(&["build", samples().to_str().unwrap(), "-o", out.to_str().unwrap(), "--dry-run", "--type", "党支部", "--kind", "函告书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!out.exists(), "dry run writes nothing");
    let listed = stdout(&o);
    assert!(listed.contains("函告书/1-机关第一党支部.docx") && !listed.contains("责任书/"), "{listed}");
    assert!(!listed.contains("市政府采购中心"), "a 直属单位 is not a 党支部: {listed}");
    build(&out, &["--type", "直属单位", "--kind", "责任书", "--unit", "市会计核算中心", "--unit", "办公室"]);
    // The unit's letter and its deputies' letters (numbered as in the full run); 办公室 is a 处室.
    let expected = ["16-市会计核算中心.docx", "21-市会计核算中心-卞晓东.docx", "22-市会计核算中心-蒋雯.docx"];
    assert_eq!(files_under(&out.join("责任书")), expected.map(std::path::PathBuf::from), "办公室 is a 处室, not a 直属单位");
    // A selection that leaves nothing says which choice did it.
    let o = zeren(&["build", samples().to_str().unwrap(), "--dry-run", "--kind", "问责决定书", "--unit", "办公室"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("没有可生成的文书：所选单位“办公室”没有问责决定书"), "{}", stderr(&o));
}

#[test]
fn dry_run_shows_numbers_it_would_assign_without_recording_them() {
    let (tmp, ws) = sample_copy();
    std::fs::remove_file(ws.join("文号台账.yaml")).unwrap();
    let o = zeren(&["build", ws.to_str().unwrap(), "-o", tmp.path().join("out").to_str().unwrap(), "--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("将分配文号：案件 2026-WZ-002 → 江财党〔2026〕13号"), "{}", stdout(&o));
    assert!(!ws.join("文号台账.yaml").exists());
}

#[test]
fn print_files_are_byte_identical_across_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&a, &["--merge", "--zip"]);
    build(&b, &["--merge", "--zip"]);
    for f in files_under(&a) {
        assert_eq!(std::fs::read(a.join(&f)).unwrap(), std::fs::read(b.join(&f)).unwrap(), "{}", f.display());
    }
}

#[test]
fn printing_after_a_build_keeps_the_files_to_send_to_each_unit() {
    // README step 5: build, then --merge for the print room. The second run adds the print file;
    // the per-unit files of the first are still there (the same bytes), not deleted.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&out, &["--kind", "函告书"]);
    let before = files_under(&out.join("函告书"));
    let first = std::fs::read(out.join("函告书").join(&before[0])).unwrap();
    let o = build(&out, &["--kind", "函告书", "--merge"]);
    assert_eq!(files_under(&out.join("函告书")), before, "{}", stdout(&o));
    assert_eq!(std::fs::read(out.join("函告书").join(&before[0])).unwrap(), first);
    assert!(out.join("函告书.docx").is_file(), "the print file beside them");
    assert!(stdout(&o).contains("合订本"), "{}", stdout(&o));
    // Without --merge again, the print file goes and the unit files stay.
    build(&out, &["--kind", "函告书"]);
    assert!(!out.join("函告书.docx").exists());
    assert_eq!(files_under(&out.join("函告书")), before);
}
