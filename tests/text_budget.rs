//! Small files that expand: one 32,767-character cell repeated over 99,998 rows of an .ods, one
//! shared string used by 99,998 cells of an .xlsx or .xlsb, `<text:s text:c="4000000000"/>`, a
//! YAML anchor used 50,000 times. Each used to grow into gigabytes and abort `zeren build` with
//! "memory allocation failed"; now the text they would yield is counted before it is laid out
//! and the run ends with exit 1, a Chinese message naming the file and the cell (or line) where
//! the bound was crossed, and nothing written. Each run is held to 1 GiB of address space (as in
//! tests/limits.rs), so a regression shows as a crash.

mod bounds_files;
mod common;

use bounds_files::*;
use common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;
use zeren::load::limits::{MAX_TEXT_CHARS, MAX_TOTAL_TEXT_CHARS};
use zeren::load::sheet::cell_ref;

const ADDRESS_SPACE_KIB: u64 = 1 << 20;
const WATCHDOG: Duration = Duration::from_secs(180);
const HEADER: [&str; 5] = ["单位名称", "类别", "负责人", "职务", "本单位责任"];

/// The header's characters, charged before the first repeated cell.
fn header_chars() -> u64 {
    HEADER.iter().map(|h| h.chars().count() as u64).sum()
}

/// The cell where `copies` cells of `chars` characters each, laid row by row `width` wide from
/// (`row`, 0) after the header, pass the bound.
fn crossing(chars: u64, width: u64, row: u64) -> String {
    let copy = (MAX_TOTAL_TEXT_CHARS - header_chars()) / chars;
    cell_ref((row + copy / width) as u32, (copy % width) as u32)
}

/// A workspace (settings and duties, no units) and an OUT holding a signed copy.
fn workspace(tmp: &Path, units: Option<&str>) -> (PathBuf, PathBuf) {
    let ws = tmp.join("ws");
    std::fs::create_dir_all(ws.join("data")).unwrap();
    std::fs::write(ws.join("zeren.yaml"), SETTINGS).unwrap();
    std::fs::write(ws.join("data/duties.yaml"), DUTIES).unwrap();
    if let Some(units) = units {
        std::fs::write(ws.join("data/units.yaml"), units).unwrap();
    }
    let out = tmp.join("out");
    std::fs::create_dir_all(out.join("责任书")).unwrap();
    std::fs::write(out.join("责任书/已签字-办公室.docx"), b"signed").unwrap();
    (ws, out)
}

