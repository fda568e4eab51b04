//! One build for the web: the uploaded roster with the workspace's settings, templates and duty
//! catalogue → a zip in the request's own temporary folder. Runs on a blocking thread. It goes
//! through the same `pipeline::prepare` → `plan` → `cli::build::build_into` as `zeren build`, and
//! writes nothing into the workspace: no lock file, no 文号 ledger.

use crate::cli::build::{build_into, zip_files};
use crate::diag::{Place, Problem, Problems};
use crate::load::LoadOptions;
use crate::model::Kind;
use crate::pipeline;
use crate::plan::Selection;
use crate::write::Staging;
use indicatif::ProgressBar;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What the form asked for.
#[derive(Debug, Clone)]
pub struct Order {
    /// The uploaded roster as stored in the request's folder (`roster.xlsx`…).
    pub roster: PathBuf,
    /// The name the user's file had, for messages only: never a path.
    pub shown: String,
    pub kinds: Vec<Kind>,
    /// A year other than zeren.yaml's: applied to this build only.
    pub year: Option<i32>,
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

/// Builds `order` in `dir` (the request's temporary folder). Problems come back located as the
/// CLI shows them: the roster by its uploaded name, workspace files relative to the workspace.
pub fn run(root: &Path, order: &Order, dir: &Path, progress: &ProgressBar) -> Result<Built, Problems> {
    let relocate = |problems: Problems| relocate(problems, root, &order.roster, &order.shown);
    let options = LoadOptions { roster: Some(order.roster.clone()), sheet: None };
    let (prepared, notes) = pipeline::prepare(root, &options);
    let mut prepared = match prepared {
        Some(p) if !notes.has_errors() => p,
        _ => return Err(relocate(notes)),
    };
    let settings = &mut prepared.workspace.settings;
    if let Some(year) = order.year.filter(|y| *y != settings.year) {
        // The same rule zeren.yaml's year and date are held to: the date is in the year or the
        // one before (letters are signed early in January or late in December).
        let date = settings.date;
        if date.year != year && date.year != year - 1 {
            return Err(Problem::error(
                Place::File(crate::load::SETTINGS_FILE.into()),
                "serve.year",
                format!(
                    "所填年度 {year} 与成文日期 {}（zeren.yaml 中的 date）不一致；请不填年度（即 {} 年度），或请管理员修改 zeren.yaml 的成文日期",
                    date.chinese(),
                    settings.year
                ),
            )
            .into());
        }
        settings.year = year;
    }
    let kinds = if order.kinds.is_empty() { vec![Kind::ResponsibilityLetter] } else { order.kinds.clone() };
    let selection = Selection { kinds: kinds.clone(), units: Vec::new(), types: Vec::new() };
    let jobs = prepared.plan(&selection).map_err(relocate)?;
    // A new 文号 must be recorded in the ledger before it is printed, and the service writes
    // nothing into the workspace: such cases are for `zeren build` in a terminal.
    let unnumbered: Vec<Problem> = jobs
        .iter()
        .filter_map(|j| j.assigned.as_ref())
        .map(|(id, no)| {
            Problem::error(
                Place::Nowhere,
                "serve.doc-no",
                format!(
                    "问责决定书：案件 {id} 还没有文号（下一个可用文号是 {no}）。网页服务不修改工作区，不能登记新文号；请在终端运行 zeren build 分配并登记文号后，再在网页上生成问责决定书，或本次不选问责决定书"
                ),
            )
        })
        .collect();
    if !unnumbered.is_empty() {
        return Err(Problems(unnumbered));
    }
    progress.set_length(jobs.len() as u64);
    let out = dir.join("out");
    let staging = Staging::begin(&out).map_err(io_problem)?;
    build_into(&prepared, &jobs, &staging, false, None, progress).map_err(relocate)?;
    let mut files = staging.commit().map_err(io_problem)?.written;
    let warnings: Vec<String> = relocate(notes).iter().map(ToString::to_string).collect();
    if !warnings.is_empty() {
        let text = format!("生成时的提示（不影响文书生成，请核对）：\r\n\r\n{}\r\n", warnings.join("\r\n"));
        std::fs::write(out.join(NOTES), text).map_err(|e| io_problem(format!("{NOTES}: {e}")))?;
        files.push(PathBuf::from(NOTES));
    }
    let zip = dir.join("result.zip");
    let written = std::fs::File::create(&zip).and_then(|f| zip_files(&out, &files, std::io::BufWriter::new(f))).and_then(|mut w| w.flush());
    written.map_err(|e| io_problem(format!("无法打包：{e}")))?;
    let names: Vec<&str> = Kind::ALL.iter().filter(|k| jobs.iter().any(|j| j.kind == **k)).map(|k| k.chinese()).collect();
    let what = if names.len() == 1 { names[0].to_string() } else { "文书".to_string() };
    Ok(Built { zip, file_name: format!("{}年度{what}.zip", prepared.workspace.settings.year), documents: jobs.len() })
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
            Place::Nowhere => {}
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
