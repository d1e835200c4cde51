"""Cities split into blocks: no chunk exceeds the chunk size, households stay whole, results do not change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import cloudpickle
import numpy as np
import polars as pl
import pytest
import sim_toy_rules
from distributed import Client
from sim_toy_rules import toy_evaluate

from changzhu.simulation.aggregate import BASELINE
from changzhu.simulation.engine import DaskEngine, LocalEngine, SimulationPlan, chunk_people, local_cluster, plan_chunks
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.run import simulate
from changzhu.simulation.synthetic import block_sizes, city_counts, generate_cities, population_model, split_counts

BLOCK = 150  # at a 2e-5 sample the largest cities (about 640 persons) fall in four or five blocks
PLAN = SimulationPlan(
    scenarios=((BASELINE, None), ("school_1y", {"school_years": 1})),
    dates=(date(2025, 9, 1),),
    fraction=2e-5,
    seed=7,
    block_persons=BLOCK,
)
ONE_CHUNK = 10**9


@pytest.fixture(scope="module")
def unsplit() -> Any:
    return simulate(PLAN, toy_evaluate, LocalEngine(), chunk_persons=ONE_CHUNK)


def test_split_counts_deals_every_person_once_into_even_blocks() -> None:
    counts = np.array([7, 0, 3, 11, 1, 0, 5], dtype=np.int64)
    blocks = split_counts(counts, 6)
    assert blocks.shape == (5, 7)
    assert blocks.sum(axis=0).tolist() == counts.tolist()
    sizes = blocks.sum(axis=1)
    assert sizes.max() <= 6 and sizes.max() - sizes.min() <= 1
    assert split_counts(counts, 1_000).tolist() == [counts.tolist()]


def test_chunks_never_exceed_the_chunk_size_and_split_big_cities() -> None:
    model = population_model()
    chunks = plan_chunks(model, PLAN, chunk_persons=200)
    sizes = {c.index: len(chunk_people(c, PLAN)) for c in chunks}
    assert max(sizes.values()) <= 200
    chongqing = model.codes.index("500100")
    holding = [c.index for c in chunks if any(b.city == chongqing for b in c.blocks)]
    assert len(holding) >= 3
    expected = int(city_counts(model, chongqing, PLAN.fraction, PLAN.seed)[0].sum())
    assert sum(block_sizes(model, chongqing, PLAN.fraction, PLAN.seed, BLOCK)) == expected
    with pytest.raises(SimulationError, match="block 0 of city"):
        plan_chunks(model, PLAN, chunk_persons=100)


def test_households_stay_whole_within_a_chunk() -> None:
    linked = 0
    for chunk in plan_chunks(population_model(), PLAN, chunk_persons=200):
        people = chunk_people(chunk, PLAN)
        parents = people["parent_id"].drop_nulls()
        assert parents.is_in(people["person_id"].implode()).all()
        linked += parents.len()
    assert linked > 1_000


def test_blocks_together_are_the_whole_city() -> None:
    model = population_model()
    chongqing = model.codes.index("500100")
    chunks = [c for c in plan_chunks(model, PLAN, chunk_persons=200) if any(b.city == chongqing for b in c.blocks)]
    pieces = pl.concat([chunk_people(c, PLAN) for c in chunks]).filter(pl.col("residence_region") == "500100")
    whole = generate_cities(model, [chongqing], PLAN.fraction, PLAN.seed, PLAN.as_of, BLOCK)
    assert pieces.equals(whole)
    assert whole["person_id"].is_unique().all()


def test_a_city_of_one_block_is_the_same_as_before_blocks() -> None:
    model = population_model()
    small = model.codes.index("621200")
    default = generate_cities(model, [small], PLAN.fraction, PLAN.seed, PLAN.as_of)
    assert len(block_sizes(model, small, PLAN.fraction, PLAN.seed, 10**6)) == 1
    assert default.equals(generate_cities(model, [small], PLAN.fraction, PLAN.seed, PLAN.as_of, 10**6))


def test_split_runs_equal_the_unsplit_run_locally(unsplit: Any) -> None:
    assert len(plan_chunks(population_model(), PLAN, ONE_CHUNK)) == 1
    for chunk_persons in (150, 400, 5_000):
        split = simulate(PLAN, toy_evaluate, LocalEngine(), chunk_persons=chunk_persons)
        assert split.counts.equals(unsplit.counts)
        assert split.by_province.equals(unsplit.by_province)


@pytest.fixture(scope="module")
def dask_client() -> Iterator[Client]:
    cloudpickle.register_pickle_by_value(sim_toy_rules)
    with local_cluster(2) as cluster, Client(cluster) as client:
        yield client


def test_split_runs_equal_the_unsplit_run_on_dask(unsplit: Any, dask_client: Client) -> None:
    split = simulate(PLAN, toy_evaluate, DaskEngine(dask_client), chunk_persons=150)
    assert split.counts.equals(unsplit.counts)
