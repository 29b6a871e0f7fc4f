//! Measures of what sharing gave the parties, for reports only (they use truth, which no node sees):
//! the commonality of their pictures, which threat a launch notice warned of, and messages by kind.

use crate::build::ThreatSpec;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};
use shieldnet_fusion::{LaunchNotice, Message};
use shieldnet_node::Wire;

/// Distance within which two parties' picture tracks of one threat are taken to agree, m (about the
/// spread a kill vehicle's divert can absorb at hand-over; see ARCHITECTURE.md, "Commonality").
pub const COMMONALITY_GATE_M: f64 = 5_000.0;

/// How far two parties' pictures agreed over a run (after the SIAP commonality measure): over every
/// step and every threat in flight that at least one of them held, the fraction that both held with
/// tracks whose positions lie within [`COMMONALITY_GATE_M`] of each other.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairCommonality {
    /// First party.
    pub a: String,
    /// Second party.
    pub b: String,
    /// (step, threat) pairs that at least one of the two held.
    pub held_by_either: u64,
    /// (step, threat) pairs that both held.
    pub held_by_both: u64,
    /// (step, threat) pairs that both held with agreeing positions.
    pub agreeing: u64,
    /// `agreeing / held_by_either` (0 when nothing was held).
    pub commonality: f64,
}

/// Accumulates commonality over a run for every pair of parties.
#[derive(Debug, Clone)]
pub struct Commonality {
    n: usize,
    counts: Vec<[u64; 3]>,
}

impl Commonality {
    /// An empty accumulator for `n` parties.
    pub fn new(n: usize) -> Self {
        Self { n, counts: vec![[0; 3]; n * n.saturating_sub(1) / 2] }
    }

    /// Adds one step: `held[p][j]` is party p's picture position of threat j (None when its picture
    /// does not hold the threat or the threat is not flying).
    pub fn add_step(&mut self, held: &[Vec<Option<Vector3<f64>>>]) {
        let mut k = 0;
        for a in 0..self.n {
            for b in a + 1..self.n {
                for (x, y) in held[a].iter().zip(&held[b]) {
                    let c = &mut self.counts[k];
                    match (x, y) {
                        (None, None) => {}
                        (Some(x), Some(y)) => {
                            c[0] += 1;
                            c[1] += 1;
                            if (x - y).norm() <= COMMONALITY_GATE_M {
                                c[2] += 1;
                            }
                        }
                        _ => c[0] += 1,
                    }
                }
                k += 1;
            }
        }
    }

    /// The totals per pair of parties (in scenario order).
    pub fn finish(&self, parties: &[String]) -> Vec<PairCommonality> {
        let mut out = Vec::new();
        let mut k = 0;
        for a in 0..self.n {
            for b in a + 1..self.n {
                let [either, both, agreeing] = self.counts[k];
                out.push(PairCommonality {
                    a: parties[a].clone(),
                    b: parties[b].clone(),
                    held_by_either: either,
                    held_by_both: both,
                    agreeing,
                    commonality: if either == 0 { 0.0 } else { agreeing as f64 / either as f64 },
                });
                k += 1;
            }
        }
        out
    }
}

/// Greatest gap between a notice's launch time and a threat's true launch time for the notice to be
/// about that threat, s.
const NOTICE_TIME_GATE_S: f64 = 60.0;
/// Slack added to a notice's launch-area radius when matching true launch points, m.
const NOTICE_AREA_SLACK_M: f64 = 100e3;

/// The threat a launch notice warns of: among threats launched within the notice's area (plus
/// 100 km) and within 60 s of its launch time, the one whose launch time is nearest.
pub fn threat_of_notice(notice: &LaunchNotice, threats: &[ThreatSpec]) -> Option<usize> {
    let p = Vector3::from(notice.launch_point);
    threats
        .iter()
        .enumerate()
        .filter(|(_, t)| {
            (t.launch.to_ecef().0 - p).norm() <= notice.area_radius_m + NOTICE_AREA_SLACK_M
                && (t.trajectory.launch_time_s() - notice.launch_time_s).abs() <= NOTICE_TIME_GATE_S
        })
        .min_by(|(_, a), (_, b)| {
            (a.trajectory.launch_time_s() - notice.launch_time_s)
                .abs()
                .total_cmp(&(b.trajectory.launch_time_s() - notice.launch_time_s).abs())
        })
        .map(|(j, _)| j)
}

/// The body kind of a message on the wire (decoding a signed envelope's payload), or `"Malformed"`.
pub fn wire_kind(wire: &Wire) -> &'static str {
    match wire {
        Wire::Plain(m) => m.body.kind(),
        Wire::Signed(env) => Message::decode(&env.payload).map(|m| m.body.kind()).unwrap_or("Malformed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commonality_counts_by_hand() {
        let v = |x: f64| Some(Vector3::new(x, 0.0, 0.0));
        let mut c = Commonality::new(3);
        // Threats: 0 held by A and B 1 km apart (agree), 1 held by A only, 2 held by nobody,
        // 3 held by A and B 10 km apart (disagree). C holds threat 0 only, at A's position.
        c.add_step(&[
            vec![v(0.0), v(0.0), None, v(0.0)],
            vec![v(1e3), None, None, v(10e3)],
            vec![v(0.0), None, None, None],
        ]);
        let r = c.finish(&["A".into(), "B".into(), "C".into()]);
        assert_eq!((r[0].a.as_str(), r[0].b.as_str()), ("A", "B"));
        assert_eq!((r[0].held_by_either, r[0].held_by_both, r[0].agreeing), (3, 2, 1));
        assert!((r[0].commonality - 1.0 / 3.0).abs() < 1e-12);
        // A–C: threats 0, 1, 3 held by either; 0 by both and agreeing.
        assert_eq!((r[1].held_by_either, r[1].held_by_both, r[1].agreeing), (3, 1, 1));
        // B–C: threats 0 and 3 held by either; 0 by both, 1 km apart.
        assert_eq!((r[2].held_by_either, r[2].held_by_both, r[2].agreeing), (2, 1, 1));
        assert_eq!(Commonality::new(2).finish(&["A".into(), "B".into()])[0].commonality, 0.0);
    }
}
