//! The signing block (签署栏): the parties side by side, each a column of lines — the party's line
//! (甲方（盖章）：, or 乙方： for a party without a seal), its organ, a signing line for each hand
//! (the label and a blank drawn as a rule), the printed name below or beside the blank (never on
//! it), the date. Lines of the same kind stand level across the parties.
//!
//! The block is paragraphs on the line grid, the columns set by tab stops, not a table: it is kept
//! together and with the body before it by keep-with-next, it ends in a paragraph (a document
//! that ends with it needs no empty paragraph after a table, which could fall onto a page of its
//! own), and every line is measured here, so a long name is wrapped within its column.

use super::style::{NamePlace, Style, ids};
use super::writer::{Body, PPr, SectionEnd, Tab, TabKind};
use super::xml::RunLook;
use crate::markup::{Inline, Party, Sign, plain_text};

/// One party's line in one row of the block.
#[derive(Debug, Clone, PartialEq, Default)]
enum Line {
    #[default]
    Empty,
    Text(String),
    /// Text, then a blank for the hand from `from` to `to` (relative to the column), then what
    /// follows it on the line (the printed name, beside).
    Blank {
        text: String,
        from: u32,
        to: u32,
        after: String,
    },
    /// Centred on `centre`: the printed name under its blank.
    Centred {
        text: String,
        centre: u32,
    },
}

/// Writes the block. `keep_last`: its last line is kept with what follows; `sect`: the section
/// properties its last line closes the section with.
pub fn parties(w: &mut Body, parties: &[Party], keep_last: bool, sect: Option<SectionEnd>) {
    let style = w.style;
    let total = w.width;
    let n = parties.len().max(1) as u32;
    let column = total / n;
    let signs = parties.iter().map(|p| p.signs.len()).max().unwrap_or(0);
    let columns: Vec<Vec<Vec<Line>>> = parties.iter().map(|p| party_slots(style, p, signs, column)).collect();
    let slots = columns.iter().map(Vec::len).max().unwrap_or(0);
    let mut rows: Vec<Vec<Line>> = Vec::new();
    for slot in 0..slots {
        let height = columns.iter().map(|c| c.get(slot).map_or(0, Vec::len)).max().unwrap_or(0);
        for i in 0..height {
            rows.push(columns.iter().map(|c| c.get(slot).and_then(|s| s.get(i)).cloned().unwrap_or_default()).collect());
        }
    }
    let last = rows.len();
    for (r, row) in rows.iter().enumerate() {
        let is_last = r + 1 == last;
        let (tabs, inlines) = row_paragraph(row, column);
        let ppr = PPr {
            style: ids::PARTY,
            keep_next: !is_last || keep_last,
            tabs: &tabs,
            sect: if is_last { sect } else { None },
            ..PPr::default()
        };
        w.paragraph(ppr, "", &inlines, RunLook::default());
    }
}

/// The tab stops and the text of one row: each column starts at its own left stop.
fn row_paragraph(row: &[Line], column: u32) -> (Vec<Tab>, Vec<Inline>) {
    let mut tabs = Vec::new();
    let mut inlines = Vec::new();
    for (i, line) in row.iter().enumerate() {
        let x0 = column * i as u32;
        if i > 0 && !matches!(line, Line::Empty) {
            tabs.push(Tab { kind: TabKind::Left, leader: false, pos: x0 });
            inlines.push(Inline::Tab);
        }
        match line {
            Line::Empty => {}
            Line::Text(t) => inlines.push(Inline::Text(t.clone())),
            Line::Blank { text, from, to, after } => {
                if !text.is_empty() {
                    inlines.push(Inline::Text(text.clone()));
                }
                if *from > 0 && text.is_empty() {
                    tabs.push(Tab { kind: TabKind::Left, leader: false, pos: x0 + from });
                    inlines.push(Inline::Tab);
                }
                tabs.push(Tab { kind: TabKind::Left, leader: true, pos: x0 + to });
                inlines.push(Inline::Tab);
                if !after.is_empty() {
                    inlines.push(Inline::Text(after.clone()));
                }
            }
            Line::Centred { text, centre } => {
                tabs.push(Tab { kind: TabKind::Center, leader: false, pos: x0 + centre });
                inlines.push(Inline::Tab);
                inlines.push(Inline::Text(text.clone()));
            }
        }
    }
    // A row whose columns all start at their stops in order; stops sorted, the first column's
    // left edge needs none.
    tabs.sort_by_key(|t| t.pos);
    tabs.dedup_by_key(|t| t.pos);
    tabs.retain(|t| t.pos > 0);
    (tabs, inlines)
}

