"""A person key staff may not reach gets one answer, whether no one has it or the person lives in another
jurisdiction: the same status, body and refusal code on every route that takes a person key, so that no answer
tells a caller who is registered elsewhere (docs/api.md, "Decisions of the security audit"). On SQLite and
PostgreSQL."""

from __future__ import annotations

from typing import Any

from api_support import Service

UNKNOWN = "0123456789abcdef" * 2
PERSON_KEY = "{person_key}"

# a valid body for each route with a person key in its path, so that the answer is the access check's and not the
# request's validation; a route added without a body here fails test_every_person_route_is_walked
BODIES: dict[tuple[str, str], dict[str, Any] | None] = {
    ("get", "/api/v1/residents/{person_key}"): None,
    ("get", "/api/v1/residents/{person_key}/overview"): None,
    ("get", "/api/v1/residents/{person_key}/account"): None,
    ("get", "/api/v1/residents/{person_key}/entitlements"): None,
    ("get", "/api/v1/residents/{person_key}/household"): None,
    ("get", "/api/v1/residents/{person_key}/transfers"): None,
    ("get", "/api/v1/residents/{person_key}/vouchers"): None,
    ("patch", "/api/v1/residents/{person_key}/facts"): {"facts": {"employed": True}},
    ("post", "/api/v1/residents/{person_key}/permits"): {"issued_on": "2026-06-01"},
    ("post", "/api/v1/residents/{person_key}/login"): {},
    ("post", "/api/v1/residents/{person_key}/contributions"): {
        "scheme": "pension",
        "region": "510100",
        "from_period": 202601,
        "months": 1,
        "amount_yuan": 6000,
    },
}
# a move is registered by the place the person moves to, which does not reach them yet: it is held (202) for the old
# place or the person to confirm, so an existing key and an unknown one cannot be answered alike there
# (docs/api.md, "Decisions of the security audit")
NOT_WALKED = {("post", "/api/v1/residents/{person_key}/moves")}
# each caller with a person living outside their jurisdiction (the Guangzhou worker for Chengdu; the Chengdu
# worker for Guangdong's administrator)
CALLERS = {"cw_cd": "gz", "ad_gd": "cd"}


def _person_routes(service: Service) -> set[tuple[str, str]]:
    schema = service.client.app.openapi()  # type: ignore[attr-defined]
    return {(method, path) for path, ops in schema["paths"].items() if PERSON_KEY in path for method in ops}


def _answer(service: Service, who: str, method: str, path: str, key: str) -> tuple[int, Any]:
    body = BODIES[(method, path)]
    answer = service.client.request(
        method, path.replace(PERSON_KEY, key), json=body, headers={**service.as_(who), "Accept-Language": "en"}
    )
    return answer.status_code, answer.json()


def test_every_person_route_is_walked(service: Service) -> None:
    assert _person_routes(service) - NOT_WALKED == set(BODIES)


def test_unknown_and_out_of_reach_people_get_the_same_answer_on_every_person_route(db_service: Service) -> None:
    service = db_service
    for who, lives_elsewhere in CALLERS.items():
        for method, path in sorted(BODIES):
            unknown = _answer(service, who, method, path, UNKNOWN)
            elsewhere = _answer(service, who, method, path, service.people[lives_elsewhere])
            assert unknown == elsewhere, (who, method, path)
            status, body = unknown
            assert (status, body["code"], body["params"]) == (404, "no_person_in_reach", {}), (who, path, body)
            assert body["message"] == "no such resident within your reach (check the link or search again)"


def test_an_application_for_a_person_out_of_reach_is_answered_as_for_no_one(db_service: Service) -> None:
    service = db_service
    answers = [
        service.client.post(
            "/api/v1/applications", json={"person_key": key, "kind": "points"}, headers=service.as_("cw_cd")
        )
        for key in (UNKNOWN, service.people["gz"])
    ]
    assert answers[0].status_code == answers[1].status_code == 404
    assert answers[0].json() == answers[1].json() and answers[0].json()["code"] == "no_person_in_reach"
