//! The typed, validated workspace: what a secretariat's data says, with no trace of files or
//! formats beyond each record's `Place` (for messages raised after loading).

mod case;
mod date;
mod kind;
mod ledger;
mod letter;
mod regulation;
mod report;
pub mod score;
mod task;
mod unit_kind;
pub mod words;

pub use case::{
    Cadre, Case, Companion, DIRECT_ROUTE, DocNo, Duty, Gender, Organisation, Plea, PleaResult, Responsibility, Subject, UnitName, YearMonth,
};
pub use date::Date;
pub use kind::{Form, Kind};
pub use ledger::{Ledger, LedgerKey};
pub use letter::{Audience, CommitteeMember, Tier};
pub use regulation::{
    AdmonitionForm, Method, MethodKind, OrgMeasure, SITUATIONS, Sanction, Situation, SubjectKind, WrittenMethod, circular_scope,
};
pub use report::{Report, SECTIONS};
pub use score::{Assessment, Scheme, Score, UnitResult, VetoEvidence};
pub use task::{Deadline, Scope, Task, TaskNotice};
pub use unit_kind::{KindId, UnitKind, UnitKinds};
pub use words::{Word, Words};

use crate::diag::Place;
use std::fmt;
use std::path::PathBuf;

/// A year's workspace: settings plus every data file, loaded and checked.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The folder holding `zeren.yaml`; template overrides live in `root/templates/`.
    pub root: PathBuf,
    pub settings: Settings,
    pub units: Vec<Unit>,
    /// Where the units came from, for messages about a name that is not among them.
    pub unit_source: UnitSource,
    pub duty_groups: Vec<DutyGroup>,
    /// The 函告书 campaign, when the workspace has a tasks file.
    pub notice: Option<TaskNotice>,
    /// 问责 cases, when the workspace has a cases file.
    pub cases: Vec<Case>,
    /// 文号 zeren has assigned before, by case id (design, settled 4).
    pub ledger: Ledger,
    /// 述责述廉 reports, one per person.
    pub reports: Vec<Report>,
    /// The 考核方案 and each unit's results, when the workspace has them.
    pub scheme: Option<Scheme>,
    pub results: Vec<UnitResult>,
    /// The words zeren puts in documents outside the templates (titles, roles, signing labels).
    pub words: Words,
}

/// Where a workspace's unit list came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum UnitSource {
    /// No unit list at all.
    #[default]
    None,
    /// data/units.yaml (or the file zeren.yaml names).
    Yaml(PathBuf),
    /// An Excel roster, and the sheet the units were read from.
    Roster { file: PathBuf, sheet: String },
}

impl fmt::Display for UnitSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnitSource::None => f.write_str("（无）"),
            UnitSource::Yaml(p) => write!(f, "{}", p.display()),
            UnitSource::Roster { file, sheet } if sheet.is_empty() => write!(f, "{}", file.display()),
            UnitSource::Roster { file, sheet } => write!(f, "{} [{sheet}]", file.display()),
        }
    }
}

/// `zeren.yaml`: who issues, which year, how letters are signed, which style.
#[derive(Debug, Clone)]
pub struct Settings {
    /// 发文机关全称, also 甲方 of every 责任书.
    pub organ: String,
    /// 机关代字 (e.g. 江财党), the prefix of a 文号.
    pub code: String,
    pub year: i32,
    /// 成文日期.
    pub date: Date,
    /// 甲方's default signatory (the 党委书记).
    pub signatory: Person,
    pub signing: Signing,
    /// The committee's 班子成员 besides the 书记, as zeren.yaml lists them: each signs a 一岗双责
    /// letter naming the units whose 分管领导 he or she is (`Workspace::committee`).
    pub members: Vec<Member>,
    /// The kinds units may be of (`kinds:`, or the built-in 处室、党支部、直属单位), with the
    /// legacy `seals:` applied.
    pub unit_kinds: UnitKinds,
    /// Document kinds to build when the command line names none (`documents:`); `None` means
    /// every kind with data.
    pub kinds: Option<Vec<Kind>>,
    pub letter: LetterSettings,
    pub style: StyleChoice,
    /// 红头 (发文机关标志 + 文号 + red rule) on 问责决定书; `None`: no 版头.
    pub letterhead: Option<String>,
    /// The appeal notice of every 问责决定书 when the workspace words it itself; `None`: the
    /// template's, which names the deciding 党组织 (`organ`).
    pub appeal: Option<String>,
    /// 印发机关 in the 版记 (default: the organ's 办公室).
    pub issuer: String,
    /// The workspace's own Word templates (`word_templates:`), filled by every full build.
    pub word_templates: Vec<WordTemplateSetting>,
    /// `fonts`: the workspace's folder of 公文 fonts for the PDF (relative to the workspace);
    /// `None`: the default folder, `字体`.
    pub fonts: Option<std::path::PathBuf>,
}

