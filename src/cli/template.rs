//! `zeren template vars KIND`: the variables a template of a kind can use, with type and an
//! example taken from a real context (the workspace's, or the built-in samples'), so the list
//! cannot drift from what templates actually receive.

use crate::model::Form;
use crate::plan::{self, Selection};
use clap::{Args, Subcommand};
use serde_json::Value;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct TemplateArgs {
    #[command(subcommand)]
    pub command: TemplateCommand,
}

#[derive(Subcommand, Debug)]
pub enum TemplateCommand {
    /// 列出某种文书模板可用的变量（类型与示例）
    #[command(help_template = super::HELP_TEMPLATE, next_help_heading = "参数")]
    Vars {
        /// 文书种类（责任书、函告书、问责决定书、述责述廉表、考核评分表，或英文名）
        #[arg(value_name = "种类", value_parser = parse_form)]
        form: Form,
        /// 取示例值的工作区，默认当前文件夹；没有 zeren.yaml 时用内置示例
        #[arg(value_name = "工作区")]
        workspace: Option<PathBuf>,
    },
    /// 显示内置模板的原文（可复制到工作区 templates/ 下修改）
    #[command(help_template = super::HELP_TEMPLATE, next_help_heading = "参数")]
    Show {
        /// 文书种类（责任书、函告书、问责决定书、述责述廉表、考核评分表，或英文名）
        #[arg(value_name = "种类", value_parser = parse_form)]
        form: Form,
    },
}

/// A form by its own name (述责述廉表, 考核评分表) or its kind's, in Chinese or English.
fn parse_form(s: &str) -> Result<Form, String> {
    Form::parse(s).ok_or_else(|| {
        let names: Vec<String> = Form::ALL.iter().map(|f| format!("{f}（{}）", f.template().trim_end_matches(".xml"))).collect();
        format!("未知的文书种类“{s}”；可用：{}", names.join("、"))
    })
}

/// A kind with more than one form (the 年度报告表) names the others, so none stays hidden.
fn other_forms(form: Form) {
    for other in form.kind().forms().iter().filter(|f| **f != form) {
        eprintln!("提示：{}还有{}模板（{}），用 zeren template show {other} 查看。", form.kind(), other, other.template());
    }
}

pub fn run(args: TemplateArgs) -> u8 {
    match args.command {
        TemplateCommand::Show { form } => {
            match crate::embedded::TEMPLATES.iter().find(|(n, _)| *n == form.template()) {
                Some((_, text)) => print!("{text}"),
                None => {
                    eprintln!("错误：没有 {form} 的内置模板");
                    return 1;
                }
            }
            other_forms(form);
            0
        }
        TemplateCommand::Vars { form, workspace } => vars(form, workspace),
    }
}

fn vars(form: Form, workspace: Option<PathBuf>) -> u8 {
    let root = workspace.unwrap_or_else(|| PathBuf::from("."));
    let (ws, from) = if root.join(crate::load::SETTINGS_FILE).is_file() {
        match crate::load::load(&root) {
            Ok((ws, _)) => (ws, format!("工作区 {}", root.display())),
            Err(problems) => {
                super::report(&problems);
                return 1;
            }
        }
    } else {
        match crate::embedded::sample_workspace() {
            Ok(ws) => (ws, "内置示例".to_string()),
            Err(problems) => {
                super::report(&problems);
                return 1;
            }
        }
    };
    // The first document the build itself would make of this form: the same data, always.
    let selection = Selection { kinds: vec![form.kind()], ..Default::default() };
    let first = plan::plan(&ws, &selection).ok().and_then(|jobs| jobs.into_iter().find(|j| j.form == form));
    let Some(context) = first.and_then(|job| serde_json::to_value(&job.view).ok()) else {
        eprintln!("错误：{from}中没有可生成{form}的数据，无法给出示例");
        return 1;
    };
    println!("{form}模板（{}）可用的变量，示例取自{from}：\n", form.template());
    let mut rows = Vec::new();
    walk("", &context, &mut rows);
    let width = rows.iter().map(|(p, _, _)| p.chars().count()).max().unwrap_or(0);
    for (path, ty, example) in rows {
        let pad = " ".repeat(width - path.chars().count());
        let doc = describe(&path).map(|d| format!("  — {d}")).unwrap_or_default();
        let example = if example.is_empty() { String::new() } else { format!("例：{example}") };
        println!("  {path}{pad}  {ty:<4} {example}{doc}");
    }
    other_forms(form);
    println!("\n过滤器：cn_date（“2026-01-05” → 2026年1月5日）、cn_numeral（3 → 三），以及 Tera 的内置过滤器。");
    0
}

