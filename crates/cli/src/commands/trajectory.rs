//! `shieldnet trajectory`: fly one ballistic missile from a launch point to an aim point and report
//! burnout, apogee, flight time and impact (text or JSON), optionally writing time-stamped samples
//! (geodetic and ECEF) to a CSV file.

use clap::{Args, ValueEnum};
use serde::Serialize;
use shieldnet_earth::gravity::GravityModel;
use shieldnet_earth::{EarthRotation, Geodetic};
use shieldnet_flight::ballistic;
use shieldnet_flight::coast::CoastOptions;
use shieldnet_flight::missile::{Boost, Flight, FlightPlan, Missile, PRESET_NAMES, fly};
use shieldnet_flight::targeting::Shape;
use shieldnet_flight::{EarthModel, Figure, FlightError};
use std::io::Write;

/// Earth figure choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EarthArg {
    /// Sphere of mean radius 6371.0088 km (latitudes geocentric).
    Spherical,
    /// WGS-84 ellipsoid (latitudes geodetic).
    Wgs84,
}

/// On/off switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OnOff {
    /// Enabled.
    On,
    /// Disabled.
    Off,
}

/// Arguments of `shieldnet trajectory`.
#[derive(Debug, Args)]
pub struct TrajectoryArgs {
    /// Launch point, "LAT,LON" in degrees.
    #[arg(long, allow_hyphen_values = true, value_name = "LAT,LON")]
    pub launch: String,
    /// Aim point, "LAT,LON" in degrees.
    #[arg(long, allow_hyphen_values = true, value_name = "LAT,LON")]
    pub aim: String,
    /// Earth figure.
    #[arg(long, value_enum, default_value = "wgs84")]
    pub earth: EarthArg,
    /// Earth rotation.
    #[arg(long, value_enum, default_value = "on")]
    pub rotation: OnOff,
    /// J2 gravity (default: on for wgs84, off for spherical).
    #[arg(long, value_enum)]
    pub j2: Option<OnOff>,
    /// Atmospheric drag on the re-entry vehicle and booster (default: on for wgs84, off for spherical).
    #[arg(long, value_enum)]
    pub drag: Option<OnOff>,
    /// "none" (burnout at the launch point at the surface) or "preset NAME" (srbm, mrbm, irbm,
    /// icbm-liquid, icbm-solid, icbm).
    #[arg(long, num_args = 1..=2, value_name = "none|preset NAME", default_values_t = vec!["none".to_string()])]
    pub boost: Vec<String>,
    /// Fly the minimum-energy trajectory (the default).
    #[arg(long, conflicts_with_all = ["burnout_speed", "apogee", "flight_path_angle"])]
    pub min_energy: bool,
    /// Fly at this Earth-relative burnout speed (km/s); the depressed arc unless --lofted.
    #[arg(long, value_name = "KM_S", conflicts_with_all = ["apogee", "flight_path_angle"])]
    pub burnout_speed: Option<f64>,
    /// With --burnout-speed: take the lofted arc.
    #[arg(long, requires = "burnout_speed")]
    pub lofted: bool,
    /// Fly the arc with this apogee altitude (km): lofted above the minimum-energy apogee, depressed
    /// below it.
    #[arg(long, value_name = "KM", conflicts_with = "flight_path_angle")]
    pub apogee: Option<f64>,
    /// Fly the arc with this burnout flight-path angle (degrees above the horizontal).
    #[arg(long, value_name = "DEG")]
    pub flight_path_angle: Option<f64>,
    /// Re-entry vehicle ballistic coefficient m/(C_D·A), kg/m² (default: the preset's, or 30000 with
    /// --boost none).
    #[arg(long, value_name = "KG_M2")]
    pub beta: Option<f64>,
    /// Launch time, seconds after the epoch (the Earth rotation angle is zero at the epoch).
    #[arg(long, default_value_t = 0.0, allow_hyphen_values = true)]
    pub launch_time: f64,
    /// Impact must land within this distance of the aim point, km.
    #[arg(long, default_value_t = 0.1)]
    pub miss_tolerance_km: f64,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// Write time-stamped samples (geodetic and ECEF) to this CSV file.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<std::path::PathBuf>,
    /// Spacing of the CSV samples, s.
    #[arg(long, default_value_t = 10.0)]
    pub csv_interval: f64,
}

/// The JSON report.
#[derive(Debug, Serialize)]
struct Report {
    launch_lat_deg: f64,
    launch_lon_deg: f64,
    aim_lat_deg: f64,
    aim_lon_deg: f64,
    earth: &'static str,
    rotation: bool,
    j2: bool,
    drag: bool,
    boost: String,
    shape: String,
    ground_range_km: f64,
    burnout_time_s: f64,
    burnout_altitude_km: f64,
    burnout_speed_km_s: f64,
    flight_path_angle_deg: f64,
    flight_time_s: f64,
    apogee_altitude_km: f64,
    impact_time_s: f64,
    impact_lat_deg: f64,
    impact_lon_deg: f64,
    miss_distance_km: f64,
    targeting_iterations: u32,
    textbook_minimum_energy: Option<Textbook>,
}

