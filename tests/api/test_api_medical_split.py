"""A hospital bill settled directly (医疗结算) says how it was split and why: the settlement's answer and the person's
bills (GET /residents/{key}/overview, GET /me/overview) carry the numbers the split rests on (the eligible amount,
the deductible 起付线, the year's cap and what was left of it) and what limited the fund's part, as the server
computed them, so the office says "under the deductible of 1,000 元" instead of a bare 0.00."""

from __future__ import annotations

from typing import Any

from api_support import Service

from changzhu.ledger.medical import set_policy
from changzhu.ledger.medical_rules import Policy

# Chengdu's test policy (api_support.populate): deductible 1,000 yuan, 70 % less 20 points for treatment not filed
# for (the worker has no filing: 50 %), cap 500,000 yuan; Guangzhou's catalogue has A001 (class A, fully eligible)
# and B001 (class B, 10 % self-pay)


def _settle(service: Service, key: str, items: list[tuple[str, int]], on: str = "2026-07-01") -> dict[str, Any]:
    bill = {
        "person_key": service.people["gz"],
        "insured_region": "510100",
        "treatment_region": "440100",
        "hospital": "中山大学附属第一医院",
        "treated_on": on,
        "idempotency_key": key,
        "items": [{"item_code": code, "amount_fen": fen} for code, fen in items],
    }
    answer = service.client.post("/api/v1/medical/settlements", json=bill, headers=service.as_("cw_gz"))
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def _bills(service: Service, who: str = "cw_gz") -> list[dict[str, Any]]:
    path = "/api/v1/me/overview" if who.startswith("res_") else f"/api/v1/residents/{service.people['gz']}/overview"
    answer = service.client.get(path, headers=service.as_(who))
    assert answer.status_code == 200, answer.text
    return list(answer.json()["medical_claims"])


def test_a_bill_under_the_deductible_says_so(db_service: Service) -> None:
    """500 yuan of class A care: the fund pays nothing because 500 yuan is under Chengdu's deductible of 1,000
    yuan; the answer and both overviews say so with the same numbers."""
    service = db_service
    settled = _settle(service, "under-deductible-1", [("A001", 50000)])
    assert (settled["fund_fen"], settled["self_fen"]) == (0, 50000)
    assert settled["fund_limited_by"] == "deductible"
    assert (settled["eligible_fen"], settled["deductible_fen"]) == (50000, 100000)
    why = {"eligible_fen": 50000, "rate_permille": 500, "deductible_fen": 100000, "cap_fen": 50000000,
           "cap_left_fen": 50000000, "fund_limited_by": "deductible"}  # fmt: skip
    for who in ("cw_gz", "res_gz"):
        (bill,) = _bills(service, who)
        assert (bill["fund_fen"], bill["self_fen"], bill["why"]) == (0, 50000, why), who


def test_a_bill_above_the_deductible_and_a_bill_past_the_cap(db_service: Service) -> None:
    """3,000 yuan of class A care: the fund pays 50 % of the 2,000 above the deductible, nothing limited it. With a
    cap of 1,500 yuan the next bill gets the 500 left of it ("cap"), and the one after nothing ("cap" again)."""
    service = db_service
    full = _settle(service, "above-deductible-1", [("A001", 300000)])
    assert (full["fund_fen"], full["self_fen"], full["fund_limited_by"]) == (100000, 200000, None)
    set_policy(service.engine, "510100", Policy(100000, 700, 150000, 100, 200), "cap test", actor="test")
    capped = _settle(service, "past-cap-1", [("A001", 300000)], on="2026-08-01")
    assert (capped["fund_fen"], capped["cap_left_fen"], capped["fund_limited_by"]) == (50000, 50000, "cap")
    nothing = _settle(service, "past-cap-2", [("A001", 300000)], on="2026-09-01")
    assert (nothing["fund_fen"], nothing["cap_left_fen"], nothing["fund_limited_by"]) == (0, 0, "cap")
    reasons = [(b["fund_fen"], b["why"]["fund_limited_by"], b["why"]["cap_fen"]) for b in _bills(service)]
    assert reasons == [(100000, None, 50000000), (50000, "cap", 150000), (0, "cap", 150000)]


def test_nothing_covered_says_so(db_service: Service) -> None:
    """A bill of an item outside the treatment place's catalogue: nothing is covered, and the reason is that, not
    the deductible."""
    service = db_service
    settled = _settle(service, "not-covered-1", [("X999", 200000)])
    assert (settled["fund_fen"], settled["eligible_fen"], settled["fund_limited_by"]) == (0, 0, "not_covered")
    assert _bills(service)[0]["why"]["fund_limited_by"] == "not_covered"
