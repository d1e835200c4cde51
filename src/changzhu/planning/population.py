"""Population by basis (口径) and age group for planning: resident (常住) and local-hukou resident (本地户籍常住).

The bases are those of changzhu.domain.population. The basis the hukou-bound system serves on the spot is the
local-hukou resident: resident minus those whose hukou is in another province (inter-provincial in-migrants).
At prefecture and county level the same subtraction leaves in those whose hukou is in another prefecture or county
of the same province, so it is an upper bound there (LOCAL_HUKOU_NOTE); age groups are scaled in proportion
(migrants' own age profile is not in the shipped data).
"""

from __future__ import annotations

import copy

import polars as pl

from changzhu.data.census import CENSUS_DAY, Census2020, census_2020
from changzhu.domain.population import LOCAL_HUKOU_NOTE, PopulationBasis
from changzhu.domain.regions import RegionLevel
from changzhu.parameters import Scenario, parameter_tree
from changzhu.planning.errors import PlanningInputError

BASES = (PopulationBasis.LOCAL_HUKOU_RESIDENT.value, PopulationBasis.RESIDENT.value)
# The parameters (tree: planning.school_age.*) giving each school-age group's share of the census 5–14 band.
SCHOOL_AGE_SHARES = {
    "age_6_11": "planning.school_age.primary_share_of_5_14",
    "age_12_14": "planning.school_age.junior_share_of_5_14",
}
LOCAL_HUKOU_BASIS_NOTE = LOCAL_HUKOU_NOTE


def census_table(level: str, census: Census2020 | None = None) -> pl.DataFrame:
    """The census rows of one level (counties: only units in the 2020 tabulation) with a `province_code`."""
    census = census or census_2020()
    match RegionLevel(level):
        case RegionLevel.PROVINCE:
            return census.provinces.with_columns(pl.col("code").alias("province_code"))
        case RegionLevel.PREFECTURE:
            return census.prefectures
        case RegionLevel.COUNTY:
            return census.counties.filter(pl.col("in_census_2020") & pl.col("code_2020").is_not_null()).with_columns(
                pl.col("code_2020").alias("code"), pl.col("name_zh_2020").alias("name_zh")
            )
    raise AssertionError(level)


def school_age_shares(scenario: Scenario | None = None) -> dict[str, float]:
    """Each school-age group's share of the 5–14 band, from the parameter tree (a scenario may override them)."""
    tree = parameter_tree()
    return {group: tree.number(key, CENSUS_DAY, scenario=scenario) for group, key in SCHOOL_AGE_SHARES.items()}


def school_age_cited(scenario: Scenario | None = None) -> tuple[str, str]:
    """The school-age shares by label, value and source, in Chinese and English (a siting note cites them)."""
    return parameter_tree().citation(list(SCHOOL_AGE_SHARES.values()), CENSUS_DAY, scenario=scenario)


def group_columns(frame: pl.DataFrame, scenario: Scenario | None = None) -> pl.DataFrame:
    """Resident population per planning age group from the census age columns (missing cells count as 0)."""
    shares = school_age_shares(scenario)
    total = pl.col("pop_resident_2020").cast(pl.Float64)
    band_5_14 = pl.col("pop_age_5_14_2020").fill_null(0).cast(pl.Float64)
    young = pl.col("pop_age_0_14_2020").fill_null(0).cast(pl.Float64)
    old = pl.col("pop_age_65plus_2020").fill_null(0).cast(pl.Float64)
    return frame.select(
        pl.col("code").alias("region_code"),
        pl.col("name_zh").alias("region_name_zh"),
        "province_code",
        total.alias("all"),
        pl.col("pop_age_0_4_2020").fill_null(0).cast(pl.Float64).alias("age_0_4"),
        band_5_14.alias("age_5_14"),
        (band_5_14 * shares["age_6_11"]).alias("age_6_11"),
        (band_5_14 * shares["age_12_14"]).alias("age_12_14"),
        (total - young - old).clip(lower_bound=0).alias("age_15_64"),
        old.alias("age_65plus"),
        (1.0 - pl.col("interprov_in_migrants_2020").fill_null(0) / pl.col("pop_resident_2020")).alias("local_share"),
    )


def population_by_basis(
    level: str = "province", census: Census2020 | None = None, scenario: Scenario | None = None
) -> pl.DataFrame:
    """Long table: region_code, region_name_zh, province_code, basis, group, population (both bases)."""
    wide = group_columns(census_table(level, census), scenario)
    groups = ["all", "age_0_4", "age_5_14", "age_6_11", "age_12_14", "age_15_64", "age_65plus"]
    long = wide.unpivot(
        index=["region_code", "region_name_zh", "province_code", "local_share"],
        on=groups,
        variable_name="group",
        value_name="resident_population",
    )
    return pl.concat(
        [
            long.select(
                "region_code",
                "region_name_zh",
                "province_code",
                pl.lit(PopulationBasis.RESIDENT.value).alias("basis"),
                "group",
                pl.col("resident_population").alias("population"),
            ),
            long.select(
                "region_code",
                "region_name_zh",
                "province_code",
                pl.lit(PopulationBasis.LOCAL_HUKOU_RESIDENT.value).alias("basis"),
                "group",
                (pl.col("resident_population") * pl.col("local_share")).alias("population"),
            ),
        ]
    )


