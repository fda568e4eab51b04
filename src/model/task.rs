//! The year's 党风廉政建设 tasks and to whom each applies (工作任务函告书).

use super::{Date, KindId};
use crate::diag::Place;
use std::fmt;

/// Whom a task applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    Types(Vec<KindId>),
    Units(Vec<String>),
    /// Types and named units together.
    Mixed(Vec<KindId>, Vec<String>),
}

impl Scope {
    pub fn covers(&self, unit: &super::Unit) -> bool {
        match self {
            Scope::All => true,
            Scope::Types(t) => t.contains(&unit.kind),
            Scope::Units(n) => n.contains(&unit.name),
            Scope::Mixed(t, n) => t.contains(&unit.kind) || n.contains(&unit.name),
        }
    }
}

/// 完成时限: a date, or words such as 全年 / 每季度末.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deadline {
    Date(Date),
    Text(String),
}

impl Deadline {
    /// A date: the task is done by then. Otherwise an ongoing duty (全年, 每季度末).
    pub fn is_date(&self) -> bool {
        matches!(self, Deadline::Date(_))
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deadline::Date(d) => write!(f, "{}前", d.chinese()),
            Deadline::Text(t) => f.write_str(t),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Task {
    /// 工作任务.
    pub task: String,
    /// 具体要求.
    pub requirement: String,
    pub deadline: Deadline,
    /// 责任部门 (lead department).
    pub lead: String,
    /// 责任人, if named.
    pub owner: Option<String>,
    pub scope: Scope,
    pub place: Place,
}

/// The shared text of the 函告书 campaign.
#[derive(Debug, Clone, Default)]
pub struct TaskNotice {
    pub title: Option<String>,
    /// 机关代字 of the 函告书's 文号 (a series of its own; by default the organ's code + 函).
    pub code: Option<String>,
    pub intro: Option<String>,
    /// 联系人 and phone.
    pub contact: Option<String>,
    pub phone: Option<String>,
    /// 回执 to be returned by, and where it was written.
    pub receipt_due: Option<Date>,
    pub receipt_due_at: Option<crate::diag::Place>,
    /// Where the 回执 goes (default: the issuing organ).
    pub receipt_to: Option<String>,
    pub tasks: Vec<Task>,
}
