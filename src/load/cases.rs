//! 问责 cases, from data/cases.yaml and from the roster workbook's 问责案件 sheet alike: each
//! source turns a record into `CaseFields` (every field's text and place), and the one validator
//! here makes the `Case`s — so both are held to the same rules (《中国共产党问责条例》), and
//! duplicate ids and 文号 are found across both and against the ledger.

use super::check::tidy;
use super::yaml::spanned_place;
use crate::diag::{Place, Problem, Problems};
use crate::model::{CADRE_METHODS, Case, Date, DocNo, Ledger, Method, ORG_METHODS, Responsibility, Subject};
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
}

/// Where a case was written: names of fields in messages follow it (the YAML key, or the column).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Origin {
    #[default]
    Yaml,
    Sheet,
}

/// One case as written, before any rule is applied.
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
    pub subject_unit: Option<Field>,
    pub subject_post: Option<Field>,
    pub source: Option<Field>,
    pub facts: Option<Field>,
    pub responsibility: Option<Field>,
    pub basis: Vec<Field>,
    /// The list as a whole (for "empty"), and each method as written.
    pub methods: Option<(Place, Vec<Field>)>,
    pub plea: Option<Field>,
    pub cc: Vec<Field>,
    pub date: Option<Field>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCasesFile {
    cases: Vec<Spanned<RawCase>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    id: Option<Spanned<String>>,
    doc_no: Option<Spanned<String>>,
    subject: Option<Spanned<RawSubject>>,
    source: Option<Spanned<String>>,
    facts: Option<Spanned<String>>,
    responsibility: Option<Spanned<String>>,
    #[serde(default)]
    basis: Vec<Spanned<String>>,
    methods: Option<Spanned<Vec<Spanned<String>>>>,
    plea: Option<Spanned<String>>,
    #[serde(default)]
    cc: Vec<Spanned<String>>,
    date: Option<Spanned<String>>,
}

/// Flat on purpose: an internally tagged enum would lose saphyr's locations.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubject {
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    unit: Option<Spanned<String>>,
    post: Option<Spanned<String>>,
}

