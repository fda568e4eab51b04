//! Tables as WPS and Word read them after rows were repeated: a grid (`w:tblGrid`) that WPS
//! takes the column widths from, and cells merged down from a repeated row that span all its
//! copies.

use super::xml::{Element, Node};

/// A table without a grid (written by some tools; Word repairs it, WPS draws its columns wrong)
/// gets one from its first row's cell widths, after its properties as the schema orders them.
pub(super) fn ensure_grid(tbl: &mut Element) {
    if tbl.elements().any(|e| e.is("w:tblGrid")) {
        return;
    }
    let Some(first) = tbl.elements().find(|e| e.is("w:tr")) else { return };
    // (width, span) of each cell; a cell without a width in twips shares what is left.
    let cells: Vec<(Option<u32>, u32)> = first
        .elements()
        .filter(|c| c.is("w:tc"))
        .map(|c| {
            let props = c.elements().find(|e| e.is("w:tcPr"));
            let prop = |name: &str| props.and_then(|p| p.elements().find(|e| e.is(name)));
            let span = prop("w:gridSpan").and_then(|g| g.attr("w:val")?.parse().ok()).unwrap_or(1u32).max(1);
            let width = prop("w:tcW").filter(|w| w.attr("w:type").is_none_or(|t| t == "dxa")).and_then(|w| w.attr("w:w")?.parse().ok());
            (width, span)
        })
        .collect();
    let columns: u32 = cells.iter().map(|(_, span)| span).sum();
    if columns == 0 {
        return;
    }
    let given: u32 = cells.iter().filter_map(|(w, _)| *w).sum();
    let open_columns: u32 = cells.iter().filter(|(w, _)| w.is_none()).map(|(_, span)| span).sum();
    // Cells that say no width share what is left of the GB/T 9704 版心 (at least 1 cm each).
    let page = crate::layout::Style::gbt9704().page.text_width();
    let share = page.saturating_sub(given).max(open_columns * 567).checked_div(open_columns).unwrap_or(0);
    let mut grid = Element::new("w:tblGrid");
    for (width, span) in cells {
        let each = width.map_or(share, |w| w / span);
        for _ in 0..span {
            let mut col = Element::new("w:gridCol");
            col.set_attr("w:w", &each.to_string());
            grid.children.push(Node::Element(col));
        }
    }
    let at = tbl.children.iter().position(|n| matches!(n, Node::Element(e) if e.is("w:tblPr"))).map_or(0, |i| i + 1);
    tbl.children.insert(at, Node::Element(grid));
}

/// A copy of a repeated row: a cell that starts a merge down (`w:vMerge w:val="restart"`)
/// continues it instead, empty, so the first copy's cell spans them all.
pub(super) fn continue_merges(row: &mut Node) {
    let Node::Element(tr) = row else { return };
    for n in &mut tr.children {
        let Node::Element(tc) = n else { continue };
        if !tc.is("w:tc") {
            continue;
        }
        let restarts = tc
            .elements()
            .filter(|e| e.is("w:tcPr"))
            .flat_map(|p| p.elements())
            .any(|m| m.is("w:vMerge") && m.attr("w:val") == Some("restart"));
        if !restarts {
            continue;
        }
        // The cell's properties, its merge now a continuation; one paragraph, empty, with the
        // first one's properties (a cell must end with a paragraph).
        let mut props = None;
        let mut para = Element::new("w:p");
        for c in std::mem::take(&mut tc.children) {
            match c {
                Node::Element(mut pr) if pr.is("w:tcPr") => {
                    for m in &mut pr.children {
                        if let Node::Element(m) = m
                            && m.is("w:vMerge")
                        {
                            m.remove_attr("w:val");
                        }
                    }
                    props = Some(pr);
                }
                Node::Element(p) if p.is("w:p") && para.children.is_empty() => {
                    para.attrs = p.attrs.clone();
                    para.remove_attr("w14:paraId");
                    para.remove_attr("w14:textId");
                    para.children.extend(p.elements().filter(|e| e.is("w:pPr")).cloned().map(Node::Element));
                }
                _ => {}
            }
        }
        tc.children = props.into_iter().map(Node::Element).chain(std::iter::once(Node::Element(para))).collect();
    }
}
