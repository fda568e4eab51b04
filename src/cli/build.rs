//! `zeren build`: the main job. Documents are rendered in parallel and written into a staging
//! folder as they are done; only when every one succeeded do they land in OUT, with the
//! manifest. One problem anywhere and OUT is left as it was (design, settled 2).

use super::{parse_kind, report, workspace_dir};
use crate::diag::{Place, Problem, Problems};
use crate::layout::Meta;
use crate::markup::Document;
use crate::model::{Kind, UnitType};
use crate::pdf;
use crate::pipeline::{self, Prepared};
use crate::plan::{Job, Selection};
use crate::write::{self, ManifestRow, Staging};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// 工作区文件夹（含 zeren.yaml），默认当前文件夹
    #[arg(value_name = "工作区")]
    pub workspace: Option<PathBuf>,
    /// 输出文件夹，默认为 工作区/out
    #[arg(short = 'o', long = "out", value_name = "输出")]
    pub out: Option<PathBuf>,
    /// 只生成这些种类：responsibility-letter（责任书）…，可重复
    #[arg(short = 'k', long = "kind", value_name = "种类", value_parser = parse_kind)]
    pub kinds: Vec<Kind>,
    /// 只为这些单位生成（与名单中的名称完全一致），可重复
    #[arg(short = 'u', long = "unit", value_name = "单位")]
    pub units: Vec<String>,
    /// 只为这些类别的单位生成：处室、党支部、直属单位，可重复
    #[arg(short = 't', long = "type", value_name = "类别", value_parser = parse_type)]
    pub types: Vec<UnitType>,
    /// 每种文书合成一个打印文件（OUT/责任书.docx…），每份单独一节、从奇数页起、页码从 1 起
    #[arg(long)]
    pub merge: bool,
    /// 另把本次生成的全部文件打成一个 zip（OUT/文书.zip），目录结构相同
    #[arg(long)]
    pub zip: bool,
    /// 只列出将要生成的文件（及将分配的文号），不写任何文件
    #[arg(long)]
    pub dry_run: bool,
    /// 覆盖输出文件夹中已有的同名文件
    #[arg(long)]
    pub force: bool,
    /// 同时用 LibreOffice（soffice）把每份文书转为 PDF，放在 .docx 旁边
    #[arg(long)]
    pub pdf: bool,
    /// 用这个 Excel 名单（xlsx/xls/ods）作为单位名单，代替 data/units.yaml
    #[arg(long, value_name = "名单")]
    pub roster: Option<PathBuf>,
    /// 名单所在的工作表（默认为第一个表头匹配的可见工作表）
    #[arg(long, value_name = "工作表")]
    pub sheet: Option<String>,
}

fn parse_type(s: &str) -> Result<UnitType, String> {
    UnitType::parse(s).ok_or_else(|| format!("未知的单位类别“{s}”；可用：处室、党支部、直属单位"))
}

/// The zip bundle's name in OUT.
pub const BUNDLE: &str = "文书.zip";

/// A document of the run: what was written where, for the manifest.
struct Produced {
    row: ManifestRow,
}

