"""Audit subjects kept as kinds and fields: migration 0012 gives the records already written the kind and fields
their writer now records for the same subject, their chain still verifies, a chain holding records of both hash
versions verifies, and editing a new record's kind or fields is caught."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, select, update

from changzhu.registry.migrate import upgrade
from changzhu.store import audit
from changzhu.store import audit_subjects as about
from changzhu.store.audit_subjects import AuditSubject
from changzhu.store.db import make_engine, session_scope
from changzhu.store.resident_models import AuditRow
from changzhu.store.txn import write_session

_CHAIN = 3  # a chain seeded by migration 0002: the old records all go here
_KEY = uuid.uuid4().hex
_OLD_LOG = sa.table(
    "audit_log",
    *(sa.column(c) for c in ("chain", "seq", "at", "actor", "action", "subject", "details", "reason")),
    sa.column("prev_hash"),
    sa.column("hash"),
)
_HEADS = sa.table("audit_head", sa.column("id"), sa.column("last_hash"), sa.column("length"))

# each subject as the writers recorded it before 0012, with the subject its writer records now
WRITTEN_BEFORE = [
    about.person(_KEY),
    about.person_by_id(12),
    about.user("cw_gz"),
    about.regions(["440100", "510100"]),
    about.regions(["000000"]),
    about.region("440100"),
    about.quota("440100", "points", 2026),
    about.between("440100", "510100"),
    about.voucher("FWQ-440100-0123456789abcdef", "440100", "0123456789abcdef"),
    about.table("posted", 3),
    about.table("uploaded", 1),
    about.dataset("facility"),
    about.approval(7),
    about.LEDGER,
    about.file("常住人口.xlsx"),
    about.other("person:None"),
    about.other("s"),
]


def _old_records(engine: Engine, subjects: list[AuditSubject]) -> None:
    """Write `subjects` as records of hash version 1 on one chain, as append wrote them before 0012."""
    prev = audit.GENESIS
    with engine.begin() as connection:
        for seq, subject in enumerate(subjects, start=1):
            fields = ("2026-11-30T08:00:00.000000+00:00", "test", "old.write", subject.text, "{}", "r")
            digest = audit.record_hash(prev, _CHAIN, seq, *fields)
            row = dict(zip(("at", "actor", "action", "subject", "details", "reason"), fields, strict=True))
            connection.execute(_OLD_LOG.insert().values(chain=_CHAIN, seq=seq, prev_hash=prev, hash=digest, **row))
            prev = digest
        connection.execute(_HEADS.update().where(_HEADS.c.id == _CHAIN).values(last_hash=prev, length=len(subjects)))


@pytest.fixture
def migrated(database_url: str) -> Engine:
    """A database with records written before 0012, migrated to the head."""
    engine = make_engine(database_url)
    upgrade(engine, "0011")
    _old_records(engine, WRITTEN_BEFORE)
    upgrade(engine)
    return engine


def test_the_migration_gives_old_records_the_kind_their_writer_records_now(migrated: Engine) -> None:
    with session_scope(migrated) as session:
        rows = session.execute(
            select(AuditRow.subject, AuditRow.subject_kind, AuditRow.subject_fields, AuditRow.hash_version)
            .where(AuditRow.chain == _CHAIN)
            .order_by(AuditRow.seq)
        ).all()
    expected = [(s.text, s.kind.value, audit.canonical(s.fields), 1) for s in WRITTEN_BEFORE]
    assert [tuple(r) for r in rows] == expected
    assert audit.verify(migrated).ok


def _on_chain(chain: int) -> AuditSubject:
    """A subject whose records go to `chain`."""
    return next(s for n in range(100_000) if audit.chain_of((s := about.other(f"mixed-{n}")).text) == chain)


def test_a_chain_of_old_and_new_records_verifies_and_a_new_records_subject_is_hashed(migrated: Engine) -> None:
    subject = _on_chain(_CHAIN)
    with write_session(migrated) as session:
        audit.append(session, actor="test", action="new.write", subject=subject, details={}, reason="r")
        audit.append(session, actor="test", action="new.write", subject=about.region("510100"), details={}, reason="r")
    with session_scope(migrated) as session:
        versions = session.execute(
            select(AuditRow.hash_version).where(AuditRow.chain == _CHAIN).order_by(AuditRow.seq)
        ).scalars()
        assert list(versions) == [1] * len(WRITTEN_BEFORE) + [audit.HASH_VERSION] * 2
        newest = session.execute(select(AuditRow).where(AuditRow.chain == _CHAIN).order_by(AuditRow.seq.desc()))
        row = newest.scalars().first()
        assert row is not None and (row.subject, row.subject_kind) == ("510100", "region")
        kept = {
            "subject_kind": row.subject_kind,
            "subject_fields": row.subject_fields,
            "hash_version": row.hash_version,
        }
    assert audit.verify(migrated).ok
    for column, edited in (
        ("subject_kind", "person"),
        ("subject_fields", '{"regions":["440100"]}'),
        ("hash_version", 1),
    ):
        with session_scope(migrated) as session:
            session.execute(update(AuditRow).where(AuditRow.id == row.id).values({column: edited}))
        report = audit.verify(migrated)
        assert not report.ok and f"record {row.id}: content does not match its hash" == report.problem, column
        with session_scope(migrated) as session:
            session.execute(update(AuditRow).where(AuditRow.id == row.id).values(kept))
    assert audit.verify(migrated).ok
