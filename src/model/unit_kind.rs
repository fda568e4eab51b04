//! Unit kinds (单位类别) as a workspace defines them (zeren.yaml `kinds:`, design settled 19): what
//! a kind is (党组织 or not), whether it seals, how it calls itself and is addressed, how its head
//! signs and which tier letters it signs. Without `kinds:` the built-in 处室、党支部、直属单位 apply.
//! A unit holds a `KindId` into its workspace's `UnitKinds`, never the name.

use super::Tier;
use crate::diag::Place;
use std::sync::OnceLock;

/// A kind of the workspace's table: an index, meaningful only with the table it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KindId(u16);

impl KindId {
    /// The position in the table (0-based), as the kinds are listed.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// One kind: the words its documents use and the rules that follow from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitKind {
    /// As the organisation says it and the roster's 类别 column holds it: 乡镇党委.
    pub name: String,
    /// A 党组织: it bears 主体责任 (主体责任规定), and its letter says so.
    pub party: bool,
    /// It stamps a seal on what it signs (责任书, 回执, 评分表).
    pub seal: bool,
    /// How it calls itself in its own letter ({本单位}): 本乡镇.
    pub own: String,
    /// How a document addressed to it calls it ({你单位}); `None`: from the unit's name where it
    /// ends in 处/室/科 (预算处 → 你处), else from `own` (本乡镇 → 你乡镇).
    pub you: Option<String>,
    /// How its head signs: 党委书记.
    pub head: String,
    /// The tier letters it signs (单位, 副职); `None`: every tier the workspace makes.
    pub tiers: Option<Vec<Tier>>,
    /// Where zeren.yaml defines it (`Nowhere` for a built-in kind).
    pub place: Place,
}

impl UnitKind {
    fn builtin(name: &str, party: bool, seal: bool, own: &str, you: Option<&str>, head: &str) -> UnitKind {
        UnitKind {
            name: name.into(),
            party,
            seal,
            own: own.into(),
            you: you.map(String::from),
            head: head.into(),
            tiers: None,
            place: Place::Nowhere,
        }
    }

    /// How a document addressed to `unit_name`, a unit of this kind, calls it.
    pub fn you(&self, unit_name: &str) -> String {
        if let Some(you) = &self.you {
            return you.clone();
        }
        match unit_name.chars().last() {
            Some(c @ ('处' | '室' | '科')) => format!("你{c}"),
            _ => match self.own.strip_prefix('本') {
                Some(rest) if !rest.is_empty() => format!("你{rest}"),
                _ => "你单位".to_string(),
            },
        }
    }

    /// Whether units of this kind sign letters of `tier` (the workspace must make the tier too).
    pub fn signs(&self, tier: Tier) -> bool {
        self.tiers.as_ref().is_none_or(|t| t.contains(&tier))
    }
}

/// The kinds a workspace's units may be of, in the order zeren.yaml lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitKinds {
    kinds: Vec<UnitKind>,
}

impl Default for UnitKinds {
    fn default() -> UnitKinds {
        UnitKinds::builtin().clone()
    }
}

impl UnitKinds {
    /// Kinds a workspace may define (a roster's dropdown, a message's list stay readable).
    pub const MAX: usize = 200;

    /// 处室 (a bureau's internal office: no 党组织, no seal), 党支部, 直属单位 — the kinds of a
    /// city bureau, used when zeren.yaml has no `kinds:`.
    pub fn builtin() -> &'static UnitKinds {
        static BUILTIN: OnceLock<UnitKinds> = OnceLock::new();
        BUILTIN.get_or_init(|| UnitKinds {
            kinds: vec![
                UnitKind::builtin("处室", false, false, "本处室", None, "负责人"),
                UnitKind::builtin("党支部", true, true, "本支部", Some("你支部"), "支部书记"),
                UnitKind::builtin("直属单位", true, true, "本单位", Some("你单位"), "主要负责人"),
            ],
        })
    }

    /// A table of the given kinds; `None` when there are none or more than `MAX` (the loader
    /// has said why).
    pub fn new(kinds: Vec<UnitKind>) -> Option<UnitKinds> {
        (!kinds.is_empty() && kinds.len() <= Self::MAX).then_some(UnitKinds { kinds })
    }

    pub fn get(&self, id: KindId) -> &UnitKind {
        &self.kinds[id.index()]
    }

    pub fn get_mut(&mut self, id: KindId) -> &mut UnitKind {
        &mut self.kinds[id.index()]
    }

    pub fn name(&self, id: KindId) -> &str {
        &self.get(id).name
    }

    /// The kind named `name` (surrounding blanks ignored).
    pub fn find(&self, name: &str) -> Option<KindId> {
        let name = name.trim();
        self.kinds.iter().position(|k| k.name == name).map(|i| KindId(i as u16))
    }

    pub fn ids(&self) -> impl Iterator<Item = KindId> + '_ {
        (0..self.kinds.len()).map(|i| KindId(i as u16))
    }

    pub fn iter(&self) -> impl Iterator<Item = (KindId, &UnitKind)> {
        self.kinds.iter().enumerate().map(|(i, k)| (KindId(i as u16), k))
    }

    pub fn names(&self) -> Vec<&str> {
        self.kinds.iter().map(|k| k.name.as_str()).collect()
    }

    /// "处室、党支部、直属单位" for messages.
    pub fn list(&self) -> String {
        self.names().join("、")
    }

    /// "处室、党支部 或 直属单位" for messages that say what a value should be.
    pub fn choices(&self) -> String {
        match self.names().split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} 或 {last}", rest.join("、")),
            _ => self.list(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_office_is_addressed_by_the_last_character_of_its_name() {
        let k = UnitKinds::builtin();
        let office = k.get(k.find("处室").unwrap());
        assert_eq!(office.you("预算处"), "你处");
        assert_eq!(office.you("办公室"), "你室");
        assert_eq!(office.you("机关服务中心"), "你处室");
        assert_eq!(k.get(k.find(" 党支部 ").unwrap()).you("第一党支部"), "你支部");
        assert_eq!(k.choices(), "处室、党支部 或 直属单位");
    }

    #[test]
    fn a_kind_without_an_address_takes_it_from_how_it_calls_itself() {
        let town = UnitKind { you: None, own: "本乡镇".into(), ..UnitKinds::builtin().get(KindId(0)).clone() };
        assert_eq!(town.you("青山镇党委"), "你乡镇");
        let plain = UnitKind { own: "自己".into(), ..town.clone() };
        assert_eq!(plain.you("青山镇党委"), "你单位");
    }
}
