"""Benchmark of a reform run's files: what the run page's export gave (the whole table) against what it gives now.

A national planner saves a reform of every service (中考 1 year from 2027, 低保 1600 from 2027; no `services:` list,
so every service is evaluated, as a reform built in the office is) and runs it for 2025 and 2027 through the
in-process API on a fresh SQLite database; then each file is asked as the page or a script asks it, and its rows,
bytes and seconds are measured:

- whole table, CSV: `whole=true&dimension=all` (every grouping, counties included: what the export buttons asked
  before, `whole=true` without a grouping); the same as Parquet; as XLSX only with --xlsx (minutes);
- API default, CSV: `whole=true` without a grouping (the whole country, provinces and the population groups);
- the page's view, CSV and XLSX: one year, service and measure; the whole country, the counties and one grouping.

    .venv/bin/python benchmarks/bench_run_export.py            # sample 0.0002; results/run_export.json
    .venv/bin/python benchmarks/bench_run_export.py --smoke    # 0.00002, results to a scratch file
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
FULL_SAMPLE = 0.0002
SMOKE_SAMPLE = 0.00002
REFORM = """name: every_service_2027
description: 中考 residence 3 → 1 year and 低保 1600 from 2027, every service evaluated
title:
  zh: 中考居住一年、低保 1600 元（2027 年起）
  en: Entrance exam after 1 year, minimum living allowance 1600 (from 2027)
overrides:
  entrance_exam.child_residence_months: {value: 12, since: 2027-01-01}
  entrance_exam.parent_si_months: {value: 12, since: 2027-01-01}
  minimum_living_allowance.standard_yuan_month: {value: 1600, since: 2027-01-01}
"""
VIEW = "&year=2027&service=local_entrance_exam&measure=newly_eligible&dimension=national,county,residence"
FILES = {  # name -> query (after ?whole=true)
    "whole table, CSV (the export before)": "&format=csv&lang=zh&dimension=all",
    "whole table, Parquet": "&format=parquet&dimension=all",
    "API default, CSV": "&format=csv&lang=zh",
    "the page's view, CSV": f"&format=csv&lang=zh{VIEW}",
    "the page's view, XLSX": f"&format=xlsx&lang=zh{VIEW}",
}
WHOLE_XLSX = {"whole table, XLSX": "&format=xlsx&lang=zh&dimension=all"}


def measure(sample: float, folder: Path, xlsx: bool) -> dict[str, Any]:
    """One run through the in-process API on a fresh database, then each file's rows, bytes and seconds."""
    client, headers, engine = planner_api(folder)
    client.post("/api/v1/scenarios", json={"yaml": REFORM}, headers=headers).raise_for_status()
    started = time.perf_counter()
    body = {"sample": sample, "years": [2025, 2027]}
    posted = client.post("/api/v1/scenarios/every_service_2027/runs", json=body, headers=headers)
    posted.raise_for_status()
    run_id = posted.json()["run_id"]
    while (run := client.get(f"/api/v1/scenarios/runs/{run_id}", headers=headers).json())["status"] in (
        "queued",
        "running",
    ):
        time.sleep(0.5)
    if run["status"] != "done":
        raise SystemExit(f"run {run_id} {run['status']}: {run['message']}")
    run_seconds = time.perf_counter() - started
    files: dict[str, dict[str, Any]] = {}
    for name, query in {**FILES, **(WHOLE_XLSX if xlsx else {})}.items():
        began = time.perf_counter()
        answer = client.get(f"/api/v1/scenarios/runs/{run_id}/results?whole=true{query}", headers=headers)
        seconds = time.perf_counter() - began
        rows = int(answer.headers.get("X-Row-Count", "0"))
        files[name] = {
            "query": query,
            "status": answer.status_code,
            "rows": rows,
            "bytes": len(answer.content),
            "seconds": round(seconds, 2),
            "code": answer.json().get("code") if answer.status_code != 200 else None,
        }
    engine.dispose()
    return {
        "sample": sample,
        "sampled_persons": run["summary"]["sampled_persons"],
        "run_seconds": round(run_seconds, 1),
        "files": files,
    }


def main() -> None:
    """Run the benchmark and write its JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="0.002% sample, results to a scratch file")
    parser.add_argument("--sample", type=float, default=None, help="fraction of the country (at most 0.001)")
    parser.add_argument("--xlsx", action="store_true", help="also write the whole table as XLSX (minutes)")
    args = parser.parse_args()
    run = start_run()
    sample = args.sample or (SMOKE_SAMPLE if args.smoke else FULL_SAMPLE)
    with tempfile.TemporaryDirectory(prefix="changzhu-bench-export-") as folder:
        result = measure(sample, Path(folder), args.xlsx)
    table = Table(title=f"a run's files (every service, 2025 and 2027, sample {sample:g}, {result['run_seconds']} s)")
    for column in ("file", "HTTP", "rows", "MB", "seconds"):
        table.add_column(column, justify="right")
    for name, file in result["files"].items():
        table.add_row(
            name, str(file["status"]), f"{file['rows']:,}", f"{file['bytes'] / 1e6:.2f}", f"{file['seconds']}"
        )
    Console().print(table)
    write_results(results_path("run_export", args.smoke), run, result)


if __name__ == "__main__":
    main()
