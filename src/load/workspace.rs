//! `zeren.yaml` and the YAML data files → `model::Workspace`, with every problem located.
//!
//! The `Raw*` types mirror the YAML exactly. Fields we check ourselves are `Option<Spanned<_>>` so
//! that a missing or bad value is reported in Chinese at the place of its record, not as serde's
//! generic "missing field". No `flatten`/`untagged` here: they would lose saphyr's locations.

use super::check::{Checker, tidy};
use super::roster::{self, Field};
use super::yaml;
use super::{assessment, documents};
use crate::diag::{Place, Problem, Problems};
use crate::model::{
    DEFAULT_APPEAL, Date, DutyGroup, Kind, Ledger, LetterSettings, Member, Person, Settings, Signing, StyleChoice, Unit, UnitType,
    Workspace,
};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const SETTINGS_FILE: &str = "zeren.yaml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    organ: Option<Spanned<String>>,
    code: Option<Spanned<String>>,
    year: Option<Spanned<i32>>,
    date: Option<Spanned<String>>,
    signatory: Option<Spanned<RawPerson>>,
    signing: Option<Spanned<String>>,
    kinds: Option<Vec<Spanned<String>>>,
    data: Option<RawDataFiles>,
    letter: Option<RawLetter>,
    style: Option<RawStyle>,
    /// 红头 on 问责决定书: true for the organ's name, or the 发文机关标志 text itself.
    letterhead: Option<Spanned<String>>,
    appeal: Option<String>,
    issuer: Option<String>,
    roster: Option<RawRosterSettings>,
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