pub fn run(args: BuildArgs) -> u8 {
    let started = Instant::now();
    let root = workspace_dir(args.workspace.clone());
    if !root.is_dir() {
        eprintln!("错误：{}: 工作区文件夹不存在", root.display());
        return 2;
    }
    let out = args.out.clone().unwrap_or_else(|| root.join("out"));
    // Before anything else: finish (or undo) what a killed run left in OUT.
    match if args.dry_run { Ok(None) } else { write::recover(&out) } {
        Ok(note) => note.iter().for_each(|n| eprintln!("{n}")),
        Err(e) => {
            eprintln!("错误：{e}");
            return e.exit_code();
        }
    }
    // Held until the run ends: two builds never hand out the same 文号. A dry run hands none out.
    let lock = if args.dry_run { None } else { write::lock_workspace(&root) };
    // Before any work: a missing LibreOffice is known at once, not after rendering 300 letters.
    let soffice = match args.pdf.then(pdf::find_soffice).transpose() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：{e}");
            return 2;
        }
    };
    let options = crate::load::LoadOptions { roster: args.roster.clone(), sheet: args.sheet.clone() };
    let prepared = match pipeline::prepare(&root, &options) {
        (Some(p), problems) if !problems.has_errors() => {
            report(&problems);
            p
        }
        (_, problems) => {
            report(&problems);
            return 1;
        }
    };
    let selection = Selection { kinds: dedup(args.kinds.clone()), units: args.units.clone(), types: args.types.clone() };
    let jobs = match prepared.plan(&selection) {
        Ok(jobs) => jobs,
        Err(problems) => {
            report(&problems);
            return 1;
        }
    };
    let summary = summary_scheme(&prepared, &jobs);
    let documents: Vec<PathBuf> = if args.merge { merged_targets(&jobs) } else { jobs.iter().map(target).collect() };
    let pdf_targets: Vec<PathBuf> =
        if soffice.is_some() { documents.iter().map(|d| d.with_extension("pdf")).collect() } else { Vec::new() };
    let targets: Vec<PathBuf> = documents
        .iter()
        .cloned()
        .chain(pdf_targets.iter().cloned())
        .chain([PathBuf::from(write::MANIFEST_CSV), PathBuf::from(write::MANIFEST_XLSX)])
        .chain(summary.map(|_| PathBuf::from(write::SUMMARY_XLSX)))
        .chain(args.zip.then(|| PathBuf::from(BUNDLE)))
        .collect();
    let checked = match write::preflight(&out, &targets, args.force) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return e.exit_code();
        }
    };
    if args.dry_run {
        return dry_run(&jobs, &checked, &out);
    }
    let staging = match checked.begin() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：{e}");
            return 1;
        }
    };
    let progress = progress_bar(jobs.len() as u64);
    let produced = build_into(&prepared, &jobs, &staging, args.merge, soffice.as_deref(), &progress);
    progress.finish_and_clear();
    let pdf_pages = match produced {
        Ok(built) => built.pdf_pages,
        Err(problems) => {
            report(&problems);
            return 1; // staging is dropped: OUT is as it was
        }
    };
    let files = documents.len() + pdf_targets.len();
    // New 文号 are recorded before the documents land: a number on paper is always in the ledger.
    let assigned: Vec<_> = jobs.iter().filter_map(|j| j.assigned.clone()).collect();
    if !assigned.is_empty() {
        if lock.is_none() {
            eprintln!("错误：{}: 无法锁定工作区，不能分配新文号（工作区是否只读？）", root.join(write::LOCK).display());
            return 1;
        }
        let mut ledger = prepared.workspace.ledger.clone();
        ledger.numbers.extend(assigned.iter().cloned());
        if let Err(e) = write::atomic_write(&root.join(crate::model::Ledger::FILE), ledger.to_yaml().as_bytes()) {
            eprintln!("错误：{e}");
            return 1;
        }
        for (id, no) in &assigned {
            println!("已分配文号：案件 {id} → {no}（记入 {}）", crate::model::Ledger::FILE);
        }
    }
    let result = if args.zip {
        let bundled: Vec<PathBuf> = targets.iter().filter(|t| t.as_path() != Path::new(BUNDLE)).cloned().collect();
        bundle(&staging, &bundled)
    } else {
        Ok(())
    };
    let committed = match result.and_then(|_| staging.commit()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("错误：{e}");
            return 1;
        }
    };
    print_summary(&jobs, files, pdf_pages, &out, started, args.merge);
    committed.notes().iter().for_each(|n| println!("{n}"));
    0
}

