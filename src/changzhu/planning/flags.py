"""Flags for planners: under-served inflow regions, idle capacity in outflow regions, and "mega-towns".

- under-served inflow: a region with a net inflow (in-migrants above the estimated out-migrants) whose
  resident-basis gap is a shortage.
- idle capacity in an outflow region: net outflow and supply above resident-basis demand.
- mega-town (超大镇, seed 003: "a town's resources, a city's population"): a county-level unit that is not a city
  district (县, 县级市, 旗, or a prefecture-level city governing towns directly such as 东莞/中山) with at least
  MEGA_TOWN_MIN_POPULATION residents, of whom at least MEGA_TOWN_MIN_RENHU_SHARE live away from their hukou
  township (人户分离). Its staffing follows the administrative level and the hukou population, its load the
  resident population; `load_ratio` is resident ÷ the median resident population of its kind of unit.
"""

from __future__ import annotations

import polars as pl

from changzhu.data.census import CENSUS_DAY, Census2020
from changzhu.domain import population as pop
from changzhu.domain.estimates import ESTIMATE_COLUMN
from changzhu.parameters import Scenario, parameter_tree
from changzhu.planning.population import census_table

MEGA_TOWN_MIN_POPULATION = "planning.mega_town.min_population"  # parameters of the tree
MEGA_TOWN_MIN_RENHU_SHARE = "planning.mega_town.min_renhu_share"


def service_flags(gaps: pl.DataFrame, balance: pl.DataFrame) -> pl.DataFrame:
    """Resident-basis gaps per region and service with the two flags (`balance` from migration_balance)."""
    resident = gaps.filter(pl.col("basis") == "resident").select(
        "region_code", "region_name_zh", "service", "demand", "supply", "gap"
    )
    flows = balance.select(
        "region_code",
        pl.col(pop.IN_MIGRANTS).alias("in_migrants"),
        pop.OUT_MIGRANTS_EST,
        "net_migrants_est",
        ESTIMATE_COLUMN,
    )
    return (
        resident.join(flows, on="region_code", how="inner")
        .with_columns(
            ((pl.col("net_migrants_est") > 0) & (pl.col("gap") > 0)).alias("under_served_inflow"),
            ((pl.col("net_migrants_est") < 0) & (pl.col("gap") < 0)).alias("idle_capacity_outflow"),
            (-pl.col("gap")).clip(lower_bound=0).alias("idle_units"),
        )
        .sort("service", "gap", descending=[False, True])
    )


def _kind(name: pl.Expr, code: pl.Expr, prefecture_code: pl.Expr) -> pl.Expr:
    return (
        pl.when(code == prefecture_code)
        .then(pl.lit("prefecture_city_without_counties"))
        .when(name.str.ends_with("区"))
        .then(pl.lit("district"))
        .when(name.str.ends_with("市"))
        .then(pl.lit("county_level_city"))
        .otherwise(pl.lit("county"))
    )


def mega_towns(
    census: Census2020 | None = None,
    *,
    min_population: float | None = None,
    min_renhu_share: float | None = None,
    scenario: Scenario | None = None,
) -> pl.DataFrame:
    """County-level units flagged as mega-towns, with their load ratio and migrant shares (largest first).

    The thresholds default to the parameter tree's (a scenario may override them).
    """
    tree = parameter_tree()
    if min_population is None:
        min_population = tree.number(MEGA_TOWN_MIN_POPULATION, CENSUS_DAY, scenario=scenario)
    if min_renhu_share is None:
        min_renhu_share = tree.number(MEGA_TOWN_MIN_RENHU_SHARE, CENSUS_DAY, scenario=scenario)
    counties = census_table("county", census).filter(pl.col("pop_resident_2020").is_not_null())
    frame = counties.with_columns(
        _kind(pl.col("name_zh"), pl.col("code"), pl.col("prefecture_code").fill_null("")).alias("unit_kind"),
        (pl.col("renhu_fenli_2020").fill_null(0) / pl.col("pop_resident_2020")).alias("renhu_fenli_share"),
        (pl.col("interprov_in_migrants_2020").fill_null(0) / pl.col("pop_resident_2020")).alias("interprov_share"),
    ).with_columns(
        (pl.col("pop_resident_2020") / pl.col("pop_resident_2020").median().over("unit_kind")).alias("load_ratio")
    )
    flagged = frame.filter(
        (pl.col("unit_kind") != "district")
        & (pl.col("pop_resident_2020") >= min_population)
        & (pl.col("renhu_fenli_share") >= min_renhu_share)
    )
    return flagged.select(
        pl.col("code").alias("region_code"),
        pl.col("name_zh").alias("region_name_zh"),
        "city_name_zh",
        "province_name_zh",
        "unit_kind",
        "pop_resident_2020",
        "renhu_fenli_share",
        "interprov_share",
        "load_ratio",
    ).sort("pop_resident_2020", descending=True)
