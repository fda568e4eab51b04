//! `zeren template import`: last year's Word letter turned into a zeren markup template — its
//! wording, its 一、（一）1.（1） headings, its tables and its `{{字段}}` fields — so zeren sets it per
//! GB/T 9704 with the bureau's own words. Everything in the .docx is text: `<`, `&` and `{` are
//! escaped, only what zeren writes is markup or Tera. What cannot be carried over (pictures, text
//! boxes, footnotes, revisions, comments, Word fields) is named with its paragraph.

use super::names::{self, Shape};
use super::tags::{self, Sigil};
use super::xml::Element;
use word::{align, date_line, element, heading, heading_style, paragraph_text, scan, titled, uncarried};

mod loops;
mod table;
mod word;
use super::{Entry, MAX_FILE, read_package};
use crate::diag::{Place, Problem, Problems};
use crate::model::{Form, Workspace};
use crate::plan::{self, Selection};
use loops::{Open, marker};
use serde_json::Value;
use std::path::Path;

/// Paragraphs an imported letter may have (the markup's own bound per document).
const MAX_PARAGRAPHS: usize = 5000;

/// A template made from a Word document.
#[derive(Debug)]
pub struct Imported {
    /// The template: zeren markup with Tera.
    pub markup: String,
    /// Workspace values found in the text and made fields: “江城市财政局” → {{ organ }}, with counts.
    pub replaced: Vec<String>,
    /// What was not carried over, each with its paragraph.
    pub dropped: Vec<String>,
    /// What the kind must have and the letter did not, taken from the built-in template.
    pub added: Vec<String>,
    pub headings: usize,
    pub paragraphs: usize,
    pub tables: usize,
}

/// One piece of a paragraph: its own text, or a variable.
enum Piece {
    Text(String),
    Var(String),
}

struct Importer<'a> {
    form: Form,
    index: &'a names::Index,
    /// Workspace values that become fields, longest first: (text, variable).
    data: Vec<(String, String)>,
    counts: Vec<usize>,
    problems: Vec<Problem>,
    dropped: Vec<String>,
    place: Place,
    out: String,
    headings: usize,
    paragraphs: usize,
    tables: usize,
    titled: bool,
    /// The year before the workspace's (“2025年”), left as text and counted for a hint.
    last_year: Option<(String, usize)>,
    /// The letter's signing lines have begun: what follows them is theirs.
    signing: bool,
    /// Where the letter's first signing line was.
    signed_at: Option<usize>,
    /// Where the title ended (or the document began): the 文号 goes there.
    after_title: usize,
    /// The built-in template of the form: what it signs with replaces the letter's own lines.
    builtin: &'static str,
    /// The lists being repeated, innermost last: (the item's path in the index, its Tera name).
    scopes: Vec<(String, String)>,
    /// The `{{#…}}`/`{{?…}}` paragraphs open, innermost last.
    open: Vec<Open>,
    /// The list a table row repeats while its cells are written: its two tags are dropped there.
    row_loop: Option<String>,
}

