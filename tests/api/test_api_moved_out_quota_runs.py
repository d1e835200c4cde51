"""A quota run published before readers were told apart keeps, in its "not ranked" list, a reason naming the new city
of an applicant who moved to another province (`person_moved_out`, with 成都市 / Chengdu and the day in its text).
What a reader is shown is decided when the run is read, for that reader (docs/api.md, "Who may change what"): the
run's own pages (`GET /quotas/runs/{id}`, `GET /quotas/runs`) and the audit record of its publication name the place
only to a reader who may see her. On SQLite and PostgreSQL.

Before: every reader of the run, and every administrator reading its audit record, was shown Chengdu and the day."""

from __future__ import annotations

from datetime import date
from typing import Any

from api_support import MOVED_TO_CHENGDU, PASSWORD, Service, hand_over_to_sichuan, months
from sqlalchemy import select

from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.roles import Role
from changzhu.api.auth.tokens import issue_token
from changzhu.casework import quota_runs as runs
from changzhu.casework.quotas import by_quota
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.ledger.contributions import Scheme, record_contributions
from changzhu.registry.residents import ProofKind, record_move
from changzhu.store.application_models import ApplicationRow
from changzhu.store.auth_models import UserRow
from changzhu.store.db import session_scope
from changzhu.store.resident_models import PersonRow
from changzhu.tables.places import place_names

CHENGDU = ("510100", "成都", "Chengdu")


def _old_style_reason(region: str, since: date) -> dict[str, Any]:
    """The reason as runs published before 2026-12-03 16:27 (commit 6e38091) stored it for every reader."""
    reason = refusal(RefusalCode.PERSON_MOVED_OUT, on=since.isoformat(), region=region)
    names = {"place": place_names({region})}
    return {**reason.as_json(), "zh": reason.text(Lang.ZH, names), "en": reason.text(Lang.EN, names)}


def _published_before(service: Service) -> int:
    """The Guangzhou worker moves to Shenzhen, then to Chengdu (handed over to Sichuan's instance): Guangzhou's staff
    may not see her, Guangdong's administrator (who covers Shenzhen, the place she left from) may. A run of Guangzhou
    published by its caseworker lists her application as not ranked with the old-style reason; the run's id."""
    worker = service.people["gz"]
    with session_scope(service.engine) as session:
        person_id = session.scalar(select(PersonRow.id).where(PersonRow.person_key == worker))
        stamp = "2026-06-01T00:00:00+00:00"
        made = {"submitted_by": "cw_gz", "submitted_at": stamp, "updated_at": stamp, "precheck": {}}
        application = ApplicationRow(person_id=person_id, kind="points", region="440100", status="approved", **made)
        session.add(application)
        session.flush()
        application_id = application.id
    record_move(service.engine, worker, "440300", date(2025, 6, 1), ProofKind.EMPLOYMENT, "sz-1", actor="t")
    paid = months((2025, 6), (2025, 12), 800000)
    record_contributions(service.engine, worker, Scheme.PENSION, "440300", paid, actor="t", key="quota-sz")
    hand_over_to_sichuan(service)
    on = date(2026, 11, 20)
    reason = _old_style_reason("510100", MOVED_TO_CHENGDU)
    stored = {"application_id": application_id, "person_key": worker, "reason": reason}
    rule = runs.tie_break("440100", on)
    described = {"tie_break": rule.describe(), "quota_source": runs.GIVEN_IN_REQUEST, "evaluated_on": on.isoformat(),
                 "not_ranked": [stored]}  # fmt: skip
    run = runs.publish(
        service.engine, runs.QuotaKind.POINTS_HUKOU, "440100", 2026, 1, None, by_quota([], rule, 1), described, "cw_gz"
    )
    return int(run["id"])


def _guangzhou_administrator(service: Service) -> None:
    create_user(service.engine, "ad_gz", PASSWORD, Role.ADMINISTRATOR, ["440100"], None)
    with session_scope(service.engine) as session:
        user_id = int(session.scalar(select(UserRow.id).where(UserRow.username == "ad_gz")) or 0)
    secret = service.client.app.state.settings.jwt_secret  # type: ignore[attr-defined]
    service.headers["ad_gz"] = {"Authorization": f"Bearer {issue_token(user_id, secret, 900)}"}


def _says_nothing_of_chengdu(*texts: str) -> None:
    for text in texts:
        assert not any(word in text for word in CHENGDU), text
        assert MOVED_TO_CHENGDU.isoformat() not in text, text


def test_a_stored_reason_naming_her_new_city_is_told_only_to_a_reader_who_may_see_her(db_service: Service) -> None:
    service = db_service
    run_id = _published_before(service)
    one = service.client.get(f"/api/v1/quotas/runs/{run_id}", headers=service.as_("cw_gz"))
    in_zh = service.client.get(
        f"/api/v1/quotas/runs/{run_id}", headers={**service.as_("cw_gz"), "Accept-Language": "zh"}
    )
    listed = service.client.get("/api/v1/quotas/runs", params={"region": "440100"}, headers=service.as_("cw_gz"))
    assert one.status_code == listed.status_code == 200, (one.text, listed.text)
    [apart] = one.json()["rule"]["not_ranked"]
    assert apart["reason"]["code"] == "person_moved_out_elsewhere" and apart["reason"]["params"] == {}
    assert "another province" in apart["reason"]["en"] and "外省" in apart["reason"]["zh"]
    [listed_run] = listed.json()
    assert listed_run["rule"]["not_ranked"][0]["reason"] == apart["reason"]
    _says_nothing_of_chengdu(one.text, in_zh.text, listed.text)

    told = service.client.get(f"/api/v1/quotas/runs/{run_id}", headers=service.as_("ad_gd")).json()
    [kept] = told["rule"]["not_ranked"]
    assert kept["reason"]["code"] == "person_moved_out" and kept["reason"]["params"]["region"] == "510100"
    assert "Chengdu" in kept["reason"]["en"]


def test_the_audit_record_of_the_run_names_her_new_city_only_to_an_administrator_who_may_see_her(
    db_service: Service,
) -> None:
    service = db_service
    _published_before(service)
    _guangzhou_administrator(service)
    query = {"action": "quota_run_publish"}
    answers = {who: service.client.get("/api/v1/audit", params=query, headers=service.as_(who)) for who in
               ("ad_gz", "ad_gd")}  # fmt: skip
    for who, answer in answers.items():
        assert answer.status_code == 200 and answer.json()["total"] == 1, (who, answer.text)
    [record] = answers["ad_gz"].json()["items"]
    [apart] = record["details"]["rule"]["not_ranked"]
    assert apart["reason"]["code"] == "person_moved_out_elsewhere", record
    _says_nothing_of_chengdu(answers["ad_gz"].text)
    csv = service.client.get("/api/v1/audit", params={**query, "format": "csv"}, headers=service.as_("ad_gz"))
    assert csv.status_code == 200, csv.text
    _says_nothing_of_chengdu(csv.text)
    [told] = answers["ad_gd"].json()["items"]
    assert told["details"]["rule"]["not_ranked"][0]["reason"]["params"]["region"] == "510100"
