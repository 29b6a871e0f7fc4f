//! A party's multi-target tracker: GNN association, EKF updates, M-of-N confirmation, deletion.

use crate::assignment::FORBIDDEN;
#[cfg(test)]
use crate::assignment::assign_with_dummies;
use crate::deferred;
use crate::filter::{self, Estimator, Innovation};
use crate::gating::{self, GateIndex};
use crate::imm::{ImmConfig, ImmState};
use crate::jipda::{self, JipdaConfig};
use crate::look_buffers::LookBuffers;
use crate::measurement::{self, Meas3};
use crate::pregate::LookPoints;
use crate::sprt::{self, Sprt};
use crate::track::{Track, TrackStatus};
use crate::ukf::UkfParams;
use crate::{Cov6, State6};
use serde::{Deserialize, Serialize};
use shieldnet_sensors::{Radar, Scan};

/// Tracker settings (fields missing from a serialised config take their defaults).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrackerConfig {
    /// Hits (M) needed within the last N looks to confirm.
    pub confirm_m: u32,
    /// Window (N) of the M-of-N rule.
    pub confirm_n: u32,
    /// Consecutive missed looks that delete a confirmed track.
    pub delete_after_misses: u32,
    /// White acceleration spectral density of the process noise, m²/s³.
    pub accel_noise_m2_s3: f64,
    /// Gate on the squared Mahalanobis distance (χ² with 3 degrees of freedom; 16.27 = 99.9 %).
    pub gate_chi2: f64,
    /// Candidate search of the gate (the accepted pairs do not depend on it).
    pub gate_index: GateIndex,
    /// Standard deviation of each velocity component of a new track, m/s.
    pub init_velocity_sigma_m_s: f64,
    /// RMS position standard deviation beyond which a track is dropped, m.
    pub max_position_sigma_m: f64,
    /// Normalised innovation squared above which a track's process noise is raised (manoeuvre, e.g. a
    /// boosting missile that the ballistic model does not describe).
    pub manoeuvre_nis: f64,
    /// Largest factor by which process noise may be raised.
    pub max_noise_scale: f64,
    /// Gaussian filter of each track (or of each IMM mode).
    pub estimator: Estimator,
    /// Unscented-transform parameters when `estimator` is the UKF.
    pub ukf: UkfParams,
    /// Run the boost/ballistic IMM instead of a single model with adaptive process noise.
    pub imm: Option<ImmConfig>,
    /// Data associator.
    pub associator: Associator,
    /// Detection probability assumed by JPDA and the SPRT score.
    pub assumed_pd: f64,
    /// Clutter density assumed by JPDA and the SPRT score, false alarms per unit of measurement
    /// space (m·rad²).
    pub clutter_density: f64,
    /// Confirmation (and deletion of tentative tracks) by M-of-N or by the SPRT score.
    pub confirmation: Confirmation,
    /// SPRT error probabilities when `confirmation` is [`Confirmation::Sprt`].
    pub sprt: Sprt,
    /// Existence settings when `associator` is [`Associator::Jipda`].
    pub jipda: JipdaConfig,
}

/// Track confirmation logic.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Confirmation {
    /// M hits within the last N looks.
    #[default]
    MOfN,
    /// Sequential probability ratio test on the track score (see [`crate::sprt`]).
    Sprt,
}

/// Data association method.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Associator {
    /// Global nearest neighbour: optimal rectangular assignment on d² + ln|S|.
    #[default]
    Gnn,
    /// Joint probabilistic data association (exact enumeration per cluster); IMM tracks are updated
    /// with their most probable detection.
    Jpda,
    /// JPDA with a probability of existence per track that confirms and deletes tracks in place of
    /// `confirmation` ([`crate::jipda`]).
    Jipda,
}

impl Default for TrackerConfig {
    fn default() -> Self {
        Self {
            confirm_m: 3,
            confirm_n: 4,
            delete_after_misses: 4,
            accel_noise_m2_s3: 25.0,
            gate_chi2: 16.27,
            gate_index: GateIndex::Auto,
            init_velocity_sigma_m_s: 3_000.0,
            max_position_sigma_m: 50_000.0,
            manoeuvre_nis: 11.34,
            max_noise_scale: 400.0,
            estimator: Estimator::Ekf,
            ukf: UkfParams::default(),
            imm: None,
            associator: Associator::Gnn,
            assumed_pd: 0.9,
            clutter_density: 1e-7,
            confirmation: Confirmation::MOfN,
            sprt: Sprt::default(),
            jipda: JipdaConfig::default(),
        }
    }
}

