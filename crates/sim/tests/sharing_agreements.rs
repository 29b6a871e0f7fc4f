//! What an agreement lets through, read from the wire: the receiver's signed audit log holds every
//! message delivered to it (payload included), so these tests check the messages themselves. Also
//! raw detections as a shared flow: a party without sensors of its own tracks the raid from a
//! partner's detections exactly one latency after the partner's looks.

use shieldnet_earth::{Ecef, LookAngles, Vec3};
use shieldnet_fusion::{Body, Message};
use shieldnet_sim::scenario::{self, Mode, Scenario, SharedKind};
use shieldnet_sim::{RunOptions, run};

fn default_scenario() -> Scenario {
    scenario::load_builtin("epaa-2015").unwrap()
}

/// Every message delivered to `party` in a run, decoded from its audit log.
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

#[test]
fn without_tracks_in_the_agreement_no_track_report_ever_reaches_the_partner() {
    let mut scn = default_scenario();
    scn.cooperation.mode = Mode::M3;
    for s in &mut scn.sharing {
        s.what = vec![SharedKind::LaunchNotices, SharedKind::Engagements];
    }
    let got = received_by(&scn, "NATO");
    assert!(got.iter().any(|m| matches!(m.body, Body::LaunchNotice(_))), "no launch notice at all");
    assert!(
        got.iter().all(|m| !matches!(m.body, Body::TrackReport(_) | Body::TrackReports(_))),
        "a track report crossed an agreement without tracks"
    );
    // And with launch notices left out too, none of those.
    for s in &mut scn.sharing {
        s.what = vec![SharedKind::Engagements];
    }
    let got = received_by(&scn, "NATO");
    assert!(got.iter().all(|m| matches!(m.body, Body::Engagement(_) | Body::KillAssessment(_))));
}

#[test]
fn degraded_reports_are_never_tighter_than_the_set_accuracy() {
    let sigma = 2_000.0;
    let mut scn = default_scenario();
    scn.cooperation.mode = Mode::M2;
    for s in &mut scn.sharing {
        s.position_sigma_m = Some(sigma);
    }
    let got = received_by(&scn, "NATO");
    let mut reports = 0;
    for m in &got {
        if let Body::TrackReports(rs) = &m.body {
            for r in rs {
                let cov = r.report.cov().unwrap();
                let pos = cov.fixed_view::<3, 3>(0, 0).into_owned();
                let least = pos.symmetric_eigenvalues().min();
                assert!(least >= sigma * sigma * (1.0 - 1e-9), "eigenvalue {least} < σ² = {}", sigma * sigma);
                reports += 1;
            }
        }
    }
    assert!(reports > 100, "only {reports} reports");
}

#[test]
fn a_region_filter_never_lets_an_out_of_region_track_through_on_the_wire() {
    // Russia shares only tracks inside a box over eastern Turkey and the Caucasus.
    let region = [[36.0, 38.0], [36.0, 48.0], [42.0, 48.0], [42.0, 38.0]];
    let mut scn = default_scenario();
    scn.cooperation.mode = Mode::M2;
    for s in &mut scn.sharing {
        if s.from == "RUS" {
            s.region = Some(region.to_vec());
        }
    }
    let got = received_by(&scn, "NATO");
    let mut inside = 0;
    for m in got.iter().filter(|m| m.sender == "RUS") {
        if let Body::TrackReports(rs) = &m.body {
            for r in rs {
                let p = shieldnet_earth::Ecef(r.report.state().fixed_rows::<3>(0).into_owned()).to_geodetic();
                let (lat, lon) = (p.lat_deg(), p.lon_deg());
                assert!(
                    (36.0..=42.0).contains(&lat) && (38.0..=48.0).contains(&lon),
                    "({lat}, {lon}) shared"
                );
                inside += 1;
            }
        }
    }
    assert!(inside > 0, "the box should hold some Russian tracks of this raid");
}

