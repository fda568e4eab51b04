//! Document blocks → a docx-rs body. Paragraphs carry a named style and nothing their style
//! already says; every look lives in `Style` (→ styles.xml, written by `parts`).
//!
//! What docx-rs cannot say (the repeating table header row `w:tblHeader`) is recorded in
//! `Fixups` and applied by `schema::normalize` while it puts the XML into schema order.

use super::style::{Style, ids};
use crate::markup::{Align, Block, Cell, Document, Inline, Party, Table, plain_text};
use docx_rs::{
    AlignmentType, BorderType, BreakType, PageMargin, PageNumType, Paragraph, Run, Section, SectionProperty, TableAlignmentType,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellBorder, TableCellBorderPosition, TableCellBorders, TableLayoutType,
    TableRow, VMergeType, WidthType,
};

/// What the normalizing pass must add that docx-rs has no setter for.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Fixups {
    /// For each `w:tbl` in document order: how many leading rows repeat as header.
    pub header_rows: Vec<usize>,
    /// `w:type` for every section (e.g. `oddPage` in a print file); docx-rs keeps the setter
    /// of a section's type private.
    pub section_type: Option<&'static str>,
}

/// The rIds the fixed footer parts are registered under (see `parts`).
pub const FOOTER_ODD_RID: &str = "rIdFooterOdd";
pub const FOOTER_EVEN_RID: &str = "rIdFooterEven";

/// Lays out one or more documents, each in its own section with page numbers from 1.
pub fn build(docs: &[Document], style: &Style) -> (docx_rs::Docx, Fixups) {
    let mut fixups = Fixups::default();
    let mut docx = docx_rs::Docx::new();
    for (i, doc) in docs.iter().enumerate() {
        let last = i + 1 == docs.len();
        let mut section = Vec::new();
        for block in &doc.blocks {
            block_to(&mut section, block, style, &mut fixups);
        }
        // A section ends with a paragraph: readers anchor a floating table (the 版记) to the
        // paragraph after it, and drop one that has none. It is 1 pt high, so it never spills
        // onto a page of its own.
        if !matches!(section.last(), Some(Child::P(_))) {
            section.push(Child::P(body_paragraph(ids::END)));
        }
        if last {
            for child in section {
                docx = child.add_to(docx);
            }
        } else {
            let mut s = Section::new();
            for child in section {
                s = match child {
                    Child::P(p) => s.add_paragraph(p),
                    Child::T(t) => s.add_table(t),
                };
            }
            let s = apply_section(s, style);
            docx = docx.add_section(s);
        }
    }
    let prop = section_property(style);
    docx.document.section_property = prop;
    (docx, fixups)
}

enum Child {
    P(Paragraph),
    T(docx_rs::Table),
}

impl Child {
    fn add_to(self, docx: docx_rs::Docx) -> docx_rs::Docx {
        match self {
            Child::P(p) => docx.add_paragraph(p),
            Child::T(t) => docx.add_table(t),
        }
    }
}

fn page_margin(style: &Style) -> PageMargin {
    let p = &style.page;
    PageMargin::new()
        .top(p.top as i32)
        .bottom(p.bottom as i32)
        .left(p.left as i32)
        .right(p.right as i32)
        .header(p.header as i32)
        .footer(p.footer as i32)
        .gutter(0)
}

fn grid(style: &Style) -> docx_rs::DocGrid {
    docx_rs::DocGrid::new().grid_type(docx_rs::DocGridType::Lines).line_pitch(style.line_pitch as usize)
}

/// The final section: page, margins, grid, footers (odd right / even left), numbers from 1.
fn section_property(style: &Style) -> SectionProperty {
    SectionProperty::new()
        .page_size(docx_rs::PageSize::new().size(style.page.width, style.page.height))
        .page_margin(page_margin(style))
        .doc_grid(grid(style))
        .footer(docx_rs::Footer::new(), FOOTER_ODD_RID)
        .even_footer(docx_rs::Footer::new(), FOOTER_EVEN_RID)
        .page_num_type(PageNumType::new().start(1))
}

