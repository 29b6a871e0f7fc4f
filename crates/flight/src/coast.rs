//! Unpowered flight — coast and re-entry — integrated in the inertial frame (ECI) over the rotating
//! Earth: gravity (point mass or J2) plus, inside the atmosphere, drag on the velocity relative to the
//! air, which turns with the Earth (v_air = v − ω×r).

use crate::events::CoastEvent;
use crate::integrate::{Crossing, Dp5Options, Event, dopri5};
use crate::{EarthModel, FlightError, StateEci};
use shieldnet_earth::atmosphere;
use shieldnet_earth::{Eci, Vec3};

/// Altitude above which drag is neglected, m (density there is below 1e-12 of sea level).
pub const DRAG_CEILING_M: f64 = 600_000.0;

/// How to integrate a coast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoastOptions {
    /// Integrator settings.
    pub integrator: Dp5Options,
    /// Longest flight allowed before giving up, s.
    pub max_flight_s: f64,
}

impl CoastOptions {
    /// Tight tolerances for textbook comparisons (relative error ~1e-11).
    pub fn precise() -> Self {
        Self {
            integrator: Dp5Options { rtol: 1e-11, atol: 1e-6, ..Default::default() },
            max_flight_s: 4.0 * 3600.0,
        }
    }

    /// Tolerances for campaign use: impact position within ~2 m of a tight (rtol 1e-12) integration
    /// for re-entry vehicles with β ≥ 1,000 kg/m² (~30 m at β = 500), far inside a 1 km aim tolerance.
    pub fn fast() -> Self {
        Self {
            integrator: Dp5Options { rtol: 1e-7, atol: 1e-2, ..Default::default() },
            max_flight_s: 4.0 * 3600.0,
        }
    }

    /// Loose settings for a shooting loop's first, predicting pass, whose only use is to measure how
    /// far the perturbations (J2, drag) move the impact (errors of tens of metres, up to ~0.5 km for
    /// very light vehicles); the pass that is kept is always flown with `self`.
    pub fn predictor(&self) -> Self {
        Self {
            integrator: Dp5Options {
                rtol: self.integrator.rtol.max(1e-5),
                atol: self.integrator.atol.max(1.0),
                ..self.integrator
            },
            ..*self
        }
    }
}

impl Default for CoastOptions {
    fn default() -> Self {
        Self {
            integrator: Dp5Options { rtol: 1e-9, atol: 1e-4, ..Default::default() },
            max_flight_s: 4.0 * 3600.0,
        }
    }
}

/// Where and when a coast ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CoastEnd {
    /// Final state (at impact).
    pub end: StateEci,
    /// State at apogee (largest radius), if passed.
    pub apogee: Option<StateEci>,
    /// Highest altitude above the surface reached, m.
    pub max_altitude_m: f64,
    /// Right-hand-side evaluations used.
    pub evaluations: usize,
}

/// When drag acts on a coasting vehicle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DragPhase {
    /// Throughout the coast (burnout inside or near the atmosphere after a flown boost).
    Always,
    /// Only while descending (r·v < 0): the burnout-state mode, whose burnout at the surface is a
    /// textbook abstraction that must not plough through sea-level air at orbital speed.
    DescendingOnly,
}

/// Acceleration of an unpowered vehicle of ballistic coefficient β = m/(C_D·A) (None: no drag) at
/// inertial position `r` and velocity `v`.
#[inline]
pub fn acceleration(model: &EarthModel, beta_kg_m2: Option<f64>, r: &Vec3, v: &Vec3) -> Vec3 {
    acceleration_in(model, beta_kg_m2, DragPhase::Always, r, v)
}

