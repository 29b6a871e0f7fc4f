//! Frames exchanged between the world process and the party node processes, and their bytes.
//!
//! A frame on the wire is `MAGIC` (4 bytes, `SNF1`) followed by a MessagePack map of [`Frame`]. Frames
//! are untrusted input on both sides: [`decode`] checks the size before parsing, the magic and the
//! protocol version, and never panics. Partner messages travel inside frames as [`WireFrame`]s: a
//! signed envelope keeps its exact bytes, so the receiving node checks the sender's signature itself.

use serde::{Deserialize, Serialize};
use shieldnet_audit::SignedEnvelope;
use shieldnet_fusion::{FusedTrack, Message};
use shieldnet_node::{AimUpdate, EngagementOutcome, LaunchOrder, NodeEvent, NodeOutput, Outgoing, Wire};
use shieldnet_sensors::Scan;
use shieldnet_sim::{NodeFinish, ReceivedNotice};
use shieldnet_tracking::Track;

/// First bytes of every frame.
pub const MAGIC: &[u8; 4] = b"SNF1";
/// Version of the frame layout; a receiver rejects any other.
pub const PROTOCOL_VERSION: u16 = 1;
/// Largest frame accepted, bytes. A step of the default scenario is a few kilobytes; the end-of-run
/// frame carries the node's whole audit log (about 7 MB for the default scenario).
pub const MAX_FRAME_BYTES: usize = 64 << 20;

/// One frame.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// [`PROTOCOL_VERSION`] of the sender.
    pub version: u16,
    /// What it carries.
    pub body: Body,
}

/// What a frame carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Body {
    /// World → node: one step's input.
    Step(StepFrame),
    /// World → node: the run is over; answer with [`Body::Finished`].
    Finish {
        /// End of the run, s.
        t_s: f64,
    },
    /// Node → world: a node process is up (sent until the world's first step arrives).
    Hello {
        /// Party id.
        party: String,
        /// Random id of this process instance (tells a restarted node from a late answer).
        instance: u64,
    },
    /// Node → world: one step's output.
    StepDone {
        /// Party id.
        party: String,
        /// Step answered.
        step: u64,
        /// The node's output.
        output: OutputFrame,
    },
    /// Node → world: end-of-run figures and the audit log.
    Finished {
        /// Party id.
        party: String,
        /// What the node reports at the end.
        finish: NodeFinish,
    },
    /// Node → node (real-time mode): one partner message.
    Partner(WireFrame),
}

/// One step's input for one node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepFrame {
    /// Step number, from 1.
    pub step: u64,
    /// Simulation time, s.
    pub now_s: f64,
    /// The node's own radars' looks.
    pub scans: Vec<Scan>,
    /// The node's own infrared satellites' line-of-sight reports.
    #[serde(default)]
    pub angles: Vec<shieldnet_tracking::angle_tracking::AngleReport>,
    /// Partner messages delivered this step (lockstep mode; empty in real-time mode).
    pub inbox: Vec<WireFrame>,
    /// Outcomes of the node's own engagements.
    pub outcomes: Vec<EngagementOutcome>,
}

/// A partner message as it crosses: a signed envelope's exact bytes, or a plain message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WireFrame {
    /// Unsigned message (runs without authentication).
    Plain(Message),
    /// Signed envelope bytes ([`SignedEnvelope::to_bytes`]).
    Signed(#[serde(with = "serde_bytes_compat")] Vec<u8>),
}

/// A node's output for one step.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OutputFrame {
    /// Messages to partners: (receiving party, message).
    pub outgoing: Vec<(String, WireFrame)>,
    /// Launch orders for own batteries.
    pub launches: Vec<LaunchOrder>,
    /// In-flight target updates.
    pub aim_updates: Vec<AimUpdate>,
    /// Events.
    pub events: Vec<NodeEvent>,
    /// Fused picture at the end of the step.
    pub picture: Vec<FusedTrack>,
    /// The node's own tracks after the step (the world schedules track-mode looks and scores
    /// tracking metrics on them).
    pub tracks: Vec<Track>,
    /// Launch notices received during the step.
    pub new_warnings: Vec<ReceivedNotice>,
}

/// Why bytes are not a usable frame.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrameError {
    /// Larger than [`MAX_FRAME_BYTES`].
    #[error("frame of {0} bytes exceeds the {MAX_FRAME_BYTES}-byte limit")]
    TooLarge(usize),
    /// Does not start with [`MAGIC`].
    #[error("not a shieldnet frame (bad magic)")]
    BadMagic,
    /// Body does not parse.
    #[error("malformed frame: {0}")]
    Malformed(String),
    /// Another protocol version.
    #[error("frame version {0} is not the supported version {PROTOCOL_VERSION}")]
    Version(u16),
    /// A signed envelope inside the frame does not parse.
    #[error("malformed signed envelope: {0}")]
    Envelope(String),
}

/// Encodes a frame body.
pub fn encode(body: &Body) -> Vec<u8> {
    let frame = Frame { version: PROTOCOL_VERSION, body: body.clone() };
    let mut out = MAGIC.to_vec();
    // Serialising plain data structures into a Vec cannot fail.
    rmp_serde::encode::write_named(&mut out, &frame).expect("frame encodes");
    out
}

