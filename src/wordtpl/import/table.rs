//! A Word table as a markup `<table>`: header rows, spans across columns and merges down rows.

use super::Importer;
use super::word::{Merge, paragraph_text, scan, uncarried};
use super::{marker, short};
use crate::wordtpl::tags::{Sigil, Tag};
use crate::wordtpl::xml::Element;

impl Importer<'_> {
    pub(super) fn table(&mut self, tbl: &Element, depth: usize) {
        // The 版记 (抄送, 印发) set as a table: zeren sets its own.
        let text = tbl.text();
        if self.builtin.contains("<imprint") && text.contains("印发") {
            self.dropped.push(format!("版记“{}”（由 zeren 的版记 <imprint> 代替）", short(text.trim())));
            return;
        }
        self.tables += 1;
        let rows: Vec<&Element> = tbl.elements().filter(|r| r.is("w:tr")).collect();
        // Each row's cells as (first grid column, span, merge): a vertical merge continues where
        // a later row has a `w:vMerge` without `restart` at the same column.
        let grid: Vec<Vec<(usize, usize, Merge, &Element)>> = rows
            .iter()
            .map(|r| {
                let mut col = 0;
                r.elements()
                    .filter(|c| c.is("w:tc"))
                    .map(|c| {
                        let props = c.elements().find(|e| e.is("w:tcPr"));
                        let span = props
                            .and_then(|p| p.elements().find(|e| e.is("w:gridSpan")))
                            .and_then(|g| g.attr("w:val"))
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(1usize)
                            .max(1);
                        let merge = match props.and_then(|p| p.elements().find(|e| e.is("w:vMerge"))) {
                            None => Merge::None,
                            Some(m) if m.attr("w:val") == Some("restart") => Merge::Start,
                            Some(_) => Merge::Continue,
                        };
                        let at = col;
                        col += span;
                        (at, span, merge, c)
                    })
                    .collect()
            })
            .collect();
        self.indent(depth);
        self.out.push_str("<table>\n");
        for (i, (row, cells)) in rows.iter().zip(&grid).enumerate() {
            let header = row
                .elements()
                .find(|e| e.is("w:trPr"))
                .is_some_and(|p| p.elements().any(|e| e.is("w:tblHeader") && e.attr("w:val").is_none_or(|v| v != "0" && v != "false")));
            // A row with `{{#列表}}` and `{{/列表}}` in it repeats per item: a Tera loop around it.
            let looped = row_loop(row);
            let row_text = row.text();
            // The list a row repeats, when it is one (`{% for item in unit.members %}`).
            let mut list = None;
            if let Some(t) = &looped {
                if let Some(statement) = self.statement(t, &row_text) {
                    self.indent(depth + 1);
                    self.out.push_str(&format!("{statement}\n"));
                    list = statement
                        .strip_prefix("{% for ")
                        .and_then(|r| r.split_once(" in "))
                        .and_then(|(_, e)| e.strip_suffix(" %}"))
                        .map(str::to_string);
                }
                self.row_loop = Some(t.name.clone());
            }
            self.indent(depth + 1);
            self.out.push_str(if header { "<tr header=\"true\">\n" } else { "<tr>\n" });
            for (at, span, merge, cell) in cells {
                if *merge == Merge::Continue {
                    continue;
                }
                let mut rowspan = 1;
                if *merge == Merge::Start {
                    while grid.get(i + rowspan).is_some_and(|r| r.iter().any(|(a, _, m, _)| a == at && *m == Merge::Continue)) {
                        rowspan += 1;
                    }
                }
                let mut attrs = String::new();
                if *span > 1 {
                    attrs.push_str(&format!(" colspan=\"{span}\""));
                }
                if rowspan > 1 {
                    attrs.push_str(&format!(" rowspan=\"{rowspan}\""));
                }
                // A cell merged down beside a repeated row spans all its copies: written once.
                let beside = list.as_ref().filter(|_| *merge == Merge::Start && rowspan == 1);
                if let Some(list) = beside {
                    attrs.push_str(&format!(" rowspan=\"{{{{ {list} | length }}}}\""));
                }
                self.indent(depth + 2);
                if beside.is_some() {
                    self.out.push_str("{% if loop.first %}");
                }
                self.out.push_str(&format!("<td{attrs}>"));
                self.cell(cell);
                self.out.push_str("</td>");
                if beside.is_some() {
                    self.out.push_str("{% endif %}");
                }
                self.out.push('\n');
            }
            self.indent(depth + 1);
            self.out.push_str("</tr>\n");
            if let Some(t) = looped {
                self.row_loop = None;
                let end = Tag { sigil: Sigil::End, name: t.name.clone(), start: 0, end: 0 };
                if let Some(statement) = self.statement(&end, &row_text) {
                    self.indent(depth + 1);
                    self.out.push_str(&format!("{statement}\n"));
                }
            }
        }
        self.indent(depth);
        self.out.push_str("</table>\n");
    }

    /// A cell's paragraphs: one as its text, several each as a `<p>`.
    fn cell(&mut self, tc: &Element) {
        let paragraphs: Vec<&Element> = tc.elements().filter(|e| e.is("w:p")).collect();
        let texts: Vec<String> = paragraphs.iter().map(|p| paragraph_text(p)).collect();
        for (p, text) in paragraphs.iter().zip(&texts) {
            let mut what = Vec::new();
            uncarried(p, &mut what);
            what.dedup();
            if !what.is_empty() {
                self.dropped.push(format!("{}（所在表格单元格：“{}”）", what.join("、"), short(text.trim())));
            }
        }
        let filled: Vec<&String> = texts.iter().filter(|t| !t.trim().is_empty()).collect();
        let markers = filled.iter().any(|t| marker(t).is_some());
        if filled.len() == 1 && !markers {
            let inner = self.inline(filled[0].trim(), filled[0]);
            self.out.push_str(&inner);
        } else {
            for t in filled {
                // `{{#列表}}` … `{{/列表}}` alone in paragraphs of the cell repeat those between.
                if let Some(tag) = marker(t) {
                    if let Some(statement) = self.statement(&tag, t) {
                        self.out.push_str(&statement);
                    }
                    continue;
                }
                let inner = self.inline(t.trim(), t);
                self.out.push_str(&format!("<p>{inner}</p>"));
            }
        }
    }
}

/// The open tag of a row loop (`tags::row_loop`).
fn row_loop(tr: &Element) -> Option<Tag> {
    // (cell, paragraph text, tags) of every paragraph of the row.
    let mut paras: Vec<(usize, String, Vec<Tag>)> = Vec::new();
    for (c, cell) in tr.elements().filter(|e| e.is("w:tc")).enumerate() {
        for p in cell.elements().filter(|e| e.is("w:p")) {
            let text = paragraph_text(p);
            let found = scan(&text);
            paras.push((c, text, found));
        }
    }
    crate::wordtpl::tags::row_loop(&paras)
}
