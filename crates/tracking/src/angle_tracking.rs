//! Angle-only (infrared line-of-sight) reports in the multi-target tracker: they update the tracks
//! they gate with, and reports of two sensors at one instant that no track explains start a track
//! at their triangulated point.
//!
//! Per instant (reports grouped by observation time, sensors in order):
//! - infrared reports arrive a latency after their observation, when radar looks have usually
//!   predicted every track past it. A track whose latest *update* is not later than the instant
//!   goes back to that update (it was only predicted since, so nothing is lost) and is predicted
//!   to the instant; a track updated after the instant is only moved back along the deterministic
//!   motion model to *explain* reports (no update: its newer data would be lost), so a late report
//!   of an object already held starts nothing;
//! - each (track, report) pair is gated on the 2-D NIS (χ², 2 degrees of freedom, [`GATE_CHI2`]) and
//!   assigned by global nearest neighbour (d² + ln|S|, optimal assignment);
//! - an assigned report is an EKF update ([`crate::angles::update`]; in each IMM mode, κ of a
//!   reentry mode not updated), after which the IMM mode probabilities are reweighted by each mode's
//!   likelihood of the 2-D innovation ([`crate::imm::ImmState::reweight`], as radar updates do), and
//!   a hit for M-of-N or the SPRT score (under JIPDA, an existence update with the same likelihood
//!   ratio as the score, [`crate::jipda::after_detection`]);
//!   the process noise adapts as on radar updates with the NIS measured against [`MANOEUVRE_NIS`];
//! - the reports left over are paired across sensors (closest lines of sight first, within
//!   [`PAIR_GATE_SIGMAS`]) and triangulated ([`crate::angles::triangulate`]) into a fix. A fix
//!   within reach of a fix of an earlier instant (at most [`FIX_WINDOW_S`] before, no faster than
//!   [`MAX_SPEED_M_S`] plus 3σ) starts a tentative track by two-point differencing: position of the
//!   newer fix, velocity (p₂ − p₁)/Δt with covariance (P₁ + P₂)/Δt² widened for an unmodelled
//!   acceleration of [`MAX_ACCEL_M_S2`], counting four hits; otherwise the fix waits. (A single fix
//!   leaves the velocity unknown, and the next reports come a revisit plus a latency later: a track
//!   started from it with a radar's velocity prior would outgrow the tracker's largest covariance
//!   before they arrive.) A lone line of sight starts nothing (it fixes no range).
//!
//! A report records no misses: whether a satellite should have seen a track depends on the plume,
//! which the tracker does not know.

use crate::angles::{self, Meas2, Ray};
use crate::assignment::{FORBIDDEN, assign_with_dummies};
use crate::track::TrackStatus;
use crate::tracker::{
    ScanOutcome, Tracker, TrackerConfig, confirms, keep_track, new_track_with, predict_track,
};
use crate::{State6, jipda, motion, sprt};
use nalgebra::{Matrix2, Vector3};
use serde::{Deserialize, Serialize};
use shieldnet_earth::Ecef;
use shieldnet_sensors::LosFrame;

/// Gate on the angle NIS: χ² with 2 degrees of freedom at 99.9 %.
pub const GATE_CHI2: f64 = 13.82;
/// Angle NIS above which the process noise is raised (χ², 2 degrees of freedom, 99 %).
pub const MANOEUVRE_NIS: f64 = 9.21;
/// Largest miss distance between two lines of sight that are triangulated, in σ·range units.
pub const PAIR_GATE_SIGMAS: f64 = 5.0;
/// How long a fix waits for a second one, s.
pub const FIX_WINDOW_S: f64 = 30.0;
/// Speed bound of the two-fix gate, m/s.
pub const MAX_SPEED_M_S: f64 = 8_000.0;
/// Acceleration bound widening a two-point velocity (thrust and gravity), m/s².
pub const MAX_ACCEL_M_S2: f64 = 60.0;

/// A triangulated fix waiting for a second instant.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fix {
    time_s: f64,
    p: Vector3<f64>,
    cov: nalgebra::Matrix3<f64>,
}

