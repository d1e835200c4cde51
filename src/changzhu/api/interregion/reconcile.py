"""Conservation across two instances: what this ledger handed to a peer equals what the peer took in, plus what
is still in flight, plus what was reversed here (`changzhu ledger check --peers`).

Amounts per message are read from the ledger entries, never from the outbox: sent = the hand-over's money to
X:interregion_fen:<peer> and the months and school years moved; received = the money the peer's receipt
transaction took from its X:interregion_fen:<sender> account and the months and school years it put in the person's
accounts (from its X:interregion_*:<sender> accounts, or, for a person coming back, from the rows it had handed over).

Each problem is a Refusal (domain.refusals), worded in either language: `peer_findings`, and `check_peers` for
`changzhu ledger check --peers`; `peer_problems` gives their English.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from changzhu.api.interregion import outbox
from changzhu.api.interregion.inbox import is_refusal
from changzhu.api.interregion.protocol import canonical_json
from changzhu.api.interregion.signing import sign_request
from changzhu.api.interregion.transfer import RECEIVE_KEY, REVERSE_KEY, SEND_KEY, transaction_entries
from changzhu.domain.refusals import TERMS, Refusal, RefusalCode, refusal
from changzhu.ledger.accounts import Leg
from changzhu.store.db import session_scope
from changzhu.store.interregion_models import InboxRow, OutboxRow, PeerRow

SUMMARY_PATH = "/api/v1/interregion/summary"
UNITS = ("fen", "month", "year")
Amounts = dict[str, int]


def _sent_amounts(legs: list[Leg], peer: str) -> Amounts:
    """What a hand-over gave away: money to the peer's clearing account, months and school years moved."""
    amounts = dict.fromkeys(UNITS, 0)
    for leg in legs:
        if leg.unit == "fen" and leg.account == f"X:interregion_fen:{peer}":
            amounts["fen"] += leg.amount
        elif leg.unit in ("month", "year") and leg.amount > 0:
            amounts[leg.unit] += leg.amount
    return amounts


def _received_amounts(legs: list[Leg], sender: str) -> Amounts:
    amounts = dict.fromkeys(UNITS, 0)
    for leg in legs:
        if leg.unit == "fen" and leg.account == f"X:interregion_fen:{sender}":
            amounts["fen"] -= leg.amount
        elif leg.unit in ("month", "year") and leg.amount > 0:
            amounts[leg.unit] += leg.amount
    return amounts


def received_summary(engine: Engine, sender: str) -> dict[str, Amounts]:
    """Per message from `sender` applied here: the amounts taken in (what a peer asks for)."""
    with session_scope(engine) as session:
        rows = session.execute(select(InboxRow.message_id, InboxRow.receipt).where(InboxRow.from_region == sender))
        ids = [mid for mid, receipt in rows if not is_refusal(receipt)]  # a refused message applied nothing
        return {mid: _received_amounts(transaction_entries(session, RECEIVE_KEY + mid)[1], sender) for mid in ids}


def _sent(session: Session, row: OutboxRow) -> tuple[Amounts, Amounts | None]:
    """(amounts handed over, amounts reversed or None)."""
    sent = _sent_amounts(transaction_entries(session, SEND_KEY + row.message_id)[1], row.to_region)
    reversal, legs = transaction_entries(session, REVERSE_KEY + row.message_id)
    if reversal is None:
        return sent, None
    return sent, _sent_amounts([Leg(leg.account, -leg.amount, leg.unit) for leg in legs], row.to_region)


def _in_words(name: str, amounts: Amounts) -> dict[str, str]:
    """Amounts as parameters `{name}_zh` ("0 分、60 个月、0 年") and `{name}_en` ("0 fen, 60 months, 0 years")."""
    return {
        f"{name}_zh": "、".join(f"{amounts[unit]} {TERMS[unit][0]}" for unit in UNITS),
        f"{name}_en": ", ".join(f"{amounts[unit]} {TERMS[unit][1]}" for unit in UNITS),
    }


def peer_problems(engine: Engine, peer: str, received: dict[str, Amounts]) -> tuple[list[str], dict[str, Amounts]]:
    """`peer_findings`, its problems in English."""
    problems, totals = peer_findings(engine, peer, received)
    return [problem.en for problem in problems], totals