/// The documents of `jobs` staged in `staging` — one .docx each, or with `merge` one print file
/// per kind — with the 考核汇总 beside the 考核评分表, and the manifest (清单.xlsx, manifest.csv).
/// `zeren build` and `zeren serve` both build through here; the caller commits the staging
/// folder, or drops it to leave OUT as it was. Writes nothing else (the 文号 ledger is the
/// caller's business). With `soffice`, each document also gets its PDF, and the manifest its
/// page count.
pub fn build_into(
    prepared: &Prepared,
    jobs: &[Job],
    staging: &Staging,
    merge: bool,
    soffice: Option<&Path>,
    progress: &ProgressBar,
) -> Result<Built, Problems> {
    let mut rows =
        if merge { produce_merged(prepared, jobs, staging, progress)? } else { produce_separate(prepared, jobs, staging, progress)? };
    let mut pdf_pages = None;
    if let Some(soffice) = soffice {
        // A print file has a row per document in it, and one PDF.
        let mut seen = HashSet::new();
        let documents: Vec<PathBuf> = rows.iter().map(|r| PathBuf::from(&r.file)).filter(|f| seen.insert(f.clone())).collect();
        let pages = to_pdf(staging, soffice, &documents).map_err(|e| Problems::from(Problem::error(Place::Nowhere, "build.pdf", e)))?;
        // A total only when every PDF could be counted.
        pdf_pages = pages.values().copied().sum::<Option<u32>>();
        // A print file holds many documents: its pages are not any one row's.
        if !merge {
            for r in &mut rows {
                r.pages = pages.get(Path::new(&r.file)).copied().flatten();
            }
        }
    }
    let failed = |what: &str, e: String| Problems::from(Problem::error(Place::Nowhere, "write.manifest", format!("无法生成{what}：{e}")));
    let d = prepared.workspace.settings.date;
    let stamp = (d.year as u16, d.month as u8, d.day as u8);
    let manifest = write::manifest_xlsx(&rows, stamp).map_err(|e| failed("清单", e.to_string()))?;
    // The 考核汇总 goes with the 考核评分表 of a run.
    if let Some(scheme) = summary_scheme(prepared, jobs) {
        let all = crate::plan::assessments(&prepared.workspace);
        write::summary_xlsx(scheme, &all, stamp)
            .map_err(|e| e.to_string())
            .and_then(|bytes| staging.put(Path::new(write::SUMMARY_XLSX), &bytes).map_err(|e| e.to_string()))
            .map_err(|e| failed(write::SUMMARY_XLSX, e))?;
    }
    staging
        .put(Path::new(write::MANIFEST_CSV), &write::manifest_csv(&rows))
        .and_then(|_| staging.put(Path::new(write::MANIFEST_XLSX), &manifest))
        .map_err(|e| Problems::from(Problem::error(Place::Nowhere, "write.io", e.to_string())))?;
    Ok(Built { rows, pdf_pages })
}

/// What `build_into` staged.
pub struct Built {
    pub rows: Vec<ManifestRow>,
    /// Pages of all the PDFs, when they were made.
    pub pdf_pages: Option<u32>,
}

/// The scheme whose 考核汇总 a run writes: there is one when the run has 考核评分表.
fn summary_scheme<'a>(prepared: &'a Prepared, jobs: &[Job]) -> Option<&'a crate::model::Scheme> {
    jobs.iter().any(|j| j.template == Kind::ASSESSMENT_TEMPLATE).then_some(prepared.workspace.scheme.as_ref()).flatten()
}

/// One .docx per document, laid out in parallel and written as each is done: memory holds the
/// documents in flight, not the run.
fn produce_separate(prepared: &Prepared, jobs: &[Job], staging: &Staging, progress: &ProgressBar) -> Result<Vec<ManifestRow>, Problems> {
    let problems = Mutex::new(Problems::new());
    let results: Vec<Option<Produced>> = jobs
        .par_iter()
        .map(|job| {
            let produced =
                prepared.document(job).and_then(|doc| prepared.docx(std::slice::from_ref(&doc)).map_err(|p| vec![p])).and_then(|bytes| {
                    let rel = target(job);
                    staging
                        .put(&rel, &bytes)
                        .map(|digest| Produced { row: row(job, &rel, digest.to_string()) })
                        .map_err(|e| vec![Problem::error(Place::Nowhere, "write.io", e.to_string())])
                });
            progress.inc(1);
            match produced {
                Ok(p) => Some(p),
                Err(found) => {
                    problems.lock().unwrap_or_else(|e| e.into_inner()).0.extend(found);
                    None
                }
            }
        })
        .collect();
    finish(problems.into_inner().unwrap_or_else(|e| e.into_inner()), results)
}

/// The same template fault repeats for every unit: say it once; a full disk fails every writer:
/// name the first file, count the rest. And keep the run's order.
fn finish(problems: Problems, results: Vec<Option<Produced>>) -> Result<Vec<ManifestRow>, Problems> {
    if problems.has_errors() {
        let mut seen = HashSet::new();
        let mut unique = Problems::new();
        let mut unwritten = 0;
        for p in problems.0 {
            if p.code == "write.io" && unique.0.iter().any(|u| u.code == "write.io") {
                unwritten += 1;
            } else if seen.insert((p.place.clone(), p.message.clone())) {
                unique.push(p);
            }
        }
        if let Some(first) = unique.0.iter_mut().find(|p| p.code == "write.io").filter(|_| unwritten > 0) {
            first.message.push_str(&format!("（另有 {unwritten} 个文件同样未能写入）"));
        }
        return Err(unique);
    }
    Ok(results.into_iter().flatten().map(|p| p.row).collect())
}