/// What one look changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScanOutcome {
    /// Tracks started (tentative).
    pub started: Vec<u32>,
    /// Tracks confirmed by this look.
    pub confirmed: Vec<u32>,
    /// Tracks deleted at this look.
    pub deleted: Vec<u32>,
    /// (track id, detection index) pairs associated.
    pub associations: Vec<(u32, usize)>,
}

/// A multi-target tracker fed with one party's radar looks in time order.
#[derive(Debug, Clone)]
pub struct Tracker {
    pub(crate) cfg: TrackerConfig,
    pub(crate) tracks: Vec<Track>,
    pub(crate) next_id: u32,
    /// Triangulated infrared fixes waiting for a second instant (see [`crate::angle_tracking`]).
    pub(crate) fixes: Vec<crate::angle_tracking::Fix>,
    /// Working vectors of a look, reused from look to look.
    buffers: LookBuffers,
    /// Score increments of the settings (kept between looks).
    increments: sprt::Increments,
    /// Whether looks may defer the prediction of tentative tracks they cannot concern
    /// ([`crate::deferred`]; off only to compare with predicting every track at every look).
    pub(crate) deferral: bool,
}

impl Tracker {
    /// An empty tracker.
    pub fn new(cfg: TrackerConfig) -> Self {
        Self {
            cfg,
            tracks: Vec::new(),
            next_id: 1,
            fixes: Vec::new(),
            buffers: LookBuffers::default(),
            increments: sprt::Increments::default(),
            deferral: true,
        }
    }

    /// Live tracks (tentative and confirmed), in creation order.
    pub fn tracks(&self) -> &[Track] {
        &self.tracks
    }

    /// The settings.
    pub fn config(&self) -> &TrackerConfig {
        &self.cfg
    }

    /// The settings, to change between looks.
    pub fn config_mut(&mut self) -> &mut TrackerConfig {
        &mut self.cfg
    }

    /// Processes one look of `radar` (looks must come in non-decreasing time order).
    pub fn process_scan(&mut self, scan: &Scan, radar: &Radar) -> ScanOutcome {
        self.process_look(scan, Some(radar))
    }

    /// Processes one look: tracks the look's radar can see but that no detection updates count a
    /// miss; with no radar (a partner's look, whose coverage and filtering are not known) nothing
    /// counts a miss.
    pub(crate) fn process_look(&mut self, scan: &Scan, radar: Option<&Radar>) -> ScanOutcome {
        let mut buffers = std::mem::take(&mut self.buffers);
        let out = self.process_look_with(scan, radar, &mut buffers);
        self.buffers = buffers;
        out
    }

