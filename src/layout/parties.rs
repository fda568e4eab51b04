//! The signing block (签署栏): the parties side by side, each a column of lines — the party's line
//! (甲方（盖章）：, or 乙方： for a party without a seal), its organ, a signing line for each hand
//! (the label and a blank drawn as a rule), the printed name below or beside the blank (never on
//! it), the date. Lines of the same kind stand level across the parties.
//!
//! The block is paragraphs on the line grid, the columns set by tab stops, not a table. Every
//! stop is computed here from the measured labels: the columns split the 版心 where every
//! label and the shortest blank fit (the middle when they can), a blank ends a `sign_gap` short
//! of the next column, and a label too long for any split is wrapped (before its （签字）where
//! it can) with the blanks of that row on the line under the labels. So no row is wider than
//! the 版心 and no stop lies beyond it, whatever the data. `block` gives the rows to the page
//! model too.

use super::style::{NamePlace, Style, ids};
use super::writer::{Body, PPr, SectionEnd, Tab, TabKind};
use super::xml::RunLook;
use crate::markup::{Inline, Party, Sign, plain_text};

/// One party's line in one row of the block.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Line {
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

/// The block as rows of lines, one per party, and where each party's column starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub starts: Vec<u32>,
    pub rows: Vec<Vec<Line>>,
}

