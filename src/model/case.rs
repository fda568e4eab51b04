//! 问责 cases and the rules that make a 问责决定书 correct (《中国共产党问责条例》): who the
//! subject is, the grade of responsibility (Art. 6), the subject's 陈述和申辩, how a 文号 is
//! written. What the 条例 itself lists (Art. 7 situations, Art. 8 methods) is in `regulation`.

use super::regulation::{Method, Situation, SubjectKind};
use crate::diag::Place;
use std::fmt;

/// A unit of the workspace's unit list, by its name there: a case's unit is checked against the
/// list when loaded, so two cases name the same unit exactly when their `UnitName`s are equal
/// (never by one name containing the other).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitName(pub String);

impl UnitName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn parse(s: &str) -> Option<Gender> {
        match s.trim() {
            "男" | "男性" => Some(Gender::Male),
            "女" | "女性" => Some(Gender::Female),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// 出生年月, printed 1979年4月.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearMonth {
    pub year: i32,
    pub month: u32,
}

impl YearMonth {
    /// Reads 1979-04, 1979.4, 1979/4, 1979年4月, or a whole date (an Excel date cell) whose day
    /// is dropped.
    pub fn parse(s: &str) -> Result<YearMonth, String> {
        let normal: String = s.trim().chars().map(|c| if matches!(c, '年' | '月' | '日' | '/' | '.' | '-') { ' ' } else { c }).collect();
        let parts: Vec<&str> = normal.split_whitespace().collect();
        let number = |p: &str| p.parse::<u32>().ok().filter(|_| p.bytes().all(|b| b.is_ascii_digit()));
        let (year, month) = match parts.as_slice() {
            [y, m] | [y, m, _] if y.len() == 4 => (number(y), number(m)),
            _ => return Err("应写作如 1979-04 或 1979年4月".into()),
        };
        match (year, month) {
            (Some(year), Some(month)) if (1900..=2100).contains(&year) && (1..=12).contains(&month) => {
                Ok(YearMonth { year: year as i32, month })
            }
            _ => Err("年份应为四位数字，月份在 1–12 之间".into()),
        }
    }

    pub fn chinese(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }
}

/// A 党的领导干部 held accountable, identified as a decision identifies a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cadre {
    pub name: String,
    pub gender: Gender,
    pub born: YearMonth,
    /// 政治面貌, e.g. 中共党员.
    pub political: String,
    pub unit: UnitName,
    /// 单位全称 as printed (the list's name when not given).
    pub unit_full: String,
    pub post: String,
}

/// A 党组织 held accountable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    /// Its full name, e.g. 中共江州市政府采购中心支部委员会.
    pub name: String,
    /// The unit of the list it belongs to.
    pub unit: UnitName,
    pub unit_full: String,
    /// 主要负责人 (the unit's leader in the list when not given).
    pub leader: String,
}

/// 问责对象 (条例 Art. 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Organisation(Organisation),
    Cadre(Cadre),
}

impl Subject {
    pub fn name(&self) -> &str {
        match self {
            Subject::Organisation(o) => &o.name,
            Subject::Cadre(c) => &c.name,
        }
    }

    pub fn unit(&self) -> &UnitName {
        match self {
            Subject::Organisation(o) => &o.unit,
            Subject::Cadre(c) => &c.unit,
        }
    }

    pub fn kind(&self) -> SubjectKind {
        match self {
            Subject::Organisation(_) => SubjectKind::Organisation,
            Subject::Cadre(_) => SubjectKind::Cadre,
        }
    }

    pub fn kind_name(&self) -> &'static str {
        self.kind().name()
    }
}

/// 领导责任 grading (条例 Art. 6). There is no 直接责任 in 问责: the 条例 pursues 主体责任、监督责任、
/// 领导责任 (Art. 4) and grades only these three (Art. 6); a person's own violation is the
/// 直接责任者 of the 《中国共产党纪律处分条例》 and goes to 纪律审查, not to a 问责决定书 (domain notes
/// §2.1, citing 中国纪检监察报 2019-09-18 “澄清问责概念的认识误区”).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responsibility {
    /// The 领导班子's.
    Overall,
    /// The 主要负责人's and the directly responsible member's.
    Main,
    /// Other members who took part in deciding and in the work.
    Important,
}

