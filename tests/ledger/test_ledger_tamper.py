"""Tamper evidence: each hole first reproduced (the tampering), then shown to be caught."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import Engine, delete, select, update

from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.vouchers import VoucherError, issue_voucher, redeem_voucher
from changzhu.registry.identity import check_char
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store import audit
from changzhu.store.db import session_scope
from changzhu.store.resident_models import (
    AuditHeadRow,
    AuditRow,
    LedgerEntryRow,
    LedgerTransactionRow,
    VoucherRow,
)


def _person(engine: Engine, serial: int = 1) -> str:
    first17 = f"51010419900101{serial:03d}"
    reg = Registration(first17 + check_char(first17), "510100", "510100", date(2020, 1, 1), ProofKind.HOUSING, "x", {})
    return str(register_resident(engine, reg, actor="test")["person_key"])


def _pay(engine: Engine, key: str, months: int = 3) -> None:
    paid = [MonthPaid(202401 + m, 800000) for m in range(months)]
    record_contributions(engine, key, Scheme.PENSION, "510100", paid, actor="test")


def test_deleting_a_whole_chain_and_resetting_its_head_fails_verify(engine: Engine) -> None:
    key = _person(engine)
    _pay(engine, key)
    audit.checkpoint(engine)
    with session_scope(engine) as session:
        chain = session.scalar(select(AuditRow.chain).where(AuditRow.subject == key).limit(1))
        session.execute(delete(AuditRow).where(AuditRow.chain == chain))
        session.execute(update(AuditHeadRow).where(AuditHeadRow.id == chain).values(last_hash=audit.GENESIS, length=0))
    report = audit.verify(engine)
    assert not report.ok and f"chain {chain}: a signed checkpoint saw" in str(report.problem)


def test_deleting_a_chain_tail_fails_verify(engine: Engine) -> None:
    key = _person(engine)
    _pay(engine, key)
    audit.checkpoint(engine)
    with session_scope(engine) as session:
        last = session.execute(
            select(AuditRow.chain, AuditRow.seq, AuditRow.prev_hash)
            .where(AuditRow.subject == key)
            .order_by(AuditRow.seq.desc())
        ).first()
        assert last is not None
        chain, seq, prev = last
        session.execute(delete(AuditRow).where(AuditRow.chain == chain, AuditRow.seq == seq))
        session.execute(update(AuditHeadRow).where(AuditHeadRow.id == chain).values(last_hash=prev, length=seq - 1))
    report = audit.verify(engine)
    assert not report.ok and "checkpoint" in str(report.problem)


def test_a_forged_checkpoint_is_refused(engine: Engine) -> None:
    _pay(engine, _person(engine))
    line = audit.checkpoint(engine)
    path = audit.checkpoint_file(engine)
    forged = {**line, "heads": {c: [0, audit.GENESIS] for c in line["heads"]}}  # type: ignore[attr-defined]
    path.write_text(json.dumps(forged) + "\n")
    assert "valid signature" in str(audit.verify(engine).problem)


def test_moving_money_inside_a_balanced_transaction_fails_check(engine: Engine) -> None:
    key = _person(engine)
    _pay(engine, key)
    assert ledger_problems(engine) == []
    with session_scope(engine) as session:  # take 100 yuan from the individual account, add it to the pool
        entries = list(
            session.scalars(select(LedgerEntryRow).where(LedgerEntryRow.unit == "fen").order_by(LedgerEntryRow.id))
        )
        individual, pooled = entries[1], entries[2]
        individual.amount -= 10000
        pooled.amount += 10000
    problems = ledger_problems(engine)
    assert any("entries differ from those recorded in the audit log" in p for p in problems), problems


def test_unredeeming_a_voucher_is_detected_and_it_cannot_be_redeemed_again(engine: Engine) -> None:
    key = _person(engine)
    issued = issue_voucher(engine, key, "510100", "托育", 50000, date(2026, 1, 1), date(2027, 1, 1), actor="test")
    number = str(issued["voucher_no"])
    redeem_voucher(engine, number, "幼儿园", "510100", date(2026, 2, 1), actor="test", key="r1")
    assert ledger_problems(engine) == []
    with session_scope(engine) as session:  # delete the redemption's entries and un-redeem the voucher
        txn = session.scalar(select(LedgerTransactionRow.id).where(LedgerTransactionRow.idempotency_key == "r1"))
        session.execute(delete(LedgerEntryRow).where(LedgerEntryRow.transaction_id == txn))
        session.execute(
            update(VoucherRow)
            .where(VoucherRow.voucher_no == number)
            .values(status="issued", provider=None, provider_region=None, redeemed_on=None)
        )
    problems = ledger_problems(engine)
    assert any(f"voucher {number}: status issued, but a redemption" in p for p in problems), problems
    assert any("entries differ from those recorded" in p for p in problems), problems
    with pytest.raises(VoucherError, match="already redeemed"):
        redeem_voucher(engine, number, "另一家", "510100", date(2026, 3, 1), actor="test", key="r2")


def test_the_audit_log_holds_idempotency_keys_only_hashed(engine: Engine) -> None:
    key = _person(engine)
    paid = [MonthPaid(202401, 800000)]
    secret_key = "contrib-510104199001010016-2024"
    record_contributions(engine, key, Scheme.PENSION, "510100", paid, actor="test", key=secret_key)
    with session_scope(engine) as session:
        texts = list(session.scalars(select(AuditRow.details)))
    assert not any(secret_key in t for t in texts)
    assert any(audit.keyed_hash(secret_key) in t for t in texts)
