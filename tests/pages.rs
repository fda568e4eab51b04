//! Pages as printed: every sample document and every print file is set by LibreOffice (the free
//! stand-in fonts of `tests/fonts`) and read back page by page with `pdftotext -layout`, then
//! held to zeren's own page model (`layout::pages`): the same number of pages, each line of
//! text on the page and in the line the model puts it, every signing row on one line, the
//! signing block never alone on its page, each 版记 on its own document's last page.
//!
//! Needs soffice and poppler-utils (`bash .ci/fidelity-deps`); `#[ignore]`d like fidelity.rs.

mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use zeren::layout::pages::{self, Kind, Pages};
use zeren::markup::Document;

struct Built {
    _tmp: tempfile::TempDir,
    /// Each document: its file, its page model.
    docs: Vec<(PathBuf, Document, Pages)>,
    /// Each print file: its file and the models of its documents in order.
    merged: Vec<(PathBuf, Vec<Pages>)>,
    pdf: PathBuf,
}

fn build() -> Built {
    let (tmp, ws) = sample_copy();
    let out = tmp.path().join("out");
    let merged_out = tmp.path().join("merged");
    for (dir, extra) in [(&out, None), (&merged_out, Some("--merge"))] {
        let mut args = vec!["build", ws.to_str().unwrap(), "-o", dir.to_str().unwrap()];
        args.extend(extra);
        let o = zeren(&args);
        assert!(o.status.success(), "build: {}", stderr(&o));
    }
    let options = zeren::load::LoadOptions::default();
    let (site, problems) = zeren::site::Site::open(&ws, &options, zeren::site::Access::ReadOnly);
    let site = site.unwrap_or_else(|| panic!("{problems:?}"));
    let jobs = site.plan(&zeren::plan::Selection::default()).expect("plan");
    let style = &site.layout.style;
    let mut docs = Vec::new();
    let mut by_kind: Vec<(String, Vec<Pages>)> = Vec::new();
    for job in &jobs {
        let doc = site.document(job).expect("document");
        let model = pages::paginate(&doc, style);
        let kind = job.kind().chinese().to_string();
        match by_kind.last_mut() {
            Some((k, list)) if *k == kind => list.push(model.clone()),
            _ => by_kind.push((kind, vec![model.clone()])),
        }
        docs.push((out.join(zeren::site::bundle::target(job)), doc, model));
    }
    let merged = by_kind.into_iter().map(|(k, list)| (merged_out.join(format!("{k}.docx")), list)).collect::<Vec<_>>();
    let pdf = tmp.path().join("pdf");
    let files: Vec<&Path> = docs.iter().map(|(f, ..)| f.as_path()).chain(merged.iter().map(|(f, _)| f.as_path())).collect();
    soffice(&files, &pdf, &tmp.path().join("profile"));
    Built { _tmp: tmp, docs, merged, pdf }
}

fn soffice(files: &[&Path], out: &Path, profile: &Path) {
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fonts/fonts.conf");
    let o = Command::new("soffice")
        .env("FONTCONFIG_FILE", fonts)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        // As `--pdf` converts: the blank pages before an odd start are kept.
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            r#"pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}"#,
            "--outdir",
        ])
        .arg(out)
        .args(files)
        .stdin(Stdio::null())
        .output()
        .expect("soffice (LibreOffice) must be installed: bash .ci/fidelity-deps");
    assert!(o.status.success(), "soffice: {}", String::from_utf8_lossy(&o.stderr));
}

/// The PDF's pages, each its lines of text with all white space taken out.
fn pdf_pages(pdf: &Path) -> Vec<Vec<String>> {
    let o = Command::new("pdftotext").arg("-layout").arg(pdf).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&o.stdout);
    let mut pages: Vec<Vec<String>> = text.split('\u{c}').map(|p| p.lines().map(squeeze).filter(|l| !l.is_empty()).collect()).collect();
    if pages.last().is_some_and(Vec::is_empty) {
        pages.pop();
    }
    pages
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace() && *c != '_').collect()
}

fn pdf_of(b: &Built, docx: &Path) -> PathBuf {
    b.pdf.join(docx.file_stem().unwrap()).with_extension("pdf")
}

