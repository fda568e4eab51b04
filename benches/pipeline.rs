//! `cargo bench --bench pipeline`: wall-clock figures for the README (not a timed test).
//! - `check` on the samples must stay well under 1 s so it can run on every commit;
//! - per document, where the time goes, stage by stage: render (Tera), markup (parse), layout
//!   (word/document.xml), zip (the package), write (SHA-256 and the file, to tmpfs where there
//!   is one) — for the samples' 责任书 (the letter of the bulk benchmark) and for every kind.
//!
//! Plain `std::time` loops on one thread: each figure is the median of several rounds.

use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::{Duration, Instant};
use zeren::cli::check;
use zeren::layout::{Meta, Place, body};
use zeren::model::Kind;
use zeren::plan::{Job, Selection};
use zeren::site::{Access, Site};

const ROUNDS: usize = 15;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

/// Median per-document time of each stage over `jobs`, in µs.
fn stages(prepared: &Site, jobs: &[&Job], scratch: &Path) -> [f64; 5] {
    let per = |d: Duration| d.as_secs_f64() * 1e6 / jobs.len() as f64;
    let render = time(ROUNDS, || jobs.iter().map(|j| prepared.templates.render(j.form.template(), &j.view).unwrap().len()).sum::<usize>());
    let texts: Vec<String> = jobs.iter().map(|j| prepared.templates.render(j.form.template(), &j.view).unwrap()).collect();
    let parse = time(ROUNDS, || texts.iter().map(|t| zeren::markup::parse(t).unwrap().blocks.len()).sum::<usize>());
    let docs: Vec<_> = texts.iter().map(|t| zeren::markup::parse(t).unwrap()).collect();
    let style = &prepared.layout.style;
    let only = Place { first: true, last: true };
    let document_xml = |d| {
        let mut xml = String::with_capacity(32 * 1024);
        body::document(&mut xml, d, style, only);
        xml
    };
    let layout = time(ROUNDS, || docs.iter().map(|d| document_xml(d).len()).sum::<usize>());
    let xmls: Vec<String> = docs.iter().map(document_xml).collect();
    let fixed = zeren::layout::FixedParts::new(style);
    let meta = Meta { title: "标题".into(), creator: "机关".into(), date: "2026-01-05".into() };
    let zip = time(ROUNDS, || xmls.iter().map(|x| zeren::layout::package::zip(&fixed, x.as_bytes(), &meta).unwrap().len()).sum::<usize>());
    let packages: Vec<Vec<u8>> = xmls.iter().map(|x| zeren::layout::package::zip(&fixed, x.as_bytes(), &meta).unwrap()).collect();
    let staging = zeren::write::Staging::begin(scratch).unwrap();
    // Staging never overwrites a file it holds: each round writes names of its own.
    let round = std::cell::Cell::new(0);
    let write = time(ROUNDS, || {
        round.set(round.get() + 1);
        for (i, bytes) in packages.iter().enumerate() {
            std::hint::black_box(Sha256::digest(bytes));
            staging.put(Path::new(&format!("{}-{i}.docx", round.get())), bytes).unwrap();
        }
    });
    drop(staging);
    [per(render), per(parse), per(layout), per(zip), per(write)]
}

fn main() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let all = Selection::default();

    let request = zeren::site::Request::new(&samples, zeren::site::Door::Check);
    let d = time(ROUNDS, || check::check(&request));
    let outcome = check::check(&request);
    assert_eq!(outcome.problems.0.iter().filter(|p| p.is_error()).count(), 0);
    println!("check samples ({} documents): {:.1} ms (median of {ROUNDS}; goal < 1000 ms)", outcome.documents, d.as_secs_f64() * 1e3);

    let open = || Site::open(&samples, &Default::default(), Access::ReadOnly);
    let (prepared, _) = open();
    let prepared = prepared.expect("samples load");
    let load = time(ROUNDS, open);
    println!("load + compile templates: {:.1} ms", load.as_secs_f64() * 1e3);

    let jobs = prepared.plan(&all).expect("plan");
    let letters: Vec<&Job> = jobs.iter().filter(|j| j.kind() == Kind::ResponsibilityLetter).collect();
    let every: Vec<&Job> = jobs.iter().collect();
    let tmp = if Path::new("/dev/shm").is_dir() { std::path::PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    let scratch = tmp.join(format!("zeren-pipeline-{}", std::process::id()));
    println!("per document (µs, median of {ROUNDS} rounds, one thread): render / markup / layout / zip / write (to {})", tmp.display());
    for (what, set) in [("责任书", &letters), ("all kinds", &every)] {
        let [render, markup, layout, zip, write] = stages(&prepared, set, &scratch);
        let total = render + markup + layout + zip + write;
        println!("  {what} ({} documents): {render:.0} / {markup:.0} / {layout:.0} / {zip:.0} / {write:.0}  = {total:.0} µs", set.len());
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
