"""The two 跨省通办 endpoints a token or a signature opens, over HTTP on SQLite and PostgreSQL: a peer's signed
`/interregion/summary` (no user token opens it), and a caseworker resolving a disputed message
(`/interregion/outbox/{id}/resolve`, refused to other roles and to other places)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx
import pytest
from api_support import SCENARIOS, Service, populated_postgres, start_service
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import Engine, delete, func, select

from changzhu.api import ApiSettings, create_app
from changzhu.api.errors import error_body
from changzhu.api.interregion import outbox
from changzhu.api.interregion.peers import add_peer
from changzhu.api.interregion.protocol import MESSAGES_PATH, Message, canonical_json
from changzhu.api.interregion.reconcile import SUMMARY_PATH
from changzhu.api.interregion.signing import sign_request
from changzhu.api.keys import public_key_text
from changzhu.domain.lang import Lang
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.ledger.accounts import balances_frame
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.registry.identity import check_char
from changzhu.store.audit import verify
from changzhu.store.db import make_engine, session_scope
from changzhu.store.interregion_models import OutboxRow, PeerRow

PEER = "440000"
NEWCOMER17 = "44010619920202002"


@dataclass
class Sichuan(Service):
    """The populated service as Sichuan's instance (510000), and the key of its peer Guangdong."""

    peer_key: Ed25519PrivateKey


@pytest.fixture
def instance(database_url: str, populated_sqlite: tuple[Path, dict[str, str]], tmp_path: Path) -> Iterator[Sichuan]:
    """Sichuan's instance on a copy of the populated SQLite or PostgreSQL template, trusting Guangdong."""
    if database_url.startswith("sqlite"):
        template, people = populated_sqlite
        (tmp_path / "db.sqlite3").write_bytes(template.read_bytes())
        engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    else:
        people = populated_postgres(database_url)
        engine = make_engine(database_url)
    settings = ApiSettings(
        database_url=str(engine.url),
        jwt_secret=b"k" * 32,
        keys_dir=tmp_path / "keys",
        scenarios_dir=SCENARIOS,
        instance_region="510000",
    )
    tokens = start_service(engine, people, tmp_path / "keys").headers
    key = Ed25519PrivateKey.generate()
    add_peer(engine, PEER, "http://guangdong.invalid", public_key_text(key))
    yield Sichuan(TestClient(create_app(settings, engine)), engine, people, tokens, key)
    engine.dispose()


def _signed(key: Ed25519PrivateKey, region: str, path: str, body: bytes) -> dict[str, str]:
    return {"Content-Type": "application/json", **sign_request(key, region, "POST", path, body)}


def _arrival(service: Sichuan) -> str:
    """Guangdong hands a newcomer (12 pension months in Guangzhou) to Chengdu: a signed message, applied here."""
    months = [
        {"scheme": "pension", "period": 202401 + m, "paid_region": "440100", "base_fen": 500_000} for m in range(12)
    ]
    payload = {
        "id_number": NEWCOMER17 + check_char(NEWCOMER17),
        "hukou_region": "440100",
        "to_city": "510100",
        "moved_on": "2026-03-01",
        "pension_individual_fen": 12 * 40_000,
        "pension_pooled_fen": 12 * 60_000,
        "school_records": [],
        "contributions": months,
    }
    message = Message("g" * 32, PEER, "510000", "account_transfer", payload)
    body = message.body()
    response = service.client.post(
        MESSAGES_PATH, content=body, headers=_signed(service.peer_key, PEER, MESSAGES_PATH, body)
    )
    assert response.status_code == 200, response.text
    return message.message_id


