//! The real transport: a zenoh session in peer mode with explicit TCP endpoints (no router, no
//! multicast scouting), one ring-buffered subscriber per key expression.

use crate::transport::{NetError, QUEUE_CAPACITY, Received, Transport};
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::time::Duration;
use zenoh::Wait;
use zenoh::pubsub::Subscriber;
use zenoh::sample::Sample;

/// A zenoh peer. Every subscription feeds one bounded queue; when it is full, new publications are
/// dropped (a flood is shed with bounded memory).
pub struct ZenohTransport {
    session: zenoh::Session,
    _subscribers: Vec<Subscriber<()>>,
    queue: Mutex<Receiver<Received>>,
}

/// Where a peer listens and whom it connects to, as zenoh endpoints (`tcp/127.0.0.1:7447`) or plain
/// `HOST:PORT` (taken as TCP).
#[derive(Debug, Clone, Default)]
pub struct Endpoints {
    /// Endpoints to listen on.
    pub listen: Vec<String>,
    /// Peers to connect to.
    pub connect: Vec<String>,
}

/// `HOST:PORT` → `tcp/HOST:PORT`; an endpoint with a protocol is kept.
pub fn endpoint(addr: &str) -> String {
    if addr.contains('/') { addr.to_string() } else { format!("tcp/{addr}") }
}

fn json_list(v: &[String]) -> String {
    let items: Vec<String> = v.iter().map(|s| format!("{:?}", endpoint(s))).collect();
    format!("[{}]", items.join(","))
}

impl ZenohTransport {
    /// Opens a peer listening and connecting as given, subscribed to `subscriptions`.
    pub fn open(ep: &Endpoints, subscriptions: &[String]) -> Result<Self, NetError> {
        let err = |e: zenoh::Error| NetError::Transport(e.to_string());
        let mut config = zenoh::Config::default();
        let settings = [
            ("mode", "\"peer\"".to_string()),
            ("listen/endpoints", json_list(&ep.listen)),
            ("connect/endpoints", json_list(&ep.connect)),
            ("scouting/multicast/enabled", "false".into()),
        ];
        for (k, v) in settings {
            config.insert_json5(k, &v).map_err(err)?;
        }
        let session = zenoh::open(config).wait().map_err(err)?;
        let (tx, rx) = sync_channel::<Received>(QUEUE_CAPACITY);
        let subscribers = subscriptions
            .iter()
            .map(|s| {
                let tx: SyncSender<Received> = tx.clone();
                session
                    .declare_subscriber(s.as_str())
                    .callback(move |sample: Sample| {
                        let r = Received {
                            key: sample.key_expr().as_str().to_string(),
                            payload: sample.payload().to_bytes().into_owned(),
                        };
                        let _ = tx.try_send(r); // full: shed
                    })
                    .wait()
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(err)?;
        Ok(Self { session, _subscribers: subscribers, queue: Mutex::new(rx) })
    }
}

impl Transport for ZenohTransport {
    fn publish(&self, key: &str, payload: &[u8]) -> Result<(), NetError> {
        self.session.put(key, payload.to_vec()).wait().map_err(|e| NetError::Transport(e.to_string()))
    }

    fn recv_timeout(&self, timeout: Duration) -> Result<Option<Received>, NetError> {
        let rx = self.queue.lock().unwrap_or_else(|p| p.into_inner());
        match rx.recv_timeout(timeout) {
            Ok(r) => Ok(Some(r)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(NetError::Transport("session closed".into())),
        }
    }
}
