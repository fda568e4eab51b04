//! What the 年度报告表's two forms see: a 述责述廉表 per person, a 考核评分表 per unit (its scores
//! computed from the scheme, so the view owns them).

use super::parties::{self, PartyView, SignerView};
use crate::model::score::{self, Assessment, Scheme, Score};
use crate::model::{Report, SECTIONS, Word, Workspace, words};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct ReportContext<'a> {
    pub organ: &'a str,
    pub year: i32,
    pub date: String,
    pub unit: &'a str,
    pub name: &'a str,
    pub title: &'a str,
    pub portfolio: &'a str,
    /// 性别, 出生年月 (1978年5月), 政治面貌, 任职时间 (2021年3月); empty where not given.
    pub gender: &'a str,
    pub birth: &'a str,
    pub political: &'a str,
    pub appointed: &'a str,
    /// The 述责述廉情况 sections, 履行第一责任人或一岗双责情况 … 个人有关事项报告情况.
    pub sections: Vec<SectionView<'a>>,
    /// 存在问题 and 整改措施, each a cell of its own.
    pub problems: SectionView<'a>,
    pub measures: SectionView<'a>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView<'a> {
    pub label: &'static str,
    pub text: &'a str,
}

pub(super) fn report_view<'a>(ws: &'a Workspace, r: &'a Report) -> ReportContext<'a> {
    let s = &ws.settings;
    let sections: Vec<SectionView> = SECTIONS.iter().zip(&r.sections).map(|((_, label), text)| SectionView { label, text }).collect();
    ReportContext {
        organ: &s.organ,
        year: s.year,
        date: s.date.chinese(),
        unit: &r.unit,
        name: &r.name,
        title: &r.title,
        portfolio: &r.portfolio,
        gender: &r.gender,
        birth: &r.birth,
        political: &r.political,
        appointed: &r.appointed,
        sections: sections[..5].to_vec(),
        problems: sections[5].clone(),
        measures: sections[6].clone(),
    }
}

/// Every unit's assessment, ranked (roster order of the results file).
pub fn assessments(ws: &Workspace) -> Vec<Assessment> {
    let Some(scheme) = &ws.scheme else { return Vec::new() };
    let unit_type = |name: &str| ws.units.iter().find(|u| u.name == name).map(|u| u.kind);
    let mut all: Vec<Assessment> = ws.results.iter().map(|r| score::assess(scheme, r, unit_type(&r.unit))).collect();
    score::rank(&mut all, scheme.decides);
    all
}

#[derive(Debug, Clone, Serialize)]
pub struct AssessmentContext<'a> {
    pub organ: &'a str,
    pub year: i32,
    pub date: String,
    pub title: String,
    pub unit: String,
    /// Column headings of the scales, e.g. [自评分, 考核组评分].
    pub scales: Vec<&'a str>,
    pub decides: &'a str,
    pub categories: Vec<CategoryView<'a>>,
    pub bonus: Option<CategoryView<'a>>,
    pub bonus_cap: String,
    pub veto: Vec<VetoView<'a>>,
    /// 基础分 per scale (the categories' sum) and the deciding scale's.
    pub base_totals: Vec<String>,
    pub base_total: String,
    /// The marks of the items that apply to the unit's type.
    pub base_max: String,
    /// 基础分 折算 to `full_marks`, per scale, when some items do not apply (empty otherwise).
    pub converted: Vec<String>,
    pub converted_total: String,
    /// 合计 per scale: 基础分 (折算 where done) + 加分; and the deciding scale's.
    pub totals: Vec<String>,
    pub total: String,
    /// The scheme's full marks (100).
    pub full_marks: String,
    /// What the 合计 is out of: 100, or 100+5 with a 加分 cap.
    pub total_max: String,
    pub grade: String,
    /// Why the grade is 不合格, when a 一票否决 item was triggered.
    pub vetoed: Vec<String>,
    pub rank: usize,
    pub of: usize,
    /// The assessed unit's kind (empty when not in the unit list).
    pub unit_type: &'a str,
    /// The signing parties: 考核组 (its members sign, no seal) and the assessed unit (its head
    /// signs; its seal where its type has one — a 处室 has none).
    pub assessors: PartyView,
    pub assessed: PartyView,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryView<'a> {
    pub name: &'a str,
    pub rows: Vec<ItemView<'a>>,
    /// False when none of its items apply to the unit's type: the category is 不适用 as a whole.
    pub applicable: bool,
    pub max: String,
    pub subtotals: Vec<String>,
    pub subtotal: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemView<'a> {
    pub seq: usize,
    pub id: &'a str,
    pub content: &'a str,
    pub max: String,
    pub criteria: &'a str,
    /// Per scale; empty where that scale gave nothing.
    pub scores: Vec<String>,
    pub note: String,
    /// The deciding scale's score: 得分.
    pub score: String,
    /// False where the item does not apply to the unit's type (不适用): no scores, not counted.
    pub applicable: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct VetoView<'a> {
    pub content: &'a str,
    pub triggered: bool,
}

