//! The smallest pieces of document.xml: escaped text, runs, and the East Asian font hint.
//! Everything is appended to one `String`; nothing here allocates per run.

use crate::markup::Inline;

/// Appends `s` escaped for XML text or a double-quoted attribute. Characters XML 1.0 forbids
/// (C0 controls but tab, U+FFFE, U+FFFF) are dropped — Word refuses a file that holds one — and
/// a newline or carriage return becomes a space (a line break in data arrives as `Inline::Break`).
pub fn escape_into(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (replacement, len): (&str, usize) = match b {
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'&' => ("&amp;", 1),
            b'"' => ("&quot;", 1),
            b'\n' | b'\r' => (" ", 1),
            b'\t' => {
                i += 1;
                continue;
            }
            0..=0x1F => ("", 1),
            // U+FFFE and U+FFFF: EF BF BE / EF BF BF.
            0xEF if bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) => ("", 3),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        out.push_str(replacement);
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
}

/// `s` without the characters `escape_into` drops, for text kept outside document.xml
/// (docProps), where a newline or carriage return also becomes a space.
pub fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}'))
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect()
}

/// Characters Word and WPS set in the run's ascii (Latin) font unless the run carries
/// `w:hint="eastAsia"`: the curly quotes, dashes, ellipsis and middle dot of Chinese text, and
/// the other symbols GB 2312 shares with Western fonts (× ÷ ° ± §, ‰ ※, ℃ №, Ⅰ, ①, ○ □ ★ →).
/// Without the hint “ ” come out narrow and Latin in a 公文.
pub fn needs_east_asian_hint(c: char) -> bool {
    matches!(c, '\u{A7}' | '\u{B0}' | '\u{B1}' | '\u{B7}' | '\u{D7}' | '\u{F7}' | '\u{2010}'..='\u{206F}' | '\u{2100}'..='\u{27BF}')
}

/// Direct formatting a run may carry: only what a named style cannot say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunLook {
    /// Glyph width in percent (`w:w`): a condensed 发文机关标志.
    pub stretch: Option<u32>,
}

/// One text run. Its properties, in schema order: the hint (rFonts) before the width (w).
pub fn text_run(out: &mut String, text: &str, look: RunLook) {
    text_runs_joined(out, "", text, look);
}

/// One run holding `head` then `text` (a number or label set with what follows it).
pub fn text_runs_joined(out: &mut String, head: &str, text: &str, look: RunLook) {
    if head.is_empty() && text.is_empty() {
        return;
    }
    let hint = head.chars().chain(text.chars()).any(needs_east_asian_hint);
    out.push_str("<w:r>");
    if hint || look.stretch.is_some() {
        out.push_str("<w:rPr>");
        if hint {
            out.push_str(r#"<w:rFonts w:hint="eastAsia"/>"#);
        }
        if let Some(pct) = look.stretch {
            push_num(out, r#"<w:w w:val=""#, pct, r#""/>"#);
        }
        out.push_str("</w:rPr>");
    }
    out.push_str(r#"<w:t xml:space="preserve">"#);
    escape_into(out, head);
    escape_into(out, text);
    out.push_str("</w:t></w:r>");
}

/// Inline text → runs: a line break and a tab each become a run of their own.
pub fn runs(out: &mut String, inlines: &[Inline], look: RunLook) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => text_run(out, t, look),
            Inline::Break => out.push_str(r#"<w:r><w:br w:type="textWrapping"/></w:r>"#),
            Inline::Tab => out.push_str("<w:r><w:tab/></w:r>"),
        }
    }
}

/// `before`, the number, `after`: the one shape every numeric attribute takes.
pub fn push_num(out: &mut String, before: &str, n: impl std::fmt::Display, after: &str) {
    use std::fmt::Write;
    out.push_str(before);
    let _ = write!(out, "{n}");
    out.push_str(after);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_forbids() {
        let mut out = String::new();
        escape_into(&mut out, "a<b>&\"c\"\u{0B}\n\u{FFFE}d\te“");
        assert_eq!(out, "a&lt;b&gt;&amp;&quot;c&quot; d\te“");
        assert_eq!(clean("a\u{0B}b\nc"), "ab c");
    }

    #[test]
    fn hints_runs_with_east_asian_punctuation_only() {
        let mut out = String::new();
        text_run(&mut out, "履行“一岗双责”", RunLook::default());
        text_run(&mut out, "第1条", RunLook { stretch: Some(80) });
        assert_eq!(
            out,
            r#"<w:r><w:rPr><w:rFonts w:hint="eastAsia"/></w:rPr><w:t xml:space="preserve">履行“一岗双责”</w:t></w:r><w:r><w:rPr><w:w w:val="80"/></w:rPr><w:t xml:space="preserve">第1条</w:t></w:r>"#
        );
        for c in "“”‘’—…·".chars() {
            assert!(needs_east_asian_hint(c), "{c}");
        }
        for c in "，。、a1é中".chars() {
            assert!(!needs_east_asian_hint(c), "{c}");
        }
    }
}
