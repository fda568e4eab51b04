//! 考核评分 by rule (design, settled 10): a scheme's scales are data; the scheme names the scale
//! that decides 得分, grade and rank; ranks are competition ranks (1, 1, 3); scores are exact
//! decimals, never floats that print as 89.99999.

use super::KindId;
use crate::diag::Place;
use std::collections::BTreeMap;
use std::fmt;

/// An exact score in hundredths of a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Score(pub i64);

impl Score {
    pub const ZERO: Score = Score(0);
    /// The most points any one number of a scheme or result may hold. Far above any 考核方案
    /// (100 points in all) and far below where sums of a thousand items could overflow.
    pub const MAX_POINTS: i64 = 10_000;

    /// "9.5", "10", "0.25" → exact; at most two decimals, not negative, at most `MAX_POINTS`.
    pub fn parse(s: &str) -> Option<Score> {
        let s = s.trim();
        if s.is_empty() || s.starts_with(['-', '+']) {
            return None;
        }
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) || frac.len() > 2 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let int: i64 = int.parse().ok()?;
        let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().ok()? };
        let hundredths = int.checked_mul(100)?.checked_add(frac)?;
        (hundredths <= Self::MAX_POINTS * 100).then_some(Score(hundredths))
    }

    pub fn points(n: i64) -> Score {
        Score(n * 100)
    }

    /// `self` out of `of`, scaled to `to` (折算), rounded half up to the hundredth.
    pub fn scaled(self, of: Score, to: Score) -> Score {
        if of.0 <= 0 {
            return Score::ZERO;
        }
        let num = i128::from(self.0) * i128::from(to.0);
        let den = i128::from(of.0);
        Score(((2 * num + den) / (2 * den)) as i64)
    }
}

// Parsed scores are bounded, so sums stay far from the ends of i64; saturating all the same, so
// no input can ever wrap a total around to a negative one.
impl std::ops::Add for Score {
    type Output = Score;
    fn add(self, o: Score) -> Score {
        Score(self.0.saturating_add(o.0))
    }
}

impl std::ops::Sub for Score {
    type Output = Score;
    fn sub(self, o: Score) -> Score {
        Score(self.0.saturating_sub(o.0))
    }
}

impl std::iter::Sum for Score {
    fn sum<I: Iterator<Item = Score>>(iter: I) -> Score {
        iter.fold(Score::ZERO, |a, b| a + b)
    }
}

impl fmt::Display for Score {
    /// 90, 89.5, 89.25 — no trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let v = self.0.abs();
        let (int, frac) = (v / 100, v % 100);
        match frac {
            0 => write!(f, "{sign}{int}"),
            n if n % 10 == 0 => write!(f, "{sign}{int}.{}", n / 10),
            n => write!(f, "{sign}{int}.{n:02}"),
        }
    }
}

/// How an item is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// The assessor gives a score from 0 to the item's maximum.
    Fixed,
    /// Deduct this much per occurrence, never below 0 (扣完为止).
    Deduct(Score),
}

#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub content: String,
    pub max: Score,
    pub criteria: String,
    pub rule: Rule,
    /// The unit types scored on this item; empty: every unit. For the others the item does not
    /// apply (不适用): not scored, not in their full marks.
    pub applies_to: Vec<KindId>,
    /// The 问责条例 第七条 items (问责情形) the item is about: a unit held to account this year on
    /// one of them is not scored full marks on the item without a stated reason.
    pub situations: Vec<u8>,
}

impl Item {
    /// Whether a unit of this type is scored on the item (an unknown type: yes).
    pub fn applies(&self, unit_type: Option<KindId>) -> bool {
        self.applies_to.is_empty() || unit_type.is_none_or(|t| self.applies_to.contains(&t))
    }
}

#[derive(Debug, Clone)]
pub struct Category {
    pub name: String,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone)]
pub struct Scale {
    pub name: String,
    /// The column heading on the form, e.g. 自评分.
    pub column: String,
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub name: String,
    pub min: Score,
}

