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


def test_a_decision_without_a_reason_takes_the_draft_only_where_it_supports_the_decision(service: Service) -> None:
    """An approval without a reason of its own would be recorded with the drafted "does not meet the conditions"
    (or "no decision yet") as its reason: it is refused, naming why, and the application stays in review; a
    rejection the rules support takes the drafted reason."""
    cw = service.as_("cw_gz")
    path = _in_review(service, "gz", "points", "cw_gz")  # not eligible: short of the line
    refused = service.client.post(f"{path}/transition", json={"action": "approve"}, headers=cw)
    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "draft_contradicts_decision"
    assert refused.json()["message"] == (
        "the rules find the application not eligible, so the drafted reason cannot be the reason to approve: give the"
        " reason"
    )
    assert service.client.get(path, headers=cw).json()["status"] == "in_review"
    own = {"action": "approve", "reason": "特殊人才引进"}
    written = service.client.post(f"{path}/transition", json=own, headers=cw)
    assert written.status_code == 200 and written.json()["reason_zh"] == "特殊人才引进"
    other = _in_review(service, "gz", "public_rental", "cw_gz")  # not eligible: income above the limit
    rejected = service.client.post(f"{other}/transition", json={"action": "reject"}, headers=cw)
    assert rejected.status_code == 200 and rejected.json()["reason_zh"].startswith("经审核，申请人暂不符合")
    unknown = _in_review(service, "mover", "residence_permit", "cw_cd")  # undetermined: no facts on file
    for action in ("approve", "reject"):
        answer = service.client.post(f"{unknown}/transition", json={"action": action}, headers=service.as_("cw_cd"))
        assert answer.status_code == 422 and answer.json()["params"]["decision_en"] == "undetermined (facts missing)"
