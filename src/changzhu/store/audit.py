"""The audit log: who did what, when and why, each record chained to the previous one by SHA-256.

The log is split into CHAINS independent hash chains; a record goes to the chain of its subject, so one
person's history is a single ordered chain. Each chain has a head row (last hash, length) that an append
locks until commit: appends to different chains commit in parallel, appends to one chain one after another.
Heads 0..15 were seeded by migration 0002 (when there were 16 chains); the others are created by their
first append. A database written with 16 chains still verifies: each record names its chain, and no check
recomputes a record's chain from its subject (a subject's later records may go to another chain).
Every record carries its chain and position (seq), and both are hashed, so an edited, deleted, inserted,
reordered or truncated record breaks its chain or disagrees with the head.

The heads live in the same database, so someone who can write it could delete a whole chain (or its tail)
and reset the head to match. Signed checkpoints close that hole: `checkpoint` writes every chain's length and
last hash to a file outside the database (<data dir>/audit_checkpoints/<database>.jsonl), each line signed
with HMAC-SHA256 under the instance's audit key (CHANGZHU_AUDIT_KEY or <data dir>/audit.key, never in the
database); `verify` checks that every chain
still holds the record each checkpoint names.

Each record also keeps what its subject is (store/audit_subjects.py: a kind and the fields that name it). From
hash version 2 on these are hashed with the record; records of version 1 (written before) keep their hash over the
fields they had, and verify as they did. From hash version 3 on, whether the reason is a person's own words
(`reason_as_written`: a str given to `append`, not a Reason of REASONS) is hashed too; records of versions 1 and 2
got theirs from migration 0015 and keep their hash.

A ledger posting (changzhu.ledger.accounts.post) notes a digest of its entries on the session; the next
record appended in that transaction carries the digests ("postings"), so the chained log vouches for the
exact entries of every ledger transaction.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine, Insert, Table, bindparam, event, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, SessionTransaction
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.visitors import replacement_traverse

from changzhu.config import create_private_once, data_dir
from changzhu.errors import ChangzhuError
from changzhu.store.audit_reasons import EN_KEY, Reason
from changzhu.store.audit_subjects import AuditSubject
from changzhu.store.bound import Bound, bind_row, insert_row
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditHeadRow, AuditRow

GENESIS = "0" * 64
HASH_VERSION = 3  # what a new record's hash covers: 2 without whether the reason is as written, 1 without the subject
CHAINS = 1024  # chains subjects hash into: few clients ever wait for the same head
SEEDED_CHAINS = 16  # head rows seeded by migration 0002; the others are created on first append
_HEAD = cast(Table, AuditHeadRow.__table__)
_LOG = cast(Table, AuditRow.__table__)
_CHAIN_KEY = "changzhu.audit_chain"
_POSTINGS_KEY = "changzhu.audit_postings"
_TIP_KEY = "changzhu.audit_tip"
_HELD_KEY = "changzhu.audit_held"  # PostgreSQL: records (and their writes) waiting for the transaction's next record
CHECKPOINT_DIR = "audit_checkpoints"
AUDIT_KEY_ENV = "CHANGZHU_AUDIT_KEY"
AUDIT_KEY_FILE = "audit.key"


class AuditKeyError(ChangzhuError):
    """The audit key is malformed."""


def canonical(details: Mapping[str, object]) -> str:
    """Deterministic JSON text (sorted keys, no spaces) so the hash does not depend on dict order."""
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_hash(
    prev_hash: str, chain: int, seq: int, at: str, actor: str, action: str, subject: str, details: str, reason: str
) -> str:
    """The chained hash of one record of hash version 1 (records written before subjects had kinds)."""
    payload = "\x1f".join((prev_hash, str(chain), str(seq), at, actor, action, subject, details, reason))
    return hashlib.sha256(payload.encode()).hexdigest()


def record_hash_v2(
    prev_hash: str,
    chain: int,
    seq: int,
    at: str,
    actor: str,
    action: str,
    subject: str,
    details: str,
    reason: str,
    subject_kind: str,
    subject_fields: str,
) -> str:
    """The chained hash of one record of hash version 2: version 1's fields, then the subject's kind and fields
    (after a version mark, so no version 2 record hashes as a version 1 one)."""
    fields = (
        prev_hash,
        str(chain),
        str(seq),
        at,
        actor,
        action,
        subject,
        details,
        reason,
        subject_kind,
        subject_fields,
    )
    return hashlib.sha256("\x1f".join(("v2", *fields)).encode()).hexdigest()


def record_hash_v3(prev_hash: str, *fields: str, reason_as_written: bool) -> str:
    """The chained hash of one record of hash version 3: version 2's fields (chain, seq, ... subject_fields), then
    whether the reason is as written (after a version mark, so no version 3 record hashes as an older one)."""
    text = "\x1f".join(("v3", prev_hash, *fields, "1" if reason_as_written else "0"))
    return hashlib.sha256(text.encode()).hexdigest()


def now_iso() -> str:
    """The current UTC time as ISO 8601 text (what the log stores)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def chain_of(subject: str) -> int:
    """The chain a subject's records go to."""
    return int.from_bytes(hashlib.sha256(subject.encode()).digest()[:4], "big") % CHAINS


