//! Threat evaluation: where and when a tracked object will come down, how uncertain that is, and which
//! defended asset it threatens.

use crate::ballistic_path::BallisticPath;
use nalgebra::Vector3;
use serde::{Deserialize, Serialize};
use shieldnet_earth::constants::{OMEGA_EARTH, WGS84_A, WGS84_B, WGS84_E2};
use shieldnet_earth::gravity;
use shieldnet_earth::{EarthRotation, Ecef, Geodetic, RotationSweep};
use shieldnet_flight::{StateEci, Trajectory};
use shieldnet_tracking::{Cov6, State6};

/// Step of the predicted path, s.
pub const PATH_STEP_S: f64 = 4.0;
/// Longest prediction, s.
const MAX_PREDICTION_S: f64 = 3_600.0;

/// An asset a party defends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefendedAsset {
    /// Identifier.
    pub id: String,
    /// Index of the owning party.
    pub party: u32,
    /// Centre.
    pub position: Geodetic,
    /// Radius of the defended footprint, m.
    pub radius_m: f64,
    /// Relative value.
    pub value: f64,
}

/// What a party concludes about one track.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreatAssessment {
    /// Predicted impact point.
    pub impact: Geodetic,
    /// Predicted impact time, s.
    pub impact_time_s: f64,
    /// RMS horizontal impact uncertainty (1σ per axis, averaged), m.
    pub impact_sigma_m: f64,
    /// Index of the most threatened asset and the probability of impact within its footprint.
    pub threatened: Option<(usize, f64)>,
    /// Predicted path (time, ECEF position) every [`PATH_STEP_S`], ending at impact.
    pub path: Vec<(f64, Ecef)>,
    /// Earth-relative ECEF velocity at each point of `path`, m/s.
    pub velocities: Vec<Ecef>,
}

impl ThreatAssessment {
    /// Seconds from `now_s` to impact.
    pub fn time_to_go_s(&self, now_s: f64) -> f64 {
        self.impact_time_s - now_s
    }

    /// The predicted path as an inertial trajectory (cubic Hermite between the path's states), the
    /// form the interceptor reach model works on. The regular 4 s path is rotated to ECI by a
    /// [`RotationSweep`] (agrees with a per-point conversion to a few ulps).
    pub fn trajectory(&self, rotation: &EarthRotation) -> Trajectory {
        let mut sweep = RotationSweep::new(*rotation);
        let samples = self
            .path
            .iter()
            .zip(&self.velocities)
            .map(|((t, p), v)| {
                let (pos, vel) = sweep.ecef_state_to_eci(p, v, *t);
                StateEci { t_s: *t, pos, vel }
            })
            .collect();
        Trajectory::new(samples, self.path.first().map_or(0.0, |p| p.0))
    }
}

/// Path steps per step of the covariance propagation.
const COVARIANCE_STEPS: usize = 4;

