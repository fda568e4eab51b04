//! Tables: the ruled grid of a `<table>` and the floating 版记. Widths are given three times,
//! consistently: `tblW`, one `gridCol` per column (WPS lays out by the grid) and each cell's
//! `tcW`, the sum of the columns it spans. Widths the template leaves open are measured from the
//! content (`widths`).

use super::style::{Style, ids};
use super::widths::{self, DateCut, Measure};
use super::writer::{Body, Ind, PPr, Tab, TabKind};
use super::xml::{RunLook, push_num};
use crate::markup::{Align, Cell, ImprintLine, Inline, Table};

/// A row's height.
#[derive(Debug, Clone, Copy)]
enum Height {
    Exact(u32),
    AtLeast(u32),
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
        // The cell margins the widths were measured with, on the table itself: a reader may
        // not take them from the table style.
        out.push_str(r#"<w:tblLayout w:type="fixed"/><w:tblCellMar>"#);
        for side in ["left", "right"] {
            push_num(out, "<w:", side, "");
            push_num(out, r#" w:w=""#, self.style.cell_margin, r#"" w:type="dxa"/>"#);
        }
        out.push_str("</w:tblCellMar></w:tblPr><w:tblGrid>");
        for w in t.widths {
            push_num(out, r#"<w:gridCol w:w=""#, w, r#""/>"#);
        }
        out.push_str("</w:tblGrid>");
    }

    /// `<w:tr>` with its properties: kept whole unless `split`, repeated as a header, its height
    /// exact or at least so much.
    fn row_start(&mut self, split: bool, header: bool, height: Option<Height>) {
        let out = &mut *self.out;
        out.push_str("<w:tr>");
        if split && !header && height.is_none() {
            return;
        }
        out.push_str("<w:trPr>");
        if !split {
            out.push_str("<w:cantSplit/>");
        }
        match height {
            Some(Height::Exact(h)) => push_num(out, r#"<w:trHeight w:val=""#, h, r#"" w:hRule="exact"/>"#),
            Some(Height::AtLeast(h)) => push_num(out, r#"<w:trHeight w:val=""#, h, r#"" w:hRule="atLeast"/>"#),
            None => {}
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

/// How a table's text is measured: 四号, or 五号 for a wide form.
pub(super) fn measure<'a>(style: &'a Style, t: &Table) -> Measure<'a> {
    Measure { style, size: if t.small { style.small_table_size } else { style.table_size }, dates: DateCut::Parts }
}

/// How a table is set `width` wide: how it is measured, its column widths, each row's lines.
pub struct Setting<'a> {
    pub measure: Measure<'a>,
    pub widths: Vec<u32>,
    pub rows: Vec<u32>,
}

/// How a table set `width` wide is measured and set: its dates whole where the narrowest setting
/// with them whole still fits, so a cell holds "2026年2月28日前" on one line whenever a column
/// arrangement allows it; else broken after the year only (2026年|12月20日前) where that fits;
/// else between all their parts. The page model, the DOCX writer and the PDF painter all set a
/// table so.
pub fn setting<'a>(style: &'a Style, t: &Table, width: u32) -> Setting<'a> {
    let parts = measure(style, t);
    if let Some(rel) = &t.widths {
        let widths = widths::column_widths(rel, width);
        return Setting { measure: parts, rows: widths::row_lines(parts, t, &widths), widths };
    }
    // A whole date is worth it only while it costs the table no lines: a wide 完成时限 column
    // that makes every 具体要求 a line longer is not what a typesetter would choose; a date in
    // three pieces is taken only where nothing else fits. A long table (a roster) takes the
    // first that fits.
    let mut best: Option<Setting> = None;
    for dates in [DateCut::Whole, DateCut::Year] {
        let m = Measure { dates, ..parts };
        let Some((widths, rows)) = widths::setting(m, t, width) else { continue };
        let better = best.as_ref().is_none_or(|b| rows.iter().sum::<u32>() < b.rows.iter().sum::<u32>());
        if better {
            best = Some(Setting { measure: m, widths, rows });
        }
        if t.rows.len() > MAX_DATE_TRIALS {
            break;
        }
    }
    best.unwrap_or_else(|| {
        let widths = widths::fit(parts, t, width);
        Setting { measure: parts, rows: widths::row_lines(parts, t, &widths), widths }
    })
}

/// How a table set `width` wide is measured (`setting`).
pub fn measure_in<'a>(style: &'a Style, t: &Table, width: u32) -> Measure<'a> {
    setting(style, t, width).measure
}

