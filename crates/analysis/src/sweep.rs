//! Running a study: fly its threats, build one [`ReachProfile`] per (site, trajectory) and read every
//! (burnout speed, delay) off it. Parallel over pairs (rayon), rows in a fixed order: site, then
//! trajectory, then burnout speed, then delay (as listed in the study).

use crate::error::AnalysisError;
use crate::reach::{Envelope, ReachProfile, window};
use crate::study::{Basing, Site, Study, ThreatSpec};
use rayon::prelude::*;
use serde::Serialize;
use shieldnet_earth::EarthRotation;
use shieldnet_flight::{Trajectory, fly_threat};

/// Spacing of the intercept-time grid, s.
pub const DEFAULT_STEP_S: f64 = 10.0;

/// The Earth's orientation used for all studies (J2000.0; the Earth-fixed geometry of a study does
/// not depend on it).
pub fn rotation() -> EarthRotation {
    EarthRotation::at_julian_date(2_451_545.0)
}

/// Flies every threat of a study (in parallel, results in input order), launched at t = 0.
pub fn fly_all(threats: &[ThreatSpec], rotation: &EarthRotation) -> Result<Vec<Trajectory>, AnalysisError> {
    threats
        .par_iter()
        .map(|t| {
            fly_threat(&t.launch.geodetic(), &t.aim.geodetic(), 0.0, &t.boost, rotation).map_err(|source| {
                AnalysisError::Flight { launch: t.launch.name.clone(), aim: t.aim.name.clone(), source }
            })
        })
        .collect()
}

/// One row: one (site, trajectory, burnout speed, delay). Times are seconds after threat launch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Site name.
    pub site: String,
    /// Land or sea.
    pub basing: Basing,
    /// Launch field.
    pub launch: String,
    /// Aim point.
    pub aim: String,
    /// Threat class (icbm, irbm).
    pub threat_class: String,
    /// Interceptor burnout speed, km/s.
    pub burnout_speed_km_s: f64,
    /// Interceptor launch delay after threat burnout, s.
    pub delay_s: f64,
    /// Earliest interceptor launch (threat burnout + delay), s.
    pub commit_s: f64,
    /// Whether any intercept is kinematically feasible.
    pub feasible: bool,
    /// Earliest feasible intercept, s.
    pub earliest_intercept_s: Option<f64>,
    /// Latest feasible intercept, s.
    pub latest_intercept_s: Option<f64>,
    /// Threat altitude at the earliest intercept, km.
    pub intercept_altitude_km: Option<f64>,
    /// Ground range from the site to the earliest intercept, km.
    pub intercept_ground_range_km: Option<f64>,
    /// Interceptor launch time for the earliest intercept, s.
    pub interceptor_launch_s: Option<f64>,
    /// Interceptor flight time to the earliest intercept, s.
    pub fly_out_s: Option<f64>,
    /// Burnout speed the earliest intercept needs, km/s.
    pub required_speed_km_s: Option<f64>,
    /// Margin: length of the feasible intercept window (latest − earliest feasible intercept), s.
    pub margin_s: Option<f64>,
    /// Lowest burnout speed that reaches this trajectory with this delay, km/s (null: none up to
    /// the largest swept speed).
    pub speed_needed_km_s: Option<f64>,
}

/// Speeds of a site: its own, else the study's.
pub fn site_speeds<'a>(site: &'a Site, study: &'a Study) -> &'a [f64] {
    site.burnout_speeds_m_s.as_deref().unwrap_or(&study.burnout_speeds_m_s)
}

