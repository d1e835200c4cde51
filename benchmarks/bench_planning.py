"""Planning benchmarks: p-median and maximal covering against spopt, 2SFCA against access, county gaps.

Each location case runs in its own subprocess so its peak memory (ru_maxrss) is its own. Default sizes:
(500, 100, 10) and (2000, 300, 20); `--big` adds (5000, 500, 30). spopt runs at 500x100 by default and at the
larger sizes with `--spopt-big` (slow: the issue measured 64 s and 3.3 GB just to build the 5000x500 model).

    .venv/bin/python benchmarks/bench_planning.py [--big] [--spopt-big]
    .venv/bin/python benchmarks/bench_planning.py --models max_covering --sizes 2000x300x20 5000x500x30 \
        --time-limit 30 --gap 0.01 --only-location

A filtered run (`--models`, `--sizes`, `--only-location`) merges into the JSON: a recorded case is replaced only
by a new run of the same tool, model, size, time limit and gap target.

`--network` runs only the p-median cases where p is small against n (p = 5 and 10 on 500- and 1,000-node grid
and road networks, shortest-path distances, every node a demand point and a candidate), each with the Lagrangian
branch-and-bound (the default) and HiGHS on the level formulation (Elloumi 2010, the previous default) in the same
run, 10 s each, with wall and CPU seconds and the load average, and records them under "location_network" with
the machine, git revision and date:

    .venv/bin/python benchmarks/bench_planning.py --network
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from _support import finish_run, results_path, start_run, write_json, write_results

RESULTS = Path(__file__).parent / "results" / "planning.json"
SIZES = [(500, 100, 10), (2000, 300, 20), (5000, 500, 30)]
TIME_LIMIT = 120.0
RADIUS = 15.0  # on a 100 x 100 square
NETWORK_CASES = [(kind, nodes, p) for kind in ("grid", "road") for nodes in (500, 1000) for p in (5, 10)]
NETWORK_TIME_LIMIT = 10.0
NETWORK_FORMULATIONS = ("lagrangian", "levels")  # new (the default), old (the previous default)


def instance(n: int, m: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Random demand points and candidate sites on a 100 x 100 square, integer weights 1..99, Euclidean distance."""
    rng = np.random.default_rng(seed)
    demand, sites = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    weights = rng.integers(1, 100, n).astype(float)
    return weights, np.sqrt(((demand[:, None, :] - sites[None, :, :]) ** 2).sum(-1))


