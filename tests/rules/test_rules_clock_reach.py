"""Clock.reach (the numba kernel of the interval engine) against Python's datetime, inside and outside the years of
the date tables, for every row and for rows asked by index."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rules_support import add_months_by_calendar

from changzhu.rules.dates import NEVER, to_days
from changzhu.rules.frame import Clock

ON = to_days(date(2026, 6, 1))
clocks = st.lists(
    st.tuples(
        st.one_of(st.integers(-90_000, 110_000), st.just(int(NEVER))),  # base: 1723-2271, or never started
        st.integers(-1, 400),  # months at base
        st.booleans(),  # grows
        st.integers(-1, 3),  # before base
        st.floats(0, 900, allow_nan=False),  # the line
    ),
    min_size=1,
    max_size=40,
)


def _expected(base: int, const: int, grows: bool, before: int, line: float) -> int:
    """The first day on or after ON the count is at least the line: before base `before`, from base const plus the
    whole months since base if it grows."""
    if before >= line:
        return ON
    if base >= NEVER:
        return int(NEVER)
    need = int(np.ceil(line - const))
    if need > 0 and not grows:
        return int(NEVER)
    return max(add_months_by_calendar(base, max(need, 0)), ON)


@settings(max_examples=200, deadline=None)
@given(clocks, st.randoms(use_true_random=False))
def test_reach_matches_python(rows: list[tuple[int, int, bool, int, float]], rnd: object) -> None:
    base, const, grows, before, line = (np.array(c) for c in zip(*rows, strict=True))
    clock = Clock(base.astype(np.int32), const.astype(np.int32), grows.astype(bool), before.astype(np.int32))
    expected = np.array([_expected(*r) for r in rows])
    assert np.array_equal(clock.reach(line, ON), expected)
    asked = np.flatnonzero(np.arange(len(rows)) % 2 == 0)[::-1]  # some rows, not in order
    assert np.array_equal(clock.reach(line[asked], ON, asked), expected[asked])
    one = float(line[0])
    assert np.array_equal(clock.reach(one, ON), np.array([_expected(*r[:4], one) for r in rows]))
