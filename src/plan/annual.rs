//! What the 年度报告表's two forms see: a 述责述廉表 per person, a 考核评分表 per unit (its scores
//! computed from the scheme, so the view owns them).

use crate::model::score::{self, Assessment, Scheme, Score};
use crate::model::{Report, SECTIONS, Workspace};
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
    pub sections: Vec<SectionView<'a>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView<'a> {
    pub label: &'static str,
    pub text: &'a str,
}

pub(super) fn report_view<'a>(ws: &'a Workspace, r: &'a Report) -> ReportContext<'a> {
    let s = &ws.settings;
    ReportContext {
        organ: &s.organ,
        year: s.year,
        date: s.date.chinese(),
        unit: &r.unit,
        name: &r.name,
        title: &r.title,
        portfolio: &r.portfolio,
        sections: SECTIONS.iter().zip(&r.sections).map(|((_, label), text)| SectionView { label, text }).collect(),
    }
}

/// Every unit's assessment, ranked (roster order of the results file).
pub fn assessments(ws: &Workspace) -> Vec<Assessment> {
    let Some(scheme) = &ws.scheme else { return Vec::new() };
    let mut all: Vec<Assessment> = ws.results.iter().map(|r| score::assess(scheme, r)).collect();
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
    pub totals: Vec<String>,
    pub total: String,
    pub full_marks: String,
    pub grade: String,
    /// Why the grade is 不合格, when a 一票否决 item was triggered.
    pub vetoed: Vec<String>,
    pub rank: usize,
    pub of: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryView<'a> {
    pub name: &'a str,
    pub rows: Vec<ItemView<'a>>,
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
}

#[derive(Debug, Clone, Serialize)]
pub struct VetoView<'a> {
    pub content: &'a str,
    pub triggered: bool,
}

pub(super) fn assessment_view<'a>(ws: &'a Workspace, scheme: &'a Scheme, a: &Assessment, of: usize) -> AssessmentContext<'a> {
    let s = &ws.settings;
    let d = scheme.decides;
    let text = |v: Option<Score>| v.map(|x| x.to_string()).unwrap_or_default();
    let mut seq = 0;
    let mut rows = |items: &'a [score::Item]| -> Vec<ItemView<'a>> {
        items
            .iter()
            .map(|item| {
                seq += 1;
                let scored = a.items.get(&item.id);
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
                }
            })
            .collect()
    };
    let categories = scheme
        .categories
        .iter()
        .zip(&a.subtotals)
        .map(|(c, sums)| CategoryView {
            name: &c.name,
            rows: rows(&c.items),
            max: c.items.iter().map(|i| i.max).sum::<Score>().to_string(),
            subtotals: sums.iter().map(ToString::to_string).collect(),
            subtotal: sums.get(d).map(ToString::to_string).unwrap_or_default(),
        })
        .collect();
    let bonus = (!scheme.bonus.is_empty()).then(|| CategoryView {
        name: "加分项",
        rows: rows(&scheme.bonus),
        max: scheme.bonus_cap.to_string(),
        subtotals: a.bonus.iter().map(ToString::to_string).collect(),
        subtotal: a.bonus.get(d).map(ToString::to_string).unwrap_or_default(),
    });
    AssessmentContext {
        organ: &s.organ,
        year: s.year,
        date: s.date.chinese(),
        title: scheme.title.clone().unwrap_or_else(|| format!("{}年度党风廉政建设责任制考核评分表", s.year)),
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
        totals: a.totals.iter().map(ToString::to_string).collect(),
        total: a.totals.get(d).map(ToString::to_string).unwrap_or_default(),
        full_marks: scheme.full_marks().to_string(),
        grade: a.grade.clone(),
        vetoed: a.vetoed.clone(),
        rank: a.rank,
        of,
    }
}
