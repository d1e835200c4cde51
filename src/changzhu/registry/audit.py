"""The audit log: who did what, when and why, each record chained to the previous one by SHA-256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from changzhu.registry.db import session_scope
from changzhu.registry.resident_models import AuditHeadRow, AuditRow

GENESIS = "0" * 64


def canonical(details: Mapping[str, object]) -> str:
    """Deterministic JSON text (sorted keys, no spaces) so the hash does not depend on dict order."""
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_hash(prev_hash: str, at: str, actor: str, action: str, subject: str, details: str, reason: str) -> str:
    """The chained hash of one record."""
    payload = "\x1f".join((prev_hash, at, actor, action, subject, details, reason))
    return hashlib.sha256(payload.encode()).hexdigest()


def now_iso() -> str:
    """The current UTC time as ISO 8601 text (what the log stores)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def append(session: Session, *, actor: str, action: str, subject: str, details: dict[str, object], reason: str) -> None:
    """Append one record; locks the chain head so concurrent writers append one after another."""
    head = session.execute(select(AuditHeadRow).where(AuditHeadRow.id == 1).with_for_update()).scalar_one()
    at, text = now_iso(), canonical(details)
    digest = record_hash(head.last_hash, at, actor, action, subject, text, reason)
    session.add(
        AuditRow(
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            details=text,
            reason=reason,
            prev_hash=head.last_hash,
            hash=digest,
        )
    )
    head.last_hash = digest
    head.length = head.length + 1


@dataclass(frozen=True)
class AuditReport:
    """Result of verifying the chain: ok, how many records, and the first problem found."""

    ok: bool
    length: int
    problem: str | None


def verify(engine: Engine) -> AuditReport:
    """Recompute every hash in order; detects edited, deleted, inserted or truncated records."""
    prev, count = GENESIS, 0
    with session_scope(engine) as session:
        head = session.get(AuditHeadRow, 1)
        for row in session.execute(select(AuditRow).order_by(AuditRow.id)).scalars():
            count += 1
            if row.prev_hash != prev:
                return AuditReport(False, count, f"record {row.id}: does not follow the previous record")
            expected = record_hash(prev, row.at, row.actor, row.action, row.subject, row.details, row.reason)
            if expected != row.hash:
                return AuditReport(False, count, f"record {row.id}: content does not match its hash")
            prev = row.hash
    if head is None:
        return AuditReport(False, count, "the chain head is missing")
    if head.length != count or head.last_hash != prev:
        return AuditReport(False, count, f"the chain head expects {head.length} records, found {count}")
    return AuditReport(True, count, None)