def note_posting(session: Session, transaction_id: int, digest: str) -> None:
    """Remember a ledger transaction's entry digest; the next record appended in this session carries it."""
    session.info.setdefault(_POSTINGS_KEY, {})[str(transaction_id)] = digest


def keyed_hash(text: str) -> str:
    """A keyed hash (HMAC-SHA256 under the audit key) for values the log must not hold in clear."""
    return hmac.new(audit_key(), b"key\x1f" + text.encode(), hashlib.sha256).hexdigest()[:32]


@event.listens_for(Session, "after_transaction_end")
def _forget_tip(session: Session, _transaction: SessionTransaction) -> None:
    """The head is unlocked when a transaction ends: the next record locks it again (records held and not sent
    are dropped with a rolled-back transaction)."""
    session.info.pop(_TIP_KEY, None)
    session.info.pop(_HELD_KEY, None)


@event.listens_for(Session, "before_commit")
def _nothing_held(session: Session) -> None:
    """A transaction never commits with an audit record held back (append(hold=True) with no record after it)."""
    if session.info.get(_HELD_KEY):
        raise AssertionError("an audit record was held for a next record that never came: not committed")


def _head_upsert(dialect: Any) -> Insert:
    stmt = dialect.insert(_HEAD).values(id=bindparam("audit_chain"), last_hash=GENESIS, length=1)
    upsert = stmt.on_conflict_do_update(index_elements=["id"], set_={"length": _HEAD.c.length + 1})
    return cast(Insert, upsert.returning(_HEAD.c.last_hash, _HEAD.c.length))


# The statements of every append, built once (their SQL is compiled once per engine and reused): values are bound
# at execution under these parameter names, which no other statement sent with a record may use.
_TAKE_HEAD = {"postgresql": _head_upsert(postgresql), "sqlite": _head_upsert(sqlite)}
_RECORD_COLUMNS = (
    "chain",
    "seq",
    "at",
    "actor",
    "action",
    "subject",
    "details",
    "reason",
    "subject_kind",
    "subject_fields",
    "hash_version",
    "reason_as_written",
    "prev_hash",
    "hash",
)
_RECORD = insert_row(_LOG, "audit", _RECORD_COLUMNS)
_ADVANCE_HEAD = (
    update(_HEAD)
    .where(_HEAD.c.id == bindparam("audit_head_id"))
    .values(last_hash=bindparam("audit_head_hash"), length=bindparam("audit_head_length"))
)


# PostgreSQL: the record with its further writes as CTEs, one statement per combination of built-once writes
_COMBINED: dict[tuple[UpdateBase, ...], Insert] = {}
# Built-once statements with their parameters renamed, for a held record (as sent with the next one)
_RENAMED: dict[tuple[UpdateBase, str], UpdateBase] = {}


