//! The blank roster workbook (`zeren roster template`, and the web page's download): shaped
//! exactly as `load::roster` reads it — headers come from `Field::label`, so the two cannot drift
//! apart. Byte-for-byte the same on every run: the creation date is fixed.

use crate::load::cases_sheet::CaseColumn;
use crate::load::roster::Field;
use crate::model::UnitKinds;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Workbook,
    Worksheet, XlsxError,
};

/// Rows that get the dropdowns and formats; enough for any one organisation.
const FILL_ROWS: u32 = 1000;

/// The 单位名单 columns: field, width, what to write (also the 填写说明 text).
const UNIT_COLUMNS: [(Field, f64, &str); 9] = [
    (Field::Ignore, 6.0, "可不填，程序不读取此列"),
    // Name and 类别 are written with the workspace's kinds (`help_sheet`).
    (Field::Name, 24.0, ""),
    (Field::Type, 12.0, ""),
    (Field::LeaderName, 12.0, "必填。单位主要负责人的姓名（党支部填支部书记）"),
    (Field::LeaderTitle, 16.0, "必填。负责人的职务，如 主任、处长、支部书记"),
    (Field::SupervisorName, 12.0, "选填。分管本单位的班子成员姓名；填了就要同时填分管领导职务"),
    (Field::SupervisorTitle, 16.0, "选填。分管领导的职务，如 副局长"),
    (Field::Phone, 16.0, "选填。本列已设为文本格式，手机号、带区号的座机号原样保存，不会变成科学计数法或丢掉开头的 0"),
    (Field::Duties, 50.0, "选填。本单位特有的责任，一条一行：在单元格里按 Alt+Enter 换行（WPS 相同，Mac 上是 Option+Return），不要写序号"),
];

const CASE_TARGET_TYPES: [&str; 2] = ["党组织", "领导干部"];
const CASE_METHODS: [&str; 6] = ["检查", "通报", "改组", "诫勉", "组织调整或者组织处理", "纪律处分"];
// 问责 grades only the three 领导责任 of 问责条例 第六条; 直接责任 is the 纪律处分条例's.
const CASE_RESPONSIBILITIES: [&str; 3] = ["全面领导责任", "主要领导责任", "重要领导责任"];
const CASE_SITUATIONS: [&str; 11] =
    ["第一项", "第二项", "第三项", "第四项", "第五项", "第六项", "第七项", "第八项", "第九项", "第十项", "第十一项"];

