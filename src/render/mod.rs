//! render: Tera 2 templates → markup text. Data is XML-escaped on the way in, so a unit named
//! `<b>&{{x}}` stays text; a newline in data becomes `<br/>` and a tab `<tab/>` (design, settled 5).
//!
//! Templates are looked up in the workspace's `templates/` first, then the built-in set embedded
//! in the binary, so an office overrides one file without copying the rest.

mod tags;

use crate::diag::{Place, Problem, Problems};
use crate::embedded;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use tera::{Context, Kwargs, State, Tera};

/// The suffix that switches on our XML escaping.
const SUFFIX: &str = ".xml";

/// Where a template came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Builtin,
    File(PathBuf),
}

/// The compiled template set of one workspace.
pub struct Templates {
    tera: Tera,
    sources: BTreeMap<String, (Source, String)>,
    /// Templates that failed to compile: `check` cannot render them.
    broken: std::collections::BTreeSet<String>,
    /// Templates with an unknown literal tag: they render, but their markup is known bad.
    bad_tags: std::collections::BTreeSet<String>,
}

impl Templates {
    /// Compiles the built-in templates, then the workspace's overrides (`root/templates/*.xml`).
    /// Every syntax error and every unknown literal markup tag is reported with its line; the
    /// templates that compiled cleanly stay usable.
    pub fn load(workspace_root: Option<&Path>) -> (Templates, Problems) {
        let mut sources: BTreeMap<String, (Source, String)> =
            embedded::TEMPLATES.iter().map(|(name, text)| (name.to_string(), (Source::Builtin, text.to_string()))).collect();
        let mut problems = Problems::new();
        if let Some(root) = workspace_root {
            let dir = root.join("templates");
            if dir.is_dir() {
                for entry in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
                    let path = entry.path();
                    if !entry.file_type().is_file() || path.extension().is_none_or(|e| e != "xml") {
                        continue;
                    }
                    let name = path.strip_prefix(&dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
                    match std::fs::read_to_string(path) {
                        Ok(text) => {
                            sources.insert(name, (Source::File(path.to_path_buf()), text));
                        }
                        Err(e) => problems.push(Problem::error(
                            Place::File(path.to_path_buf()),
                            "template.unreadable",
                            format!("无法读取模板：{e}"),
                        )),
                    }
                }
            }
        }

        let mut tera = Tera::new();
        tera.autoescape_on([SUFFIX]);
        tera.set_escape_fn(escape_xml);
        register_filters(&mut tera);
        let mut templates = Templates { tera: Tera::new(), sources, broken: Default::default(), bad_tags: Default::default() };
        let mut broken = std::collections::BTreeSet::new();
        let mut bad_tags = std::collections::BTreeSet::new();
        for (name, (_, text)) in &templates.sources {
            for (line, column, message) in tags::unknown_literal_tags(text) {
                problems.push(Problem::error(templates.place_at(name, line, column), "template.unknown-tag", message));
                bad_tags.insert(name.clone());
            }
            if let Err(e) = tera.add_raw_template(name, text) {
                problems.push(templates.tera_problem(name, &e, "template.syntax"));
                broken.insert(name.clone());
            }
        }
        templates.tera = tera;
        templates.broken = broken;
        templates.bad_tags = bad_tags;
        (templates, problems)
    }

    /// Where a template's literal tags do not balance (a hint for post-render structure errors).
    pub fn unbalanced_tag(&self, name: &str) -> Option<(Place, String)> {
        let (_, text) = self.sources.get(name)?;
        tags::first_unbalanced_tag(text).map(|(line, column, message)| (self.place_at(name, line, column), message))
    }

    /// False for a template that did not compile.
    pub fn compiled(&self, name: &str) -> bool {
        self.sources.contains_key(name) && !self.broken.contains(name)
    }

