"""`changzhu plan`: demand and gaps on both bases, projection, mega-towns, sites; tables to out/, a report section."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from changzhu.cli.tables_cmds import ErrorsOption, SheetOption, SkipOption, read_user_table
from changzhu.domain.regions import RegionLevel, province_code_of
from changzhu.output import (
    ExportTablesOption,
    PrintFormat,
    console,
    emit_table,
    err_console,
    export_tables,
)
from changzhu.report.lang import Lang

if TYPE_CHECKING:
    import polars as pl

DEFAULT_SITING_PROVINCE = "440000"  # 广东省: the most populous province, with the most inter-provincial in-migrants

OutOption = Annotated[Path, typer.Option("--out", help="output directory (tables in <out>/planning/)")]


def plan(
    out: OutOption = Path("out"),
    years: Annotated[int, typer.Option(help="projection horizon in years (5 to 10 recommended)")] = 10,
    as_of: Annotated[str, typer.Option(help="date the standards are taken in force on (YYYY-MM-DD)")] = "2020-11-01",
    standards: Annotated[
        Path | None,
        typer.Option(help="local standards: a table (`changzhu schema standard`) or a YAML parameter file (`local:`)"),
    ] = None,
    population: Annotated[
        Path | None,
        typer.Option(help="scenario population in place of the census (`changzhu schema population`)"),
    ] = None,
    scenario: Annotated[
        Path | None, typer.Option(help="reform scenario overriding standards, unit costs or projection assumptions")
    ] = None,
    facilities: Annotated[
        Path | None, typer.Option(help="facility list: CSV, Excel, Parquet, JSON or YAML (`changzhu schema facility`)")
    ] = None,
    uploaded_facilities: Annotated[
        list[str] | None,
        typer.Option(
            "--uploaded-facilities",
            help="site from the facility list an office uploaded for this region (its code, e.g. 440300; repeat for"
            " several), as the service stores it under CHANGZHU_HOME/uploads, at the scope it was uploaded at",
        ),
    ] = None,
    scope: Annotated[
        RegionLevel | None,
        typer.Option(help="what the facility list is complete for: a county, a prefecture (default) or a province"),
    ] = None,
    supply: Annotated[
        Path | None,
        typer.Option(help="supply by province replacing the shipped 2019 figures (`changzhu schema supply`)"),
    ] = None,
    sheet: SheetOption = None,
    skip_bad_rows: SkipOption = False,
    errors: ErrorsOption = None,
    siting_province: Annotated[
        str | None,
        typer.Option(
            help="province code for the where-to-build example (default: the facility list's province when the list"
            f" lies in one, else {DEFAULT_SITING_PROVINCE})"
        ),
    ] = None,
    p: Annotated[int, typer.Option(help="number of new hospitals to place")] = 10,
    monitor: Annotated[
        bool, typer.Option("--monitor", help="also read registry moves and write monthly flows and alerts")
    ] = False,
    fmt: Annotated[PrintFormat, typer.Option("--format", "-f", help="table, csv or json")] = PrintFormat.TABLE,
    export: ExportTablesOption = None,
    lang: Annotated[Lang, typer.Option(help="report language: zh (default) or en")] = Lang.ZH,
) -> None:
    """Plan by resident population (按常住人口规划): write tables and the planning section of the report."""
    import polars as pl

    from changzhu.domain.estimates import SHORTAGE_COST, labelled
    from changzhu.domain.refusals import RefusalCode, refusal
    from changzhu.jobs.planning import run_planning
    from changzhu.planning.datasets import datasets_root
    from changzhu.planning.datasets import uploaded_facilities as uploaded_facilities_of
    from changzhu.planning.errors import PlanningInputError
    from changzhu.planning.facilities import coordinates_without_system, possibly_incomplete
    from changzhu.planning.standards import is_parameter_file, load_standards, service_catalog
    from changzhu.tables.kinds import facility_schema, population_schema, standard_schema, supply_schema

    read = partial(read_user_table, sheet=sheet, skip_bad_rows=skip_bad_rows, errors=errors)
    local: Path | pl.DataFrame | None = standards
    if standards is not None and not is_parameter_file(standards):
        local = read(standards, standard_schema(service_catalog(load_standards())))
    services = service_catalog(load_standards(local=local))
    facility_list = None if facilities is None else read(facilities, facility_schema(services))
    if uploaded_facilities:
        if facilities is not None:
            options = {"file_option": "--facilities", "uploaded_option": "--uploaded-facilities"}
            raise PlanningInputError(refusal(RefusalCode.FACILITY_LIST_TWICE, **options))
        facility_list, stored_scope = uploaded_facilities_of(datasets_root(), uploaded_facilities)
        scope = RegionLevel(stored_scope)
    unlabelled = None if facility_list is None else coordinates_without_system(facility_list)
    if unlabelled is not None:
        err_console.print(f"[yellow]warning:[/yellow] {unlabelled[0 if lang == Lang.ZH else 1]}", highlight=False)
    province = siting_province or _list_province(facility_list) or DEFAULT_SITING_PROVINCE
    run = run_planning(
        out,
        years=years,
        as_of=date.fromisoformat(as_of),
        standards=local,
        population=None if population is None else read(population, population_schema()),
        scenario=scenario,
        facilities=facility_list,
        facility_scope=None if scope is None else scope.value,
        supply=None if supply is None else read(supply, supply_schema(services)),
        siting_province=province,
        p=p,
        monitor=monitor,
        lang=lang,
    )
    side = run.side_by_side
    summary = (
        side.filter(pl.col("service").is_in(["hospital_beds", "primary_school_places"]))
        .group_by("service")
        .agg(
            pl.col("gap_local_hukou_resident").clip(lower_bound=0).sum().alias("shortage_hukou_basis"),
            pl.col("gap_resident").clip(lower_bound=0).sum().alias("shortage_resident_basis"),
            pl.col("gap_cost_yuan_resident").sum().alias("cost_to_close_resident_yuan"),
        )
    )
    shown = {"shortage": labelled(summary.sort("service"), SHORTAGE_COST), "sites": run.sites}
    if run.replaced is not None:
        shown = {"replaced": run.replaced, **shown}
        emit_table(run.replaced, fmt, "Supply replaced by the facility list; every other figure remains estimated")
        for warning in possibly_incomplete(run.replaced):
            err_console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    emit_table(shown["shortage"], fmt, "Shortage summed over provinces with a shortage")
    emit_table(run.sites, fmt, f"Where to build in {_province_title(province)}")
    if export is not None:
        console.print(f"tables written to {', '.join(map(str, export_tables(shown, export)))}")
    console.print(f"tables in {run.folder}, report {run.report}")


def _list_province(facility_list: pl.DataFrame | None) -> str | None:
    """The province every facility of the list lies in, if there is one."""
    if facility_list is None:
        return None
    provinces = {province_code_of(code) for code in facility_list["region_code"].unique().to_list()}
    return provinces.pop() if len(provinces) == 1 else None


def _province_title(code: str) -> str:
    """广东省 Guangdong (440000): a province by both names and its code."""
    import polars as pl

    from changzhu.data.census import read_provinces

    row = read_provinces().filter(pl.col("code") == code)
    return f"{row['name_zh'][0]} {row['name_en'][0]} ({code})" if row.height else code


def register(app: typer.Typer) -> None:
    """Add `changzhu plan` to the app."""
    app.command("plan")(plan)
