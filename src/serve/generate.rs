//! `POST /build`: the form received into the request's own folder (the roster streamed to disk,
//! every other field short), a build slot, the build on a blocking thread that stops when the
//! request is given up, and the zip streamed back.

use super::fair::{Client, Paced, Peer, Share, Turn};
use super::space::{Claim, Folder, Short};
use super::track::Stage;
use super::{
    AppState, Presented, Shared, attachment, busy, crashed, internal, job, no_space, page, refuse, say, server_fault, too_large, wants_html,
};
use crate::diag::{Place, Problem, Problems};
use crate::load::limits::MAX_WORD_TEMPLATES;
use crate::model::Kind;
use crate::stop::Stop;
use axum::Extension;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use indicatif::ProgressBar;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;
use tokio::io::AsyncWriteExt;
use tokio::sync::OwnedSemaphorePermit;

/// Parts a form may have: the page sends eight, and one for each Word template ticked.
const MAX_FIELDS: usize = 32 + MAX_WORD_TEMPLATES;
/// Bytes of any field but the roster: a kind, a year, a progress id are a few dozen.
const MAX_FIELD_BYTES: usize = 1024;
/// Kinds named in one request, repeats included (there are four).
const MAX_KINDS: usize = 16;

/// What the form sent, the roster already on disk in the request's folder.
#[derive(Default)]
struct Form {
    /// The roster file, when one was chosen.
    roster: Option<Upload>,
    kinds: Vec<String>,
    /// The workspace's Word templates ticked, by name.
    word: Vec<String>,
    year: Option<String>,
    progress: Option<String>,
    /// “同时生成 PDF” ticked.
    pdf: bool,
}

/// An uploaded file: where it was stored, and the name it had, for messages only.
#[derive(Debug, Clone)]
struct Upload {
    stored: PathBuf,
    shown: String,
}

enum FormError {
    TooLarge,
    /// A field past its bound: said as is.
    Field(String),
    Bad(String),
    Io(std::io::Error),
    /// The upload would pass the temporary space one request, or the service, may use.
    Space(Short),
}

impl From<axum::extract::multipart::MultipartError> for FormError {
    fn from(e: axum::extract::multipart::MultipartError) -> FormError {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE { FormError::TooLarge } else { FormError::Bad(e.body_text()) }
    }
}

/// Streams the form into `dir`: the roster field to a file (never named after the upload), the
/// rest as short text, every part and field bounded.
async fn read_form(multipart: &mut Multipart, dir: &Path, claim: &mut Claim, max: u64) -> Result<Form, FormError> {
    let mut form = Form::default();
    let mut fields = 0;
    while let Some(mut field) = multipart.next_field().await? {
        fields += 1;
        if fields > MAX_FIELDS {
            return Err(FormError::Field(format!("表单的字段超过 {MAX_FIELDS} 个，请用本服务的页面上传")));
        }
        let name = field.name().unwrap_or_default().to_string();
        if name != "roster" {
            let value = short_text(&mut field, &name).await?;
            match name.as_str() {
                "kind" => {
                    let named = value.split([',', '，', '、']).map(str::trim).filter(|k| !k.is_empty());
                    form.kinds.extend(named.map(String::from));
                    if form.kinds.len() > MAX_KINDS {
                        return Err(FormError::Field(format!("文书种类（kind）超过 {MAX_KINDS} 个；可用：{}", Kind::known_list())));
                    }
                }
                "word" if !value.is_empty() => {
                    form.word.push(value);
                    if form.word.len() > MAX_WORD_TEMPLATES {
                        return Err(FormError::Field(format!("Word 模板（word）超过 {MAX_WORD_TEMPLATES} 个")));
                    }
                }
                "year" if !value.is_empty() => form.year = Some(value),
                "progress" if !value.is_empty() => form.progress = Some(value),
                "pdf" => form.pdf = !matches!(value.as_str(), "" | "0" | "false" | "off" | "否"),
                _ => {}
            }
            continue;
        }
        if form.roster.is_some() {
            return Err(FormError::Bad("只能上传一个名单文件".into()));
        }
        form.roster = store_roster(&mut field, dir, claim, max).await?;
    }
    Ok(form)
}

/// A field other than the roster, read up to `MAX_FIELD_BYTES`, trimmed.
async fn short_text(field: &mut axum::extract::multipart::Field<'_>, name: &str) -> Result<String, FormError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await? {
        if bytes.len() + chunk.len() > MAX_FIELD_BYTES {
            let shown: String = name.chars().take(40).collect();
            return Err(FormError::Field(format!("表单字段“{shown}”超过 {MAX_FIELD_BYTES} 字节")));
        }
        bytes.extend_from_slice(&chunk);
    }
    let text = String::from_utf8(bytes).map_err(|_| FormError::Field("表单字段不是 UTF-8 文字".into()))?;
    Ok(text.trim().to_string())
}