/// Flattens a context into (path, type, example) rows; lists show their first item's fields.
fn walk(prefix: &str, v: &Value, rows: &mut Vec<(String, &'static str, String)>) {
    match v {
        Value::Object(map) => {
            if !prefix.is_empty() {
                rows.push((prefix.to_string(), "映射", String::new()));
            }
            for (k, child) in map {
                let path = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                walk(&path, child, rows);
            }
        }
        Value::Array(items) => {
            rows.push((prefix.to_string(), "列表", format!("{} 项", items.len())));
            if let Some(first) = items.first() {
                walk(&format!("{prefix}[]"), first, rows);
            }
        }
        Value::String(s) => rows.push((prefix.to_string(), "文字", short(s))),
        Value::Number(n) => rows.push((prefix.to_string(), "数字", n.to_string())),
        Value::Bool(b) => rows.push((prefix.to_string(), "真假", b.to_string())),
        Value::Null => rows.push((prefix.to_string(), "可空", "（无）".into())),
    }
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(24).collect();
    if s.chars().count() > 24 { format!("{t}…") } else { t }
}

fn describe(path: &str) -> Option<&'static str> {
    Some(match path {
        "organ" => "发文机关全称（甲方）",
        "code" => "机关代字",
        "year" => "年度",
        "date" => "成文日期，已写成“2026年1月5日”",
        "letter.title" => "责任书标题",
        "letter.basis" => "制定依据列表",
        "letter.basis_text" => "制定依据连成一句",
        "letter.assessment" => "考核条款（未设置时为空）",
        "letter.accountability" => "责任追究条款（未设置时为空）",
        "letter.copies" => "一式几份",
        "unit.name" => "乙方单位名称",
        "unit.type" => "单位类别：处室/党支部/直属单位",
        "unit.leader" => "乙方负责人 {name, title}",
        "unit.supervisor" => "分管领导 {name, title}，可空",
        "unit.members" => "班子成员 [{name, title, portfolio}]",
        "unit.duties" => "本单位特有的责任",
        "party_a_signer" => "代表甲方签字的人（书记或分管领导）",
        "signed_by_supervisor" => "甲方是否由分管领导签字",
        "groups" => "适用于本单位类别的责任组",
        "groups[].subject" => "责任主体（二级标题）",
        "groups[].duties" => "该组的责任条目",
        _ => return describe_decision(path),
    })
}

/// The 问责决定书's own variables.
fn describe_decision(path: &str) -> Option<&'static str> {
    Some(match path {
        "doc_no" => "文号，如 江财党〔2026〕12号",
        "letterhead" => "发文机关标志（不加红头时为空）",
        "case_id" => "案件编号",
        "subject.type" => "问责对象类型：党组织 或 领导干部",
        "subject.is_cadre" => "是否领导干部",
        "subject.name" => "党组织全称或领导干部姓名",
        "subject.unit" => "单位名单中的单位名称",
        "subject.unit_full" => "决定书上印的单位全称",
        "subject.gender" => "领导干部的性别",
        "subject.born" => "领导干部的出生年月，已写成“1978年6月”",
        "subject.political" => "领导干部的政治面貌",
        "subject.post" => "领导干部的职务",
        "subject.leader" => "党组织的主要负责人",
        "source" => "案件来源（可空）",
        "facts" => "事实（经查……）",
        "duty" => "未履行的责任：主体责任/监督责任/领导责任（可空）",
        "responsibility" => "责任类型：全面/主要/重要领导责任或直接责任",
        "situation.item" => "《中国共产党问责条例》第七条的项号（1–11），用 cn_numeral 写成“八”",
        "situation.name" => "该项问责情形的简称",
        "article8.clause" => "第八条的款：对党组织为 1，对领导干部为 2",
        "article8.items" => "各问责方式在该款中的项号，按条例顺序",
        "combined" => "合并使用几种问责方式（应同时引第八条第三款）",
        "local_basis" => "其他依据（如地方实施办法条款）",
        "methods" => "问责方式，按第八条的顺序",
        "methods[].method" => "检查、通报、改组、诫勉、组织调整或者组织处理、纪律处分",
        "methods[].item" => "该方式在第八条该款中的项号",
        "methods[].scope" => "通报范围，如“在市财政局系统内”",
        "methods[].form" => "诫勉方式：谈话 或 书面",
        "methods[].measure" => "组织调整或者组织处理的措施：停职检查、调整职务、责令辞职、降职、免职",
        "methods[].sanction" => "纪律处分的种类，如 党内警告",
        "organisational" => "是否有组织调整或者组织处理（手续1个月内办理完毕）",
        "plea.said" => "陈述申辩的内容（放弃时可为空）",
        "plea.result" => "无异议、采纳、部分采纳、不予采纳 或 放弃",
        "plea.reason" => "（部分）不予采纳的理由",
        "mitigating" => "从轻情节（可空）",
        "aggravating" => "从重情节（可空）",
        "execution" => "模板之外的执行要求",
        "appeal" => "zeren.yaml 中自定的申诉告知；为空时用模板的（写明向发文机关申诉）",
        "cc" => "抄送单位列表",
        "cc_text" => "抄送连成一句，以“。”结尾",
        "issuer" => "版记中的印发机关",
        _ => return None,
    })
}