/// `zeren build WS -o OUT [--roster ROSTER]` under the address-space bound and the watchdog:
/// (exit code, stderr).
fn build_bounded(ws: &Path, out: &Path, roster: Option<&Path>) -> (Option<i32>, String) {
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\"");
    let mut command = Command::new("sh");
    command.args(["-c", &script, env!("CARGO_BIN_EXE_zeren"), "build"]).args([ws.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    if let Some(roster) = roster {
        command.args(["--roster".as_ref(), roster.as_os_str()]);
    }
    let child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run zeren under sh");
    let output = output_within(child, WATCHDOG);
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Exit 1, one line naming `place` that holds every one of `words`, and OUT as it was.
fn refused(case: &str, (code, err): (Option<i32>, String), out: &Path, place: &str, words: &[&str]) {
    assert!(!err.contains("panicked") && !err.contains("memory allocation"), "{case}: crashed\n{err}");
    assert_eq!(code, Some(1), "{case}: exit code\n{err}");
    let said = |l: &&str| l.contains(place) && words.iter().all(|w| l.contains(w));
    assert!(err.lines().any(|l| said(&l)), "{case}: no message naming {place} that says {words:?}:\n{err}");
    assert_eq!(files_under(out), [PathBuf::from("责任书/已签字-办公室.docx")], "{case}: OUT gained a file\n{err}");
    assert_eq!(std::fs::read(out.join("责任书/已签字-办公室.docx")).unwrap(), b"signed", "{case}: the signed copy was touched");
}

/// Builds with the workbook `write` makes as the roster, expecting the text bound at `cell`.
fn roster_refused(case: &str, name: &str, write: impl FnOnce(&Path), cell: &str) {
    let place = format!("{name} [单位名单] {cell}:");
    roster_refused_with(case, name, write, &place, &["文字合计超过上限 4,000 万个字符", "读到此单元格时已超出"]);
}

/// Builds with the workbook `write` makes as the roster: refused at `place`, saying `words`.
fn roster_refused_with(case: &str, name: &str, write: impl FnOnce(&Path), place: &str, words: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let (ws, out) = workspace(tmp.path(), None);
    let roster = tmp.path().join(name);
    write(&roster);
    let size = std::fs::metadata(&roster).unwrap().len();
    assert!(size < 700_000, "{case}: the hostile file is small ({size} bytes)");
    refused(case, build_bounded(&ws, &out, Some(&roster)), &out, place, words);
}

fn ods_cell(text: &str, attributes: &str) -> String {
    format!(r#"<table:table-cell office:value-type="string"{attributes}><text:p>{text}</text:p></table:table-cell>"#)
}

fn ods_header() -> String {
    format!("<table:table-row>{}</table:table-row>", HEADER.iter().map(|h| ods_cell(h, "")).collect::<String>())
}

fn long_cell() -> String {
    "责".repeat(MAX_TEXT_CHARS)
}

#[test]
fn an_ods_row_repeated_99998_times_is_refused_where_its_text_passes_the_bound() {
    roster_refused(
        "rows repeated",
        "名单.ods",
        |path| {
            let row = format!(r#"<table:table-row table:number-rows-repeated="99998">{}</table:table-row>"#, ods_cell(&long_cell(), ""));
            ods(path, "单位名单", &format!("{}{row}", ods_header()));
        },
        &crossing(MAX_TEXT_CHARS as u64, 1, 1),
    );
}

#[test]
fn an_ods_just_under_the_bound_is_read_within_the_address_space() {
    // 1,220 repeats of 32,767 characters: 39,975,740 with the header, under the bound. calamine
    // lays it all out (about 120 MB) and the reader copies it once more; the run reports each
    // over-long name and ends within 1 GiB.
    let rows = (MAX_TOTAL_TEXT_CHARS - header_chars()) / MAX_TEXT_CHARS as u64;
    let tmp = tempfile::tempdir().unwrap();
    let (ws, out) = workspace(tmp.path(), None);
    let roster = tmp.path().join("名单.ods");
    let row = format!(r#"<table:table-row table:number-rows-repeated="{rows}">{}</table:table-row>"#, ods_cell(&long_cell(), ""));
    ods(&roster, "单位名单", &format!("{}{row}", ods_header()));
    let last = format!("名单.ods [单位名单] A{}:", rows + 1);
    refused("just under", build_bounded(&ws, &out, Some(&roster)), &out, &last, &["单位名称过长：32,767 个字符"]);
}

#[test]
fn an_ods_cell_repeated_across_columns_and_rows_is_refused_at_the_copy_that_passes() {
    roster_refused(
        "columns repeated",
        "名单.ods",
        |path| {
            let cell = ods_cell(&long_cell(), r#" table:number-columns-repeated="150""#);
            let row = format!(r#"<table:table-row table:number-rows-repeated="600">{cell}</table:table-row>"#);
            ods(path, "单位名单", &format!("{}{row}", ods_header()));
        },
        &crossing(MAX_TEXT_CHARS as u64, 150, 1),
    );
}

#[test]
fn an_ods_space_run_of_four_billion_is_refused_at_its_cell() {
    roster_refused(
        "text:s",
        "名单.ods",
        |path| {
            let cell = ods_cell(r#"单位<text:s text:c="4000000000"/>甲"#, "");
            ods(path, "单位名单", &format!("{}<table:table-row>{cell}</table:table-row>", ods_header()));
        },
        "A2",
    );
}

#[test]
fn an_xlsx_shared_string_used_by_99998_cells_is_refused_where_its_text_passes_the_bound() {
    roster_refused(
        "xlsx shared string",
        "名单.xlsx",
        |path| {
            let mut rows = String::from(r#"<row r="1">"#);
            for c in 0..HEADER.len() {
                rows.push_str(&format!(r#"<c r="{}" t="s"><v>{}</v></c>"#, cell_ref(0, c as u32), c + 1));
            }
            rows.push_str("</row>");
            for r in 2..=99_999 {
                rows.push_str(&format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#));
            }
            let long = long_cell();
            let shared: Vec<&str> = [long.as_str()].into_iter().chain(HEADER).collect();
            xlsx_shared(path, "单位名单", &rows, &shared);
        },
        &crossing(MAX_TEXT_CHARS as u64, 1, 1),
    );
}

/// Rewrites an xlsx's shared-string list to claim `to` strings instead of `from`.
fn claim_shared_strings(path: &Path, from: usize, to: usize) {
    let bytes = std::fs::read(path).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(&mut part, &mut text).unwrap();
        let text = text.replace(&format!(r#"count="{from}" uniqueCount="{from}""#), &format!(r#"count="{to}" uniqueCount="{to}""#));
        out.start_file(part.name(), zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut out, text.as_bytes()).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn an_xlsx_claiming_a_billion_shared_strings_is_refused_before_room_is_made_for_them() {
    roster_refused_with(
        "uniqueCount",
        "名单.xlsx",
        |path| {
            xlsx_shared(path, "单位名单", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, &["单位名称"]);
            // Its list claiming 10^9 strings: calamine reserved 24 GB for them.
            claim_shared_strings(path, 1, 1_000_000_000);
        },
        "名单.xlsx:",
        &["文件声称有 1,000,000,000 条共享字符串，超过上限 2,000,000 条"],
    );
}

#[test]
fn an_xlsx_of_millions_of_empty_shared_strings_is_refused_before_they_are_held() {
    // 22 million, 260 MB unpacked (under the 300 MB bound) and 560 KB on disk, made calamine
    // abort keeping a String for each; one more than a sheet's cells is refused unread.
    roster_refused_with(
        "empty shared strings",
        "名单.xlsx",
        |path| {
            let empties = vec![""; 2_000_001];
            xlsx_shared(path, "单位名单", r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#, &empties);
            claim_shared_strings(path, empties.len(), 1);
        },
        "名单.xlsx:",
        &["文件中的共享字符串，超过上限 2,000,000 条"],
    );
}

#[test]
fn an_xlsb_shared_string_used_by_99998_cells_is_refused_where_its_text_passes_the_bound() {
    roster_refused(
        "xlsb shared string",
        "名单.xlsb",
        |path| {
            let header: Vec<(u32, u32, &str)> = HEADER.iter().enumerate().map(|(c, h)| (0, c as u32, *h)).collect();
            let mut cells = Vec::new();
            for r in 1..99_999u32 {
                // BrtRowHdr, then BrtCellIsst: column 0, style, shared string 0.
                cells.extend(record(0x00, &[&r.to_le_bytes()[..], &[0; 13]].concat()));
                cells.extend(record(0x07, &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
            }
            let long = long_cell();
            xlsb_shared(path, "单位名单", &header, Some(&cells), &[&long]);
        },
        &crossing(MAX_TEXT_CHARS as u64, 1, 1),
    );
}

#[test]
fn an_xls_shared_string_used_by_30000_cells_is_refused_where_its_text_passes_the_bound() {
    roster_refused(
        "xls shared string",
        "名单.xls",
        |path| {
            let mut cells: Vec<(u16, u16, u32)> = (0..5).map(|c| (0, c, c as u32 + 1)).collect();
            cells.extend((1..30_000).map(|r| (r, 0, 0)));
            let long = long_cell();
            let shared: Vec<&str> = [long.as_str()].into_iter().chain(HEADER).collect();
            xls_shared(path, "单位名单", &shared, &cells);
        },
        &crossing(MAX_TEXT_CHARS as u64, 1, 1),
    );
}

/// A FORMULA record at (`row`, `col`): a number 1 followed by `spaces` PtgAttrSpace tokens of
/// 255 spaces each (calamine inserts every space at the formula's start).
fn spaced_formula(row: u16, col: u16, spaces: usize) -> Vec<u8> {
    let mut tokens = vec![0x1E, 1, 0];
    for _ in 0..spaces {
        tokens.extend([0x19, 0x40, 0x00, 0xFF]);
    }
    let head = [&row.to_le_bytes()[..], &col.to_le_bytes(), &[0; 16]].concat();
    biff(0x0006, &[&head[..], &(tokens.len() as u16).to_le_bytes(), &tokens].concat())
}

fn xls_with(path: &Path, extra: &[u8]) {
    let cells: Vec<(u16, u16, u32)> = (0..5).map(|c| (0, c, u32::from(c))).collect();
    xls_records(path, "单位名单", &HEADER, &cells, extra);
}

#[test]
fn xls_formulas_of_spaces_are_refused_before_calamine_writes_them() {
    // Formulas of 100 tokens of 255 spaces each (403 bytes, within the 1,800 a formula may have):
    // each writes 25,500 spaces one at a time at the front. Work is counted as spaces × the
    // longest the formula can be, over the file: the fourth passes the bound.
    let formulas: Vec<u8> = (1..=100).flat_map(|r| spaced_formula(r, 1, 100)).collect();
    roster_refused_with("spaced formulas", "名单.xls", |p| xls_with(p, &formulas), "名单.xls [单位名单] B5:", &["公式记录异常"]);
    // One formula of 16,000 such tokens (64 KB): hours.
    let long = spaced_formula(1, 1, 16_000);
    roster_refused_with("long formula", "名单.xls", |p| xls_with(p, &long), "名单.xls [单位名单] B2:", &["公式记录异常"]);
}

#[test]
fn an_xls_roster_of_shared_strings_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("名单.xls");
    let mut cells: Vec<(u16, u16, u32)> = (0..5).map(|c| (0, c, c as u32)).collect();
    for r in 1..=3u16 {
        cells.extend([(r, 0, 4 + u32::from(r)), (r, 1, 8), (r, 2, 9), (r, 3, 10), (r, 4, 11)]);
    }
    let long = long_cell();
    let shared: Vec<&str> = HEADER.into_iter().chain(["办公室", "预算处", "财务处", "处室", "王主任", "主任", &long]).collect();
    xls_shared(&path, "单位名单", &shared, &cells);
    let r = zeren::load::roster::read(&path, Path::new("名单.xls"), &Default::default()).unwrap_or_else(|p| panic!("{p:?}"));
    let units: Vec<(&str, &str)> = r.units.iter().map(|u| (u.name.as_str(), u.leader.name.as_str())).collect();
    assert_eq!(units, [("办公室", "王主任"), ("预算处", "王主任"), ("财务处", "王主任")]);
    assert_eq!(r.units[0].duties, [long], "a 32,767-character string carried over CONTINUE records reads whole");
}

#[test]
fn a_yaml_anchor_used_50000_times_is_refused_at_the_alias_that_passes_the_bound() {
    let mut units =
        format!("units:\n  - name: 甲\n    type: 处室\n    leader: {{ name: 王, title: 主任 }}\n    duties: [&d \"{}\"]\n", long_cell());
    for i in 0..50 {
        units.push_str(&format!(
            "  - name: 单位{i}\n    type: 处室\n    leader: {{ name: 王, title: 主任 }}\n    duties: [{}]\n",
            vec!["*d"; 999].join(", ")
        ));
    }
    let tmp = tempfile::tempdir().unwrap();
    let (ws, out) = workspace(tmp.path(), Some(&units));
    // The anchor's own text, then alias k (0-based) of unit i at line 9 + 4i, column 14 + 4k.
    let before = (MAX_TOTAL_TEXT_CHARS - (MAX_TEXT_CHARS as u64 + 7)) / MAX_TEXT_CHARS as u64;
    let (unit, alias) = (before / 999, before % 999);
    let place = format!("data/units.yaml:{}:{}:", 9 + 4 * unit, 14 + 4 * alias);
    refused("yaml aliases", build_bounded(&ws, &out, None), &out, &place, &["文字合计超过上限 4,000 万个字符", "引用"]);
}
