"""The authorization matrix: every /api/v1 endpoint called by every account, against the expected status."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from api_support import ACCOUNTS, Service
from sqlalchemy import func, select

from changzhu.registry.resident_models import AuditRow

ALL = set(ACCOUNTS)
STAFF = {"cw_gz", "cw_cd", "ad_nat", "ad_gd"}
_counter = itertools.count()


@dataclass(frozen=True)
class Case:
    """One call: method, path template, how to fill it, and which accounts succeed (others get `denied`)."""

    method: str
    route: str
    path: Callable[[Service], str]
    allowed: set[str]
    ok: int = 200
    denied: int = 403
    body: Callable[[], dict[str, Any]] | None = None


def _new_user() -> dict[str, Any]:
    return {
        "username": f"new_{next(_counter)}",
        "password": "a long enough password",
        "role": "planner",
        "jurisdictions": ["440100"],
    }


def _move() -> dict[str, Any]:
    return {"to_region": "440100", "moved_on": "2026-02-01", "proof_kind": "housing", "proof_ref": "lease-1"}


ANALYSTS = {"pl_nat", "pl_gd", "fo_nat", "ad_nat", "ad_gd"}
GZ_RECORD = {"res_gz", "cw_gz", "ad_nat", "ad_gd"}  # who may see the Guangzhou worker's personal data
FISCAL_CD = {"fo_nat", "ad_nat"}  # fiscal roles covering Chengdu (510100), which pays


def _person_in_guangzhou() -> dict[str, Any]:
    row = {
        "person_id": 1, "sex": "F", "birth_date": "1995-05-05", "hukou_region": "510100",
        "residence_region": "440100", "residence_since": "2023-01-01", "residence_permit_since": None,
        "si_months_local": 30, "si_months_total": 50, "medical_months_local": 30, "prior_region": None,
        "prior_residence_months": 0, "prior_si_months": 0, "employed": True, "education": "bachelor",
        "housing": "rented", "income_per_capita_month": 4000.0, "parent_id": None, "criminal_record": False,
    }  # fmt: skip
    return {"on": "2026-11-24", "people": [row]}


def _apply_transfer() -> dict[str, Any]:
    return {
        "transfer_no": "gz-pension-1", "person_key": "{gz}", "scheme": "pension",
        "from_region": "510100", "to_region": "440100", "applied_on": "2026-11-01",
    }  # fmt: skip


def _voucher() -> dict[str, Any]:
    return {
        "holder_key": "{gz}", "issuer_region": "510100", "service": "vocational_training", "value_fen": 50000,
        "issued_on": "2026-11-01", "expires_on": "2027-11-01", "idempotency_key": "matrix-voucher-1",
    }  # fmt: skip


def _redeem() -> dict[str, Any]:
    return {"provider": "广州技师学院", "provider_region": "440100", "redeemed_on": "2026-11-20",
            "idempotency_key": "matrix-redeem-1"}  # fmt: skip


def _clearing() -> dict[str, Any]:
    return {"payer_region": "510100", "payee_region": "440100", "idempotency_key": "matrix-clearing-1"}


def _medical_clearing() -> dict[str, Any]:
    return {**_clearing(), "idempotency_key": "matrix-medical-clearing-1"}


def _filing() -> dict[str, Any]:
    return {"person_key": "{gz}", "insured_region": "510100", "treatment_region": "440100", "kind": "long_term",
            "filed_on": "2026-06-01", "idempotency_key": "matrix-filing-1"}  # fmt: skip


def _bill() -> dict[str, Any]:
    return {
        "person_key": "{gz}", "insured_region": "510100", "treatment_region": "440100", "hospital": "中山一院",
        "treated_on": "2026-07-01", "items": [{"item_code": "A001", "amount_fen": 500000}],
        "idempotency_key": "matrix-bill-1",
    }  # fmt: skip


def _policy() -> dict[str, Any]:
    return {"deductible_fen": 100000, "rate_permille": 700, "cap_fen": 50000000, "temporary_cut_permille": 100,
            "unfiled_cut_permille": 200, "source": "matrix test"}  # fmt: skip


def _catalogue() -> dict[str, Any]:
    return {"items": [{"item_code": "A001", "name": "血常规", "category": "A", "self_pay_permille": 0}]}


def _gz(s: Service) -> str:
    return s.people["gz"]


CASES = [
    Case("GET", "/api/v1/auth/me", lambda s: "/api/v1/auth/me", ALL),
    Case("GET", "/api/v1/regions", lambda s: "/api/v1/regions?level=province", ALL),
    Case("GET", "/api/v1/regions/{code}", lambda s: "/api/v1/regions/440100", ALL),
    Case("GET", "/api/v1/population", lambda s: "/api/v1/population", ALL),
    Case("GET", "/api/v1/geo/provinces", lambda s: "/api/v1/geo/provinces", ALL),
    Case("GET", "/api/v1/users", lambda s: "/api/v1/users", {"ad_nat", "ad_gd"}),
    Case("POST", "/api/v1/users", lambda s: "/api/v1/users", {"ad_nat", "ad_gd"}, ok=201, body=_new_user),
    Case("GET", "/api/v1/residents", lambda s: "/api/v1/residents", STAFF),
    # a Guangzhou resident's record: themself, Guangzhou's caseworker, national and Guangdong administrators
    Case("GET", "/api/v1/residents/{person_key}", lambda s: f"/api/v1/residents/{_gz(s)}", GZ_RECORD),
    # a Chengdu resident: only themself, Chengdu's caseworker and the national administrator
    Case(
        "GET",
        "/api/v1/residents/{person_key}",
        lambda s: f"/api/v1/residents/{s.people['cd']}",
        {"res_cd", "cw_cd", "ad_nat"},
    ),
    # lives in Chengdu, applied to move to Guangzhou: both cities' caseworkers see them
    Case(
        "GET",
        "/api/v1/residents/{person_key}",
        lambda s: f"/api/v1/residents/{s.people['mover']}",
        {"cw_cd", "cw_gz", "ad_nat", "ad_gd"},
    ),
    Case("GET", "/api/v1/residents/{person_key}/account", lambda s: f"/api/v1/residents/{_gz(s)}/account", GZ_RECORD),
    Case(
        "GET",
        "/api/v1/residents/{person_key}/entitlements",
        lambda s: f"/api/v1/residents/{_gz(s)}/entitlements?on=2026-11-24",
        GZ_RECORD,
    ),
    Case(
        "GET", "/api/v1/residents/{person_key}/transfers", lambda s: f"/api/v1/residents/{_gz(s)}/transfers", GZ_RECORD
    ),
    Case("GET", "/api/v1/residents/{person_key}/vouchers", lambda s: f"/api/v1/residents/{_gz(s)}/vouchers", GZ_RECORD),
    # moving someone into Guangzhou is done by Guangzhou's staff
    Case(
        "POST",
        "/api/v1/residents/{person_key}/moves",
        lambda s: f"/api/v1/residents/{s.people['cd']}/moves",
        {"cw_gz", "ad_nat", "ad_gd"},
        body=_move,
    ),
    # a posted person table living in Guangzhou: staff and analysts covering Guangzhou, never residents
    Case(
        "POST", "/api/v1/eligibility", lambda s: "/api/v1/eligibility", ANALYSTS | {"cw_gz"}, body=_person_in_guangzhou
    ),
    Case(
        "POST",
        "/api/v1/eligibility/explain",
        lambda s: "/api/v1/eligibility/explain",
        ANALYSTS | {"cw_gz"},
        body=_person_in_guangzhou,
    ),
    # the new place (Guangzhou) takes the application; either place's staff complete it
    Case(
        "POST",
        "/api/v1/transfers",
        lambda s: "/api/v1/transfers",
        {"cw_gz", "ad_nat", "ad_gd"},
        201,
        body=_apply_transfer,
    ),
    Case(
        "POST",
        "/api/v1/transfers/{transfer_no}/complete",
        lambda s: "/api/v1/transfers/t-mover-1/complete",
        {"cw_gz", "cw_cd", "ad_nat", "ad_gd"},
    ),
    # Chengdu funds a voucher for its hukou holder in Guangzhou; a Guangzhou provider redeems; Chengdu's fund pays
    Case("POST", "/api/v1/vouchers", lambda s: "/api/v1/vouchers", {"cw_cd", "ad_nat"}, 201, body=_voucher),
    Case(
        "POST",
        "/api/v1/vouchers/{voucher_no}/redeem",
        lambda s: f"/api/v1/vouchers/{s.voucher_no}/redeem",
        {"cw_gz", "ad_nat", "ad_gd"},
        body=_redeem,
    ),
    Case("POST", "/api/v1/vouchers/clearing", lambda s: "/api/v1/vouchers/clearing", FISCAL_CD, body=_clearing),
    # 异地就医: the insured person online, or the insured place's staff; the hospital's place settles
    Case(
        "POST",
        "/api/v1/medical/filings",
        lambda s: "/api/v1/medical/filings",
        {"res_gz", "cw_cd", "ad_nat"},
        201,
        body=_filing,
    ),
    Case(
        "POST",
        "/api/v1/medical/settlements",
        lambda s: "/api/v1/medical/settlements",
        {"cw_gz", "ad_nat", "ad_gd"},
        201,
        body=_bill,
    ),
    Case("POST", "/api/v1/medical/clearing", lambda s: "/api/v1/medical/clearing", FISCAL_CD, body=_medical_clearing),
    Case(
        "PUT",
        "/api/v1/medical/policies/{region}",
        lambda s: "/api/v1/medical/policies/510100",
        {"ad_nat"},
        body=_policy,
    ),
    Case(
        "PUT",
        "/api/v1/medical/catalogues/{region}",
        lambda s: "/api/v1/medical/catalogues/440100",
        {"ad_nat", "ad_gd"},
        body=_catalogue,
    ),
    # aggregates: planners, fiscal officers and administrators
    Case("GET", "/api/v1/planning/gaps", lambda s: "/api/v1/planning/gaps", ANALYSTS),
    Case("GET", "/api/v1/fiscal/schemes", lambda s: "/api/v1/fiscal/schemes", ANALYSTS),
    Case("GET", "/api/v1/fiscal/allocation", lambda s: "/api/v1/fiscal/allocation", ANALYSTS),
    Case("GET", "/api/v1/fiscal/allocation/services", lambda s: "/api/v1/fiscal/allocation/services", ANALYSTS),
    Case("GET", "/api/v1/fiscal/transfers", lambda s: "/api/v1/fiscal/transfers", ANALYSTS),
    Case("GET", "/api/v1/fiscal/equity", lambda s: "/api/v1/fiscal/equity", ANALYSTS),
    Case("GET", "/api/v1/fiscal/flows", lambda s: "/api/v1/fiscal/flows", ANALYSTS),
    Case("GET", "/api/v1/scenarios", lambda s: "/api/v1/scenarios", ANALYSTS),
    Case("GET", "/api/v1/scenarios/runs", lambda s: "/api/v1/scenarios/runs", ANALYSTS),
    Case("GET", "/api/v1/scenarios/{name}", lambda s: "/api/v1/scenarios/permit_after_3_months", ANALYSTS),
    # runs are exercised in test_api_aggregates.py (seconds each): here the role check comes before the look-up
    Case("GET", "/api/v1/scenarios/runs/{run_id}", lambda s: "/api/v1/scenarios/runs/nosuchrun", ANALYSTS, ok=404),
    Case(
        "POST",
        "/api/v1/scenarios/{name}/runs",
        lambda s: "/api/v1/scenarios/no_such_reform/runs",
        ANALYSTS,
        ok=404,
        body=lambda: {"sample": 0.00001},
    ),
]
# endpoints outside the token matrix, with the test that covers them
NOT_IN_MATRIX = {
    ("POST", "/api/v1/auth/login"): "test_api_auth.py",
    ("POST", "/api/v1/residents"): "test_register_in_own_jurisdiction_only (below)",
    ("POST", "/api/v1/interregion/messages"): "test_api_interregion.py (signed by a peer, no token)",
    ("POST", "/api/v1/interregion/transfers"): "test_api_interregion.py and test_transfer_needs_staff (below)",
    ("POST", "/api/v1/interregion/outbox/deliver"): "test_transfer_needs_staff (below)",
}


def _api_routes(service: Service) -> set[tuple[str, str]]:
    paths = service.client.get("/api/v1/openapi.json").json()["paths"]
    return {(method.upper(), path) for path, item in paths.items() for method in item}


def test_every_endpoint_is_in_the_matrix(service: Service) -> None:
    covered = {(c.method, c.route) for c in CASES} | set(NOT_IN_MATRIX)
    assert _api_routes(service) - covered == set()
    assert covered - _api_routes(service) == set()


def _fill(body: dict[str, Any], service: Service) -> dict[str, Any]:
    return {k: v.format(**service.people) if isinstance(v, str) and "{" in v else v for k, v in body.items()}


def test_authorization_matrix(db_service: Service) -> None:
    """Every endpoint as every account, on SQLite and on PostgreSQL."""
    service = db_service
    failures = []
    for case in CASES:
        for username in ACCOUNTS:
            # a move changes the record: run it on a fresh copy of the data each time it succeeds
            body = _fill(case.body(), service) if case.body else None
            response = service.client.request(case.method, case.path(service), headers=service.as_(username), json=body)
            expected = case.ok if username in case.allowed else case.denied
            if response.status_code != expected:
                failures.append(
                    f"{username} {case.method} {case.path(service)}: {response.status_code} "
                    f"(expected {expected}) {response.text[:120]}"
                )
            if case.method == "POST" and "moves" in case.route and response.status_code == 200:
                _undo_move(service, case.path(service).split("/")[-2])
    assert failures == []


def _undo_move(service: Service, person_key: str) -> None:
    from changzhu.registry.db import session_scope
    from changzhu.registry.resident_models import PersonRow

    with session_scope(service.engine) as session:
        person = session.scalar(select(PersonRow).where(PersonRow.person_key == person_key))
        assert person is not None
        person.residence_region = "510100"


def test_every_anonymous_call_is_401(service: Service) -> None:
    for case in CASES:
        body = _fill(case.body(), service) if case.body else None
        response = service.client.request(case.method, case.path(service), json=body)
        assert response.status_code == 401, (case.route, response.text)


def test_reading_a_record_is_audited(service: Service) -> None:
    def count() -> int:
        from changzhu.registry.db import session_scope

        with session_scope(service.engine) as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(AuditRow)
                    .where(AuditRow.action == "read_personal_data", AuditRow.subject == service.people["gz"])
                )
                or 0
            )

    before = count()
    path = f"/api/v1/residents/{service.people['gz']}"
    assert service.client.get(path, headers=service.as_("cw_gz")).status_code == 200
    assert service.client.get(path, headers=service.as_("res_gz")).status_code == 200
    assert count() == before + 2
    from changzhu.registry.audit import verify

    assert verify(service.engine).ok


def test_register_in_own_jurisdiction_only(service: Service) -> None:
    body = {
        "id_number": "510104201006062221",
        "hukou_region": "510100",
        "residence_region": "440100",
        "residence_since": "2024-09-01",
        "proof_kind": "study",
        "proof_ref": "school-7",
    }
    assert service.client.post("/api/v1/residents", json=body, headers=service.as_("cw_cd")).status_code == 403
    assert service.client.post("/api/v1/residents", json=body, headers=service.as_("pl_nat")).status_code == 403
    created = service.client.post("/api/v1/residents", json=body, headers=service.as_("cw_gz"))
    assert created.status_code == 201, created.text
    assert created.json()["id_number"].startswith("51") and "2010" not in created.json()["id_number"]
    again = service.client.post("/api/v1/residents", json=body, headers=service.as_("cw_gz"))
    assert again.status_code == 400 and "already registered" in again.json()["message"]
    listed = service.client.get("/api/v1/residents?region=440100", headers=service.as_("cw_gz")).json()
    assert listed["total"] == 3  # the Guangzhou worker, their child and the new pupil (the mover lives in Chengdu)


def test_transfer_needs_staff(service: Service) -> None:
    body = {"person_key": service.people["cd"], "to_region": "440000", "to_city": "440100", "moved_on": "2026-03-01"}
    for username in ACCOUNTS:
        started = service.client.post("/api/v1/interregion/transfers", json=body, headers=service.as_(username))
        delivered = service.client.post("/api/v1/interregion/outbox/deliver", headers=service.as_(username))
        if username in STAFF:
            # staff get past the role check; this in-process instance serves no region, so it cannot send
            assert started.status_code in (403, 409), (username, started.text)
            assert delivered.status_code == 409 and "CHANGZHU_INSTANCE_REGION" in delivered.json()["message"]
        else:
            assert started.status_code == 403 and delivered.status_code == 403, username