/// One line-of-sight report as the tracker takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AngleReport {
    /// Observation time, s.
    pub time_s: f64,
    /// Sensor index (reports of one sensor at one instant are never paired).
    pub sensor: u32,
    /// Sensor position, ECEF m (Earth-fixed; its line-of-sight frame is [`LosFrame::new`] of it).
    pub origin: [f64; 3],
    /// Tangent-plane angles (α, β) in the sensor's [`LosFrame`], rad.
    pub angles: [f64; 2],
    /// Angular noise per axis (1σ), rad.
    pub sigma_rad: f64,
}

impl AngleReport {
    fn frame(&self) -> LosFrame {
        LosFrame::new(&Ecef(Vector3::from(self.origin)))
    }

    fn ray(&self, frame: &LosFrame) -> Ray {
        Ray { origin: frame.origin, dir: frame.direction(&self.angles), sigma_rad: self.sigma_rad }
    }
}

/// 2-D innovation of a report against a state with covariance.
struct AngleInnovation {
    d2: f64,
    ln_det: f64,
}

impl AngleInnovation {
    /// ln N(ν; 0, S) = −(d² + ln|S| + 2 ln 2π)/2.
    fn log_likelihood(&self) -> f64 {
        -0.5 * (self.d2 + self.ln_det + 2.0 * (2.0 * std::f64::consts::PI).ln())
    }
}

fn innovation(frame: &LosFrame, x: &State6, p: &crate::Cov6, r: &AngleReport) -> Option<AngleInnovation> {
    let h = angles::jacobian(frame, x);
    let s = h * p * h.transpose() + Matrix2::identity() * r.sigma_rad.powi(2);
    let nu = Meas2::new(r.angles[0], r.angles[1]) - angles::predict(frame, x);
    let s_inv = s.try_inverse()?;
    let d2 = (nu.transpose() * s_inv * nu)[0];
    d2.is_finite().then(|| AngleInnovation { d2, ln_det: s.determinant().max(1e-300).ln() })
}

impl Tracker {
    /// Processes line-of-sight reports (any order; grouped by observation time, oldest first).
    pub fn process_angles(&mut self, reports: &[AngleReport]) -> ScanOutcome {
        let mut out = ScanOutcome::default();
        let mut order: Vec<usize> = (0..reports.len()).collect();
        order.sort_by(|&a, &b| {
            reports[a]
                .time_s
                .total_cmp(&reports[b].time_s)
                .then(reports[a].sensor.cmp(&reports[b].sensor))
                .then(a.cmp(&b))
        });
        let mut k = 0;
        while k < order.len() {
            let ts = reports[order[k]].time_s;
            let end = k + order[k..].iter().take_while(|&&i| reports[i].time_s == ts).count();
            let group: Vec<&AngleReport> = order[k..end].iter().map(|&i| &reports[i]).collect();
            self.instant(ts, &group, &order[k..end], &mut out);
            k = end;
        }
        out
    }

