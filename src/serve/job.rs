//! One build for the web: the uploaded roster with the workspace's settings, templates and duty
//! catalogue → a zip in the request's own temporary folder. Runs on a blocking thread. It goes
//! through the same library `Site` as `zeren build`, read-only: no lock file, no 文号 ledger.

use super::space::{self, Claim, Short};
use crate::diag::{Place, Problem, Problems};
use crate::load::{Scope, UnitsFrom};
use crate::model::Kind;
use crate::plan::Selection;
use crate::site::{self, BuildError, Door, Request, zip_files};
use crate::stop::Stop;
use indicatif::ProgressBar;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// How often a build's folder is measured against its claim.
const WATCH_EVERY: Duration = Duration::from_millis(250);

/// What the form asked for.
#[derive(Debug, Clone)]
pub struct Order {
    /// The uploaded roster as stored in the request's folder (`roster.xlsx`…).
    pub roster: PathBuf,
    /// The name the user's file had, for messages only: never a path.
    pub shown: String,
    pub kinds: Vec<Kind>,
    /// The workspace's own Word templates ticked, by name (`wordtpl::name_of`).
    pub word: Vec<String>,
    /// A year other than zeren.yaml's: applied to this build only.
    pub year: Option<i32>,
    /// Each document's PDF beside its DOCX (drawn by zeren, `crate::pdf`).
    pub pdf: bool,
}

/// A zip ready to send.
#[derive(Debug)]
pub struct Built {
    pub zip: PathBuf,
    /// `2026年度责任书.zip`.
    pub file_name: String,
    pub documents: usize,
}

/// The notes (warnings) of a successful build travel in the zip under this name.
pub const NOTES: &str = "提示.txt";
/// The zip, in the request's folder.
const ZIP: &str = "result.zip";

/// Builds `order` in `dir` (the request's temporary folder). Problems come back located as the
/// CLI shows them: the roster by its uploaded name, workspace files relative to the workspace.
/// Why a web build made nothing.
#[derive(Debug)]
pub enum Refusal {
    /// The upload, or what was asked with it, has problems: the uploader's to mend (422).
    Upload(Problems),
    /// The server's own workspace (settings, templates, data) or the server itself failed: the
    /// administrator's. The uploader is told only that; the details go to the server's log.
    Server(Problems),
    /// The documents (`Some`: how many, before any was written) or their zip would take more
    /// temporary space than a request may have, or than is free now.
    Space { short: Short, documents: Option<usize> },
}

/// The server's workspace as a build of `scope` needs it, before any upload: what fails here is
/// the server's, never the uploader's. Also what `zeren serve` checks when it starts.
pub fn check_workspace(root: &Path, scope: Scope) -> Problems {
    site::check_workspace(root, scope)
}

/// The Word templates the workspace lists, checked as `zeren check` checks them: on start, a
/// broken one is the administrator's to mend before anyone ticks it.
pub fn check_word_templates(root: &Path) -> Problems {
    let options = crate::load::LoadOptions { units: UnitsFrom::Deferred, sheet: None, scope: Scope::Kinds(Vec::new()) };
    match crate::load::load_with_options(root, &options) {
        Ok((ws, _)) => crate::wordtpl::listed(&ws).1,
        // zeren.yaml itself is said by `check_workspace`.
        Err(_) => Problems::new(),
    }
}

