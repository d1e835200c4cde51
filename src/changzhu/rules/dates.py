"""Vectorized calendar arithmetic on dates stored as days since 1970-01-01 (polars' Date physical type).

Civil-date conversions use Howard Hinnant's integer algorithms, so whole-month arithmetic on millions of
dates stays in plain integer numpy operations. Dates between 1850 and 2250 (every realistic one) are converted
by one gather from tables built once, the algorithms remain for anything outside that range.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import numpy as np

EPOCH = date(1970, 1, 1)
NEVER = np.int32(2**31 - 1)  # start of an interval that never begins
FOREVER = np.int32(2**31 - 2)  # end of an interval that never ends
_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def to_days(d: date) -> int:
    """Days since 1970-01-01."""
    return (d - EPOCH).days


def from_days(days: int) -> date | None:
    """The date for a day number; None for NEVER/FOREVER."""
    if days >= FOREVER:
        return None
    return date.fromordinal(EPOCH.toordinal() + int(days))


def _civil_arith(days: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
    z = np.asarray(days, dtype=np.int64) + 719468
    era = np.floor_divide(z, 146097)
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day0 = doy - (153 * mp + 2) // 5
    month0 = np.where(mp < 10, mp + 2, mp - 10)
    year = yoe + era * 400 + (month0 <= 1)
    return year * 12 + month0, day0


def _month_length_arith(ym: np.ndarray) -> np.ndarray:
    year, month0 = np.divmod(ym, 12)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return _MONTH_DAYS[month0] + ((month0 == 1) & leap)


def _from_civil_arith(ym: np.ndarray, day0: np.ndarray) -> np.ndarray:
    year, month0 = np.divmod(ym, 12)
    y = year - (month0 <= 1)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    mp = np.where(month0 >= 2, month0 - 2, month0 + 10)
    doy = (153 * mp + 2) // 5 + day0
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


# Lookup tables for 1850-01-01 .. 2250-01-01: day -> (ym, day0), ym -> (first day, length).
LUT_LO = (date(1850, 1, 1) - EPOCH).days
LUT_HI = (date(2250, 1, 1) - EPOCH).days
YM_LO = 1850 * 12
YM_HI = 2250 * 12
DAY_YM, DAY_D0 = (a.astype(np.int32) for a in _civil_arith(np.arange(LUT_LO, LUT_HI + 1)))
YM_START = _from_civil_arith(np.arange(YM_LO, YM_HI + 1), np.zeros(YM_HI - YM_LO + 1, dtype=np.int64)).astype(np.int32)
YM_LEN = _month_length_arith(np.arange(YM_LO, YM_HI + 1)).astype(np.int32)


def _within(a: np.ndarray, lo: int, hi: int) -> bool:
    return a.size == 0 or (int(a.min()) >= lo and int(a.max()) <= hi)


def civil(days: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
    """(months since year 0 = year*12 + month-1, day of month - 1) for each day number."""
    d = np.asarray(days)
    if d.ndim and _within(d, LUT_LO, LUT_HI):
        i = d - LUT_LO
        return DAY_YM[i], DAY_D0[i]
    return _civil_arith(d)


def month_length(ym: np.ndarray) -> np.ndarray:
    """Days in the month given as year*12 + month-1."""
    m = np.asarray(ym)
    if m.ndim and _within(m, YM_LO, YM_HI):
        return YM_LEN[m - YM_LO]
    return _month_length_arith(m)


def from_civil(ym: np.ndarray, day0: np.ndarray) -> np.ndarray:
    """Day numbers from (year*12 + month-1, day of month - 1)."""
    m = np.asarray(ym)
    if m.ndim and _within(m, YM_LO, YM_HI):
        return YM_START[m - YM_LO] + np.asarray(day0)
    return _from_civil_arith(m, np.asarray(day0))


@lru_cache(maxsize=16)
def months_until(on: int) -> np.ndarray:
    """Table of full_months(d, on) for every day d in [LUT_LO, on] (index d - LUT_LO); empty if on < LUT_LO."""
    if on < LUT_LO:
        return np.zeros(0, dtype=np.int32)
    table = full_months(np.arange(LUT_LO, min(on, LUT_HI) + 1), on).astype(np.int32)
    table.flags.writeable = False
    return table


def add_months(days: np.ndarray, months: np.ndarray | int) -> np.ndarray:
    """Each date plus whole months, the day clipped to the target month's length (Jan 31 + 1 = Feb 28)."""
    ym, day0 = civil(days)
    target = ym + np.asarray(months, dtype=np.int64)
    return from_civil(target, np.minimum(day0, month_length(target) - 1))


def full_months(start: np.ndarray, end: np.ndarray | int) -> np.ndarray:
    """Whole months from start to end: the largest n with add_months(start, n) <= end (negative if end < start)."""
    sym, sday = civil(start)
    eym, eday = civil(end)
    diff = eym - sym
    reached = np.minimum(sday, month_length(eym) - 1) <= eday
    return np.where(reached, diff, diff - 1)


def add_months_scalar(d: date, months: int) -> date:
    """One date plus whole months (clipped), for explanations."""
    out = add_months(np.array([to_days(d)]), months)[0]
    result = from_days(int(out))
    assert result is not None
    return result