def network_instance(nodes: int, kind: str, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Shortest-path distances between all nodes of a network, integer weights 1..99 per node.

    'grid': a square grid (side round(√nodes)) whose edges have random lengths 0.5..1.5; 'road': the Delaunay
    triangulation of random points on a 100 x 100 square, each edge its length times a detour factor 1..1.3.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import shortest_path
    from scipy.spatial import Delaunay

    rng = np.random.default_rng(seed)
    if kind == "grid":
        side = round(nodes**0.5)
        index = np.arange(side * side).reshape(side, side)
        a = np.concatenate([index[:, :-1].ravel(), index[:-1, :].ravel()])
        b = np.concatenate([index[:, 1:].ravel(), index[1:, :].ravel()])
        length, count = rng.uniform(0.5, 1.5, a.size), side * side
    else:
        points = rng.uniform(0, 100, (nodes, 2))
        triangles = Delaunay(points).simplices
        edges = np.unique(
            np.sort(np.concatenate([triangles[:, [0, 1]], triangles[:, [1, 2]], triangles[:, [0, 2]]]), 1), axis=0
        )
        a, b = edges[:, 0], edges[:, 1]
        length, count = np.hypot(*(points[a] - points[b]).T) * rng.uniform(1.0, 1.3, a.size), nodes
    graph = sp.coo_matrix((length, (a, b)), shape=(count, count)).tocsr()
    return rng.integers(1, 100, count).astype(float), shortest_path(graph, directed=False)


def run_network_case(kind: str, nodes: int, p: int, formulation: str, time_limit: float) -> dict[str, Any]:
    """One p-median case on a network in this process: status, proof flag, objective, bound, gap, seconds."""
    from changzhu.planning.location_models import PMedian

    weights, dist = network_instance(nodes, kind)
    load_before = os.getloadavg()[0]
    start, cpu_start = time.perf_counter(), time.process_time()
    r = PMedian(dist, weights, p, formulation=formulation).solve(time_limit=time_limit)
    cpu_seconds = time.process_time() - cpu_start  # this process, all its threads (HiGHS's too)
    return {
        "kind": kind,
        "nodes": int(dist.shape[0]),
        "p": p,
        "formulation": formulation,
        "time_limit": time_limit,
        "status": r.status,
        "proven_optimal": r.status == "optimal",
        "objective": r.objective,
        "bound": r.bound,
        "gap": r.gap,
        "seconds": time.perf_counter() - start,
        "cpu_seconds": cpu_seconds,
        "load_average_1min": [load_before, os.getloadavg()[0]],
        "peak_mb": _peak_mb(),
        "detail": {k: v for k, v in r.detail.items() if k != "proof"},
    }


def _network_subprocess(kind: str, nodes: int, p: int, formulation: str, time_limit: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--case-network", kind, str(nodes), str(p), formulation, str(time_limit)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=3 * time_limit + 300)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"network case {kind} {nodes} p={p} {formulation} failed: {done.stderr.strip()[-500:]}")
    return dict(json.loads(lines[-1]))


def bench_network(cases: list[tuple[str, int, int]], time_limit: float, results_file: Path) -> None:
    """Both formulations on each case, one subprocess each, printed and recorded under 'location_network'."""
    from rich.console import Console
    from rich.table import Table

    run = start_run()
    runs = [
        _network_subprocess(kind, nodes, p, formulation, time_limit)
        for kind, nodes, p in cases
        for formulation in NETWORK_FORMULATIONS
    ]
    new, old = NETWORK_FORMULATIONS
    table = Table(title=f"p-median on networks, {time_limit:.0f} s limit ({new} = new, {old} = old)")
    columns = ("network", "nodes", "p", "formulation", "status", "proven", "gap", "seconds", "CPU s", "load", "old/new")
    for col in columns:
        table.add_column(col)
    for r in runs:
        pair = {c["formulation"]: c for c in runs if (c["kind"], c["nodes"], c["p"]) == (r["kind"], r["nodes"], r["p"])}
        r["cpu_ratio_old_over_new"] = _proof_ratio(pair[old], pair[new])
        table.add_row(
            r["kind"],
            str(r["nodes"]),
            str(r["p"]),
            r["formulation"],
            r["status"],
            "yes" if r["proven_optimal"] else "no",
            f"{r['gap']:.4%}",
            f"{r['seconds']:.2f}",
            f"{r['cpu_seconds']:.2f}",
            f"{r['load_average_1min'][0]:.1f}",
            "—" if r["cpu_ratio_old_over_new"] is None else f"{r['cpu_ratio_old_over_new']:.1f}",
        )
    console = Console(width=140)
    console.print(table)
    recorded = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else {}
    recorded["location_network"] = {"run": finish_run(run), "time_limit_seconds": time_limit, "cases": runs}
    write_json(results_file, recorded)
    console.print(f"recorded under location_network in {results_file}")


def _proof_ratio(old: dict[str, Any], new: dict[str, Any]) -> float | None:
    """CPU seconds to proof, old over new; None unless both proved (an unproven run has no time to proof)."""
    if not (old["proven_optimal"] and new["proven_optimal"]):
        return None
    return float(old["cpu_seconds"] / max(new["cpu_seconds"], 1e-9))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_case(
    tool: str, model: str, n: int, m: int, p: int, time_limit: float = TIME_LIMIT, gap: float = 0.0
) -> dict[str, Any]:
    """One case in this process: build and solve, report status, objective, bound, gap, seconds, peak MB."""
    weights, dist = instance(n, m)
    start = time.perf_counter()
    if tool == "changzhu":
        from changzhu.planning.location_models import MCLP, PMedian

        r = (
            PMedian.from_cost_matrix(dist, weights, p).solve(time_limit=time_limit)
            if model == "p_median"
            else MCLP(dist, weights, p, RADIUS, mip_rel_gap=gap).solve(time_limit=time_limit)
        )
        out = {
            "status": r.status,
            "objective": r.objective,
            "bound": r.bound,
            "gap": r.gap,
            "detail": {k: v for k, v in r.detail.items() if k != "proof"},
        }
    else:
        import pulp
        from spopt.locate import MCLP, PMedian

        build = time.perf_counter()
        problem = (
            PMedian.from_cost_matrix(dist, weights, p_facilities=p)
            if model == "p_median"
            else MCLP.from_cost_matrix(dist, weights, service_radius=RADIUS, p_facilities=p)
        )
        built = time.perf_counter() - build
        problem = problem.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit))
        lp = problem.problem
        out = {
            "status": f"pulp:{pulp.LpStatus[lp.status]} (sol_status {lp.sol_status})",
            "objective": float(pulp.value(lp.objective)),
            "bound": None,
            "gap": None,
            "detail": {"build_seconds": built},
        }
    out.update(tool=tool, model=model, n=n, m=m, p=p, seconds=time.perf_counter() - start, peak_mb=_peak_mb())
    out.update(time_limit=time_limit, gap_target=gap if tool == "changzhu" and model == "max_covering" else 0.0)
    return out


