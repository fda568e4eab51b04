//! `cargo bench --bench roster`: reading a 10,000-unit roster must stay under 1 s,
//! so a large organisation's workbook loads as fast as its YAML. Plain `std::time`, median of
//! several runs, on a workbook shaped like the real ones (title, header on row 3, 类别 merged
//! in groups of 10, phones stored as numbers, several duties per cell).

use rust_xlsxwriter::{Format, Workbook};
use std::path::Path;
use std::time::{Duration, Instant};
use zeren::load::roster::{self, RosterOptions};

const UNITS: u32 = 10_000;

fn write_roster(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("名单").unwrap();
    let plain = Format::new();
    ws.merge_range(0, 0, 0, 8, "2026年度党风廉政建设责任单位名单", &plain).unwrap();
    ws.write_string(1, 0, "填报单位：党委办公室").unwrap();
    let header = ["序号", "单位名称", "类别", "负责人", "职务", "分管领导", "分管领导职务", "联系电话", "本单位责任"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let types = ["处室", "党支部", "直属单位"];
    for i in 0..UNITS {
        let r = i + 3;
        ws.write_number(r, 0, f64::from(i + 1)).unwrap();
        ws.write_string(r, 1, format!("第{}单位", i + 1)).unwrap();
        if i % 10 == 0 {
            ws.merge_range(r, 2, r + 9, 2, types[(i / 10 % 3) as usize], &plain).unwrap();
        }
        ws.write_string(r, 3, format!("负责人{i}")).unwrap();
        ws.write_string(r, 4, "主任").unwrap();
        ws.write_string(r, 5, format!("分管领导{}", i % 7)).unwrap();
        ws.write_string(r, 6, "副局长").unwrap();
        ws.write_number(r, 7, 13_800_000_000.0 + f64::from(i)).unwrap();
        ws.write_string(r, 8, "落实全面从严治党主体责任\n抓好本单位党风廉政建设\n加强日常监督").unwrap();
    }
    wb.save(path).unwrap();
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("名单.xlsx");
    write_roster(&path);
    let size = std::fs::metadata(&path).unwrap().len();

    let opts = RosterOptions::default();
    let read = || roster::read(&path, Path::new("名单.xlsx"), &opts).expect("the generated roster reads");
    let r = read();
    assert_eq!(r.units.len(), UNITS as usize);
    assert!(r.notes.is_empty());
    assert_eq!(r.units[9999].duties.len(), 3);

    let mut runs: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(read());
            t.elapsed()
        })
        .collect();
    runs.sort();
    println!(
        "roster::read, {UNITS} units ({:.1} MB xlsx): {:.0} ms (median of 7; min {:.0} ms, max {:.0} ms; goal < 1000 ms)",
        size as f64 / 1_048_576.0,
        runs[3].as_secs_f64() * 1e3,
        runs[0].as_secs_f64() * 1e3,
        runs[6].as_secs_f64() * 1e3
    );
}
