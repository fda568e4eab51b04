//! `zeren serve`: the same workspace as the terminal, from a browser on the office network.
//!
//! Routes: `GET /` the form page; `GET /roster-template.xlsx` the blank roster; `POST /build`
//! (multipart: `roster`, optional `kind`…, `year`, `progress`) → a zip, or the problems with
//! 422; `GET /progress?id=` how far a build is (JSON). The app is a plain `Router`, so tests
//! drive it in-process with `oneshot`; `listen::run` serves it on a socket.
//!
//! Safety, in the order a request meets it: the connection's limits (`listen`: time to send the
//! headers, open connections); the Host it names, the access token, the site a write comes from
//! (`guard`: 400/401/403, before anything else); a time limit on the rest of the request (504,
//! and a build in progress is stopped); the number of uploads at once and the size of the upload
//! and of each form field (503/413/400); a bounded wait for one of a fixed number of build slots
//! (503 when the queue is full). Each request has its own temporary folder, removed with the
//! response on every path; the workspace is only read.
//!
//! Fairness (`fair`): one client (one IP address) holds a small share of the upload places and
//! build slots, an upload slower than a minimum rate is cut off (408), and the temporary folders
//! have a budget in all and a cap each (`space`: 503/413). Progress ids are the server's
//! (`track`). A panic in a request is caught and answered with a 500; its folder goes with it.

pub mod fair;
mod generate;
mod guard;
pub mod job;
pub mod listen;
pub mod page;
pub mod space;
mod track;

pub use fair::Peer;
pub use guard::Presented;
pub use listen::run;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::time::Duration;
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
    /// Uploads being received at once (each is written to disk as it comes); past that, 503 at
    /// once. Apart from the build slots: a slow sender holds an upload place, not a build slot.
    pub max_uploads: usize,
    /// Connections open at once (`listen::run`); when all are taken, the oldest idle one is closed.
    pub max_connections: usize,
    /// Longest a client may take to send a request's headers, and to keep an idle connection.
    pub header_timeout: Duration,
    /// The address the service listens on (`listen::run` sets it from its socket): without a
    /// token, only requests addressed to it or to this machine's loopback names are served.
    pub bound: IpAddr,
    /// Required on every request when set.
    pub token: Option<String>,
    /// Where each request's temporary folder is made.
    pub temp_root: PathBuf,
    /// One line per build on stderr (the command sets it; tests do not).
    pub log: bool,
    /// Upload places one client (an IP address) may hold at once; past that, 503.
    pub uploads_per_client: usize,
    /// Slowest upload accepted, in bytes a second over each `rate_window`: a slower one is cut
    /// off (408), so trickling uploads cannot hold the upload places. 0: no minimum.
    pub min_upload_rate: u64,
    pub rate_window: Duration,
    /// Build slots one client may hold at once: with two slots, one, so another user always
    /// has one. Its further requests wait, `waiting_per_client` of them; past that, 503.
    pub builds_per_client: usize,
    pub waiting_per_client: usize,
    /// Bytes all the requests' temporary folders may hold together (503 past it).
    pub temp_budget: u64,
    /// Bytes one request's folder may hold: its upload, its documents and their zip (413 past it).
    pub max_request_space: u64,
    /// Called on the build's thread before each build: for tests of what a failing build does.
    #[doc(hidden)]
    pub before_build: Option<Hook>,
}

/// A function of the order about to be built.
#[derive(Clone)]
pub struct Hook(pub Arc<dyn Fn(&job::Order) + Send + Sync>);

impl std::fmt::Debug for Hook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hook")
    }
}

impl Config {
    pub fn new(root: impl Into<PathBuf>) -> Config {
        let builds = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Config {
            root: root.into(),
            max_upload: 20 * 1024 * 1024,
            timeout: Duration::from_secs(120),
            builds,
            max_waiting: 64,
            max_uploads: 32,
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            bound: IpAddr::V4(Ipv4Addr::LOCALHOST),
            token: None,
            temp_root: std::env::temp_dir(),
            log: false,
            uploads_per_client: 8,
            min_upload_rate: 2 * 1024,
            rate_window: Duration::from_secs(10),
            builds_per_client: (builds / 2).max(1),
            waiting_per_client: 4,
            temp_budget: 2 * 1024 * 1024 * 1024,
            max_request_space: 512 * 1024 * 1024,
            before_build: None,
        }
    }
}

/// Multipart framing and the small fields around the file: allowed on top of `max_upload`.
const FORM_SLACK: u64 = 64 * 1024;
/// What a busy reply asks the client to wait before trying again, in seconds.
const RETRY_AFTER: u64 = 15;

struct Shared {
    config: Config,
    slots: Arc<Semaphore>,
    uploads: Arc<Semaphore>,
    waiting: AtomicUsize,
    tracks: track::Tracks,
    uploaders: Arc<fair::Shares>,
    builders: Arc<fair::Builders>,
    space: Arc<space::Budget>,
    /// The PDF's faces, found once and kept while the workspace's style and fonts stay the same.
    pdf_writers: Arc<crate::pdf::WriterCache>,
}

