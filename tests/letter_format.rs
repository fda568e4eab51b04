//! The 函告书 is a 函 (GB/T 9704-2012 10.1, 信函格式): on its first page the organ's name as
//! red 标志 30 mm from the paper's top, a red double rule (thick over thin) 4 mm under it and
//! another (thin over thick) 20 mm above the paper's foot, both 170 mm long; the 文号 at the
//! 版心's right edge under the upper rule, the title below it; no 页码 on page 1, "— 2 —" on
//! page 2. Measured in zeren's own PDF and in LibreOffice's rendering of the DOCX: the red ink
//! from a raster at 0.1 mm a pixel, the text from `pdftotext -bbox`.
//!
//! Needs poppler-utils, LibreOffice and the stand-in fonts (`bash .ci/fidelity-deps`), so the
//! rendering tests are `#[ignore]`d like fidelity.rs; CI runs them with --include-ignored.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const MM: f64 = 72.0 / 25.4;
/// The 版心's right edge, in mm from the paper's left (订口 28 mm, 156 mm wide).
const TEXT_RIGHT: f64 = 28.0 + 156.0;
const TEXT_BOTTOM: f64 = 37.0 + 225.0;

/// A horizontal band of red ink on a page: its top and foot, its widest extent, in mm.
#[derive(Debug, Clone, Copy)]
struct Band {
    top: f64,
    foot: f64,
    left: f64,
    right: f64,
}

impl Band {
    fn width(&self) -> f64 {
        self.right - self.left
    }
    fn height(&self) -> f64 {
        self.foot - self.top
    }
}

/// The red bands of page `page` of `pdf`, top to bottom, at 254 dpi (a pixel is 0.1 mm).
fn red_bands(pdf: &Path, page: usize) -> Vec<Band> {
    let p = page.to_string();
    let o = Command::new("pdftoppm").args(["-r", "254", "-f", &p, "-l", &p]).arg(pdf).output().expect("pdftoppm (poppler-utils)");
    assert!(o.status.success(), "pdftoppm {}", pdf.display());
    let (magic, w, h, pixels) = parse_pnm(&o.stdout);
    assert_eq!(magic, "P6");
    let mut bands: Vec<Band> = Vec::new();
    for y in 0..h {
        let row = &pixels[y * w * 3..(y + 1) * w * 3];
        let red: Vec<usize> = (0..w).filter(|&x| row[3 * x] > 180 && row[3 * x + 1] < 90 && row[3 * x + 2] < 90).collect();
        let (Some(&a), Some(&b)) = (red.first(), red.last()) else { continue };
        let (top, foot, left, right) = (y as f64 / 10.0, (y + 1) as f64 / 10.0, a as f64 / 10.0, (b + 1) as f64 / 10.0);
        match bands.last_mut() {
            Some(band) if (band.foot - top).abs() < 0.05 => {
                band.foot = foot;
                band.left = band.left.min(left);
                band.right = band.right.max(right);
            }
            _ => bands.push(Band { top, foot, left, right }),
        }
    }
    bands
}

/// A word on a page: (x0, y0, x1, y1) in mm and its text.
type Word = (f64, f64, f64, f64, String);

/// The words of each page.
fn words(pdf: &Path) -> Vec<Vec<Word>> {
    let o = Command::new("pdftotext").arg("-bbox").arg(pdf).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&o.stdout);
    let num = |s: &str, key: &str| -> f64 {
        let at = s.find(&format!("{key}=\"")).map(|i| i + key.len() + 2).unwrap_or(0);
        s[at..].split('"').next().and_then(|v| v.parse().ok()).unwrap_or(0.0) / MM
    };
    text.split("<page ")
        .skip(1)
        .map(|page| {
            page.split("<word ")
                .skip(1)
                .map(|wd| {
                    let t = wd.split('>').nth(1).unwrap_or("").split('<').next().unwrap_or("").to_string();
                    (num(wd, "xMin"), num(wd, "yMin"), num(wd, "xMax"), num(wd, "yMax"), t)
                })
                .collect()
        })
        .collect()
}

