//! Rules that span documents (design, settled 20; issue 27): each file was checked on its own
//! when read; here, once every file is sound, the workspace is checked as one record, where two
//! files meet. Each rule is a located error, or a warning that says why where practice varies:
//!
//! - every date a 函告书 asks for (回执, task deadlines) falls after its 成文日期;
//! - a task's 牵头部门 is in the unit list (or is the organ), and its 牵头人 belongs to it: its
//!   head or deputy, or the 班子成员 whose portfolio (分管) holds it;
//! - one person's facts agree: a 分管领导 with the committee of zeren.yaml; a 述责述廉 report with
//!   the unit list and with the person's 问责 case (post, gender, birth, political status, and the
//!   date of taking office a case gives);
//! - a unit's 一票否决 is backed by what the veto item says it needs;
//! - a unit held to account this year is not scored full marks, without a stated reason, on the
//!   items its case is about;
//! - (warnings) a decision is copied to the 党组织 it is announced to; a 处室 is not given
//!   主体责任; the 联系人 of a 函告书 is not a 班子成员.

use crate::diag::{Place, Problem, Problems};
use crate::model::score::{Entry, Rule};
use crate::model::{Audience, Case, Deadline, Gender, Method, Report, Subject, Unit, UnitSource, VetoEvidence, Workspace, YearMonth};
use std::collections::HashMap;

/// Every cross-document rule, in the order a reader meets the documents.
pub(super) fn check(ws: &Workspace, problems: &mut Problems) {
    // Looked up by name, never by a scan per record: a roster, cases and reports of 100,000 rows
    // each must not make this quadratic.
    let units = ws.units.iter().map(|u| (u.name.as_str(), u)).collect();
    let reports = ws.reports.iter().map(|r| ((r.unit.as_str(), r.name.as_str()), r)).collect();
    let mut cases: HashMap<&str, Vec<&Case>> = HashMap::new();
    for case in &ws.cases {
        cases.entry(case.subject.unit().as_str()).or_default().push(case);
    }
    let mut c = Cross { ws, problems, units, reports, cases };
    c.notice_dates();
    c.task_leads();
    c.supervisors_agree();
    c.reports_agree();
    c.cases_agree();
    c.vetoes_backed();
    c.scores_reflect_cases();
    c.copied_to_party_organisation();
    c.only_party_organisations_bear_principal_duty();
}

struct Cross<'a> {
    ws: &'a Workspace,
    problems: &'a mut Problems,
    units: HashMap<&'a str, &'a Unit>,
    /// (unit, name) → that person's 述责述廉 report.
    reports: HashMap<(&'a str, &'a str), &'a Report>,
    /// Unit → the cases against it or its people.
    cases: HashMap<&'a str, Vec<&'a Case>>,
}

impl<'a> Cross<'a> {
    fn error(&mut self, place: Place, code: &'static str, message: String) {
        self.problems.push(Problem::error(place, code, message));
    }

    fn warning(&mut self, place: Place, code: &'static str, message: String) {
        self.problems.push(Problem::warning(place, code, message));
    }