/// A section of a print file: same page, numbering restarts at 1 on a new odd page. Footers
/// are inherited from the final section, as OOXML does when a section names none.
fn apply_section(s: Section, style: &Style) -> Section {
    // The odd-page start (`w:type="oddPage"`) is added by the normalizing pass from
    // `Fixups::section_type`: docx-rs keeps `Section::property` private.
    s.page_size(docx_rs::PageSize::new().size(style.page.width, style.page.height))
        .page_margin(page_margin(style))
        .doc_grid(grid(style))
        .page_num_type(PageNumType::new().start(1))
}

fn body_paragraph(style_id: &str) -> Paragraph {
    Paragraph::new().style(style_id)
}

/// Text → runs: breaks and tabs become their own elements; XML-illegal control characters are
/// dropped here, since docx-rs writes them raw and Word then refuses the file.
fn with_text(p: Paragraph, inlines: &[Inline]) -> Paragraph {
    with_runs(p, inlines, |r| r)
}

/// `with_text`, each run passed through `dress` (e.g. condensed).
fn with_runs(mut p: Paragraph, inlines: &[Inline], dress: impl Fn(Run) -> Run) -> Paragraph {
    for inline in inlines {
        p = p.add_run(dress(match inline {
            Inline::Text(t) => Run::new().add_text(clean(t)),
            Inline::Break => Run::new().add_break(BreakType::TextWrapping),
            Inline::Tab => Run::new().add_tab(),
        }));
    }
    p
}

/// The lines of some inline text, as they will be set (breaks split them).
fn text_lines(inlines: &[Inline]) -> Vec<String> {
    let mut lines = vec![String::new()];
    for inline in inlines {
        match inline {
            Inline::Text(t) => lines.last_mut().expect("one line at least").push_str(&clean(t)),
            Inline::Break => lines.push(String::new()),
            Inline::Tab => lines.last_mut().expect("one line at least").push('\u{3000}'),
        }
    }
    lines
}

fn with_prefix(p: Paragraph, prefix: &str, inlines: &[Inline]) -> Paragraph {
    let mut all = Vec::with_capacity(inlines.len() + 1);
    all.push(Inline::Text(prefix.to_string()));
    all.extend_from_slice(inlines);
    with_text(p, &merge_text(all))
}

fn merge_text(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for i in inlines {
        match (out.last_mut(), i) {
            (Some(Inline::Text(a)), Inline::Text(b)) => a.push_str(&b),
            (_, i) => out.push(i),
        }
    }
    out
}

/// Removes characters XML 1.0 does not allow (C0 controls but tab/newline/CR, U+FFFE/U+FFFF).
pub fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}'))
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect()
}

fn align(p: Paragraph, a: Align, default: Align) -> Paragraph {
    if a == default {
        return p;
    }
    p.align(match a {
        Align::Justify => AlignmentType::Both,
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
    })
}

