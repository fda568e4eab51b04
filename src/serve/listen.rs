//! The accept loop: hyper's HTTP/1 server with what `axum::serve` has no setting for. A client
//! must send a request's headers within `header_timeout` (an idle kept-alive connection is closed
//! after as long); at most `max_connections` are open, and when all are taken the oldest idle
//! one makes room, so sockets held open by someone trickling headers cannot lock others out;
//! and a request, its download included, is cut off after twice the request time limit.

use super::{Config, Peer, app};
use axum::Router;
use axum::body::{Body, Bytes, HttpBody};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// Serves `config` on `listener` until `shutdown` completes; then stops accepting, lets the
/// requests in hand finish, and returns. Which Host headers are accepted follows the address
/// the listener is bound to.
pub async fn run(listener: TcpListener, mut config: Config, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
    config.bound = listener.local_addr()?.ip();
    let limits = Limits {
        header_timeout: config.header_timeout,
        busy: config.timeout.saturating_mul(2),
        max_connections: config.max_connections.max(1),
    };
    accept(listener, app(config), limits, shutdown).await;
    Ok(())
}

async fn accept(listener: TcpListener, router: Router, limits: Limits, shutdown: impl Future<Output = ()>) {
    let open = Arc::new(Open::default());
    let (closing, closing_seen) = watch::channel(false);
    let mut tasks = JoinSet::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file handles, or a connection reset before it was taken: not fatal.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let Some(conn) = open.admit(limits.max_connections) else { continue };
        tasks.spawn(connection(stream, Peer(peer.ip()), router.clone(), conn, closing_seen.clone(), limits));
    }
    let _ = closing.send(true);
    while tasks.join_next().await.is_some() {}
}

#[derive(Clone, Copy)]
struct Limits {
    header_timeout: Duration,
    /// Longest a request may be in hand, its reply's sending included.
    busy: Duration,
    max_connections: usize,
}

/// The connections open now, oldest first.
#[derive(Default)]
struct Open {
    conns: Mutex<BTreeMap<u64, Arc<Conn>>>,
    next_id: AtomicU64,
}

#[derive(Default)]
struct Conn {
    /// Since when a request has been in hand (headers read, response not yet all sent).
    busy_since: Mutex<Option<Instant>>,
    evicted: Notify,
}

impl Conn {
    fn set_busy(&self, busy: bool) {
        *self.busy_since.lock().unwrap_or_else(|e| e.into_inner()) = busy.then(Instant::now);
    }

    fn busy_for(&self) -> Option<Duration> {
        self.busy_since.lock().unwrap_or_else(|e| e.into_inner()).map(|t| t.elapsed())
    }
}

/// A place among the open connections, given back when the connection ends.
struct Admitted {
    open: Arc<Open>,
    id: u64,
    conn: Arc<Conn>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        self.open.conns.lock().unwrap_or_else(|e| e.into_inner()).remove(&self.id);
    }
}

impl Open {
    /// A place for a new connection; when all are taken, the oldest idle one (no request in
    /// hand: trickling its headers, or kept alive between requests) is closed to make it. `None`
    /// when every connection is in the middle of a request.
    fn admit(self: &Arc<Self>, max: usize) -> Option<Admitted> {
        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        if conns.len() >= max {
            let idle = conns.iter().find(|(_, c)| c.busy_for().is_none()).map(|(id, _)| *id)?;
            if let Some(victim) = conns.remove(&idle) {
                victim.evicted.notify_one();
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let conn = Arc::new(Conn::default());
        conns.insert(id, conn.clone());
        Some(Admitted { open: self.clone(), id, conn })
    }
}

async fn connection(
    stream: tokio::net::TcpStream,
    peer: Peer,
    router: Router,
    admitted: Admitted,
    mut closing: watch::Receiver<bool>,
    limits: Limits,
) {
    let conn = admitted.conn.clone();
    let service = hyper::service::service_fn(move |req: hyper::Request<Incoming>| {
        let (router, conn) = (router.clone(), conn.clone());
        async move {
            conn.set_busy(true);
            let mut req = req.map(Body::new);
            // Who sent it, for fair shares between clients.
            req.extensions_mut().insert(peer);
            let Ok(res) = router.oneshot(req).await;
            Ok::<_, Infallible>(res.map(|body| Tracked { body, conn }))
        }
    });
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
    let serving = builder.serve_connection(TokioIo::new(stream), service);
    tokio::pin!(serving);
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    let mut draining = false;
    loop {
        tokio::select! {
            _ = serving.as_mut() => break,
            () = admitted.conn.evicted.notified() => break,
            _ = tick.tick() => {
                if admitted.conn.busy_for().is_some_and(|t| t > limits.busy) {
                    break;
                }
            }
            // Stopping: a connection with no request in hand goes now; one in the middle of a
            // request finishes it and then closes.
            _ = closing.changed(), if !draining => {
                if admitted.conn.busy_for().is_none() {
                    break;
                }
                draining = true;
                serving.as_mut().graceful_shutdown();
            }
        }
    }
}

/// A response body that marks its connection idle again once it is sent or dropped.
struct Tracked {
    body: Body,
    conn: Arc<Conn>,
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.conn.set_busy(false);
    }
}

impl HttpBody for Tracked {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<http_body::Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.get_mut().body).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A client that asks for a reply and reads it slowly (here: one without end) is cut off
    /// once the request has been in hand for the time allowed.
    #[tokio::test]
    async fn a_reply_read_too_slowly_is_cut_off() {
        struct Endless;
        impl futures_core::Stream for Endless {
            type Item = std::io::Result<Bytes>;
            fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                Poll::Ready(Some(Ok(Bytes::from(vec![0u8; 64 * 1024]))))
            }
        }
        let endless = axum::routing::get(|| async { Body::from_stream(Endless) });
        let router = Router::new().route("/", endless);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let limits = Limits { header_timeout: Duration::from_secs(5), busy: Duration::from_secs(1), max_connections: 8 };
        tokio::spawn(accept(listener, router, limits, std::future::pending()));
        let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
        client.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut buf = vec![0u8; 64 * 1024];
        let ended = tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                tokio::time::sleep(Duration::from_millis(20)).await;
                match client.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
            }
        })
        .await;
        assert!(ended.is_ok(), "an endless reply was still being sent after 20 s");
    }

    /// Stopping does not wait for a client that is still (slowly) sending its headers.
    #[tokio::test]
    async fn stopping_closes_connections_without_a_request_at_once() {
        let router = Router::new().route("/", axum::routing::get(|| async { "ok" }));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let limits = Limits { header_timeout: Duration::from_secs(60), busy: Duration::from_secs(60), max_connections: 8 };
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(accept(listener, router, limits, async move {
            let _ = stopped.await;
        }));
        let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
        client.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        stop.send(()).unwrap();
        let ended = tokio::time::timeout(Duration::from_secs(10), server).await;
        assert!(ended.is_ok(), "the service waited for a client that never finished its headers");
    }
}
