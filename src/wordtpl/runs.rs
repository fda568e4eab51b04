//! A paragraph's text as Word shows it, mapped back to the runs that hold it: a field is found
//! in the text however Word split it (runs of different rsid, bookmarks, proofing marks between)
//! and replaced in the run where it starts, which keeps its formatting.

use super::tags::{self, Tag};
use super::xml::{Element, Node, text_of};

/// The `w:t` of a paragraph in order, as index paths from it (text boxes are their own bodies).
fn text_slots(e: &Element, path: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    for (i, n) in e.children.iter().enumerate() {
        if let Node::Element(c) = n {
            path.push(i);
            if c.is("w:t") {
                out.push(path.clone());
            } else if !c.is("w:txbxContent") && !c.is("w:p") {
                text_slots(c, path, out);
            }
            path.pop();
        }
    }
}

fn at<'e>(e: &'e mut Element, path: &[usize]) -> &'e mut Element {
    let mut cur = e;
    for &i in path {
        let Node::Element(next) = &mut cur.children[i] else { unreachable!("a slot path leads through elements") };
        cur = next;
    }
    cur
}

/// Replaces the tags `value` answers for with their text, in the run where each starts: the
/// tag's text is taken out of the runs it spans, which keep their formatting, bookmarks and
/// proofing marks. A value's line breaks become `w:br` in that run.
pub(super) fn replace_tags(p: &mut Element, value: &mut dyn FnMut(&Tag) -> Option<String>) {
    let mut slots = Vec::new();
    text_slots(p, &mut Vec::new(), &mut slots);
    let mut texts: Vec<String> = slots.iter().map(|s| text_of(at(p, s))).collect();
    let joined: String = texts.concat();
    let Ok(found) = tags::scan(&joined) else { return };
    let mut starts = Vec::with_capacity(texts.len());
    let mut offset = 0;
    for t in &texts {
        starts.push(offset);
        offset += t.len();
    }
    let slot_of = |pos: usize| starts.iter().rposition(|&s| s <= pos).unwrap_or(0);
    let mut changed = vec![false; texts.len()];
    let replacements: Vec<(Tag, String)> = found.iter().filter_map(|t| value(t).map(|v| (t.clone(), v))).collect();
    for (t, v) in replacements.into_iter().rev() {
        // The first slot holding a character of the tag (an empty w:t at the boundary is skipped).
        let first =
            (0..texts.len()).find(|&i| starts[i] <= t.start && t.start < starts[i] + texts[i].len()).unwrap_or_else(|| slot_of(t.start));
        let last = slot_of(t.end - 1);
        let (a, b) = (t.start - starts[first], t.end - starts[last]);
        if first == last {
            texts[first].replace_range(a..b, &v);
        } else {
            texts[first].replace_range(a.., &v);
            for s in texts.iter_mut().take(last).skip(first + 1) {
                s.clear();
            }
            texts[last].replace_range(..b, "");
            changed[last] = true;
            (first + 1..last).for_each(|i| changed[i] = true);
        }
        changed[first] = true;
    }
    // Later slots first: splitting one at its line breaks shifts only its later siblings.
    for i in (0..slots.len()).rev().filter(|&i| changed[i]) {
        let (run_path, t_index) = slots[i].split_at(slots[i].len() - 1);
        let run = at(p, run_path);
        let Node::Element(t) = &run.children[t_index[0]] else { continue };
        let mut pieces = Vec::new();
        for (n, line) in clean(&texts[i]).split('\n').enumerate() {
            if n > 0 {
                pieces.push(Node::Element(Element::new("w:br")));
            }
            let mut piece = Element { name: t.name.clone(), attrs: t.attrs.clone(), children: Vec::new() };
            piece.set_attr("xml:space", "preserve");
            if !line.is_empty() {
                piece.children.push(Node::Value(line.to_string()));
            }
            pieces.push(Node::Element(piece));
        }
        run.children.splice(t_index[0]..=t_index[0], pieces);
    }
}

/// Text as XML may carry it: line ends as `\n`, other control characters dropped.
fn clean(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n").chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect()
}