/// Assesses a ballistic track (state and covariance valid at `t_s`): predicts its path to impact, the
/// impact uncertainty (covariance propagated to impact and projected on the ground plane), and the
/// asset it threatens most. Returns `None` when the object does not come down within an hour.
///
/// The path is integrated at [`PATH_STEP_S`] by [`BallisticPath`] (RK4 start-up steps, then
/// sixth-order Adams–Bashforth, one derivative evaluation per step; its error over a ballistic
/// flight is well under a millimetre and below that of one RK4 step per point, tested against a
/// fine-step reference). The covariance is carried to impact by transitions over spans of
/// [`COVARIANCE_STEPS`] path steps (16 s), each evaluated at the path state in the middle of its span
/// (the exponential midpoint rule, second order in the span, where a transition evaluated at the start
/// of each 4 s step is first order), and over the last span to impact at the path state nearest its
/// middle. Tested against a fine-step transition: at least as accurate as 4 s steps evaluated at
/// their start, with a quarter of the transitions. The transitions are applied transposed to the
/// two ground-plane axes, backward from impact (see `impact_sigma`); geodetic altitudes are computed
/// only within about a kilometre of the ground (see `altitude_if_low`).
pub fn assess(state: &State6, cov: &Cov6, t_s: f64, assets: &[DefendedAsset]) -> Option<ThreatAssessment> {
    let mut alt = altitude_if_low(state);
    if alt.is_some_and(|a| a <= 0.0) {
        return None;
    }
    let mut x = *state;
    let mut t = t_s;
    let mut integrator = BallisticPath::new(state, PATH_STEP_S);
    // Room for about 17 minutes of path (most calls) without regrowing.
    let steps = 256;
    let mut path = Vec::with_capacity(steps);
    let mut velocities = Vec::with_capacity(steps);
    path.push((t, pos(&x)));
    velocities.push(vel(&x));
    while t - t_s < MAX_PREDICTION_S {
        let next = integrator.step();
        let next_alt = altitude_if_low(&next);
        if let Some(next_alt) = next_alt
            && next_alt <= 0.0
        {
            let alt = alt.unwrap_or_else(|| geodetic_altitude(&pos(&x).0));
            // Linear interpolation of the surface crossing inside the last step.
            let f = alt / (alt - next_alt);
            let xi = x + (next - x) * f;
            let ti = t + PATH_STEP_S * f;
            let impact = Geodetic { alt_m: 0.0, ..pos(&xi).to_geodetic() };
            let sigma = impact_sigma(&xi, cov, &impact, covariance_spans(&path, &velocities, f));
            let impact_ecef = impact.to_ecef();
            path.push((ti, impact_ecef));
            velocities.push(vel(&xi));
            let threatened = most_threatened(&impact_ecef, sigma, assets);
            return Some(ThreatAssessment {
                impact,
                impact_time_s: ti,
                impact_sigma_m: sigma,
                threatened,
                path,
                velocities,
            });
        }
        x = next;
        alt = next_alt;
        t += PATH_STEP_S;
        path.push((t, pos(&x)));
        velocities.push(vel(&x));
    }
    None
}

/// The covariance spans of a path that crosses the surface a fraction `f` of a step after its last
/// point, in time order: (state at which the transition is evaluated, span length in s). Full spans
/// of [`COVARIANCE_STEPS`] steps are evaluated at their middle point; the last, shorter span to impact
/// at the point nearest its middle.
fn covariance_spans(
    path: &[(f64, Ecef)],
    velocities: &[Ecef],
    f: f64,
) -> impl DoubleEndedIterator<Item = (State6, f64)> {
    let state = move |k: usize| {
        let (p, v) = (path[k].1.0, velocities[k].0);
        State6::new(p.x, p.y, p.z, v.x, v.y, v.z)
    };
    let last_point = path.len() - 1;
    let in_span = last_point % COVARIANCE_STEPS;
    let start = last_point - in_span;
    let full = (0..start / COVARIANCE_STEPS).map(move |s| {
        (state(s * COVARIANCE_STEPS + COVARIANCE_STEPS / 2), PATH_STEP_S * COVARIANCE_STEPS as f64)
    });
    let last = PATH_STEP_S * (in_span as f64 + f);
    let mid = ((last / 2.0 / PATH_STEP_S).round() as usize).min(in_span);
    full.chain(std::iter::once((state(start + mid), last)))
}

/// Geodetic altitude of a state's position, or `None` when the position is certainly more than 1 km
/// above the ellipsoid, so that the geodetic conversion is not needed to know the object is still
/// up. Two bounds, the cheaper first: more than 1 km outside the sphere of the equatorial radius
/// (which encloses the ellipsoid); more than 1,001 m above the ellipsoid's surface point Q on the
/// position's geocentric ray. The ellipsoid lies below its tangent plane at Q, so the geodetic
/// altitude (the distance to the ellipsoid) is at least the distance to that plane, (r − r_Q) cos θ
/// with θ the angle between the ray and the normal at Q (under 0.2° on WGS84: cos θ > 0.99999).
fn altitude_if_low(x: &State6) -> Option<f64> {
    const CLEAR: f64 = WGS84_A + 1_000.0;
    let p = pos(x);
    let r2 = p.0.norm_squared();
    if r2 > CLEAR * CLEAR {
        return None;
    }
    // r_Q = b / √(1 − e² cos² φ) with φ the geocentric latitude.
    let cos2 = (p.0.x * p.0.x + p.0.y * p.0.y) / r2;
    let surface = WGS84_B / (1.0 - WGS84_E2 * cos2).sqrt();
    if r2.sqrt() - surface > 1_001.0 { None } else { Some(geodetic_altitude(&p.0)) }
}

