//! `cargo bench --bench roster`: reading a 10,000-unit roster must stay under 1 s,
//! so a large organisation's workbook loads as fast as its YAML. Plain `std::time`, median of
//! several runs, on a workbook shaped like the real ones (title, header on row 3, 类别 merged
//! in groups of 10, phones stored as numbers, several duties per cell).
//!
//! At the bounds: a roster of 100,000 rows that are all wrong (each row's problems are counted in
//! O(1), not by recounting every problem so far), and 100,000 units in units.yaml (the same
//! number the roster allows, checked against the bounds before it is deserialized).

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

/// 100,000 rows under the header, every one without its 负责人.
fn write_bad_roster(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("名单").unwrap();
    for (c, h) in ["单位名称", "类别", "负责人", "职务"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=BAD_ROWS {
        ws.write_string(r, 0, format!("第{r}单位")).unwrap();
        ws.write_string(r, 1, "处室").unwrap();
        ws.write_string(r, 3, "主任").unwrap();
    }
    wb.save(path).unwrap();
}

const BAD_ROWS: u32 = 99_998;

fn median_ms(runs: usize, mut f: impl FnMut()) -> (f64, f64, f64) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(times[runs / 2]), ms(times[0]), ms(times[runs - 1]))
}

fn bounds() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("名单.xlsx");
    write_bad_roster(&path);
    let opts = RosterOptions::default();
    let problems = roster::read(&path, Path::new("名单.xlsx"), &opts).expect_err("every row lacks its leader");
    assert_eq!(problems.0.len(), BAD_ROWS as usize);
    let (median, min, max) = median_ms(3, || {
        std::hint::black_box(roster::read(&path, Path::new("名单.xlsx"), &opts).unwrap_err());
    });
    println!("roster::read, {BAD_ROWS} rows each with a problem: {median:.0} ms (median of 3; min {min:.0} ms, max {max:.0} ms)");

    let settings = "organ: 中共某某局委员会\ncode: 某党\nyear: 2026\ndate: 2026-01-05\nsignatory: { name: 赵书记, title: 党委书记 }\n";
    let mut units = String::from("units:\n");
    for i in 0..100_000 {
        units.push_str(&format!(
            "  - name: 单位{i}\n    type: 处室\n    leader: {{ name: 负责人{i}, title: 处长 }}\n    supervisor: {{ name: 分管{i}, title: 副局长 }}\n    phone: \"0791-8888{i}\"\n    duties: [一条责任, 另一条责任]\n"
        ));
    }
    let files = [("zeren.yaml", settings), ("data/units.yaml", units.as_str())];
    let load = || zeren::load::load_files(Path::new("ws"), &files).expect("100,000 units load");
    assert_eq!(load().0.units.len(), 100_000);
    let (median, min, max) = median_ms(3, || {
        std::hint::black_box(load());
    });
    println!(
        "load, 100,000 units in units.yaml ({:.1} MB): {median:.0} ms (median of 3; min {min:.0} ms, max {max:.0} ms)",
        units.len() as f64 / 1_048_576.0
    );
}

fn main() {
    bounds();
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