/// The first page of a 函 as GB/T 9704 10.1 sets it, in `pdf` (`who` names it in messages).
fn assert_letter(who: &str, pdf: &Path) {
    let bands = red_bands(pdf, 1);
    // The 标志, then the upper rule's two lines, the lower rule's two: nothing else is red.
    assert_eq!(bands.len(), 5, "{who}: 标志 and two double rules: {bands:?}");
    let (organ, rules) = (bands[0], &bands[1..]);
    // Its characters' top 30 mm from the paper's top (their ink starts a hair under the em).
    assert!((organ.top - 30.0).abs() <= 0.5, "{who}: the 标志's top {:.1} mm from the paper's top", organ.top);
    assert!(
        organ.width() < 156.5 && ((organ.left + organ.right) / 2.0 - 106.0).abs() < 1.0,
        "{who}: the 标志 centred over the 版心: {organ:?}"
    );
    for r in rules {
        assert!((r.width() - 170.0).abs() <= 0.5, "{who}: a rule 170 mm long: {r:?}");
        assert!(((r.left + r.right) / 2.0 - 106.0).abs() <= 0.5, "{who}: a rule centred on the 版心: {r:?}");
    }
    // Upper: thick over thin, its top 4 mm under the 标志's em box (36 pt from 30 mm).
    let em_foot = 30.0 + 36.0 / MM;
    assert!((rules[0].top - (em_foot + 4.0)).abs() <= 0.5, "{who}: the upper rule {:.1} mm from the top", rules[0].top);
    assert!(rules[0].height() > rules[1].height(), "{who}: the upper rule thick over thin: {rules:?}");
    assert!(rules[1].top - rules[0].foot < 1.0, "{who}: one double rule: {rules:?}");
    // Lower: thin over thick, its foot 20 mm above the paper's foot.
    assert!((rules[3].foot - (297.0 - 20.0)).abs() <= 0.5, "{who}: the lower rule's foot {:.1} mm from the top", rules[3].foot);
    assert!(rules[2].height() < rules[3].height(), "{who}: the lower rule thin over thick: {rules:?}");
    let pages = words(pdf);
    // The 文号 on the first line under the upper rule, ending at the 版心's right edge.
    let first = &pages[0];
    let below: Vec<&Word> = first.iter().filter(|w| w.1 > rules[1].foot).collect();
    let top = below.iter().map(|w| w.1).fold(f64::MAX, f64::min);
    let line: Vec<&&Word> = below.iter().filter(|w| (w.1 - top).abs() < 2.0).collect();
    let text: String = line.iter().map(|w| w.4.as_str()).collect();
    assert!(text.starts_with("江财党函") && text.ends_with('号'), "{who}: the 文号 first under the rule: {text}");
    let right = line.iter().map(|w| w.2).fold(0.0, f64::max);
    assert!((right - TEXT_RIGHT).abs() <= 1.0, "{who}: the 文号 ends {:.1} mm from the left, the 版心 at {TEXT_RIGHT}", right);
    assert!(top - rules[1].foot < 8.0, "{who}: the 文号 {:.1} mm under the rule", top - rules[1].foot);
    let title = first.iter().find(|w| w.4.contains("函告书")).expect("the title");
    assert!(title.1 > top + 10.0, "{who}: the title below the 文号, a line between");
    // No 页码 on the first page; "— 2 —" on the second, at its left.
    assert!(!first.iter().any(|w| w.1 > TEXT_BOTTOM && w.4 == "—"), "{who}: a 页码 on page 1: {first:?}");
    let folio: String = pages[1].iter().filter(|w| w.1 > TEXT_BOTTOM && w.1 < 297.0 - 20.0).map(|w| w.4.as_str()).collect();
    assert_eq!(folio, "—2—", "{who}: page 2 numbered");
}