    fn unit(&self, name: &str) -> Option<&'a Unit> {
        self.units.get(name).copied()
    }

    fn report(&self, unit: &str, name: &str) -> Option<&'a Report> {
        self.reports.get(&(unit, name)).copied()
    }

    fn cases_of(&self, unit: &str) -> Vec<&'a Case> {
        self.cases.get(unit).cloned().unwrap_or_default()
    }

    /// The 函告书 asks for the 回执 and each task by a date: a date on or before its own 成文日期
    /// cannot be met (a deadline from last year's file, a typo of the year).
    fn notice_dates(&mut self) {
        let Some(notice) = &self.ws.notice else { return };
        let issued = self.ws.settings.date;
        if let (Some(due), Some(at)) = (notice.receipt_due, notice.receipt_due_at.clone())
            && due <= issued
        {
            let message = format!("回执报送日期 {} 不在函告书成文日期 {} 之后，收函单位无法按期报送", due.chinese(), issued.chinese());
            self.error(at, "tasks.receipt-due-early", message);
        }
        for t in &notice.tasks {
            if let Deadline::Date(d) = t.deadline
                && d <= issued
            {
                let message = format!("任务“{}”的完成时限 {} 不在函告书成文日期 {} 之后", t.task, d.chinese(), issued.chinese());
                self.error(t.place.clone(), "task.deadline-early", message);
            }
        }
    }

    /// 牵头部门 and 牵头人 as the roster and the committee know them; the 牵头人 fits the
    /// portfolio when the 牵头部门 is his or her own unit or one in his or her charge.
    fn task_leads(&mut self) {
        let ws = self.ws;
        let Some(notice) = &ws.notice else { return };
        if ws.unit_source == UnitSource::None || ws.units.is_empty() {
            return;
        }
        let s = &ws.settings;
        let committee: Vec<(&str, &str)> = std::iter::once((s.signatory.name.as_str(), ""))
            .chain(s.members.iter().map(|m| (m.name.as_str(), m.portfolio.as_str())))
            .collect();
        for t in &notice.tasks {
            let lead = self.unit(&t.lead);
            let is_organ = t.lead == s.organ;
            if lead.is_none() && !is_organ {
                let message = format!(
                    "任务“{}”的牵头部门“{}”不在单位名单中，也不是发文机关；请写名单中的部门（如 机关党委办公室），或把它加入名单",
                    t.task, t.lead
                );
                self.error(t.place.clone(), "task.lead-unknown", message);
                continue;
            }
            let Some(owner) = &t.owner else { continue };
            let fits = match lead {
                Some(u) => {
                    u.leader.name == *owner
                        || u.members.iter().any(|m| m.name == *owner)
                        || u.supervisor.as_ref().is_some_and(|sup| sup.name == *owner)
                }
                None => committee.iter().any(|(n, _)| n == owner),
            };
            if !fits {
                let portfolio = committee.iter().find(|(n, _)| n == owner).map(|(_, p)| *p).filter(|p| !p.is_empty());
                let why = portfolio.map(|p| format!("（{owner}{p}）")).unwrap_or_default();
                let message = format!(
                    "任务“{}”的牵头人“{owner}”不是牵头部门“{}”的负责人或班子成员，也不是分管它的班子成员{why}；牵头人应当由牵头部门或其分管领导担任",
                    t.task, t.lead
                );
                self.error(t.place.clone(), "task.owner-misfit", message);
            }
        }
        if let Some(contact) = notice.contact.as_deref().filter(|c| committee.iter().any(|(n, _)| n == c)) {
            let at = notice.tasks.first().map(|t| Place::File(t.place.file().map(|f| f.to_path_buf()).unwrap_or_default()));
            let message = format!(
                "函告书的联系人“{contact}”是党委班子成员；联系人是收函单位报送回执、询问事项时找的人，一般写承办部门的工作人员（各地做法不一，仅作提示）"
            );
            self.warning(at.unwrap_or(Place::Nowhere), "tasks.contact-committee", message);
        }
    }

    /// A 分管领导 named in the unit list is the committee member of zeren.yaml: the same post.
    fn supervisors_agree(&mut self) {
        let ws = self.ws;
        for u in &ws.units {
            let Some(sup) = &u.supervisor else { continue };
            let s = &ws.settings;
            let listed = s
                .members
                .iter()
                .find(|m| m.name == sup.name)
                .map(|m| m.title.as_str())
                .or_else(|| (s.signatory.name == sup.name).then_some(s.signatory.title.as_str()));
            if let Some(title) = listed.filter(|t| !t.is_empty() && !sup.title.is_empty() && *t != sup.title) {
                let message = format!(
                    "单位“{}”的分管领导{}的职务“{}”与 zeren.yaml 党委班子中的“{title}”不一致；同一个人的职务应当处处相同",
                    u.name, sup.name, sup.title
                );
                self.error(u.place.clone(), "unit.supervisor-title-differs", message);
            }
        }
    }

    /// A report's person as the unit list knows him or her: the same post.
    fn reports_agree(&mut self) {
        let ws = self.ws;
        if ws.unit_source == UnitSource::None {
            return;
        }
        for r in &ws.reports {
            let listed = self.unit(&r.unit).and_then(|u| title_in(u, &r.name)).or_else(|| {
                let s = &ws.settings;
                std::iter::once(&s.signatory)
                    .find(|p| p.name == r.name)
                    .map(|p| p.title.clone())
                    .or_else(|| s.members.iter().find(|m| m.name == r.name).map(|m| m.title.clone()))
            });
            match listed {
                Some(title) if title != r.title => {
                    let message =
                        format!("述责述廉表中{}的职务“{}”与单位名单中的“{title}”不一致；同一个人的职务应当处处相同", r.name, r.title);
                    self.error(r.place.clone(), "report.title-differs", message);
                }
                Some(_) => {}
                None => {
                    let message =
                        format!("述责述廉表的{}不是单位名单中“{}”的负责人或班子成员，也不是党委班子成员，无从核对其职务", r.name, r.unit);
                    self.warning(r.place.clone(), "report.person-unknown", message);
                }
            }
        }
    }

    /// A person held to account and reporting the same year is one person: the decision and the
    /// report state the same facts; a date of taking office a case gives (a companion's reason)
    /// agrees with the report's 任职时间.
    fn cases_agree(&mut self) {
        let ws = self.ws;
        for case in &ws.cases {
            match &case.subject {
                Subject::Cadre(c) => {
                    let Some(r) = self.report(c.unit.as_str(), &c.name) else { continue };
                    let mut differ = Vec::new();
                    if r.title != c.post {
                        differ.push(format!("职务（决定书“{}”，述责述廉表“{}”）", c.post, r.title));
                    }
                    if Gender::parse(&r.gender).is_some_and(|g| g != c.gender) {
                        differ.push(format!("性别（“{}”与“{}”）", c.gender.name(), r.gender));
                    }
                    if YearMonth::parse(&r.birth).is_ok_and(|b| b != c.born) {
                        differ.push(format!("出生年月（{}与{}）", c.born.chinese(), r.birth));
                    }
                    if !r.political.is_empty() && r.political != c.political {
                        differ.push(format!("政治面貌（“{}”与“{}”）", c.political, r.political));
                    }
                    if !differ.is_empty() {
                        let message =
                            format!("案件“{}”与述责述廉表（{}）写的{}不是同一套事实：{}", case.id, r.place, c.name, differ.join("；"));
                        self.error(case.place.clone(), "person.facts-differ", message);
                    }
                }
                Subject::Organisation(o) => {
                    for m in &case.companions {
                        let Some(reason) = &m.reason else { continue };
                        let Some(r) = self.report(o.unit.as_str(), &m.name) else { continue };
                        // Not held to account here, yet the report owns a responsibility: read by
                        // words, so a warning.
                        if r.sections.iter().any(|t| admits_responsibility(t)) {
                            let message = format!(
                                "案件“{}”写明{}不负有责任（{reason}），其述责述廉表（{}）却写“负有……责任”；请核对两处说法",
                                case.id, m.name, r.place
                            );
                            self.warning(m.place.clone(), "person.responsibility-differs", message);
                        }
                        let Some(said) = took_office(reason) else { continue };
                        if let Ok(appointed) = YearMonth::parse(&r.appointed)
                            && appointed != said
                        {
                            let message = format!(
                                "案件“{}”说{}{}起任职，述责述廉表（{}）的任职时间却是{}；同一个人的任职时间应当一致",
                                case.id,
                                m.name,
                                said.chinese(),
                                r.place,
                                appointed.chinese()
                            );
                            self.error(m.place.clone(), "person.appointed-differs", message);
                        }
                    }
                }
            }
        }
    }

    /// A veto outweighs every score: it stands only on what its item says it needs.
    fn vetoes_backed(&mut self) {
        let ws = self.ws;
        let Some(scheme) = &ws.scheme else { return };
        for result in &ws.results {
            for id in &result.veto {
                let Some(&evidence) = scheme.veto_evidence.get(id) else { continue };
                if result.veto_basis.contains_key(id) {
                    continue;
                }
                let unit = self.unit(&result.unit);
                let cases = self.cases_of(&result.unit);
                let backed = match evidence {
                    VetoEvidence::Sanction => cases.iter().any(|c| {
                        let in_team = matches!(&c.subject, Subject::Cadre(p) if unit.is_some_and(|u| title_in(u, &p.name).is_some()));
                        in_team && c.methods.iter().any(|m| matches!(m, Method::Discipline(_)))
                    }),
                    VetoEvidence::Accountability => !cases.is_empty(),
                    VetoEvidence::Case => false,
                };
                if backed {
                    continue;
                }
                let content = scheme.veto.iter().find(|(v, _)| v == id).map(|(_, c)| c.as_str()).unwrap_or_default();
                let found = if cases.is_empty() {
                    "本年度没有该单位的问责案件".to_string()
                } else {
                    let listed: Vec<String> = cases
                        .iter()
                        .map(|c| {
                            let methods: Vec<String> = c.methods.iter().map(|m| m.to_string()).collect();
                            format!("{}（{}）", c.subject.name(), methods.join("、"))
                        })
                        .collect();
                    format!("该单位本年度的案件只有{}，不是所需的依据", listed.join("、"))
                };
                let message = format!(
                    "单位“{}”被一票否决（{id} {content}），但没有依据：需要{}；{found}。如决定由其他机关作出，请在 veto_basis 中写明机关和文号，如 {id}: 市纪委监委 江纪〔{}〕5号",
                    result.unit,
                    evidence.needs(),
                    ws.settings.year
                );
                let at = result.veto_at.get(id).cloned().unwrap_or_else(|| result.place.clone());
                self.error(at, "result.veto-unbacked", message);
            }
        }
    }

    /// A unit held to account this year on a 第七条 item, scored full marks on the items about
    /// it with nothing said, tells two stories.
    fn scores_reflect_cases(&mut self) {
        let ws = self.ws;
        let Some(scheme) = &ws.scheme else { return };
        if ws.cases.is_empty() || ws.results.is_empty() {
            return;
        }
        let items: Vec<_> = scheme.categories.iter().flat_map(|c| &c.items).collect();
        if items.iter().all(|i| i.situations.is_empty()) {
            let at = ws.results.first().map(|r| r.place.clone()).unwrap_or(Place::Nowhere);
            let message = "考核方案的项目都没有写明对应的问责情形(situations，第七条的项号)，无法核对被问责单位的得分是否反映其案件；各地评分办法不一，仅作提示".to_string();
            self.warning(at, "scheme.situations-missing", message);
            return;
        }
        for result in &ws.results {
            let unit_type = self.unit(&result.unit).map(|u| u.kind);
            let cases = self.cases_of(&result.unit);
            for item in items.iter().filter(|i| i.applies(unit_type)) {
                let Some(case) = cases.iter().find(|c| item.situations.contains(&c.situation.item())) else { continue };
                let Some((per_scale, note)) = result.items.get(&item.id) else { continue };
                let full = match per_scale.get(scheme.decides).copied().flatten() {
                    Some(Entry::Score(s)) => s == item.max && matches!(item.rule, Rule::Fixed),
                    Some(Entry::Occurrences(n)) => n == 0,
                    None => false,
                };
                if full && note.is_empty() {
                    let message = format!(
                        "单位“{}”本年度被问责（案件“{}”，第七条第{}项），考核项目“{}”（{}）却得满分且没有说明；请按案件情况评分，或在这一项的 note 中写明不扣分的理由",
                        result.unit,
                        case.id,
                        case.situation.item(),
                        item.id,
                        item.content
                    );
                    self.error(result.place.clone(), "result.full-marks-despite-case", message);
                }
            }
        }
    }

    /// A decision is announced to the cadre and his or her 党组织 (条例, 问责决定的宣布): the
    /// 抄送 names it. Whether it is copied or handed over varies: a warning.
    fn copied_to_party_organisation(&mut self) {
        let ws = self.ws;
        for case in &ws.cases {
            let Subject::Cadre(c) = &case.subject else { continue };
            let organ = &ws.settings.organ;
            if case.cc.iter().any(|cc| cc != organ && names_party_organisation(cc)) {
                continue;
            }
            let message = format!(
                "案件“{}”的决定书向{}本人及其所在党组织宣布，抄送中却没有党组织；请在 cc 中加上其所在党组织的全称（如 中共××支部委员会）",
                case.id, c.name
            );
            self.warning(case.place.clone(), "case.cc-party-organisation", message);
        }
    }

    /// 主体责任 is a 党组织's (主体责任规定: 党委（党组）, 基层组织 参照执行); a kind that is not
    /// one (a bureau's 处室) bears none.
    fn only_party_organisations_bear_principal_duty(&mut self) {
        let ws = self.ws;
        let kinds = &ws.settings.unit_kinds;
        for g in &ws.duty_groups {
            let not_party: Vec<&str> = g
                .applies_to
                .iter()
                .filter_map(|a| match a {
                    Audience::Unit(k) if !kinds.get(*k).party => Some(kinds.name(*k)),
                    _ => None,
                })
                .collect();
            if g.subject.contains("主体责任") && !not_party.is_empty() {
                let names = not_party.join("、");
                let message = format!(
                    "责任组“{}”适用于{names}，但{names}不是党组织，不承担全面从严治党主体责任（主体责任在党委（党组）和党的基层组织）；请从 applies_to 中去掉 {names}，另设其落实要求的责任组（各地写法不一，仅作提示）",
                    g.subject
                );
                self.warning(g.place.clone(), "duties.office-principal", message);
            }
        }
    }
}

