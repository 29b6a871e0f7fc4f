//! The spatial pre-gate never drops a pair the Mahalanobis gate accepts, and the pre-gated,
//! per-component association picks the same pairing as the all-pairs one.

mod common;

use common::theatre;
use nalgebra::{Matrix3, Rotation3, Vector3};
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use shieldnet_fusion::association::{
    assign_all_pairs, assign_pregated, gated_pairs, gated_pairs_brute_force, position_distance2,
};
use shieldnet_fusion::{Fuser, FusionRule};
use shieldnet_tracking::{Cov6, State6, Track};

const GATE: f64 = 16.27;

/// Random tracks packed into a box of side `box_m`, with covariances of random orientation and axes
/// from `min_sigma` to 100× that (elongated like radar tracks), so many pairs sit near the gate.
fn random_tracks(n: usize, box_m: f64, min_sigma: f64, rng: &mut ChaCha8Rng) -> Vec<(State6, Cov6)> {
    let centre = Vector3::new(3.9e6, 3.1e6, 3.9e6);
    (0..n)
        .map(|_| {
            let p = centre + Vector3::from_fn(|_, _| rng.random_range(-0.5..0.5) * box_m);
            let axes = Vector3::from_fn(|_, _| min_sigma * 10f64.powf(rng.random_range(0.0..2.0)));
            let rot = Rotation3::from_scaled_axis(Vector3::from_fn(|_, _| rng.random_range(-3.0..3.0)));
            let pos_cov =
                rot.matrix() * Matrix3::from_diagonal(&axes.component_mul(&axes)) * rot.matrix().transpose();
            let mut cov = Cov6::identity() * 100.0;
            cov.fixed_view_mut::<3, 3>(0, 0).copy_from(&((pos_cov + pos_cov.transpose()) * 0.5));
            (State6::new(p.x, p.y, p.z, 1000.0, 0.0, 0.0), cov)
        })
        .collect()
}

fn total_cost(assignment: &[Option<usize>], cost: impl Fn(usize, usize) -> f64) -> f64 {
    assignment.iter().enumerate().map(|(i, c)| c.map_or(GATE, |j| cost(i, j))).sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_pregate_finds_exactly_the_pairs_the_mahalanobis_gate_accepts(
        seed in any::<u64>(),
        n_partner in 0usize..60,
        n_local in 0usize..60,
        box_exp in 2.0f64..6.0,
        sigma_exp in 0.0f64..3.5,
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let (box_m, min_sigma) = (10f64.powf(box_exp), 10f64.powf(sigma_exp));
        let partner = random_tracks(n_partner, box_m, min_sigma, &mut rng);
        let local = random_tracks(n_local, box_m, min_sigma, &mut rng);
        let fast = gated_pairs(&partner, &local, GATE);
        let brute = gated_pairs_brute_force(&partner, &local, GATE);
        prop_assert_eq!(fast, brute);
    }

    #[test]
    fn the_pregated_assignment_equals_the_all_pairs_assignment(
        seed in any::<u64>(),
        n_partner in 1usize..40,
        n_local in 1usize..40,
        box_exp in 3.0f64..5.0,
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let partner = random_tracks(n_partner, 10f64.powf(box_exp), 100.0, &mut rng);
        let local = random_tracks(n_local, 10f64.powf(box_exp), 100.0, &mut rng);
        // A continuity bonus on a few pairs, as for last update's pairing.
        let bonus = |i: usize, j: usize, d2: f64| if (i + j).is_multiple_of(7) { d2 - 4.0 } else { d2 };
        let a = assign_pregated(&partner, &local, GATE, bonus);
        let b = assign_all_pairs(&partner, &local, GATE, bonus);
        let cost = |i: usize, j: usize| {
            bonus(i, j, position_distance2(&partner[i].0, &partner[i].1, &local[j].0, &local[j].1).unwrap())
        };
        let (ca, cb) = (total_cost(&a, cost), total_cost(&b, cost));
        prop_assert!((ca - cb).abs() <= 1e-9 * (1.0 + cb.abs()), "{} vs {}", ca, cb);
        prop_assert_eq!(a, b);
    }
}

#[test]
fn on_a_theatre_the_pregate_keeps_every_gated_pair_and_the_picture_is_unchanged() {
    let (local, partner) = theatre::theatre(300, 0.7, 5);
    let now = theatre::NOW_S;
    let (lp, pp) = (local.predicted(now, 1.0), partner.predicted(now, 1.0));
    let fast = gated_pairs(&pp, &lp, GATE);
    assert_eq!(fast, gated_pairs_brute_force(&pp, &lp, GATE));
    // 70 % of the 300 partner tracks are of objects the local party tracks too: most of them gate.
    assert!(fast.len() >= 150, "{} gated pairs", fast.len());
    let local_tracks = local.as_local();
    let refs: Vec<&Track> = local_tracks.iter().collect();
    let picture = |pregate: bool| {
        let mut f = Fuser::new(1.0, 30.0).with_rule(FusionRule::CiTrace).with_pregate(pregate);
        for (t, r) in partner.as_reports() {
            assert!(f.ingest("RUS", t, &r, now));
        }
        let first = f.picture(now, &refs);
        (first, f.picture(now + 1.0, &refs))
    };
    assert_eq!(picture(true), picture(false));
}
