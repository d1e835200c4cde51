"""A person's 跨省通办 hand-overs and arrivals as their statement shows them: where to or from, when, in what state,
and what moved (the pension individual account in fen, months by account kind, school years), read from the
ledger entries of each message's transaction on this instance (the message's payload is purged once delivered),
and the vouchers the sender cancelled at the hand-over (service, value, issuer: docs/ledger.md, "Vouchers")."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from changzhu.api.interregion.inbox import REFUSED_KEY
from changzhu.api.interregion.transfer import KIND, RECEIVE_KEY, SEND_KEY, ledger_transaction
from changzhu.store.db import session_scope
from changzhu.store.interregion_models import InboxRow, OutboxRow

RECEIVED = "received"  # the state of a message applied here (an arrival)


def crossings_of(engine: Engine, person_id: int) -> list[dict[str, Any]]:
    """The person's transfers out of this instance's region and into it, oldest first."""
    with session_scope(engine) as session:
        sent = session.scalars(
            select(OutboxRow).where(OutboxRow.person_id == person_id, OutboxRow.kind == KIND).order_by(OutboxRow.id)
        ).all()
        arrived = session.scalars(
            select(InboxRow)
            .where(InboxRow.person_id == person_id, InboxRow.kind == KIND)
            .order_by(InboxRow.received_at)
        ).all()
        rows = [
            _crossing(session, person_id, "out", SEND_KEY + m.message_id, m.to_region, m.status, None) for m in sent
        ]
        rows += [
            _crossing(session, person_id, "in", RECEIVE_KEY + m.message_id, m.from_region, RECEIVED, m.receipt)
            for m in arrived
            if REFUSED_KEY not in m.receipt
        ]
    return sorted((r for r in rows if r is not None), key=lambda r: str(r["on"]))


def _crossing(
    session: Session,
    person_id: int,
    direction: str,
    key: str,
    peer: str,
    status: str,
    receipt: dict[str, Any] | None,
) -> dict[str, Any] | None:
    """One crossing: the peer instance's region, the city the records are held by afterwards, what moved, and the
    vouchers cancelled (as the sender's hand-over recorded them, or as the message told the receiver: `receipt`)."""
    txn, entries = ledger_transaction(session, key)
    if txn is None:
        return None
    legs = [(e.kind, e.region, e.amount) for e in entries if e.person_id == person_id]
    told = cast(list[dict[str, Any]], (txn.result if receipt is None else receipt).get("vouchers_cancelled", []))
    pension_fen = 0
    moved: dict[str, int] = defaultdict(int)  # months or school years by account kind, counted where they arrive
    cities = set()
    for kind, region, amount in legs:
        if kind.startswith("pension_individual"):
            pension_fen += int(amount)
        elif amount > 0:
            moved[kind] += int(amount)
            cities.add(region)
    return {
        "direction": direction,
        "peer_region": peer,
        "city": cities.pop() if len(cities) == 1 else None,
        "on": txn.created_at[:10],
        "status": status,
        "pension_individual_fen": abs(pension_fen),
        "moved": dict(sorted(moved.items())),
        "vouchers_cancelled": [{k: v[k] for k in ("service", "value_fen", "issuer_region")} for v in told],
    }
