//! The modelling assumptions of a study, stated in every output (text header, JSON, docs): the
//! published disputes over what a shield can reach turned on exactly these.

use crate::study::Study;

/// The assumptions behind a study's rows, one sentence each.
pub fn assumptions(study: &Study, step_s: f64) -> Vec<String> {
    let e = &study.envelope;
    let km = |m: f64| if m.is_finite() { format!("{:.0} km", m / 1e3) } else { "no limit".to_string() };
    let mut out = vec![
        "Threats: minimum-energy trajectories flown by flight::fly_threat (kinematic boost to a notional \
         burnout point, then a J2 coast on the rotating WGS-84 Earth aimed within 20 m; no drag, no \
         decoys, no manoeuvres); ICBM boost 180 s / 240 km / 450 km downrange, IRBM 140 s / 160 km / \
         250 km (ICBM when the ground range exceeds 5,500 km); all launched at t = 0."
            .to_string(),
        "Cueing: the interceptor may launch from commit = threat burnout + delay (the delay stands for \
         detection, tracking, classification and the launch decision after the threat's boost ends; \
         first detection by a sensor is not modelled separately)."
            .to_string(),
        format!(
            "Interceptor boost: burn time {:.0} s, modelled as an impulse at mid-burn at the site \
             (gravity losses during the burn neglected); burnout speed is Earth-relative.",
            e.burn_time_s
        ),
        "Interceptor coast: a Keplerian arc under point-mass gravity (Izzo Lambert solver, short way) \
         that leaves the site climbing, so it never passes through or below the horizon; no straight \
         lines, no drag, no J2, no divert or seeker limits."
            .to_string(),
        "Energy management: an interceptor faster than needed may wait or waste energy; for an intercept \
         at time t the needed speed is that of the inertial minimum-energy coast time if the commit \
         time allows it, else of the longest coast available (launch at commit), never less than the \
         former. A trajectory is reachable at burnout speed v if some grid instant needs at most v."
            .to_string(),
        format!(
            "Envelope: intercept altitude from {} to {}, ground range from the site {}; intercept no \
             earlier than the interceptor's burnout.",
            km(e.min_alt_m),
            km(e.max_alt_m),
            km(e.max_range_m)
        ),
        format!(
            "Intercept times on a fixed grid every {step_s:.0} s from threat burnout to impact (earliest \
             and latest are grid instants; windows shorter than the grid can be missed); the same grid \
             for every speed and delay, so reachability never falls as speed rises or delay falls."
        ),
        "margin_s: length of the feasible intercept window, latest minus earliest feasible intercept \
         time (gaps inside the window are possible); speed_needed_km_s: lowest burnout speed that \
         reaches the trajectory with the row's delay."
            .to_string(),
        "Times in rows are seconds after threat launch. Kinematic feasibility only: no Pk, no \
         discrimination, no sensor coverage or engagement doctrine."
            .to_string(),
        "Sites and interceptor parameters of real systems are notional values from public reporting, \
         not data of any real system."
            .to_string(),
    ];
    out.extend(study.notes.iter().cloned());
    out
}
