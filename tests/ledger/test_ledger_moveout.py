"""The sending end of a 跨省通办 move, Guangdong's instance handing a Guangzhou resident over to Sichuan's: her
residence in Guangzhou ends on the move date (history kept), her record there takes no more writes, and her
Guangzhou voucher is cancelled with its value back in Guangzhou's voucher budget, told at both ends; a refused
hand-over makes her a Guangzhou resident again with everything returned, and a retried one moves her for good.

Before, the sender kept her living in Guangzhou after Chengdu accepted her (residence unchanged, writes and the
voucher's redemption in Guangzhou accepted), and the voucher stayed issued at the sender and unknown to Sichuan."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from changzhu.api import ApiSettings, create_app
from changzhu.api.auth.accounts import create_user
from changzhu.api.auth.principal import Principal
from changzhu.api.auth.roles import Role
from changzhu.api.auth.tokens import issue_token
from changzhu.api.interregion import inbox, outbox
from changzhu.api.interregion.crossings import crossings_of
from changzhu.api.interregion.local import LOSE_ACK, LocalNetwork
from changzhu.api.interregion.peers import add_peer
from changzhu.api.interregion.protocol import Message
from changzhu.api.interregion.reconcile import peer_problems, received_summary
from changzhu.api.interregion.simulation import Node, connect_instances
from changzhu.api.interregion.transfer import KIND
from changzhu.api.keys import public_key_text
from changzhu.api.ledger_writes import drawing_as, issue_voucher_as, operator
from changzhu.api.write_access import told_of_move
from changzhu.casework.bulk_import import ImportRejected, import_contributions
from changzhu.ledger.accounts import balance
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.transfers import TransferScheme, apply_transfer, complete_transfer
from changzhu.ledger.vouchers import issue_voucher, redeem_voucher, vouchers_frame
from changzhu.registry.frames import moves_frame
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, record_move, register_resident
from changzhu.store.approval_models import PendingApprovalRow
from changzhu.store.auth_models import UserRow
from changzhu.store.checks import PersonMovedOut
from changzhu.store.db import make_engine, session_scope
from changzhu.store.interregion_models import OutboxRow
from changzhu.store.resident_models import ContributionMonthRow, PersonRow, ResidenceEventRow

FIRST17 = "51010419900303002"
SINCE, MOVED, RETURNED = date(2020, 1, 1), date(2026, 3, 1), date(2026, 11, 1)
VOUCHER_FEN = 200_000


@pytest.fixture
def pair(database_url: str, peer_url: str) -> Iterator[tuple[LocalNetwork, Node, Node]]:
    network = LocalNetwork({})
    nodes = connect_instances({"440000": database_url, "510000": peer_url}, network, make_engine)
    yield network, nodes["440000"], nodes["510000"]
    for node in nodes.values():
        node.engine.dispose()


def _guangzhou_resident(node: Node) -> str:
    """A Chengdu-born worker living in Guangzhou since 2020: 24 pension months there and a 2,000 yuan voucher."""
    reg = Registration(FIRST17 + check_char(FIRST17), "510100", "440100", SINCE, ProofKind.EMPLOYMENT, "C-1", {})
    key = str(register_resident(node.engine, reg, actor="test")["person_key"])
    months = [MonthPaid(202401 + 100 * (m // 12) + m % 12, 600_000) for m in range(24)]
    record_contributions(node.engine, key, Scheme.PENSION, "440100", months, actor="test")
    issue_voucher(node.engine, key, "440100", "托育服务", VOUCHER_FEN, date(2026, 1, 5), date(2026, 12, 31), actor="t")
    return key


def _hand_over(network: LocalNetwork, node: Node, key: str, to_city: str) -> outbox.Delivery:
    message_id = outbox.start_transfer(
        node.engine, key, "440000", "510000", to_city, MOVED, actor="test", authorize=lambda _r: None
    )
    with network.client() as client:
        (delivery,) = outbox.deliver(node.engine, node.region, node.key, client, message_id)
    return delivery


def _key_at(sender: Node, receiver: Node, key: str) -> str:
    """The key the receiving instance gave the person the sender knows as `key` (the same identity number)."""
    gone, _events = _person(sender, key)
    with session_scope(receiver.engine) as session:
        return str(session.scalars(select(PersonRow.person_key).where(PersonRow.id_hash == gone.id_hash)).one())


def _person(node: Node, key: str) -> tuple[PersonRow, list[tuple[str, str | None, str, date, str | None]]]:
    """The person's row and their residence events (kind, from, to, on, proof reference) in order."""
    with session_scope(node.engine) as session:
        person = session.scalars(select(PersonRow).where(PersonRow.person_key == key)).one()
        session.expunge(person)
        events = session.execute(
            select(
                ResidenceEventRow.kind,
                ResidenceEventRow.from_region,
                ResidenceEventRow.to_region,
                ResidenceEventRow.on_date,
                ResidenceEventRow.proof_ref,
            )
            .where(ResidenceEventRow.person_id == person.id)
            .order_by(ResidenceEventRow.id)
        ).all()
    return person, [tuple(e) for e in events]  # type: ignore[misc]


