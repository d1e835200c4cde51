"""One simulation API, two engines: a chunked local engine and a Dask engine; both run `run_chunk`.

A chunk is a group of whole cities. `run_chunk` builds (or reads from Parquet) the chunk's people,
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

from changzhu.simulation.aggregate import BASELINE, aligned, combine, count_chunk
from changzhu.simulation.costs import ServiceCost
from changzhu.simulation.errors import SimulationError
from changzhu.simulation.synthetic import PopulationModel, check_fraction, generate_cities, population_model

Evaluator = Callable[[pl.DataFrame, date, Any], pl.DataFrame]
Progress = Callable[[int, int], None]
DEFAULT_CHUNK_PERSONS = 1_000_000
PART_PATTERN = "part-{:05d}.parquet"


@dataclass(frozen=True)
class Chunk:
    """Whole cities (indices into the population model), and the Parquet file holding them, if stored."""

    index: int
    cities: tuple[int, ...]
    path: str | None = None


@dataclass(frozen=True)
class SimulationPlan:
    """What to run: scenarios (the baseline first, its rules scenario None), dates, sample and seed."""

    scenarios: tuple[tuple[str, Any], ...]
    dates: tuple[date, ...]
    fraction: float
    seed: int
    costs: dict[str, ServiceCost] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_fraction(self.fraction)
        if not self.dates:
            raise SimulationError("a simulation needs at least one year")
        if sorted(self.dates) != list(self.dates):
            raise SimulationError("simulation dates must be in increasing order")
        if not self.scenarios or self.scenarios[0] != (BASELINE, None):
            raise SimulationError("the first scenario must be the baseline (no rules overrides)")
        names = [name for name, _ in self.scenarios]
        if len(set(names)) != len(names):
            raise SimulationError(f"scenario names must be unique, got {names}")

    @property
    def as_of(self) -> date:
        """The date the population is generated for: the first evaluation date."""
        return self.dates[0]


def plan_chunks(model: PopulationModel, fraction: float, chunk_persons: int = DEFAULT_CHUNK_PERSONS) -> list[Chunk]:
    """Cities grouped in code order into chunks of about `chunk_persons` sampled people (a big city alone)."""
    if chunk_persons <= 0:
        raise SimulationError("chunk size must be positive")
    expected = model.expected_persons(fraction)
    chunks: list[Chunk] = []
    current: list[int] = []
    size = 0.0
    for city, persons in enumerate(expected):
        if current and size + persons > chunk_persons:
            chunks.append(Chunk(len(chunks), tuple(current)))
            current, size = [], 0.0
        current.append(city)
        size += float(persons)
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
    return generate_cities(population_model(), list(chunk.cities), plan.fraction, plan.seed, plan.as_of)


def run_chunk(chunk: Chunk, plan: SimulationPlan, evaluator: Evaluator) -> pl.DataFrame:
    """Counts for one chunk: every scenario, every date, every service, by city."""
    return count_people(chunk_people(chunk, plan), plan, evaluator)


def release_memory() -> None:
    """Collect reference cycles now: the evaluator's cycles hold whole-chunk arrays, and Python's cycle
    collector, triggered by object counts, would otherwise let them pile up chunk after chunk (measured:
    +0.2 GB per 1M-person chunk without it, flat with it)."""
    gc.collect()


def count_people(people: pl.DataFrame, plan: SimulationPlan, evaluator: Evaluator) -> pl.DataFrame:
    """Evaluate a chunk's people under every scenario and date, and count them by city and service."""
    parts = []
    for on in plan.dates:
        current = advance(people, plan.as_of, on)
        baseline = aligned(current, evaluator(current, on, None))
        for name, scenario in plan.scenarios:
            result = baseline if scenario is None else aligned(current, evaluator(current, on, scenario))
            parts.append(count_chunk(current, on, name, baseline, result, plan.costs))
    del current, baseline, result
    release_memory()
    return combine(parts)


def write_chunk(chunk: Chunk, plan: SimulationPlan, directory: str) -> Chunk:
    """Generate one chunk and store it as one Parquet file of the partitioned population."""
    people = generate_cities(population_model(), list(chunk.cities), plan.fraction, plan.seed, plan.as_of)
    path = Path(directory) / PART_PATTERN.format(chunk.index)
    people.write_parquet(path, statistics=False)
    return Chunk(chunk.index, chunk.cities, str(path))


def peak_rss_bytes() -> int:
    """Peak resident memory of this process (Linux reports kilobytes)."""
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) * 1024


class Engine(Protocol):
    """Where chunks run."""

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
