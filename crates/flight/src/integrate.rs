//! Ordinary differential equation integrators: fixed-step classical Runge–Kutta 4 and adaptive
//! Dormand–Prince 5(4) with its free fourth-order dense output and event location.
//!
//! States are plain arrays `[f64; N]`: the integrators know nothing of frames; the flight modules wrap
//! them (position and velocity in ECI, optionally mass) and never let a bare array cross a module API
//! other than this one.
//!
//! ```
//! use shieldnet_flight::integrate::{dopri5, Dp5Options};
//! // y' = -y from y(0) = 1: y(1) = e^-1.
//! let out = dopri5(|_t, y: &[f64; 1]| [-y[0]], 0.0, [1.0], 1.0, &Dp5Options::default(), &[], |_| {})
//!     .unwrap();
//! assert!((out.y[0] - (-1.0f64).exp()).abs() < 1e-9);
//! ```

use thiserror::Error;

/// Failures of the adaptive integrator.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum IntegrateError {
    /// The step size fell below the smallest allowed step (the problem is stiff or singular there).
    #[error("step size underflow at t = {t_s} s")]
    StepSizeUnderflow {
        /// Time at which the step size collapsed, s.
        t_s: f64,
    },
    /// More steps than allowed were needed.
    #[error("more than {max_steps} steps needed (reached t = {t_s} s)")]
    TooManySteps {
        /// The step budget.
        max_steps: usize,
        /// Time reached, s.
        t_s: f64,
    },
    /// The right-hand side returned a non-finite value.
    #[error("non-finite state at t = {t_s} s")]
    NonFinite {
        /// Time at which it happened, s.
        t_s: f64,
    },
    /// The integration interval was empty or reversed.
    #[error("invalid integration interval [{t0_s}, {t1_s}]")]
    InvalidInterval {
        /// Start, s.
        t0_s: f64,
        /// End, s.
        t1_s: f64,
    },
}

#[inline(always)]
fn axpy<const N: usize>(y: &[f64; N], h: f64, terms: &[(f64, &[f64; N])]) -> [f64; N] {
    let mut out = *y;
    for (c, k) in terms {
        let hc = h * c;
        for i in 0..N {
            out[i] += hc * k[i];
        }
    }
    out
}

/// One classical Runge–Kutta 4 step of size `h` from (`t`, `y`).
pub fn rk4_step<const N: usize, F>(f: &mut F, t: f64, y: &[f64; N], h: f64) -> [f64; N]
where
    F: FnMut(f64, &[f64; N]) -> [f64; N],
{
    let k1 = f(t, y);
    let k2 = f(t + 0.5 * h, &axpy(y, 0.5 * h, &[(1.0, &k1)]));
    let k3 = f(t + 0.5 * h, &axpy(y, 0.5 * h, &[(1.0, &k2)]));
    let k4 = f(t + h, &axpy(y, h, &[(1.0, &k3)]));
    axpy(y, h / 6.0, &[(1.0, &k1), (2.0, &k2), (2.0, &k3), (1.0, &k4)])
}

/// Integrates with fixed-step RK4 from `t0` to `t1` (the last step is shortened to land on `t1`),
/// calling `observer(t, y)` after every step. Returns the state at `t1`.
pub fn rk4<const N: usize, F, O>(
    mut f: F,
    t0: f64,
    y0: [f64; N],
    t1: f64,
    h: f64,
    mut observer: O,
) -> Result<[f64; N], IntegrateError>
where
    F: FnMut(f64, &[f64; N]) -> [f64; N],
    O: FnMut(f64, &[f64; N]),
{
    if !(t1 >= t0) || !(h > 0.0) {
        return Err(IntegrateError::InvalidInterval { t0_s: t0, t1_s: t1 });
    }
    let mut t = t0;
    let mut y = y0;
    while t < t1 {
        let step = h.min(t1 - t);
        y = rk4_step(&mut f, t, &y, step);
        t = if t1 - t <= h { t1 } else { t + step };
        if y.iter().any(|v| !v.is_finite()) {
            return Err(IntegrateError::NonFinite { t_s: t });
        }
        observer(t, &y);
    }
    Ok(y)
}