impl Responsibility {
    pub const NAMES: &'static str = "全面领导责任、主要领导责任 或 重要领导责任";

    pub fn parse(s: &str) -> Option<Responsibility> {
        match s.trim() {
            "全面领导责任" | "全面" => Some(Responsibility::Overall),
            "主要领导责任" | "主要" => Some(Responsibility::Main),
            "重要领导责任" | "重要" => Some(Responsibility::Important),
            _ => None,
        }
    }

    /// 直接责任 as typed: not a grade of the 问责条例 (refused with the route it belongs to).
    pub fn is_direct(s: &str) -> bool {
        matches!(s.trim(), "直接责任" | "直接" | "直接责任者")
    }

    pub fn name(self) -> &'static str {
        match self {
            Responsibility::Overall => "全面领导责任",
            Responsibility::Main => "主要领导责任",
            Responsibility::Important => "重要领导责任",
        }
    }
}

/// Why a case of one's own act is not a 问责 case, and where it goes instead.
pub const DIRECT_ROUTE: &str = "《中国共产党问责条例》第六条只规定全面领导责任、主要领导责任和重要领导责任，问责追究的是主体责任、监督责任和领导责任（第四条），没有直接责任；本人直接实施的违纪问题属于《中国共产党纪律处分条例》规定的直接责任者，应当按纪律审查程序处理、给予纪律处分，不作问责决定。若案件追究的是其对分管工作的领导责任，请按第六条认定领导责任并据实写明事实";

/// Which responsibility was not fulfilled (条例 Art. 4): 主体责任, 监督责任 or 领导责任.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duty {
    Principal,
    Supervisory,
    Leadership,
}

impl Duty {
    pub fn parse(s: &str) -> Option<Duty> {
        match s.trim() {
            "主体责任" | "主体" => Some(Duty::Principal),
            "监督责任" | "监督" => Some(Duty::Supervisory),
            "领导责任" | "领导" => Some(Duty::Leadership),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Duty::Principal => "主体责任",
            Duty::Supervisory => "监督责任",
            Duty::Leadership => "领导责任",
        }
    }
}

/// What came of the subject's 陈述和申辩: heard and answered, or waived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PleaResult {
    /// No objection to the facts or the handling.
    NoObjection,
    Adopted,
    PartlyAdopted,
    Rejected,
    /// The subject, told of the right, declined to make one.
    Waived,
}

impl PleaResult {
    pub const NAMES: &'static str = "无异议、采纳、部分采纳、不予采纳 或 放弃";

    pub fn parse(s: &str) -> Option<PleaResult> {
        match s.trim() {
            "无异议" => Some(PleaResult::NoObjection),
            "采纳" | "予以采纳" => Some(PleaResult::Adopted),
            "部分采纳" => Some(PleaResult::PartlyAdopted),
            "不予采纳" | "未采纳" => Some(PleaResult::Rejected),
            "放弃" | "放弃陈述申辩" | "放弃陈述和申辩" => Some(PleaResult::Waived),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PleaResult::NoObjection => "无异议",
            PleaResult::Adopted => "采纳",
            PleaResult::PartlyAdopted => "部分采纳",
            PleaResult::Rejected => "不予采纳",
            PleaResult::Waived => "放弃",
        }
    }

    /// Whether the decision must say why (条例: 不予采纳的，应当说明理由).
    pub fn needs_reason(self) -> bool {
        matches!(self, PleaResult::PartlyAdopted | PleaResult::Rejected)
    }
}

/// The subject's 陈述和申辩 as the decision reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plea {
    /// What was said, as prose (may be empty when waived).
    pub said: String,
    pub result: PleaResult,
    /// Why it was (partly) not adopted, or what adopting it changed.
    pub reason: Option<String>,
}

/// A 班子成员 a case against an organisation names as bearing responsibility (条例 Art. 6):
/// held accountable by a case of the batch, or not, for the reason given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Companion {
    pub name: String,
    pub reason: Option<String>,
    pub place: Place,
}

