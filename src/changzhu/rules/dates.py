"""Vectorized calendar arithmetic on dates stored as days since 1970-01-01 (polars' Date physical type).

Civil-date conversions use Howard Hinnant's integer algorithms, so whole-month arithmetic on millions of
dates stays in plain int64 numpy operations.
"""

from __future__ import annotations

from datetime import date

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


def civil(days: np.ndarray | int) -> tuple[np.ndarray, np.ndarray]:
    """(months since year 0 = year*12 + month-1, day of month - 1) for each day number."""
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


def month_length(ym: np.ndarray) -> np.ndarray:
    """Days in the month given as year*12 + month-1."""
    year, month0 = np.divmod(ym, 12)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    return _MONTH_DAYS[month0] + ((month0 == 1) & leap)


def from_civil(ym: np.ndarray, day0: np.ndarray) -> np.ndarray:
    """Day numbers from (year*12 + month-1, day of month - 1)."""
    year, month0 = np.divmod(ym, 12)
    y = year - (month0 <= 1)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    mp = np.where(month0 >= 2, month0 - 2, month0 + 10)
    doy = (153 * mp + 2) // 5 + day0
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


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
