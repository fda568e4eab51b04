//! Puts the XML docx-rs writes into schema order, in one pass, with a table of child order per
//! element — rather than a string patch per symptom. docx-rs 0.4.22 writes `sz` before `rFonts`,
//! an empty `rPr` first in `pPr`, `footerReference` after `pgMar`, … which Word repairs or drops
//! and Word for the web refuses (issue 12). The same pass also:
//! - drops `w14:paraId` (docx-rs numbers them from a thread-local counter, so they would differ
//!   between runs and threads; they are optional);
//! - drops the undeclared `w:type` docx-rs puts on `w:gridCol` and empty property elements;
//! - names the footer parts by our fixed rIds;
//! - adds `w:tblHeader` to the header rows `Fixups` lists (docx-rs has no setter for it).

use super::body::{FOOTER_EVEN_RID, FOOTER_ODD_RID, Fixups};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Child order per parent element (local names in the `w:` namespace), from ECMA-376 part 1.
const ORDER: &[(&str, &[&str])] = &[
    (
        "pPr",
        &[
            "pStyle",
            "keepNext",
            "keepLines",
            "pageBreakBefore",
            "framePr",
            "widowControl",
            "numPr",
            "suppressLineNumbers",
            "pBdr",
            "shd",
            "tabs",
            "suppressAutoHyphens",
            "kinsoku",
            "wordWrap",
            "overflowPunct",
            "topLinePunct",
            "autoSpaceDE",
            "autoSpaceDN",
            "bidi",
            "adjustRightInd",
            "snapToGrid",
            "spacing",
            "ind",
            "contextualSpacing",
            "mirrorIndents",
            "suppressOverlap",
            "jc",
            "textDirection",
            "textAlignment",
            "textboxTightWrap",
            "outlineLvl",
            "divId",
            "cnfStyle",
            "rPr",
            "sectPr",
            "pPrChange",
        ],
    ),
    (
        "rPr",
        &[
            "ins",
            "del",
            "moveFrom",
            "moveTo",
            "rStyle",
            "rFonts",
            "b",
            "bCs",
            "i",
            "iCs",
            "caps",
            "smallCaps",
            "strike",
            "dstrike",
            "outline",
            "shadow",
            "emboss",
            "imprint",
            "noProof",
            "snapToGrid",
            "vanish",
            "webHidden",
            "color",
            "spacing",
            "w",
            "kern",
            "position",
            "sz",
            "szCs",
            "highlight",
            "u",
            "effect",
            "bdr",
            "shd",
            "fitText",
            "vertAlign",
            "rtl",
            "cs",
            "em",
            "lang",
            "eastAsianLayout",
            "specVanish",
            "oMath",
            "rPrChange",
        ],
    ),
    (
        "sectPr",
        &[
            // header and footer references may interleave: one rank for both.
            "headerReference|footerReference",
            "footnotePr",
            "endnotePr",
            "type",
            "pgSz",
            "pgMar",
            "paperSrc",
            "pgBorders",
            "lnNumType",
            "pgNumType",
            "cols",
            "formProt",
            "vAlign",
            "noEndnote",
            "titlePg",
            "textDirection",
            "bidi",
            "rtlGutter",
            "docGrid",
            "printerSettings",
            "sectPrChange",
        ],
    ),
    (
        "tblPr",
        &[
            "tblStyle",
            "tblpPr",
            "tblOverlap",
            "bidiVisual",
            "tblStyleRowBandSize",
            "tblStyleColBandSize",
            "tblW",
            "jc",
            "tblCellSpacing",
            "tblInd",
            "tblBorders",
            "shd",
            "tblLayout",
            "tblCellMar",
            "tblLook",
            "tblCaption",
            "tblDescription",
            "tblPrChange",
        ],
    ),
    (
        "tcPr",
        &[
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
            "headers",
            "cellIns",
            "cellDel",
            "cellMerge",
            "tcPrChange",
        ],
    ),
    ("tblBorders", &["top", "left", "start", "bottom", "right", "end", "insideH", "insideV"]),
    ("tcBorders", &["top", "left", "start", "bottom", "right", "end", "insideH", "insideV", "tl2br", "tr2bl"]),
    ("pBdr", &["top", "left", "bottom", "right", "between", "bar"]),
    ("tblCellMar", &["top", "left", "start", "bottom", "right", "end"]),
    ("tcMar", &["top", "left", "start", "bottom", "right", "end"]),
    ("tbl", &["bookmarkStart", "tblPr", "tblGrid"]),
    ("tc", &["tcPr"]),
    ("p", &["pPr"]),
    ("r", &["rPr"]),
];

