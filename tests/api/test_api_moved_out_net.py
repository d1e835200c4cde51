"""The safe default for a person handed over to another province's instance (跨省通办), and what staff who may not see
her are told of her applications, her place in a quota run and an arrival recorded for her (docs/api.md, "Who may
change what").

Before: a write that reached her lock outside `told_of_move` answered anyone with her new city (409
`person_moved_out`); staff of an application's region she had left the province from elsewhere were told her new
city on every step, on the application's page, in the reason of a close and in a quota run's "not ranked"; and an
arrival recorded for her with her identity number was held (202) for a checker no one here is."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from api_support import ID_CD, MOVED_TO_CHENGDU, Service, hand_over, hand_over_to_sichuan, months, start_service
from sqlalchemy import func, select

from changzhu.ledger.contributions import Scheme, record_contributions
from changzhu.registry.residents import ProofKind, record_move
from changzhu.store.approval_models import PendingApprovalRow
from changzhu.store.checks import lock_person
from changzhu.store.db import session_scope
from changzhu.store.txn import write_session

CHENGDU = ("510100", "成都", "Chengdu")
GUANGZHOU = ("440100", "广州", "Guangzhou")


def _says_nothing_of(places: tuple[str, ...], *answers: Any) -> None:
    for answer in answers:
        text = answer if isinstance(answer, str) else answer.text
        assert not any(word in text for word in places), text


def test_a_write_reaching_her_lock_outside_told_of_move_answers_as_a_key_no_one_has(
    service: Service, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A route that locks her without `told_of_move` (a new write someone forgets to wrap) answers even Chengdu's
    caseworker, who reads her file, with the one not-in-reach answer, and the log names the route. Before: 409
    naming Guangzhou and the day she moved, to whoever reached the route."""
    person = service.people["cd"]
    hand_over(service.engine, person)
    running = start_service(service.engine, service.people, tmp_path / "keys")  # an app of its own, one more route

    def unwrapped(person_key: str) -> dict[str, str]:
        with write_session(running.engine) as session:
            lock_person(session, person_key)
        return {"written": person_key}

    app: Any = running.client.app
    app.add_api_route("/api/v1/probe/{person_key}", unwrapped, methods=["POST"])
    app.router.routes.insert(0, app.router.routes.pop())  # before the web pages' catch-all
    with running.client, caplog.at_level("WARNING", logger="changzhu.api"):
        refused = running.client.post(f"/api/v1/probe/{person}", headers=running.as_("cw_cd"))
        zh = {**running.as_("cw_cd"), "Accept-Language": "zh"}
        in_zh = running.client.post(f"/api/v1/probe/{person}", headers=zh)
        nobody = running.client.get(f"/api/v1/residents/{'0' * 32}", headers=running.as_("cw_cd"))
    assert refused.status_code == 404 and refused.json()["code"] == "no_person_in_reach", refused.text
    assert (nobody.status_code, nobody.json()) == (refused.status_code, refused.json())
    _says_nothing_of(GUANGZHOU, refused, in_zh)
    assert "2026-03-01" not in refused.text
    [warned] = {r.getMessage() for r in caplog.records if r.levelname == "WARNING"}
    assert "POST /api/v1/probe/{person_key}" in warned and "told_of_move" in warned  # the route, not the key


def test_every_route_to_her_lock_tells_a_caller_who_may_see_her_where_she_moved(service: Service) -> None:
    """The national administrator, whose jurisdiction holds where she lives now, reaches her lock on each of her
    own write routes: each answers 409 naming Guangzhou (every such route decides for its caller, so the safe
    default above never turns a told answer into a 404)."""
    person, child = service.people["cd"], service.people["child"]
    hand_over(service.engine, person)
    writes = [
        ("patch", f"/api/v1/residents/{person}/facts", {"facts": {"employed": True}}),
        ("post", f"/api/v1/residents/{person}/permits", {"issued_on": "2026-04-01"}),
        ("post", f"/api/v1/residents/{person}/contributions",
         {"scheme": "pension", "region": "440100", "from_period": 202604, "months": 1, "amount_yuan": 7000}),
        ("post", "/api/v1/households/links", {"parent_key": person, "child_key": child}),
        ("post", f"/api/v1/residents/{person}/moves",
         {"to_region": "440300", "moved_on": "2026-05-01", "proof_kind": "employment", "proof_ref": "c-2"}),
        ("post", "/api/v1/transfers", {"person_key": person, "scheme": "pension", "from_region": "510100",
                                       "to_region": "440100", "applied_on": "2026-04-01", "transfer_no": "t-net-1"}),
        ("post", "/api/v1/applications", {"person_key": person, "kind": "points"}),
    ]  # fmt: skip
    for method, path, body in writes:
        refused = service.client.request(method, path, json=body, headers=service.as_("ad_nat"))
        assert refused.status_code == 409 and refused.json()["code"] == "person_moved_out", (path, refused.text)
        assert refused.json()["params"]["region"] == "440100", (path, refused.text)


def _moved_within_then_out(service: Service, *steps: dict[str, str]) -> dict[str, Any]:
    """The Guangzhou worker's points application made in Guangzhou and taken through `steps`; she then moves to
    Shenzhen and from there to Chengdu (handed over to Sichuan's instance): Guangzhou holds her application but may
    not see her now."""
    headers = service.as_("cw_gz")
    made = service.client.post(
        "/api/v1/applications", json={"person_key": service.people["gz"], "kind": "points"}, headers=headers
    )
    assert made.status_code == 201, made.text
    application: dict[str, Any] = made.json()
    for step in steps:
        answer = _step(service, application, "cw_gz", **step)
        assert answer.status_code == 200, answer.text
    worker = service.people["gz"]
    record_move(service.engine, worker, "440300", date(2025, 6, 1), ProofKind.EMPLOYMENT, "sz-1", actor="t")
    paid = months((2025, 6), (2025, 12), 800000)
    record_contributions(service.engine, worker, Scheme.PENSION, "440300", paid, actor="t", key="net-sz")
    hand_over_to_sichuan(service)
    return application


