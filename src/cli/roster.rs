//! `zeren roster template [-o 名单模板.xlsx] [--force]`: a blank workbook for the secretariat
//! to fill in, shaped exactly as `load::roster` reads it (headers come from `Field::label`, so
//! the two cannot drift apart). Byte-for-byte the same on every run: the creation date is fixed.

use crate::write::roster_template::template_xlsx_for;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct RosterArgs {
    #[command(subcommand)]
    pub command: RosterCommand,
}

#[derive(Subcommand, Debug)]
pub enum RosterCommand {
    /// 生成空白名单模板（单位名单、问责案件两张表，另附填写说明）
    #[command(help_template = super::HELP_TEMPLATE, next_help_heading = "选项", override_usage = "zeren roster template [选项]")]
    Template {
        /// 输出文件，默认 名单模板.xlsx
        #[arg(short = 'o', long = "output", value_name = "文件")]
        output: Option<PathBuf>,
        /// 覆盖已有的同名文件
        #[arg(long)]
        force: bool,
        /// 工作区文件夹：“类别”列的下拉选项用其 zeren.yaml 的单位类别（kinds）；默认当前文件夹，没有 zeren.yaml 时用内置的 处室、党支部、直属单位
        #[arg(short = 'w', long = "workspace", value_name = "工作区")]
        workspace: Option<PathBuf>,
    },
}

pub fn run(args: RosterArgs) -> u8 {
    match args.command {
        RosterCommand::Template { output, force, workspace } => {
            template(output.unwrap_or_else(|| PathBuf::from("名单模板.xlsx")), force, workspace.unwrap_or_else(|| PathBuf::from(".")))
        }
    }
}

fn template(output: PathBuf, force: bool, workspace: PathBuf) -> u8 {
    if output.is_dir() {
        eprintln!("错误：{} 是文件夹；请用 -o 指定要写出的文件名，如 -o 名单模板.xlsx", output.display());
        return 1;
    }
    if output.exists() && !force {
        eprintln!("错误：{} 已存在，未覆盖（如确需覆盖，请加 --force）", output.display());
        return 1;
    }
    if !workspace.is_dir() {
        eprintln!("错误：{}: 工作区文件夹不存在", workspace.display());
        return 1;
    }
    let kinds = match crate::load::workspace_kinds(&workspace) {
        Ok(k) => k,
        Err(problems) => {
            super::report(&problems);
            return 1;
        }
    };
    let bytes = match template_xlsx_for(&kinds) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("错误：生成名单模板失败：{e}");
            return 1;
        }
    };
    if let Err(e) = crate::write::atomic_write(&output, &bytes) {
        eprintln!("错误：{e}");
        return 1;
    }
    println!("已写出名单模板：{}", output.display());
    0
}
