//! Key names. Every key starts with `shieldnet/<run>/`, where `<run>` names one distributed run so that
//! several runs can share a network without hearing each other.
//!
//! | key | from → to | carries |
//! |---|---|---|
//! | `shieldnet/<run>/node/<party>` | world → node | steps, end of run |
//! | `shieldnet/<run>/world/<party>` | node → world | hello, step outputs, end-of-run figures |
//! | `shieldnet/<run>/wire/<to>/<kind>/<from>` | node → node | partner messages (real-time mode), `kind` = `track`, `engagement`, `kill`, `signed`, `other` |

/// World → node key.
pub fn to_node(run: &str, party: &str) -> String {
    format!("shieldnet/{run}/node/{party}")
}

/// Node → world key for one party.
pub fn to_world(run: &str, party: &str) -> String {
    format!("shieldnet/{run}/world/{party}")
}

/// What the world subscribes to.
pub fn world_subscription(run: &str) -> String {
    format!("shieldnet/{run}/world/*")
}

/// Node → node key for one message.
pub fn wire(run: &str, to: &str, kind: &str, from: &str) -> String {
    format!("shieldnet/{run}/wire/{to}/{kind}/{from}")
}

/// What a node subscribes to for partner messages.
pub fn wire_subscription(run: &str, me: &str) -> String {
    format!("shieldnet/{run}/wire/{me}/**")
}

/// Whether `s` can be used inside a key (no wildcards, separators or zenoh's reserved characters).
pub fn usable_in_key(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}
