"""The ledger over the API: vouchers, medical direct settlement, transfers; idempotent, and the ledger stays sound."""

from __future__ import annotations

from typing import Any

from api_support import Service

from changzhu.ledger.checks import ledger_problems


def _post(service: Service, path: str, body: dict[str, Any] | None, who: str) -> Any:
    return service.client.post(path, json=body, headers=service.as_(who))


def test_voucher_issue_redeem_once_and_clear(service: Service) -> None:
    gz = service.people["gz"]
    issue = {
        "holder_key": gz, "issuer_region": "510100", "service": "childcare", "value_fen": 80000,
        "issued_on": "2026-10-01", "expires_on": "2027-10-01", "idempotency_key": "issue-childcare-1",
    }  # fmt: skip
    first = _post(service, "/api/v1/vouchers", issue, "cw_cd")
    assert first.status_code == 201 and first.json()["replayed"] is False
    assert _post(service, "/api/v1/vouchers", issue, "cw_cd").json()["replayed"] is True
    clash = _post(service, "/api/v1/vouchers", {**issue, "value_fen": 1}, "cw_cd")
    assert clash.status_code == 409 and "issue-childcare-1" in clash.json()["message"]
    number = first.json()["voucher_no"]
    redeem = {
        "provider": "托育中心",
        "provider_region": "440100",
        "redeemed_on": "2026-11-01",
        "idempotency_key": "redeem-0001",
    }
    assert _post(service, f"/api/v1/vouchers/{number}/redeem", redeem, "cw_gz").status_code == 200
    twice = _post(service, f"/api/v1/vouchers/{number}/redeem", {**redeem, "idempotency_key": "redeem-0002"}, "cw_gz")
    assert twice.status_code == 400 and "already redeemed" in twice.json()["message"]
    nobody = _post(service, "/api/v1/vouchers", {**issue, "holder_key": "x" * 32, "idempotency_key": "k" * 8}, "cw_cd")
    assert nobody.status_code == 404
    cleared = _post(
        service,
        "/api/v1/vouchers/clearing",
        {"payer_region": "510100", "payee_region": "440100", "idempotency_key": "clear-0001"},
        "fo_nat",
    )
    assert cleared.json()["vouchers"] == 1 and cleared.json()["total_fen"] == 80000
    held = service.client.get(f"/api/v1/residents/{gz}/vouchers", headers=service.as_("res_gz")).json()
    assert {v["status"] for v in held} == {"issued", "cleared"}
    assert ledger_problems(service.engine) == []


def test_medical_filing_settlement_and_clearing(service: Service) -> None:
    gz = service.people["gz"]
    filing = {"person_key": gz, "insured_region": "510100", "treatment_region": "440100", "kind": "long_term",
              "filed_on": "2026-06-01", "idempotency_key": "file-0001"}  # fmt: skip
    assert _post(service, "/api/v1/medical/filings", filing, "res_gz").status_code == 201  # the person, online
    bill = {
        "person_key": gz, "insured_region": "510100", "treatment_region": "440100", "hospital": "中山一院",
        "treated_on": "2026-07-01", "idempotency_key": "bill-0001",
        "items": [{"item_code": "A001", "amount_fen": 300000}, {"item_code": "B001", "amount_fen": 200000}],
    }  # fmt: skip
    settled = _post(service, "/api/v1/medical/settlements", bill, "cw_gz").json()
    # eligible 300000 + 200000 × 0.9 = 480000; minus deductible 100000; × 70% (long-term filing) = 266000
    assert settled["filing"] == "long_term" and settled["fund_fen"] == 266000 and settled["self_fen"] == 234000
    clearing = {"payer_region": "510100", "payee_region": "440100", "idempotency_key": "mclear-0001"}
    assert _post(service, "/api/v1/medical/clearing", clearing, "fo_nat").json()["total_fen"] == 266000
    assert ledger_problems(service.engine) == []


def test_transfer_application_and_completion_move_the_months(service: Service) -> None:
    gz = service.people["gz"]
    application = {"transfer_no": "T-gz-1", "person_key": gz, "scheme": "pension", "from_region": "510100",
                   "to_region": "440100", "applied_on": "2026-11-01"}  # fmt: skip
    assert _post(service, "/api/v1/transfers", application, "cw_gz").status_code == 201
    done = _post(service, "/api/v1/transfers/T-gz-1/complete", None, "cw_cd").json()
    assert done["status"] == "completed" and done["months"] == 38
    account = service.client.get(f"/api/v1/residents/{gz}/account", headers=service.as_("res_gz")).json()
    pension = [m for m in account["contribution_months"] if m["scheme"] == "pension"]
    assert {(m["paid_region"], m["held_region"], m["months"]) for m in pension} == {
        ("510100", "440100", 38),
        ("440100", "440100", 36),
    }
    listed = service.client.get(f"/api/v1/residents/{gz}/transfers", headers=service.as_("res_gz")).json()
    assert [t["status"] for t in listed] == ["completed"]
    assert ledger_problems(service.engine) == []
