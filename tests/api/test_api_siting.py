"""Siting runs from the office (POST /planning/siting/runs): a planner sites a service in a city of their
jurisdiction in the background, the results are stored and read back cut to each reader's jurisdiction (a run out of
reach answers as an unknown id), every write checks the role and the region sited, a wrong request is refused
with its reason, and a facility list the city uploaded gives the existing facilities. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from api_support import PASSWORD, Service

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from sheet_files import numbers_as_text

RUNS = "/api/v1/planning/siting/runs"
SHENZHEN, NANSHAN, YICHUN = "440300", "440305", "230700"
# two Shenzhen hospitals with coordinates (WGS-84) inside the city, as an office's list gives them
HOSPITALS = (
    "facility_id,name,service,region_code,capacity,lon,lat\n"
    "h1,福田测试医院,hospital_beds,440300,2000,114.06,22.55\n"
    "h2,南山测试医院,hospital_beds,440300,1500,113.93,22.53\n"
)


@pytest.fixture(autouse=True)
def own_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test keeps uploaded planning datasets in its own data home."""
    monkeypatch.setenv("CHANGZHU_HOME", str(tmp_path / "home"))


def _planner(service: Service, username: str, scope: str) -> dict[str, str]:
    """A planner of `scope`, logged in: its Authorization header."""
    create_user(service.engine, username, PASSWORD, Role.PLANNER, [scope], None)
    answer = service.client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _done(service: Service, run_id: str) -> None:
    row = service.client.app.state.siting_runs.wait(run_id, timeout=600)  # type: ignore[attr-defined]
    assert row.status == "done", row.note


