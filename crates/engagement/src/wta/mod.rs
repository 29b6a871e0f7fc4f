//! Static weapon-target assignment (WTA): exact and heuristic solvers.
//!
//! The problem: targets `j` with values `V_j`, weapon types `i` with `count_i` rounds and single-shot
//! kill probabilities `p_ij`. Choose integers `x_ij ≥ 0` (rounds of type `i` fired at target `j`)
//! with `Σ_j x_ij ≤ count_i` to minimise the expected surviving value
//! `Σ_j V_j · Π_i (1 − p_ij)^{x_ij}`.
//!
//! **Every round may be left unused** (`≤`). Firing a round never increases the objective (its factor
//! `1 − p_ij ≤ 1`), so `≤` and the classical "every weapon is assigned" (`=`) have the same optimal
//! value; the solvers here always return assignments that use every round (the "=" form), so the
//! two readings agree on the returned assignment as well.
//!
//! ```
//! use shieldnet_engagement::wta::{solve, SolveOptions, WeaponType, WtaInstance};
//! let instance = WtaInstance {
//!     target_values: vec![100.0, 50.0],
//!     weapons: vec![WeaponType { count: 2, pk: vec![0.8, 0.6] }],
//! };
//! let solution = solve(&instance, &SolveOptions::exact()).unwrap();
//! assert!(solution.optimal);
//! assert_eq!(solution.assignment, vec![vec![1, 1]]);
//! ```
//!
//! Determinism: every solver is a deterministic function of the instance and the options (fixed
//! seeds, iteration budgets, fixed tie-breaking). Only a run cut short by `time_limit` depends on
//! the machine's speed; such a run reports `time_limited = true`.

// Dense numeric kernels index several parallel arrays by the same (weapon, target) index.
#![allow(clippy::needless_range_loop)]

mod exact;
pub mod generator;
pub mod heuristics;
pub mod io;
mod lap;
mod lns;
mod lp;

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use exact::solve_exact;
pub use generator::{InstanceClass, generate};
pub use heuristics::{assignment_construction, local_search, lower_bound_identical, mmr, vlns};

/// Relative gap `(UB − LB)/UB` under which a solution is declared optimal.
pub const OPTIMALITY_GAP: f64 = 1e-6;

/// One weapon type: a number of identical rounds and their kill probability on each target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeaponType {
    /// Rounds available of this type.
    pub count: u32,
    /// Single-shot kill probability against each target, in `[0, 1]`, one per target.
    pub pk: Vec<f64>,
}

/// A static WTA instance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WtaInstance {
    /// Value of each target (non-negative, finite).
    pub target_values: Vec<f64>,
    /// Weapon types.
    pub weapons: Vec<WeaponType>,
}

/// Invalid WTA input; each variant names the field, the index and the valid range.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum WtaError {
    /// A target value is negative or not finite.
    #[error("target_values[{index}] = {value} is invalid: must be finite and >= 0")]
    TargetValue {
        /// Target index.
        index: usize,
        /// Offending value.
        value: f64,
    },
    /// A kill probability is outside `[0, 1]` or not finite.
    #[error("weapons[{weapon}].pk[{target}] = {value} is invalid: must be in [0, 1]")]
    Pk {
        /// Weapon type index.
        weapon: usize,
        /// Target index.
        target: usize,
        /// Offending value.
        value: f64,
    },
    /// A weapon type's pk list has the wrong length.
    #[error("weapons[{weapon}].pk has {len} entries, expected one per target ({targets})")]
    PkLength {
        /// Weapon type index.
        weapon: usize,
        /// Entries given.
        len: usize,
        /// Number of targets.
        targets: usize,
    },
    /// An assignment has the wrong shape or exceeds a weapon count.
    #[error("assignment invalid: {0}")]
    Assignment(String),
    /// More rounds than the solvers accept.
    #[error("total rounds {total} exceeds the supported maximum {max} (sum of weapons[].count)")]
    TooManyRounds {
        /// Sum of counts.
        total: u64,
        /// Maximum accepted.
        max: u64,
    },
    /// The instance JSON is malformed (syntax, missing or mistyped field, negative count).
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong, naming the field where serde knows it.
        message: String,
    },
    /// The instance file could not be read.
    #[error("cannot read {path}: {message}")]
    Io {
        /// File path.
        path: String,
        /// OS error.
        message: String,
    },
}

/// Largest total number of rounds accepted (keeps memory bounded on untrusted input).
pub const MAX_ROUNDS: u64 = 1_000_000;

/// Which heuristic to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Heuristic {
    /// Maximum marginal return greedy (den Broeder et al. 1959).
    Mmr,
    /// Repeated maximum-weight matching of rounds to targets.
    Assignment,
    /// MMR followed by 1-move / swap local search.
    LocalSearch,
    /// Construction (MMR, assignment when rounds ≤ targets) + 1-moves, then very large
    /// neighbourhood search: full-size exchanges solved as sparse linear assignments.
    Vlns,
}