/// Rows up to which a table's date cut is chosen by the lines each costs.
const MAX_DATE_TRIALS: usize = 200;

/// A table whose widths are left to the layout and whose narrowest setting is wider than the
/// portrait 版心 goes on landscape pages (GB/T 9704 §8).
pub fn needs_landscape(style: &Style, t: &Table) -> bool {
    t.widths.is_none() && widths::narrowest(measure(style, t), t) > style.page.text_width()
}

/// A markup table: ruled, centred, fixed columns; rowspan becomes `vMerge` continuation cells.
/// A line of names or dates wider than its column is broken between words here, not by the
/// reader inside one; a row taller than a few lines may break across pages. `cuts`: the page
/// model starts a page before these rows (so a signing block after the table never stands
/// alone on a page — rows kept with keep-with-next, LibreOffice pushed the block onto a page of
/// its own — and a tall row leaves no sliver of a line at a page's foot): the table is written
/// in parts, a page-breaking sliver between them, its header rows repeated in each.
pub fn grid(w: &mut Body, t: &Table, cuts: &[usize]) {
    let Setting { measure: m, widths, rows: heights } = setting(w.style, t, w.width);
    let head =
        TableHead { style: Some(ids::TABLE_STYLE), float_at: None, jc: "center", borders: Some(w.style.table_border), widths: &widths };
    w.table_head(&head);
    // Per grid column: (rows still covered by a rowspan above, colspan of the covering cell).
    let mut covered: Vec<(u32, usize)> = vec![(0, 1); widths.len()];
    let headers = t.rows.iter().take_while(|r| r.header).count();
    for (r, lines) in heights.iter().enumerate() {
        if cuts.contains(&r) && r > 0 {
            w.out.push_str("</w:tbl>");
            w.empty(PPr { style: ids::END, page_break_before: true, ..PPr::default() });
            w.table_head(&head);
            let mut fresh: Vec<(u32, usize)> = vec![(0, 1); widths.len()];
            for h in 0..headers.min(r) {
                table_row(w, m, t, h, (heights[h], &widths, &mut fresh), true);
            }
        }
        // Only the leading run of header rows repeats on each page.
        table_row(w, m, t, r, (*lines, &widths, &mut covered), r < headers);
    }
    w.out.push_str("</w:tbl>");
}

/// Row `r` of `t`: `(lines, widths, covered)` its estimated lines, the column widths and the
/// rowspans still open; `header`: it repeats on each page.
fn table_row(w: &mut Body, m: Measure, t: &Table, r: usize, (lines, widths, covered): (u32, &[u32], &mut [(u32, usize)]), header: bool) {
    let row = &t.rows[r];
    let columns = widths.len();
    let text_style = if t.small { ids::TABLE_SMALL } else { ids::TABLE };
    let line = if t.small { w.style.small_table_line } else { w.style.table_line };
    let split = row.split.unwrap_or(lines > w.style.table_keep_lines);
    w.row_start(split, header, (row.lines > 0).then_some(Height::AtLeast(row.lines * line)));
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
        cell_paragraphs(w, m, cell, row.header, text_style, width - 2 * w.style.cell_margin);
        w.out.push_str("</w:tc>");
        col += span;
    }
    w.out.push_str("</w:tr>");
}

