"""The shipped census loads, matches the totals the census states, and damaged files fail clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from changzhu.data.census import (
    FILES_DIR,
    PROVINCES_RESIDENT_TOTAL_2020,
    Census2020,
    census_2020,
    read_provinces,
)
from changzhu.data.errors import DataFileError
from changzhu.data.geo import read_province_geojson


@pytest.fixture
def files_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data files."""
    target = tmp_path / "files"
    shutil.copytree(FILES_DIR, target)
    return target


def _edit_line(path: Path, line_no: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line_no - 1]
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def test_provinces_sum_to_census_total_without_military() -> None:
    census = census_2020()
    assert census.provinces.height == 31
    assert int(census.provinces["pop_resident_2020"].sum()) == 1_409_778_724 == PROVINCES_RESIDENT_TOTAL_2020
    assert PROVINCES_RESIDENT_TOTAL_2020 + 2_000_000 == 1_411_778_724


def test_migration_and_age_totals_match_communiques() -> None:
    provinces = census_2020().provinces
    assert int(provinces["renhu_fenli_2020"].sum()) == 492_762_506
    assert int(provinces["interprov_in_migrants_2020"].sum()) == 124_837_153
    assert int(provinces["pop_age_0_14_2020"].sum()) == 253_383_938
    assert int(provinces["pop_age_65plus_2020"].sum()) == 190_635_280


def test_prefectures_and_counties_sum_to_each_province() -> None:
    census = census_2020()
    for child in (census.prefectures, census.counties.filter(pl.col("in_census_2020"))):
        sums = child.group_by("province_code").agg(pl.col("pop_resident_2020").sum())
        joined = census.provinces.join(sums, left_on="code", right_on="province_code", suffix="_child")
        assert (joined["pop_resident_2020"] == joined["pop_resident_2020_child"]).all()
    assert census.prefectures.height == 367


def test_every_county_has_a_parent_prefecture_or_is_province_administered() -> None:
    counties = census_2020().counties
    orphans = counties.filter(pl.col("prefecture_code").is_null())
    assert orphans["city_code"].str.ends_with("9000").all()
    chongqing_county = counties.filter(pl.col("code") == "500229")  # 城口县, under 500200 县
    assert chongqing_county["prefecture_code"].to_list() == ["500100"]


def test_changed_figure_breaks_the_total(files_copy: Path) -> None:
    _edit_line(files_copy / "china_provinces.csv", 2, "21893095", "21893096")
    with pytest.raises(DataFileError, match="urban \\+ rural|sum to"):
        read_provinces(files_copy)


def test_non_numeric_cell_names_line_and_column(files_copy: Path) -> None:
    _edit_line(files_copy / "china_provinces.csv", 3, "13866009", "13866OO9")
    with pytest.raises(DataFileError) as info:
        read_provinces(files_copy)
    assert info.value.line == 3
    assert info.value.column == "pop_resident_2020"
    assert "china_provinces.csv line 3 column 'pop_resident_2020'" in str(info.value)


def test_malformed_code_is_rejected(files_copy: Path) -> None:
    _edit_line(files_copy / "china_provinces.csv", 2, "110000,", "11000,")
    with pytest.raises(DataFileError, match="six-digit"):
        read_provinces(files_copy)


def test_missing_column_and_missing_file(files_copy: Path) -> None:
    path = files_copy / "china_prefectures.csv"
    text = path.read_text(encoding="utf-8").replace("division_type,", "kind,", 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match="missing column\\(s\\) division_type"):
        Census2020(files_copy)
    (files_copy / "china_counties.csv").unlink()
    path.write_text(text.replace("kind,", "division_type,", 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="china_counties.csv: file not found"):
        Census2020(files_copy)


def test_county_with_unknown_parent_is_rejected(files_copy: Path) -> None:
    path = files_copy / "china_counties.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace(",110100,", ",119900,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataFileError, match="parent prefecture 119900 does not exist"):
        Census2020(files_copy)


def test_truncated_file_fails(files_copy: Path) -> None:
    path = files_copy / "china_provinces.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    with pytest.raises(DataFileError, match="expected 31 provinces, found 30"):
        read_provinces(files_copy)


def test_geojson_covers_every_province_and_damage_is_caught(files_copy: Path) -> None:
    codes = set(census_2020().provinces["code"].to_list())
    collection = read_province_geojson(FILES_DIR, codes)
    assert len(collection["features"]) == 34
    (files_copy / "boundaries" / "province.geojson").write_text('{"type": "FeatureCollection", "features": [', "utf-8")
    with pytest.raises(DataFileError, match="not valid GeoJSON"):
        read_province_geojson(files_copy, codes)


def _line_of_code(path: Path, code: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(f"{code},"))


def test_a_seat_supplement_point_is_converted_and_refused_when_wrong(files_copy: Path) -> None:
    path = files_copy / "county_seats_supplement.csv"
    line = _line_of_code(path, "440309")
    shipped = Census2020(files_copy).counties.filter(pl.col("code") == "440309").row(0, named=True)
    assert shipped["seat_verified"] is False and shipped["seat_lon"] == pytest.approx(114.0162417)
    _edit_line(path, line, ",wgs84,", ",gcj02,")  # the same numbers read as GCJ-02 are stored as WGS-84
    converted = Census2020(files_copy).counties.filter(pl.col("code") == "440309").row(0, named=True)
    assert 0.001 < shipped["seat_lon"] - converted["seat_lon"] < 0.01  # about 500 m west
    _edit_line(path, line, ",gcj02,", ",utm,")
    with pytest.raises(DataFileError, match="unknown coordinate system"):
        Census2020(files_copy)
    _edit_line(path, line, ",utm,", ",wgs84,")
    _edit_line(path, line, "440309,", "440305,")  # 南山区 has a seat in the seat source already
    with pytest.raises(DataFileError, match="440305 already has a seat"):
        Census2020(files_copy)


def test_a_seat_source_point_for_a_former_code_is_used_as_given_and_must_name_its_change(files_copy: Path) -> None:
    path = files_copy / "county_seats_supplement.csv"
    zhangqiu = Census2020(files_copy).counties.filter(pl.col("code") == "370114").row(0, named=True)
    # 章丘区 at S4's seat of 370181 章丘市, not converted (S4's datum is unstated; its seats are used as given)
    assert (zhangqiu["seat_lon"], zhangqiu["seat_lat"]) == (117.526228, 36.681258)
    assert zhangqiu["seat_verified"] is True
    line = _line_of_code(path, "370114")
    _edit_line(path, line, ",370181,章丘市,", ",,章丘市,")  # the former code left out
    with pytest.raises(DataFileError, match="must name that code and the change") as caught:
        Census2020(files_copy)
    assert "former_code" in str(caught.value)
