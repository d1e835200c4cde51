"""The static-comparison kernels of the interval engine (changzhu.rules.leaf_kernels) against the NumPy definition
(in or not in the wanted codes, -1 unknown), for the rows in place and for rows asked by index: the bit kernel
(at most 63 codes) and the table kernel (more) give the same starts and known masks."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from changzhu.rules import leaf_kernels
from changzhu.rules.arrays import category_table
from changzhu.rules.dates import NEVER

ON = 20_000


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 200),  # how many category codes
    st.lists(st.integers(-1, 199), min_size=1, max_size=50),  # the rows' codes (clipped to the categories)
    st.sets(st.integers(0, 199), max_size=10),  # the wanted codes (clipped)
    st.booleans(),  # negate (not in)
    st.booleans(),  # nullable
    st.booleans(),  # every row, or rows by index
)
def test_category_kernels_match_numpy(
    size: int, codes: list[int], wanted: set[int], negate: bool, nullable: bool, every: bool
) -> None:
    categories = tuple(f"c{i}" for i in range(size))
    values = np.array([min(c, size - 1) for c in codes], dtype=np.int8 if size < 128 else np.int16)
    chosen = sorted({w for w in wanted if w < size})
    rows = np.arange(values.shape[0]) if every else np.arange(values.shape[0])[::-1].copy()
    asked = values if every else values[rows]
    inside = category_table(categories, [categories[w] for w in chosen])
    holds = inside[asked] != negate
    known = asked >= 0
    if nullable:
        holds = holds & known
    expected = np.where(holds, ON, NEVER)
    start = np.empty(values.shape[0], dtype=np.int32)
    got_known = np.empty(values.shape[0] if nullable else 0, dtype=bool)
    tail = (nullable, ON, int(NEVER), start, got_known)
    leaf_kernels.category_table(values, rows, every, inside, negate, *tail)
    assert np.array_equal(start, expected)
    assert not nullable or np.array_equal(got_known, known)
    if size <= leaf_kernels.BIT_CODES:
        start[:] = 0
        leaf_kernels.category(values, rows, every, sum(1 << w for w in chosen), negate, *tail)
        assert np.array_equal(start, expected)
        assert not nullable or np.array_equal(got_known, known)
