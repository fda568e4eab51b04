//! A user's own Word document as a template (design, settled question 18): filled as it is,
//! once per unit (or 班子成员, case…), keeping everything its author made — styles, fonts,
//! headers and footers, numbering, tables, images, page set-up. Only the text of its fields
//! `{{名称}}` changes; `{{#列表}}…{{/列表}}` repeats paragraphs or a table row,
//! `{{?条件}}…{{/条件}}` keeps paragraphs when the value is there.

mod fill;
mod grid;
pub mod import;
pub mod names;
mod runs;
pub mod tags;
mod xml;

pub use fill::TagProblem;

use crate::diag::{Place, Problem, Problems};
use crate::model::Form;
use crate::plan::Per;
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Bounds on a template file (design 16): checked before anything is inflated.
const MAX_FILE: u64 = 50 * 1024 * 1024;
const MAX_INFLATED: u64 = 200 * 1024 * 1024;
const MAX_ENTRIES: usize = 10_000;

/// One entry of the template's package: an XML part zeren fills, or bytes it copies.
enum Entry {
    Part { name: String, part: xml::Part },
    Bytes { name: String, bytes: Vec<u8>, stored: bool },
}

/// A Word template read and checked: ready to fill for each document.
pub struct WordTemplate {
    pub path: PathBuf,
    /// The output folder: the file's name without `.docx` (`OUT/廉洁承诺书/`).
    pub folder: String,
    /// Whom it is filled for.
    pub per: Per,
    entries: Vec<Entry>,
}

impl std::fmt::Debug for WordTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordTemplate").field("path", &self.path).field("per", &self.per).finish()
    }
}

/// Parts whose text has fields: the body, headers, footers, foot- and endnotes.
fn fillable(name: &str) -> bool {
    name == "word/document.xml"
        || (name.starts_with("word/header")
            || name.starts_with("word/footer")
            || name == "word/footnotes.xml"
            || name == "word/endnotes.xml")
            && name.ends_with(".xml")
            && !name.contains("/_rels/")
}

impl WordTemplate {
    /// Reads a .docx and checks its fields for `per`, or — when `per` is `None` — for the first
    /// of `Per::ALL` that knows every field it uses (a template with 姓名 is per 班子成员).
    /// Every fault comes back at once, with the paragraph it is in.
    pub fn open(path: &Path, per: Option<Per>) -> Result<WordTemplate, Problems> {
        let place = Place::File(path.to_path_buf());
        let bad = |message: String| Problems::from(Problem::error(place.clone(), "word.template", message));
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let lower = name.to_lowercase();
        if lower.ends_with(".doc") || lower.ends_with(".wps") || lower.ends_with(".dot") {
            return Err(bad(format!("{name} 是旧版 Word/WPS 格式：请在 Word 或 WPS 中“另存为”.docx 后再用作模板")));
        }
        let size = crate::input::regular(path).map_err(|e| bad(format!("无法读取 Word 模板：{e}")))?.len();
        if size > MAX_FILE {
            return Err(bad(format!("Word 模板有 {} MB，超过上限 {} MB", size / 1024 / 1024, MAX_FILE / 1024 / 1024)));
        }
        let bytes = std::fs::read(path).map_err(|e| bad(format!("无法读取 Word 模板：{e}")))?;
        let entries = read_package(&bytes).map_err(|e| bad(format!("{name} 不是可读的 .docx 文件（{e}）")))?;
        let folder = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "Word模板".into());
        let mut template = WordTemplate { path: path.to_path_buf(), folder, per: per.unwrap_or(Per::Unit), entries };
        let problems = match per {
            Some(per) => template.check(per),
            None => {
                // None fits: the problems of the one that fits best (the first of the fewest).
                let mut best: Option<Vec<TagProblem>> = None;
                for per in Per::ALL {
                    let found = template.check(per);
                    if found.is_empty() {
                        template.per = per;
                        return Ok(template);
                    }
                    if best.as_ref().is_none_or(|b| found.len() < b.len()) {
                        best = Some(found);
                    }
                }
                best.unwrap_or_default()
            }
        };
        if problems.is_empty() {
            return Ok(template);
        }
        Err(Problems(problems.into_iter().map(|p| problem(&place, p)).collect()))
    }

    /// The template's faults when filled `per`.
    pub fn check(&self, per: Per) -> Vec<TagProblem> {
        let form = per.form();
        let mut filler = fill::Filler::new(names::index(form), form);
        for e in &self.entries {
            if let Entry::Part { part, .. } = e {
                filler.check(&part.root);
            }
        }
        filler.problems
    }

    pub fn form(&self) -> Form {
        self.per.form()
    }

    /// The document for one view, as .docx bytes.
    pub fn fill(&self, view: &Value) -> Result<Vec<u8>, String> {
        let form = self.form();
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let mut filler = fill::Filler::new(names::index(form), form);
        for e in &self.entries {
            // Fixed times: the same data gives the same bytes.
            let deflated = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .last_modified_time(zip::DateTime::default());
            match e {
                Entry::Part { name, part } => {
                    let mut part = part.clone();
                    filler.fill(&mut part.root, view);
                    zip.start_file(name.as_str(), deflated).map_err(|e| e.to_string())?;
                    zip.write_all(part.write().as_bytes()).map_err(|e| e.to_string())?;
                }
                Entry::Bytes { name, bytes, stored } => {
                    let options = if *stored { deflated.compression_method(zip::CompressionMethod::Stored) } else { deflated };
                    zip.start_file(name.as_str(), options).map_err(|e| e.to_string())?;
                    zip.write_all(bytes).map_err(|e| e.to_string())?;
                }
            }
        }
        zip.finish().map(|c| c.into_inner()).map_err(|e| e.to_string())
    }
}

