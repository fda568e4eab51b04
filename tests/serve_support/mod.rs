//! Helpers of the `zeren serve` tests (tests/serve.rs, tests/serve_hostile.rs): a workspace to
//! serve, rosters made with rust_xlsxwriter, multipart bodies, the app in-process and on a real
//! port, and reading the zip back.
#![allow(dead_code)]

use crate::common;
use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use rust_xlsxwriter::Workbook;
use std::collections::BTreeMap;
use std::io::Read;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tower::ServiceExt;
use zeren::serve::{Config, app};

// ---------------------------------------------------------------------------------------------
// Helpers

/// A workspace as a secretariat would serve it: the sample settings, templates and duty
/// catalogue, the units to come from the uploaded roster. `extra` keeps more data files
/// (e.g. "cases") and copies them.
pub fn workspace(extra: &[&str]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let samples = common::samples();
    std::fs::create_dir_all(tmp.path().join("data")).unwrap();
    let all = ["units", "tasks", "cases", "reports", "scheme", "results"];
    let settings: String = std::fs::read_to_string(samples.join("zeren.yaml"))
        .unwrap()
        .lines()
        .filter(|l| !all.iter().filter(|k| !extra.contains(k)).any(|k| l.trim_start().starts_with(&format!("{k}:"))))
        .map(|l| format!("{l}\n"))
        .collect();
    // The sample committee's 班子成员 supervise units of the sample's list, not of these rosters.
    let settings = without_block(&settings, "members:");
    std::fs::write(tmp.path().join("zeren.yaml"), settings).unwrap();
    for file in ["duties"].iter().chain(extra) {
        std::fs::copy(samples.join(format!("data/{file}.yaml")), tmp.path().join(format!("data/{file}.yaml"))).unwrap();
    }
    tmp
}

