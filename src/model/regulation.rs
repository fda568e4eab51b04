//! What 《中国共产党问责条例》 (2019) says that a decision must cite and spell out: the eleven
//! situations of Art. 7, the methods of Art. 8 with the item each has per subject, and the
//! parameters a method needs (通报 range, 诫勉 form, the named 组织调整/组织处理 measure, the
//! 纪律处分 under 《中国共产党纪律处分条例》).

use std::fmt;

/// The two kinds of 问责对象 (Art. 5); Art. 8 gives each its own clause of methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    Organisation,
    Cadre,
}

impl SubjectKind {
    pub fn name(self) -> &'static str {
        match self {
            SubjectKind::Organisation => "党组织",
            SubjectKind::Cadre => "领导干部",
        }
    }

    pub fn parse(s: &str) -> Option<SubjectKind> {
        [SubjectKind::Organisation, SubjectKind::Cadre].into_iter().find(|k| k.name() == s.trim())
    }

    /// The clause (款) of Art. 8 that lists this subject's methods.
    pub fn article8_clause(self) -> u8 {
        match self {
            SubjectKind::Organisation => 1,
            SubjectKind::Cadre => 2,
        }
    }

    /// The methods of this subject, in the order of Art. 8.
    pub fn methods(self) -> &'static [MethodKind] {
        match self {
            SubjectKind::Organisation => &[MethodKind::Inspection, MethodKind::Circular, MethodKind::Reorganisation],
            SubjectKind::Cadre => &[MethodKind::Circular, MethodKind::Admonition, MethodKind::Organisational, MethodKind::Discipline],
        }
    }

    /// "检查（第一项）、通报（第二项）、改组（第三项）", for messages.
    pub fn methods_listed(self) -> String {
        self.methods()
            .iter()
            .map(|m| format!("{}（第{}项）", m.name(), crate::cn::numeral(m.item(self).unwrap_or(0).into())))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// Art. 7: the situations in which 问责 applies, by item (一)…(十一), in short.
pub const SITUATIONS: [&str; 11] = [
    "党的领导弱化，“两个维护”不力，党中央决策部署没有得到有效贯彻落实",
    "党的政治建设抓得不实，政治生态出现严重问题",
    "党的思想建设缺失，意识形态工作责任制落实不到位",
    "党的组织建设薄弱，党建工作责任制不落实",
    "党的作风建设松懈，“四风”问题得不到有效整治",
    "党的纪律建设抓得不严，维护党的纪律不力",
    "推进党风廉政建设和反腐败斗争不坚决、不扎实",
    "全面从严治党主体责任、监督责任落实不到位",
    "履行管理、监督职责不力，职责范围内发生重特大事故、事件",
    "在涉及群众切身利益的问题上不作为、乱作为、慢作为、假作为",
    "其他应当问责的失职失责情形",
];

/// One item of Art. 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Situation(u8);

impl Situation {
    /// Item 1–11; any other number is no item of Art. 7.
    pub fn new(item: u8) -> Option<Situation> {
        (1..=SITUATIONS.len() as u8).contains(&item).then_some(Situation(item))
    }

    pub fn item(self) -> u8 {
        self.0
    }

    /// The situation in short, for messages and templates.
    pub fn name(self) -> &'static str {
        SITUATIONS[usize::from(self.0) - 1]
    }

    /// Every item with its situation, one a line: the help of a message about a bad item.
    pub fn all_listed() -> String {
        SITUATIONS.iter().enumerate().map(|(i, s)| format!("第{}项：{s}", crate::cn::numeral(i as u64 + 1))).collect::<Vec<_>>().join("\n")
    }
}

/// A 问责方式 of Art. 8, before its parameters are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MethodKind {
    /// 党组织: 检查 — 责令作出书面检查并切实整改.
    Inspection,
    /// 党组织 or 领导干部: 通报, in a range that must be said.
    Circular,
    /// 党组织: 改组.
    Reorganisation,
    /// 领导干部: 诫勉, by talk or in writing.
    Admonition,
    /// 领导干部: 组织调整或者组织处理, a named measure.
    Organisational,
    /// 领导干部: 纪律处分 under 《中国共产党纪律处分条例》.
    Discipline,
}

