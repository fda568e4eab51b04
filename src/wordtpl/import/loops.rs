//! `{{#列表}}`, `{{?条件}}` and `{{/…}}` of an imported letter as Tera loops and conditions over
//! the same lists: a scope per list being repeated, so a field inside reads as the item's
//! (`{{责任主体}}` → `{{ item.subject }}`).

use super::Importer;
use super::word::scan;
use crate::wordtpl::names::{self, Shape};
use crate::wordtpl::tags::{Sigil, Tag};

/// A `{{#列表}}` or `{{?条件}}` paragraph whose end is still to come.
pub(super) struct Open {
    pub(super) tag: Tag,
    pub(super) paragraph: String,
    /// It became a statement (its name was known), so its end writes one too.
    written: bool,
    /// It pushed a scope (a list repeated).
    scoped: bool,
}

/// The block tag a paragraph consists of, if it is one (`{{#责任组}}` alone).
pub(super) fn marker(text: &str) -> Option<Tag> {
    match scan(text).as_slice() {
        [t] if t.is_block() && text.trim() == &text[t.start..t.end] => Some(t.clone()),
        _ => None,
    }
}

impl Importer<'_> {
    /// A name as the template reaches it here: a field of the innermost list item that has it
    /// (`item.subject`), else of the document (`unit.name`); with what it holds.
    pub(super) fn resolve(&self, name: &str) -> Option<(String, Shape)> {
        let form = self.form;
        let matches = |full: &str, rel: &str| rel == name || names::chinese(form, full) == Some(name);
        for (base, var) in self.scopes.iter().rev() {
            let prefix = format!("{base}.");
            let found = self
                .index
                .paths
                .iter()
                .find(|(p, _)| p.strip_prefix(&prefix).is_some_and(|rel| !rel.contains("[]") && !p.ends_with("[]") && matches(p, rel)));
            if let Some((p, shape)) = found {
                return Some((format!("{var}.{}", &p[prefix.len()..]), *shape));
            }
        }
        self.index.paths.iter().find(|(p, _)| !p.contains("[]") && matches(p, p)).map(|(p, shape)| (p.clone(), *shape))
    }

    /// The Tera statement a `{{#列表}}`, `{{?条件}}` or `{{/…}}` becomes, its scope opened or
    /// closed; `None` (with a problem) when it cannot be one.
    pub(super) fn statement(&mut self, t: &Tag, whole: &str) -> Option<String> {
        if t.sigil == Sigil::End {
            let Some(open) = self.open.pop() else {
                self.problem(&t.written(), whole, format!("{} 前面没有对应的 {{{{#{}}}}}", t.written(), t.name));
                return None;
            };
            if open.tag.name != t.name {
                let why = format!("{} 与前面的 {} 不对应：先开始的后结束", t.written(), open.tag.written());
                self.problem(&t.written(), whole, why);
                self.open.push(open);
                return None;
            }
            if open.scoped {
                self.scopes.pop();
            }
            return open.written.then(|| if open.tag.sigil == Sigil::Each { "{% endfor %}" } else { "{% endif %}" }.to_string());
        }
        let mut open = Open { tag: t.clone(), paragraph: whole.to_string(), written: false, scoped: false };
        let statement = match (t.sigil, self.resolve(&t.name)) {
            (_, None) => {
                let message = self.unknown(&t.name);
                self.problem(&t.written(), whole, message);
                None
            }
            (Sigil::Each, Some((expr, Shape::List))) => {
                let var = if self.scopes.is_empty() { "item".to_string() } else { format!("item{}", self.scopes.len() + 1) };
                let base = self.item_path(&expr);
                self.scopes.push((base, var.clone()));
                open.scoped = true;
                Some(format!("{{% for {var} in {expr} %}}"))
            }
            (Sigil::Each, Some(_)) => {
                let why = format!("“{}”不是列表，不能用 {} 重复；只在有值时保留请用 {{{{?{}}}}}", t.name, t.written(), t.name);
                self.problem(&t.written(), whole, why);
                None
            }
            (_, Some((expr, _))) => Some(format!("{{% if {expr} %}}")),
        };
        open.written = statement.is_some();
        self.open.push(open);
        statement
    }

    /// The index path of the items of the list `expr` names (`item.duties` → `groups[].duties[]`).
    fn item_path(&self, expr: &str) -> String {
        let full = match expr.split_once('.') {
            Some((var, rel)) => match self.scopes.iter().find(|(_, v)| v == var) {
                Some((base, _)) => format!("{base}.{rel}"),
                None => expr.to_string(),
            },
            None => match self.scopes.iter().find(|(_, v)| v == expr) {
                Some((base, _)) => base.clone(),
                None => expr.to_string(),
            },
        };
        format!("{full}[]")
    }
}
