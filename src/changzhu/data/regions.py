"""One table of all regions (province, prefecture, county) with parents, size classes and agglomerations."""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path

import polars as pl

from changzhu.data.census import FILES_DIR, POPULATION_COLUMNS, Census2020
from changzhu.data.classification import classify_prefectures, read_agglomerations
from changzhu.domain.regions import RegionLevel

REGION_COLUMNS = (
    "level",
    "code",
    "name_zh",
    "name_en",
    "parent_code",
    "division_type",
    "city_size_class",
    "city_size_basis",
    "urban_area_pop_proxy",
    "agglomerations",
    "lon",
    "lat",
    "current",
)


def _provinces(census: Census2020) -> pl.DataFrame:
    return census.provinces.select(
        pl.lit(RegionLevel.PROVINCE.value).alias("level"),
        "code",
        "name_zh",
        "name_en",
        pl.lit(None, dtype=pl.String).alias("parent_code"),
        pl.lit("province").alias("division_type"),
        pl.col("centroid_lon").alias("lon"),
        pl.col("centroid_lat").alias("lat"),
        pl.lit(True).alias("current"),
    )


def _prefectures(census: Census2020, files_dir: Path) -> pl.DataFrame:
    sizes = classify_prefectures(census.prefectures, census.counties, files_dir)
    members = (
        read_agglomerations(census.prefectures, files_dir)
        .group_by("region_code")
        .agg(pl.col("agglomeration_id").sort().str.join(",").alias("agglomerations"))
    )
    return (
        census.prefectures.select(
            pl.lit(RegionLevel.PREFECTURE.value).alias("level"),
            "code",
            "name_zh",
            pl.col("province_code").alias("parent_code"),
            "division_type",
            pl.coalesce("seat_lon", "centroid_lon").alias("lon"),
            pl.coalesce("seat_lat", "centroid_lat").alias("lat"),
            pl.col("in_nbs_codes_2023").alias("current"),
        )
        .join(region_names_en(RegionLevel.PREFECTURE, files_dir), on="code", how="left")
        .join(sizes, on="code", how="left")
        .join(members, left_on="code", right_on="region_code", how="left")
    )


def region_names_en(level: RegionLevel, files_dir: Path = FILES_DIR) -> pl.DataFrame:
    """code, name_en of every prefecture-level or county-level region: place-name pinyin with the type in English,
    or the customary English form of a name from a minority language (region_names_en.csv, made by
    tools/region_names_en.py)."""
    names = pl.read_csv(files_dir / "region_names_en.csv", schema_overrides={"code": pl.String})
    return names.filter(pl.col("level") == level.value).select("code", "name_en")


def _counties(census: Census2020, files_dir: Path) -> pl.DataFrame:
    return (
        census.counties.filter(pl.col("code").is_not_null())
        .select(
            pl.lit(RegionLevel.COUNTY.value).alias("level"),
            "code",
            "name_zh",
            pl.coalesce("prefecture_code", "province_code").alias("parent_code"),
            pl.lit("county").alias("division_type"),
            pl.col("seat_lon").alias("lon"),
            pl.col("seat_lat").alias("lat"),
            pl.col("in_nbs_codes_2023").alias("current"),
        )
        .join(region_names_en(RegionLevel.COUNTY, files_dir), on="code", how="left")
    )


def build_region_table(census: Census2020, files_dir: Path = FILES_DIR) -> pl.DataFrame:
    """Every region with the columns in REGION_COLUMNS (county parents are prefectures)."""
    frames = [_provinces(census), _prefectures(census, files_dir), _counties(census, files_dir)]
    return pl.concat(frames, how="diagonal_relaxed").select(REGION_COLUMNS)


def build_population_table(census: Census2020) -> pl.DataFrame:
    """Census 2020 figures per region (level, code), without the year suffix in the column names.

    County rows without a code (7 development zones) and without census figures (24 units created after
    2020) are left out; their residents are in their prefecture's and province's figures.
    """
    renamed = {name: name.removesuffix("_2020") for name in POPULATION_COLUMNS}
    province_extra = census.provinces.select(
        "code",
        pl.col("hukou_elsewhere_same_county_2020").alias("hukou_elsewhere_same_county"),
        pl.col("hukou_elsewhere_other_county_same_prov_2020").alias("hukou_elsewhere_other_county_same_prov"),
    )
    provinces = (
        census.provinces.select(pl.lit(RegionLevel.PROVINCE.value).alias("level"), "code", *POPULATION_COLUMNS)
        .rename(renamed)
        .join(province_extra, on="code")
    )
    prefectures = census.prefectures.select(
        pl.lit(RegionLevel.PREFECTURE.value).alias("level"), "code", *POPULATION_COLUMNS
    ).rename(renamed)
    counties = (
        census.counties.filter(pl.col("code").is_not_null() & pl.col("in_census_2020"))
        .select(pl.lit(RegionLevel.COUNTY.value).alias("level"), "code", *POPULATION_COLUMNS)
        .rename(renamed)
    )
    return pl.concat([provinces, prefectures, counties], how="diagonal_relaxed").with_columns(
        pl.lit(2020, dtype=pl.Int32).alias("year")
    )


_building = threading.Lock()


def region_table() -> pl.DataFrame:
    """The shipped regions, built once per process (a thread asking while another builds them waits for it)."""
    with _building:
        return _shipped_regions()


@cache
def _shipped_regions() -> pl.DataFrame:
    from changzhu.data.census import census_2020

    return build_region_table(census_2020())