impl MethodKind {
    pub fn name(self) -> &'static str {
        match self {
            MethodKind::Inspection => "检查",
            MethodKind::Circular => "通报",
            MethodKind::Reorganisation => "改组",
            MethodKind::Admonition => "诫勉",
            MethodKind::Organisational => "组织调整或者组织处理",
            MethodKind::Discipline => "纪律处分",
        }
    }

    /// Its item in the subject's clause of Art. 8; `None` when Art. 8 does not give it to
    /// this subject (改组 for a person, 诫勉 for an organisation…).
    pub fn item(self, subject: SubjectKind) -> Option<u8> {
        let position = subject.methods().iter().position(|m| *m == self)?;
        Some(position as u8 + 1)
    }
}

/// 诫勉 "以谈话或者书面方式" (Art. 8): which one must be said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdmonitionForm {
    Talk,
    Written,
}

impl AdmonitionForm {
    pub fn name(self) -> &'static str {
        match self {
            AdmonitionForm::Talk => "谈话",
            AdmonitionForm::Written => "书面",
        }
    }

    pub fn parse(s: &str) -> Option<AdmonitionForm> {
        match s.trim().trim_end_matches("方式").trim_end_matches("形式") {
            "谈话" | "谈话诫勉" | "诫勉谈话" => Some(AdmonitionForm::Talk),
            "书面" | "书面诫勉" => Some(AdmonitionForm::Written),
            _ => None,
        }
    }
}

/// The measures of 组织调整或者组织处理 (Art. 8, in its order; it ends with 等措施, but a
/// decision must name one, so these are the ones it names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgMeasure {
    Suspension,
    Reassignment,
    OrderedResignation,
    Demotion,
    Dismissal,
}

impl OrgMeasure {
    pub const ALL: [OrgMeasure; 5] =
        [OrgMeasure::Suspension, OrgMeasure::Reassignment, OrgMeasure::OrderedResignation, OrgMeasure::Demotion, OrgMeasure::Dismissal];

    pub fn name(self) -> &'static str {
        match self {
            OrgMeasure::Suspension => "停职检查",
            OrgMeasure::Reassignment => "调整职务",
            OrgMeasure::OrderedResignation => "责令辞职",
            OrgMeasure::Demotion => "降职",
            OrgMeasure::Dismissal => "免职",
        }
    }

    pub fn parse(s: &str) -> Option<OrgMeasure> {
        let s = s.trim();
        OrgMeasure::ALL.into_iter().find(|m| m.name() == s)
    }

    /// "调整职务：预算处四级调研员" → the measure and the post it names (after the colon).
    pub fn parse_with_post(s: &str) -> Option<(OrgMeasure, Option<String>)> {
        let (head, post) = s.split_once(['：', ':']).map_or((s, None), |(h, p)| (h, Some(p.trim().to_string())));
        Some((OrgMeasure::parse(head)?, post.filter(|p| !p.is_empty())))
    }

    /// A measure that moves the cadre to another post must name it: otherwise the 组织部门
    /// cannot carry the decision out ("调整其职务" says nothing of where to).
    pub fn needs_new_post(self) -> bool {
        matches!(self, OrgMeasure::Reassignment | OrgMeasure::Demotion)
    }

    pub fn names() -> String {
        OrgMeasure::ALL.map(OrgMeasure::name).join("、")
    }
}

/// The 处分 of 《中国共产党纪律处分条例》 a 纪律处分 names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sanction {
    Warning,
    SeriousWarning,
    RemovalFromPartyPost,
    /// 留党察看, one or two years.
    Probation(u8),
    Expulsion,
}

impl Sanction {
    pub const NAMES: &'static str = "党内警告、党内严重警告、撤销党内职务、留党察看一年、留党察看二年、开除党籍";

