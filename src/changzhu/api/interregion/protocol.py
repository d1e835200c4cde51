"""The message format between instances and the handlers that apply a received message here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from changzhu.errors import ChangzhuError

MESSAGES_PATH = "/api/v1/interregion/messages"


class UnknownMessageKind(ChangzhuError):
    """A message whose kind this instance has no handler for."""


@dataclass(frozen=True)
class Message:
    """One matter handed from one region's instance to another's; `message_id` makes it idempotent."""

    message_id: str
    from_region: str
    to_region: str
    kind: str
    payload: dict[str, Any]

    def body(self) -> bytes:
        """Canonical JSON bytes (sorted keys): what is signed and sent."""
        return canonical_json(
            {
                "message_id": self.message_id,
                "from_region": self.from_region,
                "to_region": self.to_region,
                "kind": self.kind,
                "payload": self.payload,
            }
        )

    def payload_hash(self) -> str:
        """Digest of kind and payload: a retry must carry the same, a different one under the same id is refused."""
        return hashlib.sha256(self.kind.encode() + b"\x1f" + canonical_json(self.payload)).hexdigest()


def canonical_json(value: object) -> bytes:
    """Deterministic JSON bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode()


# A handler applies a message inside the receiver's transaction and returns (local person id, receipt).
Handler = Callable[[Session, Message, str], tuple[int | None, dict[str, Any]]]
_HANDLERS: dict[str, Handler] = {}


def register_handler(kind: str, handler: Handler) -> None:
    """Make this instance accept messages of `kind`."""
    _HANDLERS[kind] = handler


def handler_for(kind: str) -> Handler:
    """The handler of `kind`, or UnknownMessageKind."""
    try:
        return _HANDLERS[kind]
    except KeyError as exc:
        known = ", ".join(sorted(_HANDLERS)) or "none"
        raise UnknownMessageKind(f"message kind {kind!r} is not handled here (known: {known})") from exc
