"""跨省通办 conservation, each defect reproduced first: concurrent transfers of one person, a refused message,
a disputed one, clear identity numbers in the outbox; and the cross-instance check."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select

from changzhu.api.errors import ApiError
from changzhu.api.interregion import outbox
from changzhu.api.interregion.local import LocalNetwork
from changzhu.api.interregion.reconcile import peer_problems, received_summary
from changzhu.api.interregion.simulation import Node, connect_instances
from changzhu.errors import ChangzhuError
from changzhu.ledger.accounts import balance
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.db import make_engine, session_scope
from changzhu.store.interregion_models import OutboxRow
from changzhu.store.resident_models import PersonRow

FIRST17 = "51010419900101001"


@pytest.fixture
def pair(database_url: str, peer_url: str) -> Iterator[tuple[LocalNetwork, Node, Node]]:
    network = LocalNetwork({})
    nodes = connect_instances({"510000": database_url, "440000": peer_url}, network, make_engine)
    yield network, nodes["510000"], nodes["440000"]
    for node in nodes.values():
        node.engine.dispose()


def _chengdu_worker(node: Node) -> str:
    """60 pension months in Chengdu: 38,400 yuan individual account at 8% of 8,000 yuan."""
    reg = Registration(FIRST17 + check_char(FIRST17), "510100", "510100", date(2015, 1, 1), ProofKind.HOUSING, "x", {})
    key = str(register_resident(node.engine, reg, actor="test")["person_key"])
    months = [MonthPaid(2020_00 + 100 * (m // 12) + m % 12 + 1, 800000) for m in range(60)]
    record_contributions(node.engine, key, Scheme.PENSION, "510100", months, actor="test")
    return key


def _start(node: Node, key: str, to_city: str = "440100") -> str:
    return outbox.start_transfer(
        node.engine, key, "510000", "440000", to_city, date(2026, 3, 1), actor="test", authorize=lambda _r: None
    )


def _deliver(network: LocalNetwork, node: Node, message_id: str | None = None) -> list[outbox.Delivery]:
    with network.client() as client:
        return outbox.deliver(node.engine, node.region, node.key, client, message_id)


def test_two_concurrent_transfers_of_one_person_pack_once(pair: tuple[LocalNetwork, Node, Node]) -> None:
    network, sichuan, guangdong = pair
    key = _chengdu_worker(sichuan)
    barrier, outcomes = threading.Barrier(2), []

    def go() -> None:
        barrier.wait()
        try:
            outcomes.append(_start(sichuan, key))
        except ChangzhuError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(o, str) for o in outcomes) == 1, outcomes
    # the second finds her moved out by the first (before 0016: "nothing to transfer" held here)
    assert any("the record here is history" in str(o) for o in outcomes if not isinstance(o, str)), outcomes
    with session_scope(sichuan.engine) as session:  # the sender did not go below zero (was −60, −38,400 yuan)
        assert balance(session, f"P:{key}:pension_months:510100") == 0
        assert balance(session, f"P:{key}:pension_individual:510100") == 0
        assert balance(session, f"P:{key}:pension_months:440100") == 60
    assert [d.status for d in _deliver(network, sichuan)] == ["delivered"]
    assert ledger_problems(sichuan.engine) == [] and ledger_problems(guangdong.engine) == []
    assert peer_problems(sichuan.engine, "440000", received_summary(guangdong.engine, "510000"))[0] == []


def test_a_refused_message_is_reversed_on_the_sender(pair: tuple[LocalNetwork, Node, Node]) -> None:
    network, sichuan, guangdong = pair
    key = _chengdu_worker(sichuan)
    message_id = _start(sichuan, key, to_city="449900")  # a city Guangdong does not know
    (delivery,) = _deliver(network, sichuan, message_id)
    assert delivery.status == "reversed" and "449900" in str(delivery.error)
    with session_scope(sichuan.engine) as session:  # everything is back where it was, through new entries
        assert balance(session, f"P:{key}:pension_months:510100") == 60
        assert balance(session, f"P:{key}:pension_individual:510100") == 60 * 64000
        assert balance(session, "X:interregion_fen:440000") == 0
        row = session.scalar(select(OutboxRow).where(OutboxRow.message_id == message_id))
        assert row is not None and row.payload == {}
    assert ledger_problems(sichuan.engine) == [] and ledger_problems(guangdong.engine) == []
    problems, totals = peer_problems(sichuan.engine, "440000", received_summary(guangdong.engine, "510000"))
    assert problems == [] and totals["reversed"]["month"] == 60 and totals["sent"] == totals["reversed"]
    with session_scope(sichuan.engine) as session:  # and she lives in Chengdu again, as before the hand-over
        person = session.scalars(select(PersonRow).where(PersonRow.person_key == key)).one()
        assert (person.residence_region, person.residence_since, person.moved_out_by) == (
            "510100",
            date(2015, 1, 1),
            None,
        )
    # the person can then go to a city that exists, and lives there from the move date on at the sender too
    assert [d.status for d in _deliver(network, sichuan, _start(sichuan, key))] == ["delivered"]
    with session_scope(sichuan.engine) as session:
        person = session.scalars(select(PersonRow).where(PersonRow.person_key == key)).one()
        assert (person.residence_region, person.residence_since) == ("440100", date(2026, 3, 1))
    assert ledger_problems(sichuan.engine) == [] and ledger_problems(guangdong.engine) == []


def test_a_disputed_message_waits_for_a_caseworker(pair: tuple[LocalNetwork, Node, Node]) -> None:
    network, sichuan, guangdong = pair
    key = _chengdu_worker(sichuan)
    message_id = _start(sichuan, key)
    with session_scope(guangdong.engine) as session:  # the peer no longer trusts this key: 401, not conclusive
        session.execute(outbox.PeerRow.__table__.update().values(public_key="00" * 32))
    (delivery,) = _deliver(network, sichuan, message_id)
    assert delivery.status == "disputed"
    problems, totals = peer_problems(sichuan.engine, "440000", received_summary(guangdong.engine, "510000"))
    assert problems == [] and totals["in_flight"]["month"] == 60  # held, not lost
    with pytest.raises(ApiError, match="not disputed|reverse or resend"):
        outbox.resolve(sichuan.engine, message_id, "forget", "user:cw", "checked with Guangdong")
    outbox.resolve(sichuan.engine, message_id, "reverse", "user:cw", "Guangdong confirmed it applied nothing")
    with session_scope(sichuan.engine) as session:
        assert balance(session, f"P:{key}:pension_months:510100") == 60
    assert ledger_problems(sichuan.engine) == []
    assert peer_problems(sichuan.engine, "440000", received_summary(guangdong.engine, "510000"))[0] == []


def test_the_outbox_never_holds_an_identity_number_in_clear(pair: tuple[LocalNetwork, Node, Node]) -> None:
    network, sichuan, _guangdong = pair
    key = _chengdu_worker(sichuan)
    message_id = _start(sichuan, key)
    with session_scope(sichuan.engine) as session:
        row = session.scalar(select(OutboxRow).where(OutboxRow.message_id == message_id))
        assert row is not None and FIRST17 not in str(row.payload) and "sealed" in row.payload
        assert outbox.unseal(message_id, row.payload)["id_number"].startswith(FIRST17)
    _deliver(network, sichuan, message_id)
    with session_scope(sichuan.engine) as session:
        row = session.scalar(select(OutboxRow).where(OutboxRow.message_id == message_id))
        assert row is not None and row.status == "delivered" and row.payload == {}  # purged after delivery


def test_peers_check_finds_a_message_lost_on_the_receiver(pair: tuple[LocalNetwork, Node, Node]) -> None:
    network, sichuan, guangdong = pair
    key = _chengdu_worker(sichuan)
    message_id = _start(sichuan, key)
    _deliver(network, sichuan, message_id)
    received = received_summary(guangdong.engine, "510000")
    assert peer_problems(sichuan.engine, "440000", received)[0] == []
    problems, _totals = peer_problems(sichuan.engine, "440000", {})  # as if Guangdong had lost it
    assert any("unknown to 440000 (lost)" in p for p in problems) and any("sent" in p for p in problems)
