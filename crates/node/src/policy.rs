//! Policy rules the parties state in a scenario (`[[policy]]`), checked by `shieldnet audit verify`
//! over every decision in the signed record (issue: "policy checks over the record").
//!
//! The rules read the node's own decision entries ([`NodeEvent::EngagementPlanned`] carries the
//! predicted impact point and the planned intercept point), so a party that broke an agreed rule
//! cannot hide it without breaking its hash chain and the checkpoints its partners hold. A run
//! directory carries the rules as `policy.json` ([`PolicySet`]); degrees and kilometres there, radians
//! and metres inside.

use crate::events::NodeEvent;
use serde::{Deserialize, Serialize};
use shieldnet_audit::{DecodedEntry, EntryKind, PolicyCheck};
use shieldnet_earth::Geodetic;
use shieldnet_earth::constants::MEAN_RADIUS;
use shieldnet_engagement::sectors::Sector;

/// Name of the rules file in a run directory.
pub const POLICY_FILE_NAME: &str = "policy.json";

/// Version of the `policy.json` format.
pub const POLICY_FORMAT: u32 = 1;

/// A circular area on the ground (file units: degrees, kilometres).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaDeg {
    /// Name (e.g. the defended asset's id).
    pub id: String,
    /// Centre latitude, degrees.
    pub lat_deg: f64,
    /// Centre longitude, degrees.
    pub lon_deg: f64,
    /// Radius, km.
    pub radius_km: f64,
}

/// One rule over a party's engagement decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum PolicyRule {
    /// `party` engages only threats whose predicted impact lies inside one of `areas` (its defended
    /// area): "interceptors only against threats to the owner's own territory".
    ImpactInDefendedArea {
        /// The party bound by the rule.
        party: String,
        /// The defended area, as circles.
        areas: Vec<AreaDeg>,
    },
    /// `party` plans no intercept whose point lies over `region` (a polygon of `[lat, lon]` degrees,
    /// straight edges in latitude/longitude): e.g. "no intercepts over the partner's territory".
    NoInterceptOver {
        /// The party bound by the rule.
        party: String,
        /// The region's name, for findings.
        region: String,
        /// Polygon vertices `[latitude, longitude]`, degrees (at least three).
        polygon: Vec<[f64; 2]>,
    },
}

/// The rules of a run, as written to `policy.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySet {
    /// Format version ([`POLICY_FORMAT`]).
    pub format: u32,
    /// The rules.
    pub rules: Vec<PolicyRule>,
}

/// Why a rules file or rule is unusable.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PolicyError {
    /// Not valid JSON for the format.
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What serde said.
        message: String,
    },
    /// A value out of range.
    #[error("rule {index} ({rule}): field `{field}`: {message}")]
    Invalid {
        /// 0-based rule index.
        index: usize,
        /// The rule's name.
        rule: &'static str,
        /// The field.
        field: &'static str,
        /// What is wrong and what would be valid.
        message: String,
    },
    /// A format this build does not read.
    #[error("field `format`: {0} is not a known policy format (this build reads {POLICY_FORMAT})")]
    Format(u32),
}

