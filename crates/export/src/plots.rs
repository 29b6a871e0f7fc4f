//! SVG plots of a campaign (plotters, SVG backend, no system fonts: the browser renders the text).
//!
//! | file | chart |
//! |---|---|
//! | `leakers.svg` | distribution of leakers per run, one series per combination |
//! | `interceptors.svg` | distribution of interceptors spent per run, one series per combination |
//! | `detection.svg` | empirical CDF of the time from launch to each party's first own detection, per party and combination (mode) |
//! | `picture.svg` | the same for the time a threat enters each party's fused picture |
//! | `sweep.svg` | P(no leaker) and mean leakers per combination, with 95 % confidence bands |

use plotters::prelude::*;
use shieldnet_sim::campaign::stats::Estimate;
use shieldnet_sim::campaign::{CampaignResults, CombinationSummary};
use std::path::{Path, PathBuf};

/// A plot could not be drawn or written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write plot {path}: {message}")]
pub struct PlotError {
    /// The file.
    pub path: PathBuf,
    /// The cause.
    pub message: String,
}

const SIZE: (u32, u32) = (900, 560);

struct Series {
    label: String,
    points: Vec<(f64, f64)>,
}

fn color(i: usize) -> RGBColor {
    const C: [RGBColor; 8] = [
        RGBColor(31, 119, 180),
        RGBColor(214, 39, 40),
        RGBColor(44, 160, 44),
        RGBColor(255, 127, 14),
        RGBColor(148, 103, 189),
        RGBColor(140, 86, 75),
        RGBColor(227, 119, 194),
        RGBColor(127, 127, 127),
    ];
    C[i % C.len()]
}

fn bounds(series: &[Series], y_from_zero: bool) -> (f64, f64, f64, f64) {
    let mut xs = series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
    let first = xs.next().unwrap_or(0.0);
    let (x0, x1) = xs.fold((first, first), |(a, b), x| (a.min(x), b.max(x)));
    let ys = series.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    let (mut y0, mut y1) = ys.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
    if !y0.is_finite() {
        (y0, y1) = (0.0, 1.0);
    }
    if y_from_zero {
        y0 = y0.min(0.0);
    }
    let pad =
        |a: f64, b: f64| if (b - a).abs() < 1e-9 { (a - 0.5, b + 0.5) } else { (a, b + 0.05 * (b - a)) };
    let (x0, x1) = pad(x0, x1);
    let (y0, y1) = pad(y0, y1);
    (x0, x1, y0, y1)
}

/// Marks and axis labels of a chart.
#[derive(Clone, Copy)]
struct Opts {
    /// Mark each data point.
    points: bool,
    /// Label only whole numbers on the x axis.
    integer_x: bool,
}

/// Draws line-and-point series, and optional bands (lo, hi per point) under them.
fn line_chart(
    path: &Path,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    series: &[Series],
    bands: &[Vec<(f64, f64, f64)>],
    opts: Opts,
) -> Result<(), PlotError> {
    let Opts { points, integer_x } = opts;
    let err = |e: &dyn std::fmt::Display| PlotError { path: path.to_path_buf(), message: e.to_string() };
    let mut svg = String::new();
    {
        let mut all: Vec<Series> =
            series.iter().map(|s| Series { label: s.label.clone(), points: s.points.clone() }).collect();
        for b in bands {
            all.push(Series {
                label: String::new(),
                points: b.iter().flat_map(|&(x, lo, hi)| [(x, lo), (x, hi)]).collect(),
            });
        }
        let (x0, x1, y0, y1) = bounds(&all, true);
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(|e| err(&e))?;
        let int_label = |x: &f64| if x.fract() == 0.0 { format!("{x:.0}") } else { String::new() };
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(x_desc).y_desc(y_desc);
        if integer_x {
            mesh.x_label_formatter(&int_label);
        }
        mesh.draw().map_err(|e| err(&e))?;
        for (i, b) in bands.iter().enumerate() {
            if b.is_empty() {
                continue;
            }
            let mut poly: Vec<(f64, f64)> = b.iter().map(|&(x, lo, _)| (x, lo)).collect();
            poly.extend(b.iter().rev().map(|&(x, _, hi)| (x, hi)));
            chart
                .draw_series(std::iter::once(Polygon::new(poly, color(i).mix(0.2).filled())))
                .map_err(|e| err(&e))?;
        }
        for (i, s) in series.iter().enumerate() {
            let c = color(i);
            chart
                .draw_series(LineSeries::new(s.points.iter().copied(), c.stroke_width(2)))
                .map_err(|e| err(&e))?
                .label(s.label.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], c.stroke_width(2)));
            if points {
                chart
                    .draw_series(s.points.iter().map(|&p| Circle::new(p, 3, c.filled())))
                    .map_err(|e| err(&e))?;
            }
        }
        if series.iter().any(|s| !s.label.is_empty()) {
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .position(SeriesLabelPosition::UpperRight)
                .draw()
                .map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    std::fs::write(path, svg).map_err(|e| err(&e))
}

