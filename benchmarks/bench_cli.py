"""Benchmark of the command line's start-up: `changzhu --help` and `changzhu <command> --help` for every command,
each a whole process, next to the interpreter alone (`python -c pass`, the floor no command can go under).

A command's module is imported only when it runs (changzhu.cli.main.COMMANDS), so `<command> --help` is the
start-up a user pays before any work: the interpreter, typer and the command's own imports. Runs are interleaved
(every case once per round) so a change of load hits every case alike; the table gives the median wall and CPU
seconds (user + system of the child) over the rounds. Target (issue 19): under 0.3 s.

Run: .venv/bin/python benchmarks/bench_cli.py [--repeat 7]
Writes benchmarks/results/cli.json.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from _support import results_path, start_run, write_results
from changzhu.cli.main import COMMANDS

TARGET_SECONDS = 0.3
FLOOR = "python -c pass"


def cases() -> dict[str, list[str]]:
    """Case name -> argv: the interpreter floor, `changzhu --help`, and each command's --help."""
    changzhu = str(Path(sys.executable).with_name("changzhu"))
    found = {FLOOR: [sys.executable, "-c", "pass"], "changzhu --help": [changzhu, "--help"]}
    found.update({f"changzhu {name} --help": [changzhu, name, "--help"] for name in COMMANDS})
    return found


def run_once(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child) of one whole process; it must exit 0."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="rounds (every case once per round)")
    parser.add_argument("--smoke", action="store_true", help="one round, results to a scratch file (make bench-smoke)")
    args = parser.parse_args()
    rounds = 1 if args.smoke else args.repeat
    run = start_run()
    argvs = cases()
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in argvs}
    for _ in range(rounds):
        for name, argv in argvs.items():
            samples[name].append(run_once(argv))
    results = {}
    for name, values in samples.items():
        walls, cpus = [w for w, _ in values], [c for _, c in values]
        results[name] = {
            "wall_median_s": round(statistics.median(walls), 4),
            "wall_min_s": round(min(walls), 4),
            "cpu_median_s": round(statistics.median(cpus), 4),
            "under_target": statistics.median(walls) < TARGET_SECONDS,
        }
    floor = results[FLOOR]["cpu_median_s"]
    table = Table(title=f"CLI start-up, median of {rounds} interleaved round(s)")
    for col in ("process", "wall s", "CPU s", "CPU over the interpreter", f"wall < {TARGET_SECONDS} s"):
        table.add_column(col)
    for name, r in results.items():
        ratio = r["cpu_median_s"] / floor if floor > 0 else float("nan")
        r["cpu_over_floor"] = round(ratio, 2)
        table.add_row(
            name, f"{r['wall_median_s']:.3f}", f"{r['cpu_median_s']:.3f}", f"{ratio:.1f}×", str(r["under_target"])
        )
    Console().print(table)
    commands = [r for name, r in results.items() if name != FLOOR]
    write_results(
        results_path("cli", args.smoke),
        run,
        {
            "method": "each case a whole process (subprocess, output discarded), every case once per round, rounds "
            "interleaved; CPU = the child's user + system time (os.wait4); medians over the rounds",
            "target_seconds": TARGET_SECONDS,
            "rounds": rounds,
            "cases": results,
            "slowest_command_wall_median_s": max(r["wall_median_s"] for r in commands),
            "commands_under_target": sum(r["under_target"] for r in commands),
            "commands": len(commands),
        },
    )


if __name__ == "__main__":
    main()