/// The roster part written to `dir` as it comes, each chunk claimed before it is written. A form
/// submitted without choosing a file sends an empty part with no file name: that is no upload.
async fn store_roster(
    field: &mut axum::extract::multipart::Field<'_>,
    dir: &Path,
    claim: &mut Claim,
    max: u64,
) -> Result<Option<Upload>, FormError> {
    let chosen = field.file_name().is_some_and(|n| !n.is_empty());
    let shown = job::shown_name(field.file_name());
    let part = dir.join("upload.part");
    let mut file = tokio::fs::File::create(&part).await.map_err(FormError::Io)?;
    let (mut size, mut head) = (0u64, Vec::with_capacity(64));
    while let Some(chunk) = field.chunk().await? {
        size += chunk.len() as u64;
        if size > max {
            return Err(FormError::TooLarge);
        }
        claim.grow_to(size).map_err(FormError::Space)?;
        if head.len() < 64 {
            head.extend_from_slice(&chunk[..chunk.len().min(64 - head.len())]);
        }
        file.write_all(&chunk).await.map_err(FormError::Io)?;
    }
    file.flush().await.map_err(FormError::Io)?;
    drop(file);
    if size == 0 && !chosen {
        return Ok(None);
    }
    let stored = dir.join(job::stored_name(&head));
    tokio::fs::rename(&part, &stored).await.map_err(FormError::Io)?;
    Ok(Some(Upload { stored, shown }))
}

/// The form, read into a new folder of the request's own, holding one of the upload places
/// (and one of its client's share of them) while it comes in, at no less than the minimum rate.
async fn receive(s: &Shared, client: Client, req: Request, as_html: bool, token: Option<&str>) -> Result<(Form, Folder), Response> {
    let max = s.config.max_upload;
    // A declared length over the limit is refused before a byte of the body is read.
    let declared = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > max.saturating_add(super::FORM_SLACK)) {
        return Err(too_large(max, as_html, token));
    }
    let Ok(_uploading) = s.uploads.clone().try_acquire_owned() else {
        let text = format!("同时上传的人太多（{} 个）", s.config.max_uploads);
        return Err(busy(&text, as_html, token));
    };
    let Some(_share): Option<Share> = s.uploaders.take(client, s.config.uploads_per_client) else {
        let text = format!("这台电脑同时上传的名单太多（已有 {} 个正在上传），请等前面的上传完成", s.config.uploads_per_client.max(1));
        return Err(busy(&text, as_html, token));
    };
    let slow = Arc::new(AtomicBool::new(false));
    let (parts, body) = req.into_parts();
    let paced = Paced::new(body, s.config.min_upload_rate, s.config.rate_window, slow.clone());
    let req = Request::from_parts(parts, Body::new(paced));
    let Ok(mut multipart) = Multipart::from_request(req, &()).await else {
        let text = "请用表单上传名单（multipart/form-data，名单文件的字段名为 roster），例如：curl -F roster=@名单.xlsx http://地址/build -o 文书.zip";
        return Err(say(StatusCode::BAD_REQUEST, "请求格式不对", text, as_html, token));
    };
    let dir = tempfile::Builder::new()
        .prefix("zeren-serve-")
        .tempdir_in(&s.config.temp_root)
        .map_err(|e| internal(format!("无法创建临时文件夹：{e}"), as_html, token))?;
    let mut folder = Folder { dir, claim: s.space.claim(s.config.max_request_space) };
    let read = read_form(&mut multipart, folder.dir.path(), &mut folder.claim, max).await;
    if read.is_err() && slow.load(Ordering::SeqCst) {
        let text = format!(
            "{} 秒内收到的不到 {} 字节（每秒至少 {:.1} KB），已中断，未生成文书；请检查网络后重新上传",
            s.config.rate_window.as_secs_f64(),
            (s.config.min_upload_rate as f64 * s.config.rate_window.as_secs_f64()).ceil(),
            s.config.min_upload_rate as f64 / 1024.0
        );
        return Err(say(StatusCode::REQUEST_TIMEOUT, "上传太慢", &text, as_html, token));
    }
    match read {
        Ok(form) => Ok((form, folder)),
        Err(FormError::TooLarge) => Err(too_large(max, as_html, token)),
        Err(FormError::Space(short)) => {
            drain(&mut multipart).await;
            Err(match short {
                // An upload is capped by the smaller of the two limits: said as its size.
                Short::Request { cap, .. } => too_large(cap.min(max), as_html, token),
                Short::Server => no_space(short, None, as_html, token),
            })
        }
        Err(FormError::Field(why)) => {
            drain(&mut multipart).await;
            Err(say(StatusCode::BAD_REQUEST, "表单有误", &why, as_html, token))
        }
        Err(FormError::Bad(why)) => {
            Err(say(StatusCode::BAD_REQUEST, "上传不完整", &format!("上传中断或表单格式有误，请重新上传（{why}）"), as_html, token))
        }
        Err(FormError::Io(e)) => Err(internal(format!("无法保存上传的文件：{e}"), as_html, token)),
    }
}