fn block_to(out: &mut Vec<Child>, block: &Block, style: &Style, fixups: &mut Fixups) {
    match block {
        Block::Letterhead { organ, doc_no } => {
            let lines = text_lines(organ);
            let stretch = style.letterhead_stretch(lines.iter().map(String::as_str));
            let dress = |r: Run| match stretch {
                Some(pct) => r.stretch(pct as i32),
                None => r,
            };
            out.push(Child::P(with_runs(body_paragraph(ids::LETTERHEAD), organ, dress)));
            // GB/T 9704 7.2.4: the 文号 two lines below the 标志; the red rule 4 mm below it.
            for _ in 0..2 {
                out.push(Child::P(body_paragraph(ids::BODY).keep_next(true)));
            }
            out.push(Child::P(with_text(body_paragraph(ids::DOC_NO), doc_no)));
            out.push(Child::P(body_paragraph(ids::RULE)));
            // 7.3.1: the title two lines below the rule.
            for _ in 0..2 {
                out.push(Child::P(body_paragraph(ids::BODY)));
            }
        }
        Block::DocNo(t) => out.push(Child::P(with_text(body_paragraph(ids::DOC_NO), t))),
        Block::Title(t) => {
            out.push(Child::P(with_text(body_paragraph(ids::TITLE), t)));
            // GB/T 9704 7.3.2: 主送 (or the body) one line below the title.
            out.push(Child::P(body_paragraph(ids::BODY)));
        }
        Block::Addressee(t) => out.push(Child::P(with_text(body_paragraph(ids::ADDRESSEE), t))),
        Block::Paragraph(p) => {
            let sid = if p.indent { ids::BODY } else { ids::BODY_FLUSH };
            out.push(Child::P(align(with_text(body_paragraph(sid), &p.text), p.align, Align::Justify)));
        }
        Block::Heading { level, number, text } => {
            let sid = ids::HEADINGS[usize::from(level.clamp(&1, &4) - 1)];
            out.push(Child::P(with_prefix(body_paragraph(sid), number, text)));
        }
        Block::ListItem { marker, text } => out.push(Child::P(with_prefix(body_paragraph(ids::BODY), marker, text))),
        Block::Table(t) => {
            fixups.header_rows.push(t.rows.iter().take_while(|r| r.header).count());
            out.push(Child::T(table(t, style)));
        }
        Block::Signature { organ, date } => {
            keep_with_signature(out);
            out.push(Child::P(with_text(body_paragraph(ids::SIGNATURE), organ)));
            out.push(Child::P(with_text(body_paragraph(ids::DATE), date)));
        }
        Block::Parties(parties) => {
            keep_with_signature(out);
            fixups.header_rows.push(0);
            out.push(Child::T(parties_table(parties, style)));
        }
        Block::Blank(n) => {
            for _ in 0..*n {
                out.push(Child::P(body_paragraph(ids::BODY)));
            }
        }
        Block::PageBreak => out.push(Child::P(body_paragraph(ids::BODY_FLUSH).add_run(Run::new().add_break(BreakType::Page)))),
        Block::Attachments(items) => {
            for (i, item) in items.iter().enumerate() {
                let marker = if items.len() == 1 { String::new() } else { format!("{}.", i + 1) };
                let prefix = if i == 0 { format!("附件：{marker}") } else { marker };
                let mut p = body_paragraph(ids::ATTACHMENTS);
                if i > 0 {
                    // Later items align under the first item's name (GB/T 9704 7.3.6).
                    p = p.indent(Some((5 * style.char_width) as i32), None, None, None);
                }
                out.push(Child::P(with_prefix(p, &prefix, item)));
            }
        }
        Block::Imprint { cc, issuer, issued } => {
            fixups.header_rows.push(0);
            out.push(Child::T(imprint_table(cc, issuer, issued, style)));
        }
    }
}

/// GB/T 9704 7.3.5.5: the signature never stands alone on a page. The blank lines before it
/// and the last paragraph of the body are kept with it.
fn keep_with_signature(out: &mut [Child]) {
    for child in out.iter_mut().rev() {
        let Child::P(p) = child else { break };
        let blank = p.children.is_empty();
        *p = std::mem::replace(p, Paragraph::new()).keep_next(true);
        if !blank {
            break;
        }
    }
}

fn exact(row: TableRow, twips: u32) -> TableRow {
    row.row_height(twips as f32).height_rule(docx_rs::HeightRule::Exact)
}

/// Column widths in twips from relative widths, summing exactly to the 版心 width.
fn column_widths(rel: &[u32], total: u32) -> Vec<usize> {
    let sum: u32 = rel.iter().sum::<u32>().max(1);
    let mut widths: Vec<usize> = rel.iter().map(|w| (u64::from(*w) * u64::from(total) / u64::from(sum)) as usize).collect();
    let assigned: usize = widths.iter().sum();
    if let Some(last) = widths.last_mut() {
        *last += total as usize - assigned;
    }
    widths
}

