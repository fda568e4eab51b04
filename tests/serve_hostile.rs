//! `zeren serve` against clients that mean harm, over a real socket on 127.0.0.1: a client
//! without the token never sees it and never gets its body read; another site can neither read
//! the service (DNS rebinding) nor post to it; sockets that trickle their headers do not lock
//! others out; uploads and form fields are bounded; a build nobody waits for stops; replies
//! carry no raw control characters and at most a page of problems.

mod common;
mod serve_support;

use serve_support::*;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use zeren::serve::page::pct;

const TOKEN: &str = "令牌-0123456789abcdef";
/// What the sample workspace's page shows: a page under another name must not.
const ORGAN: &str = "中共江州市财政局委员会";

/// The token in any form a page could hold it.
fn holds_token(body: &str) -> bool {
    body.contains(TOKEN) || body.contains(&pct(TOKEN)) || body.contains("0123456789abcdef")
}

/// The head of a multipart upload that declares `len` bytes and sends only its first part
/// (`first`): a client that then stalls.
fn stalled_upload(addr: SocketAddr, target: &str, len: usize, first: &str, extra_headers: &str) -> Vec<u8> {
    let mut r = format!(
        "POST {target} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: multipart/form-data; boundary=zb\r\nContent-Length: {len}\r\n{extra_headers}\r\n"
    )
    .into_bytes();
    r.extend_from_slice(first.as_bytes());
    r
}

// ---------------------------------------------------------------------------------------------
// The token