/// Settings of the adaptive Dormand–Prince integrator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dp5Options {
    /// Relative tolerance per component.
    pub rtol: f64,
    /// Absolute tolerance per component (in the state's units).
    pub atol: f64,
    /// First trial step, s (0: chosen automatically).
    pub h_initial: f64,
    /// Largest step, s.
    pub h_max: f64,
    /// Smallest step before giving up, s.
    pub h_min: f64,
    /// Step budget (accepted + rejected).
    pub max_steps: usize,
}

impl Default for Dp5Options {
    fn default() -> Self {
        Self {
            rtol: 1e-10,
            atol: 1e-10,
            h_initial: 0.0,
            h_max: f64::INFINITY,
            h_min: 1e-9,
            max_steps: 100_000,
        }
    }
}

/// Which sign changes of an event function count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crossing {
    /// From negative to positive.
    Rising,
    /// From positive to negative.
    Falling,
    /// Either way.
    Either,
}

/// An event: a root of `g(t, y)` crossed in the given direction. A terminal event stops the
/// integration at the root.
pub struct Event<'a, const N: usize> {
    /// Event function; the event happens where it changes sign.
    pub g: &'a dyn Fn(f64, &[f64; N]) -> f64,
    /// Which crossings count.
    pub crossing: Crossing,
    /// Whether the integration stops at the event.
    pub terminal: bool,
}

/// A located event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventHit<const N: usize> {
    /// Index of the event in the slice passed to [`dopri5`].
    pub index: usize,
    /// Time of the root, s.
    pub t: f64,
    /// State at the root (from the dense output).
    pub y: [f64; N],
}

/// One accepted step with its dense-output interpolant (Hairer, Nørsett & Wanner, *Solving ODEs I*,
/// §II.6, the fourth-order continuous extension of DOPRI5). The interpolation coefficients are formed
/// only when [`DenseStep::eval`] is called, so steps nobody interpolates cost nothing extra.
#[derive(Debug, Clone, Copy)]
pub struct DenseStep<const N: usize> {
    /// Start of the step, s.
    pub t0: f64,
    /// Step size, s.
    pub h: f64,
    /// State at the start.
    pub y0: [f64; N],
    /// State at the end.
    pub y1: [f64; N],
    /// Derivative at the start.
    pub f0: [f64; N],
    /// Derivative at the end.
    pub f1: [f64; N],
    /// Stages 3 to 6 (the dense output needs them).
    k: [[f64; N]; 4],
}

impl<const N: usize> DenseStep<N> {
    /// End of the step, s.
    pub fn t1(&self) -> f64 {
        self.t0 + self.h
    }

    /// The interpolated state at `t` within the step (fourth-order accurate).
    pub fn eval(&self, t: f64) -> [f64; N] {
        let h = self.h;
        let th = (t - self.t0) / h;
        let th1 = 1.0 - th;
        let [k3, k4, k5, k6] = &self.k;
        let mut out = [0.0; N];
        for i in 0..N {
            let ydiff = self.y1[i] - self.y0[i];
            let bspl = h * self.f0[i] - ydiff;
            let r1 = ydiff - h * self.f1[i] - bspl;
            let r2 =
                h * (D1 * self.f0[i] + D3 * k3[i] + D4 * k4[i] + D5 * k5[i] + D6 * k6[i] + D7 * self.f1[i]);
            out[i] = self.y0[i] + th * (ydiff + th1 * (bspl + th * (r1 + th1 * r2)));
        }
        out
    }
}

/// Why the adaptive integration stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The end time was reached.
    End,
    /// A terminal event (its index) occurred.
    Event(usize),
}

/// Result of an adaptive integration.
#[derive(Debug, Clone, PartialEq)]
pub struct Dp5Outcome<const N: usize> {
    /// Final time, s.
    pub t: f64,
    /// Final state.
    pub y: [f64; N],
    /// Why it stopped.
    pub stop: Stop,
    /// Every event located (terminal or not), in time order.
    pub events: Vec<EventHit<N>>,
    /// Accepted steps.
    pub accepted: usize,
    /// Rejected steps.
    pub rejected: usize,
    /// Right-hand-side evaluations.
    pub evaluations: usize,
}