/// How many documents are laid out at once for a print file: enough for both cores, few enough
/// that memory stays flat however long the roster.
const CHUNK: usize = 64;

/// `--merge`: one print file per kind, each document its own section, streamed into the file in
/// roster order while the next chunk is laid out.
fn produce_merged(prepared: &Prepared, jobs: &[Job], staging: &Staging, progress: &ProgressBar) -> Result<Vec<ManifestRow>, Problems> {
    let mut rows = Vec::new();
    for (kind, rel) in merged_kinds(jobs) {
        let of_kind: Vec<&Job> = jobs.iter().filter(|j| j.kind == kind).collect();
        let problems = Mutex::new(Problems::new());
        let n = of_kind.len();
        let meta = Meta {
            title: format!("{}合订本（{}份）", kind.chinese(), n),
            creator: prepared.workspace.settings.organ.clone(),
            date: prepared.workspace.settings.date.iso(),
        };
        let written = staging.put_with(&rel, |file| {
            let out = std::io::BufWriter::new(file);
            let result = prepared.layout.print_file(out, &meta, |emit| {
                for (c, chunk) in of_kind.chunks(CHUNK).enumerate() {
                    let sections: Vec<Option<crate::layout::Section>> = chunk
                        .par_iter()
                        .enumerate()
                        .map(|(i, job)| {
                            let index = c * CHUNK + i;
                            let laid = prepared.document(job).and_then(|doc: Document| {
                                prepared
                                    .layout
                                    .section(&doc, index == 0, index + 1 == n)
                                    .map_err(|e| vec![Problem::error(Place::Nowhere, "layout.internal", e.to_string())])
                            });
                            progress.inc(1);
                            laid.map_err(|found| problems.lock().unwrap_or_else(|e| e.into_inner()).0.extend(found)).ok()
                        })
                        .collect();
                    if problems.lock().unwrap_or_else(|e| e.into_inner()).has_errors() {
                        return Err(std::io::Error::other("stop"));
                    }
                    for s in sections.into_iter().flatten() {
                        emit(s)?;
                    }
                }
                Ok(())
            });
            let mut out = result.map_err(|e| std::io::Error::other(e.to_string()))?;
            out.flush()
        });
        let problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());
        if problems.has_errors() {
            return finish(problems, Vec::new());
        }
        let digest = written.map_err(|e| Problems::from(Problem::error(Place::Nowhere, "write.io", e.to_string())))?.to_string();
        rows.extend(of_kind.iter().map(|job| row(job, &rel, digest.clone())));
    }
    Ok(rows)
}

fn row(job: &Job, rel: &Path, sha256: String) -> ManifestRow {
    ManifestRow {
        kind: job.kind.chinese().to_string(),
        recipient: job.recipient.clone(),
        doc_no: job.doc_no.as_ref().map(ToString::to_string).unwrap_or_default(),
        file: rel.to_string_lossy().replace('\\', "/"),
        sha256,
        pages: None,
    }
}

/// Kinds of the run in order, each with its print file `OUT/责任书.docx`.
fn merged_kinds(jobs: &[Job]) -> Vec<(Kind, PathBuf)> {
    let mut kinds: Vec<Kind> = Vec::new();
    for j in jobs {
        if !kinds.contains(&j.kind) {
            kinds.push(j.kind);
        }
    }
    kinds.into_iter().map(|k| (k, PathBuf::from(format!("{}.docx", k.chinese())))).collect()
}

fn merged_targets(jobs: &[Job]) -> Vec<PathBuf> {
    merged_kinds(jobs).into_iter().map(|(_, p)| p).collect()
}

/// `--zip`: the run's files in one archive with the same tree.
fn bundle(staging: &Staging, files: &[PathBuf]) -> Result<(), write::WriteError> {
    let base = staging.path(Path::new(""));
    staging.put_with(Path::new(BUNDLE), |file| zip_files(&base, files, std::io::BufWriter::new(file))?.flush()).map(|_| ())
}