/// The Word templates zeren.yaml lists, read and checked; every problem of every one, a
/// missing file or an unknown `per` at its line of zeren.yaml.
pub fn listed(ws: &crate::model::Workspace) -> (Vec<WordTemplate>, Problems) {
    listed_where(ws, |_| true)
}

/// A listed template's name: its file's name without `.docx`, as the web page offers it.
pub fn name_of(setting: &crate::model::WordTemplateSetting) -> String {
    setting.file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// `listed`, only the templates whose name (`name_of`) `wanted` accepts.
pub fn listed_where(ws: &crate::model::Workspace, wanted: impl Fn(&str) -> bool) -> (Vec<WordTemplate>, Problems) {
    let mut templates = Vec::new();
    let mut problems = Problems::new();
    for t in ws.settings.word_templates.iter().filter(|t| wanted(&name_of(t))) {
        let per = match &t.per {
            None => None,
            Some((name, place)) => match Per::parse(name) {
                Some(per) => Some(per),
                None => {
                    let known = Per::ALL.map(|p| p.chinese()).join("、");
                    problems.push(Problem::error(
                        place.clone(),
                        "settings.word-per",
                        format!("Word 模板按“{name}”逐份填写无效；可用：{known}"),
                    ));
                    continue;
                }
            },
        };
        let path = ws.root.join(&t.file);
        if !path.is_file() {
            let message = format!("word_templates 列出的 Word 模板 {} 不存在", path.display());
            problems.push(Problem::error(t.place.clone(), "settings.word-template", message));
            continue;
        }
        match WordTemplate::open(&path, per) {
            Ok(template) if templates.iter().any(|o: &WordTemplate| o.folder == template.folder) => {
                let message = format!("word_templates 中有两个模板都叫“{}”，会写入同一个文件夹；请改名其中一个", template.folder);
                problems.push(Problem::error(t.place.clone(), "settings.word-template", message));
            }
            Ok(template) => templates.push(template),
            Err(found) => problems.extend(found),
        }
    }
    (templates, problems)
}

fn problem(place: &Place, p: TagProblem) -> Problem {
    Problem::error(place.clone(), "word.field", format!("{}：{}", p.tag, p.message)).with_detail(format!("所在段落：“{}”", p.paragraph))
}

fn read_package(bytes: &[u8]) -> Result<Vec<Entry>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    if archive.len() > MAX_ENTRIES {
        return Err(format!("包含 {} 个部件，超过上限 {MAX_ENTRIES}", archive.len()));
    }
    let mut total = 0u64;
    let mut entries = Vec::with_capacity(archive.len());
    let mut has_body = false;
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|e| e.to_string())?;
        if file.is_dir() {
            continue;
        }
        let too_big = || format!("解压后超过 {} MB", MAX_INFLATED / 1024 / 1024);
        if total + file.size() > MAX_INFLATED {
            return Err(too_big());
        }
        let name = file.name().to_string();
        let stored = file.compression() == zip::CompressionMethod::Stored;
        let mut data = Vec::with_capacity(file.size() as usize);
        // What is inflated counts, not what the header claims: a lying header stops at the bound.
        file.by_ref().take(MAX_INFLATED - total + 1).read_to_end(&mut data).map_err(|e| e.to_string())?;
        total += data.len() as u64;
        if total > MAX_INFLATED {
            return Err(too_big());
        }
        if fillable(&name) {
            has_body |= name == "word/document.xml";
            let text = String::from_utf8(data).map_err(|_| format!("{name} 不是 UTF-8 文本"))?;
            let part = xml::parse(&text).map_err(|e| format!("{name}：{}", e.0))?;
            entries.push(Entry::Part { name, part });
        } else {
            entries.push(Entry::Bytes { name, bytes: data, stored });
        }
    }
    if !has_body {
        return Err("没有 word/document.xml 正文".into());
    }
    Ok(entries)
}
