//! `cargo bench --bench bulk`: the bulk figures of the README on this machine. A 10,000-row xlsx
//! roster with the sample workspace (its non-letter data stripped) → 10,000 责任书 as separate
//! files and as one print file; then N = 1,000 and 100 to show the cost is linear and the memory
//! flat. Wall time and peak RSS of the real binary (GNU time). `cargo bench --bench bulk -- 2000`
//! runs one N.
//!
//! `cargo bench --bench bulk -- --compare [N] [--rounds R]` measures, interleaved in one run so a
//! noisy machine treats them alike, R rounds of: zeren (separate files), zeren `--merge`, the
//! floor (`benches/floor.rs`: string-built document.xml, no templating) and — when
//! `ZEREN_DOCXTEMPLATER` names a node_modules folder holding docxtemplater and pizzip —
//! docxtemplater rendering the same letter (`benches/docxtemplater/render.js`). All to tmpfs.
//! With `ZEREN_BASELINE` naming another zeren binary (say, the previous version), it runs in the
//! same rounds too, separate and `--merge`.
//! `bash benches/docxtemplater.sh` installs docxtemplater into a scratch folder and runs this.
//! `cargo bench --bench bulk -- --prepare DIR N` only writes the workspace and roster (to profile).

#[path = "floor.rs"]
mod floor;

use rust_xlsxwriter::Workbook;
use std::io::Read;
use std::path::{Path, PathBuf};
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

/// The sample settings with only the duty catalogue: the units come from the roster.
fn workspace(ws: &Path) {
    std::fs::create_dir_all(ws.join("data")).unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let settings = std::fs::read_to_string(samples.join("zeren.yaml")).unwrap();
    let settings: String = settings
        .lines()
        .filter(|l| !["units:", "tasks:", "cases:", "reports:", "scheme:", "results:"].iter().any(|k| l.trim_start().starts_with(k)))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(ws.join("zeren.yaml"), settings).unwrap();
    std::fs::copy(samples.join("data/duties.yaml"), ws.join("data/duties.yaml")).unwrap();
}

/// One timed run: wall seconds, CPU seconds (user + system), peak RSS in MB.
#[derive(Debug, Clone, Copy)]
struct Timing {
    wall: f64,
    cpu: f64,
    mb: f64,
}

/// A command timed by GNU time; `out` is emptied before and after.
/// One run of `cmd` into `out`, which it removes before and after, unless `again`: then the run
/// goes into the OUT a first run of the same command left (a rebuild, checked against the record
/// of the first and switched in over it).
fn timed(cmd: Command, out: &Path) -> Timing {
    timed_into(cmd, out, false)
}

fn timed_into(cmd: Command, out: &Path, again: bool) -> Timing {
    let _ = std::fs::remove_dir_all(out);
    if again {
        let mut first = Command::new(cmd.get_program());
        first.args(cmd.get_args()).stdout(std::process::Stdio::null());
        assert!(first.status().expect("the first run").success(), "the first run failed");
    }
    let times = out.with_extension("time");
    let mut timer = Command::new("/usr/bin/time");
    timer.args(["-f", "%e %M %U %S", "-o"]).arg(&times).arg(cmd.get_program()).args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            timer.env(k, v);
        }
    }
    let status = timer.stdout(std::process::Stdio::null()).status().expect("GNU time at /usr/bin/time");
    assert!(status.success(), "{:?} failed", cmd.get_program());
    let text = std::fs::read_to_string(&times).unwrap();
    let mut it = text.split_whitespace();
    let mut next = || -> f64 { it.next().unwrap().parse().unwrap() };
    let (wall, kb, user, system) = (next(), next(), next(), next());
    let _ = std::fs::remove_dir_all(out);
    Timing { wall, cpu: user + system, mb: kb / 1024.0 }
}

fn zeren(ws: &Path, roster: &Path, out: &Path, merge: bool) -> Command {
    zeren_at(Path::new(env!("CARGO_BIN_EXE_zeren")), ws, roster, out, merge)
}