/// `stop` is checked between stages and between documents: a stopped build ends promptly.
/// `claim` is the folder's claim on the service's temporary space, the upload already in it:
/// the documents are claimed before they are written, and the folder is watched while they are.
/// `writers` keeps the PDF's faces between builds.
pub fn run(
    root: &Path,
    order: &Order,
    dir: &Path,
    claim: &mut Claim,
    progress: &ProgressBar,
    stop: &Stop,
    writers: &crate::pdf::WriterCache,
) -> Result<Built, Refusal> {
    let upload = |problems: Problems| Refusal::Upload(relocate(problems, root, &order.roster, &order.shown));
    let server = |problems: Problems| Refusal::Server(relocate(problems, root, &order.roster, &order.shown));
    let request = Request {
        units: UnitsFrom::Roster(order.roster.clone()),
        selection: Selection { kinds: order.kinds.clone(), ..Default::default() },
        templates: word_templates(root, &order.word).map_err(|(p, whose)| if whose { upload(p) } else { server(p) })?,
        ..Request::new(root, Door::Web)
    };
    let workspace = check_workspace(root, request.scope());
    if workspace.has_errors() {
        return Err(server(workspace));
    }
    // The upload is judged for the kinds the uploader chose, as a terminal build would be.
    let (site, mut notes) = request.open();
    let mut site = match site {
        Some(s) if !notes.has_errors() => s,
        _ => return Err(upload(notes)),
    };
    stop.check().map_err(server)?;
    if let Some(year) = order.year.filter(|y| *y != site.workspace.settings.year) {
        let current = site.workspace.settings.year;
        site.set_year(year).map_err(|p| {
            upload(p.with_detail(format!("请不填年度（即 {current} 年度），或请管理员修改 zeren.yaml 的成文日期（date）")).into())
        })?;
    }
    let site = site;
    let planned = request.plan(&site, &[]).map_err(upload)?;
    site::require_numbered(&planned.jobs).map_err(upload)?;
    let word_jobs: Vec<_> = planned.word.iter().flat_map(|w| w.jobs.iter().cloned()).collect();
    site::require_numbered(&word_jobs).map_err(upload)?;
    notes.extend(planned.hints);
    let (jobs, word) = (planned.jobs, planned.word);
    // The PDF's faces, kept by the service: which face each role got goes in the notes.
    let writer = if order.pdf {
        let style = &site.layout.style;
        let found = writers.get(style, root, site.workspace.settings.fonts.as_deref());
        Some(found.map_err(|e| server(Problem::error(Place::Nowhere, "serve.pdf", e.to_string()).into()))?)
    } else {
        None
    };
    // Claimed before a document is written: the documents (a PDF beside each of zeren's own; a
    // Word template's get none), and their zip as large again.
    let documents = jobs.len() + word_jobs.len();
    let each = space::PER_DOCUMENT + if order.pdf { space::PER_PDF } else { 0 };
    let need = (jobs.len() as u64).saturating_mul(each).saturating_add((word_jobs.len() as u64).saturating_mul(space::PER_DOCUMENT));
    let estimate = claim.held().saturating_add(need.saturating_mul(2));
    claim.grow_to(estimate).map_err(|short| Refusal::Space { short, documents: Some(documents) })?;
    progress.set_length(documents as u64);
    let out = dir.join("out");
    let claim = Mutex::new(claim);
    let write = || -> Result<(), Refusal> {
        let output = request.output(&word, writer.as_deref(), progress, stop);
        let built = site.build(&jobs, &word, &out, &output).map_err(|e| match e {
            BuildError::Input(p) => server(p),
            BuildError::Usage(p) => server(p.into()),
        })?;
        let mut files = built.files;
        let mut warnings: Vec<String> = relocate(notes, root, &order.roster, &order.shown).iter().map(ToString::to_string).collect();
        // The PDF's faces said as `build --pdf` says them: each role's, and the 公文 faces missing.
        if let Some(w) = &writer {
            let (line, missing) = w.faces.report();
            warnings.push(line);
            warnings.extend(missing);
        }
        if !warnings.is_empty() {
            let text = format!("生成时的提示（不影响文书生成，请核对）：\r\n\r\n{}\r\n", warnings.join("\r\n"));
            std::fs::write(out.join(NOTES), text).map_err(|e| Refusal::Server(io_problem(format!("{NOTES}: {e}"))))?;
            files.push(PathBuf::from(NOTES));
        }
        // The zip is claimed at its size before it is written.
        let needed = space::measure(dir).saturating_add(space::zip_size(&out, &files));
        claim.lock().unwrap_or_else(|e| e.into_inner()).grow_to(needed).map_err(|short| Refusal::Space { short, documents: None })?;
        let written = std::fs::File::create(dir.join(ZIP))
            .and_then(|f| zip_files(&out, &files, std::io::BufWriter::new(f)))
            .and_then(|mut w| w.flush());
        written.map_err(|e| Refusal::Server(io_problem(format!("无法打包：{e}"))))
    };
    let (written, outgrown) = space::watched(dir, &claim, stop, WATCH_EVERY, write);
    if let Some(short) = outgrown {
        return Err(Refusal::Space { short, documents: None });
    }
    written?;
    let zip = dir.join(ZIP);
    let mut names: Vec<String> = site::kinds_of(&jobs).iter().map(|(k, _)| k.chinese().to_string()).collect();
    names.extend(word.iter().map(|w| w.folder()));
    let what = if names.len() == 1 { names[0].clone() } else { "文书".to_string() };
    Ok(Built { zip, file_name: format!("{}年度{what}.zip", site.workspace.settings.year), documents })
}