def _renamed(bound: Bound, prefix: str) -> Bound:
    """`bound` with its parameters renamed <prefix>_<name>, so that it can travel with statements that use the
    same names (the renamed statement is built once per statement and prefix)."""
    if not bound.params:  # built per call: its parameters are anonymous, named apart when compiled
        return bound
    statement = _RENAMED.get((bound.statement, prefix))
    if statement is None:

        def rename(element: Any, **_kw: Any) -> Any:
            if isinstance(element, BindParameter) and element.key in bound.params:
                return bindparam(f"{prefix}_{element.key}", type_=element.type)
            return None

        built = cast(UpdateBase, replacement_traverse(bound.statement, {}, rename))
        statement = _RENAMED.setdefault((bound.statement, prefix), built)
    return Bound(statement, {f"{prefix}_{name}": value for name, value in bound.params.items()})


def _combined(writes: Sequence[UpdateBase]) -> Insert:
    """The record insert carrying `writes` as CTEs (cached when every write is a built-once statement)."""
    record = _RECORD
    for number, statement in enumerate(writes):
        record = record.add_cte(statement.cte(f"audit_write_{number}"))
    return record


def _take_head(session: Session, chain: int) -> tuple[str, int]:
    """Lock the chain's head (creating it on first use) and advance its length: (last hash, new record's seq)."""
    upsert = _TAKE_HEAD[session.get_bind().dialect.name]
    last_hash, seq = session.execute(upsert, {"audit_chain": chain}).one()
    return str(last_hash), int(seq)


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    subject: AuditSubject,
    details: dict[str, object],
    reason: str | Reason,
    writes: Sequence[UpdateBase | Bound] = (),
    hold: bool = False,
) -> None:
    """Append one record; locks its chain's head until commit, so appends to one chain are serialised.

    The subject is kept as its text, kind and fields (store/audit_subjects.py), all hashed.
    A Reason is kept in both languages (changzhu.store.audit_reasons); a str (a reason a person typed) as it is,
    the record saying so (reason_as_written).

    A transaction appends every record to the chain of its first one: it never waits for two head rows,
    so appends cannot deadlock one another. Ledger postings noted on the session go into this record.
    `writes` are further statements of the transaction, sent with the record in one statement on PostgreSQL;
    a `Bound` one is built once and its values sent as parameters (no statement is built per call).

    With `hold`, on PostgreSQL the record and its writes are not sent yet: they go in the statement of the next
    record appended in this transaction, which the caller must append (a transaction committed with a record
    still held would lose it). Only for writes that nothing in the transaction reads before that next record.
    """
    as_written = not isinstance(reason, Reason)
    if isinstance(reason, Reason):
        details, reason = {**details, EN_KEY: reason.en}, reason.zh
    postings = session.info.pop(_POSTINGS_KEY, None)
    if postings:
        details = {**details, "postings": postings}
    chain = session.info.setdefault(_CHAIN_KEY, chain_of(subject.text))
    tip = session.info.get(_TIP_KEY)
    if tip is None:  # first record of the transaction: lock the head
        last_hash, seq = _take_head(session, chain)
    else:  # the head is locked already: continue from this transaction's last record
        last_hash, seq = tip[0], tip[1] + 1
    at, text, named = now_iso(), canonical(details), canonical(subject.fields)
    kind = subject.kind.value
    fields = (str(chain), str(seq), at, actor, action, subject.text, text, reason, kind, named)
    digest = record_hash_v3(last_hash, *fields, reason_as_written=as_written)
    session.info[_TIP_KEY] = (digest, seq)
    written = (chain, seq, at, actor, action, subject.text, text, reason, kind, named, HASH_VERSION, as_written)
    values = (*written, last_hash, digest)
    head = {"audit_head_id": chain, "audit_head_hash": digest, "audit_head_length": seq}
    record = bind_row(_RECORD, "audit", dict(zip(_RECORD_COLUMNS, values, strict=True)))
    own = [w if isinstance(w, Bound) else Bound(w, {}) for w in writes]
    if session.get_bind().dialect.name != "postgresql":
        for b in (record, Bound(_ADVANCE_HEAD, head), *own):
            session.execute(b.statement, b.params)
        return
    held: list[list[Bound]] = session.info.pop(_HELD_KEY, [])  # per held record: it and its writes
    if hold:  # the next record advances the head past this one
        session.info[_HELD_KEY] = [*held, [_renamed(b, f"held{len(held)}") for b in (record, *own)]]
        return
    # PostgreSQL, one round trip: held records and the other writes ride as CTEs of the record's insert
    bound = [*(b for record_and_writes in held for b in record_and_writes), Bound(_ADVANCE_HEAD, head), *own]
    params = dict(record.params)
    for b in bound:
        if params.keys() & b.params.keys():
            raise ValueError(f"bind parameters sent twice with one audit record: {sorted(params.keys() & b.params)}")
        params.update(b.params)
    statements = tuple(b.statement for b in bound)
    if all(isinstance(w, Bound) for w in writes) and all(b.params for b in bound):  # built once: so is the combination
        combined = _COMBINED.get(statements)
        if combined is None:
            combined = _COMBINED.setdefault(statements, _combined(statements))
    else:
        combined = _combined(statements)
    session.execute(combined, params)


