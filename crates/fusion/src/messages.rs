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

/// Most track reports in one [`Body::TrackReports`] message (keeps a message well under 64 KiB).
pub const MAX_REPORTS_PER_MESSAGE: usize = 50;

/// Most detections in one [`Body::Detections`] message, over all its looks.
pub const MAX_DETECTIONS_PER_MESSAGE: usize = 200;

/// Most looks in one [`Body::Detections`] message (with [`MAX_DETECTIONS_PER_MESSAGE`], keeps the
/// longest message under the 64 KiB signed-payload limit).
pub const MAX_LOOKS_PER_MESSAGE: usize = 50;

/// Message contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Body {
    /// A track from the sender's own sensors (valid at the message's time of validity).
    TrackReport(TrackReport),
    /// Several tracks from the sender's own sensors sent together at one reporting instant, each
    /// with its own time of validity (at most [`MAX_REPORTS_PER_MESSAGE`]).
    TrackReports(Vec<TimedTrackReport>),
    /// An engagement the sender plans, has launched, or has cancelled.
    Engagement(EngagementAnnouncement),
    /// The outcome of an engagement.
    KillAssessment(KillAssessment),
    /// Warning of a ballistic-missile launch seen by the sender's sensors (cooperation mode M1 and up).
    LaunchNotice(LaunchNotice),
    /// A signed checkpoint of the sender's audit log (its RFC 6962 Merkle root over every entry so
    /// far), in the audit crate's checkpoint byte encoding (`shieldnet_audit::Checkpoint::to_bytes`,
    /// documented in docs/messages.md). The receiver logs it, so that the sender cannot later rewrite
    /// its history without the receiver's log showing it.
    AuditCheckpoint(Vec<u8>),
    /// Raw detections of the sender's radars: one entry per look, in time order (at most
    /// [`MAX_LOOKS_PER_MESSAGE`] looks and [`MAX_DETECTIONS_PER_MESSAGE`] detections in all).
    Detections(Vec<DetectionLook>),
}

impl Body {
    /// The body's kind as written on the wire (`"TrackReport"`, `"TrackReports"`, `"Engagement"`,
    /// `"KillAssessment"`, `"LaunchNotice"`, `"AuditCheckpoint"`, `"Detections"`): used to count
    /// messages by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Body::TrackReport(_) => "TrackReport",
            Body::TrackReports(_) => "TrackReports",
            Body::Engagement(_) => "Engagement",
            Body::KillAssessment(_) => "KillAssessment",
            Body::LaunchNotice(_) => "LaunchNotice",
            Body::AuditCheckpoint(_) => "AuditCheckpoint",
            Body::Detections(_) => "Detections",
        }
    }
}

/// A launch warning: when and roughly where a missile was launched and roughly which way it flies,
/// estimated from the sender's first confirmed track of the climbing missile. Deliberately coarse: it
/// reveals neither the track's state nor the sensor's accuracy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LaunchNotice {
    /// Sender's notice id (unique per sender).
    pub notice_id: u32,
    /// Estimated launch time, s since the epoch.
    pub launch_time_s: f64,
    /// Estimated launch point, ECEF (m), on the ellipsoid.
    pub launch_point: [f64; 3],
    /// Radius of the launch area around `launch_point`, m.
    pub area_radius_m: f64,
    /// Rough flight azimuth at the launch point, radians clockwise from true north, in [0, 2π).
    pub azimuth_rad: f64,
    /// Half-width of the azimuth's uncertainty, radians.
    pub azimuth_halfwidth_rad: f64,
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
        let upper: &[f64; 21] = self.cov_upper.as_slice().try_into().ok()?;
        // Every value tested, without branches.
        if !upper.iter().chain(&self.state).fold(true, |ok, v| ok & v.is_finite()) {
            return None;
        }
        let mut c = Cov6::zeros();
        let mut k = 0;
        for i in 0..6 {
            for j in i..6 {
                c[(i, j)] = upper[k];
                c[(j, i)] = upper[k];
                k += 1;
            }
        }
        Some(c)
    }
}