pub(super) fn assessment_view<'a>(ws: &'a Workspace, scheme: &'a Scheme, a: &Assessment, of: usize) -> AssessmentContext<'a> {
    let s = &ws.settings;
    let unit = ws.units.iter().find(|u| u.name == a.unit);
    let (assessors, assessed) = signing_parties(ws, &a.unit);
    let d = scheme.decides;
    let (categories, bonus) = category_views(ws, scheme, a);
    AssessmentContext {
        organ: &s.organ,
        year: s.year,
        date: s.date.chinese(),
        title: scheme.title.clone().unwrap_or_else(|| ws.words.title(Word::AssessmentTitle, s.year)),
        unit: a.unit.clone(),
        scales: scheme.scales.iter().map(|x| x.column.as_str()).collect(),
        decides: scheme.scales.get(d).map_or("", |x| x.column.as_str()),
        categories,
        bonus,
        bonus_cap: scheme.bonus_cap.to_string(),
        veto: scheme
            .veto
            .iter()
            .map(|(id, content)| VetoView { content, triggered: a.vetoed.contains(content) && !id.is_empty() })
            .collect(),
        base_totals: a.base.iter().map(ToString::to_string).collect(),
        base_total: a.base.get(d).map(ToString::to_string).unwrap_or_default(),
        base_max: a.base_max.to_string(),
        converted: a.converted.iter().flatten().map(ToString::to_string).collect(),
        converted_total: a.converted.as_ref().and_then(|c| c.get(d)).map(ToString::to_string).unwrap_or_default(),
        totals: a.totals.iter().map(ToString::to_string).collect(),
        total: a.totals.get(d).map(ToString::to_string).unwrap_or_default(),
        full_marks: scheme.full_marks().to_string(),
        total_max: if scheme.bonus.is_empty() {
            scheme.full_marks().to_string()
        } else {
            format!("{}+{}", scheme.full_marks(), scheme.bonus_cap)
        },
        grade: a.grade.clone(),
        vetoed: a.vetoed.clone(),
        rank: a.rank,
        of,
        unit_type: unit.map_or("", |u| ws.kind_of(u).name.as_str()),
        assessors,
        assessed,
    }
}

/// Who signs a 考核评分表: the 考核组's members (no seal), and the assessed unit's head, with the
/// unit's seal where its type has one (a unit not in the list: sealed, signed by its 主要负责人).
fn signing_parties(ws: &Workspace, unit: &str) -> (PartyView, PartyView) {
    let w = &ws.words;
    let assessors = PartyView {
        role: w.get(Word::Assessors).into(),
        name: w.fill(Word::AssessorsName, &[(words::ORGAN, &ws.settings.organ)]),
        seal: false,
        person: false,
        signer: SignerView::new(w, None, w.get(Word::AssessorsSigner)),
    };
    let assessed = match ws.units.iter().find(|u| u.name == unit) {
        Some(u) => parties::unit(ws, w.get(Word::Assessed), u),
        None => PartyView {
            role: w.get(Word::Assessed).into(),
            name: unit.to_string(),
            seal: true,
            person: false,
            signer: SignerView::new(w, None, w.get(Word::AssessedHead)),
        },
    };
    (assessors, assessed)
}

/// The form's categories and its 加分项, row by row, numbered on through both.
fn category_views<'a>(ws: &'a Workspace, scheme: &'a Scheme, a: &Assessment) -> (Vec<CategoryView<'a>>, Option<CategoryView<'a>>) {
    let d = scheme.decides;
    let text = |v: Option<Score>| v.map(|x| x.to_string()).unwrap_or_default();
    let mut seq = 0;
    let mut rows = |items: &'a [score::Item]| -> Vec<ItemView<'a>> {
        items
            .iter()
            .map(|item| {
                seq += 1;
                let scored = a.items.get(&item.id);
                let applicable = scored.is_none_or(|x| x.applicable);
                let scores: Vec<String> =
                    (0..scheme.scales.len()).map(|i| text(scored.and_then(|x| x.scores.get(i).copied().flatten()))).collect();
                ItemView {
                    seq,
                    id: &item.id,
                    content: &item.content,
                    max: item.max.to_string(),
                    criteria: &item.criteria,
                    score: scores.get(d).cloned().unwrap_or_default(),
                    scores,
                    note: scored.map(|x| x.note.clone()).unwrap_or_default(),
                    applicable,
                }
            })
            .collect()
    };
    let categories = scheme
        .categories
        .iter()
        .zip(&a.subtotals)
        .zip(&a.category_max)
        .map(|((c, sums), max)| CategoryView {
            name: &c.name,
            applicable: c.items.iter().any(|i| a.items.get(&i.id).is_none_or(|x| x.applicable)),
            rows: rows(&c.items),
            max: max.to_string(),
            subtotals: sums.iter().map(ToString::to_string).collect(),
            subtotal: sums.get(d).map(ToString::to_string).unwrap_or_default(),
        })
        .collect();
    let bonus = (!scheme.bonus.is_empty()).then(|| CategoryView {
        name: ws.words.get(Word::Bonus),
        applicable: true,
        rows: rows(&scheme.bonus),
        max: scheme.bonus_cap.to_string(),
        subtotals: a.bonus.iter().map(ToString::to_string).collect(),
        subtotal: a.bonus.get(d).map(ToString::to_string).unwrap_or_default(),
    });
    (categories, bonus)
}
