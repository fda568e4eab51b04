//! The number ledger: which 文号 zeren assigned to which case or 函告书, so a re-run reuses it
//! and two runs never hand out the same number (design, settled 4). Only a real `build` writes it.

use super::DocNo;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    /// Case id (or a 函告书's key, 函告书/2026/单位) → its 文号.
    pub numbers: BTreeMap<String, DocNo>,
}

impl Ledger {
    /// The ledger file's name in the workspace (kept in git with the data).
    pub const FILE: &'static str = "文号台账.yaml";

    /// The next free number of `code` in `year`: after every number the ledger or the data uses.
    pub fn next_free<'a>(&'a self, code: &str, year: i32, also_used: impl Iterator<Item = &'a DocNo>) -> u32 {
        self.numbers.values().chain(also_used).filter(|n| n.code == code && n.year == year).map(|n| n.number).max().unwrap_or(0) + 1
    }

    /// The YAML the ledger is stored as.
    pub fn to_yaml(&self) -> String {
        let mut s = String::from(
            "# 文号台账：由 zeren build 维护，记录每个问责案件编号、每份函告书（函告书/年度/收函单位）所分配的文号。\n# 已分配的文号不要改动或删除，以免重号。\nnumbers:\n",
        );
        for (id, no) in &self.numbers {
            s.push_str(&format!("  \"{}\": \"{}\"\n", id.replace('\\', "\\\\").replace('"', "\\\""), no));
        }
        s
    }
}