/// Property elements that say nothing when empty and may go.
const DROP_WHEN_EMPTY: &[&str] = &["w:rPr", "w:pPr", "w:tcPr", "w:trPr"];

#[derive(Debug)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Element(Element),
    /// Already-escaped character data.
    Text(String),
}

/// Errors here mean docx-rs wrote XML we cannot read back: a bug, not a user error.
#[derive(Debug)]
pub struct NormalizeError(pub String);

impl std::fmt::Display for NormalizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "内部错误：生成的 XML 无法规范化（{}）", self.0)
    }
}

/// Rewrites one part (document.xml) in schema order with the fix-ups applied.
pub fn normalize(xml: &[u8], fixups: &Fixups) -> Result<Vec<u8>, NormalizeError> {
    let text = std::str::from_utf8(xml).map_err(|e| NormalizeError(e.to_string()))?;
    let (decl, mut root) = parse(text)?;
    let mut tables = fixups.header_rows.iter();
    fix(&mut root, &mut tables, fixups.section_type);
    let mut out = String::with_capacity(xml.len());
    out.push_str(&decl);
    write(&root, &mut out);
    Ok(out.into_bytes())
}

fn parse(text: &str) -> Result<(String, Element), NormalizeError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut decl = String::new();
    let mut root = None;
    let err = |e: &dyn std::fmt::Display| NormalizeError(e.to_string());
    loop {
        match reader.read_event().map_err(|e| err(&e))? {
            Event::Decl(d) => {
                let _ = d;
                decl = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#.to_string();
            }
            Event::Start(e) => stack.push(element(&e)?),
            Event::Empty(e) => {
                let el = element(&e)?;
                match stack.last_mut() {
                    Some(p) => p.children.push(Node::Element(el)),
                    None => root = Some(el),
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or_else(|| NormalizeError("unbalanced end tag".into()))?;
                match stack.last_mut() {
                    Some(p) => p.children.push(Node::Element(el)),
                    None => root = Some(el),
                }
            }
            Event::Text(t) => {
                if let Some(p) = stack.last_mut() {
                    p.children.push(Node::Text(t.into_inner().into_owned()));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(p) = stack.last_mut() {
                    p.children.push(Node::Text(format!("&{};", r.into_inner())));
                }
            }
            Event::CData(c) => {
                if let Some(p) = stack.last_mut() {
                    let raw = c.into_inner().into_owned();
                    p.children.push(Node::Text(escape_text(&raw)));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let root = root.ok_or_else(|| NormalizeError("no root element".into()))?;
    Ok((decl, root))
}

fn element(e: &BytesStart) -> Result<Element, NormalizeError> {
    let name = e.name().as_ref().to_string();
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|x| NormalizeError(x.to_string()))?;
        // Keep the raw (escaped) value: we write it back as it was.
        attrs.push((a.key.as_ref().to_string(), a.value.into_owned()));
    }
    Ok(Element { name, attrs, children: Vec::new() })
}

fn local(name: &str) -> &str {
    name.strip_prefix("w:").unwrap_or(name)
}

fn rank(order: &[&str], child: &str) -> usize {
    order.iter().position(|o| o.split('|').any(|n| n == child)).unwrap_or(order.len())
}

fn fix<'a>(el: &mut Element, tables: &mut impl Iterator<Item = &'a usize>, section_type: Option<&str>) {
    el.attrs.retain(|(k, _)| k != "w14:paraId" && k != "w14:textId");
    match el.name.as_str() {
        "w:gridCol" => el.attrs.retain(|(k, _)| k != "w:type"),
        "w:footerReference" => {
            let even = el.attrs.iter().any(|(k, v)| k == "w:type" && v == "even");
            for (k, v) in &mut el.attrs {
                if k == "r:id" {
                    *v = if even { FOOTER_EVEN_RID } else { FOOTER_ODD_RID }.to_string();
                }
            }
        }
        "w:tbl" => {
            let header_rows = tables.next().copied().unwrap_or(0);
            mark_header_rows(el, header_rows);
        }
        "w:sectPr" => {
            if let Some(t) = section_type {
                el.children.push(Node::Element(Element {
                    name: "w:type".into(),
                    attrs: vec![("w:val".into(), t.into())],
                    children: Vec::new(),
                }));
            }
        }
        _ => {}
    }
    for child in &mut el.children {
        if let Node::Element(c) = child {
            fix(c, tables, section_type);
        }
    }
    el.children.retain(|c| match c {
        Node::Element(c) => !(DROP_WHEN_EMPTY.contains(&c.name.as_str()) && c.children.is_empty() && c.attrs.is_empty()),
        Node::Text(_) => true,
    });
    if let Some((_, order)) = ORDER.iter().find(|(n, _)| *n == local(&el.name)) {
        // Stable: children of equal rank (e.g. several runs) keep their order.
        el.children.sort_by_key(|c| match c {
            Node::Element(c) => rank(order, local(&c.name)),
            Node::Text(_) => order.len(),
        });
    }
}

fn mark_header_rows(tbl: &mut Element, n: usize) {
    let rows = tbl.children.iter_mut().filter_map(|c| match c {
        Node::Element(e) if e.name == "w:tr" => Some(e),
        _ => None,
    });
    for row in rows.take(n) {
        let header = Node::Element(Element { name: "w:tblHeader".into(), attrs: Vec::new(), children: Vec::new() });
        match row.children.iter_mut().find_map(|c| match c {
            Node::Element(e) if e.name == "w:trPr" => Some(e),
            _ => None,
        }) {
            Some(tr_pr) => tr_pr.children.push(header),
            None => {
                let tr_pr = Element { name: "w:trPr".into(), attrs: Vec::new(), children: vec![header] };
                // trPr follows tblPrEx (which we never write) and precedes the cells.
                row.children.insert(0, Node::Element(tr_pr));
            }
        }
    }
}

fn write(el: &Element, out: &mut String) {
    out.push('<');
    out.push_str(&el.name);
    for (k, v) in &el.attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        out.push_str(v);
        out.push('"');
    }
    if el.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for c in &el.children {
        match c {
            Node::Element(e) => write(e, out),
            Node::Text(t) => out.push_str(t),
        }
    }
    out.push_str("</");
    out.push_str(&el.name);
    out.push('>');
}

pub fn escape_text(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_run_and_paragraph_properties() {
        let xml = br#"<?xml version="1.0"?><w:document xmlns:w="x" xmlns:w14="y"><w:p w14:paraId="0000001"><w:pPr><w:rPr/><w:jc w:val="center"/><w:pStyle w:val="A"/></w:pPr><w:r><w:rPr><w:sz w:val="32"/><w:rFonts w:ascii="T"/></w:rPr><w:t xml:space="preserve">a &amp; b</w:t></w:r></w:p></w:document>"#;
        let out = String::from_utf8(normalize(xml, &Fixups::default()).unwrap()).unwrap();
        assert!(out.contains(r#"<w:p><w:pPr><w:pStyle w:val="A"/><w:jc w:val="center"/></w:pPr>"#), "{out}");
        assert!(out.contains(r#"<w:rPr><w:rFonts w:ascii="T"/><w:sz w:val="32"/></w:rPr>"#), "{out}");
        assert!(out.contains("a &amp; b"), "{out}");
    }

    #[test]
    fn marks_header_rows() {
        let xml = br#"<w:document xmlns:w="x"><w:tbl><w:tblPr/><w:tr><w:tc/></w:tr><w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc/></w:tr></w:tbl></w:document>"#;
        let out = String::from_utf8(normalize(xml, &Fixups { header_rows: vec![2], section_type: None }).unwrap()).unwrap();
        assert_eq!(out.matches("<w:tblHeader/>").count(), 2, "{out}");
        assert!(out.contains("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"), "{out}");
    }
}
