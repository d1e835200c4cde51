"""The old place's list of transfers awaiting release (GET /transfers/awaiting-release), on SQLite and PostgreSQL:
Chengdu's caseworker finds the transfers Guangzhou applied for and releases them; the destination's staff and
another province's do not see them and may not release; months are conserved across both ends."""

from __future__ import annotations

import csv
import io
from typing import Any

from api_support import Service
from sqlalchemy import func, select

from changzhu.ledger.checks import ledger_problems
from changzhu.store.db import session_scope
from changzhu.store.resident_models import ContributionMonthRow, PersonRow

QUEUE = "/api/v1/transfers/awaiting-release"
APPLICATION = {"transfer_no": "T-gz-rq", "scheme": "pension", "from_region": "510100", "to_region": "440100",
               "applied_on": "2026-11-01"}  # fmt: skip


def _apply(service: Service) -> None:
    body = {**APPLICATION, "person_key": service.people["gz"]}
    response = service.client.post("/api/v1/transfers", json=body, headers=service.as_("cw_gz"))
    assert response.status_code == 201, response.text


def _queue(service: Service, user: str, **params: Any) -> Any:
    response = service.client.get(QUEUE, params=params, headers=service.as_(user))
    assert response.status_code == 200, response.text
    return response.json()


def _pension_held(service: Service) -> dict[str, int]:
    """The worker's pension months by the place that holds them."""
    with session_scope(service.engine) as session:
        rows = session.execute(
            select(ContributionMonthRow.held_region, func.count())
            .join(PersonRow, PersonRow.id == ContributionMonthRow.person_id)
            .where(PersonRow.person_key == service.people["gz"], ContributionMonthRow.scheme == "pension")
            .group_by(ContributionMonthRow.held_region)
        ).all()
    return {str(region): int(n) for region, n in rows}


def test_the_old_place_sees_what_waits_for_it_and_releases_it(db_service: Service) -> None:
    _apply(db_service)
    page = _queue(db_service, "cw_cd")
    # the populated mover's application (inserted without a ledger operation: applier unknown) and Guangzhou's
    assert [i["transfer_no"] for i in page["items"]] == ["t-mover-1", "T-gz-rq"] and page["total"] == 2
    item = page["items"][1]
    assert item == {
        "transfer_no": "T-gz-rq",
        "name": None,  # registered without a name
        "id_number_masked": "51**************30",
        "scheme": "pension",
        "from_region": "510100",
        "from_region_name": "成都市",
        "from_region_name_en": "Chengdu",
        "to_region": "440100",
        "to_region_name": "广州市",
        "to_region_name_en": "Guangzhou",
        "held": 38,
        "unit": "month",
        "applied_on": "2026-11-01",
        "applied_by": "cw_gz",
    }
    assert page["items"][0]["applied_by"] is None and page["items"][0]["held"] == 0
    assert _queue(db_service, "cw_cd", limit=1, offset=1)["items"] == [item]
    assert [i["transfer_no"] for i in _queue(db_service, "ad_nat")["items"]] == ["t-mover-1", "T-gz-rq"]
    for other in ("cw_gz", "ad_gd"):  # the destination's staff, and a province at neither end… of the origin
        assert _queue(db_service, other) == {"items": [], "total": 0, "limit": 50, "offset": 0}
    assert db_service.client.get(QUEUE, headers=db_service.as_("pl_nat")).status_code == 403

    before = _pension_held(db_service)
    assert before == {"510100": 38, "440100": 36}
    release = "/api/v1/transfers/T-gz-rq/complete"
    for refused in ("cw_gz", "ad_gd", "res_gz"):
        assert db_service.client.post(release, headers=db_service.as_(refused)).status_code == 403, refused
    done = db_service.client.post(release, headers=db_service.as_("cw_cd"))
    assert done.status_code == 200 and done.json()["months"] == 38, done.text
    assert _pension_held(db_service) == {"440100": sum(before.values())}
    assert ledger_problems(db_service.engine) == []
    assert [i["transfer_no"] for i in _queue(db_service, "cw_cd")["items"]] == ["t-mover-1"]


