//! Filling one part (body, header, footer) of a Word template: fields replaced in the run where
//! they start, paragraphs and table rows repeated per item, sections kept or dropped. The same
//! walk checks a template (no data: every name must be known, every loop closed) and fills it.

use super::names::{Index, Shape, chinese};
use super::runs::replace_tags;
use super::tags::{self, Sigil, Tag};
use super::xml::{Element, Node};
use crate::model::Form;
use serde_json::Value;

/// A fault of the template, with the paragraph it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagProblem {
    /// The tag as written (`{{单位名城}}`).
    pub tag: String,
    /// The paragraph's text, shortened.
    pub paragraph: String,
    pub message: String,
}

/// The scope of the items of a list whose name is not known: any name may be theirs.
const UNKNOWN_ITEM: &str = "?[]";

/// One level of names: the document's view, or the item of a list being repeated.
#[derive(Clone)]
struct Scope<'v> {
    /// The item's path in the index: "" for the top, `groups[]` for a group.
    path: String,
    /// The data (none when only checking).
    value: Option<&'v Value>,
}

/// A name found.
struct Found {
    depth: usize,
    rel: String,
    shape: Shape,
}

pub struct Filler<'a> {
    index: &'a Index,
    form: Form,
    /// Checking: no data, every problem collected.
    pub problems: Vec<TagProblem>,
    /// Fresh ids for drawings in repeated paragraphs (Word wants them unique).
    next_id: u32,
}