/// A 考核方案.
#[derive(Debug, Clone)]
pub struct Scheme {
    pub title: Option<String>,
    pub scales: Vec<Scale>,
    /// Index of the scale that decides 得分, grade and rank (by default the last).
    pub decides: usize,
    /// Highest first; below the last one: `fail`.
    pub grades: Vec<Grade>,
    pub fail: String,
    pub categories: Vec<Category>,
    pub bonus: Vec<Item>,
    pub bonus_cap: Score,
    /// 一票否决 items: id and content.
    pub veto: Vec<(String, String)>,
    /// What backs each veto item (by id): a unit's veto is refused without it.
    pub veto_evidence: BTreeMap<String, VetoEvidence>,
}

/// What a 一票否决 item needs to be applied to a unit: a case of the right kind against it this
/// year, or an outside decision recorded with its 文号.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VetoEvidence {
    /// 班子成员受到党纪政务处分: a 纪律处分 of a 班子成员 (a case here), or an outside decision
    /// (a 政务处分 is the 监察机关's).
    Sanction,
    /// 被问责: a 问责 case against the unit or a member of its 班子.
    Accountability,
    /// 发生违纪违法案件: handled by the 纪检监察机关, so only their decision, with its 文号.
    Case,
}

impl VetoEvidence {
    pub const NAMES: &'static str =
        "处分（班子成员受到党纪政务处分）、问责（本单位或其班子成员被问责）或 案件（本单位发生违纪违法案件，须有查处决定的文号）";

    pub fn parse(s: &str) -> Option<VetoEvidence> {
        match s.trim() {
            "处分" | "党纪政务处分" | "纪律处分" | "党纪处分" => Some(VetoEvidence::Sanction),
            "问责" => Some(VetoEvidence::Accountability),
            "案件" | "违纪违法案件" => Some(VetoEvidence::Case),
            _ => None,
        }
    }

    /// What backs it, as a message says it.
    pub fn needs(self) -> &'static str {
        match self {
            VetoEvidence::Sanction => "本年度对其班子成员给予纪律处分的问责案件，或其他机关作出的党纪政务处分决定及文号",
            VetoEvidence::Accountability => "本年度对该单位或其班子成员的问责案件，或其他机关作出的问责决定及文号",
            VetoEvidence::Case => "纪检监察机关对该单位违纪违法案件的处理决定及文号",
        }
    }
}

impl Scheme {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.categories.iter().flat_map(|c| &c.items).chain(&self.bonus).find(|i| i.id == id)
    }

    pub fn is_veto(&self, id: &str) -> bool {
        self.veto.iter().any(|(v, _)| v == id)
    }

    pub fn full_marks(&self) -> Score {
        self.categories.iter().flat_map(|c| &c.items).map(|i| i.max).sum()
    }
}

/// What one scale said about one item: a score (fixed, bonus) or a count (deduct).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Score(Score),
    Occurrences(u32),
}

/// One unit's results as entered.
#[derive(Debug, Clone)]
pub struct UnitResult {
    pub unit: String,
    /// Item id → per scale (by index) entry, and the note (扣分说明).
    pub items: BTreeMap<String, (Vec<Option<Entry>>, String)>,
    /// Triggered 一票否决 items.
    pub veto: Vec<String>,
    /// Where each veto was written, and the outside decision given for it (作出机关 and 文号).
    pub veto_at: BTreeMap<String, Place>,
    pub veto_basis: BTreeMap<String, (String, Place)>,
    pub place: Place,
}

/// An item's scores after the rules: one per scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemScore {
    pub scores: Vec<Option<Score>>,
    pub note: String,
    /// False for an item that does not apply to the unit's type (不适用).
    pub applicable: bool,
}

/// A unit's computed assessment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub unit: String,
    pub items: BTreeMap<String, ItemScore>,
    /// Per category, per scale.
    pub subtotals: Vec<Vec<Score>>,
    /// Per category: the marks of the items that apply to the unit.
    pub category_max: Vec<Score>,
    /// 基础分 per scale: the categories' sum, before any 折算.
    pub base: Vec<Score>,
    /// The full marks of the items that apply to the unit.
    pub base_max: Score,
    /// 基础分 折算 to the scheme's full marks, per scale, when some items do not apply to the unit
    /// (so every unit is graded on the same scale); `None` when all apply.
    pub converted: Option<Vec<Score>>,
    /// Bonus after its cap, per scale.
    pub bonus: Vec<Score>,
    /// 合计 per scale: 基础分 (折算 where done) + 加分.
    pub totals: Vec<Score>,
    pub grade: String,
    /// The triggered 一票否决 items' content: why the grade is 不合格.
    pub vetoed: Vec<String>,
    /// Competition rank by the deciding scale (filled by `rank`).
    pub rank: usize,
}