/// Closed-form minimum-energy values for the same range angle (spherical, non-rotating, r₁ = r₂).
#[derive(Debug, Serialize)]
struct Textbook {
    burnout_speed_km_s: f64,
    flight_path_angle_deg: f64,
    flight_time_s: f64,
    apogee_altitude_km: f64,
}

/// An input problem, reported with exit code 2.
struct Invalid(String);

fn parse_point(what: &str, s: &str) -> Result<Geodetic, Invalid> {
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    if parts.len() != 2 {
        return Err(Invalid(format!("--{what} expects LAT,LON in degrees, got {s:?}")));
    }
    let num = |p: &str, name: &str| {
        p.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| Invalid(format!("--{what}: {name} {p:?} is not a number")))
    };
    let lat = num(parts[0], "latitude")?;
    let lon = num(parts[1], "longitude")?;
    if lat.abs() > 90.0 {
        return Err(Invalid(format!("--{what}: latitude {lat}° is out of range [-90, 90]")));
    }
    if lon.abs() > 360.0 {
        return Err(Invalid(format!("--{what}: longitude {lon}° is out of range [-360, 360]")));
    }
    Ok(Geodetic::from_degrees(lat, lon, 0.0))
}

fn exit_code(e: &FlightError) -> i32 {
    match e {
        FlightError::NoConvergence { .. } | FlightError::Integrate(_) => 1,
        _ => 2,
    }
}

/// Runs the command; returns the exit code.
pub fn run(args: &TrajectoryArgs) -> i32 {
    match run_inner(args) {
        Ok(()) => 0,
        Err((code, msg)) => {
            eprintln!("error: {msg}");
            code
        }
    }
}

