//! `zeren.yaml` → `model::Settings`, and where its `data:` block says each data file is.

use super::check::{Checker, tidy};
use super::roster::Field;
use super::unit_kinds::{RawKindEntry, unit_kinds};
use super::units::{RawMember, RawPerson, member, person};
use crate::diag::{Place, Problem, Problems};
use crate::model::{Date, Kind, LetterSettings, NamePlace, Person, Settings, Signing, StyleChoice, Tier, UnitKinds};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSettings {
    organ: Option<Spanned<String>>,
    code: Option<Spanned<String>>,
    year: Option<Spanned<i32>>,
    date: Option<Spanned<String>>,
    signatory: Option<Spanned<RawPerson>>,
    signing: Option<Spanned<String>>,
    /// The committee's 班子成员 besides the 书记 (default: the units' 分管领导).
    #[serde(default)]
    members: Vec<Spanned<RawMember>>,
    /// Unit kind → whether it stamps a seal (over the kinds' own `seal`).
    #[serde(default)]
    seals: std::collections::BTreeMap<String, Spanned<bool>>,
    /// The workspace's unit kinds (or, as it used to be, the document kinds to build).
    kinds: Option<Spanned<Vec<Spanned<RawKindEntry>>>>,
    /// The document kinds a build without `--kind` makes.
    documents: Option<Vec<Spanned<String>>>,
    data: Option<RawDataFiles>,
    letter: Option<RawLetter>,
    style: Option<RawStyle>,
    /// 红头 on 问责决定书: true for the organ's name, or the 发文机关标志 text itself.
    letterhead: Option<Spanned<String>>,
    appeal: Option<Spanned<String>>,
    issuer: Option<String>,
    roster: Option<RawRosterSettings>,
    /// The workspace's own Word templates.
    #[serde(default)]
    word_templates: Vec<RawWordTemplate>,
    /// The folder of 公文 fonts for `--pdf`, searched before the system's (default `字体`).
    fonts: Option<Spanned<String>>,
}

/// `word_templates: [{file: templates/廉洁承诺书.docx, per: 单位}]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWordTemplate {
    file: Spanned<String>,
    per: Option<Spanned<String>>,
}

/// How to read an Excel roster: which sheet, and header names the reader does not know.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRosterSettings {
    sheet: Option<String>,
    #[serde(default)]
    columns: std::collections::BTreeMap<String, Spanned<String>>,
}

/// Field names a `roster.columns` mapping may use.
const ROSTER_FIELDS: [(&str, Field); 9] = [
    ("name", Field::Name),
    ("type", Field::Type),
    ("leader", Field::LeaderName),
    ("title", Field::LeaderTitle),
    ("supervisor", Field::SupervisorName),
    ("supervisor_title", Field::SupervisorTitle),
    ("phone", Field::Phone),
    ("duties", Field::Duties),
    ("ignore", Field::Ignore),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDataFiles {
    /// An Excel roster (xlsx/xls/ods) that replaces units.yaml.
    roster: Option<Spanned<String>>,
    units: Option<Spanned<String>>,
    duties: Option<Spanned<String>>,
    tasks: Option<Spanned<String>>,
    cases: Option<Spanned<String>>,
    reports: Option<Spanned<String>>,
    scheme: Option<Spanned<String>>,
    results: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLetter {
    title: Option<String>,
    #[serde(default)]
    basis: Vec<String>,
    assessment: Option<String>,
    accountability: Option<String>,
    copies: Option<Spanned<u32>>,
    /// The tiers of 责任书 to make: 班子成员, 单位, 副职.
    tiers: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fonts: Option<RawFonts>,
    line_pitch: Option<Spanned<u32>>,
    signer_name: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFonts {
    fangsong: Option<String>,
    heiti: Option<String>,
    kaiti: Option<String>,
    xiaobiaosong: Option<String>,
    songti: Option<String>,
}

/// A data file of a workspace, by what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataFile {
    Units,
    Duties,
    Tasks,
    Cases,
    Ledger,
    Reports,
    Scheme,
    Results,
}

impl DataFile {
    pub const ALL: [DataFile; 8] = [
        DataFile::Units,
        DataFile::Duties,
        DataFile::Tasks,
        DataFile::Cases,
        DataFile::Ledger,
        DataFile::Reports,
        DataFile::Scheme,
        DataFile::Results,
    ];

    /// Its key under zeren.yaml's `data:`.
    pub fn key(self) -> &'static str {
        match self {
            DataFile::Units => "units",
            DataFile::Duties => "duties",
            DataFile::Tasks => "tasks",
            DataFile::Cases => "cases",
            DataFile::Ledger => "ledger",
            DataFile::Reports => "reports",
            DataFile::Scheme => "scheme",
            DataFile::Results => "results",
        }
    }

    /// Where it is when zeren.yaml does not say.
    pub fn default_path(self) -> &'static str {
        match self {
            DataFile::Units => "data/units.yaml",
            DataFile::Duties => "data/duties.yaml",
            DataFile::Tasks => "data/tasks.yaml",
            DataFile::Cases => "data/cases.yaml",
            DataFile::Ledger => crate::model::Ledger::FILE,
            DataFile::Reports => "data/reports.yaml",
            DataFile::Scheme => "data/scheme.yaml",
            DataFile::Results => "data/results.yaml",
        }
    }

    /// The kinds whose documents need it; the unit list every kind needs.
    pub fn needed_by(self, kind: Kind) -> bool {
        matches!(
            (self, kind),
            (DataFile::Units, _)
                | (DataFile::Duties, Kind::ResponsibilityLetter)
                | (DataFile::Tasks, Kind::TaskNotice)
                | (DataFile::Cases | DataFile::Ledger, Kind::AccountabilityDecision)
                | (DataFile::Ledger, Kind::TaskNotice)
                | (DataFile::Reports | DataFile::Scheme | DataFile::Results, Kind::AnnualReport)
        )
    }
}

