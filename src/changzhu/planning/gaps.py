"""Demand and gap per region and service on both bases (口径) side by side, with the cost to close each gap.

demand = population of the standard's group × value / per, on the row's basis (resident 常住 or registered 户籍);
gap = demand − supply (positive: a shortage, negative: idle capacity); gap_cost_yuan = max(gap, 0) × unit cost
(shortages only); idle = max(supply − demand, 0), reported separately and never netted against shortages.
Supply is the NBS 2019 provincial figure; below the province it is an estimate (the province's supply apportioned
by the hukou-bound basis, as the old system allocated it) unless a facility list gives the region's own supply:
`supply_is_estimate` says so on every row, in the API, CSV exports, the report and the office.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl

from changzhu.data.census import CENSUS_DAY, Census2020
from changzhu.data.supply import SUPPLY_YEAR, province_supply_2019
from changzhu.domain.population import PopulationBasis
from changzhu.domain.regions import RegionLevel
from changzhu.parameters import Scenario
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.facilities import LEVELS, SOURCE_FACILITIES, default_scope, merge_facility_supply
from changzhu.planning.population import LOCAL_HUKOU_BASIS_NOTE, population_by_basis
from changzhu.planning.standards import ServiceStandard, load_standards, standards_frame

GAP_COLUMNS = (
    "region_code",
    "region_name_zh",
    "province_code",
    "service",
    "basis",
    "population",
    "demand",
    "supply",
    "gap",
    "idle",
    "unit_cost_yuan",
    "unit_cost_kind",
    "gap_cost_yuan",
    "supply_source",
    "supply_is_estimate",
    "supply_year",
    "standard_value",
    "standard_per",
    "standard_valid_from",
    "standard_source",
    "standard_verified",
    "population_note",
    "demand_is_estimate",
)
SOURCE_NBS = "NBS 分省年度数据 2019"
SOURCE_APPORTIONED = "estimate: 2019 provincial supply apportioned by local-hukou residents"
LOCAL = PopulationBasis.LOCAL_HUKOU_RESIDENT.value
CENSUS_NOTE = "census 2020 resident population (常住人口)"
# an age group (school-age children) on the local-hukou basis: the group's share of residents applied to the
# local-hukou residents, since migrants' own age profile is not in the data (docs/planning.md, population bases)
LOCAL_AGE_GROUP_NOTE = (
    "the age group scaled in proportion (its share of all residents), so this demand is an estimate (估算) at every"
    " level: migrants' own age profile is not in the data"
)
SCENARIO_NOTE = "scenario population (情景人口, changzhu plan --population), not the census"


def _province_supply(standards: Mapping[str, ServiceStandard], supply: pl.DataFrame) -> pl.DataFrame:
    columns = sorted({s.supply_column for s in standards.values()})
    missing = [c for c in columns if c not in supply.columns]
    if missing:
        raise PlanningInputError(f"supply table has no column(s) {', '.join(missing)} named by the standards")
    return supply.select(pl.col("code").alias("province_code"), *[pl.col(c).cast(pl.Float64) for c in columns]).unpivot(
        index="province_code", variable_name="supply_column", value_name="province_supply"
    )


def compute_gaps(
    level: str = "province",
    *,
    as_of: date = CENSUS_DAY,
    standards: Mapping[str, ServiceStandard] | None = None,
    supply: pl.DataFrame | None = None,
    facilities: pl.DataFrame | None = None,
    census: Census2020 | None = None,
    scenario: Scenario | None = None,
    facility_scope: str | None = None,
    population_note: str = CENSUS_NOTE,
) -> pl.DataFrame:
    """Demand, supply, gap and cost to close it per region, service and basis (resident, local-hukou resident).

    A scenario overrides standards and unit costs like any parameter (e.g. planning.standard.hospital_beds).
    A facility list replaces the supply of the regions it covers at its scope (default: the cities it names),
    see planning/facilities.py. population_note names where the resident population comes from (a scenario
    population passed as `census`: say so)."""
    level = RegionLevel(level).value
    standards = standards if standards is not None else load_standards()
    if scenario is not None:
        standards = {name: std.with_scenario(scenario) for name, std in standards.items()}
    pop = population_by_basis(level, census, scenario)
    regions = pop.select("region_code", "region_name_zh", "province_code").unique("region_code")
    std = standards_frame(standards, regions["region_code"].to_list(), as_of)
    rows = std.join(pop, on=["region_code", "group"], how="inner")
    prov = _province_supply(standards, supply if supply is not None else province_supply_2019())
    rows = rows.join(prov, on=["province_code", "supply_column"], how="left")
    if level == RegionLevel.PROVINCE.value:
        rows = rows.with_columns(pl.col("province_supply").alias("supply"), pl.lit(SOURCE_NBS).alias("supply_source"))
    else:
        weight = pl.when(pl.col("basis") == LOCAL).then(pl.col("population")).otherwise(None)
        rows = rows.with_columns(weight.max().over(["region_code", "service"]).alias("_weight"))
        share = pl.col("_weight") / pl.col("_weight").sum().over(["province_code", "service", "basis"])
        rows = rows.with_columns(
            (pl.col("province_supply") * share).alias("supply"), pl.lit(SOURCE_APPORTIONED).alias("supply_source")
        )
    if facilities is not None and facilities.height > 0:
        scope = facility_scope or default_scope(facilities)
        scope_is_finer = LEVELS.index(RegionLevel(scope).value) > LEVELS.index(level)
        estimate = (
            compute_gaps(
                scope,
                as_of=as_of,
                standards=standards,
                supply=supply,
                census=census,
                scenario=scenario,
                population_note=population_note,
            )
            if scope_is_finer
            else rows.head(0)
        )
        rows = merge_facility_supply(rows, facilities, level, scope, estimate)
    demand = pl.col("population") * pl.col("standard_value") / pl.col("standard_per")
    return (
        rows.with_columns(demand.alias("demand"))
        .with_columns((pl.col("demand") - pl.col("supply")).alias("gap"))
        .with_columns(
            (pl.col("gap").clip(lower_bound=0) * pl.col("unit_cost_yuan")).alias("gap_cost_yuan"),
            (-pl.col("gap")).clip(lower_bound=0).alias("idle"),
            # apportioned, or partly so: a province's supply less a listed city's estimate, a city's estimate kept
            # for its counties when the list names only the city
            pl.col("supply_source").str.contains("estimate", literal=True).alias("supply_is_estimate"),
            pl.when(pl.col("supply_source") == SOURCE_FACILITIES)
            .then(None)
            .otherwise(pl.lit(SUPPLY_YEAR))
            .cast(pl.Int64)
            .alias("supply_year"),
            # the local-hukou basis is exact only for a province's whole population (population_note says why)
            (
                (pl.col("basis") == LOCAL) & ((pl.col("group") != "all") | pl.lit(level != RegionLevel.PROVINCE.value))
            ).alias("demand_is_estimate"),
            pl.when((pl.col("basis") == LOCAL) & (pl.col("group") != "all"))
            .then(pl.lit(f"{LOCAL_HUKOU_BASIS_NOTE}; {LOCAL_AGE_GROUP_NOTE}"))
            .when(pl.col("basis") == LOCAL)
            .then(pl.lit(LOCAL_HUKOU_BASIS_NOTE))
            .otherwise(pl.lit(population_note))
            .alias("population_note"),
        )
        .select(GAP_COLUMNS)
        .sort("region_code", "service", "basis")
    )


def gaps_side_by_side(gaps: pl.DataFrame) -> pl.DataFrame:
    """One row per region and service with both bases' demand, gap and cost next to each other."""
    keys = ["region_code", "region_name_zh", "service", "supply"]
    wide = gaps.pivot(on="basis", index=keys, values=["demand", "gap", "gap_cost_yuan"])
    return wide.with_columns((pl.col("gap_resident") - pl.col(f"gap_{LOCAL}")).alias("gap_hidden_by_hukou_basis")).sort(
        "service", "gap_hidden_by_hukou_basis", descending=[False, True]
    )