impl Item {
    /// One scale's score for this item under its rule.
    fn score(&self, entry: Option<Entry>) -> Option<Score> {
        match (self.rule, entry?) {
            (Rule::Fixed, Entry::Score(s)) => Some(s.min(self.max)),
            (Rule::Deduct(per), Entry::Occurrences(n)) => {
                let deducted = Score(per.0.saturating_mul(i64::from(n)));
                Some(if deducted >= self.max { Score::ZERO } else { self.max - deducted })
            }
            // A score given for a deduct item is taken as the score (the loader checks bounds).
            (Rule::Deduct(_), Entry::Score(s)) => Some(s.min(self.max)),
            (Rule::Fixed, Entry::Occurrences(_)) => None,
        }
    }
}

/// Scores every item, sums categories, 折算s the 基础分 where items do not apply to the unit's
/// type, caps the bonus, grades; vetoes override the grade.
pub fn assess(scheme: &Scheme, result: &UnitResult, unit_type: Option<KindId>) -> Assessment {
    let scales = scheme.scales.len();
    let mut items = BTreeMap::new();
    let entry = |id: &str, s: usize| result.items.get(id).and_then(|(e, _)| e.get(s).copied().flatten());
    let note = |id: &str| result.items.get(id).map(|(_, n)| n.clone()).unwrap_or_default();
    let mut subtotals = Vec::new();
    let mut category_max = Vec::new();
    for cat in &scheme.categories {
        let mut sums = vec![Score::ZERO; scales];
        let mut max = Score::ZERO;
        for item in &cat.items {
            if !item.applies(unit_type) {
                items.insert(item.id.clone(), ItemScore { scores: vec![None; scales], note: String::new(), applicable: false });
                continue;
            }
            max = max + item.max;
            // An item nobody scored counts in full under a deduct rule (nothing to deduct) and
            // as 0 under a fixed rule (nothing earned).
            let scores: Vec<Option<Score>> = (0..scales)
                .map(|s| match (item.rule, entry(&item.id, s)) {
                    (Rule::Deduct(_), None) => Some(item.max),
                    (_, e) => item.score(e),
                })
                .collect();
            for (sum, s) in sums.iter_mut().zip(&scores) {
                *sum = *sum + s.unwrap_or(Score::ZERO);
            }
            items.insert(item.id.clone(), ItemScore { scores, note: note(&item.id), applicable: true });
        }
        subtotals.push(sums);
        category_max.push(max);
    }
    let mut bonus = vec![Score::ZERO; scales];
    for item in &scheme.bonus {
        let applicable = item.applies(unit_type);
        let scores: Vec<Option<Score>> = (0..scales).map(|s| if applicable { item.score(entry(&item.id, s)) } else { None }).collect();
        for (sum, s) in bonus.iter_mut().zip(&scores) {
            *sum = *sum + s.unwrap_or(Score::ZERO);
        }
        items.insert(item.id.clone(), ItemScore { scores, note: note(&item.id), applicable });
    }
    for b in &mut bonus {
        *b = (*b).min(scheme.bonus_cap);
    }
    let base: Vec<Score> = (0..scales).map(|s| subtotals.iter().map(|c| c[s]).sum::<Score>()).collect();
    let base_max: Score = category_max.iter().copied().sum();
    let full = scheme.full_marks();
    let converted = (base_max != full).then(|| base.iter().map(|b| b.scaled(base_max, full)).collect::<Vec<_>>());
    let counted = converted.as_ref().unwrap_or(&base);
    let totals: Vec<Score> = (0..scales).map(|s| counted[s] + bonus[s]).collect();
    let vetoed: Vec<String> = scheme.veto.iter().filter(|(id, _)| result.veto.contains(id)).map(|(_, content)| content.clone()).collect();
    let decisive = totals.get(scheme.decides).copied().unwrap_or_default();
    let grade = if !vetoed.is_empty() {
        scheme.fail.clone()
    } else {
        scheme.grades.iter().find(|g| decisive >= g.min).map_or(scheme.fail.clone(), |g| g.name.clone())
    };
    Assessment {
        unit: result.unit.clone(),
        items,
        subtotals,
        category_max,
        base,
        base_max,
        converted,
        bonus,
        totals,
        grade,
        vetoed,
        rank: 0,
    }
}