def _voucher_state(node: Node, key: str) -> tuple[str, int, int]:
    """The voucher's status, Guangzhou's outstanding vouchers and its voucher budget account (fen)."""
    [status] = vouchers_frame(node.engine, key)["status"].to_list()
    with session_scope(node.engine) as session:
        return status, balance(session, "V:outstanding:440100"), balance(session, "B:vouchers:440100")


def test_an_accepted_hand_over_ends_her_residence_at_the_sender(pair: tuple[LocalNetwork, Node, Node]) -> None:
    network, guangdong, sichuan = pair
    key = _guangzhou_resident(guangdong)
    delivery = _hand_over(network, guangdong, key, "510100")
    assert delivery.status == "delivered"

    person, events = _person(guangdong, key)  # she lives in Chengdu from the move date; Guangzhou is history
    assert (person.residence_region, person.residence_since) == ("510100", MOVED)
    assert (person.prior_region, person.prior_residence_months) == ("440100", 74)
    assert person.moved_out_by == delivery.message_id
    assert [e[0] for e in events] == ["registration", "move_out"]
    assert events[1][1:] == ("440100", "510100", MOVED, delivery.message_id)

    # no more writes here: no months, no voucher, no move; her voucher was cancelled, its value back in the budget
    with pytest.raises(PersonMovedOut, match="the record here is history"):
        record_contributions(guangdong.engine, key, Scheme.PENSION, "440100", [MonthPaid(202603, 600_000)], actor="t")
    with pytest.raises(PersonMovedOut):
        issue_voucher(guangdong.engine, key, "440100", "培训", 10_000, MOVED, date(2026, 12, 31), actor="t")
    assert _voucher_state(guangdong, key) == ("cancelled", 0, 0)
    [voucher_no] = vouchers_frame(guangdong.engine, key)["voucher_no"].to_list()
    with pytest.raises(Exception, match="was cancelled on .* can no longer be redeemed"):
        redeem_voucher(guangdong.engine, voucher_no, "托育园", "440100", date(2026, 4, 1), actor="t", key="R-1")

    # both ends tell her what happened to the voucher, and what moved is what arrived
    [out] = crossings_of(guangdong.engine, person.id)
    with session_scope(sichuan.engine) as session:
        there = session.scalars(select(PersonRow).where(PersonRow.id_hash == person.id_hash)).one()
    [came] = crossings_of(sichuan.engine, there.id)
    told = [{"service": "托育服务", "value_fen": VOUCHER_FEN, "issuer_region": "440100"}]
    assert out["vouchers_cancelled"] == told and came["vouchers_cancelled"] == told
    assert out["moved"] == came["moved"] == {"pension_months": 24}
    assert ledger_problems(guangdong.engine) == [] and ledger_problems(sichuan.engine) == []
    assert peer_problems(guangdong.engine, "510000", received_summary(sichuan.engine, "440000"))[0] == []


