//! Zips the parts into a .docx: deflated, in a fixed order with a fixed timestamp, so the same
//! input gives the same bytes. Deflating is most of a package's cost, so only document.xml is
//! deflated per document: the fixed parts are deflated once per run, and docProps (title, organ,
//! date — the same for every letter of a run) once per distinct `Meta`; both are copied into each
//! package still compressed.

use super::parts::{self, FixedParts, Meta};
use std::io::{Cursor, Write};
use std::sync::{Arc, Mutex};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// Entries copied from the pre-deflated fixed parts, before and after the per-document ones.
const LEADING: [&str; 2] = ["[Content_Types].xml", "_rels/.rels"];
const PROPS: [&str; 2] = ["docProps/core.xml", "docProps/app.xml"];
const TRAILING: [&str; 10] = [
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/settings.xml",
    "word/fontTable.xml",
    "word/theme/theme1.xml",
    "word/footer1.xml",
    "word/footer2.xml",
    "word/footer3.xml",
    "word/footer4.xml",
    "word/footer5.xml",
];

/// A zip in memory, its directory read once; cloning shares both.
type Stock = ZipArchive<Cursor<Arc<[u8]>>>;

/// The deflated entries a run reuses: the fixed parts, and the docProps of the last `Meta`.
#[derive(Debug, Default)]
pub struct Zipped {
    fixed: Option<Stock>,
    props: Mutex<Option<(Meta, Stock)>>,
}

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        // Level 3: within a few percent of level 6's size at well under half its time.
        .compression_level(Some(3))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
}

fn stock(entries: &[(&str, &[u8])]) -> zip::result::ZipResult<Stock> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        zip.start_file(*name, options())?;
        zip.write_all(data)?;
    }
    let bytes: Arc<[u8]> = zip.finish()?.into_inner().into();
    ZipArchive::new(Cursor::new(bytes))
}

/// The fixed parts deflated into one zip, built once per run.
pub fn zip_fixed(fixed: &FixedParts) -> Zipped {
    let entries: [(&str, &[u8]); 12] = [
        ("[Content_Types].xml", &fixed.content_types),
        ("_rels/.rels", &fixed.root_rels),
        ("word/_rels/document.xml.rels", &fixed.document_rels),
        ("word/styles.xml", &fixed.styles),
        ("word/settings.xml", &fixed.settings),
        ("word/fontTable.xml", &fixed.font_table),
        ("word/theme/theme1.xml", &fixed.theme),
        ("word/footer1.xml", &fixed.footer_odd),
        ("word/footer2.xml", &fixed.footer_even),
        ("word/footer3.xml", &fixed.footer_odd_landscape),
        ("word/footer4.xml", &fixed.footer_even_landscape),
        ("word/footer5.xml", &fixed.footer_first),
    ];
    // Writing into memory cannot fail short of running out of it; `zip_into` says so if it did.
    Zipped { fixed: stock(&entries).ok(), props: Mutex::new(None) }
}

impl Zipped {
    /// docProps for `meta`, deflated: from the cache when the last package had the same.
    fn props(&self, meta: &Meta) -> zip::result::ZipResult<Stock> {
        let mut cached = self.props.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, s)) = cached.as_ref().filter(|(m, _)| m == meta) {
            return Ok(s.clone());
        }
        let s = stock(&[(PROPS[0], &parts::core(meta)), (PROPS[1], &parts::app(meta))])?;
        *cached = Some((meta.clone(), s.clone()));
        Ok(s)
    }
}

/// One package around word/document.xml, which `document` writes, written into `out`.
pub fn zip_into<W: Write + std::io::Seek>(
    fixed: &FixedParts,
    out: W,
    meta: &Meta,
    document: impl FnOnce(&mut ZipWriter<W>) -> std::io::Result<()>,
) -> zip::result::ZipResult<W> {
    let mut template = fixed.zipped.fixed.clone().ok_or(zip::result::ZipError::InvalidArchive("固定部件未能压缩".into()))?;
    let mut props = fixed.zipped.props(meta)?;
    let mut zip = ZipWriter::new(out);
    for name in LEADING {
        zip.raw_copy_file(template.by_name(name)?)?;
    }
    for name in PROPS {
        zip.raw_copy_file(props.by_name(name)?)?;
    }
    zip.start_file("word/document.xml", options())?;
    document(&mut zip)?;
    for name in TRAILING {
        zip.raw_copy_file(template.by_name(name)?)?;
    }
    zip.finish()
}

pub fn zip(fixed: &FixedParts, document: &[u8], meta: &Meta) -> zip::result::ZipResult<Vec<u8>> {
    let out = Cursor::new(Vec::with_capacity(document.len() / 3 + 8 * 1024));
    Ok(zip_into(fixed, out, meta, |z| z.write_all(document))?.into_inner())
}
