"""Financial controls: per-item limits, annual budgets per region, and a second approver above a threshold."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from typing import Any

from api_support import ENGLISH, Service
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from changzhu.api import create_app
from changzhu.api.controls import controls_for
from changzhu.ledger.budgets import BudgetKind
from changzhu.ledger.checks import ledger_problems
from changzhu.rules.scenario import Scenario
from changzhu.store.db import session_scope
from changzhu.store.resident_models import MedicalClaimRow, VoucherRow

BILLION_10_YUAN_FEN = 10**12


def _voucher(service: Service, value_fen: int, key: str) -> dict[str, Any]:
    return {"holder_key": service.people["gz"], "issuer_region": "510100", "service": "vocational_training",
            "value_fen": value_fen, "issued_on": "2026-11-01", "expires_on": "2027-11-01",
            "idempotency_key": key}  # fmt: skip


def _post(client: TestClient, service: Service, path: str, body: dict[str, Any] | None, who: str) -> Any:
    return client.post(path, json=body, headers=service.as_(who))


def _vouchers(service: Service) -> int:
    with session_scope(service.engine) as session:
        return int(session.scalar(select(func.count()).select_from(VoucherRow)) or 0)


def _with_controls(service: Service, overrides: dict[str, Any]) -> TestClient:
    """Another app on the same database whose controls come from a scenario (CHANGZHU_CONTROLS_SCENARIO)."""
    settings = replace(
        service.client.app.state.settings,  # type: ignore[attr-defined]
        controls_scenario=Scenario.from_overrides(overrides, name="test controls"),
    )
    return TestClient(create_app(settings, service.engine), headers=ENGLISH)


def test_controls_are_dated_parameters_with_sources() -> None:
    c = controls_for(BudgetKind.VOUCHERS, "510100", date(2026, 11, 1), None)
    assert (c.max_fen, c.approval_above_fen, c.budget.limit_fen) == (5_000_000, 1_000_000, 20_000_000_000)
    for zh, en in c.sources.values():  # a project decision, not a regulation, said in each language
        assert "本项目设定" in zh and "changzhu's own setting" in en and "本项目" not in en, (zh, en)
    reform = Scenario.from_overrides({"510100": {"controls.voucher.max_value_yuan": 80000}})
    assert controls_for(BudgetKind.VOUCHERS, "510100", date(2026, 11, 1), reform).max_fen == 8_000_000
    assert controls_for(BudgetKind.VOUCHERS, "440100", date(2026, 11, 1), reform).max_fen == 5_000_000


def test_a_scenario_override_for_a_place_without_a_policy_file_applies() -> None:
    """Hangzhou (330100) and Zhejiang (330000) have no policy file: their overrides apply as the rules engine
    applies them (catalog.resolve_region), a city's over its province's."""
    on = date(2026, 11, 1)
    city = Scenario.from_overrides({"330100": {"controls.voucher.max_value_yuan": 80000}})
    assert controls_for(BudgetKind.VOUCHERS, "330100", on, city).max_fen == 8_000_000
    assert controls_for(BudgetKind.VOUCHERS, "330200", on, city).max_fen == 5_000_000  # Ningbo: not named
    both = Scenario.from_overrides(
        {
            "330000": {"controls.voucher.annual_budget_yuan": 1000},
            "330100": {"controls.voucher.annual_budget_yuan": 2000},
        }
    )
    assert controls_for(BudgetKind.VOUCHERS, "330200", on, both).budget.limit_fen == 100_000
    assert controls_for(BudgetKind.VOUCHERS, "330100", on, both).budget.limit_fen == 200_000


def test_a_ten_billion_yuan_voucher_is_refused(db_service: Service) -> None:
    service = db_service
    before = _vouchers(service)
    refused = _post(
        service.client, service, "/api/v1/vouchers", _voucher(service, BILLION_10_YUAN_FEN, "big-voucher-1"), "cw_cd"
    )
    assert refused.status_code == 422 and "above the limit of 50,000.00 yuan" in refused.json()["message"]
    assert "controls.voucher.max_value_yuan" in refused.json()["message"]
    # the limit's source, the project's own setting, in English on the English answer
    assert "since 2000-01-01: changzhu's own setting (2026-11-30), not a regulation" in refused.json()["message"]
    assert "本项目" not in refused.json()["message"]
    assert _vouchers(service) == before


def test_a_large_voucher_waits_for_a_second_approver(db_service: Service) -> None:
    service, client = db_service, db_service.client
    before = _vouchers(service)
    held = _post(client, service, "/api/v1/vouchers", _voucher(service, 2_000_000, "held-voucher-1"), "cw_cd")
    assert held.status_code == 202 and held.json()["status"] == "pending"
    again = _post(client, service, "/api/v1/vouchers", _voucher(service, 2_000_000, "held-voucher-1"), "cw_cd")
    assert again.json()["approval_id"] == held.json()["approval_id"] and again.json()["replayed"] is True
    assert _vouchers(service) == before  # nothing issued yet: it cannot be redeemed
    path = f"/api/v1/approvals/{held.json()['approval_id']}/approve"
    own = _post(client, service, path, {}, "cw_cd")
    assert own.status_code == 403 and "cannot approve" in own.json()["message"]
    assert _post(client, service, path, {}, "cw_gz").status_code == 403  # not Chengdu's
    assert _post(client, service, path, {}, "fo_nat").status_code == 403  # not a checker's role
    approved = _post(client, service, path, {"note": "contract seen"}, "ad_nat")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["result"]["value_fen"] == 2_000_000 and _vouchers(service) == before + 1
    assert _post(client, service, path, {}, "ad_nat").status_code == 409  # once only
    assert ledger_problems(service.engine) == []


def test_the_annual_voucher_budget_is_enforced(db_service: Service) -> None:
    """Chengdu's budget set to 3,000 yuan for the test; 2,000 were issued when the database was filled."""
    service = db_service
    client = _with_controls(service, {"510100": {"controls.voucher.annual_budget_yuan": 3000}})
    assert _post(client, service, "/api/v1/vouchers", _voucher(service, 60000, "budget-1"), "cw_cd").status_code == 201
    over = _post(client, service, "/api/v1/vouchers", _voucher(service, 50000, "budget-2"), "cw_cd")
    assert over.status_code == 409 and "400.00 yuan are left" in over.json()["message"]
    assert _post(client, service, "/api/v1/vouchers", _voucher(service, 40000, "budget-3"), "cw_cd").status_code == 201
    next_year = {**_voucher(service, 50000, "budget-4"), "issued_on": "2027-01-02", "expires_on": "2027-12-31"}
    assert _post(client, service, "/api/v1/vouchers", next_year, "cw_cd").status_code == 201  # a new year's budget
    # a held voucher is checked against the budget again when it is approved
    tight = _with_controls(
        service,
        {"510100": {"controls.voucher.annual_budget_yuan": 3000, "controls.voucher.approval_above_yuan": 100}},
    )
    held = _post(tight, service, "/api/v1/vouchers", _voucher(service, 20000, "budget-5"), "cw_cd").json()
    late = _post(tight, service, f"/api/v1/approvals/{held['approval_id']}/approve", {}, "ad_nat")
    assert late.status_code == 409 and "budget" in late.json()["message"]
    assert ledger_problems(service.engine) == []


