//! Workbooks written byte by byte, for inputs no spreadsheet program would write: merged regions
//! past the sheet's last column, cells longer than Excel allows, .xlsb records by hand.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use zeren::load::sheet::cell_ref;
use zip::write::SimpleFileOptions;

pub fn tmp(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    (dir, path)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn zip_file(path: &Path, parts: &[(&str, Vec<u8>)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in parts {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

/// An xlsx of one sheet: `rows` from A1 (empty strings are empty cells), inline strings, and
/// `merges` as `mergeCell` references written verbatim.
pub fn xlsx(path: &Path, sheet: &str, rows: &[Vec<String>], merges: &[&str]) {
    xlsx_sheets(path, &[(sheet, rows, merges)]);
}

pub fn xlsx_sheets(path: &Path, sheets: &[(&str, &[Vec<String>], &[&str])]) {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    let mut overrides = String::new();
    let (mut listed, mut rels) = (String::new(), String::new());
    for (i, (name, rows, merges)) in sheets.iter().enumerate() {
        let n = i + 1;
        overrides.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
        listed.push_str(&format!(r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#, escape(name)));
        rels.push_str(&format!(r#"<Relationship Id="rId{n}" Type="{REL}/worksheet" Target="worksheets/sheet{n}.xml"/>"#));
        let mut xml = format!(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}"><sheetData>"#);
        for (r, row) in rows.iter().enumerate() {
            xml.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, value) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                let at = cell_ref(r as u32, c as u32);
                xml.push_str(&format!(r#"<c r="{at}" t="inlineStr"><is><t xml:space="preserve">{}</t></is></c>"#, escape(value)));
            }
            xml.push_str("</row>");
        }
        xml.push_str("</sheetData>");
        if !merges.is_empty() {
            xml.push_str(&format!(r#"<mergeCells count="{}">"#, merges.len()));
            for m in merges.iter() {
                xml.push_str(&format!(r#"<mergeCell ref="{m}"/>"#));
            }
            xml.push_str("</mergeCells>");
        }
        xml.push_str("</worksheet>");
        parts.push((format!("xl/worksheets/sheet{n}.xml"), xml.into_bytes()));
    }
    let content_types = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{overrides}</Types>"#
    );
    let root_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>{listed}</sheets></workbook>"#
    );
    let workbook_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>"#
    );
    let mut all: Vec<(&str, Vec<u8>)> = vec![
        ("[Content_Types].xml", content_types.into_bytes()),
        ("_rels/.rels", root_rels.into_bytes()),
        ("xl/workbook.xml", workbook.into_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.into_bytes()),
    ];
    all.extend(parts.iter().map(|(n, b)| (n.as_str(), b.clone())));
    zip_file(path, &all);
}

/// An xlsx of one sheet whose `sheetData` holds `rows_xml` verbatim, with `shared` as its shared
/// strings (cells `t="s"` name them by index): for cells that all reuse one string.
pub fn xlsx_shared(path: &Path, sheet: &str, rows_xml: &str, shared: &[&str]) {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let content_types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let root_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="{}" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        escape(sheet)
    );
    let workbook_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#
    );
    let items: String = shared.iter().map(|s| format!(r#"<si><t xml:space="preserve">{}</t></si>"#, escape(s))).collect();
    let sst = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{MAIN}" count="{n}" uniqueCount="{n}">{items}</sst>"#,
        n = shared.len()
    );
    let sheet_xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>"#
    );
    zip_file(
        path,
        &[
            ("[Content_Types].xml", content_types.as_bytes().to_vec()),
            ("_rels/.rels", root_rels.into_bytes()),
            ("xl/workbook.xml", workbook.into_bytes()),
            ("xl/_rels/workbook.xml.rels", workbook_rels.into_bytes()),
            ("xl/sharedStrings.xml", sst.into_bytes()),
            ("xl/worksheets/sheet1.xml", sheet_xml.into_bytes()),
        ],
    );
}

/// An ODS of one sheet whose `table:table` holds `rows_xml`.
pub fn ods(path: &Path, sheet: &str, rows_xml: &str) {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="{}">{rows_xml}</table:table></office:spreadsheet></office:body></office:document-content>"#,
        escape(sheet)
    );
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("content.xml", SimpleFileOptions::default()).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", SimpleFileOptions::default()).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.finish().unwrap();
}

/// One .xlsb record: its type (one or two bytes), its length (7 bits a byte), its body.
pub fn record(typ: u16, body: &[u8]) -> Vec<u8> {
    let mut out = if typ < 0x80 { vec![typ as u8] } else { vec![(typ & 0x7F) as u8 | 0x80, (typ >> 7) as u8] };
    let mut len = body.len();
    loop {
        let b = (len & 0x7F) as u8;
        len >>= 7;
        if len == 0 {
            out.push(b);
            break;
        }
        out.push(b | 0x80);
    }
    out.extend_from_slice(body);
    out
}

/// An XLWideString: a count of UTF-16 units, then the units.
fn wide(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().collect();
    let mut out = (units.len() as u32).to_le_bytes().to_vec();
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// An .xlsb of one sheet holding text `cells` (row, column, text), in row order; `extra` is
/// appended raw to the sheet's records, before its end.
pub fn xlsb(path: &Path, sheet: &str, cells: &[(u32, u32, &str)], extra: Option<&[u8]>) {
    xlsb_shared(path, sheet, cells, extra, &[]);
}

/// `xlsb` with `shared` as the shared strings (xl/sharedStrings.bin), for `BrtCellIsst` records
/// in `extra` to name by index.
pub fn xlsb_shared(path: &Path, sheet: &str, cells: &[(u32, u32, &str)], extra: Option<&[u8]>, shared: &[&str]) {
    // workbook.bin: BrtBeginBook, BrtBundleSh (hsState, iTabID, relId, name), BrtEndBundleShs,
    // BrtCalcProp (calamine reads the defined names up to it), BrtEndBook.
    let mut bundle = vec![0, 0, 0, 0, 1, 0, 0, 0];
    bundle.extend(wide("rId1"));
    bundle.extend(wide(sheet));
    let workbook = [record(0x83, &[]), record(0x9C, &bundle), record(0x90, &[]), record(0x9D, &[0; 26]), record(0x84, &[])].concat();
    let rows = cells.iter().map(|c| c.0).max().unwrap_or(0);
    let cols = cells.iter().map(|c| c.1).max().unwrap_or(0);
    let dims: Vec<u8> = [0u32, rows, 0, cols].iter().flat_map(|v| v.to_le_bytes()).collect();
    let mut sheet_bin = [record(0x81, &[]), record(0x94, &dims), record(0x91, &[])].concat();
    let mut last_row = None;
    for &(r, c, text) in cells {
        if last_row != Some(r) {
            sheet_bin.extend(record(0x00, &[&r.to_le_bytes()[..], &[0; 13]].concat()));
            last_row = Some(r);
        }
        // BrtCellSt: column, style (24 bits) and flags, then the text.
        sheet_bin.extend(record(0x06, &[&c.to_le_bytes()[..], &[0, 0, 0, 0], &wide(text)].concat()));
    }
    if let Some(extra) = extra {
        sheet_bin.extend_from_slice(extra);
    }
    sheet_bin.extend([record(0x92, &[]), record(0x82, &[])].concat());
    let rels = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>"#;
    let content_types = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/></Types>"#;
    let mut parts = vec![
        ("[Content_Types].xml", content_types.as_bytes().to_vec()),
        ("xl/workbook.bin", workbook),
        ("xl/_rels/workbook.bin.rels", rels.as_bytes().to_vec()),
        ("xl/worksheets/sheet1.bin", sheet_bin),
    ];
    if !shared.is_empty() {
        // BrtBeginSst (total, unique), a BrtSSTItem (flags, text) each, BrtEndSst.
        let n = (shared.len() as u32).to_le_bytes();
        let mut sst = record(0x9F, &[n, n].concat());
        for s in shared {
            sst.extend(record(0x13, &[&[0u8][..], &wide(s)].concat()));
        }
        sst.extend(record(0xA0, &[]));
        parts.push(("xl/sharedStrings.bin", sst));
    }
    zip_file(path, &parts);
}

/// Rewrites a zip file with every part stored uncompressed, so a fuzzer's byte changes land in
/// the XML and records themselves rather than in deflate data.
pub fn stored(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut parts = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut b).unwrap();
        parts.push((f.name().to_string(), b));
    }
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, b) in parts {
        out.start_file(name, SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)).unwrap();
        out.write_all(&b).unwrap();
    }
    out.finish().unwrap();
}
