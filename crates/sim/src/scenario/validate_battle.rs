//! Validation of the battle-manager fields: `[[sector]]` polygons and `[doctrine]`.

use super::{Bound, Checker, FieldPath, PROBABILITY, Scenario};
use crate::scenario::Mode;

/// Largest salvo accepted.
const MAX_SALVO: u32 = 8;

pub(super) fn check(c: &mut Checker, s: &Scenario) {
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
