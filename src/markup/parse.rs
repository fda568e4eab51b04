//! Parses rendered markup (our own small XML vocabulary) into a `Document`.
//!
//! Data reaches this text XML-escaped, so only a template's own tags can make structure. White
//! space that belongs to the template collapses as in HTML; a line break or tab that came from
//! data arrives as `<br/>` / `<tab/>` and survives.

use super::document::*;
use super::limits::{Cap, bump_by};
use super::tree::{Element, LineIndex, Node, tree};
use super::vocabulary::{self, Tag};
use crate::cn;
use std::fmt;

/// A markup problem at a line and column of the *rendered* text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkupError {
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub kind: MarkupErrorKind,
}

/// Whose fault a markup error is, which decides how it is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkupErrorKind {
    /// Not well formed, or not our vocabulary: the template's own tags are wrong.
    Structure,
    /// Well formed, but more than one document may hold (`limits`): too much data, or a
    /// template that repeats too much.
    TooLarge(Cap),
}

impl MarkupError {
    pub(super) fn structure(line: u32, column: u32, message: String) -> MarkupError {
        MarkupError { line, column, message, kind: MarkupErrorKind::Structure }
    }

    pub(super) fn too_large(line: u32, column: u32, cap: Cap) -> MarkupError {
        MarkupError { line, column, message: cap.message(), kind: MarkupErrorKind::TooLarge(cap) }
    }
}

impl fmt::Display for MarkupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

pub fn parse(markup: &str) -> Result<Document, MarkupError> {
    let lines = LineIndex::new(markup);
    let root = tree(markup, &lines)?;
    let mut b = Builder { lines: &lines, doc: Document::default(), heading: [0; 4], paragraphs: 0 };
    if root.name != "document" {
        return Err(b.err(root.at, format!("最外层应为 <document>，实为 <{}>", root.name)));
    }
    b.blocks(&root)?;
    if b.doc.format == Format::Letter && !matches!(b.doc.blocks.first(), Some(Block::Letterhead { .. })) {
        return Err(b.err(root.at, "信函格式（format=\"letter\"）的文件应以 <letterhead> 开头：发文机关标志和文号".into()));
    }
    number_attachments(&mut b.doc);
    Ok(b.doc)
}

pub(super) struct Builder<'a> {
    lines: &'a LineIndex<'a>,
    doc: Document,
    /// Counters of heading levels 1–4 for 一、/（一）/1./（1）.
    heading: [u32; 4],
    /// Paragraphs so far, against `limits::MAX_PARAGRAPHS`.
    paragraphs: usize,
}

