"""A city's hospital list as the health commission keeps it: 机构名称, 地址, 床位数, 经度, 纬度 (and 坐标系), with no
service column (床位数 says the capacity is hospital beds) and no region column (the address begins with the city
and district, 成都市青羊区…). Each row's region is read from its address and each service from the header; a row
without coordinates is kept, a 高德 (GCJ-02) point is converted, a bad number and an address without a district are
named by row, column and reason, and nothing is stored; the clean list then replaces Chengdu's estimated beds."""

from __future__ import annotations

from typing import Any

import pytest
from api_support import Service, chengdu_supply, upload_facility_list

from changzhu.planning import datasets
from sheet_files import gbk_csv_bytes, xlsx_bytes

HEADERS = ["机构名称", "地址", "床位数", "经度", "纬度", "坐标系"]
GOOD: list[list[Any]] = [
    ["四川省人民医院", "四川省成都市青羊区一环路西二段32号", 4300, 104.0395, 30.6636, "高德"],
    ["成都市第一人民医院", "成都市武侯区万象北路18号", 2000, "", "", ""],  # no coordinates: kept, no point
    ["成都市第二人民医院", "成都市锦江区庆云南街10号", 1200, 104.0830, 30.6580, "高德"],
]
BAD: list[list[Any]] = [
    *GOOD,
    ["成都市第三人民医院", "成都市青羊区青龙街82号", "约1500", 104.0664, 30.6710, "高德"],  # 5: not a number
    ["成都市妇女儿童中心医院", "日月大道一段1617号", 800, 103.9900, 30.6800, "高德"],  # 6: no district
]
EXPECTED = {5: ("床位数", "不是数字", "not a number"), 6: ("地址", "地址也不以区县名开头", "no region column")}


@pytest.fixture(autouse=True)
def own_home(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test stores planning datasets in its own data home."""
    monkeypatch.setenv("CHANGZHU_HOME", str(tmp_path / "home"))


def test_an_offices_hospital_list_with_mistakes_names_each_and_stores_nothing(service: Service) -> None:
    before = chengdu_supply(service, "hospital_beds")
    for name, content in (("医院.xlsx", xlsx_bytes("医院", HEADERS, BAD)), ("医院.csv", gbk_csv_bytes(HEADERS, BAD))):
        for params in ({"dry_run": "true"}, {}):
            refused = upload_facility_list(service, name, content, **params)
            assert refused.status_code == 422, refused.text
            body = refused.json()
            assert body["stored"] == 0 and {p["row"] for p in body["errors"]} == set(EXPECTED), body["errors"]
            for row, (column, zh, en) in EXPECTED.items():
                named = [p for p in body["errors"] if p["row"] == row and p["column"] == column]
                assert any(zh in p["reason_zh"] and en in p["reason_en"] for p in named), (row, body["errors"])
    assert datasets.stored_regions(datasets.datasets_root(), "facility") == []
    assert chengdu_supply(service, "hospital_beds") == before


def test_the_clean_list_reads_each_region_from_its_address_and_replaces_the_citys_beds(service: Service) -> None:
    answer = upload_facility_list(service, "医院.xlsx", xlsx_bytes("医院", HEADERS, GOOD), dry_run="true")
    assert answer.status_code == 200, answer.text
    preview = answer.json()["preview"]
    assert [r["region_code"] for r in preview] == ["510105", "510107", "510104"]
    assert {r["service"] for r in preview} == {"hospital_beds"}
    assert preview[1]["lon"] is None and preview[0]["lon"] != pytest.approx(104.0395, abs=1e-4)  # GCJ-02 converted
    stored = upload_facility_list(service, "医院.csv", gbk_csv_bytes(HEADERS, GOOD))
    assert stored.status_code == 200, stored.text
    assert chengdu_supply(service, "hospital_beds") == (4300 + 2000 + 1200, "facility list")
    assert datasets.stored_regions(datasets.datasets_root(), "facility") == ["510100"]


def test_a_school_list_without_its_stage_still_asks_for_it(service: Service) -> None:
    """学位数 says places, not whether primary or junior secondary: the stage column is still needed."""
    rows = [["成都市龙江路小学", "成都市武侯区龙江路1号", 2160, 104.0612, 30.6389, "高德"]]
    headers = ["学校名称", "地址", "学位数", "经度", "纬度", "坐标系"]
    refused = upload_facility_list(service, "学校.csv", gbk_csv_bytes(headers, rows), lang="zh")
    assert refused.status_code == 422, refused.text
    assert "服务（缺少此列）" in refused.json()["message"], refused.json()["message"]