/// The 问责案件 columns: header, width, what to write.
const CASE_COLUMNS: [(CaseColumn, f64, &str); 32] = [
    (CaseColumn::Id, 14.0, "必填。本单位自编的编号，如 2026-01，不能重复"),
    (CaseColumn::SubjectType, 14.0, "必填。从下拉列表选择：党组织 或 领导干部"),
    (CaseColumn::Subject, 20.0, "必填。党组织写全称（如 中共××支部委员会），领导干部写姓名"),
    (CaseColumn::Gender, 8.0, "领导干部必填：男 或 女"),
    (CaseColumn::Born, 12.0, "领导干部必填：出生年月，如 1978-06（本列为文本格式）"),
    (CaseColumn::Political, 12.0, "领导干部必填：政治面貌，如 中共党员"),
    (CaseColumn::Unit, 20.0, "必填。“单位名单”表中的单位名称：领导干部所在的单位，或党组织所在的单位"),
    (CaseColumn::UnitFull, 24.0, "选填。决定书上印的单位全称（如 江州市财政局预算处）；不填即用所在单位"),
    (CaseColumn::Post, 14.0, "领导干部必填：问责时的职务"),
    (CaseColumn::OrgLeader, 12.0, "党组织选填：主要负责人姓名；不填即用单位名单中该单位的负责人"),
    (
        CaseColumn::Members,
        30.0,
        "党组织填写：负有责任的领导班子成员，一人一行；本表另有其案件的只写姓名，不予问责或另案处理的写“姓名：理由”（《中国共产党问责条例》第六条）",
    ),
    (CaseColumn::Source, 20.0, "选填。案件来源，如 市委第三巡察组移交的问题线索"),
    (CaseColumn::Facts, 50.0, "必填。问责的事实经过（经查……）；分段时在单元格里按 Alt+Enter 换行"),
    (CaseColumn::Duty, 12.0, "选填。未履行的责任：主体责任、监督责任 或 领导责任"),
    (
        CaseColumn::Responsibility,
        16.0,
        "领导干部必填：全面领导责任、主要领导责任 或 重要领导责任（第六条）；主要负责人不能是重要领导责任。本人直接实施的问题不是问责案件，按《中国共产党纪律处分条例》处理",
    ),
    (
        CaseColumn::ActedPersonally,
        12.0,
        "选填。问题是否本人直接实施：否；是本人直接实施的，不用问责决定书，按《中国共产党纪律处分条例》处理",
    ),
    (CaseColumn::Situation, 12.0, "必填。《中国共产党问责条例》第七条的项号（第一项至第十一项，见本表下方）"),
    (
        CaseColumn::Local,
        30.0,
        "选填。其他依据，如 《××市贯彻〈中国共产党问责条例〉实施办法》第九条，一条一行；第八条的条款由问责方式自动生成，不必填",
    ),
    (
        CaseColumn::Methods,
        18.0,
        "必填。党组织：检查、通报、改组；领导干部：通报、诫勉、组织调整或者组织处理、纪律处分。合并使用时用顿号隔开，如 通报、诫勉",
    ),
    (CaseColumn::CircularScope, 18.0, "有通报时必填：通报范围，如 在市财政局系统内"),
    (CaseColumn::Admonition, 10.0, "有诫勉时必填：谈话 或 书面"),
    (CaseColumn::Measure, 14.0, "有组织调整或者组织处理时必填：停职检查、调整职务、责令辞职、降职 或 免职"),
    (CaseColumn::Sanction, 14.0, "有纪律处分时必填：党内警告、党内严重警告、撤销党内职务、留党察看一年、留党察看二年 或 开除党籍"),
    (CaseColumn::Plea, 40.0, "必填（放弃的可不填）。陈述申辩的内容，如 ××同志在陈述申辩中对上述事实无异议……"),
    (CaseColumn::PleaResult, 12.0, "必填。无异议、采纳、部分采纳、不予采纳 或 放弃"),
    (CaseColumn::PleaReason, 30.0, "部分采纳、不予采纳时必填：理由"),
    (CaseColumn::Mitigating, 30.0, "选填。从轻情节，如 ××同志在调查中主动说明问题、积极整改（决定书写作“鉴于……，依规予以从轻问责。”）"),
    (CaseColumn::Aggravating, 30.0, "选填。从重情节（决定书写作“鉴于……，依规予以从重问责。”）"),
    (CaseColumn::Execution, 30.0, "选填。模板之外的执行要求，一条一行"),
    (CaseColumn::DocNo, 18.0, "选填。问责决定的文号；不填则自动分配"),
    (CaseColumn::Date, 14.0, "选填。成文日期，如 2026-03-10；不填即用工作区的成文日期"),
    (CaseColumn::Cc, 24.0, "选填。抄送单位，多个用顿号隔开"),
];

/// The formats the sheets share.
struct Formats {
    header: Format,
    /// Built-in format 49 is “@” (text): long numbers stay as typed.
    text: Format,
    wrap: Format,
}

/// The blank roster workbook with the built-in kinds (处室、党支部、直属单位), as bytes.
pub fn template_xlsx() -> Result<Vec<u8>, XlsxError> {
    template_xlsx_for(UnitKinds::builtin())
}