impl Builder<'_> {
    pub(super) fn err(&self, at: usize, message: String) -> MarkupError {
        let (line, column) = self.lines.at(at);
        MarkupError::structure(line, column, message)
    }

    pub(super) fn tag(&self, el: &Element) -> Result<Tag, MarkupError> {
        vocabulary::tag(&el.name)
            .ok_or_else(|| self.err(el.at, format!("未知的标记 <{}>；可用标记：{}", el.name, vocabulary::NAMES.join(" "))))
    }

    pub(super) fn attr<'e>(&self, el: &'e Element, key: &str) -> Option<&'e str> {
        el.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub(super) fn check_attrs(&self, el: &Element, allowed: &[&str]) -> Result<(), MarkupError> {
        for (k, _) in &el.attrs {
            if !allowed.contains(&k.as_str()) {
                let list = if allowed.is_empty() { "无".to_string() } else { allowed.join(" ") };
                return Err(self.err(el.at, format!("<{}> 没有属性 {k}（可用：{list}）", el.name)));
            }
        }
        Ok(())
    }

    pub(super) fn number_attr(
        &self,
        el: &Element,
        key: &str,
        default: u32,
        range: std::ops::RangeInclusive<u32>,
    ) -> Result<u32, MarkupError> {
        match self.attr(el, key) {
            None => Ok(default),
            Some(v) => match v.trim().parse::<u32>() {
                Ok(n) if range.contains(&n) => Ok(n),
                _ => Err(self.err(el.at, format!("<{}> 的 {key}=\"{v}\" 应为 {}–{} 的整数", el.name, range.start(), range.end()))),
            },
        }
    }

    pub(super) fn align_attr(&self, el: &Element, default: Align) -> Result<Align, MarkupError> {
        match self.attr(el, "align") {
            None => Ok(default),
            Some("justify") => Ok(Align::Justify),
            Some("left") => Ok(Align::Left),
            Some("center") => Ok(Align::Center),
            Some("right") => Ok(Align::Right),
            Some(v) => Err(self.err(el.at, format!("align=\"{v}\" 无效；应为 left、center、right 或 justify"))),
        }
    }

    /// Children of `<document>`: blocks only (template white space between them is ignored).
    fn blocks(&mut self, root: &Element) -> Result<(), MarkupError> {
        self.check_attrs(root, &["format"])?;
        self.doc.format = match self.attr(root, "format") {
            None | Some("standard") => Format::Standard,
            Some("letter") => Format::Letter,
            Some(v) => {
                return Err(self.err(root.at, format!("format=\"{v}\" 无效；应为 standard（公文格式）或 letter（信函格式）")));
            }
        };
        for node in &root.children {
            match node {
                Node::Text(t) if t.trim().is_empty() => {}
                Node::Text(t) => {
                    return Err(self.err(root.at, format!("文字“{}”应放在 <p> 等块标记之内", short(t))));
                }
                Node::Element(el) => self.block(el)?,
            }
        }
        Ok(())
    }

    fn block(&mut self, el: &Element) -> Result<(), MarkupError> {
        let tag = self.tag(el)?;
        let block = match tag {
            Tag::Title => {
                self.check_attrs(el, &[])?;
                Block::Title(self.inlines(el)?)
            }
            Tag::Letterhead => {
                self.check_attrs(el, &[])?;
                self.only_children(el, &["organ", "docno"])?;
                Block::Letterhead { organ: self.child_inlines(el, "organ")?, doc_no: self.child_inlines(el, "docno")? }
            }
            Tag::DocNo => {
                self.check_attrs(el, &[])?;
                Block::DocNo(self.inlines(el)?)
            }
            Tag::To => {
                self.check_attrs(el, &[])?;
                Block::Addressee(self.inlines(el)?)
            }
            Tag::P => {
                self.check_attrs(el, &["align", "indent"])?;
                let indent = match self.attr(el, "indent") {
                    None | Some("2") => true,
                    Some("0") => false,
                    Some(v) => return Err(self.err(el.at, format!("indent=\"{v}\" 无效；应为 2（首行空二字）或 0（顶格）"))),
                };
                Block::Paragraph(Paragraph { text: self.inlines(el)?, align: self.align_attr(el, Align::Justify)?, indent })
            }
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 => {
                self.check_attrs(el, &["numbered"])?;
                let level = match tag {
                    Tag::H1 => 1,
                    Tag::H2 => 2,
                    Tag::H3 => 3,
                    _ => 4,
                };
                let number = match self.attr(el, "numbered") {
                    Some("false") => String::new(),
                    None | Some("true") => self.next_heading(level),
                    Some(v) => return Err(self.err(el.at, format!("numbered=\"{v}\" 应为 true 或 false"))),
                };
                Block::Heading { level, number, text: self.inlines(el)? }
            }
            Tag::List => return self.list(el),
            Tag::Table => Block::Table(self.table(el)?),
            Tag::Signature => {
                self.check_attrs(el, &[])?;
                let organ = self.child_inlines(el, "organ")?;
                let date = self.child_inlines(el, "date")?;
                self.only_children(el, &["organ", "date"])?;
                Block::Signature { organ, date }
            }
            Tag::Parties => Block::Parties(self.parties(el)?),
            Tag::Blank => {
                self.check_attrs(el, &["lines"])?;
                self.no_content(el)?;
                Block::Blank(self.number_attr(el, "lines", 1, 1..=22)?)
            }
            Tag::PageBreak => {
                self.check_attrs(el, &[])?;
                self.no_content(el)?;
                Block::PageBreak
            }
            Tag::Attachments => {
                self.check_attrs(el, &["label"])?;
                let items = self.element_children(el, &["item"])?.into_iter().map(|i| self.inlines(i)).collect::<Result<Vec<_>, _>>()?;
                Block::Attachments { label: self.attr(el, "label").unwrap_or("").to_string(), items }
            }
            Tag::Imprint => self.imprint(el)?,
            Tag::Attachment => {
                self.check_attrs(el, &["label"])?;
                Block::Attachment { label: self.attr(el, "label").unwrap_or("").to_string(), title: self.inlines(el)? }
            }
            _ => return Err(self.err(el.at, format!("<{}> 不能直接放在 <document> 里", el.name))),
        };
        self.count_paragraphs(el, paragraphs_in(&block))?;
        self.doc.blocks.push(block);
        Ok(())
    }

    /// Counts a block's paragraphs before it is kept, refusing a document with too many.
    fn count_paragraphs(&mut self, el: &Element, n: usize) -> Result<(), MarkupError> {
        bump_by(&mut self.paragraphs, n, Cap::Paragraphs).map_err(|cap| {
            let (line, column) = self.lines.at(el.at);
            MarkupError::too_large(line, column, cap)
        })
    }

    fn next_heading(&mut self, level: u8) -> String {
        let i = usize::from(level - 1);
        self.heading[i] += 1;
        for lower in &mut self.heading[i + 1..] {
            *lower = 0;
        }
        let n = self.heading[i];
        match level {
            1 => format!("{}、", cn::numeral(u64::from(n))),
            2 => format!("（{}）", cn::numeral(u64::from(n))),
            3 => format!("{n}."),
            _ => format!("（{n}）"),
        }
    }

    fn list(&mut self, el: &Element) -> Result<(), MarkupError> {
        self.check_attrs(el, &["style", "start"])?;
        let style = self.attr(el, "style").unwrap_or("1.");
        if !["1.", "（1）", "一、", "（一）"].contains(&style) {
            return Err(self.err(el.at, format!("<list style=\"{style}\"> 无效；应为 1. 、（1）、一、 或 （一）")));
        }
        let start = self.number_attr(el, "start", 1, 1..=9999)?;
        for (i, item) in self.element_children(el, &["item"])?.into_iter().enumerate() {
            self.check_attrs(item, &[])?;
            let n = start + i as u32;
            let marker = match style {
                "（1）" => format!("（{n}）"),
                "一、" => format!("{}、", cn::numeral(u64::from(n))),
                "（一）" => format!("（{}）", cn::numeral(u64::from(n))),
                _ => format!("{n}."),
            };
            let text = self.inlines(item)?;
            self.count_paragraphs(item, 1)?;
            self.doc.blocks.push(Block::ListItem { marker, text });
        }
        Ok(())
    }

    /// Elements among `el`'s children, each named in `allowed`; stray text is an error.
    pub(super) fn element_children<'e>(&self, el: &'e Element, allowed: &[&str]) -> Result<Vec<&'e Element>, MarkupError> {
        let mut out = Vec::new();
        for node in &el.children {
            match node {
                Node::Text(t) if t.trim().is_empty() => {}
                Node::Text(t) => {
                    return Err(self.err(el.at, format!("<{}> 里的文字“{}”应放在 <{}> 之内", el.name, short(t), allowed[0])));
                }
                Node::Element(c) if allowed.contains(&c.name.as_str()) => out.push(c),
                Node::Element(c) => {
                    self.tag(c)?;
                    return Err(self.err(c.at, format!("<{}> 不能放在 <{}> 里（这里只能用 <{}>）", c.name, el.name, allowed.join("> <"))));
                }
            }
        }
        Ok(out)
    }

    pub(super) fn only_children(&self, el: &Element, allowed: &[&str]) -> Result<(), MarkupError> {
        self.element_children(el, allowed).map(|_| ())
    }

    pub(super) fn no_content(&self, el: &Element) -> Result<(), MarkupError> {
        if el.children.iter().any(|n| !matches!(n, Node::Text(t) if t.trim().is_empty())) {
            return Err(self.err(el.at, format!("<{}/> 不能有内容", el.name)));
        }
        Ok(())
    }

    pub(super) fn child_inlines(&self, el: &Element, name: &str) -> Result<Vec<Inline>, MarkupError> {
        let child = el.children.iter().find_map(|n| match n {
            Node::Element(c) if c.name == name => Some(c),
            _ => None,
        });
        match child {
            Some(c) => self.inlines(c),
            None => Err(self.err(el.at, format!("<{}> 缺少 <{name}>", el.name))),
        }
    }

    pub(super) fn optional_child_inlines(&self, el: &Element, name: &str) -> Result<Vec<Inline>, MarkupError> {
        if el.children.iter().any(|n| matches!(n, Node::Element(c) if c.name == name)) {
            self.child_inlines(el, name)
        } else {
            Ok(Vec::new())
        }
    }

    /// Inline content: text, `<br/>`, `<tab/>`; template white space collapsed.
    pub(super) fn inlines(&self, el: &Element) -> Result<Vec<Inline>, MarkupError> {
        let mut raw: Vec<Inline> = Vec::new();
        for node in &el.children {
            match node {
                Node::Text(t) => raw.push(Inline::Text(t.clone())),
                Node::Element(c) => match self.tag(c)? {
                    Tag::Br => {
                        self.check_attrs(c, &[])?;
                        self.no_content(c)?;
                        raw.push(Inline::Break)
                    }
                    Tag::Tab => {
                        self.check_attrs(c, &[])?;
                        self.no_content(c)?;
                        raw.push(Inline::Tab)
                    }
                    _ => return Err(self.err(c.at, format!("<{}> 不能放在 <{}> 的文字里", c.name, el.name))),
                },
            }
        }
        Ok(collapse(raw))
    }
}

