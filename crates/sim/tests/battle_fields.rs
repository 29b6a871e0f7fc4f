//! Loader checks of the battle-manager fields (`[[sector]]`, `[doctrine]`): located errors.

use shieldnet_sim::scenario::{Mode, Scenario, ScenarioError, builtin_source, load_str};

fn epaa_with(replace: &str, with: &str) -> Result<Scenario, ScenarioError> {
    let text = builtin_source("epaa-2015").unwrap();
    assert!(text.contains(replace), "{replace}");
    load_str(&text.replacen(replace, with, 1), "battle.toml")
}

/// 1-based line of the first occurrence of `needle` in the edited text.
fn line_of(replace: &str, with: &str, needle: &str) -> usize {
    let text = builtin_source("epaa-2015").unwrap().replacen(replace, with, 1);
    text[..text.find(needle).unwrap()].lines().count() + 1
}

#[test]
fn the_default_scenario_has_sectors_and_a_doctrine() {
    let s = epaa_with("", "").unwrap();
    assert_eq!(s.sectors.len(), 2);
    assert_eq!(s.sectors[1].owner, "RUS");
    assert_eq!(s.doctrine.as_ref().unwrap().reserve_fraction, 0.5);
}

#[test]
fn a_sector_needs_three_vertices_in_range_and_a_known_owner() {
    let rus = "vertices = [[41.0, 36.0], [41.0, 50.0], [50.0, 50.0], [50.0, 36.0]]";
    let e = epaa_with(rus, "vertices = [[41.0, 36.0], [41.0, 50.0]]").unwrap_err();
    assert_eq!(e.field(), "sector[1].vertices");
    assert!(e.hint().contains("at least 3"), "{e}");
    let bad = "vertices = [[41.0, 36.0], [41.0, 250.0], [50.0, 50.0]]";
    let e = epaa_with(rus, bad).unwrap_err();
    assert_eq!(e.field(), "sector[1].vertices[1][1]");
    assert!(e.to_string().contains("[-180, 180]"), "{e}");
    assert_eq!(e.line(), Some(line_of(rus, bad, bad)));
    let e = epaa_with("owner = \"RUS\"", "owner = \"CHN\"").unwrap_err();
    assert_eq!(e.field(), "sector[1].owner");
    assert!(e.hint().contains("NATO"), "{e}");
}

#[test]
fn doctrine_values_are_checked() {
    let e = epaa_with("reserve_fraction = 0.5", "reserve_fraction = 1.5").unwrap_err();
    assert_eq!(e.field(), "doctrine.reserve_fraction");
    assert!(e.hint().contains("[0, 1]"), "{e}");
    let e = epaa_with("salvo_size = 2", "salvo_size = 0").unwrap_err();
    assert_eq!(e.field(), "doctrine.salvo_size");
    let e = epaa_with("salvo_size = 2", "salvo = 2").unwrap_err();
    assert!(e.to_string().contains("salvo"), "{e}");
}

#[test]
fn m4_needs_a_sector() {
    let text = builtin_source("epaa-2015").unwrap();
    let cut = text.find("[[sector]]").unwrap();
    let no_sectors = text[..cut].replacen("mode = \"M3\"", "mode = \"M4\"", 1);
    let e = load_str(&no_sectors, "m4.toml").unwrap_err();
    assert_eq!(e.field(), "cooperation.mode");
    let with = epaa_with("mode = \"M3\"", "mode = \"M4\"").unwrap();
    assert_eq!(with.cooperation.mode, Mode::M4);
}
