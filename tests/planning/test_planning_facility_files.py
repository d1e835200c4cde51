"""A planner's own facility list as it comes (GBK CSV or Excel, the office's Chinese headers), its mistakes named
by row, column and reason with nothing used, and its hospitals taken as the existing sites where to build."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from changzhu.data.coordinate_systems import CoordinateSystem, from_wgs84
from changzhu.domain.refusals import RefusalCode
from changzhu.geography import haversine_km
from changzhu.planning.facilities import coordinates_without_system
from changzhu.planning.population import census_table, group_columns
from changzhu.planning.siting import listed_schools, plan_sites
from changzhu.planning.standards import load_standards, service_catalog
from changzhu.tables import TableRejected, read_table
from changzhu.tables.kinds import facility_schema

SCHOOLS = "序号,学校名称,学段,所在区,地址,经度,纬度,学位数\n"


def _read(path: Path) -> pl.DataFrame:
    return read_table(path, facility_schema(service_catalog(load_standards()))).frame


def _refused(path: Path) -> list[tuple[int, str, RefusalCode]]:
    with pytest.raises(TableRejected) as info:
        _read(path)
    return [(e.line, e.column, e.reason.code) for e in info.value.errors]


def test_a_gbk_school_list_with_the_office_headers_is_read(tmp_path: Path) -> None:
    path = tmp_path / "学校清单.csv"
    rows = (
        "1,福田小学,小学,440304,福华路,114.055,22.541,1620\n"
        "2,翠竹外国语实验学校,初中,罗湖区,翠竹路,114.126,22.564,1350\n"
    )
    path.write_bytes((SCHOOLS + rows).encode("gbk"))
    table = _read(path)
    assert table["facility_id"].to_list() == ["1", "2"]
    assert table["name"].to_list() == ["福田小学", "翠竹外国语实验学校"]
    assert table["service"].cast(pl.String).to_list() == ["primary_school_places", "junior_secondary_places"]
    assert table["region_code"].to_list() == ["440304", "440303"]  # a district by its name
    assert table["address"].to_list() == ["福华路", "翠竹路"]
    assert table["capacity"].to_list() == [1620, 1350]


def test_swapped_foreign_and_misplaced_coordinates_are_named_and_nothing_is_used(tmp_path: Path) -> None:
    path = tmp_path / "学校清单.csv"
    rows = (
        "1,福田小学,小学,440304,福华路,114.055,22.541,1620\n"
        "2,新安中学,初中,440306,新安街道,22.555,113.883,2400\n"  # swapped
        "3,龙城初级中学,初中,440307,龙城街道,114.246,22.721,\n"  # no capacity
        "4,民治小学,小学,440309,民治街道,116.397,39.909,1500\n"  # Beijing's coordinates for 龙华区
        "5,光明小学,小学,440311,光明区,13.936,22.748,960\n"  # a digit lost: not in China
    )
    path.write_bytes((SCHOOLS + rows).encode("gbk"))
    assert _refused(path) == [
        (3, "经度", RefusalCode.LON_LAT_SWAPPED),
        (4, "学位数", RefusalCode.VALUE_MISSING),
        (5, "经度", RefusalCode.FACILITY_OUTSIDE_REGION),
        (6, "经度", RefusalCode.LON_LAT_OUTSIDE_CHINA),
    ]
    with pytest.raises(TableRejected) as info:
        _read(path)
    report = info.value.report()
    swapped = report.filter(pl.col("row") == 3).row(0, named=True)
    assert "swapped" in swapped["reason"] and "填反" in swapped["reason_zh"]
    outside = report.filter(pl.col("row") == 5).row(0, named=True)
    assert outside["reason"].startswith("lon 116.397, lat 39.909 lies about ")
    assert "km outside Longhua District, Shenzhen (440309), the region" in outside["reason"]  # the district by name
    assert "在所填地区 深圳市龙华区（440309）的边界外" in outside["reason_zh"]
    assert "Longhua District, Shenzhen (440309)" in str(info.value)  # the CLI's one line names it too


# eviltransform's published pair in Shenzhen (Nanshan): WGS-84 and the GCJ-02 a Gaode map shows there
NANSHAN_WGS84 = (113.912316, 22.543847)
NANSHAN_GCJ02 = (113.9171764808363, 22.540796131694766)


def test_coordinates_read_off_gaode_and_baidu_maps_are_made_wgs84(tmp_path: Path) -> None:
    """The 坐标系 column, in Chinese or English spellings, converts GCJ-02 and BD-09 to WGS-84 on load; a row with
    no system is read as given and named in the list's note."""
    bd_lon, bd_lat = (float(v[0]) for v in from_wgs84(*([c] for c in NANSHAN_WGS84), CoordinateSystem.BD09))
    gcj_lon, gcj_lat = NANSHAN_GCJ02
    wgs_lon, wgs_lat = NANSHAN_WGS84
    path = tmp_path / "医院清单.csv"
    path.write_text(
        "编号,医院名称,类别,所在区,经度,纬度,床位数,坐标系\n"
        f"1,高德取点,床位,440305,{gcj_lon},{gcj_lat},100,高德\n"
        f"2,国测局,床位,440305,{gcj_lon},{gcj_lat},100,gcj-02\n"
        f"3,百度取点,床位,440305,{bd_lon!r},{bd_lat!r},100,百度坐标\n"
        f"4,Baidu,床位,440305,{bd_lon!r},{bd_lat!r},100,BD09\n"
        f"5,GPS,床位,440305,{wgs_lon},{wgs_lat},100,WGS84\n"
        f"6,未注明,床位,440305,{gcj_lon},{gcj_lat},100,\n"
        "7,无坐标,床位,440305,,,100,\n",
        encoding="utf-8",
    )
    read = read_table(path, facility_schema(service_catalog(load_standards())))
    table = read.frame
    for lon, lat in zip(table["lon"][:5], table["lat"][:5], strict=True):
        assert (lon, lat) == pytest.approx(NANSHAN_WGS84, abs=1e-6)
    assert (table["lon"][5], table["lat"][5]) == (gcj_lon, gcj_lat)  # no system: as given, never assumed
    assert table["lon"][6] is None
    assert table["coord_system"].cast(pl.String).to_list() == ["wgs84"] * 5 + [None, None]  # what they are now
    zh, en = coordinates_without_system(table, read.lines) or ("", "")
    assert zh.startswith("1 行给出经纬度但未注明坐标系（第 7 行）：已按 WGS-84 原样读取")
    assert en.startswith("1 row gives coordinates without a coordinate system (row 7): read as WGS-84")


