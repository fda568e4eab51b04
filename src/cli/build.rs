//! `zeren build`: the main job. Every document is produced before anything lands in OUT; one
//! problem anywhere and OUT is left as it was.

use super::{parse_kind, report, workspace_dir};
use crate::diag::{Problem, Problems};
use crate::model::Kind;
use crate::pdf;
use crate::pipeline;
use crate::plan::{Job, Selection};
use crate::write::{self, ManifestRow, Staging};
use clap::Args;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
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
    /// 覆盖输出文件夹中已有的同名文件
    #[arg(long)]
    pub force: bool,
    /// 同时用 LibreOffice（soffice）把每份文书转为 PDF，放在 .docx 旁边
    #[arg(long)]
    pub pdf: bool,
}

pub fn run(args: BuildArgs) -> u8 {
    let started = Instant::now();
    let root = workspace_dir(args.workspace);
    if !root.is_dir() {
        eprintln!("错误：{}: 工作区文件夹不存在", root.display());
        return 2;
    }
    let out = args.out.unwrap_or_else(|| root.join("out"));
    // Held until the run ends: two builds never hand out the same 文号.
    let lock = write::lock_workspace(&root);
    // Before any work: a missing LibreOffice is known at once, not after rendering 300 letters.
    let soffice = match args.pdf.then(pdf::find_soffice).transpose() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：{e}");
            return 2;
        }
    };
    let prepared = match pipeline::prepare(&root) {
        (Some(p), problems) if !problems.has_errors() => {
            report(&problems);
            p
        }
        (_, problems) => {
            report(&problems);
            return 1;
        }
    };
    let selection = Selection { kinds: dedup(args.kinds), units: args.units };
    let jobs = match prepared.plan(&selection) {
        Ok(jobs) => jobs,
        Err(problems) => {
            report(&problems);
            return 1;
        }
    };
    // The 考核汇总 goes with the 考核评分表 of a run.
    let summary = jobs
        .iter()
        .any(|j| j.template == Kind::ASSESSMENT_TEMPLATE)
        .then(|| prepared.workspace.scheme.as_ref())
        .flatten();
    let pdf_targets: Vec<PathBuf> =
        if soffice.is_some() { jobs.iter().map(|j| target(j).with_extension("pdf")).collect() } else { Vec::new() };
    let targets: Vec<PathBuf> = jobs
        .iter()
        .map(target)
        .chain(pdf_targets)
        .chain([PathBuf::from(write::MANIFEST_CSV), PathBuf::from(write::MANIFEST_XLSX)])
        .chain(summary.map(|_| PathBuf::from(write::SUMMARY_XLSX)))
        .collect();
    if let Err(e) = write::preflight(&out, &targets, args.force) {
        eprintln!("错误：{e}");
        return match e {
            write::WriteError::NotADirectory(_) => 2,
            _ => 1,
        };
    }

    let mut staging = match Staging::begin(&out) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：{e}");
            return 1;
        }
    };
    let mut problems = Problems::new();
    let mut seen_problems = HashSet::new();
    let mut rows = Vec::with_capacity(jobs.len());
    for job in &jobs {
        let produced = prepared.document(job).and_then(|doc| prepared.docx(std::slice::from_ref(&doc)).map_err(|p| vec![p]));
        match produced {
            Ok(bytes) => {
                let rel = target(job);
                if let Err(e) = staging.put(&rel, &bytes) {
                    eprintln!("错误：{e}");
                    return 1;
                }
                rows.push(ManifestRow {
                    kind: job.kind.chinese().to_string(),
                    recipient: job.recipient.clone(),
                    doc_no: job.doc_no.as_ref().map(ToString::to_string).unwrap_or_default(),
                    file: rel.to_string_lossy().replace('\\', "/"),
                    sha256: hex(&Sha256::digest(&bytes)),
                });
            }
            // The same template fault repeats for every unit: say it once.
            Err(found) => {
                for p in found {
                    if seen_problems.insert((p.place.clone(), p.message.clone())) {
                        problems.push(p);
                    }
                }
            }
        }
    }
    if problems.has_errors() {
        report(&problems);
        return 1; // staging is dropped: OUT is as it was
    }
    let mut files = jobs.len();
    if let Some(soffice) = &soffice {
        let docx: Vec<PathBuf> = jobs.iter().map(target).collect();
        if let Err(e) = to_pdf(&mut staging, soffice, &docx) {
            eprintln!("错误：{e}");
            return 1; // staging is dropped: OUT is as it was
        }
        files += docx.len();
    }
    let d = prepared.workspace.settings.date;
    let manifest = match write::manifest_xlsx(&rows, (d.year as u16, d.month as u8, d.day as u8)) {
        Ok(xlsx) => xlsx,
        Err(e) => {
            report(&Problem::error(crate::diag::Place::Nowhere, "write.manifest", format!("无法生成清单：{e}")).into());
            return 1;
        }
    };
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
    if let Some(scheme) = summary {
        let all = crate::plan::assessments(&prepared.workspace);
        let put = write::summary_xlsx(scheme, &all, (d.year as u16, d.month as u8, d.day as u8))
            .map_err(|e| e.to_string())
            .and_then(|bytes| staging.put(Path::new(write::SUMMARY_XLSX), &bytes).map_err(|e| e.to_string()));
        if let Err(e) = put {
            eprintln!("错误：无法生成{}：{e}", write::SUMMARY_XLSX);
            return 1;
        }
    }
    let result = staging
        .put(Path::new(write::MANIFEST_CSV), &write::manifest_csv(&rows))
        .and_then(|_| staging.put(Path::new(write::MANIFEST_XLSX), &manifest))
        .and_then(|_| staging.commit());
    if let Err(e) = result {
        eprintln!("错误：{e}");
        return 1;
    }
    print_summary(&jobs, files, &out, started);
    0
}