    /// [`Tracker::process_look`] with its working vectors.
    fn process_look_with(
        &mut self,
        scan: &Scan,
        radar: Option<&Radar>,
        buf: &mut LookBuffers,
    ) -> ScanOutcome {
        let mut out = ScanOutcome::default();
        let cfg = &self.cfg;
        self.increments.refresh(cfg.assumed_pd, cfg.clutter_density);
        let increments = self.increments;
        let mut meas = std::mem::take(&mut buf.meas);
        fill_look_measurements(scan, &mut meas);
        let frame = buf.site_frame(&scan.site);
        let points = (self.deferral && deferred::applies(cfg, self.tracks.len(), meas.len()))
            .then(|| LookPoints::new(&meas));
        let look = points.as_ref().map(|points| deferred::Look {
            time_s: scan.time_s,
            points,
            frame: &frame,
            scan,
            radar,
            gate_chi2: cfg.gate_chi2,
            accel_noise_m2_s3: cfg.accel_noise_m2_s3,
        });
        buf.deferred.clear();
        for t in &mut self.tracks {
            if let Some(e) = &mut t.existence {
                e.predict(scan.time_s, cfg.jipda.survival_per_s);
            }
            let defer = look.as_ref().is_some_and(|l| l.defers(t));
            if !defer {
                predict_track(t, scan.time_s, cfg);
            }
            buf.deferred.push(defer);
        }
        // Gating and GNN cost: d² + ln|S| for in-gate pairs; a track left unassigned costs the gate
        // plus the largest ln|S| of its in-gate pairs, so every in-gate pair is preferred to no pair.
        project_and_gate(&self.tracks, &meas, &frame, cfg, buf, points.as_ref());
        let LookBuffers { projections, gated, dummy, used, ln_det, row_start, gnn, deferred, .. } = buf;
        // ln|S| of every in-gate pair, once: the dummies and the GNN costs both use it.
        ln_det.clear();
        row_start.clear();
        for row in gated.iter() {
            row_start.push(ln_det.len());
            ln_det.extend(row.iter().map(|(_, inn)| inn.s.determinant().max(1e-300).ln()));
        }
        row_start.push(ln_det.len());
        dummy.clear();
        dummy.extend(
            row_start
                .windows(2)
                .map(|w| ln_det[w[0]..w[1]].iter().copied().fold(f64::NEG_INFINITY, f64::max))
                .map(|m| if m.is_finite() { cfg.gate_chi2 + m } else { FORBIDDEN }),
        );
        used.clear();
        used.resize(meas.len(), false);
        let jpda_best: Vec<Option<usize>>;
        let assignment: &[Option<usize>] = match cfg.associator {
            Associator::Gnn => gnn.assign(gated, ln_det, row_start, dummy, meas.len()),
            Associator::Jpda | Associator::Jipda => {
                let betas = match cfg.associator {
                    Associator::Jipda => jipda::associate(&mut self.tracks, gated, meas.len(), cfg),
                    _ => jpda_betas(gated, meas.len(), cfg),
                };
                // Tracks with gated detections take the PDA update (single-model) or their most
                // probable detection (IMM); every gated detection is the tracks' and starts nothing.
                let mut best = vec![None; self.tracks.len()];
                for (i, t) in self.tracks.iter_mut().enumerate() {
                    if gated[i].is_empty() {
                        continue;
                    }
                    gated[i].iter().for_each(|(j, _)| used[*j] = true);
                    let (jbest, _) = gated[i]
                        .iter()
                        .map(|(j, _)| (*j, betas[i][j + 1]))
                        .fold((usize::MAX, -1.0), |a, b| if b.1 > a.1 { b } else { a });
                    if betas[i][0] >= 0.5 {
                        continue;
                    }
                    best[i] = Some(jbest);
                    if t.imm.is_none() || cfg.imm.is_none() {
                        let weighted: Vec<(f64, &Innovation)> =
                            gated[i].iter().map(|(j, inn)| (betas[i][j + 1], inn)).collect();
                        if let Some(proj) = &projections[i] {
                            (t.state, t.cov) = proj.update_pda(&t.state, &t.cov, &weighted, betas[i][0]);
                        }
                    }
                }
                jpda_best = best;
                &jpda_best
            }
        };
        let window = cfg.confirm_n;
        for (i, t) in self.tracks.iter_mut().enumerate() {
            match assignment[i] {
                Some(j) => {
                    let (z, r) = &meas[j];
                    if let (Some(imm), Some(_)) = (&mut t.imm, &cfg.imm) {
                        let projs = imm.project(cfg.estimator, &scan.site, &cfg.ukf);
                        imm.update(&projs, z, r);
                        (t.state, t.cov) = imm.combined();
                    } else if cfg.associator != Associator::Gnn {
                        // Already updated by PDA above.
                    } else if let (Some((_, inn)), Some(proj)) =
                        (gated[i].iter().find(|(k, _)| *k == j), &projections[i])
                    {
                        (t.state, t.cov) = proj.update(&t.state, &t.cov, inn, r);
                        t.adapt_noise(inn.d2, cfg);
                    }
                    if let Some(rr) = scan.detections[j].range_rate
                        && cfg.associator == Associator::Gnn
                    {
                        let o = frame.origin;
                        match (&mut t.imm, &cfg.imm) {
                            (Some(imm), Some(_)) => {
                                for m in 0..imm.modes() {
                                    (imm.x[m], imm.p[m]) = measurement::update_range_rate(
                                        &imm.x[m],
                                        &imm.p[m],
                                        &o,
                                        rr.value_m_s,
                                        rr.sigma_m_s,
                                    );
                                }
                                (t.state, t.cov) = imm.combined();
                            }
                            _ => {
                                (t.state, t.cov) = measurement::update_range_rate(
                                    &t.state,
                                    &t.cov,
                                    &o,
                                    rr.value_m_s,
                                    rr.sigma_m_s,
                                );
                            }
                        }
                    }
                    used[j] = true;
                    t.updates += 1;
                    t.set_anchor();
                    t.record_look(true, window);
                    if let Some(k) = gated[i].iter().position(|(k, _)| *k == j) {
                        // ln|S| of the pair, as computed for the costs above.
                        t.score +=
                            increments.hit(gated[i][k].1.log_likelihood_with(ln_det[row_start[i] + k]));
                    }
                    out.associations.push((t.id, j));
                    if t.status == TrackStatus::Tentative && confirms(t, cfg) {
                        t.status = TrackStatus::Confirmed;
                        t.confirmed_s = Some(scan.time_s);
                        out.confirmed.push(t.id);
                    }
                }
                // A deferred track takes no part in the look (no in-gate detection, not seen).
                None if deferred[i] => {}
                None => {
                    let looked = match &scan.window {
                        None => true,
                        Some(w) => {
                            let la = shieldnet_earth::Enu(frame.enu(&t.state)).look_angles();
                            w.contains(&la)
                        }
                    };
                    if looked && radar.is_some_and(|r| r.can_see(&t.position())) {
                        t.record_look(false, window);
                        t.score += increments.miss();
                        if let Some(e) = t.existence.as_mut().filter(|_| gated[i].is_empty()) {
                            e.probability =
                                jipda::after_miss(e.probability, cfg.assumed_pd, cfg.jipda.gate_probability);
                        }
                    }
                }
            }
        }
        let cfg = &self.cfg;
        self.tracks.retain(|t| {
            let keep = keep_track(t, cfg);
            if !keep {
                out.deleted.push(t.id);
            }
            keep
        });
        for (j, d) in scan.detections.iter().enumerate() {
            if used[j] {
                continue;
            }
            let (p, pc) = measurement::to_ecef_with_covariance_in(&d.measured, &d.sigma, &frame);
            let t = new_track(self.next_id, scan.time_s, &p, &pc, 1, &self.cfg);
            self.next_id += 1;
            out.started.push(t.id);
            self.tracks.push(t);
        }
        buf.meas = meas;
        out
    }
}

