//! A workspace folder → `model::Workspace`. zeren.yaml first; then only the data files that the
//! kinds in scope need (a build validates what it builds: a task of a 函告书 nobody asked for
//! never blocks a 责任书), each checked with every problem located.
//!
//! The `Raw*` types of the readers mirror the YAML exactly. Fields we check ourselves are
//! `Option<Spanned<_>>` so that a missing or bad value is reported in Chinese at the place of its
//! record. No `flatten`/`untagged`: they would lose saphyr's locations.

use super::check::Checker;
use super::roster;
use super::settings::{self, Configured, DataFile, DataFiles, RawSettings};
use super::units::{self, RawDutiesFile, RawUnitsFile, UnitList};
use super::yaml;
use super::{assessment, cases, cases_sheet, documents};
use crate::diag::{Place, Problem, Problems};
use crate::model::{Kind, Unit, UnitSource, Workspace};
use serde_saphyr::Spanned;
use std::path::{Path, PathBuf};

pub const SETTINGS_FILE: &str = "zeren.yaml";

/// Which kinds' data a load reads and checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Scope {
    /// What a build without `--kind` makes: zeren.yaml's `documents`, or else every kind.
    #[default]
    Default,
    /// Every kind's data, whatever zeren.yaml's `documents` says (`check` without `--kind`).
    Everything,
    /// Only these kinds' data (`--kind`, the web form's choice).
    Kinds(Vec<Kind>),
}

/// Where the unit list comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum UnitsFrom {
    /// The roster zeren.yaml names, else data/units.yaml.
    #[default]
    Workspace,
    /// This Excel roster (`--roster`, an upload), in place of the workspace's.
    Roster(PathBuf),
    /// None yet: the web service's own workspace, checked before any upload. References to
    /// units are not checked (an upload will bring the list).
    Deferred,
}

/// What a door adds to a workspace: where the units come from, and the kinds to check.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub units: UnitsFrom,
    /// `--sheet`: the roster's sheet.
    pub sheet: Option<String>,
    pub scope: Scope,
}

/// Loads a workspace folder, every kind's data. All problems of all files come back together.
pub fn load(root: &Path) -> Result<(Workspace, Problems), Problems> {
    load_with_options(root, &LoadOptions { scope: Scope::Everything, ..Default::default() })
}

/// `load`, with an Excel roster and a scope from the door.
pub fn load_with_options(root: &Path, options: &LoadOptions) -> Result<(Workspace, Problems), Problems> {
    if !root.is_dir() {
        return Err(Problem::error(Place::File(root.into()), "workspace.missing", "工作区文件夹不存在").into());
    }
    load_with(root, &|path, shown| yaml::read_text(path, shown), Some(options))
}

/// Loads a workspace given as (relative path, text) pairs, e.g. the samples built into the binary.
pub fn load_files(root: &Path, files: &[(&str, &str)]) -> Result<(Workspace, Problems), Problems> {
    let reader = |path: &Path, _: &Path| {
        let rel = path.strip_prefix(root).unwrap_or(path).to_string_lossy().replace('\\', "/");
        Ok(files.iter().find(|(name, _)| *name == rel).map(|(_, text)| text.to_string()))
    };
    load_with(root, &reader, None)
}

/// Reads a file: (full path, path as shown) → its text, `None` when there is no such file.
type Reader<'a> = &'a dyn Fn(&Path, &Path) -> Result<Option<String>, Problem>;