#[test]
fn latency_shifts_the_receivers_first_use_of_a_partner_track_by_exactly_the_latency() {
    // Same run with latencies 3 s and 8 s (whole time steps): where NATO's picture got a threat from a
    // Russian track before its own, it gets it exactly 5 s later. Before any engagement Russia's
    // radars and tracker see the same thing in both runs, so its reports are the same.
    let with_latency = |l: f64| {
        let mut s = default_scenario();
        s.cooperation.mode = Mode::M2;
        for a in &mut s.sharing {
            a.latency_s = l;
        }
        run(&s, &RunOptions::default()).unwrap().0
    };
    let (fast, slow) = (with_latency(3.0), with_latency(8.0));
    let mut compared = 0;
    for (a, b) in fast.threats.iter().zip(&slow.threats) {
        let own = a.first_own_track_s["NATO"].unwrap_or(f64::INFINITY);
        let (pa, pb) = (a.first_picture_s["NATO"].unwrap(), b.first_picture_s["NATO"].unwrap());
        if pb < own {
            assert_eq!(pb - pa, 5.0, "{}: {pa} s with 3 s latency, {pb} s with 8 s", a.id);
            compared += 1;
        }
    }
    assert!(compared >= 5, "only {compared} threats reached NATO first through Russia");
}

#[test]
fn jitter_and_degradation_are_validated_with_located_errors() {
    let text = scenario::builtin_source("epaa-2015").unwrap();
    let i = text.find("[[sharing]]").unwrap();
    let j = i + text[i..].find("latency_s").unwrap();
    let k = j + text[j..].find('\n').unwrap() + 1;
    let with =
        |extra: &str| scenario::load_str(&format!("{}{}\n{}", &text[..k], extra, &text[k..]), "x.toml");
    let e = with("jitter_s = -1.0").unwrap_err();
    assert_eq!(e.field(), "sharing[0].jitter_s");
    let e = with("position_sigma_m = 0.0").unwrap_err();
    assert_eq!(e.field(), "sharing[0].position_sigma_m");
    let e = with("threat_class_only = 3").unwrap_err();
    assert!(e.to_string().contains("threat_class_only") || e.field().contains("threat_class_only"), "{e}");
    let ok = with("jitter_s = 0.5\nposition_sigma_m = 1000.0\nthreat_class_only = true").unwrap();
    assert_eq!(ok.sharing[0].jitter_s, 0.5);
    assert_eq!(ok.sharing[0].position_sigma_m, Some(1000.0));
    assert!(ok.sharing[0].threat_class_only);
}

#[test]
fn fusion_rules_are_chosen_per_party_and_validated_with_located_errors() {
    let text = scenario::builtin_source("epaa-2015").unwrap();
    let at = text.find("name = \"Russian Federation\"").unwrap();
    let k = at + text[at..].find('\n').unwrap() + 1;
    let with =
        |extra: &str| scenario::load_str(&format!("{}{}\n{}", &text[..k], extra, &text[k..]), "x.toml");
    let e = with("fusion = \"bar_shalom_campo\"").unwrap_err();
    assert_eq!(e.field(), "party[1].fusion");
    let e = with("fusion = \"bar_shalom_campo\"\nfusion_correlation = 1.0").unwrap_err();
    assert_eq!(e.field(), "party[1].fusion_correlation");
    let e = with("fusion_correlation = 0.5").unwrap_err();
    assert_eq!(e.field(), "party[1].fusion_correlation");
    let e = with("fusion = \"average\"").unwrap_err();
    assert!(e.to_string().contains("fusion") || e.field().contains("fusion"), "{e}");
    let mut s = with("fusion = \"naive\"").unwrap();
    assert_eq!(s.parties[1].fusion, scenario::FusionChoice::Naive);
    // The rule changes what the party's picture holds but nothing the other party sees of its own.
    s.cooperation.mode = Mode::M2;
    let naive = run(&s, &RunOptions::default()).unwrap().0;
    s.parties[1].fusion = scenario::FusionChoice::CiTrace;
    let ci = run(&s, &RunOptions::default()).unwrap().0;
    for (a, b) in naive.threats.iter().zip(&ci.threats) {
        assert_eq!(a.first_detection_s, b.first_detection_s);
    }
}

// --- Raw detections ---------------------------------------------------------------------------

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
