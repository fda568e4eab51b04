//! Test helpers: run the real binary, and read a produced .docx back (zip → XML → paragraphs).
#![allow(dead_code)]

pub mod pdfbox;
pub mod word;

use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn zeren(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zeren")).args(args).output().expect("run zeren")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// A copy of the sample workspace in a temp folder, to break on purpose.
pub fn sample_copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    copy_dir(&samples(), &ws);
    (tmp, ws)
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        if rel.starts_with("out") {
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// Every file under `dir`, relative, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    if !dir.exists() {
        return Vec::new();
    }
    let mut v: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    v.sort();
    v
}

/// The files a run left in OUT for the user: every file but zeren's own `.zeren/` (its record
/// of the run and its lock).
pub fn out_files(out: &Path) -> Vec<PathBuf> {
    files_under(out).into_iter().filter(|f| !f.starts_with(zeren::write::META)).collect()
}

/// One paragraph as read back from document.xml.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    pub style: Option<String>,
    pub text: String,
    /// Some run in it carries direct formatting other than the East Asian font hint
    /// (`<w:rFonts w:hint="eastAsia"/>`, which marks punctuation, not a look).
    pub run_props: bool,
    pub in_table: bool,
}

pub struct Docx {
    pub parts: BTreeMap<String, String>,
}

impl Docx {
    pub fn open(path: &Path) -> Docx {
        let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut parts = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            parts.insert(f.name().to_string(), s);
        }
        Docx { parts }
    }

    pub fn part(&self, name: &str) -> &str {
        self.parts.get(name).unwrap_or_else(|| panic!("no part {name}"))
    }

    pub fn document(&self) -> &str {
        self.part("word/document.xml")
    }

    pub fn paragraphs(&self) -> Vec<Para> {
        paragraphs(self.document())
    }

    /// All text, one paragraph a line.
    pub fn text(&self) -> String {
        self.paragraphs().iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n")
    }

    /// All text, one paragraph a line, without the line breaks the layout puts between the
    /// words of a table cell: what a cell says, however narrow its column.
    pub fn flowing_text(&self) -> String {
        self.paragraphs().iter().map(|p| p.text.replace('\n', "")).collect::<Vec<_>>().join("\n")
    }
}