/// GB/T 9704 7.3.7: a document's attachments are numbered (附件1, 附件2) when there are several.
fn number_attachments(doc: &mut Document) {
    let count = doc.blocks.iter().filter(|b| matches!(b, Block::Attachment { .. })).count();
    if count < 2 {
        return;
    }
    let mut n = 0;
    for block in &mut doc.blocks {
        if let Block::Attachment { label, .. } = block {
            n += 1;
            label.push_str(&n.to_string());
        }
    }
}

/// How many paragraphs layout writes for a block, as far as `limits` counts them (table cells
/// are counted apart).
fn paragraphs_in(block: &Block) -> usize {
    match block {
        Block::Blank(lines) => *lines as usize,
        Block::Table(_) => 0,
        Block::Parties(parties) => parties.iter().map(|p| 3 + 2 * p.signs.len()).sum(),
        Block::Attachment { .. } => 3,
        Block::Attachments { items, .. } => items.len().max(1),
        Block::Letterhead { .. } | Block::Signature { .. } => 2,
        Block::Imprint { lines, .. } => 1 + lines.len(),
        _ => 1,
    }
}

/// HTML-like white space: a run containing a template newline vanishes next to CJK text and
/// becomes one space between Latin words; other runs become one space; ends are trimmed.
fn collapse(raw: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for item in raw {
        match item {
            Inline::Text(t) => match out.last_mut() {
                Some(Inline::Text(prev)) => prev.push_str(&t),
                _ => out.push(Inline::Text(t)),
            },
            other => out.push(other),
        }
    }
    let n = out.len();
    for (i, item) in out.iter_mut().enumerate() {
        if let Inline::Text(t) = item {
            *t = collapse_text(t, i == 0, i + 1 == n);
        }
    }
    out.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    for item in &mut out {
        if let Inline::Text(t) = item {
            if t.contains(KEPT_SPACE) {
                *t = t.replace(KEPT_SPACE, " ");
            }
        }
    }
    out
}

