//! The text calamine builds from a .xls Workbook stream, counted before it reads the file:
//! calamine reads every sheet when the file is opened and copies a shared string (SST) into
//! each cell that uses it, so 99,998 `LABELSST` records naming one 32,767-character string
//! are gigabytes. Records are framed, and the SST read, as calamine 0.38 does (`xls.rs`:
//! `RecordIter`, `parse_sst`, `read_rich_extended_string`).

use super::budget::TextBudget;

/// Characters a formula may become per byte of its tokens: a 4-byte `PtgAttrSpace` writes 255
/// spaces, a 5-byte `PtgName` a 255-character name.
const FORMULA_CHARS_PER_BYTE: u64 = 64;
/// The longest formula a cell holds (MS-XLS 2.5.198.2: `cce` at most 1,800 bytes).
const MAX_FORMULA_BYTES: u64 = 1_800;
/// Bytes calamine may move writing `PtgAttrSpace` spaces, over the whole file: it inserts each
/// space at the front of what the formula has so far, so a 66 KB formula of them took hours.
/// Formulas people write have a few such tokens; this is seconds of work.
const MAX_FORMULA_SPACE_WORK: u64 = 2_000_000_000;

/// Where a stream passed a bound: the sheet's name, the cell (0-based), and which bound.
#[derive(Debug, PartialEq, Eq)]
pub struct TextOver {
    pub sheet: String,
    pub row: u32,
    pub col: u32,
    /// A formula past `MAX_FORMULA_BYTES` or the space work, rather than the text bound.
    pub formula: bool,
}

/// Spaces a formula's `PtgAttrSpace` tokens write (type byte 0x19, 0x40 or 0x41, kind, count),
/// counted from above: an operand's bytes may look like a token too.
fn attr_spaces(tokens: &[u8]) -> u64 {
    tokens.windows(4).filter(|w| w[0] == 0x19 && matches!(w[1], 0x40 | 0x41)).map(|w| u64::from(w[3])).sum()
}

/// A record and the CONTINUE records after it, read as calamine reads them.
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
    cont: std::collections::VecDeque<&'a [u8]>,
}

impl<'a> Record<'a> {
    fn next_part(&mut self) -> bool {
        match self.cont.pop_front() {
            Some(part) => {
                self.data = part;
                true
            }
            None => false,
        }
    }

    fn skip(&mut self, mut len: usize) -> Option<()> {
        while len > 0 {
            if self.data.is_empty() && !self.next_part() {
                return None;
            }
            let n = len.min(self.data.len());
            self.data = &self.data[n..];
            len -= n;
        }
        Some(())
    }
}

