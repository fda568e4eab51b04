//! 年度报告表 data: 述责述廉 reports, the 考核方案 (scheme) and each unit's results, checked
//! against each other and against the roster — every problem located.

use super::check::{Checker, tidy};
use super::units::UnitList;
use crate::diag::Place;
use crate::model::score::{Category, Entry, Grade, Item, Rule, Scale, Scheme, Score, UnitResult};
use crate::model::{Report, SECTIONS, UnitKinds, VetoEvidence};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReportsFile {
    reports: Vec<Spanned<RawReport>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    unit: Option<Spanned<String>>,
    name: Option<Spanned<String>>,
    title: Option<Spanned<String>>,
    portfolio: Option<String>,
    /// 性别.
    gender: Option<String>,
    /// 出生年月: 1978-05, 1978.05 or 1978年5月.
    birth: Option<Spanned<String>>,
    /// 政治面貌.
    political: Option<String>,
    /// 任职时间, as 出生年月.
    appointed: Option<Spanned<String>>,
    duty: Option<String>,
    discipline: Option<String>,
    frugality: Option<String>,
    integrity: Option<String>,
    personal_matters: Option<String>,
    problems: Option<Spanned<String>>,
    measures: Option<String>,
}

pub(super) fn reports(raw: &RawReportsFile, units: &UnitList, c: &mut Checker) -> Vec<Report> {
    let mut out = Vec::new();
    for rr in &raw.reports {
        let at = c.at(rr);
        let r = &rr.value;
        let unit = known_unit(c, &r.unit, units, at.clone(), "述责述廉");
        let name = c.name(&r.name, at.clone(), "述责述廉人姓名(name)", "report.name-missing");
        let title = c.text(&r.title, at.clone(), &format!("“{name}”的职务(title)"), "report.title-missing");
        let problems = r.problems.as_ref().map(|p| p.value.as_str());
        let texts = [&r.duty, &r.discipline, &r.frugality, &r.integrity, &r.personal_matters].map(|t| t.as_deref());
        let sections: Vec<String> =
            texts.into_iter().chain([problems, r.measures.as_deref()]).map(|t| t.map(tidy).unwrap_or_default()).collect();
        if sections.iter().all(String::is_empty) {
            let keys: Vec<&str> = SECTIONS.iter().map(|(k, _)| *k).collect();
            c.error(at.clone(), "report.empty", format!("“{name}”的述责述廉内容全部为空（{}）", keys.join("、")));
        }
        // 存在问题 and 整改措施 were once one field; an old file still holds both in `problems`.
        if let Some(p) = r.problems.as_ref().filter(|p| r.measures.is_none() && p.value.contains("整改措施")) {
            let place = c.at(p);
            c.error(
                place,
                "report.measures-in-problems",
                format!("“{name}”的 problems 中写了整改措施：存在问题和整改措施现在分两栏填写。请把“整改措施：”之后的文字移到新的一项 measures: 下，problems 只写存在问题"),
            );
        }
        let month = |c: &mut Checker, f: &Option<Spanned<String>>, what: &str| {
            f.as_ref().and_then(|v| c.parsed(v, year_month, "report.month", &format!("“{name}”的{what}"))).unwrap_or_default()
        };
        let birth = month(c, &r.birth, "出生年月(birth)");
        let appointed = month(c, &r.appointed, "任职时间(appointed)");
        let text = |t: &Option<String>| t.as_deref().map(tidy).unwrap_or_default();
        out.push(Report {
            unit,
            name,
            title,
            portfolio: text(&r.portfolio),
            gender: text(&r.gender),
            birth,
            political: text(&r.political),
            appointed,
            sections,
            place: at,
        });
    }
    out
}

/// 1978-05, 1978.5, 1978/05 or 1978年5月 → 1978年5月; also a full date (its day is dropped).
fn year_month(text: &str) -> Result<String, String> {
    let t = tidy(text);
    let normal: String = t.chars().map(|ch| if matches!(ch, '年' | '月' | '日' | '/' | '.' | '-') { ' ' } else { ch }).collect();
    let parts: Vec<&str> = normal.split_whitespace().collect();
    let number = |p: &str| p.bytes().all(|b| b.is_ascii_digit()).then(|| p.parse::<u32>().ok()).flatten();
    match parts.as_slice() {
        [y, m] | [y, m, _] if y.len() == 4 => match (number(y), number(m)) {
            (Some(y), Some(m)) if (1900..=2100).contains(&y) && (1..=12).contains(&m) => Ok(format!("{y}年{m}月")),
            _ => Err("应为年月，如 1978-05 或 1978年5月".into()),
        },
        _ => Err("应为年月，如 1978-05 或 1978年5月".into()),
    }
}

