//! SVG outputs (plotters, SVG backend): the reachability map and the reachable-fraction chart.
//!
//! The map is a north-polar azimuthal equidistant projection (distances from the pole true; polar ICBM
//! routes stay unbroken), with Natural Earth 1:110m coastlines (public domain, `data/naturalearth`).

use crate::error::AnalysisError;
use crate::study::Study;
use crate::sweep::{Row, Summary};
use plotters::prelude::*;
use shieldnet_earth::EarthRotation;
use shieldnet_flight::Trajectory;
use std::path::Path;

const COASTLINES: &str = include_str!("../../../data/naturalearth/coastlines-110m.geojson");

fn write_err(path: &Path) -> impl Fn(&dyn std::fmt::Display) -> AnalysisError + '_ {
    move |e| AnalysisError::Write { path: path.to_path_buf(), message: e.to_string() }
}

/// Projects (lat, lon) degrees to the polar map plane (degrees of colatitude from the pole).
fn project(lat: f64, lon: f64) -> (f64, f64) {
    let c = 90.0 - lat;
    let l = lon.to_radians();
    (c * l.sin(), -c * l.cos())
}

/// The coastline polylines, [lon, lat] degrees.
fn coastlines() -> Vec<Vec<(f64, f64)>> {
    let v: serde_json::Value = serde_json::from_str(COASTLINES).unwrap_or(serde_json::Value::Null);
    let mut out = Vec::new();
    if let Some(features) = v["features"].as_array() {
        for f in features {
            if let Some(lines) = f["geometry"]["coordinates"].as_array() {
                for line in lines {
                    let pts: Vec<(f64, f64)> = line
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|p| Some((p[0].as_f64()?, p[1].as_f64()?)))
                        .collect();
                    out.push(pts);
                }
            }
        }
    }
    out
}

fn palette(i: usize) -> RGBColor {
    const C: [RGBColor; 8] = [
        RGBColor(26, 152, 80),
        RGBColor(102, 189, 99),
        RGBColor(166, 217, 106),
        RGBColor(217, 239, 139),
        RGBColor(254, 224, 139),
        RGBColor(253, 174, 97),
        RGBColor(244, 109, 67),
        RGBColor(215, 48, 39),
    ];
    C[i.min(C.len() - 1)]
}

