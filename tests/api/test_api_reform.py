"""Reform analysis over the API: saved scenarios (CRUD, YAML), runs in the background kept in the database,
results by group with intervals, a run that survives a restart, compare and export."""

from __future__ import annotations

import io
import logging
import threading
from typing import Any

import polars as pl
import pytest
from api_support import Service, start_service
from sqlalchemy import update

from changzhu.api import export, scenario_runs
from changzhu.api.run_store import MAX_WAITING
from changzhu.domain.estimates import synthetic
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.domain.services import Service as ServiceCode
from changzhu.simulation.bands import BANDS
from changzhu.simulation.errors import SimulationError
from changzhu.store.db import session_scope
from changzhu.store.scenario_models import ScenarioRow, ScenarioRunRow

EXAM = """name: exam_1y_2027
title:
  zh: 中考居住年限自 2027 年起降至一年
description: 中考 residence threshold 3 → 1 year from 2027
overrides:
  entrance_exam.child_residence_months: {value: 12, since: 2027-01-01}
  entrance_exam.parent_si_months: {value: 12, since: 2027-01-01}
  minimum_living_allowance.standard_yuan_month: {value: 1600, since: 2027-01-01}
simulation:
  sample: 0.00002
  services: [local_entrance_exam, compulsory_schooling, minimum_living_allowance]
"""
DIMENSIONS = [
    "national",
    "province",
    "prefecture",
    "age_band",
    "urban_rural",
    "residence",
    "hukou_type",
    "income_decile",
]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content and status != 204 else None


def _wait(service: Service, run_id: str) -> dict[str, Any]:
    row = service.client.app.state.scenario_runs.wait(run_id, timeout=600)  # type: ignore[attr-defined]
    assert row.status == "done", row.message
    return _ok(service.client.get(f"/api/v1/scenarios/runs/{run_id}", headers=service.as_("pl_nat")))  # type: ignore[no-any-return]


def test_saved_scenario_crud_and_yaml_round_trip(db_service: Service) -> None:
    service = db_service
    nat = service.as_("pl_nat")
    created = _ok(service.client.post("/api/v1/scenarios", json={"yaml": EXAM}, headers=nat), 201)
    assert created["source"] == "saved" and created["version"] == 1
    assert created["overrides"][0]["since"] == "2027-01-01"
    assert _ok(service.client.post("/api/v1/scenarios", json={"yaml": EXAM}, headers=nat), 409)
    names = {s["name"] for s in _ok(service.client.get("/api/v1/scenarios?limit=100", headers=nat))["items"]}
    assert {"exam_1y_2027", "entrance_exam_residence_1y"} <= names
    download = service.client.get("/api/v1/scenarios/exam_1y_2027/yaml", headers=nat)
    assert download.status_code == 200 and download.text == EXAM
    fields = {
        "name": "exam_1y_2027",
        "title": {"zh": "  中考居住年限降至半年 ", "en": "Entrance exam after six months"},
        "description": "changed",
        "overrides": {"entrance_exam.child_residence_months": 6},
    }
    updated = _ok(service.client.put("/api/v1/scenarios/exam_1y_2027", json=fields, headers=nat))
    assert updated["version"] == 2 and updated["description"] == "changed"
    assert (updated["title_zh"], updated["title_en"]) == ("中考居住年限降至半年", "Entrance exam after six months")
    shipped = service.client.get("/api/v1/scenarios/entrance_exam_residence_1y/yaml", headers=nat)
    again = _ok(service.client.post("/api/v1/scenarios", json={"yaml": shipped.text}, headers=nat), 409)
    assert "exists" in again["message"]
    unknown = EXAM.replace("exam_1y_2027", "bad_one").replace("entrance_exam.parent_si_months", "no.such.param")
    assert (
        "no.such.param"
        in _ok(service.client.post("/api/v1/scenarios", json={"yaml": unknown}, headers=nat), 400)["message"]
    )
    # a province's planner may not save a national reform
    other = EXAM.replace("exam_1y_2027", "gd_try")
    assert _ok(service.client.post("/api/v1/scenarios", json={"yaml": other}, headers=service.as_("pl_gd")), 403)
    _ok(service.client.delete("/api/v1/scenarios/exam_1y_2027", headers=nat), 204)
    assert _ok(service.client.get("/api/v1/scenarios/exam_1y_2027", headers=nat), 404)


