//! 标题回行 (GB/T 9704 7.3.1: 回行时词意完整，排列对称，梯形或菱形). A title too long for one line
//! of the 版心 is broken between words — never inside one, never before closing or after
//! opening punctuation — into lines of balanced length, upper lines not shorter than lower (梯形)
//! or the middle line the longest (菱形), and never a character alone on a line. The breaks are
//! written as explicit line breaks, so Word, WPS and LibreOffice set the same lines.
//!
//! Words come from jieba (jieba-rs, MIT): its dictionary and HMM know the organ and place names
//! titles are made of. The dictionary loads once per process, the first time a title needs it.

use super::style::Style;
use crate::markup::{Block, Document, Inline, plain_text};
use std::sync::LazyLock;

static JIEBA: LazyLock<jieba_rs::Jieba> = LazyLock::new(|| {
    let mut jieba = jieba_rs::Jieba::new();
    // Terms of the trade jieba would cut in two (党风廉政|建设), kept whole on a line.
    for term in TERMS {
        jieba.add_word(term, None, None);
    }
    jieba
});

/// 公文 terms that are one word to a reader of titles.
const TERMS: [&str; 12] = [
    "党风廉政建设",
    "全面从严治党",
    "反腐败",
    "一岗双责",
    "主体责任",
    "监督责任",
    "述责述廉",
    "责任书",
    "函告书",
    "问责决定",
    "工作要点",
    "责任分工",
];

/// Byte offsets inside `text` where one word ends and the next begins (jieba, with the 公文
/// terms above): where a table cell's name or label may break.
pub fn word_bounds(text: &str) -> Vec<usize> {
    JIEBA.cut(text, true).iter().map(|t| t.byte_end).filter(|&e| e > 0 && e < text.len()).collect()
}

/// Byte offsets inside one word where its shorter words meet (党风|廉政|建设): where a narrow
/// table column may break a long term rather than leave a short word alone on a line.
pub fn sub_word_bounds(word: &str) -> Vec<usize> {
    let mut bounds: Vec<usize> = JIEBA
        .cut_for_search(word, false)
        .iter()
        .filter(|t| t.byte_end - t.byte_start < word.len())
        .flat_map(|t| [t.byte_start, t.byte_end])
        .filter(|&b| b > 0 && b < word.len())
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    bounds
}

/// A number and its unit (二〇二六|年度, 3|号) stay on one line.
const NUMERAL: &str = "0123456789〇零一二三四五六七八九十百千万";
const UNIT: &str = "年月日号届次个项条批";

/// Closing punctuation a line may not start with, opening punctuation it may not end with.
const NO_START: &str = "，。、；：？！）》」』”’…—·";
const NO_END: &str = "（《「『“‘";

/// More lines than this and the title is filled line by line instead of balanced (a title that
/// long is not one a reader balances either).
const MAX_BALANCED_LINES: usize = 4;

/// Words an organ's name ends in: a name never breaks before them (财政投资评审|中心).
const NAME_ENDS: [&str; 7] = ["中心", "委员会", "支部", "党委", "纪委", "办公室", "领导小组"];