/// `files` (relative to `base`) in one zip with the same tree, `/`-separated. The .docx inside
/// are stored, not deflated again: they are zips already. Also the zip `zeren serve` answers with.
pub fn zip_files<W: Write + std::io::Seek>(base: &Path, files: &[PathBuf], out: W) -> std::io::Result<W> {
    let mut zip = zip::ZipWriter::new(out);
    for rel in files {
        let stored = rel.extension().is_some_and(|e| e == "docx" || e == "xlsx" || e == "pdf");
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(if stored { zip::CompressionMethod::Stored } else { zip::CompressionMethod::Deflated })
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        zip.start_file(rel.to_string_lossy().replace('\\', "/"), options).map_err(std::io::Error::other)?;
        std::io::copy(&mut std::fs::File::open(base.join(rel))?, &mut zip)?;
    }
    zip.finish().map_err(std::io::Error::other)
}

/// `--dry-run`: what would be written, replaced, removed and kept, and which 文号 would be
/// assigned; nothing is written.
fn dry_run(jobs: &[Job], checked: &write::Preflight, out: &Path) -> u8 {
    println!("将写入 {}（未写任何文件）：", out.display());
    print!("{}", checked.describe());
    for j in jobs.iter().filter(|j| j.assigned.is_some()) {
        if let Some((id, no)) = &j.assigned {
            println!("将分配文号：案件 {id} → {no}");
        }
    }
    println!("共 {} 份文书。", jobs.len());
    match checked.blocked() {
        Some(e) => {
            eprintln!("错误：{e}");
            1
        }
        None => 0,
    }
}

/// A progress bar on a terminal; nothing on a pipe or in CI.
fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} 份 {per_sec} 剩余 {eta}") {
        bar.set_style(style);
    }
    bar
}

/// `--pdf`: converts the staged .docx files, one soffice run per folder (file names repeat
/// across kinds), and stages each PDF beside its .docx. Answers each .docx's page count.
fn to_pdf(staging: &Staging, soffice: &Path, docx: &[PathBuf]) -> Result<HashMap<PathBuf, Option<u32>>, String> {
    let mut pages = HashMap::new();
    eprintln!("正在用 LibreOffice 把 {} 份文书转为 PDF……", docx.len());
    let mut folders: Vec<&Path> = Vec::new();
    for f in docx.iter().map(|d| d.parent().unwrap_or(Path::new(""))) {
        if !folders.contains(&f) {
            folders.push(f);
        }
    }
    for (i, folder) in folders.iter().enumerate() {
        let group: Vec<&PathBuf> = docx.iter().filter(|d| d.parent().unwrap_or(Path::new("")) == *folder).collect();
        let staged: Vec<PathBuf> = group.iter().map(|d| staging.path(d)).collect();
        let out_dir = staging.path(Path::new(&format!(".pdf-{i}")));
        let pdfs = pdf::convert(soffice, &staged, &out_dir, &staging.path(Path::new(".lo-profile"))).map_err(|e| e.to_string())?;
        for (rel, made) in group.iter().zip(pdfs) {
            let bytes = std::fs::read(&made).map_err(|e| format!("{}: {e}", made.display()))?;
            staging.put(&rel.with_extension("pdf"), &bytes).map_err(|e| e.to_string())?;
            pages.insert((*rel).clone(), pdf::page_count(&bytes));
        }
    }
    Ok(pages)
}

/// `责任书/01-办公室.docx`, relative to OUT.
fn target(job: &Job) -> PathBuf {
    Path::new(job.kind.chinese()).join(write::file_name(job.seq, job.of, &job.file_stem))
}

fn dedup(kinds: Vec<Kind>) -> Vec<Kind> {
    let mut seen = HashSet::new();
    kinds.into_iter().filter(|k| seen.insert(*k)).collect()
}

fn print_summary(jobs: &[Job], files: usize, pdf_pages: Option<u32>, out: &Path, started: Instant, merged: bool) {
    let mut kinds: Vec<(Kind, usize)> = Vec::new();
    for job in jobs {
        match kinds.iter_mut().find(|(k, _)| *k == job.kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((job.kind, 1)),
        }
    }
    let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n} 份")).collect();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "已生成 {}{}，共 {} 个文件{} → {}（清单：{}、{}；用时 {:.2} 秒，{:.0} 份/秒）",
        parts.join("、"),
        if merged { "（合订）" } else { "" },
        files,
        pdf_pages.map(|n| format!("（PDF 共 {n} 页）")).unwrap_or_default(),
        out.display(),
        write::MANIFEST_XLSX,
        write::MANIFEST_CSV,
        secs,
        jobs.len() as f64 / secs.max(1e-9)
    );
}