/// What the command line adds to a workspace: an Excel roster and its sheet.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// `--roster`: replaces the roster named in zeren.yaml and data/units.yaml.
    pub roster: Option<PathBuf>,
    /// `--sheet`.
    pub sheet: Option<String>,
}

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
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fonts: Option<RawFonts>,
    line_pitch: Option<Spanned<u32>>,
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    name: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMember {
    name: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    portfolio: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnitsFile {
    units: Vec<Spanned<RawUnit>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUnit {
    name: Option<Spanned<String>>,
    #[serde(rename = "type")]
    unit_type: Option<Spanned<String>>,
    leader: Option<Spanned<RawPerson>>,
    supervisor: Option<Spanned<RawPerson>>,
    #[serde(default)]
    members: Vec<Spanned<RawMember>>,
    #[serde(default)]
    duties: Vec<Spanned<String>>,
    phone: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDutiesFile {
    groups: Vec<Spanned<RawGroup>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    subject: Option<Spanned<String>>,
    applies_to: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    duties: Vec<Spanned<String>>,
}

fn person(c: &mut Checker, raw: &Spanned<RawPerson>, who: &str) -> Person {
    let at = c.at(raw);
    Person {
        name: c.name(&raw.value.name, at.clone(), &format!("{who}姓名(name)"), "person.name-missing"),
        title: c.text(&raw.value.title, at, &format!("{who}职务(title)"), "person.title-missing"),
    }
}

/// Loads a workspace folder. All problems of all files come back together.
pub fn load(root: &Path) -> Result<(Workspace, Problems), Problems> {
    load_with_options(root, &LoadOptions::default())
}

/// `load`, with an Excel roster from the command line.
pub fn load_with_options(root: &Path, options: &LoadOptions) -> Result<(Workspace, Problems), Problems> {
    if !root.is_dir() {
        return Err(Problem::error(Place::File(root.into()), "workspace.missing", "工作区文件夹不存在").into());
    }
    load_with(root, &|path, shown| yaml::read_text(path, shown), Some(options))
}

/// Loads a workspace given as (relative path, text) pairs, e.g. the samples built into the binary.
pub fn load_files(root: &Path, files: &[(&str, &str)]) -> Result<(Workspace, Problems), Problems> {
    load_with(
        root,
        &|path, shown| {
            let rel = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
            files
                .iter()
                .find(|(name, _)| *name == rel)
                .map(|(_, text)| text.to_string())
                .ok_or_else(|| Problem::error(Place::File(shown.into()), "file.missing", "找不到文件"))
        },
        None,
    )
}

/// Reads a file: (full path, path as shown) → its text.
type Reader<'a> = &'a dyn Fn(&Path, &Path) -> Result<String, Problem>;

/// `options` is `None` for a workspace that is not on disk (an Excel roster needs files).
fn load_with(root: &Path, reader: Reader, options: Option<&LoadOptions>) -> Result<(Workspace, Problems), Problems> {
    let settings_path = root.join(SETTINGS_FILE);
    let shown_settings = shown(root, SETTINGS_FILE);
    let settings_text = reader(&settings_path, &shown_settings);
    if matches!(&settings_text, Err(p) if p.code == "file.missing") {
        return Err(Problem::error(
            Place::File(shown_settings),
            "workspace.no-settings",
            "找不到工作区设置文件 zeren.yaml（可用 zeren init 新建工作区）",
        )
        .into());
    }
    let mut problems = Problems::new();
    // A broken zeren.yaml still lets us check the data files at their usual places, so one
    // run lists the problems of every file.
    let (settings, files) = match settings_text.and_then(|t| yaml::parse::<Spanned<RawSettings>>(&t, &shown_settings)) {
        Ok(raw) => settings(&raw, &shown_settings, &mut problems),
        Err(p) => {
            problems.push(p);
            (placeholder_settings(), DataFiles::default())
        }
    };

    // A data file named in zeren.yaml must exist; one at its usual place is optional (a
    // workspace may hold only some kinds).
    let mut data = |configured: Option<String>, default: &str| -> Option<(String, PathBuf)> {
        let explicit = configured.is_some();
        let rel = configured.unwrap_or_else(|| default.to_string());
        let shown = shown(root, &rel);
        match reader(&root.join(&rel), &shown) {
            Ok(text) => Some((text, shown)),
            Err(p) if p.code == "file.missing" && !explicit => None,
            Err(p) => {
                problems.push(p);
                None
            }
        }
    };
    // An Excel roster (from the command line, or named in zeren.yaml) is the unit list.
    let roster = options.and_then(|o| {
        o.roster
            .clone()
            .map(|p| (p.clone(), p, o.sheet.clone().or(files.roster_sheet.clone())))
            .or_else(|| files.roster.as_ref().map(|r| (root.join(r), root.join(r), o.sheet.clone().or(files.roster_sheet.clone()))))
    });
    // With an Excel roster, data/units.yaml is not read at all.
    let units_text = if roster.is_some() { None } else { data(files.units.clone(), "data/units.yaml") };
    let duties_text = data(files.duties, "data/duties.yaml");
    let tasks_text = data(files.tasks, "data/tasks.yaml");
    let cases_text = data(files.cases, "data/cases.yaml");
    let ledger_text = data(None, Ledger::FILE);
    let reports_text = data(files.reports, "data/reports.yaml");
    let scheme_text = data(files.scheme, "data/scheme.yaml");
    let results_text = data(files.results, "data/results.yaml");

    let mut roster_read = false;
    // Whether a unit list was read at all: when it could not be, every "unit not in the
    // list" below would only repeat that one problem.
    let mut units_read = true;
    let units = match &roster {
        Some((path, shown, sheet)) => {
            let opts = roster::RosterOptions { sheet: sheet.as_deref(), columns: &files.roster_columns };
            match roster::read(path, shown, &opts) {
                Ok(r) => {
                    problems.extend(r.notes);
                    roster_read = true;
                    r.units
                }
                Err(p) => {
                    problems.extend(p);
                    units_read = false;
                    Vec::new()
                }
            }
        }
        None => match parsed::<RawUnitsFile>(&units_text, &mut problems) {
            Some((raw, file)) => units(&raw, &file, &mut problems),
            None => {
                units_read = units_text.is_none();
                Vec::new()
            }
        },
    };
    let duty_groups =
        parsed::<RawDutiesFile>(&duties_text, &mut problems).map(|(raw, file)| groups(&raw, &file, &mut problems)).unwrap_or_default();
    let notice = parsed::<documents::RawTasksFile>(&tasks_text, &mut problems)
        .map(|(raw, file)| documents::tasks(&raw, &units, &mut Checker { file: &file, problems: &mut problems }));
    let ledger = parsed::<documents::RawLedger>(&ledger_text, &mut problems)
        .map(|(raw, file)| documents::ledger(&raw, &mut Checker { file: &file, problems: &mut problems }))
        .unwrap_or_default();
    let mut cases = parsed::<documents::RawCasesFile>(&cases_text, &mut problems)
        .map(|(raw, file)| documents::cases(&raw, &ledger, &mut Checker { file: &file, problems: &mut problems }))
        .unwrap_or_default();
    // The roster workbook's 问责案件 sheet adds its cases to those of data/cases.yaml.
    // Only a workbook the roster reader accepted is opened again (it checks damaged files first).
    if let Some((path, shown, _)) = roster.as_ref().filter(|_| roster_read) {
        match super::cases_sheet::read(path, shown) {
            Ok(more) => {
                for case in more {
                    if let Some(first) = cases.iter().find(|c| c.id == case.id) {
                        problems.push(Problem::error(
                            case.place.clone(),
                            "case.duplicate-id",
                            format!("案件编号“{}”重复（首次出现在 {}）", case.id, first.place),
                        ));
                    } else {
                        cases.push(case);
                    }
                }
            }
            Err(p) => problems.extend(p),
        }
    }
    let reports = parsed::<assessment::RawReportsFile>(&reports_text, &mut problems)
        .map(|(raw, file)| assessment::reports(&raw, &units, &mut Checker { file: &file, problems: &mut problems }))
        .unwrap_or_default();
    let scheme = parsed::<assessment::RawScheme>(&scheme_text, &mut problems)
        .map(|(raw, file)| assessment::scheme(&raw, &mut Checker { file: &file, problems: &mut problems }));
    let results = match (parsed::<assessment::RawResultsFile>(&results_text, &mut problems), &scheme) {
        (Some((raw, file)), Some(scheme)) => {
            assessment::results(&raw, scheme, &units, &mut Checker { file: &file, problems: &mut problems })
        }
        (Some((_, file)), None) => {
            problems.push(Problem::error(Place::File(file), "results.no-scheme", "有考核结果却没有考核方案（data/scheme.yaml）"));
            Vec::new()
        }
        (None, _) => Vec::new(),
    };
    if units_text.is_none() && roster.is_none() && tasks_text.is_none() && cases_text.is_none() && !problems.has_errors() {
        problems.push(Problem::error(
            Place::File(shown(root, "data")),
            "workspace.no-data",
            "工作区没有任何数据文件（data/units.yaml、data/tasks.yaml 或 data/cases.yaml）",
        ));
    }
    if !units_read {
        problems.0.retain(|p| !matches!(p.code, "task.unknown-unit" | "unit.unknown"));
    }
    let workspace = Workspace { root: root.to_path_buf(), settings, units, duty_groups, notice, cases, ledger, reports, scheme, results };
    problems.into_result(workspace)
}

/// Parses a file read by `data`, recording its syntax problem.
fn parsed<T: serde::de::DeserializeOwned>(text: &Option<(String, PathBuf)>, problems: &mut Problems) -> Option<(T, PathBuf)> {
    let (text, file) = text.as_ref()?;
    match yaml::parse::<T>(text, file) {
        Ok(raw) => Some((raw, file.clone())),
        Err(p) => {
            problems.push(p);
            None
        }
    }
}

/// The path as the user should see it: relative to where they pointed us.
fn shown(root: &Path, rel: &str) -> PathBuf {
    root.join(rel)
}

#[derive(Default)]
struct DataFiles {
    roster: Option<String>,
    roster_sheet: Option<String>,
    roster_columns: Vec<(String, Field)>,
    units: Option<String>,
    duties: Option<String>,
    tasks: Option<String>,
    cases: Option<String>,
    reports: Option<String>,
    scheme: Option<String>,
    results: Option<String>,
}

fn settings(raw: &Spanned<RawSettings>, file: &Path, problems: &mut Problems) -> (Settings, DataFiles) {
    let top = Place::File(file.into());
    let mut c = Checker { file, problems };
    let r = &raw.value;
    let organ = c.text(&r.organ, top.clone(), "发文机关全称(organ)", "settings.organ-missing");
    let code = c.text(&r.code, top.clone(), "机关代字(code)", "settings.code-missing");
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
        if d.year != y.value && d.year != y.value - 1 {
            let p = r.date.as_ref().map(|s| c.at(s)).unwrap_or(top.clone());
            c.problems.push(Problem::warning(
                p,
                "settings.date-year",
                format!("成文日期 {} 与年度 {} 不一致，请核对", d.chinese(), y.value),
            ));
        }
    }
    let signatory = match &r.signatory {
        Some(s) => person(&mut c, s, "甲方签字人"),
        None => {
            c.error(top.clone(), "settings.signatory-missing", "缺少甲方签字人(signatory)：name 与 title".into());
            Person { name: String::new(), title: String::new() }
        }
    };
    let signing = match &r.signing {
        None => Signing::Direct,
        Some(s) => match s.value.trim() {
            "direct" | "书记" => Signing::Direct,
            "tiered" | "分管" => Signing::Tiered,
            other => {
                let p = c.at(s);
                c.error(p, "settings.signing", format!("签字方式(signing)“{other}”无效；应为 direct（书记签字）或 tiered（分管领导签字）"));
                Signing::Direct
            }
        },
    };
    let kinds = r.kinds.as_ref().map(|list| {
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
    });
    let letter = match &r.letter {
        None => LetterSettings { copies: 2, ..Default::default() },
        Some(l) => LetterSettings {
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
        },
    };
    let style = match &r.style {
        None => StyleChoice::default(),
        Some(s) => {
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
                        c.error(
                            p,
                            "settings.line-pitch",
                            format!("行距(line_pitch) {} 缇不合理，应在 400–800 之间（国标为 579）", n.value),
                        );
                        None
                    }
                },
            }
        }
    };
    let file = |f: fn(&RawDataFiles) -> &Option<Spanned<String>>| r.data.as_ref().and_then(|d| f(d).as_ref()).map(|s| s.value.clone());
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
    let files = DataFiles {
        roster: file(|d| &d.roster),
        roster_sheet: r.roster.as_ref().and_then(|x| x.sheet.as_deref()).map(tidy).filter(|s| !s.is_empty()),
        roster_columns,
        units: file(|d| &d.units),
        duties: file(|d| &d.duties),
        tasks: file(|d| &d.tasks),
        cases: file(|d| &d.cases),
        reports: file(|d| &d.reports),
        scheme: file(|d| &d.scheme),
        results: file(|d| &d.results),
    };
    let settings = Settings {
        organ,
        code,
        year,
        date: date.unwrap_or(Date { year: 2000, month: 1, day: 1 }),
        signatory,
        signing,
        kinds,
        letter,
        style,
        letterhead: match r.letterhead.as_ref().map(|l| tidy(&l.value)) {
            None => None,
            Some(v) if v == "false" || v.is_empty() => None,
            Some(v) if v == "true" => Some(String::new()),
            Some(v) => Some(v),
        },
        appeal: r.appeal.as_deref().map(tidy).filter(|a| !a.is_empty()).unwrap_or_else(|| DEFAULT_APPEAL.to_string()),
        issuer: r.issuer.as_deref().map(tidy).filter(|a| !a.is_empty()).unwrap_or_default(),
    };
    (settings, files)
}

