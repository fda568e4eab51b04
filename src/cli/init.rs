//! `zeren init [DIR]`: a workspace for one's own organisation — settings to fill in, the standard
//! duty catalogue and an empty roster workbook named as the unit source; `--preset` picks the
//! organisation's shape (机关, 县区, 国企, 高校: its unit kinds, wording and duties); `--example`
//! writes the sample workspace instead. Never over a file that exists (unless `--force`), never
//! through a symlink, and nothing at all when anything is in the way.

use crate::embedded::{self, Preset};
use crate::model::UnitKinds;
use crate::write::roster_template::template_xlsx_for;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct InitArgs {
    /// 新工作区的文件夹，默认当前文件夹
    #[arg(value_name = "文件夹")]
    pub dir: Option<PathBuf>,
    /// 按本单位的形态写出单位类别、措辞和责任清单：机关（默认，机关党委与处室、党支部、直属单位）、县区（县委与乡镇、县直部门）、国企（企业党委与职能部门、二级单位党组织）、高校（学校党委与院系、职能部门）
    #[arg(long, value_name = "形态", value_parser = parse_preset, conflicts_with = "example")]
    pub preset: Option<Preset>,
    /// 写出示例工作区（虚构的单位、任务、案件和考核数据），用来了解各种文书的写法
    #[arg(long)]
    pub example: bool,
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
    let starter = if args.example { None } else { Some(args.preset.unwrap_or(Preset::Organ)) };
    let (files, kinds) = match starter.map(|p| starter_files(p, year_in_name(&dir).or_else(|| year_in_name(&full_path(&dir))))) {
        None => (embedded::SAMPLES.iter().map(|(rel, text)| (rel.to_string(), text.as_bytes().to_vec())).collect(), None),
        Some(Ok((files, kinds))) => (files, Some(kinds)),
        Some(Err(code)) => return code,
    };
    // Everything is looked at before the first file is written; nothing through a symlink.
    if let Err(e) = crate::write::write_new_files(&dir, &files, args.force) {
        eprintln!("错误：{e}");
        return 1;
    }
    let shape = args.preset.map(|p| format!("（{}）", p.name())).unwrap_or_default();
    println!("已新建工作区 {}{shape}：", dir.display());
    for (rel, _) in &files {
        println!("    {}", dir.join(rel).display());
    }
    let shown = dir.display();
    match kinds {
        None => println!("这是示例工作区（单位、人员、案件均为虚构）。下一步：zeren build {shown} -o 示例输出"),
        Some(kinds) => {
            println!("下一步：");
            println!("  1. 打开 {shown}/zeren.yaml，把标有 × 的内容换成本单位的信息，核对年度和成文日期；");
            println!(
                "  2. 用 Excel 或 WPS 打开 {shown}/{}，在“单位名单”表中逐行填入各单位，类别从下拉列表选择（{}）；",
                embedded::STARTER_ROSTER,
                kinds.list()
            );
            println!("  3. 运行 zeren build {shown}，文书生成在 {shown}/out 中。");
        }
    }
    0
}

/// `--preset` values.
fn parse_preset(s: &str) -> Result<Preset, String> {
    Preset::parse(s).ok_or_else(|| format!("未知的形态“{s}”；可用：{}", Preset::known_list()))
}

/// The starter of `preset` for the year, by path relative to the new workspace, with the roster
/// whose 类别 dropdown offers the kinds its zeren.yaml defines (read as a build reads them); or
/// the exit code, said.
fn starter_files(preset: Preset, named: Option<i32>) -> Result<(Vec<(String, Vec<u8>)>, UnitKinds), u8> {
    let (year, date) = named.map_or_else(default_year, |y| (y, format!("{y}-01-05")));
    let mut files: Vec<(String, Vec<u8>)> = preset
        .files()
        .iter()
        .map(|(rel, text)| (rel.to_string(), text.replace("{{YEAR}}", &year.to_string()).replace("{{DATE}}", &date).into_bytes()))
        .collect();
    let settings = files.iter().find(|(rel, _)| rel == crate::load::SETTINGS_FILE).map_or(&[][..], |(_, t)| t);
    let kinds =
        crate::load::settings_kinds(&String::from_utf8_lossy(settings), Path::new(crate::load::SETTINGS_FILE)).map_err(|problems| {
            super::report(&problems);
            1u8
        })?;
    let roster = template_xlsx_for(&kinds).map_err(|e| {
        eprintln!("错误：生成名单模板失败：{e}");
        1u8
    })?;
    files.push((embedded::STARTER_ROSTER.to_string(), roster));
    Ok((files, kinds))
}

/// The folder as the system knows it: `.` or `..` become the folder's own name
/// (`cd 2031年度 && zeren init`).
fn full_path(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap_or_else(|_| std::env::current_dir().map(|c| c.join(dir)).unwrap_or_else(|_| dir.to_path_buf()))
}

/// A year the folder is named for (`zeren init 2026年度`): the user has said which year it is.
fn year_in_name(dir: &Path) -> Option<i32> {
    let name = dir.file_name()?.to_string_lossy().into_owned();
    let digits: Vec<char> = name.chars().collect();
    digits.windows(4).enumerate().find_map(|(i, w)| {
        let alone = (i == 0 || !digits[i - 1].is_ascii_digit()) && digits.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
        let year: i32 = w.iter().collect::<String>().parse().ok()?;
        (alone && (2000..=2099).contains(&year)).then_some(year)
    })
}

/// The year the letters are for, where the folder's name does not say: this one, or the next
/// from October on (when the secretariat prepares next year's round); the date its first
/// working days.
fn default_year() -> (i32, String) {
    let days = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() / 86_400).unwrap_or(0);
    let (y, m) = civil_from_days(days as i64);
    let year = if m >= 10 { y + 1 } else { y };
    (year, format!("{year}-01-05"))
}

/// Days since 1970-01-01 → (year, month), the proleptic Gregorian calendar (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m)
}

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::civil_from_days(0), (1970, 1));
        assert_eq!(super::civil_from_days(20_788), (2026, 12)); // 2026-12-01
        assert_eq!(super::civil_from_days(20_454), (2026, 1)); // 2026-01-01
    }

    #[test]
    fn every_starter_defines_its_kinds_as_a_build_reads_them() {
        use crate::embedded::Preset;
        let kinds = |p: Preset| super::starter_files(p, Some(2027)).map(|(_, k)| k.list()).unwrap_or_default();
        assert_eq!(kinds(Preset::Organ), "处室、党支部、直属单位");
        assert_eq!(kinds(Preset::County), "乡镇党委、街道党工委、县直部门党组（党委）、县委工作部门");
        assert_eq!(kinds(Preset::Enterprise), "职能部门、二级单位党委、二级单位党总支、直属党支部");
        assert_eq!(kinds(Preset::University), "院系党委（党总支）、职能部门");
    }

    #[test]
    fn a_folder_named_for_a_year_gives_the_year() {
        let year = |s: &str| super::year_in_name(std::path::Path::new(s));
        assert_eq!(year("2026年度"), Some(2026));
        assert_eq!(year("/home/a/责任书2027"), Some(2027));
        assert_eq!(year("工作区"), None);
        assert_eq!(year("20261"), None, "five digits are no year");
        assert_eq!(year("1999年"), None);
    }
}