/// The title the unit lists a person under: its head or a deputy.
fn title_in(u: &Unit, name: &str) -> Option<String> {
    if u.leader.name == name {
        return Some(u.leader.title.clone());
    }
    u.members.iter().find(|m| m.name == name).map(|m| m.title.clone())
}

/// "2025年9月起任中心主任" → 2025年9月: the date of taking office a reason states.
fn took_office(text: &str) -> Option<YearMonth> {
    let at = text.find(['起', '到'])?;
    let before = &text[..at];
    let start = before
        .rfind(|c: char| !(c.is_ascii_digit() || c == '年' || c == '月'))
        .map_or(0, |i| i + before[i..].chars().next().map_or(1, char::len_utf8));
    YearMonth::parse(&before[start..]).ok()
}

/// "……负有领导责任" and the like: a text that owns a responsibility (not "不负有").
fn admits_responsibility(text: &str) -> bool {
    text.match_indices("负有").any(|(i, _)| !text[..i].ends_with('不') && text[i..].chars().take(12).collect::<String>().contains("责任"))
}

/// Whether a 抄送 entry names a 党组织 (党委, 党组, 党支部, 支部委员会, 党总支…).
fn names_party_organisation(cc: &str) -> bool {
    ["党委", "党组", "党支部", "支部委员会", "党总支", "总支部委员会", "委员会"].iter().any(|k| cc.contains(k))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_date_of_taking_office_is_read_from_the_reason() {
        let ym = super::took_office("2025年9月起任中心主任、支部书记，所涉问题发生在其到任之前").unwrap();
        assert_eq!((ym.year, ym.month), (2025, 9));
        assert!(super::took_office("分管其他工作，不负有责任").is_none());
        assert!(super::admits_responsibility("分管领域发生违规问题，负有领导责任。"));
        assert!(!super::admits_responsibility("所涉问题发生在其到任之前，不负有责任"));
    }
}
