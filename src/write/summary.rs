//! `考核汇总.xlsx`: every unit's totals by scale, 得分, grade and rank — what the secretariat
//! reports upward.

use crate::model::{Assessment, Scheme};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

pub const SUMMARY_XLSX: &str = "考核汇总.xlsx";

/// Rows in rank order; `date` stamps the workbook so the output is reproducible.
pub fn summary_xlsx(scheme: &Scheme, assessments: &[Assessment], date: (u16, u8, u8)) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let stamp = ExcelDateTime::from_ymd(date.0, date.1, date.2)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&stamp).set_author("zeren"));
    let sheet = wb.add_worksheet();
    sheet.set_name("考核汇总")?;
    let bold = Format::new().set_bold();
    let mut headers: Vec<String> = vec!["排名".into(), "单位".into()];
    headers.extend(scheme.scales.iter().map(|s| format!("{}合计", s.name)));
    headers.extend(["得分".into(), "等次".into(), "一票否决".into()]);
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold)?;
    }
    let mut order: Vec<&Assessment> = assessments.iter().collect();
    order.sort_by_key(|a| a.rank);
    for (i, a) in order.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_number(row, 0, a.rank as f64)?;
        sheet.write_string(row, 1, &a.unit)?;
        let mut col = 2u16;
        for t in &a.totals {
            // Exact decimal → the number Excel shows; hundredths convert without drift.
            sheet.write_number(row, col, t.0 as f64 / 100.0)?;
            col += 1;
        }
        sheet.write_number(row, col, a.totals.get(scheme.decides).map_or(0.0, |t| t.0 as f64 / 100.0))?;
        sheet.write_string(row, col + 1, &a.grade)?;
        sheet.write_string(row, col + 2, &a.vetoed.join("；"))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(1, 24)?;
    sheet.set_column_width((headers.len() - 1) as u16, 40)?;
    wb.save_to_buffer()
}