/// A path zeren.yaml gives, and where it gives it (a missing file is reported there).
#[derive(Debug, Clone)]
pub struct Configured {
    pub path: String,
    pub at: Place,
}

/// Where zeren.yaml's `data:` and `roster:` blocks say the data is.
#[derive(Default)]
pub(super) struct DataFiles {
    pub roster: Option<Configured>,
    pub roster_sheet: Option<String>,
    pub roster_columns: Vec<(String, Field)>,
    pub paths: Vec<(DataFile, Configured)>,
}

impl DataFiles {
    pub fn configured(&self, file: DataFile) -> Option<&Configured> {
        self.paths.iter().find(|(f, _)| *f == file).map(|(_, c)| c)
    }
}

/// Marks a value `zeren init` left for the user to fill in.
const PLACEHOLDER: char = '×';

/// The settings, where the data is, and the names of the fields still holding `zeren init`'s
/// placeholders.
pub(super) fn settings(raw: &Spanned<RawSettings>, file: &Path, problems: &mut Problems) -> (Settings, DataFiles, Vec<&'static str>) {
    let top = Place::File(file.into());
    let mut c = Checker { file, problems };
    let r = &raw.value;
    // Names printed on every document: a control character (an escape sequence pasted from a
    // terminal) is refused at its place, never dropped with its remnant printed ("…[31m").
    let organ = c.name(&r.organ, top.clone(), "发文机关全称(organ)", "settings.organ-missing");
    let code = c.name(&r.code, top.clone(), "机关代字(code)", "settings.code-missing");
    if let Some(l) = &r.letterhead {
        if let Some(why) = crate::load::limits::name_problem(&l.value).filter(|_| !l.value.trim().is_empty()) {
            let p = c.at(l);
            c.error(p, "name.invalid", format!("发文机关标志(letterhead){why}"));
        }
    }
    let (year, date) = year_and_date(&mut c, r, &top);
    let signatory = match &r.signatory {
        Some(s) => person(&mut c, s, "甲方签字人"),
        None => {
            c.error(top.clone(), "settings.signatory-missing", "缺少甲方签字人(signatory)：name 与 title".into());
            Person { name: String::new(), title: String::new() }
        }
    };
    let signing = signing(&mut c, r.signing.as_ref());
    let (unit_kinds, legacy_documents) = unit_kinds(&mut c, r.kinds.as_ref(), &r.seals);
    let kinds = documents(&mut c, r.documents.as_deref(), legacy_documents.as_deref());
    let letter = letter(&mut c, r.letter.as_ref());
    let members = committee(&mut c, &r.members, signatory.name.as_str());
    let style = r.style.as_ref().map(|s| style(&mut c, s)).unwrap_or_default();
    let files = data_files(&mut c, r, file);
    let appeal = r.appeal.as_ref().map(|a| appeal(a, &organ, &mut c)).filter(|a| !a.is_empty());
    if let Some(past) = r.word_templates.get(super::limits::MAX_WORD_TEMPLATES) {
        let p = c.at(&past.file);
        let max = super::limits::MAX_WORD_TEMPLATES;
        c.error(p, "settings.word_templates", format!("Word 模板(word_templates)超过 {max} 个；请只列出要生成的模板"));
    }
    let settings = Settings {
        organ,
        code,
        year,
        date: date.unwrap_or(Date { year: 2000, month: 1, day: 1 }),
        signatory,
        signing,
        members,
        unit_kinds,
        kinds,
        letter,
        style,
        letterhead: match r.letterhead.as_ref().map(|l| tidy(&l.value)) {
            None => None,
            Some(v) if v == "false" || v.is_empty() => None,
            Some(v) if v == "true" => Some(String::new()),
            Some(v) => Some(v),
        },
        appeal,
        issuer: r.issuer.as_deref().map(tidy).filter(|a| !a.is_empty()).unwrap_or_default(),
        word_templates: r
            .word_templates
            .iter()
            .take(super::limits::MAX_WORD_TEMPLATES)
            .map(|w| crate::model::WordTemplateSetting {
                file: tidy(&w.file.value).into(),
                place: c.at(&w.file),
                per: w.per.as_ref().map(|p| (tidy(&p.value), c.at(p))),
            })
            .collect(),
        fonts: r.fonts.as_ref().map(|f| tidy(&f.value)).filter(|f| !f.is_empty()).map(std::path::PathBuf::from),
    };
    let unfilled = unfilled(&settings);
    (settings, files, unfilled)
}

