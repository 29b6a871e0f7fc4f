//! The scenario's `[[policy]]` rules as the audit verifier's [`PolicySet`] (written with the audit
//! logs as `policy.json`; degrees and kilometres stay as written, they are file units there too).

use crate::scenario::schema::Scenario;
pub use shieldnet_node::policy::POLICY_FILE_NAME;
use shieldnet_node::policy::{AreaDeg, PolicyRule, PolicySet};

/// The rules of `scn` (assumed validated: known rule names, parties and assets).
pub fn policy_set(scn: &Scenario) -> PolicySet {
    let rules = scn
        .policies
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match r.rule.as_str() {
            "impact_in_defended_area" => {
                let areas = scn
                    .defended_assets
                    .iter()
                    .filter(|a| a.party == r.party)
                    .filter(|a| r.assets.as_ref().is_none_or(|ids| ids.contains(&a.id)))
                    .map(|a| AreaDeg {
                        id: a.id.clone(),
                        lat_deg: a.lat_deg,
                        lon_deg: a.lon_deg,
                        radius_km: a.radius_km,
                    })
                    .collect();
                Some(PolicyRule::ImpactInDefendedArea { party: r.party.clone(), areas })
            }
            "no_intercept_over" => Some(PolicyRule::NoInterceptOver {
                party: r.party.clone(),
                region: r.region.clone().unwrap_or_else(|| format!("policy[{i}] region")),
                polygon: r.vertices.clone(),
            }),
            _ => None,
        })
        .collect();
    PolicySet::new(rules)
}
