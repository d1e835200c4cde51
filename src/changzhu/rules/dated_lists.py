"""Dated lists (a `dates` input: the dates of each occurrence, e.g. each time false material was found): how many of
them count within N months of a day, and on which days that count changes.

An occurrence dated d counts on the days d … add_months(d, N) - 1 (the same span as a `date` input's `within`), so
its count rises on d (a date after the evaluation date counts from then) and falls on the day it ages out.

The frame holds a dates input as a matrix of day numbers (one row per person, NEVER where a row has fewer dates;
an unknown list is a row of NEVER) and, beside it, the number of dates listed (-1: unknown). Kernels read how many
dates count on the frame's date, counted before they run (`s_<name>__within<months>`, int32), so their loop stays a
plain pass over arrays the compiler can vectorize (a per-row search in the loop made Shanghai's points kernel
about twice as slow).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from changzhu.rules.dates import FOREVER, NEVER, add_months
from changzhu.rules.rows import take

if TYPE_CHECKING:
    from changzhu.rules.protocols import WriterView as Writer

WITHIN = "__within"  # then the months: the static counting, per row, the dates within that window on the frame's date
MATRIX = "__dates"  # suffix of the frame's static holding the padded matrix


def dates_matrix(series: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """(matrix of day numbers, each row sorted and padded with NEVER, number of dates per row with -1 where the list
    is unknown)."""
    lists = series.cast(pl.List(pl.Date))
    lengths = lists.list.len().fill_null(-1).to_numpy().astype(np.int32, copy=False)
    width = max(int(lengths.max()) if lengths.size else 0, 1)
    matrix = np.full((lists.len(), width), NEVER, dtype=np.int32)
    long = pl.DataFrame({"d": lists}).with_row_index("row").explode("d").drop_nulls("d")
    if long.height:  # each date's column: its place among its row's dates (a row's dates are consecutive)
        rows = long["row"].to_numpy()
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        cols = np.arange(rows.size) - np.repeat(starts, np.diff(np.r_[starts, rows.size]))
        matrix[rows, cols] = long["d"].to_physical().to_numpy()
    several = lengths >= 2  # a row of one date (or none) is sorted already: only the others are sorted
    if several.any():
        matrix[several] = np.sort(matrix[several], axis=1)
    return matrix, lengths


def expiries(matrix: np.ndarray, months: int) -> np.ndarray:
    """The first day each date no longer counts (NEVER for padding)."""
    real = matrix < NEVER
    out = add_months(np.where(real, matrix, 0).ravel(), months).reshape(matrix.shape)
    return np.where(real, out, NEVER).astype(np.int64)


def count_on(matrix: np.ndarray, ends: np.ndarray, days: np.ndarray | int) -> np.ndarray:
    """Per row, how many dates count on the row's day (one day, or one per row)."""
    d = np.asarray(days, dtype=np.int64)
    d = d[:, None] if d.ndim else d
    return ((matrix <= d) & (d < ends)).sum(axis=1).astype(np.int64)


def count_within(matrix: np.ndarray, months: int, on: int) -> np.ndarray:
    """Per row, how many dates count on day `on` (int32), from the listed dates alone: most rows list none, so this
    reads the few real entries rather than ageing out the whole padded matrix (10x faster at 1M rows)."""
    rows, cols = np.nonzero(matrix < NEVER)
    days = matrix[rows, cols].astype(np.int64)
    counting = (days <= on) & (on < add_months(days, months))
    return np.bincount(rows[counting], minlength=matrix.shape[0]).astype(np.int32)


def change_days(matrix: np.ndarray, ends: np.ndarray, on: int) -> np.ndarray:
    """Per row, every day after `on` the count changes (a date arrives or ages out), sorted, NEVER-padded."""
    days = np.concatenate([matrix.astype(np.int64), ends], axis=1)
    days = np.where((days > on) & (days < NEVER), days, NEVER)
    return np.sort(days, axis=1)


def of_rows(statics: Mapping[str, np.ndarray], name: str, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(padded matrix, number of dates listed with -1 unknown) of a dates input for the rows (changzhu.rules.rows)."""
    return take(statics[name + MATRIX], rows), take(statics[name], rows)


def first_span(
    matrix: np.ndarray, ends: np.ndarray, on: int, test: Callable[[np.ndarray], np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, end, count on `on`): the first span of days from `on` on which test(count) holds (start NEVER: it
    never does; end FOREVER: it goes on), found on the days the count changes."""
    m = matrix.shape[0]
    days = np.concatenate([np.full((m, 1), on, dtype=np.int64), change_days(matrix, ends, on)], axis=1)
    counts = ((matrix[:, None, :] <= days[:, :, None]) & (days[:, :, None] < ends[:, None, :])).sum(axis=2)
    real = days < NEVER
    holds = test(counts) & real
    found = holds.any(axis=1)
    first = np.argmax(holds, axis=1)
    later = real & ~holds & (np.arange(days.shape[1])[None, :] > first[:, None])
    stops = later.any(axis=1)
    picked = np.arange(m)
    start = np.where(found, days[picked, first], NEVER)
    end = np.where(found & stops, days[picked, np.argmax(later, axis=1)] - 1, FOREVER)
    return start, end, counts[:, 0]


def within_name(name: str, months: int) -> str:
    """The static holding how many of a dates input's dates count within `months` of the frame's date."""
    return f"{name}{WITHIN}{months}"


def emit_count(w: Writer, name: str, row: str, months: int) -> str:
    """Kernel expression: how many of the person's dates count on the date (within `months` before it)."""
    return w.arg(f"s_{within_name(name, months)}", row)
