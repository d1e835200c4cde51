"""Foundation commands: database migrations and loading, regions, the population table, the demo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from changzhu.cli.lang import LangOption
from changzhu.domain.population import PopulationSort
from changzhu.domain.regions import RegionLevel
from changzhu.output import ExportOption, OutputFormat, console, emit_table
from changzhu.report.lang import Lang, pick

if TYPE_CHECKING:
    import polars as pl

db_app = typer.Typer(help="Create, migrate and load the registry database.", no_args_is_help=True)

FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="table, csv, json; xlsx or parquet with --out")
]
LimitOption = Annotated[int, typer.Option("--limit", help="rows to show in table format (0: all)")]


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="target revision")] = "head", *, lang: LangOption) -> None:
    """Apply the Alembic migrations (SQLite by default, CHANGZHU_DATABASE_URL for PostgreSQL)."""
    from changzhu.registry.migrate import current_revision, upgrade
    from changzhu.store.db import make_engine

    engine = make_engine()
    upgrade(engine, revision)
    url, now = engine.url.render_as_string(hide_password=True), current_revision(engine)
    console.print(pick(f"数据库 {url} 已在版本 {now}", f"database {url} at revision {now}", lang), highlight=False)


@db_app.command("current")
def db_current(*, lang: LangOption) -> None:
    """Print the revision the database is at."""
    from changzhu.registry.migrate import current_revision, head_revision
    from changzhu.store.db import make_engine

    now, latest = current_revision(make_engine()), head_revision()
    said = pick(
        f"当前版本：{now or '无（尚未迁移：请运行 changzhu db upgrade）'}；本软件的最新版本：{latest}",
        f"current: {now or 'none (not migrated: run changzhu db upgrade)'}; latest shipped: {latest}",
        lang,
    )
    console.print(said, highlight=False)


@db_app.command("load")
def db_load(*, lang: LangOption) -> None:
    """Load the shipped regions and 2020 census figures (replaces earlier ones, all or nothing)."""
    from changzhu.data.census import census_2020
    from changzhu.registry.census_import import load_census
    from changzhu.registry.migrate import upgrade
    from changzhu.store.db import make_engine

    engine = make_engine()
    upgrade(engine)
    summary = load_census(engine, census_2020())
    console.print(
        pick(
            f"已载入 {summary.regions:,} 个地区、{summary.agglomeration_members} 条城市群成员关系、"
            f"{summary.population_stats:,} 行人口数据",
            f"loaded {summary.regions:,} regions, {summary.agglomeration_members} agglomeration memberships, "
            f"{summary.population_stats:,} population rows",
            lang,
        ),
        highlight=False,
    )


def regions(
    level: Annotated[RegionLevel | None, typer.Option(help="province, prefecture or county")] = None,
    parent: Annotated[str | None, typer.Option(help="code of the parent region")] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    limit: LimitOption = 50,
    out: ExportOption = None,
    *,
    lang: LangOption,
) -> None:
    """List regions with their level, parent, city size class and agglomerations."""
    from changzhu.registry.queries import list_regions
    from changzhu.store.db import make_engine

    df = list_regions(make_engine(), level, parent)
    title = pick(f"{df.height:,} 个地区", f"{df.height:,} regions", lang)
    emit_table(_shown(df, fmt, out, lang), fmt, title, limit=limit or None, out=out, lang=lang)


def population(
    level: Annotated[RegionLevel, typer.Option(help="province, prefecture or county")] = RegionLevel.PROVINCE,
    sort: Annotated[PopulationSort, typer.Option(help="order of rows")] = PopulationSort.RESIDENT,
    fmt: FormatOption = OutputFormat.TABLE,
    limit: LimitOption = 40,
    out: ExportOption = None,
    *,
    lang: LangOption,
) -> None:
    """Resident population (常住), 人户分离 and inter-provincial in-migrants (跨省流入) with shares."""
    from changzhu.registry.queries import population_table
    from changzhu.report.registry_tables import share_places
    from changzhu.store.db import make_engine

    df = population_table(make_engine(), level, sort)
    levels = {"province": "省级", "prefecture": "地级", "county": "县级"}
    title = pick(
        f"2020 年人口普查，{levels[level.value]}，常住口径",
        f"2020 census, {level.value} level, resident basis",
        lang,
    )
    emit_table(
        _shown(df, fmt, out, lang), fmt, title, limit=limit or None, out=out, decimals=share_places(df, lang), lang=lang
    )


def _shown(df: pl.DataFrame, fmt: OutputFormat, out: Path | None, lang: Lang) -> pl.DataFrame:
    """The table as printed in `lang` (headers and codes in words); CSV, JSON and files keep the codes, for scripts."""
    from changzhu.report.registry_tables import registry_in

    return registry_in(df, lang) if fmt == OutputFormat.TABLE and out is None else df


def demo(
    out: Annotated[Path, typer.Option(help="directory for the report and tables")] = Path("out"),
    *,
    lang: LangOption,
) -> None:
    """Run the main job end to end on the embedded database and write out/report.html."""
    from changzhu.pipeline import run_demo

    run_demo(out, lang)


def register(app: typer.Typer) -> None:
    """Attach the foundation commands to the top-level app."""
    app.add_typer(db_app, name="db")
    app.command()(regions)
    app.command()(population)
    app.command()(demo)
