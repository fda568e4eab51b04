//! Opening a workbook: the format is sniffed from the bytes (a .xls that is really xlsx, a CSV
//! renamed .xlsx, an encrypted file each get their own message), the size bounded, and the
//! format's own pre-check run before calamine is handed the file.

use super::super::limits::{MAX_CELLS, MAX_COLUMNS, MAX_RECORDS, MAX_SHEET_FILE_BYTES, MAX_UNPACKED_BYTES, grouped};
use super::ods::{OdsLayout, Oversize};
use super::{budget, cfb, ods, place, xlsb};
use crate::diag::{Place, Problem, Problems};
use calamine::{Ods, Xls, XlsError, Xlsb, Xlsx, XlsxError};
use std::collections::HashSet;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

pub(super) enum Book {
    Xlsx(Xlsx<BufReader<File>>),
    Xlsb(Xlsb<BufReader<File>>),
    Xls(Xls<BufReader<File>>),
    /// calamine does not report ODS merges; `OdsLayout` has them from our own pass.
    Ods(Ods<BufReader<File>>, OdsLayout),
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(super) fn open(path: &Path, shown: &Path) -> Result<Book, Problems> {
    let place = Place::File(shown.into());
    let fail = |code: &'static str, message: String| Problems::from(Problem::error(place.clone(), code, message));
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail("file.unreadable", "找不到文件".into()));
        }
        Err(e) => return Err(fail("file.unreadable", format!("无法读取文件：{e}"))),
    };
    if meta.is_dir() {
        return Err(fail("roster.not-spreadsheet", "这是文件夹，不是表格文件".into()));
    }
    if meta.len() == 0 {
        return Err(fail("roster.not-spreadsheet", "文件是空的（0 字节），不是表格文件".into()));
    }
    if meta.len() > MAX_SHEET_FILE_BYTES {
        return Err(fail(
            "roster.too-large",
            format!(
                "文件太大（{:.0} MB，上限 {} MB）；单位名单通常不到 1 MB，请确认选对了文件，或删去无关的工作表和图片后再试",
                meta.len() as f64 / 1048576.0,
                MAX_SHEET_FILE_BYTES / 1048576
            ),
        ));
    }
    let mut head = Vec::with_capacity(4096);
    let read_head = crate::input::regular(path).and_then(|_| File::open(path)).and_then(|f| f.take(4096).read_to_end(&mut head));
    if let Err(e) = read_head {
        return Err(fail("file.unreadable", format!("无法读取文件：{e}")));
    }
    if head.starts_with(&CFB_MAGIC) {
        open_cfb(path, shown, &place)
    } else if head.starts_with(b"PK\x03\x04") {
        open_zip(path, shown, &place)
    } else {
        Err(not_a_spreadsheet(&head, &place))
    }
}

/// Why bytes that are neither zip nor OLE are not a workbook, in words a user can act on.
fn not_a_spreadsheet(head: &[u8], place: &Place) -> Problems {
    let text = String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head));
    let trimmed = text.trim_start().to_ascii_lowercase();
    let message = if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") || trimmed.starts_with("<table") {
        "不是真正的 Excel 表格，而是网页（HTML）文件，只是扩展名像表格（常见于系统导出）；请用 Excel 或 WPS 打开后“另存为” .xlsx 再试"
    } else if trimmed.starts_with("<?xml") {
        "不是 xlsx/xls 表格，而是 XML 文本文件（可能是“XML 电子表格 2003”格式）；请用 Excel 或 WPS 打开后“另存为” .xlsx 再试"
    } else if std::str::from_utf8(head).is_ok() || head.iter().all(|b| *b >= 0x09) {
        "不是 Excel 表格，而是 CSV 或其他文本文件（可能只是改了扩展名）；请用 Excel 或 WPS 打开后“另存为” .xlsx 再试"
    } else {
        "不是表格文件（xlsx、xlsm、xlsb、xls、ods），无法读取；请确认选对了文件"
    };
    Problem::error(place.clone(), "roster.not-spreadsheet", message).into()
}

fn encrypted(place: &Place) -> Problems {
    Problem::error(
        place.clone(),
        "roster.encrypted",
        "文件设置了打开密码（已加密），无法读取；请用 Excel 或 WPS 打开，取消打开密码后另存，再试",
    )
    .into()
}

pub(super) fn corrupt(place: &Place, kind: &str, cause: impl std::fmt::Display) -> Problems {
    Problem::error(
        place.clone(),
        "roster.corrupt",
        format!("文件已损坏或不完整（可能下载、复制时中断），无法作为 {kind} 读取；请重新获取文件，或用 Excel、WPS 打开后另存再试"),
    )
    .with_detail(format!("技术信息：{cause}"))
    .into()
}

