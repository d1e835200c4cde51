"""The planning job: gaps on both bases, projection, mega-towns, sites; tables under <out>/planning and a section."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path

import polars as pl
from rich.progress import Progress

from changzhu.data.census import CENSUS_DAY
from changzhu.output import console
from changzhu.planning.siting import SitingPlan
from changzhu.report.lang import Lang, pick


@dataclass(frozen=True)
class PlanningRun:
    """What `run_planning` computed and where it wrote it."""

    folder: Path
    report: Path
    side_by_side: pl.DataFrame
    sites: pl.DataFrame
    replaced: pl.DataFrame | None  # what a facility list replaced (None without one)
    siting: SitingPlan  # where to build hospitals in the siting province (`sites` is its results)
    unit_costs: tuple[str, str]  # the shortage summary's unit costs cited, zh and en (report.plan_tables.shortage_in)


def _write(folder: Path, name: str, df: pl.DataFrame) -> None:
    df.write_parquet(folder / f"{name}.parquet")
    df.write_csv(folder / f"{name}.csv")


def run_planning(
    out: Path,
    *,
    years: int = 10,
    as_of: date = CENSUS_DAY,
    standards: Path | pl.DataFrame | None = None,
    scenario: Path | None = None,
    facilities: pl.DataFrame | None = None,
    facility_scope: str | None = None,
    supply: pl.DataFrame | None = None,
    population: pl.DataFrame | None = None,
    siting_province: str = "440000",
    p: int = 10,
    monitor: bool = False,
    lang: Lang = Lang.ZH,
) -> PlanningRun:
    """Write every planning table under out/planning, the planning report section, and re-render the report.

    facilities: a facility list (read with `changzhu.tables`), replacing supply at `facility_scope` (default: the
    cities it names); supply: provincial supply replacing the shipped 2019 figures; standards: a local parameter
    file or a standards table; population: a scenario population (kind `population`) in place of the census's
    counts for demand and gaps."""
    from changzhu.data.geo import province_geojson
    from changzhu.domain.estimates import PROJECTION, in_both, labelled
    from changzhu.parameters import load_scenario
    from changzhu.planning.facilities import default_scope, replacement_summary
    from changzhu.planning.flags import mega_towns, service_flags
    from changzhu.planning.gaps import CENSUS_NOTE, SCENARIO_NOTE, compute_gaps, gaps_side_by_side
    from changzhu.planning.migration import migration_balance
    from changzhu.planning.population import with_population
    from changzhu.planning.projection import ProjectionAssumptions, growth_summary, project
    from changzhu.planning.siting import county_rows, listed_schools, plan_sites, result_rows
    from changzhu.planning.standards import load_standards, unit_costs_cited
    from changzhu.report.plan_tables import SHORTAGE_SERVICES
    from changzhu.report.planning import planning_section
    from changzhu.report.render import render_report
    from changzhu.report.sections import write_section
    from changzhu.rules.catalog import policies_in_use

    folder = out / "planning"
    folder.mkdir(parents=True, exist_ok=True)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(pick("规划", "planning", lang), total=7)
        reform = load_scenario(scenario) if scenario else None
        if reform is not None:
            policies_in_use().check_scenario(reform)
        std = load_standards(local=standards, scenario=reform)
        assumptions = ProjectionAssumptions.from_tree(reform)
        scope = None if facilities is None else facility_scope or default_scope(facilities)
        census = None if population is None else with_population(population)
        gaps_at = partial(
            compute_gaps,
            as_of=as_of,
            standards=std,
            supply=supply,
            facility_scope=scope,
            scenario=reform,
            census=census,
            population_note=CENSUS_NOTE if population is None else SCENARIO_NOTE,
        )
        gaps = gaps_at("province", facilities=facilities)
        side = gaps_side_by_side(gaps)
        _write(folder, "gaps_province", gaps)
        _write(folder, "gaps_province_side_by_side", side)
        progress.advance(task)
        _write(folder, "gaps_county", gaps_at("county", facilities=facilities))
        replaced = (
            None if facilities is None or scope is None else replacement_summary(facilities, scope, gaps_at(scope))
        )
        progress.advance(task)
        balance = migration_balance("province", model=assumptions.gravity)
        _write(folder, "migration_balance_province", balance)
        _write(folder, "service_flags", service_flags(gaps, balance))
        towns = mega_towns()
        _write(folder, "mega_towns", towns)
        progress.advance(task)
        projection = project("province", years, assumptions)
        growth = growth_summary(projection)
        growth_pref = growth_summary(project("prefecture", years, assumptions))
        _write(folder, "projection_province", labelled(projection, PROJECTION))
        _write(folder, "growth_province", labelled(growth, PROJECTION))
        _write(folder, "growth_prefecture", labelled(growth_pref, PROJECTION))
        progress.advance(task)
        beds = gaps.filter(
            (pl.col("region_code") == siting_province)
            & (pl.col("service") == "hospital_beds")
            & (pl.col("basis") == "resident")
        )
        sites = plan_sites(
            siting_province,
            float(beds["gap"].sum()),
            float(beds["supply"].sum()),
            p=p,
            scenario=reform,
            facilities=facilities,
            facility_scope=scope,
        )
        _write(folder, "sites", labelled(county_rows(sites), in_both(sites.access_estimate())))
        _write(folder, "location_results", result_rows(sites))
        plans = [sites]
        for school in listed_schools(facilities, siting_province):  # a school list: where to build schools too
            places = gaps.filter(
                (pl.col("region_code") == siting_province)
                & (pl.col("service") == school)
                & (pl.col("basis") == "resident")
            )
            schools = plan_sites(
                siting_province,
                float(places["gap"].sum()),
                float(places["supply"].sum()),
                service=school,
                group=std[school].group,
                p=p,
                scenario=reform,
                facilities=facilities,
                facility_scope=scope,
            )
            _write(folder, f"sites_{school}", labelled(county_rows(schools), in_both(schools.access_estimate())))
            _write(folder, f"location_results_{school}", result_rows(schools))
            plans.append(schools)
        progress.advance(task)
        if monitor:
            from changzhu.planning.monitoring import capacity_alerts, monthly_flows
            from changzhu.registry.frames import moves_frame
            from changzhu.store.db import make_engine

            flows = monthly_flows(moves_frame(make_engine()), "province")
            _write(folder, "monthly_flows", flows)
            _write(folder, "capacity_alerts", capacity_alerts(flows, gaps))
        progress.advance(task)
        write_section(
            out,
            planning_section(
                gaps,
                side,
                growth,
                growth_pref,
                towns,
                plans,
                siting_province,
                province_geojson(),
                lang,
                replaced,
                reform,
            ),
        )
        report = render_report(out, lang=lang)
        progress.advance(task)
    costs = unit_costs_cited(std, as_of, SHORTAGE_SERVICES)
    return PlanningRun(folder, report, side, result_rows(sites), replaced, sites, costs)