/// The records of data/cases.yaml as fields.
pub(super) fn from_yaml(raw: &RawCasesFile, file: &Path) -> Vec<CaseFields> {
    let field = |s: &Spanned<String>| Field { text: s.value.clone(), place: spanned_place(file, s) };
    let opt = |s: &Option<Spanned<String>>| s.as_ref().map(field);
    raw.cases
        .iter()
        .map(|rc| {
            let r = &rc.value;
            let subject = r.subject.as_ref().map(|s| &s.value);
            CaseFields {
                origin: Origin::Yaml,
                at: spanned_place(file, rc),
                subject_at: r.subject.as_ref().map(|s| spanned_place(file, s)),
                id: opt(&r.id),
                doc_no: opt(&r.doc_no),
                subject_type: subject.and_then(|s| opt(&s.kind)),
                subject_name: subject.and_then(|s| opt(&s.name)),
                subject_unit: subject.and_then(|s| opt(&s.unit)),
                subject_post: subject.and_then(|s| opt(&s.post)),
                source: opt(&r.source),
                facts: opt(&r.facts),
                responsibility: opt(&r.responsibility),
                basis: r.basis.iter().map(field).collect(),
                methods: r.methods.as_ref().map(|m| (spanned_place(file, m), m.value.iter().map(field).collect())),
                plea: opt(&r.plea),
                cc: r.cc.iter().map(field).collect(),
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

/// Every case of every source, checked together.
pub fn validate(all: Vec<CaseFields>, ledger: &Ledger, problems: &mut Problems) -> Vec<Case> {
    let mut v = Validator { problems, ids: HashMap::new(), numbers: HashMap::new(), ledger };
    let cases: Vec<Case> = all.iter().filter_map(|f| v.case(f)).collect();
    organisation_needs_cadres(&cases, v.problems);
    cases
}

struct Validator<'a> {
    problems: &'a mut Problems,
    ids: HashMap<String, Place>,
    numbers: HashMap<DocNo, (String, Place)>,
    ledger: &'a Ledger,
}

impl Validator<'_> {
    fn error(&mut self, place: Place, code: &'static str, message: String) {
        self.problems.push(Problem::error(place, code, message));
    }

    /// A required, non-blank field; reports `what` at `parent` when missing.
    fn required(&mut self, field: &Option<Field>, parent: &Place, what: &str, code: &'static str) -> String {
        match field {
            Some(f) if !f.text.trim().is_empty() => f.tidy(),
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

    fn case(&mut self, f: &CaseFields) -> Option<Case> {
        let id = self.required(&f.id, &f.at, f.what("案件编号(id)", "案件编号"), "case.id-missing");
        let label = format!("案件“{id}”");
        if !id.is_empty() {
            let at = f.id.as_ref().map_or(f.at.clone(), |i| i.place.clone());
            if let Some(first) = self.ids.get(&id) {
                self.error(at, "case.duplicate-id", format!("案件编号“{id}”重复（首次出现在 {first}）"));
            } else {
                self.ids.insert(id.clone(), at);
            }
        }
        let doc_no = f.doc_no.as_ref().filter(|d| !d.text.trim().is_empty()).and_then(|d| self.doc_no(d, &id, &label));
        let subject = self.subject(f, &label);
        let facts = self.required(&f.facts, &f.at, &format!("{label}的{}", f.what("事实(facts)", "事实")), "case.facts-missing");
        let responsibility = f.responsibility.as_ref().filter(|r| !r.text.trim().is_empty()).and_then(|r| {
            let v = Responsibility::parse(&r.text);
            if v.is_none() {
                self.error(
                    r.place.clone(),
                    "case.responsibility",
                    format!("{label}的责任类型“{}”无效；应为 全面领导责任、主要领导责任 或 重要领导责任", r.text.trim()),
                );
            }
            v
        });
        let methods = match &f.methods {
            None => {
                self.error(f.at.clone(), "case.methods-missing", format!("{label}缺少{}", f.what("问责方式(methods)", "问责方式")));
                Vec::new()
            }
            Some((at, list)) => self.methods(f, at, list, subject.as_ref(), &label),
        };
        let date = f.date.as_ref().filter(|d| !d.text.trim().is_empty()).and_then(|d| match Date::parse(&d.text) {
            Ok(date) => Some(date),
            Err(e) => {
                self.error(d.place.clone(), "case.date", format!("{label}的日期“{}”有误：{e}", d.text.trim()));
                None
            }
        });
        let texts = |list: &[Field]| -> Vec<String> { list.iter().map(Field::tidy).filter(|b| !b.is_empty()).collect() };
        let optional = |o: &Option<Field>| o.as_ref().map(Field::tidy).filter(|s| !s.is_empty());
        Some(Case {
            id,
            doc_no,
            subject: subject?,
            source: optional(&f.source),
            facts,
            responsibility,
            basis: texts(&f.basis),
            methods,
            plea: optional(&f.plea),
            cc: texts(&f.cc),
            date,
            place: f.at.clone(),
        })
    }

    /// A 文号 as written: well formed, not given to two cases, not one the ledger gave another.
    fn doc_no(&mut self, d: &Field, id: &str, label: &str) -> Option<DocNo> {
        match DocNo::parse(&d.text) {
            Ok(no) => {
                if let Some((other, first)) = self.numbers.get(&no) {
                    let message = format!("{label}的文号“{no}”与案件“{other}”重复（{first}）");
                    self.error(d.place.clone(), "case.duplicate-doc-no", message);
                } else if let Some((owner, _)) = self.ledger.numbers.iter().find(|(owner, n)| **n == no && *owner != id) {
                    let message = format!("{label}的文号“{no}”已在文号台账中分配给案件“{owner}”");
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

    fn subject(&mut self, f: &CaseFields, label: &str) -> Option<Subject> {
        let Some(kind) = &f.subject_type else {
            match &f.subject_at {
                Some(at) => {
                    let message = format!("{label}缺少问责对象类型(type)：党组织 或 领导干部");
                    self.error(at.clone(), "case.subject-type", message);
                }
                None => self.error(f.at.clone(), "case.subject-missing", format!("{label}缺少问责对象(subject)")),
            }
            return None;
        };
        let at = f.subject_at.clone().unwrap_or_else(|| f.at.clone());
        let name =
            self.required(&f.subject_name, &at, &format!("{label}的{}", f.what("问责对象名称(name)", "问责对象")), "case.subject-name");
        if let (Some(field), Some(why)) = (&f.subject_name, super::limits::name_problem(&name).filter(|_| !name.is_empty())) {
            self.error(field.place.clone(), "name.invalid", format!("{label}的问责对象名称{why}"));
        }
        match kind.tidy().as_str() {
            "党组织" => Some(Subject::Organisation { name }),
            "领导干部" => {
                let unit = self.required(
                    &f.subject_unit,
                    &at,
                    &format!("{label}的{}", f.what("问责对象所在单位(unit)", "所在单位")),
                    "case.subject-unit",
                );
                let post =
                    self.required(&f.subject_post, &at, &format!("{label}的{}", f.what("问责对象职务(post)", "职务")), "case.subject-post");
                Some(Subject::Cadre { name, unit, post })
            }
            other => {
                let message = format!("{label}的问责对象类型“{other}”无效；应为 党组织 或 领导干部");
                self.error(kind.place.clone(), "case.subject-type", message);
                None
            }
        }
    }

    fn methods(&mut self, f: &CaseFields, at: &Place, list: &[Field], subject: Option<&Subject>, label: &str) -> Vec<Method> {
        let mut out: Vec<Method> = Vec::new();
        let allowed = match subject {
            Some(Subject::Organisation { .. }) => ORG_METHODS,
            _ => CADRE_METHODS,
        };
        for m in list {
            // "通报、诫勉" in one item (or one cell) is two methods.
            for part in m.text.split(['、', '，', ',', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
                let p = m.place.clone();
                match Method::parse(part) {
                    None => self.error(p, "case.method", format!("{label}的问责方式“{part}”不存在；可用：{allowed}")),
                    Some(method) => match subject {
                        Some(s) if !method.fits(s) => self.error(
                            p,
                            "case.method-subject",
                            format!("{label}：对{}不能采用“{method}”；对{}可用：{allowed}", s.kind_name(), s.kind_name()),
                        ),
                        _ if out.contains(&method) => self.error(p, "case.method-duplicate", format!("{label}的问责方式“{method}”重复")),
                        _ => out.push(method),
                    },
                }
            }
        }
        if list.iter().all(|m| m.text.trim().is_empty()) {
            self.error(at.clone(), "case.methods-missing", format!("{label}的{}为空", f.what("问责方式(methods)", "问责方式")));
        }
        out
    }
}

/// 条例 Art. 6: a case against an organisation comes with cases for its responsible 班子
/// members. Not always in the same batch, so a warning, not an error.
fn organisation_needs_cadres(cases: &[Case], problems: &mut Problems) {
    for case in cases {
        if let Subject::Organisation { name } = &case.subject {
            let has_cadre = cases.iter().any(|o| match &o.subject {
                Subject::Cadre { unit, .. } => !unit.is_empty() && (name.contains(unit.as_str()) || unit.contains(name.as_str())),
                _ => false,
            });
            if !has_cadre {
                problems.push(Problem::warning(
                    case.place.clone(),
                    "case.org-without-cadre",
                    format!("对党组织“{name}”问责的，应当同时对其负有责任的领导班子成员问责（《中国共产党问责条例》第六条）；本批案件中未见相应的领导干部案件"),
                ));
            }
        }
    }
}