type AppState = Arc<Shared>;

/// The router with its state and layers.
pub fn app(config: Config) -> Router {
    let body_limit = usize::try_from(config.max_upload.saturating_add(FORM_SLACK)).unwrap_or(usize::MAX);
    let state: AppState = Arc::new(Shared {
        slots: Arc::new(Semaphore::new(config.builds.max(1))),
        uploads: Arc::new(Semaphore::new(config.max_uploads.max(1))),
        waiting: AtomicUsize::new(0),
        tracks: track::Tracks::default(),
        uploaders: Arc::default(),
        builders: fair::Builders::new(config.builds_per_client),
        space: space::Budget::new(config.temp_budget),
        pdf_writers: Arc::default(),
        config,
    });
    Router::new()
        .route("/", get(index))
        .route("/roster-template.xlsx", get(roster_template))
        .route("/build", post(generate::build))
        .route("/progress", get(progress))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(body_limit))
        // Outermost last: headers on every reply; then the guard before anything else, the
        // time limit's page included.
        .layer(middleware::from_fn_with_state(state.clone(), deadline))
        .layer(middleware::from_fn_with_state(state.clone(), guard::guard))
        .layer(middleware::from_fn(caught))
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

/// A one-message reply: a page for a browser, a line for a script. `token` is the request's own.
fn say(status: StatusCode, title: &str, text: &str, as_html: bool, token: Option<&str>) -> Response {
    if as_html { html(status, page::message(title, text, token)) } else { plain(status, page::visible(&format!("{title}：{text}\n"))) }
}

/// 422 with the problems as the CLI prints them (warnings, then errors), each list cut at
/// `page::SHOWN_PROBLEMS`.
fn refuse(problems: &crate::diag::Problems, as_html: bool, token: Option<&str>) -> Response {
    if as_html {
        return html(StatusCode::UNPROCESSABLE_ENTITY, page::problems(&problems.0, token));
    }
    let shown = page::shown(&problems.0);
    let mut text = String::new();
    let lines = shown.warnings.iter().map(|p| p.to_string()).chain(shown.more_warnings());
    for line in lines.chain(shown.errors.iter().map(|p| p.to_string())).chain(shown.more_errors()) {
        text.push_str(&page::visible(&line));
        text.push('\n');
    }
    text.push_str(&format!("共 {} 处错误，未生成任何文件。\n", shown.errors_total));
    plain(StatusCode::UNPROCESSABLE_ENTITY, text)
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

/// 503 with when to try again, in the header and in the words.
fn busy(text: &str, as_html: bool, token: Option<&str>) -> Response {
    let text = format!("{text}；请约 {RETRY_AFTER} 秒后再试");
    let mut res = say(StatusCode::SERVICE_UNAVAILABLE, "服务器繁忙", &text, as_html, token);
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER));
    res
}

/// A request's temporary space could not be had: too much for one request (413), or taken by
/// others for now (503).
fn no_space(short: space::Short, documents: Option<usize>, as_html: bool, token: Option<&str>) -> Response {
    match short {
        space::Short::Server => busy("服务器的临时空间正被其他人的生成占用，暂时不够，未生成文书", as_html, token),
        space::Short::Request { needed, cap } => {
            let what = match documents {
                Some(n) => format!("这份名单要生成 {n} 份文书，连同压缩包约需 {} 临时空间", space::shown(needed)),
                None => format!("生成的文书和压缩包超过了 {}", space::shown(cap)),
            };
            let text = format!(
                "{what}，超过网页生成每次 {} 的上限，未生成文书；请把名单分成几份分批上传，或在终端运行 zeren build",
                space::shown(cap)
            );
            say(StatusCode::PAYLOAD_TOO_LARGE, "名单太大", &text, as_html, token)
        }
    }
}

async fn not_found(headers: HeaderMap, Extension(Presented(token)): Extension<Presented>) -> Response {
    say(StatusCode::NOT_FOUND, "找不到页面", "没有这个网址", wants_html(&headers), token.as_deref())
}

// ---------------------------------------------------------------------------------------------
// Layers

/// Pages hold nothing from elsewhere; and the token in a URL must not leak through Referer to
/// another site. (`same-origin`, not `no-referrer`: under `no-referrer` a browser sends the
/// page's own form with `Origin: null`, which the guard must take for another site.)
async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    res
}

/// A panic while answering a request ends that request only: it gets a 500 and a line in the
/// log; what it held (its folder, its places) was dropped on the way out.
async fn caught(req: Request, next: Next) -> Response {
    let as_html = wants_html(req.headers());
    match CatchUnwind(Box::pin(next.run(req))).await {
        Ok(res) => res,
        Err(panic) => crashed(&*panic, as_html, None),
    }
}

/// The reply to a request whose handling panicked, and the log line.
fn crashed(panic: &(dyn std::any::Any + Send), as_html: bool, token: Option<&str>) -> Response {
    let what = panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_default();
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{}", page::visible(&format!("处理请求时程序出错（已中止这个请求，服务照常运行）：{what}")));
    let text = "处理这次请求时服务器程序出错，未生成文书，临时文件已删除；服务仍在运行，详情已记入服务日志，请联系管理员";
    say(StatusCode::INTERNAL_SERVER_ERROR, "服务器出错", text, as_html, token)
}

