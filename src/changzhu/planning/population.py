"""Population by basis (口径) and age group for planning: resident (常住) and the hukou-bound basis.

The shipped census has no 户籍 figures. The basis the hukou-bound system serves on the spot is the local-hukou
resident (本地户籍常住人口): resident minus those whose hukou is in another province (inter-provincial in-migrants).
At prefecture and county level the same subtraction leaves in those whose hukou is in another prefecture or county
of the same province, so it is an upper bound there. It is reported under basis ``registered`` and labelled an
estimate; age groups are scaled in proportion (migrants' own age profile is not in the shipped data).
"""

from __future__ import annotations

import polars as pl

from changzhu.data.census import Census2020, census_2020
from changzhu.domain.regions import RegionLevel

BASES = ("registered", "resident")
SCHOOL_AGE_SHARES = {"age_6_11": 0.6, "age_12_14": 0.3}  # of the 5-14 band, assuming single years are even
REGISTERED_BASIS_NOTE = "estimate: local-hukou residents = resident − inter-provincial in-migrants (2020 census)"


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


def group_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Resident population per planning age group from the census age columns (missing cells count as 0)."""
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
        (band_5_14 * SCHOOL_AGE_SHARES["age_6_11"]).alias("age_6_11"),
        (band_5_14 * SCHOOL_AGE_SHARES["age_12_14"]).alias("age_12_14"),
        (total - young - old).clip(lower_bound=0).alias("age_15_64"),
        old.alias("age_65plus"),
        (1.0 - pl.col("interprov_in_migrants_2020").fill_null(0) / pl.col("pop_resident_2020")).alias("local_share"),
    )


def population_by_basis(level: str = "province", census: Census2020 | None = None) -> pl.DataFrame:
    """Long table: region_code, region_name_zh, province_code, basis, group, population (both bases)."""
    wide = group_columns(census_table(level, census))
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
                pl.lit("resident").alias("basis"),
                "group",
                pl.col("resident_population").alias("population"),
            ),
            long.select(
                "region_code",
                "region_name_zh",
                "province_code",
                pl.lit("registered").alias("basis"),
                "group",
                (pl.col("resident_population") * pl.col("local_share")).alias("population"),
            ),
        ]
    )
