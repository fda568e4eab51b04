//! 问责 cases, from data/cases.yaml and from the roster workbook's 问责案件 sheet alike: each
//! source turns a record into `CaseFields` (every field's text and place), and the one validator
//! here makes the `Case`s — so both are held to the same rules (《中国共产党问责条例》), duplicate
//! ids and 文号 are found across both and against the ledger, and every case's unit and people
//! are checked against the unit list.
//!
//! The rules live in the submodules: `subject` (who, and the grade of Art. 6), `basis` (the
//! Art. 7 situation, the Art. 8 methods and their parameters, the 陈述申辩), `companions` (Art. 6:
//! a case against an organisation and its responsible 班子成员).

mod basis;
mod companions;
mod subject;

use super::check::tidy;
use super::units::UnitList;
use super::yaml::spanned_place;
use crate::diag::{Place, Problem, Problems};
use crate::model::{Case, Date, DocNo, Ledger, Method, Subject, SubjectKind};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::HashMap;
use std::path::Path;

/// One field as written: its text and where.
#[derive(Debug, Clone)]
pub struct Field {
    pub text: String,
    pub place: Place,
}

impl Field {
    fn tidy(&self) -> String {
        tidy(&self.text)
    }

    fn is_blank(&self) -> bool {
        self.tidy().is_empty()
    }
}

/// Where a case was written: names of fields in messages follow it (the YAML key, or the column).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Origin {
    #[default]
    Yaml,
    Sheet,
}

/// One case as written, before any rule is applied. A sheet row gives `Some` (maybe blank) for
/// every column the sheet has; YAML gives `Some` for every key written.
#[derive(Debug, Clone, Default)]
pub struct CaseFields {
    pub origin: Origin,
    /// The record (YAML mapping) or row (its first cell).
    pub at: Place,
    /// The subject mapping, where missing subject parts are reported (a row has none).
    pub subject_at: Option<Place>,
    pub id: Option<Field>,
    pub doc_no: Option<Field>,
    pub subject_type: Option<Field>,
    pub subject_name: Option<Field>,
    pub subject_gender: Option<Field>,
    /// 出生年月.
    pub subject_born: Option<Field>,
    /// 政治面貌.
    pub subject_political: Option<Field>,
    /// The unit of the list (a cadre's unit, or the unit an organisation belongs to).
    pub subject_unit: Option<Field>,
    /// 单位全称 as printed.
    pub subject_unit_full: Option<Field>,
    pub subject_post: Option<Field>,
    /// An organisation's 主要负责人.
    pub subject_leader: Option<Field>,
    /// An organisation case's responsible 班子成员: "姓名" or "姓名：不予问责的理由".
    pub members: Vec<Field>,
    pub source: Option<Field>,
    pub facts: Option<Field>,
    /// 主体责任 / 监督责任 / 领导责任.
    pub duty: Option<Field>,
    pub responsibility: Option<Field>,
    pub acted_personally: Option<Field>,
    /// The Art. 7 item.
    pub situation: Option<Field>,
    /// Other provisions cited (a local 实施办法).
    pub local: Vec<Field>,
    /// The old `basis:` list / 依据 column: read, and a hint given to move to the above.
    pub basis: Vec<Field>,
    pub basis_at: Option<Place>,
    /// The list as a whole (for "empty"), and each method as written.
    pub methods: Option<(Place, Vec<Field>)>,
    pub circular_scope: Option<Field>,
    pub admonition: Option<Field>,
    pub measure: Option<Field>,
    pub sanction: Option<Field>,
    pub plea: Option<Field>,
    pub plea_result: Option<Field>,
    pub plea_reason: Option<Field>,
    pub mitigating: Option<Field>,
    pub aggravating: Option<Field>,
    pub execution: Vec<Field>,
    pub cc: Vec<Field>,
    pub date: Option<Field>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCasesFile {
    cases: Vec<Spanned<RawCase>>,
}

type Text = Option<Spanned<String>>;
type Texts = Vec<Spanned<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    id: Text,
    doc_no: Text,
    subject: Option<Spanned<RawSubject>>,
    #[serde(default)]
    members: Texts,
    source: Text,
    facts: Text,
    duty: Text,
    responsibility: Text,
    acted_personally: Text,
    situation: Text,
    #[serde(default)]
    local: Texts,
    basis: Option<Spanned<Texts>>,
    methods: Option<Spanned<Texts>>,
    circular_scope: Text,
    admonition: Text,
    measure: Text,
    sanction: Text,
    plea: Text,
    plea_result: Text,
    plea_reason: Text,
    mitigating: Text,
    aggravating: Text,
    #[serde(default)]
    execution: Texts,
    #[serde(default)]
    cc: Texts,
    date: Text,
}

