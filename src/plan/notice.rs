//! What a 函告书's template sees.

use super::letter::{UnitView, unit_view};
use crate::model::{Task, TaskNotice, Unit, Workspace};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct NoticeContext<'a> {
    pub organ: &'a str,
    pub year: i32,
    pub date: String,
    pub title: String,
    pub intro: Option<&'a str>,
    pub unit: UnitView<'a>,
    pub tasks: Vec<TaskView<'a>>,
    pub contact: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// 回执报送日期, 2026年2月15日.
    pub receipt_due: Option<String>,
    pub receipt_to: &'a str,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskView<'a> {
    pub seq: usize,
    pub task: &'a str,
    pub requirement: &'a str,
    /// 2026年6月30日前, or 全年.
    pub deadline: String,
    pub lead: &'a str,
    pub owner: Option<&'a str>,
}

pub(super) fn view<'a>(ws: &'a Workspace, notice: &'a TaskNotice, unit: &'a Unit, tasks: &[&'a Task]) -> NoticeContext<'a> {
    let s = &ws.settings;
    NoticeContext {
        organ: &s.organ,
        year: s.year,
        date: s.date.chinese(),
        title: notice.title.clone().unwrap_or_else(|| format!("{}年度党风廉政建设主要工作任务函告书", s.year)),
        intro: notice.intro.as_deref(),
        unit: unit_view(unit),
        tasks: tasks
            .iter()
            .enumerate()
            .map(|(i, t)| TaskView {
                seq: i + 1,
                task: &t.task,
                requirement: &t.requirement,
                deadline: t.deadline.to_string(),
                lead: &t.lead,
                owner: t.owner.as_deref(),
            })
            .collect(),
        contact: notice.contact.as_deref(),
        phone: notice.phone.as_deref(),
        receipt_due: notice.receipt_due.map(|d| d.chinese()),
        receipt_to: notice.receipt_to.as_deref().unwrap_or(&s.organ),
    }
}
