//! `zeren build --pdf` draws its PDFs itself: no office suite on PATH, A4 pages on the GB/T 9704
//! grid, the 公文 faces (here the free stand-ins) embedded and subset, the text extractable in
//! reading order, the 页码 where §7.5 puts them, print files with their blank pages.
//!
//! Read back with `pdftotext -bbox-layout`, `pdffonts` (poppler-utils) and lopdf. They need the
//! stand-in fonts and poppler (`bash .ci/fidelity-deps`), so they are `#[ignore]`d like the
//! fidelity tests; CI runs them with --include-ignored.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::pdfbox::{BOTTOM, BoxLine as Line, BoxPage as Page, FOOTER_CHAR, LEFT, MM, PITCH, RIGHT, TOL, TOP};

/// Lines inside the 版心's height, and those below it (the 页码).
fn body(page: &Page) -> Vec<&Line> {
    page.lines.iter().filter(|l| l.y0 < BOTTOM).collect()
}
fn footer(page: &Page) -> Vec<&Line> {
    page.lines.iter().filter(|l| l.y0 >= BOTTOM).collect()
}

fn tool(name: &str) -> Command {
    Command::new(name)
}

/// `pdftotext -bbox-layout` → pages of lines, a line's words joined without spaces.
fn pages(pdf: &Path) -> Vec<Page> {
    common::pdfbox::pages(pdf)
}

