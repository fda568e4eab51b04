//! 单位名单 from a spreadsheet (xlsx, xlsm, xls, ods) → `model::Unit`s, every problem located at
//! `文件 [工作表] 单元格` and in Chinese.
//!
//! Real rosters are typed by hand in Excel or WPS: a title merged across the table, a
//! “填报单位：…  填报日期：…” line, the header somewhere in the first rows, 类别 merged down a
//! group of units, a 合计 row and 注 lines under the table. This module reads that shape as it
//! is, rather than asking users to tidy the sheet first.
//!
//! Input is untrusted: the format is sniffed from the bytes (a .xls that is really xlsx, a CSV
//! renamed .xlsx, an encrypted file each get their own message), and sizes are bounded before
//! anything large is allocated.

use super::check::tidy;
use crate::diag::{Place, Problem, Problems};
use crate::model::{Person, Unit, UnitType};
use calamine::{Data, DataRef, Dimensions, Ods, Reader, SheetType, SheetVisible, Xls, XlsError, Xlsb, Xlsx, XlsxError};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::ops::ControlFlow;
use std::path::Path;

/// A roster is a few hundred rows; anything much larger is the wrong file (or a hostile one).
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// Zip-based files are checked unpacked too, so a small file cannot expand into gigabytes.
const MAX_UNPACKED_BYTES: u128 = 300 * 1024 * 1024;
pub const MAX_ROWS: u32 = 100_000;
pub const MAX_COLUMNS: u32 = 200;
/// Non-empty cells in one sheet (100,000 rows × 20 columns).
const MAX_CELLS: usize = 2_000_000;
/// The header is looked for among this many non-blank rows at the top of a sheet.
const HEADER_SCAN_ROWS: usize = 10;

/// What a roster column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Type,
    LeaderName,
    LeaderTitle,
    SupervisorName,
    SupervisorTitle,
    Phone,
    /// 本单位责任: one duty per line in the cell.
    Duties,
    /// A known column with nothing for us (序号, 备注).
    Ignore,
}

impl Field {
    /// The fields a unit's row carries (every one but `Ignore`).
    pub const DATA: [Field; 8] = [
        Field::Name,
        Field::Type,
        Field::LeaderName,
        Field::LeaderTitle,
        Field::SupervisorName,
        Field::SupervisorTitle,
        Field::Phone,
        Field::Duties,
    ];

    /// The column name the blank template uses.
    pub fn label(self) -> &'static str {
        match self {
            Field::Name => "单位名称",
            Field::Type => "类别",
            Field::LeaderName => "负责人",
            Field::LeaderTitle => "职务",
            Field::SupervisorName => "分管领导",
            Field::SupervisorTitle => "分管领导职务",
            Field::Phone => "联系电话",
            Field::Duties => "本单位责任",
            Field::Ignore => "序号",
        }
    }

    /// Every header text (normalised) this field is recognised by.
    pub fn aliases(self) -> impl Iterator<Item = &'static str> {
        ALIASES.iter().filter(move |(_, f)| *f == self).map(|(a, _)| *a)
    }
}

/// Header texts, compared after `normalise_header`.
const ALIASES: &[(&str, Field)] = &[
    ("单位名称", Field::Name),
    ("单位", Field::Name),
    ("部门", Field::Name),
    ("部门名称", Field::Name),
    ("支部名称", Field::Name),
    ("名称", Field::Name),
    ("负责人", Field::LeaderName),
    ("主要负责人", Field::LeaderName),
    ("姓名", Field::LeaderName),
    ("支部书记", Field::LeaderName),
    ("负责人姓名", Field::LeaderName),
    ("职务", Field::LeaderTitle),
    ("负责人职务", Field::LeaderTitle),
    ("类别", Field::Type),
    ("单位类别", Field::Type),
    ("类型", Field::Type),
    ("联系电话", Field::Phone),
    ("电话", Field::Phone),
    ("手机", Field::Phone),
    ("分管领导", Field::SupervisorName),
    ("分管领导姓名", Field::SupervisorName),
    ("分管领导职务", Field::SupervisorTitle),
    ("本单位责任", Field::Duties),
    ("特有责任", Field::Duties),
    ("责任内容", Field::Duties),
    ("序号", Field::Ignore),
    ("备注", Field::Ignore),
];

#[derive(Debug, Default)]
pub struct RosterOptions<'a> {
    /// Read this sheet instead of looking for the roster.
    pub sheet: Option<&'a str>,
    /// Extra header text → field (from zeren.yaml); checked before the built-in names.
    pub columns: &'a [(String, Field)],
}

#[derive(Debug, Clone)]
pub struct Roster {
    pub units: Vec<Unit>,
    /// The sheet the units came from.
    pub sheet: String,
    /// Warnings: skipped 合计/注 rows, ignored columns.
    pub notes: Problems,
}

/// Header text as compared: no spaces of any width, no line breaks, no required-field stars or
/// trailing colon (“单位名称*”, “职　务”, “分管领导\n职务” all match).
fn normalise_header(s: &str) -> String {
    let s: String = s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '\u{3000}' | '*' | '＊')).collect();
    s.trim_end_matches([':', '：']).to_string()
}

/// The field a header cell names, or `None` for a column we do not know (it is ignored).
pub fn field_for_header(header: &str, extra: &[(String, Field)]) -> Option<Field> {
    let h = normalise_header(header);
    if h.is_empty() {
        return None;
    }
    extra
        .iter()
        .find(|(text, _)| normalise_header(text) == h)
        .map(|(_, f)| *f)
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == h).map(|(_, f)| *f))
}

/// `A1`-style reference of a 0-based (row, column).
pub fn cell_ref(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut n = col as u64 + 1;
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        letters.push((b'A' + rem) as char);
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row as u64 + 1).to_string()
}

/// A cell as text the way a reader of the sheet sees it: identifiers stored as numbers lose
/// the “.0” (13800138000, not 13800138000.0 or 1.38E+10), dates read `2026年1月5日`, an
/// Alt+Enter line break stays `\n`. Surrounding spaces are kept (callers `tidy`).
pub fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) if s.contains('\r') => s.replace("\r\n", "\n").replace('\r', "\n"),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) if dt.is_duration() => clock_text(dt.as_f64() * 86_400.0, true),
        Data::DateTime(dt) => {
            let (y, m, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            let time = (h, mi, s) != (0, 0, 0);
            if dt.as_f64() < 1.0 && time {
                clock_text(f64::from(h) * 3600.0 + f64::from(mi) * 60.0 + f64::from(s), false)
            } else if time {
                format!("{y}年{m}月{d}日 {}", clock_text(f64::from(h) * 3600.0 + f64::from(mi) * 60.0 + f64::from(s), false))
            } else {
                format!("{y}年{m}月{d}日")
            }
        }
        Data::DateTimeIso(s) => iso_datetime_text(s).unwrap_or_else(|| s.clone()),
        Data::DurationIso(s) => iso_duration_text(s).unwrap_or_else(|| s.clone()),
        Data::Error(e) => e.to_string(),
    }
}

