//! Checks a template's *literal* markup tags against the vocabulary when it is loaded, so a typo
//! like `<para>` is reported at the template's own line and column (design, settled 13).

use crate::markup::vocabulary;

/// (line, column, message) for each literal tag that is not in our markup.
pub fn unknown_literal_tags(source: &str) -> Vec<(u32, u32, String)> {
    let mut out = Vec::new();
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Skip Tera blocks: what is inside them is not markup.
        if bytes[i] == b'{' && i + 1 < bytes.len() && matches!(bytes[i + 1], b'{' | b'%' | b'#') {
            let close: &[u8] = match bytes[i + 1] {
                b'{' => b"}}",
                b'%' => b"%}",
                _ => b"#}",
            };
            i = find(bytes, i + 2, close).map_or(bytes.len(), |j| j + 2);
            continue;
        }
        if bytes[i] == b'<' {
            if source[i..].starts_with("<!--") {
                i = find(bytes, i + 4, b"-->").map_or(bytes.len(), |j| j + 3);
                continue;
            }
            if source[i..].starts_with("<?") || source[i..].starts_with("<!") {
                i += 2;
                continue;
            }
            let mut j = i + 1;
            if j < bytes.len() && bytes[j] == b'/' {
                j += 1;
            }
            let start = j;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'-' | b'_' | b':')) {
                j += 1;
            }
            let name = &source[start..j];
            if !name.is_empty() && vocabulary::tag(name).is_none() {
                let (line, column) = line_col(source, i);
                out.push((line, column, format!("未知的标记 <{name}>；可用标记：{}", vocabulary::NAMES.join(" "))));
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    out
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

fn line_col(s: &str, offset: usize) -> (u32, u32) {
    let before = &s[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line as u32, col as u32)
}

#[cfg(test)]
mod tests {
    #[test]
    fn finds_unknown_tags_outside_tera_blocks() {
        let src = "<document>\n  {% if a < b %}<p>x</p>{% endif %}\n  <para>{{ x }}</para>\n</document>";
        let found = super::unknown_literal_tags(src);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (3, 3));
    }
}
