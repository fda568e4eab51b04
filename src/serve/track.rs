//! How far each build is, for the page (`GET /progress?id=`). The ids are the server's: each
//! page is given a new one, signed for the client it was given to, and a build follows only an
//! id with a good signature from that same client; an id a client makes up is not stored. Each
//! client keeps at most `PER_CLIENT` entries, so one client's builds cannot push out another's
//! (10,000 made-up ids once did, for ten minutes).

use super::fair::Client;
use indicatif::ProgressBar;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How long a finished build's progress is kept for the page to read.
const TTL: Duration = Duration::from_secs(600);
/// Entries one client keeps: its newest.
pub const PER_CLIENT: usize = 16;
/// Entries in all; when full, the oldest goes.
const MAX: usize = 10_000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Stage {
    Queued,
    Running,
    Done,
    Failed,
}

#[derive(Clone)]
pub struct Track {
    pub state: Stage,
    pub bar: ProgressBar,
    since: Instant,
    client: Client,
}

pub struct Tracks {
    /// Keyed hashes whose keys come from the operating system's random source (std seeds
    /// `RandomState` from it): unknown outside this process, new at each start.
    keys: [RandomState; 3],
    issued: AtomicU64,
    entries: Mutex<HashMap<String, Track>>,
}

impl Default for Tracks {
    fn default() -> Tracks {
        Tracks { keys: [RandomState::new(), RandomState::new(), RandomState::new()], issued: AtomicU64::new(0), entries: Mutex::default() }
    }
}

impl Tracks {
    /// A new id for a page served to `client`: 48 hex digits, the last 32 its signature.
    pub fn issue(&self, client: Client) -> String {
        let n = self.issued.fetch_add(1, Ordering::Relaxed);
        let nonce = self.keys[0].hash_one(n);
        format!("{nonce:016x}{}", self.signature(nonce, client))
    }

    fn signature(&self, nonce: u64, client: Client) -> String {
        let bytes = client.bytes();
        format!("{:016x}{:016x}", self.keys[1].hash_one((nonce, bytes)), self.keys[2].hash_one((bytes, nonce)))
    }

    /// An id this service issued to `client`.
    pub fn genuine(&self, id: &str, client: Client) -> bool {
        if id.len() != 48 || !id.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
            return false;
        }
        let Ok(nonce) = u64::from_str_radix(&id[..16], 16) else { return false };
        let expected = self.signature(nonce, client);
        expected.bytes().zip(id[16..].bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }

    /// Follows a build under `id`, when it is one issued to `client`; anything else is not
    /// stored.
    pub fn follow(&self, id: Option<&str>, client: Client, state: Stage, bar: &ProgressBar) {
        let Some(id) = id.filter(|id| self.genuine(id, client)) else { return };
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if !entries.contains_key(id) {
            entries.retain(|_, t| t.since.elapsed() < TTL);
            let own: Vec<(&String, Instant)> = entries.iter().filter(|(_, t)| t.client == client).map(|(k, t)| (k, t.since)).collect();
            if own.len() >= PER_CLIENT {
                let oldest = own.iter().min_by_key(|(_, since)| *since).map(|(k, _)| (*k).clone());
                oldest.map(|k| entries.remove(&k));
            }
            if entries.len() >= MAX {
                let oldest = entries.iter().min_by_key(|(_, t)| t.since).map(|(k, _)| k.clone());
                oldest.map(|k| entries.remove(&k));
            }
        }
        entries.insert(id.to_string(), Track { state, bar: bar.clone(), since: Instant::now(), client });
    }

    pub fn get(&self, id: &str) -> Option<Track> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).get(id).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::fair::Peer;

    fn client(ip: &str) -> Client {
        Client::of(Some(&Peer(ip.parse().unwrap())))
    }

    #[test]
    fn only_ids_issued_to_the_same_client_are_followed() {
        let tracks = Tracks::default();
        let (a, b) = (client("10.0.0.1"), client("10.0.0.2"));
        let id = tracks.issue(a);
        assert_eq!(id.len(), 48);
        assert_ne!(id, tracks.issue(a), "a new id each time");
        assert!(tracks.genuine(&id, a));
        assert!(!tracks.genuine(&id, b), "issued to another client");
        let mut forged = id.clone().into_bytes();
        forged[40] = if forged[40] == b'0' { b'1' } else { b'0' };
        assert!(!tracks.genuine(std::str::from_utf8(&forged).unwrap(), a));
        assert!(!tracks.genuine(&id.to_uppercase(), a) && !tracks.genuine("abc-123", a) && !tracks.genuine("", a));
        let bar = ProgressBar::hidden();
        tracks.follow(Some("abc-123"), a, Stage::Running, &bar);
        tracks.follow(Some(&id), b, Stage::Running, &bar);
        assert!(tracks.get("abc-123").is_none() && tracks.get(&id).is_none(), "nothing made up is stored");
        tracks.follow(Some(&id), a, Stage::Done, &bar);
        assert_eq!(tracks.get(&id).map(|t| t.state), Some(Stage::Done));
    }

    #[test]
    fn one_clients_many_builds_do_not_push_out_anothers() {
        let tracks = Tracks::default();
        let (user, busy) = (client("10.0.0.1"), client("10.0.0.66"));
        let bar = ProgressBar::hidden();
        let mine = tracks.issue(user);
        tracks.follow(Some(&mine), user, Stage::Running, &bar);
        let theirs: Vec<String> = (0..1000).map(|_| tracks.issue(busy)).collect();
        for id in &theirs {
            tracks.follow(Some(id), busy, Stage::Done, &bar);
        }
        assert_eq!(tracks.get(&mine).map(|t| t.state), Some(Stage::Running), "the user's entry stays");
        let kept = theirs.iter().filter(|id| tracks.get(id).is_some()).count();
        assert_eq!(kept, PER_CLIENT, "the busy client keeps its newest only");
        assert!(tracks.get(theirs.last().unwrap()).is_some());
    }
}
