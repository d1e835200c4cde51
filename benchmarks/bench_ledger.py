"""Benchmark of the registry and ledger: registrations, transfers and voucher redemptions per second with
p50/p99 latency, on SQLite and PostgreSQL, one client and concurrent clients.

Each row also gives the SQL statements and transactions per operation (counted by engine events), and each
database the throughput ratio of every client count to one client.

Clients are processes by default (`--clients-are processes`), each with its own engine and connection, as the
API's server workers are (`uvicorn --workers N`): threads of one Python process share its interpreter lock, and a
transfer spends about a third of its time in Python on the client side, so threads measure the lock rather than
the database. `--clients-are threads` runs them as threads of this process (the earlier method) for comparison.
Every client (forked from this process) connects before the clock starts; the time is from the common start to
the last client's end.

Each row also gives the CPU per operation: the client's (getrusage of the process or, with processes, of each client
process) and, on PostgreSQL, the server's (utime + stime from /proc of the backends the clients' connections use;
the server must run on this machine). `--waits` samples pg_stat_activity every few milliseconds during the timed
PostgreSQL runs and gives, per row, what the active backends were waiting on (share of samples).

Run: .venv/bin/python benchmarks/bench_ledger.py [--n 150] [--clients 1,2,4,8] [--pg-only] [--clients-are ...]
Writes benchmarks/results/ledger.json (machine, git revision, date, load average).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from _support import results_path, start_run, write_results
from changzhu.casework.worked_example import example_id
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.transfers import TransferScheme, transfer
from changzhu.ledger.vouchers import issue_voucher, redeem_voucher
from changzhu.registry.migrate import upgrade
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.db import make_engine

RESULTS = Path(__file__).parent / "results" / "ledger.json"  # --out changes it (a baseline run)


class StatementCounter:
    """Counts the SQL statements and transactions an engine runs, per thread (engine events)."""

    def __init__(self, engine: Engine) -> None:
        self._mine = threading.local()
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._transaction)
        event.listen(engine, "rollback", self._transaction)

    def _statement(self, *_args: object) -> None:
        self._mine.statements = getattr(self._mine, "statements", 0) + 1

    def _transaction(self, *_args: object) -> None:
        self._mine.transactions = getattr(self._mine, "transactions", 0) + 1

    def snapshot(self) -> tuple[int, int]:
        """(statements, transactions) run so far by the calling thread."""
        return getattr(self._mine, "statements", 0), getattr(self._mine, "transactions", 0)


class ServerCpu:
    """CPU seconds of the PostgreSQL backends this process's connections use (/proc, so a server on this machine)."""

    def __init__(self, engine: Engine) -> None:
        self.pids: set[int] = set()
        if engine.dialect.name == "postgresql":
            event.listen(engine, "checkout", self._checked_out)

    def _checked_out(self, dbapi_connection: Any, _record: object, _proxy: object) -> None:
        self.pids.add(int(dbapi_connection.info.backend_pid))

    def seconds(self) -> dict[int, float]:
        """CPU seconds used so far by each backend (those gone or unreadable are left out)."""
        used: dict[int, float] = {}
        for pid in self.pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return used


def _cpu() -> float:
    """CPU seconds (user + system) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(t - before.get(pid, 0.0) for pid, t in after.items())


class WaitSampler:
    """Samples what the backends of one database that are in a transaction wait on (pg_stat_activity), from a thread
    of its own: a wait event, 'CPU' (active, no wait event) or 'idle in transaction' (waiting for its client)."""

    def __init__(self, url: str, database: str) -> None:
        self._engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self._database = database
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.counts: Counter[str] = Counter()

    def _run(self) -> None:
        query = text(
            "SELECT CASE WHEN state <> 'active' THEN state ELSE coalesce(wait_event_type || ':' || wait_event, 'CPU') "
            "END FROM pg_stat_activity WHERE datname = :db AND state <> 'idle' AND pid <> pg_backend_pid()"
        )
        with self._engine.connect() as conn:
            while not self._stop.is_set():
                self.counts.update(w for (w,) in conn.execute(query, {"db": self._database}))
                self.counts["(samples)"] += 1
                time.sleep(0.003)

    def start(self) -> None:
        self.counts = Counter()
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> dict[str, float]:
        """Share of samples in which a backend was in each state (a share above 1 means several at once)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        samples = max(self.counts.pop("(samples)", 0), 1)
        return {w: round(n / samples, 3) for w, n in self.counts.most_common(8)}


def _register(engine: Engine, registration: Registration) -> str:
    return str(register_resident(engine, registration, actor="bench")["person_key"])


