"""Write transactions for registry and ledger operations: serialised per subject, idempotent, audited.

Every change is an *operation* with an idempotency key, stored in ledger_transactions together with a hash
of the request. Replaying a key returns the stored result; reusing it for a different request is an error.
On SQLite the transaction starts with BEGIN IMMEDIATE (one writer at a time); on PostgreSQL the operation
locks the rows it reads (SELECT ... FOR UPDATE) before checking and writing.
"""

from __future__ import annotations

import hashlib
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Engine, Insert, Integer, String, Table, TextualSelect, bindparam, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import UpdateBase

from changzhu.domain.refusals import CodedError, RefusalCode, refusal
from changzhu.store import audit
from changzhu.store.audit_reasons import Reason
from changzhu.store.audit_subjects import AuditSubject
from changzhu.store.bound import Bound
from changzhu.store.resident_models import LedgerTransactionRow

_RETRYABLE_PG_CODES = {"40001", "40P01"}  # serialization failure, deadlock detected
_TXN = cast(Table, LedgerTransactionRow.__table__)


class IdempotencyConflict(CodedError):
    """An idempotency key already used for a different request."""


_SQLITE_WRITERS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_SQLITE_WRITERS_GUARD = threading.Lock()


def _sqlite_writer_lock(engine: Engine) -> threading.Lock:
    """One lock per SQLite engine: threads of a process queue for the write lock here, not in SQLite."""
    with _SQLITE_WRITERS_GUARD:
        return _SQLITE_WRITERS.setdefault(engine, threading.Lock())


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction holds the write lock on SQLite from its first statement.

    SQLite allows one writer; its busy handler polls with growing sleeps, so threads contending for the lock
    wait seconds in the worst case. Threads of this process therefore queue on a Python lock first (woken
    as soon as the writer commits); other processes still wait in BEGIN IMMEDIATE (busy_timeout).
    """
    sqlite = engine.dialect.name == "sqlite"
    with ExitStack() as stack:
        if sqlite:
            stack.enter_context(_sqlite_writer_lock(engine))
        session = stack.enter_context(Session(engine, expire_on_commit=False))
        if sqlite:
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
    """What an operation did: its result (returned to the caller and stored), its audit subject, and writes
    left to send with the audit record (one statement on PostgreSQL)."""

    result: dict[str, object]
    subject: AuditSubject
    details: dict[str, object] = field(default_factory=dict)
    writes: Sequence[UpdateBase | Bound] = field(default_factory=list)


@dataclass(frozen=True)
class Operation:
    """An operation's identity: kind, idempotency key, request, actor and reason."""

    kind: str
    key: str
    request: Mapping[str, object]
    actor: str
    reason: str | Reason


def _is_retryable(exc: OperationalError) -> bool:
    code = getattr(exc.orig, "sqlstate", None)
    return code in _RETRYABLE_PG_CODES or "database is locked" in str(exc.orig)


def insert_ignoring(session: Session, table: Table, index_elements: list[str]) -> Insert:
    """INSERT ... ON CONFLICT (index_elements) DO NOTHING for the session's database."""
    dialect = session.get_bind().dialect.name
    stmt = postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)
    return stmt.on_conflict_do_nothing(index_elements=index_elements)


_CLAIM_COLUMNS = ("idempotency_key", "kind", "request_hash", "result", "actor", "created_at")


def _claim_statement(dialect: Any) -> Insert:
    stmt = dialect.insert(_TXN).values({column: bindparam(f"claim_{column}") for column in _CLAIM_COLUMNS})
    return cast(Insert, stmt.on_conflict_do_nothing(index_elements=["idempotency_key"]).returning(_TXN.c.id))


# Built once: the SQL of each is compiled once per engine and reused; values are bound at execution.
_CLAIMS = {"postgresql": _claim_statement(postgresql), "sqlite": _claim_statement(sqlite)}
_PRIOR = select(_TXN.c.request_hash, _TXN.c.result).where(_TXN.c.idempotency_key == bindparam("claim_key"))
_STORE_RESULT = update(_TXN).where(_TXN.c.id == bindparam("txn_id")).values(result=bindparam("txn_result"))


def claim_row(session: Session, values: Mapping[str, object]) -> int | None:
    """Insert a row of ledger_transactions (the claim columns) unless its idempotency key is taken: its id, or None.

    The statement is built once (as every operation's own claim)."""
    claim = _CLAIMS[session.get_bind().dialect.name]
    return cast(int | None, session.execute(claim, {f"claim_{c}": values[c] for c in _CLAIM_COLUMNS}).scalar())


def _claim(session: Session, op: Operation, digest: str) -> LedgerTransactionRow | dict[str, object]:
    """The operation's new row, or the stored result if the key was used before (a replay)."""
    values = {
        "idempotency_key": op.key,
        "kind": op.kind,
        "request_hash": digest,
        "result": {},
        "actor": op.actor,
        "created_at": audit.now_iso(),
    }
    new_id = claim_row(session, values)
    if new_id is not None:  # a plain object: apply() reads its id; the row is written by the statement above
        return LedgerTransactionRow(id=new_id, **values)
    prior = session.execute(_PRIOR, {"claim_key": op.key}).one()
    if prior.request_hash != digest:
        raise IdempotencyConflict(refusal(RefusalCode.IDEMPOTENCY_KEY_REUSED, key=op.key))
    return {**prior.result, "replayed": True}