/// `--pdf`: converts the staged .docx files, one soffice run per kind folder (file names repeat
/// across kinds), and stages each PDF beside its .docx.
fn to_pdf(staging: &mut Staging, soffice: &Path, docx: &[PathBuf]) -> Result<(), String> {
    eprintln!("正在用 LibreOffice 把 {} 份文书转为 PDF……", docx.len());
    let mut folders: Vec<&Path> = Vec::new();
    for f in docx.iter().filter_map(|d| d.parent()) {
        if !folders.contains(&f) {
            folders.push(f);
        }
    }
    for (i, folder) in folders.iter().enumerate() {
        let group: Vec<&PathBuf> = docx.iter().filter(|d| d.parent() == Some(*folder)).collect();
        let staged: Vec<PathBuf> = group.iter().map(|d| staging.path(d)).collect();
        let out_dir = staging.path(Path::new(&format!(".pdf-{i}")));
        let pdfs = pdf::convert(soffice, &staged, &out_dir, &staging.path(Path::new(".lo-profile"))).map_err(|e| e.to_string())?;
        for (rel, made) in group.iter().zip(pdfs) {
            let bytes = std::fs::read(&made).map_err(|e| format!("{}: {e}", made.display()))?;
            staging.put(&rel.with_extension("pdf"), &bytes).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// `责任书/01-办公室.docx`, relative to OUT.
fn target(job: &Job) -> PathBuf {
    Path::new(job.kind.chinese()).join(write::file_name(job.seq, job.of, &job.file_stem))
}

fn dedup(kinds: Vec<Kind>) -> Vec<Kind> {
    let mut seen = HashSet::new();
    kinds.into_iter().filter(|k| seen.insert(*k)).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn print_summary(jobs: &[Job], files: usize, out: &Path, started: Instant) {
    let mut kinds: Vec<(Kind, usize)> = Vec::new();
    for job in jobs {
        match kinds.iter_mut().find(|(k, _)| *k == job.kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((job.kind, 1)),
        }
    }
    let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} {n} 份")).collect();
    println!(
        "已生成 {}，共 {} 个文件 → {}（清单：{}、{}；用时 {:.2} 秒）",
        parts.join("、"),
        files,
        out.display(),
        write::MANIFEST_XLSX,
        write::MANIFEST_CSV,
        started.elapsed().as_secs_f64()
    );
}