/// A sheet past the bounds, at the first cell found outside them.
pub(super) fn too_big(shown: &Path, sheet: &str, row: u32, col: u32) -> Problems {
    Problem::error(
        place(shown, sheet, row, col),
        "roster.sheet-too-large",
        format!(
            "工作表超出可处理的范围（最多 {MAX_RECORDS} 行、{MAX_COLUMNS} 列、{} 万个有内容的单元格），此单元格已超出；请删去表格以外的内容，或把名单单独存为一个文件",
            MAX_CELLS / 10_000
        ),
    )
    .into()
}

/// OLE compound file: a .xls, an encrypted xlsx, or some other Office 97 document.
fn open_cfb(path: &Path, shown: &Path, place: &Place) -> Result<Book, Problems> {
    if let Ok(bytes) = std::fs::read(path) {
        if let Err(why) = cfb::check(&bytes) {
            return Err(corrupt(place, "Excel 97-2003 工作簿（.xls）", why));
        }
        if let Err(over) = cfb::text(&bytes) {
            if over.formula {
                return Err(Problem::error(
                    super::place(shown, &over.sheet, over.row, over.col),
                    "roster.corrupt",
                    "此单元格的公式记录异常（过长，或含大量空格标记），不像是 Excel 写出的；请用 Excel 或 WPS 打开后另存再试",
                )
                .into());
            }
            return Err(budget::too_much_text(shown, &over.sheet, over.row, over.col));
        }
    }
    match calamine::open_workbook::<Xls<_>, _>(path) {
        Ok(x) => Ok(Book::Xls(x)),
        Err(XlsError::Password) => Err(encrypted(place)),
        Err(e) => match calamine::open_workbook::<Xlsx<_>, _>(path) {
            // An encrypted xlsx is an OLE file holding an `EncryptedPackage`.
            Err(XlsxError::Password) => Err(encrypted(place)),
            _ => Err(Problems::from(
                Problem::error(
                    place.clone(),
                    "roster.not-spreadsheet",
                    "无法作为 xls 表格读取：文件可能已损坏，或是其他 Office 97-2003 文档（如 Word 的 .doc）",
                )
                .with_detail(format!("技术信息：{e}")),
            )),
        },
    }
}

/// Zip container: xlsx/xlsm, xlsb, ods — or a docx, or just a zip.
fn open_zip(path: &Path, shown: &Path, place: &Place) -> Result<Book, Problems> {
    let file = File::open(path).map_err(|e| Problem::error(place.clone(), "file.unreadable", format!("无法读取文件：{e}")))?;
    let mut zip = match zip::ZipArchive::new(BufReader::new(file)) {
        Ok(z) => z,
        Err(e) => return Err(corrupt(place, "xlsx", e)),
    };
    check_unpacked_size(&mut zip, place)?;
    let names: HashSet<String> = zip.file_names().map(str::to_string).collect();
    let has = |name: &str| names.contains(name);
    if has("xl/workbook.bin") {
        xlsb::check(&mut zip).map_err(|why| corrupt(place, "xlsb", why))?;
        return calamine::open_workbook::<Xlsb<_>, _>(path).map(Book::Xlsb).map_err(|e| corrupt(place, "xlsb", e));
    }
    let mimetype = zip
        .by_name("mimetype")
        .ok()
        .and_then(|mut f| {
            let mut s = String::new();
            f.by_ref().take(200).read_to_string(&mut s).ok().map(|_| s)
        })
        .unwrap_or_default();
    if mimetype.contains("opendocument.spreadsheet") {
        let layout = ods::layout(&mut zip).map_err(|e| corrupt(place, "ods", e))?;
        if let Some((sheet, over)) = layout.oversize() {
            return Err(match over {
                Oversize::Cell(row, col) => too_big(shown, &sheet, row, col),
                Oversize::Area { rows, cols, corner } => area_too_big(shown, &sheet, rows, cols, corner),
            });
        }
        if let Some((sheet, row, col)) = &layout.text_over {
            return Err(budget::too_much_text(shown, sheet, *row, *col));
        }
        return calamine::open_workbook::<Ods<_>, _>(path).map(|o| Book::Ods(o, layout)).map_err(|e| corrupt(place, "ods", e));
    }
    if mimetype.contains("opendocument") {
        return Err(Problems::from(Problem::error(place.clone(), "roster.not-spreadsheet", "这是 OpenDocument 文字或演示文档，不是表格")));
    }
    let refuse = |message: &str| Err(Problems::from(Problem::error(place.clone(), "roster.not-spreadsheet", message)));
    if has("word/document.xml") {
        return refuse("这是 Word 文档（docx），不是表格；请选择单位名单的 Excel 文件");
    }
    if has("ppt/presentation.xml") {
        return refuse("这是 PowerPoint 演示文稿，不是表格");
    }
    if !has("[Content_Types].xml") {
        return refuse("这是 zip 压缩包，不是表格文件；如名单在压缩包里，请先解压");
    }
    check_shared_strings(&mut zip, place)?;
    drop(zip);
    calamine::open_workbook::<Xlsx<_>, _>(path).map(Book::Xlsx).map_err(|e| corrupt(place, "xlsx", e))
}