def test_a_refused_hand_over_leaves_her_in_guangzhou_and_a_retry_moves_her(
    pair: tuple[LocalNetwork, Node, Node],
) -> None:
    network, guangdong, sichuan = pair
    key = _guangzhou_resident(guangdong)
    before, _events = _person(guangdong, key)
    refused = _hand_over(network, guangdong, key, "519900")  # a city Sichuan's instance does not know
    assert refused.status == "reversed"

    person, events = _person(guangdong, key)  # a Guangzhou resident again, as before, with both events kept
    assert (person.residence_region, person.residence_since, person.prior_region) == ("440100", SINCE, None)
    assert (person.prior_residence_months, person.moved_out_by) == (before.prior_residence_months, None)
    assert [e[0] for e in events] == ["registration", "move_out", "move_out_undone"]
    assert events[2][1:] == ("519900", "440100", MOVED, refused.message_id)
    assert _voucher_state(guangdong, key) == ("issued", VOUCHER_FEN, -VOUCHER_FEN)  # the voucher is hers again
    with session_scope(guangdong.engine) as session:
        assert balance(session, f"P:{key}:pension_months:440100") == 24
    record_contributions(guangdong.engine, key, Scheme.PENSION, "440100", [MonthPaid(202601, 600_000)], actor="t")
    assert ledger_problems(guangdong.engine) == []

    retried = _hand_over(network, guangdong, key, "510100")
    assert retried.status == "delivered"
    person, events = _person(guangdong, key)
    assert (person.residence_region, person.moved_out_by) == ("510100", retried.message_id)
    assert [e[0] for e in events] == ["registration", "move_out", "move_out_undone", "move_out"]
    flows = moves_frame(guangdong.engine).filter(pl.col("person_key") == key)  # the flows monitoring reads
    assert flows["kind"].to_list() == ["registration", "move_out", "move_out_undone", "move_out"]
    assert _voucher_state(guangdong, key) == ("cancelled", 0, 0)
    # conserved across both ends: 25 months sent once for good, the refused 24 reversed here, none held twice
    assert ledger_problems(guangdong.engine) == [] and ledger_problems(sichuan.engine) == []
    problems, totals = peer_problems(guangdong.engine, "510000", received_summary(sichuan.engine, "440000"))
    assert problems == [] and totals["reversed"]["month"] == 24 and totals["received"]["month"] == 25
    with session_scope(guangdong.engine) as session:
        assert balance(session, f"P:{key}:pension_months:440100") == 0
        assert balance(session, f"P:{key}:pension_months:510100") == 25


def _months_held(node: Node, key: str) -> list[tuple[int, str]]:
    """The person's pension months at `node`: (period, held by), by period."""
    with session_scope(node.engine) as session:
        rows = session.execute(
            select(ContributionMonthRow.period, ContributionMonthRow.held_region)
            .join(PersonRow, PersonRow.id == ContributionMonthRow.person_id)
            .where(PersonRow.person_key == key, ContributionMonthRow.scheme == "pension")
            .order_by(ContributionMonthRow.period)
        ).all()
    return [(int(period), str(held)) for period, held in rows]


