"""`transfer` runs the application and the completion in one transaction: each keeps its own key, stored result
and audit record, so the two-step calls replay it, and a refusal of either step leaves nothing behind."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from changzhu.casework.worked_example import example_id
from changzhu.ledger.accounts import balances_frame
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.transfers import TransferScheme, apply_transfer, complete_transfer, transfer
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.audit import append, verify
from changzhu.store.audit_subjects import other
from changzhu.store.checks import RegistryError
from changzhu.store.db import session_scope
from changzhu.store.resident_models import AuditRow, LedgerTransactionRow, TransferRow
from changzhu.store.txn import write_session

ON = date(2025, 1, 1)


def _contributor(engine: Engine, born: date, months: int) -> str:
    reg = Registration(example_id("510104", born, 3), "510100", "510100", date(2010, 1, 1), ProofKind.HOUSING, "d", {})
    key = str(register_resident(engine, reg, actor="t")["person_key"])
    paid = [MonthPaid(201500 + m, 400_000) for m in range(1, months + 1)]
    record_contributions(engine, key, Scheme.PENSION, "510100", paid, actor="t")
    return key


def _keys(engine: Engine, transfer_no: str) -> dict[str, str]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(LedgerTransactionRow.idempotency_key, LedgerTransactionRow.kind).where(
                LedgerTransactionRow.idempotency_key.startswith(f"{transfer_no}:")
            )
        ).all()
    return {key: kind for key, kind in rows}


def test_one_call_replays_through_the_two_steps(engine: Engine) -> None:
    key = _contributor(engine, date(1988, 8, 8), 6)
    done = transfer(engine, key, TransferScheme.PENSION, "510100", "440300", ON, transfer_no="T-1", actor="t")
    assert not done["replayed"] and done["status"] == "completed" and done["months"] == 6
    assert _keys(engine, "T-1") == {"T-1:apply": "transfer.apply", "T-1:complete": "transfer.complete"}
    applied = apply_transfer(engine, key, TransferScheme.PENSION, "510100", "440300", ON, transfer_no="T-1", actor="t")
    assert applied["replayed"] and applied["status"] == "applied"
    completed = complete_transfer(engine, "T-1", actor="t")
    assert completed == {**done, "replayed": True}
    assert transfer(engine, key, TransferScheme.PENSION, "510100", "440300", ON, transfer_no="T-1", actor="t") == {
        **done,
        "replayed": True,
    }
    with session_scope(engine) as s:
        assert s.execute(select(TransferRow.status, TransferRow.amounts)).one() == (
            "completed",
            {"months": 6, "individual_fen": 6 * 32_000, "pooled_fen": 6 * 48_000},
        )
        actions = s.execute(select(AuditRow.action).where(AuditRow.subject == key).order_by(AuditRow.seq)).scalars()
        assert [a for a in actions if a.startswith("transfer")] == ["transfer.apply", "transfer.complete"]
    balances = {r["account"]: r["balance"] for r in balances_frame(engine).iter_rows(named=True)}
    assert balances[f"P:{key}:pension_months:440300"] == 6 and balances[f"P:{key}:pension_months:510100"] == 0
    assert ledger_problems(engine) == [] and verify(engine).ok


def test_one_call_after_a_separate_application(engine: Engine) -> None:
    key = _contributor(engine, date(1988, 8, 8), 4)
    apply_transfer(engine, key, TransferScheme.PENSION, "510100", "440300", ON, transfer_no="T-2", actor="t")
    done = transfer(engine, key, TransferScheme.PENSION, "510100", "440300", ON, transfer_no="T-2", actor="t")
    assert not done["replayed"] and done["months"] == 4
    assert ledger_problems(engine) == [] and verify(engine).ok


def test_a_refused_step_leaves_nothing(engine: Engine) -> None:
    key = _contributor(engine, date(1988, 8, 8), 4)
    with pytest.raises(RegistryError, match="holds no pension record"):
        transfer(engine, key, TransferScheme.PENSION, "320500", "440300", ON, transfer_no="T-3", actor="t")
    assert _keys(engine, "T-3") == {}
    with session_scope(engine) as s:
        assert s.execute(select(func.count()).select_from(TransferRow)).scalar_one() == 0
    done = transfer(engine, key, TransferScheme.PENSION, "510100", "440300", ON, transfer_no="T-4", actor="t")
    assert done["months"] == 4 and ledger_problems(engine) == [] and verify(engine).ok


def test_a_held_audit_record_is_sent_or_nothing_commits(engine: Engine) -> None:
    """On PostgreSQL a held record travels with the next one; a transaction ending with one held does not commit
    (on SQLite a record is written at once, held or not)."""
    postgres = engine.dialect.name == "postgresql"
    with session_scope(engine) as s:
        before = s.execute(select(func.count()).select_from(AuditRow)).scalar_one()
    if postgres:
        with pytest.raises(AssertionError, match="held"), write_session(engine) as session:
            append(session, actor="t", action="test.held", subject=other("s"), details={}, reason="r", hold=True)
    else:
        with write_session(engine) as session:
            append(session, actor="t", action="test.held", subject=other("s"), details={}, reason="r", hold=True)
    with session_scope(engine) as s:
        after = s.execute(select(func.count()).select_from(AuditRow)).scalar_one()
    assert after == before + (0 if postgres else 1) and verify(engine).ok
    with write_session(engine) as session:
        append(session, actor="t", action="test.held", subject=other("s"), details={}, reason="r", hold=True)
        append(session, actor="t", action="test.next", subject=other("s"), details={}, reason="r")
    with session_scope(engine) as s:
        actions = s.execute(select(AuditRow.action).where(AuditRow.subject == "s").order_by(AuditRow.seq)).scalars()
        assert list(actions)[-2:] == ["test.held", "test.next"]
    assert verify(engine).ok


@pytest.mark.parametrize("scheme", [TransferScheme.PENSION, TransferScheme.MEDICAL])
def test_a_second_application_from_a_place_with_one_open_is_refused(engine: Engine, scheme: TransferScheme) -> None:
    """The office took the same transfer four times while the first waited (four open on the resident's statement):
    an application to take over what a place holds is refused while another from that place is open, in two steps
    or in one; once the first is completed the place holds nothing more, and nothing was written by the refusals."""
    born = example_id("510104", date(1990, 2, 2), 5)
    reg = Registration(born, "510100", "510100", date(2010, 1, 1), ProofKind.HOUSING, "d", {})
    key = str(register_resident(engine, reg, actor="t")["person_key"])
    paid = [MonthPaid(201500 + m, 400_000) for m in range(1, 5)]
    record_contributions(engine, key, Scheme(scheme.value), "510100", paid, actor="t")
    apply_transfer(engine, key, scheme, "510100", "440300", ON, transfer_no="T-8", actor="t")
    for again in ("440300", "320500"):  # the same way again, or the same holdings to another place
        with pytest.raises(RegistryError, match="already open"):
            apply_transfer(engine, key, scheme, "510100", again, ON, transfer_no=f"T-9{again}", actor="t")
        with pytest.raises(RegistryError, match="already open"):
            transfer(engine, key, scheme, "510100", again, ON, transfer_no=f"T-10{again}", actor="t")
    with session_scope(engine) as s:
        assert s.execute(select(TransferRow.transfer_no, TransferRow.status)).all() == [("T-8", "applied")]
    assert complete_transfer(engine, "T-8", actor="t")["status"] == "completed"
    with pytest.raises(RegistryError, match="holds no"):
        apply_transfer(engine, key, scheme, "510100", "440300", ON, transfer_no="T-11", actor="t")
    assert ledger_problems(engine) == [] and verify(engine).ok