/// The blank roster workbook whose 类别 dropdown offers `kinds` (the workspace's), as bytes.
pub fn template_xlsx_for(kinds: &UnitKinds) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date: the same template every run, so it can be compared and versioned.
    let props =
        DocProperties::new().set_title("单位名单模板").set_author("zeren").set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?);
    wb.set_properties(&props);
    let formats = Formats {
        header: Format::new()
            .set_bold()
            .set_background_color(0xDDEBF7)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap(),
        text: Format::new().set_num_format_index(49),
        wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
    };
    let names = kinds.names();
    // Excel keeps a typed-in list to 255 characters; a longer one is read from a hidden sheet.
    let inline = utf16_len(&names.join(",")) <= 255;
    units_sheet(wb.add_worksheet(), &formats, &names, inline)?;
    cases_sheet(wb.add_worksheet(), &formats)?;
    help_sheet(wb.add_worksheet(), &formats, &names)?;
    if !inline {
        let sheet = wb.add_worksheet();
        sheet.set_name(KINDS_SHEET)?;
        for (i, name) in names.iter().enumerate() {
            sheet.write_string(i as u32, 0, *name)?;
        }
        sheet.set_hidden(true);
    }
    wb.save_to_buffer()
}

/// The hidden sheet a long list of kinds is offered from.
const KINDS_SHEET: &str = "单位类别";

/// 处室、党支部{or}直属单位.
fn choices(kinds: &[&str], or: &str) -> String {
    match kinds.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{or}{last}", rest.join("、")),
        _ => kinds.join("、"),
    }
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn units_sheet(units: &mut Worksheet, f: &Formats, kinds: &[&str], inline: bool) -> Result<(), XlsxError> {
    units.set_name("单位名单")?;
    for (c, (field, width, _)) in UNIT_COLUMNS.iter().enumerate() {
        let c = c as u16;
        units.write_string_with_format(0, c, field.label(), &f.header)?;
        units.set_column_width(c, *width)?;
        match field {
            Field::Phone => {
                units.set_column_format(c, &f.text)?;
            }
            Field::Duties => {
                units.set_column_format(c, &f.wrap)?;
            }
            _ => {}
        }
    }
    units.set_freeze_panes(1, 0)?;
    units.set_landscape().set_print_fit_to_pages(1, 0);
    let type_col = column_of(Field::Type);
    let offered = if inline {
        DataValidation::new().allow_list_strings(kinds)?
    } else {
        DataValidation::new().allow_list_formula(Formula::new(format!("={KINDS_SHEET}!$A$1:$A${}", kinds.len())))
    };
    // The message is kept short (Excel takes 255 characters): the kinds are in the dropdown.
    let message = match choices(kinds, " 或 ") {
        list if list.chars().count() <= 100 => format!("类别只能是 {list}，请从下拉列表选择。"),
        _ => "类别只能是工作区设置（zeren.yaml 的 kinds）中的单位类别，请从下拉列表选择。".to_string(),
    };
    let types = offered.set_error_title("类别")?.set_error_message(message)?;
    units.add_data_validation(1, type_col, FILL_ROWS, type_col, &types)?;
    Ok(())
}

fn cases_sheet(cases: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
    cases.set_name(crate::load::cases_sheet::SHEET)?;
    for (c, (column, width, _)) in CASE_COLUMNS.iter().enumerate() {
        cases.write_string_with_format(0, c as u16, column.label(), &f.header)?;
        cases.set_column_width(c as u16, *width)?;
    }
    cases.set_freeze_panes(1, 0)?;
    cases.set_landscape().set_print_fit_to_pages(1, 0);
    for column in [
        CaseColumn::Members,
        CaseColumn::Facts,
        CaseColumn::Local,
        CaseColumn::Plea,
        CaseColumn::PleaReason,
        CaseColumn::Mitigating,
        CaseColumn::Aggravating,
        CaseColumn::Execution,
    ] {
        cases.set_column_format(case_column(column), &f.wrap)?;
    }
    // 1978-06 stays as typed, not turned into a date.
    cases.set_column_format(case_column(CaseColumn::Born), &f.text)?;
    case_lists(cases)
}

