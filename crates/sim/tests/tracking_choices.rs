//! `[tracking]` filter / motion / associator / confirmation choices: defaults change nothing, every
//! choice runs and tracks the threat, per-party overrides apply, and bad values are located errors
//! that list the valid ones.

use shieldnet_sim::scenario::{ErrorKind, builtin_source, load_str, to_toml_string};
use shieldnet_sim::tracker_setup::tracker_config;
use shieldnet_sim::{RunOptions, run};
use shieldnet_tracking::filter::Estimator;
use shieldnet_tracking::{Associator, TrackerConfig};

fn base() -> String {
    builtin_source("two-radars-one-threat").expect("built-in").to_string()
}

fn with_tracking(extra: &str) -> String {
    format!(
        "{}\n[tracking]\nconfirm_m = 3\nconfirm_n = 4\ndelete_after_misses = 4\naccel_noise_m2_s3 = 25.0\n{extra}",
        base()
    )
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect("needle") + 1
}

#[test]
fn the_default_choices_give_the_default_tracker_and_serialise_to_nothing_new() {
    let s = load_str(&with_tracking(""), "t.toml").unwrap();
    assert_eq!(tracker_config(&s.tracking, "BLUE"), TrackerConfig::default());
    let toml = to_toml_string(&s).unwrap();
    for key in ["filter", "motion", "associator", "confirmation", "[tracking.party"] {
        assert!(!toml.contains(key), "{key} written back for a default scenario");
    }
}

#[test]
fn every_choice_runs_and_tracks_the_threat() {
    for (filter, motion, associator) in [
        ("ekf", "ballistic", "gnn"),
        ("ukf", "ballistic", "gnn"),
        ("ekf", "imm", "gnn"),
        ("ukf", "imm_reentry", "gnn"),
        ("ekf", "imm_reentry", "jpda"),
        ("ekf", "ballistic", "jpda"),
        ("ekf", "ballistic", "jipda"),
        ("ukf", "imm", "jipda"),
    ] {
        // JIPDA confirms by existence; the others by the SPRT score.
        let confirmation = if associator == "jipda" { "m_of_n" } else { "sprt" };
        let text = with_tracking(&format!(
            "filter = \"{filter}\"\nmotion = \"{motion}\"\nassociator = \"{associator}\"\nconfirmation = \"{confirmation}\"\n"
        ));
        let s = load_str(&text, "t.toml").unwrap_or_else(|e| panic!("{e}"));
        let cfg = tracker_config(&s.tracking, "BLUE");
        assert_eq!(cfg.estimator, if filter == "ukf" { Estimator::Ukf } else { Estimator::Ekf });
        assert_eq!(cfg.imm.is_some(), motion != "ballistic");
        assert_eq!(cfg.imm.is_some_and(|i| i.reentry.is_some()), motion == "imm_reentry");
        let expected = match associator {
            "jpda" => Associator::Jpda,
            "jipda" => Associator::Jipda,
            _ => Associator::Gnn,
        };
        assert_eq!(cfg.associator, expected);
        // Written back and read again, the choices survive (campaign --vary relies on it).
        let again = load_str(&to_toml_string(&s).unwrap(), "again.toml").unwrap();
        assert_eq!(again.tracking, s.tracking);
        let (r, _) = run(&s, &RunOptions::default()).unwrap();
        let label = format!("{filter}/{motion}/{associator}");
        assert!(r.parties[0].tracks_confirmed >= 1, "{label}");
        let m = &r.parties[0].tracking;
        assert!(m.siap_completeness > 0.5, "{label}: completeness {}", m.siap_completeness);
        assert!(m.siap_position_accuracy_m < 2_000.0, "{label}: accuracy {}", m.siap_position_accuracy_m);
    }
}

