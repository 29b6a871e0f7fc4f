//! Joint probabilistic data association (Fortmann, Bar-Shalom & Scheffe 1983): association
//! probabilities by exact enumeration of the feasible joint events of each cluster of tracks that
//! share gated detections, as Stone Soup's `JPDA` does.
//!
//! A joint event assigns each track at most one detection and each detection at most one track. Its
//! weight is Π over assigned pairs of g(t, j) = Pd·N(ν; 0, S)/λ (λ the clutter density in measurement
//! space) times Π over unassigned tracks of (1 − Pd·Pg). The probability β(t, j) that detection j is
//! track t's is the normalised sum of the weights of the events containing (t, j); β(t, 0) is that of
//! the events leaving t unassigned.

/// Largest number of tracks in one cluster enumerated exactly; larger clusters keep each track's
/// pairs but are split greedily into chunks of this size (the events between chunks are ignored).
pub const MAX_CLUSTER_TRACKS: usize = 10;

/// Association probabilities for tracks with pair weights `g[t][j]` (`None` outside the gate) and
/// miss weights `miss[t]` = 1 − Pd·Pg. Returns per track `[β₀, β₁, …, β_m]` (β₀ = no detection).
pub fn probabilities(g: &[Vec<Option<f64>>], miss: &[f64]) -> Vec<Vec<f64>> {
    let nt = g.len();
    let nd = g.first().map_or(0, |r| r.len());
    let mut out: Vec<Vec<f64>> = vec![vec![0.0; nd + 1]; nt];
    // Clusters: connected components of the track–detection gate graph.
    let mut cluster = vec![usize::MAX; nt];
    let mut next = 0;
    for start in 0..nt {
        if cluster[start] != usize::MAX {
            continue;
        }
        let mut stack = vec![start];
        cluster[start] = next;
        while let Some(t) = stack.pop() {
            for (j, gtj) in g[t].iter().enumerate() {
                if gtj.is_none() {
                    continue;
                }
                for u in 0..nt {
                    if cluster[u] == usize::MAX && g[u][j].is_some() {
                        cluster[u] = next;
                        stack.push(u);
                    }
                }
            }
        }
        next += 1;
    }
    for c in 0..next {
        let members: Vec<usize> = (0..nt).filter(|&t| cluster[t] == c).collect();
        for chunk in members.chunks(MAX_CLUSTER_TRACKS) {
            enumerate(g, miss, chunk, &mut out);
        }
    }
    out
}

fn enumerate(g: &[Vec<Option<f64>>], miss: &[f64], tracks: &[usize], out: &mut [Vec<f64>]) {
    let nd = g[tracks[0]].len();
    let mut acc: Vec<Vec<f64>> = vec![vec![0.0; nd + 1]; tracks.len()];
    let mut total = 0.0;
    let mut used = vec![false; nd];
    let mut choice = vec![0usize; tracks.len()];
    #[allow(clippy::too_many_arguments)]
    fn rec(
        k: usize,
        w: f64,
        g: &[Vec<Option<f64>>],
        miss: &[f64],
        tracks: &[usize],
        used: &mut [bool],
        choice: &mut [usize],
        acc: &mut [Vec<f64>],
        total: &mut f64,
    ) {
        if k == tracks.len() {
            *total += w;
            for (i, &c) in choice.iter().enumerate() {
                acc[i][c] += w;
            }
            return;
        }
        let t = tracks[k];
        choice[k] = 0;
        rec(k + 1, w * miss[t], g, miss, tracks, used, choice, acc, total);
        for j in 0..used.len() {
            if let Some(gj) = g[t][j]
                && !used[j]
            {
                used[j] = true;
                choice[k] = j + 1;
                rec(k + 1, w * gj, g, miss, tracks, used, choice, acc, total);
                used[j] = false;
            }
        }
    }
    rec(0, 1.0, g, miss, tracks, &mut used, &mut choice, &mut acc, &mut total);
    for (i, &t) in tracks.iter().enumerate() {
        for (o, a) in out[t].iter_mut().zip(acc[i].iter()) {
            *o = if total > 0.0 { a / total } else { 0.0 };
        }
        if total <= 0.0 {
            out[t][0] = 1.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_crossing_tracks_match_hand_computed_probabilities() {
        // Both detections in both gates: g = [[2, 1], [1, 3]], miss weight 0.5 for each track.
        // Events and weights: none 0.25; 1a 1; 1b 0.5; 2a 0.5; 2b 1.5; (1a,2b) 6; (1b,2a) 1 → Σ 10.75.
        let g = vec![vec![Some(2.0), Some(1.0)], vec![Some(1.0), Some(3.0)]];
        let b = probabilities(&g, &[0.5, 0.5]);
        let expect = [[2.25 / 10.75, 7.0 / 10.75, 1.5 / 10.75], [1.75 / 10.75, 1.5 / 10.75, 7.5 / 10.75]];
        for t in 0..2 {
            for j in 0..3 {
                assert!(
                    (b[t][j] - expect[t][j]).abs() < 1e-12,
                    "β[{t}][{j}] = {} vs {}",
                    b[t][j],
                    expect[t][j]
                );
            }
            assert!((b[t].iter().sum::<f64>() - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn a_lone_track_reduces_to_pda_and_separate_clusters_are_independent() {
        // One track, one detection: β₁ = g/(g + miss).
        let b = probabilities(&[vec![Some(3.0)]], &[1.0]);
        assert!((b[0][1] - 0.75).abs() < 1e-12 && (b[0][0] - 0.25).abs() < 1e-12);
        // Track 0 gates only detection 0, track 1 only detection 1: two PDAs.
        let g = vec![vec![Some(3.0), None], vec![None, Some(1.0)]];
        let b = probabilities(&g, &[1.0, 1.0]);
        assert!((b[0][1] - 0.75).abs() < 1e-12 && b[0][2] == 0.0);
        assert!((b[1][2] - 0.5).abs() < 1e-12 && b[1][1] == 0.0);
        // A track with nothing in its gate is missed with certainty.
        let b = probabilities(&[vec![None, None]], &[0.3]);
        assert_eq!(b[0], vec![1.0, 0.0, 0.0]);
    }
}
