//! `zeren build`: gathers the request, hands it to the library's `Site`, shows the outcome.
//! All or nothing, staging, 文号 and the manifest are the library's (`crate::site`).

use super::{parse_kind, parse_tier, report, units_from, workspace_dir};
use crate::model::{Kind, Ledger, Tier};
use crate::pdf;
use crate::plan::{Job, Per, Selection, ledger_label};
use crate::site::{BuildError, Built, Door, Planned, Request, WordRun, kinds_of};
use crate::stop::Stop;
use crate::wordtpl::WordTemplate;
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
    /// 只为这些类别的单位生成（zeren.yaml 的 kinds 中的名称，默认有 处室、党支部、直属单位），可重复
    #[arg(short = 't', long = "type", value_name = "类别")]
    pub types: Vec<String>,
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
    /// 用自己的 Word 文档（.docx）作模板，原样填写其中的 {{单位名称}} 等字段，每个单位一份（写入 OUT/文档名/）；可重复。单独使用时只生成它
    #[arg(long = "template", value_name = "Word模板")]
    pub templates: Vec<PathBuf>,
    /// Word 模板按什么逐份填写：单位、班子成员、副职、函告、案件、述责述廉、考核（默认按模板用到的字段判断，一般为单位）
    #[arg(long = "per", value_name = "按", value_parser = parse_per)]
    pub per: Option<Per>,
}

fn parse_per(s: &str) -> Result<Per, String> {
    Per::parse(s).ok_or_else(|| format!("未知的“按”：{s}；可用：{}", Per::ALL.map(|p| p.chinese()).join("、")))
}

/// `--type` names kinds of this workspace (zeren.yaml `kinds:`): a wrong one is a usage error,
/// said before anything is done. A zeren.yaml that cannot say its kinds is reported by the load.
fn known_types(root: &std::path::Path, types: &[String]) -> Result<(), u8> {
    let Ok(kinds) = crate::load::workspace_kinds(root) else { return Ok(()) };
    match types.iter().find(|t| kinds.find(t).is_none()) {
        Some(t) => {
            eprintln!("错误：--type：未知的单位类别“{}”；本工作区的单位类别有：{}", t.trim(), kinds.list());
            Err(2)
        }
        None => Ok(()),
    }
}

