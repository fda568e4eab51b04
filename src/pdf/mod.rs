//! `build --pdf`: zeren draws each document's PDF itself, from its own idea of the page
//! (`layout::pages`, the page model; `paint` draws it), in the 公文 faces by role (`fonts`), embedded and
//! subset by krilla (`draw`). No office suite is needed; LibreOffice (`soffice`) stays only as
//! the oracle the render tests compare with.

pub mod draw;
pub mod fonts;
pub mod paint;
pub mod shared;
pub mod sheet;
pub mod soffice;
#[cfg(test)]
mod tests;

pub use draw::{DrawError, PdfMeta};
pub use fonts::{Faces, FontError};
pub use shared::Shared;
pub use soffice::{PdfError, SOFFICE_ENV, convert, find_soffice};

use crate::layout::Style;
use crate::markup::Document;
use std::path::Path;

/// The folder of a workspace searched for the 公文 fonts before the system's.
pub const FONTS_DIR: &str = "字体";

/// The most pages a print file's PDF may have. krilla writes a PDF whole, in memory (it has no
/// streaming output): a print file holds each page drawn, compressed (1.4 KB a page of 责任书),
/// and then the file's bytes, at most `PRINT_BYTES_PER_PAGE` a page in all; so a 30,000-page
/// print file (about 10,000 责任书) takes at most some 120 MB. Past it the run stops with a
/// message before memory runs short.
pub const MAX_PRINT_PAGES: u32 = 30_000;
/// Memory a print file's PDF takes per page while it is made, at most (measured: a 4,015-page
/// print file of 1,004 责任书 is 5.7 MB and raised the run's peak by less than 10 MB).
pub const PRINT_BYTES_PER_PAGE: u32 = 4 * 1024;

/// A run's PDF writer: the style and the faces, found once.
pub struct PdfWriter {
    pub style: Style,
    pub faces: Faces,
}

/// A service's writer, kept between requests (`zeren serve`): finding and reading the faces is
/// done again only when the style, the fonts folder or its contents (its modification time) change.
#[derive(Default)]
pub struct WriterCache(std::sync::Mutex<Option<(Style, std::path::PathBuf, Option<std::time::SystemTime>, std::sync::Arc<PdfWriter>)>>);

impl WriterCache {
    /// The writer for the workspace at `root`, as `PdfWriter::for_workspace` makes it.
    pub fn get(&self, style: &Style, root: &Path, named: Option<&Path>) -> Result<std::sync::Arc<PdfWriter>, FontError> {
        let dir = root.join(named.unwrap_or(Path::new(FONTS_DIR)));
        let stamp = std::fs::metadata(&dir).and_then(|m| m.modified()).ok();
        let mut cached = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((s, d, t, w)) = cached.as_ref()
            && s == style
            && *d == dir
            && *t == stamp
        {
            return Ok(w.clone());
        }
        let writer = std::sync::Arc::new(PdfWriter::for_workspace(style, root, named)?);
        *cached = Some((style.clone(), dir, stamp, writer.clone()));
        Ok(writer)
    }
}

/// One PDF and its pages.
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: u32,
}

impl PdfWriter {
    /// Finds the faces for `style`: `fonts_dir` (a workspace's 字体 folder) first, then the system.
    pub fn new(style: &Style, fonts_dir: Option<&Path>) -> Result<PdfWriter, FontError> {
        Ok(PdfWriter { style: style.clone(), faces: Faces::find(style, fonts_dir)? })
    }

    /// The writer for the workspace at `root` (settings as loaded): its fonts folder (zeren.yaml's
    /// `fonts`, else 字体) searched first. A folder zeren.yaml names that is not there is said.
    pub fn for_workspace(style: &Style, root: &Path, named: Option<&Path>) -> Result<PdfWriter, FontError> {
        let dir = root.join(named.unwrap_or(Path::new(FONTS_DIR)));
        if named.is_some() && !dir.is_dir() {
            return Err(FontError(format!(
                "{}: zeren.yaml 的字体文件夹(fonts)不存在；请改正路径，或删去这一行以用本机字体",
                dir.display()
            )));
        }
        PdfWriter::new(style, Some(&dir))
    }

    /// The subsets to share among documents like `sample` (`shared`: made once, not per PDF).
    pub fn share(&self, sample: &[Document]) -> Shared {
        let sheets: Vec<Vec<sheet::Sheet>> = sample.iter().map(|d| paint::sheets(d, &self.style)).collect();
        Shared::of(&self.faces, &sheets)
    }

    /// One document's PDF, drawn with `shared`'s subsets where they hold a character.
    pub fn document(&self, doc: &Document, meta: &PdfMeta, shared: &Shared) -> Result<Pdf, DrawError> {
        let sheets = paint::sheets(doc, &self.style);
        let bytes = draw::pdf(&sheets, &self.faces, shared, meta)?;
        Ok(Pdf { bytes, pages: sheets.len() as u32 })
    }
}

/// The number of pages of a PDF; `None` if it cannot be read.
pub fn page_count(bytes: &[u8]) -> Option<u32> {
    lopdf::Document::load_mem(bytes).ok().map(|d| d.get_pages().len() as u32)
}