/// Reads `path`, makes a template of `form` from it, and checks that the template renders into
/// markup for every document of `form` the workspace `ws` makes. Nothing is written here.
pub fn import(path: &Path, form: Form, ws: &Workspace) -> Result<Imported, Problems> {
    let place = Place::File(path.to_path_buf());
    let bad = |message: String| Problems::from(Problem::error(place.clone(), "word.import", message));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let lower = name.to_lowercase();
    if lower.ends_with(".doc") || lower.ends_with(".wps") {
        return Err(bad(format!("{name} 是旧版 Word/WPS 格式：请在 Word 或 WPS 中“另存为”.docx 后再导入")));
    }
    let size = crate::input::regular(path).map_err(|e| bad(format!("无法读取 Word 文档：{e}")))?.len();
    if size > MAX_FILE {
        return Err(bad(format!("Word 文档有 {} MB，超过上限 {} MB", size / 1024 / 1024, MAX_FILE / 1024 / 1024)));
    }
    let bytes = std::fs::read(path).map_err(|e| bad(format!("无法读取 Word 文档：{e}")))?;
    let entries = read_package(&bytes).map_err(|e| bad(format!("{name} 不是可读的 .docx 文件（{e}）")))?;
    let jobs = jobs_of(ws, form);
    let mut importer = Importer {
        form,
        index: names::index(form),
        data: data_fields(form, &jobs),
        counts: Vec::new(),
        problems: Vec::new(),
        dropped: Vec::new(),
        place: place.clone(),
        out: String::new(),
        headings: 0,
        paragraphs: 0,
        tables: 0,
        titled: false,
        after_title: 0,
        last_year: None,
        signing: false,
        signed_at: None,
        builtin: crate::embedded::TEMPLATES.iter().find(|(n, _)| *n == form.template()).map_or("", |(_, t)| *t),
        scopes: Vec::new(),
        open: Vec::new(),
        row_loop: None,
    };
    importer.counts = vec![0; importer.data.len()];
    importer.last_year = year_of(&jobs).and_then(|y| y.parse::<u32>().ok()).map(|y| (format!("{}年", y - 1), 0));
    let mut body = None;
    for e in &entries {
        if let Entry::Part { name, part } = e {
            if name == "word/document.xml" {
                body = part.root.elements().find(|b| b.is("w:body"));
            } else if (name.starts_with("word/header") || name.starts_with("word/footer")) && !part.root.text().trim().is_empty() {
                let what = if name.starts_with("word/header") { "页眉" } else { "页脚" };
                importer.dropped.push(format!("{what}“{}”（zeren 按 GB/T 9704 自排页码，不带页眉页脚）", short(part.root.text().trim())));
            }
        }
    }
    let Some(body) = body else { return Err(bad(format!("{name} 没有正文"))) };
    let count = count_paragraphs(body);
    if count > MAX_PARAGRAPHS {
        return Err(bad(format!("{name} 有 {count} 个段落，超过上限 {MAX_PARAGRAPHS}")));
    }
    importer.header(&name);
    importer.after_title = importer.out.len();
    importer.blocks(body, 1);
    for open in std::mem::take(&mut importer.open) {
        let why = format!("{} 没有结束：后面要有单独成段的 {{{{/{}}}}}", open.tag.written(), open.tag.name);
        importer.problem(&open.tag.written(), &open.paragraph, why);
    }
    let added = importer.complete();
    if !importer.problems.is_empty() {
        return Err(Problems(importer.problems));
    }
    let mut replaced: Vec<String> = importer
        .data
        .iter()
        .zip(&importer.counts)
        .filter(|(_, n)| **n > 0)
        .map(|((text, var), n)| format!("“{text}”换成了 {{{{ {var} }}}}（{n} 处）"))
        .collect();
    if let Some((last, n)) = &importer.last_year
        && *n > 0
    {
        replaced.push(format!("“{last}”与工作区的年度不同，仍作文字（{n} 处）；若应随年度变化，请在模板中改为 {{{{ year }}}}年"));
    }
    let imported = Imported {
        markup: importer.out,
        replaced,
        dropped: unique(importer.dropped),
        added,
        headings: importer.headings,
        paragraphs: importer.paragraphs,
        tables: importer.tables,
    };
    check(&imported.markup, form, &jobs).map_err(|m| bad(format!("导入的模板无法生成{form}：{m}")))?;
    Ok(imported)
}

/// The documents of `form` the workspace makes, as the views templates receive.
fn jobs_of(ws: &Workspace, form: Form) -> Vec<Value> {
    let selection = Selection { kinds: vec![form.kind()], ..Default::default() };
    let jobs = plan::plan(ws, &selection).unwrap_or_default();
    jobs.into_iter().filter(|j| j.form == form).filter_map(|j| serde_json::to_value(&j.view).ok()).collect()
}

/// The workspace's own values a letter's text may hold: the organ, every unit's name, the year
/// (only as “2026年”), each as the variable it becomes. Longest first, so a unit's name inside
/// the organ's does not cut it.
fn data_fields(form: Form, jobs: &[Value]) -> Vec<(String, String)> {
    let index = names::index(form);
    let mut found: Vec<(String, String)> = Vec::new();
    let mut add = |text: Option<String>, var: &str| {
        if let Some(text) = text.filter(|t| t.chars().count() >= 2)
            && index.paths.contains_key(var)
            && !found.iter().any(|(t, _)| *t == text)
        {
            found.push((text, var.to_string()));
        }
    };
    for view in jobs {
        let s = |v: Option<&Value>| v.and_then(|v| v.as_str()).map(str::to_string);
        add(s(view.get("organ")), "organ");
        add(s(view.get("unit").and_then(|u| u.get("name"))), "unit.name");
    }
    if let Some(year) = year_of(jobs)
        && index.paths.contains_key("year")
    {
        found.push((format!("{year}年"), "year".into()));
    }
    found.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
    found
}

/// Each line once, in order (every section's footer says the same).
fn unique(lines: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    lines.into_iter().filter(|l| seen.insert(l.clone())).collect()
}

/// A first line that reads as a title though Word centres it by its style: short, no sentence.
fn title_like(text: &str) -> bool {
    let t = text.trim();
    t.chars().count() <= 40 && !t.ends_with(['。', '：', ':', '；', '，']) && heading(t).is_none()
}

