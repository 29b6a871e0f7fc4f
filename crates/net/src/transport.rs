//! Publish/subscribe transports: what the world and node hosts need from a network.
//!
//! [`Transport`] is the whole interface: publish bytes on a key, receive what arrives on the keys one
//! subscribed to. [`MemoryBus`] implements it inside one process (tests, benchmarks, the default build);
//! [`crate::zenoh_transport`] over a real network (feature `zenoh`). Keys are `/`-separated; a
//! subscription may use `*` (one segment) and `**` (any number of segments), as in zenoh.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Why the transport failed.
#[derive(Debug, thiserror::Error)]
pub enum NetError {
    /// The transport could not be opened or used.
    #[error("transport: {0}")]
    Transport(String),
    /// No answer within the allowed time.
    #[error("timed out: {0}")]
    Timeout(String),
    /// The peer answered with something unusable.
    #[error("protocol: {0}")]
    Protocol(String),
}

/// One received publication.
#[derive(Debug, Clone, PartialEq)]
pub struct Received {
    /// Key it was published on.
    pub key: String,
    /// Payload bytes.
    pub payload: Vec<u8>,
}

/// A publish/subscribe endpoint.
pub trait Transport: Send {
    /// Publishes `payload` on `key`.
    fn publish(&self, key: &str, payload: &[u8]) -> Result<(), NetError>;
    /// The next publication on a subscribed key, waiting at most `timeout`.
    fn recv_timeout(&self, timeout: Duration) -> Result<Option<Received>, NetError>;
}

/// Whether `key` matches the key expression `expr` (`*` = one segment, `**` = any number).
pub fn key_matches(expr: &str, key: &str) -> bool {
    fn go(e: &[&str], k: &[&str]) -> bool {
        match (e.first(), k.first()) {
            (None, None) => true,
            (Some(&"**"), _) => go(&e[1..], k) || (!k.is_empty() && go(e, &k[1..])),
            (Some(&"*"), Some(_)) => go(&e[1..], &k[1..]),
            (Some(a), Some(b)) if a == b => go(&e[1..], &k[1..]),
            _ => false,
        }
    }
    let e: Vec<&str> = expr.split('/').collect();
    let k: Vec<&str> = key.split('/').collect();
    go(&e, &k)
}

/// Most publications an endpoint's queue holds; beyond it the oldest are dropped (shedding a flood
/// with bounded memory, like zenoh's ring channel).
pub const QUEUE_CAPACITY: usize = 4096;

struct Queue {
    items: Mutex<VecDeque<Received>>,
    ready: Condvar,
}

struct Subscriber {
    exprs: Vec<String>,
    queue: Arc<Queue>,
}

/// An in-process publish/subscribe bus. Cloning gives another handle on the same bus.
#[derive(Clone, Default)]
pub struct MemoryBus {
    subscribers: Arc<Mutex<Vec<Subscriber>>>,
}

/// One endpoint on a [`MemoryBus`].
pub struct MemoryEndpoint {
    bus: MemoryBus,
    queue: Arc<Queue>,
}

impl MemoryBus {
    /// An empty bus.
    pub fn new() -> Self {
        Self::default()
    }

    /// A new endpoint receiving what is published on keys matching any of `subscriptions`.
    pub fn endpoint(&self, subscriptions: &[String]) -> MemoryEndpoint {
        let queue = Arc::new(Queue { items: Mutex::new(VecDeque::new()), ready: Condvar::new() });
        let sub = Subscriber { exprs: subscriptions.to_vec(), queue: queue.clone() };
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner()).push(sub);
        MemoryEndpoint { bus: self.clone(), queue }
    }
}

impl Transport for MemoryEndpoint {
    fn publish(&self, key: &str, payload: &[u8]) -> Result<(), NetError> {
        let subs = self.bus.subscribers.lock().unwrap_or_else(|p| p.into_inner());
        for s in subs.iter().filter(|s| s.exprs.iter().any(|e| key_matches(e, key))) {
            let mut items = s.queue.items.lock().unwrap_or_else(|p| p.into_inner());
            if items.len() >= QUEUE_CAPACITY {
                items.pop_front();
            }
            items.push_back(Received { key: key.to_string(), payload: payload.to_vec() });
            s.queue.ready.notify_one();
        }
        Ok(())
    }

    fn recv_timeout(&self, timeout: Duration) -> Result<Option<Received>, NetError> {
        let deadline = Instant::now() + timeout;
        let mut items = self.queue.items.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(r) = items.pop_front() {
                return Ok(Some(r));
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(None);
            }
            items = self.queue.ready.wait_timeout(items, deadline - now).unwrap_or_else(|p| p.into_inner()).0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_expressions_match_like_zenoh() {
        assert!(key_matches("a/b", "a/b"));
        assert!(!key_matches("a/b", "a/c"));
        assert!(key_matches("a/*", "a/c"));
        assert!(!key_matches("a/*", "a/c/d"));
        assert!(key_matches("a/**", "a/c/d"));
        assert!(key_matches("a/**", "a"));
        assert!(key_matches("a/**/d", "a/b/c/d"));
        assert!(!key_matches("a/**/d", "a/b/c/e"));
    }

    #[test]
    fn bus_delivers_to_matching_endpoints_only_and_sheds_the_oldest() {
        let bus = MemoryBus::new();
        let a = bus.endpoint(&["x/a/**".into()]);
        let b = bus.endpoint(&["x/b".into()]);
        a.publish("x/b", b"1").unwrap();
        a.publish("x/a/k", b"2").unwrap();
        let got = b.recv_timeout(Duration::from_millis(10)).unwrap().unwrap();
        assert_eq!(got.payload, b"1");
        assert_eq!(a.recv_timeout(Duration::from_millis(10)).unwrap().unwrap().payload, b"2");
        assert!(b.recv_timeout(Duration::from_millis(1)).unwrap().is_none());
        for i in 0..(QUEUE_CAPACITY + 10) {
            a.publish("x/b", &(i as u32).to_le_bytes()).unwrap();
        }
        let first = b.recv_timeout(Duration::from_millis(1)).unwrap().unwrap();
        assert_eq!(first.payload, 10u32.to_le_bytes());
    }
}
