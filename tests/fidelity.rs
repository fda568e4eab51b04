//! Fidelity in a real reader: the letters are built by the real binary, converted to PDF by
//! LibreOffice (one `soffice` for the whole batch, free stand-ins for the 公文 fonts via
//! `tests/fonts/fonts.conf`), and the PDF is measured with `pdftotext -bbox-layout` (and
//! `pdftoppm` for the 页码 dashes). The numbers asserted are GB/T 9704-2012's (domain notes §1),
//! not style.rs's, so a wrong number in style.rs fails here.
//!
//! Needs `soffice`, `pdftotext`, `pdftoppm`, `pdffonts` and the fonts: `bash .ci/fidelity-deps`.
//! The tests that need them are `#[ignore]`d, so a plain `cargo test` shows them as ignored,
//! never as passed; `cargo test -- --include-ignored` (what CI runs) runs them, and there a
//! missing tool fails them.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::pdfbox::{BOTTOM, FOOTER_CHAR, LEFT, MM, PITCH, RIGHT, TOL, TOP};

const LINES: i64 = 22;
/// 三号 body character (16 pt; its advance is 15.75 pt with the −0.25 pt tracking); the 四号
/// character of the 页码 is `FOOTER_CHAR`. `TOL` is the tolerance GB/T 9704 gives for margins
/// (±1 mm), used for every position.
const BODY_CHAR: f64 = 16.0;

// ---------------------------------------------------------------------------------------------
// The batch: build, convert once, read back.

struct Fixture {
    samples: Vec<Doc>,
    /// The workspace whose bodies end at or near a page's bottom (signature tests).
    tight: Vec<Doc>,
}

/// One letter as the PDF shows it, its lines tied back to the .docx paragraphs.
struct Doc {
    name: String,
    pdf: PathBuf,
    paras: Vec<Para>,
    pages: Vec<Page>,
}

struct Page {
    number: usize,
    /// Lines inside the page above the 版心 bottom, in reading order.
    lines: Vec<Line>,
    /// Lines below the 版心: the 页码.
    footer: Vec<Line>,
}

#[derive(Debug, Clone)]
struct Line {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
    /// Grid row 0–21 the line sits in.
    row: i64,
    /// The body paragraph (index into `Doc::paras`) the line belongs to; `None` for the
    /// signing table.
    para: Option<usize>,
    first: bool,
    last: bool,
}

impl Line {
    /// Right edge without a closing punctuation mark hanging past the 版心 (kinsoku lets
    /// “，” and “。” hang; their box is a full em, their ink sits at the edge).
    fn right_edge(&self) -> f64 {
        if self.hangs() { self.x1 - (BODY_CHAR - 0.25) } else { self.x1 }
    }

    fn hangs(&self) -> bool {
        self.x1 > RIGHT + 1.0 && self.text.chars().last().is_some_and(is_hanging_punct)
    }
}

fn is_hanging_punct(c: char) -> bool {
    "，。、；：！？”’）》」』".contains(c)
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let missing = missing_tools();
        if !missing.is_empty() {
            unavailable(&format!("fidelity tests need {} (LibreOffice, poppler-utils)", missing.join(", ")));
        }
        let fixture = make_fixture();
        // Without the stand-ins every measurement below would fail for the wrong reason.
        let fonts = pdf_fonts(&fixture.samples[0].pdf);
        let absent: Vec<&str> = STAND_INS.into_iter().filter(|f| !fonts.contains(f)).collect();
        if !absent.is_empty() {
            unavailable(&format!("fidelity tests need the fonts {absent:?} (tests/fonts/fonts.conf)"));
        }
        fixture
    })
}

/// A tool the test needs is missing: the test fails, saying how to install it.
fn unavailable(what: &str) -> ! {
    panic!("{what}; install them with `bash .ci/fidelity-deps`")
}

/// PostScript names of the faces fonts.conf maps to: AR PL SungtiL GB (仿宋, 宋体), AR PL KaitiM
/// GB (楷体), WenQuanYi Micro Hei (黑体), Noto Serif CJK (小标宋), Liberation Serif (Times New
/// Roman).
const STAND_INS: [&str; 5] = ["BousungEG-Light-GB", "GBZenKai-Medium", "WenQuanYiMicroHei", "NotoSerifCJK", "LiberationSerif"];

fn pdf_fonts(pdf: &Path) -> String {
    String::from_utf8(run("pdffonts", &[pdf.as_os_str()])).unwrap()
}

