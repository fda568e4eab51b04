//! A check of an .xlsb workbook's binary records before calamine reads them. calamine sizes its
//! record buffer from the length a record claims (up to 256 MB for a few bytes of file) and
//! keeps every shared string the file lists, so the framing of every record is walked first:
//! each length must be sane and its bytes present, and the shared strings are counted.
//!
//! Cells themselves are then read one at a time (`worksheet_cells_reader`), never as calamine's
//! dense range: two cells far apart would make it reserve rows × columns (hundreds of GB).

use super::super::limits::{MAX_CELLS, MAX_UNPACKED_BYTES};
use std::io::{BufReader, Read, Seek};

/// A record longer than this is not in any workbook a person made (a shared string of 32,767
/// characters with its formatting runs is well under it).
const MAX_RECORD_BYTES: u64 = 4 * 1024 * 1024;
/// `BrtSSTItem`: one shared string.
const SHARED_STRING: u16 = 0x0013;

/// Walks every binary part calamine reads (workbook, styles, shared strings, sheets).
pub fn check<R: Read + Seek>(zip: &mut zip::ZipArchive<R>) -> Result<(), String> {
    let parts: Vec<String> = zip
        .file_names()
        .filter(|n| {
            let lower = n.to_ascii_lowercase();
            lower.starts_with("xl/") && lower.ends_with(".bin") && !lower.ends_with("vbaproject.bin")
        })
        .map(str::to_string)
        .collect();
    let mut strings = 0usize;
    for name in parts {
        let part = zip.by_name(&name).map_err(|e| format!("{name}：{e}"))?;
        let mut reader = BufReader::new(part.take(MAX_UNPACKED_BYTES));
        walk_records(&mut reader, &mut strings).map_err(|why| format!("{name}：{why}"))?;
    }
    if strings > MAX_CELLS {
        return Err(format!("共享字符串有 {strings} 条，超过上限 {MAX_CELLS} 条"));
    }
    Ok(())
}

/// One byte, or `None` at the end of the part.
fn byte(r: &mut impl Read) -> Result<Option<u8>, String> {
    let mut b = [0u8; 1];
    match r.read(&mut b) {
        Ok(0) => Ok(None),
        Ok(_) => Ok(Some(b[0])),
        Err(e) => Err(e.to_string()),
    }
}

fn walk_records(r: &mut impl Read, strings: &mut usize) -> Result<(), String> {
    let truncated = || "记录被截断".to_string();
    // As calamine reads them: a type of one or two bytes, a length of one to four, 7 bits each.
    while let Some(b) = byte(r)? {
        let typ = if b & 0x80 != 0 { u16::from(b & 0x7F) | (u16::from(byte(r)?.ok_or_else(truncated)? & 0x7F) << 7) } else { u16::from(b) };
        let mut b = byte(r)?.ok_or_else(truncated)?;
        let mut len = u64::from(b & 0x7F);
        for i in 1..4 {
            if b & 0x80 == 0 {
                break;
            }
            b = byte(r)?.ok_or_else(truncated)?;
            len += u64::from(b & 0x7F) << (7 * i);
        }
        if len > MAX_RECORD_BYTES {
            return Err(format!("类型 0x{typ:04X} 的记录声明长度 {len} 字节，超过上限"));
        }
        let skipped = std::io::copy(&mut r.by_ref().take(len), &mut std::io::sink()).map_err(|e| e.to_string())?;
        if skipped != len {
            return Err(truncated());
        }
        if typ == SHARED_STRING {
            *strings += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::walk_records;

    #[test]
    fn records_are_framed_as_calamine_reads_them() {
        let mut strings = 0;
        // BrtSSTItem (0x13) of 3 bytes, then a two-byte type 0x0094 (BrtWsDim) with 16 bytes.
        let ok = [&[0x13, 3, 0, 0, 0][..], &[0x94, 0x01, 16], &[0; 16]].concat();
        assert_eq!(walk_records(&mut ok.as_slice(), &mut strings), Ok(()));
        assert_eq!(strings, 1);
        // A length of 2^28 − 1 in four bytes with nothing behind it.
        let huge = [0x13, 0xFF, 0xFF, 0xFF, 0x7F];
        assert!(walk_records(&mut huge.as_slice(), &mut strings).unwrap_err().contains("超过上限"));
        // A record claiming more bytes than follow.
        assert_eq!(walk_records(&mut [0x13, 10, 0, 0].as_slice(), &mut strings), Err("记录被截断".into()));
    }
}
