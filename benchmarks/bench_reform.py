"""Benchmark of a reform run end to end through the API: queue, background computation, stored result.

A national planner posts a run of the shipped 中考 reform (3 → 1 year) at 0.1% of the country (about 1.4
million synthetic people, the largest sample the API accepts) on a fresh SQLite database, and polls until it
is done. Measured: wall seconds from the POST to the stored result, the process's peak memory (the server and
its worker thread share it), the sample drawn, and the 90% interval the run achieves on its headline change.

    .venv/bin/python benchmarks/bench_reform.py            # 0.1%; writes results/reform.json
    .venv/bin/python benchmarks/bench_reform.py --smoke    # 0.002%, results to a scratch file
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from _support import planner_api, results_path, start_run, write_results

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "entrance_exam_residence_1y"
FULL_SAMPLE = 0.001
SMOKE_SAMPLE = 0.00002


def measure(sample: float, folder: Path) -> dict[str, Any]:
    """One run through the in-process API on a fresh database; its timings, memory and precision."""
    from changzhu.simulation.engine import peak_rss_bytes

    client, headers, engine = planner_api(folder)
    body = {"sample": sample, "years": [2025]}
    started = time.perf_counter()
    posted = client.post(f"/api/v1/scenarios/{SCENARIO}/runs", json=body, headers=headers)
    posted.raise_for_status()
    answered = time.perf_counter() - started
    run_id = posted.json()["run_id"]
    polls = 0
    while True:
        run = client.get(f"/api/v1/scenarios/runs/{run_id}", headers=headers).json()
        polls += 1
        if run["status"] not in ("queued", "running"):
            break
        time.sleep(0.5)
    seconds = time.perf_counter() - started
    if run["status"] != "done":
        raise SystemExit(f"run {run_id} {run['status']}: {run['message']}")
    headline = run["summary"]["headline"]
    engine.dispose()
    return {
        "scenario": SCENARIO,
        "sample": sample,
        "sampled_persons": run["summary"]["sampled_persons"],
        "post_answered_seconds": round(answered, 3),
        "seconds_to_result": round(seconds, 1),
        "status_polls": polls,
        "peak_rss_bytes": peak_rss_bytes(),
        "headline": headline,
        "relative_half_width_90": headline["relative_half_width"],
    }


def main() -> None:
    """Run the benchmark and write its JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="0.002% sample, results to a scratch file")
    parser.add_argument("--sample", type=float, default=None, help="fraction of the country (at most 0.001)")
    args = parser.parse_args()
    run = start_run()
    sample = args.sample or (SMOKE_SAMPLE if args.smoke else FULL_SAMPLE)
    with tempfile.TemporaryDirectory(prefix="changzhu-bench-reform-") as folder:
        result = measure(sample, Path(folder))
    table = Table(title=f"reform run through the API ({SCENARIO}, sample {sample:g})")
    for column in ("persons", "POST answered s", "to the stored result s", "peak memory GB", "90% interval"):
        table.add_column(column, justify="right")
    table.add_row(
        f"{result['sampled_persons']:,}",
        f"{result['post_answered_seconds']}",
        f"{result['seconds_to_result']}",
        f"{result['peak_rss_bytes'] / 1e9:.2f}",
        f"±{result['relative_half_width_90']:.1%} on {result['headline']['service']} {result['headline']['measure']}",
    )
    Console().print(table)
    write_results(results_path("reform", args.smoke), run, result)


if __name__ == "__main__":
    main()