/// Whole numbers without a decimal point; others to Excel's 15 significant digits.
fn number_text(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let magnitude = if f == 0.0 { 1 } else { f.abs().log10().floor() as i32 + 1 };
    let decimals = (15 - magnitude).clamp(0, 20) as usize;
    let s = format!("{f:.decimals$}");
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// `9:30`, `9:30:15`; a duration may pass 24 hours.
fn clock_text(seconds: f64, always_seconds: bool) -> String {
    let total = seconds.round().max(0.0) as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if s != 0 || always_seconds { format!("{h}:{m:02}:{s:02}") } else { format!("{h}:{m:02}") }
}

/// ODS dates come as `2026-01-05` or `2026-01-05T09:30:00`.
fn iso_datetime_text(s: &str) -> Option<String> {
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<u32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let date = format!("{y}年{m}月{d}日");
    let Some(time) = time else { return Some(date) };
    let mut hms = time.split(':').map(|p| p.split('.').next().and_then(|x| x.parse::<u32>().ok()));
    let (h, mi, sec) = (hms.next()??, hms.next()??, hms.next().flatten().unwrap_or(0));
    if (h, mi, sec) == (0, 0, 0) { Some(date) } else { Some(format!("{date} {}", clock_text(f64::from(h * 3600 + mi * 60 + sec), false))) }
}

/// ODS times and durations: `PT09H30M00S`.
fn iso_duration_text(s: &str) -> Option<String> {
    let rest = s.strip_prefix("PT")?;
    let mut total = 0.0;
    let mut num = String::new();
    for c in rest.chars() {
        match c {
            '0'..='9' | '.' => num.push(c),
            'H' | 'M' | 'S' => {
                let n: f64 = num.parse().ok()?;
                total += n * match c {
                    'H' => 3600.0,
                    'M' => 60.0,
                    _ => 1.0,
                };
                num.clear();
            }
            _ => return None,
        }
    }
    Some(clock_text(total, false))
}

/// Reads the roster of a workbook. `shown` is the path as messages name it.
pub fn read(path: &Path, shown: &Path, opts: &RosterOptions) -> Result<Roster, Problems> {
    match guarded(|| read_unguarded(path, shown, opts)) {
        Some(result) => result,
        None => Err(Problem::error(
            Place::File(shown.into()),
            "roster.damaged",
            "文件已损坏或结构异常，无法读取（请用 Excel 或 WPS 打开后另存为 .xlsx 再试）",
        )
        .into()),
    }
}

/// Runs `f`, turning a panic inside it into `None`. calamine asserts on some malformed files
/// (fuzzing found one in its .xls reader): a damaged workbook is the user's input, never a
/// crash. The default panic message is held back while `f` runs.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.ok()
}

fn read_unguarded(path: &Path, shown: &Path, opts: &RosterOptions) -> Result<Roster, Problems> {
    let mut book = open(path, shown)?;
    let sheets: Vec<calamine::Sheet> = book.sheets().to_vec();
    let file_place = Place::File(shown.into());
    let describe = |s: &calamine::Sheet| match s.visible {
        SheetVisible::Visible => s.name.clone(),
        _ => format!("{}（隐藏）", s.name),
    };
    let sheet_list = sheets.iter().map(describe).collect::<Vec<_>>().join("、");

    let (sheet, head_row) = match opts.sheet {
        Some(wanted) => {
            let Some(sheet) = sheets.iter().find(|s| s.name == wanted || tidy(&s.name) == tidy(wanted)) else {
                return Err(Problem::error(
                    file_place,
                    "roster.sheet-unknown",
                    format!("没有名为“{wanted}”的工作表；本文件的工作表有：{sheet_list}"),
                )
                .into());
            };
            let ctx = SheetCtx { file: shown, sheet: &sheet.name };
            let grid = book.grid(&ctx, Some(HEADER_SCAN_ROWS))?;
            match header_row(&grid, opts.columns) {
                Some(row) => (sheet.name.clone(), row),
                None => {
                    let message = if grid.is_empty() {
                        format!("工作表“{}”是空的", sheet.name)
                    } else {
                        format!("工作表“{}”的前 {HEADER_SCAN_ROWS} 行中没有找到名单的表头：需要有“单位名称”和“负责人”两列", sheet.name)
                    };
                    return Err(Problem::error(file_place, "roster.no-header", message).with_detail(header_hint()).into());
                }
            }
        }
        None => {
            let mut found = None;
            let mut any_data = false;
            let mut unreadable = Problems::new();
            for s in sheets.iter().filter(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet) {
                let ctx = SheetCtx { file: shown, sheet: &s.name };
                // A sheet that cannot be read (or is too big) may not be the roster: look on,
                // and report it only if no sheet is.
                let grid = match book.grid(&ctx, Some(HEADER_SCAN_ROWS)) {
                    Ok(g) => g,
                    Err(p) => {
                        unreadable.extend(p);
                        continue;
                    }
                };
                any_data |= !grid.is_empty();
                if let Some(row) = header_row(&grid, opts.columns) {
                    found = Some((s.name.clone(), row));
                    break;
                }
            }
            match found {
                Some(f) => f,
                None if !unreadable.is_empty() => return Err(unreadable),
                None if !any_data => {
                    return Err(Problem::error(file_place, "roster.empty-workbook", "表格是空的：没有任何内容")
                        .with_detail(format!("工作表：{sheet_list}"))
                        .into());
                }
                None => {
                    return Err(Problem::error(
                        file_place,
                        "roster.no-header",
                        format!("没有找到单位名单：各工作表的前 {HEADER_SCAN_ROWS} 行中都没有同时含“单位名称”和“负责人”两列的表头"),
                    )
                    .with_detail(format!("已查看的工作表：{sheet_list}（隐藏的工作表不查看，可用 --sheet 指定）\n{}", header_hint()))
                    .into());
                }
            }
        }
    };

    let ctx = SheetCtx { file: shown, sheet: &sheet };
    let mut grid = book.grid(&ctx, None)?;
    let merges = book.merges(&ctx)?;
    let mut problems = Problems::new();
    // Rows are checked even when the header has a problem, so one run lists everything.
    let header = analyse_header(&grid, head_row, &merges, opts.columns, &ctx, &mut problems);
    grid.fill_merges(&merges, header.data_start);
    let units = rows(&grid, &header, &ctx, &mut problems);
    if units.is_empty() && !problems.has_errors() {
        problems.push(Problem::error(
            ctx.at(header.row, header.first_col),
            "roster.empty",
            format!("名单中没有单位：表头（第 {} 行）下面没有数据", header.row + 1),
        ));
    }
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(Roster { units, sheet, notes: problems })
}

fn header_hint() -> String {
    let names = |f: Field| f.aliases().collect::<Vec<_>>().join("、");
    format!("单位名称列可写作：{}；负责人列可写作：{}", names(Field::Name), names(Field::LeaderName))
}

/// Names the sheet in every message about it.
struct SheetCtx<'a> {
    file: &'a Path,
    sheet: &'a str,
}

impl SheetCtx<'_> {
    fn at(&self, row: u32, col: u32) -> Place {
        Place::Cell { file: self.file.into(), sheet: self.sheet.to_string(), cell: cell_ref(row, col) }
    }

    fn file(&self) -> Place {
        Place::File(self.file.into())
    }
}

// ---------------------------------------------------------------------------------------------
// Opening: sniff the bytes, bound the size, pick calamine's reader.