def test_a_saved_reform_needs_a_title_trimmed_and_not_too_long(db_service: Service) -> None:
    """Saving a reform without a title (or a blank one, or one too long) is refused in the asked language, nothing
    saved; a title in one language is the reform's title in both, in the lists and the YAML's `title: {zh, en}`."""
    service = db_service
    nat = service.as_("pl_nat")
    change = [{"parameter": "entrance_exam.child_residence_months", "value": 12}]
    for title in (None, {"zh": "   ", "en": ""}):
        body = {"name": "untitled", "overrides": change, **({"title": title} if title else {})}
        for language, words in (("zh-CN", "请给改革方案一个标题"), ("en", "give the reform a title")):
            headers = {**nat, "Accept-Language": language}
            refused = _ok(service.client.post("/api/v1/scenarios", json=body, headers=headers), 400)
            assert refused["code"] == "scenario_needs_title" and words in refused["message"], refused
    untitled_yaml = "name: untitled\noverrides:\n  entrance_exam.child_residence_months: 12\n"
    refused = _ok(service.client.post("/api/v1/scenarios", json={"yaml": untitled_yaml}, headers=nat), 400)
    assert refused["code"] == "scenario_needs_title"
    body = {"name": "untitled", "title": {"zh": "长" * 201}, "overrides": change}
    refused = _ok(
        service.client.post("/api/v1/scenarios", json={**body}, headers={**nat, "Accept-Language": "en"}), 400
    )
    assert (
        refused["code"] == "scenario_title_too_long"
        and "at most 200 characters (this one has 201)" in refused["message"]
    )
    assert _ok(service.client.get("/api/v1/scenarios/untitled", headers=nat), 404)
    body["title"] = {"zh": " 随迁子女中考居住一年 "}
    saved = _ok(service.client.post("/api/v1/scenarios", json=body, headers=nat), 201)
    assert (saved["title_zh"], saved["title_en"]) == ("随迁子女中考居住一年", None)
    assert saved["display_title_zh"] == saved["display_title_en"] == "随迁子女中考居住一年"
    text = service.client.get("/api/v1/scenarios/untitled/yaml", headers=nat).text
    assert "title:\n  zh: 随迁子女中考居住一年\n" in text, text
    # an update must keep a title too
    refused = _ok(service.client.put("/api/v1/scenarios/untitled", json={**body, "title": None}, headers=nat), 400)
    assert refused["code"] == "scenario_needs_title"


def test_a_title_not_written_per_language_is_refused_showing_the_shape(db_service: Service) -> None:
    """`title: 某标题` (a plain string: in which language is not known), a list or another key is refused in the
    asked language showing the shape `title: {zh: …, en: …}` and what was given, in a YAML body and in the fields
    alike, nothing saved. Before: the YAML's plain title was taken for none (scenario_needs_title, no shape shown)
    and the fields' was refused by pydantic's "Input should be a valid dictionary"."""
    service = db_service
    nat = service.as_("pl_nat")
    plain = "name: plain_title\ntitle: 中考居住一年\noverrides:\n  entrance_exam.child_residence_months: 12\n"
    change = [{"parameter": "entrance_exam.child_residence_months", "value": 12}]
    bodies = (  # the fields' title is a field of the body: refused as one (422, the problem under its name)
        ({"yaml": plain}, "title: 中考居住一年", 400),
        (
            {"yaml": plain.replace("title: 中考居住一年", "title: {cn: 中考居住一年}")},
            'title: {"cn": "中考居住一年"}',
            400,
        ),
        ({"yaml": plain.replace("title: 中考居住一年", "title: [中考, 居住一年]")}, 'title: ["中考", "居住一年"]', 400),
        ({"name": "plain_title", "title": "中考居住一年", "overrides": change}, "title: 中考居住一年", 422),
    )
    for body, given, status in bodies:
        for language, shape in (
            ("zh-CN", "改革方案的标题按语言分别写：title: {zh: 中文标题, en: 英文标题}"),
            ("en", "a reform's title is written per language: title: {zh: Chinese title, en: English title}"),
        ):
            headers = {**nat, "Accept-Language": language}
            refused = _ok(service.client.post("/api/v1/scenarios", json=body, headers=headers), status)
            problem = refused["problems"][0] if status == 422 else refused
            assert problem["code"] == "scenario_title_shape", refused
            assert shape in refused["message"] and given in refused["message"], refused
    assert _ok(service.client.get("/api/v1/scenarios/plain_title", headers=nat), 404)
    untitled = _ok(
        service.client.post(
            "/api/v1/scenarios",
            json={"yaml": plain.replace("title: 中考居住一年\n", "")},
            headers={**nat, "Accept-Language": "en"},
        ),
        400,
    )
    assert untitled["code"] == "scenario_needs_title"  # none given: the shape it takes is said too
    assert "title: {zh: Chinese title, en: English title}" in untitled["message"], untitled


