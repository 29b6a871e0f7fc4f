//! A Cartesian pre-gate for one radar look: before a track is projected into the look's
//! measurement space (Jacobian, H P Hᵀ), the detections that could pass its Mahalanobis gate are
//! found from distances alone. A track with none is not projected and forms no innovation; the
//! others form innovations only with their candidates. The accepted pairs and their innovations are
//! those of the all-pairs gate: only pairs that provably fail the gate are skipped.
//!
//! The bound (EKF projection, Pzz = H P Hᵀ): a pair in the gate has νᵀS⁻¹ν ≤ γ, hence
//! |ν_k| ≤ √(γ·S_kk) on each axis (Cauchy–Schwarz), with S_kk = H_k P H_kᵀ + R_kk ≤ ‖H_k‖²·‖P‖ + R_kk
//! where ‖P‖ ≤ the Frobenius norm F of the position block (H is zero on velocity). The rows of H
//! have norms 1 (range), 1/ρ (azimuth; ρ the horizontal distance) and 1/r (elevation; r the range).
//! As in [`crate::gating`], the detection's point p and the track's position p̂ (site ENU) satisfy
//! |p − p̂| ≤ |ν_r| + ρ·|ν_az| + r·|ν_el|, so an in-gate detection lies within
//! √γ·(√(F + R_rr) + √(F + R_aa·r²) + √(F + R_ee·r²)) of the track (ρ ≤ r; R the largest noise
//! variances of the look). The radius used is twice that plus 10 m, a margin far beyond the rounding
//! of either side.

use crate::measurement::{Meas3, SiteFrame};
use crate::{Cov6, State6};
use nalgebra::Matrix3;

/// Factor on the distance bound.
const MARGIN: f64 = 2.0;
/// Absolute slack on the distance bound, m.
const SLACK_M: f64 = 10.0;

/// One look's detections as points in the site's East-North-Up frame, with the largest noise
/// variance of each measurement axis.
#[derive(Debug, Clone)]
pub struct LookPoints {
    pts: Vec<[f64; 3]>,
    rmax: [f64; 3],
}

impl LookPoints {
    /// The points of `meas` ((range, azimuth, elevation), noise covariance).
    pub fn new(meas: &[(Meas3, Matrix3<f64>)]) -> Self {
        let mut rmax = [0.0f64; 3];
        for (_, r) in meas {
            for (k, v) in rmax.iter_mut().enumerate() {
                *v = v.max(r[(k, k)]);
            }
        }
        Self { pts: meas.iter().map(|(z, _)| crate::gating::point(z)).collect(), rmax }
    }

    /// Distance (m) from a track's position beyond which no detection of the look can pass the
    /// track's gate `gate_chi2` (infinite when the bound cannot be formed, e.g. a non-finite state).
    pub fn radius(&self, frame: &SiteFrame, x: &State6, p: &Cov6, gate_chi2: f64) -> f64 {
        let mut f2 = 0.0;
        for j in 0..3 {
            for i in 0..3 {
                f2 += p[(i, j)] * p[(i, j)];
            }
        }
        self.radius_with_norm(frame, x, f2.sqrt(), gate_chi2)
    }

    /// [`LookPoints::radius`] for a track whose position covariance has norm at most `f`.
    fn radius_with_norm(&self, frame: &SiteFrame, x: &State6, f: f64, gate_chi2: f64) -> f64 {
        let r2 = frame.enu(x).norm_squared();
        let [rr, ra, re] = self.rmax;
        let b = gate_chi2.sqrt() * ((f + rr).sqrt() + (f + ra * r2).sqrt() + (f + re * r2).sqrt());
        let radius = MARGIN * b + SLACK_M;
        if radius.is_finite() { radius } else { f64::INFINITY }
    }

    /// Whether any detection lies within the radius of a track at `x` whose position covariance has
    /// norm at most `f` (see [`crate::deferred`]).
    pub fn any_near(&self, frame: &SiteFrame, x: &State6, f: f64, gate_chi2: f64) -> bool {
        if self.pts.is_empty() {
            return false;
        }
        let radius = self.radius_with_norm(frame, x, f, gate_chi2);
        if radius == f64::INFINITY {
            return true;
        }
        let c = frame.enu(x);
        let r2 = radius * radius;
        self.pts.iter().any(|q| (q[0] - c.x).powi(2) + (q[1] - c.y).powi(2) + (q[2] - c.z).powi(2) <= r2)
    }

