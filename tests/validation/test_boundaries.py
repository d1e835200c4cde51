"""The shipped map geometry covers the complete territory: Taiwan, Hong Kong, Macao and the 南海诸岛."""

from __future__ import annotations

from changzhu.data.census import census_2020
from changzhu.data.geo import boundaries, inset_geojson, maritime_line, read_boundaries


def _points(geometry: dict) -> list[tuple[float, float]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    return [(lon, lat) for polygon in polygons for ring in polygon for lon, lat in ring]


def test_province_geometry_includes_taiwan_hong_kong_macao() -> None:
    by_code = {f["properties"]["code"]: f for f in boundaries("province")["features"]}
    for code in ("710000", "810000", "820000"):
        assert code in by_code
    taiwan = _points(by_code["710000"]["geometry"])
    assert any(121.0 < lon < 121.6 and 23.0 < lat < 24.5 for lon, lat in taiwan)  # the island, not a dot


def test_geometry_includes_the_south_china_sea_islands_and_the_maritime_line() -> None:
    hainan = {f["properties"]["code"]: f for f in boundaries("province")["features"]}["460000"]
    lats = [lat for _lon, lat in _points(hainan["geometry"])]
    assert min(lats) < 10.0  # 南沙群岛
    assert any(15.5 < lat < 17.5 for lat in lats)  # 西沙群岛
    dashes = maritime_line()["features"][0]["geometry"]
    assert dashes["type"] == "MultiLineString" and len(dashes["coordinates"]) >= 9
    inset_codes = {f["properties"].get("code") for f in inset_geojson()["features"]}
    assert {"460000", "710000", "440000"} <= inset_codes


def test_every_census_region_has_a_shape_at_its_level() -> None:
    census = census_2020()
    read_boundaries("province", required_codes=set(census.provinces["code"].to_list()))
    prefectures = {f["properties"]["code"] for f in boundaries("prefecture")["features"]}
    counties = {f["properties"]["code"] for f in boundaries("county")["features"]}
    census_prefectures = set(census.prefectures["code"].to_list())
    assert len(census_prefectures - prefectures) / len(census_prefectures) < 0.05
    # Counties without a shape of their code: the NBS statistical-only units (development zones, codes xxxx7x,
    # which GB/T 2260 and 高德 do not draw) and a few codes newer than 高德's edition; 2.0 % of residents.
    missing = census.counties.filter(~census.counties["code"].is_in(list(counties)))
    zones = missing.filter(missing["code"].str.slice(4, 1) == "7")
    assert missing["pop_resident_2020"].sum() / census.counties["pop_resident_2020"].sum() < 0.025
    assert zones.height / missing.height > 0.7
