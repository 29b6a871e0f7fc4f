//! Global-nearest-neighbour assignment of one look over its gate graph, with working vectors kept
//! from look to look (a look's few tracks and detections would otherwise cost more in allocations
//! than in the assignment).

use crate::assignment::{FORBIDDEN, assign_with_dummies};
use crate::filter::Innovation;

/// Working vectors of [`GnnWork::assign`]; they carry nothing from one call to the next.
#[derive(Debug, Clone, Default)]
pub(crate) struct GnnWork {
    /// Union-find parents over tracks (0..nt) and detections (nt..nt + nd).
    parent: Vec<usize>,
    /// Per root track: its component's index.
    slot: Vec<usize>,
    /// Components (tracks, detections); the first `used` are this call's, the rest keep capacity.
    components: Vec<(Vec<usize>, Vec<usize>)>,
    /// The chosen detection of each track.
    out: Vec<Option<usize>>,
}

fn find(p: &mut [usize], mut x: usize) -> usize {
    while p[x] != x {
        p[x] = p[p[x]];
        x = p[x];
    }
    x
}

impl GnnWork {
    /// GNN over the gate graph: each connected component of tracks and detections is an
    /// independent optimal assignment (exact, since pairs across components are forbidden), solved
    /// on its own small cost matrix. A pair costs d² + ln|S|; `ln_det[row_start[i] + k]` holds
    /// ln|S| of the k-th pair of track i's row (computed once by the caller, which also forms the
    /// `dummy` costs from them). Returns the chosen detection of each track.
    pub fn assign(
        &mut self,
        gated: &[Vec<(usize, Innovation)>],
        ln_det: &[f64],
        row_start: &[usize],
        dummy: &[f64],
        nd: usize,
    ) -> &[Option<usize>] {
        let nt = gated.len();
        let parent = &mut self.parent;
        parent.clear();
        parent.extend(0..nt + nd);
        for (i, row) in gated.iter().enumerate() {
            for (j, _) in row {
                let (a, b) = (find(parent, i), find(parent, nt + j));
                if a != b {
                    parent[a.max(b)] = a.min(b);
                }
            }
        }
        // Components in order of their first track (the root of a component is its lowest index,
        // a track's, since every component here holds one).
        self.slot.clear();
        self.slot.resize(nt, usize::MAX);
        let mut used = 0;
        for (i, row) in gated.iter().enumerate() {
            if !row.is_empty() {
                let root = find(parent, i);
                if self.slot[root] == usize::MAX {
                    self.slot[root] = used;
                    if used == self.components.len() {
                        self.components.push(Default::default());
                    }
                    let (t, d) = &mut self.components[used];
                    t.clear();
                    d.clear();
                    used += 1;
                }
                self.components[self.slot[root]].0.push(i);
            }
        }
        for j in 0..nd {
            let root = find(parent, nt + j);
            if root < nt && self.slot[root] != usize::MAX {
                self.components[self.slot[root]].1.push(j);
            }
        }
        self.out.clear();
        self.out.resize(nt, None);
        let cost_of = |i: usize, k: usize, inn: &Innovation| inn.d2 + ln_det[row_start[i] + k];
        for (tracks, dets) in &self.components[..used] {
            if let ([i], [j]) = (tracks.as_slice(), dets.as_slice())
                && let [(_, inn)] = gated[*i].as_slice()
            {
                // One track, one detection: the solver's choice written out (see `single_pair`).
                self.out[*i] = crate::tracker::single_pair(cost_of(*i, 0, inn), dummy[*i]).then_some(*j);
                continue;
            }
            let cost: Vec<Vec<f64>> = tracks
                .iter()
                .map(|&i| {
                    let mut row = vec![FORBIDDEN; dets.len()];
                    for (k, (j, inn)) in gated[i].iter().enumerate() {
                        let c = dets.binary_search(j).expect("detection in its component");
                        row[c] = cost_of(i, k, inn);
                    }
                    row
                })
                .collect();
            let d: Vec<f64> = tracks.iter().map(|&i| dummy[i]).collect();
            for (k, a) in assign_with_dummies(&cost, &d).into_iter().enumerate() {
                self.out[tracks[k]] = a.map(|c| dets[c]);
            }
        }
        &self.out
    }
}