/// `zeren build WS -o OUT --pdf EXTRA…` with no office suite to be found: an empty PATH and
/// ZEREN_SOFFICE pointing nowhere.
fn build_pdf(ws: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let args = [&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--pdf"][..], extra].concat();
    let o = Command::new(env!("CARGO_BIN_EXE_zeren"))
        .env("PATH", "")
        .env("ZEREN_SOFFICE", out.with_file_name("no-soffice-here"))
        .args(&args)
        .output()
        .expect("run zeren");
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

fn pdfs_under(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        files_under(dir).into_iter().filter(|f| f.extension().is_some_and(|e| e == "pdf")).map(|f| dir.join(f)).collect();
    v.sort();
    v
}

/// The 页码 of a page: "—N—", one character in from the 版心's right edge on odd pages and its
/// left on even ones, its box starting about 7 mm below the 版心 (the dash is mid-glyph).
fn assert_folio(name: &str, page: &Page, n: usize) {
    let footer = footer(page);
    assert_eq!(footer.len(), 1, "{name} p{n}: one 页码 line: {footer:?}");
    let f = footer[0];
    assert_eq!(f.text, format!("—{n}—"), "{name} p{n}");
    if n % 2 == 1 {
        assert!(
            (f.x1 - (RIGHT - FOOTER_CHAR)).abs() <= TOL,
            "{name} p{n}: odd page number ends one character in from the right: {:.1} mm",
            f.x1 / MM
        );
    } else {
        assert!(
            (f.x0 - (LEFT + FOOTER_CHAR)).abs() <= TOL,
            "{name} p{n}: even page number starts one character in from the left: {:.1} mm",
            f.x0 / MM
        );
    }
    // The dash's ink is at the glyph's middle: the middle of the box 7 mm + half a dash below.
    let middle = (f.y0 + f.y1) / 2.0;
    assert!((middle - (BOTTOM + 7.0 * MM)).abs() <= 1.5 * TOL, "{name} p{n}: 页码 {:.1} mm below the 版心", (middle - BOTTOM) / MM);
}

#[test]
#[ignore = "needs poppler-utils and the stand-in fonts: bash .ci/fidelity-deps"]
fn build_pdf_needs_no_office_suite_and_sets_a4_pages_on_the_grid() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build_pdf(&samples(), &out, &["--kind", "责任书", "--unit", "办公室", "--unit", "国库处"]);
    let said = stderr(&o);
    assert!(
        said.contains("PDF 字体：标志、标题 Noto Serif CJK SC；正文 AR PL SungtiL GB；黑体 WenQuanYi Micro Hei；楷体 AR PL KaitiM GB"),
        "each role's face named: {said}"
    );
    assert!(said.contains("警告：本机没有这些公文字体") && said.contains("仿宋_GB2312（正文，以 AR PL SungtiL GB 代替）"), "{said}");
    let csv = std::fs::read_to_string(out.join("manifest.csv")).unwrap();
    for (n, unit) in [("05-办公室", "办公室"), ("07-国库处", "国库处")] {
        let pdf = out.join(format!("责任书/{n}.pdf"));
        let pages = pages(&pdf);
        // The manifest counts the pages zeren drew.
        let row = csv.lines().find(|l| l.contains(&format!(",责任书/{n}.docx,"))).unwrap_or_else(|| panic!("{n} in {csv}"));
        assert_eq!(row.split(',').nth(5), Some(pages.len().to_string().as_str()), "{row}");
        assert!(pages.len() >= 2, "{n}: {} pages", pages.len());
        for (i, page) in pages.iter().enumerate() {
            assert!((page.width - 595.3).abs() < 0.5 && (page.height - 841.9).abs() < 0.5, "{n} p{}: A4", i + 1);
            for l in body(&page) {
                // A full line's last 、。，．：； may hang past the edge, as the page model sets it.
                let hangs = l.text.ends_with(|c| zeren::layout::pages::HANGING.contains(c));
                let right = RIGHT + if hangs { 16.0 } else { 0.0 };
                assert!(l.x0 >= LEFT - TOL && l.x1 <= right + TOL, "{n} p{}: {:?} inside the 版心's width", i + 1, l.text);
                // Every line of body text on a grid line: its box starts in the line's first half.
                let row = ((l.y0 - TOP + 1.0) / PITCH).floor();
                let into = l.y0 - (TOP + row * PITCH);
                assert!((0.0..=PITCH / 2.0).contains(&into) && row < 22.0, "{n} p{}: {:?} off the grid ({into:.1} pt)", i + 1, l.text);
            }
            assert_folio(n, page, i + 1);
        }
        let first = body(&pages[0]);
        assert_eq!(first[0].text, "2026年度党风廉政建设责任书", "{n}: the title first");
        assert!(first.iter().any(|l| l.text == format!("乙方：{unit}")), "{n}: 乙方 {first:?}");
        // A full body line holds 28 characters.
        assert!(first.iter().any(|l| l.text.chars().count() == 28), "{n}: a full line of 28: {first:?}");
        // Every face embedded and subset, with a ToUnicode map (copy and paste works).
        let fonts = tool("pdffonts").arg(&pdf).output().expect("pdffonts");
        let fonts = String::from_utf8(fonts.stdout).unwrap();
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(rows.len() >= 3, "{fonts}");
        for r in &rows {
            let cols: Vec<&str> = r.split_whitespace().collect();
            let n = cols.len();
            assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "emb sub uni: {r}");
        }
        // Title and author in the document's properties.
        let doc = lopdf::Document::load(&pdf).unwrap();
        let info = doc.trailer.get(b"Info").and_then(|i| doc.dereference(i)).unwrap().1.as_dict().unwrap().clone();
        let text = |k: &[u8]| lopdf::decode_text_string(info.get(k).unwrap()).unwrap();
        assert_eq!(text(b"Title"), "2026年度党风廉政建设责任书");
        assert_eq!(text(b"Author"), "中共江州市财政局委员会");
    }
    assert!(!out.join(".zeren-staging").exists());
}

#[test]
#[ignore = "needs poppler-utils and the stand-in fonts: bash .ci/fidelity-deps"]
fn a_print_file_pdf_starts_every_document_on_an_odd_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build_pdf(&samples(), &out, &["--merge", "--kind", "责任书", "--unit", "办公室", "--unit", "国库处"]);
    let of = |unit: &str| {
        let dir = out.join("责任书");
        let name = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned());
        dir.join(name.into_iter().find(|n| n.ends_with(&format!("-{unit}.pdf"))).unwrap())
    };
    let letter = pages(&of("办公室")).len();
    let second_letter = pages(&of("国库处")).len();
    let print = pages(&out.join("责任书.pdf"));
    let blank = letter % 2;
    assert_eq!(print.len(), letter + blank + second_letter, "two letters and a blank between where the first ends on an odd page");
    if blank == 1 {
        assert!(print[letter].lines.is_empty(), "the blank page has nothing on it, not even a number");
    }
    let second = &print[letter + blank];
    assert_eq!(body(&second)[0].text, "2026年度党风廉政建设责任书");
    assert_folio("print file", second, 1);
    assert!(stdout(&o).contains(&format!("（PDF 共 {} 页）", print.len())), "{}", stdout(&o));
}