/// Geodetic altitude of an ECEF position, m: the fixed-point iteration of `Ecef::to_geodetic` carried
/// on the tangent of the latitude instead of the angle, so that it needs square roots and divisions
/// only (the altitude, not the latitude, is wanted). The same altitude to rounding (tested).
fn geodetic_altitude(p: &Vector3<f64>) -> f64 {
    let rho = (p.x * p.x + p.y * p.y).sqrt();
    if rho < 1e-9 {
        return p.z.abs() - WGS84_B;
    }
    // h for tan(latitude) = t: ρ / cos φ − N with N = a / √(1 − e² sin² φ).
    let height = |t: f64| {
        let t2 = t * t;
        let n = WGS84_A / (1.0 - WGS84_E2 * t2 / (1.0 + t2)).sqrt();
        (rho * (1.0 + t2).sqrt() - n, n)
    };
    let mut t = p.z / (rho * (1.0 - WGS84_E2));
    for _ in 0..5 {
        let (h, n) = height(t);
        let next = p.z / (rho * (1.0 - WGS84_E2 * n / (n + h)));
        let done = (next - t).abs() <= 1e-15 * (1.0 + t.abs());
        t = next;
        if done {
            break;
        }
    }
    height(t).0
}

fn pos(x: &State6) -> Ecef {
    Ecef(Vector3::new(x[0], x[1], x[2]))
}

fn vel(x: &State6) -> Ecef {
    Ecef(Vector3::new(x[3], x[4], x[5]))
}

/// Horizontal impact uncertainty: a state error δx at impact moves the impact by δr − v·(n·δr)/(n·v),
/// with n the local vertical; the RMS over the east and north axes of that displacement's standard
/// deviation, for the initial covariance `cov` carried to impact by the transitions over `spans`
/// (time order, as from [`covariance_spans`]).
///
/// Each axis u needs only the variance uᵀ A Φ P Φᵀ Aᵀ u = wᵀ P w with w = Φ₁ᵀ ⋯ Φₖᵀ Aᵀ u (A the
/// displacement map above, Φ = Φₖ ⋯ Φ₁): the transposed transitions are applied to two vectors, last
/// span first, instead of chaining 6×6 products. Exact up to rounding.
fn impact_sigma(
    x: &State6,
    cov: &Cov6,
    impact: &Geodetic,
    spans: impl DoubleEndedIterator<Item = (State6, f64)>,
) -> f64 {
    let v = Vector3::new(x[3], x[4], x[5]);
    let [e, nn, n] = impact.enu_axes();
    let nv = n.dot(&v);
    if nv.abs() < 1e-6 {
        return f64::INFINITY;
    }
    let proj = nalgebra::Matrix3::identity() - v * n.transpose() / nv;
    let start = |u: &Vector3<f64>| {
        let w = proj.tr_mul(u);
        State6::new(w.x, w.y, w.z, 0.0, 0.0, 0.0)
    };
    let (mut we, mut wn) = (start(&e), start(&nn));
    for (state, dt) in spans.rev() {
        [we, wn] = transition_transposed_times(&state, dt, [we, wn]);
    }
    let ce = we.dot(&(cov * we));
    let cn = wn.dot(&(cov * wn));
    ((ce + cn) / 2.0).max(0.0).sqrt()
}

