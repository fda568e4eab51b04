//! The Chinese name of every variable a template can use (`单位名称` for `unit.name`), and the
//! index a Word template's fields are looked up in: the variables of one form, taken from the
//! views the built-in samples give it, so the list cannot drift from what templates receive.

use crate::model::Form;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The Chinese name of a variable of `form`, by its dotted path as `template vars` lists it
/// (`unit.leader.name`, `tasks[].requirement`). Names are unique among the fields one place of a
/// template can reach (the top, or the items of one list).
pub fn chinese(form: Form, path: &str) -> Option<&'static str> {
    for (party, who) in
        [("party_a", "甲方"), ("party_b", "乙方"), ("recipient", "收函单位"), ("assessors", "考核组"), ("assessed", "被考核单位")]
    {
        if let Some(rest) = path.strip_prefix(party).filter(|r| r.is_empty() || r.starts_with('.')) {
            return party_field(who, rest);
        }
    }
    if let Some(field) = path.strip_prefix("bonus.rows[].").or_else(|| path.strip_prefix("categories[].rows[].")) {
        return score_row(field);
    }
    let own = match form {
        Form::Statement => statement(path),
        Form::Assessment => assessment(path),
        Form::Decision => decision(path),
        Form::Notice => notice(path),
        Form::Letter | Form::PersonalLetter => None,
    };
    own.or_else(|| common(path))
}

fn common(path: &str) -> Option<&'static str> {
    Some(match path {
        "organ" => "发文机关",
        "code" => "机关代字",
        "year" => "年度",
        "date" => "成文日期",
        "tier" => "层级",
        "title" => "标题",
        "doc_no" => "文号",
        "letter" => "责任书文字",
        "letter.title" => "责任书标题",
        "letter.basis" => "制定依据列表",
        "letter.basis_text" => "制定依据",
        "letter.assessment" => "考核条款",
        "letter.accountability" => "责任追究条款",
        "letter.copies" => "份数",
        "unit" => "单位",
        "unit.name" => "单位名称",
        "unit.type" => "单位类别",
        "unit.party" => "是否党组织",
        "unit.own" => "单位自称",
        "unit.you" => "单位称呼",
        "unit.head" => "负责人身份",
        "unit.seal" => "单位盖章",
        "unit.tags" => "单位标签",
        "unit.leader" => "单位负责人",
        "unit.leader.name" => "负责人",
        "unit.leader.title" => "负责人职务",
        "unit.supervisor" => "单位分管领导",
        "unit.supervisor.name" => "分管领导",
        "unit.supervisor.title" => "分管领导职务",
        "unit.members" => "班子副职",
        "unit.members[].name" => "姓名",
        "unit.members[].title" => "职务",
        "unit.members[].portfolio" => "分管工作",
        "unit.duties" => "本单位责任",
        "unit.phone" => "单位电话",
        "party_a_signer" => "代表甲方签字的人",
        "party_a_signer.name" => "代表甲方签字人姓名",
        "party_a_signer.title" => "代表甲方签字人职务",
        "signed_by_supervisor" => "分管领导签字",
        "groups" => "责任组",
        "groups[].subject" => "责任主体",
        "groups[].duties" => "责任条目",
        "person" => "乙方本人",
        "person.name" => "姓名",
        "person.title" => "职务",
        "person.portfolio" => "分管工作",
        "units" => "分管单位列表",
        "units_text" => "分管单位",
        _ => return None,
    })
}

/// The fields every signing party has, named after the party: 甲方名称, 乙方签字人…
fn party_field(who: &str, rest: &str) -> Option<&'static str> {
    let what = match rest {
        "" => "签署栏",
        ".role" => "称谓",
        ".name" => "名称",
        ".seal" => "盖章",
        ".person" => "为个人",
        ".signer" => "签字",
        ".signer.name" => "签字人",
        ".signer.title" => "签字人职务",
        ".signer.capacity" => "签字身份",
        ".signer.label" => "签字标签",
        _ => return None,
    };
    // A handful of parties times a handful of fields: interned once, for the life of the run.
    static NAMES: OnceLock<std::sync::Mutex<BTreeMap<String, &'static str>>> = OnceLock::new();
    let key = format!("{who}{what}");
    let mut names = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    Some(names.entry(key.clone()).or_insert_with(|| Box::leak(key.into_boxed_str())))
}

