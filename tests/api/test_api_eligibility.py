"""Eligibility and explanation over the API: a registered resident's entitlements, and posted person tables."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from api_support import Service
from sqlalchemy import func, select
from test_api_matrix import _person_in_guangzhou

from changzhu.api.people import person_table
from changzhu.domain.person import PERSON_COLUMNS, PERSON_SCHEMA
from changzhu.registry import person_frame
from changzhu.registry.decide import evaluate_registered
from changzhu.rules import person_inputs
from changzhu.rules.catalog import POLICY_DIR, policies_in_use
from changzhu.rules.labels import fact_labels
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow, PersonRow


def _id(service: Service, name: str) -> int:
    with session_scope(service.engine) as session:
        return int(session.scalar(select(PersonRow.id).where(PersonRow.person_key == service.people[name])))


def test_adapter_matches_the_registry_person_frame(service: Service) -> None:
    child = _id(service, "child")
    ours = person_table(service.engine, child).cast(PERSON_SCHEMA)  # type: ignore[arg-type]
    theirs = person_frame(service.engine).filter(pl.col("person_id").is_in(ours["person_id"].to_list()))
    required = [c.name for c in PERSON_COLUMNS if not c.optional]
    assert ours["person_id"].to_list() == [child, _id(service, "gz")]  # the child, then the linked parent
    assert ours.select(required).sort("person_id").equals(theirs.select(required).sort("person_id"))
    # the child has no contribution record: months unknown (never 0); no previous place, so none paid there
    assert ours["si_months_total"].to_list() == [None, 74] and ours["prior_si_months"].to_list() == [0, 0]


def test_resident_sees_entitled_missing_and_when(service: Service) -> None:
    path = f"/api/v1/residents/{service.people['gz']}/entitlements?on=2026-11-24"
    body = service.client.get(path, headers=service.as_("res_gz")).json()
    assert body["person_key"] == service.people["gz"] and body["residence_region"] == "440100"
    assert "person_id" not in body and body["chain"] == ["000000 全国", "440100 广州市"]
    assert {"medical_insurance", "employment_services", "residence_permit"} <= set(body["entitled"])
    services = {s["service"]: s for s in body["services"]}
    housing = services["public_rental_housing"]
    assert not housing["eligible"] and housing["earliest"] is None
    assert any("收入" in u["label"] for u in housing["unmet"]), [u["label"] for u in housing["unmet"]]  # zh labels
    points = {p["scheme"]: p for p in body["points"]}["guangzhou_settlement_points"]
    # 2021 table: age 30 + 本科 30 + 3 years each of pension and medical insurance (2 a year) = 72 < 100; each year
    # adds 8 (permit) + 6 × 2 (five insurances and the fund, while employed): 92 on 2027-11-24, 112 on 2028-11-24
    assert points["total"] < points["line"] and points["earliest"] == "2028-11-24"  # when the line is reached


def test_record_lacking_core_facts_is_decided_as_the_registry_decides(service: Service) -> None:
    """The mover has no core facts on file: a decision they could change is undetermined and names them; one they
    cannot change is given, exactly as evaluate_registered gives it, and conditions reading them are unknown."""
    response = service.client.get(
        f"/api/v1/residents/{service.people['mover']}/entitlements?on=2026-11-24&lang=en", headers=service.as_("cw_cd")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    table = person_table(service.engine, _id(service, "mover"))
    decided = evaluate_registered(table, date(2026, 11, 24)).row(0, named=True)
    labels = fact_labels(policies_in_use().variables, "en")  # the variables, and parent_id, parent_lives_here
    for s in body["services"]:
        name = s["service"]
        assert s["eligible"] == decided[f"eligible_{name}"]
        assert (s["decision"] == "undetermined") == decided[f"undetermined_{name}"]
        assert s["needs"] == [labels[n] for n in decided[f"needs_{name}"] or []]
        for c in s["conditions"]:
            if c["kind"] == "variable" and c["subject"] in {"employed", "housing", "income_per_capita_month"}:
                assert c["status"] == "unknown" and c["value"] == "unknown", c
    unsure = {u["service"]: u["needs"] for u in body["undetermined"]}
    assert "in legal, stable employment" in unsure["residence_permit"]
    assert any(s["decision"] != "undetermined" for s in body["services"]), "some decisions hold whatever the facts"


def test_months_without_a_contribution_history_are_unknown_not_zero(service: Service) -> None:
    """The mover's contributions were never uploaded: a condition on insurance months is unknown, saying so, and
    the decisions it could change name the months (as evaluate_registered does), in both languages."""
    shown = {"en": "unknown: no contribution history uploaded", "zh": "未知：未上传缴费记录"}
    for lang, unknown in shown.items():
        response = service.client.get(
            f"/api/v1/residents/{service.people['mover']}/entitlements?on=2026-11-24&lang={lang}",
            headers=service.as_("cw_cd"),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        on_months = [
            c
            for s in body["services"]
            for c in s["conditions"]
            if c["kind"] == "variable" and c["subject"] in {"si_local", "si_total", "si_recognised", "medical_local"}
        ]
        assert on_months and all(c["status"] == "unknown" and c["value"] == unknown for c in on_months), on_months
        label = fact_labels(policies_in_use().variables, lang)["medical_months_local"]
        assert any(label in u["needs"] for u in body["undetermined"]), body["undetermined"]


def test_entitlements_reads_are_audited(service: Service) -> None:
    def count() -> int:
        with session_scope(service.engine) as session:
            query = select(func.count()).select_from(AuditRow).where(AuditRow.subject == service.people["gz"])
            return int(session.scalar(query.where(AuditRow.action == "read_personal_data")) or 0)

    before = count()
    service.client.get(f"/api/v1/residents/{service.people['gz']}/entitlements", headers=service.as_("cw_gz"))
    assert count() == before + 1


def _post(service: Service, path: str, body: dict[str, Any], who: str = "pl_nat") -> Any:
    return service.client.post(path, json=body, headers=service.as_(who))


def test_posted_table_is_evaluated_with_and_without_a_reform(service: Service) -> None:
    body = _person_in_guangzhou()
    plain = _post(service, "/api/v1/eligibility", body).json()
    assert plain["rows"][0]["person_id"] == 1 and plain["scenario"] is None
    assert plain["eligible_counts"]["residence_permit"] == 1
    # the reform cuts the permit's residence requirement 6 → 3 months from 2027-01-01
    newcomer = {"on": "2027-01-15", "people": [{**body["people"][0], "residence_since": "2026-10-01"}]}
    before = _post(service, "/api/v1/eligibility", newcomer).json()["rows"][0]
    reform = _post(service, "/api/v1/eligibility", {**newcomer, "scenario": "permit_after_3_months"}).json()
    assert before["eligible_residence_permit"] is False and before["earliest_residence_permit"] == "2027-04-01"
    assert reform["scenario"] == "permit_after_3_months" and reform["rows"][0]["eligible_residence_permit"] is True
    explained = _post(service, "/api/v1/eligibility/explain", {**newcomer, "services": ["residence_permit"]}).json()
    assert [s["service"] for s in explained["services"]] == ["residence_permit"]
    assert any(c["missing"] for c in explained["services"][0]["conditions"] if not c["passed"])


def test_bad_tables_name_the_row_and_change_nothing(service: Service) -> None:
    row = _person_in_guangzhou()["people"][0]
    bad_date = _post(
        service,
        "/api/v1/eligibility",
        {"on": "2026-11-24", "people": [row, {**row, "person_id": 2, "birth_date": "1995-13-40"}]},
    )
    # the second person is person 2 (counted from 1, as people count), her column by its label, not its variable
    assert bad_date.status_code == 400, bad_date.text
    assert bad_date.json()["message"].startswith("person 2: date of birth is not a date"), bad_date.text
    chinese_date = service.client.post(
        "/api/v1/eligibility",
        json={"on": "2026-11-24", "people": [row, {**row, "person_id": 2, "birth_date": "1995-13-40"}]},
        headers={**service.as_("pl_nat"), "Accept-Language": "zh-CN"},
    )
    assert chinese_date.json()["message"].startswith("第 2 人的“出生日期”不是日期"), chinese_date.text
    missing = _post(
        service,
        "/api/v1/eligibility",
        {"on": "2026-11-24", "people": [{k: v for k, v in row.items() if k != "employed"}]},
    )
    assert missing.status_code == 400 and "'employed'" in missing.json()["message"]
    far = {"on": "2026-11-24", "people": [row, {**row, "person_id": 2, "residence_region": "510100"}]}
    outside = _post(service, "/api/v1/eligibility", far, "pl_gd")
    # the second row is person 2 in words, not a path counted from 0
    assert outside.status_code == 403
    assert outside.json()["message"].startswith("person 2's place of residence Chengdu (510100)")
    chinese = service.client.post(
        "/api/v1/eligibility", json=far, headers={**service.as_("pl_gd"), "Accept-Language": "zh-CN"}
    )
    assert chinese.json()["message"].startswith("第 2 人的常住地 成都市（510100）")
    unknown = _post(service, "/api/v1/eligibility", {"on": "2026-11-24", "people": [row], "overrides": {"no.such": 1}})
    assert unknown.status_code == 400 and "no.such" in unknown.json()["message"]
    nobody = _post(service, "/api/v1/eligibility/explain", {"on": "2026-11-24", "people": [row], "person_id": 9})
    assert nobody.status_code == 400 and "9" in nobody.json()["message"]


def test_a_missing_input_gives_an_undetermined_decision_naming_it(service: Service) -> None:
    """A Shanghai child whose parent's 居住证积分 depend on an unknown insurance base: the 中考 is undetermined."""
    parent = {
        **_person_in_guangzhou()["people"][0],
        "residence_region": "310100", "hukou_region": "340800", "residence_since": "2022-01-01",
        "residence_permit_since": "2022-07-01", "si_months_local": 40, "si_months_total": 40,
        "education": "senior_secondary", "si_base_ratio": None,
    }  # fmt: skip
    child = {
        **parent, "person_id": 2, "birth_date": "2011-03-01", "parent_id": 1, "employed": False,
        "si_months_local": 0, "si_months_total": 0, "medical_months_local": 0, "residence_permit_since": None,
    }  # fmt: skip
    body = {"on": "2026-06-01", "people": [parent, child]}
    result = _post(service, "/api/v1/eligibility", body).json()
    row = next(r for r in result["rows"] if r["person_id"] == 2)
    assert row["undetermined_local_entrance_exam"] is True and row["eligible_local_entrance_exam"] is False
    assert "si_base_ratio" in row["needs_local_entrance_exam"]  # with the other inputs the rules read and lack
    assert result["undetermined_counts"]["local_entrance_exam"] == 1
    points = next(r for r in result["rows"] if r["person_id"] == 1)
    low, high = points["points_low_shanghai_residence_points"], points["points_high_shanghai_residence_points"]
    assert (low is None or low < 120) and high >= 120  # no lower bound (null) while an uncapped deduction is unknown
    explained = _post(service, "/api/v1/eligibility/explain", {**body, "person_id": 2, "lang": "en"}).json()
    exam = next(s for s in explained["services"] if s["service"] == "local_entrance_exam")
    assert exam["decision"] == "undetermined" and "insurance base over the city average wage" in exam["needs"]
    known = {"on": "2026-06-01", "people": [{**parent, "si_base_ratio": 1.0}, child]}
    decided = next(r for r in _post(service, "/api/v1/eligibility", known).json()["rows"] if r["person_id"] == 2)
    # the base is known now: it is no longer named (the full Shanghai table still needs the parent's other facts)
    assert "si_base_ratio" not in (decided["needs_local_entrance_exam"] or [])


