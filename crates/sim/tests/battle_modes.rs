//! Engagement authority across cooperation modes on the default raid: no double engagement in M3,
//! sector authority in M4, the joint manager in M5, and the price of independence.

use shieldnet_earth::Ecef;
use shieldnet_engagement::Sector;
use shieldnet_sim::independence::{counts, price_of_independence};
use shieldnet_sim::report::RunRecord;
use shieldnet_sim::scenario::{self, Mode, Scenario};
use shieldnet_sim::{RunOptions, run};

fn epaa(mode: Mode) -> Scenario {
    let mut s = scenario::load_builtin("epaa-2015").unwrap();
    s.cooperation.mode = mode;
    s
}

#[test]
fn m3_never_double_engages_on_seeded_raids() {
    for seed in [1, 2] {
        let (r, _) = run(&epaa(Mode::M3), &RunOptions { seed: Some(seed), ..RunOptions::default() }).unwrap();
        assert_eq!(r.double_engagements, 0, "seed {seed}");
        // Both parties fired (the coordination is between two shooters, not one idle party).
        assert!(r.parties.iter().all(|p| p.interceptors_fired > 0), "seed {seed}");
    }
}

/// The threat's true position at `t` from the run's truth rows (nearest sample).
fn threat_at(rec: &RunRecord, id: &str, t: f64) -> Ecef {
    let row = rec
        .truth
        .iter()
        .filter(|r| r.object == id)
        .min_by(|a, b| (a.t_s - t).abs().total_cmp(&(b.t_s - t).abs()))
        .unwrap();
    assert!((row.t_s - t).abs() <= 1.0);
    shieldnet_earth::Geodetic::from_degrees(row.lat_deg, row.lon_deg, row.alt_m).to_ecef()
}

#[test]
fn m4_never_has_a_party_engage_outside_its_sector() {
    let scn = epaa(Mode::M4);
    let parties: Vec<String> = scn.parties.iter().map(|p| p.id.clone()).collect();
    let sectors: Vec<Sector> = scn
        .sectors
        .iter()
        .map(|s| Sector {
            id: s.id.clone(),
            owner: parties.iter().position(|p| *p == s.owner).unwrap() as u32,
            vertices: s.vertices.iter().map(|v| (v[0].to_radians(), v[1].to_radians())).collect(),
        })
        .collect();
    let (r, rec) = run(&scn, &RunOptions { seed: Some(3), record: true, ..RunOptions::default() }).unwrap();
    let rec = rec.unwrap();
    let mut checked = 0;
    for e in r.events.iter().filter(|e| e.kind == "intercept" && e.subject != "none") {
        let party = parties.iter().position(|p| Some(p) == e.party.as_ref()).unwrap() as u32;
        let p = threat_at(&rec, &e.subject, e.t_s);
        assert!(
            shieldnet_engagement::sectors::has_authority(&sectors, party, &p),
            "{} engaged {} at {:?} outside its sectors",
            parties[party as usize],
            e.subject,
            p.to_geodetic()
        );
        checked += 1;
    }
    assert!(checked > 0, "no engagement to check");
}

#[test]
fn m5_joint_manager_fires_every_partys_batteries_and_leaks_no_more_than_m3() {
    let seeds = [1, 2, 3];
    let prices = price_of_independence(&epaa(Mode::M3), &[Mode::M3], &seeds).unwrap();
    let (m5, m3) = (&prices[0], &prices[1]);
    assert_eq!(m5.figures.mode, Mode::M5);
    assert_eq!(m5.figures.double_engagements, 0.0);
    assert!(m5.figures.leakers <= m3.figures.leakers, "M5 {:?} vs M3 {:?}", m5.figures, m3.figures);
    assert_eq!(m3.extra_leakers, m3.figures.leakers - m5.figures.leakers);
    // The joint manager (hosted by NATO) also fires the Russian battery.
    let (r, _) = run(&epaa(Mode::M5), &RunOptions { seed: Some(1), ..RunOptions::default() }).unwrap();
    let rus = r.parties.iter().find(|p| p.id == "RUS").unwrap();
    assert!(rus.interceptors_fired > 0);
    let (_, fired, _, _) = counts(&r);
    assert_eq!(fired, r.parties.iter().map(|p| p.interceptors_fired).sum::<u32>());
}
