"""Helpers shared by every benchmark: where, when and on what code a run was made (written into each result JSON by
write_results), and for the API load benchmarks a real uvicorn process on loopback and a bounded load run."""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from threading import Lock
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "benchmarks" / "results"
Call = tuple[str, str, dict | None]  # method, path, JSON body


def serve(home: Path, database_url: str) -> tuple[subprocess.Popen[bytes], str]:
    """Start `uvicorn changzhu.api.app:create_app` (one worker) on a free loopback port over `database_url`."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {
        **os.environ,
        "CHANGZHU_DATABASE_URL": database_url,
        "CHANGZHU_HOME": str(home),
        "CHANGZHU_JWT_SECRET": "x" * 40,
    }
    command = [
        sys.executable, "-m", "uvicorn", "changzhu.api.app:create_app", "--factory", "--host", "127.0.0.1",
        "--port", str(port), "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env)
    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(url + "/api/v1/docs", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("server did not start")


def run_load(
    url: str,
    calls: Callable[[int], Call],
    headers: Mapping[str, str],
    count_: int,
    concurrency: int,
    max_seconds: float,
    ok: int = 200,
) -> dict:
    """Send up to `count_` requests (the n-th is `calls(n)`) from `concurrency` threads, stopping at
    `max_seconds`; requests/s, p50/p99 latency and the answers other than `ok`."""
    latencies: list[float] = []
    errors = 0
    numbers = count()
    lock = Lock()
    deadline = time.monotonic() + max_seconds

    def worker(n: int) -> None:
        nonlocal errors
        with httpx.Client(base_url=url, headers=dict(headers), timeout=60) as client:
            for _ in range(n):
                if time.monotonic() > deadline:
                    return
                with lock:
                    method, path, body = calls(next(numbers))
                start = time.perf_counter()
                response = client.request(method, path, json=body)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    errors += response.status_code != ok

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(worker, [max(1, count_ // concurrency)] * concurrency))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    method, path, _body = calls(0)
    return {
        "endpoint": f"{method} {path}",
        "concurrency": concurrency,
        "requests": len(ordered),
        "errors": errors,
        "seconds": round(elapsed, 3),
        "requests_per_second": round(len(ordered) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }


def _git(*args: str) -> str:
    found = subprocess.run(["git", *args], capture_output=True, text=True, cwd=ROOT, check=False)
    return found.stdout.strip()


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
        if line.startswith("MemTotal:"):
            return round(int(line.split()[1]) / 2**20, 1)
    return float("nan")


def start_run() -> dict[str, Any]:
    """The record of a run, taken before it starts: the command, the date, the code version (commit, and whether
    src/ or benchmarks/ differ from it) and the machine (CPU, cores, memory, load average)."""
    return {
        "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "code": {
            "commit": _git("rev-parse", "HEAD"),
            "uncommitted_changes": bool(_git("status", "--porcelain", "--", "src", "benchmarks")),
        },
        "machine": {
            "cpu": _cpu_model(),
            "cores": os.cpu_count(),
            "cores_usable": len(os.sched_getaffinity(0)),
            "memory_gib": _memory_gib(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "_started": time.perf_counter(),
    }


def results_path(name: str, smoke: bool) -> Path:
    """benchmarks/results/<name>.json, or a scratch file for a --smoke run (tiny sizes are not results)."""
    if smoke:
        return Path(tempfile.mkdtemp(prefix="changzhu-bench-smoke-")) / f"{name}.json"
    return RESULTS_DIR / f"{name}.json"


def finish_run(run: dict[str, Any]) -> dict[str, Any]:
    """The run's record as written: its load average at the end and its wall time added."""
    record = {k: v for k, v in run.items() if not k.startswith("_")}
    record["machine"] = {**record["machine"], "load_average_at_end": [round(x, 2) for x in os.getloadavg()]}
    record["seconds"] = round(time.perf_counter() - run["_started"], 1)
    return record


def write_json(path: Path, payload: Mapping[str, Any]) -> None:
    """A results file, written the same way by every benchmark."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=1, ensure_ascii=False, default=float) + "\n", encoding="utf-8")


def write_results(path: Path, run: dict[str, Any], payload: Mapping[str, Any]) -> Path:
    """Write the results with the run's record (see start_run, finish_run) as "run"."""
    write_json(path, {"run": finish_run(run), **payload})
    print(f"results written to {path}")
    return path


def planner_api(folder: Path) -> tuple[Any, dict[str, str], Any]:
    """The in-process API on a fresh SQLite database in `folder`, a national planner's authorization header, and the
    database engine (to dispose of)."""
    warnings.filterwarnings("ignore", message="Using `httpx` with")
    from fastapi.testclient import TestClient

    from changzhu.api import ApiSettings, create_app
    from changzhu.api.auth.accounts import create_user
    from changzhu.api.auth.roles import Role
    from changzhu.api.auth.tokens import issue_token
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    engine = make_engine(f"sqlite:///{folder / 'changzhu.sqlite3'}")
    upgrade(engine)
    planner = create_user(engine, "planner", "a long enough password", Role.PLANNER, ["000000"])
    settings = ApiSettings(
        database_url=str(engine.url),
        jwt_secret=b"b" * 32,
        keys_dir=folder / "keys",
        scenarios_dir=Path(__file__).resolve().parents[1] / "src" / "changzhu" / "scenarios",
    )
    client = TestClient(create_app(settings, engine))
    return client, {"Authorization": f"Bearer {issue_token(planner.user_id, settings.jwt_secret, 3600)}"}, engine
