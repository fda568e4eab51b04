//! `zeren build`: gathers the request, hands it to the library's `Site`, shows the outcome.
//! All or nothing, staging, 文号 and the manifest are the library's (`crate::site`).

use super::{parse_kind, parse_tier, parse_type, report, units_from, workspace_dir};
use crate::load::{LoadOptions, Scope};
use crate::model::{Kind, Ledger, Tier, UnitType};
use crate::pdf;
use crate::plan::{Job, Selection, ledger_label};
use crate::site::{Access, BuildError, Built, Output, Site, Sweep, kinds_of};
use crate::stop::Stop;
use crate::write;
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
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
    /// 只为这些类别的单位生成：处室、党支部、直属单位，可重复
    #[arg(short = 't', long = "type", value_name = "类别", value_parser = parse_type)]
    pub types: Vec<UnitType>,
    /// 只生成这些层级的责任书：班子成员（党委与班子成员）、单位（党委与各单位）、副职（单位负责人与班子副职），可重复；单独使用时只生成责任书
    #[arg(long = "tier", value_name = "层级", value_parser = parse_tier)]
    pub tiers: Vec<Tier>,
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
    /// 同时为每份文书（及合订本）生成 PDF，放在 .docx 旁边；字体嵌入，无需 Office 软件
    #[arg(long)]
    pub pdf: bool,
    /// 用这个 Excel 名单（xlsx/xls/ods）作为单位名单，代替 data/units.yaml
    #[arg(long, value_name = "名单")]
    pub roster: Option<PathBuf>,
    /// 名单所在的工作表（默认为第一个表头匹配的可见工作表）
    #[arg(long, value_name = "工作表")]
    pub sheet: Option<String>,
}

pub fn run(args: BuildArgs) -> u8 {
    let started = Instant::now();
    let root = match workspace_dir(args.workspace.clone()) {
        Ok(root) => root,
        Err(code) => return code,
    };
    let out = args.out.clone().unwrap_or_else(|| root.join("out"));
    // Before anything else: finish (or undo) what a killed run left in OUT. A dry run only looks.
    if !args.dry_run {
        match write::recover(&out) {
            Ok(note) => note.iter().for_each(|n| eprintln!("{n}")),
            Err(e) => {
                eprintln!("错误：{e}");
                return e.exit_code();
            }
        }
    }
    let access = if args.dry_run { Access::ReadOnly } else { Access::Numbering };
    // A build checks the data of the kinds it makes, and only that.
    let scope = match (args.kinds.is_empty(), args.tiers.is_empty()) {
        (false, _) => Scope::Kinds(dedup(args.kinds.clone())),
        (true, false) => Scope::Kinds(vec![Kind::ResponsibilityLetter]),
        (true, true) => Scope::Default,
    };
    let options = LoadOptions { units: units_from(args.roster.clone()), sheet: args.sheet.clone(), scope };
    let site = match Site::open(&root, &options, access) {
        (Some(site), problems) if !problems.has_errors() => {
            report(&problems);
            site
        }
        (_, problems) => {
            report(&problems);
            return 1;
        }
    };
    let selection =
        Selection { kinds: dedup(args.kinds.clone()), units: args.units.clone(), types: args.types.clone(), tiers: args.tiers.clone() };
    let jobs = match site.plan(&selection) {
        Ok(jobs) => jobs,
        Err(problems) => {
            report(&problems);
            return 1;
        }
    };
    // The faces, found once: which one each role got is said before the work starts.
    let writer = match args.pdf.then(|| pdf::PdfWriter::new(&site.layout.style, Some(&root.join(pdf::FONTS_DIR)))).transpose() {
        Ok(w) => w,
        Err(e) => {
            eprintln!("错误：{e}");
            return 2;
        }
    };
    if let Some(w) = &writer {
        let (line, warning) = w.faces.report();
        eprintln!("{line}");
        warning.iter().for_each(|w| eprintln!("{w}"));
    }
    let progress = progress_bar(jobs.len() as u64);
    let stop = Stop::new();
    let output = Output {
        merge: args.merge,
        zip: args.zip,
        pdf: writer.as_ref(),
        force: args.force,
        progress: &progress,
        stop: &stop,
        sweep: Sweep::of(&selection),
    };
    if args.dry_run {
        return match site.preview(&jobs, &out, &output) {
            Ok(checked) => dry_run(&jobs, &checked, &out),
            Err(e) => failed(e),
        };
    }
    let built = site.build(&jobs, &out, &output);
    progress.finish_and_clear();
    match built {
        Ok(built) => {
            for (id, no) in &built.assigned {
                println!("已分配文号：{} → {no}（记入 {}）", ledger_label(id), Ledger::FILE);
            }
            print_summary(&jobs, &built, &out, started, args.merge);
            built.notes.iter().for_each(|n| println!("{n}"));
            0
        }
        Err(e) => failed(e),
    }
}

/// A run that stopped: its problems shown, its exit code.
fn failed(e: BuildError) -> u8 {
    match e {
        BuildError::Usage(p) => {
            eprintln!("错误：{p}");
            2
        }
        BuildError::Input(problems) => {
            report(&problems);
            1
        }
    }
}

/// `--dry-run`: what would be written, replaced, removed and kept, and which 文号 would be
/// assigned; nothing is written. Exit 1 when the real run would be refused.
fn dry_run(jobs: &[Job], checked: &write::Preflight, out: &Path) -> u8 {
    println!("将写入 {}（未写任何文件）：", out.display());
    print!("{}", checked.describe());
    for (id, no) in jobs.iter().filter_map(|j| j.assigned.as_ref()) {
        println!("将分配文号：{} → {no}", ledger_label(id));
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

fn dedup(kinds: Vec<Kind>) -> Vec<Kind> {
    let mut seen = std::collections::HashSet::new();
    kinds.into_iter().filter(|k| seen.insert(*k)).collect()
}

fn print_summary(jobs: &[Job], built: &Built, out: &Path, started: Instant, merged: bool) {
    let parts: Vec<String> = kinds_of(jobs).iter().map(|(k, n)| format!("{k} {n} 份")).collect();
    let documents = built.files.iter().filter(|f| f.extension().is_some_and(|e| e == "docx" || e == "pdf")).count();
    let secs = started.elapsed().as_secs_f64();
    let bundle = if built.files.iter().any(|f| f == Path::new(crate::site::bundle::BUNDLE)) {
        format!("、{}", crate::site::bundle::BUNDLE)
    } else {
        String::new()
    };
    println!(
        "已生成 {}{}，共 {} 个文件{} → {}（清单：{}、{}{bundle}；用时 {:.2} 秒，{:.0} 份/秒）",
        parts.join("、"),
        if merged { "，另有每种一个合订本" } else { "" },
        documents,
        built.pdf_pages.map(|n| format!("（PDF 共 {n} 页）")).unwrap_or_default(),
        out.display(),
        write::MANIFEST_XLSX,
        write::MANIFEST_CSV,
        secs,
        jobs.len() as f64 / secs.max(1e-9)
    );
}