/// A look's detections as measurements (range, azimuth, elevation) with their noise covariances.
pub(crate) fn look_measurements(scan: &Scan) -> Vec<(Meas3, nalgebra::Matrix3<f64>)> {
    let mut meas = Vec::with_capacity(scan.detections.len());
    fill_look_measurements(scan, &mut meas);
    meas
}

/// [`look_measurements`] into `out` (cleared first).
fn fill_look_measurements(scan: &Scan, out: &mut Vec<(Meas3, nalgebra::Matrix3<f64>)>) {
    out.clear();
    out.extend(scan.detections.iter().map(|d| {
        (Meas3::new(d.measured.range_m, d.measured.az_rad, d.measured.el_rad), measurement::noise(&d.sigma))
    }));
}

/// The in-gate detections of one look, into `buf`: per track, its projection into the look's
/// measurement space (`None` for a track that no detection can gate) in `buf.projections` and its
/// in-gate (detection, innovation) pairs in `buf.gated`.
///
/// With the EKF and the automatic gate on a look with few pairs (the all-pairs case), the Cartesian
/// pre-gate ([`crate::pregate`]) first picks each track's candidate detections: a track with none is
/// not projected, the others form innovations with their candidates only. The pairs and innovations
/// are those of [`gating::gate`] (tested). `points` are the look's pre-gate points when already made;
/// tracks marked in `buf.deferred` (pre-gate case only) are not projected.
pub(crate) fn project_and_gate(
    tracks: &[Track],
    meas: &[(Meas3, nalgebra::Matrix3<f64>)],
    frame: &measurement::SiteFrame,
    cfg: &TrackerConfig,
    buf: &mut LookBuffers,
    points: Option<&LookPoints>,
) {
    let pregate = cfg.estimator == Estimator::Ekf
        && cfg.gate_index == GateIndex::Auto
        && tracks.len() * meas.len() < gating::AUTO_MIN_PAIRS;
    buf.projections.clear();
    if !pregate {
        let projections: Vec<filter::Projection> = tracks
            .iter()
            .map(|t| filter::project_in(cfg.estimator, &t.state, &t.cov, frame, &cfg.ukf))
            .collect();
        buf.gated = gating::gate(cfg.gate_index, &projections, meas, cfg.gate_chi2);
        buf.projections.extend(projections.into_iter().map(Some));
        return;
    }
    buf.clear_rows(tracks.len());
    if meas.is_empty() {
        buf.projections.resize_with(tracks.len(), || None);
        return;
    }
    let made;
    let points = match points {
        Some(p) => p,
        None => {
            made = LookPoints::new(meas);
            &made
        }
    };
    let near = &mut buf.near;
    for (i, (t, row)) in tracks.iter().zip(buf.gated.iter_mut()).enumerate() {
        if buf.deferred.get(i) == Some(&true) {
            buf.projections.push(None);
            continue;
        }
        near.clear();
        points.near(frame, &t.state, &t.cov, cfg.gate_chi2, near);
        if near.is_empty() {
            buf.projections.push(None);
            continue;
        }
        let proj = filter::project_in(cfg.estimator, &t.state, &t.cov, frame, &cfg.ukf);
        gating::gate_candidates_into(&proj, meas, near, cfg.gate_chi2, row);
        buf.projections.push(Some(proj));
    }
}