/// The rest of a refused form read and dropped, not stored (within the body limit, the minimum
/// rate and the time limit): a client still sending when the connection is closed may lose the
/// reply to a reset.
async fn drain(multipart: &mut Multipart) {
    while let Ok(Some(mut field)) = multipart.next_field().await {
        while let Ok(Some(_)) = field.chunk().await {}
    }
}

/// Frees a place in the queue however the wait ends (a slot, or the time limit dropping it).
struct Waiting(AppState);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What a running build holds: a slot of the service's, one of its client's share, its turn.
struct Held {
    _slot: OwnedSemaphorePermit,
    _own: OwnedSemaphorePermit,
    _turn: Turn,
}

/// A build slot, waiting if all are taken, or if the client already holds its share of them; a
/// full queue, or a client with too many builds in hand, is told so at once.
async fn slot(s: &AppState, client: Client, as_html: bool, token: Option<&str>) -> Result<Held, Response> {
    let per_client = s.config.builds_per_client.max(1);
    let Some(turn) = s.builders.take(client, per_client + s.config.waiting_per_client) else {
        let text = format!(
            "这台电脑已有 {} 个名单在生成或排队（每台电脑同时最多生成 {per_client} 个），请等前面的生成完成",
            per_client + s.config.waiting_per_client
        );
        return Err(busy(&text, as_html, token));
    };
    if s.slots.available_permits() == 0 && s.waiting.load(Ordering::SeqCst) >= s.config.max_waiting {
        let text = format!("同时生成的请求太多（{} 个在生成，{} 个在排队）", s.config.builds, s.config.max_waiting);
        return Err(busy(&text, as_html, token));
    }
    s.waiting.fetch_add(1, Ordering::SeqCst);
    let _queued = Waiting(s.clone());
    // The client's own share first: a client at its share waits without holding a slot.
    let stopping = |_| internal("服务正在停止", as_html, token);
    let own = turn.running.clone().acquire_owned().await.map_err(stopping)?;
    let slot = s.slots.clone().acquire_owned().await.map_err(stopping)?;
    Ok(Held { _slot: slot, _own: own, _turn: turn })
}

/// Asks the build to stop when the request is dropped: its time limit passed, or its client went
/// away. After a finished build it asks nothing of anyone.
struct StopWhenDropped(Arc<Stop>);

impl Drop for StopWhenDropped {
    fn drop(&mut self) {
        self.0.request();
    }
}

