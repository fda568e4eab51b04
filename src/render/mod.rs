//! render: Tera 2 templates → markup text. Data is XML-escaped on the way in, so a unit named
//! `<b>&{{x}}` stays text; a newline in data becomes `<br/>` and a tab `<tab/>` (design, settled 5).
//!
//! Templates are looked up in the workspace's `templates/` first, then the built-in set embedded
//! in the binary, so an office overrides one file without copying the rest.
//!
//! Every render is bounded (`limits`): a template that loops or grows without end stops with a
//! message naming its place, as any other template error.

mod errors;
pub mod limits;
mod tags;

use errors::Stage;
pub use limits::MAX_RENDERED;

use crate::diag::{Place, Problem, Problems};
use crate::embedded;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
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
    /// The problem of each template that ran into a render limit. It is not run again for the
    /// next unit: in a bulk run it would only spend its whole budget again, once per unit.
    stopped: Mutex<BTreeMap<String, Problem>>,
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
                    // Anything named *.xml but a folder is read: a FIFO or device is refused there
                    // by name rather than skipped in silence (the built-in would print instead).
                    if entry.file_type().is_dir() || path.extension().is_none_or(|e| e != "xml") {
                        continue;
                    }
                    let name = path.strip_prefix(&dir).unwrap_or(path).to_string_lossy().replace('\\', "/");
                    match read_template(path) {
                        Ok(text) => {
                            sources.insert(name, (Source::File(path.to_path_buf()), text));
                        }
                        Err(problem) => problems.push(problem),
                    }
                }
            }
        }

        let mut tera = Tera::new();
        tera.set_limits(limits::tera_limits());
        tera.autoescape_on([SUFFIX]);
        tera.set_escape_fn(escape_xml);
        register_filters(&mut tera);
        let mut templates =
            Templates { tera: Tera::new(), sources, broken: Default::default(), bad_tags: Default::default(), stopped: Default::default() };
        let mut broken = std::collections::BTreeSet::new();
        let mut bad_tags = std::collections::BTreeSet::new();
        for (name, (_, text)) in &templates.sources {
            for (line, column, message) in tags::unknown_literal_tags(text) {
                problems.push(Problem::error(templates.place_at(name, line, column), "template.unknown-tag", message));
                bad_tags.insert(name.clone());
            }
            if let Err(e) = tera.add_raw_template(name, text) {
                problems.push(templates.tera_problem(name, &e, Stage::Compile));
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

    /// Renders `name` with the data of `view` into markup text. The render is bounded in steps,
    /// memory, nesting and time (`limits`), and output past `MAX_RENDERED` stops it at once: a
    /// runaway template is refused with a message, not by running out of time or memory.
    pub fn render(&self, name: &str, view: &impl serde::Serialize) -> Result<String, Problem> {
        if let Some(problem) = self.stopped_lock().get(name) {
            return Err(problem.clone());
        }
        let context = Context::from_serialize(view).map_err(|e| self.tera_problem(name, &e, Stage::Render))?;
        let mut out = Limited { buf: Vec::with_capacity(32 * 1024), over: false };
        let stopped = match self.tera.render_to(name, &context, &mut out) {
            Ok(()) => {
                return String::from_utf8(out.buf)
                    .map_err(|_| Problem::error(self.place(name), "template.render", "模板输出不是有效的 UTF-8"));
            }
            Err(_) if out.over => Problem::error(
                self.place(name),
                "template.too-large",
                format!("模板生成的内容超过 {} MB 上限（是否有失控的循环？）", MAX_RENDERED >> 20),
            ),
            Err(e) if matches!(e.kind(), tera::ErrorKind::LimitExceeded { .. }) => self.tera_problem(name, &e, Stage::Render),
            Err(e) => return Err(self.tera_problem(name, &e, Stage::Render)),
        };
        self.stopped_lock().insert(name.to_string(), stopped.clone());
        Err(stopped)
    }

    /// The templates stopped at a limit (a poisoned lock still holds a usable map).
    fn stopped_lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Problem>> {
        self.stopped.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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

    /// A template's text, for quoting its lines in messages.
    fn source_text(&self, name: &str) -> Option<&str> {
        self.sources.get(name).map(|(_, text)| text.as_str())
    }
}

/// Reads a workspace template, refusing one too large to be a template.
fn read_template(path: &Path) -> Result<String, Problem> {
    use std::io::Read;
    let unreadable =
        |e: std::io::Error| Problem::error(Place::File(path.to_path_buf()), "template.unreadable", format!("无法读取模板：{e}"));
    let mut bytes = Vec::new();
    crate::input::regular(path)
        .and_then(|_| std::fs::File::open(path))
        .and_then(|f| f.take(limits::MAX_TEMPLATE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > limits::MAX_TEMPLATE_BYTES {
        return Err(Problem::error(
            Place::File(path.to_path_buf()),
            "template.too-large",
            format!("模板文件超过 {} MB，不像是模板", limits::MAX_TEMPLATE_BYTES >> 20),
        ));
    }
    String::from_utf8(bytes).map_err(|_| unreadable(std::io::Error::other("不是 UTF-8 编码的文本")))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_is_escaped_and_newlines_become_breaks() {
        let mut out = Vec::new();
        escape_xml("a<b>&\"c'\nd\te\r f", &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a&lt;b&gt;&amp;&quot;c&apos;<br/>d<tab/>e&#32;f");
    }

    /// A workspace whose `templates/` holds `files`, loaded.
    fn templates_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Templates, Problems) {
        let root = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = root.path().join("templates").join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let (templates, problems) = Templates::load(Some(root.path()));
        (root, templates, problems)
    }

    #[test]
    fn a_runaway_render_is_a_located_problem() {
        let loops = "<document>\n{% for i in range(end=100000) %}{% for j in range(end=100000) %}{% endfor %}{% endfor %}</document>";
        let (_root, templates, problems) = templates_with(&[("x.xml", loops)]);
        assert!(problems.is_empty(), "{problems:?}");
        let p = templates.render("x.xml", &serde_json::json!({})).unwrap_err();
        assert_eq!(p.code, "template.limit");
        assert_eq!((p.place.line(), p.place.column()), (Some(2), Some(45)), "the inner loop's list: {p:?}");
        assert!(p.message.contains("已中止"), "{}", p.message);
        // The next unit's document is not run again: the same problem comes back at once.
        assert!(templates.stopped_lock().contains_key("x.xml"));
        assert_eq!(templates.render("x.xml", &serde_json::json!({})).unwrap_err(), p);
    }

    #[test]
    fn tera_error_kinds_are_told_by_type() {
        let (_root, _templates, problems) = templates_with(&[("a.xml", "{% include \"a.xml\" %}")]);
        let p = problems.iter().find(|p| p.code == "template.syntax").expect("a problem");
        assert!(p.message.contains("模板相互包含（include）成环：a.xml → a.xml"), "{}", p.message);

        let (_root, _templates, problems) = templates_with(&[("b.xml", "<document>\n  {{ 1 | shout }}</document>")]);
        let p = problems.iter().next().expect("a problem");
        assert_eq!((p.place.line(), p.place.column()), (Some(2), Some(10)), "{p:?}");
        assert!(p.message.contains("未知的过滤器 shout"), "{}", p.message);
    }
}
