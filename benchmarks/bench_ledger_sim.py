"""The seeded two-instance ledger simulation at length: operations with faults on two PostgreSQL databases,
replayed against the model; prints a table and the divergences (with the seed that reproduces them).

Run: .venv/bin/python benchmarks/bench_ledger_sim.py [--ops 10000] [--seed 1] [--workers 4] [--sqlite] [--smoke]
Writes benchmarks/results/ledger_sim.json (ledger_sim_sqlite.json with --sqlite) with the run record of _support.
Exit status 1 on any divergence.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from _support import results_path, start_run, write_results
from changzhu.api.interregion.simulation import REGIONS, Simulation, simulation_engine


@contextmanager
def _databases(pg_url: str | None, folder: str) -> Iterator[dict[str, str]]:
    """One fresh database per region: PostgreSQL (created and dropped here) or SQLite files."""
    if pg_url is None:
        yield {region: f"sqlite:///{Path(folder) / f'{region}.sqlite3'}" for region in REGIONS}
        return
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    names = {region: f"changzhu_sim_{region}_{uuid.uuid4().hex[:8]}" for region in REGIONS}
    with admin.connect() as conn:
        for name in names.values():
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        base = make_url(pg_url)
        yield {region: base.set(database=name).render_as_string(hide_password=False) for region, name in names.items()}
    finally:
        with admin.connect() as conn:
            for name in names.values():
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _server_cpu_seconds(engine: Engine) -> float:
    """CPU seconds of the PostgreSQL backends still connected to the engine's database (the server runs on this
    machine: /proc); connections the pool closed during the run are not counted, so this is a lower bound."""
    with engine.connect() as conn:
        pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        ).scalars()
        ticks = 0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ops", type=int, default=10_000, help="operations to run (registrations not counted)")
    parser.add_argument("--seed", type=int, default=1, help="the seed: the same seed replays the same run")
    parser.add_argument("--workers", type=int, default=4, help="concurrent clients")
    parser.add_argument("--people", type=int, default=12, help="people per client")
    parser.add_argument("--sqlite", action="store_true", help="two SQLite files instead of PostgreSQL")
    parser.add_argument(
        "--pg-url", default=os.environ.get("CHANGZHU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    )
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, results to a scratch file (make bench-smoke)")
    args = parser.parse_args()
    run = start_run()
    if args.smoke:
        args.ops, args.workers, args.people = 40, 2, 2
    os.environ.setdefault("CHANGZHU_ID_HASH_KEY", "ab" * 32)
    os.environ.setdefault("CHANGZHU_ID_ENC_KEY", "cd" * 32)
    load_before = run["machine"]["load_average_at_start"]
    cpu_before = time.process_time()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["CHANGZHU_HOME"] = folder  # audit checkpoints of these throwaway databases
        with _databases(None if args.sqlite else args.pg_url, folder) as urls:
            simulation = Simulation(args.seed, urls, simulation_engine, workers=args.workers)
            report = simulation.run(args.ops, people_per_worker=args.people)
            server_cpu = None if args.sqlite else sum(_server_cpu_seconds(n.engine) for n in simulation.nodes.values())
            for node in simulation.nodes.values():
                node.engine.dispose()
    cpu_seconds, load_after = time.process_time() - cpu_before, os.getloadavg()
    database = "sqlite" if args.sqlite else "postgresql"
    title = f"ledger simulation ({database}): seed {args.seed}, {args.ops:,} operations, {args.workers} clients"
    table = Table(title=title)
    table.add_column("what")
    table.add_column("count", justify="right")
    for kind, n in sorted(report.counts.items()):
        table.add_row(f"operation {kind}", f"{n:,}")
    for kind, n in sorted(report.faults.items()):
        table.add_row(f"fault {kind}", f"{n:,}")
    table.add_row("seconds", f"{report.seconds:.1f}")
    table.add_row("CPU seconds of this process", f"{cpu_seconds:.1f}")
    if server_cpu is not None:
        table.add_row("CPU seconds of the PostgreSQL backends (at least)", f"{server_cpu:.1f}")
    table.add_row("load average before / after", f"{load_before[0]:.1f} / {load_after[0]:.1f}")
    table.add_row("operations per second", f"{args.ops / report.seconds:,.1f}")
    table.add_row("divergences", str(len(report.divergences)))
    console = Console()
    console.print(table)
    for line in report.divergences[:20]:
        console.print(line, markup=False)
    if report.divergences:
        console.print(report.replay_hint(), markup=False)
    write_results(
        results_path("ledger_sim" if database == "postgresql" else "ledger_sim_sqlite", args.smoke),
        run,
        {
            "database": database,
            "seed": args.seed,
            "operations": args.ops,
            "workers": args.workers,
            "people": args.people * args.workers,
            "seconds": round(report.seconds, 2),
            "cpu_seconds": round(cpu_seconds, 2),
            "server_cpu_seconds": None if server_cpu is None else round(server_cpu, 2),
            "counts": report.counts,
            "faults": report.faults,
            "divergences": report.divergences,
        },
    )
    sys.exit(1 if report.divergences else 0)


if __name__ == "__main__":
    main()
