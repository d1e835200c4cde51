"""Load test of the service on loopback: requests/s and p50/p99 latency, bounded in count and time.

Measured: the eligibility and explanation endpoints of the rules engine —
GET /residents/{key}/entitlements (a registered resident's explanation: audited read, person table from the
registry, explain()), POST /eligibility/explain (one posted person) and POST /eligibility (a posted table of
--table-rows people, evaluate()) — plus GET /residents/{key} (the audited read alone) as a baseline.
Every run is bounded by --requests and --max-seconds; the server listens on 127.0.0.1 only.
Run: .venv/bin/python benchmarks/bench_api.py [--requests 400] [--concurrency 4] [--max-seconds 60]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "api"))


def _serve(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "CHANGZHU_DATABASE_URL": f"sqlite:///{folder / 'changzhu.sqlite3'}",
        "CHANGZHU_DATA_DIR": str(folder),
        "CHANGZHU_JWT_SECRET": "x" * 40,
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "changzhu.api.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(url + "/login", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def _table(rows: int) -> list[dict[str, object]]:
    """`rows` people living in Guangzhou with varied residence and insurance histories."""
    base = {
        "sex": "F", "birth_date": "1990-05-05", "hukou_region": "510100", "residence_region": "440100",
        "residence_permit_since": None, "prior_region": None, "prior_residence_months": 0, "prior_si_months": 0,
        "employed": True, "education": "bachelor", "housing": "rented", "income_per_capita_month": 4000.0,
        "parent_id": None, "criminal_record": False,
    }  # fmt: skip
    return [
        {
            **base,
            "person_id": i + 1,
            "residence_since": f"{2016 + i % 10}-0{1 + i % 9}-01",
            "si_months_local": i % 60,
            "si_months_total": i % 60 + i % 13,
            "medical_months_local": i % 60,
        }
        for i in range(rows)
    ]


def _run(
    url: str,
    call: tuple[str, str, dict | None],
    headers: dict[str, str],
    count: int,
    concurrency: int,
    max_seconds: float,
) -> dict:
    method, path, body = call
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + max_seconds

    def worker(n: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=url, headers=headers, timeout=10) as client:
            for _ in range(n):
                if time.monotonic() > deadline:
                    return
                start = time.perf_counter()
                response = client.request(method, path, json=body)
                latencies.append(time.perf_counter() - start)
                errors += response.status_code != 200

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, [count // concurrency] * concurrency))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "endpoint": f"{method} {path}",
        "requests": len(ordered),
        "errors": errors,
        "seconds": round(elapsed, 3),
        "requests_per_second": round(len(ordered) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400, help="requests per endpoint (upper bound)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--table-rows", type=int, default=100, help="people in the POST /eligibility table")
    parser.add_argument("--max-seconds", type=float, default=60.0)
    args = parser.parse_args()
    os.environ.setdefault("CHANGZHU_ID_HASH_KEY", "11" * 32)
    os.environ.setdefault("CHANGZHU_ID_ENC_KEY", "22" * 32)
    from changzhu.registry.db import make_engine
    from conftest import PASSWORD, populate  # the test suite's fixture data: census, 3 residents, 9 accounts

    folder = Path(tempfile.mkdtemp(prefix="changzhu_bench_"))
    try:
        engine = make_engine(f"sqlite:///{folder / 'changzhu.sqlite3'}")
        people = populate(engine)
        engine.dispose()
        process, url = _serve(folder)
        try:
            token = httpx.post(url + "/api/v1/auth/login", json={"username": "cw_gz", "password": PASSWORD}).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            on = "2026-11-24"
            calls: list[tuple[str, str, dict | None]] = [
                ("GET", f"/api/v1/residents/{people['gz']}/entitlements?on={on}", None),
                ("POST", "/api/v1/eligibility/explain", {"on": on, "people": _table(1)}),
                ("POST", "/api/v1/eligibility", {"on": on, "people": _table(args.table_rows)}),
                ("GET", f"/api/v1/residents/{people['gz']}", None),
            ]
            for call in calls:  # warm-up: caches (policies, regions) are built once per process
                httpx.request(call[0], url + call[1], json=call[2], headers=headers, timeout=60).raise_for_status()
            results = [_run(url, c, headers, args.requests, args.concurrency, args.max_seconds) for c in calls]
        finally:
            process.terminate()
            process.wait(timeout=15)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    table = Table(title=f"changzhu API on loopback, 1 uvicorn worker, SQLite, {args.concurrency} clients")
    for column in ("endpoint", "requests", "errors", "requests_per_second", "p50_ms", "p99_ms"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for r in results:
        r["endpoint"] = r["endpoint"].replace(people["gz"], "{key}")
        table.add_row(
            r["endpoint"],
            *(str(r[c]) for c in ("requests", "errors", "requests_per_second", "p50_ms", "p99_ms")),
        )
    Console().print(table)
    out = ROOT / "benchmarks" / "results" / "api.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "concurrency": args.concurrency,
                "database": "sqlite",
                "workers": 1,
                "eligibility_table_rows": args.table_rows,
                "max_seconds_per_endpoint": args.max_seconds,
                "results": results,
            },
            indent=1,
        )
    )
    Console().print(f"written {out}")


if __name__ == "__main__":
    main()
