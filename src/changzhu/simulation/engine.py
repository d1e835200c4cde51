"""One simulation API, two engines: a chunked local engine and a Dask engine; both run `run_chunk`.

A chunk is a group of city blocks: whole small cities, or blocks of a large one (households kept whole), at
most the chunk size in all. `run_chunk` builds (or reads from Parquet) the chunk's people,
evaluates them under the baseline and every reform for every year, and returns integer counts by
city; the engines only decide where chunks run and add the counts up.
"""

from __future__ import annotations

import gc
import resource
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from changzhu.parameters import Scenario
from changzhu.simulation.aggregate import BASELINE, aligned, combine, count_chunk
from changzhu.simulation.costs import ServiceCost
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.synthetic import (
    DEFAULT_BLOCK_PERSONS,
    CityBlock,
    PopulationModel,
    block_sizes,
    check_fraction,
    generate_blocks,
    population_model,
)

Evaluator = Callable[[pl.DataFrame, date, Any], pl.DataFrame]
Progress = Callable[[int, int], None]
DEFAULT_CHUNK_PERSONS = 1_000_000
PART_PATTERN = "part-{:05d}.parquet"


@dataclass(frozen=True)
class Chunk:
    """City blocks (city indices into the population model), and the Parquet file holding them, if stored."""

    index: int
    blocks: tuple[CityBlock, ...]
    path: str | None = None


@dataclass(frozen=True)
class SimulationPlan:
    """What to run: scenarios (the baseline first, its rules scenario None), dates, sample, seed, block size.

    The block size is part of the population (like the seed): a city of more sampled persons is generated in
    blocks of at most this many, and no chunk can be smaller than a block. `costs` price the baseline and any
    scenario without an entry in `scenario_costs` (a reform whose overrides change unit costs has one).
    `population` changes the attribute parameters (`simulation.share.*`, ...) of the one population that the
    baseline and every reform are evaluated on.
    """

    scenarios: tuple[tuple[str, Any], ...]
    dates: tuple[date, ...]
    fraction: float
    seed: int
    costs: dict[str, ServiceCost] = field(default_factory=dict)
    block_persons: int = DEFAULT_BLOCK_PERSONS
    scenario_costs: dict[str, dict[str, ServiceCost]] = field(default_factory=dict)
    population: Scenario | None = None  # overrides of the attribute parameters the population is drawn with

    def __post_init__(self) -> None:
        check_fraction(self.fraction)
        if self.block_persons <= 0:
            raise SimulationError(f"block size must be positive, got {self.block_persons}")
        if not self.dates:
            raise SimulationError("a simulation needs at least one year")
        if sorted(self.dates) != list(self.dates):
            raise SimulationError("simulation dates must be in increasing order")
        if not self.scenarios or self.scenarios[0] != (BASELINE, None):
            raise SimulationError("the first scenario must be the baseline (no rules overrides)")
        names = [name for name, _ in self.scenarios]
        if len(set(names)) != len(names):
            raise SimulationError(f"scenario names must be unique, got {names}")
        unknown = sorted(set(self.scenario_costs) - set(names[1:]))
        if unknown:
            raise SimulationError(f"unit costs given for {unknown[0]!r}, which is not a reform of the plan")

    def costs_of(self, scenario: str) -> dict[str, ServiceCost]:
        """The unit costs pricing one scenario's demand."""
        return self.scenario_costs.get(scenario, self.costs)

    @property
    def costed_services(self) -> set[str]:
        """Services with a unit cost in any scenario."""
        return set(self.costs).union(*self.scenario_costs.values())

    @property
    def as_of(self) -> date:
        """The date the population is generated for: the first evaluation date."""
        return self.dates[0]


def plan_chunks(
    model: PopulationModel, plan: SimulationPlan, chunk_persons: int = DEFAULT_CHUNK_PERSONS
) -> list[Chunk]:
    """City blocks grouped in code order into chunks of at most `chunk_persons` sampled people.

    A large city's blocks may fall in several chunks; a block (households whole) is never split, so the chunk
    size must hold the largest block.
    """
    if chunk_persons <= 0:
        raise SimulationError("chunk size must be positive")
    chunks: list[Chunk] = []
    current: list[CityBlock] = []
    size = 0
    for city in range(len(model.codes)):
        for block, persons in enumerate(block_sizes(model, city, plan.fraction, plan.seed, plan.block_persons)):
            if persons > chunk_persons:
                raise SimulationError(
                    f"chunk size {chunk_persons:,} is smaller than block {block} of city {model.codes[city]} "
                    f"({persons:,} persons); use a chunk size of at least the block size ({plan.block_persons:,})"
                )
            if current and size + persons > chunk_persons:
                chunks.append(Chunk(len(chunks), tuple(current)))
                current, size = [], 0
            current.append(CityBlock(city, block))
            size += persons
    if current:
        chunks.append(Chunk(len(chunks), tuple(current)))
    return chunks


