//! Angle-only (infrared line-of-sight) measurement model, angle-only initiation by triangulation,
//! and the cue that turns an infrared report into a narrowed radar search.
//!
//! - Measurement: the two tangent-plane angles (α, β) of the line of sight in a satellite's
//!   [`LosFrame`], with Jacobian and an EKF update (angle-only updates observe no range; they are
//!   used on tracks that already have one).
//! - Initiation: two or more lines of sight at one instant fix a point by weighted least squares
//!   (each ray constrains the two directions across it with variance (σ·range)²), with its covariance.
//! - A single line of sight fixes only a ray: the cue then covers the part of the ray between two
//!   altitudes, seen from the radar.

use crate::{Cov6, State6};
use nalgebra::{Matrix2, Matrix3, SMatrix, Vector2, Vector3};
use shieldnet_earth::{Ecef, Geodetic};
use shieldnet_sensors::{Cue, LosFrame};

/// Angle measurement vector (α, β), rad.
pub type Meas2 = Vector2<f64>;

/// Predicted angles of a state's position.
pub fn predict(frame: &LosFrame, x: &State6) -> Meas2 {
    let a = frame.angles(&Vector3::new(x[0], x[1], x[2]));
    Meas2::new(a[0], a[1])
}

/// Jacobian ∂(α, β)/∂state (zero on the velocity columns).
pub fn jacobian(frame: &LosFrame, x: &State6) -> SMatrix<f64, 2, 6> {
    let d = Vector3::new(x[0], x[1], x[2]) - frame.origin;
    let w = d.dot(&frame.nadir);
    let mut h = SMatrix::<f64, 2, 6>::zeros();
    for (row, axis) in [frame.a1, frame.a2].iter().enumerate() {
        // α = atan2(u, w): dα = (w du − u dw)/(u² + w²), du = axis·dd, dw = nadir·dd.
        let u = d.dot(axis);
        let g = (axis * w - frame.nadir * u) / (u * u + w * w);
        h.fixed_view_mut::<1, 3>(row, 0).copy_from(&g.transpose());
    }
    h
}

/// EKF update of (x, P) with measured angles `z` of noise `sigma_rad` (Joseph form). Returns the
/// updated Gaussian and the NIS, or `None` if the innovation covariance is singular.
pub fn update(
    frame: &LosFrame,
    x: &State6,
    p: &Cov6,
    z: &Meas2,
    sigma_rad: f64,
) -> Option<(State6, Cov6, f64)> {
    let h = jacobian(frame, x);
    let r = Matrix2::identity() * sigma_rad * sigma_rad;
    let s = h * p * h.transpose() + r;
    let s_inv = s.try_inverse()?;
    let nu = z - predict(frame, x);
    let k = p * h.transpose() * s_inv;
    let i_kh = Cov6::identity() - k * h;
    let pn = i_kh * p * i_kh.transpose() + k * r * k.transpose();
    Some((x + k * nu, (pn + pn.transpose()) * 0.5, (nu.transpose() * s_inv * nu)[0]))
}

/// One line of sight: origin (ECEF m), unit direction, angular noise (rad).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ray {
    /// Sensor position, ECEF.
    pub origin: Vector3<f64>,
    /// Unit direction.
    pub dir: Vector3<f64>,
    /// Angular noise per axis (1σ), rad.
    pub sigma_rad: f64,
}

/// Least-squares intersection of two or more rays and its covariance: minimises
/// Σ |(I − dᵢdᵢᵀ)(p − oᵢ)|² / (σᵢ·ρᵢ)² with ρᵢ the range to the solution (one re-weighting pass), so
/// the covariance is (Σ (I − dᵢdᵢᵀ)/(σᵢρᵢ)²)⁻¹. `None` when the rays are (nearly) parallel or the
/// point lies behind a sensor.
pub fn triangulate(rays: &[Ray]) -> Option<(Vector3<f64>, Matrix3<f64>)> {
    if rays.len() < 2 {
        return None;
    }
    let solve = |weights: &[f64]| -> Option<(Vector3<f64>, Matrix3<f64>)> {
        let mut a = Matrix3::zeros();
        let mut b = Vector3::zeros();
        for (ray, w) in rays.iter().zip(weights) {
            let proj = Matrix3::identity() - ray.dir * ray.dir.transpose();
            a += proj * *w;
            b += proj * ray.origin * *w;
        }
        let ai = a.try_inverse()?;
        Some((ai * b, ai))
    };
    let (p0, _) = solve(&vec![1.0; rays.len()])?;
    let weights: Vec<f64> =
        rays.iter().map(|r| 1.0 / (r.sigma_rad * (p0 - r.origin).norm().max(1.0)).powi(2)).collect();
    let (p, cov) = solve(&weights)?;
    if rays.iter().any(|r| (p - r.origin).dot(&r.dir) <= 0.0) || !cov.iter().all(|v| v.is_finite()) {
        return None;
    }
    // Reject near-parallel geometry: the worst direction must be constrained to within 1,000 km.
    if cov.symmetric_eigenvalues().max() > 1e12 {
        return None;
    }
    Some((p, (cov + cov.transpose()) * 0.5))
}

