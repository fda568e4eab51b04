//! `zeren serve` stays fair and stays up: one client's trickling uploads or long builds leave
//! room for the others, an upload slower than the minimum rate is cut off, the temporary space
//! is bounded before anything is written, and a build that panics is one 500, not the end of
//! the service. Over a real socket on 127.0.0.1; a second client is 127.0.0.2 (Linux answers
//! on all of 127.0.0.0/8), so those tests are Linux-only.

mod common;
mod serve_support;

use serve_support::*;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;
use zeren::serve::Hook;

/// A connection from `from` (a loopback address).
async fn connect_from(from: &str, addr: SocketAddr) -> tokio::net::TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(addr).await.unwrap()
}

/// A client whose requests come from `from`.
fn client_from(from: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .local_address(from.parse::<std::net::IpAddr>().unwrap())
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap()
}

/// An upload that sends its head and first boundary, then one byte every 500 ms, from `from`;
/// the reply it gets (bounded: 30 s).
async fn trickle(from: &'static str, addr: SocketAddr) -> (u16, String) {
    let stream = connect_from(from, addr).await;
    let (mut read, mut write) = stream.into_split();
    let head = format!(
        "POST /build HTTP/1.1\r\nHost: {addr}\r\nContent-Type: multipart/form-data; boundary=zb\r\nContent-Length: 100000\r\n\r\n--zb\r\n"
    );
    write.write_all(head.as_bytes()).await.unwrap();
    let sender = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if write.write_all(b"x").await.is_err() {
                return;
            }
        }
    });
    let reply = read_reply(&mut read).await;
    sender.abort();
    reply
}

/// Eight uploads trickling from one client, against eight upload places and a share of two a
/// client: six are told at once that this machine has enough uploads going, a second client's
/// upload goes through meanwhile, and the two that hold places are cut off as too slow.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trickling_uploads_hold_a_share_of_the_places_and_are_cut_off() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.max_uploads = 8;
    c.uploads_per_client = 2;
    c.min_upload_rate = 1000;
    c.rate_window = Duration::from_secs(3);
    let addr = listen(c).await;
    let started = Instant::now();
    let tricklers: Vec<_> = (0..8).map(|_| tokio::spawn(trickle("127.0.0.2", addr))).collect();
    // The six past the share are answered at once; the other two hold their places meanwhile.
    let until = Instant::now() + Duration::from_secs(2);
    while tricklers.iter().filter(|t| t.is_finished()).count() < 6 && Instant::now() < until {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (answered, held): (Vec<_>, Vec<_>) = tricklers.into_iter().partition(|t| t.is_finished());
    let mut replies = Vec::new();
    for t in answered {
        replies.push(t.await.unwrap());
    }
    assert_eq!(replies.len(), 6, "six of eight answered within 2 s: {replies:?}");
    for (status, body) in &replies {
        assert_eq!(*status, 503, "{body}");
        assert!(body.starts_with("服务器繁忙：这台电脑同时上传的名单太多（已有 2 个正在上传）"), "{body}");
        assert!(body.contains("秒后再试"), "{body}");
    }
    // Another client meanwhile: a place of its own.
    let res = upload(&client(), addr, roster(2)).await;
    assert_eq!(res.status(), 200);
    assert_letters(&res.bytes().await.unwrap(), 2, true);
    assert_eq!(held.len(), 2);
    assert!(held.iter().all(|t| !t.is_finished()), "the two trickling uploads still held their places");
    for t in held {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, 408, "{body}");
        assert!(body.starts_with("上传太慢：3 秒内收到的不到 3000 字节（每秒至少 1.0 KB），已中断，未生成文书"), "{body}");
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "cut off after {took:?}");
    assert_emptied(temp.path());
}

