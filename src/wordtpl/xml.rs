//! A part of a .docx as a tree that writes back as it was read: element names and attributes
//! are kept as written, text as escaped in the file, comments and declarations verbatim. Only
//! what the filler changes is written anew (and escaped then).

use quick_xml::Reader;
use quick_xml::events::Event;

#[derive(Debug, Clone)]
pub enum Node {
    Element(Element),
    /// Text as it stands in the file (escaped).
    Raw(String),
    /// Text zeren put there, not yet escaped.
    Value(String),
}

#[derive(Debug, Clone)]
pub struct Element {
    /// The qualified name as written: `w:p`.
    pub name: String,
    /// The attributes as written, with their leading space.
    pub attrs: String,
    pub children: Vec<Node>,
}

impl Element {
    pub fn new(name: &str) -> Element {
        Element { name: name.to_string(), attrs: String::new(), children: Vec::new() }
    }

    pub fn is(&self, name: &str) -> bool {
        self.name == name
    }

    pub fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| if let Node::Element(e) = n { Some(e) } else { None })
    }

    /// An attribute's value as written (still escaped).
    pub fn attr(&self, name: &str) -> Option<&str> {
        let at = find_attr(&self.attrs, name)?;
        let rest = &self.attrs[at + name.len()..];
        let rest = rest.trim_start().strip_prefix('=')?.trim_start();
        let quote = rest.chars().next()?;
        let body = &rest[1..];
        body.find(quote).map(|end| &body[..end])
    }

    /// Sets (or adds) an attribute; `value` must need no escaping.
    pub fn set_attr(&mut self, name: &str, value: &str) {
        self.remove_attr(name);
        self.attrs.push_str(&format!(" {name}=\"{value}\""));
    }

    pub fn remove_attr(&mut self, name: &str) {
        let Some(at) = find_attr(&self.attrs, name) else { return };
        let Some(old) = self.attr(name).map(str::len) else { return };
        // ` name="value"`: from the space before the name to the closing quote.
        let start = self.attrs[..at].trim_end().len();
        let eq = self.attrs[at..].find('=').map_or(at, |i| at + i);
        let open = self.attrs[eq..].find(['"', '\'']).map_or(eq, |i| eq + i);
        let end = (open + 1 + old + 1).min(self.attrs.len());
        self.attrs.replace_range(start..end, "");
    }

    /// The element's text as Word shows it (the `w:t` in it), for messages.
    pub fn text(&self) -> String {
        let mut s = String::new();
        collect_text(self, &mut s);
        s
    }
}

fn collect_text(e: &Element, out: &mut String) {
    for n in &e.children {
        match n {
            Node::Element(c) if c.is("w:t") => out.push_str(&text_of(c)),
            Node::Element(c) => collect_text(c, out),
            _ => {}
        }
    }
}

/// The text of a `w:t`, unescaped.
pub fn text_of(t: &Element) -> String {
    let mut s = String::new();
    for n in &t.children {
        match n {
            Node::Raw(r) => s.push_str(&quick_xml::escape::unescape(r).map(|c| c.into_owned()).unwrap_or_else(|_| r.clone())),
            Node::Value(v) => s.push_str(v),
            Node::Element(_) => {}
        }
    }
    s
}

/// Where ` name=` starts in raw attributes (at a word boundary).
fn find_attr(attrs: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = attrs[from..].find(name) {
        let at = from + i;
        let before = attrs[..at].chars().next_back();
        let after = attrs[at + name.len()..].trim_start().starts_with('=');
        if before.is_some_and(char::is_whitespace) && after {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

/// A part's prolog (declaration, comments before the root) and its root element.
#[derive(Debug, Clone)]
pub struct Part {
    pub prolog: String,
    pub root: Element,
}

/// Why a part could not be read.
#[derive(Debug)]
pub struct XmlError(pub String);

const MAX_DEPTH: usize = 200;

pub fn parse(text: &str) -> Result<Part, XmlError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut prolog = String::new();
    let mut root: Option<Element> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let event = reader.read_event().map_err(|e| XmlError(format!("位置 {}：{e}", reader.error_position())))?;
        let raw = &text[before..reader.buffer_position() as usize];
        match event {
            // Word nests a few dozen deep; a deeper part is not a document (and would exhaust
            // the stack of the recursive walks).
            Event::Start(_) if stack.len() >= MAX_DEPTH => return Err(XmlError(format!("元素嵌套超过 {MAX_DEPTH} 层"))),
            Event::Start(e) => {
                stack.push(Element { name: e.name().as_ref().to_string(), attrs: prefixed(e.attributes_raw()), children: Vec::new() })
            }
            Event::Empty(e) => {
                let el = Element { name: e.name().as_ref().to_string(), attrs: prefixed(e.attributes_raw()), children: Vec::new() };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(el)),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else { return Err(XmlError("多余的结束标记".into())) };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(Node::Element(done)),
                    None => root = Some(done),
                }
            }
            Event::Eof => break,
            // Text, references, CDATA, comments, processing instructions: kept as written.
            _ => match stack.last_mut() {
                Some(parent) => match parent.children.last_mut() {
                    Some(Node::Raw(prev)) => prev.push_str(raw),
                    _ => parent.children.push(Node::Raw(raw.to_string())),
                },
                None if root.is_none() => prolog.push_str(raw),
                None => {}
            },
        }
    }
    if !stack.is_empty() {
        return Err(XmlError("标记没有结束".into()));
    }
    root.map(|root| Part { prolog, root }).ok_or_else(|| XmlError("没有根元素".into()))
}

/// Raw attributes with one leading space (quick-xml gives them with the space after the name).
fn prefixed(raw: &str) -> String {
    if raw.trim().is_empty() { String::new() } else { format!(" {}", raw.trim_start()) }
}

impl Part {
    pub fn write(&self) -> String {
        let mut out = String::with_capacity(64 * 1024);
        out.push_str(&self.prolog);
        write_element(&self.root, &mut out);
        out
    }
}

fn write_element(e: &Element, out: &mut String) {
    out.push('<');
    out.push_str(&e.name);
    out.push_str(&e.attrs);
    if e.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for n in &e.children {
        match n {
            Node::Element(c) => write_element(c, out),
            Node::Raw(r) => out.push_str(r),
            Node::Value(v) => out.push_str(&quick_xml::escape::escape(v.as_str())),
        }
    }
    out.push_str("</");
    out.push_str(&e.name);
    out.push('>');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_writes_back_as_it_was_read() {
        let text = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="x"><!-- c --><w:body><w:p w:rsidR="00A1B2C3"><w:r><w:t xml:space="preserve"> A&amp;B &#x4E2D;</w:t></w:r></w:p></w:body></w:document>"#;
        let part = parse(text).unwrap();
        assert_eq!(part.write(), text);
        assert_eq!(part.root.text(), " A&B 中");
    }

    #[test]
    fn attributes_are_found_removed_and_set() {
        let mut e = Element { name: "w:p".into(), attrs: r#" w14:paraId="1A" w:rsidR="2B" w14:textId='3C'"#.into(), children: Vec::new() };
        assert_eq!(e.attr("w:rsidR"), Some("2B"));
        e.remove_attr("w14:paraId");
        e.remove_attr("w14:textId");
        assert_eq!(e.attrs, r#" w:rsidR="2B""#);
        e.set_attr("w:rsidR", "9Z");
        assert_eq!(e.attrs, r#" w:rsidR="9Z""#);
    }

    #[test]
    fn a_part_nested_too_deep_is_refused() {
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH + 1), "</a>".repeat(MAX_DEPTH + 1));
        assert!(parse(&deep).is_err());
    }
}