/// The workspace's year, as its documents have it.
fn year_of(jobs: &[Value]) -> Option<String> {
    let year = jobs.first()?.get("year")?;
    year.as_u64().map(|n| n.to_string()).or(year.as_str().map(str::to_string))
}

/// Renders the template for each document and reads the markup back: the first fault, named.
fn check(markup: &str, form: Form, jobs: &[Value]) -> Result<(), String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = tmp.path().join("templates");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(form.template()), markup).map_err(|e| e.to_string())?;
    let (templates, problems) = crate::render::Templates::load(Some(tmp.path()));
    if let Some(p) = problems.0.first() {
        return Err(p.message.clone());
    }
    for view in jobs {
        let text = templates.render(form.template(), view).map_err(|p| p.message)?;
        let doc = crate::markup::parse(&text).map_err(|e| e.to_string())?;
        if let Some(v) = crate::rules::check(form.kind(), &doc).into_iter().next() {
            return Err(v.message);
        }
    }
    Ok(())
}

fn count_paragraphs(e: &Element) -> usize {
    e.elements().map(|c| usize::from(c.is("w:p")) + count_paragraphs(c)).sum()
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(30).collect();
    if s.chars().count() > 30 { format!("{t}…") } else { t }
}

/// Text as a Tera comment may hold it (a `#}` would end it).
fn comment_safe(s: &str) -> String {
    s.replace('#', "＃").replace(['\n', '\t'], " ")
}