/// Two build slots; one client's long build holds one, its next roster waits for it (though a
/// slot is free), the one after is told at once to come back (with Retry-After), and another
/// client's roster takes the free slot while the long build still runs.
#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_holds_one_build_slot_and_the_other_is_for_others() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.builds = 2;
    c.builds_per_client = 1;
    c.waiting_per_client = 1;
    let addr = listen(c).await;
    let busy = client_from("127.0.0.2");
    let id = issued_id(&busy, addr).await;
    let long = {
        let busy = busy.clone();
        let id = id.clone();
        tokio::spawn(async move {
            let part = reqwest::multipart::Part::bytes(roster(4000)).file_name("名单.xlsx");
            let form = reqwest::multipart::Form::new().text("progress", id).part("roster", part);
            busy.post(format!("http://{addr}/build")).multipart(form).send().await
        })
    };
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let (state, done, _) = progress_of(&busy, addr, &id).await;
        if state == "running" && done > 0 {
            break;
        }
        assert!(Instant::now() < until, "the long build never started: {state}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let next_id = issued_id(&busy, addr).await;
    let next = {
        let (busy, next_id) = (busy.clone(), next_id.clone());
        tokio::spawn(async move {
            let part = reqwest::multipart::Part::bytes(roster(1)).file_name("名单.xlsx");
            let form = reqwest::multipart::Form::new().text("progress", next_id).part("roster", part);
            busy.post(format!("http://{addr}/build")).multipart(form).send().await.unwrap()
        })
    };
    let until = Instant::now() + Duration::from_secs(30);
    while progress_of(&busy, addr, &next_id).await.0 != "queued" {
        assert!(Instant::now() < until, "the client's second roster never queued");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let res = upload(&busy, addr, roster(1)).await;
    assert_eq!(res.status(), 503);
    assert!(res.headers().get("retry-after").is_some(), "a busy reply says when to come back");
    let body = res.text().await.unwrap();
    assert!(body.starts_with("服务器繁忙：这台电脑已有 2 个名单在生成或排队（每台电脑同时最多生成 1 个）"), "{body}");
    let res = upload(&client(), addr, roster(3)).await;
    assert_eq!(res.status(), 200, "another client gets the other slot");
    assert_letters(&res.bytes().await.unwrap(), 3, true);
    let (state, done, total) = progress_of(&busy, addr, &id).await;
    assert!(state == "running" && done < total, "the long build was still running: {state} {done}/{total}");
    assert_eq!(progress_of(&busy, addr, &next_id).await.0, "queued", "the client's second roster still waits for its first");
    long.abort();
    let res = next.await.unwrap();
    assert_eq!(res.status(), 200, "once the first is gone, the second is built");
    assert_letters(&res.bytes().await.unwrap(), 1, true);
    assert_emptied(temp.path());
}

/// Temporary space is claimed before it is written: a roster whose documents would pass one
/// request's cap is a 413 that says how many and what to do, before any document is written;
/// one that would pass what the service has free is a 503 to retry; an upload past what is free
/// is refused while it comes in. Every folder goes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn temporary_space_is_bounded_before_it_is_written() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let client = client();
    let mut c = config(ws.path(), temp.path());
    c.max_request_space = 2 * 1024 * 1024;
    let addr = listen(c.clone()).await;
    let id = issued_id(&client, addr).await;
    let part = reqwest::multipart::Part::bytes(roster(100)).file_name("名单.xlsx");
    let form = reqwest::multipart::Form::new().text("progress", id.clone()).part("roster", part);
    let res = client.post(format!("http://{addr}/build")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 413);
    let body = res.text().await.unwrap();
    assert!(body.starts_with("名单太大：这份名单要生成 100 份文书，连同压缩包约需"), "{body}");
    assert!(body.contains("超过网页生成每次 2.0 MB 的上限，未生成文书；请把名单分成几份分批上传，或在终端运行 zeren build"), "{body}");
    assert_eq!(progress_of(&client, addr, &id).await, ("failed".to_string(), 0, 0), "refused before the first document");
    assert_emptied(temp.path());
    let res = upload(&client, addr, roster(10)).await;
    assert_eq!(res.status(), 200, "within the cap");
    assert_letters(&res.bytes().await.unwrap(), 10, false);

    // The service's budget: a request within its own cap but past what is free.
    c.max_request_space = 64 * 1024 * 1024;
    c.temp_budget = 2 * 1024 * 1024;
    let addr = listen(c.clone()).await;
    let res = upload(&client, addr, roster(100)).await;
    assert_eq!(res.status(), 503);
    assert!(res.headers().get("retry-after").is_some());
    assert!(res.text().await.unwrap().starts_with("服务器繁忙：服务器的临时空间正被其他人的生成占用，暂时不够，未生成文书；请约"));
    // An upload past the budget is refused as it comes in.
    c.temp_budget = 64 * 1024;
    let addr = listen(c.clone()).await;
    let res = upload(&client, addr, vec![b'x'; 200 * 1024]).await;
    assert_eq!(res.status(), 503);
    assert!(res.text().await.unwrap().contains("临时空间"));
    // And one past a request's own cap, as a file too large.
    c.temp_budget = 64 * 1024 * 1024;
    c.max_request_space = 64 * 1024;
    let addr = listen(c).await;
    let res = upload(&client, addr, vec![b'x'; 200 * 1024]).await;
    assert_eq!(res.status(), 413);
    assert!(res.text().await.unwrap().starts_with("文件太大："));
    assert_emptied(temp.path());
}