/// Fraction of runs with each integer value, per combination.
fn distribution(
    res: &CampaignResults,
    value: impl Fn(&shieldnet_sim::campaign::RunRow) -> u32,
) -> Vec<Series> {
    res.manifest
        .combinations
        .iter()
        .map(|c| {
            let vals: Vec<u32> = res.runs.iter().filter(|r| r.combination == c.index).map(&value).collect();
            let max = vals.iter().copied().max().unwrap_or(0);
            let n = vals.len().max(1) as f64;
            let points = (0..=max)
                .map(|k| (f64::from(k), vals.iter().filter(|v| **v == k).count() as f64 / n))
                .collect();
            Series { label: c.label.clone(), points }
        })
        .collect()
}

/// Empirical CDF of `delay` per party and combination.
fn cdfs(
    res: &CampaignResults,
    first: impl Fn(&shieldnet_sim::campaign::ThreatRow, usize) -> Option<f64>,
) -> Vec<Series> {
    let m = &res.manifest;
    let mut out = Vec::new();
    for c in &m.combinations {
        let threats: Vec<_> = res.threats.iter().filter(|t| t.combination == c.index).collect();
        for (p, party) in m.parties.iter().enumerate() {
            let mut d: Vec<f64> =
                threats.iter().filter_map(|t| first(t, p).map(|x| x - t.launch_time_s)).collect();
            d.sort_by(f64::total_cmp);
            let n = threats.len().max(1) as f64;
            // Fraction of all threats seen by time x (never-seen threats keep the CDF below 1).
            let mut points: Vec<(f64, f64)> = Vec::with_capacity(2 * d.len());
            for (i, x) in d.iter().enumerate() {
                points.push((*x, i as f64 / n));
                points.push((*x, (i + 1) as f64 / n));
            }
            let label = if m.combinations.len() > 1 {
                format!("{party} / {} ({})", c.label, c.mode)
            } else {
                format!("{party} ({})", c.mode)
            };
            out.push(Series { label, points });
        }
    }
    out
}

fn band(
    s: &[CombinationSummary],
    f: impl Fn(&CombinationSummary) -> Estimate,
) -> (Series, Vec<(f64, f64, f64)>) {
    let pts: Vec<(f64, f64, f64, f64)> = s
        .iter()
        .map(|c| {
            let e = f(c);
            (c.combination as f64, e.value, e.lo, e.hi)
        })
        .collect();
    (
        Series { label: String::new(), points: pts.iter().map(|p| (p.0, p.1)).collect() },
        pts.iter().map(|p| (p.0, p.2, p.3)).collect(),
    )
}

/// Writes the campaign's SVG plots into `dir` (created if missing).
pub fn write_campaign_plots(
    dir: &Path,
    res: &CampaignResults,
    summaries: &[CombinationSummary],
) -> Result<(), PlotError> {
    std::fs::create_dir_all(dir)
        .map_err(|e| PlotError { path: dir.to_path_buf(), message: e.to_string() })?;
    let name = &res.manifest.scenario;
    line_chart(
        &dir.join("leakers.svg"),
        &format!("{name}: leakers per run"),
        "leakers",
        "fraction of runs",
        &distribution(res, |r| r.leakers),
        &[],
        Opts { points: true, integer_x: true },
    )?;
    line_chart(
        &dir.join("interceptors.svg"),
        &format!("{name}: interceptors spent per run"),
        "interceptors",
        "fraction of runs",
        &distribution(res, |r| r.interceptors_spent),
        &[],
        Opts { points: true, integer_x: true },
    )?;
    line_chart(
        &dir.join("detection.svg"),
        &format!("{name}: first own detection"),
        "seconds after launch",
        "fraction of threats detected",
        &cdfs(res, |t, p| t.first_detection_s[p]),
        &[],
        Opts { points: false, integer_x: false },
    )?;
    line_chart(
        &dir.join("picture.svg"),
        &format!("{name}: first appearance in the fused picture"),
        "seconds after launch",
        "fraction of threats in picture",
        &cdfs(res, |t, p| t.first_picture_s[p]),
        &[],
        Opts { points: false, integer_x: false },
    )?;
    let (mut p0, b0) = band(summaries, |c| c.p_zero_leakers);
    p0.label = "P(no leaker), Wilson 95 %".into();
    let (mut ml, b1) = band(summaries, |c| c.mean_leakers);
    ml.label = "mean leakers, 95 %".into();
    let labels: Vec<String> = summaries.iter().map(|c| format!("{}: {}", c.combination, c.label)).collect();
    line_chart(
        &dir.join("sweep.svg"),
        &format!("{name}: sweep — {}", labels.join("; ")),
        "combination",
        "P(no leaker) / mean leakers",
        &[p0, ml],
        &[b0, b1],
        Opts { points: true, integer_x: true },
    )
}