def _hash_of(row: AuditRow, prev: str) -> str | None:
    """The hash `row` should carry after `prev`, by its hash version (None: a version no writer uses)."""
    fields = (row.at, row.actor, row.action, row.subject, row.details, row.reason)
    if row.hash_version == 1:
        return record_hash(prev, row.chain, row.seq, *fields)
    if row.hash_version == 2:
        return record_hash_v2(prev, row.chain, row.seq, *fields, row.subject_kind, row.subject_fields)
    if row.hash_version == 3:
        known = (str(row.chain), str(row.seq), *fields, row.subject_kind, row.subject_fields)
        return record_hash_v3(prev, *known, reason_as_written=bool(row.reason_as_written))
    return None


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


def audit_key() -> bytes:
    """The instance's audit key (32 bytes): CHANGZHU_AUDIT_KEY (64 hex digits), else <data dir>/audit.key,
    generated with mode 600 on first use. Never stored in the database."""
    text = os.environ.get(AUDIT_KEY_ENV)
    if not text:
        path = data_dir() / AUDIT_KEY_FILE
        try:
            found = path.stat()
        except FileNotFoundError:
            create_private_once(path, (secrets.token_hex(32) + "\n").encode())
            found = path.stat()
        text = _key_text(path, found.st_ino, found.st_mtime_ns)
    return _key_bytes(text)


@lru_cache(maxsize=16)
def _key_text(path: Path, inode: int, modified_ns: int) -> str:
    """The text of a key file, read once per version of the file (a replaced or edited file is read again)."""
    return path.read_text().strip()


@lru_cache(maxsize=16)
def _key_bytes(text: str) -> bytes:
    """The 32 key bytes that `text` spells in hexadecimal, or AuditKeyError."""
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise AuditKeyError(f"{AUDIT_KEY_ENV} or {AUDIT_KEY_FILE} must hold 64 hexadecimal digits (32 bytes)")
    return key


def _checkpoint_key() -> bytes:
    return hmac.new(audit_key(), b"changzhu audit checkpoint v1", hashlib.sha256).digest()


def checkpoint_file(engine: Engine) -> Path:
    """Where the checkpoints of this database are kept: one file per database under the data directory."""
    url = engine.url.set(password=None).render_as_string(hide_password=True)
    name = hashlib.sha256(url.encode()).hexdigest()[:16]
    return data_dir() / CHECKPOINT_DIR / f"{name}.jsonl"


