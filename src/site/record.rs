//! Recording the 文号 a run hands out: a domain transaction on the workspace's ledger, done
//! under the workspace lock before the documents land, so a number on paper is always in the
//! ledger and two runs never hand out the same one.

use super::Site;
use crate::diag::{Place, Problem, Problems};
use crate::model::{DocNo, Ledger};
use crate::plan::Job;
use crate::write;

/// Writes the numbers newly assigned to `jobs` into the ledger; answers them.
pub(super) fn record_numbers(site: &Site, jobs: &[Job]) -> Result<Vec<(String, DocNo)>, Problems> {
    let assigned: Vec<(String, DocNo)> = jobs.iter().filter_map(|j| j.assigned.clone()).collect();
    if assigned.is_empty() {
        return Ok(assigned);
    }
    let root = &site.workspace.root;
    if site.lock.is_none() {
        return Err(Problem::error(
            Place::File(root.join(write::LOCK)),
            "ledger.lock",
            "无法锁定工作区，不能分配新文号（工作区是否只读？）",
        )
        .into());
    }
    let mut ledger = site.workspace.ledger.clone();
    ledger.numbers.extend(assigned.iter().cloned());
    write::atomic_write(&root.join(Ledger::FILE), ledger.to_yaml().as_bytes()).map_err(|e| super::write_problem(&e))?;
    Ok(assigned)
}
