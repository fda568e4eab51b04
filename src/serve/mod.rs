//! `zeren serve`: the same workspace as the terminal, from a browser on the office network.
//!
//! Routes: `GET /` the form page; `GET /roster-template.xlsx` the blank roster; `POST /build`
//! (multipart: `roster`, optional `kind`…, `year`, `token`, `progress`) → a zip, or the problems
//! with 422; `GET /progress?id=` how far a build is (JSON). The app is a plain `Router`, so tests
//! drive it in-process with `oneshot` as well as over a socket.
//!
//! Safety, in the order a request meets it: a time limit on the whole request (504); the access
//! token when one is set (401); the upload size (413); a bounded wait for one of a fixed number of
//! build slots (503 when the queue is full). Each request has its own temporary folder, removed
//! with the response on every path; the workspace is only read.

pub mod job;
pub mod page;

use crate::model::Kind;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use indicatif::ProgressBar;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use tokio::sync::Semaphore;

/// How the service runs; `Config::new` gives the defaults `zeren serve` starts with.
#[derive(Debug, Clone)]
pub struct Config {
    /// The workspace: zeren.yaml, templates, duty catalogue. Only ever read.
    pub root: PathBuf,
    /// Largest roster upload, in bytes (413 over it).
    pub max_upload: u64,
    /// Longest a request may take, waiting for a slot included (504 past it).
    pub timeout: Duration,
    /// Builds at once. Each build already spreads over every core, so more would only make each
    /// one slower.
    pub builds: usize,
    /// Requests that may wait for a slot; past that, 503 at once rather than a long queue.
    pub max_waiting: usize,
    /// Required on every request when set.
    pub token: Option<String>,
    /// Where each request's temporary folder is made.
    pub temp_root: PathBuf,
    /// One line per build on stderr (the command sets it; tests do not).
    pub log: bool,
}

impl Config {
    pub fn new(root: impl Into<PathBuf>) -> Config {
        Config {
            root: root.into(),
            max_upload: 20 * 1024 * 1024,
            timeout: Duration::from_secs(120),
            builds: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            max_waiting: 64,
            token: None,
            temp_root: std::env::temp_dir(),
            log: false,
        }
    }
}

/// Multipart framing and the small fields around the file: allowed on top of `max_upload`.
const FORM_SLACK: u64 = 64 * 1024;
/// How long a finished build's progress is kept for the page to read.
const TRACK_TTL: Duration = Duration::from_secs(600);
const MAX_TRACKS: usize = 10_000;

struct Shared {
    config: Config,
    slots: Arc<Semaphore>,
    waiting: AtomicUsize,
    tracks: Mutex<HashMap<String, Track>>,
}

type AppState = Arc<Shared>;

#[derive(Clone)]
struct Track {
    state: Stage,
    bar: ProgressBar,
    since: Instant,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    Queued,
    Running,
    Done,
    Failed,
}

/// The router with its state and layers.
pub fn app(config: Config) -> Router {
    let body_limit = usize::try_from(config.max_upload.saturating_add(FORM_SLACK)).unwrap_or(usize::MAX);
    let state: AppState = Arc::new(Shared {
        slots: Arc::new(Semaphore::new(config.builds.max(1))),
        config,
        waiting: AtomicUsize::new(0),
        tracks: Mutex::new(HashMap::new()),
    });
    Router::new()
        .route("/", get(index))
        .route("/roster-template.xlsx", get(roster_template))
        .route("/build", post(build))
        .route("/progress", get(progress))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(middleware::from_fn_with_state(state.clone(), authorize))
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

// ---------------------------------------------------------------------------------------------
// Replies

/// Browsers get pages; curl and scripts (no `text/html` in Accept) get the CLI's plain lines.
fn wants_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| a.contains("text/html"))
}

