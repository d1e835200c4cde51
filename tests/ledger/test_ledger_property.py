"""Property: for any sequence of moves, contributions, transfers and vouchers, every unit is conserved, every
balance agrees with its records, and no contribution month is lost or counted twice."""

from __future__ import annotations

import itertools
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from changzhu.casework.worked_example import example_id
from changzhu.errors import ChangzhuError
from changzhu.ledger.accounts import balances_frame, totals_by_unit
from changzhu.ledger.checks import ledger_problems
from changzhu.ledger.contributions import MonthPaid, Scheme, record_contributions
from changzhu.ledger.transfers import TransferScheme, transfer
from changzhu.ledger.vouchers import clear_vouchers, issue_voucher, redeem_voucher
from changzhu.registry.residents import ProofKind, Registration, record_move, register_resident
from changzhu.store.db import session_scope
from changzhu.store.resident_models import ContributionMonthRow, PersonRow

REGIONS = ("510100", "440300", "320500")
_serial = itertools.count(1)

op = st.one_of(
    st.tuples(
        st.just("contribute"),
        st.integers(0, 2),
        st.sampled_from(["pension", "medical"]),
        st.integers(0, 2),
        st.integers(1990, 2024),
        st.integers(1, 30),
        st.integers(1_000, 20_000),
    ),
    st.tuples(st.just("move"), st.integers(0, 2), st.integers(0, 2)),
    st.tuples(
        st.just("transfer"),
        st.integers(0, 2),
        st.sampled_from(["pension", "medical"]),
        st.integers(0, 2),
        st.integers(0, 2),
    ),
    st.tuples(st.just("voucher"), st.integers(0, 2), st.integers(0, 2), st.integers(1, 5_000)),
    st.tuples(st.just("redeem"), st.integers(0, 5), st.integers(0, 2)),
    st.tuples(st.just("clear"), st.integers(0, 2), st.integers(0, 2)),
)


def _months(year: int, count: int, base: int) -> list[MonthPaid]:
    out = []
    for i in range(count):
        y, m = divmod(year * 12 + i, 12)
        out.append(MonthPaid(y * 100 + m + 1, base * 100))
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(op, min_size=1, max_size=14))
def test_conservation(engine: Engine, ops: list[tuple]) -> None:  # type: ignore[type-arg]
    people = []
    for i in range(3):
        n = next(_serial)
        number = example_id("510104", date(1950 + n % 40, 1 + n % 12, 1 + n % 28), n % 1000)
        reg = Registration(number, REGIONS[i], REGIONS[i], date(1990, 1, 1), ProofKind.HOUSING, "deed", {})
        people.append(str(register_resident(engine, reg, actor="h", key=f"p-{n}")["person_key"]))
    vouchers: list[str] = []
    for step, o in enumerate(ops):
        k = f"{people[0]}-{step}"
        try:
            if o[0] == "contribute":
                _, p, scheme, r, year, count, base = o
                record_contributions(
                    engine, people[p], Scheme(scheme), REGIONS[r], _months(year, count, base), actor="h", key=k
                )
            elif o[0] == "move":
                record_move(
                    engine, people[o[1]], REGIONS[o[2]], date(2025, 1, 1), ProofKind.HOUSING, "d", actor="h", key=k
                )
            elif o[0] == "transfer":
                _, p, scheme, a, b = o
                transfer(
                    engine,
                    people[p],
                    TransferScheme(scheme),
                    REGIONS[a],
                    REGIONS[b],
                    date(2025, 2, 1),
                    transfer_no=k,
                    actor="h",
                )
                # a retry of a completed transfer is a no-op
                assert transfer(
                    engine,
                    people[p],
                    TransferScheme(scheme),
                    REGIONS[a],
                    REGIONS[b],
                    date(2025, 2, 1),
                    transfer_no=k,
                    actor="h",
                )["replayed"]
            elif o[0] == "voucher":
                v = issue_voucher(
                    engine,
                    people[o[1]],
                    REGIONS[o[2]],
                    "care",
                    o[3] * 100,
                    date(2025, 1, 1),
                    date(2030, 1, 1),
                    actor="h",
                    key=k,
                )
                vouchers.append(str(v["voucher_no"]))
            elif o[0] == "redeem" and vouchers:
                redeem_voucher(
                    engine,
                    vouchers[o[1] % len(vouchers)],
                    "provider",
                    REGIONS[o[2]],
                    date(2025, 3, 1),
                    actor="h",
                    key=k,
                )
            elif o[0] == "clear":
                clear_vouchers(engine, REGIONS[o[1]], REGIONS[o[2]], actor="h", key=k)
        except ChangzhuError:
            pass  # refused operations must leave no trace: checked below
    assert ledger_problems(engine) == []
    assert set(totals_by_unit(engine).values()) <= {0}
    balances = balances_frame(engine)
    for key in people:
        mine = balances.filter(balances["account"].str.starts_with(f"P:{key}:"))
        for scheme in ("pension", "medical"):
            held = mine.filter(mine["kind"].str.starts_with(f"{scheme}_months"))["balance"].sum()
            with session_scope(engine) as s:
                pid = s.scalar(select(PersonRow.id).where(PersonRow.person_key == key))
                recorded = s.scalar(
                    select(func.count())
                    .select_from(ContributionMonthRow)
                    .where(ContributionMonthRow.person_id == pid, ContributionMonthRow.scheme == scheme)
                )
            assert held == recorded  # every recorded month is held exactly once, somewhere
