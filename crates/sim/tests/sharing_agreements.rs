//! What an agreement lets through, read from the wire: the receiver's signed audit log holds every
//! message delivered to it (payload included), so these tests check the messages themselves.

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