/// Text as markup and Tera hold it: XML-escaped, each `{` printed by Tera, so nothing the
/// document says can open a tag, a variable or a statement.
fn literal(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '{' => out.push_str("{{ \"{\" }}"),
            '\n' => out.push_str("<br/>"),
            '\t' => out.push_str("<tab/>"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

impl Importer<'_> {
    /// What the kind must have and the letter lacks, from the built-in template: a title, the
    /// 文号, the signing block, the 落款, the 版记. Named for the output.
    fn complete(&mut self) -> Vec<String> {
        let mut added = Vec::new();
        let mut top = String::new();
        if !self.titled
            && let Some(title) = element(self.builtin, "title")
        {
            top.push_str(&format!("  {title}\n"));
            added.push(format!("标题 {title}"));
        }
        if self.builtin.contains("<docno>") && !self.out.contains("<docno>") {
            top.push_str("  <docno>{{ doc_no }}</docno>\n");
            added.push("文号 <docno>".into());
        }
        self.out.insert_str(self.after_title, &top);
        // The signing block and 落款 where the letter signed (before its attachments), else last.
        let mut at = self.signed_at.map_or(self.out.len(), |at| at + top.len());
        for (name, what) in [("parties", "签署栏"), ("signature", "落款"), ("imprint", "版记")] {
            if let Some(e) = element(self.builtin, name)
                && !self.out.contains(&format!("<{name}"))
            {
                // The signing block stands a line below the text, as in the built-in letters.
                let gap = if name == "parties" { "  <blank lines=\"1\"/>\n" } else { "" };
                let text = format!("{gap}  {{#- {what}取自内置模板 -#}}\n  {e}\n");
                if name == "imprint" {
                    at = self.out.len();
                }
                self.out.insert_str(at, &text);
                at += text.len();
                added.push(format!("{what} <{name}>"));
            }
        }
        self.out.push_str("</document>\n");
        added
    }

    /// The letter's own signing lines, which zeren's signing block or 落款 replaces.
    fn signing_line(&self, text: &str, align: Option<&str>) -> bool {
        let signs = self.builtin.contains("<parties") || self.builtin.contains("<signature");
        let organ = self.data.iter().find(|(_, v)| v == "organ").map(|(t, _)| t.as_str());
        let marked = ["（盖章）", "(盖章)", "（签字）", "(签字)", "签字：", "签名："].iter().any(|m| text.contains(m));
        // Once the signing lines began, lines set in columns by tabs are theirs (names, dates).
        let after = self.signing && text.contains('\t');
        signs && (marked || after || date_line(text) || (align == Some("right") && Some(text.trim()) == organ))
    }

    fn header(&mut self, name: &str) {
        let form = self.form;
        self.out.push_str(&format!(
            "{{#- 由 zeren template import 从 {} 导入的{form}模板（{}）。可用变量：zeren template vars {form} -#}}\n<document>\n",
            comment_safe(name),
            form.template()
        ));
    }

    fn blocks(&mut self, e: &Element, depth: usize) {
        for c in e.elements() {
            if c.is("w:p") {
                self.paragraph(c, depth);
            } else if c.is("w:tbl") {
                self.table(c, depth);
            } else if c.is("w:sdt") || c.is("w:sdtContent") || c.is("w:customXml") {
                self.blocks(c, depth);
            }
        }
    }

    fn indent(&mut self, depth: usize) {
        self.out.push_str(&"  ".repeat(depth));
    }

    fn paragraph(&mut self, p: &Element, depth: usize) {
        let text = paragraph_text(p);
        self.not_carried(p, &text, depth);
        if text.trim().is_empty() {
            return;
        }
        if let Some(t) = marker(&text) {
            if let Some(statement) = self.statement(&t, &text) {
                self.indent(depth);
                self.out.push_str(&format!("{statement}\n"));
            }
            return;
        }
        let align = align(p);
        let organ = self.data.iter().any(|(t, v)| v == "organ" && t == text.trim());
        let started = self.headings > 0 || self.paragraphs > 0;
        if !started && !self.titled && organ && self.builtin.contains("<letterhead") {
            self.dropped.push(format!("发文机关标志“{}”（模板中可写 <letterhead>，由 zeren 按 GB/T 9704 排）", short(text.trim())));
            return;
        }
        if self.builtin.contains("<docno>") && crate::model::DocNo::parse(text.trim()).is_ok() {
            self.dropped.push(format!("文号“{}”（由 zeren 分配并排在 <docno>）", text.trim()));
            return;
        }
        if started && (self.signing_line(&text, align) || (organ && self.builtin.contains("<signature"))) {
            self.signing = true;
            self.signed_at.get_or_insert(self.out.len());
            self.dropped.push(format!("签字盖章行“{}”（由 zeren 的签署栏或落款代替）", short(text.trim())));
            return;
        }
        let (tag, rest) = match heading(&text) {
            _ if !self.titled
                && self.headings == 0
                && self.paragraphs == 0
                && (align == Some("center") || titled(p) || title_like(&text)) =>
            {
                self.titled = true;
                ("title".to_string(), text.trim())
            }
            Some((level, rest)) if !rest.trim().is_empty() => {
                self.headings += 1;
                (format!("h{level}"), rest.trim())
            }
            None if let Some(level) = heading_style(p) => {
                self.headings += 1;
                (format!("h{level}"), text.trim())
            }
            _ => {
                self.paragraphs += 1;
                ("p".to_string(), text.trim())
            }
        };
        let attrs = match align {
            Some(a) if tag == "p" => format!(" align=\"{a}\""),
            _ => String::new(),
        };
        let inner = self.inline(rest, &text);
        self.indent(depth);
        self.out.push_str(&format!("<{tag}{attrs}>{inner}</{tag}>\n"));
        if tag == "title" {
            self.after_title = self.out.len();
        }
    }

    /// A paragraph's text as markup: its fields as variables, the workspace's values as
    /// variables, the rest escaped.
    fn inline(&mut self, text: &str, whole: &str) -> String {
        let mut out = String::new();
        for piece in self.pieces(text, whole) {
            match piece {
                Piece::Var(v) => out.push_str(&format!("{{{{ {v} }}}}")),
                Piece::Text(t) => self.data(&t, &mut out),
            }
        }
        out
    }

    /// The text split at its `{{字段}}`: each known field becomes its variable; an unknown one, a
    /// list or a section is a problem naming the paragraph.
    fn pieces(&mut self, text: &str, whole: &str) -> Vec<Piece> {
        let found = scan(text);
        let mut pieces = Vec::new();
        let mut from = 0;
        for t in found {
            pieces.push(Piece::Text(text[from..t.start].to_string()));
            from = t.end;
            match t.sigil {
                Sigil::Field => {}
                Sigil::Item => {
                    match self.scopes.last() {
                        Some((_, var)) => pieces.push(Piece::Var(var.clone())),
                        None => self.problem(&t.written(), whole, "{{.}} 表示列表中的一项，只能用在 {{#列表}} 与 {{/列表}} 之间".into()),
                    }
                    continue;
                }
                _ if self.row_loop.as_deref() == Some(t.name.as_str()) => continue,
                _ => {
                    let why = format!(
                        "{} 要单独成段（与 {{{{/{}}}}} 同层），或与 {{{{/{}}}}} 写在同一表格行中重复该行",
                        t.written(),
                        t.name,
                        t.name
                    );
                    self.problem(&t.written(), whole, why);
                    continue;
                }
            }
            match self.resolve(&t.name) {
                Some((expr, Shape::Scalar)) => pieces.push(Piece::Var(expr)),
                Some((expr, _)) => {
                    let why =
                        format!("“{}”（{expr}）是一组数据或列表，不能直接填入；请用它的某一项，或用 {{{{#{}}}}} 重复", t.name, t.name);
                    self.problem(&t.written(), whole, why);
                }
                None => {
                    let message = self.unknown(&t.name);
                    self.problem(&t.written(), whole, message);
                }
            }
        }
        pieces.push(Piece::Text(text[from..].to_string()));
        pieces
    }

    fn unknown(&self, name: &str) -> String {
        if let Some(list) = self
            .index
            .paths
            .keys()
            .find(|p| p.rsplit_once("[].").is_some_and(|(_, field)| field == name || names::chinese(self.form, p) == Some(name)))
        {
            let list_path = list.rsplit_once("[].").map(|(l, _)| l).unwrap_or_default();
            let list_name = names::chinese(self.form, list_path).unwrap_or(list_path);
            return format!("“{name}”是“{list_name}”中每一项的字段，只能用在 {{{{#{list_name}}}}} 与 {{{{/{list_name}}}}} 之间");
        }
        let scoped: Vec<String> = self
            .scopes
            .iter()
            .flat_map(|(base, _)| {
                let prefix = format!("{base}.");
                self.index.paths.keys().filter(move |p| p.starts_with(&prefix) && !p[prefix.len()..].contains("[]")).cloned()
            })
            .collect();
        let names = self
            .index
            .paths
            .keys()
            .filter(|p| !p.contains("[]"))
            .chain(scoped.iter())
            .flat_map(|p| {
                [Some(p.rsplit_once("[].").map_or(p.clone(), |(_, f)| f.to_string())), names::chinese(self.form, p).map(str::to_string)]
            })
            .flatten();
        let best = names.map(|n| (tags::distance(&n, name), n)).min();
        match best {
            Some((d, near)) if d <= name.chars().count().div_ceil(2).max(1) => format!("没有叫“{name}”的字段——是不是“{near}”？"),
            _ => format!("没有叫“{name}”的字段（可用的名称见 zeren template vars {}）", self.form),
        }
    }

    /// Text with the workspace's values made variables, the rest escaped.
    fn data(&mut self, text: &str, out: &mut String) {
        let mut rest = text;
        'scan: while !rest.is_empty() {
            for (i, (value, var)) in self.data.iter().enumerate() {
                if let Some(after) = rest.strip_prefix(value.as_str()) {
                    let year = if var == "year" { "年" } else { "" };
                    out.push_str(&format!("{{{{ {var} }}}}{year}"));
                    self.counts[i] += 1;
                    rest = after;
                    continue 'scan;
                }
            }
            if let Some((last, n)) = &mut self.last_year
                && rest.starts_with(last.as_str())
            {
                *n += 1;
            }
            let c = rest.chars().next().unwrap_or_default();
            literal(&rest[..c.len_utf8()], out);
            rest = &rest[c.len_utf8()..];
        }
    }

    fn problem(&mut self, tag: &str, paragraph: &str, message: String) {
        let p = Problem::error(self.place.clone(), "word.import-field", format!("{tag}：{message}"))
            .with_detail(format!("所在段落：“{}”", short(paragraph.trim())));
        self.problems.push(p);
    }

    /// What in the paragraph zeren does not carry over: listed, and a comment where it was.
    fn not_carried(&mut self, p: &Element, text: &str, depth: usize) {
        let mut what: Vec<&'static str> = Vec::new();
        uncarried(p, &mut what);
        what.dedup();
        if what.is_empty() {
            return;
        }
        let note = format!("{}（所在段落：“{}”）", what.join("、"), short(text.trim()));
        self.indent(depth);
        self.out.push_str(&format!("{{# 未能带入：{} #}}\n", comment_safe(&note)));
        self.dropped.push(note);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_say_the_heading_level() {
        assert_eq!(heading("一、总体要求"), Some((1, "总体要求")));
        assert_eq!(heading("（二）主体责任"), Some((2, "主体责任")));
        assert_eq!(heading("3.严格落实"), Some((3, "严格落实")));
        assert_eq!(heading("（4）加强监督"), Some((4, "加强监督")));
        assert_eq!(heading("2026年度工作"), None);
        assert_eq!(heading("1.5倍"), None);
    }

    #[test]
    fn text_stays_text() {
        let mut out = String::new();
        literal("<w:p> & {{ x }} {% if %}", &mut out);
        assert_eq!(out, "&lt;w:p&gt; &amp; {{ \"{\" }}{{ \"{\" }} x }} {{ \"{\" }}% if %}");
    }
}
