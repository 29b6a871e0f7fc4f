//! Both associators (GNN and JPDA), with every filter, track two threats flying close together: at
//! the end each threat has its own confirmed track within a few kilometres and no track is spurious.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use shieldnet_earth::{EarthRotation, Geodetic};
use shieldnet_flight::{BoostSpec, fly_threat};
use shieldnet_sensors::{Radar, RadarSpec};
use shieldnet_tracking::filter::Estimator;
use shieldnet_tracking::imm::ImmConfig;
use shieldnet_tracking::{Associator, Confirmation, Tracker, TrackerConfig};

#[test]
fn gnn_and_jpda_hold_two_close_threats() {
    let rotation = EarthRotation::at_julian_date(2_457_175.0);
    let boost = BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 120e3 };
    let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
    // Two aim points 30 km apart, launches 4 s apart: the threats fly within tens of km of each other.
    let a = fly_threat(&launch, &Geodetic::from_degrees(39.93, 32.86, 0.0), 0.0, &boost, &rotation).unwrap();
    let b = fly_threat(&launch, &Geodetic::from_degrees(39.70, 32.95, 0.0), 4.0, &boost, &rotation).unwrap();
    let mut spec = RadarSpec::example();
    spec.false_alarms_per_scan = 1.0;
    let radar = Radar::new(0, 0, spec);
    for associator in [Associator::Gnn, Associator::Jpda] {
        for (estimator, imm) in
            [(Estimator::Ekf, None), (Estimator::Ukf, None), (Estimator::Ekf, Some(ImmConfig::default()))]
        {
            let cfg = TrackerConfig { associator, estimator, imm, ..TrackerConfig::default() };
            let mut tracker = Tracker::new(cfg);
            let mut rng = ChaCha8Rng::seed_from_u64(9);
            let t_end = a.impact_time_s().min(b.impact_time_s()) - 60.0;
            for t in radar.look_times(150.0, t_end) {
                let pa = a.ecef_at(t, &rotation).unwrap().0;
                let pb = b.ecef_at(t, &rotation).unwrap().0;
                let scan = radar.look(t, &[(0, pa), (1, pb)], &mut rng);
                tracker.process_scan(&scan, &radar);
            }
            let confirmed: Vec<_> = tracker.tracks().iter().filter(|t| t.is_confirmed()).collect();
            let tt = confirmed[0].time_s;
            let pa = a.ecef_at(tt, &rotation).unwrap().0.0;
            let pb = b.ecef_at(tt, &rotation).unwrap().0.0;
            let near = |p: &nalgebra::Vector3<f64>| {
                confirmed.iter().filter(|t| (t.position().0 - p).norm() < 3e3).count()
            };
            let label = format!("{associator:?} {estimator:?} imm={}", imm.is_some());
            eprintln!("{label}: {} confirmed, sep {:.0} m", confirmed.len(), (pa - pb).norm());
            assert_eq!(near(&pa), 1, "{label}");
            assert_eq!(near(&pb), 1, "{label}");
            assert_eq!(confirmed.len(), 2, "{label}");
        }
    }
}

#[test]
fn sprt_confirms_a_real_threat_quickly_and_no_clutter_track() {
    let rotation = EarthRotation::at_julian_date(2_457_175.0);
    let boost = BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 120e3 };
    let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
    let a = fly_threat(&launch, &Geodetic::from_degrees(39.93, 32.86, 0.0), 0.0, &boost, &rotation).unwrap();
    let mut spec = RadarSpec::example();
    spec.false_alarms_per_scan = 5.0;
    let radar = Radar::new(0, 0, spec);
    let cfg = TrackerConfig { confirmation: Confirmation::Sprt, ..TrackerConfig::default() };
    // Clutter only: nothing is confirmed in 300 s (150 looks, 750 false alarms).
    let mut tracker = Tracker::new(cfg.clone());
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let mut confirmed = 0;
    for t in radar.look_times(0.0, 300.0) {
        confirmed += tracker.process_scan(&radar.look(t, &[], &mut rng), &radar).confirmed.len();
    }
    assert_eq!(confirmed, 0);
    // A threat: confirmed within three looks of its first detection.
    let mut tracker = Tracker::new(cfg);
    let mut first = None;
    let mut confirmed_at = None;
    for t in radar.look_times(150.0, 400.0) {
        let p = a.ecef_at(t, &rotation).unwrap().0;
        let scan = radar.look(t, &[(0, p)], &mut rng);
        if first.is_none() && scan.detections.iter().any(|d| d.truth.is_some()) {
            first = Some(t);
        }
        let out = tracker.process_scan(&scan, &radar);
        if confirmed_at.is_none() && !out.confirmed.is_empty() {
            confirmed_at = Some(t);
        }
    }
    let (first, confirmed_at) = (first.unwrap(), confirmed_at.unwrap());
    eprintln!("first detection {first} s, SPRT confirmation {confirmed_at} s");
    assert!(confirmed_at - first <= 3.0 * radar.spec.revisit_s + 1e-9);
    let real: Vec<_> = tracker.tracks().iter().filter(|t| t.is_confirmed()).collect();
    assert_eq!(real.len(), 1);
}
