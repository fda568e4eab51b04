//! The list of what a run issued: `manifest.csv` (UTF-8 with BOM, so Excel opens it) and
//! `清单.xlsx`, one row per document.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestRow {
    pub kind: String,
    pub recipient: String,
    pub doc_no: String,
    /// Relative to OUT, with `/`.
    pub file: String,
    pub sha256: String,
    /// Pages of the document's PDF (`build --pdf`, one file per document).
    pub pages: Option<u32>,
}

const HEADERS: [&str; 7] = ["序号", "种类", "单位", "文号", "文件", "页数", "SHA-256"];

pub fn manifest_csv(rows: &[ManifestRow]) -> Vec<u8> {
    let mut out = String::from("\u{FEFF}");
    out.push_str(&HEADERS.join(","));
    out.push_str("\r\n");
    for (i, r) in rows.iter().enumerate() {
        let pages = r.pages.map(|n| n.to_string()).unwrap_or_default();
        let fields = [(i + 1).to_string(), r.kind.clone(), r.recipient.clone(), r.doc_no.clone(), r.file.clone(), pages, r.sha256.clone()];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

fn csv_field(f: &str) -> String {
    // A leading =, +, - or @ would be run as a formula by Excel: quote it as text.
    let risky = f.starts_with(['=', '+', '-', '@']);
    if f.contains([',', '"', '\n', '\r']) || risky {
        let body = f.replace('"', "\"\"");
        if risky { format!("\"'{body}\"") } else { format!("\"{body}\"") }
    } else {
        f.to_string()
    }
}

/// `date` (year, month, day) stamps the workbook, so the same run gives the same bytes.
pub fn manifest_xlsx(rows: &[ManifestRow], date: (u16, u8, u8)) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let stamp = ExcelDateTime::from_ymd(date.0, date.1, date.2)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&stamp).set_author("zeren"));
    let sheet = wb.add_worksheet();
    sheet.set_name("清单")?;
    let bold = Format::new().set_bold();
    for (c, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_number(row, 0, (i + 1) as f64)?;
        for (c, v) in [&r.kind, &r.recipient, &r.doc_no, &r.file].iter().enumerate() {
            sheet.write_string(row, c as u16 + 1, v.as_str())?;
        }
        if let Some(n) = r.pages {
            sheet.write_number(row, 5, n as f64)?;
        }
        sheet.write_string(row, 6, r.sha256.as_str())?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (c, w) in [6.0, 10.0, 28.0, 18.0, 40.0, 6.0, 66.0].iter().enumerate() {
        sheet.set_column_width(c as u16, *w)?;
    }
    wb.save_to_buffer()
}