/// `header`: the row repeats as a header.
fn cell_paragraphs(w: &mut Body, m: Measure, cell: &Cell, header: bool, text_style: &str, width: u32) {
    if cell.paragraphs.is_empty() {
        // A cell holds at least one paragraph.
        w.empty(PPr { style: text_style, ..PPr::default() });
    }
    for p in &cell.paragraphs {
        let align = if header { Align::Center } else { p.align };
        let ppr = PPr { style: text_style, align: (align != Align::Left).then_some(align), ..PPr::default() };
        match m.break_between_pieces(&p.text, width, header) {
            Some(broken) => w.text(ppr, &broken),
            None => w.text(ppr, &p.text),
        }
    }
}

/// 版记 (GB/T 9704 7.4): the 主送 and 抄送 lines (each line's later lines aligned after its
/// label's colon, 7.4.2; 主送 above 抄送 with no rule between) and the 印发 row, between rules,
/// first and last thick, the one between thin. Rows are of exact height, so the table's height is
/// known and it floats with its last rule on the 版心's bottom edge (readers differ on "align to
/// bottom"; all honour an offset).
pub fn imprint(w: &mut Body, lines: &[ImprintLine], issuer: &[Inline], issued: &[Inline]) {
    let style = w.style;
    let width = w.width;
    let labelled: Vec<(u32, &ImprintLine)> = lines.iter().map(|l| (style.set_width(&l.label, style.imprint_size), l)).collect();
    let (cc_height, issued_height) = imprint_rows(style, lines, width);
    let has_cc = !lines.is_empty();
    let height = imprint_height(style, lines, width);
    let float_at = (w.page.left, w.page.text_height().saturating_sub(height));
    w.table_head(&TableHead { style: None, float_at: Some(float_at), jc: "left", borders: None, widths: &[width] });
    let indent = style.imprint_indent();
    if has_cc {
        w.row_start(false, false, Some(Height::Exact(cc_height)));
        w.cell_start(width, 1, None, &[("top", style.rule_thick), ("bottom", style.rule_thin)], false);
        for (label, l) in &labelled {
            let ind = Ind { left: indent + label, right: indent, hanging: *label };
            w.paragraph(PPr { style: ids::IMPRINT, ind: Some(ind), ..PPr::default() }, &l.label, &l.text, RunLook::default());
        }
        w.out.push_str("</w:tc></w:tr>");
    }
    w.row_start(false, false, Some(Height::Exact(issued_height)));
    let rules: &[(&str, u32)] =
        if has_cc { &[("bottom", style.rule_thick)] } else { &[("top", style.rule_thick), ("bottom", style.rule_thick)] };
    w.cell_start(width, 1, None, rules, false);
    // 印发机关 left, 印发日期 on a right tab (7.4.3).
    let line: Vec<Inline> = issuer.iter().cloned().chain([Inline::Tab]).chain(issued.iter().cloned()).collect();
    let tab = [Tab { kind: TabKind::Right, leader: false, pos: style.imprint_date_tab(width) }];
    w.text(PPr { style: ids::IMPRINT, tabs: &tab, ..PPr::default() }, &line);
    w.out.push_str("</w:tc></w:tr></w:tbl>");
}

/// The heights of the 版记's 主送/抄送 row and its 印发 row.
fn imprint_rows(style: &Style, lines: &[ImprintLine], width: u32) -> (u32, u32) {
    let cc: u32 = lines.iter().map(|l| cc_lines(style, &l.text, style.set_width(&l.label, style.imprint_size), width)).sum();
    (style.imprint_row_height(cc), style.imprint_row_height(1))
}

/// The 版记's height: it floats with its last rule on the 版心's bottom edge.
pub fn imprint_height(style: &Style, lines: &[ImprintLine], width: u32) -> u32 {
    let (cc, issued) = imprint_rows(style, lines, width);
    issued + if lines.is_empty() { 0 } else { cc }
}

