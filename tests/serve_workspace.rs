//! `zeren serve` judges the upload, not the server: the uploaded roster is checked for the kinds
//! the uploader chose, a fault in the server's own workspace is said to be the server's (and
//! not shown as the uploader's error), and a broken workspace keeps the service from starting.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use rust_xlsxwriter::Workbook;
use std::io::Read;
use tower::ServiceExt;
use zeren::serve::{Config, app};

/// The sample workspace as a server holds it, with its roster to come by upload.
fn server_workspace() -> (tempfile::TempDir, std::path::PathBuf) {
    let (tmp, ws) = sample_copy();
    std::fs::remove_file(ws.join("data/units.yaml")).unwrap();
    let settings = std::fs::read_to_string(ws.join("zeren.yaml")).unwrap().replace("  units: data/units.yaml\n", "");
    std::fs::write(ws.join("zeren.yaml"), settings).unwrap();
    (tmp, ws)
}

/// A colleague's own roster: unit names the sample's tasks and cases know nothing of.
fn roster() -> Vec<u8> {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    for (c, h) in ["单位名称", "类别", "负责人", "职务"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in [["综合科", "处室", "甲一", "科长"], ["第一支部", "党支部", "乙二", "支部书记"]].iter().enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save_to_buffer().unwrap()
}

fn upload(roster: &[u8], kind: &str) -> Request<Body> {
    let boundary = "zeren-ws-test";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"roster\"; filename=\"名单.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(roster);
    body.extend_from_slice(
        format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n--{boundary}--\r\n").as_bytes(),
    );
    Request::post("/build")
        .header(header::HOST, "127.0.0.1")
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap()
}

async fn send(ws: &std::path::Path, temp: &std::path::Path, req: Request<Body>) -> (StatusCode, Vec<u8>) {
    let mut config = Config::new(ws);
    config.temp_root = temp.to_path_buf();
    let res = app(config).oneshot(req).await.unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
    (status, body.to_vec())
}

#[tokio::test]
async fn an_upload_is_judged_for_the_kinds_chosen() {
    let (_tmp, ws) = server_workspace();
    let temp = tempfile::tempdir().unwrap();
    // 责任书 from a roster whose units the sample's tasks do not know: the tasks are not built,
    // so they do not block.
    let (status, body) = send(&ws, temp.path(), upload(&roster(), "责任书")).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(body)).unwrap();
    let names: Vec<String> = zip.file_names().map(String::from).collect();
    // After the letters of the committee's 班子成员 (zeren.yaml's members).
    assert!(names.contains(&"责任书/5-综合科.docx".to_string()) && names.contains(&"责任书/6-第一支部.docx".to_string()), "{names:?}");
    let mut xml = String::new();
    let mut letter = Vec::new();
    zip.by_name("责任书/5-综合科.docx").unwrap().read_to_end(&mut letter).unwrap();
    let mut docx = zip::ZipArchive::new(std::io::Cursor::new(letter)).unwrap();
    docx.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    assert!(paragraphs(&xml).iter().any(|p| p.text == "乙方：综合科"), "the uploader's own unit");
    // 函告书 from the same roster: the tasks name units it lacks — the uploader's to see.
    let (status, body) = send(&ws, temp.path(), upload(&roster(), "函告书")).await;
    let text = String::from_utf8_lossy(&body);
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert!(text.contains("机关第一党支部") && text.contains("单位名单来自 名单.xlsx"), "{text}");
}

#[tokio::test]
async fn a_fault_in_the_servers_workspace_is_the_servers() {
    let (_tmp, ws) = server_workspace();
    // A date that does not exist in the server's task list: nothing the uploader can mend.
    let tasks = std::fs::read_to_string(ws.join("data/tasks.yaml")).unwrap().replace("deadline: 2026-02-28", "deadline: 2026-02-30");
    std::fs::write(ws.join("data/tasks.yaml"), tasks).unwrap();
    let temp = tempfile::tempdir().unwrap();
    let (status, body) = send(&ws, temp.path(), upload(&roster(), "函告书")).await;
    let text = String::from_utf8_lossy(&body);
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{text}");
    assert!(text.contains("服务端工作区有误") && text.contains("联系管理员"), "{text}");
    assert!(!text.contains("tasks.yaml") && !text.contains("2026-02-30"), "the server's files are not the uploader's business: {text}");
    // A kind that does not need the broken file is still served.
    let (status, body) = send(&ws, temp.path(), upload(&roster(), "责任书")).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
}

#[test]
fn a_broken_workspace_keeps_the_service_from_starting() {
    let (_tmp, ws) = server_workspace();
    std::fs::write(ws.join("data/duties.yaml"), "groups:\n  - subject: 主体责任\n    applies_to: [科室]\n    duties: [一条。]\n").unwrap();
    // Port 0: were it to start, it would listen; it must exit at once instead.
    let o = zeren(&["serve", ws.to_str().unwrap(), "--port", "0"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("data/duties.yaml:3:18") && err.contains("科室") && err.contains("zeren serve 未启动"), "{err}");
}

/// A workspace as `zeren init` writes it, one's own organisation filled in: settings, the duty
/// catalogue and a blank roster, nothing else.
fn init_workspace() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("2027年度");
    let o = zeren(&["init", ws.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let path = ws.join("zeren.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("中共××××委员会", "中共青山县纪委")
        .replace("××党", "青纪")
        .replace("×××", "周正清");
    std::fs::write(path, text).unwrap();
    (tmp, ws)
}

#[tokio::test]
async fn the_page_offers_only_the_kinds_the_workspace_has_data_for_and_says_what_the_others_need() {
    let (_tmp, ws) = init_workspace();
    let temp = tempfile::tempdir().unwrap();
    let get = Request::get("/").header(header::HOST, "127.0.0.1").body(Body::empty()).unwrap();
    let (status, body) = send(&ws, temp.path(), get).await;
    let page = String::from_utf8_lossy(&body);
    assert_eq!(status, StatusCode::OK, "{page}");
    let boxes: Vec<&str> =
        page.match_indices("name=\"kind\" value=\"").map(|(i, m)| page[i + m.len()..].split('"').next().unwrap()).collect();
    assert_eq!(boxes, ["responsibility-letter"], "only 责任书 can be ticked: {page}");
    for needs in [
        "函告书：需要在工作区加入工作任务 data/tasks.yaml",
        "问责决定书：需要在工作区加入问责案件 data/cases.yaml",
        "年度报告表：需要在工作区加入述责述廉 data/reports.yaml，或考核方案 data/scheme.yaml 与考核结果 data/results.yaml",
    ] {
        assert!(page.contains(needs), "{needs}: {page}");
    }
    // The letters themselves are built from the upload.
    let (status, body) = send(&ws, temp.path(), upload(&roster(), "责任书")).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    // A form that asks for a kind the page does not offer: the uploader is told what is missing
    // and who can add it (422), not that the build failed.
    for (kind, needs) in [("函告书", "工作任务 data/tasks.yaml"), ("annual-report", "述责述廉 data/reports.yaml")] {
        let (status, body) = send(&ws, temp.path(), upload(&roster(), kind)).await;
        let text = String::from_utf8_lossy(&body);
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
        let chinese = zeren::model::Kind::parse(kind).unwrap().chinese();
        assert!(
            text.contains(&format!("本工作区还没有{chinese}的数据，网页上暂时不能生成{chinese}；请联系管理员在工作区加入{needs}")),
            "{text}"
        );
        assert!(!text.contains("服务端工作区有误"), "{text}");
    }
}