// Dormand–Prince 5(4) tableau.
const C2: f64 = 1.0 / 5.0;
const C3: f64 = 3.0 / 10.0;
const C4: f64 = 4.0 / 5.0;
const C5: f64 = 8.0 / 9.0;
const A21: f64 = 1.0 / 5.0;
const A31: f64 = 3.0 / 40.0;
const A32: f64 = 9.0 / 40.0;
const A41: f64 = 44.0 / 45.0;
const A42: f64 = -56.0 / 15.0;
const A43: f64 = 32.0 / 9.0;
const A51: f64 = 19372.0 / 6561.0;
const A52: f64 = -25360.0 / 2187.0;
const A53: f64 = 64448.0 / 6561.0;
const A54: f64 = -212.0 / 729.0;
const A61: f64 = 9017.0 / 3168.0;
const A62: f64 = -355.0 / 33.0;
const A63: f64 = 46732.0 / 5247.0;
const A64: f64 = 49.0 / 176.0;
const A65: f64 = -5103.0 / 18656.0;
const A71: f64 = 35.0 / 384.0;
const A73: f64 = 500.0 / 1113.0;
const A74: f64 = 125.0 / 192.0;
const A75: f64 = -2187.0 / 6784.0;
const A76: f64 = 11.0 / 84.0;
const E1: f64 = 71.0 / 57600.0;
const E3: f64 = -71.0 / 16695.0;
const E4: f64 = 71.0 / 1920.0;
const E5: f64 = -17253.0 / 339200.0;
const E6: f64 = 22.0 / 525.0;
const E7: f64 = -1.0 / 40.0;
const D1: f64 = -12715105075.0 / 11282082432.0;
const D3: f64 = 87487479700.0 / 32700410799.0;
const D4: f64 = -10690763975.0 / 1880347072.0;
const D5: f64 = 701980252875.0 / 199316789632.0;
const D6: f64 = -1453857185.0 / 822651844.0;
const D7: f64 = 69997945.0 / 29380423.0;
/// PI controller: exponent of the current error, −(0.2 − 0.75β).
const PI_EXP1: f64 = -(0.2 - 0.75 * PI_BETA);
/// PI controller: weight β of the previous error.
const PI_BETA: f64 = 0.04;

