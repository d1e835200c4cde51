"""`changzhu simulate`: run reform scenarios over a synthetic population; Parquet results and a report section."""

from __future__ import annotations

import time
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from changzhu.cli.lang import LangOption
from changzhu.output import ExportTablesOption, PrintFormat, console, emit_table, export_tables
from changzhu.report.lang import Lang

if TYPE_CHECKING:  # the simulation (numpy, scipy, polars) is imported when it runs, not for `--help`
    import polars as pl
    from rich.progress import Progress

    from changzhu.simulation.engine import ChunkRunner


class EngineChoice(StrEnum):
    """Where the chunks run."""

    LOCAL = "local"
    DASK = "dask"


def _progress() -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console
    )


def _engine(stack: ExitStack, choice: EngineChoice, scheduler: str | None, workers: int) -> ChunkRunner:
    from changzhu.simulation.engine import DaskEngine, LocalEngine, local_cluster

    if choice == EngineChoice.LOCAL:
        return LocalEngine()
    from distributed import Client

    if scheduler:
        client = stack.enter_context(Client(scheduler))
    else:
        client = stack.enter_context(Client(stack.enter_context(local_cluster(workers))))
    return DaskEngine(client)


def simulate_command(
    scenario: Annotated[list[Path], typer.Option("--scenario", help="reform scenario file (repeat for several)")],
    sample: Annotated[float | None, typer.Option(help="sample fraction of the 1.41 billion residents")] = None,
    seed: Annotated[int | None, typer.Option(help="random seed (default: the file's, else 20201101)")] = None,
    years: Annotated[str | None, typer.Option(help="years to evaluate, e.g. 2025,2026")] = None,
    engine: Annotated[EngineChoice, typer.Option(help="local (chunked) or dask")] = EngineChoice.LOCAL,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address (default: a LocalCluster)")] = None,
    workers: Annotated[int, typer.Option(help="workers of the LocalCluster")] = 2,
    chunk_persons: Annotated[int | None, typer.Option(help="persons per chunk (default: the engine's)")] = None,
    population: Annotated[Path | None, typer.Option(help="read a stored population (partitioned Parquet)")] = None,
    store: Annotated[Path | None, typer.Option(help="first write the population as partitioned Parquet here")] = None,
    out: Annotated[Path, typer.Option(help="directory for the report and tables")] = Path("out"),
    fmt: Annotated[PrintFormat, typer.Option("--format", "-f", help="table, csv or json")] = PrintFormat.TABLE,
    export: ExportTablesOption = None,
    *,
    lang: LangOption,
) -> None:
    """Microsimulate reforms (微观模拟): eligible, newly eligible, demand and cost by province, vs baseline."""
    import polars as pl

    from changzhu.data.census import census_2020
    from changzhu.domain.estimates import labelled, synthetic
    from changzhu.jobs.simulation import reform_titles, write_results
    from changzhu.report.lang import pick
    from changzhu.report.simulation import COST_COLUMNS, YUAN_COLUMNS, cost_table, costs_in, sample_fit
    from changzhu.simulation.engine import DEFAULT_CHUNK_PERSONS
    from changzhu.simulation.evaluators import load_rules_scenario, rules_evaluator
    from changzhu.simulation.run import simulate, store_population
    from changzhu.simulation.spec import load_spec, parse_years
    from changzhu.simulation.synthetic import population_model

    chunk_persons = DEFAULT_CHUNK_PERSONS if chunk_persons is None else chunk_persons
    spec = load_spec(scenario, load_rules_scenario)
    titles = reform_titles(scenario, lang)  # before the run: a title of the wrong shape is refused at once
    plan = spec.plan(sample=sample, seed=seed, years=parse_years(years.split(","), "--years") if years else None)
    evaluator = rules_evaluator(spec.services)
    population_model()
    started = time.perf_counter()
    with ExitStack() as stack:
        runner = _engine(stack, engine, scheduler, workers)
        progress = stack.enter_context(_progress())
        if store is not None:
            task = progress.add_task(pick("写出合成人口", "writing the population", lang), total=None)
            store_population(
                plan,
                store,
                runner,
                chunk_persons=chunk_persons,
                progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
            population = store
        task = progress.add_task(pick("模拟", "simulating", lang), total=None)
        result = simulate(
            plan,
            evaluator,
            runner,
            chunk_persons=chunk_persons,
            population_dir=population,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    seconds = time.perf_counter() - started
    paths, report = write_results(spec.title, plan, result, out, f"{engine.value}, {seconds:,.1f} s", lang, titles)
    costs = cost_table(result.by_province)
    noted = labelled(costs, synthetic(plan.fraction))  # files and machine output carry the label in every row
    if fmt == PrintFormat.TABLE:  # for people: in --lang, as the report's table (--format csv|json: the codes)
        title = pick(
            "全国：人数为估算，费用为亿元/年；— 表示没有单位成本",
            "Whole country: people are estimates, costs in 100 million yuan a year; — = no unit cost",
            lang,
        )
        places = {c.header(lang): 2 for c in COST_COLUMNS if c.key in YUAN_COLUMNS}
        _print_costs(costs_in(costs, lang, titles), title, places, lang)
    else:
        whole = pl.exclude("scenario", "year", "service", "estimate").round(0).cast(pl.Int64)
        emit_table(noted.with_columns(pl.col("year").cast(pl.String), whole), fmt)
    if export is not None:  # a file for people, in --lang, each row saying what the estimate is
        written = ", ".join(map(str, export_tables({"costs": costs_in(noted, lang, titles)}, export)))
        console.print(pick(f"表格已写入 {written}", f"table written to {written}", lang), highlight=False)
    if fmt == PrintFormat.TABLE:
        fit = float(population_model().fit_errors().select(pl.col("max_relative_error").max()).item())
        fit_sample = sample_fit(result.by_province, census_2020().provinces, plan.fraction)
        worst = float(fit_sample.select(pl.col("relative_error").abs().max()).item())
        console.print(
            pick(
                f"IPF 拟合：任一普查边际的最大相对误差 {fit:.1e}；"
                f"抽样与普查 × {plan.fraction:g} 相比：每省至多相差 {worst:.3%}",
                f"IPF fit: worst relative error on any census margin {fit:.1e}; "
                f"sample vs census × {plan.fraction:g}: at most {worst:.3%} per province",
                lang,
            ),
            highlight=False,
        )
        files = ", ".join(str(p) for p in paths)
        console.print(
            pick(
                f"{seconds:,.1f} 秒；结果：{files}；报告：{report}",
                f"{seconds:,.1f} s; results: {files}; report: {report}",
                lang,
            ),
            highlight=False,
            soft_wrap=True,  # a path is not broken by the program: the terminal wraps it, copied whole
        )


def _print_costs(table: pl.DataFrame, title: str, places: dict[str, int], lang: Lang) -> None:
    """The cost table on the terminal, never breaking a name: each scenario's title as a heading line (wrapped at
    its spaces only) over its rows; where the terminal is too narrow for a row of every measure without breaking
    a word (80 columns), one line of each year, service and measure instead."""
    import polars as pl

    from changzhu.output import cell_text, fits, rich_table
    from changzhu.report.lang import pick

    scenario, year, service = table.columns[:3]
    measure, value = pick("指标", "Measure", lang), pick("数值", "Value", lang)
    console.print(title, highlight=False)
    for (name,), rows in table.group_by(scenario, maintain_order=True):
        console.print(f"\n{name}", style="bold", highlight=False)
        wide = rich_table(rows.drop(scenario), decimals=places)
        if fits(wide):
            console.print(wide)
            continue
        long = pl.DataFrame(
            [
                (row[0], row[1], column, cell_text(column, v, places.get(column)))
                for row in rows.drop(scenario).iter_rows()
                for column, v in zip(rows.columns[3:], row[2:], strict=True)
            ],
            schema=[year, service, measure, value],
            orient="row",
        )
        console.print(rich_table(long, right=[value]))


def register(app: typer.Typer) -> None:
    """Add `changzhu simulate`."""
    app.command("simulate")(simulate_command)