/// Competition ranks (1, 1, 3) by the deciding scale's total; a vetoed unit ranks after every
/// unit that was not.
pub fn rank(assessments: &mut [Assessment], decides: usize) {
    let key = |a: &Assessment| (!a.vetoed.is_empty(), std::cmp::Reverse(a.totals.get(decides).copied().unwrap_or_default()));
    // 1 + how many rank strictly ahead: found in the sorted keys, so 100,000 units cost n log n.
    let mut sorted: Vec<_> = assessments.iter().map(key).collect();
    sorted.sort_unstable();
    for a in assessments.iter_mut() {
        let k = key(a);
        a.rank = 1 + sorted.partition_point(|s| *s < k);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme() -> Scheme {
        let item = |id: &str, max: i64, rule| Item {
            id: id.into(),
            content: id.into(),
            max: Score::points(max),
            criteria: String::new(),
            rule,
            applies_to: Vec::new(),
            situations: Vec::new(),
        };
        Scheme {
            title: None,
            scales: vec![
                Scale { name: "自评".into(), column: "自评分".into() },
                Scale { name: "考核组".into(), column: "考核组评分".into() },
            ],
            decides: 1,
            grades: vec![Grade { name: "优秀".into(), min: Score::points(90) }, Grade { name: "合格".into(), min: Score::points(60) }],
            fail: "不合格".into(),
            categories: vec![Category {
                name: "主体责任".into(),
                items: vec![item("A1", 60, Rule::Fixed), item("A2", 40, Rule::Deduct(Score::parse("1.5").unwrap()))],
            }],
            bonus: vec![item("J1", 3, Rule::Fixed), item("J2", 3, Rule::Fixed)],
            bonus_cap: Score::points(5),
            veto: vec![("V1".into(), "发生严重违纪违法案件".into())],
            veto_evidence: BTreeMap::new(),
        }
    }

    fn result(unit: &str, a1: &str, a2: u32, j: &str, veto: bool) -> UnitResult {
        let s = |v: &str| Some(Entry::Score(Score::parse(v).unwrap()));
        let mut items = BTreeMap::new();
        items.insert("A1".into(), (vec![s(a1), s(a1)], String::new()));
        items.insert("A2".into(), (vec![Some(Entry::Occurrences(0)), Some(Entry::Occurrences(a2))], "迟报".into()));
        items.insert("J1".into(), (vec![s(j), s(j)], String::new()));
        items.insert("J2".into(), (vec![s(j), s(j)], String::new()));
        let veto = if veto { vec!["V1".into()] } else { vec![] };
        UnitResult { unit: unit.into(), items, veto, veto_at: BTreeMap::new(), veto_basis: BTreeMap::new(), place: Place::Nowhere }
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(Score::parse("89.5").unwrap().to_string(), "89.5");
        assert_eq!((Score::parse("0.1").unwrap() + Score::parse("0.2").unwrap()).to_string(), "0.3");
        assert_eq!(Score::parse("0.25").unwrap().to_string(), "0.25");
        assert!(Score::parse("1.005").is_none() && Score::parse("-1").is_none() && Score::parse("九十").is_none());
    }

    #[test]
    fn scaling_rounds_half_up_to_the_hundredth() {
        let p = |v: &str| Score::parse(v).unwrap();
        assert_eq!(p("82").scaled(p("85"), p("100")).to_string(), "96.47");
        assert_eq!(p("1").scaled(p("8"), p("1")).to_string(), "0.13", "0.125 rounds up");
        assert_eq!(p("85").scaled(p("85"), p("100")), p("100"));
        assert_eq!(p("5").scaled(Score::ZERO, p("100")), Score::ZERO, "nothing applies: nothing to scale");
    }

    #[test]
    fn items_that_do_not_apply_leave_the_full_marks_and_the_base_is_scaled() {
        let kinds = crate::model::UnitKinds::builtin();
        let (office, affiliate) = (kinds.find("处室"), kinds.find("直属单位"));
        let mut s = scheme();
        s.categories[0].items[1].applies_to = vec![affiliate.unwrap()];
        // A2 (40) does not apply to a 处室: A1 59.5 of 60 → 99.17 of 100, + bonus 5.
        let a = assess(&s, &result("甲", "59.5", 3, "3", false), office);
        assert!(!a.items["A2"].applicable && a.items["A2"].scores.iter().all(Option::is_none));
        assert_eq!((a.base_max, a.base[1]), (Score::points(60), p("59.5")));
        assert_eq!(a.converted.as_ref().unwrap()[1].to_string(), "99.17");
        assert_eq!(a.totals[1].to_string(), "104.17");
        // The same results for a 直属单位: every item applies, nothing is scaled.
        let b = assess(&s, &result("乙", "59.5", 3, "3", false), affiliate);
        assert_eq!((b.base_max, b.converted.clone()), (Score::points(100), None));
        assert_eq!(b.totals[1].to_string(), "100");
    }

    fn p(v: &str) -> Score {
        Score::parse(v).unwrap()
    }

    #[test]
    fn scores_are_bounded_so_totals_never_wrap() {
        assert_eq!(Score::parse("10000"), Some(Score::points(10_000)));
        assert_eq!(Score::parse("10000.01"), None);
        assert_eq!(Score::parse("9223372036854775808"), None);
        assert_eq!(Score::parse("92233720368547758"), None);
        assert_eq!(Score(i64::MAX) + Score(1), Score(i64::MAX));
    }

    #[test]
    fn deductions_stop_at_zero_and_bonus_is_capped() {
        // A2: 30 occurrences × 1.5 = 45 > 40: the item gives 0, not −5.
        let a = assess(&scheme(), &result("甲", "60", 30, "3", false), None);
        assert_eq!(a.items["A2"].scores, vec![Some(Score::points(40)), Some(Score::ZERO)]);
        // Bonus 3 + 3 = 6, capped at 5.
        assert_eq!(a.bonus, vec![Score::points(5), Score::points(5)]);
        assert_eq!(a.totals, vec![Score::points(105), Score::points(65)]);
        assert_eq!(a.grade, "合格");
        // 2 occurrences: 40 − 3 = 37; 59.5 + 37 + 0 = 96.5 → 优秀.
        let b = assess(&scheme(), &result("乙", "59.5", 2, "0", false), None);
        assert_eq!(b.totals[1].to_string(), "96.5");
        assert_eq!(b.grade, "优秀");
    }

    #[test]
    fn veto_overrides_a_high_total() {
        let a = assess(&scheme(), &result("甲", "60", 0, "3", true), None);
        assert_eq!(a.totals[1], Score::points(105));
        assert_eq!(a.grade, "不合格");
        assert_eq!(a.vetoed, vec!["发生严重违纪违法案件".to_string()]);
    }

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        let s = scheme();
        let mut all = vec![
            assess(&s, &result("甲", "50", 0, "0", false), None),
            assess(&s, &result("乙", "60", 0, "0", false), None),
            assess(&s, &result("丙", "60", 0, "0", false), None),
            assess(&s, &result("丁", "60", 0, "3", true), None),
            assess(&s, &result("戊", "40", 0, "0", false), None),
        ];
        rank(&mut all, 1);
        let ranks: Vec<(String, usize)> = all.iter().map(|a| (a.unit.clone(), a.rank)).collect();
        assert_eq!(ranks, [("甲", 3), ("乙", 1), ("丙", 1), ("丁", 5), ("戊", 4)].map(|(u, r)| (u.to_string(), r)));
    }
}
