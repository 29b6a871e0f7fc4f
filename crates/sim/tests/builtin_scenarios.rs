//! The built-in scenarios hold what their descriptions promise.

use shieldnet_sim::scenario::{Mode, Raid, Scenario, SharedKind, load_builtin};

/// Great-circle distance on a sphere of the mean Earth radius, km (an independent check of the file's
/// "~N km" comments; the world uses the ellipsoid).
fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().asin()
}

/// Initial great-circle bearing from point 1 to point 2, degrees clockwise from north in [0, 360).
fn bearing_deg(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dl = (lon2 - lon1).to_radians();
    let y = dl.sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos();
    y.atan2(x).to_degrees().rem_euclid(360.0)
}

fn aim(s: &Scenario, r: &Raid) -> (f64, f64) {
    match &r.aim_asset {
        Some(id) => {
            let a = s.defended_assets.iter().find(|a| &a.id == id).expect("validated reference");
            (a.lat_deg, a.lon_deg)
        }
        None => (r.aim_lat_deg.expect("validated aim"), r.aim_lon_deg.expect("validated aim")),
    }
}

fn ground_range_km(s: &Scenario, r: &Raid) -> f64 {
    let (lat, lon) = aim(s, r);
    haversine_km(r.launch_lat_deg, r.launch_lon_deg, lat, lon)
}

#[test]
fn haversine_matches_a_known_distance() {
    // London to Paris is about 344 km on the sphere.
    let d = haversine_km(51.5074, -0.1278, 48.8566, 2.3522);
    assert!((d - 343.6).abs() < 1.0, "{d}");
    assert!((bearing_deg(0.0, 0.0, 10.0, 0.0) - 0.0).abs() < 1e-9);
    assert!((bearing_deg(0.0, 0.0, 0.0, 10.0) - 90.0).abs() < 1e-9);
    assert!((bearing_deg(0.0, 0.0, 0.0, -10.0) - 270.0).abs() < 1e-9);
}

#[test]
fn epaa_2015_has_the_agreed_header_and_parties() {
    let s = load_builtin("epaa-2015").unwrap();
    assert_eq!(s.scenario.epoch.to_string(), "2015-06-01T12:00:00Z");
    assert_eq!(s.scenario.seed, 2011);
    assert_eq!(s.scenario.time_step_s, 1.0);
    assert!((1200.0..=1800.0).contains(&s.scenario.duration_s));
    assert_eq!(s.cooperation.mode, Mode::M3);
    let parties: Vec<&str> = s.parties.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(parties, ["NATO", "RUS"]);
}

#[test]
fn epaa_2015_raids_are_mrbm_shots_within_2300_km_launched_early() {
    let s = load_builtin("epaa-2015").unwrap();
    assert!(s.raids.len() >= 5);
    let mut toward_russia = 0;
    let mut longest: f64 = 0.0;
    for r in &s.raids {
        let range = ground_range_km(&s, r);
        assert!(range <= 2300.0, "{}: {range:.0} km", r.id);
        assert!(range >= 500.0, "{}: {range:.0} km", r.id);
        longest = longest.max(range);
        let last = r.time_s + f64::from(r.count - 1) * r.spacing_s;
        assert!(last <= 300.0, "{} launches until {last} s", r.id);
        let m = &s.missile_types[&r.missile];
        assert_eq!(m.class, "MRBM");
        if let Some(id) = &r.aim_asset {
            let a = s.defended_assets.iter().find(|a| &a.id == id).unwrap();
            if a.party == "RUS" {
                toward_russia += 1;
            }
        }
    }
    assert!(toward_russia >= 1, "at least one raid toward southern Russia");
    assert!(longest >= 2000.0, "at least one 2,000 km-class shot; longest {longest:.0} km");
    let total: u32 = s.raids.iter().map(|r| r.count).sum();
    assert_eq!(total, 10, "the description says ten missiles");
    assert!(s.scenario.description.contains("ten notional Iranian MRBMs"));
}

#[test]
fn epaa_2015_sites_sit_where_the_field_notes_put_them() {
    let s = load_builtin("epaa-2015").unwrap();
    let radar = |id: &str| s.radars.iter().find(|r| r.id == id).unwrap_or_else(|| panic!("radar {id}"));
    let tpy2 = radar("tpy2-kurecik");
    assert_eq!((tpy2.lat_deg, tpy2.lon_deg, tpy2.alt_m), (38.349, 37.794, 2085.0));
    assert_eq!((tpy2.party.as_str(), tpy2.max_range_km), ("NATO", 1500.0));
    let gabala = radar("daryal-gabala");
    assert_eq!((gabala.lat_deg, gabala.lon_deg, gabala.boresight_az_deg), (40.871, 47.803, 162.0));
    assert_eq!(gabala.party, "RUS");
    let armavir = radar("voronezh-armavir");
    assert!((170.0..=180.0).contains(&armavir.boresight_az_deg));
    let deveselu = radar("spy1-deveselu");
    assert_eq!((deveselu.lat_deg, deveselu.lon_deg, deveselu.half_width_az_deg), (44.079, 24.413, 180.0));
    // Metre-wave radars are coarser than the X-band radar.
    for coarse in [gabala, armavir] {
        assert!(coarse.sigma_range_m > tpy2.sigma_range_m && coarse.sigma_az_mrad > tpy2.sigma_az_mrad);
    }
    // Every launch area is inside the TPY-2's azimuth sector, and near enough that the missile enters its
    // range during the boost (Shahrud is ~1,570 km away, the burnout point ~130 km closer).
    for r in &s.raids {
        let d = haversine_km(tpy2.lat_deg, tpy2.lon_deg, r.launch_lat_deg, r.launch_lon_deg);
        let burnout = s.missile_types[&r.missile].burnout_downrange_km;
        assert!(d - burnout < tpy2.max_range_km, "{}: {d:.0} km from Kürecik", r.id);
        let az = bearing_deg(tpy2.lat_deg, tpy2.lon_deg, r.launch_lat_deg, r.launch_lon_deg);
        let off = (az - tpy2.boresight_az_deg + 540.0).rem_euclid(360.0) - 180.0;
        assert!(off.abs() < tpy2.half_width_az_deg, "{}: azimuth {az:.0}° from Kürecik", r.id);
    }
    let batteries: Vec<(&str, &str)> =
        s.batteries.iter().map(|b| (b.party.as_str(), b.interceptor.as_str())).collect();
    assert!(batteries.contains(&("NATO", "sm3-ib")));
    assert!(batteries.iter().any(|(p, _)| *p == "RUS"));
    let sm3 = &s.interceptor_types["sm3-ib"];
    assert_eq!(sm3.burnout_speed_km_s, 3.0);
    let cities: Vec<&str> = s.defended_assets.iter().map(|a| a.id.as_str()).collect();
    for city in ["bucharest", "ankara", "athens", "rome", "warsaw", "krasnodar"] {
        assert!(cities.contains(&city), "{city}");
    }
}