/// The names of the fields still holding `zeren init`'s placeholders.
fn unfilled(settings: &Settings) -> Vec<&'static str> {
    [
        (settings.organ.as_str(), "发文机关全称(organ)"),
        (&settings.code, "机关代字(code)"),
        (&settings.signatory.name, "甲方签字人姓名(signatory.name)"),
        (&settings.signatory.title, "甲方签字人职务(signatory.title)"),
    ]
    .into_iter()
    .filter(|(v, _)| v.contains(PLACEHOLDER))
    .map(|(_, name)| name)
    .collect()
}

/// The year (0 when missing or unreasonable: already reported) and the 成文日期, checked
/// against each other.
fn year_and_date(c: &mut Checker, r: &RawSettings, top: &Place) -> (i32, Option<Date>) {
    let year = match &r.year {
        Some(y) if (1949..=9999).contains(&y.value) => y.value,
        Some(y) => {
            let p = c.at(y);
            c.error(p, "settings.year", format!("年度 {} 不合理，应为四位年份，如 2026", y.value));
            0
        }
        None => {
            c.error(top.clone(), "settings.year-missing", "缺少年度(year)，如 year: 2026".into());
            0
        }
    };
    let date = match &r.date {
        Some(d) => c.parsed(d, Date::parse, "settings.date", "成文日期(date)"),
        None => {
            c.error(top.clone(), "settings.date-missing", "缺少成文日期(date)，如 date: 2026-01-05".into());
            None
        }
    };
    if let (Some(d), Some(y)) = (date, r.year.as_ref()) {
        let p = r.date.as_ref().map(|s| c.at(s)).unwrap_or(top.clone());
        c.problems.0.extend(d.year_mismatch(y.value, p));
    }
    (year, date)
}

fn signing(c: &mut Checker, raw: Option<&Spanned<String>>) -> Signing {
    let Some(s) = raw else { return Signing::Direct };
    match s.value.trim() {
        "direct" | "书记" => Signing::Direct,
        "tiered" | "分管" => Signing::Tiered,
        other => {
            let p = c.at(s);
            c.error(p, "settings.signing", format!("签字方式(signing)“{other}”无效；应为 direct（书记签字）或 tiered（分管领导签字）"));
            Signing::Direct
        }
    }
}

