//! What a 函告书's template sees, and each 函告书's 文号.

use super::decision::assign_numbers;
use super::letter::{UnitView, fill, own_you, unit_view};
use super::parties::{self, PartyView};
use crate::model::{DocNo, Task, TaskNotice, Unit, Word, Workspace};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct NoticeContext<'a> {
    pub organ: &'a str,
    pub year: i32,
    pub date: String,
    pub title: String,
    /// 江财党函〔2026〕1号.
    pub doc_no: String,
    /// The opening paragraph as tasks.yaml gives it, {你单位} filled in.
    pub intro: Option<String>,
    pub unit: UnitView<'a>,
    pub tasks: Vec<TaskView<'a>>,
    /// 序号 of the tasks with a date to finish by (请于完成时限前报告).
    pub dated: Vec<usize>,
    /// 序号 of the ongoing tasks, 全年 or 每季度末 (按时限要求报告).
    pub ongoing: Vec<usize>,
    /// Where completion is reported (the 回执's addressee).
    pub report_to: &'a str,
    pub contact: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// 回执报送日期, 2026年2月15日.
    pub receipt_due: Option<String>,
    pub receipt_to: &'a str,
    /// The receiving unit as the 回执's signing party: its seal where its type has one, signed
    /// by its head as 签收人.
    pub recipient: PartyView,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskView<'a> {
    pub seq: usize,
    pub task: &'a str,
    pub requirement: String,
    /// 2026年6月30日前, or 全年.
    pub deadline: String,
    /// The deadline is a date (otherwise an ongoing duty: 全年, 每季度末).
    pub dated: bool,
    /// 牵头部门: the office that leads and supervises the task (the recipient is the 责任单位).
    pub lead: &'a str,
    /// 牵头人 at the lead office, if named.
    pub owner: Option<&'a str>,
}

pub(super) fn view<'a>(ws: &'a Workspace, notice: &'a TaskNotice, unit: &'a Unit, tasks: &[&'a Task], no: &DocNo) -> NoticeContext<'a> {
    let s = &ws.settings;
    let (own, you) = own_you(ws, unit);
    let tasks: Vec<TaskView> = tasks
        .iter()
        .enumerate()
        .map(|(i, t)| TaskView {
            seq: i + 1,
            task: &t.task,
            requirement: fill(&t.requirement, own, &you).into_owned(),
            deadline: t.deadline.to_string(),
            dated: t.deadline.is_date(),
            lead: &t.lead,
            owner: t.owner.as_deref(),
        })
        .collect();
    let receipt_to = notice.receipt_to.as_deref().unwrap_or(&s.organ);
    let words = &ws.words;
    let mut recipient = parties::unit(ws, words.get(Word::Recipient), unit);
    recipient.signer.label = words.sign_label(words.get(Word::RecipientSigner));
    NoticeContext {
        organ: &s.organ,
        year: s.year,
        date: s.date.chinese(),
        title: notice.title.clone().unwrap_or_else(|| words.title(Word::NoticeTitle, s.year)),
        doc_no: no.to_string(),
        intro: notice.intro.as_deref().map(|t| fill(t, own, &you).into_owned()),
        unit: unit_view(ws, unit),
        dated: tasks.iter().filter(|t| t.dated).map(|t| t.seq).collect(),
        ongoing: tasks.iter().filter(|t| !t.dated).map(|t| t.seq).collect(),
        tasks,
        report_to: receipt_to,
        contact: notice.contact.as_deref(),
        phone: notice.phone.as_deref(),
        receipt_due: notice.receipt_due.map(|d| d.chinese()),
        receipt_to,
        recipient,
    }
}

/// The ledger key a 函告书's 文号 is recorded under: one per year and receiving unit.
pub fn notice_key(year: i32, unit: &str) -> String {
    format!("{NOTICE_KEY}{year}/{unit}")
}

const NOTICE_KEY: &str = "函告书/";

/// A ledger key as people read it: 案件 2026-WZ-004, or 函告书/2026/机关第一党支部 as it is.
pub fn ledger_label(key: &str) -> String {
    if key.starts_with(NOTICE_KEY) { key.to_string() } else { format!("案件 {key}") }
}

/// The 函告书's 机关代字: tasks.yaml's `code`, else the organ's code + 函 (a 函 series of its own).
pub fn notice_code(ws: &Workspace) -> String {
    ws.notice.as_ref().and_then(|n| n.code.clone()).unwrap_or_else(|| format!("{}函", ws.settings.code))
}

/// Each recipient's 文号: as the ledger has it, or the next free number of the series (`true`:
/// newly assigned). Pure, like the decisions': only a real build records new ones. Numbers the
/// decisions use or are about to get are never handed out again, should both share a code.
pub fn notice_numbers(ws: &Workspace, recipients: &[&Unit]) -> Vec<(String, DocNo, bool)> {
    let s = &ws.settings;
    let code = notice_code(ws);
    let decisions: Vec<DocNo> = assign_numbers(ws).into_iter().map(|(no, _)| no).collect();
    let mut next = ws.ledger.next_free(&code, s.year, decisions.iter());
    recipients
        .iter()
        .map(|unit| {
            let key = notice_key(s.year, &unit.name);
            match ws.ledger.numbers.get(&key) {
                Some(no) => (key, no.clone(), false),
                None => {
                    let no = DocNo { code: code.clone(), year: s.year, number: next };
                    next += 1;
                    (key, no, true)
                }
            }
        })
        .collect()
}
