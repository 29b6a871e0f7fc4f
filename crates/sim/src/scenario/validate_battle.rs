//! Validation of the battle-manager fields: `[[sector]]` polygons, `[doctrine]` and `[[policy]]` rules.

use super::{Bound, Checker, FieldPath, PROBABILITY, Scenario};
use crate::scenario::Mode;

/// Largest salvo accepted.
const MAX_SALVO: u32 = 8;

/// The `[[policy]]` rule names.
const POLICY_RULES: [&str; 2] = ["impact_in_defended_area", "no_intercept_over"];

pub(super) fn check(c: &mut Checker, s: &Scenario) {
    check_policies(c, s);
    let root = FieldPath::root();
    let parties: Vec<&str> = s.parties.iter().map(|p| p.id.as_str()).collect();
    if s.cooperation.mode == Mode::M4 && s.sectors.is_empty() {
        c.push(
            root.key("cooperation").key("mode"),
            "mode M4 (sectoral) but no [[sector]] is defined",
            "expected at least one [[sector]] with an owner and vertices, or another mode",
        );
    }
    c.unique_ids("sector", s.sectors.iter().map(|x| x.id.as_str()));
    for (i, sec) in s.sectors.iter().enumerate() {
        let p = root.key("sector").index(i);
        c.known(p.key("owner"), &sec.owner, parties.iter().copied(), "party", "parties");
        if sec.vertices.len() < 3 {
            c.push(
                p.key("vertices"),
                format!("sector has {} vertices", sec.vertices.len()),
                "expected a polygon of at least 3 [latitude, longitude] vertices",
            );
        }
        for (k, v) in sec.vertices.iter().enumerate() {
            c.lat(p.key("vertices").index(k).index(0), v[0]);
            c.lon(p.key("vertices").index(k).index(1), v[1]);
        }
    }
    if let Some(d) = &s.doctrine {
        let p = root.key("doctrine");
        c.number(p.key("reserve_fraction"), d.reserve_fraction, PROBABILITY, "reserve fraction", "");
        if !(1..=MAX_SALVO).contains(&d.salvo_size) {
            c.push(
                p.key("salvo_size"),
                format!("salvo_size {} is out of range", d.salvo_size),
                format!("expected an integer in [1, {MAX_SALVO}]"),
            );
        }
        c.number(
            p.key("exact_max_targets"),
            f64::from(d.exact_max_targets),
            Bound::Closed(0.0, 200.0),
            "exact_max_targets",
            "threats",
        );
    }
}

fn check_policies(c: &mut Checker, s: &Scenario) {
    let root = FieldPath::root();
    let parties: Vec<&str> = s.parties.iter().map(|p| p.id.as_str()).collect();
    for (i, r) in s.policies.iter().enumerate() {
        let p = root.key("policy").index(i);
        c.known(p.key("party"), &r.party, parties.iter().copied(), "party", "parties");
        match r.rule.as_str() {
            "impact_in_defended_area" => {
                if !r.vertices.is_empty() || r.region.is_some() {
                    c.push(
                        p.key(if r.vertices.is_empty() { "region" } else { "vertices" }),
                        "`region` and `vertices` belong to the rule no_intercept_over",
                        "expected only `assets` (optional) with rule impact_in_defended_area",
                    );
                }
                let own: Vec<&str> =
                    s.defended_assets.iter().filter(|a| a.party == r.party).map(|a| a.id.as_str()).collect();
                match &r.assets {
                    Some(ids) => {
                        for (k, id) in ids.iter().enumerate() {
                            c.known(
                                p.key("assets").index(k),
                                id,
                                own.iter().copied(),
                                "asset of this party",
                                "assets",
                            );
                        }
                    }
                    None if own.is_empty() => c.push(
                        p.key("party"),
                        format!(
                            "party '{}' defends no [[defended_asset]], so it has no defended area",
                            r.party
                        ),
                        "expected a party with at least one [[defended_asset]], or `assets = [...]`",
                    ),
                    None => {}
                }
            }
            "no_intercept_over" => {
                if r.assets.is_some() {
                    c.push(
                        p.key("assets"),
                        "`assets` belongs to the rule impact_in_defended_area",
                        "expected `region` and `vertices` with rule no_intercept_over",
                    );
                }
                if r.vertices.len() < 3 {
                    c.push(
                        p.key("vertices"),
                        format!("region has {} vertices", r.vertices.len()),
                        "expected a polygon of at least 3 [latitude, longitude] vertices",
                    );
                }
                for (k, v) in r.vertices.iter().enumerate() {
                    c.lat(p.key("vertices").index(k).index(0), v[0]);
                    c.lon(p.key("vertices").index(k).index(1), v[1]);
                }
            }
            other => c.push(
                p.key("rule"),
                format!("unknown policy rule '{other}'"),
                format!("expected one of: {}", POLICY_RULES.join(", ")),
            ),
        }
    }
}
