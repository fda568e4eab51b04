//! A check of an OLE compound file (.xls) before calamine reads it: calamine follows sector
//! chains and lays sheets out as they claim, so a damaged or hostile file can make it loop or
//! ask for terabytes. Fuzzing found each of the cases refused here.

use super::super::limits::{MAX_COLUMNS, MAX_RECORDS, MAX_SHEET_FILE_BYTES};
use super::budget::TextBudget;
use super::xls_text::{self, TextOver};

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FATSECT: u32 = 0xFFFF_FFFD;
const DIFSECT: u32 = 0xFFFF_FFFC;
const RESERVED: u32 = 0xFFFF_FFFB;
/// Cells calamine may lay out densely for one .xls sheet (256 MB of cells).
pub const MAX_DENSE_AREA: u64 = 8_000_000;

fn u16_at(b: &[u8], o: usize) -> Option<u16> {
    b.get(o..o + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], o: usize) -> Option<u32> {
    b.get(o..o + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn words(s: &[u8]) -> Vec<u32> {
    s.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
}

/// The file's sectors and its allocation table, as calamine reads them: chains end only at
/// ENDOFCHAIN; the FAT is every sector the DIFAT lists, however many the header claims.
struct Compound<'a> {
    b: &'a [u8],
    size: usize,
    sectors: usize,
    fat: Vec<u32>,
}

impl<'a> Compound<'a> {
    fn read(b: &'a [u8]) -> Result<Compound<'a>, String> {
        let shift = u16_at(b, 0x1E).ok_or("文件头不完整")?;
        if shift != 9 && shift != 12 {
            return Err(format!("扇区大小 2^{shift} 无效"));
        }
        let size = 1usize << shift;
        let mut file = Compound { b, size, sectors: b.len() / size, fat: Vec::new() };
        let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(b, 0x4C + 4 * i)).collect();
        let mut next = u32_at(b, 0x44).ok_or("文件头不完整")?;
        let mut hops = 0;
        while next < RESERVED {
            hops += 1;
            let s = file.sector(next).filter(|_| hops <= file.sectors + 1).ok_or("DIFAT 链断裂或成环")?;
            let mut w = words(s);
            next = w.pop().unwrap_or(ENDOFCHAIN);
            difat.extend(w);
        }
        for id in difat.into_iter().filter(|id| *id < DIFSECT) {
            let sector = file.sector(id).ok_or("分配表扇区超出文件")?;
            file.fat.extend(words(sector));
            if file.fat.len() > 64 * 1024 * 1024 {
                return Err("分配表过大".into());
            }
        }
        Ok(file)
    }

    fn sector(&self, n: u32) -> Option<&'a [u8]> {
        let start = self.size.checked_mul(n as usize + 1)?;
        self.b.get(start..start + self.size)
    }

    /// Every chain ends: none loops back on itself (calamine would follow it until it had asked
    /// for gigabytes) or points past the file.
    fn chains_end(&self) -> Result<(), String> {
        let (fat, n) = (&self.fat, self.fat.len());
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
                    x if x as usize >= n || x as usize >= self.sectors => return Err(format!("扇区 {at} 指向文件之外的扇区 {x}")),
                    x => at = x as usize,
                }
            }
            for w in walk {
                state[w] = 2;
            }
        }
        Ok(())
    }

    /// The bytes of the chain from `at`, up to `limit`.
    fn chain(&self, mut at: u32, limit: usize) -> Vec<u8> {
        let mut out = Vec::new();
        while at != ENDOFCHAIN && (at as usize) < self.fat.len() && out.len() < limit {
            match self.sector(at) {
                Some(s) => out.extend_from_slice(s),
                None => break,
            }
            at = self.fat[at as usize];
        }
        out
    }

    /// The `Workbook` (or `Book`) streams: streams under 4 KB live in the mini stream, 64-byte
    /// sectors chained by the mini FAT.
    fn workbook_streams(&self, dirs: &[u8]) -> Vec<Vec<u8>> {
        let mini_stream =
            dirs.get(116..120).map(|s| self.chain(u32::from_le_bytes([s[0], s[1], s[2], s[3]]), MAX_SHEET_FILE_BYTES as usize));
        let mini_stream = mini_stream.unwrap_or_default();
        let mini_fat: Vec<u32> = words(&self.chain(u32_at(self.b, 0x3C).unwrap_or(ENDOFCHAIN), 1 << 24));
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
        let mut streams = Vec::new();
        for entry in dirs.chunks_exact(128) {
            let name_len = (u16::from_le_bytes([entry[64], entry[65]]) as usize).min(64);
            let name: Vec<u16> = entry[..name_len].chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            let name = String::from_utf16_lossy(&name);
            if !matches!(name.trim_end_matches('\0'), "Workbook" | "Book") {
                continue;
            }
            let start = u32::from_le_bytes([entry[116], entry[117], entry[118], entry[119]]);
            let len = u32::from_le_bytes([entry[120], entry[121], entry[122], entry[123]]) as usize;
            streams.push(if len < 4096 { mini_chain(start, len) } else { self.chain(start, len.min(MAX_SHEET_FILE_BYTES as usize)) });
        }
        streams
    }
}