def test_explain_names_the_inputs_eligibility_names(service: Service) -> None:
    """Shanghai parents each missing one input a 居住证积分 indicator reads, each with a child whose 中考 rests on
    the parent's points: the explanation of each (the child's exam shown on the parent too) names exactly the
    needs_ and unassessed_ of the eligibility rows."""
    parent = {
        **_person_in_guangzhou()["people"][0],
        "residence_region": "310100", "hukou_region": "340800", "residence_since": "2022-01-01",
        "residence_permit_since": "2022-07-01", "si_months_local": 40, "si_months_total": 40,
        "education": "senior_secondary", "si_base_ratio": 1.1, "professional_title": "none", "admin_detentions": 0,
    }  # fmt: skip
    # examples as a client sends them (a dates input's example is a list of dates: ISO texts in JSON)
    parent |= {i.name: json.loads(json.dumps(i.example, default=str)) for i in person_inputs("310100") if not i.core}
    parent["false_material_dates"] = []  # no finding (the example has one, -150): the points stay near the line
    missing = [i.name for i in person_inputs("310100") if not i.core] + ["si_base_ratio", "professional_title"]
    people = []
    for k, name in enumerate(missing):
        people.append({**parent, "person_id": 2 * k + 1, name: None})
        people.append({
            **parent, "person_id": 2 * k + 2, "birth_date": "2011-03-01", "parent_id": 2 * k + 1, "employed": False,
            "si_months_local": 0, "si_months_total": 0, "medical_months_local": 0, "residence_permit_since": None,
        })  # fmt: skip
    body = {"on": "2026-06-01", "people": people}
    answer = _post(service, "/api/v1/eligibility", body).json()
    assert "rows" in answer, answer
    rows = {r["person_id"]: r for r in answer["rows"]}
    named = 0
    for pid in rows:
        explained = _post(service, "/api/v1/eligibility/explain", {**body, "person_id": pid, "lang": "en"}).json()
        for s in explained["services"]:
            row = rows[s["for_person"] or pid]
            assert s["needed_inputs"] == (row[f"needs_{s['service']}"] or []), (pid, s["service"])
            named += bool(s["needed_inputs"])
        for p in explained["points"]:
            if p["of"] == "self":
                unassessed = [i["name"] for i in p["indicators"] if i["points"] is None]
                assert unassessed == (rows[pid][f"unassessed_{p['scheme']}"] or []), pid
    assert named >= len(missing)  # the children's 中考 (each on the child and on the parent) are undetermined


def test_a_running_service_sees_a_new_city_without_a_restart(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service reads CHANGZHU_POLICY_DIR on each request and reloads it when a policy file changed."""
    policies = tmp_path / "policies"
    shutil.copytree(POLICY_DIR, policies)
    monkeypatch.setenv("CHANGZHU_POLICY_DIR", str(policies))
    body = _person_in_guangzhou()
    in_foshan = {**body, "people": [{**body["people"][0], "residence_region": "440600"}]}
    before = _post(service, "/api/v1/eligibility", in_foshan).json()["rows"][0]
    assert before.get("points_guangzhou_settlement_points") is None  # national rules only: no points scheme
    text = (policies / "jurisdictions" / "440100.yaml").read_text(encoding="utf-8")
    (policies / "jurisdictions" / "440600.yaml").write_text(
        text.replace('jurisdiction: "440100"', 'jurisdiction: "440600"').replace("name_zh: 广州市", "name_zh: 佛山市"),
        encoding="utf-8",
    )
    after = _post(service, "/api/v1/eligibility", in_foshan).json()["rows"][0]
    assert after["points_guangzhou_settlement_points"] is not None