fn html(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn plain(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// A one-message reply: a page for a browser, a line for a script.
fn say(status: StatusCode, title: &str, text: &str, as_html: bool, token: Option<&str>) -> Response {
    if as_html { html(status, page::message(title, text, token)) } else { plain(status, format!("{title}：{text}\n")) }
}

/// 422 with every problem, as the CLI prints them.
fn refuse(problems: &crate::diag::Problems, as_html: bool, token: Option<&str>) -> Response {
    if as_html {
        return html(StatusCode::UNPROCESSABLE_ENTITY, page::problems(&problems.0, token));
    }
    plain(StatusCode::UNPROCESSABLE_ENTITY, crate::diag::report::plain(problems))
}

/// The server's own workspace is at fault: said as such, never as the uploader's error.
fn server_fault(as_html: bool, token: Option<&str>) -> Response {
    let text = "服务端工作区有误（设置、模板或数据文件），不是您上传的名单的问题；请联系管理员，详情已记入服务日志";
    say(StatusCode::INTERNAL_SERVER_ERROR, "服务端工作区有误，请联系管理员", text, as_html, token)
}

fn too_large(max: u64, as_html: bool, token: Option<&str>) -> Response {
    let text = format!("上传的文件超过 {} MB 的上限，未处理；单位名单通常不到 1 MB，请确认选对了文件", max / (1024 * 1024));
    say(StatusCode::PAYLOAD_TOO_LARGE, "文件太大", &text, as_html, token)
}

fn internal(what: impl std::fmt::Display, as_html: bool, token: Option<&str>) -> Response {
    say(StatusCode::INTERNAL_SERVER_ERROR, "服务器出错", &format!("{what}；请稍后再试，或联系管理员"), as_html, token)
}

async fn not_found(headers: HeaderMap, State(s): State<AppState>) -> Response {
    say(StatusCode::NOT_FOUND, "找不到页面", "没有这个网址", wants_html(&headers), s.config.token.as_deref())
}

// ---------------------------------------------------------------------------------------------
// Layers

/// Pages hold nothing from elsewhere; and the token in a URL must not leak through Referer.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    res
}

/// The whole request within the time limit. A build already running when it passes finishes on
/// its blocking thread (it cannot be stopped midway) and then frees its slot and its folder.
async fn deadline(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let as_html = wants_html(req.headers());
    let limit = s.config.timeout;
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => say(
            StatusCode::GATEWAY_TIMEOUT,
            "超时",
            &format!(
                "请求在 {} 秒内未能完成，已放弃，未生成文书。可能是同时生成的人较多或名单很大：请稍后再试，或分批上传，或在终端运行 zeren build",
                limit.as_secs()
            ),
            as_html,
            s.config.token.as_deref(),
        ),
    }
}

/// Set on a form post that brought no token in its header or URL: the form's `token` field is
/// checked once the form is read.
#[derive(Clone, Copy)]
struct FormToken;

async fn authorize(State(s): State<AppState>, mut req: Request, next: Next) -> Response {
    let Some(expected) = s.config.token.as_deref() else { return next.run(req).await };
    let given = bearer(req.headers()).or_else(|| query(req.uri().query(), "token"));
    if given.as_deref().is_some_and(|t| same_token(t, expected)) {
        return next.run(req).await;
    }
    if given.is_none() && req.method() == Method::POST && req.uri().path() == "/build" {
        req.extensions_mut().insert(FormToken);
        return next.run(req).await;
    }
    unauthorized(wants_html(req.headers()), given.is_some())
}

fn unauthorized(as_html: bool, wrong: bool) -> Response {
    let text = if wrong {
        "访问令牌不正确。请使用管理员提供的完整网址，或输入正确的访问令牌"
    } else {
        "本服务需要访问令牌：请使用管理员提供的完整网址（含 ?token=…），或在下面输入访问令牌；脚本请加请求头 Authorization: Bearer 令牌"
    };
    let mut res =
        if as_html { html(StatusCode::UNAUTHORIZED, page::token_form(text)) } else { plain(StatusCode::UNAUTHORIZED, format!("{text}\n")) };
    res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer realm=\"zeren\""));
    res
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    // As UTF-8, not `to_str` (visible ASCII only): a token may be typed in Chinese.
    let value = std::str::from_utf8(headers.get(header::AUTHORIZATION)?.as_bytes()).ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string())
}