def test_summary_answers_a_signed_peer_and_no_one_else(instance: Sichuan) -> None:
    message_id = _arrival(instance)
    body = canonical_json({"from_region": PEER})
    ok = instance.client.post(SUMMARY_PATH, content=body, headers=_signed(instance.peer_key, PEER, SUMMARY_PATH, body))
    assert ok.status_code == 200, ok.text
    assert ok.json()["messages"] == {message_id: {"fen": 12 * 100_000, "month": 12, "year": 0}}
    refused = {
        "unsigned": {"Content-Type": "application/json"},
        "a user's token, no signature": instance.as_("ad_nat"),
        "signed by a stranger's key": _signed(Ed25519PrivateKey.generate(), PEER, SUMMARY_PATH, body),
        "signed for another path": _signed(instance.peer_key, PEER, MESSAGES_PATH, body),
        "a region that is no peer": _signed(instance.peer_key, "310000", SUMMARY_PATH, body),
        "another body than signed": _signed(instance.peer_key, PEER, SUMMARY_PATH, b'{"from_region":"310000"}'),
    }
    for why, headers in refused.items():
        response = instance.client.post(SUMMARY_PATH, content=body, headers=headers)
        assert response.status_code == 401, (why, response.status_code, response.text)
        assert "messages" not in response.json(), why


def _disputed(engine: Engine, person_key: str) -> str:
    """The Chengdu worker handed to Guangdong; the peer answers with a conflict: disputed (applied or not?)."""
    message_id = outbox.start_transfer(
        engine, person_key, "510000", PEER, "440100", date(2026, 3, 1), actor="test", authorize=lambda _r: None
    )
    conflict = httpx.MockTransport(lambda _request: httpx.Response(409, json={"error": "conflict", "message": "?"}))
    with httpx.Client(transport=conflict) as client:
        (delivery,) = outbox.deliver(engine, "510000", Ed25519PrivateKey.generate(), client, message_id)
    assert delivery.status == outbox.DISPUTED
    return message_id


def _person_balances(engine: Engine, person_key: str) -> dict[str, int]:
    frame = balances_frame(engine, person_key=person_key)
    return {a: b for a, b in zip(frame["account"], frame["balance"], strict=True) if b}


