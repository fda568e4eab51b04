//! layout: `Document` + `Style` → DOCX bytes. `body` and `table` write word/document.xml
//! straight from the document, in schema order; `parts` writes the fixed parts; `package` zips
//! them with deflate. Knows nothing of where the data came from.

mod blocks;
pub mod body;
mod letter;
pub mod measure;
pub mod package;
pub mod pages;
pub mod parties;
pub mod parts;
pub mod style;
pub mod table;
pub mod title;
pub mod widths;
pub mod writer;
pub mod xml;

pub use body::Place;
pub use parts::{FixedParts, Meta};
pub use style::Style;
pub use writer::SectionEnd;

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

/// What precedes the sections of word/document.xml.
const DOCUMENT_HEAD: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><w:body>"#
);
const DOCUMENT_TAIL: &str = "</w:body></w:document>";

impl Layout {
    pub fn new(style: Style) -> Layout {
        let fixed = FixedParts::new(&style);
        Layout { style, fixed }
    }

    /// One DOCX holding `docs`, each in its own section, as a print file lays them out.
    pub fn docx(&self, docs: &[Document], meta: &Meta) -> Result<Vec<u8>, LayoutError> {
        // A package always has a section, even of nothing.
        let nothing = [Document::default()];
        let docs = if docs.is_empty() { &nothing[..] } else { docs };
        let mut xml = String::with_capacity(DOCUMENT_HEAD.len() + 32 * 1024 * docs.len().max(1));
        xml.push_str(DOCUMENT_HEAD);
        for (i, doc) in docs.iter().enumerate() {
            body::document(&mut xml, doc, &self.style, Place { first: i == 0, last: i + 1 == docs.len() });
        }
        xml.push_str(DOCUMENT_TAIL);
        package::zip(&self.fixed, xml.as_bytes(), meta).map_err(|e| LayoutError(format!("打包 DOCX 失败：{e}")))
    }

    /// One document as the sections of a print file: every document after the first starts on
    /// an odd page; each restarts its page numbers and names the same footers. The caller says
    /// where the section stands, so it can lay out many in parallel.
    pub fn section(&self, doc: &Document, first: bool, last: bool) -> Section {
        let mut xml = String::with_capacity(32 * 1024);
        body::document(&mut xml, doc, &self.style, Place { first, last });
        Section { xml }
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
            zip.write_all(DOCUMENT_HEAD.as_bytes())?;
            sections(&mut |s: Section| zip.write_all(s.xml.as_bytes()))?;
            zip.write_all(DOCUMENT_TAIL.as_bytes())
        })
        .map_err(|e| LayoutError(format!("打包合订本失败：{e}")))
    }
}

/// One document's section of a print file's `word/document.xml`, written as a section: its
/// blocks and its section properties where they belong.
pub struct Section {
    xml: String,
}

impl Section {
    /// The section's XML (for measuring; a print file writes it as it is).
    pub fn as_str(&self) -> &str {
        &self.xml
    }
}
