//! Realistic track-to-track fusion data, shared by the association tests and the benchmark: objects
//! spread over a theatre (25–50° N, 20–60° E, 80–1,000 km up, 2–5 km/s, in raids of five objects
//! within a few kilometres of each other), seen by two parties' radars. Each party's track of an
//! object is the truth plus an error drawn from its covariance, which is a radar track's: tight along
//! the line of sight (range σ 20 m), wide across it (angle σ 0.5 mrad times the range), as the
//! tracker's covariances in the simulation are; velocity σ 30 m/s. Partner reports are 0–5 s old
//! (2 s reporting interval plus 3 s latency, the default scenario's); local tracks 0–2 s old.

#![allow(dead_code)]

use nalgebra::{Matrix3, Vector3};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};
use shieldnet_earth::Geodetic;
use shieldnet_fusion::TrackReport;
use shieldnet_tracking::{Cov6, State6, Track, motion};

/// Picture time of the generated data, s.
pub const NOW_S: f64 = 600.0;

/// One party's tracks: (time of validity, state, covariance, track id).
pub struct Tracks {
    pub items: Vec<(f64, State6, Cov6, u32)>,
}

impl Tracks {
    /// As confirmed local tracks.
    pub fn as_local(&self) -> Vec<Track> {
        self.items
            .iter()
            .map(|(t, x, p, id)| {
                let mut tr: Track = serde_json::from_value(serde_json::json!({
                    "id": id, "time_s": t, "state": x.as_slice(), "cov": vec![0.0; 36],
                    "status": "Confirmed", "started_s": 0.0, "confirmed_s": 5.0, "updates": 9,
                    "consecutive_misses": 0, "history": 15, "looks": 4
                }))
                .expect("track json");
                tr.cov = *p;
                tr
            })
            .collect()
    }

    /// As a partner's track reports: (time of validity, report).
    pub fn as_reports(&self) -> Vec<(f64, TrackReport)> {
        self.items.iter().map(|(t, x, p, id)| (*t, TrackReport::new(*id, x, p))).collect()
    }

    /// Predicted to `now` with process noise `q`, as (state, covariance).
    pub fn predicted(&self, now: f64, q: f64) -> Vec<(State6, Cov6)> {
        self.items.iter().map(|(t, x, p, _)| shieldnet_tracking::ekf::predict(x, p, now - t, q)).collect()
    }
}

fn radar_cov(pos: &Vector3<f64>, site: &Vector3<f64>, rng: &mut ChaCha8Rng) -> Cov6 {
    let los = pos - site;
    let range = los.norm();
    let u = los / range;
    let (sr, sa) = (20.0 * rng.random_range(0.5..1.5), 0.5e-3 * range * rng.random_range(0.5..1.5));
    let uu = u * u.transpose();
    let pos_cov = uu * sr * sr + (Matrix3::identity() - uu) * sa * sa;
    let mut p = Cov6::identity() * 900.0;
    p.fixed_view_mut::<3, 3>(0, 0).copy_from(&pos_cov);
    p
}

fn gauss3(rng: &mut ChaCha8Rng) -> Vector3<f64> {
    Vector3::new(StandardNormal.sample(rng), StandardNormal.sample(rng), StandardNormal.sample(rng))
}

/// `n` local and `n` partner tracks; `shared` of the objects are seen by both parties (the rest by
/// one party only). Deterministic in `seed`.
pub fn theatre(n: usize, shared: f64, seed: u64) -> (Tracks, Tracks) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    // Kürecik-like (local) and Armavir-like (partner) radar sites.
    let local_site = Geodetic::from_degrees(38.35, 37.8, 2000.0).to_ecef().0;
    let partner_site = Geodetic::from_degrees(44.9, 40.9, 100.0).to_ecef().0;
    let n_shared = (n as f64 * shared).round() as usize;
    let objects = 2 * n - n_shared;
    let mut truth: Vec<State6> = Vec::with_capacity(objects);
    while truth.len() < objects {
        let g = Geodetic::from_degrees(
            rng.random_range(25.0..50.0),
            rng.random_range(20.0..60.0),
            rng.random_range(80e3..1000e3),
        );
        let centre = g.to_ecef().0;
        let [e, no, up] = g.enu_axes();
        let az: f64 = rng.random_range(0.0..std::f64::consts::TAU);
        let speed = rng.random_range(2000.0..5000.0);
        let climb = rng.random_range(-0.5..0.5);
        let v = (e * az.sin() + no * az.cos() + up * climb) * speed;
        for _ in 0..5.min(objects - truth.len()) {
            let p = centre + gauss3(&mut rng) * 2000.0;
            let dv = gauss3(&mut rng) * 20.0;
            truth.push(State6::new(p.x, p.y, p.z, v.x + dv.x, v.y + dv.y, v.z + dv.z));
        }
    }
    let track = |x: &State6, site: &Vector3<f64>, age: f64, id: u32, rng: &mut ChaCha8Rng| {
        let t = NOW_S - age;
        let xt = motion::propagate(x, -age);
        let p = radar_cov(&xt.fixed_rows::<3>(0).into_owned(), site, rng);
        let l = p.cholesky().expect("positive definite").l();
        let noise: State6 = l * State6::from_fn(|_, _| StandardNormal.sample(rng));
        (t, xt + noise, p, id)
    };
    // Objects 0..n are local; objects n − n_shared .. 2n − n_shared are the partner's.
    let local =
        (0..n).map(|k| track(&truth[k], &local_site, rng.random_range(0.0..2.0), k as u32 + 1, &mut rng));
    let local = Tracks { items: local.collect() };
    let partner = (0..n)
        .map(|k| {
            track(
                &truth[n - n_shared + k],
                &partner_site,
                rng.random_range(0.0..5.0),
                5000 + k as u32,
                &mut rng,
            )
        })
        .collect();
    (local, Tracks { items: partner })
}