/// Φᵀ w for each w of `ws`, with Φ = I + F dt + (F dt)²/2 + (F dt)³/6 the third-order transition of
/// `motion::transition` at `x` (F = [[0, I], [G', W]], G' the point-mass gravity gradient minus Ω²,
/// W = −2Ω), summed by Horner's rule on Fᵀ: w + dt Fᵀ(w + dt/2 Fᵀ(w + dt/3 Fᵀ w)), with
/// Fᵀ (a, b) = (G' b, a + Wᵀ b). The same series as `motion::transition(x, dt).tr_mul(w)`, equal to
/// rounding (tested), without forming the 6×6 matrix.
fn transition_transposed_times<const K: usize>(x: &State6, dt: f64, mut ws: [State6; K]) -> [State6; K] {
    let w2 = OMEGA_EARTH * OMEGA_EARTH;
    let mut g = gravity::point_mass_gradient(&Vector3::new(x[0], x[1], x[2]));
    g[(0, 0)] += w2;
    g[(1, 1)] += w2;
    let two_w = 2.0 * OMEGA_EARTH;
    // Fᵀ (a, b): G' is symmetric, Wᵀ b = (−2ω b_y, 2ω b_x, 0).
    let ft = |v: &State6| -> State6 {
        let b = Vector3::new(v[3], v[4], v[5]);
        let gb = g * b;
        State6::new(gb.x, gb.y, gb.z, v[0] - two_w * v[4], v[1] + two_w * v[3], v[2])
    };
    // A plain loop rather than `array::map`, which was not inlined.
    for w in ws.iter_mut() {
        let inner = *w + ft(w) * (dt / 3.0);
        let middle = *w + ft(&inner) * (dt / 2.0);
        *w += ft(&middle) * dt;
    }
    ws
}

/// The asset with the highest probability of being hit, approximating that probability by
/// Φ((R − d)/σ) for an impact at distance d from a footprint of radius R with uncertainty σ.
fn most_threatened(impact: &Ecef, sigma: f64, assets: &[DefendedAsset]) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for (i, a) in assets.iter().enumerate() {
        let d = (impact.0 - a.position.to_ecef().0).norm();
        let p = normal_cdf((a.radius_m - d) / sigma.max(1.0));
        if p > 0.01 && best.is_none_or(|(_, bp)| p > bp) {
            best = Some((i, p));
        }
    }
    best
}

/// Standard normal cumulative distribution (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    0.5 * (1.0 + if x >= 0.0 { erf } else { -erf })
}

#[cfg(test)]
mod tests {
    use super::*;
    use nalgebra::SMatrix;
    use shieldnet_earth::EarthRotation;
    use shieldnet_flight::{BoostSpec, fly_threat};
    use shieldnet_tracking::motion;

