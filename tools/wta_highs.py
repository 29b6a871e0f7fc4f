#!/usr/bin/env python3
"""Independent exact WTA optimum with HiGHS (pip install highspy).

Reads the shieldnet WTA JSON format
    {"target_values": [..], "weapons": [{"count": n, "pk": [one per target]}, ..]}
and minimises  sum_j V_j prod_i (1 - p_ij)^x_ij  s.t.  sum_j x_ij <= count_i,  x_ij >= 0 integer,
by outer approximation of the log transform (wta.md section 3.1): variables x_ij (integer),
s_j = sum_i ln(q_ij) x_ij and z_j >= V_j e^t (1 + s_j - t) for tangent points t; HiGHS solves the
MILP (a lower bound), tangents are added at the solution's s_j and the loop stops when
UB - LB <= rel_gap * UB. This shares no code with the Rust solver (which uses column generation).

Usage: python3 tools/wta_highs.py FILE.json [--gap 1e-6] [--time-limit S] [--json]
Prints the optimum (objective), the lower bound and the time.
"""
import argparse
import json
import math
import sys
import time

import highspy
import numpy as np

QMIN = 1e-12


def solve(inst, rel_gap=1e-6, time_limit=600.0, verbose=False):
    V = [float(v) for v in inst["target_values"]]
    W = inst["weapons"]
    T, n = len(V), len(W)
    logq = [[math.log(max(1.0 - w["pk"][j], QMIN)) for j in range(T)] for w in W]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 1e-9)
    h.setOptionValue("mip_feasibility_tolerance", 1e-9)
    inf = highspy.kHighsInf
    # Columns: x_ij (i*T+j), then s_j, then z_j.
    nx = n * T
    for i in range(n):
        cap = float(W[i]["count"])
        for j in range(T):
            h.addVar(0.0, cap)
    for j in range(T):
        h.addVar(-inf, 0.0)  # s_j
    for j in range(T):
        h.addVar(0.0, inf)  # z_j
    h.changeColsIntegrality(nx, np.arange(nx, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * nx))
    h.changeColsCost(T, np.arange(nx + T, nx + 2 * T, dtype=np.int32), np.ones(T))
    # Capacity rows.
    for i in range(n):
        idx = np.arange(i * T, (i + 1) * T, dtype=np.int32)
        h.addRow(-inf, float(W[i]["count"]), T, idx, np.ones(T))
    # s_j - sum_i logq_ij x_ij = 0.
    for j in range(T):
        idx = [nx + j] + [i * T + j for i in range(n)]
        val = [1.0] + [-logq[i][j] for i in range(n)]
        h.addRow(0.0, 0.0, len(idx), np.array(idx, dtype=np.int32), np.array(val))

    def add_tangent(j, t):
        # z_j >= V e^t (1 + s_j - t)  <=>  z_j - V e^t s_j >= V e^t (1 - t)
        a = V[j] * math.exp(t)
        h.addRow(a * (1.0 - t), inf, 2, np.array([nx + T + j, nx + j], dtype=np.int32), np.array([1.0, -a]))

    for j in range(T):
        for t in [0.0, -0.5, -1.0, -1.5, -2.0, -3.0, -4.0, -6.0, -9.0, -13.0]:
            add_tangent(j, t)
    t0 = time.time()
    ub, lb, best = math.inf, -math.inf, None
    it = 0
    while True:
        it += 1
        left = time_limit - (time.time() - t0)
        if left <= 0:
            break
        h.setOptionValue("time_limit", left)
        h.run()
        info = h.getInfo()
        sol = h.getSolution().col_value
        lb = max(lb, info.mip_dual_bound)
        x = [[int(round(sol[i * T + j])) for j in range(T)] for i in range(n)]
        val = sum(V[j] * math.exp(sum(logq[i][j] * x[i][j] for i in range(n))) for j in range(T))
        if val < ub:
            ub, best = val, x
        if verbose:
            print(f"OA iteration {it}: LB {lb:.9f} UB {ub:.9f}", file=sys.stderr)
        if ub - lb <= rel_gap * ub or h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        added = 0
        for j in range(T):
            s = sum(logq[i][j] * x[i][j] for i in range(n))
            if V[j] * math.exp(s) > sol[nx + T + j] + 1e-9 * max(1.0, ub):
                add_tangent(j, s)
                added += 1
        if added == 0:
            break
    return {"objective": ub, "lower_bound": min(lb, ub), "assignment": best,
            "iterations": it, "seconds": time.time() - t0,
            "optimal": ub - lb <= rel_gap * ub, "highs_version": highspy.Highs().version()}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--gap", type=float, default=1e-6)
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    with open(a.file) as f:
        inst = json.load(f)
    r = solve(inst, a.gap, a.time_limit, a.verbose)
    if a.json:
        print(json.dumps({k: r[k] for k in ("objective", "lower_bound", "optimal", "iterations", "seconds", "highs_version")}))
    else:
        print(f"objective {r['objective']:.10f} lower_bound {r['lower_bound']:.10f} optimal {r['optimal']} "
              f"iterations {r['iterations']} seconds {r['seconds']:.2f}")


if __name__ == "__main__":
    main()
