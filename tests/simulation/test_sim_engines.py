"""The two engines give the same counts: chunk sizes, stored Parquet, and a real two-worker Dask cluster."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import cloudpickle
import polars as pl
import pytest
import sim_toy_rules
from distributed import Client
from sim_toy_rules import toy_evaluate

from changzhu.simulation.aggregate import BASELINE
from changzhu.simulation.costs import default_costs
from changzhu.simulation.engine import DaskEngine, LocalEngine, SimulationPlan, advance, local_cluster
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.run import simulate, store_population

FRACTION = 2e-5  # about 28,000 persons across all 367 cities
PLAN = SimulationPlan(
    scenarios=((BASELINE, None), ("school_1y", {"school_years": 1})),
    dates=(date(2025, 9, 1), date(2026, 9, 1)),
    fraction=FRACTION,
    seed=5,
    costs=default_costs(date(2026, 9, 1)),
)


@pytest.fixture(scope="module")
def local_result() -> Any:
    return simulate(PLAN, toy_evaluate, LocalEngine(), chunk_persons=5_000)


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Client]:
    cloudpickle.register_pickle_by_value(sim_toy_rules)
    with local_cluster(2) as cluster:  # a real LocalCluster(n_workers=2, processes=True)
        assert len(cluster.workers) == 2
        with Client(cluster) as client:
            yield client


def test_reform_makes_children_newly_eligible(local_result: Any) -> None:
    school = local_result.by_province.filter(pl.col("service") == "compulsory_schooling")
    reform = school.filter(pl.col("scenario") == "school_1y")
    base = school.filter(pl.col("scenario") == BASELINE)
    assert base["newly_eligible"].sum() == 0
    assert reform["newly_eligible"].sum() > 0
    assert reform["no_longer_eligible"].sum() == 0
    assert reform["delta_eligible"].sum() == pytest.approx(reform["newly_eligible"].sum())
    assert reform["delta_cost_yuan"].sum() > 0
    guangdong = reform.filter(pl.col("province_code") == "440000", pl.col("year") == 2025)
    assert guangdong["newly_eligible"].item() > 0


def test_counts_do_not_depend_on_chunk_size(local_result: Any) -> None:
    other = simulate(PLAN, toy_evaluate, LocalEngine(), chunk_persons=50_000)
    assert other.counts.equals(local_result.counts)
    unprefetched = simulate(PLAN, toy_evaluate, LocalEngine(prefetch=False), chunk_persons=3_000)
    assert unprefetched.counts.equals(local_result.counts)


def test_stored_parquet_population_gives_the_same_counts(local_result: Any, tmp_path: Path) -> None:
    store_population(PLAN, tmp_path / "pop", chunk_persons=8_000)
    assert len(list((tmp_path / "pop").glob("part-*.parquet"))) > 1
    stored = simulate(PLAN, toy_evaluate, LocalEngine(), population_dir=tmp_path / "pop")
    assert stored.counts.equals(local_result.counts)


def test_dask_engine_equals_local_engine(local_result: Any, dask_client: Client, tmp_path: Path) -> None:
    engine = DaskEngine(dask_client)
    seen: list[tuple[int, int]] = []
    on_the_fly = simulate(PLAN, toy_evaluate, engine, chunk_persons=5_000, progress=lambda d, n: seen.append((d, n)))
    assert on_the_fly.counts.equals(local_result.counts)
    assert seen[-1][0] == seen[-1][1] > 1
    store_population(PLAN, tmp_path / "pop", engine, chunk_persons=5_000)
    from_parquet = simulate(PLAN, toy_evaluate, engine, population_dir=tmp_path / "pop")
    assert from_parquet.counts.equals(local_result.counts)
    assert from_parquet.by_province.equals(local_result.by_province)
    assert engine.peak_worker_rss_bytes() > 0


def test_stored_population_must_match_the_plan(tmp_path: Path) -> None:
    store_population(PLAN, tmp_path / "pop")
    other = SimulationPlan(PLAN.scenarios, PLAN.dates, FRACTION, seed=6)
    with pytest.raises(SimulationError, match="seed 5"):
        simulate(other, toy_evaluate, population_dir=tmp_path / "pop")
    with pytest.raises(SimulationError, match="population.json"):
        simulate(PLAN, toy_evaluate, population_dir=tmp_path / "nothing")


def test_an_evaluator_that_drops_people_is_refused() -> None:
    def lossy(people: pl.DataFrame, on: date, scenario: Any) -> pl.DataFrame:
        return toy_evaluate(people, on, scenario).head(3)

    with pytest.raises(SimulationError, match="rows for"):
        simulate(PLAN, lossy)


def test_plan_checks() -> None:
    with pytest.raises(SimulationError, match="baseline"):
        SimulationPlan((("reform", {"school_years": 1}),), PLAN.dates, FRACTION, 1)
    with pytest.raises(SimulationError, match="at least one year"):
        SimulationPlan(PLAN.scenarios, (), FRACTION, 1)
    with pytest.raises(SimulationError, match="unique"):
        SimulationPlan((*PLAN.scenarios, ("school_1y", None)), PLAN.dates, FRACTION, 1)


def test_advance_adds_paid_months_only_for_payers() -> None:
    people = pl.DataFrame(
        {
            "employed": [True, False],
            "si_months_local": pl.Series([10, 0], dtype=pl.Int32),
            "si_months_total": pl.Series([20, 0], dtype=pl.Int32),
            "medical_months_local": pl.Series([5, 0], dtype=pl.Int32),
        }
    )
    moved = advance(people, date(2025, 9, 1), date(2026, 9, 1))
    assert moved["si_months_local"].to_list() == [22, 0]
    assert moved["si_months_total"].to_list() == [32, 0]
    assert moved["medical_months_local"].to_list() == [17, 0]


def test_dask_runs_the_real_rules_engine_like_the_local_engine(dask_client: Client) -> None:
    from changzhu.rules.scenario import Scenario
    from changzhu.simulation.evaluators import rules_evaluator

    overrides = {"entrance_exam.child_residence_months": 12, "entrance_exam.parent_si_months": 12}
    reform = Scenario.from_overrides(overrides, name="exam_1y")
    plan = SimulationPlan(((BASELINE, None), ("exam_1y", reform)), (date(2025, 9, 1),), 2e-5, seed=2)
    evaluator = rules_evaluator(("local_entrance_exam", "residence_permit"))
    local = simulate(plan, evaluator, LocalEngine(), chunk_persons=6_000)
    distributed = simulate(plan, evaluator, DaskEngine(dask_client), chunk_persons=6_000)
    assert distributed.counts.equals(local.counts)
    assert local.counts.filter(pl.col("scenario") == "exam_1y")["newly_eligible"].sum() > 0