impl Heuristic {
    /// All heuristics, cheapest first.
    pub const ALL: [Heuristic; 4] =
        [Heuristic::Mmr, Heuristic::Assignment, Heuristic::LocalSearch, Heuristic::Vlns];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Heuristic::Mmr => "mmr",
            Heuristic::Assignment => "assignment",
            Heuristic::LocalSearch => "local-search",
            Heuristic::Vlns => "vlns",
        }
    }

    /// Parses a command-line name (`mmr`, `assignment`, `local-search`/`ls`, `vlns`).
    pub fn from_name(name: &str) -> Option<Heuristic> {
        match name {
            "mmr" => Some(Heuristic::Mmr),
            "assignment" | "lap" => Some(Heuristic::Assignment),
            "local-search" | "ls" => Some(Heuristic::LocalSearch),
            "vlns" => Some(Heuristic::Vlns),
            _ => None,
        }
    }
}

/// Solver choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Proven optimum (Lagrangian bound + reduced-cost column enumeration + branch and bound).
    Exact,
    /// A heuristic; the lower bound reported is the identical-weapon relaxation bound.
    Heuristic(Heuristic),
}

/// Options for [`solve`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolveOptions {
    /// Solver.
    pub method: Method,
    /// Wall-clock limit; on expiry the exact solver returns its incumbent and bound with
    /// `optimal = false`, and the VLNS stops its exchange iterations (`time_limited = true`).
    /// `None` means no limit.
    pub time_limit: Option<Duration>,
}

impl SolveOptions {
    /// Exact solver without a time limit.
    pub fn exact() -> Self {
        SolveOptions { method: Method::Exact, time_limit: None }
    }
    /// A heuristic without a time limit.
    pub fn heuristic(h: Heuristic) -> Self {
        SolveOptions { method: Method::Heuristic(h), time_limit: None }
    }
}

/// Solver statistics.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SolveStats {
    /// Lagrangian (subgradient) iterations.
    pub dual_iterations: usize,
    /// Columns kept by reduced-cost enumeration.
    pub columns: usize,
    /// Branch-and-bound nodes.
    pub nodes: u64,
    /// True when the time limit cut the run short.
    pub time_limited: bool,
}

/// A solution: the assignment, its objective and a certified lower bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WtaSolution {
    /// `assignment[i][j]` = rounds of weapon type `i` fired at target `j`.
    pub assignment: Vec<Vec<u32>>,
    /// Expected surviving value of `assignment`.
    pub objective: f64,
    /// A valid lower bound on the optimum.
    pub lower_bound: f64,
    /// True when `(objective − lower_bound)/objective ≤ OPTIMALITY_GAP`.
    pub optimal: bool,
    /// Statistics.
    pub stats: SolveStats,
}

impl WtaInstance {
    /// Number of targets.
    pub fn num_targets(&self) -> usize {
        self.target_values.len()
    }

    /// Number of weapon types.
    pub fn num_weapon_types(&self) -> usize {
        self.weapons.len()
    }

    /// Total rounds over all weapon types.
    pub fn total_rounds(&self) -> u64 {
        self.weapons.iter().map(|w| w.count as u64).sum()
    }

    /// Checks values, probabilities and shapes.
    pub fn validate(&self) -> Result<(), WtaError> {
        let t = self.target_values.len();
        let total = self.total_rounds();
        if total > MAX_ROUNDS {
            return Err(WtaError::TooManyRounds { total, max: MAX_ROUNDS });
        }
        for (index, &value) in self.target_values.iter().enumerate() {
            if !value.is_finite() || value < 0.0 {
                return Err(WtaError::TargetValue { index, value });
            }
        }
        for (weapon, w) in self.weapons.iter().enumerate() {
            if w.pk.len() != t {
                return Err(WtaError::PkLength { weapon, len: w.pk.len(), targets: t });
            }
            for (target, &value) in w.pk.iter().enumerate() {
                if !(0.0..=1.0).contains(&value) {
                    return Err(WtaError::Pk { weapon, target, value });
                }
            }
        }
        Ok(())
    }

    /// Expected surviving value of an assignment (shape checked).
    pub fn objective(&self, assignment: &[Vec<u32>]) -> Result<f64, WtaError> {
        self.check_assignment(assignment)?;
        Ok(self.objective_unchecked(assignment))
    }

    /// Checks an assignment's shape and the weapon counts.
    pub fn check_assignment(&self, assignment: &[Vec<u32>]) -> Result<(), WtaError> {
        if assignment.len() != self.weapons.len() {
            return Err(WtaError::Assignment(format!(
                "{} rows, expected one per weapon type ({})",
                assignment.len(),
                self.weapons.len()
            )));
        }
        for (i, row) in assignment.iter().enumerate() {
            if row.len() != self.target_values.len() {
                return Err(WtaError::Assignment(format!(
                    "row {i} has {} entries, expected {}",
                    row.len(),
                    self.target_values.len()
                )));
            }
            let used: u64 = row.iter().map(|&x| x as u64).sum();
            if used > self.weapons[i].count as u64 {
                return Err(WtaError::Assignment(format!(
                    "weapon type {i} fires {used} rounds but has {}",
                    self.weapons[i].count
                )));
            }
        }
        Ok(())
    }