def _subprocess(tool: str, model: str, n: int, m: int, p: int, time_limit: float, gap: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--case", tool, model, str(n), str(m), str(p), str(time_limit), str(gap)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=3 * time_limit + 300)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {
            "tool": tool,
            "model": model,
            "n": n,
            "m": m,
            "p": p,
            "time_limit": time_limit,
            "gap_target": gap,
            "status": "failed",
            "error": (done.stderr.strip().splitlines() or ["?"])[-1],
        }
    return dict(json.loads(lines[-1]))


def bench_accessibility() -> dict[str, Any]:
    """2SFCA for 5000 demand x 500 supply points: ours vs access (same data, same catchment)."""
    import pandas as pd
    from access import Access

    from changzhu.planning.accessibility import two_step_fca

    rng = np.random.default_rng(1)
    n, m, catchment = 5000, 500, 15.0
    demand_pts, supply_pts = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    pop, cap = rng.integers(100, 10000, n).astype(float), rng.integers(10, 500, m).astype(float)
    dist = np.sqrt(((demand_pts[:, None, :] - supply_pts[None, :, :]) ** 2).sum(-1))
    start = time.perf_counter()
    ours = two_step_fca(pop, cap, dist, catchment)
    ours_s = time.perf_counter() - start
    i, j = np.indices(dist.shape)
    start = time.perf_counter()
    demand_df = pd.DataFrame({"pop": pop}, index=pd.Index(np.arange(n), name="geoid"))
    supply_df = pd.DataFrame({"cap": cap}, index=pd.Index(np.arange(m), name="sid"))
    cost_df = pd.DataFrame({"origin": i.ravel(), "dest": j.ravel(), "cost": dist.ravel()})
    acc = Access(
        demand_df=demand_df,
        demand_value="pop",
        supply_df=supply_df,
        supply_value="cap",
        cost_df=cost_df,
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    theirs = acc.two_stage_fca(max_cost=catchment).iloc[:, 0].reindex(np.arange(n)).fillna(0).to_numpy()
    access_s = time.perf_counter() - start
    return {
        "n": n,
        "m": m,
        "changzhu_seconds": ours_s,
        "access_seconds": access_s,
        "max_abs_difference": float(np.max(np.abs(ours - theirs))),
        "speedup": access_s / ours_s,
    }


def bench_county_gaps() -> dict[str, Any]:
    """Demand and gap for every county in the census x 7 services, both bases (data loading timed apart)."""
    from changzhu.data.census import census_2020
    from changzhu.data.supply import province_supply_2019
    from changzhu.planning.gaps import compute_gaps
    from changzhu.planning.standards import load_standards

    start = time.perf_counter()
    census, supply, standards = census_2020(), province_supply_2019(), load_standards()
    load_s = time.perf_counter() - start
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        gaps = compute_gaps("county", standards=standards, supply=supply, census=census)
        runs.append(time.perf_counter() - start)
    return {
        "counties": gaps["region_code"].n_unique(),
        "services": gaps["service"].n_unique(),
        "rows": gaps.height,
        "load_seconds": load_s,
        "compute_seconds_best": min(runs),
        "compute_seconds_median": float(np.median(runs)),
    }


def _size(text: str) -> tuple[int, int, int]:
    n, m, p = (int(part) for part in text.lower().split("x"))
    return n, m, p


def _key(case: dict[str, Any]) -> tuple[Any, ...]:
    fields = ("tool", "model", "n", "m", "p")
    return (*(case[f] for f in fields), case.get("time_limit", TIME_LIMIT), case.get("gap_target", 0.0))


def _merge(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Recorded cases with new runs of the same key replaced, new keys appended."""
    fresh = {_key(c): c for c in new}
    merged = [fresh.pop(_key(c), c) for c in old]
    return merged + list(fresh.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--big", action="store_true", help="add the 5000 x 500 x 30 size")
    parser.add_argument("--spopt-big", action="store_true", help="run spopt at the larger sizes too")
    parser.add_argument(
        "--models", nargs="+", choices=("p_median", "max_covering"), default=["p_median", "max_covering"]
    )
    parser.add_argument("--sizes", nargs="+", help="NxMxP, e.g. 2000x300x20 (default: the standard sizes)")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT, help="seconds per location case")
    parser.add_argument("--gap", type=float, default=0.0, help="max covering: stop at this proven relative gap")
    parser.add_argument("--only-location", action="store_true", help="skip the 2SFCA and county-gap benchmarks")
    parser.add_argument("--network", action="store_true", help="only p-median on 500/1000-node networks, p=5/10")
    parser.add_argument("--case", nargs=7, help=argparse.SUPPRESS)
    parser.add_argument("--case-network", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, results to a scratch file (make bench-smoke)")
    args = parser.parse_args()
    if args.case:
        tool, model, n, m, p, limit, gap = args.case
        print(json.dumps(run_case(tool, model, int(n), int(m), int(p), float(limit), float(gap)), default=float))
        return
    if args.case_network:
        kind, nodes, p, formulation, limit = args.case_network
        print(json.dumps(run_network_case(kind, int(nodes), int(p), formulation, float(limit)), default=float))
        return
    if args.network:
        bench_network(NETWORK_CASES, NETWORK_TIME_LIMIT, RESULTS)
        return
    from rich.console import Console
    from rich.table import Table

    run = start_run()
    sizes = [_size(text) for text in args.sizes] if args.sizes else (SIZES if args.big else SIZES[:2])
    results_file = results_path(RESULTS.stem, args.smoke)
    if args.smoke:
        sizes, args.spopt_big = [(60, 12, 3)], True
        bench_network([("grid", 64, 3), ("road", 60, 3)], 5.0, results_file)
    cases = []
    for n, m, p in sizes:
        for model in args.models:
            cases.append(_subprocess("changzhu", model, n, m, p, args.time_limit, args.gap))
            if (n, m) == (500, 100) or args.spopt_big:
                cases.append(_subprocess("spopt", model, n, m, p, args.time_limit, 0.0))
    table = Table(title="Facility location")
    columns = ("tool", "model", "size", "limit s", "gap target", "status", "objective", "bound", "gap", "seconds")
    for col in (*columns, "peak MB"):
        table.add_column(col)
    for c in cases:
        table.add_row(
            c["tool"],
            c["model"],
            f"{c['n']}x{c['m']} p={c['p']}",
            f"{c.get('time_limit', TIME_LIMIT):.0f}",
            f"{c.get('gap_target', 0.0):.2%}",
            str(c.get("status")),
            f"{c.get('objective') or float('nan'):,.1f}",
            "—" if c.get("bound") is None else f"{c['bound']:,.1f}",
            "—" if c.get("gap") is None else f"{c['gap']:.4%}",
            f"{c.get('seconds', float('nan')):.2f}",
            f"{c.get('peak_mb', float('nan')):.0f}",
        )
    console = Console()
    console.print(table)
    recorded = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else {}
    if args.only_location or args.sizes or args.models != ["p_median", "max_covering"]:
        recorded["location"] = _merge(recorded.get("location", []), cases)
        recorded["run_location_merged"] = finish_run(run)  # the run that replaced some location cases
        write_json(results_file, recorded)
        console.print(f"merged into {results_file}")
        return
    access_result = bench_accessibility()
    console.print(
        f"2SFCA 5000x500: changzhu {access_result['changzhu_seconds']:.3f} s, access "
        f"{access_result['access_seconds']:.3f} s, max |difference| {access_result['max_abs_difference']:.2e}"
    )
    county = bench_county_gaps()
    console.print(
        f"county gaps: {county['counties']} counties x {county['services']} services x 2 bases in "
        f"{county['compute_seconds_best']:.3f} s (load {county['load_seconds']:.2f} s)"
    )
    kept = json.loads(results_file.read_text(encoding="utf-8")) if results_file.exists() else {}
    write_results(
        results_file,
        run,
        {
            "location": cases,
            "accessibility": access_result,
            "county_gaps": county,
            "sizes_run": sizes,
            "time_limit_seconds": args.time_limit,
            "radius": RADIUS,
            **{k: v for k, v in kept.items() if k == "location_network"},  # measured by --network, kept
        },
    )


if __name__ == "__main__":
    main()
