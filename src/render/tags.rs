//! Checks a template's *literal* markup tags against the vocabulary when it is loaded, so a typo
//! like `<para>` is reported at the template's own line and column (design, settled 13).

use crate::markup::vocabulary;

/// A literal tag in a template's own text (outside Tera blocks).
struct LiteralTag<'a> {
    name: &'a str,
    closing: bool,
    self_closing: bool,
    offset: usize,
}

/// Literal tags of a template, skipping `{{ }}`, `{% %}`, `{# #}` and XML comments.
fn literal_tags(source: &str) -> Vec<LiteralTag<'_>> {
    let mut out = Vec::new();
    let bytes = source.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
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
            let closing = j < bytes.len() && bytes[j] == b'/';
            if closing {
                j += 1;
            }
            let start = j;
            while j < bytes.len() && (bytes[j].is_ascii_alphanumeric() || matches!(bytes[j], b'-' | b'_' | b':')) {
                j += 1;
            }
            if j > start {
                // The tag ends at the first '>' outside quotes; "/>" closes it at once.
                let mut k = j;
                let mut quote = None;
                while k < bytes.len() {
                    match (bytes[k], quote) {
                        (b'"' | b'\'', None) => quote = Some(bytes[k]),
                        (q, Some(open)) if q == open => quote = None,
                        (b'>', None) => break,
                        _ => {}
                    }
                    k += 1;
                }
                let self_closing = k > 0 && k < bytes.len() && bytes[k - 1] == b'/';
                out.push(LiteralTag { name: &source[start..j], closing, self_closing, offset: i });
                i = k.max(j);
                continue;
            }
        }
        i += 1;
    }
    out
}

/// (line, column, message) for each literal tag that is not in our markup. A closing tag
/// repeats its opening tag's name, so only opening tags are reported.
pub fn unknown_literal_tags(source: &str) -> Vec<(u32, u32, String)> {
    literal_tags(source)
        .into_iter()
        .filter(|t| !t.closing && vocabulary::tag(t.name).is_none())
        .map(|t| {
            let (line, column) = line_col(source, t.offset);
            (line, column, format!("未知的标记 <{}>；可用标记：{}", t.name, vocabulary::NAMES.join(" ")))
        })
        .collect()
}

/// The first literal tag left unclosed or closed out of turn, read straight through the
/// template (Tera branches ignored). Used to point a post-render structure error at the
/// template's own line; on its own it is only a hint, since `{% if %}` branches may split tags.
pub fn first_unbalanced_tag(source: &str) -> Option<(u32, u32, String)> {
    let mut stack: Vec<&LiteralTag> = Vec::new();
    let tags = literal_tags(source);
    for t in tags.iter().filter(|t| !t.self_closing) {
        if !t.closing {
            stack.push(t);
            continue;
        }
        match stack.pop() {
            Some(open) if open.name == t.name => {}
            Some(open) => {
                let (line, column) = line_col(source, open.offset);
                return Some((line, column, format!("<{}> 没有结束标记（之后遇到了 </{}>）", open.name, t.name)));
            }
            None => {
                let (line, column) = line_col(source, t.offset);
                return Some((line, column, format!("多余的结束标记 </{}>", t.name)));
            }
        }
    }
    stack.last().map(|open| {
        let (line, column) = line_col(source, open.offset);
        (line, column, format!("<{}> 没有结束标记", open.name))
    })
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
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1), (3, 3));
    }

    #[test]
    fn finds_the_unclosed_tag() {
        let src = "<document>\n  <p a=\"x>y\">{{ n }}\n  <br/>\n</document>";
        assert_eq!(super::first_unbalanced_tag(src).map(|(l, c, _)| (l, c)), Some((2, 3)));
        assert_eq!(super::first_unbalanced_tag("<document><p>{% if a %}x{% endif %}</p></document>"), None);
    }
}
