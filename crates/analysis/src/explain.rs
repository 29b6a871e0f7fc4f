//! `--explain`: the timeline of one (site, trajectory) pair at one burnout speed and delay, and why an
//! intercept is or is not feasible (out of speed, behind, tail chase, altitude/range limits, too late).

use crate::reach::{Envelope, PointLimit, ReachProfile, window};
use crate::study::{Site, ThreatSpec};
use serde::Serialize;
use shieldnet_earth::constants::MEAN_RADIUS;
use shieldnet_earth::{EarthRotation, Vec3};
use shieldnet_flight::Trajectory;

/// One line of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Seconds after threat launch.
    pub t_s: f64,
    /// What happens.
    pub what: String,
}

/// The explanation of one pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Site name.
    pub site: String,
    /// Launch field.
    pub launch: String,
    /// Aim point.
    pub aim: String,
    /// Burnout speed, km/s.
    pub burnout_speed_km_s: f64,
    /// Delay after threat burnout, s.
    pub delay_s: f64,
    /// Whether an intercept is feasible.
    pub feasible: bool,
    /// Timeline, in time order.
    pub timeline: Vec<Event>,
    /// Why it succeeds or fails.
    pub reasons: Vec<String>,
}

/// Unit vector of a point on the sphere.
fn unit(v: &Vec3) -> Vec3 {
    v / v.norm()
}

/// Signed along-track distance of `p` from `a` on the great circle from `a` towards `b`, m
/// (negative: behind `a`).
fn along_track_m(a: &Vec3, b: &Vec3, p: &Vec3) -> f64 {
    let (ua, ub, up) = (unit(a), unit(b), unit(p));
    let n = ua.cross(&ub);
    if n.norm() < 1e-12 {
        return 0.0;
    }
    let n = n / n.norm();
    // Project p on the plane of the great circle, measure the angle from a.
    let q = up - n * up.dot(&n);
    let ang = ua.cross(&q).dot(&n).atan2(ua.dot(&q));
    ang * MEAN_RADIUS
}