/// A build that panics: that request gets a 500 in Chinese, its folder goes, and the service
/// answers the next one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_build_that_panics_is_a_500_and_the_service_goes_on() {
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.before_build = Some(Hook(Arc::new(|order| {
        if order.shown == "坏.xlsx" {
            panic!("a fault in the build");
        }
    })));
    let addr = listen(c).await;
    let client = client();
    for html in [false, true] {
        let part = reqwest::multipart::Part::bytes(roster(2)).file_name("坏.xlsx");
        let mut req = client.post(format!("http://{addr}/build")).multipart(reqwest::multipart::Form::new().part("roster", part));
        if html {
            req = req.header("accept", "text/html");
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 500);
        let body = res.text().await.unwrap();
        assert!(body.contains("处理这次请求时服务器程序出错，未生成文书，临时文件已删除；服务仍在运行"), "{body}");
        assert!(!body.contains("a fault in the build"), "the details are the log's: {body}");
        assert_emptied(temp.path());
    }
    let res = upload(&client, addr, roster(2)).await;
    assert_eq!(res.status(), 200);
    assert_letters(&res.bytes().await.unwrap(), 2, true);
    assert_emptied(temp.path());
}

/// The case that held both slots for 119 s and wrote 3.5 GB was a valid roster of 99,999 units:
/// with the default limits such a roster (here 20,000 units, which a debug build loads in a few
/// seconds) is refused once its documents are counted, before one is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_valid_roster_of_20000_units_is_refused_before_a_document_is_written() {
    const ROWS: usize = 20_000;
    let ws = workspace(&[]);
    let temp = tempfile::tempdir().unwrap();
    let mut c = config(ws.path(), temp.path());
    c.max_upload = 50 * 1024 * 1024;
    let addr = listen(c).await;
    let bytes = tokio::task::spawn_blocking(|| roster(ROWS)).await.unwrap();
    let client = client();
    let id = issued_id(&client, addr).await;
    let started = Instant::now();
    let part = reqwest::multipart::Part::bytes(bytes).file_name("名单.xlsx");
    let form = reqwest::multipart::Form::new().text("progress", id.clone()).part("roster", part);
    let res = client.post(format!("http://{addr}/build")).multipart(form).send().await.unwrap();
    assert_eq!(res.status(), 413);
    let body = res.text().await.unwrap();
    println!("{ROWS} units: refused in {:.1} s: {body}", started.elapsed().as_secs_f64());
    assert!(body.starts_with(&format!("名单太大：这份名单要生成 {ROWS} 份文书")), "{body}");
    assert!(body.contains("超过网页生成每次 512 MB 的上限"), "{body}");
    assert_eq!(progress_of(&client, addr, &id).await, ("failed".to_string(), 0, 0), "no document was written");
    assert_emptied(temp.path());
}
