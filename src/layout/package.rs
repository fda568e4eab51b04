//! Zips the parts into a .docx: deflated (docx-rs stores parts uncompressed), in a fixed order
//! with a fixed timestamp, so the same input gives the same bytes. The fixed parts are deflated
//! once per run (`FixedParts::zipped`) and copied into each package still compressed.

use super::parts::{self, FixedParts, Meta};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// Entries copied from the pre-deflated fixed parts, before and after the per-document ones.
const LEADING: [&str; 2] = ["[Content_Types].xml", "_rels/.rels"];
const TRAILING: [&str; 7] = [
    "word/_rels/document.xml.rels",
    "word/styles.xml",
    "word/settings.xml",
    "word/fontTable.xml",
    "word/theme/theme1.xml",
    "word/footer1.xml",
    "word/footer2.xml",
];

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        // Level 3: within a few percent of level 6's size at well under half its time.
        .compression_level(Some(3))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
}

/// The fixed parts as one zip, built once per run.
pub fn zip_fixed(fixed: &FixedParts) -> zip::result::ZipResult<Vec<u8>> {
    let entries: [(&str, &[u8]); 9] = [
        ("[Content_Types].xml", &fixed.content_types),
        ("_rels/.rels", &fixed.root_rels),
        ("word/_rels/document.xml.rels", &fixed.document_rels),
        ("word/styles.xml", &fixed.styles),
        ("word/settings.xml", &fixed.settings),
        ("word/fontTable.xml", &fixed.font_table),
        ("word/theme/theme1.xml", &fixed.theme),
        ("word/footer1.xml", &fixed.footer_odd),
        ("word/footer2.xml", &fixed.footer_even),
    ];
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in entries {
        zip.start_file(name, options())?;
        zip.write_all(data)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// One package around `document` (word/document.xml), written into `out`.
pub fn zip_into<W: Write + std::io::Seek>(
    fixed: &FixedParts,
    out: W,
    meta: &Meta,
    document: impl FnOnce(&mut ZipWriter<W>) -> std::io::Result<()>,
) -> zip::result::ZipResult<W> {
    let mut template = ZipArchive::new(Cursor::new(fixed.zipped.as_slice()))?;
    let mut zip = ZipWriter::new(out);
    for name in LEADING {
        zip.raw_copy_file(template.by_name(name)?)?;
    }
    zip.start_file("docProps/core.xml", options())?;
    zip.write_all(&parts::core(meta))?;
    zip.start_file("docProps/app.xml", options())?;
    zip.write_all(&parts::app(meta))?;
    zip.start_file("word/document.xml", options())?;
    document(&mut zip)?;
    for name in TRAILING {
        zip.raw_copy_file(template.by_name(name)?)?;
    }
    zip.finish()
}

pub fn zip(fixed: &FixedParts, document: &[u8], meta: &Meta) -> zip::result::ZipResult<Vec<u8>> {
    let out = Cursor::new(Vec::with_capacity(document.len() / 4 + 8 * 1024));
    Ok(zip_into(fixed, out, meta, |z| z.write_all(document))?.into_inner())
}
