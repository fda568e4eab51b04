//! The command line: one file per subcommand. Exit codes (design, settled 8): 0 done,
//! 1 problems in the input (all listed), 2 usage error. Argument errors are in Chinese too.

pub mod build;
pub mod check;
pub mod init;
pub mod roster;
pub mod serve;
pub mod template;

use crate::diag::Problems;
use crate::model::{Kind, Tier};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

const HELP_TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

#[derive(Parser, Debug)]
#[command(
    name = "zeren",
    version,
    about = "zeren（责任）：由 YAML/Excel 数据批量生成符合 GB/T 9704 的党风廉政建设公文（DOCX）",
    help_template = HELP_TEMPLATE,
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    next_help_heading = "选项"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    help: Option<bool>,
    /// 显示版本
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 生成文书：每个单位一份 DOCX，写入输出文件夹
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "zeren build [选项] [工作区]")]
    Build(build::BuildArgs),
    /// 检查工作区：加载数据、渲染并排版全部文书，但不写任何文件；可输出 text/json/junit
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "zeren check [选项] [工作区]")]
    Check(check::CheckArgs),
    /// 模板工具：列出模板可用变量（vars）、显示内置模板（show）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Template(template::TemplateArgs),
    /// 新建工作区：为本单位写出设置、责任清单和空白名单（--preset 选单位形态，--example 写出示例工作区）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "zeren init [选项] [文件夹]")]
    Init(init::InitArgs),
    /// 名单工具：生成空白名单模板（template）
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", subcommand_help_heading = "命令", subcommand_value_name = "命令")]
    Roster(roster::RosterArgs),
    /// 网页服务：在浏览器中上传名单、下载文书，使用本工作区的模板和设置
    #[command(help_template = HELP_TEMPLATE, next_help_heading = "选项", override_usage = "zeren serve [选项] [工作区]")]
    Serve(serve::ServeArgs),
}

/// `--kind` values: English or Chinese names.
pub fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::parse(s).ok_or_else(|| format!("未知的文书种类“{s}”；可用：{}", Kind::known_list()))
}

/// `--tier` values.
pub fn parse_tier(s: &str) -> Result<Tier, String> {
    Tier::parse(s).ok_or_else(|| format!("未知的责任书层级“{s}”；可用：{}", Tier::known_list()))
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(e),
    };
    let code = match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Template(args) => template::run(args),
        Command::Init(args) => init::run(args),
        Command::Roster(args) => roster::run(args),
        Command::Serve(args) => serve::run(args),
    };
    ExitCode::from(code)
}

/// Prints problems, errors last so they stay in view; warnings do not fail a run.
pub fn report(problems: &Problems) {
    eprint!("{}", crate::diag::report::plain(problems));
}

/// clap's errors, in Chinese; help and version go to stdout with exit 0.
fn usage_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            let _ = e.print();
            eprintln!(
                "请指定命令：build（生成文书）、check（检查）、template（模板工具）、init（新建工作区）、roster（名单工具）或 serve（网页服务）。"
            );
            return ExitCode::from(2);
        }
        _ => {}
    }
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("、"),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let message = match e.kind() {
        ErrorKind::UnknownArgument => format!("未知的参数 {}", ctx(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => {
            // Under `zeren roster` or `zeren template`, name that command's own subcommands.
            let cli = <Cli as clap::CommandFactory>::command();
            let parent = std::env::args().nth(1).and_then(|a| cli.find_subcommand(&a).filter(|c| c.has_subcommands()).cloned());
            let (owner, names): (String, Vec<String>) = match &parent {
                Some(p) => (format!("zeren {} ", p.get_name()), p.get_subcommands().map(|c| c.get_name().to_string()).collect()),
                None => (String::new(), cli.get_subcommands().map(|c| c.get_name().to_string()).collect()),
            };
            format!("未知的命令 {}；{owner}可用命令：{}", ctx(ContextKind::InvalidSubcommand), names.join("、"))
        }
        ErrorKind::InvalidValue => {
            let valid = ctx(ContextKind::ValidValue);
            let valid = if valid.is_empty() { String::new() } else { format!("；可用：{valid}") };
            format!("参数 {} 的值“{}”无效{valid}", ctx(ContextKind::InvalidArg), ctx(ContextKind::InvalidValue))
        }
        ErrorKind::ValueValidation => {
            let source = std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default();
            format!("参数 {} 的值无效：{source}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数 {}", ctx(ContextKind::InvalidArg)),
        ErrorKind::ArgumentConflict => match ctx(ContextKind::PriorArg) {
            prior if prior.is_empty() => format!("参数 {} 不能同时使用", ctx(ContextKind::InvalidArg)),
            prior => format!("参数 {} 与 {prior} 不能同时使用", ctx(ContextKind::InvalidArg)),
        },
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("参数个数不对：{}", ctx(ContextKind::InvalidArg))
        }
        _ => format!("参数有误：{}", e.render().to_string().lines().next().unwrap_or_default()),
    };
    eprintln!("错误：{message}\n用法见 zeren --help 或 zeren build --help。");
    ExitCode::from(2)
}

/// `--roster`, or the workspace's own unit list.
pub fn units_from(roster: Option<PathBuf>) -> crate::load::UnitsFrom {
    roster.map_or(crate::load::UnitsFrom::Workspace, crate::load::UnitsFrom::Roster)
}

/// The workspace argument (the current folder by default), which must be a folder holding
/// zeren.yaml: anything else is a usage error (exit 2), said the same way by every command.
pub fn workspace_dir(arg: Option<PathBuf>) -> Result<PathBuf, u8> {
    let root = arg.unwrap_or_else(|| PathBuf::from("."));
    if root.is_file() {
        eprintln!("错误：{}: 这是一个文件，不是工作区文件夹（工作区是含有 zeren.yaml 的文件夹）", root.display());
        return Err(2);
    }
    if !root.is_dir() {
        eprintln!("错误：{}: 工作区文件夹不存在（新建工作区：zeren init {}）", root.display(), root.display());
        return Err(2);
    }
    let settings = root.join(crate::load::SETTINGS_FILE);
    if !settings.is_file() {
        eprintln!("错误：{}: 不是工作区：找不到设置文件 zeren.yaml（用 zeren init 新建工作区，或指明工作区文件夹）", root.display());
        return Err(2);
    }
    Ok(root)
}
