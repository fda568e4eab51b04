//! `zeren check`: everything `build` does — load, plan, render, parse, rules, layout — in memory,
//! writing no file; every problem reported, as text, JSON or JUnit.

use super::{parse_kind, workspace_dir};
use crate::diag::report::{self, Case};
use crate::diag::{Place, Problems};
use crate::embedded;
use crate::load::{LoadOptions, Scope, UnitsFrom};
use crate::model::Kind;
use crate::plan::Selection;
use crate::site::{Checked, Door, Request};
use clap::{Args, ValueEnum};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// 工作区文件夹（含 zeren.yaml），默认当前文件夹
    #[arg(value_name = "工作区")]
    pub workspace: Option<PathBuf>,
    /// 输出格式：text（给人看，默认）、json（给程序）、junit（给 CI 的测试报告）
    #[arg(long, value_enum, default_value = "text", value_name = "格式", hide_default_value = true, hide_possible_values = true)]
    pub format: Format,
    /// 只检查这些种类，可重复
    #[arg(short = 'k', long = "kind", value_name = "种类", value_parser = parse_kind)]
    pub kinds: Vec<Kind>,
    /// 用这个 Excel 名单（xlsx/xls/ods）作为单位名单，代替 data/units.yaml
    #[arg(long, value_name = "名单")]
    pub roster: Option<PathBuf>,
    /// 名单所在的工作表
    #[arg(long, value_name = "工作表")]
    pub sheet: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Junit,
}

pub fn run(args: CheckArgs) -> u8 {
    let root = match workspace_dir(args.workspace) {
        Ok(root) => root,
        Err(code) => return code,
    };
    // Without --kind every kind's data is checked (what a team's CI wants); with it, as a build would.
    let request = Request {
        units: super::units_from(args.roster),
        sheet: args.sheet,
        selection: Selection { kinds: args.kinds, ..Default::default() },
        ..Request::new(&root, Door::Check)
    };
    let outcome = check(&request);
    let problems = &outcome.problems.0;
    let errors = problems.iter().filter(|p| p.is_error()).count();
    match args.format {
        Format::Text => {
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            print!("{}", report::text(problems, &source_of, color));
            let warnings = problems.len() - errors;
            if errors == 0 {
                println!("检查通过：{} 份文书均可生成{}", outcome.documents, tail(warnings));
            } else {
                println!("检查未通过：{errors} 处错误{}（{} 份文书）", tail(warnings), outcome.documents);
            }
        }
        Format::Json => println!("{}", report::json(problems, outcome.documents)),
        Format::Junit => print!("{}", report::junit(&outcome.cases)),
    }
    if errors > 0 { 1 } else { 0 }
}

fn tail(warnings: usize) -> String {
    if warnings > 0 { format!("，{warnings} 处提示") } else { String::new() }
}

/// Loads, plans and checks every document of the request; the load and the plan are test
/// cases of their own in the JUnit report, the hints about 责任书 with the load's.
pub fn check(request: &Request) -> Checked {
    let (site, loaded) = request.open();
    let mut cases = vec![Case { suite: "工作区".into(), name: "数据与模板".into(), problems: loaded.0.clone() }];
    let mut problems = loaded;
    let Some(site) = site else {
        // The data could not be read: the Word templates need only zeren.yaml, and are checked too.
        let found = unloaded_word_templates(request);
        if !found.is_empty() {
            cases.push(Case { suite: "工作区".into(), name: "Word 模板".into(), problems: found.0.clone() });
            problems.extend(found);
        }
        return Checked { problems, cases, documents: 0 };
    };
    // The workspace's own Word templates: every field known, every loop closed.
    let (_, found) = request.listed(&site);
    if !site.workspace.settings.word_templates.is_empty() && request.selection.kinds.is_empty() {
        cases.push(Case { suite: "工作区".into(), name: "Word 模板".into(), problems: found.0.clone() });
        problems.extend(found);
    }
    let checked = match request.plan(&site, &[]) {
        Ok(planned) => {
            cases[0].problems.extend(planned.hints.0.iter().cloned());
            problems.extend(planned.hints);
            site.check(&planned.jobs)
        }
        Err(found) => {
            cases.push(Case { suite: "工作区".into(), name: "选择".into(), problems: found.0.clone() });
            Checked { problems: found, cases: Vec::new(), documents: 0 }
        }
    };
    problems.extend(checked.problems);
    cases.extend(checked.cases);
    Checked { problems: Problems(problems.0), cases, documents: checked.documents }
}

/// The problems of the Word templates zeren.yaml lists, read without the data (which failed to
/// load); none when zeren.yaml itself cannot be read, or `--kind` chose kinds.
fn unloaded_word_templates(request: &Request) -> Problems {
    let options = LoadOptions { units: UnitsFrom::Deferred, sheet: None, scope: Scope::Kinds(Vec::new()) };
    match crate::load::load_with_options(&request.root, &options) {
        Ok((ws, _)) if request.selection.kinds.is_empty() => crate::wordtpl::listed(&ws).1,
        _ => Problems::new(),
    }
}

/// The text a problem's file holds: from disk, or a built-in template from the binary.
fn source_of(place: &Place) -> Option<String> {
    match place {
        Place::Builtin { template, .. } => embedded::TEMPLATES.iter().find(|(n, _)| n == template).map(|(_, t)| t.to_string()),
        other => std::fs::read_to_string(other.file()?).ok(),
    }
}