/// Adaptive Dormand–Prince 5(4) from (`t0`, `y0`) to `t_end`, locating `events` on the dense output
/// (a bracketing Illinois iteration to 1e-9 s) and calling `on_step` with every accepted step.
pub fn dopri5<const N: usize, F, S>(
    mut f: F,
    t0: f64,
    y0: [f64; N],
    t_end: f64,
    opts: &Dp5Options,
    events: &[Event<'_, N>],
    mut on_step: S,
) -> Result<Dp5Outcome<N>, IntegrateError>
where
    F: FnMut(f64, &[f64; N]) -> [f64; N],
    S: FnMut(&DenseStep<N>),
{
    if !(t_end > t0) {
        return Err(IntegrateError::InvalidInterval { t0_s: t0, t1_s: t_end });
    }
    let mut t = t0;
    let mut y = y0;
    let mut k1 = f(t, &y);
    let mut nfev = 1;
    let mut g_prev: [f64; 8] = [0.0; 8];
    let n_ev = events.len().min(8);
    for (i, ev) in events.iter().take(n_ev).enumerate() {
        g_prev[i] = (ev.g)(t, &y);
    }
    let scale = |y0: &[f64; N], y1: &[f64; N], i: usize| opts.atol + opts.rtol * y0[i].abs().max(y1[i].abs());
    // Initial step (Hairer's heuristic, simplified).
    let mut h = if opts.h_initial > 0.0 {
        opts.h_initial
    } else {
        let mut d0 = 0.0;
        let mut d1 = 0.0;
        for i in 0..N {
            let sc = scale(&y, &y, i);
            d0 += (y[i] / sc).powi(2);
            d1 += (k1[i] / sc).powi(2);
        }
        let (d0, d1) = ((d0 / N as f64).sqrt(), (d1 / N as f64).sqrt());
        if d0 < 1e-5 || d1 < 1e-5 { 1e-6 } else { 0.01 * d0 / d1 }
    }
    .min(opts.h_max)
    .min(t_end - t0);
    let mut out_events = Vec::new();
    let (mut accepted, mut rejected) = (0usize, 0usize);
    let mut ln_err_old = 1e-4f64.ln();
    let mut just_rejected = false;
    loop {
        if accepted + rejected >= opts.max_steps {
            return Err(IntegrateError::TooManySteps { max_steps: opts.max_steps, t_s: t });
        }
        if h < opts.h_min {
            return Err(IntegrateError::StepSizeUnderflow { t_s: t });
        }
        let last = t + h >= t_end;
        if last {
            h = t_end - t;
        }
        // Stages, written out component by component (the compiler vectorises these loops).
        let mut yt = [0.0; N];
        for i in 0..N {
            yt[i] = y[i] + h * (A21 * k1[i]);
        }
        let k2 = f(t + C2 * h, &yt);
        for i in 0..N {
            yt[i] = y[i] + h * (A31 * k1[i] + A32 * k2[i]);
        }
        let k3 = f(t + C3 * h, &yt);
        for i in 0..N {
            yt[i] = y[i] + h * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
        }
        let k4 = f(t + C4 * h, &yt);
        for i in 0..N {
            yt[i] = y[i] + h * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
        }
        let k5 = f(t + C5 * h, &yt);
        for i in 0..N {
            yt[i] = y[i] + h * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
        }
        let k6 = f(t + h, &yt);
        let mut y1 = [0.0; N];
        for i in 0..N {
            y1[i] = y[i] + h * (A71 * k1[i] + A73 * k3[i] + A74 * k4[i] + A75 * k5[i] + A76 * k6[i]);
        }
        let k7 = f(t + h, &y1);
        nfev += 6;
        let mut err = 0.0;
        for i in 0..N {
            let e = h * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
            let sc = opts.atol + opts.rtol * y[i].abs().max(y1[i].abs());
            err += (e / sc) * (e / sc);
        }
        let err = (err / N as f64).sqrt();
        if !err.is_finite() {
            if y1.iter().chain(k7.iter()).any(|v| !v.is_finite()) && h <= opts.h_min * 2.0 {
                return Err(IntegrateError::NonFinite { t_s: t });
            }
            h *= 0.2;
            rejected += 1;
            just_rejected = true;
            continue;
        }
        // Step-size control as in Hairer's DOPRI5 code: a PI controller (exponents 0.2 − 0.75β and
        // β = 0.04), safety 0.9, changes limited to [0.2, 10]×, and no growth right after a rejection.
        // One ln and one exp per step.
        let ln_err = err.max(1e-300).ln();
        let fac = (0.9 * (PI_EXP1 * ln_err + PI_BETA * ln_err_old).exp()).clamp(0.2, 10.0);
        if err > 1.0 {
            h *= (0.9 * (PI_EXP1 * ln_err).exp()).clamp(0.2, 1.0);
            rejected += 1;
            just_rejected = true;
            continue;
        }
        accepted += 1;
        let step = DenseStep { t0: t, h, y0: y, y1, f0: k1, f1: k7, k: [k3, k4, k5, k6] };
        // Events within this step.
        let mut stop_at: Option<EventHit<N>> = None;
        for (i, ev) in events.iter().take(n_ev).enumerate() {
            let g1 = (ev.g)(t + h, &y1);
            let ga = g_prev[i];
            g_prev[i] = g1;
            let rising = ga < 0.0 && g1 >= 0.0;
            let falling = ga > 0.0 && g1 <= 0.0;
            let hit = match ev.crossing {
                Crossing::Rising => rising,
                Crossing::Falling => falling,
                Crossing::Either => rising || falling,
            };
            if !hit {
                continue;
            }
            let tr = locate_root(&|tt| (ev.g)(tt, &step.eval(tt)), t, ga, t + h, g1);
            let hit = EventHit { index: i, t: tr, y: step.eval(tr) };
            if ev.terminal {
                if stop_at.is_none_or(|s| tr < s.t) {
                    stop_at = Some(hit);
                }
            } else {
                out_events.push(hit);
            }
        }
        on_step(&step);
        if let Some(hit) = stop_at {
            out_events.retain(|e| e.t <= hit.t);
            out_events.push(hit);
            out_events.sort_by(|a, b| a.t.total_cmp(&b.t));
            return Ok(Dp5Outcome {
                t: hit.t,
                y: hit.y,
                stop: Stop::Event(hit.index),
                events: out_events,
                accepted,
                rejected,
                evaluations: nfev,
            });
        }
        t += h;
        y = y1;
        k1 = k7;
        if last {
            out_events.sort_by(|a, b| a.t.total_cmp(&b.t));
            return Ok(Dp5Outcome {
                t,
                y,
                stop: Stop::End,
                events: out_events,
                accepted,
                rejected,
                evaluations: nfev,
            });
        }
        ln_err_old = ln_err.max(1e-4f64.ln());
        let h_new = (h * fac).min(opts.h_max);
        h = if just_rejected { h_new.min(h) } else { h_new };
        just_rejected = false;
    }
}

/// Root of a bracketed scalar function by the Illinois variant of regula falsi, to 1e-9 in `t`.
pub fn locate_root(g: &dyn Fn(f64) -> f64, mut a: f64, mut ga: f64, mut b: f64, mut gb: f64) -> f64 {
    if ga == 0.0 {
        return a;
    }
    if gb == 0.0 {
        return b;
    }
    let mut side = 0i8;
    for _ in 0..100 {
        if (b - a).abs() < 1e-9 {
            break;
        }
        let c = (a * gb - b * ga) / (gb - ga);
        let c = if c.is_finite() && c > a.min(b) && c < a.max(b) { c } else { 0.5 * (a + b) };
        let gc = g(c);
        if gc == 0.0 {
            return c;
        }
        if (gc > 0.0) == (gb > 0.0) {
            b = c;
            gb = gc;
            if side == 1 {
                ga *= 0.5;
            }
            side = 1;
        } else {
            a = c;
            ga = gc;
            if side == -1 {
                gb *= 0.5;
            }
            side = -1;
        }
        if (gb - ga).abs() < f64::MIN_POSITIVE {
            break;
        }
    }
    if ga.abs() < gb.abs() { a } else { b }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Harmonic oscillator y'' = -y: exact solution (cos t, -sin t).
    fn osc(_t: f64, y: &[f64; 2]) -> [f64; 2] {
        [y[1], -y[0]]
    }

    #[test]
    fn rk4_is_fourth_order() {
        let err = |h: f64| {
            let y = rk4(osc, 0.0, [1.0, 0.0], 10.0, h, |_, _| {}).unwrap();
            (y[0] - 10f64.cos()).abs()
        };
        let ratio = err(0.04) / err(0.02);
        assert!((ratio - 16.0).abs() < 1.0, "{ratio}");
    }

    #[test]
    fn dopri5_meets_tolerance_and_dense_output_is_accurate() {
        let mut max_dense_err: f64 = 0.0;
        let out = dopri5(osc, 0.0, [1.0, 0.0], 20.0, &Dp5Options::default(), &[], |s| {
            for k in 1..4 {
                let t = s.t0 + s.h * k as f64 / 4.0;
                max_dense_err = max_dense_err.max((s.eval(t)[0] - t.cos()).abs());
            }
        })
        .unwrap();
        assert!((out.y[0] - 20f64.cos()).abs() < 1e-8);
        assert!((out.y[1] + 20f64.sin()).abs() < 1e-8);
        assert!(max_dense_err < 1e-7, "{max_dense_err}");
        assert_eq!(out.stop, Stop::End);
    }

    #[test]
    fn events_are_located_on_the_dense_output() {
        // Zero of cos t going down at π/2 (terminal), maxima of cos (y1 = -sin crossing zero falling at 2π).
        let g_pos = |_t: f64, y: &[f64; 2]| y[0];
        let g_vel = |_t: f64, y: &[f64; 2]| y[1];
        let opts = Dp5Options { rtol: 1e-9, atol: 1e-12, ..Default::default() };
        let ev = [
            Event { g: &g_vel, crossing: Crossing::Rising, terminal: false },
            Event { g: &g_pos, crossing: Crossing::Rising, terminal: true },
        ];
        let out = dopri5(osc, 0.0, [1.0, 0.0], 100.0, &opts, &ev, |_| {}).unwrap();
        // cos rises through zero at 3π/2; velocity -sin t rises through zero at π.
        assert_eq!(out.stop, Stop::Event(1));
        assert!((out.t - 1.5 * std::f64::consts::PI).abs() < 1e-7, "{}", out.t);
        assert_eq!(out.events.len(), 2);
        assert!((out.events[0].t - std::f64::consts::PI).abs() < 1e-7);
    }

    #[test]
    fn invalid_interval_is_an_error() {
        assert!(dopri5(osc, 1.0, [1.0, 0.0], 0.0, &Dp5Options::default(), &[], |_| {}).is_err());
        assert!(rk4(osc, 0.0, [1.0, 0.0], 1.0, 0.0, |_, _| {}).is_err());
    }
}