/// `options` is `None` for a workspace that is not on disk (an Excel roster needs files).
fn load_with(root: &Path, reader: Reader, options: Option<&LoadOptions>) -> Result<(Workspace, Problems), Problems> {
    let shown_settings = root.join(SETTINGS_FILE);
    let settings_text = match reader(&shown_settings, &shown_settings) {
        Ok(Some(text)) => Ok(text),
        Ok(None) => {
            let message = "找不到工作区设置文件 zeren.yaml（可用 zeren init 新建工作区）";
            return Err(Problem::error(Place::File(shown_settings), "workspace.no-settings", message).into());
        }
        Err(p) => Err(p),
    };
    let mut problems = Problems::new();
    // A broken zeren.yaml still lets us check the data files at their usual places, so one
    // run lists the problems of every file.
    let (settings, files, unfilled) = match settings_text.and_then(|t| yaml::parse::<Spanned<RawSettings>>(&t, &shown_settings)) {
        Ok(raw) => settings::settings(&raw, &shown_settings, &mut problems),
        Err(p) => {
            problems.push(p);
            (settings::placeholder_settings(), DataFiles::default(), Vec::new())
        }
    };
    let words_file = root.join(super::words::WORDS_FILE);
    let words = match reader(&words_file, &words_file) {
        Ok(Some(text)) => super::words::words(&text, &words_file, &mut problems),
        Ok(None) => super::words::builtin().clone(),
        Err(p) => {
            problems.push(p);
            super::words::builtin().clone()
        }
    };
    let scope = options.map(|o| o.scope.clone()).unwrap_or_default();
    let kinds: Vec<Kind> = match &scope {
        Scope::Kinds(k) => k.clone(),
        Scope::Default => settings.kinds.clone().unwrap_or_else(|| Kind::ALL.to_vec()),
        Scope::Everything => Kind::ALL.to_vec(),
    };
    let data = DataReader { root, reader, files: &files, kinds: &kinds };
    // An Excel roster (from the door, or named in zeren.yaml) is the unit list.
    let units_from = options.map(|o| o.units.clone()).unwrap_or_default();
    let roster = options.and_then(|o| {
        let sheet = o.sheet.clone().or(files.roster_sheet.clone());
        match &units_from {
            UnitsFrom::Roster(p) => Some((p.clone(), p.clone(), sheet)),
            UnitsFrom::Workspace => files.roster.as_ref().map(|r| (root.join(&r.path), root.join(&r.path), sheet)),
            UnitsFrom::Deferred => None,
        }
    });
    // The web service's own workspace, before any upload, has no unit list yet.
    let deferred = units_from == UnitsFrom::Deferred;
    let list = match units_from {
        UnitsFrom::Deferred => Units { units: Vec::new(), also_named: Vec::new(), source: UnitSource::None, read: false },
        _ => read_units(&data, roster.as_ref(), &files, &settings.unit_kinds, &mut problems),
    };
    let units_list = UnitList::new(&list.units, &settings.unit_kinds, &list.also_named, &list.source, list.read);
    let duty_groups = data
        .parse::<RawDutiesFile>(DataFile::Duties, &mut problems)
        .map(|(raw, file)| units::groups(&raw, &file, &settings.unit_kinds, &mut problems))
        .unwrap_or_default();
    let notice = data
        .parse::<documents::RawTasksFile>(DataFile::Tasks, &mut problems)
        .map(|(raw, file)| documents::tasks(&raw, &units_list, &mut Checker { file: &file, problems: &mut problems }));
    let ledger = data
        .parse::<documents::RawLedger>(DataFile::Ledger, &mut problems)
        .map(|(raw, file)| documents::ledger(&raw, &mut Checker { file: &file, problems: &mut problems }))
        .unwrap_or_default();
    let cases = read_cases(&data, roster.as_ref().filter(|_| list.read), &ledger, &units_list, &mut problems);
    let reports = data
        .parse::<assessment::RawReportsFile>(DataFile::Reports, &mut problems)
        .map(|(raw, file)| assessment::reports(&raw, &units_list, &mut Checker { file: &file, problems: &mut problems }))
        .unwrap_or_default();
    let (scheme, results) = read_assessment(&data, &units_list, &mut problems);
    if !unfilled.is_empty() && !deferred {
        return Err(unfilled_workspace(&shown_settings, &unfilled, &list).into());
    }
    if !deferred && list.source == UnitSource::None && notice.is_none() && cases.is_empty() && !problems.has_errors() {
        let message = "工作区没有任何数据文件（单位名单 data/units.yaml 或 Excel 名单，data/tasks.yaml 或 data/cases.yaml）";
        problems.push(Problem::error(Place::File(root.join("data")), "workspace.no-data", message));
    }
    let Units { units, source: unit_source, .. } = list;
    let workspace = Workspace {
        root: root.to_path_buf(),
        settings,
        units,
        unit_source,
        duty_groups,
        notice,
        cases,
        ledger,
        reports,
        scheme,
        results,
        words,
    };
    // Each file was checked on its own; now where two meet, once each is sound (a rule across
    // documents read from a broken one would only echo its fault).
    if !problems.has_errors() {
        super::cross::check(&workspace, &mut problems);
    }
    problems.into_result(workspace)
}

/// data/cases.yaml and the roster workbook's 问责案件 sheet, held to the same rules together.
/// Only a workbook the roster reader accepted is opened again (it checks damaged files first).
fn read_cases(
    data: &DataReader,
    roster: Option<&(PathBuf, PathBuf, Option<String>)>,
    ledger: &crate::model::Ledger,
    units: &UnitList,
    problems: &mut Problems,
) -> Vec<crate::model::Case> {
    let mut fields =
        data.parse::<cases::RawCasesFile>(DataFile::Cases, problems).map(|(raw, file)| cases::from_yaml(&raw, &file)).unwrap_or_default();
    if let Some((path, shown, _)) = roster.filter(|_| data.wants(DataFile::Cases)) {
        match cases_sheet::read(path, shown) {
            Ok(more) => fields.extend(more),
            Err(p) => problems.extend(p),
        }
    }
    cases::validate(fields, ledger, units, problems)
}

/// The 考核方案 and the results scored by it.
fn read_assessment(
    data: &DataReader,
    units: &UnitList,
    problems: &mut Problems,
) -> (Option<crate::model::Scheme>, Vec<crate::model::UnitResult>) {
    let scheme = data
        .parse::<assessment::RawScheme>(DataFile::Scheme, problems)
        .map(|(raw, file)| assessment::scheme(&raw, units.kinds, &mut Checker { file: &file, problems }));
    let results = match (data.parse::<assessment::RawResultsFile>(DataFile::Results, problems), &scheme) {
        (Some((raw, file)), Some(scheme)) => assessment::results(&raw, scheme, units, &mut Checker { file: &file, problems }),
        (Some((_, file)), None) => {
            problems.push(Problem::error(Place::File(file), "results.no-scheme", "有考核结果却没有考核方案（data/scheme.yaml）"));
            Vec::new()
        }
        (None, _) => Vec::new(),
    };
    (scheme, results)
}