/// `documents:` (or a legacy `kinds:` of names): the document kinds a build makes by default.
fn documents(c: &mut Checker, documents: Option<&[Spanned<String>]>, legacy: Option<&[Spanned<String>]>) -> Option<Vec<Kind>> {
    if let (Some(_), Some(old)) = (documents, legacy) {
        let p = c.at(&old[0]);
        c.error(p, "settings.kinds-twice", "documents 与 kinds 都列出了文书种类；请只保留 documents（kinds 用于单位类别）".into());
    }
    documents.or(legacy).map(|list| kinds(c, list))
}

fn kinds(c: &mut Checker, list: &[Spanned<String>]) -> Vec<Kind> {
    list.iter()
        .filter_map(|k| {
            let kind = Kind::parse(&k.value);
            if kind.is_none() {
                let p = c.at(k);
                c.error(p, "settings.kind", format!("未知的文书种类“{}”；可用：{}", k.value, Kind::known_list()));
            }
            kind
        })
        .collect()
}

fn letter(c: &mut Checker, raw: Option<&RawLetter>) -> LetterSettings {
    let Some(l) = raw else { return LetterSettings { copies: 2, tiers: Tier::ALL.to_vec(), ..Default::default() } };
    LetterSettings {
        title: l.title.as_deref().map(tidy).filter(|t| !t.is_empty()),
        basis: l.basis.iter().map(|b| tidy(b)).filter(|b| !b.is_empty()).collect(),
        assessment: l.assessment.as_deref().map(tidy).filter(|t| !t.is_empty()),
        accountability: l.accountability.as_deref().map(tidy).filter(|t| !t.is_empty()),
        copies: match &l.copies {
            None => 2,
            Some(n) if (1..=10).contains(&n.value) => n.value,
            Some(n) => {
                let p = c.at(n);
                c.error(p, "settings.copies", format!("份数(copies) {} 不合理，应为 1–10", n.value));
                2
            }
        },
        tiers: match &l.tiers {
            None => Tier::ALL.to_vec(),
            Some(list) => tiers(c, list),
        },
    }
}

fn style(c: &mut Checker, s: &RawStyle) -> StyleChoice {
    let f = s.fonts.as_ref();
    let font = |v: Option<&Option<String>>| v.and_then(|o| o.as_deref()).map(tidy).filter(|x| !x.is_empty());
    StyleChoice {
        fangsong: font(f.map(|f| &f.fangsong)),
        heiti: font(f.map(|f| &f.heiti)),
        kaiti: font(f.map(|f| &f.kaiti)),
        xiaobiaosong: font(f.map(|f| &f.xiaobiaosong)),
        songti: font(f.map(|f| &f.songti)),
        line_pitch: match &s.line_pitch {
            None => None,
            Some(n) if (400..=800).contains(&n.value) => Some(n.value),
            Some(n) => {
                let p = c.at(n);
                c.error(p, "settings.line-pitch", format!("行距(line_pitch) {} 缇不合理，应在 400–800 之间（国标为 579）", n.value));
                None
            }
        },
        signer_name: s.signer_name.as_ref().and_then(|v| match v.value.trim() {
            "below" | "下方" => Some(NamePlace::Below),
            "beside" | "旁边" => Some(NamePlace::Beside),
            "none" | "不印" => Some(NamePlace::Hidden),
            other => {
                let p = c.at(v);
                c.error(
                    p,
                    "settings.signer-name",
                    format!("签字人姓名位置(signer_name)“{other}”无效；应为 below（签字横线下方）、beside（横线右侧）或 none（不印）"),
                );
                None
            }
        }),
    }
}