/// [`acceleration`] with drag limited to a phase.
#[inline]
pub fn acceleration_in(
    model: &EarthModel,
    beta_kg_m2: Option<f64>,
    phase: DragPhase,
    r: &Vec3,
    v: &Vec3,
) -> Vec3 {
    let mut a = model.gravity(r);
    let Some(beta) = beta_kg_m2 else { return a };
    if !model.atmosphere || (phase == DragPhase::DescendingOnly && r.dot(v) >= 0.0) {
        return a;
    }
    // Cheap skip above the drag ceiling everywhere (no square root needed).
    let r2 = r.norm_squared();
    let top = model.max_surface_radius() + DRAG_CEILING_M;
    if r2 >= top * top {
        return a;
    }
    let alt = model.altitude(r);
    if alt < DRAG_CEILING_M {
        let w = model.rotation.omega_rad_s;
        let v_air = Vec3::new(v.x + w * r.y, v.y - w * r.x, v.z);
        let rho = atmosphere::density(alt);
        a -= v_air * (rho * v_air.norm() / (2.0 * beta));
    }
    a
}

/// Coasts from `start` until the vehicle descends through `impact_alt_m` above the surface, recording
/// each accepted step's end state in `samples` (if given; the start state is not pushed).
pub fn coast_to_impact(
    model: &EarthModel,
    beta_kg_m2: Option<f64>,
    phase: DragPhase,
    start: &StateEci,
    impact_alt_m: f64,
    opts: &CoastOptions,
    samples: Option<&mut Vec<StateEci>>,
) -> Result<CoastEnd, FlightError> {
    coast_with_events(model, beta_kg_m2, phase, start, impact_alt_m, opts, samples, &[]).map(|(end, _)| end)
}

/// Most extra events [`coast_with_events`] locates in one coast.
pub const MAX_EXTRA_EVENTS: usize = 6;

/// An extra event located during a coast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocatedEvent {
    /// Index of the event in the slice passed in.
    pub index: usize,
    /// State at the event (its time is the event time).
    pub state: StateEci,
}

/// [`coast_to_impact`], also locating `extra` events (altitude crossings, entering or leaving a
/// sensor's field of regard; at most [`MAX_EXTRA_EVENTS`]) before impact, in time order.
#[allow(clippy::too_many_arguments)]
pub fn coast_with_events(
    model: &EarthModel,
    beta_kg_m2: Option<f64>,
    phase: DragPhase,
    start: &StateEci,
    impact_alt_m: f64,
    opts: &CoastOptions,
    mut samples: Option<&mut Vec<StateEci>>,
    extra: &[CoastEvent],
) -> Result<(CoastEnd, Vec<LocatedEvent>), FlightError> {
    if extra.len() > MAX_EXTRA_EVENTS {
        return Err(FlightError::InvalidParameter {
            name: "number of coast events",
            value: extra.len() as f64,
            reason: "at most 6 extra events per coast",
        });
    }
    let rhs = |_t: f64, y: &[f64; 6]| {
        let r = Vec3::new(y[0], y[1], y[2]);
        let v = Vec3::new(y[3], y[4], y[5]);
        let a = acceleration_in(model, beta_kg_m2, phase, &r, &v);
        [y[3], y[4], y[5], a.x, a.y, a.z]
    };
    let g_impact = |_t: f64, y: &[f64; 6]| model.altitude(&Vec3::new(y[0], y[1], y[2])) - impact_alt_m;
    let g_apogee = |_t: f64, y: &[f64; 6]| y[0] * y[3] + y[1] * y[4] + y[2] * y[5];
    let g_extra: Vec<_> = extra
        .iter()
        .map(|e| move |t: f64, y: &[f64; 6]| e.value(model, t, &Vec3::new(y[0], y[1], y[2])))
        .collect();
    let mut events = vec![
        Event { g: &g_impact, crossing: Crossing::Falling, terminal: true },
        Event { g: &g_apogee, crossing: Crossing::Falling, terminal: false },
    ];
    for (g, e) in g_extra.iter().zip(extra) {
        events.push(Event { g, crossing: e.crossing(), terminal: false });
    }
    let (p, v) = (start.pos.0, start.vel.0);
    let y0 = [p.x, p.y, p.z, v.x, v.y, v.z];
    let mut max_alt = model.altitude(&p);
    let out = dopri5(rhs, start.t_s, y0, start.t_s + opts.max_flight_s, &opts.integrator, &events, |step| {
        let y = &step.y1;
        max_alt = max_alt.max(model.altitude(&Vec3::new(y[0], y[1], y[2])));
        if let Some(s) = samples.as_deref_mut() {
            s.push(to_state(step.t1(), y));
        }
    })?;
    if out.stop != crate::integrate::Stop::Event(0) {
        return Err(FlightError::NoImpact { max_time_s: opts.max_flight_s });
    }
    let end = to_state(out.t, &out.y);
    if let Some(s) = samples {
        // The last accepted step overshot the impact: replace it with the impact state.
        if let Some(last) = s.last_mut() {
            if last.t_s >= end.t_s {
                *last = end;
            } else {
                s.push(end);
            }
        }
    }
    let apogee = out.events.iter().find(|e| e.index == 1).map(|e| to_state(e.t, &e.y));
    if let Some(a) = apogee {
        max_alt = max_alt.max(model.altitude(&a.pos.0));
    }
    let located = out
        .events
        .iter()
        .filter(|e| e.index >= 2)
        .map(|e| LocatedEvent { index: e.index - 2, state: to_state(e.t, &e.y) })
        .collect();
    Ok((CoastEnd { end, apogee, max_altitude_m: max_alt, evaluations: out.evaluations }, located))
}