def test_an_unknown_coordinate_system_is_a_row_error_in_both_languages(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "facility_id,name,service,region_code,capacity,lon,lat,coordinate system\n"
        f"h1,A,床位,440305,10,{NANSHAN_WGS84[0]},{NANSHAN_WGS84[1]},GPS\n"
        f"h2,B,床位,440305,10,{NANSHAN_WGS84[0]},{NANSHAN_WGS84[1]},谷歌\n",
        encoding="utf-8",
    )
    with pytest.raises(TableRejected) as info:
        _read(path)
    [error] = info.value.report().rows(named=True)
    assert (error["row"], error["column"], error["value"]) == (3, "coordinate system", "谷歌")
    reason = error["reason"]
    assert reason.startswith("not one of WGS-84 (GPS)") and "GCJ-02 (Gaode, Tencent)" in reason and "BD-09" in reason
    assert (
        error["reason_zh"].startswith("不是可选值之一：WGS-84（GPS、地球坐标）、")
        and "BD-09（百度坐标）" in error["reason_zh"]
    )
    assert "wgs84" not in error["reason_zh"]  # the labels a clerk writes, no code


def test_a_point_near_its_region_boundary_is_accepted(tmp_path: Path) -> None:
    """The boundaries are simplified to about 1 km: a point a little outside its district still reads."""
    path = tmp_path / "list.csv"
    # 深圳市人民医院 in 罗湖区; and a point on the 福田/罗湖 boundary given as 福田区
    path.write_text(
        "facility_id,name,service,region_code,capacity,lon,lat\n"
        "h1,人民医院,床位,440303,3000,114.1219,22.5569\nh2,边界,床位,440304,10,114.10,22.55\n",
        encoding="utf-8",
    )
    assert _read(path).height == 2


def test_an_excel_hospital_list_is_read_with_its_headers(tmp_path: Path) -> None:
    path = tmp_path / "医院床位.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("医院")
    rows = [
        ["编号", "医院名称", "类别", "所在区", "详细地址", "经度", "纬度", "床位数"],
        ["SZ1", "深圳市人民医院", "床位", "罗湖区", "东门北路1017号", 114.1219, 22.5569, 3000],
        ["SZ2", "北京大学深圳医院", "病床", "深圳市福田区", "莲花路1120号", 114.0494, 22.5618, 2000],
    ]
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    table = _read(path)
    assert table["region_code"].to_list() == ["440303", "440304"]
    assert table["service"].cast(pl.String).to_list() == ["hospital_beds", "hospital_beds"]


