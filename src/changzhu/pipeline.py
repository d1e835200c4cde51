"""The main job (`changzhu demo`): data, database, population, planning, fiscal, simulation, ledger, report.

Each step prints a numbered header; long steps show their own rich progress bars.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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

SERVE_ADDRESS = "http://127.0.0.1:8000/"


@dataclass
class DemoContext:
    """What the steps of the main job share."""

    out_dir: Path
    engine: Engine | None = None
    census: Census2020 | None = None
    notes: list[str] = field(default_factory=list)


def _load_data(ctx: DemoContext) -> None:
    ctx.census = census_2020()
    ctx.notes.append(
        f"census: {ctx.census.provinces.height} provinces, {ctx.census.prefectures.height} prefectures, "
        f"{ctx.census.counties.height:,} counties checked against the census totals"
    )


def _build_database(ctx: DemoContext) -> None:
    ctx.engine = make_engine()
    upgrade(ctx.engine)
    assert ctx.census is not None
    summary = load_census(ctx.engine, ctx.census)
    url = ctx.engine.url.render_as_string(hide_password=True)
    ctx.notes.append(f"database {url}: {summary.regions:,} regions, {summary.population_stats:,} population rows")


def _population_report(ctx: DemoContext) -> None:
    assert ctx.engine is not None
    provinces = population_table(ctx.engine, RegionLevel.PROVINCE, PopulationSort.INTERPROV_SHARE)
    write_section(ctx.out_dir, population_section(provinces, province_geojson()))
    provinces.write_csv(ctx.out_dir / "population_by_province.csv")
    emit_table(provinces, OutputFormat.TABLE, "Provinces by inter-provincial in-migrant share (2020 census, 常住)")


def _planning(ctx: DemoContext) -> None:
    from changzhu.cli.plan import plan

    plan(out=ctx.out_dir)
    ctx.notes.append(f"planning: gaps, projection and sites in {ctx.out_dir / 'planning'}")


def _fiscal(ctx: DemoContext) -> None:
    from changzhu.cli.fiscal import demo_step

    ctx.notes.append(demo_step(ctx.out_dir))


def _simulation(ctx: DemoContext) -> None:
    from changzhu.cli.simulate import demo_step

    ctx.notes.append(demo_step(ctx.out_dir))


def _ledger_example(ctx: DemoContext) -> None:
    from changzhu.ledger.example_doc import render
    from changzhu.ledger.worked_example import run

    with tempfile.TemporaryDirectory() as scratch:
        engine = make_engine(f"sqlite:///{Path(scratch) / 'example.sqlite3'}")
        upgrade(engine)
        text = render(run(engine))
        engine.dispose()
    path = ctx.out_dir / "ledger_worked_example.md"
    path.write_text(text, encoding="utf-8")
    ctx.notes.append(f"ledger: worked example Chengdu → Shenzhen → Suzhou in {path}")


Step = tuple[str, Callable[[DemoContext], None]]
STEPS: list[Step] = [
    ("Load and check the 2020 census and region codes", _load_data),
    ("Build the registry database and load regions", _build_database),
    ("Where people live compared with their hukou (常住 vs 户籍)", _population_report),
    ("Plan services by resident population: gaps, projection, where to build", _planning),
    ("Money and land follow people (人地钱挂钩): transfers, LP allocation, compensation", _fiscal),
    ("Microsimulate a reform on a synthetic population fitted to the census", _simulation),
    ("The portable account (终身福利账户): a worker moving between three cities", _ledger_example),
]


def run_demo(out_dir: Path) -> Path:
    """Run every step, print what each found and write the report."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = DemoContext(out_dir=out_dir)
    for number, (description, step) in enumerate(STEPS, start=1):
        console.rule(f"[bold]{number}/{len(STEPS)}[/bold] {description}")
        step(ctx)
    console.rule("summary")
    for note in ctx.notes:
        console.print(note)
    report = render_report(out_dir)
    console.print(f"report written to [bold]{report}[/bold]")
    console.print(
        f"to browse the dashboard: `changzhu user add NAME --role planner --jurisdiction 000000`, "
        f"then `changzhu serve` and open {SERVE_ADDRESS}"
    )
    return report