/// Checks a .xls (or other OLE) file's structure before calamine follows it; the reason is shown
/// to the user as technical detail.
pub fn check(b: &[u8]) -> Result<(), String> {
    let file = Compound::read(b)?;
    file.chains_end()?;
    // The directory chain calamine reads first must start inside the table.
    let dir = u32_at(b, 0x30).ok_or("文件头不完整")?;
    if dir != ENDOFCHAIN && dir as usize >= file.fat.len() {
        return Err(format!("目录起始扇区 {dir} 超出分配表"));
    }
    let dirs = file.chain(dir, 1 << 20);
    for stream in file.workbook_streams(&dirs) {
        check_cell_records(&stream)?;
    }
    Ok(())
}

/// Counts the text calamine would build from the file's Workbook streams (shared strings at each
/// use), after `check` has passed.
pub fn text(b: &[u8]) -> Result<(), TextOver> {
    let Ok(file) = Compound::read(b) else { return Ok(()) };
    let dirs = file.chain(u32_at(b, 0x30).unwrap_or(ENDOFCHAIN), 1 << 20);
    let mut budget = TextBudget::default();
    for stream in file.workbook_streams(&dirs) {
        xls_text::check(&stream, &mut budget)?;
    }
    Ok(())
}

/// calamine lays a .xls sheet out densely from its highest row and column: one cell written at
/// row 60,000, column 60,000 asks for 68 GB. The cell records' places are read first and a
/// sheet over the bounds refused.
fn check_cell_records(stream: &[u8]) -> Result<(), String> {
    let (mut rows, mut cols) = (0usize, 0usize);
    // calamine jumps to each sheet at the offset its BOUNDSHEET record gives: scan from there
    // too, since a damaged stream may not line up when read straight through.
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
                if area > MAX_DENSE_AREA {
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
    if rows > MAX_RECORDS + 1 || cols > MAX_COLUMNS as usize || rows.saturating_mul(cols) as u64 > MAX_DENSE_AREA {
        return Err(format!("工作表过大（{rows} 行 × {cols} 列），超过名单上限"));
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

#[cfg(test)]
mod tests {
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
        let fixture = |name: &str| std::fs::read(format!("{}/tests/fixtures/roster/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        for bad in ["fuzz-oom-cfb.xls", "fuzz-huge-xls.xls"] {
            assert!(super::check(&fixture(bad)).is_err(), "{bad}: {:?}", super::check(&fixture(bad)));
        }
        assert_eq!(super::check(&fixture("roster.xls")), Ok(()));
        assert_eq!(super::text(&fixture("roster.xls")), Ok(()));
    }
}
