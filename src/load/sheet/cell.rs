//! One cell: its `A1` name, and its value as text the way a reader of the sheet sees it.

use super::super::limits;
use calamine::{Data, DataRef};

/// What a cell held, beyond its text: the roster warns about phone numbers stored as numbers and
/// reports formula errors, and a cell over the text bounds is reported rather than read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    Text,
    Number,
    Date,
    Bool,
    /// A formula error such as `#REF!` (the text is the error).
    Error,
    /// Over `MAX_TEXT_CHARS` or `MAX_TEXT_LINES`: the text is not kept, `Cell::over_limit` says why.
    TooLong,
}

/// A non-empty cell: its kind, and its text as shown (or, for `TooLong`, why it was refused).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    text: String,
    kind: CellKind,
}

impl Cell {
    pub fn new(kind: CellKind, text: String) -> Cell {
        Cell { text, kind }
    }

    pub fn kind(&self) -> CellKind {
        self.kind
    }

    /// The text as shown; empty for a cell over the bounds.
    pub fn text(&self) -> &str {
        if self.kind == CellKind::TooLong { "" } else { &self.text }
    }

    /// For a cell over the bounds: “有 700,001 行，超过上限 1,000 行”.
    pub fn over_limit(&self) -> Option<&str> {
        (self.kind == CellKind::TooLong).then_some(self.text.as_str())
    }

    /// A cell read by calamine, or `None` when it is empty. Long texts are measured before they
    /// are copied.
    pub(super) fn from_ref(d: &DataRef) -> Option<Cell> {
        let long = |s: &str| limits::text_over(s, "").map(|why| Cell::new(CellKind::TooLong, why));
        match d {
            DataRef::Empty => None,
            DataRef::String(s) => long(s).or_else(|| Some(Cell::from_data(&Data::String(s.clone())))),
            DataRef::SharedString(s) => long(s).or_else(|| Some(Cell::from_data(&Data::String((*s).to_string())))),
            other => Some(Cell::from_data(&other.clone().into())),
        }
    }

    /// A cell of a calamine range (.xls, .ods), `None` when empty.
    pub(super) fn from_owned(d: &Data) -> Option<Cell> {
        match d {
            Data::Empty => None,
            Data::String(s) => match limits::text_over(s, "") {
                Some(why) => Some(Cell::new(CellKind::TooLong, why)),
                None => Some(Cell::from_data(d)),
            },
            _ => Some(Cell::from_data(d)),
        }
    }

    fn from_data(d: &Data) -> Cell {
        let kind = match d {
            Data::Int(_) | Data::Float(_) => CellKind::Number,
            Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => CellKind::Date,
            Data::Bool(_) => CellKind::Bool,
            Data::Error(_) => CellKind::Error,
            Data::String(_) | Data::Empty => CellKind::Text,
        };
        Cell { text: cell_text(d), kind }
    }
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
    let seconds = h.checked_mul(3600)?.checked_add(mi.checked_mul(60)?)?.checked_add(sec)?;
    if seconds == 0 { Some(date) } else { Some(format!("{date} {}", clock_text(f64::from(seconds), false))) }
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
        assert_eq!(cell_ref(u32::MAX, u32::MAX), "MWLQKWV4294967296");
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
        // Hours that overflow the seconds count keep the text as written.
        assert_eq!(cell_text(&Data::DateTimeIso("2026-01-05T4294967295:00:00".into())), "2026-01-05T4294967295:00:00");
    }

    #[test]
    fn long_cells_are_measured_not_kept() {
        let lines = "责任\n".repeat(limits::MAX_TEXT_LINES + 1);
        let cell = Cell::from_owned(&Data::String(lines)).unwrap();
        assert_eq!(cell.kind(), CellKind::TooLong);
        assert_eq!(cell.text(), "");
        assert_eq!(cell.over_limit(), Some("有 1,002 行，超过上限 1,000 行"));
        assert_eq!(Cell::from_owned(&Data::Empty), None);
    }
}