/// The data files of the kinds in scope, read where zeren.yaml says or at their usual places.
struct DataReader<'a> {
    root: &'a Path,
    reader: Reader<'a>,
    files: &'a DataFiles,
    kinds: &'a [Kind],
}

impl DataReader<'_> {
    /// Whether a kind in scope needs `file`.
    fn wants(&self, file: DataFile) -> bool {
        self.kinds.iter().any(|k| file.needed_by(*k))
    }

    /// The text of `file` when the scope needs it. A file named in zeren.yaml must exist (its
    /// absence is reported at that line); one at its usual place is optional (a workspace may
    /// hold only some kinds).
    fn text(&self, file: DataFile, problems: &mut Problems) -> Option<(String, PathBuf)> {
        if !self.wants(file) {
            return None;
        }
        let configured = self.files.configured(file);
        let rel = configured.map_or(file.default_path(), |c| c.path.as_str());
        let shown = self.root.join(rel);
        match (self.reader)(&self.root.join(rel), &shown) {
            Ok(Some(text)) => Some((text, shown)),
            Ok(None) => {
                if let Some(c) = configured {
                    problems.push(missing_configured(c, file.key(), &shown));
                }
                None
            }
            Err(p) => {
                problems.push(p);
                None
            }
        }
    }

    /// `text`, parsed; a syntax problem is recorded.
    fn parse<T: serde::de::DeserializeOwned>(&self, file: DataFile, problems: &mut Problems) -> Option<(T, PathBuf)> {
        let (text, shown) = self.text(file, problems)?;
        match yaml::parse::<T>(&text, &shown) {
            Ok(raw) => Some((raw, shown)),
            Err(p) => {
                problems.push(p);
                None
            }
        }
    }
}

fn missing_configured(c: &Configured, key: &str, shown: &Path) -> Problem {
    Problem::error(
        c.at.clone(),
        "settings.data-missing",
        format!("zeren.yaml 的 data.{key} 指向的文件 {} 不存在；请改正路径，或删去这一行", shown.display()),
    )
}

/// The unit list as read: from the Excel roster when there is one, else from units.yaml.
struct Units {
    units: Vec<Unit>,
    also_named: Vec<String>,
    source: UnitSource,
    /// False when there was a list but it could not be read at all.
    read: bool,
}

fn read_units(
    data: &DataReader,
    roster: Option<&(PathBuf, PathBuf, Option<String>)>,
    files: &DataFiles,
    kinds: &crate::model::UnitKinds,
    problems: &mut Problems,
) -> Units {
    let mut list = Units { units: Vec::new(), also_named: Vec::new(), source: UnitSource::None, read: true };
    match roster {
        Some((path, shown, sheet)) => {
            let opts = roster::RosterOptions { sheet: sheet.as_deref(), columns: &files.roster_columns, kinds };
            match roster::read(path, shown, &opts) {
                Ok(r) => {
                    problems.extend(r.notes);
                    list.source = UnitSource::Roster { file: shown.clone(), sheet: r.sheet };
                    list.units = r.units;
                }
                Err(p) => {
                    problems.extend(p);
                    list.source = UnitSource::Roster { file: shown.clone(), sheet: sheet.clone().unwrap_or_default() };
                    list.read = false;
                }
            }
        }
        // With an Excel roster, data/units.yaml is not read at all.
        None => {
            let text = data.text(DataFile::Units, problems);
            if let Some((_, file)) = &text {
                list.source = UnitSource::Yaml(file.clone());
            }
            match text.as_ref().map(|(t, f)| (yaml::parse::<RawUnitsFile>(t, f), f)) {
                Some((Ok(raw), file)) => (list.units, list.also_named) = units::units(&raw, file, kinds, problems),
                Some((Err(p), _)) => {
                    problems.push(p);
                    list.read = false;
                }
                None => {}
            }
        }
    }
    list
}

/// A workspace made by `zeren init` and not filled in yet: one message saying what to fill in
/// first, rather than a list of errors about placeholders.
fn unfilled_workspace(settings: &Path, fields: &[&str], units: &Units) -> Problem {
    let mut what = format!("{} 中的{}", settings.display(), fields.join("、"));
    if units.units.is_empty() && units.also_named.is_empty() {
        match &units.source {
            UnitSource::None => what.push_str("；还没有单位名单"),
            source => what.push_str(&format!("；{source} 中还没有单位")),
        }
    }
    Problem::error(
        Place::File(settings.to_path_buf()),
        "workspace.unfilled",
        format!("工作区还没有填写：{what}。请把标有“×”的内容换成本单位的实际信息，在名单中逐行填入各单位，然后再运行。"),
    )
}
