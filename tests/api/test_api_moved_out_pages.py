"""After Sichuan's instance hands a Chengdu resident over to Guangdong's (跨省通办), on SQLite and PostgreSQL: the
office's overview names where she moved and the place she left (names, not codes alone), her own page leaves what
she is missing and her points unanswered (null: decided where she lives now) instead of "none", and her applications
here take no step but closing an open one, whose reason is the move."""

from __future__ import annotations

from typing import Any

from api_support import HANDED_OVER_ON, Service, hand_over
from sqlalchemy import func, select

from changzhu.store.audit import verify
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow

MOVED = {
    "city": "440100",
    "city_name": "广州市",
    "city_name_en": "Guangzhou",
    "on": HANDED_OVER_ON.isoformat(),
    "from_region": "510100",
    "from_region_name": "成都市",
    "from_region_name_en": "Chengdu",
}


def _application(service: Service, kind: str, *steps: dict[str, str]) -> dict[str, Any]:
    """An application of the Chengdu resident, submitted by Chengdu's caseworker, taken through `steps`."""
    headers = service.as_("cw_cd")
    made = service.client.post(
        "/api/v1/applications", json={"person_key": service.people["cd"], "kind": kind}, headers=headers
    )
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    for step in steps:
        answer = service.client.post(f"/api/v1/applications/{found['id']}/transition", json=step, headers=headers)
        assert answer.status_code == 200, answer.text
        found = answer.json()
    return found


def _step(service: Service, application: dict[str, Any], user: str, **step: str) -> Any:
    return service.client.post(
        f"/api/v1/applications/{application['id']}/transition", json=step, headers=service.as_(user)
    )


def test_the_office_overview_names_where_she_moved_and_the_place_she_left(db_service: Service) -> None:
    """Before, `moved_out` was `{city, on, from_region}` (codes alone) and the previous residence a code."""
    person = db_service.people["cd"]
    hand_over(db_service.engine, person)
    office = db_service.client.get(f"/api/v1/residents/{person}/overview", headers=db_service.as_("cw_cd"))
    assert office.status_code == 200, office.text
    record = office.json()["record"]
    assert record["moved_out"] == MOVED
    assert (record["prior_region"], record["prior_region_name"], record["prior_region_name_en"]) == (
        "510100",
        "成都市",
        "Chengdu",
    )
    statement = db_service.client.get("/api/v1/me/statement", headers=db_service.as_("res_cd")).json()
    assert statement["moved_out"] == MOVED
    others = db_service.client.get(
        f"/api/v1/residents/{db_service.people['gz']}/overview", headers=db_service.as_("cw_gz")
    )
    assert others.json()["record"]["moved_out"] is None


def test_her_own_page_leaves_missing_and_points_to_her_new_place(db_service: Service) -> None:
    """Before, her page answered `points: []` and `missing: []` after the move: "no points scheme here", "nothing
    missing", for someone whose new place decides both."""
    before = db_service.client.get("/api/v1/me/overview", headers=db_service.as_("res_cd")).json()
    assert isinstance(before["points"], list) and isinstance(before["missing"], list) and before["points"]
    hand_over(db_service.engine, db_service.people["cd"])
    mine = db_service.client.get("/api/v1/me/overview", headers=db_service.as_("res_cd"))
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert body["record"]["moved_out"] == MOVED
    assert body["points"] is None and body["missing"] is None
    assert (body["record"]["residence_region"], body["record"]["residence_since"]) == ("440100", MOVED["on"])
    staying = db_service.client.get("/api/v1/me/overview", headers=db_service.as_("res_gz")).json()
    assert staying["record"]["moved_out"] is None and staying["points"]  # someone who stays is decided as before