fn to_state(t: f64, y: &[f64; 6]) -> StateEci {
    StateEci { t_s: t, pos: Eci(Vec3::new(y[0], y[1], y[2])), vel: Eci(Vec3::new(y[3], y[4], y[5])) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shieldnet_earth::constants::MEAN_RADIUS;

    /// Point-mass gravity, no drag: specific energy and angular momentum are conserved along the flown
    /// arc (to 1e-9 relative) — checked at every sample.
    #[test]
    fn point_mass_coast_conserves_energy_and_angular_momentum() {
        let model = EarthModel::textbook();
        let r0 = Vec3::new(MEAN_RADIUS, 0.0, 0.0);
        let v0 = Vec3::new(3_000.0, 5_500.0, 1_000.0);
        let start = StateEci { t_s: 0.0, pos: Eci(r0), vel: Eci(v0) };
        let mut samples = Vec::new();
        let out = coast_to_impact(
            &model,
            None,
            DragPhase::Always,
            &start,
            0.0,
            &CoastOptions::precise(),
            Some(&mut samples),
        )
        .unwrap();
        let mu = model.mu();
        let energy = |r: &Vec3, v: &Vec3| v.norm_squared() / 2.0 - mu / r.norm();
        let e0 = energy(&r0, &v0);
        let h0 = r0.cross(&v0);
        assert!(samples.len() > 10);
        for s in &samples {
            assert!(((energy(&s.pos.0, &s.vel.0) - e0) / e0).abs() < 1e-9);
            assert!((s.pos.0.cross(&s.vel.0) - h0).norm() / h0.norm() < 1e-9);
        }
        assert!(out.apogee.is_some());
        assert!((out.end.pos.0.norm() - MEAN_RADIUS).abs() < 1e-3);
    }

    #[test]
    fn drag_slows_a_reentry_vehicle() {
        let model = EarthModel::full(shieldnet_earth::EarthRotation::non_rotating());
        let r = Vec3::new(model.min_surface_radius() + 50_000.0, 0.0, 0.0);
        let a = acceleration(&model, Some(5_000.0), &r, &Vec3::new(-1_000.0, 6_000.0, 0.0));
        let g = model.gravity(&r);
        assert!((a - g).dot(&Vec3::new(-1.0, 6.0, 0.0)) < 0.0);
    }
}