/// Draws the map: each trajectory's ground track coloured by the lowest swept burnout speed at which
/// any site reaches it (first delay of the study; grey: none), the earliest intercept points at the
/// highest speed, and the sites.
pub fn write_map(
    path: &Path,
    study: &Study,
    trajectories: &[Trajectory],
    rows: &[Row],
    rotation: &EarthRotation,
) -> Result<(), AnalysisError> {
    let err = write_err(path);
    let delay = study.delays_s.first().copied().unwrap_or(0.0);
    let mut speeds: Vec<f64> = rows.iter().map(|r| r.burnout_speed_km_s).collect();
    speeds.sort_by(f64::total_cmp);
    speeds.dedup();
    // Ground tracks in degrees.
    let tracks: Vec<Vec<(f64, f64)>> = trajectories
        .iter()
        .map(|t| {
            let (a, b) = (t.launch_time_s(), t.impact_time_s());
            let n = ((b - a) / 20.0).ceil().max(1.0) as usize;
            (0..=n)
                .filter_map(|k| t.geodetic_at(a + (b - a) * k as f64 / n as f64, rotation))
                .map(|g| (g.lat_rad.to_degrees(), g.lon_rad.to_degrees()))
                .collect()
        })
        .collect();
    let mut max_colat: f64 = 10.0;
    for (lat, _) in tracks.iter().flatten() {
        max_colat = max_colat.max(90.0 - lat);
    }
    for s in &study.sites {
        max_colat = max_colat.max(90.0 - s.point.lat_deg);
    }
    let lim = (max_colat + 5.0).min(180.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 900)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let title = format!(
            "shieldnet reach: study {} — lowest burnout speed reaching each trajectory (delay {delay:.0} s)",
            study.name
        );
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .build_cartesian_2d(-lim..lim, -lim..lim)
            .map_err(|e| err(&e))?;
        let coast = RGBColor(150, 150, 150);
        for line in coastlines() {
            let mut seg: Vec<(f64, f64)> = Vec::new();
            for (lon, lat) in line {
                if 90.0 - lat > lim {
                    if seg.len() > 1 {
                        chart.draw_series(LineSeries::new(seg.clone(), &coast)).map_err(|e| err(&e))?;
                    }
                    seg.clear();
                } else {
                    seg.push(project(lat, lon));
                }
            }
            if seg.len() > 1 {
                chart.draw_series(LineSeries::new(seg, &coast)).map_err(|e| err(&e))?;
            }
        }
        let reach_speed = |launch: &str, aim: &str| {
            rows.iter()
                .filter(|r| r.launch == launch && r.aim == aim && r.delay_s == delay && r.feasible)
                .map(|r| r.burnout_speed_km_s)
                .fold(f64::INFINITY, f64::min)
        };
        for (k, spec) in study.threats.iter().enumerate() {
            let v = reach_speed(&spec.launch.name, &spec.aim.name);
            let color = match speeds.iter().position(|s| *s == v) {
                Some(i) => palette(i * 7 / speeds.len().max(1)),
                None => RGBColor(120, 120, 120),
            };
            let pts: Vec<(f64, f64)> = tracks[k].iter().map(|&(la, lo)| project(la, lo)).collect();
            chart.draw_series(LineSeries::new(pts, color.stroke_width(2))).map_err(|e| err(&e))?;
        }
        // Earliest intercepts at the highest speed.
        if let Some(&vmax) = speeds.last() {
            let dots: Vec<(f64, f64)> = rows
                .iter()
                .filter(|r| r.feasible && r.burnout_speed_km_s == vmax && r.delay_s == delay)
                .filter_map(|r| {
                    let k = study
                        .threats
                        .iter()
                        .position(|t| t.launch.name == r.launch && t.aim.name == r.aim)?;
                    let g = trajectories[k].geodetic_at(r.earliest_intercept_s?, rotation)?;
                    Some(project(g.lat_rad.to_degrees(), g.lon_rad.to_degrees()))
                })
                .collect();
            chart
                .draw_series(dots.into_iter().map(|p| Circle::new(p, 2, BLACK.filled())))
                .map_err(|e| err(&e))?;
        }
        for s in &study.sites {
            let p = project(s.point.lat_deg, s.point.lon_deg);
            chart
                .draw_series(std::iter::once(TriangleMarker::new(p, 7, BLUE.filled())))
                .map_err(|e| err(&e))?;
            chart
                .draw_series(std::iter::once(Text::new(s.point.name.clone(), p, ("sans-serif", 12))))
                .map_err(|e| err(&e))?;
        }
        // Legend.
        let mut y = -lim + 0.04 * lim;
        let x = -lim + 0.03 * lim;
        let mut entries: Vec<(String, RGBColor)> = speeds
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("reached at {v:.1} km/s"), palette(i * 7 / speeds.len().max(1))))
            .collect();
        entries.push(("not reached".into(), RGBColor(120, 120, 120)));
        entries.reverse();
        for (label, c) in entries {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 0.04 * lim, y + 0.025 * lim)],
                    c.filled(),
                )))
                .map_err(|e| err(&e))?;
            chart
                .draw_series(std::iter::once(Text::new(
                    label,
                    (x + 0.06 * lim, y + 0.03 * lim),
                    ("sans-serif", 12),
                )))
                .map_err(|e| err(&e))?;
            y += 0.05 * lim;
        }
        root.present().map_err(|e| err(&e))?;
    }
    std::fs::write(path, svg).map_err(|e| err(&e))
}

/// Draws the reachable fraction against burnout speed, one line per (site, delay).
pub fn write_chart(path: &Path, study: &Study, summary: &[Summary]) -> Result<(), AnalysisError> {
    let err = write_err(path);
    let mut keys: Vec<(String, f64)> = Vec::new();
    for s in summary {
        if !keys.iter().any(|k| k.0 == s.site && k.1 == s.delay_s) {
            keys.push((s.site.clone(), s.delay_s));
        }
    }
    let xs = summary.iter().map(|s| s.burnout_speed_km_s);
    let (x0, x1) = xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    let (x0, x1) = if x0.is_finite() { (x0 - 0.25, x1 + 0.25) } else { (0.0, 1.0) };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("Reachable fraction of trajectories — study {}", study.name), ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, 0.0..1.05)
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc("interceptor burnout speed (km/s)")
            .y_desc("fraction reachable")
            .draw()
            .map_err(|e| err(&e))?;
        for (i, (site, delay)) in keys.iter().enumerate() {
            let c = Palette99::pick(i).to_rgba();
            let pts: Vec<(f64, f64)> = summary
                .iter()
                .filter(|s| &s.site == site && s.delay_s == *delay)
                .map(|s| (s.burnout_speed_km_s, s.fraction()))
                .collect();
            let label =
                if study.delays_s.len() > 1 { format!("{site}, delay {delay:.0} s") } else { site.clone() };
            chart
                .draw_series(LineSeries::new(pts.clone(), c.stroke_width(2)))
                .map_err(|e| err(&e))?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2)));
            chart.draw_series(pts.into_iter().map(|p| Circle::new(p, 3, c.filled()))).map_err(|e| err(&e))?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    std::fs::write(path, svg).map_err(|e| err(&e))
}