/// A party's lines, slot by slot: its line, organ, each of `signs` signing lines and the name
/// under it, the date. Every party has the same slots, so rows of one kind stand level.
fn party_slots(style: &Style, party: &Party, signs: usize, column: u32) -> Vec<Vec<Line>> {
    let text = |s: &str| wrap(style, s, column).into_iter().map(Line::Text).collect::<Vec<_>>();
    let mut slots = vec![text(&party.seal), text(&plain_text(&party.organ))];
    for k in 0..signs {
        let (line, name) = party.signs.get(k).map(|sign| signing(style, sign, column)).unwrap_or_default();
        slots.push(line);
        slots.push(name);
    }
    slots.push(text(&plain_text(&party.date)));
    slots
}

/// A signing line: its label (wrapped where longer than the column), a blank of the set width
/// after it, or on a line of its own where the label leaves too little room; the printed name
/// beside the blank or centred under it.
fn signing(style: &Style, sign: &Sign, column: u32) -> (Vec<Line>, Vec<Line>) {
    let mut label = wrap(style, &sign.label, column);
    let last = label.pop().unwrap_or_default();
    let mut lines: Vec<Line> = label.into_iter().map(Line::Text).collect();
    let used = style.set_width(&last, style.body_size);
    let room = column.saturating_sub(used);
    let (from, to) = if room >= style.sign_blank_min {
        lines.push(Line::Blank { text: last, from: used, to: used + style.sign_blank.min(room), after: String::new() });
        (used, used + style.sign_blank.min(room))
    } else {
        if !last.is_empty() {
            lines.push(Line::Text(last));
        }
        let to = style.sign_blank.min(column);
        lines.push(Line::Blank { text: String::new(), from: 0, to, after: String::new() });
        (0, to)
    };
    let name = plain_text(&sign.name);
    let name = name.trim();
    if name.is_empty() || style.signer_name == NamePlace::Hidden {
        return (lines, Vec::new());
    }
    let printed = format!("{}{name}{}", style.name_marks.0, style.name_marks.1);
    let width = style.set_width(&printed, style.body_size);
    if style.signer_name == NamePlace::Beside && to + width <= column {
        if let Some(Line::Blank { after, .. }) = lines.last_mut() {
            *after = printed;
        }
        return (lines, Vec::new());
    }
    // Centred under the blank, but never past the column's edges.
    let centre = ((from + to) / 2).clamp(width / 2, column.saturating_sub(width / 2).max(width / 2));
    (lines, vec![Line::Centred { text: printed, centre }])
}

/// `text` in lines no wider than `width`, filled a character at a time; closing punctuation is
/// never put at the start of a line. An empty text is no line.
fn wrap(style: &Style, text: &str, width: u32) -> Vec<String> {
    // Full-width spaces are the template's: room before 年, 月, 日 to date by hand.
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    if text.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![String::new()];
    let mut used = 0;
    for c in text.chars() {
        if c == '\n' {
            lines.push(String::new());
            used = 0;
            continue;
        }
        let a = style.set_width(c.encode_utf8(&mut [0; 4]), style.body_size);
        if used > 0 && used + a > width && !"，。、；：！？）》”’".contains(c) {
            lines.push(String::new());
            used = 0;
        }
        lines.last_mut().expect("a line").push(c);
        used += a;
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(label: &str, name: &str) -> Sign {
        Sign { label: label.into(), name: vec![Inline::Text(name.into())] }
    }

    #[test]
    fn the_blank_follows_the_label_and_the_name_goes_under_it() {
        let style = Style::gbt9704();
        let column = style.page.text_width() / 2;
        let (line, name) = signing(&style, &sign("书记（签字）：", "沈嘉木"), column);
        let label = style.set_width("书记（签字）：", style.body_size);
        assert_eq!(line, [Line::Blank { text: "书记（签字）：".into(), from: label, to: label + style.sign_blank, after: String::new() }]);
        assert_eq!(name, [Line::Centred { text: "（沈嘉木）".into(), centre: label + style.sign_blank / 2 }]);
    }

    #[test]
    fn a_long_label_puts_the_blank_on_its_own_line_and_beside_falls_back_to_below() {
        let mut style = Style::gbt9704();
        style.signer_name = NamePlace::Beside;
        let column = style.page.text_width() / 2;
        let (line, name) = signing(&style, &sign("被考核单位主要负责人（签字）：", "苏望舒"), column);
        assert!(
            matches!(&line[..], [Line::Text(_), Line::Blank { text, from: 0, after, .. }] if text.is_empty() && after == "（苏望舒）"),
            "{line:?}"
        );
        assert!(name.is_empty());
        let (_, name) = signing(&style, &sign("被考核单位主要负责人（签字）：", "苏望舒"), 2500);
        assert!(matches!(&name[..], [Line::Centred { .. }]), "no room beside a blank of the set width: {name:?}");
        let wide = style.page.text_width();
        let (line, name) = signing(&style, &sign("书记（签字）：", "沈嘉木"), wide);
        assert!(matches!(&line[..], [Line::Blank { after, .. }] if after == "（沈嘉木）") && name.is_empty(), "{line:?}");
        style.signer_name = NamePlace::Hidden;
        assert!(signing(&style, &sign("书记（签字）：", "沈嘉木"), column).1.is_empty());
    }
}
