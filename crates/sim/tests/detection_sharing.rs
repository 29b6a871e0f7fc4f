//! Raw detections as a shared flow: a party without radars of its own tracks the raid from a
//! partner's detections, exactly one latency after the partner's looks; filters hold back what they
//! should on the wire; and an agreement without detections lets none through.

use shieldnet_earth::{Ecef, LookAngles, Vec3};
use shieldnet_fusion::{Body, Message};
use shieldnet_sim::scenario::{self, Mode, Scenario, SharedKind};
use shieldnet_sim::{RunOptions, run};

/// The default raid with NATO blind (no radar, no satellite) and Russia sharing only raw detections
/// with it, every time step (1 s), after `latency_s`.
fn blind_nato(latency_s: f64) -> Scenario {
    let mut s = scenario::load_builtin("epaa-2015").unwrap();
    s.cooperation.mode = Mode::M2;
    s.radars.retain(|r| r.party != "NATO");
    s.ir_satellites.retain(|r| r.party != "NATO");
    s.sharing.retain(|a| a.from == "RUS");
    for a in &mut s.sharing {
        a.what = vec![SharedKind::Detections];
        a.interval_s = 1.0;
        a.latency_s = latency_s;
    }
    s
}

/// Every message delivered to `party` in a run, decoded from its signed audit log.
fn received_by(scn: &Scenario, party: &str) -> Vec<Message> {
    let opts = RunOptions { record: true, audit: true, ..Default::default() };
    let (_, rec) = run(scn, &opts).unwrap();
    let rec = rec.unwrap();
    let log = &rec.audit_logs.iter().find(|(p, _)| p == party).unwrap().1;
    let mut out = Vec::new();
    for line in log.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let v: serde_json::Value = serde_json::from_slice(line).unwrap();
        if v["kind"] == "received" {
            let payload = shieldnet_audit::hex::decode(v["body"]["payload"].as_str().unwrap()).unwrap();
            out.push(Message::decode(&payload).unwrap());
        }
    }
    out
}

/// Geodetic latitude, longitude (degrees) and altitude (m) of a shared detection.
fn position(site: &[f64; 3], d: &shieldnet_fusion::SharedDetection) -> (f64, f64, f64) {
    let site = Ecef(Vec3::from(*site)).to_geodetic();
    let la = LookAngles { range_m: d.range_m, az_rad: d.az_rad, el_rad: d.el_rad };
    let g = la.to_enu().to_ecef(&site).to_geodetic();
    (g.lat_deg(), g.lon_deg(), g.alt_m)
}

#[test]
fn a_blind_party_tracks_from_partner_detections_exactly_one_latency_after_the_looks() {
    let (fast, slow) = (
        run(&blind_nato(3.0), &RunOptions::default()).unwrap().0,
        run(&blind_nato(8.0), &RunOptions::default()).unwrap().0,
    );
    let mut tracked = 0;
    for (a, b) in fast.threats.iter().zip(&slow.threats) {
        assert_eq!(a.first_detection_s["NATO"], None, "NATO has no sensor of its own");
        let (Some(ta), Some(tb)) = (a.first_own_track_s["NATO"], b.first_own_track_s["NATO"]) else {
            continue;
        };
        // Russia's looks are the same in both runs (nothing NATO does reaches Russia before its
        // first track), so NATO's tracker confirms on the same looks, 5 s later.
        assert_eq!(tb - ta, 5.0, "{}: {ta} s with 3 s latency, {tb} s with 8 s", a.id);
        // Confirmation takes three looks (M-of-N 3 of 4): never before Russia's first detection plus
        // the latency plus two more looks.
        let rus = a.first_detection_s["RUS"].expect("NATO's track came from Russian detections");
        assert!(ta >= rus + 3.0, "{}: NATO track at {ta} s, Russian detection at {rus} s", a.id);
        tracked += 1;
    }
    assert!(tracked >= 8, "NATO tracked only {tracked} of ten threats from Russian detections");
    let nato = fast.parties.iter().find(|p| p.id == "NATO").unwrap();
    assert!(nato.messages_received_by_kind.get("Detections").copied().unwrap_or(0) > 100);
    assert!(nato.tracks_confirmed >= 8);
}

