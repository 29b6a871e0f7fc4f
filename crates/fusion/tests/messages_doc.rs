//! Every JSON example in docs/messages.md decodes, and decodes to what the text says it is.

use shieldnet_fusion::messages::MESSAGE_VERSION;
use shieldnet_fusion::{Body, EngagementStatus, Message};

const DOC: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/messages.md"));

fn examples() -> Vec<&'static str> {
    DOC.split("```json\n").skip(1).map(|rest| rest.split("\n```").next().unwrap().trim()).collect()
}

#[test]
fn the_documented_examples_decode_to_the_documented_content() {
    let ex = examples();
    assert_eq!(ex.len(), 6, "expected six JSON examples");
    let msgs: Vec<Message> = ex.iter().map(|e| Message::decode(e.as_bytes()).unwrap()).collect();
    assert!(msgs.iter().all(|m| m.version == MESSAGE_VERSION));
    // 1: a single track report with the stated covariance.
    let Body::TrackReport(r) = &msgs[0].body else { panic!("example 1 is not a TrackReport") };
    assert_eq!((msgs[0].sender.as_str(), msgs[0].seq, msgs[0].time_of_validity_s), ("RUS", 7, 123.5));
    let c = r.cov().unwrap();
    assert_eq!((c[(0, 3)], c[(3, 0)], c[(5, 5)], c[(0, 1)]), (0.5, 0.5, 1.0, 0.0));
    assert_eq!(r.state()[3], 1200.0);
    // 2: two reports with their own times.
    let Body::TrackReports(rs) = &msgs[1].body else { panic!("example 2 is not TrackReports") };
    assert_eq!(rs.len(), 2);
    assert_eq!((rs[0].time_of_validity_s, rs[1].time_of_validity_s), (120.0, 121.0));
    assert_eq!(rs[1].report.cov().unwrap()[(4, 4)], 4.0);
    // 3: the launch notice is near 36° N, 50° E.
    let Body::LaunchNotice(n) = &msgs[2].body else { panic!("example 3 is not a LaunchNotice") };
    let g = shieldnet_earth::Ecef(n.launch_point.into()).to_geodetic();
    assert!((g.lat_deg() - 36.0).abs() < 0.1 && (g.lon_deg() - 50.0).abs() < 0.1, "{g:?}");
    assert!(g.alt_m.abs() < 5e3);
    assert!((n.azimuth_rad.to_degrees() - 300.0).abs() < 0.1);
    // 4 and 5: an engagement and its assessment.
    let Body::Engagement(e) = &msgs[3].body else { panic!("example 4 is not an Engagement") };
    assert_eq!(e.status, EngagementStatus::Launched);
    assert_eq!(e.sources, vec![("NATO".to_string(), 12), ("RUS".to_string(), 1_000_004)]);
    let Body::KillAssessment(k) = &msgs[4].body else { panic!("example 5 is not a KillAssessment") };
    assert!(k.killed && k.engagement_id == e.engagement_id);
    // 6: raw detections of one look at a site near Armavir (44.9° N, 41.0° E), both valid.
    let Body::Detections(looks) = &msgs[5].body else { panic!("example 6 is not Detections") };
    assert_eq!(looks.len(), 1);
    let g = shieldnet_earth::Ecef(looks[0].site.into()).to_geodetic();
    assert!((g.lat_deg() - 44.925).abs() < 0.01 && (g.lon_deg() - 40.983).abs() < 0.01, "{g:?}");
    assert!((g.alt_m - 100.0).abs() < 5.0, "{g:?}");
    let d = &looks[0].detections;
    assert_eq!(d.len(), 2);
    assert_eq!((d[0].range_rate, d[1].range_rate), (Some([-2100.0, 5.0]), None));
    assert!(d.iter().all(|d| d.is_valid()));
    // The reference encoder writes exactly the documented bytes back.
    for (m, text) in msgs.iter().zip(&ex) {
        assert_eq!(String::from_utf8(m.encode()).unwrap(), *text);
    }
}
