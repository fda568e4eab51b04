//! Reading the letter as Word wrote it: a paragraph's text, its number, its alignment, what
//! in it zeren does not carry over, a table cell's merges.

use super::super::tags;
use super::super::xml::{Element, Node, text_of};

/// The paragraph's tags. A `{{` with no `}}` before the next `{{` is the letter's own text here
/// (it was never a field), not a fault as when filling.
pub(super) fn scan(text: &str) -> Vec<tags::Tag> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{") {
        let start = from + i;
        let after = start + 2;
        let close = text[after..].find("}}").map(|j| after + j);
        let reopen = text[after..].find("{{").map(|j| after + j);
        match close.filter(|c| reopen.is_none_or(|r| r > *c)) {
            Some(close) => {
                if let Ok(mut found) = tags::scan(&text[start..close + 2])
                    && let Some(mut t) = found.pop()
                {
                    t.start += start;
                    t.end += start;
                    out.push(t);
                }
                from = close + 2;
            }
            None => from = after,
        }
    }
    out
}

/// The heading level a paragraph's own number says, and the text after it:
/// 一、 → 1, （一） → 2, 1. → 3, （1） → 4.
pub(super) fn heading(text: &str) -> Option<(usize, &str)> {
    const CN: &str = "一二三四五六七八九十百零〇";
    let t = text.trim_start();
    let cn_len = t.chars().take_while(|c| CN.contains(*c)).map(char::len_utf8).sum::<usize>();
    if cn_len > 0 && t[cn_len..].starts_with('、') {
        return Some((1, &t[cn_len + '、'.len_utf8()..]));
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits <= 3 {
        for mark in ['.', '．', '、'] {
            if let Some(rest) = t[digits..].strip_prefix(mark)
                && !rest.starts_with(|c: char| c.is_ascii_digit())
            {
                return Some((3, rest));
            }
        }
    }
    let inner = t.strip_prefix('（').or_else(|| t.strip_prefix('('))?;
    let close = inner.find(['）', ')'])?;
    let number = &inner[..close];
    let rest = &inner[close + inner[close..].chars().next()?.len_utf8()..];
    if !number.is_empty() && number.chars().all(|c| CN.contains(c)) {
        Some((2, rest))
    } else if !number.is_empty() && number.len() <= 3 && number.bytes().all(|b| b.is_ascii_digit()) {
        Some((4, rest))
    } else {
        None
    }
}

/// The element `<name …>…</name>` as a template writes it.
pub(super) fn element<'t>(template: &'t str, name: &str) -> Option<&'t str> {
    let start = template.find(&format!("<{name}>")).or_else(|| template.find(&format!("<{name} ")))?;
    let close = format!("</{name}>");
    let end = template[start..].find(&close)? + start + close.len();
    Some(&template[start..end])
}

/// A line that only dates by hand or by number: “2025年12月30日”, “年　月　日”.
pub(super) fn date_line(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
    t.ends_with('日') && t.chars().all(|c| c.is_ascii_digit() || "年月日〇零一二三四五六七八九十".contains(c))
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Merge {
    None,
    Start,
    Continue,
}

/// A paragraph's text as Word shows it: its runs' text, tabs and line breaks, without what text
/// boxes and deleted revisions hold.
pub(super) fn paragraph_text(p: &Element) -> String {
    let mut s = String::new();
    gather(p, &mut s);
    s
}

fn gather(e: &Element, out: &mut String) {
    for n in &e.children {
        if let Node::Element(c) = n {
            match c.name.as_str() {
                "w:t" => out.push_str(&text_of(c)),
                "w:tab" => out.push('\t'),
                "w:br" | "w:cr" => out.push('\n'),
                "w:txbxContent" | "w:del" | "w:pPr" | "w:rPr" | "w:drawing" | "w:pict" | "w:object" | "w:instrText" => {}
                _ => gather(c, out),
            }
        }
    }
}

/// What zeren leaves out of a paragraph, by the Word element that holds it.
pub(super) fn uncarried(e: &Element, what: &mut Vec<&'static str>) {
    for c in e.elements() {
        let found = match c.name.as_str() {
            "w:drawing" | "w:pict" if has(c, "w:txbxContent") => Some("文本框"),
            "w:drawing" | "w:pict" => Some("图片"),
            "w:object" => Some("嵌入对象"),
            "w:footnoteReference" => Some("脚注"),
            "w:endnoteReference" => Some("尾注"),
            "w:ins" | "w:del" | "w:moveFrom" | "w:moveTo" => Some("修订（按接受修订后的文字带入）"),
            "w:commentReference" | "w:commentRangeStart" => Some("批注"),
            "w:fldSimple" | "w:fldChar" => Some("域（如页码、日期，只带入显示的文字）"),
            _ => None,
        };
        match found {
            Some(f) => {
                if !what.contains(&f) {
                    what.push(f);
                }
            }
            None => uncarried(c, what),
        }
    }
}

fn has(e: &Element, name: &str) -> bool {
    e.elements().any(|c| c.is(name) || has(c, name))
}

/// The paragraph's alignment, as the markup's `align`.
pub(super) fn align(p: &Element) -> Option<&'static str> {
    let jc = p.elements().find(|e| e.is("w:pPr"))?.elements().find(|e| e.is("w:jc"))?;
    match jc.attr("w:val")? {
        "center" => Some("center"),
        "right" | "end" => Some("right"),
        _ => None,
    }
}

fn style(p: &Element) -> Option<&str> {
    p.elements().find(|e| e.is("w:pPr")).and_then(|pr| pr.elements().find(|e| e.is("w:pStyle"))).and_then(|s| s.attr("w:val"))
}

/// A paragraph in Word's title style.
pub(super) fn titled(p: &Element) -> bool {
    style(p).is_some_and(|s| s.eq_ignore_ascii_case("title") || s == "标题")
}

/// The level of Word's heading styles 标题 1–4 (ids `Heading1`, or `1` in a Chinese Word), whose
/// number Word draws itself and the text does not hold.
pub(super) fn heading_style(p: &Element) -> Option<usize> {
    let id = style(p)?;
    let n = id.strip_prefix("Heading").or_else(|| id.strip_prefix("heading")).or_else(|| id.strip_prefix("标题")).unwrap_or(id).trim();
    n.parse().ok().filter(|n| (1..=4).contains(n))
}
