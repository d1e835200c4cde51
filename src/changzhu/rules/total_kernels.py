"""Numba kernel writing a points total's column over every row from its chain groups' results
(changzhu.rules.evaluate._TotalBuffers): one pass over a group's rows writing the value, the row's place taken and
Arrow's validity bit (not NaN), instead of three scattered writes, a NaN test over the group and a mask over every
row packed into bits afterwards."""

from __future__ import annotations

import numpy as np

from changzhu.rules.numba_start import kernel_without_runtime


@kernel_without_runtime
def spread_total(rows: np.ndarray, total: np.ndarray, values: np.ndarray, taken: np.ndarray, bits: np.ndarray) -> None:
    """values[rows[i]] = total[i] and the row marked in `taken`; its bit set in `bits` (Arrow's validity, zeroed
    first) where the total is not NaN."""
    for i in range(rows.shape[0]):
        r = np.uint64(rows[i])  # unsigned: no test for a negative index at each write
        t = total[i]
        values[r] = t
        taken[r] = True
        if t == t:
            bits[r >> np.uint64(3)] |= np.uint8(1 << (r & np.uint64(7)))