impl PolicyRule {
    /// The rule's name as written in files.
    pub fn name(&self) -> &'static str {
        match self {
            PolicyRule::ImpactInDefendedArea { .. } => "impact_in_defended_area",
            PolicyRule::NoInterceptOver { .. } => "no_intercept_over",
        }
    }

    /// The party the rule binds.
    pub fn party(&self) -> &str {
        match self {
            PolicyRule::ImpactInDefendedArea { party, .. } | PolicyRule::NoInterceptOver { party, .. } => {
                party
            }
        }
    }

    /// Checks the rule's values (rule `index` in its file).
    pub fn validate(&self, index: usize) -> Result<(), PolicyError> {
        let bad =
            |field, message: String| Err(PolicyError::Invalid { index, rule: self.name(), field, message });
        let lat_ok = |x: f64| (-90.0..=90.0).contains(&x);
        let lon_ok = |x: f64| (-180.0..=180.0).contains(&x);
        match self {
            PolicyRule::ImpactInDefendedArea { areas, .. } => {
                if areas.is_empty() {
                    return bad("areas", "must list at least one area".into());
                }
                for a in areas {
                    if !lat_ok(a.lat_deg) || !lon_ok(a.lon_deg) {
                        return bad(
                            "areas",
                            format!(
                                "area {:?}: latitude in [-90, 90] and longitude in [-180, 180] degrees, got {}, {}",
                                a.id, a.lat_deg, a.lon_deg
                            ),
                        );
                    }
                    if !(a.radius_km > 0.0 && a.radius_km.is_finite()) {
                        return bad(
                            "areas",
                            format!(
                                "area {:?}: radius_km must be a positive number, got {}",
                                a.id, a.radius_km
                            ),
                        );
                    }
                }
            }
            PolicyRule::NoInterceptOver { polygon, .. } => {
                if polygon.len() < 3 {
                    return bad("polygon", format!("needs at least three vertices, got {}", polygon.len()));
                }
                if let Some(v) = polygon.iter().find(|v| !lat_ok(v[0]) || !lon_ok(v[1])) {
                    return bad(
                        "polygon",
                        format!(
                            "vertex [{}, {}]: latitude in [-90, 90], longitude in [-180, 180] degrees",
                            v[0], v[1]
                        ),
                    );
                }
            }
        }
        Ok(())
    }

    /// Why `event`, decided by `party`, breaks the rule, or `None`.
    pub fn check_event(&self, party: &str, event: &NodeEvent) -> Option<String> {
        if party != self.party() {
            return None;
        }
        let NodeEvent::EngagementPlanned {
            engagement,
            track,
            battery,
            predicted_impact,
            intercept_point,
            ..
        } = event
        else {
            return None;
        };
        match self {
            PolicyRule::ImpactInDefendedArea { areas, .. } => {
                let inside = areas.iter().any(|a| {
                    let c = Geodetic::from_degrees(a.lat_deg, a.lon_deg, 0.0);
                    c.central_angle_to(predicted_impact) * MEAN_RADIUS <= a.radius_km * 1e3
                });
                (!inside).then(|| {
                    format!(
                        "{party} planned engagement {engagement} (track {track}, battery {battery}) against a threat whose predicted impact at {} lies outside its defended area ({})",
                        degrees(predicted_impact),
                        areas.iter().map(|a| a.id.as_str()).collect::<Vec<_>>().join(", ")
                    )
                })
            }
            PolicyRule::NoInterceptOver { region, polygon, .. } => {
                let sector = Sector {
                    id: region.clone(),
                    owner: 0,
                    vertices: polygon.iter().map(|v| (v[0].to_radians(), v[1].to_radians())).collect(),
                };
                sector.contains(intercept_point).then(|| {
                    format!(
                        "{party} planned engagement {engagement} (track {track}, battery {battery}) with its intercept at {} over {region}",
                        degrees(intercept_point)
                    )
                })
            }
        }
    }
}

fn degrees(g: &Geodetic) -> String {
    format!("{:.2}° N, {:.2}° E", g.lat_rad.to_degrees(), g.lon_rad.to_degrees())
}

impl PolicyCheck for PolicyRule {
    fn check(&self, entry: &DecodedEntry) -> Option<String> {
        if entry.kind != Some(EntryKind::Decision) {
            return None;
        }
        // Decisions that are not engagement plans, or of an older format, are outside every rule.
        let event: NodeEvent = serde_json::from_value(entry.body.clone()).ok()?;
        self.check_event(&entry.party, &event)
    }
}

impl PolicySet {
    /// Rules with the current format.
    pub fn new(rules: Vec<PolicyRule>) -> Self {
        Self { format: POLICY_FORMAT, rules }
    }