    #[test]
    fn normal_cdf_matches_tables() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.0) - 0.841_344_7).abs() < 2e-7);
        assert!((normal_cdf(-1.96) - 0.024_997_9).abs() < 2e-7);
    }

    /// The state (ECEF) `t` s after launch of a notional 2,000 km-class missile from Semnan toward `aim`.
    fn semnan_missile_at(aim: &Geodetic, t: f64) -> State6 {
        let rot = EarthRotation::at_julian_date(2_457_175.0);
        let boost =
            BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 120e3 };
        let launch = Geodetic::from_degrees(35.23, 53.92, 0.0);
        let traj = fly_threat(&launch, aim, 0.0, &boost, &rot).unwrap();
        let (p, v) = traj.ecef_at(t, &rot).unwrap();
        State6::new(p.0.x, p.0.y, p.0.z, v.0.x, v.0.y, v.0.z)
    }

    /// The path against a 0.05 s RK4 reference from the same start: every point within a millimetre,
    /// for missiles of several ranges.
    #[test]
    fn path_points_match_a_fine_step_reference() {
        for (aim, t) in [
            (Geodetic::from_degrees(44.43, 26.10, 0.0), 150.0),
            (Geodetic::from_degrees(38.0, 40.0, 0.0), 200.0),
            (Geodetic::from_degrees(52.23, 21.01, 0.0), 300.0),
        ] {
            let x0 = semnan_missile_at(&aim, t);
            let a = assess(&x0, &Cov6::identity(), t, &[]).unwrap();
            let mut x = x0;
            let mut worst = 0.0f64;
            // Every point but the interpolated impact.
            for (k, (tk, pk)) in a.path.iter().enumerate().take(a.path.len() - 1) {
                assert!((tk - (t + PATH_STEP_S * k as f64)).abs() < 1e-9);
                worst = worst.max((pk.0 - pos(&x).0).norm());
                x = motion::propagate_rk4(&x, PATH_STEP_S, 0.05);
            }
            assert!(a.path.len() > 50, "{} points", a.path.len());
            assert!(worst < 1e-3, "path {worst} m from the fine-step reference");
        }
    }

    /// The path is at least as close to a 0.05 s RK4 reference as one RK4 step per point (the
    /// integrator it replaced), and its impact within a millimetre and a microsecond of the impact of
    /// the RK4 path (the same linear interpolation of the surface crossing), for missiles of several
    /// ranges.
    #[test]
    fn path_is_at_least_as_accurate_as_one_rk4_step_per_point() {
        for (aim, t) in [
            (Geodetic::from_degrees(44.43, 26.10, 0.0), 150.0),
            (Geodetic::from_degrees(38.0, 40.0, 0.0), 200.0),
            (Geodetic::from_degrees(52.23, 21.01, 0.0), 300.0),
            (Geodetic::from_degrees(52.23, 21.01, 0.0), 700.0),
        ] {
            let x0 = semnan_missile_at(&aim, t);
            let a = assess(&x0, &Cov6::identity(), t, &[]).unwrap();
            let (mut fine, mut rk4) = (x0, x0);
            let (mut worst_new, mut worst_rk4) = (0.0f64, 0.0f64);
            let alt = |x: &State6| pos(x).to_geodetic().alt_m;
            for (_, pk) in a.path.iter().take(a.path.len() - 1) {
                worst_new = worst_new.max((pk.0 - pos(&fine).0).norm());
                worst_rk4 = worst_rk4.max((pos(&rk4).0 - pos(&fine).0).norm());
                fine = motion::propagate_rk4(&fine, PATH_STEP_S, 0.05);
                rk4 = motion::propagate_rk4(&rk4, PATH_STEP_S, PATH_STEP_S);
            }
            assert!(worst_new <= worst_rk4, "{worst_new} m vs {worst_rk4} m for one RK4 step per point");
            // The RK4 path's own crossing: the last point above the surface and the next below.
            let last = a.path.len() - 2;
            let mut x = x0;
            for _ in 0..last {
                x = motion::propagate_rk4(&x, PATH_STEP_S, PATH_STEP_S);
            }
            let next = motion::propagate_rk4(&x, PATH_STEP_S, PATH_STEP_S);
            assert!(alt(&x) > 0.0 && alt(&next) <= 0.0);
            let f = alt(&x) / (alt(&x) - alt(&next));
            let xi = x + (next - x) * f;
            let impact = Geodetic { alt_m: 0.0, ..pos(&xi).to_geodetic() }.to_ecef();
            let (ti, pi) = a.path[a.path.len() - 1];
            assert!((pi.0 - impact.0).norm() < 1e-3, "{} m", (pi.0 - impact.0).norm());
            assert!((ti - (t + PATH_STEP_S * (last as f64 + f))).abs() < 1e-6);
        }
    }

    /// Impact uncertainty by the chained 6×6 transition (the form the backward vector products
    /// replaced): the covariance carried to impact, projected on the ground plane.
    fn impact_sigma_of_covariance(x: &State6, p: &Cov6, impact: &Geodetic) -> f64 {
        let v = Vector3::new(x[3], x[4], x[5]);
        let [e, nn, n] = impact.enu_axes();
        let nv = n.dot(&v);
        let proj = nalgebra::Matrix3::identity() - v * n.transpose() / nv;
        let mut a = SMatrix::<f64, 3, 6>::zeros();
        a.fixed_view_mut::<3, 3>(0, 0).copy_from(&proj);
        let c = a * p * a.transpose();
        let ce = (e.transpose() * c * e)[0];
        let cn = (nn.transpose() * c * nn)[0];
        ((ce + cn) / 2.0).max(0.0).sqrt()
    }

    /// The backward vector products give the chained-matrix uncertainty to rounding.
    #[test]
    fn backward_vector_products_equal_the_chained_transition() {
        let aim = Geodetic::from_degrees(44.43, 26.10, 0.0);
        let x = semnan_missile_at(&aim, 300.0);
        let mut cov = Cov6::identity() * 400.0;
        for k in 0..3 {
            cov[(k, k + 3)] = 5.0;
            cov[(k + 3, k)] = 5.0;
            cov[(k + 3, k + 3)] = 0.25;
        }
        let a = assess(&x, &cov, 300.0, &[]).unwrap();
        let n = a.path.len() - 1;
        let (path, velocities) = (&a.path[..n], &a.velocities[..n]);
        let f = (a.impact_time_s - path[n - 1].0) / PATH_STEP_S;
        let mut phi = Cov6::identity();
        for (state, dt) in covariance_spans(path, velocities, f) {
            phi = motion::transition(&state, dt) * phi;
        }
        let v = a.velocities[n].0;
        let xi = State6::new(0.0, 0.0, 0.0, v.x, v.y, v.z);
        let chained = impact_sigma_of_covariance(&xi, &(phi * cov * phi.transpose()), &a.impact);
        assert!((a.impact_sigma_m - chained).abs() < 1e-9 * chained, "{} vs {chained}", a.impact_sigma_m);
        let spans = covariance_spans(path, velocities, f).count();
        assert_eq!(spans, (n - 1) / COVARIANCE_STEPS + 1);
    }

    /// The Horner sum of the transposed series equals the transposed transition matrix applied to the
    /// vectors, to rounding, for states at several places, steps of both signs and several vectors.
    #[test]
    fn transposed_series_equals_the_transition_matrix() {
        let states = [
            State6::new(4.0e6, 3.0e6, 4.2e6, 1500.0, -2200.0, 800.0),
            State6::new(6.4e6, 0.0, 0.0, 0.0, 7.0e3, 0.0),
            State6::new(-2.0e6, 5.0e6, -3.9e6, -300.0, 100.0, 2500.0),
        ];
        let ws = [State6::new(0.7, -0.2, 0.1, 0.0, 0.0, 0.0), State6::new(-0.1, 0.5, 0.8, 30.0, -12.0, 4.0)];
        for x in states {
            for dt in [-3.0, 4.0, 16.0, 13.7] {
                let phi = motion::transition(&x, dt);
                for (got, w) in transition_transposed_times(&x, dt, ws).iter().zip(ws) {
                    let want = phi.tr_mul(&w);
                    assert!((got - want).norm() <= 1e-13 * want.norm(), "{got} vs {want} (dt {dt})");
                }
            }
        }
    }

    /// The trigonometry-free altitude equals `Ecef::to_geodetic`'s within a micrometre from 20 km
    /// below to 30 km above the ellipsoid, at latitudes from pole to pole.
    #[test]
    fn geodetic_altitude_matches_the_geodetic_conversion() {
        for lat in (-89..=89).step_by(7) {
            for lon in [-170.0, -20.0, 0.0, 53.9, 120.0] {
                for alt in [-20e3, -1.0, 0.0, 0.5, 999.0, 11e3, 30e3] {
                    let p = Geodetic::from_degrees(lat as f64, lon, alt).to_ecef();
                    let want = p.to_geodetic().alt_m;
                    let got = geodetic_altitude(&p.0);
                    assert!((got - want).abs() < 1e-6, "{got} vs {want} at {lat}°, {lon}°, {alt} m");
                    assert!((got - alt).abs() < 1e-6);
                }
            }
        }
    }

    /// Impact uncertainty with the transition chained over steps of `step_s` (path states from
    /// `step_s` steps too), each evaluated at the step's start or at its middle (the state
    /// propagated half a step), to the linearly interpolated surface crossing.
    fn impact_sigma_by_steps(state: &State6, cov: &Cov6, step_s: f64, midpoint: bool) -> f64 {
        let (mut x, mut phi_total) = (*state, Cov6::identity());
        let alt = |x: &State6| pos(x).to_geodetic().alt_m;
        loop {
            let next = motion::propagate(&x, step_s);
            let at = |h: f64| if midpoint { motion::propagate(&x, h / 2.0) } else { x };
            if alt(&next) <= 0.0 {
                let f = alt(&x) / (alt(&x) - alt(&next));
                let xi = x + (next - x) * f;
                phi_total = motion::transition(&at(step_s * f), step_s * f) * phi_total;
                let impact = Geodetic { alt_m: 0.0, ..pos(&xi).to_geodetic() };
                return impact_sigma_of_covariance(&xi, &(phi_total * cov * phi_total.transpose()), &impact);
            }
            phi_total = motion::transition(&at(step_s), step_s) * phi_total;
            x = next;
        }
    }

    /// The impact uncertainty of the 16 s midpoint spans against a fine-step reference (0.25 s
    /// midpoint steps): within 1e-4 of it (about 1e-5 here, where the 4 s steps are off by up to 2e-4),
    /// and at least as close as the 4 s start-point steps it replaced, for missiles of several ranges
    /// and covariances of several shapes.
    #[test]
    fn impact_sigma_matches_a_fine_step_transition() {
        for (aim, t) in [
            (Geodetic::from_degrees(44.43, 26.10, 0.0), 300.0),
            (Geodetic::from_degrees(44.43, 26.10, 0.0), 700.0),
            (Geodetic::from_degrees(38.0, 40.0, 0.0), 200.0),
            (Geodetic::from_degrees(52.23, 21.01, 0.0), 400.0),
        ] {
            let x = semnan_missile_at(&aim, t);
            let mut correlated = Cov6::identity() * 400.0;
            for k in 0..3 {
                correlated[(k, k + 3)] = 5.0;
                correlated[(k + 3, k)] = 5.0;
                correlated[(k + 3, k + 3)] = 0.25;
            }
            let mut diagonal = Cov6::identity() * 100.0;
            for k in 3..6 {
                diagonal[(k, k)] = 0.09;
            }
            for cov in [diagonal, correlated] {
                let new = assess(&x, &cov, t, &[]).unwrap().impact_sigma_m;
                let reference = impact_sigma_by_steps(&x, &cov, 0.25, true);
                let old = impact_sigma_by_steps(&x, &cov, PATH_STEP_S, false);
                let (e_new, e_old) = ((new - reference).abs(), (old - reference).abs());
                assert!(e_new <= 1e-4 * reference, "{new} m vs {reference} m");
                assert!(e_new <= e_old, "{e_new} m vs {e_old} m with 4 s start-point steps");
            }
        }
    }

    #[test]
    fn predicts_the_impact_of_a_coasting_missile_at_its_aim_point() {
        let rot = EarthRotation::at_julian_date(2_457_175.0);
        let aim = Geodetic::from_degrees(44.43, 26.10, 0.0);
        let boost =
            BoostSpec { burnout_time_s: 110.0, burnout_altitude_m: 100e3, burnout_downrange_m: 120e3 };
        let traj = fly_threat(&Geodetic::from_degrees(35.23, 53.92, 0.0), &aim, 0.0, &boost, &rot).unwrap();
        let (p, v) = traj.ecef_at(300.0, &rot).unwrap();
        let x = State6::new(p.0.x, p.0.y, p.0.z, v.0.x, v.0.y, v.0.z);
        let asset =
            DefendedAsset { id: "bucharest".into(), party: 0, position: aim, radius_m: 30e3, value: 100.0 };
        let far = DefendedAsset { position: Geodetic::from_degrees(52.23, 21.01, 0.0), ..asset.clone() };
        // 10 m position and 0.3 m/s velocity errors (1σ per axis).
        let mut cov = Cov6::identity() * 100.0;
        for k in 3..6 {
            cov[(k, k)] = 0.09;
        }
        let a = assess(&x, &cov, 300.0, &[far, asset]).unwrap();
        let miss = (a.impact.to_ecef().0 - aim.to_ecef().0).norm();
        assert!(miss < 2_000.0, "predicted impact {miss} m from the aim point");
        assert!((a.impact_time_s - traj.impact_time_s()).abs() < 2.0);
        assert_eq!(a.threatened.map(|(i, _)| i), Some(1));
        assert!(a.threatened.unwrap().1 > 0.99);
        // The linearised impact uncertainty agrees with the spread of impacts of perturbed states
        // (deterministic ±σ perturbations of each state component, 12 points: the unscented spread).
        let n = 6.0f64;
        let mut sum_sq = 0.0;
        for k in 0..6 {
            for sign in [-1.0, 1.0] {
                let mut xp = x;
                xp[k] += sign * n.sqrt() * cov[(k, k)].sqrt();
                let b = assess(&xp, &Cov6::zeros(), 300.0, &[]).unwrap();
                let d = b.impact.to_ecef().to_enu(&a.impact).0;
                sum_sq += d.x * d.x + d.y * d.y;
            }
        }
        let spread = (sum_sq / 12.0 / 2.0).sqrt();
        assert!((a.impact_sigma_m - spread).abs() < 0.1 * spread, "{} vs {spread}", a.impact_sigma_m);
    }
}
