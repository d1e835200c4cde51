"""Sending messages to peers: queued in the same transaction as the local change, delivered until acknowledged.

A payload carries an identity number, so it is stored sealed (AES-256-GCM under a key derived from the
instance's identity key, bound to the message id) and purged once the message is delivered or reversed.

Outcome of a delivery attempt:
- delivered: the peer applied the message (or had applied it before: it answers with the same receipt);
- pending: no answer, a timeout or a 5xx/429: sent again later with the same id (the peer applies it once);
- reversed: the peer refused it conclusively (its answer `message_refused` means nothing was applied there),
  so the hand-over is undone here in the same audited, double-entry way it was made;
- disputed: any other refusal (signature, conflict): it is not known whether the peer applied an earlier
  attempt, so nothing is undone automatically; a caseworker resolves it (`resolve`) after checking with the peer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import httpx
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, Table, select
from sqlalchemy.orm import Session

from changzhu.api.errors import Conflict, NotFound
from changzhu.api.interregion import transfer
from changzhu.api.interregion.protocol import MESSAGES_PATH, Message, canonical_json
from changzhu.api.interregion.signing import sign_request
from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.registry.identity import IdentityKeyMismatch, identity_keys
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import Reason, because
from changzhu.store.bound import Bound, bind_row, insert_row
from changzhu.store.checks import lock_person
from changzhu.store.db import session_scope
from changzhu.store.interregion_models import OutboxRow, PeerRow
from changzhu.store.txn import write_session

PENDING, DELIVERED, REVERSED, DISPUTED = "pending", "delivered", "reversed", "disputed"
REFUSED = "refused"  # an attempt's outcome only: the row becomes reversed
REFUSAL_KIND = "message_refused"  # the error kind a peer answers when it applied nothing


_QUEUE = insert_row(
    cast(Table, OutboxRow.__table__),
    "outbox",
    ("message_id", "to_region", "kind", "person_id", "payload", "status", "attempts", "created_at"),
)


@dataclass(frozen=True)
class Delivery:
    """What happened to one message on one delivery attempt."""

    message_id: str
    status: str
    attempts: int
    receipt: dict[str, Any] | None
    error: str | None


def _payload_key() -> bytes:
    return hmac.new(identity_keys().enc_key, b"changzhu outbox payload v1", hashlib.sha256).digest()


def seal(message_id: str, payload: dict[str, Any]) -> dict[str, object]:
    """The payload encrypted for storage (the message id is bound in as associated data)."""
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_payload_key()).encrypt(nonce, canonical_json(payload), message_id.encode())
    return {"sealed": base64.b64encode(nonce + sealed).decode()}


def unseal(message_id: str, stored: dict[str, object]) -> dict[str, Any]:
    """The payload of a stored outbox row."""
    if "sealed" not in stored:
        raise Conflict(refusal(RefusalCode.MESSAGE_PURGED, message_id=message_id))
    blob = base64.b64decode(str(stored["sealed"]))
    try:
        data = AESGCM(_payload_key()).decrypt(blob[:12], blob[12:], message_id.encode())
    except InvalidTag as exc:
        raise IdentityKeyMismatch(f"message {message_id}: payload cannot be decrypted with the configured key") from exc
    return dict(json.loads(data))


def queued(session: Session, message: Message, person_id: int) -> Bound:
    """The outbox row queuing `message`, to send with the audit record of the caller's transaction (so the local
    change and the message commit together)."""
    if session.get(PeerRow, message.to_region) is None:
        raise NotFound(refusal(RefusalCode.NOT_A_PEER, region=message.to_region))
    values = {
        "message_id": message.message_id,
        "to_region": message.to_region,
        "kind": message.kind,
        "person_id": person_id,
        "payload": seal(message.message_id, message.payload),
        "status": PENDING,
        "attempts": 0,
        "created_at": audit.now_iso(),
    }
    return bind_row(_QUEUE, "outbox", values)


def start_transfer(
    engine: Engine,
    person_key: str,
    from_region: str,
    to_region: str,
    to_city: str,
    moved_on: date,
    *,
    actor: str,
    authorize: Callable[[str], None],
) -> str:
    """Pack the person's records and queue the message, in one transaction with the person's row locked.

    `authorize` is called with the person's residence region (under the lock) and raises if the actor may not.
    """
    with write_session(engine) as session:
        person = lock_person(session, person_key)  # a concurrent transfer of this person waits here
        authorize(person.residence_region)
        message = transfer.pack(session, person, from_region, to_region, to_city, moved_on)
        audit.append(
            session,
            actor=actor,
            action="interregion_transfer_out",
            subject=audit_subjects.person(person.person_key),
            details={"message_id": message.message_id, "to": to_city},
            reason=because("interregion_sent"),
            writes=[queued(session, message, person.id)],
        )
    return message.message_id


def _outcome(response: httpx.Response) -> str:
    if response.status_code == 200:
        return DELIVERED
    if response.status_code >= 500 or response.status_code == 429:
        return PENDING
    try:
        kind = response.json().get("error")
    except ValueError:
        kind = None
    return REFUSED if kind == REFUSAL_KIND else DISPUTED


def _send(row: OutboxRow, peer: PeerRow, from_region: str, key: Ed25519PrivateKey, client: httpx.Client) -> Delivery:
    message = Message(row.message_id, from_region, row.to_region, row.kind, unseal(row.message_id, row.payload))
    body = message.body()
    headers = {"Content-Type": "application/json", **sign_request(key, from_region, "POST", MESSAGES_PATH, body)}
    attempts = row.attempts + 1
    try:
        response = client.post(peer.base_url.rstrip("/") + MESSAGES_PATH, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return Delivery(row.message_id, PENDING, attempts, None, f"{type(exc).__name__}: {exc}"[:400])
    status = _outcome(response)
    if status == DELIVERED:
        return Delivery(row.message_id, DELIVERED, attempts, response.json(), None)
    return Delivery(row.message_id, status, attempts, None, f"HTTP {response.status_code}: {response.text[:300]}")


def _reverse_row(session: Session, stored: OutboxRow, actor: str, why: str | Reason) -> None:
    """Undo the row's hand-over here, purge its payload and audit it (caller's transaction)."""
    result = transfer.reverse(session, stored.message_id, actor, why.en if isinstance(why, Reason) else why)
    stored.status, stored.payload = REVERSED, {}
    audit.append(
        session,
        actor=actor,
        action="interregion_reversed",
        subject=audit_subjects.person_by_id(stored.person_id),
        details={"message_id": stored.message_id, **result},
        reason=why if isinstance(why, Reason) else why[:400],
    )


def _record(engine: Engine, row_id: int, outcome: Delivery) -> Delivery:
    """Store an attempt's outcome; a conclusive refusal is reversed in the same transaction."""
    with write_session(engine) as session:
        stored = session.scalar(select(OutboxRow).where(OutboxRow.id == row_id).with_for_update())
        assert stored is not None
        stored.attempts = outcome.attempts
        stored.last_error = outcome.error
        if stored.status != PENDING:  # a concurrent delivery run recorded an outcome first
            return Delivery(stored.message_id, stored.status, stored.attempts, stored.receipt, stored.last_error)
        if outcome.status == DELIVERED:
            stored.status, stored.receipt, stored.payload = DELIVERED, outcome.receipt, {}
            stored.delivered_at = audit.now_iso()
        elif outcome.status == REFUSED:
            _reverse_row(session, stored, "system", because("interregion_refused", error=outcome.error))
        elif outcome.status == DISPUTED:
            stored.status = DISPUTED
        return Delivery(stored.message_id, stored.status, stored.attempts, stored.receipt, stored.last_error)