fn placeholder_settings() -> Settings {
    Settings {
        organ: String::new(),
        code: String::new(),
        year: 0,
        date: Date { year: 2000, month: 1, day: 1 },
        signatory: Person { name: String::new(), title: String::new() },
        signing: Signing::Direct,
        kinds: None,
        letter: LetterSettings::default(),
        style: StyleChoice::default(),
        letterhead: None,
        appeal: DEFAULT_APPEAL.to_string(),
        issuer: String::new(),
    }
}

fn units(raw: &RawUnitsFile, file: &Path, problems: &mut Problems) -> Vec<Unit> {
    let mut c = Checker { file, problems };
    let mut seen: HashMap<String, Place> = HashMap::new();
    let mut out = Vec::new();
    for ru in &raw.units {
        let at = c.at(ru);
        let u = &ru.value;
        let name = c.name(&u.name, at.clone(), "单位名称(name)", "unit.name-missing");
        let label = if name.is_empty() { "单位".to_string() } else { format!("单位“{name}”") };
        let unit_type = match &u.unit_type {
            Some(t) => match UnitType::parse(&t.value) {
                Some(t) => Some(t),
                None => {
                    let p = c.at(t);
                    c.error(p, "unit.type", format!("{label}的类别(type)“{}”无效；应为 处室、党支部 或 直属单位", t.value));
                    None
                }
            },
            None => {
                c.error(at.clone(), "unit.type-missing", format!("{label}缺少类别(type)：处室、党支部 或 直属单位"));
                None
            }
        };
        let leader = match &u.leader {
            Some(l) => Some(person(&mut c, l, &format!("{label}负责人"))),
            None => {
                c.error(at.clone(), "unit.leader-missing", format!("{label}缺少负责人(leader)"));
                None
            }
        };
        let supervisor = u.supervisor.as_ref().map(|s| person(&mut c, s, &format!("{label}分管领导")));
        let members = u
            .members
            .iter()
            .map(|m| {
                let mp = c.at(m);
                Member {
                    name: c.name(&m.value.name, mp.clone(), &format!("{label}班子成员姓名(name)"), "member.name-missing"),
                    title: c.text(&m.value.title, mp, &format!("{label}班子成员职务(title)"), "member.title-missing"),
                    portfolio: m.value.portfolio.as_deref().map(tidy).unwrap_or_default(),
                }
            })
            .collect();
        let duties = duty_texts(&mut c, &u.duties, &label);
        if !name.is_empty() {
            if let Some(first) = seen.get(&name) {
                c.error(at.clone(), "unit.duplicate", format!("单位名称“{name}”重复（首次出现在 {first}）"));
            } else {
                seen.insert(name.clone(), at.clone());
            }
        }
        if let (Some(unit_type), Some(leader)) = (unit_type, leader) {
            let phone = u.phone.as_deref().map(tidy).filter(|p| !p.is_empty());
            out.push(Unit { name, unit_type, leader, supervisor, members, duties, phone, place: at });
        }
    }
    if raw.units.is_empty() {
        c.error(Place::File(file.into()), "units.empty", "单位名单为空（units 下至少要有一个单位）".into());
    }
    out
}

