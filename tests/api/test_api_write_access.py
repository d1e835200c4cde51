"""The cross-jurisdiction writes of issue 12, each replayed against the service on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from api_support import ID_CD, PASSWORD, Service, months
from sqlalchemy import func, select

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.api.auth.tokens import issue_token
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import Scheme, record_contributions
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.db import session_scope
from changzhu.store.resident_models import MedicalClaimRow, PersonRow, TransferRow

ID_SH = "310104199202023337"


def _post(service: Service, path: str, body: dict[str, Any] | None, who: str) -> Any:
    return service.client.post(path, json=body, headers=service.as_(who))


def _login_header(service: Service, username: str, role: Role, scopes: list[str]) -> dict[str, str]:
    principal = create_user(service.engine, username, PASSWORD, role, scopes)
    secret = service.client.app.state.settings.jwt_secret  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {issue_token(principal.user_id, secret, 900)}"}


def _residence(service: Service, person_key: str) -> str:
    with session_scope(service.engine) as session:
        return str(session.scalar(select(PersonRow.residence_region).where(PersonRow.person_key == person_key)))


def test_guangdong_caseworker_cannot_pull_a_chengdu_residents_pension(db_service: Service) -> None:
    """60 months paid in Chengdu (38,400 yuan individual): Guangzhou neither applies for them nor completes."""
    service, cd = db_service, db_service.people["cd"]
    record_contributions(
        service.engine, cd, Scheme.PENSION, "510100", months((2019, 1), (2023, 12), 800000), actor="test"
    )
    pull = {"transfer_no": "pull-cd-1", "person_key": cd, "scheme": "pension", "from_region": "510100",
            "to_region": "440100", "applied_on": "2026-11-01"}  # fmt: skip
    refused = _post(service, "/api/v1/transfers", pull, "cw_gz")
    # out of reach, answered as for a key no one has: nothing says where the person lives
    assert refused.status_code == 404 and refused.json()["code"] == "no_person_in_reach", refused.text
    with session_scope(service.engine) as session:
        assert (
            session.scalar(select(func.count()).select_from(TransferRow).where(TransferRow.transfer_no == "pull-cd-1"))
            == 0
        )
    # an application already on file (the mover's, to Guangzhou) is released only by the old place, Chengdu
    assert _post(service, "/api/v1/transfers/t-mover-1/complete", None, "cw_gz").status_code == 403
    # and the attempt gave Guangzhou no way into the person's record
    assert service.client.get(f"/api/v1/residents/{cd}", headers=service.as_("cw_gz")).status_code == 404
    assert service.client.get(f"/api/v1/residents/{cd}/account", headers=service.as_("cw_gz")).status_code == 404
    assert ledger_problems(service.engine) == []


def test_a_completed_transfer_no_longer_opens_the_record(db_service: Service) -> None:
    """Only a pending application lets the new place see the person; once completed or for another place, not."""
    service = db_service
    mover = service.people["mover"]
    assert service.client.get(f"/api/v1/residents/{mover}", headers=service.as_("cw_gz")).status_code == 200
    with session_scope(service.engine) as session:
        session.execute(
            TransferRow.__table__.update().where(TransferRow.transfer_no == "t-mover-1").values(status="completed")
        )
    assert service.client.get(f"/api/v1/residents/{mover}", headers=service.as_("cw_gz")).status_code == 404
    listed = service.client.get("/api/v1/residents", headers=service.as_("cw_gz")).json()
    assert mover not in {p["person_key"] for p in listed["items"]}


def test_a_shanghai_resident_is_not_moved_to_shenzhen_on_an_invented_proof(db_service: Service) -> None:
    service = db_service
    reg = Registration(ID_SH, "310100", "310100", date(2020, 5, 1), ProofKind.HOUSING, "沪房-1", {})
    sh = str(register_resident(service.engine, reg, actor="test")["person_key"])
    invented = {"to_region": "440300", "moved_on": "2026-03-01", "proof_kind": "housing", "proof_ref": "made-up",
                "id_number": ID_SH}  # fmt: skip
    held = _post(service, f"/api/v1/residents/{sh}/moves", invented, "ad_gd")
    assert held.status_code == 202 and held.json()["status"] == "pending"
    assert _residence(service, sh) == "310100"  # nothing moved
    assert service.client.get(f"/api/v1/residents/{sh}", headers=service.as_("ad_gd")).status_code == 404
    approval = held.json()["approval_id"]
    # neither the maker nor anyone in Guangdong can confirm it: it waits for Shanghai or the person
    for who in ("ad_gd", "cw_gz"):
        assert _post(service, f"/api/v1/approvals/{approval}/approve", {}, who).status_code == 403
    assert _residence(service, sh) == "310100"
    shanghai = _login_header(service, "cw_sh", Role.CASEWORKER, ["310100"])
    rejected = service.client.post(
        f"/api/v1/approvals/{approval}/reject", json={"note": "no such lease in Shenzhen"}, headers=shanghai
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert _post(service, f"/api/v1/approvals/{approval}/approve", {}, "ad_nat").status_code == 409
    assert _residence(service, sh) == "310100"


def _leaves(value: object) -> list[object]:
    """Every scalar in a JSON answer (a timestamp's digits are not a region code: the old substring test was)."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def test_an_arrival_in_chengdu_tells_nothing_of_a_shanghai_resident_without_their_identity_number(
    db_service: Service,
) -> None:
    """跨省通办: Chengdu's caseworker may start the arrival of a Shanghai resident who shows their identity card at
    the counter; with the key alone (or another number) the answer is the one for a key no one has, and the held
    arrival does not say where the person lives, nor opens their record to Chengdu."""
    service = db_service
    reg = Registration(ID_SH, "310100", "310100", date(2020, 5, 1), ProofKind.HOUSING, "沪房-2", {})
    sh = str(register_resident(service.engine, reg, actor="test")["person_key"])
    arrival = {"to_region": "510100", "moved_on": "2026-03-01", "proof_kind": "housing", "proof_ref": "蓉房-7"}
    unknown = _post(service, f"/api/v1/residents/{'0123456789abcdef' * 2}/moves", arrival, "cw_cd")
    assert unknown.status_code == 404 and unknown.json()["code"] == "no_person_in_reach", unknown.text
    for shown in (None, ID_CD):  # no number, or someone else's
        refused = _post(service, f"/api/v1/residents/{sh}/moves", {**arrival, "id_number": shown}, "cw_cd")
        assert (refused.status_code, refused.json()) == (404, unknown.json())
    held = _post(service, f"/api/v1/residents/{sh}/moves", {**arrival, "id_number": ID_SH}, "cw_cd")
    assert held.status_code == 202 and held.json()["status"] == "pending", held.text
    assert held.json()["region"] is None and ID_SH not in held.text and "上海" not in held.text
    assert not [v for v in _leaves(held.json()) if re.fullmatch(r"310\d{3}", str(v))], held.text  # no Shanghai code
    listed = service.client.get("/api/v1/approvals", headers=service.as_("cw_cd")).json()["items"]
    assert [(item["approval_id"], item["region"]) for item in listed] == [(held.json()["approval_id"], None)]
    assert service.client.get(f"/api/v1/residents/{sh}", headers=service.as_("cw_cd")).status_code == 404
    assert _residence(service, sh) == "310100"
    # Shanghai's staff, who confirm it, see where the person lives
    shanghai = _login_header(service, "cw_sh", Role.CASEWORKER, ["310100"])
    [theirs] = service.client.get("/api/v1/approvals", headers=shanghai).json()["items"]
    assert theirs["region"] == "310100"
    confirmed = service.client.post(f"/api/v1/approvals/{theirs['approval_id']}/approve", json={}, headers=shanghai)
    assert confirmed.status_code == 200, confirmed.text
    assert _residence(service, sh) == "510100"


