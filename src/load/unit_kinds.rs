//! zeren.yaml's `kinds:` → the workspace's `UnitKinds` (design settled 19), with the legacy
//! `seals:` map applied over them. Each entry is a mapping (name, party, seal, own, you, head,
//! tiers); a list of plain names is what `kinds:` used to mean — the document kinds a build
//! makes by default, now `documents:` — and is still read as such.

use super::check::{Checker, tidy};
use crate::model::{Tier, UnitKind, UnitKinds};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::fmt;

/// One entry of `kinds:`.
pub(super) enum RawKindEntry {
    /// A document kind's name (the old meaning of `kinds:`).
    Document(String),
    Unit(Box<RawUnitKind>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawUnitKind {
    name: Option<Spanned<String>>,
    party: Option<Spanned<bool>>,
    seal: Option<Spanned<bool>>,
    own: Option<Spanned<String>>,
    you: Option<Spanned<String>>,
    head: Option<Spanned<String>>,
    tiers: Option<Vec<Spanned<String>>>,
}

/// A name or a mapping, told apart by the YAML itself; the mapping's fields keep their places
/// (it is read from the YAML's own map, not from a buffer as `untagged` would).
impl<'de> Deserialize<'de> for RawKindEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawKindEntry, D::Error> {
        struct Entry;
        impl<'de> Visitor<'de> for Entry {
            type Value = RawKindEntry;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("单位类别 { name, party, seal, own, you, head, tiers }")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawKindEntry, E> {
                Ok(RawKindEntry::Document(v.to_string()))
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawKindEntry, A::Error> {
                RawUnitKind::deserialize(de::value::MapAccessDeserializer::new(map)).map(|k| RawKindEntry::Unit(Box::new(k)))
            }
        }
        d.deserialize_any(Entry)
    }
}

/// Words `applies_to` and a task's scope give a meaning of their own: no kind may be named so.
const RESERVED: [&str; 4] = ["班子成员", "副职", "全部", "all"];

/// The workspace's kinds, and the document kinds a legacy `kinds: [责任书, …]` names (each
/// with its place, for `settings::kinds`).
pub(super) fn unit_kinds(
    c: &mut Checker,
    raw: Option<&Spanned<Vec<Spanned<RawKindEntry>>>>,
    seals: &BTreeMap<String, Spanned<bool>>,
) -> (UnitKinds, Option<Vec<Spanned<String>>>) {
    let mut documents = None;
    let mut table = UnitKinds::builtin().clone();
    if let Some(list) = raw {
        let names: Vec<Spanned<String>> = list
            .value
            .iter()
            .filter_map(|e| match &e.value {
                RawKindEntry::Document(n) => Some(Spanned::new(n.clone(), e.referenced, e.defined)),
                RawKindEntry::Unit(_) => None,
            })
            .collect();
        let defined: Vec<&Spanned<RawKindEntry>> = list.value.iter().filter(|e| matches!(e.value, RawKindEntry::Unit(_))).collect();
        if !names.is_empty() && !defined.is_empty() {
            let p = c.at(&names[0]);
            let message = "kinds 列出单位类别（每项写 name、party、own、head 等），不能夹着文书种类的名称；不带 --kind 时生成的文书种类请写在 documents 中".to_string();
            c.error(p, "settings.kinds-mixed", message);
        } else if !names.is_empty() {
            documents = Some(names);
        } else if defined.is_empty() {
            let p = c.at(list);
            c.error(p, "settings.kinds-empty", "单位类别(kinds)为空；不写 kinds 即用内置的 处室、党支部、直属单位".into());
        } else {
            let kinds = defined.iter().filter_map(|e| unit_kind(c, e)).collect::<Vec<_>>();
            if defined.len() > UnitKinds::MAX {
                let p = c.at(list);
                c.error(p, "settings.kinds-many", format!("单位类别(kinds)有 {} 个，最多 {} 个", defined.len(), UnitKinds::MAX));
            }
            let mut seen: Vec<&UnitKind> = Vec::new();
            for k in &kinds {
                if let Some(first) = seen.iter().find(|s| s.name == k.name) {
                    let message = format!("单位类别“{}”重复（首次出现在 {}）", k.name, first.place);
                    c.error(k.place.clone(), "settings.kind-duplicate", message);
                } else {
                    seen.push(k);
                }
            }
            if let Some(t) = UnitKinds::new(kinds.clone()) {
                table = t;
            }
        }
    }
    apply_seals(c, &mut table, seals);
    (table, documents)
}

fn unit_kind(c: &mut Checker, entry: &Spanned<RawKindEntry>) -> Option<UnitKind> {
    let RawKindEntry::Unit(k) = &entry.value else { return None };
    let at = c.at(entry);
    let name = c.name(&k.name, at.clone(), "单位类别的名称(kinds.name)", "settings.kind-name");
    let label = format!("单位类别“{name}”");
    if RESERVED.contains(&name.as_str()) {
        let p = k.name.as_ref().map_or(at.clone(), |n| c.at(n));
        let message = format!("{label}与责任清单、工作任务中的“{name}”同名；请换一个名称，如“{name}单位”");
        c.error(p, "settings.kind-reserved", message);
    }
    let party = match &k.party {
        Some(p) => p.value,
        None => {
            let message = format!("{label}缺少 party：是否党组织（true：承担主体责任，如乡镇党委；false：如机关内设的处室、科室）");
            c.error(at.clone(), "settings.kind-party", message);
            false
        }
    };
    let word = |c: &mut Checker, field: &Option<Spanned<String>>, what: &str| {
        field.as_ref().map(|_| c.name(field, at.clone(), &format!("{label}的{what}"), "settings.kind-word")).filter(|w| !w.is_empty())
    };
    let own = word(c, &k.own, "自称(own)").unwrap_or_else(|| "本单位".into());
    let you = word(c, &k.you, "称呼(you)");
    let head = word(c, &k.head, "负责人称谓(head)").unwrap_or_else(|| "主要负责人".into());
    let tiers = k.tiers.as_ref().map(|list| tiers(c, list, &label));
    if name.is_empty() {
        return None;
    }
    Some(UnitKind { name, party, seal: k.seal.as_ref().map_or(party, |s| s.value), own, you, head, tiers, place: at })
}

/// A kind's `tiers`: 单位 and 副职 (the 班子成员 tier is the committee's, not a unit's).
fn tiers(c: &mut Checker, list: &[Spanned<String>], label: &str) -> Vec<Tier> {
    let mut out = Vec::new();
    for t in list {
        match Tier::parse(&t.value) {
            Some(Tier::Members) => {
                let p = c.at(t);
                let message = format!("{label}的 tiers 中的“{}”是党委与班子成员签的一层，不按单位类别；这里只能写 单位、副职", t.value);
                c.error(p, "settings.kind-tier", message);
            }
            Some(tier) => out.push(tier),
            None => {
                let p = c.at(t);
                c.error(p, "settings.kind-tier", format!("{label}的 tiers 中的“{}”无效；可用：单位、副职", tidy(&t.value)));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// `seals: { 处室: false, 党支部: true }` over the kinds' own `seal`.
fn apply_seals(c: &mut Checker, kinds: &mut UnitKinds, raw: &BTreeMap<String, Spanned<bool>>) {
    for (key, seal) in raw {
        match kinds.find(key) {
            Some(id) => kinds.get_mut(id).seal = seal.value,
            None => {
                let p = c.at(seal);
                let message = format!("印章设置(seals)中的“{key}”不是单位类别；本工作区的单位类别有：{}", kinds.list());
                c.error(p, "settings.seal", message);
            }
        }
    }
}

/// The unit kinds of the workspace at `root` alone (its zeren.yaml's `kinds:` and `seals:`), for
/// what needs them before a whole load: a roster template, the command line's `--type`. No
/// zeren.yaml: the built-in kinds.
pub fn workspace_kinds(root: &std::path::Path) -> Result<UnitKinds, crate::diag::Problems> {
    let file = root.join(super::SETTINGS_FILE);
    match super::yaml::read_text(&file, &file)? {
        Some(text) => settings_kinds(&text, &file),
        None => Ok(UnitKinds::builtin().clone()),
    }
}

/// The unit kinds a zeren.yaml's `text` defines (`shown` names it in messages), e.g. for the
/// roster template of a workspace `init` is about to write. Problems of its other fields are
/// not this one's to report.
pub fn settings_kinds(text: &str, shown: &std::path::Path) -> Result<UnitKinds, crate::diag::Problems> {
    let raw = super::yaml::parse::<Spanned<super::settings::RawSettings>>(text, shown)?;
    let mut problems = crate::diag::Problems::new();
    let (settings, _, _) = super::settings::settings(&raw, shown, &mut problems);
    let own: Vec<_> =
        problems.0.into_iter().filter(|p| p.is_error() && (p.code.starts_with("settings.kind") || p.code == "settings.seal")).collect();
    if own.is_empty() { Ok(settings.unit_kinds) } else { Err(crate::diag::Problems(own)) }
}