Apply = Callable[[Session, LedgerTransactionRow], Outcome]


def _apply_and_audit(
    session: Session, op: Operation, apply: Apply, txn: LedgerTransactionRow, *, more: bool = False
) -> dict[str, object]:
    """Apply a claimed operation, append its audit record (with its writes and stored result): the result.

    `more`: another operation follows in this transaction; if this one leaves no writes of its own, its record
    travels with the next one's (audit.append's hold)."""
    outcome = apply(session, txn)
    result = {**outcome.result, "operation_id": txn.id}
    audit.append(
        session,
        actor=op.actor,
        action=op.kind,
        subject=outcome.subject,
        details={**outcome.details, "key_hash": audit.keyed_hash(op.key), "operation_id": txn.id},
        reason=op.reason,
        writes=[*outcome.writes, Bound(_STORE_RESULT, {"txn_id": txn.id, "txn_result": result})],
        hold=more and not outcome.writes,
    )
    return {**result, "replayed": False}


def _retrying(attempt: Callable[[], dict[str, object] | list[dict[str, object]] | None]) -> Any:
    """Run a transaction's attempt, again after a racing unique row, a deadlock or a serialization failure."""
    for number in range(5):
        try:
            return attempt()
        except IntegrityError:
            # a racing unique row (e.g. the same person registered twice at once) committed first: re-check
            if number == 4:
                raise
        except OperationalError as exc:
            if not _is_retryable(exc) or number == 4:
                raise
            time.sleep(0.01 * (number + 1))
    raise AssertionError("unreachable")


def run_operation(
    engine: Engine, op: Operation, apply: Apply, lock: Callable[[Session], None] | None = None
) -> dict[str, object]:
    """Run `apply` once for `op.key`: lock, claim the key, write, audit, commit; retries are no-ops."""
    digest = request_hash(op.kind, op.request)

    def attempt() -> dict[str, object]:
        with write_session(engine) as session:
            if lock is not None:
                lock(session)
            txn = _claim(session, op, digest)
            if isinstance(txn, dict):
                return txn
            return _apply_and_audit(session, op, apply, txn)

    return cast(dict[str, object], _retrying(attempt))


class _KeyUsed(Exception):
    """A key of operations run together was used before: their transaction is rolled back."""


_CLAIMS_OF_N: dict[int, TextualSelect] = {}  # one statement claiming n keys, built once per n


def _claims_of(n: int) -> TextualSelect:
    """INSERT of n operation rows, skipping keys already used, returning the new rows' keys and ids (plain SQL: an
    INSERT of several rows built by SQLAlchemy is compiled again at every call; this text is the same on both
    databases)."""
    statement = _CLAIMS_OF_N.get(n)
    if statement is None:
        rows = ", ".join(
            "(" + ", ".join(f":claim{i}_{c}" if c != "result" else "'{}'" for c in _CLAIM_COLUMNS) + ")"
            for i in range(n)
        )
        sql = (
            f"INSERT INTO {_TXN.name} ({', '.join(_CLAIM_COLUMNS)}) VALUES {rows} "
            "ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key, id"
        )
        statement = _CLAIMS_OF_N.setdefault(n, text(sql).columns(idempotency_key=String, id=Integer))
    return statement


def _claim_all(session: Session, ops: Sequence[Operation]) -> list[LedgerTransactionRow] | None:
    """New rows for every operation, claimed in one statement; None if any key was used before."""
    at = audit.now_iso()
    values: list[dict[str, Any]] = [
        {
            "idempotency_key": op.key,
            "kind": op.kind,
            "request_hash": request_hash(op.kind, op.request),
            "result": {},
            "actor": op.actor,
            "created_at": at,
        }
        for op in ops
    ]
    params = {
        f"claim{i}_{column}": value
        for i, row in enumerate(values)
        for column, value in row.items()
        if column != "result"
    }
    statement = _claims_of(len(ops))
    claimed: dict[str, int] = dict(session.execute(statement, params).all())
    if len(claimed) < len(ops):
        return None
    return [LedgerTransactionRow(id=claimed[v["idempotency_key"]], **v) for v in values]


def run_together(
    engine: Engine, steps: Sequence[tuple[Operation, Apply]], lock: Callable[[Session], None] | None = None
) -> list[dict[str, object]] | None:
    """Run operations in one transaction, each as run_operation runs it (its own key, row, stored result and audit
    record), when none of their keys was used before; all commit or none.

    None, with nothing written, if a key was used before (an earlier call ran some of them): the caller then runs
    them one by one with run_operation, which replays what was done.
    """

    def attempt() -> list[dict[str, object]] | None:
        try:
            with write_session(engine) as session:
                if lock is not None:
                    lock(session)
                txns = _claim_all(session, [op for op, _apply in steps])
                if txns is None:
                    raise _KeyUsed  # rolls back the keys that were claimed
                last = len(steps) - 1
                return [
                    _apply_and_audit(session, op, apply, txn, more=number < last)
                    for number, ((op, apply), txn) in enumerate(zip(steps, txns, strict=True))
                ]
        except _KeyUsed:
            return None

    return cast(list[dict[str, object]] | None, _retrying(attempt))