    /// True when loading already reported an unknown tag in this template.
    pub fn has_bad_tags(&self, name: &str) -> bool {
        self.bad_tags.contains(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Renders `name` with the data of `view` into markup text.
    /// Output past `MAX_RENDERED` stops the template at once (a runaway loop is refused with a
    /// message, not by running out of memory).
    pub fn render(&self, name: &str, view: &impl serde::Serialize) -> Result<String, Problem> {
        let context = Context::from_serialize(view).map_err(|e| self.tera_problem(name, &e, "template.render"))?;
        let mut out = Limited { buf: Vec::with_capacity(32 * 1024), over: false };
        match self.tera.render_to(name, &context, &mut out) {
            Ok(()) => {
                String::from_utf8(out.buf).map_err(|_| Problem::error(self.place(name), "template.render", "模板输出不是有效的 UTF-8"))
            }
            Err(_) if out.over => Err(Problem::error(
                self.place(name),
                "template.too-large",
                format!("模板生成的内容超过 {} MB 上限（是否有失控的循环？）", MAX_RENDERED >> 20),
            )),
            Err(e) => Err(self.tera_problem(name, &e, "template.render")),
        }
    }

    /// The template as a whole, as a place in problems: its file, or the built-in template.
    pub fn place(&self, name: &str) -> Place {
        self.place_at(name, 0, 0)
    }

    pub fn source(&self, name: &str) -> Option<&Source> {
        self.sources.get(name).map(|(s, _)| s)
    }

    /// A line and column of a template (0, 0: the whole template).
    fn place_at(&self, name: &str, line: u32, column: u32) -> Place {
        match self.sources.get(name) {
            Some((Source::File(p), _)) if line == 0 => Place::File(p.clone()),
            Some((Source::File(p), _)) => Place::text(p, line, column),
            _ => match embedded::TEMPLATES.iter().find(|(n, _)| *n == name) {
                Some((template, _)) => Place::Builtin { template, line, column },
                None => Place::Nowhere,
            },
        }
    }

    fn tera_problem(&self, name: &str, e: &tera::Error, code: &'static str) -> Problem {
        let (file, report) = match e.kind() {
            tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                let file = if r.filename().is_empty() { name } else { r.filename() };
                (file.to_string(), Some(r))
            }
            _ => (name.to_string(), None),
        };
        match report {
            Some(r) => {
                let span = r.span();
                let place = self.place_at(&file, span.start_line as u32, span.start_col as u32 + 1);
                let snippet = self
                    .sources
                    .get(&file)
                    .and_then(|(_, text)| text.lines().nth(span.start_line.saturating_sub(1)))
                    .map(|l| format!("{} | {}", span.start_line, l.trim_end()));
                let kind = if code == "template.syntax" { "模板语法错误" } else { "模板渲染错误" };
                let mut p = Problem::error(place, code, format!("{kind}：{}", tera_message_zh(r.message())));
                if let Some(s) = snippet {
                    p = p.with_detail(s);
                }
                p
            }
            None => {
                // Some errors (an unknown filter…) carry their place only in the report text:
                // "error: Unknown filter `x`\n --> name:2:19".
                let text = e.to_string();
                let head = text.lines().next().unwrap_or("").trim_start_matches("error:").trim().to_string();
                let located = text.lines().find_map(|l| {
                    let rest = l.trim().strip_prefix("--> ")?;
                    let mut it = rest.rsplitn(3, ':');
                    let col: u32 = it.next()?.parse().ok()?;
                    let line: u32 = it.next()?.parse().ok()?;
                    Some((it.next()?.to_string(), line, col))
                });
                match located {
                    Some((name, line, col)) => {
                        let snippet = self
                            .sources
                            .get(&name)
                            .and_then(|(_, t)| t.lines().nth(line.saturating_sub(1) as usize))
                            .map(|l| format!("{line} | {}", l.trim_end()));
                        let mut p = Problem::error(self.place_at(&name, line, col), code, format!("模板错误：{}", tera_message_zh(&head)));
                        if let Some(s) = snippet {
                            p = p.with_detail(s);
                        }
                        p
                    }
                    None => Problem::error(self.place(&file), code, format!("模板错误：{}", tera_message_zh(&head))),
                }
            }
        }
    }
}

/// The most one document's markup may come to: a 责任书 is about 20 KB.
pub const MAX_RENDERED: usize = 16 << 20;

/// A writer that refuses to grow past `MAX_RENDERED`.
struct Limited {
    buf: Vec<u8>,
    over: bool,
}

impl Write for Limited {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.buf.len() + data.len() > MAX_RENDERED {
            self.over = true;
            return Err(std::io::Error::other("模板输出过大"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// XML escaping for data, plus newline → `<br/>` and tab → `<tab/>` (settled question 5).
fn escape_xml(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    if input.contains(crate::markup::parse::KEPT_SPACE) {
        return escape_xml(&input.replace(crate::markup::parse::KEPT_SPACE, ""), out);
    }
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep: &[u8] = match b {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'"' => b"&quot;",
            b'\'' => b"&apos;",
            b'\n' => b"<br/>",
            b'\t' => b"<tab/>",
            b'\r' => b"",
            // Data spaces are kept as written; template spaces collapse (markup::parse).
            b' ' => b"&#32;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(rep)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

fn register_filters(tera: &mut Tera) {
    // {{ 3 | cn_numeral }} → 三
    tera.register_filter("cn_numeral", |n: i64, _: Kwargs, _: &State| crate::cn::numeral(n.max(0) as u64));
    // {{ "2026-01-05" | cn_date }} → 2026年1月5日
    tera.register_filter("cn_date", |s: &str, _: Kwargs, _: &State| -> tera::TeraResult<String> {
        crate::model::Date::parse(s).map(|d| d.chinese()).map_err(|e| tera::Error::message(format!("cn_date：“{s}”不是日期（{e}）")))
    });
}

/// Tera's English messages, with the common ones put into Chinese.
fn tera_message_zh(msg: &str) -> String {
    let m = msg.trim();
    if let Some(rest) = m.strip_prefix("Variable `").and_then(|r| r.split_once('`')) {
        if rest.1.contains("not found") {
            return format!("变量 {} 未定义（检查拼写，或用 zeren template vars 查看可用变量）", rest.0);
        }
    }
    if let Some(rest) = m.strip_prefix("Field `") {
        if let Some((field, tail)) = rest.split_once("` is not defined.") {
            let available = tail.trim().strip_prefix("Available fields:").unwrap_or("").trim();
            return format!("字段 {field} 未定义（检查拼写）；这里可用的字段：{}", available.replace(", ", "、"));
        }
    }
    if let Some(rest) = m.strip_prefix("Variable `") {
        if let Some((var, tail)) = rest.split_once("` is not defined.") {
            let available = tail.trim().strip_prefix("Available variables:").unwrap_or("").trim();
            return format!("变量 {var} 未定义（检查拼写）；可用变量：{}", available.replace(", ", "、"));
        }
    }
    if let Some(ty) = m.strip_prefix("Iteration not possible on type `") {
        return format!("不能对非列表的值（{}）进行循环", ty.trim_end_matches('`'));
    }
    if let Some(f) = m.strip_prefix("Unknown filter `") {
        return format!("未知的过滤器 {}（内置过滤器另有 cn_date、cn_numeral）", f.trim_end_matches('`'));
    }
    if m.contains("not found in context") || m.contains("is not defined") || m.contains("undefined") {
        return format!("变量未定义：{m}");
    }
    if m.contains("Unknown filter") || m.contains("filter") && m.contains("not found") {
        return format!("未知的过滤器：{m}");
    }
    if m.contains("Unexpected end of input") {
        return "模板意外结束（有未闭合的 {% if %} / {% for %} 或 {{ }}）".into();
    }
    if m.contains("cannot be iterated") || m.contains("not iterable") || m.contains("Cannot iterate") {
        return format!("不能对非列表的值进行循环：{m}");
    }
    m.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_escaped_and_newlines_become_breaks() {
        let mut out = Vec::new();
        escape_xml("a<b>&\"c'\nd\te\r f", &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a&lt;b&gt;&amp;&quot;c&apos;<br/>d<tab/>e&#32;f");
    }
}
