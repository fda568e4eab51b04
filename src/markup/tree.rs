//! Rendered markup → a tree of elements and text, before the vocabulary is checked. Every tag
//! is counted against the document's bounds (`limits`) before it is allocated.

use super::limits::Counts;
use super::parse::{KEPT_SPACE, MarkupError};
use quick_xml::Reader;
use quick_xml::events::Event;

/// A parsed element before it is checked against the vocabulary.
#[derive(Debug)]
pub(super) struct Element {
    pub(super) name: String,
    pub(super) attrs: Vec<(String, String)>,
    pub(super) children: Vec<Node>,
    /// Byte offset of its start tag in the rendered text.
    pub(super) at: usize,
}

#[derive(Debug)]
pub(super) enum Node {
    Element(Element),
    Text(String),
}

/// The element tree of one document's markup, its tags counted against the document's bounds.
pub(super) fn tree(markup: &str, lines: &LineIndex) -> Result<Element, MarkupError> {
    let mut reader = Reader::from_str(markup);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut counts = Counts::default();
    let err = |at: usize, message: String| {
        let (line, column) = lines.at(at);
        MarkupError::structure(line, column, message)
    };
    let too_large = |at: usize, cap| {
        let (line, column) = lines.at(at);
        MarkupError::too_large(line, column, cap)
    };
    loop {
        let at = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| {
            let pos = reader.error_position() as usize;
            err(pos, format!("标记语法错误：{}", xml_error_zh(&e)))
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                let _ = e;
                return Err(err(at, "<document> 之后不能再有内容".into()));
            }
            Event::Start(e) => {
                counts.add(e.name().as_ref()).map_err(|cap| too_large(at, cap))?;
                stack.push(element(&e, at, lines)?);
            }
            Event::Empty(e) => {
                counts.add(e.name().as_ref()).map_err(|cap| too_large(at, cap))?;
                let el = element(&e, at, lines)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(el)),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or_else(|| err(at, "多余的结束标记".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(el)),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                push_text(&mut stack, &text, at, &err, root.is_some())?;
            }
            Event::CData(t) => {
                let text = t.into_inner().into_owned();
                push_text(&mut stack, &text, at, &err, root.is_some())?;
            }
            Event::GeneralRef(r) => {
                let text = if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        // A space written as a reference is data's own (the escape function
                        // writes data spaces so): it is kept, not collapsed like template space.
                        Ok(Some(' ')) => KEPT_SPACE.to_string(),
                        Ok(Some(c)) => c.to_string(),
                        _ => return Err(err(at, "无效的字符引用".into())),
                    }
                } else {
                    let name = r.xml10_content();
                    match &*name {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => return Err(err(at, format!("未知的实体 &{other};"))),
                    }
                };
                push_text(&mut stack, &text, at, &err, root.is_some())?;
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(err(open.at, format!("<{}> 没有结束标记", open.name)));
    }
    root.ok_or_else(|| err(0, "模板没有输出任何内容（应以 <document> 开头）".into()))
}

fn push_text(
    stack: &mut [Element],
    text: &str,
    at: usize,
    err: &dyn Fn(usize, String) -> MarkupError,
    after_root: bool,
) -> Result<(), MarkupError> {
    match stack.last_mut() {
        Some(parent) => {
            if let Some(Node::Text(prev)) = parent.children.last_mut() {
                prev.push_str(text);
            } else {
                parent.children.push(Node::Text(text.to_string()));
            }
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None if after_root => Err(err(at, "<document> 之后不能再有文字".into())),
        None => Err(err(at, "文字应写在 <document> 之内".into())),
    }
}

fn element(e: &quick_xml::events::BytesStart, at: usize, lines: &LineIndex) -> Result<Element, MarkupError> {
    let name = e.name().as_ref().to_string();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| {
            let (line, column) = lines.at(at);
            MarkupError::structure(line, column, format!("<{name}> 的属性有误：{x}"))
        })?;
        let key = a.key.as_ref().to_string();
        let value = a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_default();
        attrs.push((key, value));
    }
    Ok(Element { name, attrs, children: Vec::new(), at })
}

fn xml_error_zh(e: &quick_xml::Error) -> String {
    let text = e.to_string();
    // "ill-formed document: expected `</p>`, but `</document>` was found"
    if let Some(rest) = text.split_once("expected `").map(|(_, r)| r) {
        if let Some((want, tail)) = rest.split_once("`, but `") {
            let found = tail.split('`').next().unwrap_or("");
            return format!("开始与结束标记不匹配：应为 {want}，却遇到 {found}");
        }
    }
    if text.contains("unclosed") || text.contains("Unexpected EOF") {
        return format!("标记没有闭合（{text}）");
    }
    text
}

/// Byte offset → 1-based line and column (in characters).
pub(super) struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { text, starts }
    }

    pub(super) fn at(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line as u32 + 1, col as u32 + 1)
    }
}