/// Explains one pair. `step_s` is the intercept-time grid spacing.
#[allow(clippy::too_many_arguments)]
pub fn explain(
    site: &Site,
    spec: &ThreatSpec,
    trajectory: &Trajectory,
    speed_m_s: f64,
    delay_s: f64,
    envelope: &Envelope,
    rotation: &EarthRotation,
    step_s: f64,
) -> Explanation {
    let site_g = site.point.geodetic();
    let profile = ReachProfile::new(trajectory, &site_g, envelope, rotation, step_s, f64::INFINITY);
    let t0 = trajectory.launch_time_s();
    let tb = trajectory.burnout_time_s();
    let commit = tb + delay_s;
    let needs = profile.needs(commit);
    let w = window(&needs, speed_m_s);
    let pts = profile.points();
    let mut tl = vec![Event {
        t_s: 0.0,
        what: format!("threat launch from {} toward {} ({})", spec.launch.name, spec.aim.name, spec.class),
    }];
    if let Some(b) = trajectory.state_at(tb) {
        let (p, v) = b.to_ecef(rotation);
        tl.push(Event {
            t_s: tb - t0,
            what: format!(
                "threat burnout: altitude {:.0} km, Earth-relative speed {:.2} km/s",
                p.to_geodetic().alt_m / 1e3,
                v.0.norm() / 1e3
            ),
        });
    }
    let apogee = trajectory
        .samples()
        .iter()
        .map(|s| (s.t_s, rotation.eci_to_ecef(&s.pos, s.t_s).to_geodetic().alt_m))
        .fold((0.0, f64::NEG_INFINITY), |a, b| if b.1 > a.1 { b } else { a });
    tl.push(Event { t_s: apogee.0 - t0, what: format!("threat apogee {:.0} km", apogee.1 / 1e3) });
    tl.push(Event {
        t_s: commit - t0,
        what: format!(
            "first detection / commit: cueing assumed complete {delay_s:.0} s after burnout (first \
             detection not modelled separately); earliest interceptor launch"
        ),
    });
    if let Some(p) = pts.iter().find(|p| p.limit == PointLimit::None) {
        tl.push(Event {
            t_s: p.t_s - t0,
            what: format!(
                "threat enters the site's envelope (altitude {:.0} km, ground range {:.0} km)",
                p.altitude_m / 1e3,
                p.ground_range_m / 1e3
            ),
        });
    }
    let mut reasons = Vec::new();
    if let Some(w) = w {
        let (p, n) = (&pts[w.earliest], &needs[w.earliest]);
        tl.push(Event {
            t_s: n.launch_time_s - t0,
            what: format!(
                "interceptor launch from {} (fly-out {:.0} s)",
                site.point.name,
                p.t_s - n.launch_time_s
            ),
        });
        tl.push(Event {
            t_s: p.t_s - t0,
            what: format!(
                "earliest feasible intercept: altitude {:.0} km, ground range {:.0} km, needs {:.2} km/s of {:.2}",
                p.altitude_m / 1e3,
                p.ground_range_m / 1e3,
                n.speed_m_s / 1e3,
                speed_m_s / 1e3
            ),
        });
        let l = &pts[w.latest];
        tl.push(Event {
            t_s: l.t_s - t0,
            what: format!("latest feasible intercept: altitude {:.0} km", l.altitude_m / 1e3),
        });
        reasons.push(format!(
            "feasible: intercept window {:.0} s long ({:.0}–{:.0} s after threat launch)",
            l.t_s - p.t_s,
            p.t_s - t0,
            l.t_s - t0
        ));
    }
    // Closest feasible point: the instant that needs the least speed.
    let best = (0..needs.len())
        .filter(|&i| needs[i].speed_m_s.is_finite())
        .min_by(|&a, &b| needs[a].speed_m_s.total_cmp(&needs[b].speed_m_s));
    let site_e = site_g.to_ecef().0;
    let behind =
        along_track_m(&spec.launch.geodetic().to_ecef().0, &spec.aim.geodetic().to_ecef().0, &site_e);
    if w.is_none() {
        let in_env = pts.iter().filter(|p| p.limit == PointLimit::None).count();
        let count = |l: PointLimit| pts.iter().filter(|p| p.limit == l).count();
        if in_env == 0 {
            reasons.push(format!(
                "never inside the envelope: of {} grid instants {} below {:.0} km, {} above the altitude limit, \
                 {} beyond the range limit, {} with no climbing arc",
                pts.len(),
                count(PointLimit::TooLow),
                envelope.min_alt_m / 1e3,
                count(PointLimit::TooHigh),
                count(PointLimit::TooFar),
                count(PointLimit::NoArc)
            ));
        } else if let Some(i) = best {
            let (p, n) = (&pts[i], &needs[i]);
            reasons.push(format!(
                "out of speed: the closest feasible point ({:.0} s, altitude {:.0} km, ground range {:.0} km) \
                 needs {:.2} km/s, the interceptor has {:.2} km/s",
                p.t_s - t0,
                p.altitude_m / 1e3,
                p.ground_range_m / 1e3,
                n.speed_m_s / 1e3,
                speed_m_s / 1e3
            ));
            tl.push(Event {
                t_s: p.t_s - t0,
                what: format!("closest feasible point: needs {:.2} km/s", n.speed_m_s / 1e3),
            });
            let zero = profile.need(i, tb).speed_m_s;
            if zero < n.speed_m_s - 1.0 {
                reasons.push(format!(
                    "behind in time: with no delay the same point would need {:.2} km/s; the {delay_s:.0} s \
                     delay costs {:.2} km/s",
                    zero / 1e3,
                    (n.speed_m_s - zero) / 1e3
                ));
            }
            let (pe, ve) = rotation.eci_state_to_ecef(&p.pos, &p.vel, p.t_s);
            let d = pe.0 - site_e;
            let range_rate = d.dot(&ve.0) / d.norm();
            if range_rate > 0.0 {
                reasons.push(format!(
                    "tail chase: at that point the threat recedes from the site at {:.2} km/s",
                    range_rate / 1e3
                ));
            }
        } else {
            reasons.push(format!(
                "too late: every in-envelope instant comes before the interceptor could launch at commit \
                 ({:.0} s) and burn out",
                commit - t0
            ));
        }
        if behind < 0.0 {
            reasons.push(format!(
                "the site is {:.0} km behind the launch point along the threat's ground track",
                -behind / 1e3
            ));
        }
    }
    tl.push(Event {
        t_s: trajectory.impact_time_s() - t0,
        what: format!("threat impact at {}", spec.aim.name),
    });
    tl.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    Explanation {
        site: site.point.name.clone(),
        launch: spec.launch.name.clone(),
        aim: spec.aim.name.clone(),
        burnout_speed_km_s: speed_m_s / 1e3,
        delay_s,
        feasible: w.is_some(),
        timeline: tl,
        reasons,
    }
}
