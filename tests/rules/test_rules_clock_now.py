"""Clock.now (a clock's count on one day, as the engine and the scheme kernels read it: the table of whole months,
written into one array and changed in place) against Clock.at with that day for every row (the civil arithmetic), for
per-row and broadcast parts, bases after the day and never started; from frame.CLOCK_KERNEL_MIN_ROWS rows on the
count is one kernel pass (clock_kernels.months_on), held equal to it."""

from __future__ import annotations

from datetime import date
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from changzhu.rules import frame
from changzhu.rules.dates import LUT_LO, NEVER, to_days
from changzhu.rules.frame import Clock

ON = to_days(date(2026, 6, 1))
rows = st.lists(
    st.tuples(
        st.one_of(st.integers(LUT_LO, ON + 4000), st.just(int(NEVER))),  # base: in the table, after the day, never
        st.integers(-1, 400),  # months at base
        st.booleans(),  # grows
        st.integers(-1, 3),  # before base
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(rows, st.booleans(), st.booleans(), st.booleans())
def test_now_is_the_count_on_the_day(found: list[tuple[int, int, bool, int]], one_const: bool, one_grows: bool,
                                     one_before: bool) -> None:  # fmt: skip
    base, const, grows, before = (np.array(part) for part in zip(*found, strict=True))
    n = base.shape[0]
    clock = Clock(
        base.astype(np.int32),
        np.broadcast_to(np.int32(const[0]), (n,)) if one_const else const.astype(np.int32),
        np.broadcast_to(grows[0], (n,)) if one_grows else grows,
        np.broadcast_to(np.int32(before[0]), (n,)) if one_before else before.astype(np.int32),
    )
    now = clock.now(ON)
    want = clock.at(np.full(n, ON, dtype=np.int64))
    assert now.dtype == np.int32
    assert now.tolist() == want.tolist()
    assert clock.base.tolist() == base.tolist()  # the clock's own parts are not written


@settings(max_examples=100, deadline=None)
@given(rows, st.booleans(), st.booleans(), st.booleans())
def test_the_kernels_count_on_the_day_is_numpys(found: list[tuple[int, int, bool, int]], one_const: bool,
                                                one_grows: bool, one_before: bool) -> None:  # fmt: skip
    """From frame.CLOCK_KERNEL_MIN_ROWS rows on, clock_kernels.months_on writes the count: the same values, of the
    same type, as the NumPy passes below it (and as the civil arithmetic)."""
    base, const, grows, before = (np.array(part) for part in zip(*found, strict=True))
    n = base.shape[0]

    def clock() -> Clock:
        return Clock(
            base.astype(np.int32),
            np.broadcast_to(np.int32(const[0]), (n,)) if one_const else const.astype(np.int32),
            np.broadcast_to(grows[0], (n,)) if one_grows else grows,
            np.broadcast_to(np.int32(before[0]), (n,)) if one_before else before.astype(np.int32),
        )

    with mock.patch.object(frame, "CLOCK_KERNEL_MIN_ROWS", 0):
        by_kernel = clock().now(ON)
    with mock.patch.object(frame, "CLOCK_KERNEL_MIN_ROWS", n + 1):
        by_numpy = clock().now(ON)
    assert by_kernel.dtype == by_numpy.dtype == np.int32
    assert by_kernel.tolist() == by_numpy.tolist() == clock().at(np.full(n, ON, dtype=np.int64)).tolist()


def test_a_base_before_the_table_is_counted_by_the_civil_arithmetic_with_the_kernel_on() -> None:
    """A base day before the months table's first (1850): the kernel stops, and the count is the civil arithmetic's."""
    base = np.array([LUT_LO - 40, ON - 400, int(NEVER)], dtype=np.int32)
    one = np.broadcast_to(np.int32(0), (3,))
    clock = Clock(base, np.array([2, 0, 5], dtype=np.int32), np.ones(3, dtype=bool), one)
    with mock.patch.object(frame, "CLOCK_KERNEL_MIN_ROWS", 0):
        got = clock.now(ON)
    assert got.tolist() == clock.at(np.full(3, ON, dtype=np.int64)).tolist()
    assert got[0] > 2000 and got[2] == 0