fn u16_at(b: &[u8], o: usize) -> Option<u16> {
    b.get(o..o + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], o: usize) -> Option<u32> {
    b.get(o..o + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// The records from the start of `stream`; ends where calamine would fail (it then refuses the
/// file, so nothing past that point is built).
fn records(mut stream: &[u8]) -> impl Iterator<Item = Record<'_>> {
    std::iter::from_fn(move || {
        let typ = u16_at(stream, 0)?;
        let len = u16_at(stream, 2)? as usize;
        let (head, rest) = stream.split_at_checked(len + 4)?;
        stream = rest;
        let mut cont = std::collections::VecDeque::new();
        while stream.len() > 4 && u16_at(stream, 0) == Some(0x003C) {
            let len = u16_at(stream, 2)? as usize;
            let (part, rest) = stream.split_at_checked(len + 4)?;
            cont.push_back(&part[4..]);
            stream = rest;
        }
        Some(Record { typ, data: &head[4..], cont })
    })
}

/// The length in characters of each shared string, as calamine's `parse_sst` reads them.
fn shared_string_lengths(r: &mut Record) -> Vec<u64> {
    let mut lengths = Vec::new();
    let Some(rest) = r.data.get(8..) else { return lengths };
    r.data = rest;
    while !r.data.is_empty() || r.next_part() {
        if r.data.is_empty() {
            lengths.push(0);
            continue;
        }
        match rich_string_length(r) {
            Some(n) => lengths.push(n),
            None => break,
        }
    }
    lengths
}

/// One `XLUnicodeRichExtendedString`: its character count, the record moved past it.
fn rich_string_length(r: &mut Record) -> Option<u64> {
    let cch = u16_at(r.data, 0)? as usize;
    let flags = *r.data.get(2)?;
    r.data = &r.data[3..];
    let runs = if flags & 0x8 != 0 {
        let n = u16_at(r.data, 0)? as usize;
        r.data = &r.data[2..];
        n
    } else {
        0
    };
    let ext = if flags & 0x4 != 0 {
        let n = u32_at(r.data, 0)? as usize;
        r.data = &r.data[4..];
        n
    } else {
        0
    };
    let (mut left, mut wide) = (cch, flags & 0x1 != 0);
    while left > 0 {
        let fit = if wide { r.data.len() / 2 } else { r.data.len() }.min(left);
        r.data = &r.data[if wide { 2 * fit } else { fit }..];
        left -= fit;
        if left > 0 {
            if !r.next_part() {
                return None;
            }
            wide = *r.data.first()? & 0x1 != 0;
            r.data = &r.data[1..];
        }
    }
    r.skip(runs * 4)?;
    r.skip(ext)?;
    Some(cch as u64)
}

/// A sheet's name from its BOUNDSHEET record (BIFF8: a count, a flags byte, the characters).
fn sheet_name(data: &[u8]) -> String {
    let (Some(&cch), Some(&flags)) = (data.get(6), data.get(7)) else { return String::new() };
    let chars = data.get(8..).unwrap_or_default();
    if flags & 0x1 != 0 {
        let units: Vec<u16> = chars.chunks_exact(2).take(cch as usize).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.iter().take(cch as usize).map(|&b| b as char).collect()
    }
}

/// Counts the text calamine would build from one Workbook stream against `budget`.
pub fn check(stream: &[u8], budget: &mut TextBudget) -> Result<(), TextOver> {
    let mut strings = Vec::new();
    let mut sheets = Vec::new();
    let mut space_work = 0u64;
    for mut r in records(stream) {
        match r.typ {
            0x00FC => strings = shared_string_lengths(&mut r),
            0x0085 => sheets.extend(u32_at(r.data, 0).map(|pos| (pos as usize, sheet_name(r.data)))),
            0x000A => break,
            _ => {}
        }
    }
    for (pos, sheet) in sheets {
        let Some(sheet_stream) = stream.get(pos..) else { continue };
        let (mut depth, mut seen_bof, mut formula_at) = (0usize, false, (0, 0));
        for r in records(sheet_stream) {
            if depth > 0 {
                match r.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = (u16_at(r.data, 0).unwrap_or(0) as u32, u16_at(r.data, 2).unwrap_or(0) as u32);
            let (chars, cell) = match r.typ {
                0x0809 if seen_bof => {
                    depth += 1;
                    continue;
                }
                0x0809 => {
                    seen_bof = true;
                    continue;
                }
                0x000A => break,
                // LABELSST: the shared string it names.
                0x00FD if r.data.len() >= 10 => (u32_at(r.data, 6).and_then(|i| strings.get(i as usize)).copied().unwrap_or(0), at),
                // LABEL, RSTRING: their own characters.
                0x0204 | 0x00D6 => (u64::from(u16_at(r.data, 6).unwrap_or(0)), at),
                // STRING: a formula's text result, at the formula's cell.
                0x0207 => (u64::from(u16_at(r.data, 0).unwrap_or(0)), formula_at),
                // FORMULA: the formula's text, at most this long.
                0x0006 if r.data.len() >= 20 => {
                    formula_at = at;
                    let cce = u64::from(u16_at(r.data, 20).unwrap_or(0));
                    let tokens = r.data.get(22..).unwrap_or_default();
                    let chars = cce.min(tokens.len() as u64) * FORMULA_CHARS_PER_BYTE;
                    space_work = space_work.saturating_add(attr_spaces(tokens).saturating_mul(chars));
                    if cce > MAX_FORMULA_BYTES || space_work > MAX_FORMULA_SPACE_WORK {
                        return Err(TextOver { sheet, row: at.0, col: at.1, formula: true });
                    }
                    (chars, at)
                }
                _ => continue,
            };
            if budget.charge(chars, 1).is_err() {
                return Err(TextOver { sheet, row: cell.0, col: cell.1, formula: false });
            }
        }
    }
    Ok(())
}