#[test]
#[ignore = "needs poppler-utils and the stand-in fonts: bash .ci/fidelity-deps"]
fn every_sample_pdf_reads_back_as_its_document_and_wide_forms_turn_landscape() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_pdf(&samples(), &out, &[]);
    let pdfs = pdfs_under(&out);
    assert_eq!(pdfs.len(), 42, "one PDF beside each sample .docx");
    let mut landscape = 0;
    for pdf in &pdfs {
        let name = pdf.file_name().unwrap().to_string_lossy().into_owned();
        let docx = Docx::open(&pdf.with_extension("docx"));
        let pages = pages(pdf);
        // Reading order: the PDF's text, without spaces and breaks, is the document's.
        let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace() && !"—_".contains(*c)).collect::<String>();
        let pdf_text: String = pages.iter().flat_map(|p| body(p)).map(|l| squash(&l.text)).collect();
        let first_para = squash(&docx.paragraphs().iter().map(|p| p.text.clone()).find(|t| !t.trim().is_empty()).unwrap());
        assert!(
            pdf_text.starts_with(&first_para),
            "{name}: starts with {first_para:?}: {}",
            &pdf_text.chars().take(60).collect::<String>()
        );
        // A 函 (信函格式, GB/T 9704 10.1): its 标志 stands above the 版心, its first page has no 页码.
        let letter = docx.document().contains("<w:titlePg/>");
        for (i, p) in pages.iter().enumerate() {
            if p.width < p.height {
                // Portrait: every line inside the 版心's width (a hanging mark excepted), the
                // 页码 where §7.5 puts it.
                let head = letter && i == 0;
                for l in body(p).into_iter().skip(usize::from(head)) {
                    let right = RIGHT + if l.text.ends_with(|c| zeren::layout::pages::HANGING.contains(c)) { 16.0 } else { 0.0 };
                    assert!(
                        l.x0 >= LEFT - TOL && l.x1 <= right + TOL && l.y0 >= TOP - TOL,
                        "{name} p{}: {:?} outside the 版心",
                        i + 1,
                        l.text
                    );
                }
                if head {
                    assert!(footer(p).is_empty(), "{name}: a 函's first page has no 页码: {:?}", footer(p));
                } else {
                    assert_folio(&name, p, i + 1);
                }
            }
            if p.width > p.height {
                landscape += 1;
                assert!((p.width - 841.9).abs() < 0.5, "{name}: A4 landscape");
                // The number stands beside the table, inside the paper.
                let number =
                    p.lines.iter().find(|l| l.text.contains('—')).unwrap_or_else(|| panic!("{name}: a 页码 on the landscape page"));
                assert!(number.x0 > 0.0 && number.x1 < p.width && number.y0 > 0.0 && number.y1 < p.height, "{name}: {number:?}");
            }
        }
    }
    assert!(landscape > 0, "the 考核评分表 is set on landscape pages");
}

#[test]
#[ignore = "needs poppler-utils and the stand-in fonts: bash .ci/fidelity-deps"]
fn a_rebuild_draws_byte_identical_pdfs() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_pdf(&samples(), &a, &["--kind", "问责决定书"]);
    build_pdf(&samples(), &b, &["--kind", "问责决定书"]);
    for pdf in pdfs_under(&a) {
        let other = b.join(pdf.strip_prefix(&a).unwrap());
        assert_eq!(std::fs::read(&pdf).unwrap(), std::fs::read(&other).unwrap(), "{}", pdf.display());
    }
}