/// The Word templates ticked, opened from the list in the workspace's zeren.yaml; the problems,
/// and whether they are the uploader's to see (`true`) or the server's (zeren.yaml unreadable).
fn word_templates(root: &Path, names: &[String]) -> Result<Vec<crate::wordtpl::WordTemplate>, (Problems, bool)> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let options = crate::load::LoadOptions { units: UnitsFrom::Deferred, sheet: None, scope: Scope::Kinds(Vec::new()) };
    let (ws, _) = crate::load::load_with_options(root, &options).map_err(|p| (p, false))?;
    site::chosen(&ws, names).map_err(|p| (p, true))
}

fn io_problem(e: impl std::fmt::Display) -> Problems {
    Problem::error(Place::Nowhere, "serve.io", format!("服务器临时文件夹写入失败：{e}")).into()
}

/// Places as the user knows them: the stored upload by the name it was uploaded as, workspace
/// files relative to the workspace (the server's folders are none of the user's business).
pub fn relocate(mut problems: Problems, root: &Path, upload: &Path, shown: &str) -> Problems {
    let upload_text = upload.display().to_string();
    let map = |file: &mut PathBuf| {
        if file == upload {
            *file = PathBuf::from(shown);
        } else if let Ok(rel) = file.strip_prefix(root) {
            *file = rel.to_path_buf();
        }
    };
    for p in &mut problems.0 {
        match &mut p.place {
            Place::Nowhere | Place::Builtin { .. } => {}
            Place::File(f) | Place::Text { file: f, .. } | Place::Cell { file: f, .. } => map(f),
        }
        // A library's own message may quote the path it opened.
        if p.message.contains(&upload_text) {
            p.message = p.message.replace(&upload_text, shown);
        }
        if let Some(d) = p.detail.as_mut().filter(|d| d.contains(&upload_text)) {
            *d = d.replace(&upload_text, shown);
        }
    }
    problems
}

/// The stored name of an upload, by what its first bytes are: the user's file name is never used
/// as a path. The reader sniffs the format again itself; this only makes the name honest.
pub fn stored_name(head: &[u8]) -> &'static str {
    const CFB: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if head.starts_with(&CFB) {
        "roster.xls"
    } else if head.starts_with(b"PK\x03\x04") && head.get(30..38) == Some(b"mimetype") {
        // An OpenDocument file begins with its uncompressed `mimetype` entry.
        "roster.ods"
    } else {
        "roster.xlsx"
    }
}

/// The uploaded file's name as shown in messages: its last component (old browsers send the
/// whole client path), without control characters, bounded.
pub fn shown_name(raw: Option<&str>) -> String {
    let raw = raw.unwrap_or_default();
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = last.chars().filter(|c| !c.is_control()).take(100).collect();
    let clean = clean.trim();
    if clean.is_empty() { "上传的名单".to_string() } else { clean.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_follow_the_bytes_not_the_name() {
        assert_eq!(stored_name(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]), "roster.xls");
        let mut ods = b"PK\x03\x04".to_vec();
        ods.resize(30, 0);
        ods.extend_from_slice(b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(stored_name(&ods), "roster.ods");
        assert_eq!(stored_name(b"PK\x03\x04\x14\x00"), "roster.xlsx");
        assert_eq!(stored_name("单位名称,类别\n".as_bytes()), "roster.xlsx", "the reader names a CSV as such");
    }

    #[test]
    fn shown_names_are_a_last_component_only() {
        assert_eq!(shown_name(Some("C:\\Users\\张三\\名单.xlsx")), "名单.xlsx");
        assert_eq!(shown_name(Some("../../etc/passwd")), "passwd");
        assert_eq!(shown_name(Some("a\u{0}b\nc.xlsx")), "abc.xlsx");
        assert_eq!(shown_name(Some("")), "上传的名单");
        assert_eq!(shown_name(None), "上传的名单");
        assert_eq!(shown_name(Some(&"名".repeat(500))).chars().count(), 100);
    }

    #[test]
    fn relocate_names_the_upload_and_shortens_workspace_paths() {
        let root = Path::new("/srv/ws");
        let upload = Path::new("/tmp/zeren-serve-x/roster.xlsx");
        let problems = Problems(vec![
            Problem::error(Place::Cell { file: upload.into(), sheet: "名单".into(), cell: "D7".into() }, "a", "负责人为空"),
            Problem::error(Place::text("/srv/ws/data/duties.yaml", 3, 5), "b", "x"),
            Problem::error(Place::Nowhere, "c", "无法打开 /tmp/zeren-serve-x/roster.xlsx").with_detail("/tmp/zeren-serve-x/roster.xlsx"),
        ]);
        let shown: Vec<String> = relocate(problems, root, upload, "名单.xlsx").iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["名单.xlsx [名单] D7: 负责人为空", "data/duties.yaml:3:5: x", "无法打开 名单.xlsx\n    名单.xlsx"]);
    }
}
