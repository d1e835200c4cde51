"""Benchmark of applications and quotas: application submit (pre-check by the rules engine, store, audit) per
second with p50/p99 on SQLite and PostgreSQL, ranking of many candidates, and a quota simulation on a synthetic
city.

Run: .venv/bin/python benchmarks/bench_applications.py [--n 60] [--workers 4] [--candidates 1000000]
Writes benchmarks/results/applications.json.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url

from _support import results_path, start_run, write_results
from changzhu.api.quota_population import synthetic_candidates
from changzhu.casework.application_records import submit
from changzhu.casework.applications import ApplicationKind
from changzhu.casework.quota_runs import QuotaKind
from changzhu.casework.quotas import Candidate, TieBreak, by_capacity, by_quota
from changzhu.casework.worked_example import example_id
from changzhu.registry.migrate import upgrade
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.db import make_engine, session_scope
from changzhu.store.resident_models import PersonRow

FACTS = {"employed": True, "education": "bachelor", "housing": "rented", "income_per_capita_month": 5200.0,
         "criminal_record": False}  # fmt: skip


def _timed(calls: list[Callable[[], object]], workers: int) -> dict[str, float]:
    latencies: list[float] = []

    def one(call: Callable[[], object]) -> None:
        t = time.perf_counter()
        call()
        latencies.append(time.perf_counter() - t)

    start = time.perf_counter()
    if workers == 1:
        for call in calls:
            one(call)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(one, calls))
    wall = time.perf_counter() - start
    ms = np.array(latencies) * 1000
    return {
        "ops": len(calls),
        "per_second": round(len(calls) / wall, 1),
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
    }


def _people(engine: Engine, n: int, offset: int) -> list[PersonRow]:
    keys = []
    for i in range(n):
        reg = Registration(
            example_id("510104", date(1990, 1, 1) + timedelta(days=offset + i), 100 + i % 800),
            "510100", "440100", date(2020, 3, 1), ProofKind.EMPLOYMENT, f"bench-{i}", FACTS,
        )  # fmt: skip
        keys.append(str(register_resident(engine, reg, actor="bench")["person_key"]))
    with session_scope(engine) as session:
        rows = list(session.scalars(select(PersonRow).where(PersonRow.person_key.in_(keys))))
        session.expunge_all()
    return rows


def run_backend(engine: Engine, n: int, workers: int, offset: int) -> dict[str, dict[str, float]]:
    """Submit a points application for n residents, with one client and with `workers` clients."""
    upgrade(engine)
    people = _people(engine, 2 * n, offset)
    out = {}
    for label, group, w in (("submit, 1 client", people[:n], 1), (f"submit, {workers} clients", people[n:], workers)):
        calls: list[Callable[[], object]] = [
            (lambda p=p: submit(engine, p, ApplicationKind.POINTS, None, "bench")) for p in group
        ]
        out[label] = _timed(calls, w)
    return out


def ranking(count: int) -> dict[str, float]:
    """Seconds to rank `count` candidates against a quota and against 50 districts' places."""
    rng = random.Random(1)
    start = date(2010, 1, 1)
    people = [
        Candidate(i, f"p{i}", float(rng.randint(40, 160)), rng.randint(0, 240),
                  start + timedelta(days=rng.randint(0, 5000)), "2026-01-01T00:00:00", f"4401{rng.randint(1, 50):02d}")
        for i in range(count)
    ]  # fmt: skip
    rule = TieBreak(True, True)
    t = time.perf_counter()
    by_quota(people, rule, count // 10)
    quota_s = time.perf_counter() - t
    t = time.perf_counter()
    by_capacity(people, rule, {f"4401{d:02d}": count // 200 for d in range(1, 51)})
    return {"candidates": count, "quota_s": round(quota_s, 3), "capacity_s": round(time.perf_counter() - t, 3)}


def simulation(fraction: float) -> dict[str, float]:
    """Seconds to draw and score Guangzhou's synthetic 积分落户 candidates at `fraction`."""
    t = time.perf_counter()
    found, _unassessed = synthetic_candidates(QuotaKind.POINTS_HUKOU, "440100", date(2026, 11, 30), fraction, 1)
    return {"fraction": fraction, "candidates": len(found), "seconds": round(time.perf_counter() - t, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=60, help="applications per client setting")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument(
        "--pg-url", default=os.environ.get("CHANGZHU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, results to a scratch file (make bench-smoke)")
    args = parser.parse_args()
    run = start_run()
    if args.smoke:
        args.n, args.workers, args.candidates, args.fraction = 3, 2, 2000, 0.0001
    os.environ.setdefault("CHANGZHU_ID_HASH_KEY", "ab" * 32)
    os.environ.setdefault("CHANGZHU_ID_ENC_KEY", "cd" * 32)
    submits: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        submits["sqlite"] = run_backend(engine, args.n, args.workers, 0)
        engine.dispose()
    admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    name = f"changzhu_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        engine = make_engine(make_url(args.pg_url).set(database=name).render_as_string(hide_password=False))
        submits["postgresql"] = run_backend(engine, args.n, args.workers, 5000)
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    ranked, simulated = ranking(args.candidates), simulation(args.fraction)
    table = Table(title=f"applications benchmark ({args.n} submissions per row)")
    for col in ("database", "operation", "ops/s", "p50 ms", "p99 ms"):
        table.add_column(col, justify="left" if col in ("database", "operation") else "right")
    for db, rows in submits.items():
        for op, r in rows.items():
            table.add_row(db, op, f"{r['per_second']:,.1f}", f"{r['p50_ms']:.2f}", f"{r['p99_ms']:.2f}")
    console = Console()
    console.print(table)
    console.print(
        f"ranking {ranked['candidates']:,} candidates: quota {ranked['quota_s']} s, "
        f"50 districts {ranked['capacity_s']} s"
    )
    console.print(
        f"synthetic Guangzhou at {simulated['fraction']}: {simulated['candidates']:,} candidates "
        f"in {simulated['seconds']} s"
    )
    write_results(
        results_path("applications", args.smoke),
        run,
        {"submit": submits, "ranking": ranked, "simulation": simulated},
    )


if __name__ == "__main__":
    main()