def _transfer(engine: Engine, person_key: str) -> str:
    transfer(
        engine,
        person_key,
        TransferScheme.PENSION,
        "510100",
        "440300",
        date(2026, 1, 1),
        transfer_no=f"bt-{person_key}",
        actor="bench",
    )
    return person_key


def _redeem(engine: Engine, voucher_no: str) -> str:
    redeem_voucher(engine, voucher_no, "provider", "440300", date(2026, 6, 1), actor="bench", key=f"br-{voucher_no}")
    return voucher_no


OPERATIONS: dict[str, Callable[[Engine, Any], str]] = {"register": _register, "transfer": _transfer, "redeem": _redeem}


def _one(engine: Engine, counter: StatementCounter, kind: str, arg: object) -> tuple[str, float, int, int]:
    """Run one operation: (its result, seconds, statements, transactions)."""
    statements0, transactions0 = counter.snapshot()
    t = time.perf_counter()
    result = OPERATIONS[kind](engine, arg)
    elapsed = time.perf_counter() - t
    statements, transactions = counter.snapshot()
    return result, elapsed, statements - statements0, transactions - transactions0


def _timed(
    engine: Engine,
    counter: StatementCounter,
    server: ServerCpu,
    kind: str,
    args: list[Any],
    clients: int,
    processes: bool,
    waits: WaitSampler | None = None,
) -> tuple[list[str], dict[str, Any]]:
    """Run `kind` on every argument with `clients` clients (threads or processes); results and the row of figures."""
    kinds = [kind] * len(args)
    if waits is not None:
        waits.start()
    if clients > 1 and processes:
        done, wall, client_cpu, server_cpu = _in_processes(engine, counter, server, kind, args, clients)
    else:
        cpu0, server0 = _cpu(), server.seconds()
        start = time.perf_counter()
        if clients == 1:
            done = [_one(engine, counter, kind, a) for a in args]
        else:
            with ThreadPoolExecutor(clients) as pool:
                done = list(pool.map(lambda k, a: _one(engine, counter, k, a), kinds, args))
        wall = time.perf_counter() - start
        client_cpu, server_cpu = _cpu() - cpu0, _server_delta(server0, server.seconds())
    ms = np.array([d[1] for d in done]) * 1000
    row = {
        "ops": len(args),
        "per_second": round(len(args) / wall, 1),
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
        "statements_per_op": round(sum(d[2] for d in done) / len(args), 2),
        "transactions_per_op": round(sum(d[3] for d in done) / len(args), 2),
        "client_cpu_ms_per_op": round(client_cpu * 1000 / len(args), 2),
        "server_cpu_ms_per_op": round(server_cpu * 1000 / len(args), 2),
    }
    if waits is not None:
        row["waits"] = waits.stop()
    return [d[0] for d in done], row


def _client(
    engine: Engine,
    counter: StatementCounter,
    server: ServerCpu,
    kind: str,
    args: list[Any],
    ready: Any,
    results: Any,
) -> None:
    """One client process (forked: the engine's compiled-statement cache is warm, its pool empty): connects before
    the common start, then sends its results, end time, and its own and its backends' CPU seconds."""
    engine.dispose(close=False)  # connections are never shared with the parent
    server.pids.clear()
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    ready.wait()
    cpu0, server0 = _cpu(), server.seconds()
    done = [_one(engine, counter, kind, a) for a in args]
    end = time.perf_counter()
    results.put((done, end, _cpu() - cpu0, _server_delta(server0, server.seconds())))
    engine.dispose()


def _in_processes(
    engine: Engine, counter: StatementCounter, server: ServerCpu, kind: str, args: list[Any], clients: int
) -> tuple[list[tuple[str, float, int, int]], float, float, float]:
    """Run the arguments split over `clients` processes; each operation's figures, the wall time, and the CPU
    seconds of the client processes and of their backends."""
    context = multiprocessing.get_context("fork")
    ready, results = context.Barrier(clients + 1), context.Queue()
    shares = [args[i::clients] for i in range(clients)]
    workers = [
        context.Process(target=_client, args=(engine, counter, server, kind, share, ready, results)) for share in shares
    ]
    engine.dispose()  # the children open their own connections
    for w in workers:
        w.start()
    ready.wait()
    start = time.perf_counter()
    collected = [results.get() for _ in workers]
    for w in workers:
        w.join()
        if w.exitcode != 0:
            raise RuntimeError(f"a {kind} client process failed (exit code {w.exitcode})")
    done = [d for part, *_ in collected for d in part]
    wall = max(end for _part, end, _client_cpu, _server_cpu in collected) - start
    return done, wall, sum(c[2] for c in collected), sum(c[3] for c in collected)