def test_she_moves_back_to_guangzhou_and_guangdong_takes_her_back(pair: tuple[LocalNetwork, Node, Node]) -> None:
    """Guangzhou → Chengdu → Guangzhou: Guangdong still holds her 24 Guangzhou months (held by Chengdu since the
    hand-over); they come home, the 8 Chengdu months arrive as new ones, and her record there is open again.
    Before, the return was refused by the database (the same months twice) and held as disputed."""
    network, guangdong, sichuan = pair
    key = _guangzhou_resident(guangdong)
    assert _hand_over(network, guangdong, key, "510100").status == "delivered"
    there = _key_at(guangdong, sichuan, key)
    chengdu = [MonthPaid(202603 + m, 500_000) for m in range(8)]
    record_contributions(sichuan.engine, there, Scheme.PENSION, "510100", chengdu, actor="test")

    message_id = outbox.start_transfer(
        sichuan.engine, there, "510000", "440000", "440100", RETURNED, actor="test", authorize=lambda _r: None
    )
    with session_scope(sichuan.engine) as session:  # kept to deliver again below (purged once delivered)
        row = session.scalars(select(OutboxRow).where(OutboxRow.message_id == message_id)).one()
        message = Message(message_id, "510000", "440000", KIND, outbox.unseal(message_id, row.payload))
    with network.client() as client:
        (back,) = outbox.deliver(sichuan.engine, sichuan.region, sichuan.key, client, message_id)
    assert (back.status, back.error) == ("delivered", None)

    # one row per month at each end: Guangzhou's 24 came home, Chengdu's 8 are new here and history there
    periods = [p for p, _held in _months_held(guangdong, key)]
    assert len(periods) == len(set(periods)) == 32
    assert {held for _p, held in _months_held(guangdong, key)} == {"440100"}
    assert [p for p, _held in _months_held(sichuan, there)] == periods
    assert {held for _p, held in _months_held(sichuan, there)} == {"440100"}
    for node, person_key in ((guangdong, key), (sichuan, there)):
        with session_scope(node.engine) as session:
            assert balance(session, f"P:{person_key}:pension_months:440100") == 32
            assert balance(session, f"P:{person_key}:pension_months:510100") == 0

    # she lives in Guangzhou again from the return date, both moves in her history, and her record takes writes
    person, events = _person(guangdong, key)
    assert (person.residence_region, person.residence_since, person.moved_out_by) == ("440100", RETURNED, None)
    assert (person.prior_region, person.prior_residence_months) == ("510100", 8)
    assert [e[0] for e in events] == ["registration", "move_out", "move_in_return"]
    assert events[2][1:] == ("510100", "440100", RETURNED, message_id)
    flows = moves_frame(guangdong.engine).filter(pl.col("person_key") == key)
    assert flows["kind"].to_list() == ["registration", "move_out", "move_in_return"]
    record_contributions(guangdong.engine, key, Scheme.PENSION, "440100", [MonthPaid(202611, 600_000)], actor="t")
    issue_voucher(guangdong.engine, key, "440100", "培训", 10_000, RETURNED, date(2026, 12, 31), actor="t")
    left, _events = _person(sichuan, there)
    assert (left.residence_region, left.moved_out_by) == ("440100", message_id)

    # what arrived is what was sent, both ways; both ledgers conserve
    [_out, came] = crossings_of(guangdong.engine, person.id)
    assert (came["direction"], came["moved"]) == ("in", {"pension_months": 32})
    assert ledger_problems(guangdong.engine) == [] and ledger_problems(sichuan.engine) == []
    assert peer_problems(guangdong.engine, "510000", received_summary(sichuan.engine, "440000"))[0] == []
    problems, totals = peer_problems(sichuan.engine, "440000", received_summary(guangdong.engine, "510000"))
    assert problems == [] and totals["received"]["month"] == 32

    # the same return delivered again is answered with the stored receipt and applies nothing
    again = inbox.receive(guangdong.engine, "510000", message, "440000")
    assert again["replayed"] is True and again["person_key"] == key
    assert len(_months_held(guangdong, key)) == 33
    assert ledger_problems(guangdong.engine) == []


def test_months_already_held_here_are_refused_not_stored_twice(pair: tuple[LocalNetwork, Node, Node]) -> None:
    """Sichuan hands over months Guangdong holds in Guangzhou for the same person (she never left here): the message
    is refused (nothing applied, the sender reverses), not disputed by the database's unique key."""
    network, guangdong, sichuan = pair
    key = _guangzhou_resident(guangdong)
    reg = Registration(FIRST17 + check_char(FIRST17), "510100", "510100", SINCE, ProofKind.EMPLOYMENT, "C-2", {})
    there = str(register_resident(sichuan.engine, reg, actor="test")["person_key"])
    record_contributions(sichuan.engine, there, Scheme.PENSION, "510100", [MonthPaid(202401, 500_000)], actor="t")
    message_id = outbox.start_transfer(
        sichuan.engine, there, "510000", "440000", "440100", RETURNED, actor="test", authorize=lambda _r: None
    )
    with network.client() as client:
        (refused,) = outbox.deliver(sichuan.engine, sichuan.region, sichuan.key, client, message_id)
    assert refused.status == "reversed" and "held here already (by 440100)" in str(refused.error)
    assert _months_held(guangdong, key) == [(p, "440100") for p, _held in _months_held(guangdong, key)]
    assert len(_months_held(guangdong, key)) == 24
    person, events = _person(guangdong, key)
    assert (person.residence_region, person.moved_out_by, [e[0] for e in events]) == ("440100", None, ["registration"])
    assert _months_held(sichuan, there) == [(202401, "510100")]
    assert ledger_problems(guangdong.engine) == [] and ledger_problems(sichuan.engine) == []


