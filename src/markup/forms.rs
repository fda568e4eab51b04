//! The markup of forms: tables, the signing block, the 版记. Parsed into the `Document` model as
//! the rest of the markup is; the words stay the template's, the geometry is the layout's.

use super::document::*;
use super::parse::{Builder, MarkupError, short};
use super::tree::{Element, Node};

impl Builder<'_> {
    /// `<parties>`: one `<party>` per side. A party is its first line (`seal`: "甲方（盖章）："
    /// where it seals, "乙方：" where it does not), `<organ>`, a `<sign label>` per hand (the
    /// printed name inside), `<date>`. The form before `<sign>` — a `sign` attribute and a
    /// `<signer>` child — still reads as one signing line (`render` warns of it).
    pub(super) fn parties(&self, el: &Element) -> Result<Vec<Party>, MarkupError> {
        self.check_attrs(el, &[])?;
        let mut parties = Vec::new();
        for child in self.element_children(el, &["party"])? {
            self.check_attrs(child, &["label", "seal", "sign"])?;
            let lines = self.element_children(child, &["organ", "sign", "signer", "date"])?;
            let text = |key| self.attr(child, key).unwrap_or("").to_string();
            let mut signs = Vec::new();
            for sign in lines.iter().filter(|c| c.name == "sign") {
                self.check_attrs(sign, &["label"])?;
                signs.push(Sign { label: self.attr(sign, "label").unwrap_or("").to_string(), name: self.inlines(sign)? });
            }
            let old_label = self.attr(child, "sign");
            let old_signer = lines.iter().find(|c| c.name == "signer");
            if old_label.is_some() || old_signer.is_some() {
                if !signs.is_empty() {
                    return Err(self.err(
                        child.at,
                        "<party> 的 sign 属性和 <signer> 是旧写法，不能与 <sign> 同用：请写 <sign label=\"书记（签字）：\">姓名</sign>"
                            .into(),
                    ));
                }
                let name = match old_signer {
                    Some(s) => self.inlines(s)?,
                    None => Vec::new(),
                };
                signs.push(Sign { label: old_label.unwrap_or("").to_string(), name });
            }
            parties.push(Party {
                label: text("label"),
                seal: text("seal"),
                organ: self.child_inlines(child, "organ")?,
                signs,
                date: self.optional_child_inlines(child, "date")?,
            });
        }
        if parties.is_empty() {
            return Err(self.err(el.at, "<parties> 至少要有一个 <party>".into()));
        }
        Ok(parties)
    }

    /// `<imprint>`: a `<cc label>` line for the 主送 and one for the 抄送 (either may be left
    /// out; an empty one is not printed), then `<issuer>` and `<issued>`.
    pub(super) fn imprint(&self, el: &Element) -> Result<Block, MarkupError> {
        self.check_attrs(el, &[])?;
        let mut lines = Vec::new();
        for child in self.element_children(el, &["cc", "issuer", "issued"])? {
            if child.name == "cc" {
                self.check_attrs(child, &["label"])?;
                let text = self.inlines(child)?;
                if !text.is_empty() {
                    lines.push(ImprintLine { label: self.attr(child, "label").unwrap_or("").to_string(), text });
                }
            }
        }
        Ok(Block::Imprint { lines, issuer: self.child_inlines(el, "issuer")?, issued: self.child_inlines(el, "issued")? })
    }

    pub(super) fn table(&self, el: &Element) -> Result<Table, MarkupError> {
        self.check_attrs(el, &["widths", "size"])?;
        let mut table = Table::default();
        table.small = match self.attr(el, "size") {
            None | Some("normal") => false,
            Some("small") => true,
            Some(v) => return Err(self.err(el.at, format!("size=\"{v}\" 无效；应为 normal 或 small"))),
        };
        for row_el in self.element_children(el, &["tr"])? {
            table.rows.push(self.row(row_el)?);
        }
        if table.rows.is_empty() {
            return Err(self.err(el.at, "<table> 至少要有一行 <tr>".into()));
        }
        table.columns = grid_columns(&table).map_err(|m| self.err(el.at, m))?;
        table.widths = match self.attr(el, "widths") {
            None => None,
            Some(w) => {
                let widths: Vec<u32> = w
                    .split(',')
                    .map(|x| x.trim().parse::<u32>().ok().filter(|&n| (1..=10_000).contains(&n)))
                    .collect::<Option<_>>()
                    .ok_or_else(|| self.err(el.at, format!("widths=\"{w}\" 应为逗号分隔的正整数，如 1,4,2")))?;
                if widths.len() != table.columns {
                    return Err(self.err(el.at, format!("widths 给出 {} 列，表格实有 {} 列", widths.len(), table.columns)));
                }
                Some(widths)
            }
        };
        Ok(table)
    }

    fn row(&self, row_el: &Element) -> Result<Row, MarkupError> {
        self.check_attrs(row_el, &["header", "split", "lines"])?;
        let flag = |key: &str| match self.attr(row_el, key) {
            None => Ok(None),
            Some("false") => Ok(Some(false)),
            Some("true") => Ok(Some(true)),
            Some(v) => Err(self.err(row_el.at, format!("{key}=\"{v}\" 应为 true 或 false"))),
        };
        let mut row = Row {
            header: flag("header")?.unwrap_or(false),
            split: flag("split")?,
            lines: self.number_attr(row_el, "lines", 0, 0..=22)?,
            cells: Vec::new(),
        };
        for cell_el in self.element_children(row_el, &["td"])? {
            self.check_attrs(cell_el, &["colspan", "rowspan", "align"])?;
            let align = self.align_attr(cell_el, Align::Left)?;
            row.cells.push(Cell {
                colspan: self.number_attr(cell_el, "colspan", 1, 1..=63)?,
                rowspan: self.number_attr(cell_el, "rowspan", 1, 1..=10_000)?,
                paragraphs: self.cell_paragraphs(cell_el, align)?,
            });
        }
        if row.cells.is_empty() {
            return Err(self.err(row_el.at, "<tr> 至少要有一个 <td>".into()));
        }
        Ok(row)
    }

    /// A cell's text: inline content, or `<p>` paragraphs each aligned as it says (the cell's
    /// alignment otherwise), for a cell that stacks a text and a line such as "（盖章）".
    fn cell_paragraphs(&self, cell: &Element, align: Align) -> Result<Vec<Paragraph>, MarkupError> {
        let has_p = cell.children.iter().any(|n| matches!(n, Node::Element(c) if c.name == "p"));
        if !has_p {
            return Ok(vec![Paragraph { text: self.inlines(cell)?, align, indent: false }]);
        }
        let mut out = Vec::new();
        for node in &cell.children {
            match node {
                Node::Text(t) if t.trim().is_empty() => {}
                Node::Text(t) => {
                    return Err(self.err(cell.at, format!("<td> 里已有 <p>，文字“{}”也应放在 <p> 之内", short(t))));
                }
                Node::Element(p) if p.name == "p" => {
                    self.check_attrs(p, &["align"])?;
                    out.push(Paragraph { text: self.inlines(p)?, align: self.align_attr(p, align)?, indent: false });
                }
                Node::Element(c) => {
                    self.tag(c)?;
                    return Err(self.err(c.at, format!("<{}> 不能与 <p> 并列放在 <td> 里", c.name)));
                }
            }
        }
        Ok(out)
    }
}

