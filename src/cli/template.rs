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
    /// 把去年的 Word 文书（.docx）导入为 zeren 模板：措辞、一、（一）1. 标题、表格和 {{字段}} 都带入
    #[command(
        help_template = super::HELP_TEMPLATE,
        next_help_heading = "选项",
        override_usage = "zeren template import <文档> [工作区] --kind <种类> [-o 文件] [--force]"
    )]
    Import {
        /// 要导入的 Word 文档（.docx）
        #[arg(value_name = "文档")]
        file: PathBuf,
        /// 工作区，默认当前文件夹（取其数据检查导入的模板；没有 zeren.yaml 时用内置示例）
        #[arg(value_name = "工作区")]
        workspace: Option<PathBuf>,
        /// 文书种类（责任书、函告书、问责决定书……）
        #[arg(long = "kind", value_name = "种类", value_parser = parse_form)]
        form: Form,
        /// 写到这个文件，默认写到工作区 templates/ 下该种类的模板名（如 responsibility-letter.xml）
        #[arg(short = 'o', long = "output", value_name = "文件")]
        output: Option<PathBuf>,
        /// 目标文件已存在时覆盖
        #[arg(long)]
        force: bool,
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
        TemplateCommand::Import { file, workspace, form, output, force } => import(&file, workspace, form, output, force),
    }
}

/// The workspace at `root`, or the built-in samples when it has no zeren.yaml; with where from.
fn workspace_or_samples(root: &std::path::Path) -> Result<(crate::model::Workspace, String, bool), u8> {
    let loaded = if root.join(crate::load::SETTINGS_FILE).is_file() {
        crate::load::load(root).map(|(ws, _)| (ws, format!("工作区 {}", root.display()), true))
    } else {
        crate::embedded::sample_workspace().map(|ws| (ws, "内置示例".to_string(), false))
    };
    loaded.map_err(|problems| {
        super::report(&problems);
        1
    })
}

fn import(file: &std::path::Path, workspace: Option<PathBuf>, form: Form, output: Option<PathBuf>, force: bool) -> u8 {
    let root = workspace.unwrap_or_else(|| PathBuf::from("."));
    let (ws, from, real) = match workspace_or_samples(&root) {
        Ok(found) => found,
        Err(code) => return code,
    };
    let target = match output {
        Some(path) => path,
        None if real => root.join("templates").join(form.template()),
        None => {
            eprintln!("错误：{} 不是工作区（没有 zeren.yaml）；请指明工作区，或用 -o 指定写到哪个文件", root.display());
            return 1;
        }
    };
    if target.exists() && !force {
        eprintln!("错误：{} 已存在，未覆盖；确要覆盖请加 --force", target.display());
        return 1;
    }
    let imported = match crate::wordtpl::import::import(file, form, &ws) {
        Ok(imported) => imported,
        Err(problems) => {
            super::report(&problems);
            return 1;
        }
    };
    let written = target.parent().filter(|d| !d.as_os_str().is_empty()).map_or(Ok(()), std::fs::create_dir_all).and_then(|()| {
        // Whole or not at all: a half-written template would break the next build.
        let tmp = target.with_extension("xml.importing");
        std::fs::write(&tmp, &imported.markup).and_then(|()| std::fs::rename(&tmp, &target))
    });
    if let Err(e) = written {
        eprintln!("错误：无法写入 {}：{e}", target.display());
        return 1;
    }
    println!(
        "已导入：{} → {}（标题 {} 个、段落 {} 个、表格 {} 个；已用{from} 的数据检查可生成）",
        file.display(),
        target.display(),
        imported.headings,
        imported.paragraphs,
        imported.tables
    );
    if !imported.replaced.is_empty() {
        println!("与{from} 的数据相同的文字已换成字段：");
        for r in &imported.replaced {
            println!("  {r}");
        }
    }
    if !imported.added.is_empty() {
        println!("{form}必须有而原文没有的，已按内置模板补上：{}", imported.added.join("、"));
    }
    if !imported.dropped.is_empty() {
        println!("未能带入（模板中在原处留有注释）：");
        for d in &imported.dropped {
            println!("  {d}");
        }
    }
    println!("用 zeren build 按 GB/T 9704 排版；变量见 zeren template vars {form}。");
    0
}