/// A future whose panic comes back as an `Err`.
struct CatchUnwind<F>(std::pin::Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn std::any::Any + Send>>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(std::task::Poll::Pending) => std::task::Poll::Pending,
            Ok(std::task::Poll::Ready(v)) => std::task::Poll::Ready(Ok(v)),
            Err(panic) => std::task::Poll::Ready(Err(panic)),
        }
    }
}

/// The rest of the request within the time limit. A build in progress when it passes is told
/// to stop (dropping the request drops `generate::build`'s guard), and frees its slot and its
/// folder at its next document.
async fn deadline(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let as_html = wants_html(req.headers());
    let token = req.extensions().get::<Presented>().and_then(|p| p.0.clone());
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
            token.as_deref(),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Pages

async fn index(State(s): State<AppState>, Extension(Presented(token)): Extension<Presented>, req: Request) -> Response {
    let root = s.config.root.clone();
    let ws = tokio::task::spawn_blocking(move || workspace_head(&root)).await.unwrap_or_default();
    // The page's own progress id: only ids the service gave out are followed.
    let id = s.tracks.issue(fair::Client::of(req.extensions().get::<Peer>()));
    let body = page::index(&ws, token.as_deref(), s.config.max_upload / (1024 * 1024), &id);
    let mut res = html(StatusCode::OK, body);
    // Each page its own id: never one from a cache.
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The organ, year and kinds for the page, read from the workspace as it is now (it may be
/// edited while the service runs); anything unreadable is simply not shown.
fn workspace_head(root: &Path) -> page::Workspace {
    #[derive(serde::Deserialize)]
    struct Head {
        organ: Option<String>,
        year: Option<i32>,
    }
    let head =
        std::fs::read_to_string(root.join(crate::load::SETTINGS_FILE)).ok().and_then(|text| serde_saphyr::from_str::<Head>(&text).ok());
    let (organ, year) = head.map(|h| (h.organ, h.year)).unwrap_or_default();
    page::Workspace { organ, year, offer: crate::site::offer(root), word: crate::site::word_offer(root) }
}

async fn roster_template(State(s): State<AppState>, headers: HeaderMap, Extension(Presented(token)): Extension<Presented>) -> Response {
    // The 类别 dropdown offers the workspace's kinds; a zeren.yaml that cannot say them gives the
    // built-in ones here (the page's check reports it).
    let root = s.config.root.clone();
    let make = move || {
        let kinds = crate::load::workspace_kinds(&root).unwrap_or_default();
        crate::write::roster_template::template_xlsx_for(&kinds)
    };
    match tokio::task::spawn_blocking(make).await {
        Ok(Ok(bytes)) => (
            [
                (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
                (header::CONTENT_DISPOSITION, attachment("roster-template.xlsx", "名单模板.xlsx")),
                (header::CACHE_CONTROL, "no-store".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) => internal(format!("生成名单模板失败：{e}"), wants_html(&headers), token.as_deref()),
        Err(e) => internal(format!("生成名单模板失败：{e}"), wants_html(&headers), token.as_deref()),
    }
}

/// `attachment` with an ASCII fallback name and the real (Chinese) one per RFC 6266.
fn attachment(ascii: &str, name: &str) -> String {
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{}", page::pct(name))
}

async fn progress(State(s): State<AppState>, req: Request) -> Response {
    let id = guard::query(req.uri().query(), "id").unwrap_or_default();
    let track = s.tracks.get(&id);
    let json = |status: StatusCode, v: serde_json::Value| {
        let mut res = (status, [(header::CONTENT_TYPE, "application/json")], v.to_string()).into_response();
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        res
    };
    let Some(t) = track else {
        return json(StatusCode::NOT_FOUND, serde_json::json!({ "state": "unknown" }));
    };
    let state = match t.state {
        track::Stage::Queued => "queued",
        track::Stage::Running => "running",
        track::Stage::Done => "done",
        track::Stage::Failed => "failed",
    };
    let total = t.bar.length().unwrap_or(0);
    json(StatusCode::OK, serde_json::json!({ "state": state, "done": t.bar.position(), "total": total }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    async fn faulty() -> &'static str {
        panic!("a fault in a handler")
    }

    #[tokio::test]
    async fn a_panicking_handler_is_one_500_and_the_router_goes_on() {
        let router = Router::new().route("/", get(faulty)).route("/ok", get(|| async { "ok" })).layer(middleware::from_fn(caught));
        let req = |uri: &str| axum::http::Request::get(uri).body(axum::body::Body::empty()).unwrap();
        let res = router.clone().oneshot(req("/")).await.unwrap();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        let body = String::from_utf8_lossy(&body);
        assert!(body.starts_with("服务器出错：处理这次请求时服务器程序出错") && !body.contains("a fault"), "{body}");
        assert_eq!(router.oneshot(req("/ok")).await.unwrap().status(), StatusCode::OK);
    }
}
