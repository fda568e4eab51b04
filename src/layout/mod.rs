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
        let (docx, fixups) = body::build(docs, &self.style);
        let built = docx.build();
        let document = schema::normalize(&built.document, &fixups).map_err(|e| LayoutError(e.to_string()))?;
        package::zip(&self.fixed, &document, meta).map_err(|e| LayoutError(format!("打包 DOCX 失败：{e}")))
    }
}
