"""Load test of the service on loopback: requests/s and p50/p99 latency, bounded in count and time.

The rules engine's eligibility and explanation endpoints are measured when the app has them; until then the
personal-data read path that those endpoints share (token check, scope check, audited read) is measured:
GET /residents/{key} and GET /residents/{key}/account, plus the public GET /regions as a baseline.
Run: .venv/bin/python benchmarks/bench_api.py [--requests 2000] [--concurrency 8] [--max-seconds 60]
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


def _run(url: str, path: str, headers: dict[str, str], count: int, concurrency: int, max_seconds: float) -> dict:
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
                response = client.get(path)
                latencies.append(time.perf_counter() - start)
                errors += response.status_code != 200

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, [count // concurrency] * concurrency))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "path": path,
        "requests": len(ordered),
        "errors": errors,
        "seconds": round(elapsed, 3),
        "requests_per_second": round(len(ordered) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8)
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
            paths = [
                f"/api/v1/residents/{people['gz']}",
                f"/api/v1/residents/{people['gz']}/account",
                "/api/v1/regions?level=province",
            ]
            results = [_run(url, p, headers, args.requests, args.concurrency, args.max_seconds) for p in paths]
        finally:
            process.terminate()
            process.wait(timeout=15)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    table = Table(title=f"changzhu API on loopback, 1 uvicorn worker, SQLite, {args.concurrency} clients")
    for column in ("path", "requests", "errors", "requests_per_second", "p50_ms", "p99_ms"):
        table.add_column(column, justify="left" if column == "path" else "right")
    for r in results:
        table.add_row(
            r["path"].replace(people["gz"], "{key}"),
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
                "eligibility_endpoints": "not yet in the app (rules engine not wired)",
                "results": results,
            },
            indent=1,
        )
    )
    Console().print(f"written {out}")


if __name__ == "__main__":
    main()
