"""`changzhu simulate`: run reform scenarios over a synthetic population; Parquet results and a report section."""

from __future__ import annotations

import time
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from changzhu.cli.output import OutputFormat, console, emit_table
from changzhu.data.census import census_2020
from changzhu.data.geo import province_geojson
from changzhu.report.render import render_report
from changzhu.report.sections import write_section
from changzhu.simulation.aggregate import BASELINE
from changzhu.simulation.engine import (
    DEFAULT_CHUNK_PERSONS,
    DaskEngine,
    Engine,
    LocalEngine,
    SimulationPlan,
    local_cluster,
)
from changzhu.simulation.evaluators import load_rules_scenario, rules_evaluator
from changzhu.simulation.marginals import SEX_RATIO_2020
from changzhu.simulation.report import cost_table, sample_fit, simulation_section
from changzhu.simulation.run import SimulationResult, simulate, store_population
from changzhu.simulation.spec import load_spec, parse_years
from changzhu.simulation.synthetic import population_model

DEMO_SCENARIO = Path(__file__).resolve().parents[3] / "scenarios" / "sim_entrance_exam_residence_1y.yaml"
DEMO_SAMPLE = 2e-4  # about 280,000 persons


class EngineChoice(StrEnum):
    """Where the chunks run."""

    LOCAL = "local"
    DASK = "dask"


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )


def _engine(stack: ExitStack, choice: EngineChoice, scheduler: str | None, workers: int) -> Engine:
    if choice == EngineChoice.LOCAL:
        return LocalEngine()
    from distributed import Client

    if scheduler:
        client = stack.enter_context(Client(scheduler))
    else:
        client = stack.enter_context(Client(stack.enter_context(local_cluster(workers))))
    return DaskEngine(client)


def _notes(plan: SimulationPlan, result: SimulationResult, how: str) -> list[str]:
    census = census_2020().provinces
    sampled = result.counts.filter(pl.col("scenario") == pl.col("scenario").first(), pl.col("year") == plan.as_of.year)
    persons = sampled.group_by("region_code").agg(pl.col("persons").first()).select(pl.col("persons").sum()).item() or 0
    expected = float(census["pop_resident_2020"].sum()) * plan.fraction
    return [
        f"Synthetic population: {persons:,} persons, a {plan.fraction:.4%} sample of the 2020 census resident",
        f"population ({expected:,.0f} expected), seed {plan.seed}, fitted by IPF to age, urban/rural and hukou",
        f"status by prefecture and province; sex from the national ratio {SEX_RATIO_2020} (no regional split ships);",
        "origins of migrants from a gravity model (an estimate, no origin-destination table ships).",
        "The census structure is taken as the structure on the first evaluation date; later years age the same",
        "people (a closed cohort). People counts are estimates on the resident basis (常住); costs are yuan per",
        f"year at the unit costs listed in docs/simulation.md. Engine: {how}.",
    ]


def write_results(
    title: str, plan: SimulationPlan, result: SimulationResult, out: Path, how: str
) -> tuple[list[Path], Path]:
    """Parquet tables under out/simulation, the report section, and the re-rendered report."""
    paths = result.write_parquet(out / "simulation")
    section = simulation_section(
        title,
        result.by_province,
        census_2020().provinces,
        province_geojson(),
        population_model().fit_errors(),
        _notes(plan, result, how),
        plan.fraction,
    )
    write_section(out, section)
    return paths, render_report(out)


def demo_step(out_dir: Path, sample: float = DEMO_SAMPLE) -> str:
    """For `changzhu demo`: the shipped 中考 reform on a small sample, local engine; returns a one-line note."""
    spec = load_spec([DEMO_SCENARIO], load_rules_scenario)
    plan = spec.plan(sample=sample, years=spec.years[:1])
    started = time.perf_counter()
    result = simulate(plan, rules_evaluator(spec.services), LocalEngine())
    write_results(spec.title, plan, result, out_dir, f"local, {time.perf_counter() - started:,.1f} s")
    reform = result.by_province.filter(pl.col("scenario") != BASELINE)
    gained = float(reform.select(pl.col("newly_eligible").sum()).item() or 0)
    return f"simulation: {spec.reforms[0][0]} makes about {gained:,.0f} people newly eligible (sample {sample:g})"


def simulate_command(
    scenario: Annotated[list[Path], typer.Option("--scenario", help="reform scenario file (repeat for several)")],
    sample: Annotated[float | None, typer.Option(help="sample fraction of the 1.41 billion residents")] = None,
    seed: Annotated[int | None, typer.Option(help="random seed (default: the file's, else 20201101)")] = None,
    years: Annotated[str | None, typer.Option(help="years to evaluate, e.g. 2025,2026")] = None,
    engine: Annotated[EngineChoice, typer.Option(help="local (chunked) or dask")] = EngineChoice.LOCAL,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (default: a LocalCluster)")] = None,
    workers: Annotated[int, typer.Option(help="workers of the LocalCluster")] = 2,
    chunk_persons: Annotated[int, typer.Option(help="persons per chunk")] = DEFAULT_CHUNK_PERSONS,
    population: Annotated[Path | None, typer.Option(help="read a stored population (partitioned Parquet)")] = None,
    store: Annotated[Path | None, typer.Option(help="first write the population as partitioned Parquet here")] = None,
    out: Annotated[Path, typer.Option(help="directory for the report and tables")] = Path("out"),
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table, csv or json")] = OutputFormat.TABLE,
) -> None:
    """Microsimulate reforms (微观模拟): eligible, newly eligible, demand and cost by province, vs baseline."""
    spec = load_spec(scenario, load_rules_scenario)
    plan = spec.plan(sample=sample, seed=seed, years=parse_years(years.split(","), "--years") if years else None)
    evaluator = rules_evaluator(spec.services)
    population_model()
    started = time.perf_counter()
    with ExitStack() as stack:
        runner = _engine(stack, engine, scheduler, workers)
        progress = stack.enter_context(_progress())
        if store is not None:
            task = progress.add_task("writing the population", total=None)
            store_population(
                plan,
                store,
                runner,
                chunk_persons=chunk_persons,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
            population = store
        task = progress.add_task("simulating", total=None)
        result = simulate(
            plan,
            evaluator,
            runner,
            chunk_persons=chunk_persons,
            population_dir=population,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    seconds = time.perf_counter() - started
    paths, report = write_results(spec.title, plan, result, out, f"{engine.value}, {seconds:,.1f} s")
    shown = cost_table(result.by_province).with_columns(
        pl.col("year").cast(pl.String), pl.exclude("scenario", "year", "service").round(0).cast(pl.Int64)
    )
    emit_table(shown, fmt, "whole country: people (estimates) and yuan per year; — = no unit cost")
    if fmt == OutputFormat.TABLE:
        fit = float(population_model().fit_errors().select(pl.col("max_relative_error").max()).item())
        fit_sample = sample_fit(result.by_province, census_2020().provinces, plan.fraction)
        worst = float(fit_sample.select(pl.col("relative_error").abs().max()).item())
        console.print(
            f"IPF fit: worst relative error on any census margin {fit:.1e}; "
            f"sample vs census × {plan.fraction:g}: at most {worst:.3%} per province"
        )
        console.print(f"{seconds:,.1f} s; results: {', '.join(str(p) for p in paths)}; report: {report}")


def register(app: typer.Typer) -> None:
    """Add `changzhu simulate`."""
    app.command("simulate")(simulate_command)