#[test]
fn without_detections_in_the_agreement_none_reach_the_partner_and_it_tracks_nothing() {
    let mut s = blind_nato(3.0);
    for a in &mut s.sharing {
        a.what = vec![SharedKind::LaunchNotices, SharedKind::Tracks];
    }
    let got = received_by(&s, "NATO");
    assert!(got.iter().any(|m| matches!(m.body, Body::TrackReports(_))));
    assert!(got.iter().all(|m| !matches!(m.body, Body::Detections(_))), "a detection crossed");
    let (report, _) = run(&s, &RunOptions::default()).unwrap();
    assert!(report.threats.iter().all(|t| t.first_own_track_s["NATO"].is_none()));
}

#[test]
fn filters_hold_back_detections_outside_the_region_and_below_the_floor_on_the_wire() {
    // Russia shares only detections inside a box over the Caucasus and northern Iran, above 100 km.
    let region = [[34.0, 42.0], [34.0, 52.0], [44.0, 52.0], [44.0, 42.0]];
    let mut s = blind_nato(3.0);
    for a in &mut s.sharing {
        a.region = Some(region.to_vec());
        a.min_altitude_km = Some(100.0);
    }
    let got = received_by(&s, "NATO");
    let (mut inside, mut looks) = (0, 0);
    for m in &got {
        let Body::Detections(ls) = &m.body else { continue };
        for l in ls {
            looks += 1;
            // The message's time of validity is its oldest look's.
            assert!(l.time_s >= m.time_of_validity_s);
            for d in &l.detections {
                let (lat, lon, alt) = position(&l.site, d);
                assert!(
                    (34.0..=44.0).contains(&lat) && (42.0..=52.0).contains(&lon),
                    "({lat}, {lon}) shared"
                );
                assert!(alt >= 100e3 - 1e-6, "{alt} m shared");
                inside += 1;
            }
        }
    }
    assert!(looks > 100 && inside > 20, "{looks} looks, {inside} detections");
    // The unfiltered agreement lets detections outside the box through (so the filter did something).
    let all = received_by(&blind_nato(3.0), "NATO");
    let outside = all
        .iter()
        .filter_map(|m| if let Body::Detections(ls) = &m.body { Some(ls) } else { None })
        .flatten()
        .flat_map(|l| l.detections.iter().map(move |d| position(&l.site, d)))
        .filter(|(lat, lon, alt)| {
            !((34.0..=44.0).contains(lat) && (42.0..=52.0).contains(lon)) || *alt < 100e3
        })
        .count();
    assert!(outside > 20, "only {outside} detections outside the filter without it");
}

#[test]
fn degraded_detections_state_at_least_the_set_accuracy() {
    let sigma = 3_000.0;
    let mut s = blind_nato(3.0);
    for a in &mut s.sharing {
        a.position_sigma_m = Some(sigma);
    }
    let got = received_by(&s, "NATO");
    let mut n = 0;
    for m in &got {
        let Body::Detections(ls) = &m.body else { continue };
        for d in ls.iter().flat_map(|l| &l.detections) {
            // Range noise at least σ; cross-range noise (range × angle) at least σ, up to the change of
            // range the degradation itself makes (under 5σ).
            let slack = 1.0 - 5.0 * sigma / d.range_m;
            assert!(d.sigma[0] >= sigma);
            assert!(d.range_m * d.sigma[2] >= sigma * slack);
            assert!(d.range_m * d.el_rad.cos() * d.sigma[1] >= sigma * slack || d.el_rad.cos() < 1e-3);
            n += 1;
        }
    }
    assert!(n > 100, "{n}");
}
