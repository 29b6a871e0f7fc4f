//! A track: the filter state of one object plus what track management needs.

use crate::{Cov6, State6};
use serde::{Deserialize, Serialize};
use shieldnet_earth::{Ecef, Vec3};

/// Life-cycle status of a track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrackStatus {
    /// Started from a detection; not yet confirmed by M-of-N.
    Tentative,
    /// Confirmed: reported to the party's picture.
    Confirmed,
}

/// One track in a party's tracker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Track {
    /// Identifier, unique within the party's tracker.
    pub id: u32,
    /// Time of validity of `state`, s.
    pub time_s: f64,
    /// ECEF position and velocity.
    pub state: State6,
    /// Covariance of `state`.
    pub cov: Cov6,
    /// Life-cycle status.
    pub status: TrackStatus,
    /// Time of the detection that started the track, s.
    pub started_s: f64,
    /// Time of confirmation, s.
    pub confirmed_s: Option<f64>,
    /// Detections associated so far.
    pub updates: u32,
    /// Looks in a row that should have seen the track and did not.
    pub consecutive_misses: u32,
    /// Hit (1) or miss (0) of the most recent looks, newest in bit 0.
    pub(crate) history: u32,
    /// Number of looks recorded in `history` (saturates at the M-of-N window).
    pub(crate) looks: u32,
    /// Factor on the process noise, raised when innovations show a manoeuvre the ballistic model does
    /// not describe (thrust) and decaying back to 1 (continuous noise-level adjustment, Bar-Shalom, Li
    /// and Kirubarajan, "Estimation with Applications to Tracking and Navigation", §11.2).
    #[serde(default = "unit_scale")]
    pub noise_scale: f64,
    /// Mode probabilities and mode-conditioned estimates when the tracker runs the IMM (`state` and
    /// `cov` then hold the moment-matched combination).
    #[serde(default)]
    pub imm: Option<Box<crate::imm::ImmState>>,
    /// Track score: log-likelihood ratio of target versus false alarm (see [`crate::sprt`]).
    #[serde(default)]
    pub score: f64,
    /// Probability of existence when the tracker runs JIPDA (see [`crate::jipda`]).
    #[serde(default)]
    pub existence: Option<crate::jipda::Existence>,
    /// The estimate right after the latest update, so a late report observed since can be applied
    /// by predicting from it again (see [`crate::angle_tracking`]).
    #[serde(skip)]
    pub(crate) anchor: Option<Anchor>,
}

/// A track's estimate at its latest update.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Anchor {
    pub(crate) time_s: f64,
    pub(crate) state: State6,
    pub(crate) cov: Cov6,
    pub(crate) noise_scale: f64,
    pub(crate) imm: Option<Box<crate::imm::ImmState>>,
}

fn unit_scale() -> f64 {
    1.0
}

impl Track {
    /// ECEF position.
    pub fn position(&self) -> Ecef {
        Ecef(Vec3::new(self.state[0], self.state[1], self.state[2]))
    }

    /// ECEF velocity.
    pub fn velocity(&self) -> Ecef {
        Ecef(Vec3::new(self.state[3], self.state[4], self.state[5]))
    }

    /// Root-mean-square position standard deviation, m.
    pub fn position_sigma_m(&self) -> f64 {
        ((self.cov[(0, 0)] + self.cov[(1, 1)] + self.cov[(2, 2)]) / 3.0).sqrt()
    }

    /// Probability that the object is boosting (IMM only).
    pub fn boost_probability(&self) -> Option<f64> {
        self.imm.as_ref().map(|m| m.boost_probability())
    }

    /// Probability of existence (JIPDA only).
    pub fn existence_probability(&self) -> Option<f64> {
        self.existence.map(|e| e.probability)
    }

    /// Whether the track is confirmed.
    pub fn is_confirmed(&self) -> bool {
        self.status == TrackStatus::Confirmed
    }

    /// Remembers the current estimate as the latest update.
    pub(crate) fn set_anchor(&mut self) {
        self.anchor = Some(Anchor {
            time_s: self.time_s,
            state: self.state,
            cov: self.cov,
            noise_scale: self.noise_scale,
            imm: self.imm.clone(),
        });
    }

    /// Goes back to the latest update if it is not later than `time_s` (the estimate since was only
    /// predicted); returns whether the track is now at or before `time_s`.
    pub(crate) fn back_to_anchor(&mut self, time_s: f64) -> bool {
        if self.time_s <= time_s {
            return true;
        }
        match &self.anchor {
            Some(a) if a.time_s <= time_s => {
                self.time_s = a.time_s;
                self.state = a.state;
                self.cov = a.cov;
                self.noise_scale = a.noise_scale;
                self.imm = a.imm.clone();
                true
            }
            _ => false,
        }
    }

    /// Records a look that did (`hit`) or did not see the track, keeping the last `window` looks.
    pub(crate) fn record_look(&mut self, hit: bool, window: u32) {
        let mask = if window >= 32 { u32::MAX } else { (1u32 << window) - 1 };
        self.history = ((self.history << 1) | hit as u32) & mask;
        self.looks = (self.looks + 1).min(window);
        if hit {
            self.consecutive_misses = 0;
        } else {
            self.consecutive_misses += 1;
        }
    }

    /// Adjusts the process-noise factor after an update with normalised innovation squared `nis`:
    /// ×4 when `nis` exceeds the manoeuvre threshold (up to the cap), ×0.8 back toward 1 otherwise.
    pub(crate) fn adapt_noise(&mut self, nis: f64, cfg: &crate::TrackerConfig) {
        self.noise_scale = if nis > cfg.manoeuvre_nis {
            (self.noise_scale * 4.0).min(cfg.max_noise_scale)
        } else {
            (self.noise_scale * 0.8).max(1.0)
        };
    }

    /// Hits among the recorded looks.
    pub fn hits_in_window(&self) -> u32 {
        self.history.count_ones()
    }

    /// Looks recorded in the window.
    pub fn looks_in_window(&self) -> u32 {
        self.looks
    }
}