fn notice(path: &str) -> Option<&'static str> {
    Some(match path {
        "contact" => "联系人",
        "phone" => "联系电话",
        "dated" => "有完成日期的任务序号",
        "ongoing" => "持续性任务序号",
        "intro" => "开头段",
        "receipt_due" => "回执报送日期",
        "receipt_to" => "回执报送对象",
        "report_to" => "报送对象",
        "tasks" => "任务清单",
        "tasks[].seq" => "序号",
        "tasks[].task" => "任务",
        "tasks[].requirement" => "具体要求",
        "tasks[].deadline" => "完成时限",
        "tasks[].dated" => "有完成日期",
        "tasks[].lead" => "牵头部门",
        "tasks[].owner" => "牵头人",
        _ => return None,
    })
}

fn decision(path: &str) -> Option<&'static str> {
    Some(match path {
        "case_id" => "案件编号",
        "letterhead" => "发文机关标志",
        "subject" => "问责对象信息",
        "subject.type" => "问责对象类型",
        "subject.is_cadre" => "是领导干部",
        "subject.name" => "问责对象",
        "subject.unit" => "所在单位",
        "subject.unit_full" => "单位全称",
        "subject.gender" => "性别",
        "subject.born" => "出生年月",
        "subject.political" => "政治面貌",
        "subject.post" => "职务",
        "subject.leader" => "主要负责人",
        "source" => "案件来源",
        "facts" => "事实",
        "duty" => "未履行的责任",
        "responsibility" => "责任类型",
        "situation" => "问责情形信息",
        "situation.item" => "问责情形项号",
        "situation.name" => "问责情形",
        "article8" => "第八条",
        "article8.clause" => "第八条款号",
        "article8.items" => "第八条项号",
        "combined" => "合并问责",
        "local_basis" => "其他依据",
        "methods" => "问责方式",
        "methods[].method" => "方式",
        "methods[].item" => "项号",
        "methods[].scope" => "通报范围",
        "methods[].form" => "诫勉方式",
        "methods[].measure" => "组织处理措施",
        "methods[].sanction" => "纪律处分",
        "organisational" => "有组织处理",
        "plea" => "陈述申辩信息",
        "plea.said" => "陈述申辩",
        "plea.result" => "申辩结果",
        "plea.reason" => "不予采纳理由",
        "new_post" => "新职务",
        "mitigating" => "从轻情节",
        "aggravating" => "从重情节",
        "execution" => "执行要求",
        "appeal" => "申诉告知",
        "cc" => "抄送单位",
        "cc_text" => "抄送",
        "issuer" => "印发机关",
        _ => return None,
    })
}

fn statement(path: &str) -> Option<&'static str> {
    Some(match path {
        "name" => "姓名",
        "unit" => "单位名称",
        "portfolio" => "分管工作",
        "gender" => "性别",
        "birth" => "出生年月",
        "political" => "政治面貌",
        "appointed" => "任职时间",
        "sections" => "述责述廉各栏",
        "sections[].label" => "栏目",
        "sections[].text" => "内容",
        "problems" => "存在问题栏",
        "problems.label" => "存在问题栏目",
        "problems.text" => "存在问题",
        "measures" => "整改措施栏",
        "measures.label" => "整改措施栏目",
        "measures.text" => "整改措施",
        _ => return None,
    })
}

fn assessment(path: &str) -> Option<&'static str> {
    Some(match path {
        "unit" => "单位名称",
        "unit_type" => "单位类别",
        "base_max" => "基础分满分",
        "base_total" => "基础分",
        "base_totals" => "各评分主体基础分",
        "bonus" => "加分栏",
        "bonus.applicable" => "加分项适用",
        "bonus.max" => "加分上限",
        "bonus.name" => "加分项名称",
        "bonus.rows" => "加分项目",
        "bonus.subtotal" => "加分",
        "bonus.subtotals" => "各评分主体加分",
        "bonus_cap" => "加分封顶",
        "categories" => "考核类别",
        "categories[].applicable" => "类别适用",
        "categories[].max" => "类别分值",
        "categories[].name" => "类别",
        "categories[].rows" => "考核项目",
        "categories[].subtotal" => "类别得分",
        "categories[].subtotals" => "各评分主体类别得分",
        "converted" => "各评分主体折算基础分",
        "converted_total" => "折算基础分",
        "decides" => "决定得分的评分主体",
        "full_marks" => "满分",
        "grade" => "等次",
        "of" => "参评单位数",
        "rank" => "名次",
        "scales" => "评分主体",
        "total" => "总得分",
        "total_max" => "合计分值",
        "totals" => "各评分主体合计",
        "veto" => "一票否决",
        "veto[].content" => "否决事项",
        "veto[].triggered" => "已触发",
        "vetoed" => "被否决事项",
        _ => return None,
    })
}