fn help_sheet(help: &mut Worksheet, f: &Formats, kinds: &[&str]) -> Result<(), XlsxError> {
    help.set_name("填写说明")?;
    help.set_landscape().set_print_fit_to_pages(1, 0);
    help.set_column_width(0, 14.0)?;
    help.set_column_width(1, 16.0)?;
    help.set_column_width(2, 90.0)?;
    let title = Format::new().set_bold().set_font_size(14);
    let cell = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    help.write_string_with_format(0, 0, "填写说明", &title)?;
    let general = [
        "1. 第 1 行是表头，请不要修改列名；需要时可以在表头上方插入标题行、“填报单位/填报日期”行，程序会自动找到表头。",
        "2. 一个单位填一行；空行、表格下方的“合计”行和以“注：”开头的说明行会被跳过（并提示）。",
        "3. 单元格里换行请按 Alt+Enter（WPS 相同，Mac 上是 Option+Return）。",
        "4. 填好后运行 zeren check 检查，程序会指出有问题的工作表和单元格（如“[单位名单] D7: 负责人为空”）。",
    ];
    for (i, line) in general.iter().enumerate() {
        // Unmerged and unwrapped: the text runs on over the empty cells to its right, where a
        // merged cell would not grow to show its second line.
        help.write_string(i as u32 + 1, 0, *line)?;
    }
    let mut row = general.len() as u32 + 2;
    for (c, h) in ["工作表", "列", "填写要求"].iter().enumerate() {
        help.write_string_with_format(row, c as u16, *h, &f.header)?;
    }
    let type_help = format!("必填。从下拉列表选择：{}（同类单位相邻时可合并单元格）", kinds.join("、"));
    let whose = if kinds.len() <= 5 { choices(kinds, "或") } else { "单位".to_string() };
    let name_help = format!("必填。{whose}的全称，同一名单中不能重复");
    let lines = UNIT_COLUMNS
        .iter()
        .map(|(f, _, how)| {
            let how = match f {
                Field::Type => type_help.as_str(),
                Field::Name => name_help.as_str(),
                _ => *how,
            };
            ("单位名单", f.label(), how)
        })
        .chain(CASE_COLUMNS.iter().map(|(column, _, how)| ("问责案件", column.label(), *how)));
    for (sheet, column, how) in lines {
        row += 1;
        help.write_string_with_format(row, 0, sheet, &cell)?;
        help.write_string_with_format(row, 1, column, &cell)?;
        help.write_string_with_format(row, 2, how, &cell)?;
    }
    // What each item of Art. 7 covers, for the 问责情形 column.
    row += 2;
    help.write_string_with_format(row, 0, "问责情形：《中国共产党问责条例》第七条", &title)?;
    for (i, situation) in crate::model::SITUATIONS.iter().enumerate() {
        row += 1;
        help.write_string_with_format(row, 1, CASE_SITUATIONS[i], &cell)?;
        help.write_string_with_format(row, 2, *situation, &cell)?;
    }
    Ok(())
}

