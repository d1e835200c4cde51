"""A city's school list as a planner keeps it (an Excel sheet, a GBK CSV, Chinese headers, a district by name, the
mistakes planners make: latitude and longitude swapped, a capacity with 约, 高中 as a stage, a coordinate in degrees
and minutes, a school 1,400 km from its district, a name left empty, a total row, a missing column): every mistake
named by row, column and reason, nothing stored; the clean list then replaces the city's estimated places in the
gaps, and a list that looks partial is said to be so each time it is sent, not only the first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_support import Service, chengdu_supply, upload_facility_list

from changzhu.planning import datasets
from sheet_files import gbk_csv_bytes, xlsx_bytes

HEADERS = ["学校名称", "学段", "所在区县", "学位数", "经度", "纬度", "坐标系"]
GOOD: list[list[Any]] = [
    ["成都市龙江路小学", "小学", "武侯区", 2160, 104.0612, 30.6389, "高德"],
    ["成都市泡桐树小学", "小学", "成都市青羊区", 1890, 104.0556, 30.6712, "高德"],
    ["成都七中育才学校", "初中", "成都市锦江区", 2400, 104.0837, 30.6551, "高德"],
]
BAD: list[list[Any]] = [
    *GOOD[:2],
    ["成都七中育才学校", "初中", "成都市锦江区", 2400, 30.6551, 104.0837, "高德"],  # 4: swapped
    ["成都市实验小学", "小学", "成都市青羊区", "约1500", 104.0690, 30.6680, "高德"],  # 5: not a number
    ["成都市树德中学", "高中", "成都市青羊区", 3000, 104.0490, 30.6660, "高德"],  # 6: not a stage the plan has
    ["成都市盐道街小学", "小学", "成都市锦江区", 1500, "104°5'E", "30°39′N", "高德"],  # 7: degrees and minutes
    ["", "小学", "成都市成华区", 1200, 104.1, 30.67, "高德"],  # 8: no name
    ["北京路小学", "小学", "成都市成华区", 1200, 116.40, 39.90, "高德"],  # 9: in Beijing
    ["合计", "", "", 13450, "", "", ""],  # 10: the sheet's total
]
# line -> (the column as headed in the file, words of the Chinese reason, words of the English one)
EXPECTED = {
    4: ("经度", "经度和纬度填反了", "swapped"),
    5: ("学位数", "不是数字", "not a number"),
    6: ("学段", "不是可选值之一", "not one of"),
    7: ("经度", "104°5'E 是度分秒写法：请写成小数度（104.0833）", "write decimal degrees (104.0833)"),
    8: ("学校名称", "缺少数值", "missing"),
    9: ("经度", "成都市成华区（510108）的边界外", "outside Chenghua District, Chengdu (510108)"),
    10: ("学校名称", "合计行", "total row"),
}


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test stores planning datasets in its own data home."""
    monkeypatch.setenv("CHANGZHU_HOME", str(tmp_path / "home"))


def test_a_school_list_with_a_planners_mistakes_names_each_and_stores_nothing(service: Service) -> None:
    before = chengdu_supply(service, "primary_school_places")
    for name, content in (
        ("学校清单.xlsx", xlsx_bytes("学校清单", HEADERS, BAD)),
        ("学校清单.csv", gbk_csv_bytes(HEADERS, BAD)),
    ):
        for params in ({"dry_run": "true"}, {}):
            refused = upload_facility_list(service, name, content, **params)
            assert refused.status_code == 422, refused.text
            body = refused.json()
            assert body["params"] == {"bad": "7", "rows": "9"} and body["stored"] == 0, body["params"]
            assert {p["row"] for p in body["errors"]} == set(EXPECTED), body["errors"]
            for row, (column, zh, en) in EXPECTED.items():
                named = [p for p in body["errors"] if p["row"] == row and p["column"] == column]
                assert any(zh in p["reason_zh"] and en in p["reason_en"] for p in named), (row, named)
            latitude = next(p for p in body["errors"] if p["row"] == 7 and p["column"] == "纬度")
            assert (
                latitude["reason_en"] == "30°39′N is in degrees, minutes and seconds: write decimal degrees (30.6500)"
            )
    assert datasets.stored_regions(datasets.datasets_root(), "facility") == []
    assert chengdu_supply(service, "primary_school_places") == before


def test_a_missing_capacity_column_is_named_in_words(service: Service) -> None:
    cut = HEADERS.index("学位数")
    rows = [row[:cut] + row[cut + 1 :] for row in GOOD]
    refused = upload_facility_list(
        service, "缺列.csv", gbk_csv_bytes(HEADERS[:cut] + HEADERS[cut + 1 :], rows), lang="zh"
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["message"] == "文件的表头（第 1 行）有误，未导入任何数据：容量（缺少此列）"
    assert datasets.stored_regions(datasets.datasets_root(), "facility") == []


def test_the_clean_list_replaces_the_citys_places_and_a_partial_list_is_said_each_time(service: Service) -> None:
    estimate, source = chengdu_supply(service, "primary_school_places")
    assert source.startswith("estimate")
    for params in ({}, {"dry_run": "true"}, {}):  # stored, checked again, stored again (a corrected copy)
        answer = upload_facility_list(service, "学校清单.xlsx", xlsx_bytes("学校清单", HEADERS, GOOD), **params)
        assert answer.status_code == 200, answer.text
        replaced = {r["service"]: r for r in answer.json()["replaced"]}
        primary = replaced["primary_school_places"]
        assert primary["facility_list_supply"] == 2160 + 1890
        assert primary["estimate_replaced"] == pytest.approx(estimate)  # the estimate, never the list sent before
        warnings = " ".join(w["zh"] for w in answer.json()["warnings"])
        assert "成都市（510100）的小学学位：清单只有所替换估计供给的 0.4%（4,050 / 981,509）" in warnings, warnings
        assert chengdu_supply(service, "primary_school_places") == (2160 + 1890, "facility list")
    assert datasets.stored_regions(datasets.datasets_root(), "facility") == ["510100"]
