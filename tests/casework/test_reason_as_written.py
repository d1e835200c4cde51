"""Whether a reason is a person's own words is stored by its writer (reason_as_written), never guessed from its two
languages holding the same text: applications, their events and audit records; migration 0015 classifies the rows
written before it, and the flag of a new audit record is under its hash."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, select, update

from changzhu.casework import application_records as records
from changzhu.casework.applications import Action, ApplicationKind
from changzhu.registry.identity import check_char
from changzhu.registry.migrate import downgrade, upgrade
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store import audit
from changzhu.store import audit_subjects as about
from changzhu.store.application_models import ApplicationEventRow, ApplicationRow
from changzhu.store.audit_reasons import because
from changzhu.store.db import make_engine, session_scope
from changzhu.store.resident_models import AuditRow, PersonRow
from changzhu.store.txn import write_session

FACTS = {"employed": True, "education": "bachelor", "housing": "rented", "income_per_capita_month": 5200.0,
         "criminal_record": False}  # fmt: skip
TYPED = "社保缴费记录与单位证明不一致"


def _resident(engine: Engine, serial: str = "002") -> PersonRow:
    first17 = f"51010419900101{serial}"
    number = first17 + check_char(first17)
    reg = Registration(number, "510100", "440100", date(2020, 1, 1), ProofKind.HOUSING, "x", FACTS)
    key = str(register_resident(engine, reg, actor="test")["person_key"])
    with session_scope(engine) as session:
        person = session.scalars(select(PersonRow).where(PersonRow.person_key == key)).one()
        session.expunge(person)
    return person


def _audit_of(engine: Engine, action: str) -> AuditRow:
    with session_scope(engine) as session:
        row = session.scalars(select(AuditRow).where(AuditRow.action == action).order_by(AuditRow.id.desc())).first()
        assert row is not None, action
        session.expunge(row)
    return row


def test_a_typed_reason_is_stored_as_written_and_a_drafted_one_is_not(engine: Engine) -> None:
    person = _resident(engine)
    made = records.submit(engine, person, ApplicationKind.RESIDENCE_PERMIT, None, "cw_gz")
    records.transition(engine, made["id"], Action.REVIEW, None, "cw_gz")
    approved = records.transition(engine, made["id"], Action.APPROVE, None, "cw_gz")  # the drafted reason
    assert approved["reason_as_written"] is False and approved["reason_zh"] != approved["reason_en"]
    assert [e["reason_as_written"] for e in approved["events"]] == [False, False, False]
    assert _audit_of(engine, "application_approve").reason_as_written is False
    other = records.submit(engine, person, ApplicationKind.RESIDENCE_PERMIT, None, "cw_gz")
    records.transition(engine, other["id"], Action.REVIEW, None, "cw_gz")
    own = records.transition(engine, other["id"], Action.APPROVE, f"  {TYPED} ", "cw_gz")
    assert own["reason_as_written"] is True and own["reason_zh"] == own["reason_en"] == TYPED
    assert own["events"][-1]["reason_as_written"] is True
    assert records.view(*records.load(engine, other["id"]))["reason_as_written"] is True
    said = _audit_of(engine, "application_approve")
    assert said.reason_as_written is True and said.reason == TYPED and "reason_en" not in json.loads(said.details)
    assert audit.verify(engine).ok


def test_a_drafted_reason_with_the_same_text_in_both_languages_is_not_as_written(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rules' draft whose Chinese and English happen to be one text (a reason of codes and figures, a policy set
    written in one language) is the office's text, not a caseworker's: the flag says so, and the audit record keeps
    it in both languages."""
    person = _resident(engine)
    made = records.submit(engine, person, ApplicationKind.RESIDENCE_PERMIT, None, "cw_gz")
    records.transition(engine, made["id"], Action.REVIEW, None, "cw_gz")
    checked = records.precheck

    def one_text(*args: Any) -> Any:
        found = checked(*args)
        return replace(found, reason_en=found.reason_zh)

    monkeypatch.setattr(records, "precheck", one_text)
    approved = records.transition(engine, made["id"], Action.APPROVE, None, "cw_gz")
    assert approved["reason_zh"] == approved["reason_en"]  # the same text in both fields, as a typed one has
    assert approved["reason_as_written"] is False and approved["events"][-1]["reason_as_written"] is False
    said = _audit_of(engine, "application_approve")
    assert said.reason_as_written is False and json.loads(said.details)["reason_en"] == approved["reason_en"]


def test_a_new_audit_record_hashes_whether_its_reason_is_as_written(engine: Engine) -> None:
    subject = about.other(f"as-written-{uuid.uuid4().hex}")
    with write_session(engine) as session:
        audit.append(session, actor="test", action="note.typed", subject=subject, details={}, reason="核对无误")
        audit.append(session, actor="test", action="note.coded", subject=subject, details={}, reason=because("upload"))
    typed, coded = _audit_of(engine, "note.typed"), _audit_of(engine, "note.coded")
    assert (typed.reason_as_written, coded.reason_as_written) == (True, False)
    assert typed.hash_version == coded.hash_version == audit.HASH_VERSION == 3
    assert audit.verify(engine).ok
    with session_scope(engine) as session:
        session.execute(update(AuditRow).where(AuditRow.id == coded.id).values(reason_as_written=True))
    report = audit.verify(engine)
    assert not report.ok and report.problem == f"record {coded.id}: content does not match its hash"


