//! Tables: the ruled grid of a `<table>`, the borderless signing block and the floating 版记.
//! Widths are given three times, consistently: `tblW`, one `gridCol` per column (WPS lays out by
//! the grid) and each cell's `tcW`, the sum of the columns it spans.

use super::body::{Body, Ind, PPr};
use super::style::ids;
use super::xml::{RunLook, push_num};
use crate::markup::{Align, Cell, Inline, Party, Table};

/// Column widths in twips from relative widths, summing exactly to `total`.
pub fn column_widths(rel: &[u32], total: u32) -> Vec<u32> {
    let sum: u64 = rel.iter().map(|w| u64::from(*w)).sum::<u64>().max(1);
    let mut widths: Vec<u32> = rel.iter().map(|w| (u64::from(*w) * u64::from(total) / sum) as u32).collect();
    let assigned: u32 = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += total - assigned;
    }
    widths
}

/// What a table says about itself before its rows (`w:tblPr` and `w:tblGrid`).
struct TableHead<'a> {
    style: Option<&'a str>,
    /// A floating table: (page-relative x, margin-relative y).
    float_at: Option<(u32, u32)>,
    jc: &'a str,
    /// Single borders of this width all round and inside.
    borders: Option<u32>,
    widths: &'a [u32],
}

impl Body<'_> {
    fn table_head(&mut self, t: &TableHead) {
        let out = &mut *self.out;
        out.push_str("<w:tbl><w:tblPr>");
        if let Some(s) = t.style {
            push_num(out, r#"<w:tblStyle w:val=""#, s, r#""/>"#);
        }
        if let Some((x, y)) = t.float_at {
            // Placed from the page edge, not the margin: LibreOffice keeps a floating table as
            // wide as the text area inline (nothing could wrap beside it), and the 版记 would
            // stay under the signature instead of at the foot of the page.
            push_num(out, r#"<w:tblpPr w:vertAnchor="margin" w:horzAnchor="page" w:tblpX=""#, x, "");
            push_num(out, r#"" w:tblpY=""#, y, r#""/>"#);
        }
        push_num(out, r#"<w:tblW w:w=""#, t.widths.iter().sum::<u32>(), r#"" w:type="dxa"/>"#);
        push_num(out, r#"<w:jc w:val=""#, t.jc, r#""/>"#);
        if let Some(size) = t.borders {
            out.push_str("<w:tblBorders>");
            for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
                push_num(out, "<w:", side, "");
                push_num(out, r#" w:val="single" w:sz=""#, size, r#"" w:space="0" w:color="000000"/>"#);
            }
            out.push_str("</w:tblBorders>");
        }
        out.push_str(r#"<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#);
        for w in t.widths {
            push_num(out, r#"<w:gridCol w:w=""#, w, r#""/>"#);
        }
        out.push_str("</w:tblGrid>");
    }

    /// `<w:tr>` with its properties: kept whole unless `split`, repeated as a header, exact height.
    fn row_start(&mut self, split: bool, header: bool, exact_height: Option<u32>) {
        let out = &mut *self.out;
        out.push_str("<w:tr>");
        if split && !header && exact_height.is_none() {
            return;
        }
        out.push_str("<w:trPr>");
        if !split {
            out.push_str("<w:cantSplit/>");
        }
        if let Some(h) = exact_height {
            push_num(out, r#"<w:trHeight w:val=""#, h, r#"" w:hRule="exact"/>"#);
        }
        if header {
            out.push_str("<w:tblHeader/>");
        }
        out.push_str("</w:trPr>");
    }

    /// `<w:tc><w:tcPr>` in schema order: width, span, merge, borders, vertical alignment.
    fn cell_start(&mut self, width: u32, span: usize, merge: Option<&str>, borders: &[(&str, u32)], centred: bool) {
        let out = &mut *self.out;
        push_num(out, r#"<w:tc><w:tcPr><w:tcW w:w=""#, width, r#"" w:type="dxa"/>"#);
        if span > 1 {
            push_num(out, r#"<w:gridSpan w:val=""#, span, r#""/>"#);
        }
        match merge {
            Some("restart") => out.push_str(r#"<w:vMerge w:val="restart"/>"#),
            Some(_) => out.push_str(r#"<w:vMerge w:val="continue"/>"#),
            None => {}
        }
        if !borders.is_empty() {
            out.push_str("<w:tcBorders>");
            for (side, size) in borders {
                push_num(out, "<w:", side, "");
                push_num(out, r#" w:val="single" w:sz=""#, size, r#"" w:space="0" w:color="000000"/>"#);
            }
            out.push_str("</w:tcBorders>");
        }
        if centred {
            out.push_str(r#"<w:vAlign w:val="center"/>"#);
        }
        out.push_str("</w:tcPr>");
    }
}

/// A markup table: ruled, centred, fixed columns; rowspan becomes `vMerge` continuation cells.
pub fn grid(w: &mut Body, t: &Table) {
    let widths = column_widths(&t.widths, w.style.page.text_width());
    let columns = widths.len();
    let text_style = if t.small { ids::TABLE_SMALL } else { ids::TABLE };
    w.table_head(&TableHead {
        style: Some(ids::TABLE_STYLE),
        float_at: None,
        jc: "center",
        borders: Some(w.style.table_border),
        widths: &widths,
    });
    // Per grid column: (rows still covered by a rowspan above, colspan of the covering cell).
    let mut covered: Vec<(u32, usize)> = vec![(0, 1); columns];
    let mut header_rows = true;
    for row in &t.rows {
        // Only the leading run of header rows repeats on each page.
        header_rows &= row.header;
        w.row_start(row.split, header_rows, None);
        let mut col = 0;
        let mut source = row.cells.iter();
        while col < columns {
            if covered[col].0 > 0 {
                let span = covered[col].1;
                covered[col].0 -= 1;
                let width = widths[col..(col + span).min(columns)].iter().sum();
                w.cell_start(width, span, Some("continue"), &[], false);
                w.empty(PPr { style: text_style, ..PPr::default() });
                w.out.push_str("</w:tc>");
                col += span;
                continue;
            }
            let Some(cell) = source.next() else { break };
            let span = (cell.colspan as usize).min(columns - col).max(1);
            let width = widths[col..col + span].iter().sum();
            let merge = (cell.rowspan > 1).then_some("restart");
            if cell.rowspan > 1 {
                covered[col] = (cell.rowspan - 1, span);
            }
            w.cell_start(width, span, merge, &[], true);
            cell_paragraphs(w, cell, row.header, text_style);
            w.out.push_str("</w:tc>");
            col += span;
        }
        w.out.push_str("</w:tr>");
    }
    w.out.push_str("</w:tbl>");
}

fn cell_paragraphs(w: &mut Body, cell: &Cell, header: bool, text_style: &str) {
    let align = if header { Align::Center } else { cell.align };
    let ppr = PPr { style: text_style, align: (align != Align::Left).then_some(align), ..PPr::default() };
    if cell.paragraphs.is_empty() {
        // A cell holds at least one paragraph.
        w.empty(ppr);
    }
    for p in &cell.paragraphs {
        w.text(ppr, p);
    }
}

/// The signing block: the parties side by side, without borders, each a column of lines — the
/// seal line, the organ, the signature line, who signs (or room to sign), the date.
pub fn parties(w: &mut Body, parties: &[Party]) {
    let widths = column_widths(&vec![1; parties.len()], w.style.page.text_width());
    w.table_head(&TableHead { style: None, float_at: None, jc: "left", borders: None, widths: &widths });
    w.row_start(false, false, None);
    let ppr = PPr { style: ids::PARTY, ..PPr::default() };
    for (party, width) in parties.iter().zip(&widths) {
        w.cell_start(*width, 1, None, &[], false);
        if !party.seal.is_empty() {
            w.text(ppr, &[Inline::Text(party.seal.clone())]);
        }
        w.text(ppr, &party.organ);
        if !party.sign.is_empty() {
            w.text(ppr, &[Inline::Text(party.sign.clone())]);
        }
        w.text(ppr, &party.signer);
        w.text(ppr, &party.date);
        w.out.push_str("</w:tc>");
    }
    w.out.push_str("</w:tr></w:tbl>");
}

/// 版记 (GB/T 9704 7.4): the 抄送 row (its later lines aligned after the label's colon, 7.4.2)
/// and the 印发 row between rules, first and last thick, the one between thin. Rows are of exact
/// height, so the table's height is known and it floats with its last rule on the 版心's bottom
/// edge (readers differ on "align to bottom"; all honour an offset).
pub fn imprint(w: &mut Body, cc_label: &str, cc: &[Inline], issuer: &[Inline], issued: &[Inline]) {
    let style = w.style;
    let width = style.page.text_width();
    let has_cc = !cc.is_empty();
    let label_width = style.set_width(cc_label, style.imprint_size);
    let cc_height = style.imprint_row_height(cc_lines(style, cc, label_width));
    let issued_height = style.imprint_row_height(1);
    let height = issued_height + if has_cc { cc_height } else { 0 };
    let float_at = (style.page.left, style.page.text_height().saturating_sub(height));
    w.table_head(&TableHead { style: None, float_at: Some(float_at), jc: "left", borders: None, widths: &[width] });
    let indent = style.imprint_indent();
    if has_cc {
        w.row_start(false, false, Some(cc_height));
        w.cell_start(width, 1, None, &[("top", style.rule_thick), ("bottom", style.rule_thin)], false);
        let ind = Ind { left: indent + label_width, right: indent, hanging: label_width };
        w.paragraph(PPr { style: ids::IMPRINT, ind: Some(ind), ..PPr::default() }, cc_label, cc, RunLook::default());
        w.out.push_str("</w:tc></w:tr>");
    }
    w.row_start(false, false, Some(issued_height));
    let rules: &[(&str, u32)] =
        if has_cc { &[("bottom", style.rule_thick)] } else { &[("top", style.rule_thick), ("bottom", style.rule_thick)] };
    w.cell_start(width, 1, None, rules, false);
    // 印发机关 left, 印发日期 on a right tab (7.4.3).
    let line: Vec<Inline> = issuer.iter().cloned().chain([Inline::Tab]).chain(issued.iter().cloned()).collect();
    w.text(PPr { style: ids::IMPRINT, right_tab: Some(style.imprint_date_tab()), ..PPr::default() }, &line);
    w.out.push_str("</w:tc></w:tr></w:tbl>");
}

/// Lines the 抄送 row takes: its text filled greedily, the first line after the label, later
/// lines beside it (the hanging indent). Errs towards one line too many, never too few: an
/// exact-height row would clip.
fn cc_lines(style: &super::Style, cc: &[Inline], label_width: u32) -> u32 {
    let room = style.imprint_text_width().saturating_sub(label_width).max(style.em(style.imprint_size));
    let mut lines = 1;
    let mut used = 0;
    for inline in cc {
        match inline {
            Inline::Text(t) => {
                for c in t.chars() {
                    let a = style.advance(c.encode_utf8(&mut [0; 4]), style.imprint_size);
                    if used + a > room {
                        lines += 1;
                        used = 0;
                    }
                    used += a;
                }
            }
            Inline::Break => {
                lines += 1;
                used = 0;
            }
            Inline::Tab => used += style.default_tab_stop(),
        }
    }
    lines
}