def test_a_reform_saved_before_titles_is_named_in_words_not_by_its_id(db_service: Service) -> None:
    """A reform saved before titles were asked (no `title:`) still lists, runs and names its runs: by its
    description where it has one, else by the parameters it changes in words, never by its name (the id)."""
    service = db_service
    nat = service.as_("pl_nat")
    old = (
        "name: old_7f3a\noverrides:\n  entrance_exam.child_residence_months: 12\n  entrance_exam.parent_si_months: 12\n"
    )
    with session_scope(service.engine) as session:
        session.add(
            ScenarioRow(
                name="old_7f3a",
                title="old_7f3a",
                body_yaml=old,
                owner="pl_nat",
                version=1,
                created_at="2026-11-01T00:00:00+00:00",
                updated_at="2026-11-01T00:00:00+00:00",
            )
        )
    listed = _ok(service.client.get("/api/v1/scenarios/old_7f3a", headers=nat))
    assert listed["title_zh"] is None and listed["title_en"] is None
    assert listed["display_title_zh"] == "改变：随迁子女中考：子女居住（就读）月数、随迁子女中考：父母社保缴费月数", (
        listed
    )
    assert listed["display_title_en"].startswith("Changes: "), listed
    assert "entrance_exam" not in listed["display_title_en"] and "old_7f3a" not in listed["display_title_en"]
    started = _ok(
        service.client.post("/api/v1/scenarios/old_7f3a/runs", json={"sample": 0.00002, "years": [2025]}, headers=nat),
        202,
    )
    assert started["title_zh"] == listed["display_title_zh"] and started["title_en"] == listed["display_title_en"]
    described = old.replace("overrides:", "description: 中考居住年限降至一年（旧方案）\noverrides:")
    assert (
        scenario_runs.run_title(ScenarioRunRow(scenario_name="old_7f3a", scenario_yaml=described), Lang.EN)
        == "中考居住年限降至一年（旧方案）"
    )
    service.client.app.state.scenario_runs.wait(started["run_id"], timeout=600)  # type: ignore[attr-defined]


def test_a_share_typed_as_a_percentage_is_refused_with_its_reason(service: Service) -> None:
    """A cost share of "5" (meant as 5%) is 500%: refused with the reason in the asked language, nothing saved."""
    nat = service.as_("pl_nat")
    share = {"parameter": "fiscal.cost_sharing.default.central", "value": 5, "since": "2026-01-01"}
    body = {"name": "central_share_5", "title": {"en": "Central share 5%"}, "overrides": [share]}
    for language, words in (("zh-CN", "比例须在 0 到 1 之间"), ("en", "a share is between 0 and 1")):
        refused = _ok(
            service.client.post("/api/v1/scenarios", json=body, headers={**nat, "Accept-Language": language}), 400
        )
        assert refused["code"] == "scenario_parameter_value" and words in refused["message"], refused
    assert _ok(service.client.get("/api/v1/scenarios/central_share_5", headers=nat), 404)
    body["overrides"] = [{**share, "value": 0.05}]
    assert _ok(service.client.post("/api/v1/scenarios", json=body, headers=nat), 201)["overrides"][0]["value"] == 0.05


def test_a_refused_value_names_its_parameter_and_unit_as_the_builder_shows_them(service: Service) -> None:
    """A negative 低保 standard is refused naming the parameter by its label and its unit in words, in the asked
    language: never the key (minimum_living_allowance.standard_yuan_month) nor a unit code (yuan in Chinese)."""
    nat = service.as_("pl_nat")
    key = "minimum_living_allowance.standard_yuan_month"
    body = {"name": "dibao_negative", "overrides": [{"parameter": key, "value": -5, "since": "2026-01-01"}]}
    for language, words in (("zh-CN", "低保标准（人均每月）"), ("en", "Minimum living allowance standard per head")):
        refused = _ok(
            service.client.post("/api/v1/scenarios", json=body, headers={**nat, "Accept-Language": language}), 400
        )
        message = refused["message"]
        assert refused["code"] == "scenario_parameter_value" and key not in message, message
        assert words in message, message
        assert (
            ("不能为负数（单位：元）" in message)
            if language == "zh-CN"
            else ("cannot be negative (in yuan)" in message)
        )
    assert _ok(service.client.get("/api/v1/scenarios/dibao_negative", headers=nat), 404)


def test_a_bad_unit_cost_setting_is_refused_in_the_asked_language(service: Service) -> None:
    """A reform's `simulation.costs` that is not a mapping: a coded reason naming the posted file, in the language
    the request asks for (it was the simulation's English message, uncoded); nothing saved."""
    nat = service.as_("pl_nat")
    text = EXAM.replace("exam_1y_2027", "bad_costs") + "  costs: 5\n"
    for language, message in (
        ("zh-CN", "scenario.yaml：单位成本（simulation.costs）须为各项服务及其年龄段的列表"),
        ("en", "scenario.yaml: the unit costs (simulation.costs) must list each service with its age bands"),
    ):
        headers = {**nat, "Accept-Language": language}
        refused = _ok(service.client.post("/api/v1/scenarios", json={"yaml": text}, headers=headers), 400)
        assert (refused["code"], refused["message"]) == ("simulation_costs_form", message), refused
    assert _ok(service.client.get("/api/v1/scenarios/bad_costs", headers=nat), 404)


