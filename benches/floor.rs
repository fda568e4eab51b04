//! `cargo bench --bench floor [-- N [BYTES]]`: the floor of the bulk benchmark, the least work
//! that writes the same files — a document.xml of the same size built with string formatting
//! (no templating, no markup, no layout), the fixed parts deflated once and copied, one .docx per
//! unit, on every core. zeren can only be slower than this; the bulk benchmark says by how much.
//!
//! `benches/bulk.rs` compiles this file in as well and runs it in a child process, interleaved
//! with zeren and docxtemplater, so all three are measured in the same run.

use rayon::prelude::*;
use std::io::Write;
use std::path::Path;
use zeren::layout::{FixedParts, Meta, Style, package};

/// A body paragraph of the letter's kind: about 300 bytes of XML, 60 characters of text.
const DUTY: &str = "严格执行本单位廉政风险防控制度，定期排查重点岗位和关键环节的廉政风险点，建立台账、逐项整改、按时销号。";

/// A document.xml of about `bytes` bytes for `unit`, built with `format!` and nothing else.
pub fn document_xml(unit: &str, bytes: usize) -> String {
    let mut x = String::with_capacity(bytes + 1024);
    x.push_str(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>"#);
    x.push_str(r#"<w:p><w:pPr><w:pStyle w:val="GwTitle"/></w:pPr><w:r><w:t>2026年度党风廉政建设责任书</w:t></w:r></w:p>"#);
    x.push_str(&format!(r#"<w:p><w:pPr><w:pStyle w:val="GwBodyFlush"/></w:pPr><w:r><w:t>乙方：{unit}</w:t></w:r></w:p>"#));
    let mut n = 0;
    while x.len() < bytes {
        n += 1;
        x.push_str(&format!(
            r#"<w:p><w:pPr><w:pStyle w:val="GwBody"/></w:pPr><w:r><w:t xml:space="preserve">{n}.{unit}{DUTY}</w:t></w:r></w:p>"#
        ));
    }
    x.push_str(r#"<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="1414" w:gutter="0"/><w:pgNumType w:start="1"/><w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr></w:body></w:document>"#);
    x
}

/// Writes `n` packages into `out` (which must exist), in parallel.
pub fn run(out: &Path, n: usize, bytes: usize) {
    let fixed = FixedParts::new(&Style::gbt9704());
    (1..=n).into_par_iter().for_each(|i| {
        let unit = format!("第{i}号处室");
        let meta = Meta {
            title: "2026年度党风廉政建设责任书".into(), creator: "中共江州市财政局委员会".into(), date: "2026-01-05".into()
        };
        let docx = package::zip(&fixed, document_xml(&unit, bytes).as_bytes(), &meta).expect("zip in memory");
        let mut f = std::fs::File::create(out.join(format!("{i:05}-{unit}.docx"))).expect("create");
        f.write_all(&docx).expect("write");
    });
}

/// Size of the bulk benchmark's letters' document.xml (measured on zeren's output).
pub const LETTER_XML_BYTES: usize = 26_000;

#[allow(dead_code)]
fn main() {
    let mut args = std::env::args().skip(1).filter_map(|a| a.parse::<usize>().ok());
    let n = args.next().unwrap_or(10_000);
    let bytes = args.next().unwrap_or(LETTER_XML_BYTES);
    let tmp = if Path::new("/dev/shm").is_dir() { std::path::PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    let out = tmp.join(format!("zeren-floor-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let t = std::time::Instant::now();
    run(&out, n, bytes);
    let secs = t.elapsed().as_secs_f64();
    println!("floor: {n} packages of a {bytes}-byte document.xml into {} in {secs:.2} s: {:.0} docs/s", out.display(), n as f64 / secs);
    let _ = std::fs::remove_dir_all(&out);
}