def _sign(body: Mapping[str, object]) -> str:
    return hmac.new(_checkpoint_key(), canonical(body).encode(), hashlib.sha256).hexdigest()


def checkpoint(engine: Engine) -> dict[str, Any]:
    """Append a signed checkpoint of every chain's (length, last hash) to the checkpoint file; returns it."""
    with session_scope(engine) as session:
        _snapshot(session)
        heads = {
            str(c): [int(n), h]
            for c, h, n in session.execute(select(_HEAD.c.id, _HEAD.c.last_hash, _HEAD.c.length).order_by(_HEAD.c.id))
        }
    body: dict[str, object] = {"at": now_iso(), "heads": heads}
    line = {**body, "signature": _sign(body)}
    path = checkpoint_file(engine)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as handle:
        handle.write(canonical(line) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return line


def _anchors(engine: Engine) -> tuple[dict[tuple[int, int], str], str | None]:
    """(chain, seq) -> hash named by the signed checkpoints, or the problem with the checkpoint file."""
    path = checkpoint_file(engine)
    anchors: dict[tuple[int, int], str] = {}
    if not path.exists():
        return anchors, None
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        try:
            line = json.loads(text)
            body = {"at": line["at"], "heads": line["heads"]}
            signature = str(line["signature"])
        except (ValueError, KeyError, TypeError):
            return anchors, f"checkpoint {number} in {path} is not a checkpoint line"
        if not hmac.compare_digest(_sign(body), signature):
            return anchors, f"checkpoint {number} in {path} does not carry a valid signature"
        for chain, (length, last_hash) in body["heads"].items():
            if int(length) > 0:
                anchors[(int(chain), int(length))] = str(last_hash)
    return anchors, None


def verify(engine: Engine) -> AuditReport:
    """Recompute every chain in order; detects edited, deleted, inserted, reordered or truncated records.

    Every signed checkpoint must still be matched: the record at each checkpointed position exists with the
    checkpointed hash, so deleting a whole chain or its tail and resetting the head shows too.
    """
    count = 0
    anchors, problem = _anchors(engine)
    if problem is not None:
        return AuditReport(False, 0, problem)
    with session_scope(engine) as session:
        _snapshot(session)
        heads = {
            int(c): (h, int(n)) for c, h, n in session.execute(select(_HEAD.c.id, _HEAD.c.last_hash, _HEAD.c.length))
        }
        if not set(range(SEEDED_CHAINS)) <= set(heads):
            missing = sorted(set(range(SEEDED_CHAINS)) - set(heads))
            return AuditReport(False, 0, f"chain heads {missing} are missing")
        tails = {c: (GENESIS, 0) for c in heads}
        for row in session.execute(select(AuditRow).order_by(AuditRow.chain, AuditRow.seq)).scalars():
            count += 1
            if row.chain not in tails:
                return AuditReport(False, count, f"record {row.id}: unknown chain {row.chain}")
            prev, seq = tails[row.chain]
            if row.prev_hash != prev or row.seq != seq + 1:
                return AuditReport(False, count, f"record {row.id}: does not follow the previous record")
            if _hash_of(row, prev) != row.hash:
                return AuditReport(False, count, f"record {row.id}: content does not match its hash")
            anchored = anchors.pop((row.chain, row.seq), None)
            if anchored is not None and anchored != row.hash:
                return AuditReport(False, count, f"chain {row.chain} record {row.seq}: differs from the checkpoint")
            tails[row.chain] = (row.hash, row.seq)
    for chain, (last_hash, length) in sorted(heads.items()):
        if tails[chain] != (last_hash, length):
            found = tails[chain][1]
            return AuditReport(False, count, f"chain {chain}: the head expects {length} records, found {found}")
    if anchors:
        (chain, seq), _hash = min(anchors.items())
        length = tails[chain][1]
        return AuditReport(False, count, f"chain {chain}: a signed checkpoint saw {seq} records, {length} remain")
    return AuditReport(True, count, None)