def test_run_covers_the_effective_year_and_reports_groups_with_intervals(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    nat = service.as_("pl_nat")
    _ok(service.client.post("/api/v1/scenarios", json={"yaml": EXAM}, headers=nat), 201)
    started = _ok(service.client.post("/api/v1/scenarios/exam_1y_2027/runs", json={}, headers=nat), 202)
    assert started["status"] in ("queued", "running", "done")
    assert started["settings"]["years"] == [2025, 2027]  # the default year and the reform's effective year
    run = _wait(service, started["run_id"])
    assert run["title"] == run["title_zh"] == run["title_en"] == "中考居住年限自 2027 年起降至一年"
    summary = run["summary"]
    assert summary["sampled_persons"] > 20_000 and summary["sample"] == 0.00002
    results = f"/api/v1/scenarios/runs/{run['run_id']}/results?measure=newly_eligible&service=local_entrance_exam"
    national = {r["year"]: r for r in _ok(service.client.get(results + "&dimension=national", headers=nat))["items"]}
    rows = [
        r
        for d in DIMENSIONS
        for r in _ok(service.client.get(results + f"&year=2027&dimension={d}&limit=500", headers=nat))["items"]
    ]
    assert national[2025]["estimate"] == 0  # not yet in force
    gained = national[2027]
    assert gained["low"] < gained["estimate"] < gained["high"] and gained["low"] > 0
    assert {r["dimension"] for r in rows} == set(DIMENSIONS)
    kinds = {r["group"]: r for r in rows if r["dimension"] == "hukou_type"}
    assert set(kinds) == {"agricultural", "non_agricultural"} and "农业户口" in kinds["agricultural"]["group_label"]
    counties = [
        r
        for offset in range(0, 5000, 500)
        for r in _ok(
            service.client.get(results + f"&year=2027&dimension=county&limit=500&offset={offset}", headers=nat)
        )["items"]
    ]
    gd_counties = [r for r in counties if r["group"].startswith("44")]
    assert len(counties) > 1000 and any(r["group_label"] == "天河区" for r in gd_counties)
    cities = {r["group"]: r for r in rows if r["dimension"] == "prefecture"}
    assert cities["440100"]["group_label"] == "广州市" and len(cities) > 300
    gd_cities = sum(r["estimate"] for code, r in cities.items() if code.startswith("44"))
    gd = next(r for r in rows if r["dimension"] == "province" and r["group"] == "440000")
    assert abs(gd_cities - gd["estimate"]) < 1e-6 * max(1.0, gd["estimate"])  # cities add up to their province
    gd_by_county = sum(r["estimate"] for r in gd_counties)
    assert abs(gd_by_county - gd["estimate"]) < 1e-6 * max(1.0, gd["estimate"])  # and so do its counties
    provinces = {r["group_label"] for r in rows if r["dimension"] == "province"}
    assert "广东省" in provinces or "广东" in provinces
    deciles = sorted({r["group"] for r in rows if r["dimension"] == "income_decile"})
    assert deciles[:2] == ["D01", "D02"] and "D10" in deciles
    migrants = [r for r in rows if r["dimension"] == "residence"]
    assert {r["group"]: r["estimate"] > 0 for r in migrants} == {"local": False, "migrant": True}
    costs = _ok(
        service.client.get(
            f"/api/v1/scenarios/runs/{run['run_id']}/results?dimension=national&measure=delta_cost_yuan&limit=50",
            headers=nat,
        )
    )["items"]
    exam_cost = [r for r in costs if r["service"] == "local_entrance_exam"]
    assert exam_cost and all(r["estimate"] is None and "no unit cost" in r["note"] for r in exam_cost)
    assert "local_entrance_exam" in summary["services_without_unit_cost"]
    school = [u for u in summary["unit_costs"] if u["service"] == "compulsory_schooling"]
    assert school and all(u["source"] and u["source_en"] for u in school)
    guangdong = _ok(
        service.client.get(
            f"/api/v1/scenarios/runs/{run['run_id']}/results?dimension=province&limit=500", headers=service.as_("pl_gd")
        )
    )["items"]
    assert {r["group"] for r in guangdong} == {"440000"}
    gd_cities = _ok(
        service.client.get(
            f"/api/v1/scenarios/runs/{run['run_id']}/results?dimension=prefecture&limit=500",
            headers=service.as_("pl_gd"),
        )
    )["items"]
    assert gd_cities and {r["group"][:2] for r in gd_cities} == {"44"}
    csv = service.client.get(f"/api/v1/scenarios/runs/{run['run_id']}/results?format=csv&limit=100", headers=nat)
    assert csv.status_code == 200 and pl.read_csv(io.BytesIO(csv.content)).height == 100
    # a downloaded file says on every row that its figures are estimates from the run's synthetic sample
    # and what its own service's figures count (the 低保 clause on 低保's rows only)
    rows = pl.read_csv(io.BytesIO(csv.content))
    assert all(note == synthetic(0.00002, s) for s, note in zip(rows["service"], rows["estimate_note"], strict=True))
    _check_view_and_whole_files(service, run["run_id"], len(counties), monkeypatch)
    xlsx = service.client.get(f"/api/v1/scenarios/runs/{run['run_id']}/results?format=xlsx&limit=10", headers=nat)
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    _check_titled_files(service, run["run_id"])
    _check_bands(service, run["run_id"])


def _check_view_and_whole_files(service: Service, run_id: str, counties: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of the results is the size a spreadsheet opens: without groupings asked, the whole country, the
    provinces and the population groups (no prefecture or county: every county of every service, measure and year
    made a file of 620,000 rows); the run page's view (year, service, measure; the country, the map's level and the
    grouping shown) asks for exactly those rows; the whole table is asked as `dimension=all`; an XLSX of more rows
    than an Excel sheet holds is refused, coded and in the reader's language, rather than written for minutes."""
    nat = service.as_("pl_nat")
    query = f"/api/v1/scenarios/runs/{run_id}/results?whole=true"
    default = service.client.get(f"{query}&format=csv", headers=nat)
    table = pl.read_csv(io.BytesIO(default.content))
    assert set(table["dimension"]) == {d for d in DIMENSIONS if d != "prefecture"}, set(table["dimension"])
    assert default.headers["X-Row-Count"] == str(table.height)
    view = "&year=2027&service=local_entrance_exam&measure=newly_eligible&dimension=national,county,residence"
    shown = pl.read_csv(io.BytesIO(service.client.get(f"{query}&format=csv&lang=zh{view}", headers=nat).content))
    assert shown.height == 1 + counties + 2, shown.height  # the country, every county, local and migrant
    assert set(shown["年份"]) == {2027} and set(shown["服务"]) == {"随迁子女流入地中考"}
    assert set(shown["指标"]) == {"新增符合条件人数"} and set(shown["分组方式"]) == {"全国", "区县", "本地／外地户籍"}
    every = service.client.get(f"{query}&format=parquet&dimension=all", headers=nat)
    whole = pl.read_parquet(io.BytesIO(every.content))
    assert whole.height > table.height + counties and {"county", "prefecture"} <= set(whole["dimension"])
    assert every.headers["X-Row-Count"] == str(whole.height)
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", shown.height)  # the view's rows and a header: one too many
    for language, words in (
        ("zh-CN", f"所选结果有 {shown.height:,} 行，超过 Excel 工作表的上限"),
        ("en", f"have {shown.height:,} rows, more than an Excel sheet holds"),
    ):
        refused = service.client.get(f"{query}&format=xlsx{view}", headers={**nat, "Accept-Language": language})
        assert refused.status_code == 400 and refused.json()["code"] == "xlsx_too_many_rows", refused.text
        assert words in refused.json()["message"], refused.json()["message"]
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", shown.height + 1)
    sheet = pl.read_excel(io.BytesIO(service.client.get(f"{query}&format=xlsx{view}", headers=nat).content))
    assert sheet.height == shown.height


def _check_titled_files(service: Service, run_id: str) -> None:
    """Asked with a language, the file a person opens in Excel: headers, services and measures by name (a UTF-8
    CSV with its BOM, an xlsx), each row still saying its figures are estimates; no code left."""
    query = f"/api/v1/scenarios/runs/{run_id}/results?dimension=national&limit=500"
    csv = service.client.get(f"{query}&format=csv&lang=zh", headers=service.as_("pl_nat"))
    assert csv.content[:3] == b"\xef\xbb\xbf"  # the BOM Excel needs to read UTF-8
    table = pl.read_csv(io.BytesIO(csv.content))
    assert table.columns[:3] == ["改革方案", "年份", "服务"] and "90% 区间下限" in table.columns, table.columns
    assert set(table["改革方案"]) == {"中考居住年限自 2027 年起降至一年"}  # the reform by its title, not its name
    assert "随迁子女流入地中考" in set(table["服务"]) and "新增符合条件人数" in set(table["指标"])
    notes = {synthetic(0.00002, s).split(" / ")[0] for s in (*(x.value for x in ServiceCode), "all_costed_services")}
    assert set(table["估算说明"]) <= notes and table["估算说明"].null_count() == 0
    codes = {"local_entrance_exam", "newly_eligible", "delta_cost_yuan", "national", "all_costed_services"}
    assert not codes & {str(v) for c in ("服务", "指标", "分组方式") for v in table[c]}
    xlsx = service.client.get(f"{query}&format=xlsx&lang=en", headers=service.as_("pl_nat"))
    sheet = pl.read_excel(io.BytesIO(xlsx.content))
    assert {"Service", "Measure", "90% interval, low", "What the estimate is"} <= set(sheet.columns)
    assert "Newly eligible (people)" in set(sheet["Measure"]), set(sheet["Measure"])
    assert set(sheet[sheet.columns[0]]) == {"中考居住年限自 2027 年起降至一年"}  # given in Chinese only: in both
    assert not codes & {str(v) for c in ("Service", "Measure", "Grouping") for v in sheet[c]}
    _check_rounded_files(service, run_id)


def _whole(value: float | None) -> bool:
    return value is None or value == round(value)


def _to_4(value: float | None) -> bool:
    return value is None or abs(value - round(value, 4)) < 1e-12


def _check_rounded_files(service: Service, run_id: str) -> None:
    """A file's figures are rounded to what they measure (people, households and yuan whole, shares to 0.01%),
    with no float noise (2470371299999.9995); the API's JSON keeps them as computed."""
    query = f"/api/v1/scenarios/runs/{run_id}/results?dimension=national&limit=500"
    raw = _ok(service.client.get(query, headers=service.as_("pl_nat")))["items"]
    assert not all(_whole(r["estimate"]) for r in raw if not r["measure"].startswith("share_"))  # as computed
    table = pl.read_csv(io.BytesIO(service.client.get(f"{query}&format=csv", headers=service.as_("pl_nat")).content))
    shares = table.filter(pl.col("measure").str.starts_with("share_"))
    assert shares.height and all(_to_4(v) for c in ("estimate", "low", "high") for v in shares[c])
    rest = table.filter(~pl.col("measure").str.starts_with("share_"))
    assert all(_whole(v) for c in ("estimate", "low", "high") for v in rest[c]), rest.filter(
        pl.col("estimate") % 1 != 0
    )


def _check_bands(service: Service, run_id: str) -> None:
    """Households that gain and lose: five bands that cover everyone, with intervals, by decile, as files too."""
    nat = service.as_("pl_nat")
    bands = _ok(service.client.get(f"/api/v1/scenarios/runs/{run_id}/bands", headers=nat))["items"]
    national = {(r["year"], r["unit"], r["band"]): r for r in bands if r["dimension"] == "national"}
    for year in (2025, 2027):
        for unit in ("households", "persons", "unlinked_persons"):
            shares = [national[(year, unit, b)]["share"] for b in BANDS]
            assert abs(sum(shares) - 1) < 1e-9
    # households are a parent and linked children (two people or more); the rest are people not linked to one
    query = f"/api/v1/scenarios/runs/{run_id}/results?dimension=national&service=all_costed_services&year=2027"
    totals = {r["measure"]: r["estimate"] for r in _ok(service.client.get(query, headers=nat))["items"]}
    assert 0 < 2 * totals["households"] <= totals["residents"] - totals["unlinked_persons"], totals
    persons = sum(national[(2027, "persons", b)]["count"] for b in BANDS)
    assert abs(persons - totals["residents"]) < 1e-6 * persons
    assert national[(2025, "households", "no_change")]["share"] == 1  # nothing in force yet
    gains = national[(2027, "households", "gain_more_5")]  # the higher 低保 line makes households eligible
    assert gains["share_low"] <= gains["share"] <= gains["share_high"] and gains["count"] > 0
    # 1600 yuan is above every city's standard (Shanghai's 1510 is the highest), so nobody's line falls
    assert national[(2027, "households", "lose_more_5")]["share"] == 0
    deciles = {r["group"] for r in bands if r["dimension"] == "income_decile"}
    assert {"D01", "D10"} <= deciles
    csv = service.client.get(f"/api/v1/scenarios/runs/{run_id}/bands?format=csv&year=2027", headers=nat)
    table = pl.read_csv(io.BytesIO(csv.content))
    assert csv.status_code == 200 and set(table["year"]) == {2027}
    assert {"share", "share_low", "share_high", "count", "count_low", "count_high"} <= set(table.columns)
    assert set(table["estimate_note"]) == {synthetic(0.00002, "all_costed_services")}
    assert all(_whole(v) for c in ("count", "count_low", "count_high") for v in table[c])
    assert all(_to_4(v) for c in ("share", "share_low", "share_high") for v in table[c])
    assert not all(_whole(r["count"]) for r in bands)  # the JSON as computed
    named = service.client.get(f"/api/v1/scenarios/runs/{run_id}/bands?format=csv&year=2027&lang=zh", headers=nat)
    titled = pl.read_csv(io.BytesIO(named.content))
    assert {"年份", "统计对象", "收益变化", "占比（0–1）", "数量 90% 区间上限", "估算说明"} <= set(titled.columns)
    assert set(titled["统计对象"]) == {"家庭数", "人数", "未关联到家庭的人数"} and "增加 5% 以上" in set(
        titled["收益变化"]
    )
    assert not {"unit", "band", "share", "count", "estimate_note"} & set(titled.columns), titled.columns
    sheet = pl.read_excel(
        io.BytesIO(
            service.client.get(f"/api/v1/scenarios/runs/{run_id}/bands?format=xlsx&lang=en", headers=nat).content
        )
    )
    assert {"Counted", "Change in benefits", "Share (0–1)", "Number"} <= set(sheet.columns)
    assert "gain more than 5%" in set(sheet["Change in benefits"]) and set(sheet["Counted"]) == {
        "households",
        "people",
        "people not linked to a household",
    }


def test_a_run_survives_a_restart_and_an_unfinished_one_is_failed(db_service: Service, tmp_path: Any) -> None:
    service = db_service
    nat = service.as_("pl_nat")
    first = _ok(
        service.client.post(
            "/api/v1/scenarios/entrance_exam_residence_1y/runs", json={"sample": 0.00002, "years": [2025]}, headers=nat
        ),
        202,
    )
    done = _wait(service, first["run_id"])
    second = _ok(
        service.client.post(
            "/api/v1/scenarios/entrance_exam_residence_1y/runs",
            json={"sample": 0.00002, "years": [2025], "seed": 7},
            headers=nat,
        ),
        202,
    )
    _wait(service, second["run_id"])
    with session_scope(service.engine) as session:  # as if the service stopped while this one was computing
        session.execute(update(ScenarioRunRow).where(ScenarioRunRow.id == second["run_id"]).values(status="running"))
    restarted = start_service(service.engine, service.people, tmp_path / "keys2")
    kept = _ok(restarted.client.get(f"/api/v1/scenarios/runs/{first['run_id']}", headers=restarted.as_("fo_nat")))
    assert kept["status"] == "done" and kept["summary"] == done["summary"]
    interrupted = _ok(
        restarted.client.get(f"/api/v1/scenarios/runs/{second['run_id']}", headers=restarted.as_("fo_nat"))
    )
    assert interrupted["status"] == "failed" and interrupted["note"]["code"] == "run_interrupted"
    assert interrupted["message"] == "interrupted by a service restart before it finished: start it again"
    listed = _ok(
        restarted.client.get(
            "/api/v1/scenarios/runs?scenario=entrance_exam_residence_1y", headers=restarted.as_("fo_nat")
        )
    )
    assert listed["total"] == 2
    compare = _ok(
        restarted.client.get(
            f"/api/v1/scenarios/runs/compare?a={first['run_id']}&b={first['run_id']}&limit=500",
            headers=restarted.as_("fo_nat"),
        )
    )
    assert compare["items"] and all(r["difference"] in (0, None) for r in compare["items"])
    busy = restarted.client.get(
        f"/api/v1/scenarios/runs/compare?a={first['run_id']}&b={second['run_id']}", headers=restarted.as_("fo_nat")
    )
    assert busy.status_code == 409


def test_precision_target_chooses_a_bigger_sample(service: Service) -> None:
    nat = service.as_("pl_nat")
    body = {"sample": 0.00001, "years": [2025], "target_relative_half_width": 0.15}
    started = _ok(service.client.post("/api/v1/scenarios/entrance_exam_residence_1y/runs", json=body, headers=nat), 202)
    summary = _wait(service, started["run_id"])["summary"]
    assert summary["pilot"]["relative_half_width"] > 0.15 and summary["sample"] > 0.00001
    assert summary["headline"]["relative_half_width"] < summary["pilot"]["relative_half_width"]


def test_parameters_and_variables(service: Service) -> None:
    nat = service.as_("pl_nat")
    tree = _ok(service.client.get("/api/v1/parameters?limit=500&jurisdiction=000000", headers=nat))
    keys = {p["key"]: p for p in tree["items"]}
    cost = keys["simulation.cost.medical_insurance"]
    assert cost["value"] == 670 and cost["source"] and cost["since"] == "2024-01-01"
    assert "entrance_exam.child_residence_months" in keys
    limit = keys["public_rental_housing.income_limit_yuan_month"]  # the citation, and the project's remark apart
    assert "placeholder" in limit["note"] and "placeholder" not in limit["source"]
    assert limit["history"][0]["note"] == limit["note"]
    # a project remark in the answer's language (Accept-Language or ?lang=), a Chinese document's citation as it is
    permit_citation = "《居住证暂行条例》（国务院令第663号）第二条：居住半年以上"
    fund_zh, fund_en = (
        "本项目设定，非法规规定：示意资金规模",
        "changzhu's own setting, not a regulation: an illustrative fund",
    )
    zh, en = {"Accept-Language": "zh-CN,zh;q=0.9"}, {"Accept-Language": "en-GB,en;q=0.9"}
    for asked, fund in ((en, fund_en), (zh, fund_zh), ({**zh, "lang": "en"}, fund_en)):
        query = "&lang=en" if "lang" in asked else ""
        headers = {**nat, **{k: v for k, v in asked.items() if k != "lang"}}
        answer = _ok(service.client.get(f"/api/v1/parameters?limit=500&jurisdiction=000000{query}", headers=headers))
        found = {p["key"]: p for p in answer["items"]}
        assert found["fiscal.fund_yuan"]["source"].startswith(fund), asked
        assert found["fiscal.fund_yuan"]["history"][0]["source"].startswith(fund), asked
        assert found["residence_permit.min_residence_months"]["source"] == permit_citation, asked
        assert found["residence_permit.min_residence_months"]["source_en"] == permit_citation
    assert keys["fiscal.fund_yuan"]["source_zh"].startswith(fund_zh)
    assert keys["fiscal.fund_yuan"]["source_en"].startswith(fund_en)
    variables = _ok(service.client.get("/api/v1/variables?limit=500", headers=nat))["items"]
    names = {v["name"]: v for v in variables}
    assert names["birth_date"]["direction"] == "input" and names["eligible_local_entrance_exam"]["type"] == "bool"
    assert _ok(service.client.get("/api/v1/parameters", headers=service.as_("res_gz")), 403)


def test_too_many_waiting_runs_are_refused(service: Service) -> None:
    _ok(service.client.get("/api/v1/scenarios/runs", headers=service.as_("pl_nat")))  # this service has started
    with session_scope(service.engine) as session:
        for i in range(MAX_WAITING):
            session.add(
                ScenarioRunRow(
                    id=f"waiting{i}", scenario_id=None, scenario_name="x", scenario_yaml="", settings={},
                    status="queued", progress=0.0, message=None, data_version="d", code_version="c",
                    created_by="pl_nat", created_at="2026-11-30T00:00:00+00:00",
                )
            )  # fmt: skip
    path = "/api/v1/scenarios/entrance_exam_residence_1y/runs"
    refused = service.client.post(path, json={"sample": 0.00001}, headers=service.as_("pl_nat"))
    assert refused.status_code == 429 and "queued or running" in refused.json()["message"]


ZH, EN = {"Accept-Language": "zh-CN,zh;q=0.9"}, {"Accept-Language": "en-GB,en;q=0.9"}


def _in_both(service: Service, run_id: str) -> tuple[dict[str, Any], dict[str, Any]]:
    path = f"/api/v1/scenarios/runs/{run_id}"
    nat = service.as_("pl_nat")
    return _ok(service.client.get(path, headers={**nat, **ZH})), _ok(service.client.get(path, headers={**nat, **EN}))


def test_a_run_says_its_step_and_why_it_failed_in_the_readers_language(
    service: Service, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """While it runs, the run page says which year is being estimated (not "2027: chunk 3"); a run that fails on a
    coded error says its reason in the reader's language, one that fails on an unexpected error a generic reason with
    the run's number: never the exception's class or its text (they go to the server log only)."""
    computing, go_on = threading.Event(), threading.Event()
    failures: list[Exception] = [
        SimulationError(refusal(RefusalCode.SIMULATION_UNKNOWN_SERVICE, service="dental_care", known="school")),
        KeyError("internal_column_x"),
    ]

    def failing_run(*_args: Any, progress: Any, **_kwargs: Any) -> None:
        progress(0.4, 2027)
        computing.set()
        go_on.wait(timeout=60)
        raise failures.pop(0)

    monkeypatch.setattr(scenario_runs, "run_reform", failing_run)
    body = {"sample": 0.00001, "years": [2025, 2027]}
    path = "/api/v1/scenarios/entrance_exam_residence_1y/runs"
    first = _ok(service.client.post(path, json=body, headers=service.as_("pl_nat")), 202)["run_id"]
    assert computing.wait(timeout=60)
    zh, en = _in_both(service, first)
    assert (zh["status"], zh["message"], en["message"]) == ("running", "正在测算 2027 年", "estimating 2027")
    assert zh["note"] == {"code": "run_computing_year", "params": {"year": "2027"}}
    go_on.set()
    service.client.app.state.scenario_runs.wait(first, timeout=60)  # type: ignore[attr-defined]
    zh, en = _in_both(service, first)
    assert zh["status"] == "failed" and zh["note"]["code"] == "simulation_unknown_service"
    assert zh["message"] == "未知的服务 dental_care；可选：school"
    assert en["message"] == "unknown service dental_care; known: school"
    with caplog.at_level(logging.ERROR, logger="changzhu.api.run_store"):
        second = _ok(service.client.post(path, json=body, headers=service.as_("pl_nat")), 202)["run_id"]
        service.client.app.state.scenario_runs.wait(second, timeout=60)  # type: ignore[attr-defined]
    zh, en = _in_both(service, second)
    assert zh["status"] == "failed" and zh["note"] == {"code": "run_failed_unexpectedly", "params": {"run_id": second}}
    assert zh["message"].startswith("测算意外失败") and second in zh["message"]
    assert en["message"].startswith("the run failed unexpectedly") and second in en["message"]
    for shown in (zh, en):
        assert "KeyError" not in str(shown) and "internal_column_x" not in str(shown)
    logged = [r for r in caplog.records if second in r.getMessage()]
    assert logged and logged[0].exc_info is not None and "internal_column_x" in str(logged[0].exc_info[1])


def test_a_run_stored_with_english_text_reads_as_failed_unexpectedly(service: Service) -> None:
    """A run that failed before its reasons were coded kept "KeyError: ..." as its message: it is not shown."""
    _ok(service.client.get("/api/v1/scenarios/runs", headers=service.as_("pl_nat")))  # this service has started
    with session_scope(service.engine) as session:
        session.add(
            ScenarioRunRow(
                id="oldfailure", scenario_id=None, scenario_name="x", scenario_yaml="", settings={}, status="failed",
                progress=0.2, message="KeyError: 'internal_column_x'", data_version="d", code_version="c",
                created_by="pl_nat", created_at="2026-11-30T00:00:00+00:00",
            )
        )  # fmt: skip
    zh, en = _in_both(service, "oldfailure")
    assert zh["message"].startswith("测算意外失败") and en["message"].startswith("the run failed unexpectedly")
    assert "KeyError" not in str(zh) + str(en)