def _residence(node: Node, key: str) -> tuple[tuple[str, date, str | None], list[str]]:
    """(residence, since, moved out by) and the kinds of her residence events."""
    person, events = _person(node, key)
    return (person.residence_region, person.residence_since, person.moved_out_by), [e[0] for e in events]


def test_the_first_hand_over_is_not_reversed_after_she_came_back(
    pair: tuple[LocalNetwork, Node, Node], tmp_path: Path
) -> None:
    """Guangzhou → Chengdu → Guangzhou, the first message disputed at Guangdong though Sichuan applied it (its
    acknowledgement was lost, and the retry was refused for a signature Sichuan no longer trusted). After she came
    back, Guangzhou's caseworker asks over the API to reverse the first hand-over: it is refused in words that say
    why and what to do instead (no message id), nothing changes; doing what it says (resend) settles the message,
    and both ledgers conserve, each end's count of the other's messages agreeing. Before, the refusal was a 400
    "records of message <id> moved on since the hand-over: resolve by hand"."""
    network, guangdong, sichuan = pair
    key = _guangzhou_resident(guangdong)
    first = outbox.start_transfer(
        guangdong.engine, key, "440000", "510000", "510100", MOVED, actor="test", authorize=lambda _r: None
    )
    with network.client() as client:
        network.next_fault(LOSE_ACK)  # Sichuan applies it; the answer is lost
        assert outbox.deliver(guangdong.engine, "440000", guangdong.key, client, first)[0].status == "pending"
        stranger = Ed25519PrivateKey.generate()  # Sichuan holds a wrong key for Guangdong: the retry is refused
        admin = Principal(0, "sc_admin", Role.ADMINISTRATOR, ("510000",), None)  # a key is replaced on purpose only
        add_peer(
            sichuan.engine,
            "440000",
            network.url("440000"),
            public_key_text(stranger),
            own_region="510000",
            replace_by=admin,
        )
        assert outbox.deliver(guangdong.engine, "440000", guangdong.key, client, first)[0].status == "disputed"
        add_peer(
            sichuan.engine,
            "440000",
            network.url("440000"),
            public_key_text(guangdong.key),
            own_region="510000",
            replace_by=admin,
        )
    there = _key_at(guangdong, sichuan, key)
    back = outbox.start_transfer(
        sichuan.engine, there, "510000", "440000", "440100", RETURNED, actor="test", authorize=lambda _r: None
    )
    with network.client() as client:
        assert outbox.deliver(sichuan.engine, sichuan.region, sichuan.key, client, back)[0].status == "delivered"
    months_before, person_before = _months_held(guangdong, key), _residence(guangdong, key)

    settings = ApiSettings(
        database_url=str(guangdong.engine.url), jwt_secret=b"k" * 32, keys_dir=tmp_path, instance_region="440000"
    )
    create_user(guangdong.engine, "cw_gz", "correct horse battery staple", Role.CASEWORKER, ["440100"], None)
    with session_scope(guangdong.engine) as session:
        user_id = int(session.scalar(select(UserRow.id).where(UserRow.username == "cw_gz")) or 0)
    token = {"Authorization": f"Bearer {issue_token(user_id, settings.jwt_secret, 900)}"}
    api = TestClient(create_app(settings, guangdong.engine))
    path, body = f"/api/v1/interregion/outbox/{first}/resolve", {"action": "reverse", "reason": "对方称未收到"}
    for lang, came_back, what_to_do in (("en", "came back from", "resend"), ("zh", "迁回", "重新发送")):
        refused = api.post(path, json=body, headers={**token, "Accept-Language": lang})
        assert refused.status_code == 409 and refused.json()["code"] == "reversal_after_return", refused.text
        message = refused.json()["message"]
        assert came_back in message and what_to_do in message and RETURNED.isoformat() in message, message
        assert first not in refused.text and re.search(r"[0-9a-f]{16}", message) is None, message
    assert (_months_held(guangdong, key), _residence(guangdong, key)) == (months_before, person_before)
    assert person_before[0] == ("440100", RETURNED, None)  # still back in Guangzhou, her record open

    resent = api.post(path, json={"action": "resend", "reason": "她已迁回：对方已接收"}, headers=token)
    assert resent.status_code == 200 and resent.json()["status"] == "pending", resent.text
    with network.client() as client:
        assert outbox.deliver(guangdong.engine, "440000", guangdong.key, client, first)[0].status == "delivered"
    assert ledger_problems(guangdong.engine) == [] and ledger_problems(sichuan.engine) == []
    for sender, receiver in ((guangdong, sichuan), (sichuan, guangdong)):
        problems, _totals = peer_problems(
            sender.engine, receiver.region, received_summary(receiver.engine, sender.region)
        )
        assert problems == []


