//! The gate's candidate searches (range window, k-d tree, automatic) never drop a pair the all-pairs
//! Mahalanobis gate accepts, and accept nothing else: same pairs, bit-identical innovations.

use nalgebra::{Matrix3, SMatrix, Vector3};
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shieldnet_earth::{Ecef, Geodetic};
use shieldnet_tracking::filter::{self, Estimator, Innovation, Projection};
use shieldnet_tracking::gating::{GateIndex, gate};
use shieldnet_tracking::measurement::{Meas3, SiteFrame};
use shieldnet_tracking::ukf::UkfParams;
use shieldnet_tracking::{Cov6, State6};

/// A random problem: `nt` tracks with covariances from 10 m to 300 km (tentative tracks are huge),
/// `nd` detections of which about half fall near a track, the rest anywhere in the radar's sky.
fn problem(seed: u64, nt: usize, nd: usize, ukf: bool) -> (Vec<Projection>, Vec<(Meas3, Matrix3<f64>)>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let site = Geodetic::from_degrees(rng.random_range(-60.0..60.0), rng.random_range(-180.0..180.0), 500.0);
    let frame = SiteFrame::new(&site);
    let [e, n, u] = site.enu_axes();
    let sky = |rng: &mut ChaCha8Rng| {
        let (r, az, el): (f64, f64, f64) = (
            rng.random_range(50e3..3_000e3),
            rng.random_range(0.0..std::f64::consts::TAU),
            rng.random_range(0.0..1.5),
        );
        frame.origin + (e * (el.cos() * az.sin()) + n * (el.cos() * az.cos()) + u * el.sin()) * r
    };
    let mut positions = Vec::new();
    let projections: Vec<Projection> = (0..nt)
        .map(|_| {
            let p = sky(&mut rng);
            positions.push(p);
            let x = State6::new(p.x, p.y, p.z, 1e3, -2e3, 5e2);
            let sd = 10f64.powf(rng.random_range(1.0..5.5));
            let a = SMatrix::<f64, 6, 6>::from_fn(|_, _| rng.random_range(-1.0..1.0));
            let cov: Cov6 = (a * a.transpose() + Cov6::identity() * 0.1) * (sd * sd);
            let kind = if ukf { Estimator::Ukf } else { Estimator::Ekf };
            filter::project_in(kind, &x, &cov, &frame, &UkfParams::default())
        })
        .collect();
    let meas = (0..nd)
        .map(|_| {
            let p = if !positions.is_empty() && rng.random_bool(0.5) {
                let k = rng.random_range(0..positions.len());
                let s = 10f64.powf(rng.random_range(1.0..4.5));
                positions[k] + Vector3::from_fn(|_, _| rng.random_range(-s..s))
            } else {
                sky(&mut rng)
            };
            let la = Ecef(p).look_angles_from(&site);
            let sigma: [f64; 3] =
                [rng.random_range(5.0..300.0), rng.random_range(1e-4..5e-3), rng.random_range(1e-4..5e-3)];
            let r =
                Matrix3::from_diagonal(&Vector3::new(sigma[0].powi(2), sigma[1].powi(2), sigma[2].powi(2)));
            (Meas3::new(la.range_m, la.az_rad, la.el_rad), r)
        })
        .collect();
    (projections, meas)
}

fn pairs(g: &[Vec<(usize, Innovation)>]) -> Vec<Vec<(usize, u64)>> {
    g.iter().map(|row| row.iter().map(|(j, inn)| (*j, inn.d2.to_bits())).collect()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn every_candidate_search_keeps_exactly_the_all_pairs_gate(
        seed in any::<u64>(), nt in 0usize..60, nd in 0usize..120, ukf in any::<bool>(), g in 4.0f64..40.0,
    ) {
        let (proj, meas) = problem(seed, nt, nd, ukf);
        let reference = pairs(&gate(GateIndex::AllPairs, &proj, &meas, g));
        for method in [GateIndex::RangeWindow, GateIndex::KdTree, GateIndex::Auto] {
            prop_assert_eq!(&pairs(&gate(method, &proj, &meas, g)), &reference, "{:?}", method);
        }
    }
}

#[test]
fn the_problems_exercise_the_gate() {
    // Guard against a vacuous property: the random problems do put pairs inside and outside gates.
    let (proj, meas) = problem(7, 50, 100, false);
    let accepted: usize = gate(GateIndex::AllPairs, &proj, &meas, 16.27).iter().map(Vec::len).sum();
    assert!(accepted > 20 && accepted < 50 * 100 / 4, "{accepted} accepted pairs");
}
