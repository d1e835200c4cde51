"""Vectorized calendar arithmetic on dates stored as days since 1970-01-01 (polars' Date physical type)."""

from __future__ import annotations

from datetime import date

import numpy as np

EPOCH = date(1970, 1, 1)
NEVER = np.int32(2**31 - 1)  # start of an interval that never begins
FOREVER = np.int32(2**31 - 2)  # end of an interval that never ends


def to_days(d: date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


def from_days(days: int) -> date | None:
    """The date for a day number; None for NEVER/FOREVER."""
    if days >= FOREVER:
        return None
    return date.fromordinal(EPOCH.toordinal() + int(days))


def add_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """Each date plus a whole number of months, the day clipped to the target month's length (Jan 31 + 1 = Feb 28)."""
    d = np.asarray(days, dtype=np.int64).astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    day_of_month = (d - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64)
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(np.int64)
    out = target.astype("datetime64[D]") + np.minimum(day_of_month, length - 1)
    return out.astype(np.int64)


def full_months(start: np.ndarray, end: np.ndarray | int) -> np.ndarray:
    """Whole months from start to end: the largest n with add_months(start, n) <= end (negative if end < start)."""
    s = np.asarray(start, dtype=np.int64)
    e = np.broadcast_to(np.asarray(end, dtype=np.int64), s.shape)
    sm = s.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    em = e.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    diff = em - sm
    reached = add_months(s, diff) <= e
    return np.where(reached, diff, diff - 1)


def add_months_scalar(d: date, months: int) -> date:
    """One date plus whole months (clipped), for explanations."""
    out = add_months(np.array([to_days(d)]), months)[0]
    result = from_days(int(out))
    assert result is not None
    return result
