//! `cargo bench --bench bulk`: the bulk figures on this machine. A 10,000-row xlsx
//! roster with the sample workspace → 10,000 责任书 as separate files, and as one print file;
//! then N = 100 and 1,000 to show the cost is linear. Wall time and peak RSS of the real binary
//! (GNU time). `cargo bench --bench bulk -- 2000` runs one N.

use rust_xlsxwriter::Workbook;
use std::path::Path;
use std::process::Command;

fn roster(path: &Path, n: usize) {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    let headers = ["序号", "单位名称", "类别", "负责人", "职务", "分管领导", "分管领导职务", "联系电话", "本单位责任"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let types = ["处室", "党支部", "直属单位"];
    for i in 0..n {
        let r = i as u32 + 1;
        let t = types[i % 3];
        sheet.write_number(r, 0, (i + 1) as f64).unwrap();
        sheet.write_string(r, 1, format!("第{}号{t}", i + 1)).unwrap();
        sheet.write_string(r, 2, t).unwrap();
        sheet.write_string(r, 3, format!("负责人{}", i + 1)).unwrap();
        sheet.write_string(r, 4, "负责人").unwrap();
        if i % 2 == 0 {
            sheet.write_string(r, 5, format!("分管领导{}", i % 7)).unwrap();
            sheet.write_string(r, 6, "党委委员、副局长").unwrap();
        }
        sheet.write_number(r, 7, 13_800_000_000.0 + i as f64).unwrap();
        sheet.write_string(r, 8, "严格执行本单位廉政风险防控制度，定期排查重点岗位和关键环节的廉政风险点。").unwrap();
    }
    wb.save(path).unwrap();
}

/// (seconds, peak RSS in MB) of one build.
fn run(ws: &Path, roster: &Path, out: &Path, merge: bool) -> (f64, f64) {
    let _ = std::fs::remove_dir_all(out);
    let times = out.with_extension("time");
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%e %M", "-o"]).arg(&times).arg(env!("CARGO_BIN_EXE_zeren"));
    cmd.arg("build").arg(ws).arg("-o").arg(out).args(["--kind", "责任书", "--roster"]).arg(roster);
    if merge {
        cmd.arg("--merge");
    }
    let status = cmd.stdout(std::process::Stdio::null()).status().expect("GNU time at /usr/bin/time");
    assert!(status.success());
    let text = std::fs::read_to_string(&times).unwrap();
    let mut it = text.split_whitespace();
    let secs: f64 = it.next().unwrap().parse().unwrap();
    let kb: f64 = it.next().unwrap().parse().unwrap();
    let _ = std::fs::remove_dir_all(out);
    (secs, kb / 1024.0)
}

fn main() {
    let arg: Option<usize> = std::env::args().skip(1).find_map(|a| a.parse().ok());
    let sizes = match arg {
        Some(n) => vec![n],
        None => vec![10_000, 1_000, 100],
    };
    let tmp = std::env::temp_dir().join(format!("zeren-bulk-{}", std::process::id()));
    let ws = tmp.join("ws");
    std::fs::create_dir_all(ws.join("data")).unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    // The sample settings with only the duty catalogue: the units come from the roster.
    let settings = std::fs::read_to_string(samples.join("zeren.yaml")).unwrap();
    let settings: String = settings
        .lines()
        .filter(|l| !["units:", "tasks:", "cases:", "reports:", "scheme:", "results:"].iter().any(|k| l.trim_start().starts_with(k)))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(ws.join("zeren.yaml"), settings).unwrap();
    std::fs::copy(samples.join("data/duties.yaml"), ws.join("data/duties.yaml")).unwrap();
    // Output to the disk, and to memory (/dev/shm) where there is one: this machine's disk
    // takes 0.4–0.7 ms to create a file, and varies, so the tmpfs figure is the program's own.
    let mut outs = vec![("磁盘", tmp.join("out"))];
    if Path::new("/dev/shm").is_dir() {
        outs.push(("内存盘", Path::new("/dev/shm").join(format!("zeren-bulk-{}", std::process::id()))));
    }
    println!("{:>7}  {:<10} {:<6} {:>8} {:>10} {:>12}", "文书", "方式", "输出", "秒", "份/秒", "峰值内存 MB");
    for n in sizes {
        let xlsx = tmp.join(format!("名单-{n}.xlsx"));
        roster(&xlsx, n);
        for merge in [false, true] {
            for (place, out) in &outs {
                let (secs, mb) = run(&ws, &xlsx, out, merge);
                let mode = if merge { "合订本" } else { "每单位一份" };
                println!("{n:>7}  {mode:<10} {place:<6} {secs:>8.2} {:>10.0} {mb:>12.1}", n as f64 / secs.max(1e-3));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