/// One value of a query string, percent-decoded.
fn query(q: Option<&str>, key: &str) -> Option<String> {
    let q = q?;
    let pairs: HashMap<String, String> =
        axum::extract::Query::<HashMap<String, String>>::try_from_uri(&format!("/?{q}").parse().ok()?).ok()?.0;
    pairs.get(key).cloned()
}

/// Compared in constant time: both sides are hashed first, so neither the content nor the
/// length of the real token shows in how long a wrong guess takes.
fn same_token(given: &str, expected: &str) -> bool {
    let (a, b) = (Sha256::digest(given.as_bytes()), Sha256::digest(expected.as_bytes()));
    a.iter().zip(b.iter()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

// ---------------------------------------------------------------------------------------------
// Pages

async fn index(State(s): State<AppState>) -> Response {
    let root = s.config.root.clone();
    let ws = tokio::task::spawn_blocking(move || workspace_head(&root)).await.unwrap_or_default();
    let body = page::index(&ws, s.config.token.as_deref(), s.config.max_upload / (1024 * 1024));
    html(StatusCode::OK, body)
}

/// The organ and year for the page, read from zeren.yaml as it is now (it may be edited while
/// the service runs); anything unreadable is simply not shown.
fn workspace_head(root: &Path) -> page::Workspace {
    #[derive(serde::Deserialize)]
    struct Head {
        organ: Option<String>,
        year: Option<i32>,
    }
    std::fs::read_to_string(root.join(crate::load::SETTINGS_FILE))
        .ok()
        .and_then(|text| serde_saphyr::from_str::<Head>(&text).ok())
        .map(|h| page::Workspace { organ: h.organ, year: h.year })
        .unwrap_or_default()
}

async fn roster_template(headers: HeaderMap, State(s): State<AppState>) -> Response {
    match tokio::task::spawn_blocking(crate::write::roster_template::template_xlsx).await {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
                (header::CONTENT_DISPOSITION, attachment("roster-template.xlsx", "名单模板.xlsx")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => internal(format!("生成名单模板失败：{e}"), wants_html(&headers), s.config.token.as_deref()),
        Err(e) => internal(format!("生成名单模板失败：{e}"), wants_html(&headers), s.config.token.as_deref()),
    }
}

/// `attachment` with an ASCII fallback name and the real (Chinese) one per RFC 6266.
fn attachment(ascii: &str, name: &str) -> String {
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", page::pct(name))
}

async fn progress(State(s): State<AppState>, req: Request) -> Response {
    let id = query(req.uri().query(), "id").unwrap_or_default();
    let track = s.tracks.lock().unwrap_or_else(|e| e.into_inner()).get(&id).cloned();
    let json = |status: StatusCode, v: serde_json::Value| {
        let mut res = (status, [(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response();
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res
    };
    let Some(t) = track else {
        return json(StatusCode::NOT_FOUND, serde_json::json!({ "state": "unknown" }));
    };
    let state = match t.state {
        Stage::Queued => "queued",
        Stage::Running => "running",
        Stage::Done => "done",
        Stage::Failed => "failed",
    };
    let total = t.bar.length().unwrap_or(0);
    json(StatusCode::OK, serde_json::json!({ "state": state, "done": t.bar.position(), "total": total }))
}

impl Shared {
    /// Follows a build the page asked to follow (`progress` field: its own random id).
    fn track(&self, id: Option<&str>, state: Stage, bar: &ProgressBar) {
        let Some(id) = id else { return };
        let mut tracks = self.tracks.lock().unwrap_or_else(|e| e.into_inner());
        if !tracks.contains_key(id) {
            tracks.retain(|_, t| t.since.elapsed() < TRACK_TTL);
            if tracks.len() >= MAX_TRACKS {
                return;
            }
        }
        tracks.insert(id.to_string(), Track { state, bar: bar.clone(), since: Instant::now() });
    }
}

// ---------------------------------------------------------------------------------------------
// The build

/// What the form sent, the roster already on disk in the request's folder.
#[derive(Default)]
struct Form {
    /// Stored path, size, name as uploaded.
    roster: Option<(PathBuf, u64, String)>,
    kinds: Vec<String>,
    year: Option<String>,
    token: Option<String>,
    progress: Option<String>,
}

enum FormError {
    TooLarge,
    Bad(String),
    Io(std::io::Error),
}

impl From<axum::extract::multipart::MultipartError> for FormError {
    fn from(e: axum::extract::multipart::MultipartError) -> FormError {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE { FormError::TooLarge } else { FormError::Bad(e.body_text()) }
    }
}

/// Streams the form into `dir`: the roster field to a file (never named after the upload), the
/// rest as short text.
async fn read_form(mut multipart: Multipart, dir: &Path, max: u64) -> Result<Form, FormError> {
    let mut form = Form::default();
    while let Some(mut field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_string();
        if name != "roster" {
            let value = field.text().await?;
            let value = value.trim().to_string();
            match name.as_str() {
                "kind" => form.kinds.extend(value.split([',', '，', '、']).map(str::trim).filter(|k| !k.is_empty()).map(String::from)),
                "year" if !value.is_empty() => form.year = Some(value),
                "token" => form.token = Some(value),
                "progress" if !value.is_empty() => form.progress = Some(value),
                _ => {}
            }
            continue;
        }
        if form.roster.is_some() {
            return Err(FormError::Bad("只能上传一个名单文件".into()));
        }
        let shown = job::shown_name(field.file_name());
        let part = dir.join("upload.part");
        let mut file = tokio::fs::File::create(&part).await.map_err(FormError::Io)?;
        let (mut size, mut head) = (0u64, Vec::with_capacity(64));
        while let Some(chunk) = field.chunk().await? {
            size += chunk.len() as u64;
            if size > max {
                return Err(FormError::TooLarge);
            }
            if head.len() < 64 {
                head.extend_from_slice(&chunk[..chunk.len().min(64 - head.len())]);
            }
            file.write_all(&chunk).await.map_err(FormError::Io)?;
        }
        file.flush().await.map_err(FormError::Io)?;
        drop(file);
        let stored = dir.join(job::stored_name(&head));
        tokio::fs::rename(&part, &stored).await.map_err(FormError::Io)?;
        form.roster = Some((stored, size, shown));
    }
    Ok(form)
}

/// Frees a place in the queue however the wait ends (a slot, or the time limit dropping it).
struct Waiting(AppState);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

async fn build(State(s): State<AppState>, req: Request) -> Response {
    let as_html = wants_html(req.headers());
    let token = s.config.token.as_deref();
    let form_token = req.extensions().get::<FormToken>().is_some();
    let max = s.config.max_upload;
    // A declared length over the limit is refused before a byte of the body is read.
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max.saturating_add(FORM_SLACK)) {
        return too_large(max, as_html, token);
    }
    let multipart = match Multipart::from_request(req, &()).await {
        Ok(m) => m,
        Err(_) => {
            let text = "请用表单上传名单（multipart/form-data，名单文件的字段名为 roster），例如：curl -F roster=@名单.xlsx http://地址/build -o 文书.zip";
            return say(StatusCode::BAD_REQUEST, "请求格式不对", text, as_html, token);
        }
    };
    // The request's own folder: the upload and the results live here, and go with it.
    let dir = match tempfile::Builder::new().prefix("zeren-serve-").tempdir_in(&s.config.temp_root) {
        Ok(d) => d,
        Err(e) => return internal(format!("无法创建临时文件夹：{e}"), as_html, token),
    };
    let form = match read_form(multipart, dir.path(), max).await {
        Ok(f) => f,
        Err(FormError::TooLarge) => return too_large(max, as_html, token),
        Err(FormError::Bad(why)) => {
            return say(StatusCode::BAD_REQUEST, "上传不完整", &format!("上传中断或表单格式有误，请重新上传（{why}）"), as_html, token);
        }
        Err(FormError::Io(e)) => return internal(format!("无法保存上传的文件：{e}"), as_html, token),
    };
    if form_token {
        let ok = match (form.token.as_deref(), token) {
            (Some(given), Some(expected)) => same_token(given, expected),
            _ => false,
        };
        if !ok {
            return unauthorized(as_html, form.token.is_some());
        }
    }
    let order = match order(form.roster.clone(), &form) {
        Ok(o) => o,
        Err(problems) => return refuse(&problems, as_html, token),
    };
    let progress_id = form.progress.as_deref().filter(|id| id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
    let bar = ProgressBar::hidden();
    s.track(progress_id, Stage::Queued, &bar);

    // A slot, waiting if all are taken; a full queue is told so at once.
    if s.slots.available_permits() == 0 && s.waiting.load(Ordering::SeqCst) >= s.config.max_waiting {
        s.track(progress_id, Stage::Failed, &bar);
        let text = format!("同时生成的请求太多（{} 个在生成，{} 个在排队），请稍后再试", s.config.builds, s.config.max_waiting);
        return say(StatusCode::SERVICE_UNAVAILABLE, "服务器繁忙", &text, as_html, token);
    }
    s.waiting.fetch_add(1, Ordering::SeqCst);
    let queued = Waiting(s.clone());
    let permit = match s.slots.clone().acquire_owned().await {
        Ok(p) => p,
        Err(_) => return internal("服务正在停止", as_html, token),
    };
    drop(queued);
    s.track(progress_id, Stage::Running, &bar);

    let started = Instant::now();
    let root = s.config.root.clone();
    let job_bar = bar.clone();
    // The permit and the folder go with the blocking work: a build cut off by the time limit
    // still holds its slot until it really ends, and its folder is removed then.
    let task = tokio::task::spawn_blocking(move || {
        let _slot = permit;
        let result = job::run(&root, &order, dir.path(), &job_bar);
        (dir, order, result)
    });
    let (dir, order, result) = match task.await {
        Ok(done) => done,
        Err(e) => {
            s.track(progress_id, Stage::Failed, &bar);
            return internal(format!("生成时发生内部错误（{e}）"), as_html, token);
        }
    };
    let built = match result {
        Ok(b) => b,
        Err(job::Refusal::Upload(problems)) => {
            s.track(progress_id, Stage::Failed, &bar);
            if s.config.log {
                log(format_args!("未生成：{} 有 {} 处错误", order.shown, problems.iter().filter(|p| p.is_error()).count()));
            }
            return refuse(&problems, as_html, token);
        }
        Err(job::Refusal::Server(problems)) => {
            s.track(progress_id, Stage::Failed, &bar);
            // The uploader cannot see or mend the server's files: the details are the operator's.
            log(format_args!("服务端工作区有误，未能为 {} 生成：\n{}", order.shown, crate::diag::report::plain(&problems).trim_end()));
            return server_fault(as_html, token);
        }
    };
    let file = match tokio::fs::File::open(&built.zip).await {
        Ok(f) => f,
        Err(e) => return internal(format!("无法读取生成的压缩包：{e}"), as_html, token),
    };
    let len = file.metadata().await.map(|m| m.len()).ok();
    if s.config.log {
        log(format_args!(
            "已生成 {} 份（{}）→ {}，用时 {:.1} 秒",
            built.documents,
            order.shown,
            built.file_name,
            started.elapsed().as_secs_f64()
        ));
    }
    s.track(progress_id, Stage::Done, &bar);
    let body = Body::from_stream(ZipBody { stream: tokio_util::io::ReaderStream::new(file), _dir: dir });
    let mut res = Response::new(body);
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/zip"));
    if let Ok(v) = HeaderValue::from_str(&attachment("zeren.zip", &built.file_name)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Some(len) = len {
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A line for whoever runs the service; a closed stderr is no reason to fail a request.
fn log(line: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// The form's fields checked: a roster was sent, the kinds and year are ones we know.
fn order(roster: Option<(PathBuf, u64, String)>, form: &Form) -> Result<job::Order, crate::diag::Problems> {
    use crate::diag::{Place, Problem, Problems};
    let mut problems = Problems::new();
    let mut kinds = Vec::new();
    for k in &form.kinds {
        match Kind::parse(k) {
            Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
            Some(_) => {}
            None => {
                problems.push(Problem::error(Place::Nowhere, "serve.kind", format!("未知的文书种类“{k}”；可用：{}", Kind::known_list())))
            }
        }
    }
    let year = form.year.as_deref().and_then(|y| match y.parse::<i32>() {
        Ok(n) if (1949..=9999).contains(&n) => Some(n),
        _ => {
            problems.push(Problem::error(Place::Nowhere, "serve.year", format!("年度“{y}”无效，应为四位年份，如 2026；也可不填")));
            None
        }
    });
    let roster = match roster {
        // A form submitted without choosing a file sends an empty part with no name.
        Some((_, 0, shown)) if form_file_missing(&shown) => None,
        other => other,
    };
    let Some((path, _, shown)) = roster else {
        problems.push(Problem::error(Place::Nowhere, "serve.no-roster", "没有收到名单文件：请选择要上传的名单（xlsx、xls 或 ods）"));
        return Err(problems);
    };
    if problems.has_errors() {
        return Err(problems);
    }
    Ok(job::Order { roster: path, shown, kinds, year })
}

fn form_file_missing(shown: &str) -> bool {
    shown == job::shown_name(None)
}

/// The zip's bytes, with the request's folder: both go when the body is done or dropped (the
/// file is closed first: fields drop in order).
struct ZipBody {
    stream: tokio_util::io::ReaderStream<tokio::fs::File>,
    _dir: tempfile::TempDir,
}

impl futures_core::Stream for ZipBody {
    type Item = std::io::Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Pin::new(&mut self.get_mut().stream).poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_whole() {
        assert!(same_token("s3cret-token", "s3cret-token"));
        assert!(!same_token("s3cret-toke", "s3cret-token"));
        assert!(!same_token("", "s3cret-token"));
        assert!(!same_token("s3cret-token ", "s3cret-token"));
    }

    #[test]
    fn bearer_and_query_tokens_are_read() {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer abc"));
        assert_eq!(bearer(&h).as_deref(), Some("abc"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(bearer(&h), None);
        assert_eq!(query(Some("a=1&token=%E4%BB%A4+x"), "token").as_deref(), Some("令 x"));
        assert_eq!(query(None, "token"), None);
    }

    #[test]
    fn form_fields_are_checked_together() {
        let form = Form { kinds: vec!["责任书".into(), "公告".into()], year: Some("20x6".into()), ..Form::default() };
        let p = order(Some((PathBuf::from("r.xlsx"), 10, "名单.xlsx".into())), &form).err().unwrap();
        let lines: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("未知的文书种类“公告”"));
        assert!(lines[1].starts_with("年度“20x6”无效"));
        let none = order(Some((PathBuf::from("r.xlsx"), 0, job::shown_name(None))), &Form::default()).err().unwrap();
        assert!(none.0[0].message.starts_with("没有收到名单文件"));
        let ok = order(
            Some((PathBuf::from("r.xlsx"), 10, "名单.xlsx".into())),
            &Form { kinds: vec!["task-notice".into(), "函告书".into()], ..Form::default() },
        )
        .unwrap();
        assert_eq!(ok.kinds, [Kind::TaskNotice], "English and Chinese names, once each");
    }
}