/// A `unit:` field that must name a unit of the roster.
fn known_unit(c: &mut Checker, field: &Option<Spanned<String>>, units: &UnitList, parent: Place, what: &str) -> String {
    let name = c.text(field, parent, &format!("{what}所属单位(unit)"), "unit.missing");
    if let Some(f) = field {
        if !name.is_empty() && !units.knows(&name) {
            c.problems.push(units.missing(c.at(f), "unit.unknown", format!("{what}的单位“{name}”不在名单中")));
        }
    }
    name
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScheme {
    title: Option<String>,
    scales: Vec<Spanned<RawScale>>,
    decides: Option<Spanned<String>>,
    #[serde(default)]
    grades: Vec<Spanned<RawGrade>>,
    fail: Option<String>,
    categories: Vec<Spanned<RawCategory>>,
    bonus: Option<RawBonus>,
    #[serde(default)]
    veto: Vec<Spanned<RawVeto>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    name: Option<Spanned<String>>,
    column: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrade {
    name: Option<Spanned<String>>,
    min: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    name: Option<Spanned<String>>,
    items: Vec<Spanned<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawItem {
    id: Option<Spanned<String>>,
    content: Option<Spanned<String>>,
    max: Option<Spanned<String>>,
    criteria: Option<String>,
    /// Points deducted per occurrence; absent: the assessor gives a score.
    deduct: Option<Spanned<String>>,
    /// Unit types scored on the item (default: all).
    applies_to: Option<Vec<Spanned<String>>>,
    /// The 问责条例 第七条 items the item is about (1–11).
    situations: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBonus {
    cap: Option<Spanned<String>>,
    #[serde(default)]
    items: Vec<Spanned<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVeto {
    id: Option<Spanned<String>>,
    content: Option<Spanned<String>>,
    /// What backs it: 处分, 问责 or 案件.
    evidence: Option<Spanned<String>>,
}

fn score(c: &mut Checker, field: &Option<Spanned<String>>, parent: Place, what: &str) -> Option<Score> {
    match field {
        None => {
            c.error(parent, "scheme.score-missing", format!("缺少{what}"));
            None
        }
        Some(v) => {
            let s = Score::parse(&v.value);
            if s.is_none() {
                let p = c.at(v);
                c.error(p, "scheme.score", format!("{what}“{}”应为 0 到 {} 之间的数，最多两位小数", v.value, Score::MAX_POINTS));
            }
            s
        }
    }
}

pub(super) fn scheme(raw: &RawScheme, kinds: &UnitKinds, c: &mut Checker) -> Scheme {
    let file = Place::File(c.file.to_path_buf());
    // Item and veto ids share one namespace: a result names either.
    let mut ids: HashSet<String> = HashSet::new();
    let (scales, decides) = scales(raw, c, &file);
    let categories: Vec<Category> = raw
        .categories
        .iter()
        .map(|rc| {
            let at = c.at(rc);
            let name = c.text(&rc.value.name, at, "考核类别名称(name)", "scheme.category-name");
            let items = rc.value.items.iter().filter_map(|ri| item(c, ri, kinds, &mut ids)).collect();
            Category { name, items }
        })
        .collect();
    let (bonus, bonus_cap) = match &raw.bonus {
        None => (Vec::new(), Score::ZERO),
        Some(b) => {
            let items: Vec<Item> = b.items.iter().filter_map(|ri| item(c, ri, kinds, &mut ids)).collect();
            let cap = match &b.cap {
                None => items.iter().map(|i| i.max).sum(),
                Some(_) => score(c, &b.cap, file.clone(), "加分上限(bonus.cap)").unwrap_or_default(),
            };
            (items, cap)
        }
    };
    let mut veto_evidence = BTreeMap::new();
    let veto = raw
        .veto
        .iter()
        .map(|rv| {
            let at = c.at(rv);
            let id = c.text(&rv.value.id, at.clone(), "一票否决项编号(id)", "scheme.veto-id");
            if !id.is_empty() && !ids.insert(id.clone()) {
                c.error(at.clone(), "scheme.item-duplicate", format!("考核项目编号“{id}”重复"));
            }
            let content = c.text(&rv.value.content, at.clone(), &format!("一票否决项“{id}”的内容(content)"), "scheme.veto-content");
            // A veto outweighs every score: it must say what backs it, so each unit's veto is checked.
            match &rv.value.evidence {
                None => {
                    let message = format!("一票否决项“{id}”没有写明依据(evidence)：{}", VetoEvidence::NAMES);
                    c.error(at, "scheme.veto-evidence-missing", message);
                }
                Some(e) => match VetoEvidence::parse(&e.value) {
                    Some(ev) => {
                        veto_evidence.insert(id.clone(), ev);
                    }
                    None => {
                        let p = c.at(e);
                        c.error(
                            p,
                            "scheme.veto-evidence",
                            format!("一票否决项“{id}”的依据“{}”无效；应为 {}", e.value, VetoEvidence::NAMES),
                        );
                    }
                },
            }
            (id, content)
        })
        .collect();
    let scheme = Scheme {
        title: raw.title.as_deref().map(tidy).filter(|t| !t.is_empty()),
        scales,
        decides,
        grades: grades(raw, c),
        fail: raw.fail.as_deref().map(tidy).filter(|t| !t.is_empty()).unwrap_or_else(|| "不合格".into()),
        categories,
        bonus,
        bonus_cap,
        veto,
        veto_evidence,
    };
    let full = scheme.full_marks();
    if full != Score::points(100) && !c.problems.has_errors() {
        c.problems.push(crate::diag::Problem::warning(
            file,
            "scheme.not-100",
            format!("考核方案各项分值合计为 {full} 分，不是 100 分，请核对"),
        ));
    }
    scheme
}

/// The scales (评分主体) and which one decides 得分, grade and rank (the last by default).
fn scales(raw: &RawScheme, c: &mut Checker, file: &Place) -> (Vec<Scale>, usize) {
    let scales: Vec<Scale> = raw
        .scales
        .iter()
        .map(|s| {
            let at = c.at(s);
            let name = c.text(&s.value.name, at, "评分主体名称(name)", "scheme.scale-name");
            let column = s.value.column.as_deref().map(tidy).filter(|x| !x.is_empty()).unwrap_or_else(|| format!("{name}分"));
            Scale { name, column }
        })
        .collect();
    if scales.is_empty() {
        c.error(file.clone(), "scheme.scales", "考核方案至少要有一个评分主体(scales)，如 自评、考核组".into());
    }
    let decides = match &raw.decides {
        None => scales.len().saturating_sub(1),
        Some(d) => scales.iter().position(|s| s.name == tidy(&d.value)).unwrap_or_else(|| {
            let p = c.at(d);
            let names: Vec<&str> = scales.iter().map(|s| s.name.as_str()).collect();
            c.error(p, "scheme.decides", format!("决定得分的评分主体(decides)“{}”不在 scales 中（{}）", d.value, names.join("、")));
            scales.len().saturating_sub(1)
        }),
    };
    (scales, decides)
}

/// One item of a category or of the bonus; `None` where its 分值 is unusable.
fn item(c: &mut Checker, ri: &Spanned<RawItem>, kinds: &UnitKinds, ids: &mut HashSet<String>) -> Option<Item> {
    let at = c.at(ri);
    let r = &ri.value;
    let id = c.text(&r.id, at.clone(), "考核项目编号(id)", "scheme.item-id");
    if !id.is_empty() && !ids.insert(id.clone()) {
        c.error(at.clone(), "scheme.item-duplicate", format!("考核项目编号“{id}”重复"));
    }
    let content = c.text(&r.content, at.clone(), &format!("项目“{id}”的考核内容(content)"), "scheme.item-content");
    let max = score(c, &r.max, at.clone(), &format!("项目“{id}”的分值(max)"))?;
    let rule = match &r.deduct {
        None => Rule::Fixed,
        Some(d) => match Score::parse(&d.value).filter(|s| *s > Score::ZERO) {
            Some(per) => Rule::Deduct(per),
            None => {
                let p = c.at(d);
                let message = format!("项目“{id}”的每次扣分(deduct)“{}”应为 0 到 {} 之间的正数，最多两位小数", d.value, Score::MAX_POINTS);
                c.error(p, "scheme.deduct", message);
                Rule::Fixed
            }
        },
    };
    let applies_to = r
        .applies_to
        .iter()
        .flatten()
        .filter_map(|t| {
            let ty = kinds.find(&t.value);
            if ty.is_none() {
                let p = c.at(t);
                let message = format!("项目“{id}”的适用类别“{}”无效；应为 {}", t.value.trim(), kinds.choices());
                c.error(p, "scheme.applies-to", message);
            }
            ty
        })
        .collect();
    let situations = r
        .situations
        .iter()
        .flatten()
        .filter_map(|t| {
            let n = t.value.trim().parse::<u8>().ok().filter(|n| crate::model::Situation::new(*n).is_some());
            if n.is_none() {
                let p = c.at(t);
                c.error(p, "scheme.situations", format!("项目“{id}”的问责情形“{}”应为《中国共产党问责条例》第七条的项号 1–11", t.value));
            }
            n
        })
        .collect();
    Some(Item { id, content, max, criteria: r.criteria.as_deref().map(tidy).unwrap_or_default(), rule, applies_to, situations })
}

/// The grades, highest first (优秀 90, 良好 80, 合格 60 when the scheme names none).
fn grades(raw: &RawScheme, c: &mut Checker) -> Vec<Grade> {
    let mut grades: Vec<Grade> = raw
        .grades
        .iter()
        .filter_map(|rg| {
            let at = c.at(rg);
            let name = c.text(&rg.value.name, at.clone(), "等次名称(name)", "scheme.grade-name");
            let min = score(c, &rg.value.min, at, &format!("等次“{name}”的最低分(min)"))?;
            Some(Grade { name, min })
        })
        .collect();
    if raw.grades.is_empty() {
        grades = [("优秀", 90), ("良好", 80), ("合格", 60)].map(|(n, m)| Grade { name: n.into(), min: Score::points(m) }).to_vec();
    }
    grades.sort_by(|a, b| b.min.cmp(&a.min));
    grades
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawResultsFile {
    results: Vec<Spanned<RawResult>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawResult {
    unit: Option<Spanned<String>>,
    /// Item id → { scale name: score or occurrences, note: 扣分说明 }.
    #[serde(default)]
    scores: BTreeMap<String, Spanned<BTreeMap<String, Spanned<String>>>>,
    #[serde(default)]
    veto: Vec<Spanned<String>>,
    /// Veto id → the outside decision backing it: 作出机关 and 文号 (市纪委监委 江纪〔2026〕5号).
    #[serde(default)]
    veto_basis: BTreeMap<String, Spanned<String>>,
}

pub(super) fn results(raw: &RawResultsFile, scheme: &Scheme, units: &UnitList, c: &mut Checker) -> Vec<UnitResult> {
    let mut seen: HashMap<String, Place> = HashMap::new();
    let mut out = Vec::new();
    for rr in &raw.results {
        let at = c.at(rr);
        let r = &rr.value;
        let unit = known_unit(c, &r.unit, units, at.clone(), "考核结果");
        if let Some(first) = seen.get(&unit) {
            c.error(at.clone(), "result.duplicate", format!("单位“{unit}”的考核结果重复（首次出现在 {first}）"));
        } else {
            seen.insert(unit.clone(), at.clone());
        }
        let mut items = BTreeMap::new();
        for (id, entry) in &r.scores {
            let p = c.at(entry);
            let Some(item) = scheme.item(id) else {
                let what = if scheme.is_veto(id) { "（一票否决项请写在 veto 下）" } else { "" };
                c.error(p, "result.unknown-item", format!("单位“{unit}”的考核项目“{id}”不在考核方案中{what}"));
                continue;
            };
            let mut per_scale = vec![None; scheme.scales.len()];
            let mut note = String::new();
            for (key, value) in &entry.value {
                let vp = c.at(value);
                if key == "note" || key == "说明" {
                    note = tidy(&value.value);
                    continue;
                }
                let Some(s) = scheme.scales.iter().position(|s| &s.name == key) else {
                    let names: Vec<&str> = scheme.scales.iter().map(|s| s.name.as_str()).collect();
                    c.error(
                        vp,
                        "result.unknown-scale",
                        format!("单位“{unit}”项目“{id}”的评分主体“{key}”不在考核方案中（{}）", names.join("、")),
                    );
                    continue;
                };
                per_scale[s] = entry_value(c, item, &value.value, vp, &unit);
            }
            let unit_type = units.get(&unit).map(|u| u.kind);
            if !item.applies(unit_type) {
                let only: Vec<&str> = item.applies_to.iter().map(|t| units.kinds.name(*t)).collect();
                let ty = unit_type.map(|t| format!("（{}）", units.kinds.name(t))).unwrap_or_default();
                let message = format!("单位“{unit}”{ty}不考核项目“{id}”（只适用于 {}），不应填写；请删去这一项", only.join("、"));
                c.error(p, "result.not-applicable", message);
                continue;
            }
            let bonus = scheme.bonus.iter().any(|b| b.id == *id);
            if let Some(deducted) = deduction(scheme, item, &per_scale).filter(|_| !bonus && note.is_empty()) {
                let message = format!("单位“{unit}”项目“{id}”扣了分（{deducted}），须写明扣分说明：在这一项中加 note: 扣分原因");
                c.error(p, "result.note-missing", message);
            }
            items.insert(id.clone(), (per_scale, note));
        }
        let mut veto_at = BTreeMap::new();
        let veto = r
            .veto
            .iter()
            .filter_map(|v| {
                let id = tidy(&v.value);
                if scheme.is_veto(&id) {
                    veto_at.insert(id.clone(), c.at(v));
                    Some(id)
                } else {
                    let p = c.at(v);
                    c.error(p, "result.unknown-veto", format!("单位“{unit}”的一票否决项“{id}”不在考核方案中"));
                    None
                }
            })
            .collect();
        let mut veto_basis = BTreeMap::new();
        for (id, basis) in &r.veto_basis {
            let p = c.at(basis);
            let id = tidy(id);
            if !veto_at.contains_key(&id) {
                c.error(p, "result.veto-basis-stray", format!("单位“{unit}”的 veto_basis 写了“{id}”，但 veto 中没有这一项"));
            } else if doc_no_in(&basis.value).is_none() {
                let message = format!(
                    "单位“{unit}”一票否决项“{id}”的依据“{}”没有文号；请写明作出决定的机关和文号，如 市纪委监委 江纪〔2026〕5号",
                    basis.value
                );
                c.error(p, "result.veto-basis", message);
            } else {
                veto_basis.insert(id, (tidy(&basis.value), p));
            }
        }
        out.push(UnitResult { unit, items, veto, veto_at, veto_basis, place: at });
    }
    out
}

/// What a scale took off an item, for the message asking for its 扣分说明 ("考核组 扣 2 次");
/// `None` when nothing was deducted.
fn deduction(scheme: &Scheme, item: &Item, entries: &[Option<Entry>]) -> Option<String> {
    let taken: Vec<String> = entries
        .iter()
        .zip(&scheme.scales)
        .filter_map(|(e, scale)| match e {
            Some(Entry::Occurrences(n)) if *n > 0 => Some(format!("{} 扣 {n} 次", scale.name)),
            Some(Entry::Score(s)) if *s < item.max => Some(format!("{} {s} 分，分值 {} 分", scale.name, item.max)),
            _ => None,
        })
        .collect();
    (!taken.is_empty()).then(|| taken.join("；"))
}

/// A deduct item takes a count of occurrences; any other item a score within its maximum.
fn entry_value(c: &mut Checker, item: &Item, text: &str, at: Place, unit: &str) -> Option<Entry> {
    let text = tidy(text);
    match item.rule {
        Rule::Deduct(_) => match text.parse::<u32>() {
            Ok(n) => Some(Entry::Occurrences(n)),
            Err(_) => {
                c.error(at, "result.occurrences", format!("单位“{unit}”项目“{}”按次扣分，应填发生次数（非负整数），实为“{text}”", item.id));
                None
            }
        },
        Rule::Fixed => match Score::parse(&text) {
            Some(s) if s > item.max => {
                c.error(at, "result.over-max", format!("单位“{unit}”项目“{}”的得分 {s} 超过该项分值 {}", item.id, item.max));
                None
            }
            Some(s) => Some(Entry::Score(s)),
            None => {
                c.error(
                    at,
                    "result.score",
                    format!("单位“{unit}”项目“{}”的得分“{text}”应为 0 到 {} 之间的数，最多两位小数", item.id, Score::MAX_POINTS),
                );
                None
            }
        },
    }
}

/// The 文号 inside a text such as "市纪委监委 江纪〔2026〕5号", if there is one.
pub(super) fn doc_no_in(text: &str) -> Option<crate::model::DocNo> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '，' | ',' | '：' | ':' | '；' | '、' | '（' | '）'))
        .find_map(|t| crate::model::DocNo::parse(t).ok())
}
