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
        _ => return None,
    })
}
