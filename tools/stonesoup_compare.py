#!/usr/bin/env python3
"""Run Stone Soup's EKF/UKF + GNN tracker on the detections of a `shieldnet run --out DIR` and compare
mean OSPA and run time with shieldnet's tracker on the same detections.

Not needed by the product or by `cargo test`. Needs `pip install stonesoup` (tested with 1.9.1).

    shieldnet run SCENARIO --out DIR            # truth.csv, detections.csv, ...
    shieldnet scenario show SCENARIO > DIR/scenario.toml   (or pass a scenario file)
    python3 tools/stonesoup_compare.py DIR --scenario DIR/scenario.toml [--filter ekf|ukf] [--c 10000]

What is compared, and how it is made comparable:
- Same detections: both trackers read DIR/detections.csv; looks with no detection are rebuilt from
  each radar's revisit interval (the scenario's [[radar]] tables) so that both see every look.
- Same measurement model: range, azimuth (clockwise from north), elevation in the radar's ENU frame
  with the detection's own noise (a custom Stone Soup model, a subclass of
  CartesianToElevationBearingRange with the ECEF->ENU rotation of the site).
- Motion model: Stone Soup has no ballistic (gravity, J2, Coriolis) model, so it runs its
  constant-velocity model in ECEF (CombinedLinearGaussianTransitionModel of three ConstantVelocity with
  the same white-acceleration density q as ours); ours runs the ballistic ECEF model.
- Same association and track logic as far as Stone Soup allows: Mahalanobis gate at sqrt(16.27)
  (chi-square 3 dof, 99.9 %), GNNWith2DAssignment, MultiMeasurementInitiator(min_points=3) (ours is
  3-of-4), deletion after no update for 4 revisits (ours: 4 consecutive misses when the radar could
  see the track).
- OSPA: c = --c metres, p = 1, Euclidean on ECEF position, at every truth sample time, against the
  threats alive then; tracks are predicted to that time by their own motion model. One OSPA function
  (below, scipy's linear_sum_assignment, as Stone Soup's OSPAMetric does for p = 1) scores both
  trackers; our tracks are also scored by the Rust `metrics::ospa`, and the two must agree (printed
  side by side).
- Time: wall time of the tracking loop only (no file reading), ours from the Rust replay example in
  release mode (crates/tracking/examples/replay.rs).
"""

import argparse
import csv
import datetime as dt
import json
import math
import os
import subprocess
import sys
import time
import tomllib
from collections import defaultdict

import numpy as np
from scipy.optimize import linear_sum_assignment

from stonesoup.base import Property
from stonesoup.dataassociator.neighbour import GNNWith2DAssignment
from stonesoup.deleter.time import UpdateTimeDeleter
from stonesoup.hypothesiser.distance import DistanceHypothesiser
from stonesoup.initiator.simple import MultiMeasurementInitiator
from stonesoup.measures import Mahalanobis
from stonesoup.models.measurement.nonlinear import CartesianToElevationBearingRange
from stonesoup.models.transition.linear import CombinedLinearGaussianTransitionModel, ConstantVelocity
from stonesoup.predictor.kalman import ExtendedKalmanPredictor, UnscentedKalmanPredictor
from stonesoup.tracker.simple import MultiTargetTracker
from stonesoup.types.angle import Bearing, Elevation
from stonesoup.types.array import CovarianceMatrix, StateVector
from stonesoup.types.detection import Detection
from stonesoup.types.state import GaussianState
from stonesoup.updater.kalman import ExtendedKalmanUpdater, UnscentedKalmanUpdater

EPOCH = dt.datetime(2000, 1, 1)
A = 6378137.0
F = 1 / 298.257223563
E2 = F * (2 - F)


def geodetic_to_ecef(lat_deg, lon_deg, alt_m):
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    n = A / math.sqrt(1 - E2 * math.sin(lat) ** 2)
    return np.array([
        (n + alt_m) * math.cos(lat) * math.cos(lon),
        (n + alt_m) * math.cos(lat) * math.sin(lon),
        (n * (1 - E2) + alt_m) * math.sin(lat),
    ])


def ecef_to_nez_rotation(lat_deg, lon_deg):
    """Rows: north, east, up. With x = north and y = east, Stone Soup's bearing atan2(y, x) is the
    azimuth clockwise from north, as in shieldnet."""
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    e = [-math.sin(lon), math.cos(lon), 0.0]
    n = [-math.sin(lat) * math.cos(lon), -math.sin(lat) * math.sin(lon), math.cos(lat)]
    u = [math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat)]
    return np.array([n, e, u])


