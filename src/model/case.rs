//! 问责 cases and the rules that make a 问责决定书 correct (《中国共产党问责条例》):
//! which 问责方式 fit which subject, how a 文号 is written.

use crate::diag::Place;
use std::fmt;

/// 问责对象: a party organisation, or a leading cadre (条例 Art. 5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Organisation { name: String },
    Cadre { name: String, unit: String, post: String },
}

impl Subject {
    pub fn name(&self) -> &str {
        match self {
            Subject::Organisation { name } | Subject::Cadre { name, .. } => name,
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self {
            Subject::Organisation { .. } => "党组织",
            Subject::Cadre { .. } => "领导干部",
        }
    }
}

/// 问责方式 (条例 Art. 8). 通报 exists for both subjects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// 党组织: 检查.
    Inspection,
    /// 党组织 or 领导干部: 通报.
    Circular,
    /// 党组织: 改组.
    Reorganisation,
    /// 领导干部: 诫勉.
    Admonition,
    /// 领导干部: 组织调整或者组织处理, with its form if named.
    Organisational(Option<OrgMeasure>),
    /// 领导干部: 纪律处分.
    Discipline,
}

/// The forms of 组织调整或者组织处理 (条例 Art. 8, in its order).
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
}

pub const ORG_METHODS: &str = "检查、通报、改组";
pub const CADRE_METHODS: &str = "通报、诫勉、组织调整或者组织处理（停职检查、调整职务、责令辞职、降职、免职）、纪律处分";

impl Method {
    /// Reads one 问责方式 as written: "诫勉", "组织调整或者组织处理（免职）", or a bare form "免职".
    pub fn parse(s: &str) -> Option<Method> {
        let s = s.trim();
        let base = "组织调整或者组织处理";
        if let Some(rest) = s.strip_prefix(base) {
            let inner = rest.trim().trim_start_matches(['（', '(', '：', ':']).trim_end_matches(['）', ')']).trim();
            if inner.is_empty() {
                return Some(Method::Organisational(None));
            }
            return OrgMeasure::ALL.into_iter().find(|m| m.name() == inner).map(|m| Method::Organisational(Some(m)));
        }
        if let Some(m) = OrgMeasure::ALL.into_iter().find(|m| m.name() == s) {
            return Some(Method::Organisational(Some(m)));
        }
        Some(match s {
            "检查" => Method::Inspection,
            "通报" => Method::Circular,
            "改组" => Method::Reorganisation,
            "诫勉" => Method::Admonition,
            "组织调整" | "组织处理" => Method::Organisational(None),
            "纪律处分" => Method::Discipline,
            _ => return None,
        })
    }

    /// Whether 条例 Art. 8 allows this method for this subject.
    pub fn fits(self, subject: &Subject) -> bool {
        match subject {
            Subject::Organisation { .. } => matches!(self, Method::Inspection | Method::Circular | Method::Reorganisation),
            Subject::Cadre { .. } => {
                matches!(self, Method::Circular | Method::Admonition | Method::Organisational(_) | Method::Discipline)
            }
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Method::Inspection => f.write_str("检查"),
            Method::Circular => f.write_str("通报"),
            Method::Reorganisation => f.write_str("改组"),
            Method::Admonition => f.write_str("诫勉"),
            Method::Organisational(None) => f.write_str("组织调整或者组织处理"),
            Method::Organisational(Some(m)) => write!(f, "组织调整或者组织处理（{}）", m.name()),
            Method::Discipline => f.write_str("纪律处分"),
        }
    }
}

/// 领导责任 grading (条例 Art. 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Responsibility {
    Overall,
    Main,
    Important,
}

impl Responsibility {
    pub fn parse(s: &str) -> Option<Responsibility> {
        match s.trim() {
            "全面领导责任" | "全面" => Some(Responsibility::Overall),
            "主要领导责任" | "主要" => Some(Responsibility::Main),
            "重要领导责任" | "重要" => Some(Responsibility::Important),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Responsibility::Overall => "全面领导责任",
            Responsibility::Main => "主要领导责任",
            Responsibility::Important => "重要领导责任",
        }
    }
}

/// A 发文字号: 机关代字〔YYYY〕N号 (GB/T 9704 §7.2.4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocNo {
    pub code: String,
    pub year: i32,
    pub number: u32,
}

impl DocNo {
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
        if number.starts_with('0') {
            return Err("序号不编虚位（写 3，不写 03）".into());
        }
        let n: u32 = number.parse().map_err(|_| format!("序号“{number}”应为阿拉伯数字"))?;
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
    pub responsibility: Option<Responsibility>,
    /// 问责依据, e.g. 《中国共产党问责条例》第七条第八项.
    pub basis: Vec<String>,
    pub methods: Vec<Method>,
    /// 陈述申辩 and whether it was adopted, as prose.
    pub plea: Option<String>,
    pub cc: Vec<String>,
    pub date: Option<super::Date>,
    pub place: Place,
}
