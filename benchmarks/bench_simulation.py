"""Benchmark of the microsimulation: generate + evaluate (rules engine) + aggregate, local vs Dask.

Each case runs in a fresh process so its peak memory is its own (Dask: the client process plus the
peak of every worker process). A 20,000-person run first compiles the scenario's rule kernels into the cache (or
loads them), so no case pays for compiling (its time is `warm_up_seconds`). Default: 1M persons on both engines.
`--full` runs the issue's sizes (1M, 10M and the 1% sample of 14.1M) — about 10 minutes on 2 cores; run it once,
not in CI. `--percent` measures shares of the whole country (1.41 billion) on the local engine, to show memory
stays flat; it writes results/simulation_country.json.

    .venv/bin/python benchmarks/bench_simulation.py            # 1M persons, both engines
    .venv/bin/python benchmarks/bench_simulation.py --full     # 1M, 10M, 14.1M; writes results/simulation.json
    .venv/bin/python benchmarks/bench_simulation.py --percent 1,10 --engines local
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from _support import results_path, start_run, write_results

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "src" / "changzhu" / "scenarios" / "sim_entrance_exam_residence_1y.yaml"
RESULTS = ROOT / "benchmarks" / "results" / "simulation.json"
COUNTRY_RESULTS = ROOT / "benchmarks" / "results" / "simulation_country.json"
COUNTRY = 1_409_778_724  # residents of the 31 provinces, census 2020
FULL_SIZES = (1_000_000, 10_000_000, 14_097_787)
DEFAULT_SIZES = (1_000_000,)


def run_case(engine: str, persons: int, chunk_persons: int, workers: int) -> dict[str, Any]:
    """One measured run in this process (called in a child process)."""
    from changzhu.simulation.engine import DaskEngine, LocalEngine, local_cluster, peak_rss_bytes, plan_chunks
    from changzhu.simulation.evaluators import load_rules_scenario, rules_evaluator
    from changzhu.simulation.run import simulate, store_population
    from changzhu.simulation.spec import load_spec
    from changzhu.simulation.synthetic import population_model

    spec = load_spec([SCENARIO], load_rules_scenario)
    plan = spec.plan(sample=persons / COUNTRY, years=(2025,))
    evaluator = rules_evaluator(spec.services)
    started = time.perf_counter()
    population_model()
    out: dict[str, Any] = {"engine": engine, "persons_target": persons, "chunk_persons": chunk_persons}
    chunks = plan_chunks(population_model(), plan, chunk_persons)
    out["chunks"] = len(chunks)
    out["split_cities"] = len({b.city for c in chunks for b in c.blocks if b.block > 0})
    if engine == "local":
        result = simulate(plan, evaluator, LocalEngine(), chunk_persons=chunk_persons)
        out["peak_rss_bytes"] = peak_rss_bytes()
        out["workers"] = 1
        out["cores"] = os.cpu_count() or 1  # polars threads and the prefetch thread use every core
    else:
        from distributed import Client

        with (
            local_cluster(workers) as cluster,
            Client(cluster) as client,
            tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp,
        ):
            out["cluster_start_seconds"] = time.perf_counter() - started
            runner = DaskEngine(client)
            store_population(plan, Path(tmp) / "pop", runner, chunk_persons=chunk_persons)
            out["store_seconds"] = time.perf_counter() - started
            result = simulate(plan, evaluator, runner, population_dir=Path(tmp) / "pop")
            out["peak_rss_bytes"] = peak_rss_bytes() + runner.peak_worker_rss_bytes()
            out["peak_worker_rss_bytes"] = max(client.run(peak_rss_bytes).values())
            out["workers"] = workers
            out["cores"] = workers
    out["wall_seconds"] = time.perf_counter() - started
    base = result.counts.filter(result.counts["scenario"] == "baseline")
    out["persons"] = int(base.filter(base["service"] == base["service"][0])["persons"].sum())
    reform = result.by_province.filter(result.by_province["scenario"] != "baseline")
    out["newly_eligible_estimate"] = float(reform["newly_eligible"].sum())
    out["seconds_per_million"] = out["wall_seconds"] / out["persons"] * 1e6
    return out


def run_city_case(code: str, persons: int, chunk_persons: int, max_chunks: int) -> dict[str, Any]:
    """The local engine on the chunks holding one city (the largest chunks of a big sample), in this process."""
    from changzhu.simulation.engine import LocalEngine, peak_rss_bytes, plan_chunks
    from changzhu.simulation.evaluators import load_rules_scenario, rules_evaluator
    from changzhu.simulation.spec import load_spec
    from changzhu.simulation.synthetic import population_model

    spec = load_spec([SCENARIO], load_rules_scenario)
    plan = spec.plan(sample=persons / COUNTRY, years=(2025,))
    model = population_model()
    city = model.codes.index(code)
    every = plan_chunks(model, plan, chunk_persons)
    holding = [c for c in every if any(b.city == city for b in c.blocks)]
    started = time.perf_counter()
    counts = LocalEngine().run(holding[:max_chunks], plan, rules_evaluator(spec.services))
    wall = time.perf_counter() - started
    base = counts.filter(counts["scenario"] == "baseline")
    done = int(base.filter(base["service"] == base["service"][0])["persons"].sum())
    return {
        "engine": "local",
        "city": code,
        "persons_target": persons,
        "chunk_persons": chunk_persons,
        "chunks": len(every),
        "city_chunks": len(holding),
        "city_chunks_run": len(holding[:max_chunks]),
        "persons": done,
        "peak_rss_bytes": peak_rss_bytes(),
        "wall_seconds": wall,
        "seconds_per_million": wall / done * 1e6,
    }


def child(
    engine: str, persons: int, chunk_persons: int, workers: int, city: str | None = None, max_chunks: int = 0
) -> dict[str, Any]:
    """Run one case in a fresh interpreter and read its JSON line (`city`: only the chunks holding it)."""
    cmd = [sys.executable, __file__, "--case", engine, str(persons), str(chunk_persons), str(workers)]
    if city:
        cmd += ["--city", city, "--max-chunks", str(max_chunks)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"case {engine} {persons} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def cluster_estimate(cases: list[dict[str, Any]]) -> dict[str, Any]:
    """What the whole country (1.41 billion persons) needs, from the largest measured run per engine."""
    out: dict[str, Any] = {}
    for engine in ("local", "dask"):
        runs = [c for c in cases if c["engine"] == engine]
        if not runs:
            continue
        big = max(runs, key=lambda c: (c["persons"], c.get("workers", 1)))  # the largest run, on the most workers
        core_seconds = big["wall_seconds"] * big.get("cores", big["workers"]) / big["persons"] * COUNTRY
        out[engine] = {
            "core_seconds_per_million": core_seconds / COUNTRY * 1e6,
            "country_core_hours": core_seconds / 3600,
            "country_wall_minutes_on_64_cores": core_seconds / 64 / 60,
            "country_wall_minutes_on_256_cores": core_seconds / 256 / 60,
            "peak_memory_per_worker_gb": big.get("peak_worker_rss_bytes", big["peak_rss_bytes"]) / 1e9,
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="run 1M, 10M and 14.1M persons")
    parser.add_argument("--sizes", type=str, default=None, help="comma-separated person counts")
    parser.add_argument("--percent", type=str, default=None, help="comma-separated percentages of the country")
    parser.add_argument("--results", type=Path, default=None, help="write the JSON here instead")
    parser.add_argument("--city", type=str, default=None, help="local engine on the chunks of this city only")
    parser.add_argument("--max-chunks", type=int, default=3, help="with --city: run at most this many chunks")
    parser.add_argument("--engines", type=str, default="local,dask")
    parser.add_argument("--chunk-persons", type=int, default=1_000_000, help="local engine chunk size")
    parser.add_argument("--dask-chunk-persons", type=int, default=500_000, help="Dask chunk (task) size")
    parser.add_argument("--workers", type=str, default="2", help="Dask workers, comma-separated: each count is a case")
    parser.add_argument("--case", nargs=4, metavar=("ENGINE", "PERSONS", "CHUNK", "WORKERS"), help=argparse.SUPPRESS)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, results to a scratch file (make bench-smoke)")
    args = parser.parse_args()
    if args.case:
        engine, persons, chunk, workers = args.case
        if args.city:
            print(json.dumps(run_city_case(args.city, int(persons), int(chunk), args.max_chunks)))
        else:
            print(json.dumps(run_case(engine, int(persons), int(chunk), int(workers))))
        return
    sizes = FULL_SIZES if args.full else DEFAULT_SIZES
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    results_file = RESULTS
    if args.percent:
        sizes = tuple(round(COUNTRY * float(p) / 100) for p in args.percent.split(","))
        results_file = COUNTRY_RESULTS
    if args.city:
        results_file = COUNTRY_RESULTS.with_name(f"simulation_city_{args.city}.json")
    if args.results:
        results_file = args.results
    if args.smoke:
        sizes = (20_000,)
        results_file = results_path(RESULTS.stem, smoke=True)
    console = Console()
    run = start_run()  # before the runs: the load, code version and date they started with
    cases = []
    table = Table(title="microsimulation: generate + evaluate + aggregate (中考 residence 3 → 1 year, one year)")
    columns = ("engine", "workers", "persons", "chunks", "wall s", "s per 1M", "peak memory GB", "per worker GB")
    for col in (*columns, "newly eligible (est.)"):
        table.add_column(col, justify="right")
    console.print("warming up: a 20,000-person run compiles the scenario's rule kernels (or loads them) …")
    warm_up = child("local", 20_000, args.chunk_persons, 1)  # the measured runs then load them from the cache
    worker_counts = [int(w) for w in args.workers.split(",")]
    runs = [(e, w) for e in args.engines.split(",") for w in (worker_counts if e == "dask" else [1])]
    for persons in sizes:
        for engine, workers in runs:
            console.print(f"running {engine} ({workers} workers) with {persons:,} persons …")
            chunk = args.chunk_persons if engine == "local" else args.dask_chunk_persons
            case = child(engine, persons, chunk, workers, args.city, args.max_chunks)
            cases.append(case)
            per_worker = case.get("peak_worker_rss_bytes")
            table.add_row(
                engine,
                str(case.get("workers", 1)),
                f"{case['persons']:,}",
                f"{case['chunks']:,}",
                f"{case['wall_seconds']:.1f}",
                f"{case['seconds_per_million']:.2f}",
                f"{case['peak_rss_bytes'] / 1e9:.2f}",
                "—" if per_worker is None else f"{per_worker / 1e9:.2f}",
                f"{case['newly_eligible_estimate']:,.0f}" if "newly_eligible_estimate" in case else "—",
            )
    console.print(table)
    payload = {
        "benchmark": "simulation",
        "scenario": str(SCENARIO.relative_to(ROOT)),
        "warm_up_seconds": warm_up["wall_seconds"],  # not in any case: compiling is measured by bench_rules
        "cases": cases,
        "full_country_estimate": None if args.city else cluster_estimate(cases),
        "targets": {"one_percent_wall_seconds": 60, "peak_gb_any_size": 2},
    }
    write_results(results_file, run, payload)


if __name__ == "__main__":
    main()
