//! layout: `Document` + `Style` → DOCX bytes. docx-rs builds the body; `schema` puts its XML in
//! schema order; `parts` owns the fixed parts; `package` zips them with deflate.
//! Knows nothing of where the data came from.

pub mod body;
pub mod package;
pub mod parts;
pub mod schema;
pub mod style;

pub use parts::{FixedParts, Meta};
pub use style::Style;

use crate::markup::Document;
use std::io::Write;

/// A run's layout engine: the style and the parts every document shares, built once.
pub struct Layout {
    pub style: Style,
    fixed: FixedParts,
}

#[derive(Debug)]
pub struct LayoutError(pub String);

impl std::fmt::Display for LayoutError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Layout {
    pub fn new(style: Style) -> Layout {
        let fixed = FixedParts::new(&style);
        Layout { style, fixed }
    }

    /// One DOCX holding `docs`, each in its own section (one document → one section).
    pub fn docx(&self, docs: &[Document], meta: &Meta) -> Result<Vec<u8>, LayoutError> {
        let document = self.document_xml(docs, None)?;
        package::zip(&self.fixed, &document, meta).map_err(|e| LayoutError(format!("打包 DOCX 失败：{e}")))
    }

    fn document_xml(&self, docs: &[Document], section_type: Option<&'static str>) -> Result<Vec<u8>, LayoutError> {
        let (docx, mut fixups) = body::build(docs, &self.style);
        fixups.section_type = section_type;
        let built = docx.build();
        schema::normalize(&built.document, &fixups).map_err(|e| LayoutError(e.to_string()))
    }

    /// One document as a section of a print file: the children of `w:body`, its `sectPr` turned
    /// into a section break unless it is the last. Every section after the first starts on an
    /// odd page; each restarts its page numbers and names the same footers.
    pub fn section(&self, doc: &Document, first: bool, last: bool) -> Result<Section, LayoutError> {
        let xml = self.document_xml(std::slice::from_ref(doc), (!first).then_some("oddPage"))?;
        let xml = String::from_utf8(xml).map_err(|e| LayoutError(e.to_string()))?;
        let open = xml.find("<w:body>").map(|i| i + "<w:body>".len());
        let close = xml.rfind("</w:body>");
        let sect = xml.rfind("<w:sectPr");
        let (Some(open), Some(close), Some(sect)) = (open, close, sect) else {
            return Err(LayoutError("内部错误：生成的正文缺少 w:body 或 w:sectPr".into()));
        };
        let head = xml[..open].to_string();
        let body = if last {
            xml[open..close].to_string()
        } else {
            format!("{}<w:p><w:pPr>{}</w:pPr></w:p>", &xml[open..sect], &xml[sect..close])
        };
        Ok(Section { head, body })
    }

    /// A print file streamed into `out`: `sections` come in order, laid out by the caller
    /// (in parallel, a chunk at a time), so memory holds a chunk, never the whole file.
    pub fn print_file<W: std::io::Write + std::io::Seek>(
        &self,
        out: W,
        meta: &Meta,
        mut sections: impl FnMut(&mut dyn FnMut(Section) -> std::io::Result<()>) -> std::io::Result<()>,
    ) -> Result<W, LayoutError> {
        package::zip_into(&self.fixed, out, meta, |zip| {
            let mut started = false;
            sections(&mut |s: Section| {
                if !started {
                    zip.write_all(s.head.as_bytes())?;
                    started = true;
                }
                zip.write_all(s.body.as_bytes())
            })?;
            zip.write_all(b"</w:body></w:document>")
        })
        .map_err(|e| LayoutError(format!("打包合订本失败：{e}")))
    }
}

/// One document's share of a print file's `word/document.xml`.
pub struct Section {
    /// Everything up to and including `<w:body>` (the same for every section).
    pub head: String,
    pub body: String,
}
