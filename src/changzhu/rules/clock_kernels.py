"""Numba kernels of the interval engine's clocks: the first day a month count reaches a line, one pass over the rows.

The calendar arithmetic is that of changzhu.rules.dates: month starts and lengths read from its tables (1850-2250),
Howard Hinnant's integer algorithms outside them, per row, so a clock's rows are neither gathered nor passed through
a dozen whole-array temporaries for each line it is compared with.
"""

from __future__ import annotations

import numpy as np

from changzhu.rules.numba_start import kernel, kernel_without_runtime

_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


@kernel
def _month_length(ym: int) -> int:
    year = ym // 12
    month0 = ym - year * 12
    leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0
    return _DAYS[month0] + (1 if month0 == 1 and leap else 0)


@kernel
def _from_civil(ym: int, day0: int) -> int:
    year = ym // 12
    month0 = ym - year * 12
    y = year - (1 if month0 <= 1 else 0)
    era = y // 400
    yoe = y - era * 400
    mp = month0 - 2 if month0 >= 2 else month0 + 10
    doy = (153 * mp + 2) // 5 + day0
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


@kernel
def day_outside(ym: int, day0: int) -> int:
    """The day of (year*12 + month-1, day of month - 1 clipped to the month's length), outside the tables."""
    return _from_civil(ym, min(day0, _month_length(ym) - 1))


@kernel
def civil_of(day: int) -> tuple[int, int]:
    """(year*12 + month-1, day of month - 1) of a day number (Hinnant's civil_from_days)."""
    z = day + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day0 = doy - (153 * mp + 2) // 5
    month0 = mp + 2 if mp < 10 else mp - 10
    year = yoe + era * 400 + (1 if month0 <= 1 else 0)
    return year * 12 + month0, day0


@kernel
def reach(
    rows: np.ndarray,
    every: bool,
    base: np.ndarray,
    const: np.ndarray,
    grows: np.ndarray,
    before: np.ndarray,
    threshold: np.ndarray,
    on: int,
    never: int,
    ym_lo: int,
    ym_start: np.ndarray,
    ym_len: np.ndarray,
    day_lo: int,
    day_ym: np.ndarray,
    day_d0: np.ndarray,
    out: np.ndarray,
) -> None:
    """out[i]: first day (>= on) the clock of row rows[i] (row i if every) is at least threshold[i]; never if not.
    The base date's month and day are worked out per row here (no whole-array civil dates)."""
    for i in range(out.shape[0]):
        r = i if every else rows[i]
        t = threshold[i]
        if before[r] >= t:
            out[i] = on
            continue
        need = np.int64(np.ceil(t - const[r]))
        if base[r] >= never or not (need <= 0 or grows[r]):
            out[i] = never
            continue
        b = int(base[r])
        k = b - day_lo
        if 0 <= k < day_ym.shape[0]:  # the tables' days, else the arithmetic
            bym, bday = int(day_ym[k]), int(day_d0[k])
        else:
            bym, bday = civil_of(b)
        ym = bym + max(int(need), 0)
        j = ym - ym_lo
        inside = 0 <= j < ym_start.shape[0]  # the tables' years, else the arithmetic
        day = ym_start[j] + min(bday, ym_len[j] - 1) if inside else day_outside(ym, bday)
        out[i] = day if day >= never else max(day, on)


@kernel_without_runtime
def months_on(
    base: np.ndarray,
    const: np.ndarray,
    grows: np.ndarray,
    before: np.ndarray,
    on: int,
    table: np.ndarray,
    day_lo: int,
    out: np.ndarray,
) -> bool:
    """out[i]: the clock's months on the day `on` (`before` until the base day, then const plus, where it grows, the
    whole months from the base day to `on`, read from `table`: months_until(on), index day - day_lo, a later day
    read as its last); one pass over the rows, writing nothing more than `out`. False (out unfinished) where a base
    day comes before the table's first."""
    last = table.shape[0] - 1
    for i in range(out.shape[0]):
        b = base[i]
        if b > on:
            out[i] = before[i]
            continue
        k = b - day_lo
        if k < 0:
            return False
        out[i] = const[i] + table[min(k, last)] if grows[i] else const[i]
    return True
