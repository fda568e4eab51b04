//! Fair shares between clients: who a request comes from (`Client`: its peer's IP address), how
//! many upload places and build slots one client may hold at once, and the slowest upload the
//! service waits for (`Paced`). Without these, 32 uploads trickling a byte every 2 s, or one
//! client's rosters in every build slot, kept every other user out.

use axum::body::{Body, Bytes};
use http_body::{Frame, SizeHint};
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::sync::Semaphore;

/// The address a connection came from, put on each of its requests by `listen`. Requests made
/// in-process (tests) have none and count as one client.
#[derive(Clone, Copy, Debug)]
pub struct Peer(pub IpAddr);

/// One client, for fair shares: an IPv4 address, or an IPv6 /64 (one network's hosts pick
/// their addresses within it at will).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Client(IpAddr);

impl Client {
    pub fn of(peer: Option<&Peer>) -> Client {
        let Some(Peer(ip)) = peer else { return Client(IpAddr::V4(Ipv4Addr::UNSPECIFIED)) };
        match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Client(IpAddr::V4(v4)),
                None => Client(IpAddr::V6(Ipv6Addr::from(v6.to_bits() & !((1u128 << 64) - 1)))),
            },
            v4 => Client(*v4),
        }
    }

    /// For a progress id's signature.
    pub fn bytes(&self) -> [u8; 16] {
        match self.0 {
            IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
            IpAddr::V6(v6) => v6.octets(),
        }
    }
}

/// How many of something each client holds now.
#[derive(Default)]
pub struct Shares(Mutex<HashMap<Client, usize>>);

/// One held share, given back when dropped.
pub struct Share {
    shares: Arc<Shares>,
    client: Client,
}

impl Shares {
    /// A share for `client`, unless it already holds `limit`.
    pub fn take(self: &Arc<Self>, client: Client, limit: usize) -> Option<Share> {
        let mut held = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = held.entry(client).or_insert(0);
        if *n >= limit.max(1) {
            return None;
        }
        *n += 1;
        Some(Share { shares: self.clone(), client })
    }

    pub fn held(&self, client: Client) -> usize {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).get(&client).copied().unwrap_or(0)
    }
}

impl Drop for Share {
    fn drop(&mut self) {
        let mut held = self.shares.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = held.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                held.remove(&self.client);
            }
        }
    }
}

/// The builds of each client: how many it has in hand (running or waiting), and a semaphore of
/// `per_client` permits that its running builds hold, so one client never holds more slots than
/// its share however many are free.
pub struct Builders {
    per_client: usize,
    clients: Mutex<HashMap<Client, (usize, Arc<Semaphore>)>>,
}

/// A build in hand for one client; `running` is its client's own semaphore.
pub struct Turn {
    builders: Arc<Builders>,
    client: Client,
    pub running: Arc<Semaphore>,
}

impl Builders {
    pub fn new(per_client: usize) -> Arc<Builders> {
        Arc::new(Builders { per_client: per_client.max(1), clients: Mutex::new(HashMap::new()) })
    }

    /// A turn for `client`, unless it already has `in_hand` builds running or waiting.
    pub fn take(self: &Arc<Self>, client: Client, in_hand: usize) -> Option<Turn> {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        let (n, running) = clients.entry(client).or_insert_with(|| (0, Arc::new(Semaphore::new(self.per_client))));
        if *n >= in_hand.max(1) {
            return None;
        }
        *n += 1;
        Some(Turn { builders: self.clone(), client, running: running.clone() })
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let mut clients = self.builders.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((n, _)) = clients.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                clients.remove(&self.client);
            }
        }
    }
}

/// A request body that ends in an error when fewer than `min_bytes` arrive within any `window`
/// of its sending: a client trickling its upload cannot hold an upload place for the whole
/// time limit. `slow` is set when that is why it ended.
pub struct Paced {
    inner: Body,
    window: Duration,
    min_bytes: u64,
    got: u64,
    ends: Pin<Box<tokio::time::Sleep>>,
    slow: Arc<AtomicBool>,
}

impl Paced {
    pub fn new(inner: Body, min_rate: u64, window: Duration, slow: Arc<AtomicBool>) -> Paced {
        let min_bytes = (min_rate as f64 * window.as_secs_f64()).ceil() as u64;
        Paced { inner, window, min_bytes, got: 0, ends: Box::pin(tokio::time::sleep(window)), slow }
    }