fn tool(name: &str) -> Option<PathBuf> {
    if name == "soffice"
        && let Some(p) = std::env::var_os("ZEREN_SOFFICE")
    {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

fn missing_tools() -> Vec<&'static str> {
    ["soffice", "pdftotext", "pdftoppm", "pdffonts", "pdfinfo"].into_iter().filter(|t| tool(t).is_none()).collect()
}

fn fonts_conf() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fonts/fonts.conf")
}

/// Each test process works in its own folder (parallel runs must not share a LibreOffice
/// profile); the PDFs stay there for a human to open when a number fails.
fn work_dir() -> PathBuf {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR"));
    // Folders of earlier runs: gone after ten minutes, long after any run has ended.
    if let Ok(entries) = std::fs::read_dir(base) {
        for e in entries.flatten() {
            let old = e.metadata().and_then(|m| m.modified()).ok().and_then(|t| t.elapsed().ok());
            if e.file_name().to_string_lossy().starts_with("fidelity-") && old.is_some_and(|d| d > Duration::from_secs(600)) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let dir = base.join(format!("fidelity-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn make_fixture() -> Fixture {
    let started = Instant::now();
    let dir = work_dir();
    let out = dir.join("samples");
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "build samples: {}", stderr(&o));
    let ws = tight_workspace(&dir.join("tight-ws"));
    let tight_out = dir.join("tight");
    let o = zeren(&["build", ws.to_str().unwrap(), "-o", tight_out.to_str().unwrap()]);
    assert!(o.status.success(), "build tight workspace: {}", stderr(&o));

    let sample_docx = docx_files(&out.join("责任书"));
    let tight_docx = docx_files(&tight_out.join("责任书"));
    assert_eq!(sample_docx.len(), 25, "the samples give 25 letters: 4 班子成员, 13 units, 8 deputies");
    assert_eq!(tight_docx.len(), TIGHT_DUTIES.len());
    let pdf_dir = dir.join("pdf");
    let all: Vec<PathBuf> = sample_docx.iter().chain(&tight_docx).cloned().collect();
    soffice_to_pdf(&all, &pdf_dir, &dir.join("lo-profile"));
    let _ = std::fs::remove_dir_all(dir.join("lo-profile"));
    let read = |files: &[PathBuf]| files.iter().map(|f| read_doc(f, &pdf_dir)).collect::<Vec<_>>();
    let fixture = Fixture { samples: read(&sample_docx), tight: read(&tight_docx) };
    eprintln!("fidelity: built, converted and read {} letters in {:.1} s ({})", all.len(), started.elapsed().as_secs_f64(), dir.display());
    fixture
}

fn docx_files(dir: &Path) -> Vec<PathBuf> {
    files_under(dir).into_iter().filter(|f| f.extension().is_some_and(|e| e == "docx")).map(|f| dir.join(f)).collect()
}

/// One LibreOffice process converts the whole batch: its start-up dominates the run time.
fn soffice_to_pdf(files: &[PathBuf], out: &Path, profile: &Path) {
    let soffice = tool("soffice").unwrap();
    let mut child = Command::new(soffice)
        .env("FONTCONFIG_FILE", fonts_conf())
        .arg(format!("-env:UserInstallation={}", file_url(profile)))
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .args(files)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start soffice");
    let deadline = Instant::now() + Duration::from_secs(150);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("soffice did not finish converting {} files in 150 s", files.len());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let o = child.wait_with_output().unwrap();
    for f in files {
        let pdf = out.join(f.file_stem().unwrap()).with_extension("pdf");
        assert!(pdf.is_file(), "soffice wrote no {}: {}", pdf.display(), String::from_utf8_lossy(&o.stderr));
    }
}

/// `file://` URL for LibreOffice's `-env:UserInstallation`.
fn file_url(p: &Path) -> String {
    let mut url = String::from("file://");
    for b in p.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

fn run(tool_name: &str, args: &[&std::ffi::OsStr]) -> Vec<u8> {
    let o = Command::new(tool(tool_name).unwrap()).args(args).output().unwrap_or_else(|e| panic!("{tool_name}: {e}"));
    assert!(o.status.success(), "{tool_name} {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    o.stdout
}

fn read_doc(docx: &Path, pdf_dir: &Path) -> Doc {
    let pdf = pdf_dir.join(docx.file_stem().unwrap()).with_extension("pdf");
    let html = run("pdftotext", &["-bbox-layout".as_ref(), pdf.as_os_str(), "-".as_ref()]);
    let pages = parse_bbox(&String::from_utf8(html).unwrap());
    let paras = Docx::open(docx).paragraphs();
    let name = docx.file_stem().unwrap().to_string_lossy().into_owned();
    let mut doc = Doc { name, pdf, paras, pages };
    tie_lines_to_paragraphs(&mut doc);
    doc
}

/// `pdftotext -bbox-layout` XHTML → pages of lines (a line's words joined without spaces), each
/// line placed in its grid row; the lines below the 版心 are the page's footer.
fn parse_bbox(xml: &str) -> Vec<Page> {
    common::pdfbox::parse(xml)
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut page = Page { number: i + 1, lines: Vec::new(), footer: Vec::new() };
            for l in p.lines {
                let row = ((l.y0 - TOP + 1.0) / PITCH).floor() as i64;
                let line = Line { x0: l.x0, y0: l.y0, x1: l.x1, y1: l.y1, text: l.text, row, para: None, first: false, last: false };
                if line.y0 > BOTTOM { page.footer.push(line) } else { page.lines.push(line) }
            }
            page
        })
        .collect()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Walks the PDF lines and the .docx body paragraphs together: each line must be the next
/// piece of the current paragraph. What follows the body is the signing block (its `GwParty`
/// paragraphs set the parties side by side, so a PDF line holds pieces of both).
fn tie_lines_to_paragraphs(doc: &mut Doc) {
    let body: Vec<(usize, String)> = doc
        .paras
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.in_table && p.style.as_deref() != Some("GwParty") && !squeeze(&p.text).is_empty())
        .map(|(i, p)| (i, squeeze(&p.text)))
        .collect();
    let mut lines = doc.pages.iter_mut().flat_map(|p| p.lines.iter_mut());
    for (i, text) in &body {
        let mut rest = text.as_str();
        let mut first = true;
        while !rest.is_empty() {
            let line = lines.next().unwrap_or_else(|| panic!("{}: PDF ends inside paragraph {text}", doc.name));
            assert!(
                rest.starts_with(&line.text) && !line.text.is_empty(),
                "{}: PDF line “{}” is not the next piece of “{rest}”",
                doc.name,
                line.text
            );
            rest = &rest[line.text.len()..];
            line.para = Some(*i);
            line.first = first;
            line.last = rest.is_empty();
            first = false;
        }
    }
}

impl Doc {
    fn style(&self, line: &Line) -> Option<&str> {
        line.para.and_then(|i| self.paras[i].style.as_deref())
    }

    /// Lines set wholly in the body face (仿宋 stand-in): their boxes sit alike in the grid row.
    /// Headings use other faces and Latin digits sit a few tenths of a point higher.
    fn in_body_face(&self, line: &Line) -> bool {
        matches!(self.style(line), Some("GwBody" | "GwBodyFlush")) && line.text.chars().all(|c| !c.is_ascii())
    }

    fn is_heading(&self, line: &Line) -> bool {
        self.style(line).is_some_and(|s| s.starts_with("GwHeading"))
    }

    /// The page holding the signing table (甲方（盖章）：, or 甲方： for a party without a seal).
    fn signing_page(&self) -> &Page {
        let found: Vec<&Page> =
            self.pages.iter().filter(|p| p.lines.iter().any(|l| l.para.is_none() && l.text.starts_with("甲方"))).collect();
        assert_eq!(found.len(), 1, "{}: one page holds the 甲方 of the signing table", self.name);
        found[0]
    }
}

// ---------------------------------------------------------------------------------------------
// The checks.

#[test]
#[ignore = "needs LibreOffice, poppler-utils and the stand-in fonts: bash .ci/fidelity-deps, then cargo test -- --include-ignored"]
fn pdf_uses_the_free_stand_ins_for_the_gongwen_fonts() {
    let f = fixture();
    for doc in f.samples.iter().chain(&f.tight) {
        let fonts = pdf_fonts(&doc.pdf);
        for face in STAND_INS {
            assert!(fonts.contains(face), "{}: no {face} in the PDF\n{fonts}", doc.name);
        }
        assert!(!fonts.contains("DejaVu"), "{}: a 公文 font fell back to DejaVu:\n{fonts}", doc.name);
    }
}

#[test]
#[ignore = "needs LibreOffice, poppler-utils and the stand-in fonts: bash .ci/fidelity-deps, then cargo test -- --include-ignored"]
fn every_full_page_holds_22_lines_on_a_28_95_pt_pitch() {
    let f = fixture();
    let (mut full_pages, mut pitches) = (0, Vec::new());
    for doc in &f.samples {
        // A unit's letter runs to three pages, a deputy's 一岗双责 letter to two.
        assert!(doc.pages.len() >= 2, "{}: {} pages", doc.name, doc.pages.len());
        let signing = doc.signing_page().number;
        for (i, page) in doc.pages.iter().enumerate() {
            let rows: Vec<i64> = dedup(page.lines.iter().map(|l| l.row).collect());
            assert!(rows.iter().all(|r| (0..LINES).contains(r)), "{} p{}: rows {rows:?} outside the 22-line grid", doc.name, page.number);
            assert_eq!(rows.first(), Some(&0), "{} p{}: text starts in the first grid row", doc.name, page.number);
            // 7.3.2: one blank line between the title and what follows; 7.3.5: the blank lines
            // above the signing block.
            let above_signing = signing_gap(page);
            let expected: Vec<i64> = (0..LINES).filter(|&r| !(page.number == 1 && r == 1) && !above_signing.contains(&r)).collect();
            let Some(next) = doc.pages.get(i + 1) else { continue };
            let last = *rows.last().unwrap();
            if last < LINES - 1 {
                // keep-with-next may carry a heading, or the body's end with the signing
                // block (7.3.5.5), to the next page; nothing else may leave a page short.
                let carried = doc.is_heading(&next.lines[0]) || next.number == signing;
                assert!(
                    carried,
                    "{} p{}: only {} lines, next page starts with “{}”",
                    doc.name,
                    page.number,
                    rows.len(),
                    next.lines[0].text
                );
                assert_eq!(rows, expected[..rows.len()], "{} p{}: rows without gaps", doc.name, page.number);
                continue;
            }
            assert_eq!(rows, expected, "{} p{}: 22 rows filled", doc.name, page.number);
            if page.number != signing {
                let text_lines = page.lines.len();
                assert_eq!(text_lines, if page.number == 1 { 21 } else { 22 }, "{} p{}: text lines", doc.name, page.number);
            }
            full_pages += 1;
        }
        for page in &doc.pages {
            for w in page.lines.windows(2) {
                if w[1].row == w[0].row + 1 && doc.in_body_face(&w[0]) && doc.in_body_face(&w[1]) {
                    let d = w[1].y0 - w[0].y0;
                    assert!(
                        (d - PITCH).abs() <= 0.3,
                        "{} p{}: pitch {d:.2} pt between “{}” and “{}”",
                        doc.name,
                        page.number,
                        w[0].text,
                        w[1].text
                    );
                    pitches.push(d);
                }
            }
        }
    }
    assert!(full_pages >= 13, "only {full_pages} full pages measured");
    assert!(pitches.len() >= 140, "only {} line pairs measured", pitches.len());
    let mean = pitches.iter().sum::<f64>() / pitches.len() as f64;
    let (min, max) = pitches.iter().fold((f64::MAX, f64::MIN), |(a, b), &d| (a.min(d), b.max(d)));
    eprintln!("fidelity: {full_pages} full pages of 22 lines; pitch over {} pairs: mean {mean:.3} pt, {min:.2}–{max:.2}", pitches.len());
    assert!((mean - PITCH).abs() <= 0.05, "mean pitch {mean:.3} pt");
}

/// The empty grid rows between the body and the signing table (甲方…) on its page.
fn signing_gap(page: &Page) -> std::ops::Range<i64> {
    let Some(first) = page.lines.iter().find(|l| l.para.is_none() && l.text.contains("甲方")).map(|l| l.row) else { return 0..0 };
    let before = page.lines.iter().filter(|l| l.row < first).map(|l| l.row).max().unwrap_or(-1);
    before + 1..first
}

fn dedup(mut v: Vec<i64>) -> Vec<i64> {
    v.dedup();
    v
}

#[test]
#[ignore = "needs LibreOffice, poppler-utils and the stand-in fonts: bash .ci/fidelity-deps, then cargo test -- --include-ignored"]
fn full_lines_hold_28_characters() {
    let f = fixture();
    let (mut counted, mut hanging) = (0, 0);
    for doc in &f.samples {
        for page in &doc.pages {
            for l in page.lines.iter().filter(|l| l.para.is_some() && !l.last) {
                let at = || format!("{} p{}: “{}”", doc.name, page.number, l.text);
                // A line that is not its paragraph's last is justified to the 版心's right edge.
                assert!((l.right_edge() - RIGHT).abs() <= TOL, "{}: right edge {:.1} pt, 版心 edge {RIGHT:.1}", at(), l.right_edge());
                hanging += usize::from(l.hangs());
                if l.text.chars().any(|c| c.is_ascii()) {
                    continue; // Latin digits are narrower than a hanzi.
                }
                let indented = (l.x0 - LEFT - 2.0 * BODY_CHAR).abs() <= TOL;
                let expected = if indented { 26 } else { 28 };
                let n = l.text.chars().count() - usize::from(l.hangs());
                assert_eq!(n, expected, "{}: characters on a full line{}", at(), if indented { " after 左空二字" } else { "" });
                counted += 1;
            }
        }
    }
    eprintln!("fidelity: {counted} full lines of 28 (26 after the indent) characters; {hanging} full lines end in hanging punctuation");
    assert!(counted >= 100, "only {counted} full lines counted");
}

#[test]
#[ignore = "needs LibreOffice, poppler-utils and the stand-in fonts: bash .ci/fidelity-deps, then cargo test -- --include-ignored"]
fn text_stays_inside_the_type_area() {
    let f = fixture();
    let mut n = 0;
    let (mut top, mut left, mut right) = (f64::MAX, f64::MAX, f64::MIN);
    for doc in &f.samples {
        for page in &doc.pages {
            let at = |l: &Line| format!("{} p{}: “{}”", doc.name, page.number, l.text);
            let first = page.lines.first().unwrap_or_else(|| panic!("{} p{}: empty page", doc.name, page.number));
            assert!(first.y0 >= TOP - TOL, "{}: top {:.1} mm", at(first), first.y0 / MM);
            top = top.min(first.y0);
            for l in &page.lines {
                assert!(l.y1 <= BOTTOM + TOL, "{}: bottom {:.1} mm", at(l), l.y1 / MM);
                assert!(l.x0 >= LEFT - TOL, "{}: left {:.1} mm", at(l), l.x0 / MM);
                assert!(l.right_edge() <= RIGHT + TOL, "{}: right {:.1} mm", at(l), l.right_edge() / MM);
                right = right.max(l.right_edge());
                // Continuation lines and 顶格 paragraphs start at the 订口; others 左空二字.
                if l.para.is_some() && !doc.is_heading(l) && doc.style(l) != Some("GwTitle") {
                    let flush = !l.first || doc.style(l) == Some("GwBodyFlush");
                    let want = if flush { LEFT } else { LEFT + 2.0 * BODY_CHAR };
                    assert!((l.x0 - want).abs() <= TOL, "{}: starts at {:.1} mm, want {:.1} mm", at(l), l.x0 / MM, want / MM);
                    if flush {
                        left = left.min(l.x0);
                    }
                }
                n += 1;
            }
        }
    }
    eprintln!(
        "fidelity: {n} lines inside the 版心; first line top {:.2} mm (≥ 37), left {:.2} mm (28), right {:.2} mm (≤ 184)",
        top / MM,
        left / MM,
        right / MM
    );
    assert!(n >= 500, "only {n} lines");
}

#[test]
#[ignore = "needs LibreOffice, poppler-utils and the stand-in fonts: bash .ci/fidelity-deps, then cargo test -- --include-ignored"]
fn title_is_centred_in_the_type_area() {
    let f = fixture();
    let mut worst: f64 = 0.0;
    for doc in &f.samples {
        let title = &doc.pages[0].lines[0];
        assert_eq!(doc.style(title), Some("GwTitle"), "{}: first line is the title", doc.name);
        let personal = doc.name.contains("班子成员") || doc.name.matches('-').count() > 1;
        let want =
            if personal { "2026年度党风廉政建设“一岗双责”责任书" } else { "2026年度党风廉政建设责任书" };
        assert_eq!(title.text, want, "{}", doc.name);
        let centre = (title.x0 + title.x1) / 2.0;
        let off = centre - (LEFT + RIGHT) / 2.0;
        assert!(off.abs() <= TOL, "{}: title centre {:.2} mm off the 版心 centre", doc.name, off / MM);
        worst = worst.max(off.abs());
    }
    eprintln!("fidelity: {} titles centred within {:.2} mm", f.samples.len(), worst / MM);
}

#[test]
#[ignore = "needs LibreOffice, poppler-utils and the stand-in fonts: bash .ci/fidelity-deps, then cargo test -- --include-ignored"]
fn page_numbers_are_placed_as_gbt9704_7_5_says() {
    let f = fixture();
    let (mut pages, mut dash_gap, mut side): (usize, Vec<f64>, f64) = (0, Vec::new(), 0.0);
    for doc in &f.samples {
        for page in &doc.pages {
            let at = format!("{} p{}", doc.name, page.number);
            assert_eq!(page.footer.len(), 1, "{at}: one 页码 line below the 版心: {:?}", page.footer);
            let n = &page.footer[0];
            assert_eq!(n.text, format!("—{}—", page.number), "{at}: “— N —”");
            if page.number % 2 == 1 {
                let want = RIGHT - FOOTER_CHAR;
                assert!((n.x1 - want).abs() <= TOL, "{at}: odd page number ends at {:.1} mm, want {:.1}", n.x1 / MM, want / MM);
                side = side.max((n.x1 - want).abs());
            } else {
                let want = LEFT + FOOTER_CHAR;
                assert!((n.x0 - want).abs() <= TOL, "{at}: even page number starts at {:.1} mm, want {:.1}", n.x0 / MM, want / MM);
                side = side.max((n.x0 - want).abs());
            }
            let top = dash_top(&doc.pdf, page.number, n);
            let gap = top - BOTTOM;
            assert!((gap - 7.0 * MM).abs() <= TOL, "{at}: 一字线 {:.2} mm below the 版心, want 7", gap / MM);
            dash_gap.push(gap / MM);
            pages += 1;
        }
    }
    assert!(pages >= 39, "only {pages} pages");
    let (min, max) = dash_gap.iter().fold((f64::MAX, f64::MIN), |(a, b), &d| (a.min(d), b.max(d)));
    eprintln!(
        "fidelity: {pages} page numbers, one 四号 character in from the 版心 edge within {:.2} mm; 一字线 top {min:.2}–{max:.2} mm below the 版心 (7 ± 1)",
        side / MM
    );
}

/// The top of the first dash's ink, in points from the page top: the text box says where the
/// line is, not where a dash is drawn, so this renders the dash and looks.
fn dash_top(pdf: &Path, page: usize, number: &Line) -> f64 {
    const DPI: f64 = 288.0;
    let px = |pt: f64| (pt * DPI / 72.0).round() as i64;
    // Columns of the first dash only (the digit would reach higher), rows from the 版心 bottom
    // to 20 mm below it.
    let (x, y) = (px(number.x0 + 2.0), px(BOTTOM));
    let (w, h) = (px(FOOTER_CHAR / 2.0), px(20.0 * MM));
    let out = pdf.with_file_name(format!("{}-p{page}-dash", pdf.file_stem().unwrap().to_string_lossy()));
    let crop = format!("-gray -singlefile -r {DPI} -f {page} -l {page} -x {x} -y {y} -W {w} -H {h}");
    let mut args: Vec<&std::ffi::OsStr> = crop.split(' ').map(|a| a.as_ref()).collect();
    args.extend([pdf.as_os_str(), out.as_os_str()]);
    run("pdftoppm", &args);
    let pgm = std::fs::read(out.with_extension("pgm")).unwrap();
    let (width, pixels) = parse_pgm(&pgm);
    let row = pixels
        .chunks(width)
        .position(|r| r.iter().any(|&v| v < 128))
        .unwrap_or_else(|| panic!("{}: no dash drawn on page {page}", pdf.display()));
    BOTTOM + row as f64 * 72.0 / DPI
}

/// Binary greyscale PGM (P5, as pdftoppm writes it) → (width, pixels).
fn parse_pgm(data: &[u8]) -> (usize, &[u8]) {
    let (magic, w, _, pixels) = parse_pnm(data);
    assert_eq!(magic, "P5");
    (w, pixels)
}

// ---------------------------------------------------------------------------------------------
// 7.3.5.5: the signing block never stands alone on a page.

/// Unit-specific duties per letter of the tight workspace. Each duty is two lines; with 11 the
/// body's last line falls exactly on the last grid row of page 2 (asserted below), the others
/// end one to three rows away from it.
const TIGHT_DUTIES: [usize; 4] = [9, 10, 11, 12];
const EXACT: usize = 11;

fn tight_workspace(ws: &Path) -> PathBuf {
    std::fs::create_dir_all(ws.join("data")).unwrap();
    std::fs::write(ws.join("zeren.yaml"), SETTINGS).unwrap();
    std::fs::write(
        ws.join("data/duties.yaml"),
        "groups:\n  - subject: 主体责任\n    applies_to: [处室]\n    duties: [把党风廉政建设作为分内之事、应尽之责。]\n",
    )
    .unwrap();
    // 34 hanzi and no Latin: two lines each after “N.” and the indent.
    let duty = "严格落实廉政风险防控措施定期排查岗位风险点并建立台账逐项整改到位。";
    let mut units = String::from("units:\n");
    for n in TIGHT_DUTIES {
        units.push_str(&format!("  - name: 第{n}处\n    type: 处室\n    leader: {{ name: 李处长, title: 处长 }}\n    duties:\n"));
        for _ in 0..n {
            units.push_str(&format!("      - {duty}\n"));
        }
    }
    std::fs::write(ws.join("data/units.yaml"), units).unwrap();
    ws.to_path_buf()
}

#[test]
#[ignore = "needs LibreOffice, poppler-utils and the stand-in fonts: bash .ci/fidelity-deps, then cargo test -- --include-ignored"]
fn signing_block_never_stands_alone_on_a_page() {
    let f = fixture();
    assert_eq!(f.tight.len(), TIGHT_DUTIES.len());
    let mut exact_seen = false;
    for (doc, n) in f.tight.iter().zip(TIGHT_DUTIES) {
        assert!(doc.name.ends_with(&format!("第{n}处")), "{}", doc.name);
        let page = doc.signing_page();
        let body: Vec<&Line> = page.lines.iter().filter(|l| l.para.is_some()).collect();
        let signing: Vec<&Line> = page.lines.iter().filter(|l| l.para.is_none()).collect();
        assert!(signing.iter().any(|l| l.text.contains("乙方")), "{}: 乙方 signs on the same page", doc.name);
        assert!(!body.is_empty(), "{}: the signing block stands alone on page {} (GB/T 9704 7.3.5.5)", doc.name, page.number);
        if n == EXACT {
            // The case that matters: without keep-with-next the body would have ended on the
            // last row of the previous page. Its rows plus the lines carried over make 22.
            let prev = &doc.pages[page.number - 2];
            let prev_rows = prev.lines.last().unwrap().row + 1;
            let carried = body.iter().take_while(|l| l.para.is_some()).count() as i64;
            assert_eq!(
                prev_rows + carried,
                LINES,
                "{}: the body no longer ends on the page's last row ({prev_rows} rows + {carried} carried); recalibrate TIGHT_DUTIES",
                doc.name
            );
            assert_eq!(page.number, 3, "{}: signs on page 3", doc.name);
            eprintln!(
                "fidelity: body ending on row 22 of page 2 → {carried} line(s) carried to page 3 with the signing block (“{}”)",
                body[0].text
            );
            exact_seen = true;
        }
    }
    assert!(exact_seen);
}

// ---------------------------------------------------------------------------------------------
// `zeren build --pdf`.

fn zeren_with(env: &[(&str, &std::ffi::OsStr)], args: &[&str]) -> std::process::Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zeren"));
    for (k, v) in env {
        c.env(k, v);
    }
    c.args(args).output().expect("run zeren")
}

/// `zeren build WS -o OUT --pdf EXTRA…` with the stand-in fonts (LibreOffice and poppler needed).
fn build_pdf(ws: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    let missing = missing_tools();
    if !missing.is_empty() {
        unavailable(&format!("build --pdf needs {}", missing.join(", ")));
    }
    let fonts = fonts_conf();
    let args = [&["build", ws.to_str().unwrap(), "-o", out.to_str().unwrap(), "--pdf"][..], extra].concat();
    let o = zeren_with(&[("FONTCONFIG_FILE", fonts.as_os_str())], &args);
    assert!(o.status.success(), "{}", stderr(&o));
    o
}

/// A PDF's pages as pdftotext lays them out.
fn pdf_pages(pdf: &Path) -> Vec<Page> {
    let html = run("pdftotext", &["-bbox-layout".as_ref(), pdf.as_os_str(), "-".as_ref()]);
    parse_bbox(&String::from_utf8(html).unwrap())
}

// What `--pdf` writes is zeren's own drawing now: tests/pdf.rs reads it back.

#[test]
#[ignore = "needs LibreOffice, poppler-utils and the stand-in fonts: bash .ci/fidelity-deps, then cargo test -- --include-ignored"]
fn a_long_letterhead_stays_on_one_line_inside_the_type_area() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    copy_dir(&samples(), &ws);
    let organ = "中共江州市财政局机关委员会文件";
    let settings = std::fs::read_to_string(ws.join("zeren.yaml")).unwrap().replace("letterhead: true", &format!("letterhead: {organ}"));
    std::fs::write(ws.join("zeren.yaml"), settings).unwrap();
    let out = tmp.path().join("out");
    build_pdf(&ws, &out, &["--kind", "问责决定书"]);
    let pdf = files_under(&out.join("问责决定书")).into_iter().find(|f| f.extension().is_some_and(|e| e == "pdf")).unwrap();
    let pages = pdf_pages(&out.join("问责决定书").join(pdf));
    let head = &pages[0].lines[0];
    assert_eq!(head.text, organ, "the 标志 is one line");
    assert!(head.x0 >= LEFT - TOL && head.x1 <= RIGHT + TOL, "inside the 版心: {:.1}–{:.1} mm", head.x0 / MM, head.x1 / MM);
    let middle = (head.x0 + head.x1) / 2.0;
    assert!((middle - (LEFT + RIGHT) / 2.0).abs() <= TOL, "centred: {:.1} mm", middle / MM);
    assert!(pages[0].lines[1].text.starts_with("江财党〔2026〕"), "the 文号 next: {:?}", pages[0].lines[1].text);
}

#[test]
fn build_pdf_never_overwrites_a_pdf_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let signed = out.join("责任书/05-办公室.pdf");
    std::fs::create_dir_all(signed.parent().unwrap()).unwrap();
    std::fs::write(&signed, b"a signed scan").unwrap();
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", out.to_str().unwrap(), "--pdf", "--unit", "办公室"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("--force") && stderr(&o).contains("05-办公室.pdf"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&signed).unwrap(), b"a signed scan");
    assert_eq!(files_under(&out), vec![PathBuf::from("责任书/05-办公室.pdf")]);
}