def advance(people: pl.DataFrame, start: date, on: date) -> pl.DataFrame:
    """The population moved forward from `start` to `on`: the insured keep paying, ages and residence grow.

    A closed cohort: nobody is born, dies or moves (durations grow from the dates in the table).
    """
    months = (on.year - start.year) * 12 + (on.month - start.month)
    if months <= 0:
        return people
    paying = pl.col("employed") & (pl.col("si_months_total") > 0)
    return people.with_columns(
        pl.when(paying).then(pl.col(c) + months).otherwise(pl.col(c)).cast(pl.Int32).alias(c)
        for c in ("si_months_local", "si_months_total")
    ).with_columns(
        pl.when(pl.col("medical_months_local") > 0)
        .then(pl.col("medical_months_local") + months)
        .otherwise(pl.col("medical_months_local"))
        .cast(pl.Int32)
    )


def chunk_people(chunk: Chunk, plan: SimulationPlan) -> pl.DataFrame:
    """The chunk's people: read from its Parquet file, or generated from the seed."""
    if chunk.path is not None:
        return pl.read_parquet(chunk.path)
    return generate_blocks(
        population_model(plan.population), list(chunk.blocks), plan.fraction, plan.seed, plan.as_of, plan.block_persons
    )


def run_chunk(chunk: Chunk, plan: SimulationPlan, evaluator: Evaluator) -> pl.DataFrame:
    """Counts for one chunk: every scenario, every date, every service, by city."""
    return count_people(chunk_people(chunk, plan), plan, evaluator)


COLLECT_EVERY_PERSONS = 200_000  # persons evaluated between two collections: at most ~40 MB of cycles held
_uncollected = 0  # persons evaluated in this process since the last collection


def release_memory(persons: int = COLLECT_EVERY_PERSONS) -> None:
    """Collect reference cycles once `COLLECT_EVERY_PERSONS` persons have been evaluated since the last collection
    (the default: now). The evaluator's cycles hold whole-chunk arrays, and Python's cycle collector, triggered by
    object counts, would otherwise let them pile up chunk after chunk (measured: +0.2 GB per 1M-person chunk
    without it, flat with it); a full collection costs about 0.1 s, so small chunks share one (measured: 256
    chunks of 150 persons took 27.5 s of CPU with one per chunk, about half of it collecting)."""
    global _uncollected
    _uncollected += persons
    if _uncollected >= COLLECT_EVERY_PERSONS:
        gc.collect()
        _uncollected = 0


def count_people(people: pl.DataFrame, plan: SimulationPlan, evaluator: Evaluator) -> pl.DataFrame:
    """Evaluate a chunk's people under every scenario and date, and count them by city and service."""
    parts = []
    for on in plan.dates:
        current = advance(people, plan.as_of, on)
        baseline = aligned(current, evaluator(current, on, None))
        for name, scenario in plan.scenarios:
            result = baseline if scenario is None else aligned(current, evaluator(current, on, scenario))
            parts.append(count_chunk(current, on, name, baseline, result, plan.costs_of(name)))
    del current, baseline, result
    release_memory(people.height)
    return combine(parts)


def write_chunk(chunk: Chunk, plan: SimulationPlan, directory: str) -> Chunk:
    """Generate one chunk and store it as one Parquet file of the partitioned population."""
    people = chunk_people(chunk, plan)
    path = Path(directory) / PART_PATTERN.format(chunk.index)
    people.write_parquet(path, statistics=False)
    return Chunk(chunk.index, chunk.blocks, str(path))


def peak_rss_bytes() -> int:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


class ChunkRunner(Protocol):
    """Runs chunks of people through the evaluator: LocalEngine (this process) or DaskEngine (a Dask cluster)."""

    def run(
        self, chunks: list[Chunk], plan: SimulationPlan, evaluator: Evaluator, progress: Progress | None = None
    ) -> pl.DataFrame:
        """Counts summed over every chunk."""
        ...

    def store(
        self, chunks: list[Chunk], plan: SimulationPlan, directory: Path, progress: Progress | None = None
    ) -> list[Chunk]:
        """Write the population as partitioned Parquet; return the chunks pointing at their files."""
        ...