impl<'a> Filler<'a> {
    pub fn new(index: &'a Index, form: Form) -> Filler<'a> {
        Filler { index, form, problems: Vec::new(), next_id: 70_000 }
    }

    /// Checks a part's root (`w:document`, `w:hdr`…): problems are collected.
    pub fn check(&mut self, root: &Element) {
        let mut copy = root.clone();
        let children = std::mem::take(&mut copy.children);
        self.blocks(children, &[Scope { path: String::new(), value: None }]);
    }

    /// Fills a part's root with a document's view.
    pub fn fill(&mut self, root: &mut Element, view: &Value) {
        let children = std::mem::take(&mut root.children);
        let mut filled = self.blocks(children, &[Scope { path: String::new(), value: Some(view) }]);
        if matches!(root.name.as_str(), "w:hdr" | "w:ftr") {
            ensure_paragraph(&mut filled);
        }
        root.children = filled;
    }

    fn problem(&mut self, tag: String, paragraph: &str, message: String) {
        let short: String = paragraph.trim().chars().take(40).collect();
        let paragraph = if paragraph.trim().chars().count() > 40 { format!("{short}…") } else { short };
        let p = TagProblem { tag, paragraph, message };
        if !self.problems.contains(&p) {
            self.problems.push(p);
        }
    }

    /// A list of block-level nodes (a body, a cell, a text box): marker paragraphs paired and
    /// expanded, everything else filled.
    fn blocks<'v>(&mut self, nodes: Vec<Node>, scopes: &[Scope<'v>]) -> Vec<Node> {
        let mut out = Vec::with_capacity(nodes.len());
        let mut nodes = nodes.into_iter().peekable();
        while let Some(node) = nodes.next() {
            let Node::Element(e) = node else {
                out.push(node);
                continue;
            };
            let Some(open) = self.marker(&e).filter(Tag::opens) else {
                match self.marker(&e) {
                    Some(stray) => {
                        self.problem(stray.written(), &e.text(), format!("{} 前面没有对应的 {{{{#{}}}}}", stray.written(), stray.name));
                        out.extend(drop_marker(e));
                    }
                    None => out.push(Node::Element(self.element(e, scopes))),
                }
                continue;
            };
            // The paragraphs up to the matching end, same name, nested ones counted.
            let mut body = Vec::new();
            let mut depth = 0usize;
            let mut close = None;
            for next in nodes.by_ref() {
                if let Node::Element(n) = &next
                    && let Some(t) = self.marker(n).filter(|t| t.name == open.name)
                {
                    if t.opens() {
                        depth += 1;
                    } else if depth == 0 {
                        close = Some(n.clone());
                        break;
                    } else {
                        depth -= 1;
                    }
                }
                body.push(next);
            }
            let text = e.text();
            out.extend(drop_marker(e));
            if close.is_none() {
                let why = format!("{} 没有结束：同一层（同一正文、同一单元格）后面要有单独成段的 {{{{/{}}}}}", open.written(), open.name);
                self.problem(open.written(), &text, why);
            }
            out.extend(self.section(&open, &text, body, scopes, |f, body, s| f.blocks(body, s)));
            out.extend(close.into_iter().flat_map(drop_marker));
        }
        out
    }

    /// The block tag a paragraph consists of, if it is one (`{{#任务清单}}` alone).
    fn marker(&self, e: &Element) -> Option<Tag> {
        if !e.is("w:p") {
            return None;
        }
        let text = e.text();
        let tags = tags::scan(&text).ok()?;
        match tags.as_slice() {
            [t] if t.is_block() && text.trim() == &text[t.start..t.end] => Some(t.clone()),
            _ => None,
        }
    }

    /// What a section gives: its body once per item (`#`), or once or not at all (`?`).
    fn section<'v>(
        &mut self,
        open: &Tag,
        paragraph: &str,
        body: Vec<Node>,
        scopes: &[Scope<'v>],
        mut render: impl FnMut(&mut Self, Vec<Node>, &[Scope<'v>]) -> Vec<Node>,
    ) -> Vec<Node> {
        let Some(found) = self.resolve(open, paragraph, scopes) else {
            if scopes[0].value.is_some() {
                return Vec::new();
            }
            // Checked all the same, its items' names let pass: a misspelt list must not hide the
            // faults inside it (nor make another `per` seem to fit better).
            let mut inner = scopes.to_vec();
            inner.push(Scope { path: UNKNOWN_ITEM.into(), value: None });
            return render(self, body, &inner);
        };
        let item_path = |found: &Found| {
            let base = &scopes[found.depth].path;
            let full = if base.is_empty() { found.rel.clone() } else { format!("{base}.{}", found.rel) };
            match found.shape {
                Shape::List => format!("{full}[]"),
                Shape::Map => full,
                Shape::Scalar => base.clone(),
            }
        };
        let mut inner: Vec<Scope<'v>> = scopes.to_vec();
        let checking = scopes[0].value.is_none();
        if checking {
            // Once, with the items' names, so what is inside is checked too.
            if open.sigil == Sigil::Each && found.shape == Shape::Scalar {
                let why = format!("“{}”不是列表，不能用 {} 重复；只在有值时保留请用 {{{{?{}}}}}", open.name, open.written(), open.name);
                self.problem(open.written(), paragraph, why);
            }
            if open.sigil == Sigil::Each {
                inner.push(Scope { path: item_path(&found), value: None });
            }
            return render(self, body, &inner);
        }
        let value = lookup(scopes[found.depth].value, &found.rel);
        match open.sigil {
            Sigil::When if present(value) => render(self, body, scopes),
            Sigil::Each => {
                let items: Vec<&'v Value> = match value {
                    Some(Value::Array(items)) => items.iter().collect(),
                    Some(v) if present(Some(v)) => vec![v],
                    _ => Vec::new(),
                };
                let mut out = Vec::new();
                for (i, item) in items.into_iter().enumerate() {
                    inner.truncate(scopes.len());
                    inner.push(Scope { path: item_path(&found), value: Some(item) });
                    let mut copy = render(self, body.clone(), &inner);
                    if i > 0 {
                        copy.iter_mut().for_each(|n| self.fresh_copy(n));
                    }
                    out.extend(copy);
                }
                out
            }
            _ => Vec::new(),
        }
    }

    /// One block-level element filled: a paragraph, a table, or what holds them.
    fn element<'v>(&mut self, mut e: Element, scopes: &[Scope<'v>]) -> Element {
        match e.name.as_str() {
            "w:p" => self.paragraph(&mut e, scopes),
            "w:tbl" => self.table(&mut e, scopes),
            "w:tc" => {
                let mut cell = self.blocks(std::mem::take(&mut e.children), scopes);
                ensure_paragraph(&mut cell);
                e.children = cell;
            }
            _ => e.children = self.blocks(std::mem::take(&mut e.children), scopes),
        }
        e
    }

    fn table<'v>(&mut self, tbl: &mut Element, scopes: &[Scope<'v>]) {
        super::grid::ensure_grid(tbl);
        let mut rows = Vec::new();
        for node in std::mem::take(&mut tbl.children) {
            match node {
                Node::Element(tr) if tr.is("w:tr") => rows.extend(self.row(tr, scopes)),
                Node::Element(other) => rows.push(Node::Element(self.element(other, scopes))),
                other => rows.push(other),
            }
        }
        tbl.children = rows;
    }

    /// A row with `{{#列表}}` and `{{/列表}}` in it (in different cells, or in one paragraph) is
    /// repeated per item; any other row has its cells filled.
    fn row<'v>(&mut self, mut tr: Element, scopes: &[Scope<'v>]) -> Vec<Node> {
        let Some(open) = row_loop(&tr) else {
            return vec![Node::Element(self.element(tr, scopes))];
        };
        let text = tr.text();
        // The two tags go; the rest of their paragraphs stays.
        let mut seen = 0;
        for_paragraphs(&mut tr, &mut |p| {
            replace_tags(p, &mut |t| {
                let hit = t.is_block() && t.name == open.name && seen < 2;
                if hit {
                    seen += 1;
                }
                hit.then(String::new)
            })
        });
        let cells = std::mem::take(&mut tr.children);
        let template = Element { children: cells, ..tr };
        let mut rows = self.section(&open, &text, vec![Node::Element(template)], scopes, |f, body, s| {
            body.into_iter()
                .map(|n| match n {
                    Node::Element(mut row) => {
                        row.children = row.children.into_iter().map(|c| f.cell(c, s)).collect();
                        Node::Element(row)
                    }
                    other => other,
                })
                .collect()
        });
        // A cell merged down from the loop's row spans every item's row: the copies continue it.
        rows.iter_mut().skip(1).for_each(super::grid::continue_merges);
        rows
    }

    fn cell<'v>(&mut self, n: Node, scopes: &[Scope<'v>]) -> Node {
        match n {
            Node::Element(e) => Node::Element(self.element(e, scopes)),
            other => other,
        }
    }

    /// Fields of one paragraph replaced; block tags here are out of place. Text boxes inside
    /// are filled as bodies of their own.
    fn paragraph<'v>(&mut self, p: &mut Element, scopes: &[Scope<'v>]) {
        let text = p.text();
        match tags::scan(&text) {
            Err(tags::Unclosed(start)) => {
                let why = format!("“{start}”没有在本段内以 }}}} 结束（字段不能跨段落，也不能少写一个括号）");
                self.problem(start, &text, why);
            }
            Ok(found) => {
                for t in found.iter().filter(|t| t.is_block()) {
                    let why = format!(
                        "{} 要单独成段（与 {{{{/{}}}}} 同层），或与 {{{{/{}}}}} 写在同一表格行中重复该行",
                        t.written(),
                        t.name,
                        t.name
                    );
                    self.problem(t.written(), &text, why);
                }
                let mut values = Vec::new();
                for t in found.iter().filter(|t| !t.is_block()) {
                    values.push(self.field(t, &text, scopes));
                }
                let mut values = values.into_iter();
                replace_tags(p, &mut |t| if t.is_block() { None } else { values.next() });
            }
        }
        self.text_boxes(p, scopes);
    }

    fn text_boxes<'v>(&mut self, e: &mut Element, scopes: &[Scope<'v>]) {
        for n in &mut e.children {
            if let Node::Element(c) = n {
                if c.is("w:txbxContent") {
                    let mut inside = self.blocks(std::mem::take(&mut c.children), scopes);
                    ensure_paragraph(&mut inside);
                    c.children = inside;
                } else {
                    self.text_boxes(c, scopes);
                }
            }
        }
    }

    /// A field's text.
    fn field<'v>(&mut self, t: &Tag, paragraph: &str, scopes: &[Scope<'v>]) -> String {
        if t.sigil == Sigil::Item {
            return match scopes.iter().rposition(|s| s.path.ends_with("[]")) {
                Some(d) if scopes[d].value.is_none() && self.index.paths.get(&scopes[d].path) == Some(&Shape::Map) => {
                    let why = "这个列表的每一项是一组数据，{{.}} 填不出文字；请写这一项的字段".to_string();
                    let example = self.example_inside(&Found { depth: d, rel: String::new(), shape: Shape::Map }, scopes);
                    self.problem(t.written(), paragraph, format!("{why}，如 {example}"));
                    String::new()
                }
                Some(d) => scopes[d].value.map(printed).unwrap_or_default(),
                None => {
                    self.problem(t.written(), paragraph, "{{.}} 表示列表中的一项，只能用在 {{#列表}} 与 {{/列表}} 之间".into());
                    String::new()
                }
            };
        }
        let Some(found) = self.resolve(t, paragraph, scopes) else { return String::new() };
        if found.shape == Shape::Map && scopes[0].value.is_none() {
            let why = format!("“{}”是一组数据，不能直接填入；请用它的某一项，如 {}", t.name, self.example_inside(&found, scopes));
            self.problem(t.written(), paragraph, why);
        }
        lookup(scopes[found.depth].value, &found.rel).map(printed).unwrap_or_default()
    }

    fn example_inside(&self, found: &Found, scopes: &[Scope]) -> String {
        let base = &scopes[found.depth].path;
        let full = match (base.is_empty(), found.rel.is_empty()) {
            (true, _) => found.rel.clone(),
            (false, true) => base.clone(),
            (false, false) => format!("{base}.{}", found.rel),
        };
        let prefix = format!("{full}.");
        self.index
            .paths
            .keys()
            .filter_map(|p| p.strip_prefix(&prefix).filter(|r| !r.contains('.') && !r.contains("[]")).map(|_| p))
            .find_map(|p| chinese(self.form, p))
            .map(|n| format!("{{{{{n}}}}}"))
            .unwrap_or_default()
    }

    /// A name looked up from the innermost list item out to the document; a problem when unknown.
    fn resolve(&mut self, t: &Tag, paragraph: &str, scopes: &[Scope]) -> Option<Found> {
        for depth in (0..scopes.len()).rev() {
            if let Some((rel, shape)) = self.find(&scopes[depth].path, &t.name) {
                return Some(Found { depth, rel, shape });
            }
        }
        // Inside a list of unknown name, a field some list's items have may be its items'.
        let item_field = || {
            let form = self.form;
            self.index
                .paths
                .keys()
                .any(|p| p.rsplit_once("[].").is_some_and(|(_, f)| f == t.name || chinese(form, p) == Some(t.name.as_str())))
        };
        if !scopes.iter().any(|s| s.path == UNKNOWN_ITEM) || !item_field() {
            let message = self.unknown(t, scopes);
            self.problem(t.written(), paragraph, message);
        }
        None
    }

    /// A name among the fields directly under `base`: Chinese or dotted.
    fn find(&self, base: &str, name: &str) -> Option<(String, Shape)> {
        self.under(base).find(|(full, rel, _)| rel == name || chinese(self.form, full) == Some(name)).map(|(_, rel, s)| (rel, s))
    }

    /// Every variable reachable from `base`: (full path, path relative to it, shape).
    fn under<'s>(&'s self, base: &'s str) -> impl Iterator<Item = (&'s str, String, Shape)> + 's {
        self.index.paths.iter().filter(|(p, _)| !p.ends_with("[]")).filter_map(move |(p, shape)| {
            let rel = if base.is_empty() { Some(p.as_str()) } else { p.strip_prefix(base).and_then(|r| r.strip_prefix('.')) };
            rel.filter(|r| !r.contains("[]")).map(|r| (p.as_str(), r.to_string(), *shape))
        })
    }

    /// Why a name is not known here: a list item's field outside its list, or the nearest name.
    fn unknown(&self, t: &Tag, scopes: &[Scope]) -> String {
        let mut message = format!("没有叫“{}”的字段", t.name);
        if let Some(list) = self
            .index
            .paths
            .keys()
            .find(|p| p.rsplit_once("[].").is_some_and(|(_, field)| field == t.name || chinese(self.form, p) == Some(t.name.as_str())))
        {
            let list_path = list.rsplit_once("[].").map(|(l, _)| l).unwrap_or_default();
            let list_name = chinese(self.form, list_path).unwrap_or(list_path);
            return format!("“{}”是“{list_name}”中每一项的字段，只能用在 {{{{#{list_name}}}}} 与 {{{{/{list_name}}}}} 之间", t.name);
        }
        let mut names: Vec<String> = Vec::new();
        for s in scopes {
            for (full, rel, _) in self.under(&s.path) {
                names.extend(chinese(self.form, full).map(str::to_string));
                names.push(rel);
            }
        }
        let best = names.iter().map(|n| (tags::distance(n, &t.name), n)).min();
        if let Some((d, near)) = best
            && d <= t.name.chars().count().div_ceil(2).max(1)
        {
            message.push_str(&format!("——是不是“{near}”？"));
        } else {
            message.push_str(&format!("（可用的名称见 zeren template vars {}）", self.form));
        }
        message
    }

    /// A repeated copy made unique where Word needs it: no second bookmark of the same name, no
    /// second paragraph or drawing id.
    fn fresh_copy(&mut self, n: &mut Node) {
        let Node::Element(e) = n else { return };
        e.remove_attr("w14:paraId");
        e.remove_attr("w14:textId");
        if e.is("wp:docPr") {
            self.next_id += 1;
            e.set_attr("id", &self.next_id.to_string());
        }
        e.children.retain(|c| !matches!(c, Node::Element(b) if b.is("w:bookmarkStart") || b.is("w:bookmarkEnd")));
        e.children.iter_mut().for_each(|c| self.fresh_copy(c));
    }
}

