"""Spatial accessibility (可达性): two-step floating catchment area (2SFCA) and its enhanced form (E2SFCA).

Step 1: each supply site j gets a ratio R_j = S_j / Σ_i P_i W(d_ij) over the demand within its catchment.
Step 2: each demand point i scores A_i = Σ_j R_j W(d_ij). 2SFCA uses W = 1 inside the catchment; E2SFCA uses
stepped weights by distance band (default: 1.0, 0.68, 0.22 for the inner, middle and outer thirds, the Gaussian
steps of Luo & Qi 2009).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from changzhu.planning.errors import PlanningInputError

FloatArray = npt.NDArray[np.float64]
E2SFCA_WEIGHTS = (1.0, 0.68, 0.22)


def _weights(distances: FloatArray, catchment: float, steps: Sequence[float] | None) -> FloatArray:
    if steps is None:
        return (distances <= catchment).astype(np.float64)
    edges = np.linspace(0.0, catchment, len(steps) + 1)[1:]
    band = np.searchsorted(edges, distances, side="left")
    table = np.append(np.asarray(steps, dtype=np.float64), 0.0)
    return table[np.minimum(band, len(steps))]


def two_step_fca(
    demand: npt.ArrayLike,
    supply: npt.ArrayLike,
    distances: npt.ArrayLike,
    catchment: float,
    *,
    steps: Sequence[float] | None = None,
) -> FloatArray:
    """Supply per person reachable from each demand point (2SFCA; pass `steps` for E2SFCA)."""
    p = np.asarray(demand, dtype=np.float64)
    s = np.asarray(supply, dtype=np.float64)
    d = np.asarray(distances, dtype=np.float64)
    if d.shape != (p.size, s.size):
        raise PlanningInputError(f"distance matrix has shape {d.shape}, expected ({p.size}, {s.size})")
    if catchment <= 0:
        raise PlanningInputError("catchment must be positive")
    if np.any(p < 0) or np.any(s < 0):
        raise PlanningInputError("demand and supply must be non-negative")
    w = _weights(d, catchment, steps)
    reached = p @ w
    ratio = np.divide(s, reached, out=np.zeros_like(s), where=reached > 0)
    return np.asarray(w @ ratio, dtype=np.float64)


def e2sfca(demand: npt.ArrayLike, supply: npt.ArrayLike, distances: npt.ArrayLike, catchment: float) -> FloatArray:
    """Enhanced 2SFCA with the default distance-decay steps."""
    return two_step_fca(demand, supply, distances, catchment, steps=E2SFCA_WEIGHTS)
