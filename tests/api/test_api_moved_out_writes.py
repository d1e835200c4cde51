"""What a write about a person handed over to another province's instance (跨省通办) tells each caller, over the API on
SQLite and PostgreSQL (docs/api.md, "Who may change what"). A Guangzhou resident whose hukou is in Shenzhen, insured
there for medical care, moves to Chengdu; at Guangdong's instance her record takes no writes, and:

- (a) staff with no tie to her (a Foshan caseworker settling a hospital bill there) get the one not-in-reach answer,
  word for word what a key no one has gets: nothing of the move;
- (b) Shenzhen's caseworker, who may write to her as her hukou place (a voucher) and as her insured place (a filing)
  but may not read her file, is told she moved to another province, not where to;
- (c) Guangzhou's caseworker, who reads her file as history, is told where she moved and since when.

Before, the refusal was made where the write locks the person (store/checks.py), which knows no caller: (a) and (b)
were told her new city and the day she moved, and (c) got the not-in-reach answer on the person's own routes."""

from __future__ import annotations

from typing import Any

from api_support import MOVED_TO_CHENGDU, Service, moved_to_chengdu
from sqlalchemy import func, select

from changzhu.ledger.checks import ledger_problems
from changzhu.store.approval_models import PendingApprovalRow
from changzhu.store.auth_models import UserRow
from changzhu.store.db import session_scope

NEW_CITY = ("510100", "成都", "Chengdu")  # what no answer but (c)'s may name


def _post(service: Service, path: str, body: dict[str, Any], user: str) -> tuple[Any, Any]:
    """The answer in English and the same request's answer in Chinese."""
    en = service.client.post(path, json=body, headers=service.as_(user))
    zh = service.client.post(path, json=body, headers={**service.as_(user), "Accept-Language": "zh"})
    return en, zh


def _says_nothing_of_the_city(*answers: Any) -> None:
    for answer in answers:
        assert not any(word in answer.text for word in NEW_CITY), answer.text
        assert MOVED_TO_CHENGDU.isoformat() not in answer.text, answer.text


def _bill(person: str) -> dict[str, Any]:
    return {
        "person_key": person,
        "insured_region": "440300",
        "treatment_region": "440600",
        "hospital": "佛山市第一人民医院",
        "treated_on": "2026-11-05",
        "items": [{"item_code": "A001", "amount_fen": 12_000}],
        "idempotency_key": f"bill-{person[:8]}",
    }


def test_a_caller_with_no_tie_to_her_gets_the_not_in_reach_answer(db_service: Service) -> None:
    """(a) Foshan's caseworker settles a bill at a Foshan hospital for her (insured in Shenzhen, as the request says):
    the answer is the one a key no one has gets. Before: 409 naming Chengdu and the day she moved."""
    person = moved_to_chengdu(db_service)
    refused, in_zh = _post(db_service, "/api/v1/medical/settlements", _bill(person), "cw_fs")
    nobody, _ = _post(db_service, "/api/v1/medical/settlements", _bill("0" * 32), "cw_fs")
    assert refused.status_code == 404 and refused.json()["code"] == "no_person_in_reach", refused.text
    assert (nobody.status_code, nobody.json()) == (refused.status_code, refused.json())
    _says_nothing_of_the_city(refused, in_zh)
    assert ledger_problems(db_service.engine) == []


def test_her_hukou_and_insured_place_are_told_she_moved_but_not_where(db_service: Service) -> None:
    """(b) Shenzhen's caseworker may issue her a voucher (her hukou place) and file treatment elsewhere (her insured
    place) but may not read her file: both writes are refused as for someone who moved to another province, naming
    no place and no day. Before: `person_moved_out` with 成都市 and 2026-11-01."""
    person = moved_to_chengdu(db_service)
    assert db_service.client.get(f"/api/v1/residents/{person}", headers=db_service.as_("cw_sz")).status_code == 404
    voucher = {"holder_key": person, "issuer_region": "440300", "service": "托育服务", "value_fen": 10_000,
               "issued_on": "2026-11-02", "expires_on": "2026-12-31"}  # fmt: skip
    filing = {"person_key": person, "insured_region": "440300", "treatment_region": "510100", "kind": "long_term",
              "filed_on": "2026-11-05"}  # fmt: skip
    for path, body in (("/api/v1/vouchers", voucher), ("/api/v1/medical/filings", filing)):
        refused, in_zh = _post(db_service, path, body, "cw_sz")
        assert refused.status_code == 409 and refused.json()["code"] == "person_moved_out_elsewhere", refused.text
        assert "another province" in refused.json()["message"] and "外省" in in_zh.json()["message"]
        _says_nothing_of_the_city(refused, in_zh)
    assert ledger_problems(db_service.engine) == []


