"""Eligibility and explanation over the API: a registered resident's entitlements, and posted person tables."""

from __future__ import annotations

from typing import Any

import polars as pl
from api_support import Service
from sqlalchemy import func, select
from test_api_matrix import _person_in_guangzhou

from changzhu.api.people import person_table
from changzhu.domain.person import PERSON_COLUMNS, PERSON_SCHEMA
from changzhu.registry import person_frame
from changzhu.registry.db import session_scope
from changzhu.registry.resident_models import AuditRow, PersonRow


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
    assert ours["si_months_total"].to_list() == [0, 74] and ours["prior_si_months"].to_list() == [0, 0]


def test_resident_sees_entitled_missing_and_when(service: Service) -> None:
    path = f"/api/v1/residents/{service.people['gz']}/entitlements?on=2026-11-24"
    body = service.client.get(path, headers=service.as_("res_gz")).json()
    assert body["person_key"] == service.people["gz"] and body["residence_region"] == "440100"
    assert "person_id" not in body and body["chain"] == ["000000 全国", "440100 广州市"]
    assert {"medical_insurance", "employment_services", "residence_permit"} <= set(body["entitled"])
    services = {s["service"]: s for s in body["services"]}
    housing = services["public_rental_housing"]
    assert not housing["eligible"] and housing["earliest"] is None
    assert any("income" in u["label"] for u in housing["unmet"])
    points = {p["scheme"]: p for p in body["points"]}["guangzhou_settlement_points"]
    assert points["total"] < points["line"] and points["earliest"] == "2027-11-24"  # when the line is reached


def test_incomplete_record_is_409_naming_the_columns(service: Service) -> None:
    response = service.client.get(
        f"/api/v1/residents/{service.people['mover']}/entitlements", headers=service.as_("cw_cd")
    )
    assert response.status_code == 409
    assert "incomplete" in response.json()["message"] and "'employed'" in response.json()["message"]


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
    assert (
        bad_date.status_code == 400
        and "rows [1]" in bad_date.json()["message"]
        and "birth_date" in bad_date.json()["message"]
    )
    missing = _post(
        service,
        "/api/v1/eligibility",
        {"on": "2026-11-24", "people": [{k: v for k, v in row.items() if k != "employed"}]},
    )
    assert missing.status_code == 400 and "'employed'" in missing.json()["message"]
    outside = _post(
        service, "/api/v1/eligibility", {"on": "2026-11-24", "people": [{**row, "residence_region": "510100"}]}, "pl_gd"
    )
    assert outside.status_code == 403 and "people[0].residence_region" in outside.json()["message"]
    unknown = _post(service, "/api/v1/eligibility", {"on": "2026-11-24", "people": [row], "overrides": {"no.such": 1}})
    assert unknown.status_code == 400 and "no.such" in unknown.json()["message"]
    nobody = _post(service, "/api/v1/eligibility/explain", {"on": "2026-11-24", "people": [row], "person_id": 9})
    assert nobody.status_code == 400 and "9" in nobody.json()["message"]
