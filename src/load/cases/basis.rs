//! What a decision cites and decides: the Art. 7 situation (one of eleven), the methods of
//! Art. 8 that fit the subject with the parameters each needs, other provisions (a local
//! 实施办法), and the subject's 陈述和申辩. The Art. 8 citation is not written by the user: it
//! is made from the methods, so it cannot leave one out.

use super::{CaseFields, Field, Validator, item_number};
use crate::diag::{Place, Problem};
use crate::model::{
    AdmonitionForm, Method, MethodKind, OrgMeasure, Plea, PleaResult, Sanction, Situation, SubjectKind, WrittenMethod, circular_scope,
};

/// The title of the 条例 as a citation writes it.
const REGULATION: &str = "《中国共产党问责条例》";

/// One part of a `basis`/`local` item.
enum Citation {
    /// 第七条第N项 (the text after 第七条).
    Article7(String),
    /// 第八条第X款第Y项 (the text after 第八条).
    Article8(String),
    /// Anything else, as it should be printed.
    Other(String),
}

impl Validator<'_> {
    /// The Art. 7 item (from `situation`, or from an old `basis:` list) and the other provisions.
    pub(super) fn situation(
        &mut self,
        f: &CaseFields,
        kind: Option<SubjectKind>,
        methods: &[Method],
        label: &str,
    ) -> Option<(Situation, Vec<String>)> {
        let what = f.what("问责情形(situation)", "问责情形");
        let mut found: Option<(Situation, Place)> = None;
        let mut failed = false;
        if let Some(s) = f.situation.as_ref().filter(|s| !s.is_blank()) {
            match situation_item(&s.tidy()) {
                Ok(item) => found = Some((item, s.place.clone())),
                Err(why) => {
                    self.article7_problem(s.place.clone(), format!("{label}的{what}“{}”{why}", s.tidy()));
                    failed = true;
                }
            }
        }
        let mut local = Vec::new();
        // Old data wrote the 条例's title once: a bare "第八条…" item continues it.
        let mut regulation = false;
        for field in f.local.iter().chain(&f.basis) {
            for part in split_list(&field.text) {
                match classify(part, &mut regulation) {
                    Citation::Article7(rest) => match situation_item(&rest) {
                        Ok(item) => match &found {
                            Some((other, at)) if *other != item => {
                                let message =
                                    format!("{label}的依据“{part}”与问责情形第{}项（{at}）不一致", crate::cn::numeral(other.item().into()));
                                self.error(field.place.clone(), "case.situation-conflict", message);
                            }
                            _ => found = Some((item, field.place.clone())),
                        },
                        Err(why) => {
                            self.article7_problem(field.place.clone(), format!("{label}的依据“{part}”{why}"));
                            failed = true;
                        }
                    },
                    Citation::Article8(rest) => self.article8_citation(field, part, &rest, kind, methods, label),
                    Citation::Other(text) => local.push(text),
                }
            }
        }
        if let (Some(at), false) = (&f.basis_at, f.basis.is_empty()) {
            self.problems.push(
                Problem::warning(
                    at.clone(),
                    "case.basis-old",
                    format!("{label}：{}已分为问责情形和其他依据", f.what("依据(basis)", "“依据”列")),
                )
                .with_detail(f.what(
                    "写 situation: 第七条的项号（如 8）和 local: [地方实施办法条款]；第八条的条款由问责方式自动生成，不必再写",
                    "填“问责情形”列（第七条的项号）和“其他依据”列；第八条的条款由问责方式自动生成，不必再写",
                )),
            );
        }
        if found.is_none() && !failed {
            let place = f.situation.as_ref().map_or(f.at.clone(), |s| s.place.clone());
            self.article7_problem(place, format!("{label}缺少{what}：《中国共产党问责条例》第七条的项号（1–11）"));
        }
        found.map(|(s, _)| (s, local))
    }

    fn article7_problem(&mut self, place: Place, message: String) {
        let detail = format!("《中国共产党问责条例》第七条：\n{}", Situation::all_listed());
        self.problems.push(Problem::error(place, "case.situation", message).with_detail(detail));
    }

    /// An Art. 8 citation the user wrote (old data): it must exist, fit the subject and name a
    /// method the case imposes. The decision cites the methods' items itself.
    fn article8_citation(&mut self, field: &Field, part: &str, rest: &str, kind: Option<SubjectKind>, methods: &[Method], label: &str) {
        let Some(kind) = kind else { return };
        let (clause, item) = clause_and_item(rest);
        let own = kind.article8_clause();
        let problem = match (clause, item) {
            (None, _) | (Some(3), None) => None,
            (Some(c), _) if c == 0 || c > 3 => Some(format!("第八条没有第{}款", crate::cn::numeral(c.into()))),
            (Some(c), _) if c != own && c != 3 => {
                let other = if kind == SubjectKind::Cadre { SubjectKind::Organisation } else { SubjectKind::Cadre };
                Some(format!("第八条第{}款是对{}的问责方式，不适用于{}", crate::cn::numeral(c.into()), other.name(), kind.name()))
            }
            (Some(_), None) => None,
            (Some(c), Some(i)) => match kind.methods().get(usize::from(i).wrapping_sub(1)) {
                None => Some(format!("第八条第{}款没有第{}项", crate::cn::numeral(c.into()), crate::cn::numeral(i.into()))),
                Some(m) if !methods.iter().any(|x| x.kind() == *m) => Some(format!(
                    "所引第八条第{}款第{}项是“{}”，但问责方式中没有{}",
                    crate::cn::numeral(c.into()),
                    crate::cn::numeral(i.into()),
                    m.name(),
                    m.name()
                )),
                Some(_) => None,
            },
        };
        if let Some(why) = problem {
            self.error(field.place.clone(), "case.article8", format!("{label}的依据“{part}”有误：{why}"));
        }
    }

    /// The methods, each fitting the subject and with its parameters, in the order of Art. 8.
    pub(super) fn methods(&mut self, f: &CaseFields, kind: Option<SubjectKind>, label: &str) -> Vec<Method> {
        let allowed = match kind {
            Some(k) => k.methods_listed(),
            None => {
                format!("对党组织：{}；对领导干部：{}", SubjectKind::Organisation.methods_listed(), SubjectKind::Cadre.methods_listed())
            }
        };
        let mut written: Vec<(WrittenMethod, Place)> = Vec::new();
        match &f.methods {
            None => self.error(f.at.clone(), "case.methods-missing", format!("{label}缺少{}", f.what("问责方式(methods)", "问责方式"))),
            Some((at, list)) => {
                for m in list {
                    for part in split_list(&m.text) {
                        self.written_method(part, m.place.clone(), kind, &allowed, label, &mut written);
                    }
                }
                if written.is_empty() && list.iter().all(Field::is_blank) {
                    let place = list.first().map_or(at.clone(), |m| m.place.clone());
                    self.error(place, "case.methods-missing", format!("{label}的{}为空", f.what("问责方式(methods)", "问责方式")));
                }
            }
        }
        let mut methods: Vec<Method> = written.iter().filter_map(|(w, place)| self.with_parameters(f, w, place, label)).collect();
        self.stray_parameters(f, &written, label);
        methods.sort_by_key(|m| kind.and_then(|k| m.kind().item(k)).unwrap_or(0));
        methods
    }

    fn written_method(
        &mut self,
        part: &str,
        place: Place,
        kind: Option<SubjectKind>,
        allowed: &str,
        label: &str,
        out: &mut Vec<(WrittenMethod, Place)>,
    ) {
        match WrittenMethod::parse(part) {
            Err(why) if why.starts_with("不是") => self.error(
                place,
                "case.method",
                format!("{label}的问责方式“{part}”不存在（《中国共产党问责条例》第八条）；可用：{allowed}"),
            ),
            Err(why) => self.error(place, "case.method", format!("{label}的问责方式“{part}”有误：{why}")),
            Ok(w) => match kind {
                Some(k) if w.kind.item(k).is_none() => {
                    let message = format!(
                        "{label}：对{}不能采用“{}”（《中国共产党问责条例》第八条第{}款）；对{}可用：{allowed}",
                        k.name(),
                        w.kind.name(),
                        crate::cn::numeral(k.article8_clause().into()),
                        k.name()
                    );
                    self.error(place, "case.method-subject", message);
                }
                _ if out.iter().any(|(o, _)| o.kind == w.kind) => {
                    self.error(place, "case.method-duplicate", format!("{label}的问责方式“{}”重复", w.kind.name()))
                }
                _ => out.push((w, place)),
            },
        }
    }

    /// A method with the parameter Art. 8 needs said, written inline or in its own field.
    fn with_parameters(&mut self, f: &CaseFields, w: &WrittenMethod, place: &Place, label: &str) -> Option<Method> {
        let what = |yaml: &str, column: &str| f.what(yaml, column).to_string();
        Some(match w.kind {
            MethodKind::Inspection => Method::Inspection,
            MethodKind::Reorganisation => Method::Reorganisation,
            MethodKind::Circular => {
                let scope = self.parameter(
                    &f.circular_scope,
                    w.scope.clone(),
                    |s| Ok(circular_scope(s)),
                    place,
                    label,
                    &what("通报范围(circular_scope)", "通报范围"),
                    "通报应写明通报范围，如“在市财政局系统内”（第八条：在一定范围内通报）",
                )?;
                Method::Circular { scope }
            }
            MethodKind::Admonition => Method::Admonition(self.parameter(
                &f.admonition,
                w.form,
                |s| AdmonitionForm::parse(s).ok_or("应为 谈话 或 书面".into()),
                place,
                label,
                &what("诫勉方式(admonition)", "诫勉方式"),
                "诫勉应写明以谈话还是书面方式进行（第八条）",
            )?),
            MethodKind::Organisational => Method::Organisational(self.parameter(
                &f.measure,
                w.measure,
                |s| OrgMeasure::parse_with_post(s).map(|(m, _)| m).ok_or(format!("应为 {}", OrgMeasure::names())),
                place,
                label,
                &what("组织处理措施(measure)", "组织处理措施"),
                &format!("组织调整或者组织处理应写明具体措施：{}（第八条）", OrgMeasure::names()),
            )?),
            MethodKind::Discipline => Method::Discipline(self.parameter(
                &f.sanction,
                w.sanction,
                Sanction::parse,
                place,
                label,
                &what("纪律处分(sanction)", "纪律处分"),
                &format!("纪律处分应写明处分种类：{}（依照《中国共产党纪律处分条例》）", Sanction::NAMES),
            )?),
        })
    }

    /// A method's parameter: inline, or in its own field (parsed there), the two agreeing.
    #[allow(clippy::too_many_arguments)]
    fn parameter<T: PartialEq + Clone>(
        &mut self,
        field: &Option<Field>,
        inline: Option<T>,
        parse: impl FnOnce(&str) -> Result<T, String>,
        method_place: &Place,
        label: &str,
        what: &str,
        needed: &str,
    ) -> Option<T> {
        let given = field.as_ref().filter(|p| !p.is_blank());
        let own = match given {
            Some(p) => match parse(&p.tidy()) {
                Ok(v) => Some(v),
                Err(why) => {
                    self.error(p.place.clone(), "case.method-parameter", format!("{label}的{what}“{}”无效：{why}", p.tidy()));
                    return None;
                }
            },
            None => None,
        };
        match (inline, own) {
            (Some(a), Some(b)) if a != b => {
                let message = format!("{label}的{what}与问责方式中括号里写的不一致");
                self.error(given.map_or(method_place.clone(), |p| p.place.clone()), "case.method-parameter", message);
                None
            }
            (Some(v), _) | (None, Some(v)) => Some(v),
            (None, None) => {
                self.error(method_place.clone(), "case.method-parameter-missing", format!("{label}：{needed}；请填写{what}"));
                None
            }
        }
    }

    /// A parameter given for a method the case does not impose.
    fn stray_parameters(&mut self, f: &CaseFields, written: &[(WrittenMethod, Place)], label: &str) {
        let fields = [
            (&f.circular_scope, MethodKind::Circular, f.what("通报范围(circular_scope)", "通报范围")),
            (&f.admonition, MethodKind::Admonition, f.what("诫勉方式(admonition)", "诫勉方式")),
            (&f.measure, MethodKind::Organisational, f.what("组织处理措施(measure)", "组织处理措施")),
            (&f.sanction, MethodKind::Discipline, f.what("纪律处分(sanction)", "纪律处分")),
        ];
        for (field, kind, what) in fields {
            if let Some(p) = field.as_ref().filter(|p| !p.is_blank() && f.methods.is_some() && !written.iter().any(|(w, _)| w.kind == kind))
            {
                let message = format!("{label}填了{what}，但问责方式中没有{}", kind.name());
                self.error(p.place.clone(), "case.method-parameter-stray", message);
            }
        }
    }

    /// 陈述和申辩: what was said and what came of it, or that it was waived. Required: the
    /// procedure hears the subject, and the decision must say so.
    pub(super) fn plea(&mut self, f: &CaseFields, label: &str) -> Option<Plea> {
        let plea_what = f.what("陈述申辩(plea)", "陈述申辩");
        let result_what = f.what("申辩处理(plea_result)", "申辩处理");
        let said = f.plea.as_ref().filter(|p| !p.is_blank());
        let names = PleaResult::NAMES;
        let result = self.parsed(
            &f.plea_result,
            |r| PleaResult::parse(r).ok_or(format!("{label}的{result_what}“{r}”无效；应为 {names}")),
            "case.plea-result",
        );
        let result_blank = f.plea_result.as_ref().is_none_or(Field::is_blank);
        let Some(result) = result else {
            if result_blank {
                let (place, message) = match said {
                    None => (
                        f.plea.as_ref().map_or(f.at.clone(), |p| p.place.clone()),
                        format!(
                            "{label}缺少{plea_what}：问责决定应写明听取了陈述和申辩（说了什么、是否采纳及理由），或对象放弃了陈述和申辩（{result_what}写“放弃”）"
                        ),
                    ),
                    Some(p) => (p.place.clone(), format!("{label}缺少{result_what}：{names}")),
                };
                self.error(place, "case.plea-missing", message);
            }
            return None;
        };
        if result != PleaResult::Waived && said.is_none() {
            let place = f.plea.as_ref().map_or(f.at.clone(), |p| p.place.clone());
            self.error(place, "case.plea-missing", format!("{label}缺少{plea_what}：写明对象陈述和申辩的内容"));
            return None;
        }
        let reason = f.plea_reason.as_ref().map(Field::tidy).filter(|r| !r.is_empty());
        if result.needs_reason() && reason.is_none() {
            let place = f.plea_reason.as_ref().or(f.plea_result.as_ref()).map_or(f.at.clone(), |p| p.place.clone());
            let what = f.what("处理理由(plea_reason)", "处理理由");
            self.error(
                place,
                "case.plea-reason",
                format!("{label}的陈述申辩{}，应写明{what}（对不予采纳的意见应当说明理由）", result.name()),
            );
        }
        let reason = reason.map(|r| r.trim_end_matches(['。', '；']).to_string());
        Some(Plea { said: said.map(|s| super::sentence(&s.tidy())).unwrap_or_default(), result, reason })
    }
}