    fn instant(&mut self, ts: f64, group: &[&AngleReport], input_index: &[usize], out: &mut ScanOutcome) {
        let cfg = self.cfg.clone();
        let frames: Vec<LosFrame> = group.iter().map(|r| r.frame()).collect();
        for t in &mut self.tracks {
            if t.back_to_anchor(ts) {
                predict_track(t, ts, &cfg);
            }
        }
        let mut used = vec![false; group.len()];
        // One sensor at a time (sequential updates): a track takes at most one report per sensor.
        let mut sensors: Vec<u32> = group.iter().map(|r| r.sensor).collect();
        sensors.dedup();
        for sensor in sensors {
            let idx: Vec<usize> = (0..group.len()).filter(|&j| group[j].sensor == sensor).collect();
            let first = out.associations.len();
            self.update_from(ts, &idx, group, &frames, &cfg, &mut used, out);
            // Associations name the report by its index in the caller's slice.
            out.associations[first..].iter_mut().for_each(|(_, j)| *j = input_index[*j]);
        }
        self.tracks.retain(|t| {
            let keep = keep_track(t, &cfg);
            if !keep {
                out.deleted.push(t.id);
            }
            keep
        });
        // Leftover reports: triangulate pairs from different sensors, closest lines of sight first.
        let rays: Vec<Ray> = group.iter().zip(&frames).map(|(r, f)| r.ray(f)).collect();
        let mut cand: Vec<(f64, usize, usize)> = Vec::new();
        for a in (0..group.len()).filter(|&a| !used[a]) {
            for b in (a + 1..group.len()).filter(|&b| !used[b]) {
                if group[a].sensor == group[b].sensor {
                    continue;
                }
                let miss = angles::miss_distance(&rays[a], &rays[b]);
                let gate = PAIR_GATE_SIGMAS
                    * (rays[a].sigma_rad * rays[a].origin.norm())
                        .hypot(rays[b].sigma_rad * rays[b].origin.norm());
                if miss <= gate {
                    cand.push((miss, a, b));
                }
            }
        }
        cand.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let mut fixes = Vec::new();
        for (_, a, b) in cand {
            if used[a] || used[b] {
                continue;
            }
            let Some((p, pc)) = angles::triangulate(&[rays[a], rays[b]]) else { continue };
            used[a] = true;
            used[b] = true;
            fixes.push(Fix { time_s: ts, p, cov: pc });
        }
        self.start_from_fixes(ts, fixes, &cfg, out);
    }

    /// Pairs this instant's fixes with waiting ones (closest first) into tracks; keeps the rest.
    fn start_from_fixes(&mut self, ts: f64, fixes: Vec<Fix>, cfg: &TrackerConfig, out: &mut ScanOutcome) {
        self.fixes.retain(|f| f.time_s < ts && f.time_s + FIX_WINDOW_S >= ts);
        let mut cand: Vec<(f64, usize, usize)> = Vec::new();
        for (a, new) in fixes.iter().enumerate() {
            for (b, old) in self.fixes.iter().enumerate() {
                let dt = new.time_s - old.time_s;
                let d = (new.p - old.p).norm();
                let sd = (new.cov + old.cov).symmetric_eigenvalues().max().max(0.0).sqrt();
                if d <= MAX_SPEED_M_S * dt + 3.0 * sd {
                    cand.push((d / dt, a, b));
                }
            }
        }
        cand.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let (mut new_used, mut old_used) = (vec![false; fixes.len()], vec![false; self.fixes.len()]);
        for (_, a, b) in cand {
            if new_used[a] || old_used[b] {
                continue;
            }
            (new_used[a], old_used[b]) = (true, true);
            let (f2, f1) = (&fixes[a], &self.fixes[b]);
            let dt = f2.time_s - f1.time_s;
            let v = (f2.p - f1.p) / dt;
            let mut cov = crate::Cov6::zeros();
            cov.fixed_view_mut::<3, 3>(0, 0).copy_from(&f2.cov);
            cov.fixed_view_mut::<3, 3>(0, 3).copy_from(&(f2.cov / dt));
            cov.fixed_view_mut::<3, 3>(3, 0).copy_from(&(f2.cov / dt));
            let vv = (f2.cov + f1.cov) / (dt * dt)
                + nalgebra::Matrix3::identity() * (MAX_ACCEL_M_S2 * dt / 2.0).powi(2);
            cov.fixed_view_mut::<3, 3>(3, 3).copy_from(&vv);
            let x = State6::new(f2.p.x, f2.p.y, f2.p.z, v.x, v.y, v.z);
            let t = new_track_with(self.next_id, ts, &x, &cov, 4, cfg);
            self.next_id += 1;
            out.started.push(t.id);
            self.tracks.push(t);
        }
        let mut k = 0;
        self.fixes.retain(|_| {
            k += 1;
            !old_used[k - 1]
        });
        self.fixes.extend(fixes.into_iter().zip(new_used).filter(|(_, u)| !u).map(|(f, _)| f));
    }

