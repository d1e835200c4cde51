"""Whole-yuan apportionment: split an integer total by weights so the parts sum to it exactly."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.fiscal.errors import FiscalError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


ALLOCATION = ("分配", "allocation")


def apportion(total: int, weights: npt.ArrayLike, what: tuple[str, str] = ALLOCATION) -> IntArray:
    """Largest-remainder (Hamilton) split of `total` yuan in proportion to non-negative `weights`; `what` names the
    split in Chinese and English for its errors.

    Each part is the floor of its exact share; the yuan left over go one each to the largest remainders
    (ties to the earlier row), so the parts always sum to `total`.
    """
    w = np.asarray(weights, dtype=np.float64)
    named = {"what_zh": what[0], "what_en": what[1], "total": f"{total:,}"}
    if total < 0:
        raise FiscalError(refusal(RefusalCode.FISCAL_SPLIT_NEGATIVE_TOTAL, **named))
    if w.size == 0:
        if total:
            raise FiscalError(refusal(RefusalCode.FISCAL_SPLIT_NO_ROWS, **named))
        return np.zeros(0, dtype=np.int64)
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        row = int(np.flatnonzero(~np.isfinite(w) | (w < 0))[0])
        raise FiscalError(
            refusal(
                RefusalCode.FISCAL_SPLIT_BAD_WEIGHT, what_zh=what[0], what_en=what[1], row=row + 1, value=f"{w[row]:g}"
            )
        )
    weight_sum = float(w.sum())
    if weight_sum <= 0:
        if total:
            raise FiscalError(refusal(RefusalCode.FISCAL_SPLIT_ZERO_WEIGHTS, **named))
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
