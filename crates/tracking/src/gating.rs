//! Gating: which (track, detection) pairs of one radar look pass the Mahalanobis gate
//! νᵀS⁻¹ν ≤ γ, and the candidate search that avoids forming an innovation for every pair when
//! tracks and detections are many.
//!
//! Every method returns exactly the pairs the all-pairs gate accepts (same innovations, rows sorted
//! by detection): the candidate searches only skip pairs that provably fail the gate.
//!
//! - [`GateIndex::AllPairs`]: an innovation for every pair (the reference).
//! - [`GateIndex::RangeWindow`]: detections sorted by range; a track looks only at those in its
//!   range window, then applies a per-axis box (|ν_k| ≤ √(γ·S_kk), necessary for the gate).
//! - [`GateIndex::KdTree`]: a k-d tree over the detections' Cartesian points; each track queries
//!   the ball that holds the box above (radius bound below), then the box, then the gate.
//! - [`GateIndex::Auto`] (default): all pairs below [`AUTO_MIN_PAIRS`] tracks × detections; above,
//!   the range window while its windows hold few detections (objects spread in range: it is the
//!   cheapest there), the k-d tree when they are crowded (more than [`CROWDED_FACTOR`] candidates
//!   per track and detection, e.g. a raid front or a debris cloud at one range).
//!
//! The ball: with the box |Δr| ≤ w₀, |Δaz| ≤ w₁, |Δel| ≤ w₂ around the predicted measurement ẑ
//! (range r̂, elevation ê), the detection's point p and the predicted point p̂ satisfy
//! |p − p̂| ≤ |Δr| + r̂·|u − û| ≤ w₀ + r̂·min(2, w₁·|cos ê| + w₂) (u, û unit lines of sight; the
//! angle between them is at most the path along the elevation circle of ê then along the meridian).
//! Points are in the radar site's East-North-Up frame, a rigid motion of ECEF, so distances are the
//! ECEF ones.

use crate::filter::{Innovation, Projection};
use crate::measurement::Meas3;
use nalgebra::Matrix3;
use serde::{Deserialize, Serialize};
use shieldnet_sensors::radar::wrap_pi;

/// Tracks × detections of one look from which [`GateIndex::Auto`] uses a candidate search.
pub const AUTO_MIN_PAIRS: usize = 4_096;

/// How gating finds its candidate pairs (the accepted pairs are the same for every method).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum GateIndex {
    /// All pairs below [`AUTO_MIN_PAIRS`] tracks × detections; above, the range window or, when its
    /// windows are crowded, the k-d tree.
    #[default]
    Auto,
    /// An innovation for every pair.
    AllPairs,
    /// Range-sorted detections and a per-axis box.
    RangeWindow,
    /// A k-d tree over the detections' points, queried with each track's gate ball.
    KdTree,
}

/// In-gate (detection, innovation) pairs of every track, rows sorted by detection index.
/// `meas` holds each detection's (range, azimuth, elevation) and noise covariance.
pub fn gate(
    method: GateIndex,
    projections: &[Projection],
    meas: &[(Meas3, Matrix3<f64>)],
    gate_chi2: f64,
) -> Vec<Vec<(usize, Innovation)>> {
    let method = match method {
        GateIndex::Auto if projections.len() * meas.len() < AUTO_MIN_PAIRS => GateIndex::AllPairs,
        GateIndex::Auto if crowded_in_range(projections, meas, gate_chi2) => GateIndex::KdTree,
        GateIndex::Auto => GateIndex::RangeWindow,
        m => m,
    };
    match method {
        GateIndex::AllPairs | GateIndex::Auto => all_pairs(projections, meas, gate_chi2),
        GateIndex::RangeWindow => range_window(projections, meas, gate_chi2),
        GateIndex::KdTree => kd_tree(projections, meas, gate_chi2),
    }
}

fn accept(
    proj: &Projection,
    meas: &[(Meas3, Matrix3<f64>)],
    j: usize,
    gate_chi2: f64,
) -> Option<(usize, Innovation)> {
    proj.innovation(&meas[j].0, &meas[j].1).filter(|inn| inn.d2 <= gate_chi2).map(|inn| (j, inn))
}

/// In-gate (detection, innovation) pairs of one track among `candidates` (detection indices in
/// increasing order, e.g. from [`crate::pregate`]): the row [`gate`] gives when the candidates
/// hold every detection that passes.
pub fn gate_candidates(
    proj: &Projection,
    meas: &[(Meas3, Matrix3<f64>)],
    candidates: &[usize],
    gate_chi2: f64,
) -> Vec<(usize, Innovation)> {
    let mut row = Vec::new();
    gate_candidates_into(proj, meas, candidates, gate_chi2, &mut row);
    row
}

/// [`gate_candidates`] appending to `row` (whose allocation a caller may reuse from look to look).
pub fn gate_candidates_into(
    proj: &Projection,
    meas: &[(Meas3, Matrix3<f64>)],
    candidates: &[usize],
    gate_chi2: f64,
    row: &mut Vec<(usize, Innovation)>,
) {
    row.extend(candidates.iter().filter_map(|&j| accept(proj, meas, j, gate_chi2)));
}