pub(super) async fn build(State(s): State<AppState>, Extension(Presented(token)): Extension<Presented>, req: Request) -> Response {
    let as_html = wants_html(req.headers());
    let token = token.as_deref();
    let client = Client::of(req.extensions().get::<Peer>());
    let (form, folder) = match receive(&s, client, req, as_html, token).await {
        Ok(received) => received,
        Err(res) => return res,
    };
    let order = match order(form.roster.clone(), &form) {
        Ok(o) => o,
        Err(problems) => return refuse(&problems, as_html, token),
    };
    // Only an id this service gave the client's page is followed (`track`).
    let progress_id = form.progress.as_deref();
    let bar = ProgressBar::hidden();
    let track = |stage: Stage| s.tracks.follow(progress_id, client, stage, &bar);
    track(Stage::Queued);
    let held = match slot(&s, client, as_html, token).await {
        Ok(p) => p,
        Err(res) => {
            track(Stage::Failed);
            return res;
        }
    };
    track(Stage::Running);

    let started = Instant::now();
    let (root, job_bar, hook) = (s.config.root.clone(), bar.clone(), s.config.before_build.clone());
    let writers = s.pdf_writers.clone();
    let stop = Arc::new(Stop::new());
    let _stop = StopWhenDropped(stop.clone());
    // The slot and the folder go with the blocking work: they are freed when it ends, which a
    // stopped build does at its next document, and a panicking one as it unwinds.
    let task = tokio::task::spawn_blocking(move || {
        let _held = held;
        let mut folder = folder;
        if let Some(hook) = hook {
            (hook.0)(&order);
        }
        let mut run = || job::run(&root, &order, folder.dir.path(), &mut folder.claim, &job_bar, &stop, &writers);
        // Each build lays out on threads of its own: in the one shared pool a long build's
        // documents were all taken before a short build's first, so holding a slot of one's own
        // did not mean being served.
        let result = match rayon::ThreadPoolBuilder::new().thread_name(|i| format!("zeren-build-{i}")).build() {
            Ok(pool) => pool.install(run),
            Err(_) => run(),
        };
        (folder, order, result)
    });
    let (folder, order, result) = match task.await {
        Ok(done) => done,
        Err(e) => {
            track(Stage::Failed);
            return match e.try_into_panic() {
                Ok(panic) => crashed(&*panic, as_html, token),
                Err(e) => internal(format!("生成时发生内部错误（{e}）"), as_html, token),
            };
        }
    };
    let built = match result {
        Ok(b) => b,
        Err(job::Refusal::Upload(problems)) => {
            track(Stage::Failed);
            if s.config.log {
                log(format_args!("未生成：{} 有 {} 处错误", order.shown, problems.iter().filter(|p| p.is_error()).count()));
            }
            return refuse(&problems, as_html, token);
        }
        Err(job::Refusal::Space { short, documents }) => {
            track(Stage::Failed);
            if s.config.log {
                log(format_args!("未生成：{} 所需的临时空间不够（{short:?}）", order.shown));
            }
            return no_space(short, documents, as_html, token);
        }
        Err(job::Refusal::Server(problems)) => {
            track(Stage::Failed);
            // The uploader cannot see or mend the server's files: the details are the operator's.
            log(format_args!("服务端工作区有误，未能为 {} 生成：\n{}", order.shown, crate::diag::report::plain(&problems).trim_end()));
            return server_fault(as_html, token);
        }
    };
    if s.config.log {
        let seconds = started.elapsed().as_secs_f64();
        log(format_args!("已生成 {} 份（{}）→ {}，用时 {seconds:.1} 秒", built.documents, order.shown, built.file_name));
    }
    let res = send_zip(&built, folder, as_html, token).await;
    track(if res.status().is_success() { Stage::Done } else { Stage::Failed });
    res
}

/// The zip, streamed from the request's folder, which goes with the body.
async fn send_zip(built: &job::Built, dir: Folder, as_html: bool, token: Option<&str>) -> Response {
    let file = match tokio::fs::File::open(&built.zip).await {
        Ok(f) => f,
        Err(e) => return internal(format!("无法读取生成的压缩包：{e}"), as_html, token),
    };
    let len = file.metadata().await.map(|m| m.len()).ok();
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

/// A line for whoever runs the service, its hidden characters shown (a file name may hold an
/// ESC sequence); a closed stderr is no reason to fail a request.
fn log(line: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{}", page::visible(&line.to_string()));
}

/// The form's fields checked: a roster was sent, the kinds and year are ones we know.
fn order(roster: Option<Upload>, form: &Form) -> Result<job::Order, Problems> {
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
    let Some(Upload { stored, shown }) = roster else {
        problems.push(Problem::error(Place::Nowhere, "serve.no-roster", "没有收到名单文件：请选择要上传的名单（xlsx、xls 或 ods）"));
        return Err(problems);
    };
    if problems.has_errors() {
        return Err(problems);
    }
    let mut word: Vec<String> = Vec::new();
    for w in &form.word {
        if !word.contains(w) {
            word.push(w.clone());
        }
    }
    Ok(job::Order { roster: stored, shown, kinds, word, year, pdf: form.pdf })
}

/// The zip's bytes, with the request's folder: both go when the body is done or dropped (the
/// file is closed first: fields drop in order).
struct ZipBody {
    stream: tokio_util::io::ReaderStream<tokio::fs::File>,
    _dir: Folder,
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

    fn upload() -> Upload {
        Upload { stored: PathBuf::from("r.xlsx"), shown: "名单.xlsx".into() }
    }

    #[test]
    fn form_fields_are_checked_together() {
        let form = Form { kinds: vec!["责任书".into(), "公告".into()], year: Some("20x6".into()), ..Form::default() };
        let p = order(Some(upload()), &form).err().unwrap();
        let lines: Vec<String> = p.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].starts_with("未知的文书种类“公告”"));
        assert!(lines[1].starts_with("年度“20x6”无效"));
        let none = order(None, &Form::default()).err().unwrap();
        assert!(none.0[0].message.starts_with("没有收到名单文件"));
        let ok = order(Some(upload()), &Form { kinds: vec!["task-notice".into(), "函告书".into()], ..Form::default() }).unwrap();
        assert_eq!(ok.kinds, [Kind::TaskNotice], "English and Chinese names, once each");
    }
}