/// Where `data:` and `roster:` say the data is, each path with its place in zeren.yaml.
fn data_files(c: &mut Checker, r: &RawSettings, file: &Path) -> DataFiles {
    let configured = |f: fn(&RawDataFiles) -> &Option<Spanned<String>>| {
        r.data.as_ref().and_then(|d| f(d).as_ref()).map(|s| Configured { path: s.value.clone(), at: super::yaml::spanned_place(file, s) })
    };
    let roster_columns = r
        .roster
        .iter()
        .flat_map(|x| &x.columns)
        .filter_map(|(header, field)| match ROSTER_FIELDS.iter().find(|(k, _)| *k == field.value.trim()) {
            Some((_, f)) => Some((header.clone(), *f)),
            None => {
                let p = c.at(field);
                let keys: Vec<&str> = ROSTER_FIELDS.iter().map(|(k, _)| *k).collect();
                c.error(p, "settings.roster-field", format!("名单列“{header}”对应的字段“{}”无效；可用：{}", field.value, keys.join("、")));
                None
            }
        })
        .collect();
    let paths = [
        (DataFile::Units, configured(|d| &d.units)),
        (DataFile::Duties, configured(|d| &d.duties)),
        (DataFile::Tasks, configured(|d| &d.tasks)),
        (DataFile::Cases, configured(|d| &d.cases)),
        (DataFile::Reports, configured(|d| &d.reports)),
        (DataFile::Scheme, configured(|d| &d.scheme)),
        (DataFile::Results, configured(|d| &d.results)),
    ];
    DataFiles {
        roster: configured(|d| &d.roster),
        roster_sheet: r.roster.as_ref().and_then(|x| x.sheet.as_deref()).map(tidy).filter(|s| !s.is_empty()),
        roster_columns,
        paths: paths.into_iter().filter_map(|(f, c)| Some((f, c?))).collect(),
    }
}

/// A workspace's own appeal notice. 条例: the appeal goes in writing, within one month of
/// receipt, to the 党组织 that made the decision, and does not suspend it. A notice that misses
/// one of these is flagged here, where it was written; the decision itself is refused by the
/// document rules, so a build of other kinds is not held up by it.
fn appeal(raw: &Spanned<String>, organ: &str, c: &mut Checker) -> String {
    let text = tidy(&raw.value);
    let mut missing = Vec::new();
    if text.contains("本机关") || (!organ.is_empty() && !text.contains(organ)) {
        missing.push(format!("向作出决定的党组织“{organ}”申诉（写全称，不写“本机关”：党委不是机关）"));
    }
    if !text.contains("1个月") && !text.contains("一个月") {
        missing.push("申诉期限为收到决定之日起1个月".to_string());
    }
    if !text.contains("不停止") {
        missing.push("申诉期间不停止执行".to_string());
    }
    if !text.is_empty() && !missing.is_empty() {
        let p = c.at(raw);
        let message = format!("申诉告知(appeal)应写明：{}（《中国共产党问责条例》）；问责决定书将不能生成", missing.join("；"));
        c.problems
            .push(Problem::warning(p, "settings.appeal", message).with_detail("删去 appeal 即用内置的申诉告知，它写明作出决定的党组织"));
    }
    text
}

pub(super) fn placeholder_settings() -> Settings {
    Settings {
        organ: String::new(),
        code: String::new(),
        year: 0,
        date: Date { year: 2000, month: 1, day: 1 },
        signatory: Person { name: String::new(), title: String::new() },
        signing: Signing::Direct,
        members: Vec::new(),
        unit_kinds: UnitKinds::builtin().clone(),
        kinds: None,
        letter: LetterSettings { copies: 2, tiers: Tier::ALL.to_vec(), ..Default::default() },
        style: StyleChoice::default(),
        letterhead: None,
        appeal: None,
        issuer: String::new(),
        word_templates: Vec::new(),
        fonts: None,
    }
}

/// `letter.tiers`: each named once, in the signing order whatever order they are written in.
fn tiers(c: &mut Checker, list: &[Spanned<String>]) -> Vec<Tier> {
    let mut out: Vec<Tier> = list
        .iter()
        .filter_map(|t| {
            let tier = Tier::parse(&t.value);
            if tier.is_none() {
                let p = c.at(t);
                c.error(p, "settings.tier", format!("责任书层级(letter.tiers)“{}”无效；可用：{}", t.value, Tier::known_list()));
            }
            tier
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `members`: the committee's 班子成员 besides the 书记, each once (each signs one letter).
fn committee(c: &mut Checker, raw: &[Spanned<RawMember>], secretary: &str) -> Vec<crate::model::Member> {
    let mut out: Vec<crate::model::Member> = Vec::new();
    for m in raw {
        let member = member(c, m, "党委班子成员(members)");
        if !member.name.is_empty() && (member.name == secretary || out.iter().any(|o| o.name == member.name)) {
            let p = c.at(m);
            let why = if member.name == secretary { "是甲方签字人（书记）本人" } else { "重复" };
            c.error(p, "settings.member-duplicate", format!("党委班子成员(members)“{}”{why}：每位班子成员与书记签一份责任书", member.name));
            continue;
        }
        out.push(member);
    }
    out
}
