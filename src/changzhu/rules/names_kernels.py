"""Numba kernels building a list-of-names column (needs_, unassessed_) as Arrow buffers, in place: one pass per name
over its rows and one over the offsets, with no mask over every row, no sorted search and no array per row but the
offsets themselves (changzhu.rules.evaluate._names_column).

The offsets are built as a compressed-rows index is: each row's count at the slot after it, then those slots turned
into each row's first place (a running sum, shifted by one row), then each name written at its rows' next place,
which moves the slot after each row from its first place to its end: the offsets, with no other array of cursors.

A column of at most MARKED names is built in one pass less: each name's bit set at the slot after each of its rows
(mark_rows, the same scattered pass as count_rows), then one pass in row order (list_marked) writes each row's names,
lowest bit first, one after the other, and the slot's end in place of its bits: every name is written in order, not
at a place read from the offsets one name after another (place: one scattered pass over the offsets per name).
"""

from __future__ import annotations

import numpy as np

from changzhu.rules.numba_start import kernel_without_runtime

MARKED = 63  # names a column may have to be built by mark_rows and list_marked (a bit each of an int64, not its sign)


@kernel_without_runtime
def count_rows(rows: np.ndarray, offsets: np.ndarray) -> None:
    """One more name for each of the rows, counted at the slot after the row (offsets zeroed first)."""
    for i in range(rows.shape[0]):
        offsets[np.uint64(rows[i]) + np.uint64(1)] += 1


@kernel_without_runtime
def first_places(offsets: np.ndarray, valid: np.ndarray) -> int:
    """The counts at the slots after each row turned into each row's first place among the names, still at the slot
    after the row; the rows with a name marked in `valid` (Arrow's bits, zeroed first). Returns how many names."""
    total = 0
    for r in range(offsets.shape[0] - 1):
        count = offsets[r + 1]
        offsets[r + 1] = total
        if count != 0:
            valid[r >> 3] |= np.uint8(1 << (r & 7))
        total += count
    return total


@kernel_without_runtime
def place(rows: np.ndarray, codes: np.ndarray, k: int, offsets: np.ndarray, listed: np.ndarray) -> None:
    """Name k (its code) at each of its rows' next place, that row's slot moved past it."""
    code = codes[k]
    for i in range(rows.shape[0]):
        slot = np.uint64(rows[i]) + np.uint64(1)
        listed[offsets[slot]] = code
        offsets[slot] += 1


@kernel_without_runtime
def mark_rows(rows: np.ndarray, k: int, offsets: np.ndarray) -> None:
    """Name k's bit set at the slot after each of its rows (offsets zeroed first; k below MARKED)."""
    bit = np.int64(1) << np.int64(k)
    for i in range(rows.shape[0]):
        offsets[np.uint64(rows[i]) + np.uint64(1)] |= bit


@kernel_without_runtime
def list_marked(offsets: np.ndarray, codes: np.ndarray, valid: np.ndarray, listed: np.ndarray) -> None:
    """In row order, each row's marked names (their codes, lowest bit first) written one after the other in
    `listed` and the slot after the row set to the end of its names: the offsets; the rows with a name marked in
    `valid` (Arrow's bits, zeroed first)."""
    at = 0
    for r in range(offsets.shape[0] - 1):
        marks = offsets[r + 1]
        if marks != 0:
            valid[r >> 3] |= np.uint8(1 << (r & 7))
            k = 0
            while marks != 0:
                if marks & 1:
                    listed[at] = codes[k]
                    at += 1
                marks >>= 1
                k += 1
        offsets[r + 1] = at
