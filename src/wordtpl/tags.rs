//! Tags in a paragraph's text: `{{名称}}`, `{{#列表}}`, `{{?条件}}`, `{{/列表}}`, `{{.}}` — found
//! in the paragraph's text as Word shows it, whatever runs it is split over.

/// What a tag does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sigil {
    /// `{{名称}}`: the value printed in place.
    Field,
    /// `{{.}}`: the current item of a list.
    Item,
    /// `{{#列表}}`: repeats what follows once per item.
    Each,
    /// `{{?条件}}`: keeps what follows when the value is present and not false.
    When,
    /// `{{/列表}}`: ends an `Each` or `When`.
    End,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub sigil: Sigil,
    /// The name, trimmed (empty for `{{.}}`).
    pub name: String,
    /// Byte range of the whole tag in the paragraph's text.
    pub start: usize,
    pub end: usize,
}

impl Tag {
    pub fn opens(&self) -> bool {
        matches!(self.sigil, Sigil::Each | Sigil::When)
    }

    pub fn is_block(&self) -> bool {
        matches!(self.sigil, Sigil::Each | Sigil::When | Sigil::End)
    }

    /// The tag as the user wrote it, tidied: `{{#任务清单}}`.
    pub fn written(&self) -> String {
        let sigil = match self.sigil {
            Sigil::Field => "",
            Sigil::Item => return "{{.}}".into(),
            Sigil::Each => "#",
            Sigil::When => "?",
            Sigil::End => "/",
        };
        format!("{{{{{sigil}{}}}}}", self.name)
    }
}

/// A `{{` with no `}}` after it in the paragraph: the tag's text from the `{{` on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unclosed(pub String);

/// The tags of one paragraph's text, in order.
pub fn scan(text: &str) -> Result<Vec<Tag>, Unclosed> {
    let mut tags = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("{{") {
        let start = from + i;
        let inner_from = start + 2;
        let close = text[inner_from..].find("}}").map(|j| inner_from + j);
        let reopen = text[inner_from..].find("{{").map(|j| inner_from + j);
        let Some(close) = close.filter(|c| reopen.is_none_or(|r| r > *c)) else {
            let to = reopen.unwrap_or(text.len());
            return Err(Unclosed(text[start..to].chars().take(20).collect()));
        };
        let inner = text[inner_from..close].trim();
        let (sigil, name) = match inner.chars().next() {
            _ if inner == "." => (Sigil::Item, ""),
            Some('#') => (Sigil::Each, &inner[1..]),
            Some('?') => (Sigil::When, &inner[1..]),
            Some('/') => (Sigil::End, &inner[1..]),
            _ => (Sigil::Field, inner),
        };
        tags.push(Tag { sigil, name: name.trim().to_string(), start, end: close + 2 });
        from = close + 2;
    }
    Ok(tags)
}

/// How far apart two names are (edits of whole characters), for "是不是…？".
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_found_with_their_kind() {
        let tags = scan("甲{{单位名称}}乙{{ #任务清单 }}{{.}}{{/任务清单}}").unwrap();
        let kinds: Vec<(Sigil, &str)> = tags.iter().map(|t| (t.sigil, t.name.as_str())).collect();
        assert_eq!(kinds, [(Sigil::Field, "单位名称"), (Sigil::Each, "任务清单"), (Sigil::Item, ""), (Sigil::End, "任务清单")]);
        assert_eq!(&"甲{{单位名称}}"[tags[0].start..tags[0].end], "{{单位名称}}");
    }

    #[test]
    fn a_tag_left_open_is_named() {
        assert_eq!(scan("致{{单位名称 的信"), Err(Unclosed("{{单位名称 的信".into())));
        assert_eq!(scan("{{年度{{单位名称}}"), Err(Unclosed("{{年度".into())));
    }

    #[test]
    fn near_names() {
        assert_eq!(distance("单位名城", "单位名称"), 1);
        assert_eq!(distance("", "年度"), 2);
    }
}

/// The open tag of a row loop, from the row's paragraphs as (cell, text, tags): an opening tag
/// whose end is in the same row, unless both stand alone in paragraphs of one cell (then they
/// repeat paragraphs inside that cell). Filling and importing read a paragraph's text each their
/// own way; which tag opens a row loop they decide alike, here.
pub fn row_loop(paras: &[(usize, String, Vec<Tag>)]) -> Option<Tag> {
    let alone = |text: &str, t: &Tag| text.trim() == &text[t.start..t.end];
    for (i, (cell, text, found)) in paras.iter().enumerate() {
        for t in found.iter().filter(|t| t.opens()) {
            let close = paras.iter().enumerate().skip(i).find_map(|(j, (c2, text2, f2))| {
                f2.iter().find(|e| e.sigil == Sigil::End && e.name == t.name && (j > i || e.start > t.start)).map(|e| (j, *c2, text2, e))
            });
            if let Some((j, c2, text2, end)) = close
                && !(c2 == *cell && j > i && alone(text, t) && alone(text2, end))
            {
                return Some(t.clone());
            }
        }
    }
    None
}