def run_backend(
    engine: Engine,
    n: int,
    clients: list[int],
    offset: int,
    processes: bool = True,
    waits: WaitSampler | None = None,
) -> dict[str, dict[str, Any]]:
    """Registrations, transfers and redemptions with each number of clients in turn (fresh people each)."""
    upgrade(engine)
    counter = StatementCounter(engine)
    server = ServerCpu(engine)
    out: dict[str, dict[str, Any]] = {}
    for run, w in enumerate(clients):
        label = "1 client" if w == 1 else f"{w} clients"
        base = offset + run * n
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
        keys, out[f"register ({label})"] = _timed(engine, counter, server, "register", regs, w, processes, waits)
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
        _, out[f"transfer ({label})"] = _timed(engine, counter, server, "transfer", keys, w, processes, waits)
        _, out[f"redeem ({label})"] = _timed(engine, counter, server, "redeem", vouchers, w, processes, waits)
    return out


def scaling(rows: dict[str, dict[str, Any]]) -> dict[str, float]:
    """Throughput with each client count divided by the single-client throughput, per operation."""
    ratios: dict[str, float] = {}
    for name, r in rows.items():
        op, label = name.split(" (")
        single = rows.get(f"{op} (1 client)")
        if single is not None and label != "1 client)":
            ratios[f"{op} ({label}"] = round(r["per_second"] / single["per_second"], 2)
    return ratios


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=150, help="operations of each kind per run")
    parser.add_argument("--clients", default="1,2,4,8", help="client counts to run, comma-separated")
    parser.add_argument("--pg-only", action="store_true", help="PostgreSQL only (skip SQLite)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="where to write the results JSON")
    parser.add_argument("--label", default="", help="a note stored with the results (e.g. baseline)")
    parser.add_argument(
        "--clients-are", choices=("processes", "threads"), default="processes", help="how concurrent clients run"
    )
    parser.add_argument(
        "--pg-url", default=os.environ.get("CHANGZHU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument(
        "--waits", action="store_true", help="sample pg_stat_activity wait events during the PostgreSQL runs"
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, results to a scratch file (make bench-smoke)")
    args = parser.parse_args()
    run = start_run()
    results_file = args.out
    clients = [int(c) for c in args.clients.split(",")]
    if args.smoke:
        args.n, clients = 4, [1, 2]
        results_file = results_path(RESULTS.stem, smoke=True)
    os.environ.setdefault("CHANGZHU_ID_HASH_KEY", "ab" * 32)
    os.environ.setdefault("CHANGZHU_ID_ENC_KEY", "cd" * 32)
    results: dict[str, dict[str, dict[str, Any]]] = {}
    if not args.pg_only:
        with tempfile.TemporaryDirectory() as tmp:
            engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            results["sqlite"] = run_backend(engine, args.n, clients, 0, args.clients_are == "processes")
            engine.dispose()
    admin = create_engine(args.pg_url, isolation_level="AUTOCOMMIT")
    name = f"changzhu_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(args.pg_url).set(database=name).render_as_string(hide_password=False)
        engine = make_engine(url)
        waits = WaitSampler(url, name) if args.waits else None
        results["postgresql"] = run_backend(engine, args.n, clients, 5000, args.clients_are == "processes", waits)
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    table = Table(title=f"ledger benchmark ({args.n} ops per row)")
    columns = ("database", "operation", "ops/s", "p50 ms", "p99 ms", "statements/op", "transactions/op")
    for col in (*columns, "client CPU ms/op", "server CPU ms/op"):
        table.add_column(col, justify="left" if col in ("database", "operation") else "right")
    for db, rows in results.items():
        for op, r in rows.items():
            table.add_row(
                db,
                op,
                f"{r['per_second']:,.1f}",
                f"{r['p50_ms']:.2f}",
                f"{r['p99_ms']:.2f}",
                f"{r['statements_per_op']:.1f}",
                f"{r['transactions_per_op']:.1f}",
                f"{r['client_cpu_ms_per_op']:.2f}",
                f"{r['server_cpu_ms_per_op']:.2f}",
            )
    Console().print(table)
    ratios = {db: scaling(rows) for db, rows in results.items()}
    Console().print({"throughput vs 1 client": ratios})
    if args.waits:
        Console().print({op: r["waits"] for op, r in results["postgresql"].items()})
    write_results(
        results_file,
        run,
        {
            "n": args.n,
            "clients": clients,
            "label": args.label,
            "clients_are": args.clients_are,
            "results": results,
            "scaling": ratios,
        },
    )


if __name__ == "__main__":
    main()