def _items(service: Service, path: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    answer = service.client.get(path, headers=headers)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def test_a_citys_run_finishes_and_each_reader_sees_their_part(db_service: Service) -> None:
    service = db_service
    city = _planner(service, "pl_sz", SHENZHEN)
    district = _planner(service, "pl_ns", NANSHAN)
    chengdu = _planner(service, "pl_cd", "510100")
    started = service.client.post(RUNS, json={"region": SHENZHEN, "service": "hospital_beds", "p": 2}, headers=city)
    assert started.status_code == 202, started.text
    run = started.json()
    assert run["status"] in ("queued", "running", "done") and run["region_code"] == SHENZHEN
    _done(service, run["run_id"])
    path = f"{RUNS}/{run['run_id']}"

    whole = service.client.get(path, headers=city).json()
    assert whole["status"] == "done" and whole["progress"] == 1.0 and whole["cut"] is False
    summary = whole["summary"]
    assert [m["model"] for m in summary["models"]] == ["p_median", "max_covering", "set_covering"]
    assert summary["models"][0]["new_sites"] == 2 and summary["added"] == max(summary["gap"], 0.0)
    assert summary["supply_is_estimate"] is True  # no list: Shenzhen's beds are the province's apportioned
    counties = _items(service, f"{path}/counties", city)
    assert counties and all(c["region_code"].startswith("4403") for c in counties)
    assert sum(c["p_median_site"] for c in counties) == 2
    assert all(c["access_before_per_1000"] is not None for c in counties)
    assert {"440309", "440310", "440311"} <= {c["region_code"] for c in counties}  # 龙华, 坪山, 光明 are demand
    assert all(c["in_plan"] for c in counties) and summary["left_out"]["units"] == 0
    sites = _items(service, f"{path}/sites", city)
    kinds = [s["kind"] for s in sites]
    assert kinds.count("new") == 2 and kinds.count("seat") == 1 and "listed" not in kinds
    assert all(s["capacity_is_estimate"] for s in sites)  # the seat's beds apportioned; new ones an equal part
    assert next(s for s in sites if s["kind"] == "seat")["region_name"] == "Shenzhen"  # named, not a code

    # the province's planner reads the city whole; a district's planner only its district, without the city's sums
    assert service.client.get(path, headers=service.as_("pl_gd")).json()["cut"] is False
    part = service.client.get(path, headers=district).json()
    assert part["cut"] is True and part["summary"] is None
    assert [c["region_code"] for c in _items(service, f"{path}/counties", district)] == [NANSHAN]
    assert all(s["region_code"] == NANSHAN for s in _items(service, f"{path}/sites", district))
    listed = _items(service, RUNS, district)
    assert [r["run_id"] for r in listed] == [run["run_id"]]

    # another city's planner: the same answer as an id no one has
    for asked in (path, f"{path}/counties", f"{path}/sites", f"{RUNS}/nosuchrun"):
        refused = service.client.get(asked, headers=chengdu)
        assert refused.status_code == 404 and refused.json()["code"] == "no_siting_run", asked
    assert _items(service, RUNS, chengdu) == []
    assert service.client.get(path, headers=service.as_("res_gz")).status_code == 403


def test_every_start_checks_the_role_and_the_region_sited(db_service: Service) -> None:
    service = db_service
    city = _planner(service, "pl_sz", SHENZHEN)
    body = {"region": SHENZHEN, "service": "hospital_beds", "p": 2}
    for username in ("fo_nat", "cw_gz", "res_gz"):
        refused = service.client.post(RUNS, json=body, headers=service.as_(username))
        assert refused.status_code == 403 and refused.json()["code"] == "role_may_not", username
    for region, headers in (("440100", city), ("440000", city), ("510000", service.as_("pl_gd"))):
        refused = service.client.post(RUNS, json={**body, "region": region}, headers=headers)
        assert refused.status_code == 403 and refused.json()["code"] == "region_outside", region
    assert _items(service, RUNS, service.as_("pl_nat")) == []  # nothing was stored


def test_a_wrong_request_is_refused_with_its_reason(db_service: Service) -> None:
    service = db_service
    nat = service.as_("pl_nat")

    def refused(body: dict[str, Any]) -> dict[str, Any]:
        answer = service.client.post(RUNS, json={"service": "hospital_beds", "p": 2, **body}, headers=nat)
        assert answer.status_code == 400, answer.text
        return dict(answer.json())

    county = refused({"region": NANSHAN})
    assert county["code"] == "siting_region_level" and "Nanshan District, Shenzhen" in county["message"]
    many = refused({"region": SHENZHEN, "p": 30})
    assert many["code"] == "siting_too_few_counties" and "(asked: p = 30)" in many["message"]
    schools = refused({"region": SHENZHEN, "service": "primary_school_places"})
    assert schools["code"] == "siting_needs_school_list" and "primary schools" in schools["message"]
    assert refused({"region": "449900"})["code"] == "siting_no_region"
    zh = service.client.post(RUNS, json={"region": SHENZHEN, "p": 30}, headers={**nat, "Accept-Language": "zh-CN"})
    assert "新建数量最多为" in zh.json()["message"]
    assert service.client.post(RUNS, json={"region": SHENZHEN, "p": 0}, headers=nat).status_code == 422
    assert service.client.post(RUNS, json={"region": SHENZHEN, "service": "x"}, headers=nat).status_code == 422
    assert _items(service, RUNS, nat) == []


def test_the_citys_uploaded_list_gives_the_existing_hospitals(db_service: Service) -> None:
    service = db_service
    city = _planner(service, "pl_sz", SHENZHEN)
    files = {"file": ("医院清单.csv", HOSPITALS.encode(), "text/csv")}
    uploaded = service.client.post("/api/v1/uploads/facility", files=files, headers=city)
    assert uploaded.status_code in (200, 201), uploaded.text
    started = service.client.post(RUNS, json={"region": SHENZHEN, "p": 2}, headers=city)
    assert started.status_code == 202, started.text
    assert started.json()["settings"]["list_regions"] == [SHENZHEN]
    _done(service, started.json()["run_id"])
    path = f"{RUNS}/{started.json()['run_id']}"
    sites = _items(service, f"{path}/sites", city)
    listed = {s["facility_name"]: s for s in sites if s["kind"] == "listed"}
    assert set(listed) == {"福田测试医院", "南山测试医院"}
    assert listed["福田测试医院"]["capacity"] == 2000 and not listed["福田测试医院"]["capacity_is_estimate"]
    assert "seat" not in [s["kind"] for s in sites]  # the list is the city's whole supply: no apportioned seat
    summary = service.client.get(path, headers=city).json()["summary"]
    assert summary["supply"] == 3500 and summary["supply_is_estimate"] is False and summary["listed"] == 2


def test_a_run_names_the_units_it_leaves_out_on_screen_and_in_its_export(db_service: Service) -> None:
    service = db_service
    nat = service.as_("pl_nat")
    started = service.client.post(RUNS, json={"region": YICHUN, "service": "hospital_beds", "p": 1}, headers=nat)
    assert started.status_code == 202, started.text
    _done(service, started.json()["run_id"])
    path = f"{RUNS}/{started.json()['run_id']}"
    left_out = service.client.get(path, headers=nat).json()["summary"]["left_out"]
    assert left_out["units"] > 0 and left_out["residents"] > 0  # 伊春's districts without a seat point
    counties = _items(service, f"{path}/counties", nat)
    left = [c for c in counties if not c["in_plan"]]
    assert len(left) == left_out["units"] and sum(c["residents"] for c in left) == left_out["residents"]
    assert {c["left_out_reason"] for c in left} == {"no_seat_coordinates"}
    assert all(c["nearest_km_before"] is None and c["region_name"] for c in left)  # not computed, never 0
    export = service.client.get(f"{path}/counties", params={"format": "csv"}, headers=nat)
    assert export.status_code == 200 and "left_out_reason" in export.text and "no_seat_coordinates" in export.text
    # why, in words beside the code, in the reader's language (the export named only the code)
    assert {c["left_out_why"] for c in left} == {"no seat point in the data"}  # the test client reads English
    assert "no seat point in the data" in export.text
    chinese = service.client.get(f"{path}/counties", params={"format": "csv", "lang": "zh"}, headers=nat)
    assert "数据中没有它的驻地坐标" in chinese.text and "no seat point" not in chinese.text
    assert all(c["left_out_why"] is None for c in counties if c["in_plan"])


def test_chengdus_run_places_its_districts_recoded_after_the_seat_source(db_service: Service) -> None:
    """郫都区 (郫县 until 2016) and 新津区 (新津县 until 2020) have no seat under their new codes in the seat source:
    they take part at its seat for their former code, so none of Chengdu's 20.9 million residents is left out."""
    service = db_service
    chengdu = _planner(service, "pl_cd2", "510100")
    started = service.client.post(RUNS, json={"region": "510100", "service": "hospital_beds", "p": 1}, headers=chengdu)
    assert started.status_code == 202, started.text
    _done(service, started.json()["run_id"])
    path = f"{RUNS}/{started.json()['run_id']}"
    assert service.client.get(path, headers=chengdu).json()["summary"]["left_out"]["units"] == 0
    counties = {c["region_code"]: c for c in _items(service, f"{path}/counties", chengdu)}
    assert counties["510117"]["in_plan"] and counties["510118"]["in_plan"]
    assert counties["510117"]["weight"] == 1_672_025 and counties["510117"]["nearest_km_before"] is not None


def test_a_runs_tables_as_files_in_the_language_asked_for(db_service: Service) -> None:
    """A file asked with `lang` heads its columns in words with the service's own (beds per 1,000 residents), says
    yes, no and the kind of site in words and keeps the codes in their own columns, the figures numbers; without
    `lang` the codes and column names stay, for scripts (the files had the raw names in every language)."""
    service = db_service
    city = _planner(service, "pl_sz_files", SHENZHEN)
    started = service.client.post(RUNS, json={"region": SHENZHEN, "service": "hospital_beds", "p": 2}, headers=city)
    assert started.status_code == 202, started.text
    _done(service, started.json()["run_id"])
    path = f"{RUNS}/{started.json()['run_id']}"
    chinese = service.client.get(f"{path}/counties", params={"format": "xlsx", "lang": "zh"}, headers=city)
    assert chinese.status_code == 200, chinese.text
    assert {ref[0] for sheet in numbers_as_text(chinese.content).values() for ref, _ in sheet} == {"A"}  # codes only
    counties = pl.read_excel(io.BytesIO(chinese.content))
    assert not [c for c in counties.columns if "_" in c]  # no raw name left
    assert "每千人床位，新建前（估算）" in counties.columns and "需求权重：常住人口（人）" in counties.columns
    assert (
        counties["每千人床位，新建后（估算）"].dtype.is_numeric() and counties["地区代码"].str.starts_with("4403").all()
    )
    assert set(counties["参与选址"].to_list()) == {"是"} and "深圳市南山区" in counties["地区"].to_list()
    english = service.client.get(f"{path}/sites", params={"format": "csv", "lang": "en"}, headers=city)
    sites = pl.read_csv(io.BytesIO(english.content), infer_schema_length=None)
    assert {"Region code", "Capacity (beds)", "Capacity is an estimate", "Kind"} <= set(sites.columns)
    assert "new site (p-median)" in sites["Kind"].to_list() and sites["Capacity (beds)"].dtype.is_numeric()
    raw = service.client.get(f"{path}/counties", params={"format": "csv"}, headers=city)
    assert raw.text.lstrip("\ufeff").startswith("region_code,") and "access_before_per_1000" in raw.text
    # the runs list as a file: headers in words, the summary spread into its own columns (no JSON), estimates marked
    listing = service.client.get(RUNS, params={"format": "csv", "lang": "zh"}, headers=city)
    assert listing.status_code == 200, listing.text
    assert "{" not in listing.text and "summary" not in listing.text and "p_median" not in listing.text
    runs = pl.read_csv(io.BytesIO(listing.content), infer_schema_length=None)
    assert not [c for c in runs.columns if "_" in c]  # no raw name left
    row = runs.row(0, named=True)
    assert row["地区"] == "深圳市" and row["服务"] == "医院床位" and row["状态"] == "已完成"
    assert row["计量单位"] == "床位"
    assert row["要求新址数（处）"] == 2 and row["p-中位（总距离最小）：新址数（处）"] == 2
    assert row["新增能力（估算）"] >= 0 and row["现有供给与缺口为估算"] == "是"
    assert row["未参与选址的县级单位（个）"] == 0 and row["p-中位（总距离最小）：求解结果"] == "已证明最优"
    assert row["数据版本"] == "2020 年全国人口普查；本系统的参数文件"
    english = service.client.get(RUNS, params={"format": "xlsx", "lang": "en"}, headers=city)
    runs = pl.read_excel(io.BytesIO(english.content))
    assert {"Region", "Service", "Capacity added (estimate)", "Supply and gap are estimates"} <= set(runs.columns)
    assert runs["Service"].to_list() == ["Hospital beds"] and runs["Unit"].to_list() == ["beds"]
    assert runs["Maximum covering: mean distance to the nearest facility, after (km)"].dtype.is_numeric()
    raw = service.client.get(RUNS, params={"format": "csv"}, headers=city)
    assert raw.text.lstrip("\ufeff").startswith("run_id,") and "summary" in raw.text  # for scripts, as before
