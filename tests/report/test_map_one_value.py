"""A map whose regions all have one value (伊春's siting map: its two sited counties both at 0.0 beds per 1,000
before): no colour scale running from 0.0 to 0.0, but a legend saying the value and that every region has it, in
Chinese and in English."""

from __future__ import annotations

import dataclasses
import re

import polars as pl
import pytest

from changzhu.data.geo import province_geojson
from changzhu.planning.siting import plan_sites
from changzhu.report.lang import Lang
from changzhu.report.maps import province_choropleth
from changzhu.report.siting import sites_map

CJK = re.compile(r"[\u4e00-\u9fff]")
SAID = {Lang.ZH: "各地区相同：均为 0.0", Lang.EN: "The same in every region: 0.0"}


@pytest.fixture(scope="module")
def yichun():
    """伊春's plan kept to its sited counties at 0.0 beds per 1,000 (seats2 sites 友好区 too, at 92.1)."""
    plan = plan_sites("230700", 1_000.0, 5_000.0, p=1, time_limit=20)
    return dataclasses.replace(plan, points=plan.points.filter(pl.col("access_before_per_1000") == 0.0))


def _scales(figure) -> list[bool]:
    """Whether each coloured trace shows its colour scale (plotly shows it unless told not to)."""
    coloured = [t for t in figure.data if getattr(t, "marker", None) is not None and t.marker.colorscale is not None]
    return [t.marker.showscale is not False for t in coloured]


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_the_siting_map_of_a_city_at_one_value_says_the_value(yichun, lang: Lang) -> None:
    before = yichun.points["access_before_per_1000"].to_list()
    assert len(before) > 1 and len(set(before)) == 1  # the case: every sited county at one value
    figure = sites_map(yichun, "230000", province_geojson(), lang)
    assert not any(_scales(figure)), "a colour scale from 0.0 to 0.0"
    notes = [a.text for a in figure.layout.annotations]
    assert any(SAID[lang] in n for n in notes), notes
    if lang == Lang.EN:
        assert not [n for n in notes if CJK.search(n)], notes


def test_a_siting_map_whose_counties_differ_keeps_its_scale() -> None:
    guangdong = plan_sites("440000", 10_000.0, 30_000.0, p=3, time_limit=20)
    assert len(set(guangdong.points["access_before_per_1000"].to_list())) > 1
    figure = sites_map(guangdong, "440000", province_geojson(), Lang.ZH)
    assert any(_scales(figure)) and not [a for a in figure.layout.annotations if "各地区相同" in (a.text or "")]


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_a_province_map_at_one_value_says_the_value(lang: Lang) -> None:
    values = {f["properties"]["code"]: 0.0 for f in province_geojson()["features"]}
    figure = province_choropleth(values, province_geojson(), title="t", colorbar_title="unit", lang=lang)
    assert not any(_scales(figure))
    assert any(SAID[lang].replace("0.0", "0.00") in (a.text or "") for a in figure.layout.annotations)


@pytest.mark.parametrize("lang", [Lang.ZH, Lang.EN])
def test_a_map_at_one_value_with_regions_without_data_says_so(lang: Lang) -> None:
    """Regions without a value are drawn as "no data": the one value is that of every region with data, not of every
    region (they said "各地区相同：均为 0.00", the regions with no data counted as having it)."""
    codes = [f["properties"]["code"] for f in province_geojson()["features"]]
    values: dict[str, float | None] = {code: 0.0 for code in codes}
    values[codes[0]], values[codes[1]] = None, float("nan")
    figure = province_choropleth(values, province_geojson(), title="t", colorbar_title="unit", lang=lang)
    notes = [a.text or "" for a in figure.layout.annotations]
    said = {Lang.ZH: "有数据的地区相同：均为 0.00", Lang.EN: "The same in every region with data: 0.00"}[lang]
    assert any(said in n for n in notes), notes
    assert not any(SAID[lang].replace("0.0", "0.00") in n for n in notes), notes