pub fn paragraphs(xml: &str) -> Vec<Para> {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut cur: Option<Para> = None;
    let mut in_t = false;
    let mut in_run = false;
    let mut in_rpr = false;
    let mut table_depth = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "w:p" => {
                cur = Some(Para { style: None, text: String::new(), run_props: false, in_table: table_depth > 0 });
                // <w:p/> closes itself: push at once.
                if xml.as_bytes()[reader.buffer_position() as usize - 2] == b'/' {
                    out.push(cur.take().unwrap());
                }
            }
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                match name.as_str() {
                    "w:tbl" if !is_empty_tag(xml, &reader) => table_depth += 1,
                    "w:pStyle" => {
                        if let Some(p) = cur.as_mut() {
                            p.style = attr(&e, "w:val");
                        }
                    }
                    "w:r" => in_run = true,
                    "w:rPr" if in_run => in_rpr = !is_empty_tag(xml, &reader),
                    _ if in_rpr && !is_hint(&e) => {
                        if let Some(p) = cur.as_mut() {
                            p.run_props = true;
                        }
                    }
                    "w:t" => in_t = !is_empty_tag(xml, &reader),
                    "w:br" => push(&mut cur, "\n"),
                    "w:tab" if in_run => push(&mut cur, "\t"),
                    _ => {}
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:p" => {
                    if let Some(p) = cur.take() {
                        out.push(p);
                    }
                }
                "w:t" => in_t = false,
                "w:r" => in_run = false,
                "w:rPr" => in_rpr = false,
                "w:tbl" => table_depth -= 1,
                _ => {}
            },
            Event::Text(t) if in_t => push(&mut cur, &t.xml10_content()),
            Event::GeneralRef(r) if in_t => {
                push(&mut cur, &entity(&r));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// `<w:rFonts w:hint="eastAsia"/>` and nothing else.
fn is_hint(e: &quick_xml::events::BytesStart) -> bool {
    let attrs: Vec<(String, String)> =
        e.attributes().filter_map(Result::ok).map(|a| (a.key.as_ref().to_string(), a.value.into_owned())).collect();
    e.name().as_ref() == "w:rFonts" && attrs == [("w:hint".to_string(), "eastAsia".to_string())]
}

/// One run as read back: its text (breaks as "\n", tabs as "\t") and whether it carries the
/// East Asian font hint.
#[derive(Debug, Clone, PartialEq)]
pub struct RunText {
    pub text: String,
    pub hint: bool,
}

/// Every run of a part, in order.
pub fn runs(xml: &str) -> Vec<RunText> {
    let mut reader = Reader::from_str(xml);
    let mut out: Vec<RunText> = Vec::new();
    let (mut in_run, mut in_t) = (false, false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "w:r" => {
                    in_run = true;
                    out.push(RunText { text: String::new(), hint: false });
                }
                "w:rFonts" if in_run => {
                    let hint = e.attributes().filter_map(Result::ok).any(|a| a.key.as_ref() == "w:hint" && a.value.as_ref() == "eastAsia");
                    out.last_mut().unwrap().hint |= hint;
                }
                "w:t" if in_run => in_t = !is_empty_tag(xml, &reader),
                "w:br" if in_run => out.last_mut().unwrap().text.push('\n'),
                "w:tab" if in_run => out.last_mut().unwrap().text.push('\t'),
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "w:r" => in_run = false,
                "w:t" => in_t = false,
                _ => {}
            },
            Event::Text(t) if in_t => out.last_mut().unwrap().text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_t => {
                let text = entity(&r);
                out.last_mut().unwrap().text.push_str(&text);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn is_empty_tag(xml: &str, reader: &Reader<&[u8]>) -> bool {
    xml.as_bytes()[reader.buffer_position() as usize - 2] == b'/'
}

fn push(cur: &mut Option<Para>, s: &str) {
    if let Some(p) = cur.as_mut() {
        p.text.push_str(s);
    }
}

fn attr(e: &quick_xml::events::BytesStart, key: &str) -> Option<String> {
    e.attributes().filter_map(Result::ok).find(|a| a.key.as_ref() == key).map(|a| a.value.into_owned())
}

/// Parses a part fully; panics with the part's name on the first XML error.
pub fn assert_well_formed(name: &str, xml: &str) {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0i32;
    loop {
        match reader.read_event() {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth -= 1,
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("{name} is not well-formed XML: {e}"),
        }
    }
    assert_eq!(depth, 0, "{name}: unbalanced elements");
    assert!(
        !xml.chars().any(|c| matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}')),
        "{name} holds a control character XML forbids"
    );
}

/// The names of an element's children, in order, for every occurrence of `parent` in `xml`.
pub fn child_orders(xml: &str, parent: &str) -> Vec<Vec<String>> {
    let mut reader = Reader::from_str(xml);
    let mut out: Vec<Vec<String>> = Vec::new();
    let mut stack: Vec<(String, usize)> = Vec::new(); // (name, index in out if parent)
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if let Some((pname, idx)) = stack.last() {
                    if pname == parent {
                        out[*idx].push(name.clone());
                    }
                }
                let idx = if name == parent {
                    out.push(Vec::new());
                    out.len() - 1
                } else {
                    usize::MAX
                };
                stack.push((name, idx));
            }
            Event::Empty(e) => {
                let name = e.name().as_ref().to_string();
                if let Some((pname, idx)) = stack.last() {
                    if pname == parent {
                        out[*idx].push(name.clone());
                    }
                }
                if name == parent {
                    out.push(Vec::new());
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

/// A minimal workspace to break on purpose: settings, two 处室, one duty.
pub const SETTINGS: &str = "organ: 中共某某局委员会
code: 某党
year: 2026
date: 2026-01-05
signatory: { name: 赵书记, title: 党委书记 }
";

pub const UNITS: &str = "units:
  - name: 办公室
    type: 处室
    leader: { name: 王主任, title: 主任 }
  - name: 预算处
    type: 处室
    leader: { name: 李处长, title: 处长 }
";

pub const DUTIES: &str = "groups:
  - subject: 主体责任
    applies_to: [处室]
    duties: [一条责任。]
";

/// The text an entity or character reference in read-back XML stands for.
pub fn entity(r: &quick_xml::events::BytesRef) -> String {
    match &*r.xml10_content() {
        "lt" => "<".to_string(),
        "gt" => ">".to_string(),
        "amp" => "&".to_string(),
        "quot" => "\"".to_string(),
        "apos" => "'".to_string(),
        _ => r.resolve_char_ref().ok().flatten().map(String::from).unwrap_or_default(),
    }
}

/// A spawned process's output, or the test fails after `limit` with the process killed: a hang
/// is a finding, not a stuck suite.
pub fn output_within(child: std::process::Child, limit: std::time::Duration) -> Output {
    let pid = child.id();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    match finished.recv_timeout(limit) {
        Ok(output) => output.expect("wait for zeren"),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("zeren did not end within {limit:?}");
        }
    }
}

/// A binary PNM image as pdftoppm writes it (P5 greyscale, P6 colour): (magic, width, height,
/// pixels), the pixels checked to be all there.
pub fn parse_pnm(data: &[u8]) -> (String, usize, usize, &[u8]) {
    // Header: magic, width, height, maxval, each after white space; one byte of it before the pixels.
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..i]).into_owned());
    }
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = &data[i + 1..];
    let channels = if fields[0] == "P6" { 3 } else { 1 };
    assert_eq!(pixels.len(), w * h * channels, "{} size", fields[0]);
    (fields[0].clone(), w, h, pixels)
}