/// The forms (函告书 with its 回执, 述责述廉表, 考核评分表) as LibreOffice sets them: no header
/// cell wraps, and the nine-column 考核评分表 is on landscape pages.
#[test]
#[ignore = "needs LibreOffice, poppler-utils and the stand-in fonts: bash .ci/fidelity-deps, then cargo test -- --include-ignored"]
fn form_headers_stay_on_one_line_and_the_wide_form_turns_landscape() {
    let missing = missing_tools();
    if !missing.is_empty() {
        unavailable(&missing.join(", "));
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = zeren(&["build", samples().to_str().unwrap(), "-o", out.to_str().unwrap(), "--kind", "函告书", "--kind", "年度报告表"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let forms: Vec<PathBuf> = docx_files(&out.join("函告书")).into_iter().chain(docx_files(&out.join("年度报告表"))).collect();
    assert_eq!(forms.len(), 14, "7 函告书, 2 述责述廉表, 5 考核评分表");
    let pdf_dir = dir.path().join("pdf");
    soffice_to_pdf(&forms, &pdf_dir, &dir.path().join("lo-profile"));
    for docx in &forms {
        let pdf = pdf_dir.join(docx.file_stem().unwrap()).with_extension("pdf");
        let name = docx.file_name().unwrap().to_string_lossy().into_owned();
        let xml = Docx::open(docx).document().to_string();
        // Each cell's text, and whether its row repeats as a header.
        let cells: Vec<(bool, String)> = xml
            .split("<w:tr>")
            .skip(1)
            .flat_map(|row| {
                let header = row.contains("<w:tblHeader/>");
                paragraphs(&format!("<w:tr>{}", row.split("</w:tr>").next().unwrap())).into_iter().map(move |p| (header, p.text))
            })
            .filter(|(_, t)| !t.trim().is_empty())
            .collect();
        assert_eq!(cells.iter().any(|(h, _)| *h), !name.contains("述责述廉表"), "{name}: the tables with a header row");
        let html = run("pdftotext", &["-bbox-layout".as_ref(), pdf.as_os_str(), "-".as_ref()]);
        let lines: Vec<String> = parse_bbox(&String::from_utf8(html).unwrap()).into_iter().flat_map(|p| p.lines).map(|l| l.text).collect();
        // The layout may break a cell between its words (牵头部门 / （牵头人）); each line it set
        // must stay whole in the reader: every header line, and every short line elsewhere
        // (labels, names, dates, numbers; longer text is the reader's to fill).
        for (header, text) in &cells {
            assert!(!*header || text.chars().count() > 4 || !text.contains('\n'), "{name}: a short header “{text}” broken");
            // A date to fill in by hand (　　年　　月　　日) is blanks, not a word.
            let words = text.split('\n').filter(|p| !p.contains('\u{3000}'));
            for part in words.map(squeeze).filter(|p| *header || p.chars().count() <= 8) {
                assert!(lines.iter().any(|l| l.contains(&part)), "{name}: “{part}” wraps in LibreOffice: {lines:?}");
            }
        }
        let info =
            String::from_utf8(run("pdfinfo", &["-f".as_ref(), "1".as_ref(), "-l".as_ref(), "99".as_ref(), pdf.as_os_str()])).unwrap();
        let landscape: Vec<bool> = info
            .lines()
            .filter(|l| l.starts_with("Page") && l.contains(" size: "))
            .map(|l| {
                let size: Vec<f64> = l.split(" size: ").nth(1).unwrap().split_whitespace().filter_map(|w| w.parse().ok()).collect();
                size[0] > size[1]
            })
            .collect();
        assert!(!landscape.is_empty(), "{name}: pdfinfo gave no page sizes:\n{info}");
        let wide = name.ends_with("考核评分表.docx");
        assert!(landscape.iter().all(|&l| l == wide), "{name}: landscape pages {landscape:?}");
        if name.ends_with("述责述廉表.docx") {
            assert_eq!(landscape.len(), 1, "{name}: the sample 述责述廉表 is one sheet to sign");
        }
    }
}