/// Sizes from the central directory (`decompressed_size` gives up on data descriptors, which
/// LibreOffice and Excel both write): a small file must not expand into gigabytes.
fn check_unpacked_size<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, place: &Place) -> Result<(), Problems> {
    let mut unpacked = 0u128;
    for i in 0..zip.len().min(100_000) {
        match zip.by_index_raw(i) {
            Ok(f) => unpacked = unpacked.saturating_add(u128::from(f.size())),
            Err(e) => return Err(corrupt(place, "xlsx", e)),
        }
    }
    if unpacked > u128::from(MAX_UNPACKED_BYTES) || zip.len() > 100_000 {
        return Err(Problems::from(Problem::error(
            place.clone(),
            "roster.too-large",
            format!("文件解压后超过 {} MB，不像是单位名单；请确认选对了文件", MAX_UNPACKED_BYTES / 1048576),
        )));
    }
    Ok(())
}

/// calamine keeps every shared string of an xlsx, and reserves room for as many as the list
/// claims (`uniqueCount`): 22 million empty strings (260 MB unpacked, 560 KB on disk) or a claim
/// of a billion made it abort. Both are counted first, against the cells a sheet may hold.
fn check_shared_strings<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>, place: &Place) -> Result<(), Problems> {
    // The count a file claims, or `None` when it is the strings themselves that are too many.
    let too_many = |claimed: Option<usize>| -> Problems {
        let what = match claimed {
            Some(n) => format!("文件声称有 {} 条共享字符串", grouped(n)),
            None => "文件中的共享字符串".to_string(),
        };
        Problem::error(
            place.clone(),
            "roster.too-large",
            format!(
                "{what}，超过上限 {} 条（一个工作表最多 {} 万个有内容的单元格），不像是单位名单；请确认选对了文件，或用 Excel、WPS 打开后另存再试",
                grouped(MAX_CELLS),
                MAX_CELLS / 10_000
            ),
        )
        .into()
    };
    let names: Vec<String> =
        zip.file_names().filter(|n| n.to_ascii_lowercase().ends_with("sharedstrings.xml")).map(str::to_string).collect();
    for name in names {
        // The list's claim, on its first element.
        if let Ok(part) = zip.by_name(&name) {
            let mut xml = quick_xml::Reader::from_reader(BufReader::new(part.take(MAX_UNPACKED_BYTES)));
            let mut buf = Vec::new();
            loop {
                match xml.read_event_into(&mut buf) {
                    Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                        let claimed = e.try_get_attribute("uniqueCount").ok().flatten().and_then(|a| a.value.parse::<usize>().ok());
                        if let Some(claimed) = claimed.filter(|&n| n > MAX_CELLS && e.local_name().as_ref() == "sst") {
                            return Err(too_many(Some(claimed)));
                        }
                        break;
                    }
                    Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                    Ok(_) => buf.clear(),
                }
            }
        }
        if let Ok(part) = zip.by_name(&name)
            && count_elements(part.take(MAX_UNPACKED_BYTES), b"si", MAX_CELLS + 1) > MAX_CELLS
        {
            return Err(too_many(None));
        }
    }
    Ok(())
}

/// Start tags named `local` (with or without a prefix) in an XML stream, counted up to `stop`:
/// a scan of the bytes (text and attribute values cannot hold a raw `<`), fast enough for the
/// 300 MB a part may unpack to.
fn count_elements(mut r: impl Read, local: &[u8], stop: usize) -> usize {
    let (mut count, mut in_name, mut name) = (0, false, Vec::with_capacity(8));
    let mut chunk = vec![0u8; 64 * 1024];
    while let Ok(n) = r.read(&mut chunk) {
        if n == 0 {
            break;
        }
        for &b in &chunk[..n] {
            if b == b'<' {
                in_name = true;
                name.clear();
            } else if in_name {
                match b {
                    b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/' => {
                        in_name = false;
                        if name == local {
                            count += 1;
                            if count >= stop {
                                return count;
                            }
                        }
                    }
                    b':' => name.clear(),
                    _ if name.len() <= local.len() => name.push(b),
                    _ => {}
                }
            }
        }
    }
    count
}

/// An ODS sheet whose used area (which calamine lays out cell by cell) is too large.
fn area_too_big(shown: &Path, sheet: &str, rows: u64, cols: u64, corner: (u32, u32)) -> Problems {
    Problem::error(
        place(shown, sheet, corner.0, corner.1),
        "roster.sheet-too-large",
        format!(
            "工作表的已用区域过大（{rows} 行 × {cols} 列，上限 {} 万个单元格）；请删去表格以外远处的内容，或把名单单独存为一个文件",
            cfb::MAX_DENSE_AREA / 10_000
        ),
    )
    .into()
}