_PERSONS = sa.table(
    "persons",
    *(sa.column(c) for c in ("id", "person_key", "id_hash", "id_cipher", "sex", "birth_date", "hukou_region")),
    *(sa.column(c) for c in ("residence_region", "residence_since", "prior_residence_months", "created_at")),
)
_APPLICATIONS = sa.table(
    "applications",
    *(sa.column(c) for c in ("id", "person_id", "kind", "region", "status", "reason_zh", "reason_en")),
    sa.column("precheck", sa.JSON),
    *(sa.column(c) for c in ("submitted_by", "submitted_at", "updated_at")),
)
_EVENTS = sa.table(
    "application_events",
    *(sa.column(c) for c in ("id", "application_id", "action", "to_status", "actor", "reason_zh", "reason_en")),
    *(sa.column(c) for c in ("policy_version", "at")),
    sa.column("parameters", sa.JSON),
)
_LOG = sa.table(
    "audit_log",
    *(sa.column(c) for c in ("chain", "seq", "at", "actor", "action", "subject", "details", "reason")),
    *(sa.column(c) for c in ("subject_kind", "subject_fields", "hash_version", "prev_hash", "hash")),
)
_HEADS = sa.table("audit_head", sa.column("id"), sa.column("last_hash"), sa.column("length"))
_CHAIN = 5  # a chain seeded by migration 0002
AT = "2026-12-02T08:00:00.000000+00:00"
# (id, reason_zh, reason_en, as written after 0015): typed (one text in both), drafted (two templates), no reason
OLD_REASONS = [(1, TYPED, TYPED, True), (2, "经审核，符合条件。", "Reviewed: eligible.", False), (3, None, None, False)]
# audit records as written before 0015: (action, reason, details, as written after 0015)
OLD_RECORDS = [
    ("application_reject", TYPED, {"application_id": 1}, True),  # a caseworker's reason, one text
    ("application_approve", "经审核，符合条件。", {"reason_en": "Reviewed: eligible."}, False),  # drafted
    ("application_appeal", "我已补交社保证明", {"application_id": 1}, True),  # the applicant's grounds
    ("approval.approve", "核对无误", {"kind": "move"}, True),  # a checker's note
    ("interregion_resend", "对方确认未收到", {"message_id": "m-1"}, True),  # a caseworker resolving a message
    ("register", "常住地登记", {"residence_region": "440100"}, False),  # a record before reasons had two languages
    ("read_personal_data", "查看申请", {"reason_en": "read application"}, False),
]


def _write_before_0015(engine: Engine) -> None:
    """Applications, events and version 2 audit records as the writers before 0015 stored them."""
    prev = audit.GENESIS
    with engine.begin() as connection:
        connection.execute(
            _PERSONS.insert().values(
                id=1,
                person_key=uuid.uuid4().hex,
                id_hash="h" * 64,
                id_cipher=b"x",
                sex="F",
                birth_date=date(1990, 1, 1),
                hukou_region="510100",
                residence_region="440100",
                residence_since=date(2020, 1, 1),
                prior_residence_months=0,
                created_at=AT,
            )
        )
        for number, zh, en, _ in OLD_REASONS:
            connection.execute(
                _APPLICATIONS.insert().values(
                    id=number,
                    person_id=1,
                    kind="points",
                    region="440100",
                    status="rejected",
                    precheck={},
                    reason_zh=zh,
                    reason_en=en,
                    submitted_by="cw_gz",
                    submitted_at=AT,
                    updated_at=AT,
                )
            )
            connection.execute(
                _EVENTS.insert().values(
                    id=number,
                    application_id=number,
                    action="reject",
                    to_status="rejected",
                    actor="cw_gz",
                    reason_zh=zh,
                    reason_en=en,
                    policy_version="p",
                    parameters={},
                    at=AT,
                )
            )
        for seq, (action, reason, details, _) in enumerate(OLD_RECORDS, start=1):
            text = audit.canonical(details)
            fields = (AT, "user:cw_gz", action, "other", text, reason, "other", "{}")
            digest = audit.record_hash_v2(prev, _CHAIN, seq, *fields)
            values = dict(zip(("at", "actor", "action", "subject", "details", "reason"), fields, strict=False))
            connection.execute(
                _LOG.insert().values(
                    chain=_CHAIN,
                    seq=seq,
                    subject_kind="other",
                    subject_fields="{}",
                    hash_version=2,
                    prev_hash=prev,
                    hash=digest,
                    **values,
                )
            )
            prev = digest
        head = _HEADS.update().where(_HEADS.c.id == _CHAIN)
        connection.execute(head.values(last_hash=prev, length=len(OLD_RECORDS)))


def test_migration_0015_classifies_the_reasons_written_before_it(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0014")
    _write_before_0015(engine)
    upgrade(engine, "0015")
    expected = {number: flag for number, _, _, flag in OLD_REASONS}
    with session_scope(engine) as session:
        applications = {i: f for i, f in session.execute(select(ApplicationRow.id, ApplicationRow.reason_as_written))}
        events = {
            i: f for i, f in session.execute(select(ApplicationEventRow.id, ApplicationEventRow.reason_as_written))
        }
        query = select(AuditRow.reason_as_written).where(AuditRow.chain == _CHAIN).order_by(AuditRow.seq)
        flags = list(session.execute(query).scalars())
    assert applications == events == expected
    assert flags == [flag for *_, flag in OLD_RECORDS]
    assert audit.verify(engine).ok  # the old records keep their hash (version 2 does not cover the flag)
    downgrade(engine, "0014")
    assert "reason_as_written" not in {c["name"] for c in sa.inspect(engine).get_columns("audit_log")}
    upgrade(engine)
    with session_scope(engine) as session:
        assert session.scalar(select(ApplicationRow.reason_as_written).where(ApplicationRow.id == 1)) is True
    engine.dispose()
