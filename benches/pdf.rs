//! `cargo bench --bench pdf`: zeren's own PDF against LibreOffice's, on the same documents, in
//! one run — documents per second each. zeren: every sample document drawn (render and markup
//! done before the clock), on all cores as `build --pdf` does. LibreOffice: the same documents'
//! .docx converted by one `soffice` process (its start-up included: that is what `--pdf` cost);
//! skipped, and said so, where soffice is not installed.
//!
//! `ZEREN_BENCH_PDF_DOCS` sets how many documents zeren draws (the samples repeated; default
//! 2,000), `ZEREN_BENCH_LO_DOCS` how many LibreOffice converts (default 42, the samples once).

use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;
use zeren::markup::Document;
use zeren::model::Kind;
use zeren::pdf::{PdfMeta, PdfWriter, Shared};
use zeren::plan::Selection;
use zeren::site::{Access, Site};

fn count(var: &str, default: usize) -> usize {
    std::env::var(var).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let (site, _) = Site::open(&samples, &Default::default(), Access::ReadOnly);
    let site = site.expect("samples load");
    let jobs = site.plan(&Selection::default()).expect("plan");
    let docs: Vec<Document> = jobs.iter().map(|j| site.document(j).expect("sample renders")).collect();
    let started = Instant::now();
    let writer = PdfWriter::new(&site.layout.style, None).expect("a CJK face");
    println!("fonts found in {:.0} ms — {}", started.elapsed().as_secs_f64() * 1e3, writer.faces.report().0);

    let n = count("ZEREN_BENCH_PDF_DOCS", 2000);
    // The page model and the marks alone: what drawing costs beside them.
    let started = Instant::now();
    let marks: usize = (0..n).into_par_iter().map(|i| zeren::pdf::paint::sheets(&docs[i % docs.len()], &writer.style).len()).sum();
    let paint = started.elapsed().as_secs_f64();
    println!("page model and marks alone: {marks} pages in {paint:.2} s = {:.0} documents/s", n as f64 / paint);
    // Each kind's shared subsets, from its first documents, as `build --pdf` makes them.
    let started = Instant::now();
    let mut shared: HashMap<Kind, Shared> = HashMap::new();
    for (i, job) in jobs.iter().enumerate() {
        if !shared.contains_key(&job.kind()) {
            let sample: Vec<Document> = (i..jobs.len())
                .filter(|k| jobs[*k].kind() == job.kind())
                .take(zeren::pdf::shared::SAMPLE)
                .map(|k| docs[k].clone())
                .collect();
            shared.insert(job.kind(), writer.share(&sample));
        }
    }
    let chars: usize = shared.values().map(Shared::len).sum();
    println!("shared subsets of {} kinds ({chars} characters) made in {:.0} ms", shared.len(), started.elapsed().as_secs_f64() * 1e3);
    let meta = PdfMeta { title: "标题".into(), author: "机关".into(), date: Some((2026, 1, 5)) };
    let started = Instant::now();
    let (bytes, pages) = (0..n)
        .into_par_iter()
        .map(|i| {
            let pdf = writer.document(&docs[i % docs.len()], &meta, &shared[&jobs[i % docs.len()].kind()]).expect("draws");
            (pdf.bytes.len(), pdf.pages as usize)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let secs = started.elapsed().as_secs_f64();
    let zeren_rate = n as f64 / secs;
    println!(
        "zeren PDF: {n} documents ({pages} pages, {:.1} MB) in {secs:.2} s on {} threads = {zeren_rate:.0} documents/s",
        bytes as f64 / 1e6,
        rayon::current_num_threads()
    );

    // 责任书 alone, the measure (10,000 of them in a few seconds).
    let letters: Vec<&Document> = docs.iter().zip(&jobs).filter(|(_, j)| j.kind() == Kind::ResponsibilityLetter).map(|(d, _)| d).collect();
    if let Some(shared) = shared.get(&Kind::ResponsibilityLetter) {
        let started = Instant::now();
        let (bytes, pages) = (0..n)
            .into_par_iter()
            .map(|i| {
                let pdf = writer.document(letters[i % letters.len()], &meta, shared).expect("draws");
                (pdf.bytes.len(), pdf.pages as usize)
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        let secs = started.elapsed().as_secs_f64();
        println!(
            "zeren PDF, 责任书 alone: {n} documents ({pages} pages, {:.1} MB) in {secs:.2} s = {:.0} documents/s (10,000 in {:.1} s)",
            bytes as f64 / 1e6,
            n as f64 / secs,
            10_000.0 * secs / n as f64
        );
    }

    let Ok(soffice) = zeren::pdf::find_soffice() else {
        println!("LibreOffice: not installed (no soffice), skipped");
        return;
    };
    let m = count("ZEREN_BENCH_LO_DOCS", docs.len());
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut files = Vec::new();
    for i in 0..m {
        let path = tmp.path().join(format!("{i:05}.docx"));
        std::fs::write(&path, site.docx(std::slice::from_ref(&docs[i % docs.len()])).expect("docx")).expect("write docx");
        files.push(path);
    }
    let out = tmp.path().join("pdf");
    let started = Instant::now();
    zeren::pdf::convert(&soffice, &files, &out, &tmp.path().join("profile")).expect("soffice converts");
    let secs = started.elapsed().as_secs_f64();
    let lo_rate = m as f64 / secs;
    println!("LibreOffice PDF: {m} documents in {secs:.2} s = {lo_rate:.1} documents/s");
    println!("zeren is {:.0}× LibreOffice's rate", zeren_rate / lo_rate);
}
