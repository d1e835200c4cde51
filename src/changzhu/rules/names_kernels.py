"""Numba kernels building a list-of-names column (needs_, unassessed_) as Arrow buffers, in place: one pass per name
over its rows and one over the offsets, with no mask over every row, no sorted search and no array per row but the
offsets themselves (changzhu.rules.evaluate._names_column).

The offsets are built as a compressed-rows index is: each row's count at the slot after it, then those slots turned
into each row's first place (a running sum, shifted by one row), then each name written at its rows' next place,
which moves the slot after each row from its first place to its end: the offsets, with no other array of cursors.
"""

from __future__ import annotations

import numpy as np

from changzhu.rules.numba_start import kernel_without_runtime


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
def place(rows: np.ndarray, views: np.ndarray, k: int, offsets: np.ndarray, listed: np.ndarray) -> None:
    """Name k (its string view) at each of its rows' next place, that row's slot moved past it."""
    view = views[k]
    for i in range(rows.shape[0]):
        slot = np.uint64(rows[i]) + np.uint64(1)
        listed[offsets[slot]] = view
        offsets[slot] += 1
