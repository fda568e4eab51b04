//! The markup parser and the layout after it: any text a template could render must give a
//! located error or a document that lays out, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(doc) = zeren::markup::parse(text) {
        let layout = zeren::layout::Layout::new(zeren::layout::Style::gbt9704());
        let _ = layout.docx(&[doc], &zeren::layout::Meta::default());
    }
});
