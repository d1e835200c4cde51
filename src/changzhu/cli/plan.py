"""`changzhu plan`: demand and gaps on both bases, projection, mega-towns, sites; tables to out/, a report section."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.progress import Progress

from changzhu.cli.output import OutputFormat, console, emit_table

OutOption = Annotated[Path, typer.Option("--out", help="output directory (tables in <out>/planning/)")]


def _write(folder: Path, name: str, df: pl.DataFrame) -> None:
    df.write_parquet(folder / f"{name}.parquet")
    df.write_csv(folder / f"{name}.csv")


def plan(
    out: OutOption = Path("out"),
    years: Annotated[int, typer.Option(help="projection horizon in years (5 to 10 recommended)")] = 10,
    as_of: Annotated[str, typer.Option(help="date the standards are taken in force on (YYYY-MM-DD)")] = "2020-11-01",
    standards: Annotated[Path | None, typer.Option(help="YAML file of local overrides")] = None,
    facilities: Annotated[Path | None, typer.Option(help="CSV facility list (see docs/planning.md)")] = None,
    siting_province: Annotated[str, typer.Option(help="province code for the where-to-build example")] = "440000",
    p: Annotated[int, typer.Option(help="number of new hospitals to place")] = 10,
    monitor: Annotated[bool, typer.Option(help="also read registry moves and write monthly flows and alerts")] = False,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="table, csv or json")] = OutputFormat.TABLE,
) -> None:
    """Plan by resident population (按常住人口规划): write tables and the planning section of the report."""
    from changzhu.data.geo import province_geojson
    from changzhu.planning.facilities import read_facilities
    from changzhu.planning.flags import mega_towns, service_flags
    from changzhu.planning.gaps import compute_gaps, gaps_side_by_side
    from changzhu.planning.migration import migration_balance
    from changzhu.planning.projection import growth_summary, project
    from changzhu.planning.report import planning_section
    from changzhu.planning.siting import plan_sites, result_rows
    from changzhu.planning.standards import load_standards
    from changzhu.report.render import render_report
    from changzhu.report.sections import write_section

    folder = out / "planning"
    folder.mkdir(parents=True, exist_ok=True)
    day = date.fromisoformat(as_of)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("planning", total=7)
        std = load_standards(local=standards)
        own = read_facilities(facilities, std.keys()) if facilities else None
        gaps = compute_gaps("province", as_of=day, standards=std, facilities=own)
        side = gaps_side_by_side(gaps)
        _write(folder, "gaps_province", gaps)
        _write(folder, "gaps_province_side_by_side", side)
        progress.advance(task)
        _write(folder, "gaps_county", compute_gaps("county", as_of=day, standards=std, facilities=own))
        progress.advance(task)
        balance = migration_balance("province")
        _write(folder, "migration_balance_province", balance)
        _write(folder, "service_flags", service_flags(gaps, balance))
        towns = mega_towns()
        _write(folder, "mega_towns", towns)
        progress.advance(task)
        projection = project("province", years)
        growth = growth_summary(projection)
        growth_pref = growth_summary(project("prefecture", years))
        _write(folder, "projection_province", projection)
        _write(folder, "growth_province", growth)
        _write(folder, "growth_prefecture", growth_pref)
        progress.advance(task)
        beds = gaps.filter(
            (pl.col("region_code") == siting_province)
            & (pl.col("service") == "hospital_beds")
            & (pl.col("basis") == "resident")
        )
        sites = plan_sites(siting_province, float(beds["gap"].sum()), float(beds["supply"].sum()), p=p)
        _write(folder, "sites", sites.points)
        _write(folder, "location_results", result_rows(sites))
        progress.advance(task)
        if monitor:
            from changzhu.planning.monitoring import capacity_alerts, monthly_flows
            from changzhu.registry.db import make_engine
            from changzhu.registry.frames import moves_frame

            flows = monthly_flows(moves_frame(make_engine()), "province")
            _write(folder, "monthly_flows", flows)
            _write(folder, "capacity_alerts", capacity_alerts(flows, gaps))
        progress.advance(task)
        write_section(
            out, planning_section(gaps, side, growth, growth_pref, towns, sites, siting_province, province_geojson())
        )
        report = render_report(out)
        progress.advance(task)
    summary = (
        side.filter(pl.col("service").is_in(["hospital_beds", "primary_school_places"]))
        .group_by("service")
        .agg(
            pl.col("gap_registered").clip(lower_bound=0).sum().alias("shortage_hukou_basis"),
            pl.col("gap_resident").clip(lower_bound=0).sum().alias("shortage_resident_basis"),
            pl.col("gap_cost_yuan_resident").sum().alias("cost_to_close_resident_yuan"),
        )
    )
    emit_table(summary.sort("service"), fmt, "Shortage summed over provinces with a shortage")
    emit_table(result_rows(sites), fmt, f"Where to build in {siting_province}")
    console.print(f"tables in {folder}, report {report}")


def register(app: typer.Typer) -> None:
    """Add `changzhu plan` to the app."""
    app.command("plan")(plan)