/// Predicts a track to `time_s` if that is later than its time of validity.
pub(crate) fn predict_track(t: &mut Track, time_s: f64, cfg: &TrackerConfig) {
    let dt = time_s - t.time_s;
    if dt <= 0.0 {
        return;
    }
    let q = cfg.accel_noise_m2_s3;
    match (&mut t.imm, &cfg.imm) {
        (Some(imm), Some(icfg)) => {
            imm.predict(dt, q, icfg, cfg.estimator, &cfg.ukf);
            (t.state, t.cov) = imm.combined();
        }
        // The EKF's prediction written over the track ([`filter::predict`]'s values).
        _ if cfg.estimator == Estimator::Ekf => {
            crate::ekf::predict_in_place(&mut t.state, &mut t.cov, dt, q * t.noise_scale);
        }
        _ => {
            (t.state, t.cov) =
                filter::predict(cfg.estimator, &t.state, &t.cov, dt, q * t.noise_scale, &cfg.ukf);
        }
    }
    t.time_s = time_s;
}

/// Whether a tentative track is confirmed by its latest hit.
pub(crate) fn confirms(t: &Track, cfg: &TrackerConfig) -> bool {
    if let Some(e) = &t.existence {
        return e.probability >= cfg.jipda.confirm_existence;
    }
    match cfg.confirmation {
        Confirmation::MOfN => t.hits_in_window() >= cfg.confirm_m,
        Confirmation::Sprt => cfg.sprt.decide(t.score) == sprt::Decision::Confirm,
    }
}

/// A new tentative track at `time_s` with position `p`, position covariance `pc` and the configured
/// velocity uncertainty, counting `hits` detections.
pub(crate) fn new_track(
    id: u32,
    time_s: f64,
    p: &nalgebra::Vector3<f64>,
    pc: &nalgebra::Matrix3<f64>,
    hits: u32,
    cfg: &TrackerConfig,
) -> Track {
    let mut cov = Cov6::zeros();
    cov.fixed_view_mut::<3, 3>(0, 0).copy_from(pc);
    let sv = cfg.init_velocity_sigma_m_s.powi(2);
    for k in 3..6 {
        cov[(k, k)] = sv;
    }
    new_track_with(id, time_s, &State6::new(p.x, p.y, p.z, 0.0, 0.0, 0.0), &cov, hits, cfg)
}

