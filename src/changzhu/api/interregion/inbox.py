"""Receiving a signed message from a peer: verify, apply exactly once, answer with the same receipt on retry."""

from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import Engine, Table, select
from sqlalchemy.exc import IntegrityError

from changzhu.api.errors import ApiError, Conflict, Forbidden, NotAuthenticated
from changzhu.api.interregion.protocol import Message, handler_for
from changzhu.api.interregion.signing import verify_request
from changzhu.api.keys import parse_public_key
from changzhu.errors import ChangzhuError
from changzhu.store import audit, audit_subjects
from changzhu.store.audit_reasons import because
from changzhu.store.bound import bind_row, insert_row
from changzhu.store.db import session_scope
from changzhu.store.interregion_models import InboxRow, PeerRow
from changzhu.store.txn import write_session

_INBOX = insert_row(
    cast(Table, InboxRow.__table__),
    "inbox",
    ("message_id", "from_region", "kind", "payload_hash", "person_id", "receipt", "received_at"),
)


class MalformedMessage(ChangzhuError):
    """A message body that is not the expected JSON object."""


class MessageRefused(ApiError):
    """The handler refused the message and nothing of it was applied here: the sender reverses its hand-over."""

    http_status = 422
    kind = "message_refused"

    def __init__(self, message: str, remembered: bool = False) -> None:
        super().__init__(message)
        self.remembered = remembered  # already recorded in the inbox as refused


def parse_message(body: bytes) -> Message:
    """The message in a request body, with every field checked."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise MalformedMessage("message body is not JSON") from exc
    if not isinstance(data, dict):
        raise MalformedMessage("message body must be a JSON object")
    fields = {"message_id": str, "from_region": str, "to_region": str, "kind": str, "payload": dict}
    for name, kind in fields.items():
        if not isinstance(data.get(name), kind):
            raise MalformedMessage(f"message field {name!r} is missing or not a {kind.__name__}")
    if not 8 <= len(data["message_id"]) <= 64:
        raise MalformedMessage("message_id must have 8 to 64 characters")
    return Message(data["message_id"], data["from_region"], data["to_region"], data["kind"], data["payload"])


def authenticate_peer(
    engine: Engine,
    region: str | None,
    timestamp: str | None,
    signature: str | None,
    path: str,
    body: bytes,
    max_age_seconds: int,
) -> str:
    """The sending region, once its signature over this request verifies against its registered key."""
    if not region or not timestamp or not signature:
        raise NotAuthenticated("a peer request needs region, timestamp and signature headers")
    with session_scope(engine) as session:
        peer = session.get(PeerRow, region)
        key_text = peer.public_key if peer else None
    if key_text is None:
        raise NotAuthenticated(f"region {region} is not a registered peer of this instance")
    verify_request(parse_public_key(key_text), "POST", path, body, timestamp, signature, max_age_seconds)
    return region


REFUSED_KEY = "refused"  # the receipt of a message refused here: it is refused again, never applied later


def is_refusal(receipt: dict[str, Any]) -> bool:
    """Whether an inbox row records a refusal (nothing applied) rather than an applied message."""
    return REFUSED_KEY in receipt


def _remember_refusal(engine: Engine, sender: str, message: Message, digest: str, refused: MessageRefused) -> None:
    """Record that `message` was refused (its own transaction, after the handler's rolled back), so that the same
    message delivered again (a replay of the signed request, a retry once the cause is gone) is refused again: the
    sender reversed its hand-over on the first refusal, and applying it here later would count it twice."""
    stored = {
        "message_id": message.message_id,
        "from_region": sender,
        "kind": message.kind,
        "payload_hash": digest,
        "person_id": None,
        "receipt": {REFUSED_KEY: str(refused)[:400]},
        "received_at": audit.now_iso(),
    }
    try:
        with write_session(engine) as session:
            audit.append(
                session,
                actor=f"peer:{sender}",
                action="interregion_refused",
                subject=audit_subjects.other("person:None"),
                details={"message_id": message.message_id},
                reason=because("interregion_received"),
                writes=[bind_row(_INBOX, "inbox", stored)],
            )
    except IntegrityError:
        return  # a concurrent delivery of the same id stored its outcome first


def receive(engine: Engine, sender: str, message: Message, instance_region: str | None) -> dict[str, Any]:
    """Apply `message` once; a repeat with the same id and content returns the stored receipt, and a message
    refused once is refused again (docs/ledger.md, "跨省通办 transfers that conserve")."""
    if message.from_region != sender:
        raise Forbidden(f"message claims to come from {message.from_region} but is signed by {sender}")
    if instance_region is None or message.to_region != instance_region:
        raise Forbidden(f"message is addressed to {message.to_region}; this instance serves {instance_region}")
    digest = message.payload_hash()
    try:
        return _apply_once(engine, sender, message, digest)
    except MessageRefused as refused:
        if not refused.remembered:
            _remember_refusal(engine, sender, message, digest, refused)
        raise


def _apply_once(engine: Engine, sender: str, message: Message, digest: str) -> dict[str, Any]:
    for _attempt in range(3):
        try:
            with write_session(engine) as session:
                prior = session.get(InboxRow, message.message_id)
                if prior is not None:
                    if prior.payload_hash != digest or prior.from_region != sender:
                        raise Conflict(f"message {message.message_id} was already received with other content")
                    if is_refusal(prior.receipt):
                        raise MessageRefused(
                            f"message {message.message_id} was refused before: {prior.receipt[REFUSED_KEY]}",
                            remembered=True,
                        )
                    return {**prior.receipt, "replayed": True}
                try:
                    person_id, receipt = handler_for(message.kind)(session, message, sender)
                except (ChangzhuError, ValueError) as exc:  # the transaction rolls back: nothing is applied
                    raise MessageRefused(f"message {message.message_id} refused: {exc}") from exc
                stored = {
                    "message_id": message.message_id,
                    "from_region": sender,
                    "kind": message.kind,
                    "payload_hash": digest,
                    "person_id": person_id,
                    "receipt": receipt,
                    "received_at": audit.now_iso(),
                }
                about = (  # a message about no one is recorded as before: by its text
                    audit_subjects.other("person:None") if person_id is None else audit_subjects.person_by_id(person_id)
                )
                audit.append(
                    session,
                    actor=f"peer:{sender}",
                    action=f"interregion_{message.kind}",
                    subject=about,
                    details={"message_id": message.message_id},
                    reason=because("interregion_received"),
                    writes=[bind_row(_INBOX, "inbox", stored)],  # a racing delivery of the same id fails here
                )
                return {**receipt, "replayed": False}
        except IntegrityError:
            continue  # a concurrent delivery of the same message committed first: read its receipt
    with session_scope(engine) as session:
        stored = session.scalar(select(InboxRow).where(InboxRow.message_id == message.message_id))
        if stored is None:
            raise Conflict(f"message {message.message_id} could not be stored; retry")
        if is_refusal(stored.receipt):
            raise MessageRefused(f"message {message.message_id} was refused: {stored.receipt[REFUSED_KEY]}", True)
        return {**stored.receipt, "replayed": True}
