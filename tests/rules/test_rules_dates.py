"""Whole-month calendar arithmetic against Python's datetime."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from rules_support import add_months_by_calendar

from changzhu.rules import dates
from changzhu.rules.dates import add_months, full_months, to_days

days = st.integers(min_value=-20_000, max_value=40_000)


@given(days, st.integers(min_value=-600, max_value=600))
def test_add_months_matches_python(d: int, k: int) -> None:
    assert int(add_months(np.array([d]), k)[0]) == add_months_by_calendar(d, k)


@given(days, days)
def test_full_months_is_the_largest_n_not_past_the_end(start: int, end: int) -> None:
    n = int(full_months(np.array([start]), end)[0])
    assert add_months_by_calendar(start, n) <= end < add_months_by_calendar(start, n + 1)


def test_month_end_clipping() -> None:
    jan31 = to_days(date(2024, 1, 31))
    assert int(add_months(np.array([jan31]), 1)[0]) == to_days(date(2024, 2, 29))
    assert int(full_months(np.array([jan31]), to_days(date(2024, 2, 28)))[0]) == 0
    assert int(full_months(np.array([jan31]), to_days(date(2024, 2, 29)))[0]) == 1


def test_lookup_tables_agree_with_the_arithmetic() -> None:
    days = np.arange(dates.LUT_LO - 40, dates.LUT_HI + 40)
    ym, day0 = dates.civil(days)
    ym_arith, day0_arith = dates._civil_arith(days)
    assert np.array_equal(ym, ym_arith) and np.array_equal(day0, day0_arith)
    months = np.arange(1850 * 12, 2250 * 12)
    assert np.array_equal(dates.month_length(months), dates._month_length_arith(months))
    assert np.array_equal(dates.from_civil(months, np.full(months.shape, 3)), dates._from_civil_arith(months, 3))
    on = to_days(date(2026, 6, 1))
    inside = np.arange(dates.LUT_LO, on + 1)
    assert np.array_equal(dates.months_until(on), full_months(inside, on))