fn duty_texts(c: &mut Checker, list: &[Spanned<String>], label: &str) -> Vec<String> {
    list.iter()
        .filter_map(|d| {
            let text = tidy(&d.value);
            if text.is_empty() {
                let p = c.at(d);
                c.error(p, "duty.empty", format!("{label}有一条空的责任内容"));
                None
            } else {
                Some(text)
            }
        })
        .collect()
}

fn groups(raw: &RawDutiesFile, file: &Path, problems: &mut Problems) -> Vec<DutyGroup> {
    let mut c = Checker { file, problems };
    let mut out = Vec::new();
    for rg in &raw.groups {
        let at = c.at(rg);
        let g = &rg.value;
        let subject = c.text(&g.subject, at.clone(), "责任主体(subject)", "group.subject-missing");
        let label = format!("责任组“{subject}”");
        let applies_to = match &g.applies_to {
            None => UnitType::ALL.to_vec(),
            Some(list) => list
                .iter()
                .filter_map(|t| {
                    let ty = UnitType::parse(&t.value);
                    if ty.is_none() {
                        let p = c.at(t);
                        c.error(p, "group.applies-to", format!("{label}的适用类别“{}”无效；应为 处室、党支部 或 直属单位", t.value));
                    }
                    ty
                })
                .collect(),
        };
        let duties = duty_texts(&mut c, &g.duties, &label);
        if duties.is_empty() {
            c.error(at.clone(), "group.empty", format!("{label}没有责任条目(duties)"));
        }
        out.push(DutyGroup { subject, applies_to, duties });
    }
    out
}
