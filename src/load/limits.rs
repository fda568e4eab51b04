//! Every bound on the input, in one place. The same numbers hold for YAML and for spreadsheets
//! (the README states them), each is checked before anything that large is held or laid out, and
//! a breach is reported in Chinese at its place.
//!
//! The numbers are far above what a real office writes (a roster of a few thousand units, a cell
//! of a few duties) and far below what would exhaust memory: a hostile 5 KB file must not grow into
//! gigabytes anywhere down the pipeline.

/// Records in one list: units (rows of a roster, items of units.yaml), cases, tasks, reports,
/// results. Also the rows of a sheet: a cell at row 100,001 or below is refused.
pub const MAX_RECORDS: usize = 100_000;
/// Columns of a sheet.
pub const MAX_COLUMNS: u32 = 200;
/// Non-empty cells in one sheet (100,000 rows × 20 columns).
pub const MAX_CELLS: usize = 2_000_000;
/// Merged regions in one sheet: one a row is already far more than a roster has.
pub const MAX_MERGES: usize = 100_000;

/// Characters in one text: a cell, a YAML string. Excel itself stores no more in a cell.
pub const MAX_TEXT_CHARS: usize = 32_767;
/// Lines in one text (Alt+Enter in a cell, line breaks in a YAML string). A 本单位责任 cell holds
/// one duty a line, so this is also the most duties a unit can have.
pub const MAX_TEXT_LINES: usize = 1_000;
/// Items of a list inside one record: a unit's duties or members, a group's duties, a task's
/// applies_to, a case's methods…
pub const MAX_LIST_ITEMS: usize = 1_000;
/// Word templates one workspace lists (zeren.yaml `word_templates`): the web page's form carries
/// one field for each.
pub const MAX_WORD_TEMPLATES: usize = 64;
/// Characters in a name (a unit, a person): names become file names and signature lines.
pub const MAX_NAME_CHARS: usize = 100;

/// Characters all the cells of a workbook yield together, or all the texts of a YAML file: a
/// shared string counts at each cell that uses it, a repeated row or column at each repeat, an
/// alias (`*name`) at each use. A real roster of 100,000 units with 400 characters a row is this
/// much; a 1 KB file asking for gigabytes is refused before any of it is laid out. xlsx and xlsb
/// are read a sheet at a time and counted so; xls and ods are laid out whole when opened, and
/// counted whole before.
pub const MAX_TOTAL_TEXT_CHARS: u64 = 40_000_000;

/// A spreadsheet file. A roster is usually under 1 MB.
pub const MAX_SHEET_FILE_BYTES: u64 = 50 * 1024 * 1024;
/// A zip-based workbook unpacked, so a small file cannot expand into gigabytes.
pub const MAX_UNPACKED_BYTES: u64 = 300 * 1024 * 1024;
/// A YAML data file.
pub const MAX_YAML_BYTES: u64 = 32 * 1024 * 1024;
/// Values (texts, lists, mappings) in one YAML file: room for `MAX_RECORDS` units with every
/// field filled in and a few duties each (about 25 values a unit).
pub const MAX_YAML_NODES: usize = 5_000_000;
/// Nesting of lists and mappings in a YAML file; ours go six deep.
pub const MAX_YAML_DEPTH: usize = 32;

/// `12,345`: the numbers in messages, as Chinese offices print them.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// “4,000 万”: a bound in the units Chinese offices count large numbers in.
pub fn wan(n: u64) -> String {
    if n.is_multiple_of(10_000) { format!("{} 万", grouped((n / 10_000) as usize)) } else { grouped(n as usize) }
}

/// Why a text breaks the bounds (too many characters or lines), or `None`. `what` names it
/// (“本单位责任”, “此处的文字”).
pub fn text_over(text: &str, what: &str) -> Option<String> {
    // Counting stops past the bound, so a 31 MB string costs no more than a short one.
    let chars = text.chars().take(MAX_TEXT_CHARS + 1).count();
    if chars > MAX_TEXT_CHARS {
        let total = text.chars().count();
        return Some(format!("{what}有 {} 个字符，超过上限 {} 个字符", grouped(total), grouped(MAX_TEXT_CHARS)));
    }
    let lines = text.split('\n').count();
    if lines > MAX_TEXT_LINES {
        return Some(format!("{what}有 {} 行，超过上限 {} 行", grouped(lines), grouped(MAX_TEXT_LINES)));
    }
    None
}

/// Characters that change how text around them is shown without showing themselves: zero-width
/// characters, marks and overrides of the writing direction, the byte order mark.
pub fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}' | '\u{061C}' | '\u{180E}')
}

/// Characters that reorder the text around them (a name could read backwards on screen).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Why a name (of a unit, of a person) cannot be used, or `None`. A name ends up in file names,
/// on signature lines and in the terminal: it must be visible text of a sane length.
pub fn name_problem(name: &str) -> Option<String> {
    let code = |c: char| format!("U+{:04X}", c as u32);
    if let Some(c) = name.chars().find(|&c| is_bidi_control(c)) {
        return Some(format!("含有改变文字方向的不可见字符 {}，请删去后重新输入", code(c)));
    }
    if let Some(c) = name.chars().find(|&c| c.is_control() && c != '\n') {
        return Some(format!("含有控制字符 {}，请删去后重新输入", code(c)));
    }
    if !name.chars().any(|c| !is_invisible(c) && !c.is_whitespace()) {
        return Some("只有不可见字符，没有文字".into());
    }
    if let Some(c) = name.chars().find(|&c| is_invisible(c)) {
        return Some(format!("含有不可见字符 {}（如零宽空格），请删去后重新输入", code(c)));
    }
    let chars = name.chars().take(MAX_NAME_CHARS + 1).count();
    if chars > MAX_NAME_CHARS {
        return Some(format!("过长：{} 个字符，名称最多 {} 个字符", grouped(name.chars().count()), MAX_NAME_CHARS));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(32_767), "32,767");
        assert_eq!(grouped(1_000_000), "1,000,000");
        assert_eq!(wan(MAX_TOTAL_TEXT_CHARS), "4,000 万");
        assert_eq!(wan(12_345), "12,345");
    }

    #[test]
    fn texts_over_the_bounds_say_by_how_much() {
        assert_eq!(text_over("一\n二", "本单位责任"), None);
        let long = "字".repeat(MAX_TEXT_CHARS + 1);
        assert_eq!(text_over(&long, "本单位责任").unwrap(), "本单位责任有 32,768 个字符，超过上限 32,767 个字符");
        let lines = "\n".repeat(MAX_TEXT_LINES);
        assert_eq!(text_over(&lines, "此处的文字").unwrap(), "此处的文字有 1,001 行，超过上限 1,000 行");
    }

    #[test]
    fn names_must_be_visible_text() {
        assert_eq!(name_problem("预算处"), None);
        assert_eq!(name_problem("中共某某委员会\n办公室"), None);
        assert_eq!(name_problem("\u{200D}").unwrap(), "只有不可见字符，没有文字");
        assert_eq!(name_problem(" \u{200B}\u{FEFF} ").unwrap(), "只有不可见字符，没有文字");
        assert!(name_problem("预算\u{200B}处").unwrap().contains("U+200B"));
        assert!(name_problem("预算\u{202E}处").unwrap().contains("改变文字方向"));
        assert!(name_problem("预算\u{1B}[31m处").unwrap().contains("控制字符 U+001B"));
        assert!(name_problem("预算\u{9B}处").unwrap().contains("U+009B"));
        assert!(name_problem(&"处".repeat(MAX_NAME_CHARS + 1)).unwrap().starts_with("过长"));
    }
}
