//! The radar measurement model: range, azimuth and elevation of an ECEF position seen from a site, its
//! Jacobian, and the conversion of a measurement back to an ECEF point with covariance (for track
//! initiation).

use crate::State6;
use nalgebra::{Matrix3, SMatrix, Vector3};
use shieldnet_earth::{Ecef, Geodetic, LookAngles};
use shieldnet_sensors::radar::wrap_pi;

/// Measurement vector: range (m), azimuth (rad), elevation (rad).
pub type Meas3 = Vector3<f64>;

/// A radar site's local frame, computed once per look: ECEF origin and (east, north, up) axes. The
/// measurement functions below are the same arithmetic as [`Ecef::look_angles_from`] without
/// recomputing the site's trigonometry for every track.
#[derive(Debug, Clone, Copy)]
pub struct SiteFrame {
    /// Site position, ECEF.
    pub origin: Vector3<f64>,
    /// East, north, up unit vectors in ECEF.
    pub axes: [Vector3<f64>; 3],
}

impl SiteFrame {
    /// The frame of `site`.
    pub fn new(site: &Geodetic) -> Self {
        Self { origin: site.to_ecef().0, axes: site.enu_axes() }
    }

    /// ENU coordinates of a state's position.
    pub fn enu(&self, x: &State6) -> Vector3<f64> {
        let d = Vector3::new(x[0], x[1], x[2]) - self.origin;
        let [e, n, u] = &self.axes;
        Vector3::new(e.dot(&d), n.dot(&d), u.dot(&d))
    }

    /// Predicted measurement of a state.
    pub fn predict(&self, x: &State6) -> Meas3 {
        let la = shieldnet_earth::Enu(self.enu(x)).look_angles();
        Meas3::new(la.range_m, la.az_rad, la.el_rad)
    }

    /// Measurement Jacobian ∂(range, az, el)/∂state (zero on the velocity columns).
    pub fn jacobian(&self, x: &State6) -> SMatrix<f64, 3, 6> {
        jacobian_enu(&self.enu(x), &self.axes)
    }

    /// The ECEF point of a local East-North-Up vector (the arithmetic of
    /// [`shieldnet_earth::Enu::to_ecef`], hence its values).
    pub fn to_ecef(&self, enu: &Vector3<f64>) -> Vector3<f64> {
        let [e, n, u] = &self.axes;
        self.origin + e * enu.x + n * enu.y + u * enu.z
    }
}

/// Predicted measurement of a state from a site.
pub fn predict(x: &State6, site: &Geodetic) -> Meas3 {
    let la = Ecef(Vector3::new(x[0], x[1], x[2])).look_angles_from(site);
    Meas3::new(la.range_m, la.az_rad, la.el_rad)
}

/// Measurement Jacobian ∂(range, az, el)/∂state (zero on the velocity columns).
pub fn jacobian(x: &State6, site: &Geodetic) -> SMatrix<f64, 3, 6> {
    let enu = Ecef(Vector3::new(x[0], x[1], x[2])).to_enu(site).0;
    jacobian_enu(&enu, &site.enu_axes())
}

fn jacobian_enu(enu: &Vector3<f64>, axes: &[Vector3<f64>; 3]) -> SMatrix<f64, 3, 6> {
    let (e, n, u) = (enu.x, enu.y, enu.z);
    let rho2 = e * e + n * n;
    let rho = rho2.sqrt().max(1e-3);
    let r2 = rho2 + u * u;
    let r = r2.sqrt().max(1e-3);
    let d_enu = Matrix3::new(
        e / r,
        n / r,
        u / r,
        n / (rho * rho),
        -e / (rho * rho),
        0.0,
        -e * u / (r2 * rho),
        -n * u / (r2 * rho),
        rho / r2,
    );
    let [ax, ay, az] = axes;
    let rot = Matrix3::from_rows(&[ax.transpose(), ay.transpose(), az.transpose()]);
    let mut h = SMatrix::<f64, 3, 6>::zeros();
    h.fixed_view_mut::<3, 3>(0, 0).copy_from(&(d_enu * rot));
    h
}

