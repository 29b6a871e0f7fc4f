//! The per-look working vectors of [`crate::tracker::Tracker`], kept between looks so that a look
//! reuses their allocations (a look of a few tracks and detections would otherwise spend more on
//! allocating and freeing them than on the gating they serve). They carry nothing from one look to
//! the next (every look clears and refills them) except the frames of the sites seen so far, a cache
//! keyed on the sites' exact coordinates.

use crate::filter::{Innovation, Projection};
use crate::measurement::{Meas3, SiteFrame};
use nalgebra::Matrix3;
use shieldnet_earth::Geodetic;

/// Most site frames kept (a party's own radars and its partners' usually number fewer).
const SITE_FRAMES: usize = 16;

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
    /// ln|S| of every in-gate pair, row after row.
    pub ln_det: Vec<f64>,
    /// Per track: where its row starts in `ln_det` (and, last, the end of the last row).
    pub row_start: Vec<usize>,
    /// Working vectors of the GNN assignment.
    pub gnn: crate::gnn::GnnWork,
    /// Per detection: whether a track took it.
    pub used: Vec<bool>,
    /// Candidate detections of one track (pre-gate).
    pub near: Vec<usize>,
    /// Per track: whether its prediction is deferred past this look ([`crate::deferred`]).
    pub deferred: Vec<bool>,
    /// Sites of recent looks with their frames (at most [`SITE_FRAMES`]).
    site_frames: Vec<(Geodetic, SiteFrame)>,
}

impl LookBuffers {
    /// The frame of `site`: [`SiteFrame::new`], computed only for a site that differs (in any bit)
    /// from those of the cached frames, so the values are those of a fresh frame.
    pub fn site_frame(&mut self, site: &Geodetic) -> SiteFrame {
        let bits = |g: &Geodetic| [g.lat_rad.to_bits(), g.lon_rad.to_bits(), g.alt_m.to_bits()];
        if let Some((_, f)) = self.site_frames.iter().find(|(s, _)| bits(s) == bits(site)) {
            return *f;
        }
        if self.site_frames.len() >= SITE_FRAMES {
            self.site_frames.clear();
        }
        let f = SiteFrame::new(site);
        self.site_frames.push((*site, f));
        f
    }

    /// `gated` with `n` empty rows (rows already allocated keep their capacity).
    pub fn clear_rows(&mut self, n: usize) {
        self.gated.truncate(n);
        self.gated.iter_mut().for_each(Vec::clear);
        self.gated.resize_with(n, Vec::new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cached frames are a fresh frame's bit for bit, for alternating sites, more sites than the
    /// cache holds and sites that differ only in the sign of a zero.
    #[test]
    fn site_frames_equal_fresh_frames() {
        let mut buf = LookBuffers::default();
        let mut sites: Vec<Geodetic> = (0..20)
            .map(|k| Geodetic::from_degrees(30.0 + k as f64, 40.0 - k as f64, 100.0 * k as f64))
            .collect();
        sites.push(Geodetic { lat_rad: 0.0, lon_rad: 0.0, alt_m: 0.0 });
        sites.push(Geodetic { lat_rad: -0.0, lon_rad: -0.0, alt_m: 0.0 });
        for round in 0..3 {
            for (k, site) in sites.iter().enumerate() {
                let s = &sites[(k * 7 + round) % sites.len()];
                for site in [site, s] {
                    let (a, b) = (buf.site_frame(site), SiteFrame::new(site));
                    let bits = |f: &SiteFrame| {
                        f.origin
                            .iter()
                            .chain(f.axes.iter().flatten())
                            .map(|v| v.to_bits())
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(bits(&a), bits(&b));
                }
            }
        }
    }
}