    /// At the end of a window: too little came in it, or the next window begins.
    fn window_ended(&mut self) -> Result<(), axum::Error> {
        if self.got < self.min_bytes {
            self.slow.store(true, Ordering::SeqCst);
            return Err(axum::Error::new(std::io::Error::new(std::io::ErrorKind::TimedOut, "upload too slow")));
        }
        self.got = 0;
        let next = tokio::time::Instant::now() + self.window;
        self.ends.as_mut().reset(next);
        Ok(())
    }
}

impl http_body::Body for Paced {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        if this.min_bytes == 0 {
            return Pin::new(&mut this.inner).poll_frame(cx);
        }
        loop {
            if this.ends.as_mut().poll(cx).is_ready() {
                if let Err(e) = this.window_ended() {
                    return Poll::Ready(Some(Err(e)));
                }
                continue;
            }
            let frame = std::task::ready!(Pin::new(&mut this.inner).poll_frame(cx));
            if let Some(Ok(f)) = &frame
                && let Some(data) = f.data_ref()
            {
                this.got += data.len() as u64;
            }
            return Poll::Ready(frame);
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_addresses_and_ipv6_networks() {
        let of = |s: &str| Client::of(Some(&Peer(s.parse().unwrap())));
        assert_eq!(of("192.168.1.5"), of("::ffff:192.168.1.5"), "a mapped IPv4 address is the same client");
        assert_ne!(of("192.168.1.5"), of("192.168.1.6"));
        assert_eq!(of("2001:db8:1:2::1"), of("2001:db8:1:2:ffff::9"), "one /64 is one client");
        assert_ne!(of("2001:db8:1:2::1"), of("2001:db8:1:3::1"));
        assert_eq!(Client::of(None), Client::of(None));
    }

    #[test]
    fn shares_are_bounded_per_client_and_given_back() {
        let shares = Arc::new(Shares::default());
        let (a, b) = (Client::of(Some(&Peer("10.0.0.1".parse().unwrap()))), Client::of(Some(&Peer("10.0.0.2".parse().unwrap()))));
        let first = shares.take(a, 2).unwrap();
        let _second = shares.take(a, 2).unwrap();
        assert!(shares.take(a, 2).is_none(), "a's share is full");
        assert!(shares.take(b, 2).is_some(), "b is not held back by a");
        drop(first);
        assert_eq!(shares.held(a), 1);
        assert!(shares.take(a, 2).is_some());
        let builders = Builders::new(1);
        let t1 = builders.take(a, 2).unwrap();
        let _t2 = builders.take(a, 2).unwrap();
        assert!(builders.take(a, 2).is_none());
        assert!(Arc::ptr_eq(&t1.running, &_t2.running), "one client, one semaphore");
        assert_eq!(t1.running.available_permits(), 1);
    }

    #[tokio::test]
    async fn a_trickling_body_is_cut_at_the_end_of_a_window() {
        use http_body_util_free::collect;
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(8);
        let stream = tokio_stream_free::Receiver(rx);
        let slow = Arc::new(AtomicBool::new(false));
        let body = Paced::new(Body::from_stream(stream), 100, Duration::from_millis(300), slow.clone());
        // 200 bytes in the first window, then one byte every 500 ms.
        tx.send(Ok(Bytes::from(vec![0u8; 200]))).await.unwrap();
        let sender = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                if tx.send(Ok(Bytes::from_static(b"x"))).await.is_err() {
                    return;
                }
            }
        });
        let (got, ended) = collect(body).await;
        assert!((200..=202).contains(&got), "the first window was fast enough, the next not: {got}");
        assert!(ended.is_err() && slow.load(Ordering::SeqCst), "the second window was not");
        sender.abort();
    }

    /// Just enough of a body reader and a channel stream for the test above.
    mod http_body_util_free {
        use super::*;
        pub async fn collect(mut body: Paced) -> (usize, Result<(), axum::Error>) {
            let mut n = 0;
            loop {
                match std::future::poll_fn(|cx| http_body::Body::poll_frame(Pin::new(&mut body), cx)).await {
                    None => return (n, Ok(())),
                    Some(Ok(f)) => n += f.data_ref().map_or(0, |d| d.len()),
                    Some(Err(e)) => return (n, Err(e)),
                }
            }
        }
    }

    mod tokio_stream_free {
        use super::*;
        pub struct Receiver(pub tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>);
        impl futures_core::Stream for Receiver {
            type Item = Result<Bytes, std::io::Error>;
            fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                self.get_mut().0.poll_recv(cx)
            }
        }
    }
}