pub fn run(args: BuildArgs) -> u8 {
    let started = Instant::now();
    let root = match workspace_dir(args.workspace.clone()) {
        Ok(root) => root,
        Err(code) => return code,
    };
    if let Err(code) = known_types(&root, &args.types) {
        return code;
    }
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
    // The user's own Word templates, checked before the workspace is touched.
    let templates = match open_templates(&args.templates, args.per) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let request = Request {
        units: units_from(args.roster.clone()),
        sheet: args.sheet.clone(),
        selection: Selection { kinds: args.kinds.clone(), units: args.units.clone(), types: args.types.clone(), tiers: args.tiers.clone() },
        templates,
        merge: args.merge,
        zip: args.zip,
        force: args.force,
        ..Request::new(&root, if args.dry_run { Door::DryRun } else { Door::Build })
    };
    let site = match request.open() {
        (Some(site), problems) if !problems.has_errors() => {
            report(&problems);
            site
        }
        (_, problems) => {
            report(&problems);
            return 1;
        }
    };
    // The faces, found once: which one each role got is said before the work starts.
    // zeren.yaml's `fonts`, else the workspace's 字体 folder; a folder named but missing is said.
    let fonts = root.join(site.workspace.settings.fonts.as_deref().unwrap_or(Path::new(pdf::FONTS_DIR)));
    if args.pdf && site.workspace.settings.fonts.is_some() && !fonts.is_dir() {
        eprintln!("错误：{}: zeren.yaml 的字体文件夹(fonts)不存在；请改正路径，或删去这一行以用本机字体", fonts.display());
        return 1;
    }
    let writer = match args.pdf.then(|| pdf::PdfWriter::new(&site.layout.style, Some(&fonts))).transpose() {
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
    let listed = match request.listed(&site) {
        (listed, problems) if !problems.has_errors() => listed,
        (_, problems) => {
            report(&problems);
            return 1;
        }
    };
    let Planned { jobs, word, hints } = match request.plan(&site, &listed) {
        Ok(planned) => planned,
        Err(problems) => {
            report(&problems);
            return 1;
        }
    };
    report(&hints);
    if args.pdf {
        // Said before the work starts, as the fonts are: a missing PDF is not a surprise.
        crate::site::pdf_skips_word(&word).iter().for_each(|note| eprintln!("{note}"));
    }
    let count = jobs.len() + word.iter().map(|w| w.jobs.len()).sum::<usize>();
    let progress = progress_bar(count as u64);
    let stop = Stop::new();
    let output = request.output(&word, writer.as_ref(), &progress, &stop);
    if args.dry_run {
        return match site.preview(&jobs, &word, &out, &output) {
            Ok(checked) => dry_run(&jobs, &word, &checked, &out),
            Err(e) => failed(e),
        };
    }
    let built = site.build(&jobs, &word, &out, &output);
    progress.finish_and_clear();
    match built {
        Ok(built) => {
            for (id, no) in &built.assigned {
                println!("已分配文号：{} → {no}（记入 {}）", ledger_label(id), Ledger::FILE);
            }
            print_summary(&jobs, &word, &built, &out, started, args.merge);
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
fn dry_run(jobs: &[Job], word: &[WordRun], checked: &write::Preflight, out: &Path) -> u8 {
    println!("将写入 {}（未写任何文件）：", out.display());
    print!("{}", checked.describe());
    let mut seen = std::collections::HashSet::new();
    let all = jobs.iter().chain(word.iter().flat_map(|w| &w.jobs));
    for (id, no) in all.filter_map(|j| j.assigned.as_ref()).filter(|(id, _)| seen.insert(id.clone())) {
        println!("将分配文号：{} → {no}", ledger_label(id));
    }
    println!("共 {} 份文书。", jobs.len() + word.iter().map(|w| w.jobs.len()).sum::<usize>());
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

fn print_summary(jobs: &[Job], word: &[WordRun], built: &Built, out: &Path, started: Instant, merged: bool) {
    let mut parts: Vec<String> = kinds_of(jobs).iter().map(|(k, n)| format!("{k} {n} 份")).collect();
    parts.extend(word.iter().map(|w| format!("{} {} 份", w.folder(), w.jobs.len())));
    let count = jobs.len() + word.iter().map(|w| w.jobs.len()).sum::<usize>();
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
        if merged && !jobs.is_empty() { "，另有每种一个合订本" } else { "" },
        documents,
        built.pdf_pages.map(|n| format!("（PDF 共 {n} 页）")).unwrap_or_default(),
        out.display(),
        write::MANIFEST_XLSX,
        write::MANIFEST_CSV,
        secs,
        count as f64 / secs.max(1e-9)
    );
}

/// Reads and checks each `--template`; every fault of every template is shown.
fn open_templates(paths: &[PathBuf], per: Option<Per>) -> Result<Vec<WordTemplate>, u8> {
    let mut templates = Vec::new();
    let mut problems = crate::diag::Problems::new();
    for path in paths {
        match WordTemplate::open(path, per) {
            Ok(t) => templates.push(t),
            Err(found) => problems.extend(found),
        }
    }
    // Two templates of one name would write the same folder.
    let mut folders = std::collections::BTreeMap::new();
    for t in &templates {
        if let Some(other) = folders.insert(crate::site::folder_of(t), &t.path) {
            let message = format!("{} 与 {} 同名，会写入同一个文件夹；请改名其中一个", t.path.display(), other.display());
            problems.push(crate::diag::Problem::error(crate::diag::Place::File(t.path.clone()), "word.same-name", message));
        }
    }
    if problems.has_errors() {
        report(&problems);
        return Err(1);
    }
    Ok(templates)
}
