//! Track-mode revisits: a radar with `track_revisit_s` looks, between its search looks, at a small
//! window around each of its owner's confirmed tracks inside its volume (search-and-track
//! scheduling; the window is the track's predicted direction ± 3σ of its position over the range,
//! at least [`MIN_HALF_ANGLE_RAD`]).

use shieldnet_earth::Ecef;
use shieldnet_sensors::{Cue, Radar};
use shieldnet_tracking::Track;
use shieldnet_tracking::motion::propagate;

/// Smallest window half-angle, rad.
pub const MIN_HALF_ANGLE_RAD: f64 = 2e-3;

/// The windows of a track-mode look at `t_s`, one per confirmed track the radar can see.
pub fn windows(radar: &Radar, tracks: &[Track], t_s: f64) -> Vec<Cue> {
    tracks
        .iter()
        .filter(|tr| tr.is_confirmed())
        .filter_map(|tr| {
            let x = propagate(&tr.state, t_s - tr.time_s);
            let p = Ecef(shieldnet_earth::Vec3::new(x[0], x[1], x[2]));
            if !radar.can_see(&p) {
                return None;
            }
            let la = p.look_angles_from(&radar.spec.site);
            let sd = (3.0 * tr.position_sigma_m() / la.range_m.max(1.0)).atan();
            Some(Cue { az_rad: la.az_rad, el_rad: la.el_rad, half_angle_rad: sd.max(MIN_HALF_ANGLE_RAD) })
        })
        .collect()
}