/// Stands for a data space while template white space collapses: a Unicode noncharacter,
/// which no text carries (the escape function drops it from data).
pub const KEPT_SPACE: char = '\u{FDD0}';

fn collapse_text(s: &str, trim_start: bool, trim_end: bool) -> String {
    // ASCII white space never occurs inside a multi-byte character: scan bytes, copy slices.
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if bytes[i].is_ascii_whitespace() {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            let at_start = start == 0 && trim_start;
            let at_end = i == bytes.len() && trim_end;
            if at_start || at_end {
                continue;
            }
            let has_newline = bytes[start..i].iter().any(|&b| b == b'\n' || b == b'\r');
            let before = out.chars().next_back();
            let after = s[i..].chars().next();
            let cjk_side = before.is_some_and(|c| !c.is_ascii()) || after.is_some_and(|c| !c.is_ascii());
            if !(has_newline && cjk_side) {
                out.push(' ');
            }
        } else {
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            out.push_str(&s[start..i]);
        }
    }
    out
}

pub(super) fn short(t: &str) -> String {
    let t = t.trim();
    let s: String = t.chars().take(12).collect();
    if t.chars().count() > 12 { format!("{s}…") } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_number_themselves() {
        let doc = parse("<document><h1>甲</h1><h2>乙</h2><h2>丙</h2><h1>丁</h1><h2>戊</h2><h3>己</h3></document>").unwrap();
        let numbers: Vec<_> = doc
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { number, .. } => Some(number.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(numbers, ["一、", "（一）", "（二）", "二、", "（一）", "1."]);
    }

    #[test]
    fn data_spaces_survive_the_collapse() {
        let doc = parse("<document><p>\n  a&#32;&#32;&#32;b&#32;</p></document>").unwrap();
        assert_eq!(doc.text(), "a   b \n");
    }

    #[test]
    fn template_whitespace_collapses_but_data_breaks_survive() {
        let doc = parse("<document>\n  <p>\n    第一行<br/>第二行\n    继续 text\n    more\n  </p>\n</document>").unwrap();
        assert_eq!(doc.text(), "第一行\n第二行继续 text more\n");
    }

    #[test]
    fn errors_point_at_the_rendered_line() {
        let e = parse("<document>\n<p>好</p>\n<para>坏</para>\n</document>").unwrap_err();
        assert_eq!((e.line, e.column), (3, 1));
        assert!(e.message.contains("未知的标记 <para>"), "{}", e.message);
        let e = parse("<document>\n<p>未闭合\n</document>").unwrap_err();
        assert!(e.line >= 2, "{e}");
    }

    #[test]
    fn table_grid_counts_spans() {
        let doc = parse(
            "<document><table widths='1,2,3'><tr header='true'><td>a</td><td colspan='2'>b</td></tr>\
             <tr><td rowspan='2'>c</td><td>d</td><td>e</td></tr><tr><td>f</td><td>g</td></tr></table></document>",
        )
        .unwrap();
        let Block::Table(t) = &doc.blocks[0] else { panic!() };
        assert_eq!(t.widths.as_deref(), Some(&[1, 2, 3][..]));
        assert_eq!(t.columns, 3);
        assert!(t.rows[0].header);
        let bad = parse("<document><table><tr><td>a</td></tr><tr><td>b</td><td>c</td></tr></table></document>");
        assert!(bad.unwrap_err().message.contains("列数"));
    }

    #[test]
    fn each_bound_is_checked_at_the_tag_that_passes_it() {
        use super::super::limits::*;
        let doc = |body: String| format!("<document>\n{body}</document>");
        let cases = [
            (doc("<p>x</p>".repeat(MAX_PARAGRAPHS + 1)), Cap::Paragraphs),
            (doc("<list>".to_string() + &"<item>x</item>".repeat(MAX_PARAGRAPHS + 1) + "</list>"), Cap::Paragraphs),
            (doc(format!("<blank lines=\"22\"/>").repeat(MAX_PARAGRAPHS / 22 + 1)), Cap::Paragraphs),
            (doc(format!("<table>{}</table>", "<tr><td>x</td></tr>".repeat(MAX_TABLE_ROWS + 1))), Cap::TableRows),
            (
                doc(format!(
                    "<table>{}</table>",
                    "<tr><td>x</td><td>x</td><td>x</td><td>x</td><td>x</td><td>x</td></tr>".repeat(MAX_TABLE_CELLS / 6 + 1)
                )),
                Cap::TableCells,
            ),
            (doc(format!("<p>{}</p>", "a<br/>".repeat(MAX_BREAKS / 2) + &"b<tab/>".repeat(MAX_BREAKS / 2 + 1))), Cap::Breaks),
            (doc("<x/>".repeat(MAX_ELEMENTS + 1)), Cap::Elements),
        ];
        for (markup, cap) in cases {
            let e = parse(&markup).unwrap_err();
            assert_eq!(e.kind, MarkupErrorKind::TooLarge(cap), "{cap:?}: {e}");
            assert_eq!(e.line, 2, "{cap:?}: the place is the tag that passed the bound");
            assert!(e.message.contains(&cap.max().to_string()), "{}", e.message);
        }
        // At the bound itself the document is fine.
        assert!(parse(&doc("<p>x</p>".repeat(MAX_PARAGRAPHS))).is_ok());
    }

    #[test]
    fn a_document_chooses_the_letter_format_and_then_opens_with_its_letterhead() {
        let head = "<letterhead><organ>中共某委员会</organ><docno>某函〔2026〕1号</docno></letterhead>";
        let doc = parse(&format!("<document format=\"letter\">{head}<title>关于某事的函</title></document>")).unwrap();
        assert_eq!(doc.format, Format::Letter);
        assert_eq!(parse("<document><p>x</p></document>").unwrap().format, Format::Standard);
        let e = parse("<document format=\"memo\"><p>x</p></document>").unwrap_err();
        assert!(e.message.contains("format=\"memo\" 无效"), "{e}");
        let e = parse("<document format=\"letter\">\n<title>关于某事的函</title>\n</document>").unwrap_err();
        assert!(e.message.contains("应以 <letterhead> 开头"), "{e}");
    }
}
