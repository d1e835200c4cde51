"""Region codes, levels, city size classes and agglomeration membership."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from changzhu.data.census import FILES_DIR, census_2020
from changzhu.data.classification import classify_prefectures, read_agglomerations, read_size_standard
from changzhu.data.errors import DataFileError
from changzhu.data.regions import region_table
from changzhu.domain.regions import (
    CitySizeClass,
    InvalidRegionCode,
    classify_city_size,
    province_code_of,
    validate_code,
)


@pytest.mark.parametrize(
    ("urban", "expected"),
    [
        (0, CitySizeClass.SMALL),
        (499_999, CitySizeClass.SMALL),
        (500_000, CitySizeClass.MEDIUM),
        (1_000_000, CitySizeClass.LARGE_II),
        (2_999_999, CitySizeClass.LARGE_II),
        (3_000_000, CitySizeClass.LARGE_I),
        (5_000_000, CitySizeClass.MEGA),
        (9_999_999, CitySizeClass.MEGA),
        (10_000_000, CitySizeClass.SUPER),
    ],
)
def test_size_class_bands_of_the_2014_standard(urban: int, expected: CitySizeClass) -> None:
    assert classify_city_size(urban, read_size_standard()) == expected


def test_code_validation() -> None:
    assert validate_code("310100") == "310100"
    assert province_code_of("320505") == "320000"
    for bad in ("31010", "3101000", "abcdef", "910000", ""):
        with pytest.raises(InvalidRegionCode):
            validate_code(bad)


def test_official_super_and_mega_cities_and_proxy_below() -> None:
    census = census_2020()
    sizes = classify_prefectures(census.prefectures, census.counties)
    by_code = dict(zip(sizes["code"].to_list(), sizes["city_size_class"].to_list(), strict=True))
    assert by_code["310100"] == "super" and by_code["440300"] == "super"
    assert by_code["441900"] == "mega"  # Dongguan, a city without districts
    assert (sizes["city_size_class"] == "super").sum() == 7
    assert (sizes["city_size_class"] == "mega").sum() == 14
    # Suzhou's district urban population exceeds 5 million but it is not on the official list: capped.
    suzhou = sizes.filter(pl.col("code") == "320500").row(0, named=True)
    assert suzhou["urban_area_pop_proxy"] > 5_000_000
    assert suzhou["city_size_class"] == "large_i"
    assert suzhou["city_size_basis"] == "district_urban_population_proxy"


def test_region_table_hierarchy() -> None:
    regions = region_table()
    counts = dict(regions.group_by("level").len().iter_rows())
    assert counts == {"province": 31, "prefecture": 367, "county": 3006}
    prefectures = regions.filter(pl.col("level") == "prefecture")
    provinces = set(regions.filter(pl.col("level") == "province")["code"].to_list())
    assert set(prefectures["parent_code"].to_list()) <= provinces


def test_agglomerations_cover_the_five_main_ones() -> None:
    members = read_agglomerations(census_2020().prefectures)
    counts = dict(members.group_by("agglomeration_id").len().iter_rows())
    assert counts["yrd"] == 41 and counts["gba"] == 9 and counts["jjj"] == 13
    assert {"cy", "myr"} <= set(counts)
    yrd_core = members.filter((pl.col("agglomeration_id") == "yrd") & (pl.col("membership") == "core"))
    assert yrd_core.height == 27
    assert "320500" in yrd_core["region_code"].to_list()


def test_agglomeration_file_with_wrong_name_is_rejected(tmp_path: Path) -> None:
    files = tmp_path / "files"
    shutil.copytree(FILES_DIR, files)
    path = files / "agglomerations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("天津市", "天津", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="region 120100 is 天津市, not 天津"):
        read_agglomerations(census_2020().prefectures, files)
