"""Equity of spending per head (人均支出): Gini, Theil and max/min ratio, population-weighted, on two bases.

With per-capita spending x_i and population weights p_i (P = Σp, μ = Σ p_i x_i / P):

    Gini  G = Σ_i Σ_j p_i p_j |x_i − x_j| / (2 P² μ)
    Theil T = Σ_i (p_i / P) (x_i / μ) ln(x_i / μ)          (a term with x_i = 0 counts 0)
    max/min = max_i x_i / min_i x_i                          (seed 002: 35,665 / 7,342 ≈ 4.86 in Shanghai 2012)
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
import polars as pl

from changzhu.domain.refusals import RefusalCode, refusal
from changzhu.fiscal.errors import FiscalError


def _arrays(values: npt.ArrayLike, weights: npt.ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(values, dtype=np.float64)
    p = np.ones_like(x) if weights is None else np.asarray(weights, dtype=np.float64)
    if x.shape != p.shape or x.size == 0:
        raise FiscalError(refusal(RefusalCode.FISCAL_EQUITY_SHAPES))
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(p))) or np.any(x < 0) or np.any(p < 0):
        raise FiscalError(refusal(RefusalCode.FISCAL_EQUITY_NOT_FINITE))
    if p.sum() <= 0:
        raise FiscalError(refusal(RefusalCode.FISCAL_EQUITY_NO_WEIGHT))
    return x, p


def gini(values: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> float:
    """Population-weighted Gini index of per-capita values (0 = equal, → 1 = all in one place)."""
    x, p = _arrays(values, weights)
    mean = float((p * x).sum() / p.sum())
    if mean == 0:
        return 0.0
    order = np.argsort(x, kind="stable")
    x, p = x[order], p[order]
    # Σ_i Σ_j p_i p_j |x_i − x_j| = 2 Σ_i p_i x_i (P_<i − P_>i) over sorted x, computed in O(n log n).
    cum = np.cumsum(p)
    below = cum - p
    above = p.sum() - cum
    pair_sum = 2.0 * float((p * x * (below - above)).sum())
    return pair_sum / (2.0 * float(p.sum()) ** 2 * mean)


def theil(values: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> float:
    """Population-weighted Theil T index of per-capita values (0 = equal)."""
    x, p = _arrays(values, weights)
    mean = float((p * x).sum() / p.sum())
    if mean == 0:
        return 0.0
    ratio = x / mean
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(ratio > 0, ratio * np.log(np.where(ratio > 0, ratio, 1.0)), 0.0)
    return max(0.0, float((p / p.sum() * terms).sum()))


def max_min_ratio(values: npt.ArrayLike) -> float:
    """Highest over lowest per-capita value (infinite if the lowest is 0)."""
    x, _ = _arrays(values, None)
    low = float(x.min())
    return math.inf if low == 0 else float(x.max()) / low


def equity_row(label: str, amount: np.ndarray, resident: np.ndarray, registered: np.ndarray) -> dict[str, object]:
    """Per-capita spending and its inequality on the resident and the registered basis, for one allocation."""
    row: dict[str, object] = {"allocation": label, "total_yuan": round(float(amount.sum()))}
    for basis, population in (("resident", resident), ("registered", registered)):
        per_head = amount / population
        row[f"per_{basis}_min"] = float(per_head.min())
        row[f"per_{basis}_max"] = float(per_head.max())
        row[f"max_min_ratio_{basis}"] = max_min_ratio(per_head)
        row[f"gini_{basis}"] = gini(per_head, population)
        row[f"theil_{basis}"] = theil(per_head, population)
    return row


def equity_table(allocations: dict[str, np.ndarray], resident: np.ndarray, registered: np.ndarray) -> pl.DataFrame:
    """One equity row per named allocation (amounts by region in the same order as the populations)."""
    if np.any(resident <= 0) or np.any(registered <= 0):
        raise FiscalError(refusal(RefusalCode.FISCAL_EQUITY_NO_POPULATION))
    return pl.DataFrame([equity_row(label, amount, resident, registered) for label, amount in allocations.items()])