/// A Word template zeren.yaml lists: its file (relative to the workspace) and whom it is filled
/// for (单位, 班子成员… — `None`: as its fields say), each with where zeren.yaml says it.
#[derive(Debug, Clone)]
pub struct WordTemplateSetting {
    pub file: std::path::PathBuf,
    pub place: crate::diag::Place,
    pub per: Option<(String, crate::diag::Place)>,
}

/// Who signs for 甲方 (design "settled question" 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// The 书记 signs every letter.
    Direct,
    /// A unit with a 分管领导 is signed by that leader (签字背书 chain 书记→分管→处室).
    Tiered,
}

/// Text of the 责任书 that a workspace may set; the template has a default for each.
#[derive(Debug, Clone, Default)]
pub struct LetterSettings {
    pub title: Option<String>,
    /// 制定依据, e.g. 《中国共产党问责条例》.
    pub basis: Vec<String>,
    /// 考核 clause.
    pub assessment: Option<String>,
    /// 责任追究 clause.
    pub accountability: Option<String>,
    /// 一式N份.
    pub copies: u32,
    /// The tiers a build makes (all three unless zeren.yaml says otherwise).
    pub tiers: Vec<Tier>,
}

/// Font names and line pitch a workspace may override (many offices use 仿宋, not 仿宋_GB2312).
#[derive(Debug, Clone, Default)]
pub struct StyleChoice {
    pub fangsong: Option<String>,
    pub heiti: Option<String>,
    pub kaiti: Option<String>,
    pub xiaobiaosong: Option<String>,
    pub songti: Option<String>,
    /// Exact line pitch in twips (579 by default; some offices use 560).
    pub line_pitch: Option<u32>,
    /// Where a signing block prints the name of who signs (below the blank by default).
    pub signer_name: Option<NamePlace>,
}

/// Where a signing block prints the signer's name: never on the blank the hand signs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NamePlace {
    /// On the line under the blank, centred under it: （沈嘉木）.
    #[default]
    Below,
    /// After the blank on the same line, where the column has room (below where it has not).
    Beside,
    /// Not printed: the hand signature alone.
    Hidden,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    pub name: String,
    pub title: String,
}

/// A 班子成员 with the work he or she is in charge of (分管).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Member {
    pub name: String,
    pub title: String,
    pub portfolio: String,
}

/// A department, party branch or affiliated unit that signs a letter.
#[derive(Debug, Clone)]
pub struct Unit {
    pub name: String,
    /// Its kind in the workspace's `Settings::unit_kinds`.
    pub kind: KindId,
    pub leader: Person,
    /// 分管领导: signs for 甲方 under `signing: tiered`.
    pub supervisor: Option<Person>,
    pub members: Vec<Member>,
    /// Duties of this unit alone, after the catalogue's.
    pub duties: Vec<String>,
    /// Sub-kinds such as 离退休 that duty groups may `exclude`.
    pub tags: Vec<String>,
    /// 联系电话 (kept as text: a phone number is an identifier, not a quantity).
    pub phone: Option<String>,
    pub place: Place,
}

/// Duties of one responsibility subject (党委主体责任, 书记第一责任人…) and whom they bind: unit
/// kinds, the committee's 班子成员, units' deputies.
#[derive(Debug, Clone)]
pub struct DutyGroup {
    pub subject: String,
    pub applies_to: Vec<Audience>,
    /// Tags (离退休…) of units whose letters leave this group out.
    pub exclude: Vec<String>,
    pub duties: Vec<String>,
    pub place: Place,
}

impl DutyGroup {
    /// Whether the letter to `audience` holds this group; `unit` is the unit the letter is for or
    /// in (a deputy's), whose tags may exclude it.
    pub fn applies(&self, audience: Audience, unit: Option<&Unit>) -> bool {
        self.applies_to.contains(&audience) && !unit.is_some_and(|u| u.tags.iter().any(|t| self.exclude.contains(t)))
    }
}

impl Workspace {
    /// The catalogue groups that apply to a unit's own letter, in catalogue order.
    pub fn groups_for<'a>(&'a self, unit: &'a Unit) -> impl Iterator<Item = &'a DutyGroup> {
        self.duty_groups.iter().filter(move |g| g.applies(Audience::Unit(unit.kind), Some(unit)))
    }

    /// What the unit's kind says: its words, seal, tiers.
    pub fn kind_of(&self, unit: &Unit) -> &UnitKind {
        self.settings.unit_kinds.get(unit.kind)
    }

    /// Kinds this workspace has data for.
    pub fn available_kinds(&self) -> Vec<Kind> {
        let mut kinds = Vec::new();
        if !self.units.is_empty() && !self.duty_groups.is_empty() {
            kinds.push(Kind::ResponsibilityLetter);
        }
        if self.notice.as_ref().is_some_and(|n| !n.tasks.is_empty()) {
            kinds.push(Kind::TaskNotice);
        }
        if !self.cases.is_empty() {
            kinds.push(Kind::AccountabilityDecision);
        }
        if !self.reports.is_empty() || (self.scheme.is_some() && !self.results.is_empty()) {
            kinds.push(Kind::AnnualReport);
        }
        kinds
    }
}
