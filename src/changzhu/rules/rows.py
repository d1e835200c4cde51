"""Which of a table's rows a computation reads. An array of row indices names exactly those rows, in its order,
whatever its length: a permutation of every row, or the parents of every row (as many as the table's rows), is
not every row in order. Every row in order is named by one array alone, `everyone(n)`, made here once per table
size and recognised by identity (`is_everyone`): a place that means everyone passes it, a place that reads the
table in place (no gather) asks `is_everyone`, never the length.
"""

from __future__ import annotations

import weakref

import numpy as np

_made: weakref.WeakValueDictionary[int, np.ndarray] = weakref.WeakValueDictionary()  # kept while one holds it


def everyone(n: int) -> np.ndarray:
    """The rows 0..n-1 in order, as the one array that names every row of a table of n rows (the same array for the
    same n while one holds it; never write into it)."""
    made = _made.get(n)
    if made is None:
        made = np.arange(n)
        _made[n] = made
    return made


def is_everyone(rows: np.ndarray) -> bool:
    """Whether `rows` is the array naming every row in order (everyone(n)), not merely as many rows."""
    return _made.get(rows.shape[0]) is rows


def take(values: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The values of the rows, in their order: the array itself (no copy) for everyone."""
    return values if is_everyone(rows) else values[rows]


def places(asked: np.ndarray, rows: np.ndarray) -> np.ndarray | None:
    """The places of `rows` among the rows `asked` (in order), None where one is not among them: what was computed
    row by row for `asked` is read there for `rows` (everyone among as many: `rows` are the rows asked, each read in
    place, not searched for)."""
    if is_everyone(asked) or rows.size == 0:
        return rows
    if rows is asked or (rows.shape == asked.shape and np.array_equal(asked, rows)):
        return everyone(rows.shape[0])
    at = np.searchsorted(asked, rows)
    if int(at.max()) >= asked.shape[0] or not np.array_equal(asked[at], rows):
        return None
    return at