def test_a_transfer_applied_before_she_moved_out_is_not_completed_after(
    pair: tuple[LocalNetwork, Node, Node],
) -> None:
    """Shenzhen → Guangzhou, where she applies to bring her Shenzhen pension months (转移接续), then to Chengdu by a
    hand-over before Shenzhen releases them: completing the transfer is refused as every write to her record here
    is, and the Shenzhen months stay where they were. Before, it was completed: months moved in a record that is
    history here."""
    _network, guangdong, _sichuan = pair
    engine = guangdong.engine
    reg = Registration(FIRST17 + check_char(FIRST17), "510100", "440300", SINCE, ProofKind.EMPLOYMENT, "C-3", {})
    key = str(register_resident(engine, reg, actor="test")["person_key"])
    shenzhen = [MonthPaid(202301 + m, 600_000) for m in range(12)]
    record_contributions(engine, key, Scheme.PENSION, "440300", shenzhen, actor="test")
    record_move(engine, key, "440100", date(2024, 1, 1), ProofKind.EMPLOYMENT, "C-4", actor="test")
    guangzhou = [MonthPaid(202401 + m, 600_000) for m in range(12)]
    record_contributions(engine, key, Scheme.PENSION, "440100", guangzhou, actor="test")
    apply_transfer(
        engine, key, TransferScheme.PENSION, "440300", "440100", date(2025, 1, 6), transfer_no="sz-gz-1", actor="t"
    )
    outbox.start_transfer(engine, key, "440000", "510000", "510100", MOVED, actor="test", authorize=lambda _r: None)
    held = _months_held(guangdong, key)
    with pytest.raises(PersonMovedOut):
        complete_transfer(engine, "sz-gz-1", actor="test")
    assert _months_held(guangdong, key) == held
    assert [h for _p, h in held].count("440300") == 12
    assert ledger_problems(engine) == []


def test_a_contributions_file_writes_no_month_for_her_after_she_moved_out(
    pair: tuple[LocalNetwork, Node, Node], tmp_path: Path
) -> None:
    """A bulk import of contribution months names her by identity number after the hand-over: her row is refused as
    every write to her record here is (the file with it rejected, nothing stored). Before, the import skipped the
    check the single write makes and stored the months in a record that is history here."""
    network, guangdong, _sichuan = pair
    key = _guangzhou_resident(guangdong)
    assert _hand_over(network, guangdong, key, "510100").status == "delivered"
    held = _months_held(guangdong, key)
    contrib = tmp_path / "contrib.csv"
    contrib.write_text(
        "id_number,scheme,region,period_from,period_to,monthly_base_yuan\n"
        f"{FIRST17 + check_char(FIRST17)},pension,440100,202603,202604,6000\n"
    )
    with pytest.raises(ImportRejected) as info:
        import_contributions(guangdong.engine, contrib, actor="test")
    [error] = info.value.errors
    assert error.reason.code == "person_moved_out", error
    assert _months_held(guangdong, key) == held
    assert ledger_problems(guangdong.engine) == []


