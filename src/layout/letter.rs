//! The 信函's first page in DOCX (GB/T 9704 10.1): the 标志 and the two red double rules stand
//! outside the 版心 (the 标志 30 mm from the paper's top, the lower rule 20 mm from its foot),
//! so they are shapes placed on the page, not lines of text: VML, which Word, WPS and
//! LibreOffice all read and which needs no drawing ids unique across a print file. They hang
//! from the first paragraph, so they print on the document's first page.

use super::style::{RuleLine, ids};
use super::writer::{Body, PPr};
use super::xml::RunLook;
use crate::markup::Inline;
use std::fmt::Write;

/// Points (VML's unit here) from twips.
fn pt(tw: i64) -> String {
    let s = format!("{:.2}", tw as f64 / 20.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A VML shape's position and size on the page, in twips.
fn place(x: i64, y: i64, w: i64, h: i64, z: i32) -> String {
    format!(
        "position:absolute;margin-left:{}pt;margin-top:{}pt;width:{}pt;height:{}pt;z-index:{z};\
         mso-position-horizontal:absolute;mso-position-horizontal-relative:page;\
         mso-position-vertical:absolute;mso-position-vertical-relative:page",
        pt(x),
        pt(y),
        pt(w),
        pt(h)
    )
}

/// The 标志 in a box over the 版心's width, its characters' top `organ_top` from the paper's
/// top; both double rules.
pub(super) fn shapes(body: &mut Body, organ: &[Inline]) {
    let style = body.style;
    let l = &style.letter;
    let page = &style.page;
    let line = i64::from(style.letter_organ_line());
    let em = i64::from(style.em(l.organ_size));
    let width = i64::from(page.text_width());
    // The 标志's em box is centred in its line: the box starts half the leading above it.
    let top = i64::from(l.organ_top) - (line - em) / 2;
    let _ = write!(
        body.out,
        r#"<w:r><w:pict><v:rect style="{}" filled="f" stroked="f"><v:textbox inset="0,0,0,0"><w:txbxContent>"#,
        place(i64::from(page.left), top, width, line, 2)
    );
    let text: Vec<Inline> = organ.iter().map(|i| if *i == Inline::Break { Inline::Text(String::new()) } else { i.clone() }).collect();
    let lines = super::blocks::text_lines(&text);
    let stretch = style.stretch_to(lines.iter().map(String::as_str), l.organ_size, page.text_width());
    body.paragraph(PPr { style: ids::LETTER_ORGAN, ..PPr::default() }, "", &text, RunLook { stretch });
    body.out.push_str("</w:txbxContent></v:textbox></v:rect></w:pict></w:r>");
    let left = i64::from(page.left) - (i64::from(l.rule_width) - width) / 2;
    for rule in style.letter_upper_rule().into_iter().chain(style.letter_lower_rule()) {
        rect(body.out, left, i64::from(l.rule_width), rule, style.red);
    }
}

/// One line of a double rule: a red bar, exactly as thick as the line.
fn rect(out: &mut String, left: i64, width: i64, rule: RuleLine, red: &str) {
    let _ = write!(
        out,
        r##"<w:r><w:pict><v:rect style="{}" fillcolor="#{red}" stroked="f"/></w:pict></w:r>"##,
        place(left, i64::from(rule.top), width, i64::from(rule.thick), 1)
    );
}