enum Book {
    Xlsx(Xlsx<BufReader<File>>),
    Xlsb(Xlsb<BufReader<File>>),
    Xls(Xls<BufReader<File>>),
    /// calamine does not report ODS merges; `OdsLayout` has them from our own pass.
    Ods(Ods<BufReader<File>>, OdsLayout),
}

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn open(path: &Path, shown: &Path) -> Result<Book, Problems> {
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
    if meta.len() > MAX_FILE_BYTES {
        return Err(fail(
            "roster.too-large",
            format!(
                "文件太大（{:.0} MB，上限 {} MB）；单位名单通常不到 1 MB，请确认选对了文件，或删去无关的工作表和图片后再试",
                meta.len() as f64 / 1048576.0,
                MAX_FILE_BYTES / 1048576
            ),
        ));
    }
    let mut head = Vec::with_capacity(4096);
    let read_head = File::open(path).and_then(|f| f.take(4096).read_to_end(&mut head));
    if let Err(e) = read_head {
        return Err(fail("file.unreadable", format!("无法读取文件：{e}")));
    }
    if head.starts_with(&CFB_MAGIC) {
        open_cfb(path, &place)
    } else if head.starts_with(b"PK\x03\x04") {
        open_zip(path, &place)
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
        "不是表格文件（xlsx、xlsm、xls、ods），无法读取；请确认选对了文件"
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

fn corrupt(place: &Place, kind: &str, cause: impl std::fmt::Display) -> Problems {
    Problem::error(
        place.clone(),
        "roster.corrupt",
        format!("文件已损坏或不完整（可能下载、复制时中断），无法作为 {kind} 读取；请重新获取文件，或用 Excel、WPS 打开后另存再试"),
    )
    .with_detail(format!("技术信息：{cause}"))
    .into()
}

/// Checks the sector chains of an OLE compound file before calamine follows them: calamine
/// follows a chain that loops back on itself until it has asked for gigabytes (fuzzing found a
/// 15 KB .xls that did), so a file whose allocation table has a loop, or points past the file,
/// is refused as damaged.
fn cfb_chains_end(b: &[u8]) -> Result<(), String> {
    // As calamine reads them: chains end only at ENDOFCHAIN; the FAT is every sector the
    // DIFAT lists, however many the header claims.
    const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
    const FATSECT: u32 = 0xFFFF_FFFD;
    const DIFSECT: u32 = 0xFFFF_FFFC;
    const RESERVED: u32 = 0xFFFF_FFFB;
    let u16_at = |o: usize| b.get(o..o + 2).map(|s| u16::from_le_bytes([s[0], s[1]]));
    let u32_at = |o: usize| b.get(o..o + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]));
    let words = |s: &[u8]| s.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect::<Vec<u32>>();
    let shift = u16_at(0x1E).ok_or("文件头不完整")?;
    if shift != 9 && shift != 12 {
        return Err(format!("扇区大小 2^{shift} 无效"));
    }
    let size = 1usize << shift;
    let sectors = b.len() / size;
    let sector = |n: u32| -> Option<&[u8]> {
        let start = size.checked_mul(n as usize + 1)?;
        b.get(start..start + size)
    };
    let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(0x4C + 4 * i)).collect();
    let mut next = u32_at(0x44).ok_or("文件头不完整")?;
    let mut hops = 0;
    while next < RESERVED {
        hops += 1;
        let s = sector(next).filter(|_| hops <= sectors + 1).ok_or("DIFAT 链断裂或成环")?;
        let mut w = words(s);
        next = w.pop().unwrap_or(ENDOFCHAIN);
        difat.extend(w);
    }
    let mut fat: Vec<u32> = Vec::new();
    for id in difat.into_iter().filter(|id| *id < DIFSECT) {
        fat.extend(words(sector(id).ok_or("分配表扇区超出文件")?));
        if fat.len() > 64 * 1024 * 1024 {
            return Err("分配表过大".into());
        }
    }
    let n = fat.len();
    let mut state = vec![0u8; n]; // 0 unknown, 1 on the current walk, 2 ends
    for start in 0..n {
        if state[start] != 0 || fat[start] >= DIFSECT && fat[start] != ENDOFCHAIN {
            continue; // free, FAT or DIFAT sectors start no chain
        }
        let mut walk = Vec::new();
        let mut at = start;
        loop {
            match state[at] {
                2 => break,
                1 => return Err("扇区链成环".into()),
                _ => {}
            }
            state[at] = 1;
            walk.push(at);
            match fat[at] {
                ENDOFCHAIN => break,
                x if x > RESERVED || x == FATSECT => return Err(format!("扇区 {at} 的链在中途断开")),
                x if x as usize >= n || x as usize >= sectors => return Err(format!("扇区 {at} 指向文件之外的扇区 {x}")),
                x => at = x as usize,
            }
        }
        for w in walk {
            state[w] = 2;
        }
    }
    // The directory chain calamine reads first must start inside the table.
    let dir = u32_at(0x30).ok_or("文件头不完整")?;
    if dir != ENDOFCHAIN && dir as usize >= n {
        return Err(format!("目录起始扇区 {dir} 超出分配表"));
    }
    // calamine lays a .xls sheet out densely from its highest row and column: one cell written
    // at row 60,000, column 60,000 asks for 68 GB (fuzzing found it). Read the cell records'
    // places first and refuse a sheet over the roster's bounds.
    let chain = |mut at: u32, limit: usize| -> Vec<u8> {
        let mut out = Vec::new();
        while at != ENDOFCHAIN && (at as usize) < n && out.len() < limit {
            match sector(at) {
                Some(s) => out.extend_from_slice(s),
                None => break,
            }
            at = fat[at as usize];
        }
        out
    };
    let dirs = chain(dir, 1 << 20);
    // Streams under 4 KB live in the mini stream: 64-byte sectors chained by the mini FAT.
    let mini_stream =
        dirs.get(116..120).map(|s| chain(u32::from_le_bytes([s[0], s[1], s[2], s[3]]), MAX_FILE_BYTES as usize)).unwrap_or_default();
    let mini_fat: Vec<u32> = words(&chain(u32_at(0x3C).unwrap_or(ENDOFCHAIN), 1 << 24));
    let mini_chain = |mut at: u32, len: usize| -> Vec<u8> {
        let mut out = Vec::new();
        let mut hops = 0;
        while at != ENDOFCHAIN && out.len() < len && hops <= mini_fat.len() {
            let start = at as usize * 64;
            match mini_stream.get(start..start + 64) {
                Some(s) => out.extend_from_slice(s),
                None => break,
            }
            hops += 1;
            at = mini_fat.get(at as usize).copied().unwrap_or(ENDOFCHAIN);
        }
        out
    };
    for entry in dirs.chunks_exact(128) {
        let name_len = (u16::from_le_bytes([entry[64], entry[65]]) as usize).min(64);
        let name: Vec<u16> = entry[..name_len].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        let name = String::from_utf16_lossy(&name);
        let name = name.trim_end_matches('\0');
        let start = u32::from_le_bytes([entry[116], entry[117], entry[118], entry[119]]);
        let len = u32::from_le_bytes([entry[120], entry[121], entry[122], entry[123]]) as usize;
        if !(name == "Workbook" || name == "Book") {
            continue;
        }
        let stream = if len < 4096 { mini_chain(start, len) } else { chain(start, len.min(MAX_FILE_BYTES as usize)) };
        let (mut rows, mut cols) = (0usize, 0usize);
        // calamine jumps to each sheet at the offset its BOUNDSHEET record gives: scan from
        // there too, since a damaged stream may not line up when read straight through.
        let mut starts = vec![0usize];
        let mut scanned = 0;
        while let Some(mut at) = starts.get(scanned).copied() {
            scanned += 1;
            if scanned > 256 {
                break;
            }
            while at + 4 <= stream.len() {
                let kind = u16::from_le_bytes([stream[at], stream[at + 1]]);
                let size = u16::from_le_bytes([stream[at + 2], stream[at + 3]]) as usize;
                let data = &stream[at + 4..(at + 4 + size).min(stream.len())];
                // FILEPASS: the rest is encrypted; calamine reports the password.
                if kind == 0x002F {
                    break;
                }
                // DIMENSIONS: calamine reserves room for the whole area it claims.
                if kind == 0x0200 {
                    let area = dimensions_area(data);
                    if area > 8_000_000 {
                        return Err(format!("工作表声明的范围过大（{area} 个单元格），超过名单上限"));
                    }
                }
                // LABELSST, NUMBER, RK, BLANK, LABEL, BOOLERR, FORMULA, MULRK, MULBLANK: row, column.
                if matches!(kind, 0x00FD | 0x0203 | 0x027E | 0x0201 | 0x0204 | 0x0205 | 0x0006 | 0x00BD | 0x00BE) && data.len() >= 4 {
                    rows = rows.max(u16::from_le_bytes([data[0], data[1]]) as usize + 1);
                    let mut col = u16::from_le_bytes([data[2], data[3]]) as usize;
                    if matches!(kind, 0x00BD | 0x00BE) && data.len() >= 6 {
                        col = col.max(u16::from_le_bytes([data[data.len() - 2], data[data.len() - 1]]) as usize);
                    }
                    cols = cols.max(col + 1);
                }
                if kind == 0x0085 && data.len() >= 4 {
                    let pos = u32::from_le_bytes([data[0], data[1], data[2], data[3]]) as usize;
                    if !starts.contains(&pos) {
                        starts.push(pos);
                    }
                }
                at += 4 + size;
            }
        }
        if rows > MAX_ROWS as usize + 1 || cols > MAX_COLUMNS as usize || rows.saturating_mul(cols) > 8_000_000 {
            return Err(format!("工作表过大（{rows} 行 × {cols} 列），超过名单上限"));
        }
    }
    Ok(())
}