/// A new tentative track at `time_s` with state `x` and covariance `cov`, counting `hits` detections.
pub(crate) fn new_track_with(
    id: u32,
    time_s: f64,
    x: &State6,
    cov: &Cov6,
    hits: u32,
    cfg: &TrackerConfig,
) -> Track {
    let mut t = Track {
        id,
        time_s,
        state: *x,
        cov: *cov,
        status: TrackStatus::Tentative,
        started_s: time_s,
        confirmed_s: None,
        updates: hits,
        consecutive_misses: 0,
        history: 0,
        looks: 0,
        noise_scale: 1.0,
        imm: None,
        score: 0.0,
        existence: (cfg.associator == Associator::Jipda)
            .then(|| jipda::Existence::new(cfg.jipda.initial_existence, time_s)),
        anchor: None,
    };
    if let Some(icfg) = &cfg.imm {
        t.imm = Some(Box::new(ImmState::new(&t.state, &t.cov, icfg)));
    }
    t.set_anchor();
    for _ in 0..hits {
        t.record_look(true, cfg.confirm_n);
    }
    t
}

pub(crate) fn keep_track(t: &Track, cfg: &TrackerConfig) -> bool {
    if t.position_sigma_m() > cfg.max_position_sigma_m || !t.state.iter().all(|v| v.is_finite()) {
        return false;
    }
    // More than ~5 km below the WGS-84 ellipsoid (cheap test on the scaled radius, no geodetic
    // conversion: the ellipsoid scaled by (1 − 5 km / a)).
    let (a, b) = (shieldnet_earth::constants::WGS84_A, shieldnet_earth::constants::WGS84_B);
    let s = t.state[0].powi(2) / (a * a) + t.state[1].powi(2) / (a * a) + t.state[2].powi(2) / (b * b);
    if s < (1.0 - 5_000.0 / a).powi(2) {
        return false;
    }
    if let Some(e) = &t.existence {
        return e.probability >= cfg.jipda.delete_existence;
    }
    match t.status {
        TrackStatus::Confirmed => t.consecutive_misses < cfg.delete_after_misses,
        TrackStatus::Tentative => match cfg.confirmation {
            Confirmation::MOfN => {
                t.looks_in_window() - t.hits_in_window() <= cfg.confirm_n.saturating_sub(cfg.confirm_m)
            }
            Confirmation::Sprt => cfg.sprt.decide(t.score) != sprt::Decision::Delete,
        },
    }
}

/// JPDA association probabilities of every track: `[β₀, β_1..β_m]` over all detections.
fn jpda_betas(gated: &[Vec<(usize, Innovation)>], nd: usize, cfg: &TrackerConfig) -> Vec<Vec<f64>> {
    let pg = 0.999;
    let g: Vec<Vec<Option<f64>>> = gated
        .iter()
        .map(|row| {
            let mut r = vec![None; nd];
            for (j, inn) in row {
                r[*j] = Some(cfg.assumed_pd * inn.log_likelihood().exp() / cfg.clutter_density);
            }
            r
        })
        .collect();
    let miss = vec![1.0 - cfg.assumed_pd * pg; gated.len()];
    crate::jpda::probabilities(&g, &miss)
}

/// [`crate::gnn::GnnWork::assign`] on its own, computing ln|S| of every pair.
#[cfg(test)]
fn assign_gated(gated: &[Vec<(usize, Innovation)>], dummy: &[f64], nd: usize) -> Vec<Option<usize>> {
    let mut ln_det = Vec::new();
    let mut row_start = Vec::new();
    for row in gated {
        row_start.push(ln_det.len());
        ln_det.extend(row.iter().map(|(_, inn)| inn.s.determinant().max(1e-300).ln()));
    }
    row_start.push(ln_det.len());
    crate::gnn::GnnWork::default().assign(gated, &ln_det, &row_start, dummy, nd).to_vec()
}