/// Decodes and checks a frame.
pub fn decode(bytes: &[u8]) -> Result<Body, FrameError> {
    if bytes.len() > MAX_FRAME_BYTES {
        return Err(FrameError::TooLarge(bytes.len()));
    }
    let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or(FrameError::BadMagic)?;
    let frame: Frame = rmp_serde::from_slice(rest).map_err(|e| FrameError::Malformed(e.to_string()))?;
    if frame.version != PROTOCOL_VERSION {
        return Err(FrameError::Version(frame.version));
    }
    Ok(frame.body)
}

impl WireFrame {
    /// The frame form of a wire message.
    pub fn from_wire(w: &Wire) -> Self {
        match w {
            Wire::Plain(m) => WireFrame::Plain(m.clone()),
            Wire::Signed(e) => WireFrame::Signed(e.to_bytes()),
        }
    }

    /// The wire message; a signed envelope is parsed (its signature is checked later, by the node).
    pub fn to_wire(&self) -> Result<Wire, FrameError> {
        match self {
            WireFrame::Plain(m) => Ok(Wire::Plain(m.clone())),
            WireFrame::Signed(b) => {
                SignedEnvelope::decode(b).map(Wire::Signed).map_err(|e| FrameError::Envelope(e.to_string()))
            }
        }
    }

    /// Message kind for topic names: `track`, `engagement`, `kill`, … (`signed` when only the
    /// envelope is known).
    pub fn kind(&self) -> &'static str {
        match self {
            WireFrame::Plain(m) => body_kind(&m.body),
            WireFrame::Signed(_) => "signed",
        }
    }
}

/// Short topic name of a message body.
pub fn body_kind(body: &shieldnet_fusion::messages::Body) -> &'static str {
    use shieldnet_fusion::messages::Body as B;
    #[allow(unreachable_patterns)] // message kinds added later fall into "other"
    match body {
        B::TrackReport(_) | B::TrackReports(_) => "track",
        B::Engagement(_) => "engagement",
        B::KillAssessment(_) => "kill",
        _ => "other",
    }
}

impl OutputFrame {
    /// The frame form of a node's output, with the node's tracks and new launch notices.
    pub fn from_output(out: &NodeOutput, tracks: &[Track], new_warnings: &[ReceivedNotice]) -> Self {
        OutputFrame {
            tracks: tracks.to_vec(),
            new_warnings: new_warnings.to_vec(),
            outgoing: out.outgoing.iter().map(|o| (o.to.clone(), WireFrame::from_wire(&o.wire))).collect(),
            launches: out.launches.clone(),
            aim_updates: out.aim_updates.clone(),
            events: out.events.clone(),
            picture: out.picture.clone(),
        }
    }

    /// The node output; fails if a signed envelope inside is malformed.
    pub fn to_output(&self) -> Result<NodeOutput, FrameError> {
        Ok(NodeOutput {
            outgoing: self
                .outgoing
                .iter()
                .map(|(to, w)| Ok(Outgoing { to: to.clone(), wire: w.to_wire()? }))
                .collect::<Result<_, FrameError>>()?,
            launches: self.launches.clone(),
            aim_updates: self.aim_updates.clone(),
            events: self.events.clone(),
            picture: self.picture.clone(),
        })
    }
}

/// Byte strings as MessagePack `bin` (compact) while still accepting arrays of integers.
mod serde_bytes_compat {
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a byte string")
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 16));
                while let Some(b) = seq.next_element::<u8>()? {
                    out.push(b);
                }
                Ok(out)
            }
        }
        d.deserialize_bytes(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn frames_round_trip_bit_for_bit() {
        let sf = StepFrame {
            step: 3,
            now_s: 0.1 + 0.2,
            scans: vec![],
            angles: vec![],
            inbox: vec![WireFrame::Signed(vec![0, 1, 255])],
            outcomes: vec![EngagementOutcome { engagement_id: 9, killed: true }],
        };
        let bytes = encode(&Body::Step(sf.clone()));
        assert_eq!(decode(&bytes).unwrap(), Body::Step(sf));
        let f = Body::Finish { t_s: f64::from_bits(0x7ff8_0000_0000_0001) };
        let Body::Finish { t_s } = decode(&encode(&f)).unwrap() else { panic!() };
        assert_eq!(t_s.to_bits(), 0x7ff8_0000_0000_0001, "NaN payload must survive");
    }

    #[test]
    fn oversized_and_foreign_frames_are_refused_before_parsing() {
        assert_eq!(decode(&vec![0u8; MAX_FRAME_BYTES + 1]), Err(FrameError::TooLarge(MAX_FRAME_BYTES + 1)));
        assert_eq!(decode(b"HTTP/1.1 200 OK"), Err(FrameError::BadMagic));
        let mut other = MAGIC.to_vec();
        other
            .extend(rmp_serde::to_vec_named(&Frame { version: 7, body: Body::Finish { t_s: 0.0 } }).unwrap());
        assert_eq!(decode(&other), Err(FrameError::Version(7)));
    }

    proptest! {
        /// Arbitrary bytes after the magic never panic the decoder.
        #[test]
        fn arbitrary_bytes_never_panic(tail in proptest::collection::vec(any::<u8>(), 0..512)) {
            let mut b = MAGIC.to_vec();
            b.extend(tail);
            if let Ok(Body::Step(s)) = decode(&b) {
                for w in &s.inbox {
                    let _ = w.to_wire();
                }
            }
        }
    }
}