/// The names a document's data puts in it — its organs, the unit it is addressed to, the
/// people who sign — each a word its title is never broken inside.
pub fn names(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    let mut add = |t: &[Inline]| {
        let name = plain_text(t).trim().trim_end_matches(['：', ':']).to_string();
        if name.chars().count() >= 2 {
            out.push(name);
        }
    };
    for block in &doc.blocks {
        match block {
            Block::Letterhead { organ, .. } | Block::Signature { organ, .. } => add(organ),
            Block::Addressee(t) => add(t),
            Block::Parties(parties) => {
                for p in parties {
                    add(&p.organ);
                    p.signs.iter().for_each(|s| add(&s.name));
                }
            }
            Block::Imprint { issuer, .. } => add(issuer),
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The lines to set `title` in, in a 版心 `width` wide, or `None` when it fits on one line or
/// no word boundary fits. `names` (`names`) are never broken.
pub fn lines(title: &str, style: &Style, width: u32, names: &[String]) -> Option<Vec<String>> {
    let chars: Vec<char> = title.chars().collect();
    let room = u64::from(width);
    // Prefix widths: the width of chars[a..b] is at[b] - at[a].
    let mut at = vec![0u64; chars.len() + 1];
    for (i, c) in chars.iter().enumerate() {
        at[i + 1] = at[i] + u64::from(style.title_advance(*c));
    }
    if at[chars.len()] <= room {
        return None;
    }
    let breaks = word_breaks(title, &chars, names);
    let fewest = at[chars.len()].div_ceil(room) as usize;
    let split = (fewest..=MAX_BALANCED_LINES).find_map(|n| balanced(&at, &breaks, n, room)).or_else(|| filled(&at, &breaks, room))?;
    let mut out = Vec::with_capacity(split.len() + 1);
    let mut from = 0;
    for to in split.iter().copied().chain([chars.len()]) {
        out.push(chars[from..to].iter().collect());
        from = to;
    }
    Some(out)
}

/// Character offsets where a line may break: between two words, not before closing or after
/// opening punctuation, not inside a run of Latin letters or digits, a date, a name of `names`
/// or before the word an organ's name ends in.
fn word_breaks(title: &str, chars: &[char], names: &[String]) -> Vec<usize> {
    // Character offsets inside a name, marked once: linear in the title's length and the
    // names' occurrences, whatever their number.
    let mut inside = vec![false; chars.len() + 1];
    let char_at: Vec<usize> = {
        let mut at = vec![0; title.len() + 1];
        for (k, (byte, c)) in title.char_indices().enumerate() {
            at[byte..byte + c.len_utf8()].fill(k);
        }
        at[title.len()] = chars.len();
        at
    };
    for name in names.iter().filter(|n| !n.is_empty()) {
        let len = name.chars().count();
        for (byte, _) in title.match_indices(name.as_str()) {
            let start = char_at[byte];
            inside[start + 1..start + len].fill(true);
        }
    }
    let mut out = Vec::new();
    for word in JIEBA.cut(title, true) {
        let offset = word.end;
        if offset == 0 || offset >= chars.len() {
            continue;
        }
        let (before, after) = (chars[offset - 1], chars[offset]);
        let latin = before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric();
        let counted = NUMERAL.contains(before) && (UNIT.contains(after) || NUMERAL.contains(after));
        let dated = "年月".contains(before) && NUMERAL.contains(after);
        let named = inside[offset] || NAME_ENDS.iter().any(|end| chars[offset..].iter().take(end.chars().count()).copied().eq(end.chars()));
        if !NO_START.contains(after) && !NO_END.contains(before) && !latin && !counted && !dated && !named {
            out.push(offset);
        }
    }
    out
}

/// The best split into exactly `n` lines, as the offsets where lines 2… start.
fn balanced(at: &[u64], breaks: &[usize], n: usize, room: u64) -> Option<Vec<usize>> {
    let end = at.len() - 1;
    let mut best: Option<(u64, Vec<usize>)> = None;
    let mut chosen = Vec::with_capacity(n);
    search(at, breaks, 0, n, room, &mut chosen, &mut |split| {
        let widths: Vec<u64> = lines_of(split, end).map(|(a, b)| at[b] - at[a]).collect();
        if !(trapezoid(&widths) || diamond(&widths)) {
            return;
        }
        let mean = at[end] / n as u64;
        let cost: u64 = widths.iter().map(|w| w.abs_diff(mean).pow(2)).sum();
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, split.to_vec()));
        }
    });
    best.map(|(_, split)| split)
}

/// Every way to place the remaining breaks from `from` so each line fits and holds at least two
/// characters.
fn search(at: &[u64], breaks: &[usize], from: usize, lines: usize, room: u64, chosen: &mut Vec<usize>, found: &mut dyn FnMut(&[usize])) {
    let end = at.len() - 1;
    if lines == 1 {
        if at[end] - at[from] <= room && end - from >= 2 {
            found(chosen);
        }
        return;
    }
    for &b in breaks.iter().filter(|&&b| b >= from + 2 && end - b >= 2) {
        if at[b] - at[from] > room {
            break;
        }
        if at[end] - at[b] > room * (lines as u64 - 1) {
            continue;
        }
        chosen.push(b);
        search(at, breaks, b, lines - 1, room, chosen, found);
        chosen.pop();
    }
}

/// Line by line, each as full as a word boundary allows: for titles too long to balance. The
/// breaks are sorted and the widths grow with them, so each line's end is a binary search:
/// a title of a million characters is set in linear time, not quadratic.
fn filled(at: &[u64], breaks: &[usize], room: u64) -> Option<Vec<usize>> {
    let end = at.len() - 1;
    let mut split = Vec::new();
    let mut from = 0;
    while at[end] - at[from] > room {
        let fit = breaks.partition_point(|&b| at[b] <= at[from] + room);
        let b = *breaks[..fit].last().filter(|&&b| b > from)?;
        split.push(b);
        from = b;
    }
    Some(split)
}