fn all_pairs(
    projections: &[Projection],
    meas: &[(Meas3, Matrix3<f64>)],
    gate_chi2: f64,
) -> Vec<Vec<(usize, Innovation)>> {
    projections
        .iter()
        .map(|proj| (0..meas.len()).filter_map(|j| accept(proj, meas, j, gate_chi2)).collect())
        .collect()
}

/// Largest noise variance of each axis over the detections (S_kk ≤ Pzz_kk + this).
fn max_noise(meas: &[(Meas3, Matrix3<f64>)]) -> [f64; 3] {
    let mut rmax = [0.0f64; 3];
    for (_, r) in meas {
        for (k, v) in rmax.iter_mut().enumerate() {
            *v = v.max(r[(k, k)]);
        }
    }
    rmax
}

/// Half-widths √(γ·(Pzz_kk + max R_kk)) of the box that holds a track's gate.
fn box_half_widths(proj: &Projection, rmax: &[f64; 3], gate_chi2: f64) -> [f64; 3] {
    std::array::from_fn(|k| (gate_chi2 * (proj.pzz[(k, k)] + rmax[k])).sqrt())
}

fn in_box(z: &Meas3, proj: &Projection, w: &[f64; 3]) -> bool {
    (z[0] - proj.z[0]).abs() <= w[0]
        && wrap_pi(z[1] - proj.z[1]).abs() <= w[1]
        && (z[2] - proj.z[2]).abs() <= w[2]
}

/// Whether the range windows hold many more detections than there are tracks and detections
/// (objects clustered in range, e.g. a threat complex with debris, where the k-d tree's ball is far
/// tighter than a range slab). Costs one sort and two binary searches per track.
fn crowded_in_range(projections: &[Projection], meas: &[(Meas3, Matrix3<f64>)], gate_chi2: f64) -> bool {
    let mut ranges: Vec<f64> = meas.iter().map(|(z, _)| z[0]).collect();
    ranges.sort_by(f64::total_cmp);
    let rmax = max_noise(meas);
    let in_windows: usize = projections
        .iter()
        .map(|proj| {
            let w = (gate_chi2 * (proj.pzz[(0, 0)] + rmax[0])).sqrt();
            let lo = ranges.partition_point(|&r| r < proj.z[0] - w);
            let hi = ranges.partition_point(|&r| r <= proj.z[0] + w);
            hi.saturating_sub(lo)
        })
        .sum();
    in_windows > CROWDED_FACTOR * (projections.len() + meas.len())
}

/// Range-window candidates per track and detection above which [`GateIndex::Auto`] takes the k-d
/// tree. Measured break-even (instruction counts, `benches/gating.rs`): at about 120 candidates per
/// track both cost the same (2,000 objects in a 40-km complex: range window 22.3 M instructions,
/// k-d tree 24.1 M); with 2,000 per track the k-d tree is 4.2× cheaper (a 10 × 800 km raid front:
/// 53.8 M against 12.8 M).
pub const CROWDED_FACTOR: usize = 64;

fn range_window(
    projections: &[Projection],
    meas: &[(Meas3, Matrix3<f64>)],
    gate_chi2: f64,
) -> Vec<Vec<(usize, Innovation)>> {
    let mut order: Vec<usize> = (0..meas.len()).collect();
    order.sort_by(|&a, &b| meas[a].0[0].total_cmp(&meas[b].0[0]).then(a.cmp(&b)));
    let ranges: Vec<f64> = order.iter().map(|&j| meas[j].0[0]).collect();
    let rmax = max_noise(meas);
    projections
        .iter()
        .map(|proj| {
            let w = box_half_widths(proj, &rmax, gate_chi2);
            if !w.iter().all(|v| v.is_finite()) {
                return (0..meas.len()).filter_map(|j| accept(proj, meas, j, gate_chi2)).collect();
            }
            let lo = ranges.partition_point(|&r| r < proj.z[0] - w[0]);
            let hi = ranges.partition_point(|&r| r <= proj.z[0] + w[0]);
            let mut row: Vec<(usize, Innovation)> = order[lo..hi]
                .iter()
                .filter(|&&j| in_box(&meas[j].0, proj, &w))
                .filter_map(|&j| accept(proj, meas, j, gate_chi2))
                .collect();
            row.sort_by_key(|(j, _)| *j);
            row
        })
        .collect()
}

/// The Cartesian point (site ENU, m) of a (range, azimuth, elevation) measurement.
pub(crate) fn point(z: &Meas3) -> [f64; 3] {
    let (se, ce) = z[2].sin_cos();
    let (sa, ca) = z[1].sin_cos();
    [z[0] * ce * sa, z[0] * ce * ca, z[0] * se]
}

