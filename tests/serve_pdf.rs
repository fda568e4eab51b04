//! `zeren serve` with “同时生成 PDF”: over a real socket, a roster uploaded with the option comes
//! back as a zip holding a valid PDF beside each DOCX (its pages as the manifest counts them), and
//! the notes name the face each role got. Drawing needs a CJK face (the stand-in fonts of
//! `bash .ci/fidelity-deps`), so that test is `#[ignore]`d like tests/pdf.rs.

mod common;
mod serve_support;

use axum::http::StatusCode;
use serve_support::*;

#[tokio::test]
async fn the_page_offers_pdf_beside_the_word_files() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let (status, _, body) = send(&config(ws.path(), temp.path()), get("/")).await;
    assert_eq!(status, StatusCode::OK);
    let page = text(&body);
    assert!(page.contains("<input type=\"checkbox\" name=\"pdf\" value=\"1\"> 同时生成 PDF</label>"), "{page}");
    let pdf_box = page.find("name=\"pdf\"").unwrap();
    assert!(pdf_box > page.find("name=\"roster\"").unwrap() && pdf_box < page.find("</form>").unwrap(), "inside the form");
}

async fn build(pdf: Option<&str>) -> (reqwest::StatusCode, Vec<u8>) {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let addr = listen(config(ws.path(), temp.path())).await;
    let part = reqwest::multipart::Part::bytes(roster(3)).file_name("名单.xlsx");
    let mut form = reqwest::multipart::Form::new().part("roster", part);
    if let Some(v) = pdf {
        form = form.text("pdf", v.to_string());
    }
    let res = client().post(format!("http://{addr}/build")).multipart(form).send().await.unwrap();
    let status = res.status();
    let body = res.bytes().await.unwrap().to_vec();
    assert_emptied(temp.path());
    (status, body)
}

#[tokio::test]
#[ignore = "needs the stand-in fonts: bash .ci/fidelity-deps"]
async fn with_pdf_ticked_each_docx_has_a_valid_pdf_beside_it() {
    let (status, body) = build(Some("1")).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    assert_letters(&body, 3, true);
    let files = unzip(&body);
    let docx: Vec<&String> = files.keys().filter(|f| f.ends_with(".docx")).collect();
    let pdfs: Vec<&String> = files.keys().filter(|f| f.ends_with(".pdf")).collect();
    assert_eq!(pdfs.len(), docx.len(), "a PDF per DOCX: {:?}", files.keys().collect::<Vec<_>>());
    let csv = String::from_utf8(files["manifest.csv"].clone()).unwrap();
    for d in docx {
        let name = d.trim_end_matches(".docx").to_string() + ".pdf";
        let pdf = files.get(&name).unwrap_or_else(|| panic!("{name} beside {d}"));
        assert!(pdf.starts_with(b"%PDF-"), "{name} is a PDF");
        let doc = lopdf::Document::load_mem(pdf).unwrap_or_else(|e| panic!("{name} reads back: {e}"));
        let pages = doc.get_pages().len();
        assert!(pages >= 2, "{name}: a 责任书 of {pages} pages");
        // The manifest's 页数 is the PDF's.
        let row = csv.lines().find(|l| l.contains(&format!(",{d},"))).unwrap_or_else(|| panic!("{d} in {csv}"));
        assert_eq!(row.split(',').nth(5), Some(pages.to_string().as_str()), "{row}");
    }
    // The notes say which face each role got, as `build --pdf` does.
    let notes = String::from_utf8(files["提示.txt"].clone()).unwrap();
    assert!(notes.contains("PDF 字体：标志、标题 ") && notes.contains("；正文 "), "{notes}");
}

#[tokio::test]
async fn without_the_option_there_is_no_pdf() {
    let (status, body) = build(Some("0")).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let files = unzip(&body);
    assert!(!files.keys().any(|f| f.ends_with(".pdf")), "{:?}", files.keys().collect::<Vec<_>>());
    assert!(!String::from_utf8(files["提示.txt"].clone()).unwrap().contains("PDF 字体"));
}
