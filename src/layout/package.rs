//! Zips the parts into a .docx: deflated (docx-rs stores them uncompressed), in a fixed order
//! with a fixed timestamp, so the same input gives the same bytes.

use super::parts::{self, FixedParts, Meta};
use std::io::{Cursor, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

pub fn zip(fixed: &FixedParts, document: &[u8], meta: &Meta) -> zip::result::ZipResult<Vec<u8>> {
    let core = parts::core(meta);
    let app = parts::app(meta);
    let entries: [(&str, &[u8]); 12] = [
        ("[Content_Types].xml", &fixed.content_types),
        ("_rels/.rels", &fixed.root_rels),
        ("docProps/core.xml", &core),
        ("docProps/app.xml", &app),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", &fixed.document_rels),
        ("word/styles.xml", &fixed.styles),
        ("word/settings.xml", &fixed.settings),
        ("word/fontTable.xml", &fixed.font_table),
        ("word/theme/theme1.xml", &fixed.theme),
        ("word/footer1.xml", &fixed.footer_odd),
        ("word/footer2.xml", &fixed.footer_even),
    ];
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(document.len() / 3 + 16 * 1024)));
    for (name, data) in entries {
        zip.start_file(name, options)?;
        zip.write_all(data)?;
    }
    Ok(zip.finish()?.into_inner())
}