fn zeren_at(binary: &Path, ws: &Path, roster: &Path, out: &Path, merge: bool) -> Command {
    let mut cmd = Command::new(binary);
    cmd.arg("build").arg(ws).arg("-o").arg(out).args(["--kind", "责任书", "--roster"]).arg(roster);
    if merge {
        cmd.arg("--merge");
    }
    cmd
}

fn tmpfs() -> PathBuf {
    if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The floor, run as a child of the comparison: `--floor N OUT BYTES`.
    if let Some(i) = args.iter().position(|a| a == "--floor") {
        let out = PathBuf::from(&args[i + 2]);
        std::fs::create_dir_all(&out).unwrap();
        floor::run(&out, args[i + 1].parse().unwrap(), args[i + 3].parse().unwrap());
        return;
    }
    // `--prepare DIR N`: only write the workspace and an N-row roster into DIR (to profile).
    if let Some(i) = args.iter().position(|a| a == "--prepare") {
        let dir = PathBuf::from(&args[i + 1]);
        workspace(&dir.join("ws"));
        roster(&dir.join("名单.xlsx"), args[i + 2].parse().unwrap());
        return;
    }
    let numbers: Vec<usize> = args.iter().filter_map(|a| a.parse().ok()).collect();
    let tmp = std::env::temp_dir().join(format!("zeren-bulk-{}", std::process::id()));
    let ws = tmp.join("ws");
    workspace(&ws);
    if args.iter().any(|a| a == "--compare") {
        let rounds = args.iter().position(|a| a == "--rounds").and_then(|i| args.get(i + 1)?.parse().ok()).unwrap_or(3);
        let n = numbers.iter().copied().find(|&n| n != rounds).unwrap_or(10_000);
        compare(&tmp, &ws, n, rounds);
    } else {
        table(&tmp, &ws, if numbers.is_empty() { vec![10_000, 1_000, 100] } else { numbers });
    }
    let _ = std::fs::remove_dir_all(&tmp);
}

/// The README's table: each N, separate files and print file, to disk and to tmpfs.
fn table(tmp: &Path, ws: &Path, sizes: Vec<usize>) {
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
        for (merge, again) in [(false, false), (false, true), (true, false)] {
            for (place, out) in &outs {
                let t = timed_into(zeren(ws, &xlsx, out, merge), out, again);
                let mode = match (merge, again) {
                    (true, _) => "合订本",
                    (false, true) => "再次生成",
                    (false, false) => "每单位一份",
                };
                println!("{n:>7}  {mode:<10} {place:<6} {:>8.2} {:>10.0} {:>12.1}", t.wall, n as f64 / t.wall.max(1e-3), t.mb);
            }
        }
        for (_, out) in &outs {
            let _ = std::fs::remove_dir_all(out);
        }
    }
}

/// Average size of the letters' word/document.xml, from a small zeren run.
fn letter_xml_bytes(tmp: &Path, ws: &Path) -> usize {
    let xlsx = tmp.join("名单-30.xlsx");
    roster(&xlsx, 30);
    let out = tmp.join("sizes");
    let o = zeren(ws, &xlsx, &out, false).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut sizes = Vec::new();
    for entry in std::fs::read_dir(out.join("责任书")).unwrap() {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(entry.unwrap().path()).unwrap()).unwrap();
        let mut xml = Vec::new();
        zip.by_name("word/document.xml").unwrap().read_to_end(&mut xml).unwrap();
        sizes.push(xml.len());
    }
    let _ = std::fs::remove_dir_all(&out);
    sizes.iter().sum::<usize>() / sizes.len()
}

#[path = "docxtemplater/setup.rs"]
mod docxtemplater;

