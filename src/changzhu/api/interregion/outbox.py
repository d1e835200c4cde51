"""Sending messages to peers: queued in the same transaction as the local change, delivered until acknowledged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from changzhu.api.errors import NotFound
from changzhu.api.interregion.models import OutboxRow, PeerRow
from changzhu.api.interregion.protocol import MESSAGES_PATH, Message
from changzhu.api.interregion.signing import sign_request
from changzhu.registry import audit
from changzhu.registry.db import session_scope

PENDING, DELIVERED, REJECTED = "pending", "delivered", "rejected"


@dataclass(frozen=True)
class Delivery:
    """What happened to one message on one delivery attempt."""

    message_id: str
    status: str
    attempts: int
    receipt: dict[str, Any] | None
    error: str | None


def enqueue(session: Session, message: Message, person_id: int) -> OutboxRow:
    """Queue `message` inside the caller's transaction (so the local change and the message commit together)."""
    if session.get(PeerRow, message.to_region) is None:
        raise NotFound(f"region {message.to_region} is not a registered peer of this instance")
    row = OutboxRow(
        message_id=message.message_id,
        to_region=message.to_region,
        kind=message.kind,
        person_id=person_id,
        payload=message.payload,
        status=PENDING,
        attempts=0,
        created_at=audit.now_iso(),
    )
    session.add(row)
    session.flush()
    return row


def _send(row: OutboxRow, peer: PeerRow, from_region: str, key: Ed25519PrivateKey, client: httpx.Client) -> Delivery:
    message = Message(row.message_id, from_region, row.to_region, row.kind, dict(row.payload))
    body = message.body()
    headers = {"Content-Type": "application/json", **sign_request(key, from_region, "POST", MESSAGES_PATH, body)}
    attempts = row.attempts + 1
    try:
        response = client.post(peer.base_url.rstrip("/") + MESSAGES_PATH, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return Delivery(row.message_id, PENDING, attempts, None, f"{type(exc).__name__}: {exc}"[:400])
    if response.status_code == 200:
        return Delivery(row.message_id, DELIVERED, attempts, response.json(), None)
    text = response.text[:300]
    status = PENDING if response.status_code >= 500 or response.status_code == 429 else REJECTED
    return Delivery(row.message_id, status, attempts, None, f"HTTP {response.status_code}: {text}")


def deliver(
    engine: Engine, from_region: str, key: Ed25519PrivateKey, client: httpx.Client, message_id: str | None = None
) -> list[Delivery]:
    """Send every pending message (or the one named) and record the outcome; safe to run again at any time."""
    with session_scope(engine) as session:
        query = select(OutboxRow).where(OutboxRow.status == PENDING).order_by(OutboxRow.id)
        if message_id is not None:
            query = select(OutboxRow).where(OutboxRow.message_id == message_id)
        rows = list(session.scalars(query))
        peers = {p.region_code: p for p in session.scalars(select(PeerRow))}
    if message_id is not None and not rows:
        raise NotFound(f"no outgoing message {message_id}")
    results = []
    for row in rows:
        if row.status != PENDING:
            results.append(Delivery(row.message_id, row.status, row.attempts, row.receipt, row.last_error))
            continue
        outcome = _send(row, peers[row.to_region], from_region, key, client)
        with session_scope(engine) as session:
            stored = session.get(OutboxRow, row.id)
            assert stored is not None
            stored.attempts = outcome.attempts
            stored.last_error = outcome.error
            if stored.status == PENDING:
                stored.status = outcome.status
                if outcome.status == DELIVERED:
                    stored.receipt = outcome.receipt
                    stored.delivered_at = audit.now_iso()
        results.append(outcome)
    return results