/// The open tag of a row loop (`tags::row_loop`).
fn row_loop(tr: &Element) -> Option<Tag> {
    // (cell, paragraph text, tags) of every paragraph of the row.
    let mut paras: Vec<(usize, String, Vec<Tag>)> = Vec::new();
    for (c, cell) in tr.elements().filter(|e| e.is("w:tc")).enumerate() {
        for p in cell.elements().filter(|e| e.is("w:p")) {
            let text = p.text();
            let found = tags::scan(&text).unwrap_or_default();
            paras.push((c, text, found));
        }
    }
    tags::row_loop(&paras)
}

fn for_paragraphs(e: &mut Element, f: &mut dyn FnMut(&mut Element)) {
    for n in &mut e.children {
        if let Node::Element(c) = n {
            if c.is("w:p") {
                f(c);
            } else {
                for_paragraphs(c, f);
            }
        }
    }
}

/// A marker paragraph removed: its bookmarks stay (as block-level marks), and a paragraph that
/// ends a section stays, emptied, so the page set-up is kept.
fn drop_marker(mut p: Element) -> Vec<Node> {
    let ends_section = p.elements().any(|c| c.is("w:pPr") && c.elements().any(|s| s.is("w:sectPr")));
    if ends_section {
        p.children.retain(|c| matches!(c, Node::Element(e) if e.is("w:pPr")));
        return vec![Node::Element(p)];
    }
    p.children.into_iter().filter(|c| matches!(c, Node::Element(e) if e.is("w:bookmarkStart") || e.is("w:bookmarkEnd"))).collect()
}