def _report(progress: Progress | None, done: int, total: int) -> None:
    if progress is not None:
        progress(done, total)


class LocalEngine:
    """Chunks one after another in this process: memory holds one chunk (two while the next is prefetched).

    With `prefetch`, a background thread builds (or reads) the next chunk's people while the current one is
    evaluated; numpy and Parquet release the GIL, so a second core is used.
    """

    def __init__(self, prefetch: bool = True) -> None:
        self.prefetch = prefetch

    def _each(self, chunks: list[Chunk], work: Callable[[Chunk], Any], progress: Progress | None) -> Iterator[Any]:
        for done, chunk in enumerate(chunks, start=1):
            yield work(chunk)
            _report(progress, done, len(chunks))

    def _people(self, chunks: list[Chunk], plan: SimulationPlan) -> Iterator[pl.DataFrame]:
        if not self.prefetch:
            yield from (chunk_people(c, plan) for c in chunks)
            return
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = [pool.submit(chunk_people, chunks[0], plan)] if chunks else []
            for i in range(len(chunks)):
                people = pending.pop().result()
                if i + 1 < len(chunks):
                    pending.append(pool.submit(chunk_people, chunks[i + 1], plan))
                yield people

    def run(
        self, chunks: list[Chunk], plan: SimulationPlan, evaluator: Evaluator, progress: Progress | None = None
    ) -> pl.DataFrame:
        """Counts summed chunk by chunk (only the small count tables are kept)."""
        total = combine([])
        for done, people in enumerate(self._people(chunks, plan), start=1):
            total = combine([total, count_people(people, plan, evaluator)])
            _report(progress, done, len(chunks))
        return total

    def store(
        self, chunks: list[Chunk], plan: SimulationPlan, directory: Path, progress: Progress | None = None
    ) -> list[Chunk]:
        """Write each chunk's Parquet file in turn."""
        directory.mkdir(parents=True, exist_ok=True)
        return list(self._each(chunks, lambda c: write_chunk(c, plan, str(directory)), progress))


# distributed sets MALLOC_TRIM_THRESHOLD_=65536 in its workers to hand memory back to the OS early; the rules
# engine allocates many large numpy temporaries and runs 2-3x slower with it (measured), so workers we start
# use glibc's default. Flat memory comes from the chunking, not from trimming.
WORKER_ENVIRON = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": str(1 << 30)}


def local_cluster(workers: int) -> Any:
    """A `distributed.LocalCluster` of single-threaded worker processes, set up for the rules engine."""
    import dask
    from distributed import LocalCluster

    with dask.config.set(WORKER_ENVIRON):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)


class DaskEngine:
    """Chunks as tasks on a `distributed` cluster (a LocalCluster or a real one); same `run_chunk`."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def _map(self, func: Callable[..., Any], chunks: list[Chunk], progress: Progress | None, **kw: Any) -> list[Any]:
        from distributed import as_completed

        futures = self.client.map(func, chunks, pure=False, **kw)
        order = {f.key: i for i, f in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        for done, future in enumerate(as_completed(futures), start=1):
            results[order[future.key]] = future.result()
            future.release()
            _report(progress, done, len(futures))
        return results

    def run(
        self, chunks: list[Chunk], plan: SimulationPlan, evaluator: Evaluator, progress: Progress | None = None
    ) -> pl.DataFrame:
        """Counts from every chunk computed on the workers, added up here."""
        [plan_future] = self.client.scatter([plan], broadcast=True)
        return combine(self._map(run_chunk, chunks, progress, plan=plan_future, evaluator=evaluator))

    def store(
        self, chunks: list[Chunk], plan: SimulationPlan, directory: Path, progress: Progress | None = None
    ) -> list[Chunk]:
        """Each worker writes its chunks' Parquet files (the directory must be shared by the workers)."""
        directory.mkdir(parents=True, exist_ok=True)
        return list(self._map(write_chunk, chunks, progress, plan=plan, directory=str(directory)))

    def peak_worker_rss_bytes(self) -> int:
        """Sum over workers of each worker process's peak resident memory."""
        peaks = self.client.run(peak_rss_bytes)
        return int(sum(peaks.values()))