def test_where_to_build_starts_from_the_lists_hospitals() -> None:
    """A Shenzhen list's located hospitals replace Shenzhen's seat among the existing sites, with their own beds;
    the other cities keep their seats."""
    listed = pl.DataFrame(
        {
            "facility_id": ["a", "b", "c"],
            "name": ["深圳市人民医院", "北京大学深圳医院", "未定位医院"],
            "service": ["hospital_beds"] * 3,
            "region_code": ["440303", "440304", "440306"],
            "capacity": [3000.0, 2000.0, 500.0],
            "lon": [114.1219, 114.0494, None],
            "lat": [22.5569, 22.5618, None],
        }
    )
    plan = plan_sites("440000", 10_000.0, 500_000.0, p=2, time_limit=20, facilities=listed, facility_scope="prefecture")
    existing = plan.sites.filter(pl.col("existing"))
    assert plan.listed == 2
    assert set(existing["facility_name"].drop_nulls()) == {"深圳市人民医院", "北京大学深圳医院"}
    shenzhen_seat = existing.filter(pl.col("facility_name").is_null() & (pl.col("region_code") == "440300"))
    assert shenzhen_seat.height == 1  # kept for the 500 beds listed without coordinates
    assert existing.filter(pl.col("region_code") == "440100").height == 1  # Guangzhou keeps its seat
    futian = plan.points.filter(pl.col("region_code") == "440304").row(0, named=True)
    to_listed = haversine_km([futian["lon"]], [futian["lat"]], [114.1219, 114.0494], [22.5569, 22.5618]).min()
    assert futian["nearest_km_before"] <= to_listed + 1e-9


def test_a_citys_hospital_list_does_not_remove_its_school_list(tmp_path: Path) -> None:
    """The education and the health bureau each upload their own list: the second keeps the first's services."""
    from changzhu.planning.datasets import key_regions, load_dataset, store_dataset

    def store(rows: dict[str, list[object]]) -> None:
        frame = pl.DataFrame(rows)
        store_dataset(tmp_path, "facility", frame, key_regions(frame, "facility", "prefecture"))

    store({"name": ["福田小学"], "service": ["primary_school_places"], "region_code": ["440304"], "capacity": [1620.0]})
    store({"name": ["人民医院"], "service": ["hospital_beds"], "region_code": ["440303"], "capacity": [3000.0]})
    store({"name": ["第二医院"], "service": ["hospital_beds"], "region_code": ["440304"], "capacity": [1900.0]})
    stored = load_dataset(tmp_path, "facility")
    assert stored is not None
    assert set(stored["name"]) == {"第二医院", "福田小学"}  # the new hospital list replaced the old one


def test_where_to_build_schools_starts_from_the_lists_schools() -> None:
    """A school list's located primary schools are the existing sites of primary-school siting (not of hospital
    siting), demand weighted by the children of primary age, not all residents."""
    listed = pl.DataFrame(
        {
            "facility_id": ["s1", "s2", "h1"],
            "name": ["福田小学", "翠竹小学", "深圳市人民医院"],
            "service": ["primary_school_places", "primary_school_places", "hospital_beds"],
            "region_code": ["440304", "440303", "440303"],
            "capacity": [1620.0, 1350.0, 3000.0],
            "lon": [114.055, 114.126, 114.1219],
            "lat": [22.541, 22.564, 22.5569],
        }
    )
    assert listed_schools(listed, "440000") == ["primary_school_places"]
    assert listed_schools(listed, "510000") == []  # none in Sichuan
    plan = plan_sites(
        "440000",
        50_000.0,
        8_000_000.0,
        service="primary_school_places",
        group="age_6_11",
        p=2,
        time_limit=20,
        facilities=listed,
        facility_scope="prefecture",
    )
    existing = plan.sites.filter(pl.col("existing"))
    assert plan.service == "primary_school_places" and plan.listed == 2 and plan.added == 50_000.0
    assert set(existing["facility_name"].drop_nulls()) == {"福田小学", "翠竹小学"}
    counties = census_table("county").filter((pl.col("province_code") == "440000") & pl.col("seat_lon").is_not_null())
    children = dict(zip(counties["code"], group_columns(counties)["age_6_11"], strict=True))
    weights = dict(zip(plan.points["region_code"], plan.points["weight"], strict=True))
    assert weights == pytest.approx(children)
    assert weights["440304"] < float(counties.filter(pl.col("code") == "440304")["pop_resident_2020"][0]) / 5