fn ensure_paragraph(nodes: &mut Vec<Node>) {
    if !nodes.iter().any(|n| matches!(n, Node::Element(e) if e.is("w:p") || e.is("w:tbl"))) {
        nodes.push(Node::Element(Element::new("w:p")));
    }
}

fn lookup<'v>(scope: Option<&'v Value>, rel: &str) -> Option<&'v Value> {
    rel.split('.').try_fold(scope?, |v, key| v.get(key))
}

/// Present and not false: not null, not `false`, not an empty text or list.
fn present(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

/// How a value reads in a document: a list of texts joined with 、, yes/no as 是/否.
fn printed(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => (if *b { "是" } else { "否" }).to_string(),
        Value::Array(items) => items.iter().map(printed).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("、"),
        Value::Object(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wordtpl::xml;

    fn filled(body: &str, view: serde_json::Value) -> String {
        let mut part = xml::parse(&format!(r#"<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#)).unwrap();
        let index = crate::wordtpl::names::index(Form::Letter);
        let mut f = Filler::new(index, Form::Letter);
        f.check(&part.root);
        assert_eq!(f.problems, [], "the template checks");
        f.fill(&mut part.root, &view);
        part.root.text()
    }

    #[test]
    fn a_misspelt_list_still_has_its_inside_checked() {
        let para = |t: &str| format!("<w:p><w:r><w:t>{t}</w:t></w:r></w:p>");
        let body = [para("{{#责任祖}}"), para("{{责任主体}}"), para("致{{单位名城}}"), para("{{年度"), para("{{/责任祖}}")].concat();
        let part = xml::parse(&format!(r#"<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#)).unwrap();
        let mut f = Filler::new(crate::wordtpl::names::index(Form::Letter), Form::Letter);
        f.check(&part.root);
        let tags: Vec<&str> = f.problems.iter().map(|p| p.tag.as_str()).collect();
        assert_eq!(tags, ["{{#责任祖}}", "{{单位名城}}", "{{年度"], "an item's names pass; the rest is checked: {:?}", f.problems);
    }

    #[test]
    fn text_boxes_are_filled_as_bodies_of_their_own() {
        let body = r#"<w:p><w:r><w:t>甲</w:t><w:drawing><w:txbxContent><w:p><w:r><w:t>{{单位名称}}</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r></w:p>"#;
        assert_eq!(filled(body, serde_json::json!({"unit": {"name": "预算处"}})), "甲预算处");
    }

    #[test]
    fn a_section_is_kept_only_when_its_value_is_there() {
        let body = r#"<w:p><w:r><w:t>{{?分管领导}}</w:t></w:r></w:p><w:p><w:r><w:t>由{{分管领导}}分管</w:t></w:r></w:p><w:p><w:r><w:t>{{/分管领导}}</w:t></w:r></w:p><w:p><w:r><w:t>。</w:t></w:r></w:p>"#;
        assert_eq!(filled(body, serde_json::json!({"unit": {"supervisor": {"name": "魏"}}})), "由魏分管。");
        assert_eq!(filled(body, serde_json::json!({"unit": {"supervisor": null}})), "。");
    }

    #[test]
    fn a_marker_that_ends_a_section_keeps_the_page_setup() {
        let body = r#"<w:p><w:r><w:t>{{#班子副职}}</w:t></w:r></w:p><w:p><w:r><w:t>{{姓名}}</w:t></w:r></w:p><w:p><w:pPr><w:sectPr><w:pgSz w:w="11906"/></w:sectPr></w:pPr><w:r><w:t>{{/班子副职}}</w:t></w:r></w:p>"#;
        let mut part = xml::parse(&format!(r#"<w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#)).unwrap();
        let mut f = Filler::new(crate::wordtpl::names::index(Form::Letter), Form::Letter);
        f.fill(&mut part.root, &serde_json::json!({"unit": {"members": [{"name": "甲"}, {"name": "乙"}]}}));
        let out = part.write();
        assert_eq!(part.root.text(), "甲乙");
        assert!(out.contains(r#"<w:sectPr><w:pgSz w:w="11906"/></w:sectPr>"#), "{out}");
    }

    #[test]
    fn a_repeated_picture_gets_an_id_of_its_own() {
        let body = r#"<w:p><w:r><w:t>{{#班子副职}}</w:t></w:r></w:p><w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="图片 1"/></wp:inline></w:drawing><w:t>{{姓名}}</w:t></w:r></w:p><w:p><w:r><w:t>{{/班子副职}}</w:t></w:r></w:p>"#;
        let mut part = xml::parse(&format!(r#"<w:document xmlns:w="w" xmlns:wp="wp"><w:body>{body}</w:body></w:document>"#)).unwrap();
        let mut f = Filler::new(crate::wordtpl::names::index(Form::Letter), Form::Letter);
        f.fill(&mut part.root, &serde_json::json!({"unit": {"members": [{"name": "甲"}, {"name": "乙"}, {"name": "丙"}]}}));
        let out = part.write();
        let ids: Vec<&str> = out
            .split("<wp:docPr")
            .skip(1)
            .map(|tag| {
                let at = &tag[tag.find(" id=\"").unwrap() + 5..];
                &at[..at.find('"').unwrap()]
            })
            .collect();
        assert_eq!(ids.len(), 3, "{out}");
        let distinct: std::collections::BTreeSet<&&str> = ids.iter().collect();
        assert_eq!(distinct.len(), 3, "Word repairs a file with two pictures of one id: {ids:?}");
    }
}