def test_a_malformed_identity_number_is_refused_alike_for_a_key_no_one_has_and_a_resident_elsewhere(
    db_service: Service,
) -> None:
    """The number shown at the counter is checked before the person is looked up: a malformed one is refused for
    what is wrong with it whether or not someone has the key, so the refusal tells nothing of a Shanghai resident
    (it was 404 for a key no one has and 400 for the Shanghai resident's key)."""
    service = db_service
    reg = Registration(ID_SH, "310100", "310100", date(2020, 5, 1), ProofKind.HOUSING, "沪房-3", {})
    sh = str(register_resident(service.engine, reg, actor="test")["person_key"])
    arrival = {"to_region": "510100", "moved_on": "2026-03-01", "proof_kind": "housing", "proof_ref": "蓉房-8",
               "id_number": ID_SH[:-1] + ("0" if ID_SH[-1] != "0" else "1")}  # fmt: skip
    unknown = _post(service, f"/api/v1/residents/{'0123456789abcdef' * 2}/moves", arrival, "cw_cd")
    elsewhere = _post(service, f"/api/v1/residents/{sh}/moves", arrival, "cw_cd")
    assert (unknown.status_code, unknown.json()["code"]) == (400, "id_check_digit"), unknown.text
    assert (elsewhere.status_code, elsewhere.json()) == (unknown.status_code, unknown.json())
    assert _residence(service, sh) == "310100"


def test_a_move_confirmed_by_the_old_place_takes_effect(db_service: Service) -> None:
    service, cd = db_service, db_service.people["cd"]
    body = {"to_region": "440100", "moved_on": "2026-02-01", "proof_kind": "employment", "proof_ref": "合同-9",
            "id_number": ID_CD}  # fmt: skip
    held = _post(service, f"/api/v1/residents/{cd}/moves", body, "cw_gz").json()
    mine = service.client.get("/api/v1/approvals", headers=service.as_("res_cd")).json()["items"]
    assert [m["approval_id"] for m in mine] == [held["approval_id"]]
    confirmed = _post(service, f"/api/v1/approvals/{held['approval_id']}/approve", {}, "res_cd")  # the person
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["result"]["to_region"] == "440100" and _residence(service, cd) == "440100"