/// Distance between two rays at their closest approach (a consistency check before triangulating).
pub fn miss_distance(a: &Ray, b: &Ray) -> f64 {
    let n = a.dir.cross(&b.dir);
    if n.norm() < 1e-12 {
        return (b.origin - a.origin).cross(&a.dir).norm();
    }
    (b.origin - a.origin).dot(&n.normalize()).abs()
}

/// A radar cue around a point with covariance: centred on the point's direction from `site`, with a
/// half-angle of `k_sigma` times the largest position standard deviation over the range, at least
/// `min_half_angle_rad`.
pub fn point_cue(
    site: &Geodetic,
    p: &Vector3<f64>,
    cov: &Matrix3<f64>,
    k_sigma: f64,
    min_half_angle_rad: f64,
) -> Cue {
    let la = Ecef(*p).look_angles_from(site);
    let sd = cov.symmetric_eigenvalues().max().max(0.0).sqrt();
    let half = (k_sigma * sd / la.range_m.max(1.0)).atan().max(min_half_angle_rad);
    Cue { az_rad: la.az_rad, el_rad: la.el_rad, half_angle_rad: half }
}

/// A radar cue covering one line of sight between altitudes `alt_lo_m` and `alt_hi_m` (where a
/// boosting missile can be), seen from `site`: the smallest circle (about the mean direction) that
/// holds the ray's points in that altitude band, widened by `margin_rad`. `None` if the ray does
/// not pass through the band.
pub fn ray_cue(site: &Geodetic, ray: &Ray, alt_lo_m: f64, alt_hi_m: f64, margin_rad: f64) -> Option<Cue> {
    // Sample the ray from the sensor outward; keep points in the altitude band.
    let origin_range = ray.origin.norm();
    let n = 400;
    let mut dirs = Vec::new();
    for i in 0..=n {
        let s = origin_range * 1.2 * i as f64 / n as f64;
        let p = ray.origin + ray.dir * s;
        let alt = Ecef(p).to_geodetic().alt_m;
        if (alt_lo_m..=alt_hi_m).contains(&alt) {
            let la = Ecef(p).look_angles_from(site);
            let (se, ce) = la.el_rad.sin_cos();
            let (sa, ca) = la.az_rad.sin_cos();
            dirs.push(Vector3::new(ce * sa, ce * ca, se));
        }
        if alt < alt_lo_m && !dirs.is_empty() {
            break;
        }
    }
    if dirs.is_empty() {
        return None;
    }
    let mean = dirs.iter().sum::<Vector3<f64>>().normalize();
    let half = dirs.iter().map(|d| d.dot(&mean).clamp(-1.0, 1.0).acos()).fold(0.0, f64::max);
    Some(Cue {
        az_rad: mean.x.atan2(mean.y).rem_euclid(std::f64::consts::TAU),
        el_rad: mean.z.clamp(-1.0, 1.0).asin(),
        half_angle_rad: half + margin_rad,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use rand_distr::{Distribution, StandardNormal};
    use shieldnet_sensors::infrared::geostationary;

    #[test]
    fn jacobian_matches_finite_differences() {
        let f = LosFrame::new(&geostationary(50f64.to_radians()));
        let p = Geodetic::from_degrees(35.0, 53.0, 60e3).to_ecef().0;
        let x = State6::new(p.x, p.y, p.z, 1e3, 2e3, 0.0);
        let h = jacobian(&f, &x);
        for j in 0..3 {
            let mut dx = State6::zeros();
            dx[j] = 10.0;
            let col = (predict(&f, &(x + dx)) - predict(&f, &(x - dx))) / 20.0;
            for i in 0..2 {
                assert!((col[i] - h[(i, j)]).abs() < 1e-9 * h[(i, j)].abs().max(1e-12) + 1e-16, "{i},{j}");
            }
        }
    }

    #[test]
    fn perpendicular_rays_give_the_closed_form_point_and_covariance() {
        // Rays along x from (−1000 km, 0, 0) and along y from (0, −2000 km, 0) meet at the origin.
        let (s1, s2) = (1e-4, 2e-4);
        let rays = [
            Ray { origin: Vector3::new(-1e6, 0.0, 0.0), dir: Vector3::x(), sigma_rad: s1 },
            Ray { origin: Vector3::new(0.0, -2e6, 0.0), dir: Vector3::y(), sigma_rad: s2 },
        ];
        let (p, cov) = triangulate(&rays).unwrap();
        assert!(p.norm() < 1e-6);
        // Variances: ray 1 (σρ = 100 m) fixes y and z, ray 2 (σρ = 400 m) fixes x and z:
        // cov = diag(400², 100², 1/(1/100² + 1/400²)) = diag(160000, 10000, 9411.76).
        let expect =
            Matrix3::from_diagonal(&Vector3::new(160_000.0, 10_000.0, 1.0 / (1e-4 + 1.0 / 160_000.0)));
        assert!((cov - expect).norm() < 1e-6, "{cov}");
        assert!((miss_distance(&rays[0], &rays[1])).abs() < 1e-9);
    }

    #[test]
    fn two_geo_satellites_triangulate_a_boosting_missile_consistently() {
        let sats = [
            LosFrame::new(&geostationary(10f64.to_radians())),
            LosFrame::new(&geostationary(90f64.to_radians())),
        ];
        let truth = Geodetic::from_degrees(33.0, 52.0, 80e3).to_ecef().0;
        let sigma = 3e-5;
        let mut rng = ChaCha8Rng::seed_from_u64(4);
        let runs = 2_000;
        let mut nees = 0.0;
        let mut err2 = 0.0;
        let mut tr = 0.0;
        for _ in 0..runs {
            let rays: Vec<Ray> = sats
                .iter()
                .map(|f| {
                    let a = f.angles(&truth);
                    let n1: f64 = StandardNormal.sample(&mut rng);
                    let n2: f64 = StandardNormal.sample(&mut rng);
                    Ray {
                        origin: f.origin,
                        dir: f.direction(&[a[0] + sigma * n1, a[1] + sigma * n2]),
                        sigma_rad: sigma,
                    }
                })
                .collect();
            let (p, cov) = triangulate(&rays).unwrap();
            let e = p - truth;
            nees += (e.transpose() * cov.try_inverse().unwrap() * e)[0];
            err2 += e.norm_squared();
            tr += cov.trace();
        }
        // Mean NEES of a 3-D Gaussian is 3: 99 % band for 2,000 runs is 3 ± 2.576·√(6/2000) = ±0.141.
        let mean = nees / runs as f64;
        assert!((mean - 3.0).abs() < 0.141, "mean NEES {mean}");
        // The error is a few km at GEO ranges (σ·ρ ≈ 1.1 km per ray): RMS equals √trace.
        let (rms, pred) = ((err2 / runs as f64).sqrt(), (tr / runs as f64).sqrt());
        assert!((rms / pred - 1.0).abs() < 0.05 && rms > 500.0 && rms < 5_000.0, "{rms} vs {pred}");
    }

    #[test]
    fn a_ray_cue_holds_the_missile_and_a_point_cue_scales_with_the_covariance() {
        let f = LosFrame::new(&geostationary(50f64.to_radians()));
        let site = Geodetic::from_degrees(38.349, 37.794, 2085.0);
        let truth = Geodetic::from_degrees(35.0, 46.0, 90e3).to_ecef();
        let ray = Ray { origin: f.origin, dir: f.direction(&f.angles(&truth.0)), sigma_rad: 3e-5 };
        let cue = ray_cue(&site, &ray, 10e3, 300e3, 0.002).unwrap();
        assert!(cue.contains(&truth.look_angles_from(&site)));
        // The cue is much smaller than a 120° × 80° search sector (≈ 2.9 sr).
        assert!(cue.solid_angle_sr() < 0.05, "{}", cue.solid_angle_sr());
        let cov = Matrix3::identity() * 1e6; // 1 km σ
        let c = point_cue(&site, &truth.0, &cov, 3.0, 1e-3);
        let range = truth.look_angles_from(&site).range_m;
        assert!((c.half_angle_rad - (3e3 / range).atan()).abs() < 1e-12);
        assert!(c.contains(&truth.look_angles_from(&site)));
    }

    #[test]
    fn angle_updates_pull_a_track_across_the_line_of_sight_only() {
        let f = LosFrame::new(&geostationary(50f64.to_radians()));
        let truth = Geodetic::from_degrees(35.0, 53.0, 60e3).to_ecef().0;
        let x = State6::new(truth.x + 5e3, truth.y - 4e3, truth.z + 3e3, 0.0, 0.0, 0.0);
        let p = Cov6::identity() * 1e8;
        let a = f.angles(&truth);
        let (xn, pn, _) = update(&f, &x, &p, &Meas2::new(a[0], a[1]), 1e-6).unwrap();
        let los = (truth - f.origin).normalize();
        let e0 = Vector3::new(x[0], x[1], x[2]) - truth;
        let e1 = Vector3::new(xn[0], xn[1], xn[2]) - truth;
        // The cross-range error is removed; the along-line-of-sight error stays.
        assert!((e1 - los * e1.dot(&los)).norm() < 50.0, "{e1}");
        assert!((e1.dot(&los) - e0.dot(&los)).abs() < 100.0);
        assert!(pn.fixed_view::<3, 3>(0, 0).trace() < p.fixed_view::<3, 3>(0, 0).trace());
    }
}
