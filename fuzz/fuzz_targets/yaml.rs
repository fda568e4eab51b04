//! The YAML loader: arbitrary text as the unit list (and as settings) gives located problems,
//! never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

const SETTINGS: &str = "organ: 某局党委\ncode: 某党\nyear: 2026\ndate: 2026-01-05\nsignatory: { name: 甲, title: 书记 }\n";
const DUTIES: &str = "groups:\n  - subject: 主体责任\n    duties: [一条。]\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let root = std::path::Path::new("ws");
    let _ = zeren::load::load_files(root, &[("zeren.yaml", SETTINGS), ("data/units.yaml", text), ("data/duties.yaml", DUTIES)]);
    let _ = zeren::load::load_files(root, &[("zeren.yaml", text), ("data/duties.yaml", DUTIES)]);
});
