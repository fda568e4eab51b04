//! The blank roster workbook (`zeren roster template`, and the web page's download): shaped
//! exactly as `load::roster` reads it — headers come from `Field::label`, so the two cannot drift
//! apart. Byte-for-byte the same on every run: the creation date is fixed.

use crate::load::cases_sheet::CaseColumn;
use crate::load::roster::Field;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
    XlsxError,
};

/// Rows that get the dropdowns and formats; enough for any one organisation.
const FILL_ROWS: u32 = 1000;

/// The 单位名单 columns: field, width, what to write (also the 填写说明 text).
const UNIT_COLUMNS: [(Field, f64, &str); 9] = [
    (Field::Ignore, 6.0, "可不填，程序不读取此列"),
    (Field::Name, 24.0, "必填。处室、党支部或直属单位的全称，同一名单中不能重复"),
    (Field::Type, 12.0, "必填。从下拉列表选择：处室、党支部、直属单位（同类单位相邻时可合并单元格）"),
    (Field::LeaderName, 12.0, "必填。单位主要负责人的姓名（党支部填支部书记）"),
    (Field::LeaderTitle, 16.0, "必填。负责人的职务，如 主任、处长、支部书记"),
    (Field::SupervisorName, 12.0, "选填。分管本单位的班子成员姓名；填了就要同时填分管领导职务"),
    (Field::SupervisorTitle, 16.0, "选填。分管领导的职务，如 副局长"),
    (Field::Phone, 16.0, "选填。本列已设为文本格式，手机号、带区号的座机号原样保存，不会变成科学计数法或丢掉开头的 0"),
    (Field::Duties, 50.0, "选填。本单位特有的责任，一条一行：在单元格里按 Alt+Enter 换行（WPS 相同，Mac 上是 Option+Return），不要写序号"),
];

const CASE_TARGET_TYPES: [&str; 2] = ["党组织", "领导干部"];
const CASE_METHODS: [&str; 6] = ["检查", "通报", "改组", "诫勉", "组织调整或者组织处理", "纪律处分"];
const CASE_RESPONSIBILITIES: [&str; 3] = ["全面领导责任", "主要领导责任", "重要领导责任"];

/// The 问责案件 columns: header, width, what to write.
const CASE_COLUMNS: [(CaseColumn, f64, &str); 11] = [
    (CaseColumn::Id, 14.0, "必填。本单位自编的编号，如 2026-01，不能重复"),
    (CaseColumn::SubjectType, 14.0, "必填。从下拉列表选择：党组织 或 领导干部"),
    (CaseColumn::Subject, 20.0, "必填。党组织全称，或领导干部姓名"),
    (CaseColumn::Unit, 24.0, "领导干部必填：所在单位全称"),
    (CaseColumn::Post, 14.0, "领导干部必填：问责时的职务"),
    (
        CaseColumn::Methods,
        18.0,
        "必填。检查、通报、改组、诫勉、组织调整或者组织处理、纪律处分；可从下拉列表选择，合并使用时用顿号隔开，如 通报、诫勉",
    ),
    (CaseColumn::Responsibility, 16.0, "必填。从下拉列表选择：全面领导责任、主要领导责任、重要领导责任"),
    (CaseColumn::Facts, 50.0, "必填。问责的事实经过；分段时在单元格里按 Alt+Enter 换行"),
    (CaseColumn::Basis, 40.0, "必填。依据的党内法规条款，如 《中国共产党问责条例》第七条第一款第（一）项"),
    (CaseColumn::DocNo, 18.0, "选填。问责决定的文号"),
    (CaseColumn::Cc, 24.0, "选填。抄送单位，多个用顿号隔开"),
];

/// The blank roster workbook, as bytes.
pub fn template_xlsx() -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    // A fixed creation date: the same template every run, so it can be compared and versioned.
    let props =
        DocProperties::new().set_title("单位名单模板").set_author("zeren").set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?);
    wb.set_properties(&props);

    let header = Format::new()
        .set_bold()
        .set_background_color(0xDDEBF7)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    // Built-in format 49 is “@” (text): long numbers stay as typed.
    let text = Format::new().set_num_format_index(49);
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);

    let units = wb.add_worksheet();
    units.set_name("单位名单")?;
    for (c, (field, width, _)) in UNIT_COLUMNS.iter().enumerate() {
        let c = c as u16;
        units.write_string_with_format(0, c, field.label(), &header)?;
        units.set_column_width(c, *width)?;
        match field {
            Field::Phone => {
                units.set_column_format(c, &text)?;
            }
            Field::Duties => {
                units.set_column_format(c, &wrap)?;
            }
            _ => {}
        }
    }
    units.set_freeze_panes(1, 0)?;
    units.set_landscape().set_print_fit_to_pages(1, 0);
    let type_col = column_of(Field::Type);
    let types = DataValidation::new()
        .allow_list_strings(&crate::model::UnitType::ALL.map(|t| t.name()))?
        .set_error_title("类别")?
        .set_error_message("类别只能是 处室、党支部 或 直属单位，请从下拉列表选择。")?;
    units.add_data_validation(1, type_col, FILL_ROWS, type_col, &types)?;

    let cases = wb.add_worksheet();
    cases.set_name(crate::load::cases_sheet::SHEET)?;
    for (c, (column, width, _)) in CASE_COLUMNS.iter().enumerate() {
        cases.write_string_with_format(0, c as u16, column.label(), &header)?;
        cases.set_column_width(c as u16, *width)?;
    }
    cases.set_freeze_panes(1, 0)?;
    cases.set_landscape().set_print_fit_to_pages(1, 0);
    for column in [CaseColumn::Facts, CaseColumn::Basis] {
        cases.set_column_format(case_column(column), &wrap)?;
    }
    list(
        cases,
        case_column(CaseColumn::SubjectType),
        &CASE_TARGET_TYPES,
        DataValidationErrorStyle::Stop,
        "问责对象类型只能是 党组织 或 领导干部。",
    )?;
    // A warning, not a stop: 问责方式 may combine several (通报、诫勉), which a list cannot offer.
    list(
        cases,
        case_column(CaseColumn::Methods),
        &CASE_METHODS,
        DataValidationErrorStyle::Warning,
        "不是下拉列表中的单一方式。合并使用几种方式时请用顿号隔开（如 通报、诫勉），确认无误可点“是”保留。",
    )?;
    list(
        cases,
        case_column(CaseColumn::Responsibility),
        &CASE_RESPONSIBILITIES,
        DataValidationErrorStyle::Stop,
        "责任类型只能是 全面领导责任、主要领导责任 或 重要领导责任。",
    )?;

    let help = wb.add_worksheet();
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
        help.write_string_with_format(row, c as u16, *h, &header)?;
    }
    let lines = UNIT_COLUMNS
        .iter()
        .map(|(f, _, how)| ("单位名单", f.label(), *how))
        .chain(CASE_COLUMNS.iter().map(|(column, _, how)| ("问责案件", column.label(), *how)));
    for (sheet, column, how) in lines {
        row += 1;
        help.write_string_with_format(row, 0, sheet, &cell)?;
        help.write_string_with_format(row, 1, column, &cell)?;
        help.write_string_with_format(row, 2, how, &cell)?;
    }

    wb.save_to_buffer()
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
    fn template_is_deterministic() {
        assert_eq!(template_xlsx().unwrap(), template_xlsx().unwrap());
    }
}