def peer_findings(engine: Engine, peer: str, received: dict[str, Amounts]) -> tuple[list[Refusal], dict[str, Amounts]]:
    """Problems between this ledger and what `peer` reports it received from here; and the totals per state."""
    problems: list[Refusal] = []
    totals: dict[str, Amounts] = defaultdict(lambda: dict.fromkeys(UNITS, 0))
    with session_scope(engine) as session:
        rows = list(session.scalars(select(OutboxRow).where(OutboxRow.to_region == peer).order_by(OutboxRow.id)))
        sent_by_id = {row.message_id: (row.status, *_sent(session, row)) for row in rows}
    for mid, (status, sent, reversed_) in sent_by_id.items():
        got = received.get(mid)
        if status == outbox.REVERSED:
            state = "reversed"
            if reversed_ != sent:
                none = {"reversed_zh": "无", "reversed_en": "nothing"}  # a reversed message without its transaction
                undone = _in_words("reversed", reversed_) if reversed_ is not None else none
                problems.append(
                    refusal(RefusalCode.PEER_REVERSED_DIFFERS, message=mid, **undone, **_in_words("sent", sent))
                )
            if got is not None:
                problems.append(refusal(RefusalCode.PEER_REVERSED_APPLIED, message=mid, peer=peer))
        elif got is not None:
            state = "received"
            if reversed_ is not None:
                problems.append(refusal(RefusalCode.PEER_REVERSAL_EXISTS, message=mid, status=status))
        elif status == outbox.DELIVERED:
            state = "lost"
            problems.append(refusal(RefusalCode.PEER_MESSAGE_LOST, message=mid, peer=peer))
        else:
            state = "in_flight"
        if got is not None and got != sent:
            problems.append(
                refusal(
                    RefusalCode.PEER_TOOK_DIFFERENT,
                    message=mid,
                    peer=peer,
                    **_in_words("sent", sent),
                    **_in_words("got", got),
                )
            )
        for unit in UNITS:
            totals["sent"][unit] += sent[unit]
            totals[state][unit] += (got if state == "received" and got is not None else sent)[unit]
    for mid in sorted(set(received) - set(sent_by_id)):
        problems.append(refusal(RefusalCode.PEER_NEVER_SENT, message=mid, peer=peer))
        for unit in UNITS:
            totals["received"][unit] += received[mid][unit]
    for unit in UNITS:
        rhs = totals["received"][unit] + totals["in_flight"][unit] + totals["reversed"][unit]
        if totals["sent"][unit] != rhs:
            problems.append(
                refusal(
                    RefusalCode.PEER_NOT_CONSERVED,
                    unit=unit,
                    sent=totals["sent"][unit],
                    received=totals["received"][unit],
                    in_flight=totals["in_flight"][unit],
                    reversed=totals["reversed"][unit],
                )
            )
    return problems, {state: dict(values) for state, values in totals.items()}


def fetch_received(peer: PeerRow, from_region: str, key: Ed25519PrivateKey, client: httpx.Client) -> dict[str, Amounts]:
    """Ask `peer` (signed request) what it received from this instance."""
    body = canonical_json({"from_region": from_region})
    headers = {"Content-Type": "application/json", **sign_request(key, from_region, "POST", SUMMARY_PATH, body)}
    response = client.post(peer.base_url.rstrip("/") + SUMMARY_PATH, content=body, headers=headers)
    response.raise_for_status()
    return {str(mid): {u: int(v[u]) for u in UNITS} for mid, v in response.json()["messages"].items()}


def check_peers(
    engine: Engine, from_region: str, key: Ed25519PrivateKey, client: httpx.Client
) -> dict[str, tuple[list[Refusal], dict[str, Any]]]:
    """Per registered peer: the conservation problems and totals (an unreachable peer is itself a problem)."""
    with session_scope(engine) as session:
        peers = list(session.scalars(select(PeerRow).order_by(PeerRow.region_code)))
    report: dict[str, tuple[list[Refusal], dict[str, Any]]] = {}
    for peer in peers:
        try:
            received = fetch_received(peer, from_region, key, client)
        except (httpx.HTTPError, KeyError, ValueError, TypeError) as exc:
            said = refusal(RefusalCode.PEER_NO_ANSWER, peer=peer.region_code, error=str(exc)[:270])
            report[peer.region_code] = ([said], {})
            continue
        report[peer.region_code] = peer_findings(engine, peer.region_code, received)
    return report
