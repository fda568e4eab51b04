//! The roster reader on arbitrary bytes (spreadsheets, damaged ones, anything else): problems,
//! never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let Ok(mut file) = tempfile::Builder::new().suffix(".xlsx").tempfile() else { return };
    if file.write_all(data).is_err() {
        return;
    }
    let shown = std::path::Path::new("名单.xlsx");
    if zeren::load::roster::read(file.path(), shown, &Default::default()).is_ok() {
        // The 问责案件 sheet is read from a workbook the roster reader accepted.
        let _ = zeren::load::cases_sheet::read(file.path(), shown);
    }
});