/// A track report with its own time of validity, for [`Body::TrackReports`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimedTrackReport {
    /// Time at which the track state is valid, s since the epoch.
    pub time_of_validity_s: f64,
    /// The report.
    pub report: TrackReport,
}

/// The detections of one look of one of the sender's radars, as measured: range, azimuth and
/// elevation in the radar's local East-North-Up frame, each with its noise. The sender may have left
/// detections out (its agreement's filters) and may have degraded them ([`DetectionLook`] then
/// carries the widened noise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DetectionLook {
    /// The sender's number for the radar (stable over a run; no other meaning).
    pub sensor: u32,
    /// Time of the look (of every detection in it), s since the epoch.
    pub time_s: f64,
    /// Radar site, ECEF (m): the origin of the ENU frame the angles are measured in.
    pub site: [f64; 3],
    /// The detections.
    pub detections: Vec<SharedDetection>,
}

/// One detection of a [`DetectionLook`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SharedDetection {
    /// Slant range, m (> 0).
    pub range_m: f64,
    /// Azimuth, radians clockwise from north, in [0, 2π).
    pub az_rad: f64,
    /// Elevation above the site's horizontal plane, radians, in [−π/2, π/2].
    pub el_rad: f64,
    /// Noise (1σ) of range (m), azimuth (rad) and elevation (rad), each > 0.
    pub sigma: [f64; 3],
    /// Measured range rate and its noise (1σ), m/s, when the radar measures it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range_rate: Option<[f64; 2]>,
}

impl SharedDetection {
    /// Whether the values are inside their documented ranges (finite, positive range and noises,
    /// angles in range): a receiver drops a look holding any other.
    pub fn is_valid(&self) -> bool {
        let angles = (0.0..std::f64::consts::TAU).contains(&self.az_rad)
            && (-std::f64::consts::FRAC_PI_2..=std::f64::consts::FRAC_PI_2).contains(&self.el_rad);
        let positive = |v: f64| v.is_finite() && v > 0.0;
        let rate = self.range_rate.is_none_or(|[v, s]| v.is_finite() && positive(s));
        positive(self.range_m) && angles && self.sigma.iter().all(|s| positive(*s)) && rate
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
    /// Predicted intercept point, ECEF (m).
    pub intercept_point: [f64; 3],
    /// The engaged threat's latest state known to the sender (ECEF position m, velocity m/s), valid
    /// at `threat_time_s`: lets a receiver recognise the threat by position when none of the source
    /// tracks is in its picture.
    pub threat_state: [f64; 6],
    /// Time of validity of `threat_state`, s.
    pub threat_time_s: f64,
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

    #[test]
    fn a_detection_is_valid_only_inside_its_documented_ranges() {
        let ok = SharedDetection {
            range_m: 1.0e6,
            az_rad: std::f64::consts::TAU - 1e-9,
            el_rad: 0.1,
            sigma: [30.0, 0.002, 0.002],
            range_rate: Some([-2000.0, 5.0]),
        };
        assert!(ok.is_valid());
        let bad: [fn(&mut SharedDetection); 9] = [
            |d| d.range_m = 0.0,
            |d| d.range_m = f64::NAN,
            |d| d.az_rad = std::f64::consts::TAU,
            |d| d.az_rad = -0.1,
            |d| d.el_rad = 1.6,
            |d| d.sigma[1] = 0.0,
            |d| d.sigma[0] = f64::INFINITY,
            |d| d.range_rate = Some([f64::NAN, 5.0]),
            |d| d.range_rate = Some([100.0, -1.0]),
        ];
        for (k, spoil) in bad.iter().enumerate() {
            let mut d = ok.clone();
            spoil(&mut d);
            assert!(!d.is_valid(), "case {k} accepted: {d:?}");
        }
    }
}