fn kd_tree(
    projections: &[Projection],
    meas: &[(Meas3, Matrix3<f64>)],
    gate_chi2: f64,
) -> Vec<Vec<(usize, Innovation)>> {
    let tree = KdTree::new(meas.iter().map(|(z, _)| point(z)).collect());
    let rmax = max_noise(meas);
    let mut found = Vec::new();
    projections
        .iter()
        .map(|proj| {
            let w = box_half_widths(proj, &rmax, gate_chi2);
            let (r_hat, el_hat) = (proj.z[0], proj.z[2]);
            let radius = w[0] + r_hat * (w[1] * el_hat.cos().abs() + w[2]).min(2.0);
            // Rounding in the two points' coordinates is far below a metre.
            let radius = radius + 1.0 + 1e-9 * r_hat.abs();
            let centre = point(&proj.z);
            found.clear();
            if radius.is_finite() && r_hat > 0.0 && centre.iter().all(|v| v.is_finite()) {
                tree.within(&centre, radius, &mut found);
                found.sort_unstable();
            } else {
                found.extend(0..meas.len());
            }
            found
                .iter()
                .filter(|&&j| in_box(&meas[j].0, proj, &w))
                .filter_map(|&j| accept(proj, meas, j, gate_chi2))
                .collect()
        })
        .collect()
}

/// Points per leaf below which a subtree is scanned linearly.
const LEAF: usize = 8;

/// A static k-d tree over 3-D points (median splits on x, y, z in turn), for ball queries.
#[derive(Debug, Clone)]
pub struct KdTree {
    pts: Vec<[f64; 3]>,
    /// Point indices in tree order: each subtree's median sits at the middle of its slice.
    idx: Vec<usize>,
}

impl KdTree {
    /// Builds the tree (deterministic: ties broken by index).
    pub fn new(pts: Vec<[f64; 3]>) -> Self {
        let mut idx: Vec<usize> = (0..pts.len()).collect();
        build(&pts, &mut idx, 0);
        Self { pts, idx }
    }

    /// Appends to `out` the index of every point within Euclidean distance `radius` of `q`, in no
    /// particular order.
    pub fn within(&self, q: &[f64; 3], radius: f64, out: &mut Vec<usize>) {
        self.visit(&self.idx, 0, q, radius * radius, [0.0; 3], out);
    }

    /// `off[k]`: distance from `q` to the current cell along axis k (0 inside its slab), so the
    /// cell's squared distance from `q` is Σ off² (Arya & Mount's incremental distance).
    fn visit(&self, idx: &[usize], depth: usize, q: &[f64; 3], r2: f64, off: [f64; 3], out: &mut Vec<usize>) {
        let close = |i: usize| {
            let p = &self.pts[i];
            (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2) + (p[2] - q[2]).powi(2) <= r2
        };
        if idx.len() <= LEAF {
            out.extend(idx.iter().copied().filter(|&i| close(i)));
            return;
        }
        let mid = idx.len() / 2;
        let axis = depth % 3;
        let split = self.pts[idx[mid]][axis];
        if close(idx[mid]) {
            out.push(idx[mid]);
        }
        let d = q[axis] - split;
        // The near side keeps the offset; the far side is at least |d| away along this axis.
        let (near, far) =
            if d <= 0.0 { (&idx[..mid], &idx[mid + 1..]) } else { (&idx[mid + 1..], &idx[..mid]) };
        self.visit(near, depth + 1, q, r2, off, out);
        let mut far_off = off;
        far_off[axis] = d.abs().max(off[axis]);
        if far_off.iter().map(|v| v * v).sum::<f64>() <= r2 {
            self.visit(far, depth + 1, q, r2, far_off, out);
        }
    }
}

fn build(pts: &[[f64; 3]], idx: &mut [usize], depth: usize) {
    if idx.len() <= LEAF {
        return;
    }
    let axis = depth % 3;
    let mid = idx.len() / 2;
    idx.select_nth_unstable_by(mid, |&a, &b| pts[a][axis].total_cmp(&pts[b][axis]).then(a.cmp(&b)));
    let (left, right) = idx.split_at_mut(mid);
    build(pts, left, depth + 1);
    build(pts, &mut right[1..], depth + 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kd_tree_ball_queries_equal_brute_force() {
        let mut next = crate::test_rng::uniform(99);
        for n in [0usize, 1, 5, 8, 9, 40, 300] {
            // Duplicated coordinates exercise ties in the median split.
            let pts: Vec<[f64; 3]> =
                (0..n).map(|_| [(next() * 20.0).floor(), (next() * 20.0).floor(), next() * 20.0]).collect();
            let tree = KdTree::new(pts.clone());
            for _ in 0..50 {
                let q = [next() * 24.0 - 2.0, next() * 24.0 - 2.0, next() * 24.0 - 2.0];
                let r = next() * 8.0;
                let mut got = Vec::new();
                tree.within(&q, r, &mut got);
                got.sort_unstable();
                let expect: Vec<usize> = (0..n)
                    .filter(|&i| (0..3).map(|k| (pts[i][k] - q[k]).powi(2)).sum::<f64>() <= r * r)
                    .collect();
                assert_eq!(got, expect, "n {n}");
            }
        }
    }
}