/// Rows of one (site, trajectory) pair for the given speeds (m/s) and delays (s).
#[allow(clippy::too_many_arguments)] // the sweep's axes, each a plain value
pub fn pair_rows(
    site: &Site,
    spec: &ThreatSpec,
    trajectory: &Trajectory,
    speeds_m_s: &[f64],
    delays_s: &[f64],
    envelope: &Envelope,
    rotation: &EarthRotation,
    step_s: f64,
) -> Vec<Row> {
    let cap = speeds_m_s.iter().copied().fold(0.0, f64::max);
    let profile = ReachProfile::new(trajectory, &site.point.geodetic(), envelope, rotation, step_s, cap);
    let t0 = trajectory.launch_time_s();
    let needs: Vec<_> = delays_s.iter().map(|d| profile.needs(trajectory.burnout_time_s() + d)).collect();
    let mut rows = Vec::with_capacity(speeds_m_s.len() * delays_s.len());
    for &v in speeds_m_s {
        for (k, &d) in delays_s.iter().enumerate() {
            let n = &needs[k];
            let w = window(n, v);
            let p = profile.points();
            let best = n.iter().map(|x| x.speed_m_s).fold(f64::INFINITY, f64::min);
            let e = w.map(|w| (&p[w.earliest], &n[w.earliest]));
            rows.push(Row {
                site: site.point.name.clone(),
                basing: site.basing,
                launch: spec.launch.name.clone(),
                aim: spec.aim.name.clone(),
                threat_class: spec.class.clone(),
                burnout_speed_km_s: v / 1e3,
                delay_s: d,
                commit_s: trajectory.burnout_time_s() + d - t0,
                feasible: w.is_some(),
                earliest_intercept_s: e.map(|(gp, _)| gp.t_s - t0),
                latest_intercept_s: w.map(|w| p[w.latest].t_s - t0),
                intercept_altitude_km: e.map(|(gp, _)| gp.altitude_m / 1e3),
                intercept_ground_range_km: e.map(|(gp, _)| gp.ground_range_m / 1e3),
                interceptor_launch_s: e.map(|(_, nd)| nd.launch_time_s - t0),
                fly_out_s: e.map(|(gp, nd)| gp.t_s - nd.launch_time_s),
                required_speed_km_s: e.map(|(_, nd)| nd.speed_m_s / 1e3),
                margin_s: w.map(|w| p[w.latest].t_s - p[w.earliest].t_s),
                speed_needed_km_s: (best <= cap).then_some(best / 1e3),
            });
        }
    }
    rows
}

/// Runs a study on already flown trajectories (one per `study.threats`, same order).
pub fn sweep(study: &Study, trajectories: &[Trajectory], rotation: &EarthRotation, step_s: f64) -> Vec<Row> {
    let pairs: Vec<(usize, usize)> =
        (0..study.sites.len()).flat_map(|s| (0..study.threats.len()).map(move |t| (s, t))).collect();
    let chunks: Vec<Vec<Row>> = pairs
        .par_iter()
        .map(|&(s, t)| {
            let site = &study.sites[s];
            pair_rows(
                site,
                &study.threats[t],
                &trajectories[t],
                site_speeds(site, study),
                &study.delays_s,
                &study.envelope,
                rotation,
                step_s,
            )
        })
        .collect();
    chunks.into_iter().flatten().collect()
}

/// Reachable fraction of one (site, burnout speed, delay).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Site.
    pub site: String,
    /// Burnout speed, km/s.
    pub burnout_speed_km_s: f64,
    /// Delay, s.
    pub delay_s: f64,
    /// Trajectories reachable.
    pub reachable: usize,
    /// Trajectories.
    pub total: usize,
}

impl Summary {
    /// reachable / total.
    pub fn fraction(&self) -> f64 {
        if self.total == 0 { 0.0 } else { self.reachable as f64 / self.total as f64 }
    }
}

/// Reachable fractions per (site, speed, delay), in order of first appearance in `rows`.
pub fn summarize(rows: &[Row]) -> Vec<Summary> {
    let mut out: Vec<Summary> = Vec::new();
    for r in rows {
        let found = out.iter_mut().find(|s| {
            s.site == r.site && s.burnout_speed_km_s == r.burnout_speed_km_s && s.delay_s == r.delay_s
        });
        let s = match found {
            Some(s) => s,
            None => {
                out.push(Summary {
                    site: r.site.clone(),
                    burnout_speed_km_s: r.burnout_speed_km_s,
                    delay_s: r.delay_s,
                    reachable: 0,
                    total: 0,
                });
                out.last_mut().expect("just pushed")
            }
        };
        s.total += 1;
        s.reachable += usize::from(r.feasible);
    }
    out
}
