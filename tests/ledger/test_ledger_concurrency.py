"""Concurrent workers: a voucher is redeemed once, transfers of one account do not interleave, no update lost."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlalchemy import Engine

from changzhu.casework.worked_example import example_id
from changzhu.errors import ChangzhuError
from changzhu.ledger.accounts import balances_frame
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.transfers import TransferScheme, transfer
from changzhu.ledger.vouchers import issue_voucher, redeem_voucher
from changzhu.registry.residents import ProofKind, Registration, register_resident

WORKERS = 16


def _person(engine: Engine, seq: int) -> str:
    reg = Registration(
        example_id("510104", date(1990, 1, 1), seq), "510100", "510100", date(2010, 1, 1), ProofKind.HOUSING, "deed", {}
    )
    return str(register_resident(engine, reg, actor="c")["person_key"])


def _attempt(fn, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    try:
        fn(*args, **kwargs)
        return "ok"
    except ChangzhuError as exc:
        return type(exc).__name__


def test_no_double_spend(engine: Engine) -> None:
    holder = _person(engine, 1)
    vouchers = [
        str(
            issue_voucher(engine, holder, "510100", "care", 10_000, date(2025, 1, 1), date(2027, 1, 1), actor="c")[
                "voucher_no"
            ]
        )
        for _ in range(3)
    ]
    jobs = [(v, w) for v in vouchers for w in range(WORKERS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        outcomes = list(
            pool.map(
                lambda j: _attempt(
                    redeem_voucher,
                    engine,
                    j[0],
                    f"provider-{j[1]}",
                    "510100",
                    date(2025, 6, 1),
                    actor="c",
                    key=f"r-{j[0]}-{j[1]}",
                ),
                jobs,
            )
        )
    assert outcomes.count("ok") == len(vouchers)
    assert set(outcomes) == {"ok", "VoucherError"}
    providers = balances_frame(engine, prefix="H:")
    assert providers["balance"].sum() == 10_000 * len(vouchers)
    assert ledger_problems(engine) == []


def test_concurrent_transfers_and_contributions(engine: Engine) -> None:
    people = [_person(engine, 3 + 2 * i) for i in range(3)]
    for p in people:
        record_contributions(
            engine, p, Scheme.PENSION, "510100", [MonthPaid(2010 * 100 + m, 500_000) for m in range(1, 13)], actor="c"
        )

    def work(i: int) -> str:
        p = people[i % len(people)]
        if i % 2:
            months = [
                MonthPaid(((2011 * 12 + 2 * i + j) // 12) * 100 + (2 * i + j) % 12 + 1, 600_000) for j in range(2)
            ]
            return _attempt(record_contributions, engine, p, Scheme.PENSION, "440300", months, actor="c")
        return _attempt(
            transfer,
            engine,
            p,
            TransferScheme.PENSION,
            "510100",
            "440300",
            date(2025, 1, 1),
            transfer_no=f"t-{i}",
            actor="c",
        )

    with ThreadPoolExecutor(WORKERS) as pool:
        outcomes = list(pool.map(work, range(4 * WORKERS)))
    assert all(outcomes[i] == "ok" for i in range(1, 4 * WORKERS, 2))  # every contribution went through
    assert ledger_problems(engine) == []
    balances = balances_frame(engine)
    for p in people:
        mine = {r["account"]: r["balance"] for r in balances.iter_rows(named=True) if r["account"].startswith(f"P:{p}")}
        contributed = sum(1 for i in range(1, 4 * WORKERS, 2) if people[i % len(people)] == p) * 2
        assert mine.get(f"P:{p}:pension_months:510100", 0) == 0  # moved exactly once, nothing left behind
        assert mine[f"P:{p}:pension_months:440300"] == 12 + contributed
        # 12 months at base 5,000 yuan, 8% each, moved in full exactly once
        assert mine[f"P:{p}:pension_individual:440300"] == 12 * 40_000 + contributed * 48_000