    /// Gates, assigns and applies the reports `idx` of one sensor at instant `ts`.
    #[allow(clippy::too_many_arguments)]
    fn update_from(
        &mut self,
        ts: f64,
        idx: &[usize],
        group: &[&AngleReport],
        frames: &[LosFrame],
        cfg: &TrackerConfig,
        used: &mut [bool],
        out: &mut ScanOutcome,
    ) {
        // Gate every (track, report) pair; a track newer than the instant is moved back (mean only).
        let cost: Vec<Vec<f64>> = self
            .tracks
            .iter()
            .map(|t| {
                let x = if t.time_s > ts { motion::propagate(&t.state, ts - t.time_s) } else { t.state };
                idx.iter()
                    .map(|&j| match innovation(&frames[j], &x, &t.cov, group[j]) {
                        Some(i) if i.d2 <= GATE_CHI2 => i.d2 + i.ln_det,
                        _ => FORBIDDEN,
                    })
                    .collect()
            })
            .collect();
        // Unassigned: the gate plus the largest ln|S| of the row's in-gate pairs (as for radar looks).
        let dummy: Vec<f64> = cost
            .iter()
            .map(|row| {
                let m = row.iter().filter(|c| **c < FORBIDDEN).fold(f64::NEG_INFINITY, |a, &c| a.max(c));
                if m.is_finite() { GATE_CHI2 + m } else { FORBIDDEN }
            })
            .collect();
        let assignment = assign_with_dummies(&cost, &dummy);
        for (i, t) in self.tracks.iter_mut().enumerate() {
            let Some(c) = assignment[i] else { continue };
            let j = idx[c];
            used[j] = true;
            if t.time_s > ts {
                continue; // explained by a newer track; not an update
            }
            let (r, f) = (group[j], &frames[j]);
            let z = Meas2::new(r.angles[0], r.angles[1]);
            let nis = match (&mut t.imm, cfg.imm) {
                (Some(imm), Some(_)) => {
                    // Mode probabilities from each mode's likelihood of the 2-D innovation (before
                    // the mode-matched updates, as for radar looks).
                    let logs: Vec<f64> = (0..imm.modes())
                        .map(|m| {
                            innovation(f, &imm.x[m], &imm.p[m], r)
                                .map_or(f64::NEG_INFINITY, |i| i.log_likelihood())
                        })
                        .collect();
                    imm.reweight(&logs);
                    let mut nis = None;
                    for m in 0..imm.modes() {
                        if let Some((x, p, d2)) = angles::update(f, &imm.x[m], &imm.p[m], &z, r.sigma_rad) {
                            (imm.x[m], imm.p[m]) = (x, p);
                            nis.get_or_insert(d2);
                        }
                    }
                    (t.state, t.cov) = imm.combined();
                    nis
                }
                _ => angles::update(f, &t.state, &t.cov, &z, r.sigma_rad).map(|(x, p, d2)| {
                    (t.state, t.cov) = (x, p);
                    d2
                }),
            };
            let Some(nis) = nis else { continue };
            t.adapt_noise(nis * cfg.manoeuvre_nis / MANOEUVRE_NIS, cfg);
            t.updates += 1;
            t.set_anchor();
            t.record_look(true, cfg.confirm_n);
            // ln N(ν; 0, S) of the 2-D innovation: −(d² + ln|S| + 2 ln 2π)/2.
            let ln_likelihood = -0.5 * (cost[i][c] + 2.0 * (2.0 * std::f64::consts::PI).ln());
            t.score += sprt::hit_increment(cfg.assumed_pd, cfg.clutter_density, ln_likelihood);
            if let Some(e) = &mut t.existence {
                e.predict(ts, cfg.jipda.survival_per_s);
                let ratio = (ln_likelihood - cfg.clutter_density.ln()).exp();
                e.probability =
                    jipda::after_detection(e.probability, cfg.assumed_pd, cfg.jipda.gate_probability, ratio);
            }
            out.associations.push((t.id, j));
            if t.status == TrackStatus::Tentative && confirms(t, cfg) {
                t.status = TrackStatus::Confirmed;
                t.confirmed_s = Some(ts);
                out.confirmed.push(t.id);
            }
        }
    }
}