def deliver(
    engine: Engine, from_region: str, key: Ed25519PrivateKey, client: httpx.Client, message_id: str | None = None
) -> list[Delivery]:
    """Send every pending message (or the one named) and record the outcome; safe to run again at any time."""
    query = select(OutboxRow, PeerRow).outerjoin(PeerRow, PeerRow.region_code == OutboxRow.to_region)
    if message_id is None:
        query = query.where(OutboxRow.status == PENDING).order_by(OutboxRow.id)
    else:
        query = query.where(OutboxRow.message_id == message_id)
    with session_scope(engine) as session:  # each message with its peer, in one statement
        rows = [(row, peer) for row, peer in session.execute(query)]
    if message_id is not None and not rows:
        raise NotFound(refusal(RefusalCode.NO_OUTGOING_MESSAGE, message_id=message_id))
    results = []
    for row, peer in rows:
        if row.status != PENDING:
            results.append(Delivery(row.message_id, row.status, row.attempts, row.receipt, row.last_error))
            continue
        if peer is None:
            raise NotFound(refusal(RefusalCode.NO_LONGER_A_PEER, message_id=row.message_id, region=row.to_region))
        results.append(_record(engine, row.id, _send(row, peer, from_region, key, client)))
    return results


def sender_region_of(engine: Engine, message_id: str) -> str:
    """Where the message's person lived when it was handed over (whose caseworkers may resolve it)."""
    with session_scope(engine) as session:
        row = session.scalar(select(OutboxRow).where(OutboxRow.message_id == message_id))
        if row is None:
            raise NotFound(refusal(RefusalCode.NO_OUTGOING_MESSAGE, message_id=message_id))
        txn, _legs = transfer.transaction_entries(session, transfer.SEND_KEY + message_id)
        return str(txn.result["from_region"]) if txn is not None else ""


def resolve(engine: Engine, message_id: str, action: str, actor: str, reason: str) -> Delivery:
    """A caseworker settles a disputed message: `reverse` it here (the peer confirmed it applied nothing) or
    `resend` it (back to pending: the peer applies it once, or answers with its receipt)."""
    if action not in ("reverse", "resend"):
        raise Conflict(refusal(RefusalCode.REVERSE_OR_RESEND, action=repr(action)))
    with write_session(engine) as session:
        stored = session.scalar(select(OutboxRow).where(OutboxRow.message_id == message_id).with_for_update())
        if stored is None:
            raise NotFound(refusal(RefusalCode.NO_OUTGOING_MESSAGE, message_id=message_id))
        if stored.status != DISPUTED:
            raise Conflict(refusal(RefusalCode.MESSAGE_NOT_DISPUTED, message_id=message_id, status=str(stored.status)))
        if action == "reverse":
            _reverse_row(session, stored, actor, reason)
        else:
            stored.status = PENDING
            audit.append(
                session,
                actor=actor,
                action="interregion_resend",
                subject=audit_subjects.person_by_id(stored.person_id),
                details={"message_id": message_id},
                reason=reason[:400],
            )
        return Delivery(stored.message_id, stored.status, stored.attempts, stored.receipt, stored.last_error)