def test_resolve_reverses_or_resends_for_the_senders_caseworkers_only(instance: Sichuan) -> None:
    engine, person = instance.engine, instance.people["cd"]
    paid = [MonthPaid(202401 + m, 600_000) for m in range(12)]
    record_contributions(engine, person, Scheme.PENSION, "510100", paid, actor="test", key="cd-2024")
    before = _person_balances(engine, person)
    message_id = _disputed(engine, person)
    assert _person_balances(engine, person) != before  # handed over: held for Guangzhou on the sender
    path = f"/api/v1/interregion/outbox/{message_id}/resolve"
    reverse = {"action": "reverse", "reason": "广东确认未入账 / the peer confirms nothing was applied"}
    assert instance.client.post(path, json=reverse).status_code == 401
    for user in ("res_cd", "pl_nat", "fo_nat", "cw_gz", "ad_gd"):  # a role that may not, or another place
        response = instance.client.post(path, json=reverse, headers=instance.as_(user))
        assert response.status_code == 403, (user, response.text)
    bad = instance.client.post(path, json={"action": "delete", "reason": "nope"}, headers=instance.as_("cw_cd"))
    assert bad.status_code == 422
    unknown = instance.client.post(
        "/api/v1/interregion/outbox/none/resolve", json=reverse, headers=instance.as_("cw_cd")
    )
    assert unknown.status_code == 404
    with session_scope(engine) as session:
        assert session.scalar(select(OutboxRow.status).where(OutboxRow.message_id == message_id)) == outbox.DISPUTED

    done = instance.client.post(path, json=reverse, headers=instance.as_("cw_cd"))
    assert done.status_code == 200, done.text
    assert done.json()["status"] == outbox.REVERSED
    assert _person_balances(engine, person) == before  # months and money back where they were, nothing doubled
    assert instance.client.post(path, json=reverse, headers=instance.as_("cw_cd")).status_code == 409
    assert ledger_problems(engine) == [] and verify(engine).ok

    again = _disputed(engine, person)  # a second dispute, sent again by the national administrator
    resend = {"action": "resend", "reason": "广东未收到 / the peer has no record: send again"}
    response = instance.client.post(
        f"/api/v1/interregion/outbox/{again}/resolve", json=resend, headers=instance.as_("ad_nat")
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == outbox.PENDING


def test_a_refused_message_replayed_later_is_refused_again(instance: Sichuan) -> None:
    """The peer refused a message (422 message_refused), so the sender reversed its hand-over; the same signed
    request replayed once the refusal's cause is gone (a city added to the regions table) must not be applied
    here too: the months would then be held at both ends (sent = received + reversed, counted twice)."""
    from changzhu.store.models import RegionRow
    from changzhu.store.resident_models import ContributionMonthRow

    months = [
        {"scheme": "pension", "period": 202401 + m, "paid_region": "440100", "base_fen": 500_000} for m in range(6)
    ]
    payload = {
        "id_number": NEWCOMER17 + check_char(NEWCOMER17), "hukou_region": "440100", "to_city": "519900",
        "moved_on": "2026-03-01", "pension_individual_fen": 6 * 40_000, "pension_pooled_fen": 6 * 60_000,
        "school_records": [], "contributions": months,
    }  # fmt: skip
    body = Message("r" * 32, PEER, "510000", "account_transfer", payload).body()
    headers = _signed(instance.peer_key, PEER, MESSAGES_PATH, body)
    first = instance.client.post(MESSAGES_PATH, content=body, headers=headers)
    assert first.status_code == 422 and first.json()["error"] == "message_refused", first.text
    with session_scope(instance.engine) as session:  # the cause of the refusal goes away
        province = session.scalar(select(RegionRow).where(RegionRow.level == "province", RegionRow.code == "510000"))
        assert province is not None
        session.add(RegionRow(level="prefecture", code="519900", name_zh="新市", name_en="New City",
                              parent_id=province.id, division_type="地级市"))  # fmt: skip
    replayed = instance.client.post(MESSAGES_PATH, content=body, headers=headers)  # the same signed request
    assert replayed.status_code == 422 and replayed.json()["error"] == "message_refused", replayed.text
    with session_scope(instance.engine) as session:
        assert session.scalar(select(func.count()).select_from(ContributionMonthRow).where(
            ContributionMonthRow.held_region == "519900")) == 0  # fmt: skip
    summary = canonical_json({"from_region": PEER})
    answer = instance.client.post(
        SUMMARY_PATH, content=summary, headers=_signed(instance.peer_key, PEER, SUMMARY_PATH, summary)
    )
    assert answer.json()["messages"] == {}  # nothing of it was applied here
    assert ledger_problems(instance.engine) == []


def test_after_the_hand_over_the_sender_shows_her_moved_out_and_takes_no_writes(instance: Sichuan) -> None:
    """Sichuan's instance hands a Chengdu resident over to Guangzhou: at the sender her page says where to and since
    when, offers her no local entitlement as a resident, her caseworkers still read her file (history) and cannot
    write to it. Before, the sender still showed and decided her as a Chengdu resident, and took writes."""
    engine, person = instance.engine, instance.people["cd"]
    paid = [MonthPaid(202401 + m, 600_000) for m in range(12)]
    record_contributions(engine, person, Scheme.PENSION, "510100", paid, actor="test", key="cd-2024")
    mine = instance.client.get("/api/v1/me/overview", headers=instance.as_("res_cd")).json()
    assert mine["entitlements"]["services"] and mine["record"]["moved_out"] is None
    message_id = outbox.start_transfer(
        engine, person, "510000", PEER, "440100", date(2026, 3, 1), actor="test", authorize=lambda _r: None
    )
    accepted = httpx.MockTransport(lambda _request: httpx.Response(200, json={"person_key": "g" * 32}))
    with httpx.Client(transport=accepted) as client:  # Guangdong's instance took her in and answered its receipt
        (delivery,) = outbox.deliver(engine, "510000", Ed25519PrivateKey.generate(), client, message_id)
    assert delivery.status == outbox.DELIVERED

    mine = instance.client.get("/api/v1/me/overview", headers=instance.as_("res_cd")).json()
    moved = mine["record"]["moved_out"]
    assert (moved["city"], moved["on"], moved["from_region"]) == ("440100", "2026-03-01", "510100")
    assert mine["entitlements"]["services"] == [] and mine["points"] is None  # nothing offered here as a resident
    assert [(h["kind"], h["from_region"], h["to_region"]) for h in mine["history"]][-1] == (
        "move_out",
        "510100",
        "440100",
    )
    statement = instance.client.get("/api/v1/me/statement", headers=instance.as_("res_cd")).json()
    [out] = statement["crossings"]
    assert statement["moved_out"]["city"] == out["city"] == "440100" and out["moved"] == {"pension_months": 12}

    office = instance.client.get(f"/api/v1/residents/{person}/overview", headers=instance.as_("cw_cd"))
    assert office.status_code == 200, office.text  # Chengdu's caseworker reads the history
    assert office.json()["record"]["moved_out"]["city"] == "440100"
    voucher = {"holder_key": person, "issuer_region": "510100", "service": "托育服务", "value_fen": 10_000,
               "issued_on": "2026-03-02", "expires_on": "2026-12-31"}  # fmt: skip
    refused = instance.client.post("/api/v1/vouchers", json=voucher, headers=instance.as_("cw_cd"))
    assert refused.status_code == 409 and refused.json()["code"] == "person_moved_out", refused.text
    facts = instance.client.patch(
        f"/api/v1/residents/{person}/facts", json={"facts": {"employed": True}}, headers=instance.as_("cw_cd")
    )
    assert facts.status_code == 409 and facts.json()["code"] == "person_moved_out", facts.text  # history here
    applied = instance.client.post(
        "/api/v1/applications", json={"person_key": person, "kind": "points"}, headers=instance.as_("res_cd")
    )
    assert applied.status_code == 409 and applied.json()["code"] == "person_moved_out", applied.text
    assert ledger_problems(engine) == []


OUTBOX = "/api/v1/interregion/outbox"


def test_the_outbox_lists_hand_overs_to_the_place_she_left_only(instance: Sichuan) -> None:
    """A caseworker of Chengdu hands a resident over to Guangzhou through the API (the peer cannot be reached:
    pending), then lists the outbox: the message is Chengdu's (where she left), not Guangzhou's, although she lives in
    Guangzhou now (the list compares the message's place, not the person's residence). A disputed message tells the
    peer's coded answer in both languages."""
    engine, person = instance.engine, instance.people["cd"]
    paid = [MonthPaid(202401 + m, 600_000) for m in range(12)]
    record_contributions(engine, person, Scheme.PENSION, "510100", paid, actor="test", key="cd-2024")
    peers = instance.client.get("/api/v1/interregion/peers", headers=instance.as_("cw_cd"))
    assert peers.status_code == 200, peers.text
    assert peers.json()["instance"]["code"] == "510000"
    assert [(p["code"], p["name_zh"]) for p in peers.json()["peers"]] == [(PEER, "广东省")]
    body = {"person_key": person, "to_region": PEER, "to_city": "440100", "moved_on": "2026-03-01"}
    started = instance.client.post("/api/v1/interregion/transfers", json=body, headers=instance.as_("cw_cd"))
    assert started.status_code == 202, started.text
    message_id = started.json()["message_id"]
    assert [d["status"] for d in started.json()["deliveries"]] == ["pending"]  # guangdong.invalid: not reached

    page = instance.client.get(OUTBOX, headers=instance.as_("cw_cd"))
    assert page.status_code == 200, page.text
    [item] = page.json()["items"]
    assert page.json()["total"] == 1
    assert (item["message_id"], item["status"], item["person_key"]) == (message_id, "pending", person)
    assert item["id_number_masked"].startswith("51") and "*" * 14 in item["id_number_masked"]
    assert "name" in item  # as the list of transfers awaiting release shows it (none recorded for this person)
    assert (item["from_city"]["code"], item["from_city"]["name_zh"]) == ("510100", "成都市")
    assert (item["to_city"]["code"], item["to_city"]["name_en"]) == ("440100", "Guangzhou")
    assert (item["to_province"]["code"], item["moved_on"]) == (PEER, "2026-03-01")
    assert item["attempts"] == 1 and item["peer_answer"] == {
        "http_status": None,
        "code": None,
        "text_zh": None,
        "text_en": None,
        "peer_text": None,
    }
    office = instance.client.get(f"/api/v1/residents/{person}/overview", headers=instance.as_("cw_cd")).json()
    assert [(c["direction"], c["status"], c["peer_region"]) for c in office["crossings"]] == [("out", "pending", PEER)]

    for user in ("cw_gz", "ad_gd"):  # Guangzhou's staff: she lives there now, but the message is Chengdu's
        other = instance.client.get(OUTBOX, headers=instance.as_(user))
        assert other.status_code == 200 and other.json()["total"] == 0 and other.json()["items"] == [], user
    assert instance.client.get(OUTBOX, headers=instance.as_("ad_nat")).json()["total"] == 1
    for user in ("res_cd", "pl_nat", "fo_nat"):  # no personal data for these roles
        assert instance.client.get(OUTBOX, headers=instance.as_(user)).status_code == 403, user
    assert instance.client.get(OUTBOX).status_code == 401
    assert instance.client.get("/api/v1/interregion/peers", headers=instance.as_("pl_nat")).status_code == 403

    # the peer refuses with a coded conflict: disputed, its words in both languages
    refused = error_body("conflict", refusal(RefusalCode.NOT_A_PEER, region="510000"), Lang.EN)
    conflict = httpx.MockTransport(lambda _request: httpx.Response(409, json=refused))
    with httpx.Client(transport=conflict) as client:
        (delivery,) = outbox.deliver(engine, "510000", Ed25519PrivateKey.generate(), client, message_id)
    assert delivery.status == outbox.DISPUTED
    disputed = instance.client.get(OUTBOX, params={"status": "disputed"}, headers=instance.as_("cw_cd")).json()
    [item] = disputed["items"]
    answer = item["peer_answer"]
    assert (answer["http_status"], answer["code"]) == (409, "not_a_peer")
    assert "510000" in answer["text_zh"] and "510000" in answer["text_en"] and answer["text_zh"] != answer["text_en"]
    for state in ("pending", "delivered", "reversed"):
        other = instance.client.get(OUTBOX, params={"status": state}, headers=instance.as_("cw_cd")).json()
        assert other["total"] == 0 and other["items"] == [], state
    assert instance.client.get(OUTBOX, params={"status": "lost"}, headers=instance.as_("cw_cd")).status_code == 422

    resolve = {"action": "reverse", "reason": "广东确认未入账 / the peer confirms nothing was applied"}
    done = instance.client.post(f"{OUTBOX}/{message_id}/resolve", json=resolve, headers=instance.as_("cw_cd"))
    assert done.status_code == 200, done.text
    [item] = instance.client.get(OUTBOX, params={"status": "reversed"}, headers=instance.as_("cw_cd")).json()["items"]
    assert item["message_id"] == message_id
    assert verify(engine).ok and ledger_problems(engine) == []


def test_without_a_peer_the_office_is_told_there_is_none(instance: Sichuan) -> None:
    """An instance that trusts no other province's instance lists no peer (the hand-over dialog says so)."""
    with session_scope(instance.engine) as session:
        session.execute(delete(PeerRow))
    peers = instance.client.get("/api/v1/interregion/peers", headers=instance.as_("cw_cd"))
    assert peers.status_code == 200 and peers.json()["peers"] == [], peers.text
    assert instance.client.get(OUTBOX, headers=instance.as_("cw_cd")).json()["items"] == []
