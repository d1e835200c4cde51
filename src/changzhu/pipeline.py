"""The main job (`changzhu demo`): data, database, population, planning, fiscal, simulation, ledger, report.

Each step prints a numbered header; long steps show their own rich progress bars.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine

from changzhu.casework.example_doc import render
from changzhu.casework.worked_example import run
from changzhu.data.census import Census2020, census_2020
from changzhu.data.geo import province_geojson
from changzhu.domain.regions import RegionLevel
from changzhu.fiscal.parameters import fiscal_parameters
from changzhu.jobs import run_fiscal, run_planning, simulation_demo
from changzhu.output import OutputFormat, console, emit_table
from changzhu.registry.census_import import load_census
from changzhu.registry.migrate import upgrade
from changzhu.registry.queries import PopulationSort, population_table
from changzhu.report.lang import Lang
from changzhu.report.population import population_section
from changzhu.report.render import render_report
from changzhu.report.sections import write_section
from changzhu.store.db import make_engine
from changzhu.validation.checks import checks_frame, validation_checks
from changzhu.validation.fit import fit_table
from changzhu.validation.section import validation_section

SERVE_ADDRESS = "http://127.0.0.1:8000/"
VALIDATION_SAMPLE = 1e-3  # the default of `changzhu validate`; the section states it
VALIDATION_SEED = 20201101


@dataclass
class DemoContext:
    """What the steps of the main job share."""

    out_dir: Path
    lang: Lang = Lang.ZH
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
    write_section(ctx.out_dir, population_section(provinces, province_geojson(), ctx.lang))
    provinces.write_csv(ctx.out_dir / "population_by_province.csv")
    emit_table(provinces, OutputFormat.TABLE, "Provinces by inter-provincial in-migrant share (2020 census, 常住)")


def _planning(ctx: DemoContext) -> None:
    run_planning(ctx.out_dir, lang=ctx.lang)
    ctx.notes.append(f"planning: gaps, projection and sites in {ctx.out_dir / 'planning'}")


def _fiscal(ctx: DemoContext) -> None:
    ctx.notes.append(run_fiscal(ctx.out_dir, fiscal_parameters(), ctx.lang))


def _simulation(ctx: DemoContext) -> None:
    ctx.notes.append(simulation_demo(ctx.out_dir, lang=ctx.lang))


def _validation(ctx: DemoContext) -> None:
    checks = validation_checks(VALIDATION_SAMPLE, VALIDATION_SEED)
    fit = fit_table(VALIDATION_SAMPLE, VALIDATION_SEED)
    checks_frame(checks).write_csv(ctx.out_dir / "validation.csv")
    fit.write_csv(ctx.out_dir / "validation_fit.csv")
    write_section(ctx.out_dir, validation_section(checks, fit, VALIDATION_SAMPLE, ctx.lang))
    out = sum(c.status == "out_of_range" for c in checks) + int((fit["status"] == "out_of_range").sum())
    ctx.notes.append(
        f"validation: {len(checks)} headline figures and {fit.height} fit rows against official ones, "
        f"{out} out of range (sample {VALIDATION_SAMPLE:g}, seed {VALIDATION_SEED}; `changzhu validate` exits 1 then)"
    )


def _ledger_example(ctx: DemoContext) -> None:
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
    ("Check the headline figures against official statistics (数字核对)", _validation),
    ("The portable account (终身福利账户): a worker moving between three cities", _ledger_example),
]


def run_demo(out_dir: Path, lang: Lang = Lang.ZH) -> Path:
    """Run every step, print what each found and write the report (Chinese by default)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ctx = DemoContext(out_dir=out_dir, lang=lang)
    for number, (description, step) in enumerate(STEPS, start=1):
        console.rule(f"[bold]{number}/{len(STEPS)}[/bold] {description}")
        step(ctx)
    console.rule("summary")
    for note in ctx.notes:
        console.print(note)
    report = render_report(out_dir, lang=lang)
    console.print(f"report written to [bold]{report}[/bold]")
    me = command()
    console.print(
        f"to browse the office: `{me} user add NAME --role planner --jurisdiction 000000 --keep-password`, "
        f"then `{me} serve` and open {SERVE_ADDRESS}"
    )
    return report


def command() -> str:
    """How to run this changzhu from the current directory: `changzhu` when that name on the PATH is this
    installation, else the path of its script (e.g. `.venv/bin/changzhu` after `make demo`)."""
    script = Path(sys.executable).parent / "changzhu"
    if not script.exists():
        return f"{sys.executable} -m changzhu.cli.main"
    found = shutil.which("changzhu")
    if found and Path(found).resolve() == script.resolve():
        return "changzhu"
    try:
        return str(script.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(script.absolute())
