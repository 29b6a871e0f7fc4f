//! The per-look working vectors of [`crate::tracker::Tracker`], kept between looks so that a look
//! reuses their allocations (a look of a few tracks and detections would otherwise spend more on
//! allocating and freeing them than on the gating they serve). They carry nothing from one look to
//! the next: every look clears and refills them.

use crate::filter::{Innovation, Projection};
use crate::measurement::Meas3;
use nalgebra::Matrix3;

/// Working vectors of one look.
#[derive(Debug, Clone, Default)]
pub(crate) struct LookBuffers {
    /// The look's detections as measurements with their noise covariances.
    pub meas: Vec<(Meas3, Matrix3<f64>)>,
    /// Per track: its projection into the look's measurement space (`None` if not projected).
    pub projections: Vec<Option<Projection>>,
    /// Per track: its in-gate (detection, innovation) pairs; the rows keep their capacity.
    pub gated: Vec<Vec<(usize, Innovation)>>,
    /// Per track: the cost of leaving it unassigned.
    pub dummy: Vec<f64>,
    /// Per detection: whether a track took it.
    pub used: Vec<bool>,
    /// Candidate detections of one track (pre-gate).
    pub near: Vec<usize>,
}

impl LookBuffers {
    /// `gated` with `n` empty rows (rows already allocated keep their capacity).
    pub fn clear_rows(&mut self, n: usize) {
        self.gated.truncate(n);
        self.gated.iter_mut().for_each(Vec::clear);
        self.gated.resize_with(n, Vec::new);
    }
}
