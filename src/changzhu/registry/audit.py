"""The audit log: who did what, when and why, each record chained to the previous one by SHA-256.

The log is split into CHAINS independent hash chains; a record goes to the chain of its subject, so one
person's history is a single ordered chain. Each chain has a head row (last hash, length) that an append
locks until commit: appends to different chains commit in parallel, appends to one chain one after another.
Every record carries its chain and position (seq), and both are hashed, so an edited, deleted, inserted,
reordered or truncated record breaks its chain or disagrees with the head.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Engine, Table, insert, select, update
from sqlalchemy.orm import Session

from changzhu.registry.db import session_scope
from changzhu.registry.resident_models import AuditHeadRow, AuditRow

GENESIS = "0" * 64
CHAINS = 16  # number of head rows seeded by migration 0002
_HEAD = cast(Table, AuditHeadRow.__table__)
_LOG = cast(Table, AuditRow.__table__)
_CHAIN_KEY = "changzhu.audit_chain"


def canonical(details: Mapping[str, object]) -> str:
    """Deterministic JSON text (sorted keys, no spaces) so the hash does not depend on dict order."""
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_hash(
    prev_hash: str, chain: int, seq: int, at: str, actor: str, action: str, subject: str, details: str, reason: str
) -> str:
    """The chained hash of one record."""
    payload = "\x1f".join((prev_hash, str(chain), str(seq), at, actor, action, subject, details, reason))
    return hashlib.sha256(payload.encode()).hexdigest()


def now_iso() -> str:
    """The current UTC time as ISO 8601 text (what the log stores)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def chain_of(subject: str) -> int:
    """The chain a subject's records go to."""
    return int.from_bytes(hashlib.sha256(subject.encode()).digest()[:4], "big") % CHAINS


def append(session: Session, *, actor: str, action: str, subject: str, details: dict[str, object], reason: str) -> None:
    """Append one record; locks its chain's head until commit, so appends to one chain are serialised.

    A transaction appends every record to the chain of its first one: it never waits for two head rows,
    so appends cannot deadlock one another.
    """
    chain = session.info.setdefault(_CHAIN_KEY, chain_of(subject))
    last_hash, seq = session.execute(  # the UPDATE takes the row lock (FOR UPDATE on PostgreSQL)
        update(_HEAD)
        .where(_HEAD.c.id == chain)
        .values(length=_HEAD.c.length + 1)
        .returning(_HEAD.c.last_hash, _HEAD.c.length)
    ).one()
    at, text = now_iso(), canonical(details)
    digest = record_hash(last_hash, chain, seq, at, actor, action, subject, text, reason)
    session.execute(
        insert(_LOG).values(
            chain=chain,
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            details=text,
            reason=reason,
            prev_hash=last_hash,
            hash=digest,
        )
    )
    session.execute(update(_HEAD).where(_HEAD.c.id == chain).values(last_hash=digest))


@dataclass(frozen=True)
class AuditReport:
    """Result of verifying the chains: ok, how many records, and the first problem found."""

    ok: bool
    length: int
    problem: str | None


def _snapshot(session: Session) -> None:
    """Read heads and records from one snapshot, so a concurrent append is not mistaken for tampering."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def verify(engine: Engine) -> AuditReport:
    """Recompute every chain in order; detects edited, deleted, inserted, reordered or truncated records."""
    count = 0
    with session_scope(engine) as session:
        _snapshot(session)
        heads = {
            int(c): (h, int(n)) for c, h, n in session.execute(select(_HEAD.c.id, _HEAD.c.last_hash, _HEAD.c.length))
        }
        if set(heads) != set(range(CHAINS)):
            return AuditReport(False, 0, f"chain heads found {sorted(heads)}, expected 0..{CHAINS - 1}")
        tails = {c: (GENESIS, 0) for c in range(CHAINS)}
        for row in session.execute(select(AuditRow).order_by(AuditRow.chain, AuditRow.seq)).scalars():
            count += 1
            if row.chain not in tails:
                return AuditReport(False, count, f"record {row.id}: unknown chain {row.chain}")
            prev, seq = tails[row.chain]
            if row.prev_hash != prev or row.seq != seq + 1:
                return AuditReport(False, count, f"record {row.id}: does not follow the previous record")
            fields = (row.at, row.actor, row.action, row.subject, row.details, row.reason)
            if record_hash(prev, row.chain, row.seq, *fields) != row.hash:
                return AuditReport(False, count, f"record {row.id}: content does not match its hash")
            tails[row.chain] = (row.hash, row.seq)
    for chain, (last_hash, length) in sorted(heads.items()):
        if tails[chain] != (last_hash, length):
            found = tails[chain][1]
            return AuditReport(False, count, f"chain {chain}: the head expects {length} records, found {found}")
    return AuditReport(True, count, None)
