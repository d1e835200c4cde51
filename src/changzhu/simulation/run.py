"""`simulate`: plan chunks, run them on an engine, and turn the counts into estimates by city and province."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.simulation.aggregate import by_province, estimates
from changzhu.simulation.engine import (
    DEFAULT_CHUNK_PERSONS,
    ChunkRunner,
    Evaluator,
    LocalEngine,
    Progress,
    SimulationPlan,
    plan_chunks,
)
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.store import StoredPopulation, read_manifest, write_manifest
from changzhu.simulation.synthetic import population_model


@dataclass(frozen=True)
class SimulationResult:
    """Integer counts (sample), estimates by city and by province (full population, yuan per year)."""

    counts: pl.DataFrame
    by_region: pl.DataFrame
    by_province: pl.DataFrame

    def write_parquet(self, directory: Path) -> list[Path]:
        """Save the three tables as Parquet files in `directory`."""
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, frame in (("counts", self.counts), ("by_region", self.by_region), ("by_province", self.by_province)):
            path = directory / f"simulation_{name}.parquet"
            frame.write_parquet(path)
            paths.append(path)
        return paths


def store_population(
    plan: SimulationPlan,
    directory: Path,
    engine: ChunkRunner | None = None,
    *,
    chunk_persons: int = DEFAULT_CHUNK_PERSONS,
    progress: Progress | None = None,
) -> Path:
    """Generate the plan's population into partitioned Parquet (one file per chunk) with a manifest."""
    model = population_model(plan.population)
    chunks = plan_chunks(model, plan, chunk_persons)
    stored = (engine or LocalEngine()).store(chunks, plan, directory, progress)
    population = StoredPopulation(plan.fraction, plan.seed, plan.as_of, plan.block_persons, stored)
    return write_manifest(directory, population, model.codes)


def simulate(
    plan: SimulationPlan,
    evaluator: Evaluator,
    engine: ChunkRunner | None = None,
    *,
    chunk_persons: int = DEFAULT_CHUNK_PERSONS,
    population_dir: Path | None = None,
    progress: Progress | None = None,
) -> SimulationResult:
    """Run every scenario and year over the synthetic population (generated on the fly, or stored)."""
    model = population_model(plan.population)
    if population_dir is None:
        chunks = plan_chunks(model, plan, chunk_persons)
    else:
        if plan.population is not None:
            fixed = refusal(
                RefusalCode.SIMULATION_POPULATION_FIXED, directory=str(population_dir), option="--population"
            )
            raise SimulationError(fixed)
        stored = read_manifest(population_dir, model.codes)
        made = (stored.fraction, stored.seed, stored.as_of, stored.block_persons)
        wanted = (plan.fraction, plan.seed, plan.as_of, plan.block_persons)
        if made != wanted:
            differs = refusal(
                RefusalCode.SIMULATION_POPULATION_DIFFERS,
                directory=str(population_dir),
                **dict(zip(("fraction", "seed", "as_of", "block"), map(str, made), strict=True)),
                **dict(zip(("plan_fraction", "plan_seed", "plan_as_of", "plan_block"), map(str, wanted), strict=True)),
            )
            raise SimulationError(differs)
        chunks = stored.chunks
    counts = (engine or LocalEngine()).run(chunks, plan, evaluator, progress)
    province_of = dict(zip(model.codes, model.province_of, strict=True))
    by_region = estimates(counts, plan.fraction, province_of, plan.costed_services)
    return SimulationResult(counts, by_region, by_province(by_region))