class RadarEnuElevationBearingRange(CartesianToElevationBearingRange):
    """Elevation, azimuth (clockwise from north), range of an ECEF state seen from a radar site."""

    site_rotation: np.ndarray = Property(default=None, doc="ECEF -> (north, east, up) rows")

    @property
    def rotation_matrix(self):
        return self.site_rotation


def read_csv(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def ospa(truths, tracks, c, p=1.0):
    m, n = len(truths), len(tracks)
    if m == 0 and n == 0:
        return 0.0
    if m == 0 or n == 0:
        return c
    d = np.linalg.norm(np.asarray(truths)[:, None, :] - np.asarray(tracks)[None, :, :], axis=2)
    d = np.minimum(d, c) ** p
    r, k = linear_sum_assignment(d)
    total = d[r, k].sum() + c ** p * abs(m - n)
    return (total / max(m, n)) ** (1 / p)


def load_radars(scenario_path):
    with open(scenario_path, "rb") as fh:
        scn = tomllib.load(fh)
    radars = []
    for r in scn.get("radar", []):
        radars.append({
            "id": r["id"], "party": r["party"], "lat_deg": r["lat_deg"], "lon_deg": r["lon_deg"],
            "alt_m": r.get("alt_m", 0.0), "boresight_az_deg": r["boresight_az_deg"],
            "half_width_az_deg": r["half_width_az_deg"], "min_el_deg": r["min_el_deg"],
            "max_el_deg": r["max_el_deg"], "max_range_km": r["max_range_km"], "revisit_s": r["revisit_s"],
        })
    q = scn.get("tracking", {}).get("accel_noise_m2_s3", 25.0)
    return radars, q


def look_times(revisit, t_end):
    k = 1
    while k * revisit <= t_end + 1e-9:
        yield k * revisit
        k += 1


def run_stonesoup(radars, dets, truth, q, filt, c):
    """Per party: Stone Soup tracker over that party's looks; returns per-party (mean OSPA, seconds)."""
    t_end = max(max(truth), max((d[0] for d in dets), default=0.0))
    transition = CombinedLinearGaussianTransitionModel([ConstantVelocity(q)] * 3)
    if filt == "ukf":
        predictor, updater = UnscentedKalmanPredictor(transition), UnscentedKalmanUpdater(None)
    else:
        predictor, updater = ExtendedKalmanPredictor(transition), ExtendedKalmanUpdater(None)
    models = {}

    def model(ri, sig):
        key = (ri, sig)
        if key not in models:
            r = radars[ri]
            models[key] = RadarEnuElevationBearingRange(
                ndim_state=6, mapping=(0, 2, 4),
                noise_covar=CovarianceMatrix(np.diag([sig[2] ** 2, sig[1] ** 2, sig[0] ** 2])),
                translation_offset=StateVector(geodetic_to_ecef(r["lat_deg"], r["lon_deg"], r["alt_m"])),
                site_rotation=ecef_to_nez_rotation(r["lat_deg"], r["lon_deg"]),
            )
        return models[key]

    by_look = defaultdict(list)
    for (t, ri, rng, az, el, sig) in dets:
        by_look[(round(t * 1000), ri)].append((t, ri, rng, az, el, sig))
    results = {}
    parties = sorted({r["party"] for r in radars})
    for party in parties:
        idx = [i for i, r in enumerate(radars) if r["party"] == party]
        revisit = max(radars[i]["revisit_s"] for i in idx)
        looks = sorted((t, ri) for ri in idx for t in look_times(radars[ri]["revisit_s"], t_end))
        scans = []
        for (t, ri) in looks:
            ds = set()
            for (_, _, rng, az, el, sig) in by_look.get((round(t * 1000), ri), []):
                ds.add(Detection(StateVector([[Elevation(el)], [Bearing(az)], [rng]]),
                                 timestamp=EPOCH + dt.timedelta(seconds=t), measurement_model=model(ri, sig)))
            scans.append((EPOCH + dt.timedelta(seconds=t), ds))
        hyp = DistanceHypothesiser(predictor, updater, measure=Mahalanobis(), missed_distance=math.sqrt(16.27))
        assoc = GNNWith2DAssignment(hyp)
        prior = GaussianState(StateVector(np.zeros((6, 1))), CovarianceMatrix(np.diag([0, 3000.0 ** 2] * 3)))
        initiator = MultiMeasurementInitiator(
            prior_state=prior, deleter=UpdateTimeDeleter(dt.timedelta(seconds=2 * revisit + 1e-3)),
            data_associator=GNNWith2DAssignment(hyp), updater=updater, min_points=3)
        tracker = MultiTargetTracker(
            initiator=initiator, deleter=UpdateTimeDeleter(dt.timedelta(seconds=4 * revisit + 1e-3)),
            detector=iter(scans), data_associator=assoc, updater=updater)
        it = iter(tracker)
        tracks = set()
        cur = None
        elapsed = 0.0
        ospa_sum, n = 0.0, 0
        for t in sorted(truth):
            start = time.perf_counter()
            while True:
                if cur is None:
                    try:
                        cur = next(it)
                    except StopIteration:
                        cur = (dt.datetime.max, None)
                if cur[0] <= EPOCH + dt.timedelta(seconds=t + 1e-9):
                    tracks = set(cur[1])
                    cur = None
                else:
                    break
            elapsed += time.perf_counter() - start
            ts = EPOCH + dt.timedelta(seconds=t)
            ys = []
            for tr in tracks:
                s = tr.state
                dtt = (ts - s.timestamp).total_seconds()
                x = np.asarray(s.state_vector, dtype=float).ravel()
                ys.append([x[0] + x[1] * dtt, x[2] + x[3] * dtt, x[4] + x[5] * dtt])
            ospa_sum += ospa(truth[t], ys, c)
            n += 1
        results[party] = {"mean_ospa_m": ospa_sum / max(n, 1), "tracking_s": elapsed}
    return results


def score_ours(path, truth, c):
    by_party = defaultdict(lambda: defaultdict(list))
    for r in read_csv(path):
        by_party[r["party"]][float(r["t_s"])].append([float(r["x_m"]), float(r["y_m"]), float(r["z_m"])])
    out = {}
    for party, rows in by_party.items():
        vals = [ospa(truth[t], rows.get(t, []), c) for t in sorted(truth)]
        out[party] = sum(vals) / len(vals)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--scenario", required=True, help="scenario TOML (shieldnet scenario show NAME)")
    ap.add_argument("--filter", default="ekf", choices=["ekf", "ukf"])
    ap.add_argument("--ours", default="ekf", help="our filter for the replay: ekf, ukf, imm, imm-ukf")
    ap.add_argument("--c", type=float, default=10_000.0, help="OSPA cut-off, m")
    ap.add_argument("--cargo", default="cargo")
    args = ap.parse_args()

    radars, q = load_radars(args.scenario)
    with open(os.path.join(args.dir, "radars.csv"), "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(radars[0].keys()))
        w.writeheader()
        w.writerows(radars)
    ids = {r["id"]: i for i, r in enumerate(radars)}
    dets = []
    for d in read_csv(os.path.join(args.dir, "detections.csv")):
        sig = (float(d["sigma_range_m"]), float(d["sigma_az_mrad"]) * 1e-3, float(d["sigma_el_mrad"]) * 1e-3)
        dets.append((float(d["t_s"]), ids[d["radar"]], float(d["range_m"]), math.radians(float(d["az_deg"])),
                     math.radians(float(d["el_deg"])), sig))
    truth = defaultdict(list)
    for r in read_csv(os.path.join(args.dir, "truth.csv")):
        if r["kind"] == "threat":
            truth[float(r["t_s"])].append([float(r["x_m"]), float(r["y_m"]), float(r["z_m"])])

    # Ours: the Rust replay (release build) on the same files.
    cmd = [args.cargo, "run", "-q", "--release", "-p", "shieldnet-tracking", "--example", "replay", "--",
           args.dir, args.ours, "gnn", str(args.c)]
    ours = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    ours_py = score_ours(os.path.join(args.dir, f"ours_tracks_{args.ours}.csv"), truth, args.c)

    start = time.perf_counter()
    ss = run_stonesoup(radars, dets, truth, q, args.filter, args.c)
    ss_total = sum(v["tracking_s"] for v in ss.values())
    report = {
        "scenario": args.scenario, "detections": len(dets), "truth_steps": len(truth), "c_m": args.c,
        "ours": {"filter": args.ours, "tracking_s": ours["tracking_s"],
                 "parties": {p["party"]: {"mean_ospa_m": p["mean_ospa_m"],
                                          "mean_ospa_m_scored_in_python": ours_py.get(p["party"], args.c)}
                             for p in ours["parties"]}},
        "stonesoup": {"filter": args.filter + " (constant velocity in ECEF)", "tracking_s": ss_total,
                      "wall_s_incl_setup": time.perf_counter() - start, "parties": ss},
        "speedup": ss_total / max(ours["tracking_s"], 1e-9),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    sys.exit(main())
