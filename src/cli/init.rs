//! `zeren init [DIR]`: writes the built-in sample workspace, never over a file that exists.

use crate::embedded;
use clap::Args;
use std::path::PathBuf;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// 新工作区的文件夹，默认当前文件夹
    #[arg(value_name = "文件夹")]
    pub dir: Option<PathBuf>,
    /// 覆盖已有的同名文件
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: InitArgs) -> u8 {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    if dir.exists() && !dir.is_dir() {
        eprintln!("错误：{}: 已存在且不是文件夹", dir.display());
        return 2;
    }
    let existing: Vec<PathBuf> = embedded::SAMPLES.iter().map(|(rel, _)| dir.join(rel)).filter(|p| p.exists()).collect();
    if !existing.is_empty() && !args.force {
        eprintln!("错误：以下文件已存在，未覆盖（如确需覆盖，请加 --force）：");
        for p in &existing {
            eprintln!("    {}", p.display());
        }
        return 1;
    }
    for (rel, text) in embedded::SAMPLES {
        if let Err(e) = crate::write::atomic_write(&dir.join(rel), text.as_bytes()) {
            eprintln!("错误：{e}");
            return 1;
        }
    }
    println!("已新建工作区 {}：", dir.display());
    for (rel, _) in embedded::SAMPLES {
        println!("    {}", dir.join(rel).display());
    }
    println!("下一步：zeren build {} -o out", dir.display());
    0
}
