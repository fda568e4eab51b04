//! A PDF's pages and lines as `pdftotext -bbox-layout` sees them, and the GB/T 9704 page they
//! are measured against: one reader for the tests that check geometry (pdf, fidelity).

use quick_xml::Reader;
use quick_xml::events::Event;

/// PDF points per millimetre.
pub const MM: f64 = 72.0 / 25.4;
/// The 版心 (type area) in PDF points from the page's top-left corner: 天头 37 mm, 订口 28 mm,
/// 156 × 225 mm.
pub const TOP: f64 = 37.0 * MM;
pub const LEFT: f64 = 28.0 * MM;
pub const RIGHT: f64 = (28.0 + 156.0) * MM;
pub const BOTTOM: f64 = (37.0 + 225.0) * MM;
/// 22 lines in 225 mm: 579 twips.
pub const PITCH: f64 = 579.0 / 20.0;
/// The 页码 is one 四号 character in from the 版心's edge.
pub const FOOTER_CHAR: f64 = 14.0;
/// How far a measured position may stray.
pub const TOL: f64 = 1.0 * MM;

/// One line: its box in points from the page's top-left corner, its words joined without spaces.
#[derive(Debug, Clone)]
pub struct BoxLine {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub text: String,
}

#[derive(Debug)]
pub struct BoxPage {
    pub width: f64,
    pub height: f64,
    pub lines: Vec<BoxLine>,
}

/// `pdftotext -bbox-layout` XHTML → pages of lines.
pub fn parse(xml: &str) -> Vec<BoxPage> {
    let mut reader = Reader::from_str(xml);
    let mut pages: Vec<BoxPage> = Vec::new();
    let mut in_word = false;
    loop {
        match reader.read_event().expect("pdftotext XHTML") {
            Event::Start(e) => {
                let num = |k: &str| -> f64 {
                    e.attributes()
                        .filter_map(Result::ok)
                        .find(|a| a.key.as_ref() == k)
                        .and_then(|a| a.value.parse().ok())
                        .unwrap_or_else(|| panic!("<{}> without {k}", e.name().as_ref()))
                };
                match e.name().as_ref() {
                    "page" => pages.push(BoxPage { width: num("width"), height: num("height"), lines: Vec::new() }),
                    "line" => {
                        let line = BoxLine { x0: num("xMin"), y0: num("yMin"), x1: num("xMax"), y1: num("yMax"), text: String::new() };
                        pages.last_mut().expect("a page").lines.push(line);
                    }
                    "word" => in_word = true,
                    _ => {}
                }
            }
            Event::End(e) if e.name().as_ref() == "word" => in_word = false,
            Event::Text(t) if in_word => last(&mut pages).text.push_str(t.xml10_content().trim()),
            Event::GeneralRef(r) if in_word => last(&mut pages).text.push_str(&super::entity(&r)),
            Event::Eof => break,
            _ => {}
        }
    }
    pages
}

fn last(pages: &mut [BoxPage]) -> &mut BoxLine {
    pages.last_mut().and_then(|p| p.lines.last_mut()).expect("a word inside a line")
}

/// The pages of `pdf` (pdftotext, poppler-utils).
pub fn pages(pdf: &std::path::Path) -> Vec<BoxPage> {
    let o = std::process::Command::new("pdftotext").arg("-bbox-layout").arg(pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(o.status.success(), "pdftotext {}", pdf.display());
    parse(&String::from_utf8(o.stdout).expect("UTF-8"))
}
