"""The points columns of evaluate(earliest=True): schemes on rows apart share the arrays their totals are written
into (each column null off its own rows), and still read as the totals of evaluate(earliest=False)."""

import numpy as np
import polars as pl
from rules_support import ON, random_people

from changzhu.rules import evaluate
from changzhu.rules.engine import PointsResult
from changzhu.rules.evaluate import SAME_HEAD, _same_totals, _TotalBuffers
from changzhu.rules.total_kernels import spread_total


def test_schemes_on_rows_apart_share_their_arrays_and_keep_their_own_totals() -> None:
    people = random_people(1500, 12)
    full = evaluate(people, ON)
    columns = [c for c in full.columns if c.startswith("points") and full[c].null_count() < full.height]
    schemes = {c.removeprefix("points_").removeprefix("low_").removeprefix("high_") for c in columns}
    values = {full[c].to_arrow().buffers()[1].address for c in columns}  # the array each column reads its values from
    assert len(schemes) >= 3  # several cities' schemes hold someone
    assert len(values) <= 3  # one array per total (assessed, low, high), whatever the number of schemes
    fast = evaluate(people, ON, earliest=False)  # each scheme's totals over every row, in arrays of their own
    assert full.select(columns).equals(fast.select(columns))
    assert not any(full.select(pl.col(columns).is_nan().any()).row(0))  # NaN is null, as before


def test_a_total_spread_over_rows_apart_is_null_where_nan_and_off_its_rows() -> None:
    """_TotalBuffers.spread (one kernel pass per chain group, total_kernels.spread_total): each group's values at its
    rows, null where NaN and on the rows of no group; a second total on other rows is written into the same array."""
    n = 21
    first = PointsResult(np.array([0, 5, 8, 20]), np.array([1.5, np.nan, 3.0, 4.0]), np.zeros(4), np.zeros(4))
    second = PointsResult(np.array([2, 9]), np.array([7.0, 8.0]), np.zeros(2), np.zeros(2))
    buffers = _TotalBuffers(n)
    got = buffers.spread([first, second], 0).to_pylist()
    want: list[float | None] = [None] * n
    want[0], want[8], want[20], want[2], want[9] = 1.5, 3.0, 4.0, 7.0, 8.0
    assert got == want
    apart = PointsResult(np.array([1, 3]), np.array([np.nan, 6.0]), np.zeros(2), np.zeros(2))
    other = buffers.spread([apart], 0)
    assert other.to_pylist() == [None, None, None, 6.0] + [None] * 17
    assert other.buffers()[1].address == buffers._arrays[0][0].ctypes.data  # the same array: rows apart


def test_the_spread_kernel_writes_value_place_and_validity_bit() -> None:
    values, taken, bits = np.zeros(12), np.zeros(12, dtype=bool), np.zeros(2, dtype=np.uint8)
    spread_total(np.array([1, 9, 11]), np.array([2.0, np.nan, 0.5]), values, taken, bits)
    assert values[[1, 11]].tolist() == [2.0, 0.5] and np.isnan(values[9])
    assert np.flatnonzero(taken).tolist() == [1, 9, 11]
    assert np.flatnonzero(np.unpackbits(bits, bitorder="little")).tolist() == [1, 11]  # not NaN


def test_totals_are_the_same_as_array_equal_says_with_nan_equal() -> None:
    """_same_totals (its first rows, then the bits, then the floats) answers as np.array_equal(equal_nan=True): a
    difference after the first SAME_HEAD rows, NaN against NaN of other bits, 0.0 against -0.0, NaN against a value."""
    rng = np.random.default_rng(3)
    base = rng.integers(0, 120, SAME_HEAD * 3).astype(np.float64)
    base[rng.random(base.size) < 0.2] = np.nan
    other_nan = base.copy()
    other_nan[np.isnan(base)] = -np.nan  # the sign bit set: a NaN of other bits
    late = base.copy()
    late[SAME_HEAD * 2] = 1000.0  # differs past the first rows only
    zeros = np.where(base == 0, -0.0, base)
    nan_late = base.copy()
    nan_late[-1] = np.nan if not np.isnan(base[-1]) else 1.0
    assert not np.array_equal(other_nan.view(np.int64), base.view(np.int64))  # the bits differ, the floats not
    assert not np.array_equal(zeros.view(np.int64), base.view(np.int64))
    for other in (base.copy(), other_nan, late, zeros, nan_late, base + 1):
        part = PointsResult(None, base, other, other)
        assert _same_totals(part, 0, 1) == np.array_equal(base, other, equal_nan=True)
        assert _same_totals(part, 1, 2)  # the same array
