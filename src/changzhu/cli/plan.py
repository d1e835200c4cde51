"""`changzhu plan`: demand and gaps on both bases, projection, mega-towns, sites; tables to out/, a report section."""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from changzhu.cli.lang import LangOption
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

OutOption = Annotated[Path, typer.Option("--out", help="output directory (the tables in its planning/ folder)")]


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
    p: Annotated[int, typer.Option("--hospitals", "--p", help="number of new hospitals to place")] = 10,
    monitor: Annotated[
        bool, typer.Option("--monitor", help="also read registry moves and write monthly flows and alerts")
    ] = False,
    fmt: Annotated[PrintFormat, typer.Option("--format", "-f", help="table, csv or json")] = PrintFormat.TABLE,
    export: ExportTablesOption = None,
    *,
    lang: LangOption,
) -> None:
    """Plan by resident population (按常住人口规划): write tables and the planning section of the report."""
    from changzhu.cli.warned import warnings_in
    from changzhu.domain.refusals import RefusalCode, refusal
    from changzhu.jobs.planning import run_planning
    from changzhu.planning.datasets import datasets_root
    from changzhu.planning.datasets import uploaded_facilities as uploaded_facilities_of
    from changzhu.planning.errors import PlanningInputError
    from changzhu.planning.facilities import coordinates_without_system
    from changzhu.planning.standards import is_parameter_file, load_standards, service_catalog
    from changzhu.report.lang import pick
    from changzhu.report.plan_tables import (
        SHORTAGE_PLACES,
        incomplete_in,
        replaced_in,
        shortage_in,
        sites_file_in,
        sites_in,
    )
    from changzhu.report.siting import siting_heading
    from changzhu.rules.labels import FILE_COLUMNS, SUMMARY_COLUMNS, pick_label
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
        err_console.print(
            f"[yellow]{pick('注意：', 'warning: ', lang)}[/yellow]{unlabelled[0 if lang == Lang.ZH else 1]}",
            highlight=False,
        )
    province = siting_province or _list_province(facility_list) or DEFAULT_SITING_PROVINCE
    with warnings_in(lang):  # a region left out of the flows, a figure unknown: said on the warning line
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
    shown = {"shortage": shortage_in(run.side_by_side, lang, run.unit_costs), "sites": sites_in(run.siting, lang)}
    if run.replaced is not None:
        shown = {"replaced": replaced_in(run.replaced, lang), **shown}
        title = pick(
            "设施清单替换的供给；其余数字仍为估算",
            "Supply replaced by the facility list; every other figure remains estimated",
            lang,
        )
        share = pick_label(SUMMARY_COLUMNS["list_share_of_estimate"][:2], lang)
        emit_table(shown["replaced"], fmt, title, right=[share], decimals=dict.fromkeys(shown["replaced"].columns, 0))
        for warning in incomplete_in(run.replaced, lang):
            err_console.print(f"[yellow]{pick('注意：', 'warning: ', lang)}[/yellow]{warning}", highlight=False)
    note = pick_label(FILE_COLUMNS["estimate_note"], lang)  # on screen the headers say what is estimated
    title = pick("各省短缺合计（只计有短缺的省份）", "Shortage summed over provinces with a shortage", lang)
    places = {pick_label(FILE_COLUMNS[c], lang): p for c, p in SHORTAGE_PLACES.items()}
    if fmt == PrintFormat.TABLE:  # csv and json keep the note on every row, as the exported tables do
        emit_table(shown["shortage"].drop(note), fmt, title, decimals=places, lang=lang)
        console.print(shown["shortage"][note][0], style="dim", highlight=False)  # what the estimate is, once
    else:
        emit_table(shown["shortage"], fmt, title)
    emit_table(shown["sites"], fmt, siting_heading(run.siting, province, lang), right=_figures(shown["sites"]))
    if fmt == PrintFormat.TABLE:
        console.print(run.siting.access_estimate().text(lang), style="dim", highlight=False)
    if export is not None:  # the same tables, each figure a number (a sheet sums it), not the text printed
        exported = {"shortage": shown["shortage"], "sites": sites_file_in(run.siting, lang)}
        if run.replaced is not None:
            exported = {"replaced": replaced_in(run.replaced, lang, file=True), **exported}
        sheets = {  # a workbook's sheets in the reader's words, as fiscal's (the CSV files keep the tables' names)
            "replaced": pick("清单替换的供给", "Supply replaced by the list", lang),
            "shortage": pick("各省短缺合计", "Shortage by province", lang),
            "sites": pick("医院选址", "Hospital siting", lang),
        }
        written = ", ".join(map(str, export_tables(exported, export, sheets)))
        console.print(pick(f"表格已写入 {written}", f"tables written to {written}", lang), highlight=False)
    console.print(
        pick(f"数据表在 {run.folder}；报告已写入 {run.report}", f"tables in {run.folder}; report {run.report}", lang),
        highlight=False,
    )


def _figures(table: pl.DataFrame) -> list[str]:
    """The text columns of a table as printed that hold figures (all but the first two: names and words)."""
    return table.columns[2:]


def _list_province(facility_list: pl.DataFrame | None) -> str | None:
    """The province every facility of the list lies in, if there is one."""
    if facility_list is None:
        return None
    provinces = {province_code_of(code) for code in facility_list["region_code"].unique().to_list()}
    return provinces.pop() if len(provinces) == 1 else None


def register(app: typer.Typer) -> None:
    """Add `changzhu plan` to the app."""
    app.command("plan")(plan)