/// `yaml` without the top-level block that starts with `key` (the key's line and its indented lines).
fn without_block(yaml: &str, key: &str) -> String {
    let mut inside = false;
    let mut out = String::new();
    for line in yaml.lines() {
        if line.starts_with(key) {
            inside = true;
        } else if inside && !line.starts_with(' ') {
            inside = false;
        }
        if !inside {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// Every file of a folder with its bytes: to show a request changed nothing.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    common::files_under(dir).into_iter().map(|f| (f.clone(), std::fs::read(dir.join(&f)).unwrap())).collect()
}

/// A filled roster of `n` units, as the blank template is shaped: header on row 1.
pub fn roster(n: usize) -> Vec<u8> {
    roster_rows(&(0..n).map(|i| unit_row(i, "")).collect::<Vec<_>>())
}

pub fn unit_name(i: usize) -> String {
    format!("第{}号{}", i + 1, ["处室", "党支部", "直属单位"][i % 3])
}

pub fn unit_row(i: usize, leader: &str) -> [String; 7] {
    let t = ["处室", "党支部", "直属单位"][i % 3];
    let leader = if leader.is_empty() { format!("负责人{}", i + 1) } else { leader.to_string() };
    let leader = if leader == "-" { String::new() } else { leader };
    let (sup, sup_title) =
        if i.is_multiple_of(2) { (format!("分管领导{}", i % 7), "党委委员、副局长".to_string()) } else { Default::default() };
    [(i + 1).to_string(), unit_name(i), t.to_string(), leader, "负责人".into(), sup, sup_title]
}

pub fn roster_rows(rows: &[[String; 7]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("2026年名单").unwrap();
    let headers = ["序号", "单位名称", "类别", "负责人", "职务", "分管领导", "分管领导职务"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                sheet.write_string(r as u32 + 1, c as u16, v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

/// A multipart/form-data body: (field, file name, bytes).
pub fn form(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "zeren-test-boundary-7f3a";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes()),
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

pub fn post(parts: &[(&str, Option<&str>, &[u8])], html: bool) -> Request<Body> {
    let (content_type, body) = form(parts);
    let mut req = Request::post("/build")
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CONTENT_LENGTH, body.len());
    if html {
        req = req.header(header::ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8");
    }
    req.body(Body::from(body)).unwrap()
}

/// The Host a browser on the serving machine sends (in-process requests have none of their own).
pub const HOST: &str = "127.0.0.1:8080";

pub fn get(uri: &str) -> Request<Body> {
    Request::get(uri).header(header::HOST, HOST).header(header::ACCEPT, "text/html").body(Body::empty()).unwrap()
}

/// A config for tests: its own folder for the requests' temporary folders, to see them go.
pub fn config(ws: &Path, temp: &Path) -> Config {
    let mut c = Config::new(ws);
    c.temp_root = temp.to_path_buf();
    c
}

pub async fn send(config: &Config, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Bytes) {
    let res: Response = app(config.clone()).oneshot(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (parts.status, parts.headers, bytes)
}

pub fn text(b: &Bytes) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut v = Vec::new();
        f.read_to_end(&mut v).unwrap();
        files.insert(f.name().to_string(), v);
    }
    files
}

/// A .docx's text, one paragraph a line, read from its document.xml.
pub fn docx_text(bytes: &[u8]) -> String {
    let parts = unzip(bytes);
    let xml = String::from_utf8(parts["word/document.xml"].clone()).unwrap();
    common::paragraphs(&xml).iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join("\n")
}

/// Checks a zip of 责任书 for units 0..n: one letter per unit naming it, the manifest listing
/// them all. Returns the file names.
pub fn assert_letters(zip: &[u8], n: usize, read_every: bool) -> Vec<String> {
    let files = unzip(zip);
    let letters: Vec<&String> = files.keys().filter(|f| f.starts_with("责任书/") && f.ends_with(".docx")).collect();
    assert_eq!(letters.len(), n, "one 责任书 per roster row: {:?}", files.keys().take(5).collect::<Vec<_>>());
    assert!(files.contains_key("清单.xlsx"), "the manifest workbook is in the zip");
    let csv = String::from_utf8(files["manifest.csv"].clone()).unwrap();
    assert_eq!(csv.lines().count(), n + 1, "a manifest row per letter");
    let check = |i: usize| {
        let name = unit_name(i);
        let file = letters.iter().find(|f| f.ends_with(&format!("-{name}.docx"))).unwrap_or_else(|| panic!("a letter for {name}"));
        let body = docx_text(&files[*file]);
        assert!(body.contains(&format!("乙方：{name}")), "{file} is {name}'s letter");
        assert!(body.contains("2026年度党风廉政建设责任书"), "{file}");
        assert!(csv.contains(&format!(",责任书,{name},,{file},")), "{file} in manifest.csv");
    };
    if read_every {
        (0..n).for_each(check);
    } else {
        check(0);
        check(n - 1);
    }
    files.keys().cloned().collect()
}

/// Waits (bounded) for a folder to be empty: a streamed body's folder goes when the server has
/// dropped the body, a moment after the client has read it.
pub fn assert_emptied(dir: &Path) {
    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let left: Vec<_> = std::fs::read_dir(dir).unwrap().filter_map(Result::ok).map(|e| e.path()).collect();
        if left.is_empty() {
            return;
        }
        assert!(Instant::now() < until, "temporary folders left behind: {left:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------------------------------------
// Over a real socket

/// The app on 127.0.0.1 at an ephemeral port, on the test's runtime.
pub async fn listen(config: Config) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(zeren::serve::run(listener, config, std::future::pending()));
    addr
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(300)).build().unwrap()
}

pub async fn upload(client: &reqwest::Client, addr: SocketAddr, roster: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(roster).file_name("名单.xlsx");
    let form = reqwest::multipart::Form::new().part("roster", part);
    client.post(format!("http://{addr}/build")).multipart(form).send().await.unwrap()
}

/// The app on `bind` (e.g. "0.0.0.0:0"), reached at 127.0.0.1 on its port.
pub async fn listen_on(bind: &str, config: Config) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind(bind).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(zeren::serve::run(listener, config, std::future::pending()));
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// A request written byte for byte on a new connection, which is then left open without a
/// word more (a body that never comes stays unsent); the reply's status and body.
pub async fn raw(addr: SocketAddr, request: &[u8]) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    tokio::io::AsyncWriteExt::write_all(&mut stream, request).await.unwrap();
    read_reply(&mut stream).await
}

/// One HTTP/1.1 reply read off `stream` to its Content-Length; bounded: 30 s at most.
pub async fn read_reply(stream: &mut (impl tokio::io::AsyncRead + Unpin)) -> (u16, String) {
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).into_owned();
            let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("not a reply: {head}"));
            let len = head
                .lines()
                .find_map(|l| {
                    l.split_once(':').filter(|(k, _)| k.eq_ignore_ascii_case("content-length")).map(|(_, v)| v.trim().parse().unwrap())
                })
                .unwrap_or(0usize);
            if buf.len() >= end + 4 + len {
                return (status, String::from_utf8_lossy(&buf[end + 4..end + 4 + len]).into_owned());
            }
        }
        let read = tokio::io::AsyncReadExt::read(stream, &mut chunk);
        let n = tokio::time::timeout(Duration::from_secs(30), read).await.expect("a reply within 30 s").unwrap_or(0);
        assert!(n > 0, "the connection closed before a whole reply: {}", String::from_utf8_lossy(&buf));
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// `GET /progress?id=…` as the page asks it: (state, done, total).
pub async fn progress_of(client: &reqwest::Client, addr: SocketAddr, id: &str) -> (String, u64, u64) {
    let body = client.get(format!("http://{addr}/progress?id={id}")).send().await.unwrap().bytes().await.unwrap();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    (json["state"].as_str().unwrap_or_default().to_string(), json["done"].as_u64().unwrap_or(0), json["total"].as_u64().unwrap_or(0))
}

/// The progress id a page was given (`name="progress" value="…"`): builds are followed only
/// under ids the service issued.
pub fn page_progress_id(page: &str) -> String {
    let at = page.find("name=\"progress\" value=\"").expect("the page's progress field") + "name=\"progress\" value=\"".len();
    page[at..].split('"').next().unwrap().to_string()
}

/// A progress id from the page, over the socket (so issued to this client's address).
pub async fn issued_id(client: &reqwest::Client, addr: SocketAddr) -> String {
    page_progress_id(&client.get(format!("http://{addr}/")).send().await.unwrap().text().await.unwrap())
}