/// The number of cells calamine 0.38 reserves for a DIMENSIONS record (`xls.rs`,
/// `parse_dimensions` then `cells.reserve(rows * cols)`), computed as it does: a last row
/// before the first wraps around in its u32 arithmetic to billions of rows (fuzzing found it).
fn dimensions_area(data: &[u8]) -> u64 {
    let u16_at = |o: usize| u16::from_le_bytes([data[o], data[o + 1]]) as u32;
    let u32_at = |o: usize| u32::from_le_bytes([data[o], data[o + 1], data[o + 2], data[o + 3]]);
    let (rf, rl, cf, cl) = match data.len() {
        10 => (u16_at(0), u16_at(2), u16_at(4), u16_at(6)),
        14 | 16 => (u32_at(0), u32_at(4), u16_at(8), u16_at(10)),
        _ => return 0, // calamine refuses the record
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    let (start, end) = if rl >= 1 && cl >= 1 { ((rf, cf), (rl - 1, cl - 1)) } else { ((rf, cf), (rf, cf)) };
    let rows = end.0.wrapping_sub(start.0).wrapping_add(1) as u64;
    let cols = end.1.wrapping_sub(start.1).wrapping_add(1) as u64;
    rows.saturating_mul(cols)
}

/// OLE compound file: a .xls, an encrypted xlsx, or some other Office 97 document.
fn open_cfb(path: &Path, place: &Place) -> Result<Book, Problems> {
    if let Ok(bytes) = std::fs::read(path) {
        if let Err(why) = cfb_chains_end(&bytes) {
            return Err(corrupt(place, "Excel 97-2003 工作簿（.xls）", why));
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
fn open_zip(path: &Path, place: &Place) -> Result<Book, Problems> {
    let file = File::open(path).map_err(|e| Problem::error(place.clone(), "file.unreadable", format!("无法读取文件：{e}")))?;
    let mut zip = match zip::ZipArchive::new(BufReader::new(file)) {
        Ok(z) => z,
        Err(e) => return Err(corrupt(place, "xlsx", e)),
    };
    // Sizes from the central directory (`decompressed_size` gives up on data descriptors,
    // which LibreOffice and Excel both write).
    let mut unpacked = 0u128;
    for i in 0..zip.len().min(100_000) {
        match zip.by_index_raw(i) {
            Ok(f) => unpacked = unpacked.saturating_add(u128::from(f.size())),
            Err(e) => return Err(corrupt(place, "xlsx", e)),
        }
    }
    if unpacked > MAX_UNPACKED_BYTES || zip.len() > 100_000 {
        return Err(Problems::from(Problem::error(
            place.clone(),
            "roster.too-large",
            format!("文件解压后超过 {} MB，不像是单位名单；请确认选对了文件", MAX_UNPACKED_BYTES / 1048576),
        )));
    }
    let names: HashSet<String> = zip.file_names().map(str::to_string).collect();
    let has = |name: &str| names.contains(name);
    if has("xl/workbook.bin") {
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
        let layout = ods_layout(&mut zip).map_err(|e| corrupt(place, "ods", e))?;
        if let Some((sheet, cell)) = layout.oversize() {
            return Err(too_big(&SheetCtx { file: place.file().unwrap_or(path), sheet: &sheet }, cell.0, cell.1));
        }
        return calamine::open_workbook::<Ods<_>, _>(path).map(|o| Book::Ods(o, layout)).map_err(|e| corrupt(place, "ods", e));
    }
    if mimetype.contains("opendocument") {
        return Err(Problems::from(Problem::error(place.clone(), "roster.not-spreadsheet", "这是 OpenDocument 文字或演示文档，不是表格")));
    }
    if has("word/document.xml") {
        return Err(Problems::from(Problem::error(
            place.clone(),
            "roster.not-spreadsheet",
            "这是 Word 文档（docx），不是表格；请选择单位名单的 Excel 文件",
        )));
    }
    if has("ppt/presentation.xml") {
        return Err(Problems::from(Problem::error(place.clone(), "roster.not-spreadsheet", "这是 PowerPoint 演示文稿，不是表格")));
    }
    if !has("[Content_Types].xml") {
        return Err(Problems::from(Problem::error(
            place.clone(),
            "roster.not-spreadsheet",
            "这是 zip 压缩包，不是表格文件；如名单在压缩包里，请先解压",
        )));
    }
    drop(zip);
    calamine::open_workbook::<Xlsx<_>, _>(path).map(Book::Xlsx).map_err(|e| corrupt(place, "xlsx", e))
}

fn too_big(ctx: &SheetCtx, row: u32, col: u32) -> Problems {
    Problem::error(
        ctx.at(row, col),
        "roster.sheet-too-large",
        format!(
            "工作表超出可处理的范围（最多 {MAX_ROWS} 行、{MAX_COLUMNS} 列、{} 万个有内容的单元格），此单元格已超出；请删去表格以外的内容，或把名单单独存为一个文件",
            MAX_CELLS / 10_000
        ),
    )
    .into()
}

impl Book {
    fn sheets(&self) -> &[calamine::Sheet] {
        match self {
            Book::Xlsx(b) => b.sheets_metadata(),
            Book::Xlsb(b) => b.sheets_metadata(),
            Book::Xls(b) => b.sheets_metadata(),
            Book::Ods(b, _) => b.sheets_metadata(),
        }
    }

    /// Non-empty cells of a sheet; with `head`, only its first that many non-blank rows.
    fn grid(&mut self, ctx: &SheetCtx, head: Option<usize>) -> Result<Grid, Problems> {
        let mut grid = Grid::default();
        let mut rows = 0usize;
        let mut last_row = None;
        let mut over = None;
        let mut sink = |row: u32, col: u32, value: Data| {
            if last_row != Some(row) {
                if head.is_some_and(|h| rows >= h) {
                    return ControlFlow::Break(());
                }
                rows += 1;
                last_row = Some(row);
            }
            if row >= MAX_ROWS || col >= MAX_COLUMNS || grid.cells.len() >= MAX_CELLS {
                over = Some((row, col));
                return ControlFlow::Break(());
            }
            grid.cells.insert((row, col), value);
            ControlFlow::Continue(())
        };
        let result = match self {
            // Streamed, so a sheet past the bounds is refused before it is held in memory.
            Book::Xlsx(b) => match b.worksheet_cells_reader(ctx.sheet) {
                Ok(mut reader) => loop {
                    match reader.next_cell() {
                        Ok(Some(cell)) => {
                            let (row, col) = cell.get_position();
                            if *cell.get_value() == DataRef::Empty {
                                continue;
                            }
                            if sink(row, col, cell.get_value().clone().into()).is_break() {
                                break Ok(());
                            }
                        }
                        Ok(None) => break Ok(()),
                        Err(e) => break Err(e.to_string()),
                    }
                },
                Err(XlsxError::NotAWorksheet(_)) => Ok(()),
                Err(e) => Err(e.to_string()),
            },
            Book::Xlsb(b) => b.worksheet_range(ctx.sheet).map(|r| feed(&r, &mut sink)).map_err(|e| e.to_string()),
            Book::Xls(b) => b.worksheet_range(ctx.sheet).map(|r| feed(&r, &mut sink)).map_err(|e| e.to_string()),
            Book::Ods(b, _) => b.worksheet_range(ctx.sheet).map(|r| feed(&r, &mut sink)).map_err(|e| e.to_string()),
        };
        if let Err(e) = result {
            return Err(Problems::from(
                Problem::error(
                    ctx.file(),
                    "roster.corrupt",
                    format!("工作表“{}”无法读取，文件可能已损坏；请用 Excel 或 WPS 打开后另存再试", ctx.sheet),
                )
                .with_detail(format!("技术信息：{e}")),
            ));
        }
        match over {
            Some((row, col)) => Err(too_big(ctx, row, col)),
            None => Ok(grid),
        }
    }

    /// Merged regions of a sheet. xlsx and xls come from calamine; ods from our own pass over
    /// content.xml (calamine reads covered cells as empty and drops the spans). xlsb: calamine
    /// has no merge API, so merged cells there read as blank below the first row.
    fn merges(&mut self, ctx: &SheetCtx) -> Result<Vec<Dimensions>, Problems> {
        let merges = match self {
            Book::Xlsx(b) => b.merge_cells_by_sheet_name(ctx.sheet).map_err(|e| e.to_string()),
            Book::Xls(b) => b.merge_cells_by_sheet_name(ctx.sheet).map_err(|e| e.to_string()),
            Book::Xlsb(_) => Ok(Vec::new()),
            Book::Ods(_, layout) => Ok(layout.sheets.get(ctx.sheet).map(|s| s.merges.clone()).unwrap_or_default()),
        };
        merges.map_err(|e| -> Problems {
            Problem::error(ctx.file(), "roster.corrupt", format!("工作表“{}”的合并单元格信息无法读取，文件可能已损坏", ctx.sheet))
                .with_detail(format!("技术信息：{e}"))
                .into()
        })
    }
}

fn feed(range: &calamine::Range<Data>, sink: &mut impl FnMut(u32, u32, Data) -> ControlFlow<()>) {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, value) in range.used_cells() {
        if sink(r0 + r as u32, c0 + c as u32, value.clone()).is_break() {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// ODS: merges and extents from content.xml.

#[derive(Default)]
struct OdsLayout {
    sheets: HashMap<String, OdsSheet>,
}

#[derive(Default)]
struct OdsSheet {
    merges: Vec<Dimensions>,
    /// The first cell found past the bounds, if any.
    over: Option<(u32, u32)>,
}

impl OdsLayout {
    fn oversize(&self) -> Option<(String, (u32, u32))> {
        self.sheets.iter().find_map(|(name, s)| s.over.map(|c| (name.clone(), c)))
    }
}

/// One pass over content.xml, before calamine expands the sheets in memory: merged regions
/// (`table:number-rows-spanned` / `-columns-spanned`) and a check that no sheet's content goes
/// past the bounds (repeated rows and columns are counted, not expanded).
fn ods_layout<R: Read + std::io::Seek>(zip: &mut zip::ZipArchive<R>) -> Result<OdsLayout, String> {
    use quick_xml::events::{BytesStart, Event};
    let content = zip.by_name("content.xml").map_err(|e| e.to_string())?;
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(content));
    let mut layout = OdsLayout::default();
    let mut buf = Vec::new();
    let mut table: Option<String> = None;
    let mut depth = 0u32; // nested tables (inside cells) are not sheets
    let (mut row, mut col, mut row_repeat) = (0u64, 0u64, 1u64);
    let mut cells = 0u64;
    let num = |e: &BytesStart, name: &str| -> u64 {
        e.try_get_attribute(name).ok().flatten().and_then(|a| a.value.parse().ok()).unwrap_or(1).max(1)
    };
    loop {
        let event = xml.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" => {
                    depth += 1;
                    if depth == 1 && !empty {
                        let name = e
                            .try_get_attribute("table:name")
                            .ok()
                            .flatten()
                            .and_then(|a| quick_xml::escape::unescape(&a.value).map(|s| s.into_owned()).ok())
                            .unwrap_or_default();
                        layout.sheets.insert(name.clone(), OdsSheet::default());
                        table = Some(name);
                        (row, cells) = (0, 0);
                    }
                    if empty {
                        depth -= 1;
                    }
                }
                "table:table-row" if depth == 1 => {
                    row_repeat = num(&e, "table:number-rows-repeated");
                    col = 0;
                    if empty {
                        row += row_repeat;
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if depth == 1 => {
                    let repeat = num(&e, "table:number-columns-repeated");
                    let (rows_spanned, cols_spanned) = (num(&e, "table:number-rows-spanned"), num(&e, "table:number-columns-spanned"));
                    let has_value = !empty || e.try_get_attribute("office:value-type").ok().flatten().is_some();
                    if let Some(sheet) = table.as_ref().and_then(|t| layout.sheets.get_mut(t)) {
                        if (rows_spanned > 1 || cols_spanned > 1) && row < u64::from(u32::MAX) {
                            let end = |a: u64, n: u64| (a + n - 1).min(u64::from(u32::MAX)) as u32;
                            sheet.merges.push(Dimensions::new(
                                (row as u32, col.min(u64::from(u32::MAX)) as u32),
                                (end(row, rows_spanned), end(col, cols_spanned)),
                            ));
                        }
                        if has_value && sheet.over.is_none() {
                            cells = cells.saturating_add(repeat.saturating_mul(row_repeat));
                            let last_row = row + row_repeat - 1;
                            let last_col = col + repeat - 1;
                            if last_row >= u64::from(MAX_ROWS) || last_col >= u64::from(MAX_COLUMNS) || cells > MAX_CELLS as u64 {
                                let clip = |v: u64| v.min(u64::from(u32::MAX - 1)) as u32;
                                sheet.over = Some((clip(last_row.min(u64::from(MAX_ROWS))), clip(last_col.min(u64::from(MAX_COLUMNS)))));
                            }
                        }
                    }
                    col = col.saturating_add(repeat);
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table" => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        table = None;
                    }
                }
                "table:table-row" if depth == 1 => row = row.saturating_add(row_repeat),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(layout)
}

// ---------------------------------------------------------------------------------------------
// The sheet as cells, and its header.

#[derive(Default)]
struct Grid {
    cells: BTreeMap<(u32, u32), Data>,
}

impl Grid {
    fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    fn get(&self, row: u32, col: u32) -> Option<&Data> {
        self.cells.get(&(row, col))
    }

    fn text(&self, row: u32, col: u32) -> String {
        self.get(row, col).map(cell_text).unwrap_or_default()
    }

    fn row(&self, row: u32) -> impl Iterator<Item = (u32, &Data)> {
        self.cells.range((row, 0)..=(row, u32::MAX)).map(|(&(_, c), d)| (c, d))
    }

    /// Distinct row indices with content, in order.
    fn row_indices(&self) -> Vec<u32> {
        let mut rows: Vec<u32> = self.cells.keys().map(|&(r, _)| r).collect();
        rows.dedup();
        rows
    }

    /// A value merged over several cells applies to each of them (a 类别 for a group of
    /// units). Only rows that hold something else are filled, so a merge dragged down an
    /// empty column does not invent rows.
    fn fill_merges(&mut self, merges: &[Dimensions], from_row: u32) {
        let used: HashSet<u32> = self.cells.keys().map(|&(r, _)| r).collect();
        let last = used.iter().max().copied().unwrap_or(0);
        for m in merges.iter().filter(|m| m.start.0 >= from_row) {
            let Some(value) = self.get(m.start.0, m.start.1).cloned() else {
                continue;
            };
            for r in m.start.0..=m.end.0.min(last) {
                if !used.contains(&r) {
                    continue;
                }
                for c in m.start.1..=m.end.1.min(MAX_COLUMNS) {
                    self.cells.entry((r, c)).or_insert_with(|| value.clone());
                }
            }
        }
    }
}

/// The first row among the top non-blank ones naming both the unit and its leader.
fn header_row(grid: &Grid, extra: &[(String, Field)]) -> Option<u32> {
    grid.row_indices().into_iter().take(HEADER_SCAN_ROWS).find(|&r| {
        let fields: Vec<Field> = grid.row(r).filter_map(|(_, d)| field_for_header(&cell_text(d), extra)).collect();
        fields.contains(&Field::Name) && fields.contains(&Field::LeaderName)
    })
}

struct Header {
    /// The (first) header row.
    row: u32,
    first_col: u32,
    /// First row of data: below the header, or below its second row.
    data_start: u32,
    /// (column, field, header text as shown in messages), in column order.
    columns: Vec<(u32, Field, String)>,
}

impl Header {
    fn col(&self, field: Field) -> Option<u32> {
        self.columns.iter().find(|(_, f, _)| *f == field).map(|(c, _, _)| *c)
    }

    fn label(&self, field: Field) -> String {
        self.columns.iter().find(|(_, f, _)| *f == field).map(|(_, _, t)| t.clone()).unwrap_or_else(|| field.label().into())
    }
}

/// Maps the header's columns to fields. A header cell merged across columns with names in the
/// row below (负责人 over 姓名 | 职务) is read as a two-row header: “负责人”+“职务”.
fn analyse_header(
    grid: &Grid,
    row: u32,
    merges: &[Dimensions],
    extra: &[(String, Field)],
    ctx: &SheetCtx,
    problems: &mut Problems,
) -> Header {
    let spans: Vec<&Dimensions> = merges.iter().filter(|m| m.start.0 == row && m.end.1 > m.start.1).collect();
    // Only names the fields know make a second header row: under a merely wide (merged)
    // header cell, the next row is data.
    let sub_header = |m: &Dimensions, c: u32| {
        let child = normalise_header(&grid.text(row + 1, c));
        let parent = normalise_header(&grid.text(row, m.start.1));
        !child.is_empty() && (field_for_header(&format!("{parent}{child}"), extra).is_some() || field_for_header(&child, extra).is_some())
    };
    let two_rows = spans.iter().any(|m| (m.start.1..=m.end.1).any(|c| sub_header(m, c)));
    let mut cols: Vec<u32> = grid.row(row).map(|(c, _)| c).collect();
    if two_rows {
        cols.extend(spans.iter().flat_map(|m| m.start.1..=m.end.1));
        cols.sort_unstable();
        cols.dedup();
    }
    let mut columns: Vec<(u32, Field, String)> = Vec::new();
    let mut seen: HashMap<Field, (u32, u32)> = HashMap::new();
    for c in cols {
        let span = spans.iter().find(|m| m.start.1 <= c && c <= m.end.1);
        let parent = normalise_header(&grid.text(row, span.map_or(c, |m| m.start.1)));
        let child = if two_rows && span.is_some() { normalise_header(&grid.text(row + 1, c)) } else { String::new() };
        let (text, field) = if child.is_empty() {
            (parent.clone(), field_for_header(&parent, extra))
        } else {
            let both = format!("{parent}{child}");
            match field_for_header(&both, extra) {
                Some(f) => (both, Some(f)),
                None => (child.clone(), field_for_header(&child, extra)),
            }
        };
        if text.is_empty() {
            continue;
        }
        // “分管领导 | 职务”: a bare 职务 right after the supervisor is the supervisor's.
        let field = match field {
            Some(Field::LeaderTitle)
                if text == "职务" && columns.last().is_some_and(|(pc, f, _)| *f == Field::SupervisorName && *pc + 1 == c) =>
            {
                Some(Field::SupervisorTitle)
            }
            f => f,
        };
        let at_row = if child.is_empty() { row } else { row + 1 };
        match field {
            None => problems.push(Problem::warning(ctx.at(at_row, c), "roster.column-ignored", format!("不认识的列“{text}”，已忽略"))),
            Some(Field::Ignore) => {}
            Some(f) => {
                if let Some(&(first_row, first_col)) = seen.get(&f) {
                    problems.push(Problem::error(
                        ctx.at(at_row, c),
                        "roster.column-duplicate",
                        format!(
                            "“{}”列重复：{} 与 {}，请删去或改名其中一列",
                            f.label(),
                            cell_ref(first_row, first_col),
                            cell_ref(at_row, c)
                        ),
                    ));
                    continue;
                }
                seen.insert(f, (at_row, c));
                columns.push((c, f, text));
            }
        }
    }
    let first_col = grid.row(row).map(|(c, _)| c).next().unwrap_or(0);
    for required in [Field::Type, Field::LeaderTitle] {
        if !seen.contains_key(&required) {
            problems.push(
                Problem::error(ctx.at(row, first_col), "roster.column-missing", format!("表头缺少“{}”列", required.label()))
                    .with_detail(format!("列名可写作：{}", required.aliases().collect::<Vec<_>>().join("、"))),
            );
        }
    }
    Header { row, first_col, data_start: row + if two_rows { 2 } else { 1 }, columns }
}

// ---------------------------------------------------------------------------------------------
// Rows → units.

/// What a row that is not a unit is.
#[derive(Clone, Copy, PartialEq)]
enum Aside {
    Total,
    /// 注/说明 under the table: the table ends here.
    Note,
    /// 填报人/审核人 lines.
    Footer,
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}')
}

/// `text` starts with `word` as a word: “注：”, “注1.”, “合计 6”, but not “注册处” or “总计划处”.
fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word).is_some_and(|rest| rest.chars().next().is_none_or(|c| !is_cjk(c)))
}

fn aside(first_text: &str) -> Option<Aside> {
    let t = normalise_header(first_text);
    let any = |words: &[&str]| words.iter().any(|w| starts_with_word(&t, w));
    if any(&["合计", "总计", "小计", "共计"]) {
        Some(Aside::Total)
    } else if any(&["注", "注意", "注意事项", "备注", "说明", "填表说明", "填报说明"]) {
        Some(Aside::Note)
    } else if any(&["填报人", "填表人", "审核人", "制表人", "填报单位", "填报日期", "审核"]) {
        Some(Aside::Footer)
    } else {
        None
    }
}

fn excerpt(s: &str) -> String {
    let one_line = s.replace('\n', " ");
    let mut out: String = one_line.chars().take(20).collect();
    if one_line.chars().count() > 20 {
        out.push('…');
    }
    out
}

fn rows(grid: &Grid, header: &Header, ctx: &SheetCtx, problems: &mut Problems) -> Vec<Unit> {
    let name_col = header.col(Field::Name).unwrap_or(0);
    let mut units = Vec::new();
    let mut names: HashMap<String, u32> = HashMap::new();
    let mut after_note = false;
    let mut told_no_supervisor_title = false;
    for r in grid.row_indices().into_iter().filter(|&r| r >= header.data_start) {
        let Some((first_col, first)) = grid.row(r).map(|(c, d)| (c, tidy(&cell_text(d)))).find(|(_, t)| !t.is_empty()) else {
            continue;
        };
        let kind = aside(&first);
        if kind == Some(Aside::Note) {
            after_note = true;
        }
        if let Some(kind) = kind.or(after_note.then_some(Aside::Note)) {
            let what = match kind {
                Aside::Total => "合计行",
                Aside::Note => "表后说明",
                Aside::Footer => "表外信息",
            };
            problems.push(Problem::warning(
                ctx.at(r, first_col),
                "roster.skipped",
                format!("已跳过第 {} 行（{what}）：“{}”", r + 1, excerpt(&first)),
            ));
            continue;
        }

        // Each field's text, with error values reported (once: not again as “为空”).
        // Only this row's problems are looked at: counting all of them on every row was quadratic.
        let problems_before = problems.0.len();
        let mut bad = HashSet::new();
        let mut value = |field: Field| -> String {
            let Some(c) = header.col(field) else {
                return String::new();
            };
            match grid.get(r, c) {
                Some(Data::Error(e)) => {
                    bad.insert(field);
                    problems.push(Problem::error(
                        ctx.at(r, c),
                        "roster.cell-error",
                        format!("{}是错误值 {e}（公式出错），请改为文字", header.label(field)),
                    ));
                    String::new()
                }
                Some(d) => tidy(&cell_text(d)),
                None => String::new(),
            }
        };
        let v: HashMap<Field, String> = Field::DATA.iter().map(|&f| (f, value(f))).collect();
        // A row with only 序号 or 备注 filled in (a pre-numbered template) is blank.
        if v.values().all(String::is_empty) {
            continue;
        }
        let at = |field: Field| ctx.at(r, header.col(field).unwrap_or(name_col));
        // A column the header lacks was reported once there, not again on every row.
        let empty = |field: Field, code: &'static str, extra: &str| {
            (!bad.contains(&field) && header.col(field).is_some())
                .then(|| Problem::error(at(field), code, format!("{}为空{extra}", header.label(field))))
        };
        let name = v[&Field::Name].clone();
        if name.is_empty() {
            problems.0.extend(empty(Field::Name, "roster.name-missing", ""));
        }
        let unit_type = match v[&Field::Type].as_str() {
            "" => {
                problems.0.extend(empty(Field::Type, "roster.type-missing", "；应为 处室、党支部 或 直属单位"));
                None
            }
            t => UnitType::parse(t).or_else(|| {
                problems.push(Problem::error(
                    at(Field::Type),
                    "roster.type",
                    format!("{}“{t}”无效；应为 处室、党支部 或 直属单位", header.label(Field::Type)),
                ));
                None
            }),
        };
        if v[&Field::LeaderName].is_empty() {
            problems.0.extend(empty(Field::LeaderName, "roster.leader-missing", ""));
        }
        if v[&Field::LeaderTitle].is_empty() {
            problems.0.extend(empty(Field::LeaderTitle, "roster.title-missing", ""));
        }
        let supervisor = match (v[&Field::SupervisorName].is_empty(), v[&Field::SupervisorTitle].is_empty()) {
            (true, true) => None,
            (false, false) => Some(Person { name: v[&Field::SupervisorName].clone(), title: v[&Field::SupervisorTitle].clone() }),
            (false, true) if header.col(Field::SupervisorTitle).is_none() => {
                // Once, at the first such row: the fix is one column, not every row.
                if !told_no_supervisor_title {
                    told_no_supervisor_title = true;
                    problems.push(Problem::error(
                        at(Field::SupervisorName),
                        "roster.column-missing",
                        "填了分管领导，但表头没有“分管领导职务”列",
                    ));
                }
                None
            }
            (false, true) => {
                problems.0.extend(empty(Field::SupervisorTitle, "roster.supervisor-title-missing", "（已填分管领导）"));
                None
            }
            (true, false) => {
                problems.0.extend(empty(Field::SupervisorName, "roster.supervisor-missing", "（已填分管领导职务）"));
                None
            }
        };
        if !name.is_empty() {
            if let Some(&first) = names.get(&name) {
                problems.push(Problem::error(
                    ctx.at(r, name_col),
                    "roster.duplicate",
                    format!("单位名称“{name}”重复：{} 与 {}", cell_ref(first, name_col), cell_ref(r, name_col)),
                ));
            } else {
                names.insert(name.clone(), r);
            }
        }
        let ok = !problems.0[problems_before..].iter().any(Problem::is_error);
        let (Some(unit_type), true) = (unit_type, ok) else {
            continue;
        };
        let phone = Some(v[&Field::Phone].clone()).filter(|p| !p.is_empty());
        if let (Some(p), Some(c)) = (&phone, header.col(Field::Phone)) {
            // A number-formatted 座机 has lost its leading 0 (0791… → 791…); a mobile has not.
            let numeric = matches!(grid.get(r, c), Some(Data::Float(_) | Data::Int(_)));
            if numeric && !(p.len() == 11 && p.starts_with('1')) {
                problems.push(Problem::warning(
                    ctx.at(r, c),
                    "roster.phone-number",
                    format!("{}“{p}”按数字保存，开头的 0 可能已丢失；请把该列设为文本格式后重新输入", header.label(Field::Phone)),
                ));
            }
        }
        let duties = v[&Field::Duties].lines().map(tidy).filter(|d| !d.is_empty()).collect();
        units.push(Unit {
            name,
            unit_type,
            leader: Person { name: v[&Field::LeaderName].clone(), title: v[&Field::LeaderTitle].clone() },
            supervisor,
            members: Vec::new(),
            duties,
            tags: Vec::new(),
            phone,
            place: ctx.at(r, name_col),
        });
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_refs_past_z() {
        assert_eq!(cell_ref(0, 0), "A1");
        assert_eq!(cell_ref(6, 3), "D7");
        assert_eq!(cell_ref(0, 25), "Z1");
        assert_eq!(cell_ref(0, 26), "AA1");
        assert_eq!(cell_ref(9, 51), "AZ10");
        assert_eq!(cell_ref(0, 52), "BA1");
        assert_eq!(cell_ref(0, 701), "ZZ1");
        assert_eq!(cell_ref(0, 702), "AAA1");
        assert_eq!(cell_ref(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn headers_match_loosely() {
        assert_eq!(field_for_header("职　务", &[]), Some(Field::LeaderTitle));
        assert_eq!(field_for_header(" 单位 名称 ", &[]), Some(Field::Name));
        assert_eq!(field_for_header("分管领导\n职务", &[]), Some(Field::SupervisorTitle));
        assert_eq!(field_for_header("分管领导\r\n姓名", &[]), Some(Field::SupervisorName));
        assert_eq!(field_for_header("单位名称*", &[]), Some(Field::Name));
        assert_eq!(field_for_header("序号", &[]), Some(Field::Ignore));
        assert_eq!(field_for_header("办公地点", &[]), None);
        assert_eq!(field_for_header("", &[]), None);
        let extra = vec![("办公 地点".to_string(), Field::Ignore), ("姓名".to_string(), Field::SupervisorName)];
        assert_eq!(field_for_header("办公地点", &extra), Some(Field::Ignore));
        assert_eq!(field_for_header("姓　名", &extra), Some(Field::SupervisorName), "extra columns win over built-in names");
    }

    #[test]
    fn every_alias_maps_to_its_field_and_labels_round_trip() {
        for (alias, field) in ALIASES {
            assert_eq!(field_for_header(alias, &[]), Some(*field), "{alias}");
        }
        for f in Field::DATA {
            assert_eq!(field_for_header(f.label(), &[]), Some(f));
        }
    }

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(cell_text(&Data::Float(13800138000.0)), "13800138000");
        assert_eq!(cell_text(&Data::Float(-7.0)), "-7");
        assert_eq!(cell_text(&Data::Int(42)), "42");
        assert_eq!(cell_text(&Data::Float(0.1 + 0.2)), "0.3");
        assert_eq!(cell_text(&Data::Float(1234.5)), "1234.5");
        assert_eq!(cell_text(&Data::Float(0.0)), "0");
        assert_eq!(cell_text(&Data::Float(1e20)), "100000000000000000000");
        assert_eq!(cell_text(&Data::String("甲\r\n乙".into())), "甲\n乙");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA)), "#N/A");
    }

    #[test]
    fn dates_and_times_in_chinese() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        let dt = |v| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(cell_text(&dt(46027.0)), "2026年1月5日");
        assert_eq!(cell_text(&dt(46027.5)), "2026年1月5日 12:00");
        assert_eq!(cell_text(&dt(0.375)), "9:00");
        assert_eq!(cell_text(&Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false))), "36:00:00");
        assert_eq!(cell_text(&Data::DateTimeIso("2026-01-05".into())), "2026年1月5日");
        assert_eq!(cell_text(&Data::DateTimeIso("2026-01-05T00:00:00".into())), "2026年1月5日");
        assert_eq!(cell_text(&Data::DateTimeIso("2026-01-05T09:30:00".into())), "2026年1月5日 9:30");
        assert_eq!(cell_text(&Data::DurationIso("PT09H30M00S".into())), "9:30");
        assert_eq!(cell_text(&Data::DateTimeIso("不是日期".into())), "不是日期");
    }

    #[test]
    fn asides_are_words_not_prefixes() {
        assert!(aside("合计").is_some_and(|a| a == Aside::Total));
        assert!(aside("合　计：6 个").is_some_and(|a| a == Aside::Total));
        assert!(aside("注：类别填处室").is_some_and(|a| a == Aside::Note));
        assert!(aside("注1. 电话").is_some_and(|a| a == Aside::Note));
        assert!(aside("说明").is_some_and(|a| a == Aside::Note));
        assert!(aside("填报人：张三").is_some_and(|a| a == Aside::Footer));
        assert!(aside("注册登记处").is_none());
        assert!(aside("总计划处").is_none());
        assert!(aside("说明书管理处").is_none());
        assert!(aside("办公室").is_none());
    }
}