#[test]
fn epaa_2015_shares_tracks_and_engagements_both_ways() {
    let s = load_builtin("epaa-2015").unwrap();
    for (from, to) in [("NATO", "RUS"), ("RUS", "NATO")] {
        let sh = s.sharing.iter().find(|x| x.from == from && x.to == to).unwrap();
        assert_eq!(sh.what, [SharedKind::LaunchNotices, SharedKind::Tracks, SharedKind::Engagements]);
        assert_eq!((sh.interval_s, sh.latency_s, sh.loss), (2.0, 3.0, 0.0));
    }
}

#[test]
fn the_russian_terminal_battery_covers_an_asset_that_a_raid_aims_at() {
    let s = load_builtin("epaa-2015").unwrap();
    let b = s.batteries.iter().find(|b| b.party == "RUS").unwrap();
    let reach = s.interceptor_types[&b.interceptor].max_range_km;
    let covered = s.raids.iter().any(|r| {
        let (lat, lon) = aim(&s, r);
        haversine_km(b.lat_deg, b.lon_deg, lat, lon) < reach
    });
    assert!(covered, "no raid aims within {reach} km of {}", b.id);
}

#[test]
fn two_radars_one_threat_is_minimal() {
    let s = load_builtin("two-radars-one-threat").unwrap();
    assert_eq!(s.parties.len(), 1);
    assert_eq!(s.radars.len(), 2);
    assert!(s.batteries.is_empty() && s.interceptor_types.is_empty());
    assert_eq!(s.raids.len(), 1);
    assert_eq!(s.raids[0].count, 1);
    let range = ground_range_km(&s, &s.raids[0]);
    assert!((range - 1180.0).abs() < 15.0, "the description says ~1,180 km: {range:.0}");
}

#[test]
fn every_builtin_threat_flies_and_lands_before_the_scenario_ends() {
    use shieldnet_earth::{EarthRotation, Geodetic};
    use shieldnet_flight::threat::{BoostSpec, fly_threat};
    for &name in shieldnet_sim::scenario::builtin_names() {
        let s = load_builtin(name).unwrap();
        assert_eq!(s.scenario.epoch.to_string(), "2015-06-01T12:00:00Z", "the rotation below assumes it");
        let rotation =
            EarthRotation::at_julian_date(shieldnet_earth::rotation::julian_date(2015, 6, 1, 12, 0, 0.0));
        for r in &s.raids {
            let m = &s.missile_types[&r.missile];
            let boost = BoostSpec {
                burnout_time_s: m.burnout_time_s,
                burnout_altitude_m: m.burnout_altitude_km * 1e3,
                burnout_downrange_m: m.burnout_downrange_km * 1e3,
            };
            let (lat, lon) = aim(&s, r);
            let launch = Geodetic::from_degrees(r.launch_lat_deg, r.launch_lon_deg, 0.0);
            let target = Geodetic::from_degrees(lat, lon, 0.0);
            let last_launch = r.time_s + f64::from(r.count - 1) * r.spacing_s;
            let t = fly_threat(&launch, &target, last_launch, &boost, &rotation)
                .unwrap_or_else(|e| panic!("{name}/{}: {e}", r.id));
            assert!(
                t.impact_time_s() < s.scenario.duration_s,
                "{name}/{}: impact at {:.0} s after the end {} s",
                r.id,
                t.impact_time_s(),
                s.scenario.duration_s
            );
        }
    }
}

#[test]
fn every_builtin_builds_a_world_setup() {
    for &name in shieldnet_sim::scenario::builtin_names() {
        let s = load_builtin(name).unwrap();
        let setup = shieldnet_sim::build::build(&s).unwrap_or_else(|e| panic!("{name}: {e}"));
        let missiles: u32 = s.raids.iter().map(|r| r.count).sum();
        assert_eq!(setup.threats.len(), missiles as usize, "{name}");
        assert_eq!(setup.radars.len(), s.radars.len(), "{name}");
        assert_eq!(setup.nodes.len(), s.parties.len(), "{name}");
    }
}