    /// The 处分 as a decision names it: 给予……{name}处分.
    pub fn name(self) -> &'static str {
        match self {
            Sanction::Warning => "党内警告",
            Sanction::SeriousWarning => "党内严重警告",
            Sanction::RemovalFromPartyPost => "撤销党内职务",
            Sanction::Probation(1) => "留党察看一年",
            Sanction::Probation(_) => "留党察看二年",
            Sanction::Expulsion => "开除党籍",
        }
    }

    /// Reads a 处分 as people write it; `Err` says what is wrong (留党察看 without its term).
    pub fn parse(s: &str) -> Result<Sanction, String> {
        let s = s.trim().trim_end_matches("处分").trim();
        Ok(match s {
            "警告" | "党内警告" => Sanction::Warning,
            "严重警告" | "党内严重警告" => Sanction::SeriousWarning,
            "撤销党内职务" => Sanction::RemovalFromPartyPost,
            "留党察看一年" | "留党察看1年" => Sanction::Probation(1),
            "留党察看二年" | "留党察看两年" | "留党察看2年" => Sanction::Probation(2),
            "留党察看" => return Err("留党察看应写明期限：留党察看一年 或 留党察看二年".into()),
            "开除党籍" => Sanction::Expulsion,
            _ => return Err(format!("不是《中国共产党纪律处分条例》规定的处分；可用：{}", Sanction::NAMES)),
        })
    }
}

/// One 问责方式 with the parameters Art. 8 needs said.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Method {
    Inspection,
    /// 通报, with its range as the decision says it: "在市财政局系统内".
    Circular {
        scope: String,
    },
    Reorganisation,
    Admonition(AdmonitionForm),
    Organisational(OrgMeasure),
    Discipline(Sanction),
}

impl Method {
    pub fn kind(&self) -> MethodKind {
        match self {
            Method::Inspection => MethodKind::Inspection,
            Method::Circular { .. } => MethodKind::Circular,
            Method::Reorganisation => MethodKind::Reorganisation,
            Method::Admonition(_) => MethodKind::Admonition,
            Method::Organisational(_) => MethodKind::Organisational,
            Method::Discipline(_) => MethodKind::Discipline,
        }
    }
}

impl fmt::Display for Method {
    /// The method with its parameter, for messages and lists: 通报（在全局范围内）, 诫勉（谈话）.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Method::Circular { scope } => write!(f, "通报（{scope}）"),
            Method::Admonition(form) => write!(f, "诫勉（{}）", form.name()),
            Method::Organisational(m) => f.write_str(m.name()),
            Method::Discipline(s) => f.write_str(s.name()),
            other => f.write_str(other.kind().name()),
        }
    }
}

/// A 问责方式 as written in one list item or cell part, with any parameter written inline:
/// "检查", "通报批评", "谈话诫勉", "组织调整或者组织处理（调整职务）", a bare measure "免职",
/// a bare 处分 "党内警告".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenMethod {
    pub kind: MethodKind,
    pub form: Option<AdmonitionForm>,
    pub measure: Option<OrgMeasure>,
    pub sanction: Option<Sanction>,
    /// 通报's range when written inline: 通报（在全局范围内）.
    pub scope: Option<String>,
}

impl WrittenMethod {
    fn of(kind: MethodKind) -> WrittenMethod {
        WrittenMethod { kind, form: None, measure: None, sanction: None, scope: None }
    }