/// A 发文字号: 机关代字〔YYYY〕N号 (GB/T 9704 §7.2.4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocNo {
    pub code: String,
    pub year: i32,
    pub number: u32,
}

impl DocNo {
    /// The largest 序号: far beyond a year's documents, and far below `u32::MAX`, so the next
    /// free number never wraps (a ledger holding 4294967295 once made the next one 0).
    pub const MAX_NUMBER: u32 = 999_999;

    /// Checks the written form: 六角括号 U+3014/U+3015, four-digit year, no 第, no zero padding.
    pub fn parse(s: &str) -> Result<DocNo, String> {
        let s = s.trim();
        if s.contains(['[', ']', '【', '】', '(', ')', '（', '）']) {
            return Err("年份应使用六角括号〔〕，不能用 [] 【】 或 ()".into());
        }
        let (code, rest) = s.split_once('〔').ok_or("缺少六角括号〔〕，应写作如 江财党〔2026〕3号")?;
        let (year, rest) = rest.split_once('〕').ok_or("六角括号不成对")?;
        if code.trim().is_empty() {
            return Err("缺少机关代字".into());
        }
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("年份“{year}”应为四位阿拉伯数字"));
        }
        let number = rest.strip_suffix('号').ok_or("应以“号”结尾")?;
        if number.starts_with('第') {
            return Err("序号前不加“第”".into());
        }
        if number == "0" {
            return Err("序号从 1 起".into());
        }
        if number.starts_with('0') {
            return Err("序号不编虚位（写 3，不写 03）".into());
        }
        if !number.bytes().all(|b| b.is_ascii_digit()) || number.is_empty() {
            return Err(format!("序号“{number}”应为阿拉伯数字"));
        }
        let n = number.parse::<u32>().ok().filter(|n| *n <= Self::MAX_NUMBER);
        let n = n.ok_or_else(|| format!("序号“{number}”过大，最大为 {}", Self::MAX_NUMBER))?;
        Ok(DocNo { code: code.to_string(), year: year.parse().unwrap_or(0), number: n })
    }
}

impl fmt::Display for DocNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}〔{}〕{}号", self.code, self.year, self.number)
    }
}

/// One accountability case → one 问责决定书.
#[derive(Debug, Clone)]
pub struct Case {
    /// Stable case id: a 文号 assigned by zeren belongs to it.
    pub id: String,
    /// Given in the data, or `None` to be assigned from the ledger.
    pub doc_no: Option<DocNo>,
    pub subject: Subject,
    /// 案件来源, e.g. 市委第三巡察组移交.
    pub source: Option<String>,
    /// 经查…… (the facts).
    pub facts: String,
    pub duty: Option<Duty>,
    pub responsibility: Option<Responsibility>,
    /// The facts are the subject's own act (for the grade check of Art. 6).
    pub acted_personally: bool,
    /// The Art. 7 item the case falls under.
    pub situation: Situation,
    /// Other provisions cited after the 条例, e.g. a local 实施办法's article.
    pub local_basis: Vec<String>,
    /// In the order of Art. 8 (so the citation and the decision list them alike).
    pub methods: Vec<Method>,
    pub plea: Plea,
    /// 从轻 circumstances, as a clause ("在调查中如实说明问题……").
    /// The post after 调整职务 or 降职 (the 组织部门 carries out what the decision names).
    pub new_post: Option<String>,
    pub mitigating: Option<String>,
    /// 从重 circumstances, as a clause.
    pub aggravating: Option<String>,
    /// Execution requirements beyond the template's own.
    pub execution: Vec<String>,
    /// For a case against an organisation: its responsible 班子成员 (Art. 6).
    pub companions: Vec<Companion>,
    pub cc: Vec<String>,
    pub date: Option<super::Date>,
    pub place: Place,
}

impl Case {
    /// The Art. 8 items of the methods, in order (the clause is the subject's).
    pub fn article8_items(&self) -> Vec<u8> {
        let kind = self.subject.kind();
        self.methods.iter().filter_map(|m| m.kind().item(kind)).collect()
    }
}