/// Writes the block. `keep_last`: its last line is kept with what follows; `sect`: the section
/// properties its last line closes the section with.
pub fn parties(w: &mut Body, parties: &[Party], keep_last: bool, sect: Option<SectionEnd>) {
    let block = block(w.style, parties, w.width);
    let last = block.rows.len();
    for (r, row) in block.rows.iter().enumerate() {
        let is_last = r + 1 == last;
        let (tabs, inlines) = row_paragraph(row, &block.starts, w.width);
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

/// The rows of the block in a 版心 `total` wide.
pub fn block(style: &Style, parties: &[Party], total: u32) -> Block {
    let starts = column_starts(style, parties, total);
    let room: Vec<u32> = (0..starts.len()).map(|i| usable(style, &starts, i, total)).collect();
    let signs = parties.iter().map(|p| p.signs.len()).max().unwrap_or(0);
    let text = |s: &str, width: u32| wrap(style, s, width).into_iter().map(Line::Text).collect::<Vec<_>>();
    // Slot by slot, each party's lines: its line, organ, each signing line and the name under
    // it, the date. Every party has the same slots, so rows of one kind stand level.
    let mut slots: Vec<Vec<Vec<Line>>> = vec![
        parties.iter().zip(&room).map(|(p, &r)| text(&p.seal, r)).collect(),
        parties.iter().zip(&room).map(|(p, &r)| text(&plain_text(&p.organ), r)).collect(),
    ];
    for k in 0..signs {
        let (lines, names) = signing_row(style, parties, k, &room);
        slots.push(lines);
        slots.push(names);
    }
    slots.push(parties.iter().zip(&room).map(|(p, &r)| text(&plain_text(&p.date), r)).collect());
    let mut rows = Vec::new();
    for slot in slots {
        let height = slot.iter().map(Vec::len).max().unwrap_or(0);
        for i in 0..height {
            rows.push(slot.iter().map(|c| c.get(i).cloned().unwrap_or_default()).collect());
        }
    }
    Block { starts, rows }
}

/// The room column `i` has: to the next column less the gap, or to the 版心's edge.
fn usable(style: &Style, starts: &[u32], i: usize, total: u32) -> u32 {
    match starts.get(i + 1) {
        Some(&next) => next.saturating_sub(starts[i] + style.sign_gap),
        None => total.saturating_sub(starts[i]),
    }
}

/// Where each column starts. Equal columns where everything fits them; else, for two
/// parties, the split nearest the middle where every label and the shortest blank fit (and,
/// if it can be had too, every organ and date line unwrapped).
fn column_starts(style: &Style, parties: &[Party], total: u32) -> Vec<u32> {
    let n = parties.len().max(1) as u32;
    let equal: Vec<u32> = (0..n).map(|i| total / n * i).collect();
    if parties.len() != 2 {
        return equal;
    }
    let w = |s: &str| s.split('\n').map(|l| style.set_width(l.trim(), style.body_size)).max().unwrap_or(0);
    let needs = |p: &Party| {
        let labels = p.signs.iter().map(|s| w(&s.label)).max().unwrap_or(0);
        let signing = if p.signs.is_empty() { 0 } else { labels + style.sign_blank_min };
        let lines = [w(&p.seal), w(&plain_text(&p.organ)), w(&plain_text(&p.date))].into_iter().max().unwrap_or(0);
        (labels, signing, signing.max(lines))
    };
    let (labels0, hard0, soft0) = needs(&parties[0]);
    let (labels1, hard1, soft1) = needs(&parties[1]);
    let middle = total / 2;
    let within = |lo: u32, hi: u32| (lo <= hi).then(|| middle.clamp(lo, hi));
    // Labels and blanks on one row, every other line unwrapped too; else labels and blanks;
    // else the labels alone, unwrapped, with the blanks on the row under them.
    let split = within(soft0 + style.sign_gap, total.saturating_sub(soft1))
        .or_else(|| within(hard0 + style.sign_gap, total.saturating_sub(hard1)))
        .or_else(|| within(labels0 + style.sign_gap, total.saturating_sub(labels1)))
        .unwrap_or(middle);
    vec![0, split]
}

/// The signing lines of every party for its `k`th hand, and the printed names under them. A
/// blank follows its label on the label's line where every party's does; else every party's
/// blank goes on the line under its label, so blanks and names stay level.
fn signing_row(style: &Style, parties: &[Party], k: usize, room: &[u32]) -> (Vec<Vec<Line>>, Vec<Vec<Line>>) {
    let labels: Vec<Vec<String>> =
        parties.iter().zip(room).map(|(p, &r)| p.signs.get(k).map(|s| wrap_label(style, &s.label, r)).unwrap_or_default()).collect();
    let beside = labels
        .iter()
        .zip(room)
        .all(|(l, &r)| l.len() <= 1 && l.last().map_or(0, |t| style.set_width(t, style.body_size)) + style.sign_blank_min <= r);
    let height = labels.iter().map(Vec::len).max().unwrap_or(0);
    let mut lines = Vec::new();
    let mut names = Vec::new();
    for ((party, mut label), &r) in parties.iter().zip(labels).zip(room) {
        let Some(sign) = party.signs.get(k) else {
            lines.push(Vec::new());
            names.push(Vec::new());
            continue;
        };
        let mut column: Vec<Line>;
        let (from, to);
        if beside {
            let last = label.pop().unwrap_or_default();
            let used = style.set_width(&last, style.body_size);
            (from, to) = (used, used + style.sign_blank.min(r - used));
            column = vec![Line::Blank { text: last, from, to, after: String::new() }];
        } else {
            // Labels top-aligned, blanks level on the line after the longest label.
            let pad = height - label.len();
            column = label.into_iter().map(Line::Text).collect();
            column.extend(std::iter::repeat_n(Line::Empty, pad));
            (from, to) = (0, style.sign_blank.min(r));
            column.push(Line::Blank { text: String::new(), from, to, after: String::new() });
        }
        names.push(printed_name(style, sign, &mut column, from, to, r));
        lines.push(column);
    }
    (lines, names)
}

/// The printed name of who signs: beside the blank where `style` says so and it fits, else
/// centred under it, never past the column's edges; a name wider than the column is wrapped.
fn printed_name(style: &Style, sign: &Sign, column: &mut [Line], from: u32, to: u32, room: u32) -> Vec<Line> {
    let name = plain_text(&sign.name);
    let name = name.trim();
    if name.is_empty() || style.signer_name == NamePlace::Hidden {
        return Vec::new();
    }
    let printed = format!("{}{name}{}", style.name_marks.0, style.name_marks.1);
    let width = style.set_width(&printed, style.body_size);
    if width > room {
        return wrap(style, &printed, room).into_iter().map(Line::Text).collect();
    }
    if style.signer_name == NamePlace::Beside && to + width <= room {
        if let Some(Line::Blank { after, .. }) = column.last_mut() {
            *after = printed;
        }
        return Vec::new();
    }
    let centre = ((from + to) / 2).clamp(width / 2, room - width / 2);
    vec![Line::Centred { text: printed, centre }]
}

/// The tab stops and the text of one row: each column starts at its own left stop. No stop lies
/// beyond the 版心's edge `total`.
fn row_paragraph(row: &[Line], starts: &[u32], total: u32) -> (Vec<Tab>, Vec<Inline>) {
    let mut tabs = Vec::new();
    let mut inlines = Vec::new();
    for (i, line) in row.iter().enumerate() {
        let x0 = starts.get(i).copied().unwrap_or(0);
        if i > 0 && !matches!(line, Line::Empty) {
            tabs.push(Tab { kind: TabKind::Left, leader: false, pos: x0 });
            inlines.push(Inline::Tab);
        }
        match line {
            Line::Empty => {}
            Line::Text(t) => inlines.push(Inline::Text(t.clone())),
            Line::Blank { text, to, after, .. } => {
                if !text.is_empty() {
                    inlines.push(Inline::Text(text.clone()));
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
    // Stops sorted; the first column's left edge needs none.
    for t in &mut tabs {
        t.pos = t.pos.min(total);
    }
    tabs.sort_by_key(|t| t.pos);
    tabs.dedup_by_key(|t| t.pos);
    tabs.retain(|t| t.pos > 0);
    (tabs, inlines)
}

/// Closing punctuation, never at the start of a line (禁则).
const CLOSING: &str = "，。、；：！？）》」』”’";

/// `text` in lines no wider than `width`, filled a character at a time; closing punctuation is
/// never put at the start of a line. An empty text is no line.
pub fn wrap(style: &Style, text: &str, width: u32) -> Vec<String> {
    wrap_at(style, text, width, |_, _| false)
}

/// A signing label in lines no wider than `width`: broken before its （签字） or after a
/// colon or comma where a line must break, so "被考核单位主要负责人" stays whole.
fn wrap_label(style: &Style, text: &str, width: u32) -> Vec<String> {
    wrap_at(style, text, width, |before, c| c == '（' || matches!(before, Some('：' | '，' | '、')))
}

/// Opening punctuation at the end of a line before `at` goes down with what follows it; a
/// line is never left empty.
fn kinsoku_end(line: &str, mut at: usize) -> usize {
    while let Some((i, c)) = line[..at].char_indices().next_back() {
        if !OPENING.contains(c) || i == 0 {
            break;
        }
        at = i;
    }
    at
}

/// Opening punctuation, never at the end of a line.
const OPENING: &str = "（《「『“‘";

/// Greedy filling; where a line overflows, it breaks at the last place `prefer` (given the
/// character before and the one after) allows on that line, else before the overflowing one.
fn wrap_at(style: &Style, text: &str, width: u32, prefer: impl Fn(Option<char>, char) -> bool) -> Vec<String> {
    // Full-width spaces are the template's: room before 年, 月, 日 to date by hand.
    let text = text.trim_matches(|c: char| c.is_ascii_whitespace());
    if text.is_empty() {
        return Vec::new();
    }
    let advance = |c: char| style.set_width(c.encode_utf8(&mut [0; 4]), style.body_size);
    let mut lines = vec![String::new()];
    let mut used = 0;
    // Byte offset in the current line of its last preferred break.
    let mut best: Option<usize> = None;
    for c in text.chars() {
        if c == '\n' {
            lines.push(String::new());
            (used, best) = (0, None);
            continue;
        }
        let line = lines.last_mut().expect("a line");
        if used > 0 && prefer(line.chars().next_back(), c) {
            best = Some(line.len());
        }
        let a = advance(c);
        if used > 0 && used + a > width {
            let tail_width = |at: usize| line[at..].chars().map(advance).sum::<u32>();
            let at = match best {
                Some(at) if at > 0 && tail_width(at) + a <= width => at,
                // 禁则: closing punctuation takes the character before it down with it; an
                // opening one never ends a line.
                _ if CLOSING.contains(c) => line.char_indices().next_back().map_or(line.len(), |(i, _)| i),
                _ => line.len(),
            };
            let at = kinsoku_end(line, at);
            let tail = if at == 0 { String::new() } else { line.split_off(at) };
            used = tail.chars().map(advance).sum();
            lines.push(tail);
            best = None;
        }
        lines.last_mut().expect("a line").push(c);
        used += a;
    }
    lines
}
#[cfg(test)]
mod tests {
    use super::*;

    fn party(seal: &str, organ: &str, label: &str, name: &str) -> Party {
        Party {
            label: String::new(),
            seal: seal.into(),
            organ: vec![Inline::Text(organ.into())],
            signs: vec![Sign { label: label.into(), name: vec![Inline::Text(name.into())] }],
            date: vec![Inline::Text("2026年1月5日".into())],
        }
    }

    fn pair(a: &str, b: &str, name_b: &str) -> Vec<Party> {
        vec![party("甲方（盖章）：", "中共江州市财政局委员会", a, "魏书衡"), party("乙方：", "预算处", b, name_b)]
    }

    /// Where each line of a row ends, column by column, as a reader sets it with one em a hanzi.
    fn check_fits(style: &Style, b: &Block, total: u32) {
        for row in &b.rows {
            let (tabs, _) = row_paragraph(row, &b.starts, total);
            assert!(tabs.iter().all(|t| t.pos <= total), "a stop beyond the 版心: {tabs:?}");
            for (i, line) in row.iter().enumerate() {
                let room = usable(style, &b.starts, i, total);
                let end = match line {
                    Line::Empty => 0,
                    Line::Text(t) => style.set_width(t, style.body_size),
                    Line::Blank { text, from, to, after } => {
                        assert!(style.set_width(text, style.body_size) <= *from && from < to, "{line:?}");
                        to + style.set_width(after, style.body_size)
                    }
                    Line::Centred { text, centre } => centre + style.set_width(text, style.body_size) / 2,
                };
                assert!(end <= room, "column {i} of {row:?} ends at {end}, past its room {room}");
            }
        }
    }

    #[test]
    fn the_blank_follows_the_label_and_the_name_goes_under_it() {
        let style = Style::gbt9704();
        let total = style.page.text_width();
        let b = block(&style, &pair("书记（签字）：", "负责人（签字）：", "唐奕舟"), total);
        assert_eq!(b.starts, [0, total / 2]);
        let label = style.set_width("书记（签字）：", style.body_size);
        assert_eq!(
            b.rows[2][0],
            Line::Blank { text: "书记（签字）：".into(), from: label, to: label + style.sign_blank, after: String::new() }
        );
        assert_eq!(b.rows[3][0], Line::Centred { text: "（魏书衡）".into(), centre: label + style.sign_blank / 2 });
        check_fits(&style, &b, total);
    }

    #[test]
    fn every_label_length_fits_its_row_with_blanks_level_and_apart() {
        let style = Style::gbt9704();
        let total = style.page.text_width();
        let labels =
            ["书记（签字）：", "分管领导（签字）：", "负责人（签字）：", "支部书记（签字）：", "主要负责人（签字）：", "本人（签字）："];
        for a in labels {
            for b in labels {
                let block = block(&style, &pair(a, b, "欧阳明月"), total);
                check_fits(&style, &block, total);
                let w = |s: &str| style.set_width(s, style.body_size) + style.sign_blank_min;
                // Both labels with their blanks on one row where the 版心 has room for them,
                // else both blanks on the row under the labels: level either way.
                let row = if w(a) + style.sign_gap + w(b) <= total { 2 } else { 3 };
                assert_eq!(block.rows.len(), row + 3, "{a} / {b}: {:?}", block.rows);
                let Line::Blank { to, .. } = block.rows[row][0] else { panic!("{a}: {:?}", block.rows) };
                assert!(matches!(block.rows[row][1], Line::Blank { .. }), "{a} / {b}: {:?}", block.rows);
                assert!(to + style.sign_gap <= block.starts[1], "{a} / {b}: the blanks touch");
            }
        }
    }

    #[test]
    fn labels_too_long_for_a_row_wrap_before_the_sign_and_keep_blanks_level() {
        let style = Style::gbt9704();
        let total = style.page.text_width();
        let b = block(&style, &pair("考核组成员（签字）：", "被考核单位主要负责人（签字）：", "苏望舒"), total);
        check_fits(&style, &b, total);
        assert!(b.rows.iter().any(|r| r[1] == Line::Text("被考核单位主要负责人（签字）：".into())), "the label whole: {:?}", b.rows);
        let blanks: Vec<usize> =
            b.rows.iter().enumerate().filter(|(_, r)| r.iter().any(|l| matches!(l, Line::Blank { .. }))).map(|(i, _)| i).collect();
        assert_eq!(blanks.len(), 1, "both blanks on one row: {:?}", b.rows);
        assert!(b.rows[blanks[0]].iter().all(|l| matches!(l, Line::Blank { .. })), "{:?}", b.rows);
        // A label of 300 characters and a name of 300: wrapped, never a stop past the 版心.
        let long = "很".repeat(300) + "（签字）：";
        let b = block(&style, &pair(&long, "）".repeat(300).as_str(), &"名".repeat(300)), total);
        check_fits(&style, &b, total);
        assert!(wrap_label(&style, "被考核单位主要负责人（签字）：", 4000).first().is_some_and(|l| l == "被考核单位主要负责人"));
    }

    #[test]
    fn beside_falls_back_to_below_and_hidden_prints_no_name() {
        let mut style = Style::gbt9704();
        let total = style.page.text_width();
        style.signer_name = NamePlace::Beside;
        let b = block(&style, &[party("甲方：", "中共江州市财政局委员会", "书记（签字）：", "沈嘉木")], total);
        assert!(matches!(&b.rows[2][0], Line::Blank { after, .. } if after == "（沈嘉木）"), "{:?}", b.rows);
        let b = block(&style, &pair("书记（签字）：", "负责人（签字）：", "唐奕舟"), total);
        assert!(matches!(&b.rows[3][0], Line::Centred { .. }), "no room beside: {:?}", b.rows);
        check_fits(&style, &b, total);
        style.signer_name = NamePlace::Hidden;
        let b = block(&style, &pair("书记（签字）：", "负责人（签字）：", "唐奕舟"), total);
        assert_eq!(b.rows.len(), 4, "{:?}", b.rows);
    }
}