/// A row of the 考核评分表, whether a category's or the bonus's.
fn score_row(field: &str) -> Option<&'static str> {
    Some(match field {
        "applicable" => "适用",
        "content" => "考核内容",
        "criteria" => "评分标准",
        "id" => "编号",
        "max" => "分值",
        "note" => "备注",
        "score" => "得分",
        "scores" => "各评分主体得分",
        "seq" => "序号",
        _ => return None,
    })
}

/// What a variable holds, as far as a Word template cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Text, number, yes/no or nothing: printed in place.
    Scalar,
    /// A list: repeated with `{{#…}}`.
    List,
    /// A group of fields.
    Map,
}

/// Every variable of a form's views, by dotted path (`groups[].subject`).
#[derive(Debug, Default, Clone)]
pub struct Index {
    pub paths: BTreeMap<String, Shape>,
}

impl Index {
    /// Adds every path of one view: lists by all their items (a later item may have fields the
    /// first leaves empty).
    pub fn add(&mut self, view: &Value) {
        walk("", view, &mut self.paths);
    }
}

fn walk(prefix: &str, v: &Value, out: &mut BTreeMap<String, Shape>) {
    let shape = match v {
        Value::Object(_) => Shape::Map,
        Value::Array(_) => Shape::List,
        _ => Shape::Scalar,
    };
    if !prefix.is_empty() {
        // A field empty in one view and a group in another is the group.
        let e = out.entry(prefix.to_string()).or_insert(shape);
        if *e == Shape::Scalar {
            *e = shape;
        }
    }
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                walk(&path, child, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(&format!("{prefix}[]"), item, out);
            }
        }
        _ => {}
    }
}

/// The variables of each form, from the built-in samples' documents (all of them: a 班子成员's
/// letter has no unit, a deputy's has). Built once.
pub fn index(form: Form) -> &'static Index {
    static ALL: OnceLock<BTreeMap<Form, Index>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let mut all: BTreeMap<Form, Index> = Form::ALL.iter().map(|f| (*f, Index::default())).collect();
        if let Ok(ws) = crate::embedded::sample_workspace() {
            for per in crate::plan::Per::ALL {
                for job in crate::plan::jobs_per(&ws, per, &Default::default()) {
                    if let (Some(ix), Ok(v)) = (all.get_mut(&job.form), serde_json::to_value(&job.view)) {
                        ix.add(&v);
                    }
                }
            }
        }
        all
    });
    &all[&form]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variable `template vars` lists has a Chinese name, and no two fields one place of
    /// a template reaches share one.
    #[test]
    fn every_variable_has_a_chinese_name_of_its_own() {
        for form in Form::ALL {
            let ix = index(form);
            assert!(ix.paths.len() > 5, "{form}: the samples give its variables");
            let mut seen: BTreeMap<(String, &str), &str> = BTreeMap::new();
            for path in ix.paths.keys().filter(|p| !p.ends_with("[]")) {
                let name = chinese(form, path).unwrap_or_else(|| panic!("{form}: {path} has no Chinese name"));
                let level = path.rsplit_once('.').map_or("", |(l, _)| l);
                // Fields of one list item, or of the top with its groups, are reached together.
                let place =
                    if level.contains("[]") { level.rsplit_once("[]").map_or(level, |(l, _)| l).to_string() } else { String::new() };
                if let Some(other) = seen.insert((place, name), path) {
                    panic!("{form}: {path} and {other} are both called {name}");
                }
            }
        }
        assert_eq!(chinese(Form::Letter, "unit.name"), Some("单位名称"));
        assert_eq!(chinese(Form::Letter, "unit.leader.name"), Some("负责人"));
        assert_eq!(chinese(Form::Notice, "year"), Some("年度"));
        assert_eq!(chinese(Form::Decision, "organ"), Some("发文机关"));
    }
}
