"""The draft reason of a decision says what the rules decided and, when they could not, which facts are missing:
the office warns before an approval rests on "no decision yet"."""

from __future__ import annotations

from api_support import Service


def _in_review(service: Service, person: str, kind: str, user: str) -> str:
    body = {"person_key": service.people[person], "kind": kind}
    created = service.client.post("/api/v1/applications", json=body, headers=service.as_(user))
    assert created.status_code == 201, created.text
    path = f"/api/v1/applications/{created.json()['id']}"
    assert service.client.post(f"{path}/transition", json={"action": "review"}, headers=service.as_(user)).is_success
    return path


def test_an_undetermined_draft_names_the_missing_facts(service: Service) -> None:
    path = _in_review(service, "mover", "residence_permit", "cw_cd")  # the mover has no facts on file
    draft = service.client.get(f"{path}/draft-reason", headers=service.as_("cw_cd")).json()
    assert draft["decision"] == "undetermined" and draft["reason_en"].startswith("No decision yet")
    assert {n["input"] for n in draft["needs"]} == {"employed", "housing"}, draft["needs"]
    assert all(n["label_zh"] and n["label_en"] for n in draft["needs"])


def test_a_decided_draft_needs_nothing(service: Service) -> None:
    path = _in_review(service, "gz", "points", "cw_gz")  # 95 points against a line of 100
    draft = service.client.get(f"{path}/draft-reason", headers=service.as_("cw_gz")).json()
    assert draft["decision"] == "not_eligible" and draft["needs"] == []
