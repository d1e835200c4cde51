"""Write transactions for registry and ledger operations: serialised per subject, idempotent, audited.

Every change is an *operation* with an idempotency key, stored in ledger_transactions together with a hash
of the request. Replaying a key returns the stored result; reusing it for a different request is an error.
On SQLite the transaction starts with BEGIN IMMEDIATE (one writer at a time); on PostgreSQL the operation
locks the rows it reads (SELECT ... FOR UPDATE) before checking and writing.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from changzhu.errors import ChangzhuError
from changzhu.registry import audit
from changzhu.registry.resident_models import LedgerTransactionRow

_RETRYABLE_PG_CODES = {"40001", "40P01"}  # serialization failure, deadlock detected


class IdempotencyConflict(ChangzhuError):
    """An idempotency key already used for a different request."""


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction holds the write lock on SQLite from its first statement."""
    with Session(engine, expire_on_commit=False) as session:
        if engine.dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def new_key(prefix: str) -> str:
    """A fresh idempotency key, for callers that do not retry."""
    return f"{prefix}-{uuid.uuid4().hex}"


def request_hash(kind: str, request: Mapping[str, object]) -> str:
    """Hash of an operation's kind and arguments: the same key must always carry the same request."""
    return hashlib.sha256((kind + "\x1f" + audit.canonical(request)).encode()).hexdigest()


@dataclass
class Outcome:
    """What an operation did: its result (returned to the caller and stored) and its audit subject."""

    result: dict[str, object]
    subject: str
    details: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Operation:
    """An operation's identity: kind, idempotency key, request, actor and reason."""

    kind: str
    key: str
    request: Mapping[str, object]
    actor: str
    reason: str


def _is_retryable(exc: OperationalError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    return code in _RETRYABLE_PG_CODES or "database is locked" in str(exc.orig)


def run_operation(
    engine: Engine,
    op: Operation,
    apply: Callable[[Session, LedgerTransactionRow], Outcome],
    lock: Callable[[Session], None] | None = None,
) -> dict[str, object]:
    """Run `apply` once for `op.key`: lock, check the key, write, audit, commit; retries are no-ops."""
    digest = request_hash(op.kind, op.request)
    for attempt in range(5):
        try:
            with write_session(engine) as session:
                if lock is not None:
                    lock(session)
                prior = session.execute(
                    select(LedgerTransactionRow).where(LedgerTransactionRow.idempotency_key == op.key)
                ).scalar_one_or_none()
                if prior is not None:
                    if prior.request_hash != digest:
                        raise IdempotencyConflict(f"idempotency key {op.key!r} was already used for another request")
                    return {**prior.result, "replayed": True}
                txn = LedgerTransactionRow(
                    idempotency_key=op.key,
                    kind=op.kind,
                    request_hash=digest,
                    result={},
                    actor=op.actor,
                    created_at=audit.now_iso(),
                )
                session.add(txn)
                session.flush()
                outcome = apply(session, txn)
                txn.result = {**outcome.result, "operation_id": txn.id}
                audit.append(
                    session,
                    actor=op.actor,
                    action=op.kind,
                    subject=outcome.subject,
                    details={**outcome.details, "key": op.key, "operation_id": txn.id},
                    reason=op.reason,
                )
                return {**txn.result, "replayed": False}
        except IntegrityError:
            # a concurrent request with the same key (or a racing unique row) committed first: re-check
            if attempt == 4:
                raise
        except OperationalError as exc:
            if not _is_retryable(exc) or attempt == 4:
                raise
            time.sleep(0.01 * (attempt + 1))
    raise AssertionError("unreachable")