fn run_inner(args: &TrajectoryArgs) -> Result<(), (i32, String)> {
    let invalid = |Invalid(m): Invalid| (2, m);
    let launch = parse_point("launch", &args.launch).map_err(invalid)?;
    let aim = parse_point("aim", &args.aim).map_err(invalid)?;
    let wgs = args.earth == EarthArg::Wgs84;
    let j2 = args.j2.map_or(wgs, |v| v == OnOff::On);
    let drag = args.drag.map_or(wgs, |v| v == OnOff::On);
    let rotation = if args.rotation == OnOff::On {
        EarthRotation { theta0_rad: 0.0, omega_rad_s: shieldnet_earth::constants::OMEGA_EARTH }
    } else {
        EarthRotation::non_rotating()
    };
    let model = EarthModel {
        figure: if wgs { Figure::Wgs84 } else { Figure::Sphere },
        rotation,
        gravity: if j2 { GravityModel::J2 } else { GravityModel::PointMass },
        atmosphere: drag,
    };
    let boost = match args.boost.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["none"] => Boost::None,
        ["preset", name] | [name] if *name != "preset" => match Missile::preset(name) {
            Some(m) => Boost::Staged(m),
            None => {
                return Err((
                    2,
                    format!("unknown missile preset {name:?}; known: {}", PRESET_NAMES.join(", ")),
                ));
            }
        },
        other => {
            return Err((
                2,
                format!("--boost expects \"none\" or \"preset NAME\", got {:?}", other.join(" ")),
            ));
        }
    };
    let shape = if let Some(v) = args.burnout_speed {
        if matches!(boost, Boost::Staged(_)) {
            return Err((
                2,
                "--burnout-speed needs --boost none: a preset's booster sets its own burnout speed (use --min-energy or --apogee)".into(),
            ));
        }
        if !(v.is_finite() && v > 0.0) {
            return Err((2, format!("--burnout-speed must be a positive number of km/s, got {v}")));
        }
        Shape::BurnoutSpeed { speed_m_s: v * 1e3, lofted: args.lofted }
    } else if let Some(h) = args.apogee {
        if !(h.is_finite() && h > 0.0) {
            return Err((2, format!("--apogee must be a positive number of km, got {h}")));
        }
        Shape::Apogee { altitude_m: h * 1e3 }
    } else if let Some(g) = args.flight_path_angle {
        if !(g > 0.0 && g < 90.0) {
            return Err((2, format!("--flight-path-angle must lie in (0, 90) degrees, got {g}")));
        }
        Shape::FlightPathAngle { gamma_rad: g.to_radians() }
    } else {
        Shape::MinimumEnergy
    };
    if !(args.miss_tolerance_km > 0.0 && args.miss_tolerance_km <= 1.0) {
        return Err((2, format!("--miss-tolerance-km must lie in (0, 1], got {}", args.miss_tolerance_km)));
    }
    if let Some(b) = args.beta.filter(|b| !(b.is_finite() && *b > 0.0)) {
        return Err((2, format!("--beta must be a positive number of kg/m², got {b}")));
    }
    let beta = args.beta.or(match boost {
        Boost::None => Some(30_000.0),
        Boost::Staged(_) => None,
    });
    let plan = FlightPlan {
        shape,
        reentry_beta_kg_m2: beta,
        miss_tolerance_m: args.miss_tolerance_km * 1e3,
        coast: CoastOptions::precise(),
        ..FlightPlan::new(model)
    };
    let flight =
        fly(&launch, &aim, args.launch_time, &boost, &plan).map_err(|e| (exit_code(&e), e.to_string()))?;
    if let Some(path) = &args.csv {
        write_csv(path, &flight, &model, args.csv_interval)
            .map_err(|e| (1, format!("writing {}: {e}", path.display())))?;
    }
    let burnout_alt = model.altitude(&flight.burnout.pos.0);
    let psi = launch.central_angle_to(&aim);
    let textbook = ballistic::minimum_energy(psi, shieldnet_earth::constants::MEAN_RADIUS, model.mu())
        .ok()
        .map(|a| Textbook {
            burnout_speed_km_s: a.burnout_speed_m_s / 1e3,
            flight_path_angle_deg: a.flight_path_angle_rad.to_degrees(),
            flight_time_s: a.flight_time_s,
            apogee_altitude_km: a.apogee_altitude_m() / 1e3,
        });
    let report = Report {
        launch_lat_deg: launch.lat_deg(),
        launch_lon_deg: launch.lon_deg(),
        aim_lat_deg: aim.lat_deg(),
        aim_lon_deg: aim.lon_deg(),
        earth: if wgs { "wgs84" } else { "spherical" },
        rotation: args.rotation == OnOff::On,
        j2,
        drag,
        boost: match &boost {
            Boost::None => "none".into(),
            Boost::Staged(m) => format!("preset {}", m.name),
        },
        shape: format!("{shape:?}"),
        ground_range_km: flight.ground_range_m / 1e3,
        burnout_time_s: flight.burnout.t_s - args.launch_time,
        burnout_altitude_km: burnout_alt / 1e3,
        burnout_speed_km_s: flight.burnout_speed_m_s / 1e3,
        flight_path_angle_deg: flight.flight_path_angle_rad.to_degrees(),
        flight_time_s: flight.impact_time_s - args.launch_time,
        apogee_altitude_km: flight.apogee_altitude_m / 1e3,
        impact_time_s: flight.impact_time_s,
        impact_lat_deg: flight.impact.lat_deg(),
        impact_lon_deg: flight.impact.lon_deg(),
        miss_distance_km: flight.miss_m / 1e3,
        targeting_iterations: flight.iterations,
        textbook_minimum_energy: textbook,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| (1, e.to_string()))?);
    } else {
        println!(
            "{} → {}  ({} Earth, rotation {}, J2 {}, drag {}, boost {}, {})",
            args.launch,
            args.aim,
            report.earth,
            on(report.rotation),
            on(j2),
            on(drag),
            report.boost,
            report.shape
        );
        println!("ground range        {:>10.1} km", report.ground_range_km);
        println!(
            "burnout             {:>10.1} s   at {:.1} km",
            report.burnout_time_s, report.burnout_altitude_km
        );
        println!("burnout speed       {:>10.4} km/s (Earth-relative)", report.burnout_speed_km_s);
        println!("flight-path angle   {:>10.3} °", report.flight_path_angle_deg);
        println!("apogee altitude     {:>10.1} km", report.apogee_altitude_km);
        println!(
            "flight time         {:>10.1} s  ({:.2} min)",
            report.flight_time_s,
            report.flight_time_s / 60.0
        );
        println!("impact              {:>10.4}°, {:.4}°", report.impact_lat_deg, report.impact_lon_deg);
        println!(
            "miss distance       {:>10.3} km  ({} targeting iterations)",
            report.miss_distance_km, flight.iterations
        );
    }
    Ok(())
}

fn on(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

fn write_csv(
    path: &std::path::Path,
    flight: &Flight,
    model: &EarthModel,
    interval: f64,
) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        w,
        "t_s,phase,lat_deg,lon_deg,alt_m,x_ecef_m,y_ecef_m,z_ecef_m,vx_ecef_m_s,vy_ecef_m_s,vz_ecef_m_s"
    )?;
    let tr = &flight.trajectory;
    let step = if interval > 0.0 && interval.is_finite() { interval } else { 10.0 };
    let mut times = Vec::new();
    let mut t = tr.launch_time_s();
    while t < tr.impact_time_s() {
        times.push(t);
        t += step;
    }
    times.push(tr.burnout_time_s());
    times.push(tr.impact_time_s());
    times.sort_by(f64::total_cmp);
    times.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
    for t in times {
        let Some(s) = tr.state_at(t) else { continue };
        let (p, v) = s.to_ecef(&model.rotation);
        let g = model.to_geodetic(&p);
        let phase = if t < tr.burnout_time_s() {
            "boost"
        } else if t < tr.impact_time_s() {
            "coast"
        } else {
            "impact"
        };
        writeln!(
            w,
            "{:.3},{phase},{:.6},{:.6},{:.1},{:.1},{:.1},{:.1},{:.3},{:.3},{:.3}",
            t,
            g.lat_deg(),
            g.lon_deg(),
            g.alt_m,
            p.0.x,
            p.0.y,
            p.0.z,
            v.0.x,
            v.0.y,
            v.0.z
        )?;
    }
    w.flush()
}
