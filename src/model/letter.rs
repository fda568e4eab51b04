//! The tiers in which 责任书 are signed (design, settled 1), whom a duty group binds, and the
//! committee's 班子成员 with the units of their portfolio.

use super::{KindId, Member, Signing, Unit, UnitKinds, Workspace};
use std::fmt;

/// A tier of 责任书, in the order a secretariat signs and prints them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    /// The committee (its 书记) with each 班子成员: 一岗双责, the units of the portfolio by name.
    Members,
    /// The committee (its 书记, or the 分管领导 under `signing: tiered`) with each unit.
    Units,
    /// A unit's head with each deputy the unit lists.
    Deputies,
}

impl Tier {
    pub const ALL: [Tier; 3] = [Tier::Members, Tier::Units, Tier::Deputies];

    /// How people call it: also what `--tier` and zeren.yaml's `letter.tiers` take.
    pub fn name(self) -> &'static str {
        match self {
            Tier::Members => "班子成员",
            Tier::Units => "单位",
            Tier::Deputies => "副职",
        }
    }

    fn english(self) -> &'static str {
        match self {
            Tier::Members => "members",
            Tier::Units => "units",
            Tier::Deputies => "deputies",
        }
    }

    pub fn parse(s: &str) -> Option<Tier> {
        let s = s.trim();
        Tier::ALL.into_iter().find(|t| t.name() == s || t.english() == s)
    }

    /// "班子成员（members）、…" for messages.
    pub fn known_list() -> String {
        Tier::ALL.iter().map(|t| format!("{}（{}）", t.name(), t.english())).collect::<Vec<_>>().join("、")
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Whom a duty group binds: the letters of units of a kind, of the committee's 班子成员, or of
/// units' deputies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Audience {
    Unit(KindId),
    Member,
    Deputy,
}

impl Audience {
    /// A word of `applies_to`: a kind of the workspace, 班子成员 or 副职.
    pub fn parse(s: &str, kinds: &UnitKinds) -> Option<Audience> {
        match s.trim() {
            "班子成员" => Some(Audience::Member),
            "副职" => Some(Audience::Deputy),
            other => kinds.find(other).map(Audience::Unit),
        }
    }

    /// What `applies_to` takes, for messages.
    pub fn known(kinds: &UnitKinds) -> String {
        format!("{}、班子成员（党委班子成员的“一岗双责”责任书）或 副职（单位班子副职的责任书）", kinds.list())
    }
}

/// One 班子成员 of the committee and the units he or she is in charge of (分管), roster order.
#[derive(Debug, Clone)]
pub struct CommitteeMember<'a> {
    pub person: &'a Member,
    pub units: Vec<&'a Unit>,
}

impl Workspace {
    /// The committee's 班子成员 besides the 书记, as zeren.yaml lists them (who sits on the
    /// committee is a fact of the settings, not of a roster: a roster's 分管领导 may include
    /// leaders who are not members, and an upload must not change who signs), each with the
    /// units whose 分管领导 he or she is, in roster order.
    pub fn committee(&self) -> Vec<CommitteeMember<'_>> {
        self.settings
            .members
            .iter()
            .map(|person| {
                let units = self.units.iter().filter(|u| u.supervisor.as_ref().is_some_and(|x| x.name == person.name)).collect();
                CommitteeMember { person, units }
            })
            .collect()
    }

    /// Who signs for 甲方 on this unit's letter.
    pub fn party_a_signer<'a>(&'a self, unit: &'a Unit) -> &'a super::Person {
        match (self.settings.signing, &unit.supervisor) {
            (Signing::Tiered, Some(s)) => s,
            _ => &self.settings.signatory,
        }
    }
}
