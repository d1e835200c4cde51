"""Benchmark of the table reader: a person CSV of 1M rows read and validated (every cell read by its type,
regions checked, the person table's cross-column checks), next to polars alone reading the same file as text.

Each measurement runs in its own child process, so its peak memory is its own: peak = peak RSS (reset with
/proc/self/clear_refs) minus the RSS just before the timed work.

Run: .venv/bin/python benchmarks/bench_io.py [--n 1000000] [--repeat 1]
Writes benchmarks/results/io.json.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl
from rich.console import Console
from rich.table import Table

from _support import results_path, start_run, write_results

CITIES = ["110100", "310100", "440100", "440300", "510100", "420100", "330100", "320500"]
METHOD = (
    "a synthetic person table (all 22 columns, ISO dates, codes, true/false) written once as UTF-8 CSV; "
    "'polars read' = pl.read_csv(infer_schema=False), every cell as text; 'changzhu read and validate' = "
    "changzhu.tables.read_table(person_schema()): the same read, then every cell parsed by its type, regions "
    "looked up, and validate_person_table's cross-column checks; excluded: imports and building the region index"
)


def write_people(n: int, path: Path, seed: int = 7) -> None:
    """n valid people as a CSV file."""
    rng = np.random.default_rng(seed)
    epoch = date(1970, 1, 1)
    today = (date(2026, 6, 1) - epoch).days
    birth = today - rng.integers(365, 70 * 365, n)
    since = birth + ((today - birth) * rng.random(n)).astype(np.int64)
    si_total = rng.integers(0, 300, n)
    frame = pl.DataFrame(
        {
            "person_id": np.arange(1, n + 1),
            "sex": rng.choice(["F", "M"], n),
            "birth_date": pl.Series(birth).cast(pl.Date),
            "hukou_region": rng.choice(CITIES, n),
            "residence_region": rng.choice(CITIES, n),
            "residence_since": pl.Series(since).cast(pl.Date),
            "residence_permit_since": pl.Series(since).cast(pl.Date).set(pl.Series(rng.random(n) >= 0.3), None),
            "si_months_local": (si_total * rng.random(n)).astype(np.int64),
            "si_months_total": si_total,
            "medical_months_local": rng.integers(0, 200, n),
            "prior_region": None,
            "prior_residence_months": 0,
            "prior_si_months": 0,
            "employed": rng.random(n) < 0.7,
            "education": rng.choice(["primary", "junior_secondary", "senior_secondary", "bachelor"], n),
            "housing": rng.choice(["owned", "rented", "dormitory"], n),
            "income_per_capita_month": np.round(rng.gamma(2.0, 2500.0, n), 2),
            "parent_id": None,
            "criminal_record": rng.random(n) < 0.01,
        }
    )
    frame.write_csv(path)


def _rss(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(field)


def measure(which: str, path: Path) -> dict[str, float]:
    """One timed read (run in a child process)."""
    from changzhu.tables import read_table
    from changzhu.tables.person import person_schema
    from changzhu.tables.vocab import shipped_region_index

    schema = person_schema()
    shipped_region_index()  # the region index is built once per process, as in a long-running service
    base = _rss("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")
    start = time.perf_counter()
    rows = pl.read_csv(path, infer_schema=False).height if which == "polars" else read_table(path, schema).frame.height
    seconds = time.perf_counter() - start
    return {"seconds": round(seconds, 3), "peak_extra_bytes": _rss("VmHWM") - base, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--smoke", action="store_true", help="2,000 rows, results to a scratch file (make bench-smoke)")
    args = parser.parse_args()
    if args.smoke:
        args.n = 2_000
    if args.child:
        print(json.dumps(measure(args.child[0], Path(args.child[1]))))
        return
    run = start_run()
    console = Console()
    runs: dict[str, list[dict[str, float]]] = {"polars": [], "changzhu": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        write_people(args.n, path)
        size = path.stat().st_size
        for _ in range(args.repeat):
            for which in runs:
                child = [sys.executable, __file__, "--child", which, str(path)]
                done = subprocess.run(child, check=True, capture_output=True, text=True)
                runs[which].append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
    table = Table(title=f"person CSV, {args.n:,} rows, {size / 1e6:.0f} MB")
    for column in ("reader", "seconds", "rows per second", "peak extra memory (MB)"):
        table.add_column(column, justify="right")
    for label, key in (("polars read (text)", "polars"), ("changzhu read and validate", "changzhu")):
        r = best[key]
        table.add_row(
            label, f"{r['seconds']:.2f}", f"{r['rows'] / r['seconds']:,.0f}", f"{r['peak_extra_bytes'] / 1e6:,.0f}"
        )
    console.print(table)
    write_results(
        results_path("io", args.smoke),
        run,
        {
            "method": METHOD,
            "rows": args.n,
            "file_bytes": size,
            "runs": runs,
            "ratio_changzhu_over_polars_seconds": round(best["changzhu"]["seconds"] / best["polars"]["seconds"], 2),
        },
    )


if __name__ == "__main__":
    main()
