"""The main job (`changzhu demo`): data, database, population table, report; each step shows progress."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from sqlalchemy import Engine

from changzhu.cli.output import OutputFormat, console, emit_table
from changzhu.data.census import Census2020, census_2020
from changzhu.data.geo import province_geojson
from changzhu.domain.regions import RegionLevel
from changzhu.registry.census_import import load_census
from changzhu.registry.db import make_engine
from changzhu.registry.migrate import upgrade
from changzhu.registry.queries import PopulationSort, population_table
from changzhu.report.population import population_section
from changzhu.report.render import render_report
from changzhu.report.sections import write_section


@dataclass
class DemoContext:
    """What the steps of the main job share."""

    out_dir: Path
    engine: Engine | None = None
    census: Census2020 | None = None
    notes: list[str] = field(default_factory=list)


def _load_data(ctx: DemoContext) -> None:
    ctx.census = census_2020()


def _build_database(ctx: DemoContext) -> None:
    ctx.engine = make_engine()
    upgrade(ctx.engine)
    assert ctx.census is not None
    summary = load_census(ctx.engine, ctx.census)
    ctx.notes.append(f"database: {summary.regions:,} regions, {summary.population_stats:,} population rows")


def _population_report(ctx: DemoContext) -> None:
    assert ctx.engine is not None
    provinces = population_table(ctx.engine, RegionLevel.PROVINCE, PopulationSort.INTERPROV_SHARE)
    write_section(ctx.out_dir, population_section(provinces, province_geojson()))
    provinces.write_csv(ctx.out_dir / "population_by_province.csv")


def _fiscal(ctx: DemoContext) -> None:
    from changzhu.cli.fiscal import demo_step

    ctx.notes.append(demo_step(ctx.out_dir))


Step = tuple[str, Callable[[DemoContext], None]]
STEPS: list[Step] = [
    ("Load and check the 2020 census and region codes", _load_data),
    ("Build the registry database and load regions", _build_database),
    ("Population by province, map and ranking", _population_report),
    ("Money and land follow people: transfers, LP allocation, compensation", _fiscal),
]


def run_demo(out_dir: Path) -> Path:
    """Run every step with a progress bar, print the population table and write the report."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = DemoContext(out_dir=out_dir)
    with Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console
    ) as progress:
        task = progress.add_task("changzhu demo", total=len(STEPS))
        for description, step in STEPS:
            progress.update(task, description=description)
            step(ctx)
            progress.advance(task)
    assert ctx.engine is not None
    table = population_table(ctx.engine, RegionLevel.PROVINCE, PopulationSort.INTERPROV_SHARE)
    emit_table(
        table, OutputFormat.TABLE, "Provinces by inter-provincial in-migrant share (2020 census, 常住)"
    )
    for note in ctx.notes:
        console.print(note)
    report = render_report(out_dir)
    console.print(f"report written to [bold]{report}[/bold]")
    return report