def test_she_comes_back_from_the_city_she_moved_on_to(pair: tuple[LocalNetwork, Node, Node]) -> None:
    """Guangzhou → Chengdu → Mianyang (a move inside Sichuan, 2026-07-01) → Guangzhou: her return names Mianyang, the
    city she leaves as Sichuan's message reports it, and her months there as her prior residence months. Before, it
    named Chengdu, the city Guangdong had sent her to, and counted her months from the first hand-over."""
    network, guangdong, sichuan = pair
    key = _guangzhou_resident(guangdong)
    assert _hand_over(network, guangdong, key, "510100").status == "delivered"
    there = _key_at(guangdong, sichuan, key)
    record_move(sichuan.engine, there, "510300", date(2026, 7, 1), ProofKind.EMPLOYMENT, "M-1", actor="test")
    mianyang = [MonthPaid(202607 + m, 500_000) for m in range(4)]
    record_contributions(sichuan.engine, there, Scheme.PENSION, "510300", mianyang, actor="test")
    message_id = outbox.start_transfer(
        sichuan.engine, there, "510000", "440000", "440100", RETURNED, actor="test", authorize=lambda _r: None
    )
    with network.client() as client:
        (back,) = outbox.deliver(sichuan.engine, sichuan.region, sichuan.key, client, message_id)
    assert (back.status, back.error) == ("delivered", None)
    person, events = _person(guangdong, key)
    assert events[-1] == ("move_in_return", "510300", "440100", RETURNED, message_id)
    assert (person.residence_region, person.prior_region, person.prior_residence_months) == ("440100", "510300", 4)
    assert ledger_problems(guangdong.engine) == [] and ledger_problems(sichuan.engine) == []


def test_the_refused_writes_of_the_place_she_left_keep_both_ends_reconciled(
    pair: tuple[LocalNetwork, Node, Node],
) -> None:
    """After the hand-over is delivered, Guangzhou's caseworker tries what the operator commands and the API do for a
    person (a voucher above the approval threshold, settling where her pension is drawn, a second transfer out): each
    is refused naming where she went (this caseworker may see her), nothing is held or queued, and both instances'
    ledgers and the reconciliation of what was sent with what was received are as right after the hand-over."""
    network, guangdong, sichuan = pair
    key = _guangzhou_resident(guangdong)
    assert _hand_over(network, guangdong, key, "510100").status == "delivered"
    for username, scope in (("cw_gz", "440100"), ("cw_cd", "510100")):  # the place she left; her hukou place
        create_user(guangdong.engine, username, "correct horse battery staple", Role.CASEWORKER, [scope], None)
    caseworker, chengdu = operator(guangdong.engine, "cw_gz"), operator(guangdong.engine, "cw_cd")
    before = peer_problems(guangdong.engine, "510000", received_summary(sichuan.engine, "440000"))
    held = _months_held(guangdong, key)
    writes = [
        (chengdu, lambda: issue_voucher_as(guangdong.engine, chengdu, key, "510100", "托育服务", 2_000_000,
                                           date(2026, 4, 1), date(2026, 12, 31), key="big-1", scenario=None)),
        (caseworker, lambda: drawing_as(guangdong.engine, caseworker, key, date(2026, 4, 1), key="draw-1")),
        (caseworker, lambda: outbox.start_transfer(guangdong.engine, key, "440000", "510000", "510100",
                                                   date(2026, 4, 1), actor="user:cw_gz",
                                                   authorize=caseworker.require_region)),
    ]  # fmt: skip
    for principal, write in writes:
        with pytest.raises(PersonMovedOut) as refused, told_of_move(guangdong.engine, principal):
            write()
        assert refused.value.told and refused.value.refusal.as_json()["params"]["region"] == "510100"
    with session_scope(guangdong.engine) as session:
        assert session.scalar(select(func.count()).select_from(PendingApprovalRow)) == 0
        assert session.scalar(select(func.count()).select_from(OutboxRow)) == 1
    assert _months_held(guangdong, key) == held
    after = peer_problems(guangdong.engine, "510000", received_summary(sichuan.engine, "440000"))
    assert after == before and after[0] == []
    assert ledger_problems(guangdong.engine) == [] and ledger_problems(sichuan.engine) == []