def _step(service: Service, application: dict[str, Any], user: str, lang: str = "en", **step: str) -> Any:
    return service.client.post(
        f"/api/v1/applications/{application['id']}/transition",
        json=step,
        headers={**service.as_(user), "Accept-Language": lang},
    )


def test_staff_of_her_application_who_may_not_see_her_are_not_told_where_she_moved(service: Service) -> None:
    """Guangzhou's caseworker acts on her application (its region) but may not read her file: a step is refused as
    for someone who moved to another province, the application's page gives `moved_out` with no place and no date,
    and a close drafts its reason without them. Guangdong's administrator, who covers Shenzhen (the place she left
    the province from), is still told Chengdu. Before: Chengdu and 2026-11-01 in all of them."""
    application = _moved_within_then_out(service)
    page_of_her = service.client.get(f"/api/v1/residents/{service.people['gz']}", headers=service.as_("cw_gz"))
    assert page_of_her.status_code == 404, page_of_her.text
    refused = _step(service, application, "cw_gz", action="review")
    in_zh = _step(service, application, "cw_gz", "zh", action="review")
    assert refused.status_code == 409 and refused.json()["code"] == "applicant_moved_out_elsewhere", refused.text
    assert "another province" in refused.json()["message"] and "外省" in in_zh.json()["message"]
    page = service.client.get(f"/api/v1/applications/{application['id']}", headers=service.as_("cw_gz"))
    assert page.status_code == 200 and page.json()["moved_out"] is not None, page.text
    assert set(page.json()["moved_out"].values()) == {None}
    _says_nothing_of(CHENGDU, refused, in_zh, page)
    assert MOVED_TO_CHENGDU.isoformat() not in refused.text + page.text

    told = _step(service, application, "ad_gd", action="review")
    assert told.status_code == 409 and told.json()["code"] == "applicant_moved_out", told.text
    assert told.json()["params"]["region"] == "510100" and "Chengdu" in told.json()["message"]
    shown = service.client.get(f"/api/v1/applications/{application['id']}", headers=service.as_("ad_gd")).json()
    assert shown["moved_out"]["city"] == "510100"

    closed = _step(service, application, "cw_gz", action="close")
    assert closed.status_code == 200, closed.text
    assert "another province" in closed.json()["reason_en"] and "外省" in closed.json()["reason_zh"]
    _says_nothing_of(CHENGDU, closed)


def test_a_quota_run_names_her_new_city_only_to_a_city_that_may_see_her(service: Service) -> None:
    """Her points application was granted in Guangzhou; she left the province from Shenzhen: Guangzhou's run leaves
    her out as moved to another province, naming no place and no day (before: Chengdu and 2026-11-01)."""
    granted = _moved_within_then_out(service, {"action": "review"}, {"action": "approve", "reason": "经复核予以批准"})
    body = {"kind": "points_hukou", "region": "440100", "year": 2026, "quota": 1}
    run = service.client.post("/api/v1/quotas/runs", json=body, headers=service.as_("cw_gz"))
    assert run.status_code == 201, run.text
    [apart] = run.json()["rule"]["not_ranked"]
    assert apart["application_id"] == granted["id"]
    assert apart["reason"]["code"] == "person_moved_out_elsewhere" and apart["reason"]["params"] == {}
    assert "another province" in apart["reason"]["en"] and "外省" in apart["reason"]["zh"]
    again = service.client.get(f"/api/v1/quotas/runs/{run.json()['id']}", headers=service.as_("cw_gz"))
    _says_nothing_of(CHENGDU, run, again)
    assert MOVED_TO_CHENGDU.isoformat() not in run.text


def test_an_arrival_for_someone_handed_over_is_refused_up_front(service: Service) -> None:
    """Chengdu's caseworker records her arrival in Chengdu with the identity number she shows: she was handed over
    to Guangdong's instance, so no one here could approve the held move; it is refused at once (409
    `arrival_after_hand_over`, naming no place) and nothing is held. Without the number the answer is still the one
    for a key no one has. Before: 202, a move held for a checker of Guangzhou."""
    person = service.people["cd"]
    hand_over(service.engine, person)
    move = {"to_region": "510100", "moved_on": "2026-06-01", "proof_kind": "employment", "proof_ref": "back-1"}
    path = f"/api/v1/residents/{person}/moves"
    unproven = service.client.post(path, json=move, headers=service.as_("cw_cd"))
    assert unproven.status_code == 404 and unproven.json()["code"] == "no_person_in_reach", unproven.text
    refused = service.client.post(path, json={**move, "id_number": ID_CD}, headers=service.as_("cw_cd"))
    in_zh = service.client.post(
        path, json={**move, "id_number": ID_CD}, headers={**service.as_("cw_cd"), "Accept-Language": "zh"}
    )
    assert refused.status_code == 409 and refused.json()["code"] == "arrival_after_hand_over", refused.text
    assert "hands them back" in refused.json()["message"] and "跨省转出" in in_zh.json()["message"]
    _says_nothing_of(GUANGZHOU, refused, in_zh)
    with session_scope(service.engine) as session:
        assert session.scalar(select(func.count()).select_from(PendingApprovalRow)) == 0
