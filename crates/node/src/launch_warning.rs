//! Launch warning (cooperation mode M1): a coarse notice of a launch, made from the party's first
//! confirmed track of a climbing missile.
//!
//! The estimate assumes the missile climbed from rest with constant vertical acceleration, so the time
//! since launch is τ = 2·h / v_up and the ground covered is about |v_h|·τ / 2; the launch point is the
//! track's sub-point moved back that far against the horizontal velocity. It is rough on purpose (the
//! area radius is half the back-projected distance, at least 50 km; the azimuth is given ± 10°): a
//! notice warns of a launch without revealing the sender's track quality.

use shieldnet_earth::{Ecef, Geodetic};
use shieldnet_fusion::LaunchNotice;
use shieldnet_tracking::Track;

/// Least upward speed of a track taken as a missile in boost or early ascent, m/s.
pub const MIN_CLIMB_M_S: f64 = 300.0;
/// Highest altitude at which a climbing track still counts as a fresh launch, m.
pub const MAX_NOTICE_ALT_M: f64 = 250e3;
/// Smallest launch-area radius, m.
pub const MIN_AREA_RADIUS_M: f64 = 50e3;
/// Half-width of the azimuth's uncertainty, rad (10°).
pub const AZIMUTH_HALFWIDTH_RAD: f64 = 0.174_532_925_199_432_95;

/// The launch notice a confirmed track of a climbing missile gives, or `None` when the track is not
/// climbing fast enough, is too high, or its state is not finite.
pub fn notice_from_track(track: &Track, notice_id: u32) -> Option<LaunchNotice> {
    let p = track.position();
    let g = p.to_geodetic();
    let v = track.state.fixed_rows::<3>(3).into_owned();
    if !(p.0.iter().chain(v.iter()).all(|x| x.is_finite())) || g.alt_m > MAX_NOTICE_ALT_M || g.alt_m < 0.0 {
        return None;
    }
    let [east, north, up] = g.enu_axes();
    let v_up = v.dot(&up);
    if v_up < MIN_CLIMB_M_S {
        return None;
    }
    let vh = v - up * v_up;
    let tau = 2.0 * g.alt_m / v_up;
    let back = vh.norm() * tau / 2.0;
    let sub = Geodetic { alt_m: 0.0, ..g }.to_ecef();
    let dir = if vh.norm() > 1e-6 { vh / vh.norm() } else { vh * 0.0 };
    let guess = Ecef(sub.0 - dir * back).to_geodetic();
    let launch = Geodetic { alt_m: 0.0, ..guess }.to_ecef();
    let az = vh.dot(&east).atan2(vh.dot(&north)).rem_euclid(std::f64::consts::TAU);
    Some(LaunchNotice {
        notice_id,
        launch_time_s: track.time_s - tau,
        launch_point: [launch.0.x, launch.0.y, launch.0.z],
        area_radius_m: (0.5 * back).max(MIN_AREA_RADIUS_M),
        azimuth_rad: az,
        azimuth_halfwidth_rad: AZIMUTH_HALFWIDTH_RAD,
    })
}

/// The notices a node has issued and the own tracks already considered.
#[derive(Debug, Clone, Default)]
pub struct NoticeLog {
    considered: std::collections::BTreeSet<u32>,
    sent: Vec<LaunchNotice>,
}

impl NoticeLog {
    /// Notices for launches first seen by `tracks` (confirmed tracks not considered before, climbing,
    /// and not the same launch as an earlier notice), recorded as sent. Each track is considered once,
    /// at its first step as a confirmed track.
    pub fn new_notices(&mut self, tracks: &[Track]) -> Vec<LaunchNotice> {
        let mut fresh = Vec::new();
        for t in tracks.iter().filter(|t| t.is_confirmed()) {
            if !self.considered.insert(t.id) {
                continue;
            }
            let Some(n) = notice_from_track(t, self.sent.len() as u32 + 1) else { continue };
            if self.sent.iter().any(|s| same_launch(s, &n)) {
                continue;
            }
            self.sent.push(n.clone());
            fresh.push(n);
        }
        fresh
    }

    /// Notices issued so far.
    pub fn sent(&self) -> &[LaunchNotice] {
        &self.sent
    }
}

/// Whether two notices describe the same launch: launch times within 30 s and launch points within
/// the larger of the two areas.
pub fn same_launch(a: &LaunchNotice, b: &LaunchNotice) -> bool {
    let d = (nalgebra::Vector3::from(a.launch_point) - nalgebra::Vector3::from(b.launch_point)).norm();
    (a.launch_time_s - b.launch_time_s).abs() <= 30.0 && d <= a.area_radius_m.max(b.area_radius_m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_tracking::{Cov6, State6};

    fn track_at(g: &Geodetic, v_enu: [f64; 3], time_s: f64) -> Track {
        let [e, n, u] = g.enu_axes();
        let v = e * v_enu[0] + n * v_enu[1] + u * v_enu[2];
        let p = g.to_ecef().0;
        let mut t: Track = serde_json::from_value(serde_json::json!({
            "id": 1, "time_s": time_s, "state": vec![0.0; 6],
            "cov": vec![0.0; 36], "status": "Confirmed", "started_s": 0.0, "confirmed_s": time_s,
            "updates": 5, "consecutive_misses": 0, "history": 15, "looks": 4
        }))
        .unwrap();
        t.state = State6::new(p.x, p.y, p.z, v.x, v.y, v.z);
        t.cov = Cov6::identity();
        t
    }

    #[test]
    fn back_projects_a_climbing_track_to_its_launch_point_by_hand() {
        // At 50 km altitude climbing at 1 km/s, flying due north at 1 km/s: τ = 2·50/1 = 100 s, the
        // ground covered ≈ 1 km/s · 100 s / 2 = 50 km, so the launch point is ~50 km south (0.45° of
        // latitude) of the sub-point, 100 s earlier, azimuth 0.
        let g = Geodetic::from_degrees(36.0, 50.0, 50e3);
        let n = notice_from_track(&track_at(&g, [0.0, 1000.0, 1000.0], 200.0), 3).unwrap();
        assert!((n.launch_time_s - 100.0).abs() < 1e-6, "{}", n.launch_time_s);
        let l = Ecef(n.launch_point.into()).to_geodetic();
        assert!((l.lon_deg() - 50.0).abs() < 0.01);
        let south_km = (36.0 - l.lat_deg()) * 111.0;
        assert!((south_km - 50.0).abs() < 1.5, "{south_km}");
        assert!(n.azimuth_rad.abs() < 1e-6 || (n.azimuth_rad - std::f64::consts::TAU).abs() < 1e-6);
        assert_eq!(n.area_radius_m, MIN_AREA_RADIUS_M);
        // Flying east: azimuth 90°.
        let e = notice_from_track(&track_at(&g, [800.0, 0.0, 1000.0], 200.0), 4).unwrap();
        assert!((e.azimuth_rad - std::f64::consts::FRAC_PI_2).abs() < 1e-6);
    }

    #[test]
    fn falling_slow_or_high_tracks_give_no_notice() {
        let g = Geodetic::from_degrees(36.0, 50.0, 50e3);
        assert!(notice_from_track(&track_at(&g, [0.0, 1000.0, -1000.0], 200.0), 1).is_none());
        assert!(notice_from_track(&track_at(&g, [0.0, 1000.0, 100.0], 200.0), 1).is_none());
        let high = Geodetic::from_degrees(36.0, 50.0, 400e3);
        assert!(notice_from_track(&track_at(&high, [0.0, 1000.0, 1000.0], 200.0), 1).is_none());
    }
}
