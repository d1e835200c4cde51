"""Benchmark of the registry and ledger: registrations, transfers and voucher redemptions per second with
p50/p99 latency, on SQLite and PostgreSQL, one client and concurrent clients.

Run: .venv/bin/python benchmarks/bench_ledger.py [--n 300] [--workers 8] [--pg-url postgresql+psycopg://...]
Writes benchmarks/results/ledger.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.transfers import TransferScheme, transfer
from changzhu.ledger.vouchers import issue_voucher, redeem_voucher
from changzhu.ledger.worked_example import example_id
from changzhu.registry.db import make_engine
from changzhu.registry.migrate import upgrade
from changzhu.registry.residents import ProofKind, Registration, register_resident

RESULTS = Path(__file__).parent / "results" / "ledger.json"


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


def run_backend(engine: Engine, n: int, workers: int, offset: int) -> dict[str, dict[str, float]]:
    """Registrations, transfers and redemptions, first one client then `workers` clients."""
    upgrade(engine)
    out: dict[str, dict[str, float]] = {}
    for label, w in (("1 client", 1), (f"{workers} clients", workers)):
        base = offset + (0 if w == 1 else n)
        regs = [
            Registration(
                example_id("110105", date(1950 + (base + i) % 50, 1 + i % 12, 1 + i % 28), (base + i) % 1000),
                "510100",
                "440300",
                date(2015, 1, 1),
                ProofKind.EMPLOYMENT,
                "contract",
                {},
            )
            for i in range(n)
        ]
        keys: list[str] = []
        out[f"register ({label})"] = _timed(
            [
                lambda r=r, keys=keys: keys.append(str(register_resident(engine, r, actor="bench")["person_key"]))
                for r in regs
            ],
            w,
        )
        for k in keys:  # setup, not timed: 12 months at Chengdu and a voucher each
            record_contributions(
                engine,
                k,
                Scheme.PENSION,
                "510100",
                [MonthPaid(201800 + m, 500_000) for m in range(1, 13)],
                actor="bench",
            )
        vouchers = [
            str(
                issue_voucher(engine, k, "510100", "care", 10_000, date(2026, 1, 1), date(2027, 1, 1), actor="bench")[
                    "voucher_no"
                ]
            )
            for k in keys
        ]
        out[f"transfer ({label})"] = _timed(
            [
                lambda k=k: transfer(
                    engine,
                    k,
                    TransferScheme.PENSION,
                    "510100",
                    "440300",
                    date(2026, 1, 1),
                    transfer_no=f"bt-{k}",
                    actor="bench",
                )
                for k in keys
            ],
            w,
        )
        out[f"redeem ({label})"] = _timed(
            [
                lambda v=v: redeem_voucher(
                    engine, v, "provider", "440300", date(2026, 6, 1), actor="bench", key=f"br-{v}"
                )
                for v in vouchers
            ],
            w,
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=150, help="operations of each kind per run")
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument(
        "--pg-url", default=os.environ.get("CHANGZHU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    args = parser.parse_args()
    os.environ.setdefault("CHANGZHU_ID_HASH_KEY", "ab" * 32)
    os.environ.setdefault("CHANGZHU_ID_ENC_KEY", "cd" * 32)
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        results["sqlite"] = run_backend(engine, args.n, args.workers, 0)
        engine.dispose()
    admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    name = f"changzhu_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        engine = make_engine(make_url(args.pg_url).set(database=name).render_as_string(hide_password=False))
        results["postgresql"] = run_backend(engine, args.n, args.workers, 5000)
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    table = Table(title=f"ledger benchmark ({args.n} ops per row)")
    for col in ("database", "operation", "ops/s", "p50 ms", "p99 ms"):
        table.add_column(col, justify="left" if col in ("database", "operation") else "right")
    for db, rows in results.items():
        for op, r in rows.items():
            table.add_row(db, op, f"{r['per_second']:,.1f}", f"{r['p50_ms']:.2f}", f"{r['p99_ms']:.2f}")
    Console().print(table)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "n": args.n,
                "workers": args.workers,
                "machine": platform.platform(),
                "cpus": os.cpu_count(),
                "results": results,
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
