"""A person key staff may not reach gets one answer, whether no one has it or the person lives in another
jurisdiction: the same status, body and refusal code on every route that takes a person key, so that no answer
tells a caller who is registered elsewhere (docs/api.md, "Decisions of the security audit"). On SQLite and
PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from api_support import Service

UNKNOWN = "0123456789abcdef" * 2
PERSON_KEY = "{person_key}"
HOME = "{the caller's region}"

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
    # a move into the caller's jurisdiction of someone living elsewhere needs the identity number the person shows
    # at the counter (docs/api.md, "Decisions of the security audit"); without it, a key alone is answered as no one
    ("post", "/api/v1/residents/{person_key}/moves"): {
        "to_region": HOME,
        "moved_on": "2026-06-01",
        "proof_kind": "housing",
        "proof_ref": "lease-walk",
    },
}
NOT_WALKED: set[tuple[str, str]] = set()
# a valid body for each route with a person key in its body (fields ending in `_key`, but for the request's
# idempotency key), the key given as PERSON_KEY; a route added without a body here fails
# test_every_route_with_a_person_key_in_its_body_is_walked
BODY_KEYS: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/v1/applications"): {"person_key": PERSON_KEY, "kind": "points"},
    ("post", "/api/v1/households/links"): {"parent_key": PERSON_KEY, "child_key": "child"},
    ("post", "/api/v1/transfers"): {
        "transfer_no": "t-walk-1",
        "person_key": PERSON_KEY,
        "scheme": "pension",
        "from_region": "510100",
        "to_region": "440100",
        "applied_on": "2026-06-01",
    },
    ("post", "/api/v1/vouchers"): {
        "holder_key": PERSON_KEY,
        "issuer_region": "440100",
        "service": "vocational_training",
        "value_fen": 100000,
        "issued_on": "2026-06-01",
        "expires_on": "2027-06-01",
    },
    ("post", "/api/v1/medical/filings"): {
        "person_key": PERSON_KEY,
        "insured_region": "440100",
        "treatment_region": "510100",
        "kind": "temporary",
        "filed_on": "2026-06-01",
    },
    ("post", "/api/v1/medical/settlements"): {
        "person_key": PERSON_KEY,
        "insured_region": "440100",
        "treatment_region": "440100",
        "hospital": "中山一院",
        "treated_on": "2026-06-01",
        "items": [{"item_code": "A001", "amount_fen": 10000}],
        "idempotency_key": "walk-bill-1",
    },
    ("post", "/api/v1/interregion/transfers"): {
        "person_key": PERSON_KEY,
        "to_region": "510100",
        "to_city": "510100",
        "moved_on": "2026-06-01",
    },
}
NOT_PERSON_KEYS = {"idempotency_key"}
# Guangdong's staff, for whom the Chengdu resident (hukou and residence in Chengdu, insured nowhere) is out of reach
BODY_CALLERS = ("cw_gz", "ad_gd")
# each caller with a person living outside their jurisdiction (the Guangzhou worker for Chengdu; the Chengdu
# worker for Guangdong's administrator)
CALLERS = {"cw_cd": "gz", "ad_gd": "cd"}
HOMES = {"cw_cd": "510100", "ad_gd": "440100"}


def _person_routes(service: Service) -> set[tuple[str, str]]:
    schema = service.client.app.openapi()  # type: ignore[attr-defined]
    return {(method, path) for path, ops in schema["paths"].items() if PERSON_KEY in path for method in ops}


def _answer(service: Service, who: str, method: str, path: str, key: str) -> tuple[int, Any]:
    body = BODIES[(method, path)]
    if body is not None:
        body = {name: HOMES[who] if value == HOME else value for name, value in body.items()}
    answer = service.client.request(
        method, path.replace(PERSON_KEY, key), json=body, headers={**service.as_(who), "Accept-Language": "en"}
    )
    return answer.status_code, answer.json()


def _body_key_routes(service: Service) -> set[tuple[str, str]]:
    schema = service.client.app.openapi()  # type: ignore[attr-defined]
    models = schema["components"]["schemas"]
    found = set()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            ref = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            fields = models[ref["$ref"].rsplit("/", 1)[-1]]["properties"] if "$ref" in ref else {}
            if any(name.endswith("_key") and name not in NOT_PERSON_KEYS for name in fields):
                found.add((method, path))
    return found


def _body_answer(service: Service, who: str, route: tuple[str, str], key: str) -> tuple[int, Any]:
    method, path = route
    body = {
        name: key if value == PERSON_KEY else service.people.get(value, value) if isinstance(value, str) else value
        for name, value in BODY_KEYS[route].items()
    }
    answer = service.client.request(method, path, json=body, headers={**service.as_(who), "Accept-Language": "en"})
    return answer.status_code, answer.json()


def test_every_person_route_is_walked(service: Service) -> None:
    assert _person_routes(service) - NOT_WALKED == set(BODIES)


def test_every_route_with_a_person_key_in_its_body_is_walked(service: Service) -> None:
    assert _body_key_routes(service) == set(BODY_KEYS)


def test_unknown_and_out_of_reach_people_get_the_same_answer_on_every_body_key_route(db_service: Service) -> None:
    service = db_service
    app = service.client.app  # type: ignore[attr-defined]
    app.state.settings = replace(app.state.settings, instance_region="440000")  # a peer of 跨省通办 hand-overs
    for who in BODY_CALLERS:
        for route in sorted(BODY_KEYS):
            unknown = _body_answer(service, who, route, UNKNOWN)
            elsewhere = _body_answer(service, who, route, service.people["cd"])
            assert unknown == elsewhere, (who, route, unknown, elsewhere)
            status, body = unknown
            assert (status, body["code"], body["params"]) == (404, "no_person_in_reach", {}), (who, route, body)


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