# A scenario population's columns (tables kind `population`) and the census columns they replace.
SCENARIO_COLUMNS = {
    "pop_resident": "pop_resident_2020",
    "pop_age_0_4": "pop_age_0_4_2020",
    "pop_age_5_14": "pop_age_5_14_2020",
    "pop_age_0_14": "pop_age_0_14_2020",
    "pop_age_65plus": "pop_age_65plus_2020",
    "interprov_in_migrants": "interprov_in_migrants_2020",
}
# Census2020's table of each level, and the column of a finer table naming its region at that level.
_TABLES = {RegionLevel.PROVINCE: "provinces", RegionLevel.PREFECTURE: "prefectures", RegionLevel.COUNTY: "counties"}
_PARENT = {RegionLevel.PROVINCE: "province_code", RegionLevel.PREFECTURE: "prefecture_code"}
_COUNTS = list(SCENARIO_COLUMNS.values())


def population_level(population: pl.DataFrame, census: Census2020 | None = None) -> RegionLevel:
    """The level every region of a scenario population is at (provinces, prefectures or counties of the census)."""
    codes = set(population["region_code"].to_list())
    for level in _TABLES:
        if codes <= set(census_table(level.value, census)["code"].to_list()):
            return level
    raise PlanningInputError(
        "scenario population: give regions of one level (provinces, prefectures or counties of the 2020 census)"
    )


def with_population(population: pl.DataFrame, census: Census2020 | None = None) -> Census2020:
    """The census with a scenario population (tables kind `population`) in place of its regions' counts.

    The rows' own level takes the given counts (a count left empty: the census's share of the resident population
    times the new resident population); finer levels are scaled by their region's ratio new ÷ census; coarser
    levels change by the sum of their regions' differences, so the levels still add up as the census's did."""
    census = census or census_2020()
    level = population_level(population, census)
    base = census_table(level.value, census)
    own = {p: pl.col("code") if of == level else pl.lit(None, pl.String) for of, p in _PARENT.items()}
    base = base.with_columns(v.alias(p) for p, v in own.items() if p not in base.columns)
    old = base.select(pl.col("code").alias("region_code"), *_PARENT.values(), *_COUNTS)
    share = [pl.col(c) / pl.col("pop_resident_2020") * pl.col("pop_resident") for c in _COUNTS]
    new = population.join(old, on="region_code", how="left", suffix="_census").select(
        "region_code",
        *(pl.coalesce(pl.col(g), s).alias(c) for (g, c), s in zip(SCENARIO_COLUMNS.items(), share, strict=True)),
    )
    both = new.join(old, on="region_code", suffix="_old")
    ratio = both.select("region_code", *((pl.col(c) / pl.col(f"{c}_old")).alias(c) for c in _COUNTS))
    delta = both.select(*_PARENT.values(), *((pl.col(c) - pl.col(f"{c}_old")).alias(c) for c in _COUNTS))
    changed = copy.copy(census)
    order = list(_TABLES)
    for other, name in _TABLES.items():
        table = getattr(census, name)
        code = "code_2020" if other == RegionLevel.COUNTY else "code"
        if other == level:
            table = _add(table, code, new.select("region_code", *_COUNTS), replace=True)
        elif order.index(other) > order.index(level):
            table = _scale(table, _PARENT[level] if level != RegionLevel.COUNTY else code, ratio)
        else:
            sums = delta.group_by(_PARENT[other]).agg(pl.col(c).sum() for c in _COUNTS)
            table = _add(table, code, sums.rename({_PARENT[other]: "region_code"}), replace=False)
        setattr(changed, name, table)
    return changed


def _add(table: pl.DataFrame, code: str, counts: pl.DataFrame, *, replace: bool) -> pl.DataFrame:
    """The table with `counts` (by region_code) in place of its counts (replace) or added to them."""
    joined = table.join(counts, left_on=code, right_on="region_code", how="left", suffix="_new")
    value = [pl.col(f"{c}_new") if replace else pl.col(c) + pl.col(f"{c}_new") for c in _COUNTS]
    return joined.with_columns(
        pl.coalesce(v.round(0), pl.col(c)).cast(table.schema[c]).alias(c) for c, v in zip(_COUNTS, value, strict=True)
    ).select(table.columns)


def _scale(table: pl.DataFrame, parent: str, ratio: pl.DataFrame) -> pl.DataFrame:
    """A finer level's counts times its region's ratio new ÷ census (1 where the census count is 0)."""
    joined = table.join(ratio, left_on=parent, right_on="region_code", how="left", suffix="_ratio")
    factor = [pl.col(f"{c}_ratio").fill_nan(1.0).fill_null(1.0) for c in _COUNTS]
    return joined.with_columns(
        (pl.col(c) * f).round(0).cast(table.schema[c]).alias(c) for c, f in zip(_COUNTS, factor, strict=True)
    ).select(table.columns)