    pub(crate) fn objective_unchecked(&self, assignment: &[Vec<u32>]) -> f64 {
        let mut total = 0.0;
        for (j, &v) in self.target_values.iter().enumerate() {
            let mut q = 1.0;
            for (i, w) in self.weapons.iter().enumerate() {
                let x = assignment[i][j];
                if x > 0 {
                    q *= (1.0 - w.pk[j]).powi(x as i32);
                }
            }
            total += v * q;
        }
        total
    }
}

/// Relative gap `(ub − lb)/ub` (0 when `ub ≤ 0`).
pub fn relative_gap(ub: f64, lb: f64) -> f64 {
    if ub <= 0.0 { 0.0 } else { ((ub - lb) / ub).max(0.0) }
}

/// Dense internal view of an instance: survival probabilities `q = 1 − p`.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    /// Targets.
    pub t: usize,
    /// Weapon types.
    pub w: usize,
    /// Target values.
    pub v: Vec<f64>,
    /// Rounds per type.
    pub count: Vec<u32>,
    /// `q[i * t + j]`, clamped below at [`Q_MIN`].
    pub q: Vec<f64>,
    /// True when some `q` was clamped (some `p` within `Q_MIN` of 1).
    pub clamped: bool,
}

/// Smallest survival probability used internally (so that a round can be removed by division).
pub(crate) const Q_MIN: f64 = 1e-12;

impl Problem {
    pub fn new(inst: &WtaInstance) -> Self {
        let t = inst.num_targets();
        let w = inst.num_weapon_types();
        let mut q = Vec::with_capacity(w * t);
        for wt in &inst.weapons {
            q.extend(wt.pk.iter().map(|p| (1.0 - p).max(Q_MIN)));
        }
        let clamped = inst.weapons.iter().any(|wt| wt.pk.iter().any(|p| 1.0 - p < Q_MIN));
        Problem {
            t,
            w,
            v: inst.target_values.clone(),
            count: inst.weapons.iter().map(|x| x.count).collect(),
            q,
            clamped,
        }
    }

    #[inline]
    pub fn q(&self, i: usize, j: usize) -> f64 {
        self.q[i * self.t + j]
    }
}

/// A working solution: one target per round (`round_target`), and per-target survival products.
#[derive(Debug, Clone)]
pub(crate) struct State {
    /// Weapon type of each round.
    pub round_type: Vec<usize>,
    /// Target of each round.
    pub round_target: Vec<usize>,
    /// Survival probability of each target.
    pub surv: Vec<f64>,
}

impl State {
    /// Empty state: every round is expanded but not yet assigned (`usize::MAX`).
    pub fn empty(p: &Problem) -> Self {
        let mut round_type = Vec::new();
        for (i, &c) in p.count.iter().enumerate() {
            round_type.extend(std::iter::repeat_n(i, c as usize));
        }
        let n = round_type.len();
        State { round_type, round_target: vec![usize::MAX; n], surv: vec![1.0; p.t] }
    }

    pub fn objective(&self, p: &Problem) -> f64 {
        self.surv.iter().zip(&p.v).map(|(s, v)| s * v).sum()
    }

    /// Recomputes survival products from scratch (avoids drift after many updates).
    pub fn refresh(&mut self, p: &Problem) {
        self.surv.iter_mut().for_each(|s| *s = 1.0);
        for (r, &j) in self.round_target.iter().enumerate() {
            if j != usize::MAX {
                self.surv[j] *= p.q(self.round_type[r], j);
            }
        }
    }

    pub fn assignment(&self, p: &Problem) -> Vec<Vec<u32>> {
        let mut a = vec![vec![0u32; p.t]; p.w];
        for (r, &j) in self.round_target.iter().enumerate() {
            if j != usize::MAX {
                a[self.round_type[r]][j] += 1;
            }
        }
        a
    }

    pub fn from_assignment(p: &Problem, a: &[Vec<u32>]) -> Self {
        let mut s = State::empty(p);
        let mut r = 0;
        for (i, row) in a.iter().enumerate() {
            let start = r;
            for (j, &x) in row.iter().enumerate() {
                for _ in 0..x {
                    s.round_target[r] = j;
                    r += 1;
                }
            }
            r = start + p.count[i] as usize;
        }
        s.refresh(p);
        s
    }
}

/// Solves `instance` with the chosen method. Validates the instance first.
pub fn solve(instance: &WtaInstance, options: &SolveOptions) -> Result<WtaSolution, WtaError> {
    instance.validate()?;
    let deadline = options.time_limit.map(|d| Instant::now() + d);
    Ok(match options.method {
        Method::Exact => exact::solve_exact_with_deadline(instance, deadline),
        Method::Heuristic(h) => heuristics::run(instance, h, deadline),
    })
}

#[cfg(test)]
mod tests;