/// Flat on purpose: an internally tagged enum would lose saphyr's locations.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubject {
    #[serde(rename = "type")]
    kind: Text,
    name: Text,
    gender: Text,
    born: Text,
    political: Text,
    unit: Text,
    unit_full: Text,
    post: Text,
    leader: Text,
}

/// The records of data/cases.yaml as fields.
pub(super) fn from_yaml(raw: &RawCasesFile, file: &Path) -> Vec<CaseFields> {
    let field = |s: &Spanned<String>| Field { text: s.value.clone(), place: spanned_place(file, s) };
    let opt = |s: &Text| s.as_ref().map(field);
    let list = |l: &Texts| l.iter().map(field).collect::<Vec<_>>();
    raw.cases
        .iter()
        .map(|rc| {
            let r = &rc.value;
            let s = r.subject.as_ref().map(|s| &s.value);
            let sub = |get: fn(&RawSubject) -> &Text| s.and_then(|s| opt(get(s)));
            CaseFields {
                origin: Origin::Yaml,
                at: spanned_place(file, rc),
                subject_at: r.subject.as_ref().map(|s| spanned_place(file, s)),
                id: opt(&r.id),
                doc_no: opt(&r.doc_no),
                subject_type: sub(|s| &s.kind),
                subject_name: sub(|s| &s.name),
                subject_gender: sub(|s| &s.gender),
                subject_born: sub(|s| &s.born),
                subject_political: sub(|s| &s.political),
                subject_unit: sub(|s| &s.unit),
                subject_unit_full: sub(|s| &s.unit_full),
                subject_post: sub(|s| &s.post),
                subject_leader: sub(|s| &s.leader),
                members: list(&r.members),
                source: opt(&r.source),
                facts: opt(&r.facts),
                duty: opt(&r.duty),
                responsibility: opt(&r.responsibility),
                acted_personally: opt(&r.acted_personally),
                situation: opt(&r.situation),
                local: list(&r.local),
                basis: r.basis.as_ref().map(|b| list(&b.value)).unwrap_or_default(),
                basis_at: r.basis.as_ref().map(|b| spanned_place(file, b)),
                methods: r.methods.as_ref().map(|m| (spanned_place(file, m), list(&m.value))),
                circular_scope: opt(&r.circular_scope),
                admonition: opt(&r.admonition),
                measure: opt(&r.measure),
                sanction: opt(&r.sanction),
                plea: opt(&r.plea),
                plea_result: opt(&r.plea_result),
                plea_reason: opt(&r.plea_reason),
                mitigating: opt(&r.mitigating),
                aggravating: opt(&r.aggravating),
                execution: list(&r.execution),
                cc: list(&r.cc),
                date: opt(&r.date),
            }
        })
        .collect()
}

impl CaseFields {
    /// A field's name in messages: as the YAML key says it, or as the sheet's column does.
    fn what<'s>(&self, yaml: &'s str, column: &'s str) -> &'s str {
        match self.origin {
            Origin::Yaml => yaml,
            Origin::Sheet => column,
        }
    }
}

/// Every case of every source, checked together and against the unit list.
pub fn validate(all: Vec<CaseFields>, ledger: &Ledger, units: &UnitList, problems: &mut Problems) -> Vec<Case> {
    let mut v = Validator { problems, ids: HashMap::new(), numbers: HashMap::new(), ledger, units };
    let cases: Vec<Case> = all.iter().filter_map(|f| v.case(f)).collect();
    companions::organisations_need_cadres(&cases, &all, v.problems);
    cases
}