/// zeren, zeren --merge, the floor and docxtemplater, interleaved round by round.
fn compare(tmp: &Path, ws: &Path, n: usize, rounds: usize) {
    let xlsx = tmp.join(format!("名单-{n}.xlsx"));
    roster(&xlsx, n);
    let bytes = letter_xml_bytes(tmp, ws);
    let node_modules = std::env::var_os("ZEREN_DOCXTEMPLATER").map(PathBuf::from);
    let dt = node_modules.as_ref().map(|m| docxtemplater::prepare(tmp, ws, &xlsx, m));
    let out = tmpfs().join(format!("zeren-compare-{}", std::process::id()));
    let me = std::env::current_exe().unwrap();
    // Another build of zeren to compare with (say, the previous release), in the same rounds.
    let baseline = std::env::var_os("ZEREN_BASELINE").map(PathBuf::from);
    let mut names = vec!["zeren", "zeren --merge", "floor"];
    if dt.is_some() {
        names.push("docxtemplater");
    }
    if baseline.is_some() {
        names.extend(["baseline", "baseline --merge"]);
    }
    let mut results: Vec<Vec<Timing>> = vec![Vec::new(); names.len()];
    for round in 0..rounds {
        for (i, name) in names.iter().enumerate() {
            let cmd = match *name {
                "zeren" => zeren(ws, &xlsx, &out, false),
                "zeren --merge" => zeren(ws, &xlsx, &out, true),
                "floor" => {
                    let mut c = Command::new(&me);
                    c.arg("--floor").arg(n.to_string()).arg(&out).arg(bytes.to_string());
                    c
                }
                "baseline" => zeren_at(baseline.as_deref().expect("ZEREN_BASELINE"), ws, &xlsx, &out, false),
                "baseline --merge" => zeren_at(baseline.as_deref().expect("ZEREN_BASELINE"), ws, &xlsx, &out, true),
                _ => dt.as_ref().expect("docxtemplater prepared").command(&out),
            };
            let t = timed(cmd, &out);
            eprintln!(
                "round {}: {name:<14} {:>6.2} s {:>8.0} docs/s {:>6.0} µs CPU/doc {:>7.1} MB",
                round + 1,
                t.wall,
                n as f64 / t.wall.max(1e-3),
                t.cpu * 1e6 / n as f64,
                t.mb
            );
            results[i].push(t);
        }
    }
    let median = |v: &[Timing], f: fn(&Timing) -> f64| {
        let mut s: Vec<f64> = v.iter().map(f).collect();
        s.sort_by(f64::total_cmp);
        s[s.len() / 2]
    };
    let summary: Vec<Timing> = results
        .iter()
        .map(|r| Timing { wall: median(r, |t| t.wall), cpu: median(r, |t| t.cpu), mb: r.iter().map(|t| t.mb).fold(0.0, f64::max) })
        .collect();
    println!("{n} 责任书 to {}, medians of {rounds} interleaved rounds (the floor's document.xml: {bytes} bytes)", tmpfs().display());
    println!("{:<14} {:>8} {:>10} {:>14} {:>12}", "", "秒", "份/秒", "CPU µs/份", "峰值内存 MB");
    for (name, t) in names.iter().zip(&summary) {
        println!("{name:<14} {:>8.2} {:>10.0} {:>14.0} {:>12.1}", t.wall, n as f64 / t.wall.max(1e-3), t.cpu * 1e6 / n as f64, t.mb);
    }
    let (zeren, merge, floor) = (summary[0], summary[1], summary[2]);
    println!("zeren / floor, docs/s: {:.0}% (by CPU time: {:.0}%)", 100.0 * floor.wall / zeren.wall, 100.0 * floor.cpu / zeren.cpu);
    println!("--merge / separate files, time: {:.2}×", merge.wall / zeren.wall);
    let of = |name: &str| names.iter().position(|n| *n == name).map(|i| summary[i]);
    if let Some(dt) = of("docxtemplater") {
        println!("zeren / docxtemplater, docs/s: {:.1}× (by CPU time: {:.1}×)", dt.wall / zeren.wall, dt.cpu / zeren.cpu);
    }
    if let (Some(before), Some(before_merge)) = (of("baseline"), of("baseline --merge")) {
        println!(
            "zeren / baseline, docs/s: {:.2}× separate, {:.2}× --merge; baseline / floor: {:.0}%",
            before.wall / zeren.wall,
            before_merge.wall / merge.wall,
            100.0 * floor.wall / before.wall
        );
        if let Some(dt) = of("docxtemplater") {
            println!("baseline / docxtemplater, docs/s: {:.1}×", dt.wall / before.wall);
        }
    }
}