/// Every route and method, with no token, a wrong one, or one only in a form field: 401 at
/// once, before the time limit or the size limit could answer, with nothing of the token in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_reply_to_a_client_without_the_token_holds_it_or_waits_for_its_body() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.token = Some(TOKEN.into());
    c.timeout = Duration::from_secs(2);
    let addr = listen(c).await;
    let field = format!("--zb\r\nContent-Disposition: form-data; name=\"token\"\r\n\r\n{TOKEN}\r\n--zb\r\n");
    let requests: Vec<(&str, Vec<u8>)> = vec![
        ("an empty POST /build", format!("POST /build HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n").into_bytes()),
        ("a POST /build over the size limit", stalled_upload(addr, "/build", 999_999_999, "", "")),
        ("a POST /build that stalls", stalled_upload(addr, "/build", 100_000, "--zb\r\n", "")),
        ("the token only in a form field", stalled_upload(addr, "/build", 100_000, &field, "")),
        ("a wrong token in the URL", stalled_upload(addr, "/build?token=wrong", 100_000, "--zb\r\n", "")),
        ("a wrong bearer token", stalled_upload(addr, "/build", 100_000, "--zb\r\n", "Authorization: Bearer wrong-token\r\n")),
        ("GET /", format!("GET / HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes()),
        ("GET /?token=wrong", format!("GET /?token=wrong HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes()),
        ("a page that does not exist", format!("GET /nothing-here HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes()),
        ("the template", format!("GET /roster-template.xlsx HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes()),
        ("progress", format!("GET /progress?id=x HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes()),
        ("PUT /build", format!("PUT /build HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\n\r\n").into_bytes()),
        ("DELETE /", format!("DELETE / HTTP/1.1\r\nHost: {addr}\r\n\r\n").into_bytes()),
    ];
    for (what, request) in &requests {
        for accept in ["Accept: text/html\r\n", ""] {
            // The Accept header goes in after the request line.
            let text = String::from_utf8_lossy(request);
            let (line, rest) = text.split_once("\r\n").unwrap();
            let request = format!("{line}\r\n{accept}{rest}");
            let started = Instant::now();
            let (status, body) = raw(addr, request.as_bytes()).await;
            assert_eq!(status, 401, "{what} ({accept:?}): {body}");
            assert!(body.contains("访问令牌"), "{what}: {body}");
            assert!(!holds_token(&body), "{what}: the reply holds the token: {body}");
            assert!(started.elapsed() < Duration::from_secs(2), "{what}: refused before the time limit, not by it");
        }
    }
    assert_emptied(temp.path());
}

/// With the token, every status page (400, 404, 413, 422, 503, 504) links back with the token
/// the request itself presented, so the user can go on; the time limit's page is one of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_pages_carry_only_the_token_the_request_presented() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.token = Some(TOKEN.into());
    c.timeout = Duration::from_secs(3);
    c.max_upload = 1024 * 1024;
    c.max_uploads = 1;
    let addr = listen(c).await;
    let q = format!("/build?token={}", pct(TOKEN));
    let back = format!("href=\"/?token={}\"", pct(TOKEN));
    let html = "Accept: text/html\r\n";
    let (content_type, csv) = form(&[("roster", Some("名单.xlsx"), "单位名称,类别\n办公室,处室\n".as_bytes())]);
    let mut not_a_workbook =
        format!("POST {q} HTTP/1.1\r\nHost: {addr}\r\n{html}Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n", csv.len())
            .into_bytes();
    not_a_workbook.extend_from_slice(&csv);
    // 503: the one upload place held by a client that stalls.
    let stall = stalled_upload(addr, &q, 100_000, "--zb\r\n", "");
    let mut holder = tokio::net::TcpStream::connect(addr).await.unwrap();
    holder.write_all(&stall).await.unwrap();
    let until = Instant::now() + Duration::from_secs(30);
    let busy = loop {
        // On a loaded machine the holder's 3 s may run out between two probes: once it has been
        // answered (or closed), it holds nothing, and a new one takes the place.
        if !matches!(holder.try_read(&mut [0u8; 1]), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock) {
            holder = tokio::net::TcpStream::connect(addr).await.unwrap();
            holder.write_all(&stall).await.unwrap();
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let (status, body) = raw(addr, &not_a_workbook).await;
        if status == 503 {
            break body;
        }
        assert!(Instant::now() < until, "the stalled client never held the upload place");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(busy.contains("同时上传的人太多") && busy.contains(&back), "{busy}");
    drop(holder);
    let cases: Vec<(u16, Vec<u8>)> = vec![
        (422, not_a_workbook.clone()),
        (400, format!("POST {q} HTTP/1.1\r\nHost: {addr}\r\n{html}Content-Length: 0\r\n\r\n").into_bytes()),
        (413, stalled_upload(addr, &q, 999_999_999, "", html)),
        (504, stalled_upload(addr, &q, 100_000, "--zb\r\n", html)),
        (404, format!("GET /nothing?token={} HTTP/1.1\r\nHost: {addr}\r\n{html}\r\n", pct(TOKEN)).into_bytes()),
    ];
    for (want, request) in cases {
        let until = Instant::now() + Duration::from_secs(30);
        let (status, body) = loop {
            // Until the stalled client above has given its upload place back.
            let (status, body) = raw(addr, &request).await;
            if status != 503 || Instant::now() > until {
                break (status, body);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        };
        assert_eq!(status, want, "{body}");
        assert!(body.contains(&back), "{want}: the way back keeps the request's own token: {body}");
    }
    // The bearer header is the request's own too; a script gets plain lines with no link.
    let client = client();
    let res = client.get(format!("http://{addr}/nothing")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.text().await.unwrap(), "找不到页面：没有这个网址\n");
    assert_emptied(temp.path());
}

// ---------------------------------------------------------------------------------------------
// Another site

/// A page of another site whose name is made to resolve to 127.0.0.1 (DNS rebinding) reaches
/// the service with that name as Host: it is refused, and sees nothing of the workspace.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_under_another_name_is_refused() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let addr = listen(config(ws.path(), temp.path())).await;
    let port = addr.port();
    for host in [format!("evil.example:{port}"), "evil.example".into(), format!("127.0.0.1.evil.example:{port}"), format!("0.0.0.0:{port}")]
    {
        for target in ["/", "/roster-template.xlsx", "/progress?id=x", "/nothing"] {
            let (status, body) = raw(addr, format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: text/html\r\n\r\n").as_bytes()).await;
            assert_eq!(status, 400, "{host}{target}: {body}");
            assert!(body.contains("地址不对") && !body.contains(ORGAN), "{host}{target}: {body}");
        }
        let post = format!(
            "POST /build HTTP/1.1\r\nHost: {host}\r\nContent-Type: multipart/form-data; boundary=zb\r\nContent-Length: 999999\r\n\r\n"
        );
        assert_eq!(raw(addr, post.as_bytes()).await.0, 400, "a post naming {host}");
        let (status, _) = raw(addr, &stalled_upload(addr, "/build", 999_999_999, "", &format!("Host: {host}\r\n"))).await;
        assert_eq!(status, 400, "a post naming both this machine and {host}");
    }
    let absolute = format!("GET http://evil.example:{port}/ HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    assert_eq!(raw(addr, absolute.as_bytes()).await.0, 400, "the name in the request line counts");
    assert_eq!(raw(addr, b"GET / HTTP/1.0\r\n\r\n").await.0, 400, "no name at all");
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), "localhost".into(), format!("[::1]:{port}")] {
        let (status, body) = raw(addr, format!("GET / HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes()).await;
        assert_eq!(status, 200, "{host}");
        assert!(body.contains(ORGAN), "{host}");
    }
}

/// Bound to every address with a token, any name is served (the office may use the machine's
/// name): the token is what keeps another site out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_every_address_with_a_token_any_name_is_served_with_the_token() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.token = Some(TOKEN.into());
    let addr = listen_on("0.0.0.0:0", c).await;
    let port = addr.port();
    let (status, body) = raw(addr, format!("GET /?token={} HTTP/1.1\r\nHost: zeren-pc:{port}\r\n\r\n", pct(TOKEN)).as_bytes()).await;
    assert_eq!(status, 200);
    assert!(body.contains(ORGAN));
    let (status, body) = raw(addr, format!("GET / HTTP/1.1\r\nHost: evil.example:{port}\r\n\r\n").as_bytes()).await;
    assert_eq!(status, 401);
    assert!(!body.contains(ORGAN) && !holds_token(&body));
}

/// A page of another site posting a roster (a form, or a script): refused before a byte of the
/// body is read, nothing built, nothing kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_from_another_site_is_refused_before_its_body_is_read() {
    let ws = workspace(&[]);
    let before = snapshot(ws.path());
    let temp = tempfile::tempdir().unwrap();
    let addr = listen(config(ws.path(), temp.path())).await;
    let client = client();
    let own = format!("http://{addr}");
    let post = |headers: Vec<(&'static str, String)>| {
        let (client, bytes) = (client.clone(), roster(2));
        async move {
            let part = reqwest::multipart::Part::bytes(bytes).file_name("名单.xlsx");
            let mut req = client.post(format!("http://{addr}/build")).multipart(reqwest::multipart::Form::new().part("roster", part));
            for (k, v) in headers {
                req = req.header(k, v);
            }
            let res = req.send().await.unwrap();
            (res.status().as_u16(), res.bytes().await.unwrap())
        }
    };
    let other_port = format!("http://127.0.0.1:{}", addr.port() + 1);
    let foreign: Vec<Vec<(&'static str, String)>> = vec![
        vec![("origin", "http://evil.example".into())],
        vec![("origin", "null".into())],
        vec![("origin", other_port)],
        vec![("sec-fetch-site", "cross-site".into())],
        vec![("sec-fetch-site", "same-site".into())],
        vec![("origin", own.clone()), ("sec-fetch-site", "cross-site".into())],
    ];
    for headers in foreign {
        let shown = format!("{headers:?}");
        let (status, body) = post(headers).await;
        assert_eq!(status, 403, "{shown}: {}", String::from_utf8_lossy(&body));
        assert!(String::from_utf8_lossy(&body).starts_with("来源不对"), "{shown}");
    }
    // Refused before the size limit could be: the body is never looked at.
    let (status, _) = raw(addr, &stalled_upload(addr, "/build", 999_999_999, "", "Origin: http://evil.example\r\n")).await;
    assert_eq!(status, 403);
    assert_emptied(temp.path());
    assert_eq!(snapshot(ws.path()), before);
    // The page's own form: its origin, same-origin.
    let (status, zip) = post(vec![("origin", own.clone()), ("sec-fetch-site", "same-origin".into())]).await;
    assert_eq!(status, 200);
    assert_letters(&zip, 2, true);
    // Reads are not refused by their origin (a link from elsewhere opens the page).
    let res =
        client.get(format!("{own}/")).header("origin", "http://evil.example").header("sec-fetch-site", "cross-site").send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_emptied(temp.path());
}

// ---------------------------------------------------------------------------------------------
// Connections and uploads

/// 300 sockets that send their headers a byte at a time, against a cap of 64 connections: the
/// page still answers at once, again and again, and a trickler is cut off after the header
/// time limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sockets_that_trickle_their_headers_do_not_lock_others_out() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.max_connections = 64;
    c.header_timeout = Duration::from_secs(2);
    let addr = listen(c).await;
    let mut slow = Vec::new();
    for _ in 0..300 {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ").as_bytes()).await.unwrap();
        slow.push(s);
    }
    let trickle = tokio::spawn(async move {
        loop {
            for s in &mut slow {
                let _ = s.write_all(b"a").await;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    });
    let client = reqwest::Client::builder().no_proxy().timeout(Duration::from_secs(10)).build().unwrap();
    for _ in 0..5 {
        let res = client.get(format!("http://{addr}/")).send().await.expect("the page answers while 300 sockets trickle");
        assert_eq!(res.status(), 200);
        assert!(res.text().await.unwrap().contains(ORGAN));
    }
    trickle.abort();
    // One more trickler, alone: closed by the server once the header time limit has passed.
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET / HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ").as_bytes()).await.unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            if s.write_all(b"a").await.is_err() {
                return;
            }
            let mut byte = [0u8; 1];
            let read = tokio::time::timeout(Duration::from_millis(1), tokio::io::AsyncReadExt::read(&mut s, &mut byte)).await;
            if let Ok(Ok(0)) = read {
                return;
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "a socket still sending its headers after 20 s is still open");
}

/// One upload place: while a slow sender holds it, the next upload is told to come back
/// (a build slot is free all along); the page answers; once it goes, uploads work again. Two
/// uploads of the largest size at once are received and refused, and the service stays up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_at_once_are_capped_apart_from_build_slots() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.max_uploads = 1;
    c.max_upload = 2 * 1024 * 1024;
    let addr = listen(c).await;
    let client = client();
    let mut holder = tokio::net::TcpStream::connect(addr).await.unwrap();
    holder.write_all(&stalled_upload(addr, "/build", 100_000, "--zb\r\n", "")).await.unwrap();
    let until = Instant::now() + Duration::from_secs(30);
    let refused = loop {
        let res = upload(&client, addr, roster(1)).await;
        if res.status() == 503 {
            break res.text().await.unwrap();
        }
        assert!(Instant::now() < until, "the slow sender never held the upload place");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(refused.starts_with("服务器繁忙：同时上传的人太多（1 个）"), "{refused}");
    assert_eq!(client.get(format!("http://{addr}/")).send().await.unwrap().status(), 200);
    drop(holder);
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let res = upload(&client, addr, roster(2)).await;
        if res.status() == 200 {
            assert_letters(&res.bytes().await.unwrap(), 2, true);
            break;
        }
        assert!(Instant::now() < until, "the upload place was never given back: {}", res.status());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let big = vec![b'x'; 2 * 1024 * 1024 - 1024];
    let send = |bytes: Vec<u8>| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("名单.xlsx");
        client.post(format!("http://{addr}/build")).multipart(reqwest::multipart::Form::new().part("roster", part)).send()
    };
    let (a, b) = tokio::join!(send(big.clone()), send(big));
    // The one refused at once is answered before its body is read, and the connection closed:
    // a client still sending then may see the reset before the reply (a broken pipe).
    let status = |r: Result<reqwest::Response, reqwest::Error>| match r {
        Ok(res) => res.status().as_u16(),
        Err(e) => {
            println!("refused while still sending: {e}");
            503
        }
    };
    let statuses = [status(a), status(b)];
    assert!(statuses.iter().all(|s| [422, 503].contains(s)) && statuses.contains(&422), "{statuses:?}");
    assert_eq!(client.get(format!("http://{addr}/")).send().await.unwrap().status(), 200);
    assert_emptied(temp.path());
}

/// Every field but the roster is short, and the form has few of them: a 19 MB `kind` of
/// "x,x,x…" is refused as what it is, not turned into millions of problems.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_fields_are_bounded_in_size_and_number() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let addr = listen(config(ws.path(), temp.path())).await;
    let client = client();
    let send = |fields: Vec<(String, String)>| {
        let client = client.clone();
        async move {
            let part = reqwest::multipart::Part::bytes(roster(1)).file_name("名单.xlsx");
            let mut form = reqwest::multipart::Form::new();
            for (k, v) in fields {
                form = form.text(k, v);
            }
            let res = client.post(format!("http://{addr}/build")).multipart(form.part("roster", part)).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }
    };
    let bomb = "x,".repeat(19 * 1024 * 1024 / 2);
    let (status, body) = send(vec![("kind".into(), bomb)]).await;
    assert_eq!(status, 400, "{}", body.chars().take(300).collect::<String>());
    assert_eq!(body, "表单有误：表单字段“kind”超过 1024 字节\n");
    let (status, body) = send(vec![("kind".into(), vec!["responsibility-letter"; 17].join(","))]).await;
    assert_eq!(status, 400);
    assert!(body.starts_with("表单有误：文书种类（kind）超过 16 个"), "{body}");
    // 32 fields, and one for each Word template a workspace may list (64).
    let (status, body) = send((0..100).map(|i| (format!("f{i}"), "x".into())).collect()).await;
    assert_eq!(status, 400);
    assert!(body.starts_with("表单有误：表单的字段超过 96 个"), "{body}");
    for name in ["year", "progress", "anything-else"] {
        let (status, body) = send(vec![(name.into(), "2".repeat(2000))]).await;
        assert_eq!(status, 400, "{name}");
        assert!(body.contains(&format!("“{name}”超过 1024 字节")), "{body}");
    }
    // Within the bounds, the form builds.
    let (status, _) = send(vec![("kind".into(), "责任书，responsibility-letter".into()), ("year".into(), "2026".into())]).await;
    assert_eq!(status, 200);
    assert_emptied(temp.path());
}

// ---------------------------------------------------------------------------------------------
// Builds nobody waits for

/// One slot, no queue, a 2-second limit and a roster of 4,000 units: the 504 comes, and the
/// build stops at its next document: its folder goes, the count stops short of 4,000, and the
/// next request gets the slot (with no queue, a slot still held would be a 503).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_build_past_the_time_limit_stops_and_frees_its_slot() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.builds = 1;
    c.max_waiting = 0;
    c.timeout = Duration::from_secs(2);
    let addr = listen(c).await;
    let client = client();
    let part = reqwest::multipart::Part::bytes(roster(4000)).file_name("名单.xlsx");
    let id = issued_id(&client, addr).await;
    let form = reqwest::multipart::Form::new().text("progress", id.clone()).part("roster", part);
    let res = client.post(format!("http://{addr}/build")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 504);
    assert!(res.text().await.unwrap().contains("未能完成，已放弃，未生成文书"));
    let answered = Instant::now();
    assert_emptied(temp.path());
    let (_, done, _) = progress_of(&client, addr, &id).await;
    println!("stopped after {done} of 4000 documents; folder gone {:.2} s after the 504", answered.elapsed().as_secs_f64());
    assert!(done < 4000, "the build went on to the end after its 504: {done} documents");
    let res = upload(&client, addr, roster(1)).await;
    assert_eq!(res.status(), 200, "the slot is free again");
    assert_letters(&res.bytes().await.unwrap(), 1, true);
    assert_emptied(temp.path());
}

/// The same when the client goes away in the middle of the build (no time limit involved).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_build_whose_client_goes_away_stops_and_frees_its_slot() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.builds = 1;
    c.max_waiting = 0;
    let addr = listen(c).await;
    let client = client();
    let bytes = roster(4000);
    let id = issued_id(&client, addr).await;
    let (content_type, body) = form(&[("progress", None, id.as_bytes()), ("roster", Some("名单.xlsx"), &bytes)]);
    let mut leaving = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!("POST /build HTTP/1.1\r\nHost: {addr}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n", body.len());
    leaving.write_all(head.as_bytes()).await.unwrap();
    leaving.write_all(&body).await.unwrap();
    let until = Instant::now() + Duration::from_secs(120);
    loop {
        let (state, done, _) = progress_of(&client, addr, &id).await;
        if state == "running" && done > 0 {
            break;
        }
        assert!(Instant::now() < until, "the build never started: {state}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(leaving);
    assert_emptied(temp.path());
    let (_, done, _) = progress_of(&client, addr, &id).await;
    assert!(done < 4000, "the build went on to the end without its client: {done} documents");
    let res = upload(&client, addr, roster(1)).await;
    assert_eq!(res.status(), 200, "the slot is free again");
    assert_emptied(temp.path());
}

// ---------------------------------------------------------------------------------------------
// What replies say

/// A roster whose every one of 99,999 rows has no leader: a 422 that lists 200 and counts the
/// rest (the page is cut the same way: `page::shown`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_roster_of_100000_bad_rows_gets_one_short_list() {
    const ROWS: usize = 99_999;
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.max_upload = 50 * 1024 * 1024;
    let addr = listen(c).await;
    let rows: Vec<[String; 7]> = (0..ROWS).map(|i| unit_row(i, "-")).collect();
    let made = Instant::now();
    let bytes = roster_rows(&rows);
    println!("100,000 bad rows: the workbook made in {:.1} s", made.elapsed().as_secs_f64());
    let client = client();
    let started = Instant::now();
    let res = upload(&client, addr, bytes).await;
    assert_eq!(res.status(), 422);
    let text = res.text().await.unwrap();
    println!("100,000 bad rows: plain reply of {} bytes in {:.1} s", text.len(), started.elapsed().as_secs_f64());
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 200 + 2, "{}", text.chars().take(2000).collect::<String>());
    assert!(lines[0].starts_with("名单.xlsx [2026年名单] D2: “"), "{}", lines[0]);
    assert_eq!(lines[200], format!("……另有 {} 处错误未列出", ROWS - 200));
    assert_eq!(lines[201], format!("共 {ROWS} 处错误，未生成任何文件。"));
    assert_emptied(temp.path());
}

/// ESC sequences and direction overrides in a roster's cells and in the uploaded file's name
/// reach neither the page nor the plain reply as such: they are shown as `\u{1B}`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_characters_from_a_roster_are_shown_not_sent() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let addr = listen(config(ws.path(), temp.path())).await;
    let mut rows: Vec<[String; 7]> = (0..3).map(|i| unit_row(i, "")).collect();
    rows[1][2] = "处室\u{1b}[2J\u{1b}]0;pwned\u{7}".into();
    rows[2][2] = "党支部\u{202E}txt.exe".into();
    let bytes = roster_rows(&rows);
    let client = client();
    for html in [false, true] {
        let part = reqwest::multipart::Part::bytes(bytes.clone()).file_name("名单\u{202E}xslx.exe");
        let mut req = client.post(format!("http://{addr}/build")).multipart(reqwest::multipart::Form::new().part("roster", part));
        if html {
            req = req.header("accept", "text/html");
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 422);
        let body = res.text().await.unwrap();
        for c in ['\u{1b}', '\u{7}', '\u{202E}'] {
            assert!(!body.contains(c), "{c:?} in the reply: {body}");
        }
        assert!(body.contains("\\u{1B}[2J\\u{1B}]0;pwned\\u{7}"), "{body}");
        assert!(body.contains("名单\\u{202E}xslx.exe"), "{body}");
    }
    assert_emptied(temp.path());
}