def test_the_place_she_left_is_told_where_she_moved(db_service: Service) -> None:
    """(c) Guangzhou's caseworker reads her file as history; a write to it (her facts, months paid in Guangzhou, an
    application) is refused naming Chengdu and the day she moved. Before: 404 `no_person_in_reach`, as if the
    record they had just read were not there."""
    person = moved_to_chengdu(db_service)
    read = db_service.client.get(f"/api/v1/residents/{person}", headers=db_service.as_("cw_gz"))
    assert read.status_code == 200, read.text
    writes = [
        ("patch", f"/api/v1/residents/{person}/facts", {"facts": {"employed": True}}),
        ("post", f"/api/v1/residents/{person}/contributions",
         {"scheme": "pension", "region": "440100", "from_period": 202611, "months": 1, "amount_yuan": 7000}),
        ("post", "/api/v1/applications", {"person_key": person, "kind": "points"}),
    ]  # fmt: skip
    for method, path, body in writes:
        refused = db_service.client.request(method, path, json=body, headers=db_service.as_("cw_gz"))
        assert refused.status_code == 409 and refused.json()["code"] == "person_moved_out", (path, refused.text)
        assert refused.json()["params"] == {"on": "2026-11-01", "region": "510100"}
        assert "Chengdu" in refused.json()["message"], refused.text
    assert ledger_problems(db_service.engine) == []


def _held_items(service: Service) -> int:
    with session_scope(service.engine) as session:
        return int(session.scalar(select(func.count()).select_from(PendingApprovalRow)) or 0)


def test_a_write_held_for_a_second_approver_is_refused_for_her_as_at_her_lock(db_service: Service) -> None:
    """A voucher above the approval threshold (Shenzhen, her hukou place) and a bill above it (Foshan, no tie) take
    no lock of hers: they were held (202) for a checker whose approval her lock would then refuse. Now each is
    refused before it is held, told as at the lock: Shenzhen that she moved to another province, Foshan the answer
    to a key no one has. Before: 202 and a held item for each."""
    person = moved_to_chengdu(db_service)
    voucher = {"holder_key": person, "issuer_region": "440300", "service": "托育服务", "value_fen": 2_000_000,
               "issued_on": "2026-11-02", "expires_on": "2026-12-31", "idempotency_key": "held-voucher-1"}  # fmt: skip
    refused, in_zh = _post(db_service, "/api/v1/vouchers", voucher, "cw_sz")
    assert refused.status_code == 409 and refused.json()["code"] == "person_moved_out_elsewhere", refused.text
    _says_nothing_of_the_city(refused, in_zh)
    bill = {**_bill(person), "items": [{"item_code": "A001", "amount_fen": 25_000_000}]}
    unheld, bill_zh = _post(db_service, "/api/v1/medical/settlements", bill, "cw_fs")
    nobody, _ = _post(db_service, "/api/v1/medical/settlements", {**bill, "person_key": "0" * 32}, "cw_fs")
    assert unheld.status_code == 404 and unheld.json()["code"] == "no_person_in_reach", unheld.text
    assert (nobody.status_code, nobody.json()) == (unheld.status_code, unheld.json())
    _says_nothing_of_the_city(unheld, bill_zh)
    assert _held_items(db_service) == 0
    assert ledger_problems(db_service.engine) == []


def test_no_resident_login_is_opened_for_her_here(db_service: Service) -> None:
    """A resident login is created only for a person living in the caller's jurisdiction; she lives in another
    province's instance's records now. The national administrator, whose jurisdiction holds her new city, is told
    where she moved (before: 201, a new login on a record that is history here); Guangzhou's caseworker too, and her
    hukou place gets the not-in-reach answer. No account is created."""
    person = moved_to_chengdu(db_service)
    path = f"/api/v1/residents/{person}/login"
    with session_scope(db_service.engine) as session:
        accounts = session.scalar(select(func.count()).select_from(UserRow))
    for user in ("ad_nat", "cw_gz"):
        refused = db_service.client.post(path, json={}, headers=db_service.as_(user))
        assert refused.status_code == 409 and refused.json()["code"] == "person_moved_out", (user, refused.text)
        assert refused.json()["params"]["region"] == "510100"
    refused, in_zh = _post(db_service, path, {}, "cw_sz")
    assert refused.status_code == 404 and refused.json()["code"] == "no_person_in_reach", refused.text
    _says_nothing_of_the_city(refused, in_zh)
    with session_scope(db_service.engine) as session:
        assert session.scalar(select(func.count()).select_from(UserRow)) == accounts
