//! A small dense revised simplex for the restricted master problem of the target-column
//! formulation:
//!
//! `min Σ cost_k y_k  s.t.  Σ_{k of target j} y_k = 1  (∀j),  Σ_k n_ik y_k + s_i = c_i  (∀i),  y, s ≥ 0`.
//!
//! The "no round" column of each target and the slacks form an identity starting basis, so no
//! phase 1 is needed. It is used only to find good prices `λ`; the bound the exact solver reports
//! is always recomputed from `λ` by exact pricing, so a loss of precision here can cost time but
//! never correctness.

/// One column: its target, rounds (type, multiplicity) and cost.
#[derive(Debug, Clone)]
pub(crate) struct LpColumn {
    pub target: usize,
    pub items: Vec<(usize, u32)>,
    pub cost: f64,
}

pub(crate) struct Master {
    t: usize,
    w: usize,
    m: usize,
    rhs: Vec<f64>,
    pub cols: Vec<LpColumn>,
    /// basis[r] = column (≥ cols.len() … means slack of weapon row r − t encoded as usize::MAX - i).
    basis: Vec<Var>,
    in_basis: Vec<bool>,
    slack_in_basis: Vec<bool>,
    binv: Vec<f64>,
    xb: Vec<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Var {
    Col(usize),
    Slack(usize),
}

impl Master {
    /// `cols` must start with the empty column of every target, in target order.
    pub fn new(t: usize, counts: &[u32], cols: Vec<LpColumn>) -> Self {
        let w = counts.len();
        let m = t + w;
        let mut rhs = vec![1.0; m];
        for i in 0..w {
            rhs[t + i] = counts[i] as f64;
        }
        // Tiny deterministic perturbation against degeneracy (only the prices are used).
        for (r, b) in rhs.iter_mut().enumerate() {
            *b += 1e-9 * (((r * 7919) % 97) as f64 + 1.0);
        }
        let mut basis = Vec::with_capacity(m);
        for (j, c) in cols.iter().enumerate().take(t) {
            debug_assert!(c.target == j && c.items.is_empty());
            basis.push(Var::Col(j));
        }
        for i in 0..w {
            basis.push(Var::Slack(i));
        }
        let mut binv = vec![0.0; m * m];
        for r in 0..m {
            binv[r * m + r] = 1.0;
        }
        let mut in_basis = vec![false; cols.len()];
        in_basis[..t].iter_mut().for_each(|b| *b = true);
        Master { t, w, m, xb: rhs.clone(), rhs, cols, basis, in_basis, slack_in_basis: vec![true; w], binv }
    }

    pub fn add_column(&mut self, c: LpColumn) {
        self.cols.push(c);
        self.in_basis.push(false);
    }

    fn var_cost(&self, v: Var) -> f64 {
        match v {
            Var::Col(k) => self.cols[k].cost,
            Var::Slack(_) => 0.0,
        }
    }

    /// Dual prices `π = c_B B⁻¹`.
    pub fn duals(&self) -> Vec<f64> {
        let m = self.m;
        let mut pi = vec![0.0; m];
        for r in 0..m {
            let c = self.var_cost(self.basis[r]);
            if c != 0.0 {
                let row = &self.binv[r * m..(r + 1) * m];
                for (p, &b) in pi.iter_mut().zip(row) {
                    *p += c * b;
                }
            }
        }
        pi
    }

    /// Basic structural columns with their values.
    pub fn primal(&self) -> Vec<(usize, f64)> {
        (0..self.m)
            .filter_map(|r| match self.basis[r] {
                Var::Col(k) => Some((k, self.xb[r])),
                Var::Slack(_) => None,
            })
            .collect()
    }

    fn reduced_cost(&self, k: usize, pi: &[f64]) -> f64 {
        let c = &self.cols[k];
        let mut rc = c.cost - pi[c.target];
        for &(i, n) in &c.items {
            rc -= n as f64 * pi[self.t + i];
        }
        rc
    }