#[test]
fn a_party_override_applies_to_that_party_only() {
    let text = base().replace(
        "[[party]]\nid = \"BLUE\"\nname = \"Blue\"\n",
        "[[party]]\nid = \"BLUE\"\nname = \"Blue\"\n\n[[party]]\nid = \"RED\"\n",
    );
    let text = format!(
        "{text}\n[tracking]\nconfirm_m = 3\nconfirm_n = 4\ndelete_after_misses = 4\naccel_noise_m2_s3 = 25.0\nfilter = \"ukf\"\n\n[tracking.party.RED]\nmotion = \"imm\"\nfilter = \"ekf\"\n"
    );
    let s = load_str(&text, "t.toml").unwrap_or_else(|e| panic!("{e}"));
    let blue = tracker_config(&s.tracking, "BLUE");
    let red = tracker_config(&s.tracking, "RED");
    assert_eq!((blue.estimator, blue.imm.is_some()), (Estimator::Ukf, false));
    assert_eq!((red.estimator, red.imm.is_some()), (Estimator::Ekf, true));
}

#[test]
fn bad_choices_are_located_and_list_the_valid_values() {
    let text = with_tracking("motion = \"kalman\"\n");
    let e = load_str(&text, "t.toml").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Schema);
    assert_eq!(e.field(), "tracking.motion");
    assert_eq!(e.line(), Some(line_of(&text, "motion = \"kalman\"")));
    assert_eq!(e.message(), "unknown value `kalman`");
    assert_eq!(e.hint(), "expected one of `ballistic`, `imm`, `imm_reentry`");
    assert!(e.to_string().starts_with("t.toml:"), "{e}");

    let text = with_tracking("filter = \"pf\"\n");
    let e = load_str(&text, "t.toml").unwrap_err();
    assert_eq!((e.field(), e.hint()), ("tracking.filter".to_string(), "expected `ekf` or `ukf`"));

    let text = with_tracking("\n[tracking.party.BLUE]\nassociator = \"mht\"\n");
    let e = load_str(&text, "t.toml").unwrap_err();
    assert_eq!(e.field(), "tracking.party.BLUE.associator");
    assert_eq!(e.line(), Some(line_of(&text, "associator = \"mht\"")));
    assert_eq!(e.hint(), "expected one of `gnn`, `jpda`, `jipda`");

    // JIPDA confirms by existence: the SPRT confirmation is refused, on [tracking] or per party.
    let text = with_tracking("associator = \"jipda\"\nconfirmation = \"sprt\"\n");
    let e = load_str(&text, "t.toml").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(e.field(), "tracking.confirmation");
    assert_eq!(e.line(), Some(line_of(&text, "confirmation = \"sprt\"")));
    assert_eq!(e.message(), "`confirmation = \"sprt\"` does not apply with `associator = \"jipda\"`");
    assert!(e.hint().contains("probability of existence"), "{}", e.hint());
    let text = with_tracking("confirmation = \"sprt\"\n\n[tracking.party.BLUE]\nassociator = \"jipda\"\n");
    let e = load_str(&text, "t.toml").unwrap_err();
    assert_eq!(e.field(), "tracking.party.BLUE.associator");
    assert_eq!(e.line(), Some(line_of(&text, "associator = \"jipda\"")));

    let text = with_tracking("\n[tracking.party.BLUE]\nestimator = \"ukf\"\n");
    let e = load_str(&text, "t.toml").unwrap_err();
    assert_eq!(e.field(), "tracking.party.BLUE.estimator");
    assert!(e.hint().contains("`filter`, `motion`, `associator`, `confirmation`"), "{}", e.hint());

    // An override for a party that does not exist.
    let text = with_tracking("\n[tracking.party.GREEN]\nmotion = \"imm\"\n");
    let e = load_str(&text, "t.toml").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Invalid);
    assert_eq!(e.field(), "tracking.party.GREEN");
    assert_eq!(e.message(), "unknown party `GREEN`");
    assert_eq!(e.hint(), "known parties: BLUE");
    assert_eq!(e.line(), Some(line_of(&text, "[tracking.party.GREEN]")));
}
