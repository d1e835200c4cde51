"""Clock.now (a clock's count on one day, as the engine and the scheme kernels read it: the table of whole months,
written into one array and changed in place) against Clock.at with that day for every row (the civil arithmetic), for
per-row and broadcast parts, bases after the day and never started."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

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
