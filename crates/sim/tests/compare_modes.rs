//! The mode comparison: what sharing buys NATO in the default scenario, and that sharing nothing is
//! exactly M0.

use shieldnet_sim::compare::{CompareOptions, compare_modes};
use shieldnet_sim::scenario::{self, Mode, Scenario, SharedKind};
use shieldnet_sim::{RunOptions, run};

fn default_scenario() -> Scenario {
    scenario::load_builtin("epaa-2015").unwrap()
}

fn in_mode(mut s: Scenario, mode: Mode) -> Scenario {
    s.cooperation.mode = mode;
    s
}

/// Threats of the default raid aimed at European capitals.
const TOWARD_EUROPE: [&str; 3] = ["tabriz-bucharest-1", "tabriz-bucharest-2", "tabriz-athens-1"];

#[test]
fn m2_gives_nato_earlier_warning_of_threats_toward_europe_than_m0() {
    // Armavir and Gabala look south over Iran from the Caucasus; NATO's radars are in Turkey, Romania
    // and the eastern Mediterranean, farther west. With Russian tracks (M2), NATO's picture holds every
    // threat launched toward Europe earlier than with its own sensors alone (M0).
    let c = compare_modes(&default_scenario(), &CompareOptions { seed: None, runs: 1, threads: 0 }).unwrap();
    let mode = |m: &str| c.modes.iter().find(|x| x.mode == m).unwrap();
    let nato = c.parties.iter().position(|p| p == "NATO").unwrap();
    for id in TOWARD_EUROPE {
        let j = c.threats.iter().position(|t| t == id).unwrap();
        let m0 = &mode("M0").parties[nato].threats[j];
        let m2 = &mode("M2").parties[nato].threats[j];
        let (p0, p2) = (m0.first_picture_s.unwrap().value, m2.first_picture_s.unwrap().value);
        assert!(p2 < p0, "{id}: NATO picture at {p2} s in M2, {p0} s in M0");
        let gain = m2.warning_gained_over_m0_s.unwrap().value;
        assert_eq!(gain, m0.first_alert_s.unwrap().value - m2.first_alert_s.unwrap().value);
        assert!(gain > 0.0, "{id}: {gain}");
        // Own radars see the same in every mode: own first detection does not move.
        assert_eq!(m0.first_detection_s.unwrap().value, m2.first_detection_s.unwrap().value);
        // M0 gains nothing over itself.
        assert_eq!(m0.warning_gained_over_m0_s.unwrap().value, 0.0);
    }
    // M0 receives nothing; M2 receives track reports; only M3 carries engagement announcements.
    assert!(mode("M0").parties[nato].messages_received.is_empty());
    assert!(mode("M2").parties[nato].messages_received.contains_key("TrackReports"));
    assert!(!mode("M2").parties[nato].messages_received.contains_key("Engagement"));
    assert!(mode("M3").parties[nato].messages_received.contains_key("Engagement"));
    // M1 carries launch notices only, and they warn NATO before its own picture does.
    let m1 = &mode("M1").parties[nato];
    assert_eq!(m1.messages_received.keys().collect::<Vec<_>>(), ["LaunchNotice"]);
    let warned_earlier = TOWARD_EUROPE
        .iter()
        .filter(|id| {
            let j = c.threats.iter().position(|t| t == *id).unwrap();
            m1.threats[j].warning_gained_over_m0_s.is_some_and(|g| g.value > 0.0)
        })
        .count();
    assert!(warned_earlier >= 2, "launch notices warned NATO earlier of only {warned_earlier} threats");
    // Without M5 there is no price of independence to state.
    if c.modes.iter().all(|m| m.mode != "M5") {
        assert!(c.modes.iter().all(|m| m.price_of_independence.is_none()));
        assert!(c.skipped.iter().any(|s| s.mode == "M5"));
    }
}

#[test]
fn an_agreement_that_carries_nothing_in_force_gives_exactly_the_m0_result() {
    // In M2 engagement announcements do not flow and launch notices are not listed: an agreement of
    // engagements only carries nothing, and every figure equals M0's.
    let mut nothing = in_mode(default_scenario(), Mode::M2);
    for s in &mut nothing.sharing {
        s.what = vec![SharedKind::Engagements];
    }
    let a = run(&nothing, &RunOptions::default()).unwrap().0;
    let b = run(&in_mode(default_scenario(), Mode::M0), &RunOptions::default()).unwrap().0;
    assert_eq!(serde_json::to_value(&a.threats).unwrap(), serde_json::to_value(&b.threats).unwrap());
    assert_eq!(serde_json::to_value(&a.parties).unwrap(), serde_json::to_value(&b.parties).unwrap());
    assert_eq!(a.events, b.events);
    assert_eq!(a.commonality, b.commonality);
    assert!(a.parties.iter().all(|p| p.messages_sent == 0));
}

#[test]
fn the_comparison_does_not_depend_on_the_thread_count() {
    let s = scenario::load_builtin("two-radars-one-threat").unwrap();
    let one = compare_modes(&s, &CompareOptions { seed: Some(5), runs: 3, threads: 1 }).unwrap();
    let two = compare_modes(&s, &CompareOptions { seed: Some(5), runs: 3, threads: 2 }).unwrap();
    assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&two).unwrap());
    assert_eq!(one.runs, 3);
    assert!(compare_modes(&s, &CompareOptions { seed: None, runs: 0, threads: 1 }).is_err());
}