/// Whether [`crate::assignment::assign_with_dummies`] gives a one-by-one problem's only column to its row: when the
/// pair is allowed (below [`FORBIDDEN`]) and costs no more than the row's dummy (ties go to the lower
/// column, the detection), with the solver's clamping of both costs to [`FORBIDDEN`] (a dummy of −∞
/// makes the solver give up: no assignment).
pub(crate) fn single_pair(cost: f64, dummy: f64) -> bool {
    let c = if cost.is_finite() { cost.min(FORBIDDEN) } else { FORBIDDEN };
    let d = dummy.min(FORBIDDEN);
    d.is_finite() && c <= d && cost < FORBIDDEN
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::Matrix3;

    #[test]
    fn single_pair_equals_the_solver() {
        let values = [
            -1e300,
            -5.0,
            -0.0,
            0.0,
            1.0,
            16.27,
            16.27 + 1e-12,
            1e14,
            FORBIDDEN,
            2e15,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for c in values {
            for d in values {
                let want = assign_with_dummies(&[vec![c]], &[d]) == vec![Some(0)];
                assert_eq!(single_pair(c, d), want, "cost {c}, dummy {d}");
            }
        }
    }

    fn inn(d2: f64, s: f64) -> Innovation {
        let s = Matrix3::identity() * s;
        Innovation { nu: Meas3::zeros(), s, s_inv: s.try_inverse().unwrap(), d2 }
    }

    #[test]
    fn component_wise_assignment_equals_the_dense_optimum() {
        // Deterministic pseudo-random sparse problems: the decomposition must give the same total.
        let mut next = crate::test_rng::uniform(12345);
        for _ in 0..200 {
            let (nt, nd) = (1 + (next() * 7.0) as usize, 1 + (next() * 7.0) as usize);
            let mut gated: Vec<Vec<(usize, Innovation)>> = Vec::new();
            for _ in 0..nt {
                let mut row = Vec::new();
                for j in 0..nd {
                    if next() < 0.35 {
                        let (d2, s) = (next() * 16.0, 1.0 + next());
                        row.push((j, inn(d2, s)));
                    }
                }
                gated.push(row);
            }
            let dummy: Vec<f64> = gated
                .iter()
                .map(|r| {
                    let m = r.iter().map(|(_, i)| i.s.determinant().ln()).fold(f64::NEG_INFINITY, f64::max);
                    if m.is_finite() { 16.27 + m } else { FORBIDDEN }
                })
                .collect();
            let mut dense = vec![vec![FORBIDDEN; nd]; nt];
            for (i, r) in gated.iter().enumerate() {
                for (j, x) in r {
                    dense[i][*j] = x.d2 + x.s.determinant().ln();
                }
            }
            let total = |a: &[Option<usize>]| -> f64 {
                a.iter().enumerate().map(|(i, c)| c.map_or(dummy[i].min(1e9), |j| dense[i][j])).sum()
            };
            let a = assign_gated(&gated, &dummy, nd);
            let b = assign_with_dummies(&dense, &dummy);
            assert!((total(&a) - total(&b)).abs() < 1e-9, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn a_windowed_look_counts_misses_only_for_tracks_inside_its_window() {
        use shieldnet_earth::{Geodetic, LookAngles};
        use shieldnet_sensors::{Cue, RadarSpec};
        let mut spec = RadarSpec::example();
        spec.pd = 1.0;
        let radar = Radar::new(0, 0, spec);
        let p = Geodetic::from_degrees(37.0, 45.0, 150e3).to_ecef();
        let mut tracker =
            Tracker::new(TrackerConfig { init_velocity_sigma_m_s: 10.0, ..TrackerConfig::default() });
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(1);
        for k in 1..=4 {
            tracker.process_scan(&radar.look(k as f64 * 2.0, &[(0, p)], &mut rng), &radar);
        }
        assert!(tracker.tracks()[0].is_confirmed());
        let la: LookAngles = p.look_angles_from(&radar.spec.site);
        let empty = |t: f64, window: Option<Cue>| Scan {
            time_s: t,
            radar: 0,
            site: radar.spec.site,
            detections: vec![],
            window,
        };
        // A window elsewhere: no miss; the whole volume or a window on the track: a miss.
        let away = Cue { az_rad: la.az_rad + 0.5, el_rad: la.el_rad, half_angle_rad: 0.01 };
        tracker.process_scan(&empty(8.5, Some(away)), &radar);
        assert_eq!(tracker.tracks()[0].consecutive_misses, 0);
        let on = Cue { az_rad: la.az_rad, el_rad: la.el_rad, half_angle_rad: 0.01 };
        tracker.process_scan(&empty(9.0, Some(on)), &radar);
        assert_eq!(tracker.tracks()[0].consecutive_misses, 1);
        tracker.process_scan(&empty(10.0, None), &radar);
        assert_eq!(tracker.tracks()[0].consecutive_misses, 2);
    }
}