    /// `Err` says why the text is no method (or a bad parameter of one).
    pub fn parse(s: &str) -> Result<WrittenMethod, String> {
        let s = s.trim();
        let (head, inner) = match s.find(['（', '(']) {
            Some(i) => (s[..i].trim(), Some(s[i..].trim_start_matches(['（', '(']).trim_end_matches(['）', ')']).trim())),
            None => (s, None),
        };
        let inner = inner.filter(|i| !i.is_empty());
        if let Some(form) = AdmonitionForm::parse(head).filter(|_| head != "谈话" && head != "书面") {
            return Ok(WrittenMethod { form: Some(form), ..WrittenMethod::of(MethodKind::Admonition) });
        }
        if let Some((measure, _)) = OrgMeasure::parse_with_post(head) {
            return Ok(WrittenMethod { measure: Some(measure), ..WrittenMethod::of(MethodKind::Organisational) });
        }
        if head.contains("警告") || head.starts_with("撤销党内职务") || head.starts_with("留党察看") || head.starts_with("开除党籍")
        {
            return Ok(WrittenMethod { sanction: Some(Sanction::parse(head)?), ..WrittenMethod::of(MethodKind::Discipline) });
        }
        let kind = match head {
            "检查" | "书面检查" => MethodKind::Inspection,
            "通报" | "通报批评" => MethodKind::Circular,
            "改组" => MethodKind::Reorganisation,
            "诫勉" => MethodKind::Admonition,
            "组织调整或者组织处理" | "组织调整或组织处理" | "组织调整" | "组织处理" => {
                MethodKind::Organisational
            }
            "纪律处分" | "党纪处分" => MethodKind::Discipline,
            _ => return Err("不是《中国共产党问责条例》第八条规定的问责方式".into()),
        };
        let mut out = WrittenMethod::of(kind);
        if let Some(inner) = inner {
            match kind {
                MethodKind::Circular => out.scope = Some(inner.to_string()),
                MethodKind::Admonition => {
                    out.form = Some(AdmonitionForm::parse(inner).ok_or(format!("诫勉方式“{inner}”无效；应为 谈话 或 书面"))?)
                }
                MethodKind::Organisational => {
                    let names = OrgMeasure::names();
                    let measure = OrgMeasure::parse_with_post(inner).map(|(m, _)| m);
                    out.measure = Some(measure.ok_or(format!("组织调整或者组织处理的措施“{inner}”无效；应为 {names}"))?)
                }
                MethodKind::Discipline => out.sanction = Some(Sanction::parse(inner)?),
                _ => return Err(format!("{}不带括号中的说明", kind.name())),
            }
        }
        Ok(out)
    }
}

/// A 通报 range as a decision says it: "全局范围内" → "在全局范围内"; a trailing 通报 dropped.
pub fn circular_scope(s: &str) -> String {
    let s = s.trim().trim_end_matches('。').trim_end_matches("通报").trim();
    if s.is_empty() || s.starts_with('在') { s.to_string() } else { format!("在{s}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_8_items_per_subject() {
        assert_eq!(MethodKind::Circular.item(SubjectKind::Organisation), Some(2));
        assert_eq!(MethodKind::Circular.item(SubjectKind::Cadre), Some(1));
        assert_eq!(MethodKind::Reorganisation.item(SubjectKind::Cadre), None);
        assert_eq!(MethodKind::Admonition.item(SubjectKind::Organisation), None);
        assert_eq!(MethodKind::Discipline.item(SubjectKind::Cadre), Some(4));
        assert_eq!(SubjectKind::Organisation.methods_listed(), "检查（第一项）、通报（第二项）、改组（第三项）");
    }

    #[test]
    fn article_7_has_eleven_items() {
        assert!(Situation::new(0).is_none() && Situation::new(12).is_none());
        assert_eq!(Situation::new(11).map(Situation::name), Some("其他应当问责的失职失责情形"));
        assert_eq!(Situation::all_listed().lines().count(), 11);
    }

    #[test]
    fn methods_as_people_write_them() {
        let p = |s: &str| WrittenMethod::parse(s).unwrap();
        assert_eq!(p("谈话诫勉").form, Some(AdmonitionForm::Talk));
        assert_eq!(p("诫勉（书面）").form, Some(AdmonitionForm::Written));
        assert_eq!(p("组织调整或者组织处理（调整职务）").measure, Some(OrgMeasure::Reassignment));
        assert_eq!(p("免职").kind, MethodKind::Organisational);
        assert_eq!(p("党内严重警告处分").sanction, Some(Sanction::SeriousWarning));
        assert_eq!(p("通报（在全局范围内）").scope.as_deref(), Some("在全局范围内"));
        assert!(WrittenMethod::parse("留党察看").unwrap_err().contains("期限"));
        assert!(WrittenMethod::parse("警告处分").is_ok());
        assert!(WrittenMethod::parse("约谈").is_err());
        assert_eq!(circular_scope("全局范围内通报"), "在全局范围内");
    }
}
