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

/// One BIFF8 record of a .xls Workbook stream.
pub fn biff(typ: u16, data: &[u8]) -> Vec<u8> {
    [&typ.to_le_bytes()[..], &(data.len() as u16).to_le_bytes(), data].concat()
}

/// A .xls of one sheet: `shared` as its shared strings (SST, long ones split over CONTINUE
/// records as Excel does), `cells` as LABELSST records (row, column, string index).
pub fn xls_shared(path: &Path, sheet: &str, shared: &[&str], cells: &[(u16, u16, u32)]) {
    xls_records(path, sheet, shared, cells, &[]);
}

/// `xls_shared` with `extra` records (`biff`) written after the cells, in the sheet.
pub fn xls_records(path: &Path, sheet: &str, shared: &[&str], cells: &[(u16, u16, u32)], extra: &[u8]) {
    let n = (shared.len() as u32).to_le_bytes();
    // SST: the counts, then each string (count, flags 1 = UTF-16, characters); a record holds at
    // most 8,224 bytes, and a string carried on into a CONTINUE record starts it with its flags.
    let mut sst: Vec<Vec<u8>> = vec![[n, n].concat()];
    for s in shared {
        let units: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let head = [&(units.len() as u16 / 2).to_le_bytes()[..], &[1]].concat();
        if sst.last().unwrap().len() + head.len() + 2 > 8_224 {
            sst.push(Vec::new());
        }
        sst.last_mut().unwrap().extend(head);
        let mut rest = &units[..];
        let mut first = true;
        while !rest.is_empty() {
            if !first {
                sst.push(vec![1]);
            }
            first = false;
            let room = (8_224 - sst.last().unwrap().len()) / 2 * 2;
            let (now, later) = rest.split_at(room.min(rest.len()));
            sst.last_mut().unwrap().extend_from_slice(now);
            rest = later;
        }
    }
    let sst: Vec<u8> = sst.iter().enumerate().flat_map(|(i, part)| biff(if i == 0 { 0x00FC } else { 0x003C }, part)).collect();
    let bof = |dt: u16| biff(0x0809, &[&0x0600u16.to_le_bytes()[..], &dt.to_le_bytes(), &[0; 12]].concat());
    let name: Vec<u8> = sheet.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let boundsheet = |pos: u32| biff(0x0085, &[&pos.to_le_bytes()[..], &[0, 0, (name.len() / 2) as u8, 1], &name].concat());
    let globals_len = bof(5).len() + boundsheet(0).len() + sst.len() + 4;
    let mut stream = [bof(5), boundsheet(globals_len as u32), sst, biff(0x000A, &[])].concat();
    stream.extend(bof(0x10));
    for &(row, col, i) in cells {
        stream.extend(biff(0x00FD, &[&row.to_le_bytes()[..], &col.to_le_bytes(), &[0, 0], &i.to_le_bytes()].concat()));
    }
    stream.extend_from_slice(extra);
    stream.extend(biff(0x000A, &[]));
    std::fs::write(path, compound_file("Workbook", &stream)).unwrap();
}

/// An OLE compound file (version 3, 512-byte sectors) holding one stream: the stream's sectors,
/// one directory sector, then the allocation table.
fn compound_file(stream_name: &str, stream: &[u8]) -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    let mut data = stream.to_vec();
    data.resize(data.len().max(4096).div_ceil(512) * 512, 0);
    let stream_sectors = data.len() / 512;
    let mut fat_sectors = 1;
    while (stream_sectors + 1 + fat_sectors).div_ceil(128) > fat_sectors {
        fat_sectors += 1;
    }
    assert!(fat_sectors <= 109, "the header lists at most 109 allocation sectors");
    let dir_sector = stream_sectors as u32;
    let entry = |name: &str, kind: u8, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let units: Vec<u8> = name.encode_utf16().chain([0]).flat_map(u16::to_le_bytes).collect();
        e[..units.len()].copy_from_slice(&units);
        e[64..66].copy_from_slice(&(units.len() as u16).to_le_bytes());
        (e[66], e[67]) = (kind, 1);
        e[68..72].copy_from_slice(&FREE.to_le_bytes());
        e[72..76].copy_from_slice(&FREE.to_le_bytes());
        e[76..80].copy_from_slice(&child.to_le_bytes());
        e[116..120].copy_from_slice(&start.to_le_bytes());
        e[120..124].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut dir = [entry("Root Entry", 5, 1, END, 0), entry(stream_name, 2, FREE, 0, stream.len() as u32)].concat();
    dir.resize(512, 0);
    let mut fat: Vec<u32> = (1..stream_sectors as u32).chain([END, END]).collect();
    fat.extend(std::iter::repeat_n(0xFFFF_FFFD, fat_sectors));
    fat.resize(fat_sectors * 128, FREE);
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    for (at, value) in [(24usize, 0x3Eu16), (26, 3), (28, 0xFFFE), (30, 9), (32, 6)] {
        header[at..at + 2].copy_from_slice(&value.to_le_bytes());
    }
    for (at, value) in [(44usize, fat_sectors as u32), (48, dir_sector), (56, 4096), (60, END), (68, END)] {
        header[at..at + 4].copy_from_slice(&value.to_le_bytes());
    }
    for i in 0..109 {
        let id = if i < fat_sectors { dir_sector + 1 + i as u32 } else { FREE };
        header[76 + 4 * i..80 + 4 * i].copy_from_slice(&id.to_le_bytes());
    }
    [header, data, dir, fat.iter().flat_map(|v| v.to_le_bytes()).collect()].concat()
}