/// Innovation z − h(x) with the azimuth difference wrapped to (−π, π].
pub fn innovation(z: &Meas3, predicted: &Meas3) -> Meas3 {
    let mut d = z - predicted;
    d[1] = wrap_pi(d[1]);
    d
}

/// Measurement covariance from per-axis standard deviations.
pub fn noise(sigma: &[f64; 3]) -> Matrix3<f64> {
    Matrix3::from_diagonal(&Vector3::new(sigma[0].powi(2), sigma[1].powi(2), sigma[2].powi(2)))
}

/// The ECEF point of a measurement and its covariance (first-order conversion).
pub fn to_ecef_with_covariance(
    z: &LookAngles,
    sigma: &[f64; 3],
    site: &Geodetic,
) -> (Vector3<f64>, Matrix3<f64>) {
    to_ecef_with_covariance_in(z, sigma, &SiteFrame::new(site))
}

/// [`to_ecef_with_covariance`] with the site's position and axes computed once (same values bit for
/// bit, tested).
pub fn to_ecef_with_covariance_in(
    z: &LookAngles,
    sigma: &[f64; 3],
    frame: &SiteFrame,
) -> (Vector3<f64>, Matrix3<f64>) {
    let p = frame.to_ecef(&z.to_enu().0);
    let x = State6::new(p.x, p.y, p.z, 0.0, 0.0, 0.0);
    let h = frame.jacobian(&x).fixed_view::<3, 3>(0, 0).into_owned();
    let cov = match h.try_inverse() {
        Some(hi) => hi * noise(sigma) * hi.transpose(),
        None => Matrix3::identity() * (sigma[0] * sigma[0]),
    };
    (p, cov)
}

/// Predicted range rate (m/s) of a state seen from a site at ECEF `origin` (radar fixed on the Earth,
/// state velocity Earth-relative).
pub fn range_rate(x: &State6, origin: &Vector3<f64>) -> f64 {
    let d = Vector3::new(x[0], x[1], x[2]) - origin;
    d.dot(&Vector3::new(x[3], x[4], x[5])) / d.norm().max(1e-3)
}

/// Jacobian of [`range_rate`]: ∂ṙ/∂r = (v − ṙ·u)/ρ, ∂ṙ/∂v = u (u the unit line of sight).
pub fn range_rate_jacobian(x: &State6, origin: &Vector3<f64>) -> SMatrix<f64, 1, 6> {
    let d = Vector3::new(x[0], x[1], x[2]) - origin;
    let rho = d.norm().max(1e-3);
    let u = d / rho;
    let v = Vector3::new(x[3], x[4], x[5]);
    let rr = u.dot(&v);
    let dr = (v - u * rr) / rho;
    SMatrix::<f64, 1, 6>::new(dr.x, dr.y, dr.z, u.x, u.y, u.z)
}

