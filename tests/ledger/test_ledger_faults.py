"""Fault injection: a process SIGKILLed in the middle of a transfer leaves nothing half-done; the retry
applies the transfer exactly once. Both ways of transferring: the two steps (apply, then complete, one transaction
each) and `transfer` (both steps in one transaction)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from sqlalchemy import Engine, func, select

from changzhu.casework.worked_example import example_id
from changzhu.ledger.accounts import balances_frame
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.transfers import TransferScheme, transfer
from changzhu.registry.residents import ProofKind, Registration, register_resident
from changzhu.store.audit import verify
from changzhu.store.db import session_scope
from changzhu.store.resident_models import LedgerTransactionRow, TransferRow

CHILD = textwrap.dedent("""
    import os, signal, sys
    from datetime import date
    import changzhu.store.audit as audit
    from changzhu.ledger.transfers import TransferScheme, apply_transfer, complete_transfer, transfer
    from changzhu.store.db import make_engine

    real_append = audit.append
    def dying_append(session, **kw):
        if kw["action"] == "transfer.complete":
            session.flush()  # the legs and re-homed months are written to the database: now die
            os.kill(os.getpid(), signal.SIGKILL)
        real_append(session, **kw)
    audit.append = dying_append
    engine, args = make_engine(sys.argv[1]), (sys.argv[2], TransferScheme.PENSION, "510100", "440300", date(2025, 1, 1))
    if sys.argv[3] == "two steps":
        apply_transfer(engine, *args, transfer_no="T-KILL", actor="child")
        complete_transfer(engine, "T-KILL", actor="child")
    else:
        transfer(engine, *args, transfer_no="T-KILL", actor="child")
""")


@pytest.mark.parametrize("way", ["two steps", "one call"])
def test_sigkill_mid_transfer_then_retry(engine: Engine, way: str) -> None:
    reg = Registration(
        example_id("510104", date(1988, 8, 8), 7), "510100", "510100", date(2010, 1, 1), ProofKind.HOUSING, "deed", {}
    )
    key = str(register_resident(engine, reg, actor="f")["person_key"])
    record_contributions(
        engine, key, Scheme.PENSION, "510100", [MonthPaid(201500 + m, 400_000) for m in range(1, 13)], actor="f"
    )
    before = balances_frame(engine)
    url = engine.url.render_as_string(hide_password=False)
    child = subprocess.run([sys.executable, "-c", CHILD, url, key, way], capture_output=True, text=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    with session_scope(engine) as s:
        status = s.execute(select(TransferRow.status).where(TransferRow.transfer_no == "T-KILL")).scalar()
        keys = s.execute(
            select(func.count()).where(LedgerTransactionRow.idempotency_key.startswith("T-KILL:"))
        ).scalar_one()
    if way == "two steps":  # the application committed, the completion did not
        assert (status, keys) == ("applied", 1)
    else:  # one transaction: neither step committed
        assert (status, keys) == (None, 0)
    assert balances_frame(engine).equals(before)
    assert ledger_problems(engine) == [] and verify(engine).ok
    done = transfer(
        engine, key, TransferScheme.PENSION, "510100", "440300", date(2025, 1, 1), transfer_no="T-KILL", actor="retry"
    )
    again = transfer(
        engine, key, TransferScheme.PENSION, "510100", "440300", date(2025, 1, 1), transfer_no="T-KILL", actor="retry"
    )
    assert not done["replayed"] and again["replayed"] and done["months"] == 12
    balances = {r["account"]: r["balance"] for r in balances_frame(engine).iter_rows(named=True)}
    assert balances[f"P:{key}:pension_months:440300"] == 12
    assert balances[f"P:{key}:pension_months:510100"] == 0
    assert balances["F:pension_pooled:440300"] == 12 * 400_000 * 12 // 100  # 12% moved once
    assert ledger_problems(engine) == [] and verify(engine).ok