def test_concurrent_vouchers_never_pass_the_budget_together(db_service: Service) -> None:
    """Eight issues of 500 yuan at once against 1,000 yuan left: exactly two pass, on both databases."""
    service = db_service
    client = _with_controls(service, {"510100": {"controls.voucher.annual_budget_yuan": 3000}})
    statuses: list[int] = []

    def issue(i: int) -> None:
        response = _post(client, service, "/api/v1/vouchers", _voucher(service, 50000, f"race-{i:04d}"), "cw_cd")
        statuses.append(response.status_code)

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [201, 201] + [409] * 6
    with session_scope(service.engine) as session:
        issued = session.scalar(select(func.sum(VoucherRow.value_fen)).where(VoucherRow.issuer_region == "510100"))
    assert issued == 300000


def test_a_large_bill_waits_for_the_insured_place(db_service: Service) -> None:
    service, client = db_service, db_service.client
    bill = {
        "person_key": service.people["gz"], "insured_region": "510100", "treatment_region": "440100",
        "hospital": "中山一院", "treated_on": "2026-07-01", "idempotency_key": "big-bill-1",
        "items": [{"item_code": "A001", "amount_fen": 30_000_000}],
    }  # fmt: skip
    held = _post(client, service, "/api/v1/medical/settlements", bill, "cw_gz")
    assert held.status_code == 202, held.text
    path = f"/api/v1/approvals/{held.json()['approval_id']}/approve"
    assert _post(client, service, path, {}, "cw_gz").status_code == 403  # the maker
    assert _post(client, service, path, {}, "ad_gd").status_code == 403  # not the insured place
    approved = _post(client, service, path, {}, "cw_cd")  # Chengdu's fund pays: Chengdu approves
    assert approved.status_code == 200 and approved.json()["result"]["claim_no"] == "big-bill-1"
    too_big = {**bill, "idempotency_key": "huge-bill-1", "items": [{"item_code": "A001", "amount_fen": 400_000_000}]}
    assert _post(client, service, "/api/v1/medical/settlements", too_big, "cw_gz").status_code == 422
    with session_scope(service.engine) as session:
        assert session.scalar(select(func.count()).select_from(MedicalClaimRow)) == 1
    assert ledger_problems(service.engine) == []


def test_the_medical_fund_budget_is_enforced(db_service: Service) -> None:
    service = db_service
    client = _with_controls(service, {"510100": {"controls.medical.annual_budget_yuan": 1000}})
    bill = {
        "person_key": service.people["gz"], "insured_region": "510100", "treatment_region": "440100",
        "hospital": "中山一院", "treated_on": "2026-07-01", "idempotency_key": "fund-bill-1",
        "items": [{"item_code": "A001", "amount_fen": 500000}],
    }  # fmt: skip
    # (5,000 − 1,000 deductible) × 70% × (1 − 20% unfiled cut) = 2,240 yuan from the fund: over 1,000
    over = _post(client, service, "/api/v1/medical/settlements", bill, "cw_gz")
    assert over.status_code == 409 and "medical budget" in over.json()["message"]
    with session_scope(service.engine) as session:
        assert session.scalar(select(func.count()).select_from(MedicalClaimRow)) == 0