/// Splits a list written in one item or cell: at 、，；, and new lines, but not inside
/// brackets (通报（在市、县两级范围内）is one method).
pub(super) fn split_list(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in text.char_indices() {
        match c {
            '（' | '(' | '《' | '〈' => depth += 1,
            '）' | ')' | '》' | '〉' => depth -= 1,
            '、' | '，' | ',' | '；' | ';' | '\n' if depth <= 0 => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).collect()
}

/// Which provision a part cites. A bare "第八条第一款第一项" continues the 条例 named before it
/// in the same item (old data wrote the 条例's title once).
fn classify(part: &str, regulation: &mut bool) -> Citation {
    if part.starts_with('《') {
        *regulation = part.starts_with(REGULATION);
    } else if !part.starts_with('第') {
        *regulation = false;
    }
    if !*regulation {
        return Citation::Other(part.to_string());
    }
    let article = part.strip_prefix(REGULATION).unwrap_or(part).trim();
    if let Some(rest) = article.strip_prefix("第七条") {
        Citation::Article7(rest.to_string())
    } else if let Some(rest) = article.strip_prefix("第八条") {
        Citation::Article8(rest.to_string())
    } else {
        Citation::Other(format!("{REGULATION}{article}"))
    }
}

/// The Art. 7 item of "8", "第八项", "第七条第八项", "第八项：全面从严治党……" (the template's
/// dropdown), or why not.
fn situation_item(s: &str) -> Result<Situation, String> {
    let s = s.split(['：', ':']).next().unwrap_or("").trim();
    let s = s.trim_start_matches(REGULATION).trim();
    let s = s.strip_prefix("第七条").unwrap_or(s);
    match item_number(s) {
        None => Err("无效：应为第七条的项号，如 8 或 第八项".into()),
        Some(n) => Situation::new(n)
            .ok_or_else(|| format!("不存在：《中国共产党问责条例》第七条只有十一项，没有第{}项", crate::cn::numeral(n.into()))),
    }
}

/// "第一款第三项" → (1, 3); "第二款" → (2, None).
fn clause_and_item(rest: &str) -> (Option<u8>, Option<u8>) {
    let rest = rest.trim();
    let Some(after) = rest.strip_prefix('第') else { return (None, None) };
    let Some((clause, tail)) = after.split_once('款') else { return (None, None) };
    let item = tail.trim().strip_prefix('第').and_then(|t| t.split_once('项')).and_then(|(i, _)| item_number(i));
    (item_number(clause), item)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_outside_brackets() {
        assert_eq!(split_list("通报（在市、县两级范围内）、诫勉"), ["通报（在市、县两级范围内）", "诫勉"]);
        assert_eq!(
            split_list("《江州市贯彻〈中国共产党问责条例〉实施办法》第九条\n第十条"),
            ["《江州市贯彻〈中国共产党问责条例〉实施办法》第九条", "第十条"]
        );
    }

    #[test]
    fn citations_are_told_apart() {
        let mut r = false;
        assert!(matches!(classify("《中国共产党问责条例》第七条第八项", &mut r), Citation::Article7(s) if s == "第八项"));
        assert!(matches!(classify("第八条第一款第一项", &mut r), Citation::Article8(s) if s == "第一款第一项"));
        let mut r = false;
        assert!(matches!(classify("《江州市贯彻〈中国共产党问责条例〉实施办法》第八条", &mut r), Citation::Other(_)));
        assert!(matches!(classify("第八条", &mut r), Citation::Other(_)), "a local article stays local");
        assert_eq!(clause_and_item("第二款第（三）项"), (Some(2), Some(3)));
        assert!(situation_item("第十五项").unwrap_err().contains("只有十一项"));
        assert_eq!(situation_item("第八项：全面从严治党主体责任、监督责任落实不到位").map(Situation::item), Ok(8));
    }
}