    /// Reads and validates `policy.json` contents.
    pub fn from_json(bytes: &[u8]) -> Result<Self, PolicyError> {
        let set: PolicySet = serde_json::from_slice(bytes).map_err(|e| PolicyError::Json {
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
        if set.format != POLICY_FORMAT {
            return Err(PolicyError::Format(set.format));
        }
        for (i, r) in set.rules.iter().enumerate() {
            r.validate(i)?;
        }
        Ok(set)
    }

    /// The file's contents (pretty JSON).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The rules as checks for [`shieldnet_audit::verify_logs`].
    pub fn checks(&self) -> Vec<&dyn PolicyCheck> {
        self.rules.iter().map(|r| r as &dyn PolicyCheck).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn planned(impact: (f64, f64), intercept: (f64, f64)) -> NodeEvent {
        NodeEvent::EngagementPlanned {
            engagement: 3,
            track: 17,
            battery: "deveselu".into(),
            launch_time_s: 300.0,
            intercept_time_s: 520.0,
            predicted_impact: Geodetic::from_degrees(impact.0, impact.1, 0.0),
            intercept_point: Geodetic::from_degrees(intercept.0, intercept.1, 200e3),
        }
    }

    #[test]
    fn impact_rule_uses_great_circle_distance_to_the_areas() {
        // Bucharest, 300 km radius. 1° of latitude is 111.2 km on the mean sphere.
        let rule = PolicyRule::ImpactInDefendedArea {
            party: "NATO".into(),
            areas: vec![AreaDeg { id: "bucharest".into(), lat_deg: 44.43, lon_deg: 26.10, radius_km: 300.0 }],
        };
        let near = planned((44.43 + 2.6, 26.10), (44.0, 30.0)); // 289 km north
        let far = planned((44.43 + 2.8, 26.10), (44.0, 30.0)); // 311 km north
        assert_eq!(rule.check_event("NATO", &near), None);
        let why = rule.check_event("NATO", &far).expect("outside");
        assert!(
            why.contains("engagement 3") && why.contains("47.23° N") && why.contains("bucharest"),
            "{why}"
        );
        // Another party's decisions are not bound by NATO's rule.
        assert_eq!(rule.check_event("RUS", &far), None);
    }

    #[test]
    fn intercept_over_a_region_is_a_finding() {
        let rule = PolicyRule::NoInterceptOver {
            party: "NATO".into(),
            region: "box".into(),
            polygon: vec![[40.0, 30.0], [40.0, 40.0], [50.0, 40.0], [50.0, 30.0]],
        };
        assert!(rule.check_event("NATO", &planned((44.0, 26.0), (45.0, 35.0))).is_some());
        assert_eq!(rule.check_event("NATO", &planned((44.0, 26.0), (45.0, 29.9))), None);
        let other = NodeEvent::InterceptorLaunched { engagement: 3, battery: "deveselu".into() };
        assert_eq!(rule.check_event("NATO", &other), None);
    }

    #[test]
    fn bad_rule_files_name_the_rule_field_and_valid_values() {
        let e = PolicySet::from_json(br#"{"format": 1, "rules": [{"rule": "no_intercept_over", "party": "NATO", "region": "r", "polygon": [[1, 2], [3, 4]]}]}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "rule 0 (no_intercept_over): field `polygon`: needs at least three vertices, got 2"
        );
        let e = PolicySet::from_json(b"{\"format\": 1,\n \"rules\": [{\"rule\": \"fly_anywhere\"}]}")
            .unwrap_err();
        assert!(matches!(e, PolicyError::Json { line: 2, .. }), "{e}");
        assert!(e.to_string().contains("fly_anywhere"), "{e}");
        let e = PolicySet::from_json(br#"{"format": 9, "rules": []}"#).unwrap_err();
        assert_eq!(e, PolicyError::Format(9));
        let ok = PolicySet::new(vec![PolicyRule::ImpactInDefendedArea {
            party: "NATO".into(),
            areas: vec![AreaDeg { id: "a".into(), lat_deg: 1.0, lon_deg: 2.0, radius_km: 3.0 }],
        }]);
        assert_eq!(PolicySet::from_json(ok.to_json().as_bytes()).unwrap(), ok);
    }
}