/// Lines a 主送 or 抄送 line takes: its text filled greedily, the first line after the label,
/// later lines beside it (the hanging indent). Errs towards one line too many, never too few: an
/// exact-height row would clip.
fn cc_lines(style: &super::Style, cc: &[Inline], label_width: u32, width: u32) -> u32 {
    let room = style.imprint_text_width(width).saturating_sub(label_width).max(style.em(style.imprint_size));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::{Block, parse};

    #[test]
    fn a_date_is_measured_whole_where_the_table_has_room_for_it() {
        let style = Style::gbt9704();
        let doc = parse(r#"<document><table><tr header="true"><td>任务</td><td>完成时限</td></tr><tr><td>专题研究部署</td><td>2026年2月28日前</td></tr></table></document>"#).unwrap();
        let Some(Block::Table(t)) = doc.blocks.first() else { panic!("{doc:?}") };
        let m = measure_in(&style, t, style.page.text_width());
        assert_eq!(m.dates, DateCut::Whole, "room for the date whole in the 版心");
        let widths = widths::fit(m, t, style.page.text_width());
        assert_eq!(widths::row_lines(m, t, &widths), [1, 1], "{widths:?}");
        assert_eq!(measure_in(&style, t, 2000).dates, DateCut::Parts, "no room: the date breaks between its parts");
    }
    /// The sample 函告书's table: where 2026年12月20日前 whole no longer fits, its dates break
    /// after the year only — two lines, never 2026年|2月|28日前 in three.
    #[test]
    fn a_date_too_long_to_stay_whole_breaks_after_its_year_only() {
        let style = Style::gbt9704();
        let rows = [
            (
                "专题研究部署年度党风廉政建设工作",
                "召开支委会专题研究，制定年度工作计划和责任清单，明确支部书记和支部委员分工。",
                "2026年2月28日前",
                "机关党委办公室（许文澜）",
            ),
            (
                "开展廉政教育和警示教育",
                "每季度组织一次集中学习，全年至少开展一次警示教育，组织党员观看警示教育片并交流研讨。",
                "每季度末",
                "机关党委办公室",
            ),
            (
                "排查廉政风险点并完善防控措施",
                "对照岗位职责全面排查廉政风险点，更新风险防控台账，落实防控措施并报机关纪委备案。",
                "2026年4月30日前",
                "机关党委办公室（许文澜）",
            ),
            (
                "开展述责述廉和民主评议",
                "年底前组织班子成员述责述廉，开展民主评议，评议结果报局党委。",
                "2026年12月20日前",
                "机关党委办公室",
            ),
        ];
        let body: String = rows
            .iter()
            .enumerate()
            .map(|(i, (task, req, due, lead))| {
                format!("<tr><td>{}</td><td>{task}</td><td>{req}</td><td>{due}</td><td>{lead}</td></tr>", i + 1)
            })
            .collect();
        let markup = format!(
            r#"<document><table><tr header="true"><td>序号</td><td>工作任务</td><td>具体要求</td><td>完成时限</td><td>牵头部门（牵头人）</td></tr>{body}</table></document>"#
        );
        let doc = parse(&markup).unwrap();
        let Some(Block::Table(t)) = doc.blocks.first() else { panic!("{doc:?}") };
        // In the 版心 the dates could stay whole, but a column that wide makes the table longer
        // than breaking them after the year does.
        assert_eq!(measure_in(&style, t, style.page.text_width()).dates, DateCut::Year);
        let width = widths::narrowest(Measure { dates: DateCut::Whole, ..measure(&style, t) }, t) - 1;
        let m = measure_in(&style, t, width);
        assert_eq!(m.dates, DateCut::Year);
        let cols = widths::fit(m, t, width);
        let date_col = cols[3].saturating_sub(2 * style.cell_margin);
        let one = |text: &str| {
            let cell = parse(&format!("<document><table><tr><td>{text}</td></tr></table></document>")).unwrap();
            let Some(Block::Table(c)) = cell.blocks.first() else { panic!() };
            widths::row_lines(m, c, &[date_col + 2 * style.cell_margin])[0]
        };
        for due in ["2026年2月28日前", "2026年4月30日前", "2026年12月20日前"] {
            assert!(one(due) <= 2, "{due} in {date_col} twips takes {} lines", one(due));
        }
    }
}