fn build_notices(out: &Path, extra: &[&str]) {
    let ws = samples();
    let args = [&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "函告书"][..], extra].concat();
    let o = zeren(&args);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn the_notice_docx_numbers_every_page_but_the_first_and_draws_its_letterhead_on_page_one() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_notices(&out, &[]);
    let files = files_under(&out.join("函告书"));
    assert_eq!(files.len(), 7);
    for f in files {
        let doc = Docx::open(&out.join("函告书").join(&f));
        let xml = doc.document();
        // A first-page footer without a 页码 on the document's first section only.
        assert_eq!(xml.matches("<w:titlePg/>").count(), 1, "{}", f.display());
        assert_eq!(xml.matches(r#"<w:footerReference w:type="first""#).count(), 1);
        let rels = doc.part("word/_rels/document.xml.rels");
        let id = xml.split(r#"<w:footerReference w:type="first" r:id=""#).nth(1).unwrap().split('"').next().unwrap();
        let target = rels.split(&format!(r#"Id="{id}""#)).nth(1).unwrap().split("Target=\"").nth(1).unwrap().split('"').next().unwrap();
        assert!(!doc.part(&format!("word/{target}")).contains("PAGE"), "the first page's footer has no 页码");
        // The 标志 and four red bars (two double rules) hang from the first paragraph.
        let first = &xml[xml.find("<w:body>").unwrap()..];
        let first = &first[..first.find("</w:p><w:p>").unwrap()];
        assert!(first.contains("中共江州市财政局委员会"), "the 标志 in the first paragraph");
        assert_eq!(first.matches(r##"fillcolor="#FF0000""##).count(), 4, "two double rules");
    }
    // A standard document has none of it.
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", tmp.path().join("d").to_str().unwrap(), "--kind", "问责决定书"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let d = tmp.path().join("d");
    let f = files_under(&d).into_iter().find(|f| f.extension().is_some_and(|e| e == "docx")).unwrap();
    assert!(!Docx::open(&d.join(f)).document().contains("titlePg"));
}

#[test]
#[ignore = "needs poppler-utils and the stand-in fonts: bash .ci/fidelity-deps"]
fn zerens_own_pdf_sets_the_notice_as_a_letter() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_notices(&out, &["--pdf"]);
    let pdfs: Vec<PathBuf> = files_under(&out.join("函告书")).into_iter().filter(|f| f.extension().is_some_and(|e| e == "pdf")).collect();
    assert_eq!(pdfs.len(), 7);
    for f in pdfs {
        assert_letter(&f.display().to_string(), &out.join("函告书").join(&f));
    }
}

#[test]
#[ignore = "needs LibreOffice, poppler-utils and the stand-in fonts: bash .ci/fidelity-deps, then cargo test -- --include-ignored"]
fn libreoffice_sets_the_notice_docx_as_a_letter() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    build_notices(&out, &["--unit", "机关第一党支部", "--unit", "市政府采购中心"]);
    let files: Vec<PathBuf> = files_under(&out.join("函告书")).into_iter().map(|f| out.join("函告书").join(f)).collect();
    assert_eq!(files.len(), 2);
    let pdf = tmp.path().join("pdf");
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fonts/fonts.conf");
    let o = Command::new("soffice")
        .env("FONTCONFIG_FILE", fonts)
        .arg(format!("-env:UserInstallation=file://{}", tmp.path().join("profile").display()))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(&pdf)
        .args(&files)
        .stdin(Stdio::null())
        .output()
        .expect("soffice (LibreOffice) must be installed: bash .ci/fidelity-deps");
    assert!(o.status.success(), "soffice: {}", String::from_utf8_lossy(&o.stderr));
    for f in &files {
        let name = f.file_stem().unwrap();
        assert_letter(&name.to_string_lossy(), &pdf.join(name).with_extension("pdf"));
    }
}