fn lines_of(split: &[usize], end: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
    std::iter::once(0).chain(split.iter().copied()).zip(split.iter().copied().chain([end]))
}

/// 梯形: no line longer than the one above it.
fn trapezoid(widths: &[u64]) -> bool {
    widths.windows(2).all(|w| w[0] >= w[1])
}

/// 菱形: three lines or more, the longest in the middle, shorter towards both ends.
fn diamond(widths: &[u64]) -> bool {
    let Some(top) = widths.iter().enumerate().max_by_key(|(_, w)| **w).map(|(i, _)| i) else { return false };
    widths.len() >= 3
        && top > 0
        && top + 1 < widths.len()
        && widths[..=top].windows(2).all(|w| w[0] <= w[1])
        && widths[top..].windows(2).all(|w| w[0] >= w[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(title: &str) -> Vec<String> {
        lines(title, &Style::gbt9704(), Style::gbt9704().page.text_width(), &[]).unwrap_or_else(|| vec![title.to_string()])
    }

    #[test]
    fn a_title_that_fits_stays_one_line() {
        assert_eq!(split("2026年度党风廉政建设责任书"), ["2026年度党风廉政建设责任书"]);
    }

    #[test]
    fn a_long_title_breaks_between_words_upper_line_longer() {
        assert_eq!(
            split("关于对中共江州市政府采购中心支部委员会进行问责的决定"),
            // The organ's name whole: never broken before the 支部委员会 it ends in.
            ["关于对中共江州市政府采购中心支部委员会", "进行问责的决定"]
        );
    }

    #[test]
    fn lines_fit_hold_two_characters_and_narrow_downwards() {
        let style = Style::gbt9704();
        let title = "关于印发江州市财政局二〇二六年度党风廉政建设和反腐败工作要点及责任分工方案的通知";
        let got = split(title);
        assert!(got.len() >= 2, "{got:?}");
        assert_eq!(got.concat(), title);
        let widths: Vec<u64> = got.iter().map(|l| l.chars().map(|c| u64::from(style.title_advance(c))).sum()).collect();
        assert!(widths.iter().all(|w| *w <= u64::from(style.page.text_width())), "{got:?}");
        assert!(got.iter().all(|l| l.chars().count() >= 2), "{got:?}");
        assert!(trapezoid(&widths) || diamond(&widths), "{got:?}");
    }

    #[test]
    fn a_title_never_breaks_inside_a_name_of_the_data_or_before_the_word_a_name_ends_in() {
        let style = Style::gbt9704();
        let width = style.page.text_width();
        let title = "关于对中共江州市财政局政府采购管理中心机关支部委员会进行问责的决定";
        let got = lines(title, &style, width, &[]).expect("broken");
        assert!(got.iter().all(|l| !NAME_ENDS.iter().any(|e| l.starts_with(e))), "{got:?}");
        let name = "中共江州市财政局政府采购管理中心机关支部委员会".to_string();
        let got = lines(title, &style, width, std::slice::from_ref(&name)).unwrap_or_else(|| vec![title.to_string()]);
        assert!(got.iter().any(|l| l.contains(&name)) || got.len() == 1, "the name whole on a line: {got:?}");
        let got = split("江州市财政局关于二〇二六年十二月三十一日前完成党风廉政建设责任制考核工作的通知");
        assert!(got.iter().all(|l| !l.starts_with(|c: char| NUMERAL.contains(c))), "no date cut after 年 or 月: {got:?}");
    }

    #[test]
    fn a_title_of_a_million_characters_is_set_in_linear_time() {
        let style = Style::gbt9704();
        let width = style.page.text_width();
        let unit = "关于江州市财政局党风廉政建设的通知";
        let time = |n: usize| {
            let title = unit.repeat(n / unit.chars().count());
            let started = std::time::Instant::now();
            // A name of the data found in every sentence of it, too.
            let got = lines(&title, &style, width, &["江州市财政局".to_string()]).expect("broken");
            assert_eq!(got.concat(), title);
            started.elapsed()
        };
        let small = time(100_000);
        let large = time(1_000_000);
        // Ten times the text, about ten times the time (quadratic was a hundred).
        assert!(large < small * 30 + std::time::Duration::from_millis(200), "{small:?} → {large:?}");
    }
}