fn vars(form: Form, workspace: Option<PathBuf>) -> u8 {
    let root = workspace.unwrap_or_else(|| PathBuf::from("."));
    let (ws, from) = match workspace_or_samples(&root) {
        Ok((ws, from, _)) => (ws, from),
        Err(code) => return code,
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
    // With its Chinese name: what a Word template writes as {{单位名称}}.
    let named: Vec<(String, String, &str, String)> =
        rows.into_iter().map(|(path, ty, example)| (chinese(form, &path), path, ty, example)).collect();
    let name_width = named.iter().map(|(c, ..)| display_width(c)).max().unwrap_or(0);
    let width = named.iter().map(|(_, p, ..)| p.chars().count()).max().unwrap_or(0);
    for (name, path, ty, example) in named {
        let name_pad = " ".repeat(name_width - display_width(&name));
        let pad = " ".repeat(width - path.chars().count());
        let doc = describe(&path).map(|d| format!("  — {d}")).unwrap_or_default();
        let example = if example.is_empty() { String::new() } else { format!("例：{example}") };
        println!("  {path}{pad}  {name}{name_pad}  {ty:<4} {example}{doc}");
    }
    other_forms(form);
    println!(
        "\nWord 模板（zeren build --template 文件.docx）写 {{{{单位名称}}}} 或 {{{{unit.name}}}}；列表用 {{{{#名称}}}}…{{{{/名称}}}} 重复，其中写每项的字段，{{{{.}}}} 为该项本身；{{{{?名称}}}}…{{{{/名称}}}} 只在有值时保留。"
    );
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
    // The signing parties share one shape, whatever the form calls them.
    for party in ["party_a", "party_b", "recipient", "assessors", "assessed"] {
        if let Some(field) = path.strip_prefix(party).and_then(|p| p.strip_prefix('.')) {
            return party_field(field);
        }
    }
    Some(match path {
        "organ" => "发文机关全称（甲方）",
        "code" => "机关代字",
        "year" => "年度",
        "date" => "成文日期，已写成“2026年1月5日”",
        "title" => "标题（一岗双责责任书：2026年度党风廉政建设“一岗双责”责任书，zeren.yaml 设了 letter.title 时用它）",
        "tier" => "责任书层级：班子成员（党委与班子成员）、单位（党委与各单位）、副职（单位负责人与班子副职）",
        "letter.title" => "责任书标题",
        "letter.basis" => "制定依据列表",
        "letter.basis_text" => "制定依据连成一句",
        "letter.assessment" => "考核条款（未设置时为空；{本单位} 已按乙方替换）",
        "letter.accountability" => "责任追究条款（未设置时为空；{本单位} 已按乙方替换）",
        "letter.copies" => "一式几份",
        "unit" => "单位（一岗双责责任书中为副职所在单位，班子成员的为空）",
        "unit.name" => "单位名称（责任书乙方、函告书主送）",
        "unit.type" => "单位类别（zeren.yaml 的 kinds；默认 处室、党支部、直属单位）",
        "unit.party" => "该类别是否党组织（kinds 的 party）：党组织承担主体责任，否则责任书不写主体责任、第一责任人",
        "unit.own" => "单位自称（kinds 的 own）：本处室、本支部、本单位、本乡镇……",
        "unit.you" => "对单位的称呼（kinds 的 you）：你处（你室）、你支部、你单位、你乡镇……",
        "unit.head" => "单位负责人的签字身份（kinds 的 head）：负责人、支部书记、主要负责人、党委书记……",
        "unit.seal" => "该单位是否盖章（kinds 的 seal，或 zeren.yaml 的 seals；处室默认不盖章）",
        "unit.tags" => "单位标签，如 离退休（责任组可 exclude）",
        "unit.leader" => "单位负责人 {name, title}",
        "unit.supervisor" => "分管领导 {name, title}，可空",
        "unit.members" => "单位班子副职 [{name, title, portfolio}]",
        "unit.duties" => "本单位特有的责任",
        "unit.phone" => "联系电话，可空",
        "party_a" => "签署栏甲方：谁盖章、谁签字",
        "party_b" => "签署栏乙方：谁盖章、谁签字",
        "recipient" => "回执的收函单位：是否盖章、签收人",
        "assessors" => "评分表签署栏：考核组（成员签字，不盖章）",
        "assessed" => "评分表签署栏：被考核单位（负责人签字；有印章的单位另盖章）",
        "party_a_signer" => "代表甲方签字的人（书记或分管领导）",
        "signed_by_supervisor" => "甲方是否由分管领导签字",
        "person" => "一岗双责责任书的乙方本人 {name, title, portfolio}",
        "person.portfolio" => "分管工作（zeren.yaml 或 units.yaml 的 members 所写），可空",
        "units" => "班子成员分管的单位（名单中分管领导为其本人的单位，按名单顺序）",
        "units_text" => "分管单位连成一句：预算处、国库处、市会计核算中心",
        "groups" => "适用于这份责任书的责任组（按单位类别、班子成员或副职，除去 exclude 的）",
        "groups[].subject" => "责任主体（二级标题）",
        "groups[].duties" => "该组的责任条目（{本单位} 已替换）",
        "doc_no" => "文号（新文号由 zeren build 分配并记入文号台账）",
        "intro" => "开头段（tasks.yaml 的 intro，{你单位} 已替换），可空",
        "tasks[].requirement" => "具体要求（{你单位}、{本单位} 已替换）",
        "tasks[].deadline" => "完成时限：“2026年6月30日前”或“全年”“每季度末”等",
        "tasks[].dated" => "完成时限是否为日期（否则为全年、每季度末等持续性任务）",
        "tasks[].lead" => "牵头部门（负责指导督促；收函单位是责任单位）",
        "tasks[].owner" => "牵头人，可空",
        "dated" => "完成时限为日期的任务序号：请于完成时限前报告",
        "ongoing" => "完成时限为全年、每季度末等的任务序号：按时限要求报告",
        "report_to" => "完成情况报送对象（回执报送对象）",
        "receipt_due" => "回执报送日期，可空",
        "gender" => "性别，可空",
        "birth" => "出生年月，已写成“1979年8月”，可空",
        "political" => "政治面貌，可空",
        "appointed" => "任职时间，已写成“2021年3月”，可空",
        "sections" => "述责述廉情况各栏（履行责任、政治纪律、八项规定、廉洁自律、个人有关事项）",
        "problems" => "存在问题 {label, text}",
        "measures" => "整改措施 {label, text}",
        "unit_type" => "被考核单位的类别（不在名单中时为空）",
        "categories[].max" => "本类别中适用于该单位的项目分值合计",
        "categories[].applicable" => "本类别是否有适用于该单位类别的项目",
        "categories[].rows[].applicable" => "该项目是否适用于该单位类别（否：不适用，不评分、不计入满分）",
        "base_max" => "基础分满分：适用于该单位的项目分值合计",
        "base_totals" => "各评分主体的基础分合计",
        "base_total" => "决定得分的评分主体的基础分合计",
        "converted" => "基础分折算为百分制（有不适用项目时；否则为空列表）",
        "converted_total" => "决定得分的评分主体的折算基础分，可空",
        "totals" => "各评分主体的合计：基础分（或折算基础分）＋加分",
        "total" => "得分：决定得分的评分主体的合计",
        "full_marks" => "考核方案满分（基础分）",
        "total_max" => "合计的分值：满分＋加分上限，如“100+5”",
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
        "responsibility" => "责任类型：全面/主要/重要领导责任（问责条例第六条；没有直接责任）",
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
        "new_post" => "调整职务、降职后的职务（组织处理措施“调整职务：××”冒号后所写）",
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

/// The fields every signing party has.
fn party_field(field: &str) -> Option<&'static str> {
    Some(match field {
        "role" => "这一方的称谓：甲方、乙方、收函单位、考核组、被考核单位",
        "name" => "这一方：机关或单位名称；本人签署时为姓名",
        "seal" => "这一方是否盖章：党委和有印章的单位为 true，处室和个人为 false",
        "person" => "这一方是否为个人（班子成员、副职）：只签字，不盖章",
        "signer" => "手写签字的人 {name, title, capacity, label}",
        "signer.name" => "签字人姓名（印在签字处旁或下方，不占签字的位置），可空",
        "signer.title" => "签字人职务",
        "signer.capacity" => "签字身份：书记、分管领导、负责人、支部书记、主要负责人、本人、考核组成员",
        "signer.label" => "签字行的标签，如“书记（签字）”",
        _ => return None,
    })
}

/// A path's Chinese name, or "—" (a list's items are `{{.}}`, not named).
fn chinese(form: Form, path: &str) -> String {
    if path.ends_with("[]") {
        return "{{.}}".to_string();
    }
    crate::wordtpl::names::chinese(form, path).unwrap_or("—").to_string()
}

/// Columns a Chinese character takes in a terminal.
fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}