/// Where the model and LibreOffice part, for one document's pages in `got` from `first`.
fn compare(name: &str, model: &Pages, got: &[Vec<String>], first: usize, problems: &mut Vec<String>, latin: &mut Vec<String>) {
    for (p, page) in model.pages.iter().enumerate() {
        let Some(printed) = got.get(first + p) else {
            problems.push(format!("{name}: the model has page {}, LibreOffice stops before it", p + 1));
            return;
        };
        for line in page.lines.iter().filter(|l| matches!(l.kind, Kind::Text | Kind::Title | Kind::Signing)) {
            let want = squeeze(&line.text);
            if want.is_empty() {
                continue;
            }
            if printed.iter().any(|l| *l == want) {
                continue;
            }
            let at = format!("{name} p{} “{}”", p + 1, line.text);
            match line.kind {
                Kind::Signing => problems.push(format!("{at}: a signing row not set as one line")),
                _ if line.text.chars().any(|c| c.is_ascii_alphanumeric()) => latin.push(at),
                _ => problems.push(format!("{at}: not a line of this page in LibreOffice")),
            }
        }
    }
}

#[test]
#[ignore = "needs LibreOffice, poppler-utils and the stand-in fonts: bash .ci/fidelity-deps, then cargo test -- --include-ignored"]
fn libreoffice_sets_lines_and_pages_as_the_page_model_except_lines_with_latin_text() {
    let b = build();
    let mut problems = Vec::new();
    let mut latin = Vec::new();
    let mut lines = 0;
    for (docx, doc, model) in &b.docs {
        let name = docx.file_name().unwrap().to_string_lossy().into_owned();
        let got = pdf_pages(&pdf_of(&b, docx));
        if got.len() != model.count() {
            problems.push(format!("{name}: {} pages in LibreOffice, {} in the model", got.len(), model.count()));
        }
        compare(&name, model, &got, 0, &mut problems, &mut latin);
        lines += model.pages.iter().map(|p| p.lines.len()).sum::<usize>();
        if let Some(i) = pages::lone_signing(model, doc) {
            problems.push(format!("{name}: the model has the signing block (block {i}) alone on a page"));
        }
        // The signing block: not alone on its page in LibreOffice either.
        let opens = |l: &String| l.starts_with("甲方") || l.starts_with("考核组：");
        if let Some(p) = got.iter().position(|l| l.iter().any(opens)) {
            if p > 0 && got[p].iter().position(opens) == Some(0) {
                problems.push(format!("{name}: the signing block stands alone on page {}", p + 1));
            }
        }
        // The 版记 on the last page.
        if doc.text().contains("印发") {
            let last = got.last().expect("a page");
            if !last.iter().any(|l| l.ends_with("印发")) {
                problems.push(format!("{name}: the 版记 is not on the last page"));
            }
        }
    }
    for (docx, models) in &b.merged {
        let name = docx.file_name().unwrap().to_string_lossy().into_owned();
        let got = pdf_pages(&pdf_of(&b, docx));
        let mut first = 0;
        for (k, model) in models.iter().enumerate() {
            let at = format!("{name} document {}", k + 1);
            if first % 2 != 0 {
                problems.push(format!("{at} starts on page {}, an even page", first + 1));
            }
            compare(&at, model, &got, first, &mut problems, &mut latin);
            let end = first + model.count();
            let imprints = got[first.min(got.len())..end.min(got.len())].iter().filter(|p| p.iter().any(|l| l.ends_with("印发"))).count();
            if models.iter().any(|m| m.pages.iter().any(|p| p.lines.iter().any(|l| l.kind == Kind::Imprint))) {
                if imprints > 1 {
                    problems.push(format!("{at}: two 版记 on its pages"));
                }
                let has = model.pages.iter().any(|p| p.lines.iter().any(|l| l.kind == Kind::Imprint));
                if has && !got.get(end - 1).is_some_and(|last| last.iter().any(|l| l.ends_with("印发"))) {
                    problems.push(format!("{at}: its 版记 is not on its last page {end}"));
                }
            }
            first = end + end % 2;
        }
        if got.len() + 1 < first || got.len() > first {
            problems.push(format!("{name}: {} pages in LibreOffice, {first} in the model", got.len()));
        }
    }
    eprintln!("pages: {lines} lines of {} documents compared; {} lines with Latin text set otherwise:", b.docs.len(), latin.len());
    for l in &latin {
        eprintln!("  {l}");
    }
    assert!(problems.is_empty(), "LibreOffice and the page model differ:\n{}", problems.join("\n"));
}