    /// Appends to `out`, in increasing order, the detections within [`LookPoints::radius`] of the
    /// track.
    pub fn near(&self, frame: &SiteFrame, x: &State6, p: &Cov6, gate_chi2: f64, out: &mut Vec<usize>) {
        if self.pts.is_empty() {
            return;
        }
        let radius = self.radius(frame, x, p, gate_chi2);
        if radius == f64::INFINITY {
            out.extend(0..self.pts.len());
            return;
        }
        let c = frame.enu(x);
        let r2 = radius * radius;
        out.extend(self.pts.iter().enumerate().filter_map(|(j, q)| {
            let d2 = (q[0] - c.x).powi(2) + (q[1] - c.y).powi(2) + (q[2] - c.z).powi(2);
            (d2 <= r2).then_some(j)
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::{Estimator, project_in};
    use crate::gating::{GateIndex, gate};
    use crate::measurement::noise;
    use crate::ukf::UkfParams;
    use shieldnet_earth::Geodetic;

    /// Tracks and detections crowded around each other (some in gate, many just outside, some far):
    /// the candidates hold every pair the all-pairs gate accepts.
    #[test]
    fn candidates_hold_every_pair_the_gate_accepts() {
        let mut next = crate::test_rng::uniform(2024);
        let site = Geodetic::from_degrees(38.3, 37.8, 2000.0);
        let frame = SiteFrame::new(&site);
        let mut accepted = 0;
        let mut skipped = 0;
        for trial in 0..200 {
            // A track 100-1500 km away with a random covariance (position σ 5 m to 20 km).
            let target = Geodetic::from_degrees(
                36.0 + 4.0 * next(),
                40.0 + 8.0 * next(),
                if trial % 7 == 0 { 5e3 } else { 100e3 + 500e3 * next() },
            )
            .to_ecef()
            .0;
            let x = State6::new(target.x, target.y, target.z, 1e3, -2e3, 5e2);
            let mut a = Cov6::zeros();
            for v in a.iter_mut() {
                *v = next() - 0.5;
            }
            let scale = 5.0 * 4000f64.powf(next());
            let mut p = a * a.transpose() * scale * scale + Cov6::identity() * 1e-6;
            p = (p + p.transpose()) * 0.5;
            let proj = project_in(Estimator::Ekf, &x, &p, &frame, &UkfParams::default());
            // Detections around the predicted measurement, out to several gate widths.
            let meas: Vec<(Meas3, Matrix3<f64>)> = (0..12)
                .map(|_| {
                    let sigma = [15.0 * (1.0 + 3.0 * next()), 1e-3 * (1.0 + next()), 1e-3 * (1.0 + next())];
                    let r = noise(&sigma);
                    let spread = 0.5 * 4f64.powf(3.0 * next());
                    let z = Meas3::new(
                        proj.z[0] + (next() - 0.5) * spread * (proj.pzz[(0, 0)] + r[(0, 0)]).sqrt() * 8.0,
                        (proj.z[1] + (next() - 0.5) * spread * (proj.pzz[(1, 1)] + r[(1, 1)]).sqrt() * 8.0)
                            .rem_euclid(std::f64::consts::TAU),
                        proj.z[2] + (next() - 0.5) * spread * (proj.pzz[(2, 2)] + r[(2, 2)]).sqrt() * 8.0,
                    );
                    (z, r)
                })
                .collect();
            let rows = gate(GateIndex::AllPairs, std::slice::from_ref(&proj), &meas, 16.27);
            let mut near = Vec::new();
            LookPoints::new(&meas).near(&frame, &x, &p, 16.27, &mut near);
            for (j, _) in &rows[0] {
                assert!(near.contains(j), "trial {trial}: detection {j} in gate but not a candidate");
            }
            accepted += rows[0].len();
            skipped += meas.len() - near.len();
        }
        // The test exercises both sides of the bound.
        assert!(accepted > 200 && skipped > 200, "{accepted} accepted, {skipped} skipped");
    }

    #[test]
    fn a_non_finite_track_keeps_every_detection() {
        let frame = SiteFrame::new(&Geodetic::from_degrees(38.3, 37.8, 2000.0));
        let meas = vec![(Meas3::new(5e5, 1.0, 0.2), Matrix3::identity()); 3];
        let mut near = Vec::new();
        let x = State6::from_element(f64::NAN);
        LookPoints::new(&meas).near(&frame, &x, &Cov6::identity(), 16.27, &mut near);
        assert_eq!(near, vec![0, 1, 2]);
    }
}