struct Validator<'a> {
    problems: &'a mut Problems,
    ids: HashMap<String, Place>,
    numbers: HashMap<DocNo, (String, Place)>,
    ledger: &'a Ledger,
    units: &'a UnitList<'a>,
}

impl Validator<'_> {
    fn error(&mut self, place: Place, code: &'static str, message: String) {
        self.problems.push(Problem::error(place, code, message));
    }

    fn warning(&mut self, place: Place, code: &'static str, message: String) {
        self.problems.push(Problem::warning(place, code, message));
    }

    /// A required, non-blank field; reports `what` at `parent` when missing.
    fn required(&mut self, field: &Option<Field>, parent: &Place, what: &str, code: &'static str) -> String {
        match field {
            Some(f) if !f.is_blank() => f.tidy(),
            Some(f) => {
                self.error(f.place.clone(), code, format!("{what}为空"));
                String::new()
            }
            None => {
                self.error(parent.clone(), code, format!("缺少{what}"));
                String::new()
            }
        }
    }

    /// A field given (not blank), parsed; a value that does not parse is reported at its place.
    fn parsed<T>(&mut self, field: &Option<Field>, parse: impl FnOnce(&str) -> Result<T, String>, code: &'static str) -> Option<T> {
        let f = field.as_ref().filter(|f| !f.is_blank())?;
        match parse(&f.tidy()) {
            Ok(v) => Some(v),
            Err(message) => {
                self.error(f.place.clone(), code, message);
                None
            }
        }
    }

    fn case(&mut self, f: &CaseFields) -> Option<Case> {
        let id = self.id(f);
        let label = format!("案件“{id}”");
        let doc_no = f.doc_no.as_ref().filter(|d| !d.is_blank()).and_then(|d| self.doc_no(d, &id, &label));
        let subject = self.subject(f, &label);
        let facts = self.required(&f.facts, &f.at, &format!("{label}的{}", f.what("事实(facts)", "事实")), "case.facts-missing");
        // The kind as declared, so the methods and grade are checked even when the subject has
        // a problem of its own.
        let kind = subject.as_ref().map(Subject::kind).or_else(|| f.subject_type.as_ref().and_then(|t| SubjectKind::parse(&t.tidy())));
        let grade = self.grade(f, subject.as_ref(), kind, &label);
        let methods = self.methods(f, kind, &label);
        let situation = self.situation(f, kind, &methods, &label);
        let plea = self.plea(f, &label);
        let date = self.parsed(&f.date, |d| Date::parse(d).map_err(|e| format!("{label}的日期“{d}”有误：{e}")), "case.date");
        let companions = self.companions(f, subject.as_ref(), &label);
        let texts = |list: &[Field]| -> Vec<String> { list.iter().map(Field::tidy).filter(|b| !b.is_empty()).collect() };
        let optional = |o: &Option<Field>| o.as_ref().map(Field::tidy).filter(|s| !s.is_empty());
        let clause = |o: &Option<Field>| optional(o).map(|s| s.trim_end_matches(['。', '；', '，']).to_string());
        let new_post = self.new_post(f, &methods, &label);
        let (situation, local_basis) = situation?;
        Some(Case {
            id,
            doc_no,
            subject: subject?,
            source: optional(&f.source),
            facts,
            duty: grade.duty,
            responsibility: grade.responsibility,
            acted_personally: grade.acted_personally,
            situation,
            local_basis,
            methods,
            plea: plea?,
            new_post,
            mitigating: clause(&f.mitigating),
            aggravating: clause(&f.aggravating),
            execution: texts(&f.execution).iter().map(|e| sentence(e)).collect(),
            companions,
            cc: texts(&f.cc),
            date,
            place: f.at.clone(),
        })
    }

    fn id(&mut self, f: &CaseFields) -> String {
        let id = self.required(&f.id, &f.at, f.what("案件编号(id)", "案件编号"), "case.id-missing");
        if !id.is_empty() {
            let at = f.id.as_ref().map_or(f.at.clone(), |i| i.place.clone());
            if id.starts_with(Ledger::NOTICE_PREFIX) || id.chars().any(char::is_control) {
                // The ledger keeps 函告书 under 函告书/年度/单位: such a case id would take a 函告书's 文号.
                let message = format!(
                    "案件编号“{}”不能以“函告书/”开头或含控制字符（文号台账用 函告书/年度/单位 登记函告书的文号）",
                    id.escape_debug()
                );
                self.error(at, "case.id", message);
            } else if let Some(first) = self.ids.get(&id) {
                let message = format!("案件编号“{id}”重复（首次出现在 {first}）");
                self.error(at, "case.duplicate-id", message);
            } else {
                self.ids.insert(id.clone(), at);
            }
        }
        id
    }

    /// The post 调整职务 or 降职 moves the cadre to, written after the measure
    /// ("调整职务：预算处四级调研员"); required for those two.
    fn new_post(&mut self, f: &CaseFields, methods: &[Method], label: &str) -> Option<String> {
        let written = f.measure.iter().chain(f.methods.iter().flat_map(|(_, m)| m.iter()));
        let post = written
            .filter_map(|w| w.tidy().split_once(['：', ':']).map(|(_, p)| p.trim_end_matches(['）', ')']).trim().to_string()))
            .find(|p| !p.is_empty());
        let moving = methods.iter().find_map(|m| match m {
            Method::Organisational(o) if o.needs_new_post() => Some(*o),
            _ => None,
        });
        match (moving, &post) {
            (Some(m), None) => {
                let at = f.measure.as_ref().map_or(f.at.clone(), |m| m.place.clone());
                let message = format!(
                    "{label}的组织处理措施“{}”没有写明调整后的职务；请写作如“{}：预算处四级调研员”，否则组织部门无从执行",
                    m.name(),
                    m.name()
                );
                self.error(at, "case.new-post-missing", message);
                None
            }
            (Some(_), Some(_)) => post,
            (None, _) => None,
        }
    }

    /// A 文号 as written: well formed, not given to two cases, not one the ledger gave another.
    fn doc_no(&mut self, d: &Field, id: &str, label: &str) -> Option<DocNo> {
        match DocNo::parse(&d.text) {
            Ok(no) => {
                if let Some((other, first)) = self.numbers.get(&no) {
                    let message = format!("{label}的文号“{no}”与案件“{other}”重复（{first}）");
                    self.error(d.place.clone(), "case.duplicate-doc-no", message);
                } else if let Some((owner, _)) = self.ledger.numbers.iter().find(|(owner, n)| **n == no && *owner != id) {
                    let whose = if owner.starts_with(Ledger::NOTICE_PREFIX) {
                        format!("函告书“{owner}”")
                    } else {
                        format!("案件“{owner}”")
                    };
                    let message = format!("{label}的文号“{no}”已在文号台账中分配给{whose}");
                    self.error(d.place.clone(), "case.doc-no-taken", message);
                } else {
                    self.numbers.insert(no.clone(), (id.to_string(), d.place.clone()));
                }
                Some(no)
            }
            Err(e) => {
                self.error(d.place.clone(), "case.doc-no", format!("{label}的文号“{}”格式有误：{e}", d.text.trim()));
                None
            }
        }
    }
}

/// Prose the decision prints as a sentence of its own: ends in 。 (or ！？) whatever was typed.
fn sentence(s: &str) -> String {
    let s = s.trim_end_matches(['；', '，', ';', ',']);
    if s.ends_with(['。', '！', '？', '”']) { s.to_string() } else { format!("{s}。") }
}

/// "8", "第八项", "（八）", "第七条第八项" → 8: a number in Arabic or Chinese numerals, with the
/// wrappers people put round an item number.
fn item_number(s: &str) -> Option<u8> {
    let s = s.trim().trim_start_matches('第').trim_end_matches(['项', '款', '条']);
    let s = s.trim_matches(['（', '）', '(', ')', ' ']);
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| "〇一二三四五六七八九".chars().position(|d| d == c).map(|n| n as u8);
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn item_numbers_as_written() {
        for (s, n) in [("8", 8), ("第八项", 8), ("（十一）", 11), ("十五", 15), ("第二十一项", 21), ("12", 12)] {
            assert_eq!(super::item_number(s), Some(n), "{s}");
        }
        assert_eq!(super::item_number("第X项"), None);
    }
}
