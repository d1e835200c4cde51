"""Whole-yuan apportionment: split an integer total by weights so the parts sum to it exactly."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from changzhu.fiscal.errors import FiscalError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def apportion(total: int, weights: npt.ArrayLike, what: str = "allocation") -> IntArray:
    """Largest-remainder (Hamilton) split of `total` yuan in proportion to non-negative `weights`.

    Each part is the floor of its exact share; the yuan left over go one each to the largest remainders
    (ties to the earlier row), so the parts always sum to `total`.
    """
    w = np.asarray(weights, dtype=np.float64)
    if total < 0:
        raise FiscalError(f"{what}: cannot split a negative total ({total:,} yuan)")
    if w.size == 0:
        if total:
            raise FiscalError(f"{what}: no rows to receive {total:,} yuan")
        return np.zeros(0, dtype=np.int64)
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        row = int(np.flatnonzero(~np.isfinite(w) | (w < 0))[0])
        raise FiscalError(f"{what}: weight of row {row} is {w[row]!r}; weights must be finite and non-negative")
    weight_sum = float(w.sum())
    if weight_sum <= 0:
        if total:
            raise FiscalError(f"{what}: every weight is zero, so {total:,} yuan cannot be split")
        return np.zeros(w.size, dtype=np.int64)
    exact = w / weight_sum * total
    parts = np.floor(exact).astype(np.int64)
    left = int(total - parts.sum())
    if left > 0:
        order = np.argsort(-(exact - parts), kind="stable")
        parts[order[:left]] += 1
    elif left < 0:  # floating error can overshoot by a yuan on huge totals
        order = np.argsort(exact - parts, kind="stable")
        take = order[parts[order] > 0][:-left]
        parts[take] -= 1
    return parts