/// The dropdowns of the 问责案件 sheet.
fn case_lists(cases: &mut Worksheet) -> Result<(), XlsxError> {
    use DataValidationErrorStyle::{Stop, Warning};
    let lists: [(CaseColumn, &[&str], DataValidationErrorStyle, &str); 11] = [
        (CaseColumn::SubjectType, &CASE_TARGET_TYPES, Stop, "问责对象类型只能是 党组织 或 领导干部。"),
        (CaseColumn::Gender, &["男", "女"], Stop, "性别只能是 男 或 女。"),
        (CaseColumn::Duty, &["主体责任", "监督责任", "领导责任"], Stop, "责任类别只能是 主体责任、监督责任 或 领导责任。"),
        (
            CaseColumn::Responsibility,
            &CASE_RESPONSIBILITIES,
            Stop,
            "责任类型只能是 全面领导责任、主要领导责任 或 重要领导责任（问责条例第六条）。",
        ),
        (CaseColumn::ActedPersonally, &["是", "否"], Stop, "请选择 是 或 否。"),
        (CaseColumn::Situation, &CASE_SITUATIONS, Stop, "《中国共产党问责条例》第七条共十一项，请从下拉列表选择。"),
        // A warning, not a stop: 问责方式 may combine several (通报、诫勉), which a list cannot offer.
        (
            CaseColumn::Methods,
            &CASE_METHODS,
            Warning,
            "不是下拉列表中的单一方式。合并使用几种方式时请用顿号隔开（如 通报、诫勉），确认无误可点“是”保留。",
        ),
        (CaseColumn::Admonition, &["谈话", "书面"], Stop, "诫勉方式只能是 谈话 或 书面。"),
        (CaseColumn::Measure, &["停职检查", "调整职务", "责令辞职", "降职", "免职"], Stop, "请从下拉列表选择组织调整或者组织处理的措施。"),
        (
            CaseColumn::Sanction,
            &["党内警告", "党内严重警告", "撤销党内职务", "留党察看一年", "留党察看二年", "开除党籍"],
            Stop,
            "请从下拉列表选择《中国共产党纪律处分条例》规定的处分。",
        ),
        (
            CaseColumn::PleaResult,
            &["无异议", "采纳", "部分采纳", "不予采纳", "放弃"],
            Stop,
            "申辩处理只能是 无异议、采纳、部分采纳、不予采纳 或 放弃。",
        ),
    ];
    for (column, values, style, message) in lists {
        list(cases, case_column(column), values, style, message)?;
    }
    Ok(())
}

fn column_of(field: Field) -> u16 {
    UNIT_COLUMNS.iter().position(|(f, _, _)| *f == field).unwrap_or(0) as u16
}

fn case_column(column: CaseColumn) -> u16 {
    CASE_COLUMNS.iter().position(|(c, _, _)| *c == column).unwrap_or(0) as u16
}

/// A dropdown over the fill rows of one column.
fn list(sheet: &mut Worksheet, col: u16, values: &[&str], style: DataValidationErrorStyle, message: &str) -> Result<(), XlsxError> {
    let header = CASE_COLUMNS[col as usize].0.label();
    let v = DataValidation::new().allow_list_strings(values)?.set_error_style(style).set_error_title(header)?.set_error_message(message)?;
    sheet.add_data_validation(1, col, FILL_ROWS, col, &v)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::roster::field_for_header;

    #[test]
    fn template_headers_are_the_ones_the_reader_maps() {
        for (field, _, _) in UNIT_COLUMNS {
            assert_eq!(field_for_header(field.label(), &[]), Some(field));
        }
    }

    #[test]
    fn the_case_sheet_has_every_column_the_reader_knows_but_the_old_basis() {
        let written: Vec<CaseColumn> = CASE_COLUMNS.iter().map(|(c, _, _)| *c).collect();
        for column in CaseColumn::ALL {
            assert_eq!(written.contains(&column), column != CaseColumn::Basis, "{}", column.label());
        }
    }

    #[test]
    fn a_long_list_of_kinds_is_offered_from_a_hidden_sheet() {
        let base = UnitKinds::builtin().get(UnitKinds::builtin().find("直属单位").unwrap()).clone();
        let kinds: Vec<_> = (0..40).map(|i| crate::model::UnitKind { name: format!("第{i}类二级单位党组织"), ..base.clone() }).collect();
        let bytes = template_xlsx_for(&UnitKinds::new(kinds).unwrap()).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut xml).unwrap();
        assert!(xml.contains("<formula1>单位类别!$A$1:$A$40</formula1>"), "{xml}");
        let mut book = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut book).unwrap();
        assert!(book.contains(r#"name="单位类别" sheetId="4" state="hidden""#), "{book}");
    }

    #[test]
    fn template_is_deterministic() {
        assert_eq!(template_xlsx().unwrap(), template_xlsx().unwrap());
    }
}
