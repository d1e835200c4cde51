"""Siting places every county-level unit with a seat point, and names (never drops silently) the units without one:
Shenzhen's 龙华, 坪山 and 光明 (districts created after the seat source) now have cited points and are demand; a
unit without any point is reported with its residents and the reason."""

from __future__ import annotations

import re

import polars as pl
import pytest

from changzhu.api.siting_runs import summary_of
from changzhu.data.census import census_2020, read_seat_supplement
from changzhu.data.geo import km_outside
from changzhu.planning.siting import NO_SEAT, ZONE_WITHOUT_SEAT, county_rows, left_out_units, plan_sites
from changzhu.report.lang import Lang
from changzhu.report.siting import left_out_note

NEW_DISTRICTS = {"440309": 2_528_872, "440310": 551_333, "440311": 1_095_289}  # 龙华, 坪山, 光明 (census 2020)


@pytest.fixture(scope="module")
def shenzhen():
    return plan_sites("440300", 10_000.0, 50_000.0, p=2, time_limit=20)


def test_shenzhen_siting_counts_the_new_districts_residents(shenzhen) -> None:
    points = shenzhen.points
    assert set(NEW_DISTRICTS) <= set(points["region_code"].to_list())
    weights = dict(zip(points["region_code"].to_list(), points["weight"].to_list(), strict=True))
    assert {code: weights[code] for code in NEW_DISTRICTS} == NEW_DISTRICTS
    city = census_2020().prefectures.filter(pl.col("code") == "440300")["pop_resident_2020"][0]
    assert points["weight"].sum() == city  # all of Shenzhen's residents are demand
    assert shenzhen.left_out is not None and shenzhen.left_out.is_empty()
    assert shenzhen.left_out_summary()["units"] == 0
    added = points.filter(pl.col("region_code").is_in(list(NEW_DISTRICTS)))
    assert added["seat_verified"].to_list() == [False, False, False]  # district points, not verified seats


def test_supplement_points_are_cited_and_inside_their_district() -> None:
    supplement = read_seat_supplement()
    assert set(NEW_DISTRICTS) <= set(supplement["code"].to_list())
    for row in supplement.filter(pl.col("code").is_in(list(NEW_DISTRICTS))).iter_rows(named=True):
        assert row["coordinate_source"].startswith("http")
        assert row["coordinate_system"] == "wgs84"
        outside = km_outside(row["code"], row["lon"], row["lat"])
        assert outside is not None and outside < 3.0, row  # the boundaries are simplified to about 1 km


def test_a_unit_without_a_seat_is_reported_with_its_residents() -> None:
    units = census_2020().counties.filter(pl.col("prefecture_code") == "230700")  # 伊春: 5 units without a seat
    census_units = units.filter(pl.col("in_census_2020") & pl.col("code_2020").is_not_null()).with_columns(
        pl.col("code_2020").alias("code"), pl.col("name_zh_2020").alias("name_zh")
    )
    left = left_out_units("230700", census_units)
    assert "230718" in left["region_code"].to_list()  # 乌翠区 (伊美区 has a cited point since 2026-12)
    assert left["reason"].unique().to_list() == [NO_SEAT]
    assert left["residents"].min() > 0
    assert left["residents"].sum() == census_units.filter(pl.col("seat_lon").is_null())["pop_resident_2020"].sum()


def test_a_run_names_the_left_out_units_in_its_summary_and_county_table() -> None:
    plan = plan_sites("230700", 1_000.0, 5_000.0, p=1, time_limit=20)  # 伊春
    summary = summary_of(plan, 1_000.0, 5_000.0, True)["left_out"]
    assert summary["units"] == plan.left_out.height > 0
    assert summary["residents"] == plan.left_out["residents"].sum() > 0
    table = county_rows(plan)
    left = table.filter(~pl.col("in_plan"))
    assert left.height == summary["units"]
    assert left["left_out_reason"].unique().to_list() == [NO_SEAT]
    assert left["nearest_km_before"].is_null().all()  # not computed for them, never 0
    assert table.filter(pl.col("in_plan"))["left_out_reason"].is_null().all()


def test_the_report_says_who_is_left_out_in_both_languages() -> None:
    plan = plan_sites("230700", 1_000.0, 5_000.0, p=1, time_limit=20)  # 伊春
    total = f"{int(plan.left_out['residents'].sum()):,}"
    english, chinese = left_out_note(plan, Lang.EN), left_out_note(plan, Lang.ZH)
    assert f"{plan.left_out.height} county-level units with {total} residents" in english
    assert f"{plan.left_out.height} 个县级单位、常住人口 {total} 人" in chinese
    assert not re.search(r"[\u4e00-\u9fff]", english)


def test_the_report_of_shenzhen_leaves_no_one_out(shenzhen) -> None:
    assert left_out_note(shenzhen, Lang.EN) == ""


def test_the_report_says_a_left_out_development_zone_has_no_seat_of_its_own() -> None:
    """石家庄: its two development zones (高新区, 循环化工园区) have no seat of their own; the report says so by
    each, and nothing of the kind by a county unit without a point."""
    plan = plan_sites("130100", 1_000.0, 5_000.0, p=1, time_limit=20)
    assert set(plan.left_out["reason"].to_list()) == {ZONE_WITHOUT_SEAT}
    chinese, english = left_out_note(plan, Lang.ZH), left_out_note(plan, Lang.EN)
    assert chinese.count("开发区等统计单元，没有自己的驻地") == plan.left_out.height >= 2, chinese
    assert english.count("a development zone, no seat of its own") == plan.left_out.height, english
    assert "zone_without_seat" not in chinese + english  # the reason in words, never its code