fn grid_table(rows: Vec<TableRow>, widths: Vec<usize>, style: &Style) -> docx_rs::Table {
    let total: usize = widths.iter().sum();
    docx_rs::Table::new(rows)
        .set_grid(widths)
        .style(ids::TABLE_STYLE)
        .width(total, WidthType::Dxa)
        .align(TableAlignmentType::Center)
        .layout(TableLayoutType::Fixed)
        .set_borders(all_borders(style.table_border as usize))
}

fn all_borders(size: usize) -> TableBorders {
    let mut b = TableBorders::with_empty();
    for pos in [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ] {
        b = b.set(TableBorder::new(pos).size(size).border_type(BorderType::Single).color("000000"));
    }
    b
}

/// A markup table → docx-rs rows, expanding rowspan into `vMerge` continuation cells.
fn table(t: &Table, style: &Style) -> docx_rs::Table {
    let widths = column_widths(&t.widths, style.page.text_width());
    let columns = widths.len();
    let text_style = if t.small { ids::TABLE_SMALL } else { ids::TABLE };
    // Per grid column: (rows still covered, colspan of the covering cell, its width).
    let mut covered: Vec<(u32, usize)> = vec![(0, 1); columns];
    let mut rows = Vec::new();
    for row in &t.rows {
        let mut cells = Vec::new();
        let mut col = 0;
        let mut source = row.cells.iter();
        while col < columns {
            if covered[col].0 > 0 {
                let span = covered[col].1;
                covered[col].0 -= 1;
                let w: usize = widths[col..(col + span).min(columns)].iter().sum();
                let mut c = TableCell::new()
                    .vertical_merge(VMergeType::Continue)
                    .width(w, WidthType::Dxa)
                    .add_paragraph(body_paragraph(text_style));
                if span > 1 {
                    c = c.grid_span(span);
                }
                cells.push(c);
                col += span;
                continue;
            }
            let Some(cell) = source.next() else { break };
            let span = (cell.colspan as usize).min(columns - col).max(1);
            let w: usize = widths[col..col + span].iter().sum();
            let mut c = cell_paragraphs(TableCell::new().width(w, WidthType::Dxa), cell, row.header, text_style);
            if span > 1 {
                c = c.grid_span(span);
            }
            if cell.rowspan > 1 {
                c = c.vertical_merge(VMergeType::Restart);
                covered[col] = (cell.rowspan - 1, span);
            }
            c = c.vertical_align(docx_rs::VAlignType::Center);
            cells.push(c);
            col += span;
        }
        let r = TableRow::new(cells);
        rows.push(if row.split { r } else { r.cant_split() });
    }
    grid_table(rows, widths, style)
}

fn cell_paragraphs(mut c: TableCell, cell: &Cell, header: bool, text_style: &str) -> TableCell {
    let a = if header { Align::Center } else { cell.align };
    for p in &cell.paragraphs {
        c = c.add_paragraph(align(with_text(body_paragraph(text_style), p), a, Align::Left));
    }
    c
}