/// Sequential scalar EKF update with a measured range rate `z` (noise `sigma`, independent of the
/// range/angle noise, so updating after them is exact to first order). Joseph form.
pub fn update_range_rate(
    x: &State6,
    p: &crate::Cov6,
    origin: &Vector3<f64>,
    z: f64,
    sigma: f64,
) -> (State6, crate::Cov6) {
    let h = range_rate_jacobian(x, origin);
    let s = (h * p * h.transpose())[0] + sigma * sigma;
    if s.is_nan() || s <= 0.0 {
        return (*x, *p);
    }
    let k = p * h.transpose() / s;
    let nu = z - range_rate(x, origin);
    let i_kh = crate::Cov6::identity() - k * h;
    let pn = i_kh * p * i_kh.transpose() + k * k.transpose() * (sigma * sigma);
    (x + k * nu, (pn + pn.transpose()) * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_rate_jacobian_matches_finite_differences() {
        let origin = Geodetic::from_degrees(38.3, 37.8, 2000.0).to_ecef().0;
        let p = Geodetic::from_degrees(36.0, 45.0, 250e3).to_ecef().0;
        let x = State6::new(p.x, p.y, p.z, -1500.0, 2200.0, 800.0);
        let h = range_rate_jacobian(&x, &origin);
        for j in 0..6 {
            let step = if j < 3 { 10.0 } else { 0.1 };
            let mut dx = State6::zeros();
            dx[j] = step;
            let fd = (range_rate(&(x + dx), &origin) - range_rate(&(x - dx), &origin)) / (2.0 * step);
            assert!((fd - h[(0, j)]).abs() < 1e-9 * (1.0 + h[(0, j)].abs()), "{j}: {fd} vs {}", h[(0, j)]);
        }
        // Range rate of a target moving straight away at 1 km/s is 1 km/s.
        let u = (p - origin).normalize() * 1000.0;
        let y = State6::new(p.x, p.y, p.z, u.x, u.y, u.z);
        assert!((range_rate(&y, &origin) - 1000.0).abs() < 1e-9);
    }

    /// The site-frame conversion of a measurement equals, bit for bit, the one through the general
    /// geodetic conversions (the site's trigonometry redone per call).
    #[test]
    fn measurement_to_ecef_in_the_site_frame_equals_the_general_conversion() {
        let mut next = crate::test_rng::uniform(99);
        for _ in 0..200 {
            let site = Geodetic::from_degrees(180.0 * next() - 90.0, 360.0 * next() - 180.0, 3e3 * next());
            let z = LookAngles {
                range_m: 1e3 + 3e6 * next(),
                az_rad: std::f64::consts::TAU * next(),
                el_rad: 1.5 * next() - 0.1,
            };
            let sigma = [5.0 + 50.0 * next(), 1e-4 + 2e-3 * next(), 1e-4 + 2e-3 * next()];
            // The general path: Enu::to_ecef and the per-call Jacobian.
            let p = z.to_enu().to_ecef(&site).0;
            let h = jacobian(&State6::new(p.x, p.y, p.z, 0.0, 0.0, 0.0), &site)
                .fixed_view::<3, 3>(0, 0)
                .into_owned();
            let hi = h.try_inverse().expect("invertible off the site");
            let cov = hi * noise(&sigma) * hi.transpose();
            let (q, c) = to_ecef_with_covariance_in(&z, &sigma, &SiteFrame::new(&site));
            for (a, b) in q.iter().zip(p.iter()).chain(c.iter().zip(cov.iter())) {
                assert_eq!(a.to_bits(), b.to_bits(), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn site_frame_equals_the_per_call_functions() {
        let site = Geodetic::from_degrees(38.3, 37.8, 2000.0);
        let p = Geodetic::from_degrees(36.0, 45.0, 250e3).to_ecef().0;
        let x = State6::new(p.x, p.y, p.z, 0.0, 0.0, 0.0);
        let f = SiteFrame::new(&site);
        assert!((f.predict(&x) - predict(&x, &site)).norm() < 1e-9);
        assert!((f.jacobian(&x) - jacobian(&x, &site)).norm() < 1e-15);
    }

    #[test]
    fn jacobian_matches_finite_differences() {
        let site = Geodetic::from_degrees(38.3, 37.8, 2000.0);
        let p = Geodetic::from_degrees(36.0, 45.0, 250e3).to_ecef().0;
        let x = State6::new(p.x, p.y, p.z, 0.0, 0.0, 0.0);
        let h = jacobian(&x, &site);
        for j in 0..3 {
            let mut dx = State6::zeros();
            dx[j] = 1.0;
            let d = innovation(&predict(&(x + dx), &site), &predict(&(x - dx), &site)) / 2.0;
            for i in 0..3 {
                assert!((d[i] - h[(i, j)]).abs() < 1e-9 * (1.0 + h[(i, j)].abs()) + 1e-12);
            }
        }
    }
}
