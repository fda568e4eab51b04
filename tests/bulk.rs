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
    assert_eq!(files_under(&out), ["manifest.csv", "清单.xlsx", "责任书.docx"].map(std::path::PathBuf::from));
    let doc = Docx::open(&out.join("责任书.docx"));
    let body = doc.document();
    let (ws, _) = zeren::load::load(&samples()).unwrap();
    let n = ws.units.len();
    assert_eq!(body.matches("<w:sectPr>").count(), n, "one section per unit");
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
    assert_eq!(csv.lines().filter(|l| l.contains(",责任书.docx,")).count(), n, "a manifest row per document");
}

#[test]
fn zip_and_manifest_list_exactly_the_files_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build(&out, &["--zip"]);
    let mut written: Vec<String> =
        files_under(&out).iter().map(|p| p.to_string_lossy().replace('\\', "/")).filter(|p| p != "文书.zip").collect();
    written.sort();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(out.join("文书.zip")).unwrap()).unwrap();
    let mut zipped: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().to_string()).collect();
    zipped.sort();
    assert_eq!(zipped, written, "the zip holds the same tree");
    // The bundled letter is byte for byte the one beside it.
    let mut inner = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name("责任书/01-办公室.docx").unwrap(), &mut inner).unwrap();
    assert_eq!(inner, std::fs::read(out.join("责任书/01-办公室.docx")).unwrap());
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
    assert_eq!(files_under(&out.join("责任书")), [std::path::PathBuf::from("12-市会计核算中心.docx")], "办公室 is a 处室, not a 直属单位");
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
