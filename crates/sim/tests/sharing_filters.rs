//! Loader checks of the sharing filters (`region`, `min_altitude_km`).

use shieldnet_sim::scenario::{builtin_source, load_str};

fn with_filter(
    extra: &str,
) -> Result<shieldnet_sim::scenario::Scenario, shieldnet_sim::scenario::ScenarioError> {
    let text = builtin_source("epaa-2015").unwrap();
    // Append the filter to the first [[sharing]] table (right after its `latency_s` line).
    let i = text.find("[[sharing]]").unwrap();
    let j = i + text[i..].find("latency_s").unwrap();
    let k = j + text[j..].find('\n').unwrap() + 1;
    load_str(&format!("{}{}\n{}", &text[..k], extra, &text[k..]), "filters.toml")
}

#[test]
fn valid_filters_load() {
    let s =
        with_filter("region = [[25.0, 30.0], [25.0, 65.0], [50.0, 65.0]]\nmin_altitude_km = 20.0").unwrap();
    assert_eq!(s.sharing[0].region.as_ref().unwrap().len(), 3);
    assert_eq!(s.sharing[0].min_altitude_km, Some(20.0));
}

#[test]
fn a_region_needs_three_vertices_inside_the_globe() {
    let e = with_filter("region = [[25.0, 30.0], [25.0, 65.0]]").unwrap_err();
    assert_eq!(e.field(), "sharing[0].region");
    assert!(e.hint().contains("at least 3"), "{e}");
    let e = with_filter("region = [[25.0, 30.0], [95.0, 65.0], [50.0, 65.0]]").unwrap_err();
    assert_eq!(e.field(), "sharing[0].region[1][0]");
    assert!(e.to_string().contains("[-90, 90]"), "{e}");
    let e = with_filter("min_altitude_km = -3.0").unwrap_err();
    assert_eq!(e.field(), "sharing[0].min_altitude_km");
}