#[test]
#[ignore = "needs poppler-utils and the stand-in fonts: bash .ci/fidelity-deps"]
fn the_fonts_folder_zeren_yaml_names_is_searched_and_a_missing_one_is_said() {
    let (_tmp, ws) = sample_copy();
    let settings = std::fs::read_to_string(ws.join("zeren.yaml")).unwrap();
    std::fs::write(ws.join("zeren.yaml"), format!("{settings}\nfonts: 公文字体\n")).unwrap();
    // Named but missing: said, nothing built.
    let out = ws.join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_zeren"))
        .args(["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--pdf", "--kind", "问责决定书"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("公文字体: zeren.yaml 的字体文件夹(fonts)不存在"), "{}", stderr(&o));
    assert!(!out.exists());
    // There: searched first, and the warning about missing 公文 faces names it.
    std::fs::create_dir(ws.join("公文字体")).unwrap();
    let o = build_pdf(&ws, &out, &["--kind", "问责决定书"]);
    assert!(stderr(&o).contains("把字体文件放进工作区的“公文字体”文件夹"), "{}", stderr(&o));
    assert_eq!(pdfs_under(&out.join("问责决定书")).len(), 3);
}

/// The smallest .docx Word opens: one paragraph with a field.
fn word_template(path: &Path, text: &str) {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let o = zip::write::SimpleFileOptions::default();
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/document.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#),
        ),
    ];
    for (name, body) in parts {
        zip.start_file(name, o).unwrap();
        zip.write_all(body.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
#[ignore = "needs the stand-in fonts: bash .ci/fidelity-deps"]
fn word_template_documents_get_no_pdf_and_the_run_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let template = tmp.path().join("廉洁承诺书.docx");
    word_template(&template, "致：{{单位名称}}");
    let out = tmp.path().join("out");
    let o = build_pdf(&samples(), &out, &["--kind", "责任书", "--unit", "办公室", "--template", template.to_str().unwrap()]);
    let said = stderr(&o);
    assert!(said.contains("提示：用 Word 模板（廉洁承诺书.docx）生成的 1 份文书不生成 PDF：它们按您的模板由 Word 排版"), "{said}");
    let words = files_under(&out.join("廉洁承诺书"));
    assert_eq!(words.len(), 1, "{words:?}");
    assert!(words.iter().all(|f| f.extension().is_some_and(|e| e == "docx")), "no PDF of a Word template: {words:?}");
    assert_eq!(pdfs_under(&out.join("责任书")).len(), 1, "zeren's own document still has its PDF");
}

/// The embedded font programs of a PDF (FontFile2 / FontFile3 streams, as stored).
fn font_programs(pdf: &Path) -> Vec<Vec<u8>> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut out = Vec::new();
    for (_, object) in doc.objects.iter() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").and_then(|t| t.as_name()).ok() != Some(b"FontDescriptor".as_slice()) {
            continue;
        }
        for key in [b"FontFile2".as_slice(), b"FontFile3"] {
            if let Ok(id) = dict.get(key).and_then(|r| r.as_reference()) {
                out.push(doc.get_object(id).unwrap().as_stream().unwrap().content.clone());
            }
        }
    }
    out
}

#[test]
#[ignore = "needs poppler-utils and the stand-in fonts: bash .ci/fidelity-deps"]
fn the_letters_of_a_run_share_one_font_subset_and_keep_every_glyph_they_show() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_pdf(&samples(), &out, &["--kind", "责任书"]);
    let pdfs = pdfs_under(&out.join("责任书"));
    assert!(pdfs.len() >= 3, "{pdfs:?}");
    let first = font_programs(&pdfs[0]);
    for pdf in &pdfs[1..] {
        let programs = font_programs(pdf);
        // The body face's shared subset: the same bytes in every letter, made once.
        assert!(
            programs.iter().any(|p| p.len() > 20_000 && first.contains(p)),
            "{}: no program shared with {}",
            pdf.display(),
            pdfs[0].display()
        );
        // Each letter's own text (its unit's name) still reads back.
        let text = Command::new("pdftotext").arg(pdf).arg("-").output().unwrap();
        let text = String::from_utf8(text.stdout).unwrap();
        let stem = pdf.file_stem().unwrap().to_string_lossy();
        let unit = stem.rsplit_once('-').map_or(stem.as_ref(), |(_, u)| u);
        assert!(text.contains(unit), "{}: {unit} in its text", pdf.display());
    }
}
