"""Load test of the service on loopback: requests/s and p50/p99 latency, bounded in count and time.

Measured: the eligibility and explanation endpoints of the rules engine —
GET /residents/{key}/entitlements (a registered resident's explanation: audited read, person table from the
registry, explain()), POST /eligibility/explain (one posted person) and POST /eligibility (a posted table of
--table-rows people, evaluate()) — plus GET /residents/{key} (the audited read alone) as a baseline, and the
office's resident search (by ID number through its keyed hash; a sorted page) and resident page (overview).
Every run is bounded by --requests and --max-seconds; the server listens on 127.0.0.1 only.
Run: .venv/bin/python benchmarks/bench_api.py [--requests 400] [--concurrency 4] [--max-seconds 60]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import httpx
from rich.console import Console
from rich.table import Table

from _support import Call, results_path, run_load, serve, start_run, write_results

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "api"), str(ROOT / "tests")]  # api_support, and db_templates it imports


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=400, help="requests per endpoint (upper bound)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--table-rows", type=int, default=100, help="people in the POST /eligibility table")
    parser.add_argument("--max-seconds", type=float, default=60.0)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, results to a scratch file (make bench-smoke)")
    args = parser.parse_args()
    run = start_run()
    if args.smoke:
        args.requests, args.table_rows, args.max_seconds = 5, 5, 5.0
    os.environ.setdefault("CHANGZHU_ID_HASH_KEY", "11" * 32)
    os.environ.setdefault("CHANGZHU_ID_ENC_KEY", "22" * 32)
    from api_support import ID_GZ, PASSWORD, populate  # the test suite's fixture data: census, residents, accounts

    from changzhu.store.db import make_engine

    folder = Path(tempfile.mkdtemp(prefix="changzhu_bench_"))
    try:
        engine = make_engine(f"sqlite:///{folder / 'changzhu.sqlite3'}")
        people = populate(engine)
        engine.dispose()
        process, url = serve(folder, f"sqlite:///{folder / 'changzhu.sqlite3'}")
        try:
            token = httpx.post(url + "/api/v1/auth/login", json={"username": "cw_gz", "password": PASSWORD}).json()
            headers = {"Authorization": f"Bearer {token['access_token']}"}
            on = "2026-11-24"
            calls: list[Call] = [
                ("GET", f"/api/v1/residents/{people['gz']}/entitlements?on={on}", None),
                ("POST", "/api/v1/eligibility/explain", {"on": on, "people": _table(1)}),
                ("POST", "/api/v1/eligibility", {"on": on, "people": _table(args.table_rows)}),
                ("GET", f"/api/v1/residents/{people['gz']}", None),
                # the office's busiest screens: resident search (keyed hash of the ID number) and the resident page
                ("GET", f"/api/v1/residents?q={ID_GZ}", None),
                ("GET", "/api/v1/residents?sort=birth_date&order=desc&limit=50", None),
                ("GET", f"/api/v1/residents/{people['gz']}/overview?on={on}", None),
            ]
            for call in calls:  # warm-up: caches (policies, regions) are built once per process
                httpx.request(call[0], url + call[1], json=call[2], headers=headers, timeout=60).raise_for_status()
            results = [
                run_load(url, lambda _n, c=c: c, headers, args.requests, args.concurrency, args.max_seconds)
                for c in calls
            ]
        finally:
            process.terminate()
            process.wait(timeout=15)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    table = Table(title=f"changzhu API on loopback, 1 uvicorn worker, SQLite, {args.concurrency} clients")
    for column in ("endpoint", "requests", "errors", "requests_per_second", "p50_ms", "p99_ms"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for r in results:
        r["endpoint"] = r["endpoint"].replace(people["gz"], "{key}").replace(ID_GZ, "{id_number}")
        table.add_row(
            r["endpoint"],
            *(str(r[c]) for c in ("requests", "errors", "requests_per_second", "p50_ms", "p99_ms")),
        )
    Console().print(table)
    write_results(
        results_path("api", args.smoke),
        run,
        {
            "concurrency": args.concurrency,
            "database": "sqlite",
            "workers": 1,
            "eligibility_table_rows": args.table_rows,
            "max_seconds_per_endpoint": args.max_seconds,
            "results": results,
        },
    )


if __name__ == "__main__":
    main()