def test_no_settlement_against_shanghais_fund_for_someone_never_insured_there(db_service: Service) -> None:
    service = db_service
    bill = {
        "person_key": service.people["gz"], "insured_region": "310100", "treatment_region": "440100",
        "hospital": "中山一院", "treated_on": "2026-07-01", "idempotency_key": "attack-bill-1",
        "items": [{"item_code": "A001", "amount_fen": 100_000_000}],
    }  # fmt: skip
    refused = _post(service, "/api/v1/medical/settlements", bill, "cw_gz")
    assert refused.status_code == 403 and "not in Shanghai (310100)" in refused.json()["message"]
    filing = {"person_key": service.people["cd"], "insured_region": "510100", "treatment_region": "440100",
              "kind": "temporary", "filed_on": "2026-06-01"}  # fmt: skip
    never = _post(service, "/api/v1/medical/filings", filing, "cw_cd")  # Chengdu's staff, but cd never paid in
    assert never.status_code == 403 and "no medical insurance months" in never.json()["message"]
    with session_scope(service.engine) as session:
        assert session.scalar(select(func.count()).select_from(MedicalClaimRow)) == 0


def test_an_administrator_cannot_create_a_login_for_anyone(db_service: Service) -> None:
    service = db_service
    with session_scope(service.engine) as session:
        ids = {p.person_key: p.id for p in session.scalars(select(PersonRow))}
    resident = {"username": "x_login", "role": "resident"}
    # Guangdong's administrator: not for the Chengdu resident, nor an unknown id (same answer), nor twice
    for person_id in (ids[service.people["cd"]], max(ids.values()) + 1):
        refused = _post(service, "/api/v1/users", {**resident, "person_id": person_id}, "ad_gd")
        assert refused.status_code == 403 and "lives in your jurisdiction" in refused.json()["message"]
    child = ids[service.people["child"]]  # lives in Guangzhou, has no login yet
    assert _post(service, "/api/v1/users", {**resident, "person_id": child}, "ad_gd").status_code == 201
    again = _post(service, "/api/v1/users", {**resident, "username": "y_login", "person_id": child}, "ad_gd")
    assert again.status_code == 409
    # nor grant a jurisdiction wider than, or outside, its own
    staff = {"role": "caseworker"}
    for scopes in (["000000"], ["510100"], ["440300", "310000"]):
        body = {**staff, "username": f"cw_{len(scopes)}_{scopes[0]}", "jurisdictions": scopes}
        assert _post(service, "/api/v1/users", body, "ad_gd").status_code == 403, scopes
    body = {**staff, "username": "cw_shenzhen", "jurisdictions": ["440300"]}
    assert _post(service, "/api/v1/users", body, "ad_gd").status_code == 201


def test_a_voucher_is_funded_only_for_the_issuers_own_people(db_service: Service) -> None:
    """Chengdu funds its hukou holders and residents; not a Guangzhou-born resident of Chengdu's choosing."""
    service = db_service
    voucher = {"holder_key": service.people["mover"], "issuer_region": "440100", "service": "childcare",
               "value_fen": 50000, "issued_on": "2026-11-01", "expires_on": "2027-11-01"}  # fmt: skip
    assert _post(service, "/api/v1/vouchers", voucher, "cw_gz").status_code == 201  # hukou in Guangzhou
    stranger = {**voucher, "holder_key": service.people["cd"]}  # hukou and residence in Chengdu
    refused = _post(service, "/api/v1/vouchers", stranger, "cw_gz")  # out of Guangzhou's reach: as no one
    assert refused.status_code == 404 and refused.json()["code"] == "no_person_in_reach", refused.text
    # Guangdong's administrator sees the Guangzhou worker (hukou in Chengdu), so is told why Shenzhen may not fund
    elsewhere = {**voucher, "holder_key": service.people["gz"], "issuer_region": "440300"}
    refused = _post(service, "/api/v1/vouchers", elsewhere, "ad_gd")
    assert refused.status_code == 403 and "hukou holders and residents" in refused.json()["message"]


def test_a_release_asked_by_staff_of_neither_end_is_told_no_such_transfer(db_service: Service) -> None:
    """A caseworker of a third place (Shenzhen) asking to release Chengdu → Guangzhou's t-mover-1 gets the answer for a
    number no transfer holds, word for word: not who releases it (which said that it exists and where from)."""
    service = db_service
    shenzhen = _login_header(service, "cw_sz_release", Role.CASEWORKER, ["440300"])
    held = service.client.post("/api/v1/transfers/t-mover-1/complete", headers=shenzhen)
    unused = service.client.post("/api/v1/transfers/t-nobody-9/complete", headers=shenzhen)
    assert held.status_code == unused.status_code == 404, held.text
    assert held.json()["code"] == unused.json()["code"] == "no_transfer"
    assert held.json()["message"].replace("t-mover-1", "#") == unused.json()["message"].replace("t-nobody-9", "#")
    # staff of the new place may know of it: they are told the old place releases it
    guangzhou = service.client.post("/api/v1/transfers/t-mover-1/complete", headers=service.as_("cw_gz"))
    assert guangzhou.status_code == 403 and guangzhou.json()["code"] == "transfer_released_by", guangzhou.text
