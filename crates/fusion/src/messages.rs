//! The message set parties exchange (version 1).
//!
//! Every message carries the sender's party id, a per-sender sequence number (starting at 1, +1 per
//! message to any partner), the time of validity of its content (seconds since the scenario epoch) and
//! one body. States are ECEF position (m) and velocity (m/s); covariances are the 21 upper-triangular
//! entries of the 6×6 matrix, row by row. On the wire a message is one JSON object (UTF-8), e.g.
//! `{"version":1,"sender":"RUS","seq":7,"time_of_validity_s":123.0,"body":{"TrackReport":{...}}}`.

use serde::{Deserialize, Serialize};
use shieldnet_tracking::{Cov6, State6};

/// Current message-set version.
pub const MESSAGE_VERSION: u16 = 1;

/// One message from one party to another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Message-set version.
    pub version: u16,
    /// Sending party.
    pub sender: String,
    /// Per-sender sequence number.
    pub seq: u64,
    /// Time at which the content is valid, s since the epoch.
    pub time_of_validity_s: f64,
    /// The content.
    pub body: Body,
}

/// Message contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Body {
    /// A track from the sender's own sensors.
    TrackReport(TrackReport),
    /// An engagement the sender plans, has launched, or has cancelled.
    Engagement(EngagementAnnouncement),
    /// The outcome of an engagement.
    KillAssessment(KillAssessment),
}

/// A track report: state and covariance of one of the sender's tracks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackReport {
    /// The sender's track id.
    pub track_id: u32,
    /// ECEF position (m) and velocity (m/s).
    pub state: [f64; 6],
    /// Upper triangle of the covariance, row by row (21 values).
    pub cov_upper: Vec<f64>,
}

impl TrackReport {
    /// Builds a report from a state and covariance.
    pub fn new(track_id: u32, state: &State6, cov: &Cov6) -> Self {
        let mut cov_upper = Vec::with_capacity(21);
        for i in 0..6 {
            for j in i..6 {
                cov_upper.push(cov[(i, j)]);
            }
        }
        Self { track_id, state: [state[0], state[1], state[2], state[3], state[4], state[5]], cov_upper }
    }

    /// The state vector.
    pub fn state(&self) -> State6 {
        State6::from_column_slice(&self.state)
    }

    /// The covariance, or `None` when the report is malformed (wrong length, non-finite values).
    pub fn cov(&self) -> Option<Cov6> {
        if self.cov_upper.len() != 21
            || !self.cov_upper.iter().chain(self.state.iter()).all(|v| v.is_finite())
        {
            return None;
        }
        let mut c = Cov6::zeros();
        let mut k = 0;
        for i in 0..6 {
            for j in i..6 {
                c[(i, j)] = self.cov_upper[k];
                c[(j, i)] = self.cov_upper[k];
                k += 1;
            }
        }
        Some(c)
    }
}

/// Where an engagement stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EngagementStatus {
    /// Planned; the interceptor has not left yet and the plan can still be withdrawn.
    Planned,
    /// The interceptor is in flight.
    Launched,
    /// Withdrawn before launch (deconfliction).
    Cancelled,
}

/// An engagement announcement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngagementAnnouncement {
    /// Sender's engagement id.
    pub engagement_id: u32,
    /// The tracks the sender's picture built the engaged threat from, as (party, that party's own
    /// track id): the sender's own track and the partner tracks it fused in. A receiver recognises the
    /// threat when one of them is its own track or a partner track in its picture.
    pub sources: Vec<(String, u32)>,
    /// Firing battery (the sender's).
    pub battery: String,
    /// Status.
    pub status: EngagementStatus,
    /// (Planned) launch time, s.
    pub launch_time_s: f64,
    /// Predicted intercept time, s.
    pub intercept_time_s: f64,
    /// Predicted intercept point, ECEF (m): lets a receiver recognise the threat by position when
    /// none of the source tracks is in its picture.
    pub intercept_point: [f64; 3],
}

/// A kill assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KillAssessment {
    /// Sender's engagement id.
    pub engagement_id: u32,
    /// The engaged threat's source tracks, as in [`EngagementAnnouncement::sources`].
    pub sources: Vec<(String, u32)>,
    /// Whether the threat was destroyed.
    pub killed: bool,
}

/// Errors decoding a message received from a partner.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Not a valid message.
    #[error("malformed message: {0}")]
    Malformed(#[from] serde_json::Error),
    /// Unsupported version.
    #[error("unsupported message version {0}; this build reads version {MESSAGE_VERSION}")]
    Version(u16),
}

impl Message {
    /// Encodes to the wire format (JSON).
    pub fn encode(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Decodes from the wire format, rejecting other versions.
    pub fn decode(bytes: &[u8]) -> Result<Self, DecodeError> {
        let m: Message = serde_json::from_slice(bytes)?;
        if m.version != MESSAGE_VERSION {
            return Err(DecodeError::Version(m.version));
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_other_versions_and_garbage() {
        let mut cov = Cov6::identity();
        cov[(0, 3)] = 0.5;
        cov[(3, 0)] = 0.5;
        let m = Message {
            version: MESSAGE_VERSION,
            sender: "RUS".into(),
            seq: 3,
            time_of_validity_s: 12.5,
            body: Body::TrackReport(TrackReport::new(9, &State6::new(1.0, 2.0, 3.0, 4.0, 5.0, 6.0), &cov)),
        };
        let back = Message::decode(&m.encode()).unwrap();
        assert_eq!(back, m);
        let Body::TrackReport(r) = &back.body else { panic!("wrong body") };
        assert_eq!(r.cov().unwrap(), cov);
        let mut v2 = m.clone();
        v2.version = 2;
        assert!(matches!(Message::decode(&v2.encode()), Err(DecodeError::Version(2))));
        assert!(Message::decode(b"{not json").is_err());
        let short = TrackReport { track_id: 1, state: [0.0; 6], cov_upper: vec![1.0; 5] };
        assert!(short.cov().is_none());
    }
}
