"""Small scenario runs on demand: a reform against the baseline on a bounded synthetic sample, kept in memory."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from changzhu.api.errors import NotFound, TooManyRequests
from changzhu.simulation import LocalEngine, load_rules_scenario, load_spec, rules_evaluator, simulate

MAX_SAMPLE = 0.001  # 1.4 million synthetic people at most; the CLI runs bigger samples
KEPT_RUNS = 20


@dataclass
class ScenarioRun:
    """One finished run: its settings and the estimates by province (baseline and reform)."""

    run_id: str
    scenario: str
    sample: float
    year: int
    seed: int
    seconds: float
    created_at: str
    by_province: pl.DataFrame = field(repr=False)

    def summary(self) -> dict[str, Any]:
        """Settings and national totals per scenario and service."""
        totals = (
            self.by_province.group_by("scenario", "service")
            .agg(
                pl.col("residents").sum(),
                pl.col("eligible").sum(),
                pl.col("newly_eligible").sum(),
                pl.col("delta_eligible").sum(),
                pl.col("cost_yuan").sum(),
                pl.col("delta_cost_yuan").sum(),
            )
            .sort("scenario", "service")
        )
        return {
            "run_id": self.run_id,
            "scenario": self.scenario,
            "sample": self.sample,
            "year": self.year,
            "seed": self.seed,
            "seconds": round(self.seconds, 2),
            "created_at": self.created_at,
            "totals": totals.to_dicts(),
        }


class RunStore:
    """Runs of this process, at most one computing at a time; the same settings return the stored run."""

    def __init__(self) -> None:
        self._runs: dict[str, ScenarioRun] = {}
        self._busy = threading.Lock()

    def run(self, path: Path, sample: float, year: int | None, seed: int | None) -> ScenarioRun:
        """Run the scenario file at `path` (or return the stored run with the same settings)."""
        spec = load_spec([path], load_rules_scenario)
        chosen_year = year if year is not None else spec.years[0]
        chosen_seed = seed if seed is not None else spec.seed
        name = spec.reforms[0][0]
        for done in self._runs.values():
            if (done.scenario, done.sample, done.year, done.seed) == (name, sample, chosen_year, chosen_seed):
                return done
        if not self._busy.acquire(blocking=False):
            raise TooManyRequests("another scenario run is in progress; try again shortly", retry_after=10)
        try:
            started = time.perf_counter()
            plan = spec.plan(sample=sample, seed=chosen_seed, years=(chosen_year,))
            result = simulate(plan, rules_evaluator(spec.services), LocalEngine())
            run = ScenarioRun(
                uuid.uuid4().hex[:12],
                name,
                sample,
                chosen_year,
                chosen_seed,
                time.perf_counter() - started,
                datetime.now(UTC).isoformat(timespec="seconds"),
                result.by_province,
            )
            self._runs[run.run_id] = run
            while len(self._runs) > KEPT_RUNS:
                self._runs.pop(next(iter(self._runs)))
            return run
        finally:
            self._busy.release()

    def get(self, run_id: str) -> ScenarioRun:
        """A stored run, or NotFound."""
        if run_id not in self._runs:
            raise NotFound(f"no scenario run {run_id!r} (runs are kept in memory until the service restarts)")
        return self._runs[run_id]

    def all(self) -> list[ScenarioRun]:
        """Every stored run, newest first."""
        return list(reversed(self._runs.values()))
