"""One open application of a kind per person: a second application for the same person and service while the first
is still open (submitted, in review, appealed) is refused (409) naming the open one, its number, when it was
submitted and its state, in Chinese and English; once the first is decided a new one is taken; two submissions at
once never both pass, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from api_support import Service
from sqlalchemy import func, select

from changzhu.casework import application_records
from changzhu.store.application_models import ApplicationRow
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow

CHINESE = {"Accept-Language": "zh-CN"}


def _apply(
    service: Service, who: str, name: str, kind: str = "school_place", lang: dict[str, str] | None = None
) -> Any:
    return service.client.post(
        "/api/v1/applications",
        json={"person_key": service.people[name], "kind": kind},
        headers={**service.as_(who), **(lang or {})},
    )


def _step(service: Service, application_id: int, action: str, who: str = "cw_gz", reason: str | None = None) -> Any:
    body = {"action": action, **({"reason": reason} if reason else {})}
    return service.client.post(f"/api/v1/applications/{application_id}/transition", json=body, headers=service.as_(who))


def _open_count(service: Service, name: str, kind: str) -> int:
    with session_scope(service.engine) as session:
        person = session.scalar(select(PersonRow.id).where(PersonRow.person_key == service.people[name]))
        return int(
            session.scalar(
                select(func.count())
                .select_from(ApplicationRow)
                .where(
                    ApplicationRow.person_id == person,
                    ApplicationRow.kind == kind,
                    ApplicationRow.status.in_(["submitted", "in_review", "appealed"]),
                )
            )
            or 0
        )


def test_a_second_open_school_place_for_the_same_child_is_refused_naming_the_first(db_service: Service) -> None:
    """The caseworker applies for the child's school place; a second application for it, by the caseworker or by
    the father as guardian, is refused (409) naming the first (number, submitted when, state) in both languages;
    another service for the child is still taken."""
    service = db_service
    first = _apply(service, "cw_gz", "child")
    assert first.status_code == 201, first.text
    number = first.json()["id"]
    again = _apply(service, "cw_gz", "child")
    assert again.status_code == 409, again.text
    body = again.json()
    assert body["error"] == "conflict" and body["code"] == "application_already_open"
    assert body["params"]["application_id"] == str(number)
    said = body["message"]
    assert f"number {number}" in said and "school place for a migrant child" in said and "now submitted" in said
    # the day it was submitted, in China's time (UTC+8): stored in UTC, 23:30 UTC is the next morning in China
    at = datetime.fromisoformat(first.json()["submitted_at"]).astimezone(timezone(timedelta(hours=8)))
    assert f"submitted on {at.date().isoformat()}, now submitted" in said, said
    chinese = _apply(service, "cw_gz", "child", lang=CHINESE).json()["message"]
    assert (
        f"编号 {number}" in chinese
        and "随迁子女入学" in chinese
        and f"{at.date().isoformat()} 提交" in chinese
        and "「已提交」" in chinese
    ), chinese
    # the father, the child's guardian, is refused the same way from his own page
    by_father = _apply(service, "res_gz", "child")
    assert by_father.status_code == 409 and by_father.json()["code"] == "application_already_open", by_father.text
    # another service is another application: a residence permit for the child is taken
    assert _apply(service, "cw_gz", "child", kind="residence_permit").status_code == 201
    assert _open_count(service, "child", "school_place") == 1


def test_in_review_is_still_open_and_a_decided_one_makes_room(db_service: Service) -> None:
    """Taken into review, the first is still open (the refusal says so); refused, a new application is taken; the
    refused one may then not be appealed while the new one is open (409 naming the new one)."""
    service = db_service
    first = _apply(service, "cw_gz", "gz", kind="points").json()
    assert _step(service, first["id"], "review").status_code == 200
    refused = _apply(service, "cw_gz", "gz", kind="points")
    assert refused.status_code == 409 and "now in review" in refused.json()["message"], refused.text
    rejected = _step(service, first["id"], "reject")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected", rejected.text
    second = _apply(service, "cw_gz", "gz", kind="points")
    assert second.status_code == 201, second.text
    appeal = _step(service, first["id"], "appeal", who="res_gz", reason="我的社保月数算少了")
    assert appeal.status_code == 409, appeal.text
    assert appeal.json()["code"] == "appeal_while_another_open"
    assert f"number {second.json()['id']}" in appeal.json()["message"]
    assert _open_count(service, "gz", "points") == 1


def test_two_submissions_at_once_never_both_pass(db_service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two requests for the child's school place at the same moment: both pre-checked before either is stored (the
    pre-check waits for the other request's), then exactly one is stored and the other refused, on SQLite and
    PostgreSQL."""
    service = db_service
    both_checked = threading.Barrier(2, timeout=120)
    checked = application_records.precheck

    def precheck_then_wait(*args: Any, **kwargs: Any) -> Any:
        result = checked(*args, **kwargs)
        both_checked.wait()  # neither request has stored its application yet
        return result

    monkeypatch.setattr(application_records, "precheck", precheck_then_wait)
    statuses: list[int] = []

    def submit() -> None:
        statuses.append(_apply(service, "cw_gz", "child").status_code)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409]
    assert _open_count(service, "child", "school_place") == 1