#[cfg(test)]
mod cfb_guard_tests {
    use super::dimensions_area;

    #[test]
    fn dimensions_areas_are_calamines() {
        let biff8 = |rf: u32, rl: u32, cf: u16, cl: u16| {
            [&rf.to_le_bytes()[..], &rl.to_le_bytes(), &cf.to_le_bytes(), &cl.to_le_bytes(), &[0, 0]].concat()
        };
        // Rows 0..10 (last is one past), columns 0..5.
        assert_eq!(dimensions_area(&biff8(0, 10, 0, 5)), 50);
        // A last row before the first wraps in calamine's u32 arithmetic.
        assert_eq!(dimensions_area(&biff8(5, 1, 0, 1)), (u32::MAX - 3) as u64); // (0 - 5 + 1) mod 2^32
        // Empty (last row 0) reserves one cell; a first column past 0xFF counts from 0.
        assert_eq!(dimensions_area(&biff8(0, 0, 0, 0)), 1);
        assert_eq!(dimensions_area(&biff8(0, 1, 300, 400)), 400);
        // Lengths calamine refuses reserve nothing.
        assert_eq!(dimensions_area(&[0; 12]), 0);
    }

    #[test]
    fn chains_that_loop_are_refused() {
        let b = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/roster/fuzz-oom-cfb.xls")).unwrap();
        assert!(super::cfb_chains_end(&b).is_err(), "{:?}", super::cfb_chains_end(&b));
        for bad in ["fuzz-huge-xls.xls"] {
            let b = std::fs::read(format!("{}/tests/fixtures/roster/{bad}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            assert!(super::cfb_chains_end(&b).is_err(), "{bad}: {:?}", super::cfb_chains_end(&b));
        }
        let ok = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/roster/roster.xls")).unwrap();
        assert_eq!(super::cfb_chains_end(&ok), Ok(()));
    }
}
