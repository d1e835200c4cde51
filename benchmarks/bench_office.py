"""Load benchmark of the office's busiest screens on PostgreSQL: resident search (by name, identity number and
phone, `by=auto`), the resident page (overview) and application submit, at 1 and 16 concurrent users.

A real uvicorn process (one worker) on 127.0.0.1 over a fresh PostgreSQL database (created for the run, dropped
after) holding the test suite's accounts and --residents residents with names and phones, registered through the
bulk import (`casework/bulk_import.import_residents`), and --applications applications. Every run is bounded by
--requests and --max-seconds. Results: benchmarks/results/office.json (with --smoke: tiny sizes, a scratch file).
Run: tools/with_postgres.sh .venv/bin/python benchmarks/bench_office.py [--residents 100000] [--requests 400]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url

from _support import Call, results_path, run_load, serve, start_run, write_results

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "api"), str(ROOT / "tests")]  # api_support, and db_templates it imports
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力兵斌宇浩凯鹏飞鑫波"
CONCURRENCY = (1, 16)


def _resident(i: int) -> dict[str, object]:
    """The i-th synthetic resident of Guangzhou: identity number, name, phone and the facts the rules read."""
    from changzhu.casework.worked_example import example_id

    born = date(1970, 1, 1) + timedelta(days=i // 900)
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // len(SURNAMES)) % len(GIVEN)] + GIVEN[(i * 7) % len(GIVEN)]
    return {
        "id_number": example_id("510104", born, 100 + i % 900), "name": name, "phone": f"139{i:08d}",
        "hukou_region": "510100", "residence_region": "440100",
        "residence_since": str(date(2016, 1, 1) + timedelta(days=i % 3000)), "proof_kind": "employment",
        "proof_ref": f"bench-{i}", "employed": "true", "education": "bachelor", "housing": "rented",
        "income_per_capita_month": str(2000 + i % 6000), "criminal_record": "false",
    }  # fmt: skip


def seed(engine: Engine, residents: int, batch: int, applications: int, folder: Path) -> dict[str, object]:
    """The test accounts, `residents` residents through the bulk import (files of `batch` rows: one import is one
    transaction, and its time grows faster than its rows), `applications` applications; seconds."""
    from api_support import populate  # the test suite's census, four residents and accounts (cw_gz, …)

    from changzhu.casework.application_records import submit
    from changzhu.casework.applications import ApplicationKind
    from changzhu.casework.bulk_import import import_residents
    from changzhu.store.db import session_scope
    from changzhu.store.resident_models import PersonRow

    populate(engine)
    started, imported = time.perf_counter(), 0
    for first in range(0, residents, batch):
        path = folder / f"residents_{first}.csv"
        rows = [_resident(i) for i in range(first, min(residents, first + batch))]
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        imported += int(import_residents(engine, path, actor="bench")["residents"])  # type: ignore[call-overload]
    import_seconds = time.perf_counter() - started
    with session_scope(engine) as session:
        query = select(PersonRow).where(PersonRow.name_hash.is_not(None)).limit(applications)  # imported ones
        people = list(session.scalars(query))
        session.expunge_all()
    started = time.perf_counter()
    for person in people:
        submit(engine, person, ApplicationKind.PUBLIC_RENTAL, None, "bench")
    return {
        "residents": imported,
        "import_batch": batch,
        "import_seconds": round(import_seconds, 1),
        "applications": len(people),
        "applications_seconds": round(time.perf_counter() - started, 1),
    }


def _keys(engine: Engine, n: int) -> list[str]:
    """Person keys of `n` imported residents, spread over the table."""
    from changzhu.store.db import session_scope
    from changzhu.store.resident_models import PersonRow

    with session_scope(engine) as session:
        keys = list(session.scalars(select(PersonRow.person_key).where(PersonRow.name_hash.is_not(None))))
    random.Random(1).shuffle(keys)
    return keys[:n]


def screens(residents: int, keys: list[str], on: str) -> dict[str, tuple[callable, int]]:  # type: ignore[valid-type]
    """Per screen: the n-th request and the status that counts as success."""
    rng = random.Random(2)
    picks = [rng.randrange(residents) for _ in range(4096)]

    def search(field: str) -> callable:  # type: ignore[valid-type]
        return lambda n: ("GET", f"/api/v1/residents?q={_resident(picks[n % len(picks)])[field]}&by=auto", None)

    return {
        "search by name": (search("name"), 200),
        "search by ID number": (search("id_number"), 200),
        "search by phone": (search("phone"), 200),
        "resident page": (lambda n: ("GET", f"/api/v1/residents/{keys[n % len(keys)]}/overview?on={on}", None), 200),
        # every submission is a different resident's public rental housing application
        "application submit": (
            lambda n: ("POST", "/api/v1/applications", {"person_key": keys[-1 - n], "kind": "public_rental"}),
            201,
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--import-batch", type=int, default=1000, help="rows per imported file")
    parser.add_argument("--applications", type=int, default=500, help="applications stored before the run")
    parser.add_argument("--requests", type=int, default=400, help="requests per screen and concurrency (bound)")
    parser.add_argument("--max-seconds", type=float, default=45.0, help="per screen and concurrency (bound)")
    parser.add_argument(
        "--pg-url", default=os.environ.get("CHANGZHU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, results to a scratch file (make bench-smoke)")
    args = parser.parse_args()
    run = start_run()
    if args.smoke:
        # two import files, and one request per client at 16 users: every path of the full run, at the least
        args.residents, args.import_batch, args.applications, args.requests, args.max_seconds = 80, 40, 5, 16, 10.0
    os.environ.setdefault("CHANGZHU_ID_HASH_KEY", "11" * 32)
    os.environ.setdefault("CHANGZHU_ID_ENC_KEY", "22" * 32)
    from api_support import PASSWORD

    from changzhu.store.db import make_engine

    record: dict[str, Any] = {"database": "postgresql", "workers": 1, "max_seconds": args.max_seconds}
    admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    name = f"changzhu_bench_office_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    results = []
    try:
        url = make_url(args.pg_url).set(database=name).render_as_string(hide_password=False)
        engine = make_engine(url)
        with tempfile.TemporaryDirectory(prefix="changzhu_bench_office_") as tmp:
            record["seed"] = seed(engine, args.residents, args.import_batch, args.applications, Path(tmp))
            Console().print(f"seeded: {record['seed']}")
            submits_needed = args.requests * len(CONCURRENCY)
            keys = _keys(engine, min(args.residents, 2000 + submits_needed))
            engine.dispose()
            process, base = serve(Path(tmp), url)
            try:
                login = httpx.post(base + "/api/v1/auth/login", json={"username": "cw_gz", "password": PASSWORD})
                headers = {"Authorization": f"Bearer {login.raise_for_status().json()['access_token']}"}
                offset = 0
                for screen, (call, ok) in screens(args.residents, keys, "2026-11-24").items():
                    warm = call(10_000_000) if screen != "application submit" else ("GET", "/api/v1/auth/me", None)
                    httpx.request(warm[0], base + warm[1], json=warm[2], headers=headers, timeout=120)
                    for users in CONCURRENCY:
                        start = offset if screen == "application submit" else 0

                        def numbered(n: int, call=call, start=start) -> Call:  # type: ignore[no-untyped-def]
                            return call(start + n)

                        result = run_load(base, numbered, headers, args.requests, users, args.max_seconds, ok)
                        if screen == "application submit":
                            offset += result["requests"] + users
                        results.append({"screen": screen, **result})
            finally:
                process.terminate()
                process.wait(timeout=30)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    table = Table(title=f"office screens, PostgreSQL, 1 uvicorn worker, {record['seed']['residents']:,} residents")
    columns = ("screen", "concurrency", "requests", "errors", "requests_per_second", "p50_ms", "p99_ms")
    for column in columns:
        table.add_column(column, justify="left" if column == "screen" else "right")
    for r in results:
        table.add_row(*(str(r[c]) for c in columns))
    console = Console()
    console.print(table)
    write_results(results_path("office", args.smoke), run, {**record, "results": results})


if __name__ == "__main__":
    main()
