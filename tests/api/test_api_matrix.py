"""The authorization matrix: every /api/v1 endpoint called by every account, against the expected status."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from changzhu.registry.resident_models import AuditRow
from conftest import ACCOUNTS, Service

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
    Case(
        "GET",
        "/api/v1/residents/{person_key}",
        lambda s: f"/api/v1/residents/{s.people['gz']}",
        {"res_gz", "cw_gz", "ad_nat", "ad_gd"},
    ),
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
    Case(
        "GET",
        "/api/v1/residents/{person_key}/account",
        lambda s: f"/api/v1/residents/{s.people['gz']}/account",
        {"res_gz", "cw_gz", "ad_nat", "ad_gd"},
    ),
    # moving someone into Guangzhou is done by Guangzhou's staff
    Case(
        "POST",
        "/api/v1/residents/{person_key}/moves",
        lambda s: f"/api/v1/residents/{s.people['cd']}/moves",
        {"cw_gz", "ad_nat", "ad_gd"},
        body=_move,
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


def test_authorization_matrix(service: Service) -> None:
    failures = []
    for case in CASES:
        for username in ACCOUNTS:
            # a move changes the record: run it on a fresh copy of the data each time it succeeds
            body = case.body() if case.body else None
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
        response = service.client.request(case.method, case.path(service), json=case.body() if case.body else None)
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
    assert listed["total"] == 2  # the Guangzhou resident and the new pupil (the mover lives in Chengdu)


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
