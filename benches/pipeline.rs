//! `cargo bench`: wall-clock figures for the README (not a timed test).
//! - `check` on the samples must stay well under 1 s so it can run on every commit;
//! - one sample build, per document, to see where a document's time goes as kinds are added.
//! Plain `std::time` loops: each figure is the median of several runs.

use std::path::Path;
use std::time::{Duration, Instant};
use zeren::cli::check;
use zeren::plan::Selection;

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

fn main() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let all = Selection::default();

    let d = time(15, || check::check(&samples, &all, &Default::default()));
    let outcome = check::check(&samples, &all, &Default::default());
    assert_eq!(outcome.problems.0.iter().filter(|p| p.is_error()).count(), 0);
    println!("check samples ({} documents): {:.1} ms (median of 15; goal < 1000 ms)", outcome.documents, d.as_secs_f64() * 1e3);

    // Stage by stage, per document, on the samples.
    let open = || zeren::build::Site::open(&samples, &Default::default(), zeren::build::Access::ReadOnly);
    let (prepared, _) = open();
    let prepared = prepared.expect("samples load");
    let jobs = prepared.plan(&all).expect("plan");
    let per = |d: Duration| d.as_secs_f64() * 1e6 / jobs.len() as f64;
    let load = time(15, open);
    let render = time(15, || jobs.iter().map(|j| prepared.templates.render(j.form.template(), &j.view).unwrap().len()).sum::<usize>());
    let texts: Vec<String> = jobs.iter().map(|j| prepared.templates.render(j.form.template(), &j.view).unwrap()).collect();
    let parse = time(15, || texts.iter().map(|t| zeren::markup::parse(t).unwrap().blocks.len()).sum::<usize>());
    let docs: Vec<_> = texts.iter().map(|t| zeren::markup::parse(t).unwrap()).collect();
    let layout = time(15, || docs.iter().map(|d| prepared.docx(std::slice::from_ref(d)).unwrap().len()).sum::<usize>());
    println!("load + compile templates: {:.1} ms", load.as_secs_f64() * 1e3);
    println!("per document: render {:.0} µs, markup {:.0} µs, layout+zip {:.0} µs", per(render), per(parse), per(layout));

    // Layout split: docx-rs body, schema pass, packaging.
    let style = zeren::layout::Style::gbt9704();
    let built = time(15, || {
        docs.iter().map(|d| zeren::layout::body::build(std::slice::from_ref(d), &style).0.build().document.len()).sum::<usize>()
    });
    let xmls: Vec<_> = docs
        .iter()
        .map(|d| {
            let (docx, fix) = zeren::layout::body::build(std::slice::from_ref(d), &style);
            (docx.build().document, fix)
        })
        .collect();
    let norm = time(15, || xmls.iter().map(|(x, f)| zeren::layout::schema::normalize(x, f).unwrap().len()).sum::<usize>());
    let fixed = zeren::layout::FixedParts::new(&style);
    let normalized: Vec<Vec<u8>> = xmls.iter().map(|(x, f)| zeren::layout::schema::normalize(x, f).unwrap()).collect();
    let meta = zeren::layout::Meta::default();
    let zip = time(15, || normalized.iter().map(|x| zeren::layout::package::zip(&fixed, x, &meta).unwrap().len()).sum::<usize>());
    println!("layout split per document: docx-rs {:.0} µs, schema pass {:.0} µs, zip {:.0} µs", per(built), per(norm), per(zip));
}

/// Where a document's layout time goes: docx-rs, schema pass, zip.
#[allow(dead_code)]
pub fn layout_split() {}