/// 甲方 | 乙方 side by side, without borders: organ, a line to sign on, who signs, the date.
fn parties_table(parties: &[Party], style: &Style) -> docx_rs::Table {
    let total = style.page.text_width();
    let widths = column_widths(&vec![1; parties.len()], total);
    let cells = parties
        .iter()
        .zip(&widths)
        .map(|(party, w)| {
            // 甲方（盖章）： / organ / 书记（签字）： / who signs / date
            let mut lines: Vec<Vec<Inline>> = vec![
                vec![Inline::Text(format!("{}（盖章）：", party.label))],
                party.organ.clone(),
                vec![Inline::Text(format!("{}：", party.signer_label))],
            ];
            lines.push(party.signer.clone());
            lines.push(if party.date.is_empty() { vec![Inline::Text("年　　月　　日".into())] } else { party.date.clone() });
            let mut c = TableCell::new().width(*w, WidthType::Dxa).set_borders(TableCellBorders::with_empty());
            for l in &lines {
                c = c.add_paragraph(with_text(body_paragraph(ids::PARTY), l));
            }
            c
        })
        .collect();
    docx_rs::Table::without_borders(vec![TableRow::new(cells).cant_split()])
        .set_grid(widths)
        .width(total as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

/// 版记: 抄送 and 印发 rows between rules, first and last thick, the one between thin.
fn imprint_table(cc: &[Inline], issuer: &[Inline], issued: &[Inline], style: &Style) -> docx_rs::Table {
    let total = style.page.text_width() as usize;
    let rule = |pos, size: u32| TableCellBorder::new(pos).size(size as usize).border_type(BorderType::Single).color("000000");
    // Rows of exact height, so the table's height is known and it can be placed with its last
    // rule on the 版心's bottom edge (readers differ on "align to bottom"; all honour an offset).
    let line_height = style.table_line + 40;
    let pad = 120;
    let text_room = total as u32 - 2 * style.cell_margin - style.char_width * 7 / 8;
    let per_line = (text_room / (style.imprint_size * 10)).max(1) as usize;
    let mut height = 0;
    let mut rows = Vec::new();
    let has_cc = !cc.is_empty();
    if has_cc {
        let mut text = vec![Inline::Text("抄送：".into())];
        text.extend(cc.iter().cloned());
        let lines = plain_text(&text).chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum::<usize>().div_ceil(2 * per_line).max(1);
        let row_height = lines as u32 * line_height + pad;
        height += row_height;
        let borders = TableCellBorders::with_empty()
            .set(rule(TableCellBorderPosition::Top, style.rule_thick))
            .set(rule(TableCellBorderPosition::Bottom, style.rule_thin));
        let cell = TableCell::new()
            .width(total, WidthType::Dxa)
            .set_borders(borders)
            .add_paragraph(with_text(body_paragraph(ids::IMPRINT), &merge_text(text)));
        rows.push(exact(TableRow::new(vec![cell]).cant_split(), row_height));
    }
    let mut borders = TableCellBorders::with_empty().set(rule(TableCellBorderPosition::Bottom, style.rule_thick));
    if !has_cc {
        borders = borders.set(rule(TableCellBorderPosition::Top, style.rule_thick));
    }
    let mut line = issuer.to_vec();
    line.push(Inline::Tab);
    line.extend(issued.iter().cloned());
    line.push(Inline::Text("印发".into()));
    let p = with_text(body_paragraph(ids::IMPRINT), &merge_text(line))
        .add_tab(docx_rs::Tab::new().val(docx_rs::TabValueType::Right).pos(total - style.char_width as usize * 2));
    let cell = TableCell::new().width(total, WidthType::Dxa).set_borders(borders).add_paragraph(p);
    rows.push(exact(TableRow::new(vec![cell]).cant_split(), line_height + pad));
    height += line_height + pad;
    // Floats to the foot of the last page's 版心, so its last rule lies on the 版心's bottom
    // edge (GB/T 9704 7.4.1).
    let bottom = style.page.height - style.page.top - style.page.bottom;
    let position = docx_rs::TablePositionProperty::new()
        .vertical_anchor("margin")
        .position_y(bottom.saturating_sub(height) as i32)
        // Placed from the page edge, not the margin: LibreOffice keeps a floating table as wide
        // as the text area inline (nothing could wrap beside it), and the 版记 would stay
        // under the signature instead of at the foot of the page.
        .horizontal_anchor("page")
        .position_x(style.page.left as i32);
    docx_rs::Table::without_borders(rows)
        .set_grid(vec![total])
        .width(total, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .position(position)
}
