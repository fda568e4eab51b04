//! Data stays data: random unit names and duty texts — markup-looking text, template
//! syntax, quotes, control characters, emoji, very long words — give packages whose every part
//! is well-formed XML and whose text reads back verbatim, minus the control characters XML
//! cannot hold; a name with control characters, or too long, is refused at its place.

mod common;

use common::*;
use proptest::prelude::*;
use std::io::Read;

const DUTIES: &str = "groups:\n  - subject: 主体责任\n    duties: [目录里的一条责任。]\n";

/// Strings built from the pieces hostile data is made of.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<".to_string()),
        Just("&".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("{{".to_string()),
        Just("{%".to_string()),
        Just("}}".to_string()),
        Just("<p>".to_string()),
        Just("</document>".to_string()),
        Just("<w:t>".to_string()),
        Just("&amp;".to_string()),
        Just("&#32;".to_string()),
        Just("\n".to_string()),
        Just("\t".to_string()),
        Just("  ".to_string()),
        Just("\u{0B}".to_string()),
        Just("\u{1F}".to_string()),
        Just("😀".to_string()),
        Just("预算处".to_string()),
        "[a-z]{40,120}".prop_map(|s| s),
        "\\PC{1,8}",
    ];
    proptest::collection::vec(piece, 1..12).prop_map(|v| v.concat())
}

/// What a reader should see: the loader trims the ends, then the layout drops the control
/// characters XML cannot hold.
fn expected(s: &str) -> String {
    let trimmed = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    trimmed
        .chars()
        .filter(|c| !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' | '\u{FDD0}'))
        .collect()
}

fn quoted(s: &str) -> String {
    // A JSON string is a YAML double-quoted scalar: every character escaped safely.
    serde_json::to_string(s).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_names_and_duties_read_back_verbatim(name in hostile(), duty in hostile()) {
        let want_name = expected(&name);
        let want_duty = expected(&duty);
        prop_assume!(!want_name.is_empty() && !want_duty.is_empty());
        let units = format!(
            "units:\n  - name: {}\n    type: 处室\n    leader: {{ name: 甲, title: 处长 }}\n    duties: [{}]\n",
            quoted(&name),
            quoted(&duty)
        );
        let root = std::path::Path::new("ws");
        let loaded = zeren::load::load_files(root, &[("zeren.yaml", SETTINGS), ("data/units.yaml", &units), ("data/duties.yaml", DUTIES)]);
        // A name must be visible text of a sane length: control characters (other than a line
        // break) or more than 100 characters are refused at the name, never passed on.
        let trimmed = name.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
        if trimmed.chars().any(|c| c.is_control() && c != '\n') || trimmed.chars().count() > 100 {
            let problems = loaded.err().ok_or_else(|| TestCaseError::fail(format!("name {name:?} should be refused")))?;
            prop_assert!(problems.iter().any(|p| p.code == "name.invalid" && p.place.to_string() == "ws/data/units.yaml:2:11"), "{:?}", problems.0);
            return Ok(());
        }
        let (ws, _) = loaded.map_err(|p| TestCaseError::fail(format!("{:?}", p.0)))?;
        let (templates, problems) = zeren::render::Templates::load(None);
        prop_assert!(problems.is_empty());
        let prepared = zeren::site::Site::new(ws, templates, zeren::layout::Layout::new(zeren::layout::Style::gbt9704()));
        let jobs = prepared.plan(&Default::default()).map_err(|p| TestCaseError::fail(format!("{:?}", p.0)))?;
        let doc = prepared.document(&jobs[0]).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        let bytes = prepared.docx(std::slice::from_ref(&doc)).map_err(|p| TestCaseError::fail(format!("{p:?}")))?;
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut document = String::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            assert_well_formed(f.name(), &s);
            if f.name() == "word/document.xml" {
                document = s;
            }
        }
        let text = paragraphs(&document).iter().map(|p| p.text.clone()).collect::<Vec<_>>().join("\n");
        prop_assert!(text.contains(&format!("乙方：{want_name}")), "name {:?} → {:?}\n{}", name, want_name, text);
        prop_assert!(text.contains(&format!("1.{want_duty}")), "duty {:?} → {:?}\n{}", duty, want_duty, text);
    }
}