    /// Runs primal simplex iterations until optimal or `max_iter`. Returns false if it stopped
    /// early.
    pub fn optimize(&mut self, max_iter: usize) -> bool {
        let m = self.m;
        let mut u = vec![0.0; m];
        for it in 0..max_iter {
            if it % 1000 == 999 {
                self.refactor();
            }
            let pi = self.duals();
            // Dantzig pricing.
            let mut enter: Option<Var> = None;
            let mut best = -1e-9;
            for k in 0..self.cols.len() {
                if !self.in_basis[k] {
                    let rc = self.reduced_cost(k, &pi);
                    if rc < best {
                        best = rc;
                        enter = Some(Var::Col(k));
                    }
                }
            }
            for i in 0..self.w {
                if !self.slack_in_basis[i] && -pi[self.t + i] < best {
                    best = -pi[self.t + i];
                    enter = Some(Var::Slack(i));
                }
            }
            let Some(enter) = enter else { return true };
            // u = B⁻¹ a.
            u.iter_mut().for_each(|x| *x = 0.0);
            let add = |row: usize, coef: f64, u: &mut [f64]| {
                for r in 0..m {
                    u[r] += coef * self.binv[r * m + row];
                }
            };
            match enter {
                Var::Col(k) => {
                    let c = &self.cols[k];
                    add(c.target, 1.0, &mut u);
                    for &(i, n) in &c.items {
                        add(self.t + i, n as f64, &mut u);
                    }
                }
                Var::Slack(i) => add(self.t + i, 1.0, &mut u),
            }
            // Ratio test (ties: largest pivot).
            let mut leave = usize::MAX;
            let mut ratio = f64::INFINITY;
            let mut piv = 0.0;
            for r in 0..m {
                if u[r] > 1e-9 {
                    let q = self.xb[r].max(0.0) / u[r];
                    if q < ratio - 1e-12 || (q <= ratio + 1e-12 && u[r] > piv) {
                        ratio = q;
                        leave = r;
                        piv = u[r];
                    }
                }
            }
            if leave == usize::MAX {
                return false; // unbounded: cannot happen (costs ≥ 0)
            }
            // Pivot.
            let pr = leave;
            let inv = 1.0 / u[pr];
            for c in 0..m {
                self.binv[pr * m + c] *= inv;
            }
            self.xb[pr] *= inv;
            let (xr, row_r): (f64, Vec<f64>) = (self.xb[pr], self.binv[pr * m..(pr + 1) * m].to_vec());
            for r in 0..m {
                if r != pr && u[r] != 0.0 {
                    let f = u[r];
                    let row = &mut self.binv[r * m..(r + 1) * m];
                    for (x, &y) in row.iter_mut().zip(&row_r) {
                        *x -= f * y;
                    }
                    self.xb[r] -= f * xr;
                }
            }
            match self.basis[pr] {
                Var::Col(k) => self.in_basis[k] = false,
                Var::Slack(i) => self.slack_in_basis[i] = false,
            }
            match enter {
                Var::Col(k) => self.in_basis[k] = true,
                Var::Slack(i) => self.slack_in_basis[i] = true,
            }
            self.basis[pr] = enter;
        }
        false
    }

    /// Recomputes `B⁻¹` and `x_B` by Gauss–Jordan elimination (restores precision).
    fn refactor(&mut self) {
        let m = self.m;
        let mut a = vec![0.0; m * m];
        for (col, &v) in self.basis.iter().enumerate() {
            match v {
                Var::Col(k) => {
                    let c = &self.cols[k];
                    a[c.target * m + col] = 1.0;
                    for &(i, n) in &c.items {
                        a[(self.t + i) * m + col] += n as f64;
                    }
                }
                Var::Slack(i) => a[(self.t + i) * m + col] = 1.0,
            }
        }
        let mut inv = vec![0.0; m * m];
        for r in 0..m {
            inv[r * m + r] = 1.0;
        }
        for c in 0..m {
            let mut p = c;
            for r in c + 1..m {
                if a[r * m + c].abs() > a[p * m + c].abs() {
                    p = r;
                }
            }
            if a[p * m + c].abs() < 1e-12 {
                return; // keep the updated inverse
            }
            if p != c {
                for k in 0..m {
                    a.swap(p * m + k, c * m + k);
                    inv.swap(p * m + k, c * m + k);
                }
            }
            let d = 1.0 / a[c * m + c];
            for k in 0..m {
                a[c * m + k] *= d;
                inv[c * m + k] *= d;
            }
            for r in 0..m {
                if r != c {
                    let f = a[r * m + c];
                    if f != 0.0 {
                        for k in 0..m {
                            a[r * m + k] -= f * a[c * m + k];
                            inv[r * m + k] -= f * inv[c * m + k];
                        }
                    }
                }
            }
        }
        // inv = B⁻¹ with rows indexed by basis position.
        self.binv = inv;
        for r in 0..m {
            self.xb[r] = (0..m).map(|k| self.binv[r * m + k] * self.rhs[k]).sum();
        }
    }
}
