//! The number ledger: which 文号 zeren assigned to which case or 函告书, so a re-run reuses it
//! and two runs never hand out the same number (design, settled 4). Only a real `build` writes it.
//! A record of truth: one 文号 belongs to one key, a key is a case id or a 函告书's
//! 函告书/年度/单位, and a number stays within `DocNo::MAX_NUMBER` (load/documents.rs holds it to that).

use super::DocNo;
use crate::diag::Place;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Case id (or a 函告书's key, 函告书/2026/单位) → its 文号.
    pub numbers: BTreeMap<String, DocNo>,
    /// Where the ledger was read from (for messages about it as a whole), and each entry's line.
    pub place: Option<Place>,
    pub lines: BTreeMap<String, Place>,
}

/// What a ledger key is: the id of a 问责 case, or a 函告书 (year, receiving unit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerKey<'a> {
    Case(&'a str),
    Notice { year: i32, unit: &'a str },
}

impl Ledger {
    /// The ledger file's name in the workspace (kept in git with the data).
    pub const FILE: &'static str = "文号台账.yaml";
    /// Entries a ledger may hold: the bound every YAML mapping has (`load::limits::MAX_RECORDS`),
    /// so a build never writes a ledger the next run cannot read.
    pub const MAX_ENTRIES: usize = 100_000;
    /// What starts a 函告书's key; a case id may not start so (it would take that 函告书's 文号).
    pub const NOTICE_PREFIX: &'static str = "函告书/";

    /// The next free number of `code` in `year`: after every number the ledger or the data uses.
    /// Numbers are bounded (`DocNo::MAX_NUMBER`), so this cannot wrap.
    pub fn next_free<'a>(&'a self, code: &str, year: i32, also_used: impl Iterator<Item = &'a DocNo>) -> u32 {
        self.numbers
            .values()
            .chain(also_used)
            .filter(|n| n.code == code && n.year == year)
            .map(|n| n.number)
            .max()
            .unwrap_or(0)
            .saturating_add(1)
    }

    /// The 文号 the ledger holds for a case: never a 函告书's, whatever the case is called.
    pub fn case_number(&self, id: &str) -> Option<&DocNo> {
        if id.starts_with(Self::NOTICE_PREFIX) { None } else { self.numbers.get(id) }
    }

    /// What `key` names: a case, a 函告书 (函告书/2026/单位), or `None` for a 函告书 key that is
    /// not of that shape.
    pub fn key_kind(key: &str) -> Option<LedgerKey<'_>> {
        let Some(rest) = key.strip_prefix(Self::NOTICE_PREFIX) else { return Some(LedgerKey::Case(key)) };
        let (year, unit) = rest.split_once('/')?;
        let year_ok = year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit());
        (year_ok && !unit.trim().is_empty()).then(|| LedgerKey::Notice { year: year.parse().unwrap_or(0), unit })
    }

    /// The line a key was read from, else the ledger file.
    pub fn place_of(&self, key: &str) -> Place {
        self.lines.get(key).cloned().or_else(|| self.place.clone()).unwrap_or(Place::File(Self::FILE.into()))
    }

    /// The YAML the ledger is stored as.
    pub fn to_yaml(&self) -> String {
        let mut s = String::from(
            "# 文号台账：由 zeren build 维护，记录每个问责案件编号、每份函告书（函告书/年度/收函单位）所分配的文号。\n# 已分配的文号不要改动或删除，以免重号。\nnumbers:\n",
        );
        for (id, no) in &self.numbers {
            s.push_str(&format!("  \"{}\": \"{}\"\n", quoted(id), no));
        }
        s
    }
}

/// A key inside YAML double quotes: backslash, quote and control characters escaped, so any id
/// the data allowed reads back as itself.
fn quoted(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}