def test_listing_opens_no_other_data_of_the_person(service: Service) -> None:
    _apply(service)
    assert "T-gz-rq" in {i["transfer_no"] for i in _queue(service, "cw_cd")["items"]}
    gz = service.people["gz"]
    for path in (f"/api/v1/residents/{gz}/overview", f"/api/v1/residents/{gz}/account"):
        assert service.client.get(path, headers=service.as_("cw_cd")).status_code == 404, path  # out of reach


def test_the_list_downloads_as_csv(service: Service) -> None:
    _apply(service)
    response = service.client.get(QUEUE, params={"format": "csv"}, headers=service.as_("cw_cd"))
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["transfer_no"], r["id_number_masked"], r["held"]) for r in rows] == [
        ("t-mover-1", "44**************13", "0"),
        ("T-gz-rq", "51**************30", "38"),
    ]


def test_a_release_of_nothing_says_so_and_closes_the_application(service: Service) -> None:
    """The populated mover's application: Chengdu holds none of the mover's pension months. The list and the person's
    page say the old place holds nothing; the release is taken and completes the application moving nothing (the
    office offers it as closing the application, not as moving a record)."""
    mover = service.people["mover"]
    overview = f"/api/v1/residents/{mover}/overview"

    def transfer() -> Any:
        found = service.client.get(overview, headers=service.as_("ad_nat"))
        assert found.status_code == 200, found.text
        return next(t for t in found.json()["transfers"] if t["transfer_no"] == "t-mover-1")

    assert transfer()["held"] == 0 and transfer()["status"] == "applied"
    assert _queue(service, "cw_cd")["items"][0]["held"] == 0
    done = service.client.post("/api/v1/transfers/t-mover-1/complete", headers=service.as_("cw_cd"))
    assert done.status_code == 200 and done.json()["status"] == "completed" and done.json()["months"] == 0, done.text
    assert transfer()["status"] == "completed" and transfer()["held"] is None  # what it moved is in `amounts`
    assert ledger_problems(service.engine) == []
    assert _queue(service, "cw_cd")["items"] == []


def test_the_listing_and_an_application_read_are_audited_as_before(service: Service) -> None:
    """The queue's audit record (api.access.audit_listing, the one function of every listing since the release
    queue's own copy was folded into it) says why (transfers to release), where, how many rows, names shown; an
    application's read (api.access.audit_read, as every read of one person) its purpose, id and the caller's role."""
    import json

    from changzhu.store.resident_models import AuditRow

    _apply(service)
    listed = _queue(service, "cw_cd")
    with session_scope(service.engine) as session:
        row = session.execute(
            select(AuditRow.actor, AuditRow.subject, AuditRow.details)
            .where(AuditRow.action == "list_personal_data")
            .order_by(AuditRow.id.desc())
        ).first()
    assert row is not None
    actor, subject, details = row
    said = json.loads(details)
    assert (actor, subject) == ("user:cw_cd", "region:510100"), row
    assert said["reason_en"] == "transfers awaiting release" and said["rows"] == len(listed["items"]) == 2, said
    assert said["names_shown"] is True, said
    submitted = service.client.post(
        "/api/v1/applications",
        json={"person_key": service.people["gz"], "kind": "residence_permit"},
        headers=service.as_("cw_gz"),
    )
    assert submitted.status_code in (200, 201), submitted.text
    number = submitted.json()["id"]
    read = service.client.get(f"/api/v1/applications/{number}", headers=service.as_("cw_gz"))
    assert read.status_code == 200, read.text
    with session_scope(service.engine) as session:
        details = session.scalar(
            select(AuditRow.details)
            .where(AuditRow.action == "read_personal_data", AuditRow.subject == service.people["gz"])
            .order_by(AuditRow.id.desc())
        )
    said = json.loads(str(details))
    assert said["purpose"] == "read application" and said["application_id"] == number, said
    assert said["role"] == "caseworker" and said["reason_en"] == "read application", said
