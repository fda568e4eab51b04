//! The paragraph writer: a section's `Body` (the string the XML goes into, its page and 版心),
//! paragraph properties in schema order, and the section properties that close a section. What
//! the blocks are (`body`), tables (`table`) and signing blocks (`parties`) write through it.

use super::style::{Page, Style};
use super::xml::{self, RunLook, push_num};
use crate::markup::{Align, Inline};

/// The rIds the fixed footer parts are registered under (see `parts`): the portrait pages', and
/// the landscape pages', whose number is turned to stand where the portrait pages' does.
pub const FOOTER_ODD_RID: &str = "rIdFooterOdd";
pub const FOOTER_EVEN_RID: &str = "rIdFooterEven";
pub const FOOTER_ODD_LANDSCAPE_RID: &str = "rIdFooterOddLandscape";
pub const FOOTER_EVEN_LANDSCAPE_RID: &str = "rIdFooterEvenLandscape";
/// A 信函's first page, which has no 页码.
pub const FOOTER_FIRST_RID: &str = "rIdFooterFirst";

/// How a section is set and ends. An inner section puts its properties into its last paragraph;
/// the file's last section's follow the body's last paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionEnd {
    /// Starts on an odd page (the first section of every document of a print file after the
    /// first).
    pub odd_page: bool,
    /// Numbers its pages from 1 (a document's first section; later ones run on).
    pub restart: bool,
    pub landscape: bool,
    pub last: bool,
    /// Its first page has no 页码 (a 信函, GB/T 9704 10.1): a first-page footer without one.
    pub unnumbered_first: bool,
}

/// The writer of one section: the style, the section's page and the string the XML goes into.
pub struct Body<'a> {
    pub out: &'a mut String,
    pub style: &'a Style,
    pub page: Page,
    /// The 版心's width on this section's pages.
    pub width: u32,
    /// The names of the document's data, never broken in a title (`title::names`).
    pub names: &'a [String],
}

/// A tab stop: where, how text aligns on it, and whether the gap before it is ruled (a blank
/// to sign on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tab {
    pub kind: TabKind,
    pub leader: bool,
    pub pos: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TabKind {
    Left,
    Center,
    Right,
}

/// Paragraph properties a paragraph may carry directly (`w:pPr`), written in schema order.
#[derive(Debug, Clone, Copy, Default)]
pub struct PPr<'a> {
    pub style: &'a str,
    pub keep_next: bool,
    /// Starts a page (an attachment's first line).
    pub page_break_before: bool,
    pub tabs: &'a [Tab],
    pub ind: Option<Ind>,
    pub align: Option<Align>,
    /// The section properties this paragraph closes its section with.
    pub sect: Option<SectionEnd>,
}

/// Direct indents in twips.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ind {
    pub left: u32,
    pub right: u32,
    pub hanging: u32,
}

/// `w:sectPr`: footers (odd right, even left; turned on landscape pages), the section's start,
/// page, margins, numbers from 1 for a document's first section, the line grid.
pub fn sect_pr(out: &mut String, style: &Style, end: SectionEnd) {
    let p = if end.landscape { style.page.landscape() } else { style.page.clone() };
    let (odd, even) = if end.landscape { (FOOTER_ODD_LANDSCAPE_RID, FOOTER_EVEN_LANDSCAPE_RID) } else { (FOOTER_ODD_RID, FOOTER_EVEN_RID) };
    out.push_str("<w:sectPr>");
    push_num(out, r#"<w:footerReference w:type="default" r:id=""#, odd, r#""/>"#);
    push_num(out, r#"<w:footerReference w:type="even" r:id=""#, even, r#""/>"#);
    if end.unnumbered_first {
        push_num(out, r#"<w:footerReference w:type="first" r:id=""#, FOOTER_FIRST_RID, r#""/>"#);
    }
    if end.odd_page {
        out.push_str(r#"<w:type w:val="oddPage"/>"#);
    }
    push_num(out, r#"<w:pgSz w:w=""#, p.width, "");
    push_num(out, r#"" w:h=""#, p.height, if end.landscape { r#"" w:orient="landscape"/>"# } else { r#""/>"# });
    push_num(out, r#"<w:pgMar w:top=""#, p.top, "");
    push_num(out, r#"" w:right=""#, p.right, "");
    push_num(out, r#"" w:bottom=""#, p.bottom, "");
    push_num(out, r#"" w:left=""#, p.left, "");
    push_num(out, r#"" w:header=""#, p.header, "");
    push_num(out, r#"" w:footer=""#, p.footer, r#"" w:gutter="0"/>"#);
    if end.restart {
        out.push_str(r#"<w:pgNumType w:start="1"/>"#);
    }
    if end.unnumbered_first {
        out.push_str("<w:titlePg/>");
    }
    push_num(out, r#"<w:docGrid w:type="lines" w:linePitch=""#, style.line_pitch, r#""/></w:sectPr>"#);
}

fn jc(align: Align) -> &'static str {
    match align {
        Align::Justify => "both",
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

impl Body<'_> {
    pub fn ppr(&mut self, p: &PPr) {
        let out = &mut *self.out;
        out.push_str("<w:pPr>");
        push_num(out, r#"<w:pStyle w:val=""#, p.style, r#""/>"#);
        if p.keep_next {
            out.push_str("<w:keepNext/>");
        }
        if p.page_break_before {
            out.push_str("<w:pageBreakBefore/>");
        }
        if !p.tabs.is_empty() {
            out.push_str("<w:tabs>");
            for t in p.tabs {
                let kind = match t.kind {
                    TabKind::Left => "left",
                    TabKind::Center => "center",
                    TabKind::Right => "right",
                };
                push_num(out, r#"<w:tab w:val=""#, kind, "\"");
                if t.leader {
                    out.push_str(r#" w:leader="underscore""#);
                }
                push_num(out, r#" w:pos=""#, t.pos, r#""/>"#);
            }
            out.push_str("</w:tabs>");
        }
        if let Some(ind) = p.ind {
            push_num(out, r#"<w:ind w:left=""#, ind.left, "");
            push_num(out, r#"" w:right=""#, ind.right, "");
            push_num(out, r#"" w:hanging=""#, ind.hanging, r#""/>"#);
        }
        if let Some(a) = p.align {
            push_num(out, r#"<w:jc w:val=""#, jc(a), r#""/>"#);
        }
        if let Some(end) = p.sect {
            sect_pr(out, self.style, end);
        }
        out.push_str("</w:pPr>");
    }

    /// A paragraph of inline text, `prefix` (a number, a label) set before it in the same run.
    pub fn paragraph(&mut self, ppr: PPr, prefix: &str, inlines: &[Inline], look: RunLook) {
        self.out.push_str("<w:p>");
        self.ppr(&ppr);
        match inlines.split_first() {
            Some((Inline::Text(first), rest)) if !prefix.is_empty() => {
                xml::text_runs_joined(self.out, prefix, first, look);
                xml::runs(self.out, rest, look);
            }
            _ => {
                xml::text_run(self.out, prefix, look);
                xml::runs(self.out, inlines, look);
            }
        }
        self.out.push_str("</w:p>");
    }

    pub fn text(&mut self, ppr: PPr, inlines: &[Inline]) {
        self.paragraph(ppr, "", inlines, RunLook::default());
    }

    pub fn empty(&mut self, ppr: PPr) {
        self.out.push_str("<w:p>");
        self.ppr(&ppr);
        self.out.push_str("</w:p>");
    }
}