def test_her_applications_here_take_no_step_but_closing_an_open_one(db_service: Service) -> None:
    """Before, Chengdu's caseworker could still review and decide her applications after she had moved to
    Guangzhou, and she could appeal a refusal. Now each step is refused naming the move; an open application is
    closed with the move as its reason; a decided one stays as decided."""
    submitted = _application(db_service, "points")
    in_review = _application(db_service, "residence_permit", {"action": "review"})
    rejected = _application(db_service, "dibao", {"action": "review"}, {"action": "reject", "reason": "材料不全"})
    hand_over(db_service.engine, db_service.people["cd"])

    for application, user, action in (
        (submitted, "cw_cd", "review"),
        (in_review, "cw_cd", "approve"),
        (in_review, "cw_cd", "reject"),
        (rejected, "res_cd", "appeal"),
    ):
        refused = _step(db_service, application, user, action=action, reason="复核理由")
        assert refused.status_code == 409 and refused.json()["code"] == "applicant_moved_out", refused.text
        assert "Guangzhou (440100)" in refused.json()["message"] and MOVED["on"] in refused.json()["message"]
    zh = db_service.client.post(
        f"/api/v1/applications/{in_review['id']}/transition",
        json={"action": "approve"},
        headers={**db_service.as_("cw_cd"), "Accept-Language": "zh"},
    )
    assert zh.status_code == 409 and "迁往 广州市（440100）" in zh.json()["message"], zh.text

    kept = _step(db_service, rejected, "cw_cd", action="close")  # decided before the move: stays as decided
    assert kept.status_code == 409 and kept.json()["code"] == "step_not_allowed", kept.text
    elsewhere = _step(db_service, in_review, "cw_gz", action="close")  # Guangzhou's staff: not their application
    assert elsewhere.status_code == 403, elsewhere.text

    closed = _step(db_service, in_review, "cw_cd", action="close")
    assert closed.status_code == 200, closed.text
    body = closed.json()
    assert body["status"] == "closed" and body["reason_as_written"] is False
    assert body["reason_zh"] == "申请人已于 2026-03-01 迁往广州市（跨省通办），本地终止办理；请到现在的常住地申请"
    assert body["reason_en"] == (
        "closed: the applicant moved to Guangzhou on 2026-03-01 (cross-province hand-over); apply where they live now"
    )
    assert body["precheck"] == in_review["precheck"]  # the close decides nothing under the rules
    assert [e["action"] for e in body["events"]] == ["submit", "review", "close"]
    again = _step(db_service, in_review, "cw_cd", action="close")
    assert again.status_code == 409 and again.json()["code"] == "step_not_allowed", again.text

    typed = _step(db_service, submitted, "cw_cd", action="close", reason="本人来电告知已迁往广州")
    assert typed.status_code == 200, typed.text
    assert (typed.json()["reason_zh"], typed.json()["reason_as_written"]) == ("本人来电告知已迁往广州", True)

    read = db_service.client.get(f"/api/v1/applications/{in_review['id']}", headers=db_service.as_("res_cd"))
    assert read.status_code == 200 and read.json()["moved_out"] == MOVED and read.json()["status"] == "closed"
    listed = db_service.client.get("/api/v1/applications?status=closed", headers=db_service.as_("cw_cd")).json()
    assert sorted(a["id"] for a in listed["items"]) == sorted([submitted["id"], in_review["id"]])
    with session_scope(db_service.engine) as session:
        closes = session.scalar(select(func.count()).where(AuditRow.action == "application_close"))
    assert closes == 2 and verify(db_service.engine).ok  # both closes audited, in the chain


def test_close_is_only_for_an_applicant_who_moved_out(db_service: Service) -> None:
    """Closing is not a way to drop the application of someone still living here."""
    application = _application(db_service, "points")
    refused = _step(db_service, application, "cw_cd", action="close")
    assert refused.status_code == 409 and refused.json()["code"] == "close_only_moved_out", refused.text
    assert "Chengdu (510100)" in refused.json()["message"]
    review = _step(db_service, application, "cw_cd", action="review")  # every other step as before
    assert review.status_code == 200 and review.json()["status"] == "in_review", review.text
    shown = db_service.client.get(f"/api/v1/applications/{application['id']}", headers=db_service.as_("cw_cd"))
    assert shown.json()["moved_out"] is None


def test_the_residents_list_marks_a_person_who_moved_out(db_service: Service) -> None:
    """The national administrator's list shows her in Guangzhou, marked as moved out (her record here is history,
    the receiving office holds it); no one else is marked. Before, the list had no such mark."""
    person = db_service.people["cd"]
    hand_over(db_service.engine, person)
    listed = db_service.client.get("/api/v1/residents?limit=200", headers=db_service.as_("ad_nat"))
    assert listed.status_code == 200, listed.text
    marks = {item["person_key"]: item["moved_out"] for item in listed.json()["items"]}
    assert marks[person] is True
    assert not any(mark for key, mark in marks.items() if key != person)
