"""What a planner reads in the office: a city's planner sees the city and its counties, never the province's totals
(which sum other cities'); a facility list's counts are whole numbers of their service's unit (个学位 / places), and
a list whose coordinates are 高德's (GCJ-02) says they were read as such and converted to WGS-84."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from api_support import PASSWORD, Service

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from sheet_files import gbk_csv_bytes

HEADERS = ["学校名称", "学段", "所在区县", "学位数", "经度", "纬度", "坐标系"]
SCHOOLS: list[list[Any]] = [
    ["成都市龙江路小学", "小学", "武侯区", 2160, 104.0612, 30.6389, "高德"],
    ["成都市泡桐树小学", "小学", "成都市青羊区", 1890, 104.0556, 30.6712, "高德"],
    ["成都七中育才学校", "初中", "成都市锦江区", 2400, 104.0837, 30.6551, "WGS84"],
]


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test stores planning datasets in its own data home."""
    monkeypatch.setenv("CHANGZHU_HOME", str(tmp_path / "home"))


def _chengdu_planner(service: Service) -> dict[str, str]:
    create_user(service.engine, "pl_cd", PASSWORD, Role.PLANNER, ["510100"])
    login = service.client.post("/api/v1/auth/login", json={"username": "pl_cd", "password": PASSWORD})
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


def _regions(service: Service, headers: dict[str, str], level: str) -> set[str]:
    answer = service.client.get("/api/v1/planning/gaps", params={"level": level, "limit": 500}, headers=headers)
    assert answer.status_code == 200, answer.text
    return {row["region_code"] for row in answer.json()["items"]}


def test_a_city_planner_reads_the_city_and_its_counties_not_the_province(service: Service) -> None:
    chengdu = _chengdu_planner(service)
    assert _regions(service, chengdu, "province") == set()  # Sichuan's totals sum other cities' figures
    assert _regions(service, chengdu, "prefecture") == {"510100"}
    counties = _regions(service, chengdu, "county")
    assert counties and all(code.startswith("5101") for code in counties), counties
    assert "510104" in counties  # 锦江区
    assert _regions(service, service.as_("pl_gd"), "province") == {"440000"}  # a province's planner: the province


def _upload(service: Service) -> dict[str, Any]:
    files = {"file": ("学校清单.csv", gbk_csv_bytes(HEADERS, SCHOOLS), "application/octet-stream")}
    answer = service.client.post(
        "/api/v1/uploads/facility", params={"dry_run": "true"}, files=files, headers=service.as_("pl_nat")
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_counts_of_places_are_whole_numbers_of_their_unit(service: Service) -> None:
    result = _upload(service)
    replaced = {c["name"]: c for c in result["replaced_columns"]}
    for name in ("facility_list_supply", "estimate_replaced"):
        assert replaced[name]["type"] == "count", replaced[name]
        assert replaced[name]["units"]["primary_school_places"] == {"zh": "个学位", "en": "places"}
        assert replaced[name]["units"]["hospital_beds"] == {"zh": "张床位", "en": "beds"}
    (capacity,) = [c for c in result["preview_columns"] if c["name"] == "capacity"]
    assert capacity["type"] == "count" and capacity["units"]["junior_secondary_places"]["en"] == "places"


def test_gaode_coordinates_are_said_to_be_read_as_gcj02_and_converted(service: Service) -> None:
    result = _upload(service)
    (note,) = result["notes"]  # the third school's are WGS-84: kept as given, no note
    assert "2 行坐标按文件注明的 GCJ-02（火星坐标：高德、腾讯）读取，已转换为 WGS-84（第 2、3 行）" in note["zh"], note
    assert (
        "2 rows read as GCJ-02 (Gaode, Tencent), as the file says, and converted to WGS-84 (rows 2, 3)" in (note["en"])
    ), note
    first = result["preview"][0]
    assert first["coord_system"] == "wgs84" and first["lon"] != pytest.approx(104.0612, abs=1e-4)  # converted


def test_a_refused_facility_list_still_says_which_rows_were_converted_from_gcj02(service: Service) -> None:
    """A list refused for one bad row (a capacity in words) says, beside the row to correct, that its Gaode rows were
    read as GCJ-02 and converted to WGS-84 (the refusal dropped the notes a stored list's answer gives), and which of
    its rows give coordinates without a system (read as WGS-84)."""
    schools = [
        *SCHOOLS,
        ["某小学", "小学", "武侯区", "很多", 104.06, 30.64, "高德"],
        ["新小学", "小学", "武侯区", 900, 104.05, 30.63, ""],
    ]
    files = {"file": ("学校清单.csv", gbk_csv_bytes(HEADERS, schools), "application/octet-stream")}
    answer = service.client.post(
        "/api/v1/uploads/facility", params={"dry_run": "true"}, files=files, headers=service.as_("pl_nat")
    )
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert [p["row"] for p in body["errors"]] == [5]
    (note,) = body["notes"]
    assert "2 行坐标按文件注明的 GCJ-02（火星坐标：高德、腾讯）读取，已转换为 WGS-84（第 2、3 行）" in note["zh"], note
    assert "converted to WGS-84 (rows 2, 3)" in note["en"], note
    (warning,) = body["warnings"]
    assert warning["zh"].startswith("1 行给出经纬度但未注明坐标系（第 6 行）"), warning
    assert warning["en"].startswith("1 row gives coordinates without a coordinate system (row 6)"), warning