/// Counts grid columns, honouring colspan and rowspan; rows must agree.
fn grid_columns(table: &Table) -> Result<usize, String> {
    let mut carried: Vec<u32> = Vec::new(); // rows still covered by a rowspan, per column
    let mut columns = None;
    for (r, row) in table.rows.iter().enumerate() {
        let mut col = 0usize;
        let mut next: Vec<u32> = carried.iter().map(|c| c.saturating_sub(1)).collect();
        for cell in &row.cells {
            while carried.get(col).copied().unwrap_or(0) > 0 {
                col += 1;
            }
            for c in col..col + cell.colspan as usize {
                if next.len() <= c {
                    next.resize(c + 1, 0);
                }
                next[c] = cell.rowspan - 1;
            }
            col += cell.colspan as usize;
        }
        while carried.get(col).copied().unwrap_or(0) > 0 {
            col += 1;
        }
        match columns {
            None => columns = Some(col),
            Some(n) if n != col => return Err(format!("表格第 {} 行有 {col} 列，第 1 行有 {n} 列（合并单元格后各行列数应一致）", r + 1)),
            _ => {}
        }
        carried = next;
    }
    if carried.iter().any(|&c| c > 0) {
        return Err("rowspan 超出了表格的最后一行".into());
    }
    Ok(columns.unwrap_or(0))
}
