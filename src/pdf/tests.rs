//! The painter's geometry, without fonts: what it puts where on the sheets.

use super::paint;
use super::sheet::{Mark, Sheet};
use crate::layout::Style;
use crate::markup::parse;

fn sheets(markup: &str) -> Vec<Sheet> {
    paint::sheets(&parse(markup).expect("markup"), &Style::gbt9704())
}

fn texts(sheet: &Sheet) -> Vec<(f32, f32, String)> {
    sheet
        .marks
        .iter()
        .filter_map(|m| match m {
            Mark::Text { x, y, text, .. } => Some((*x, *y, text.clone())),
            Mark::Rule { .. } => None,
        })
        .collect()
}

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;

#[test]
fn a_long_body_runs_onto_a_second_page_numbered_odd_right_even_left() {
    let body = "党风廉政建设责任制".repeat(120);
    let pages = sheets(&format!("<document><title>标题</title><p>{body}</p></document>"));
    assert!(pages.len() >= 2, "{} pages", pages.len());
    for (i, page) in pages.iter().enumerate() {
        assert!((page.width - 595.3).abs() < 0.1 && (page.height - 841.9).abs() < 0.1, "A4");
        let folio = texts(page).into_iter().find(|(_, _, t)| t.starts_with('—')).expect("a 页码");
        assert_eq!(folio.2, format!("— {} —", i + 1));
        let (left, right) = (28.0 * MM, 184.0 * MM);
        if i % 2 == 0 {
            assert!(folio.0 > (left + right) / 2.0, "odd pages right: {}", folio.0);
        } else {
            assert!((folio.0 - (left + 14.0)).abs() < 0.5, "even pages one character in from the left: {}", folio.0);
        }
        // Below the 版心 (262 mm from the top), inside the paper.
        assert!(folio.1 > 262.0 * MM && folio.1 < page.height, "{}", folio.1);
        // Body lines stand on the 28.95 pt grid from the 版心's top.
        for (_, y, t) in texts(page).iter().filter(|(_, y, _)| *y < 262.0 * MM) {
            let from_top = y - 37.0 * MM;
            let row = (from_top / 28.95).floor();
            assert!(row < 22.0, "{t}: row {row}");
        }
    }
}

#[test]
fn a_letterhead_is_red_with_a_red_rule_under_the_doc_number() {
    let pages = sheets(
        "<document><letterhead><organ>中共江州市财政局委员会</organ><docno>江财党〔2026〕1号</docno></letterhead><title>标题</title><p>正文。</p></document>",
    );
    let red = |m: &Mark| match m {
        Mark::Text { color, .. } | Mark::Rule { color, .. } => color.0 == 255 && color.1 == 0,
    };
    let marks: Vec<&Mark> = pages[0].marks.iter().filter(|m| red(m)).collect();
    assert!(marks.iter().any(|m| matches!(m, Mark::Text { text, .. } if text == "中共江州市财政局委员会")), "{marks:?}");
    let rule = marks.iter().find_map(|m| match m {
        Mark::Rule { x1, x2, y1, .. } => Some((*x1, *x2, *y1)),
        _ => None,
    });
    let (x1, x2, y) = rule.expect("the red rule");
    assert!((x2 - x1 - 156.0 * MM).abs() < 1.0, "as wide as the 版心: {}", (x2 - x1) / MM);
    let doc_no = texts(&pages[0]).into_iter().find(|(_, _, t)| t.contains("〔2026〕")).expect("文号");
    assert!(y > doc_no.1 && y - doc_no.1 < 10.0 * MM, "the rule just under the 文号");
}

#[test]
fn a_print_file_of_two_three_page_documents_gets_a_blank_page_between() {
    let body = "党风廉政建设责任制".repeat(150);
    let doc = parse(&format!("<document><p>{body}</p></document>")).unwrap();
    let one = paint::sheets(&doc, &Style::gbt9704()).len();
    let all = paint::print_sheets([&doc, &doc], &Style::gbt9704());
    let blank = one % 2;
    assert_eq!(all.len(), 2 * one + blank);
    if blank == 1 {
        assert!(all[one].marks.is_empty(), "the blank page carries nothing, not even a number");
    }
}

#[test]
fn hostile_data_cannot_break_the_painter() {
    // As many rows as markup allows (2,000 with the header), a word longer than any line, control characters: drawn on pages, promptly.
    let rows: String = (0..1_999).map(|i| format!("<tr><td>{i}</td><td>任务{i}</td></tr>")).collect();
    let word = "A".repeat(5_000);
    let markup = format!(
        "<document><title>标\u{7}题</title><p>{word}\u{1b}</p><table><tr header=\"true\"><td>序号</td><td>任务</td></tr>{rows}</table></document>"
    );
    let started = std::time::Instant::now();
    let pages = sheets(&markup);
    assert!(pages.len() > 20, "{} pages", pages.len());
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    let last = texts(pages.last().unwrap());
    assert!(last.iter().any(|(_, _, t)| t == "任务1998"), "the last row is drawn");
    // The header row repeats at the top of a later page.
    assert!(texts(&pages[10]).iter().any(|(_, _, t)| t == "序号"));
}
