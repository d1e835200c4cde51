"""Location models as one small class each, spopt-style: PMedian, MCLP, LSCP.

Build a model `from_cost_matrix(...)` (distances from demand points to candidate sites) or `from_frames(...)`
(demand points and candidate sites as polars frames with lon/lat, distances by changzhu.geography), then call
`.solve()`. Existing facilities are *predefined*: fixed open (spopt's `predefined_facility_col`), and the model
places new facilities around them. The result says how sure it is (status, objective, bound, gap) and how far
each demand point is from its nearest open facility before (predefined only) and after (with the new ones).

Solving is exact where the status says 'optimal' (HiGHS, with the reductions of changzhu.planning.location).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar, Self

import numpy as np
import numpy.typing as npt
import polars as pl

from changzhu.geography import haversine_km
from changzhu.planning.errors import PlanningInputError
from changzhu.planning.location import FORMULATIONS, max_covering, p_median, set_covering

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class LocationSolution:
    """A model's answer: new sites (candidate indices), status, objective, bound, gap, and access before/after."""

    model: str
    status: str
    objective: float
    bound: float
    gap: float
    sites: tuple[int, ...]
    predefined: tuple[int, ...]
    seconds: float
    nearest_before_km: FloatArray  # per demand point: distance to the nearest predefined facility (inf if none)
    nearest_after_km: FloatArray  # per demand point: distance to the nearest open facility
    weights: FloatArray
    detail: dict[str, float | int | str] = field(default_factory=dict)

    @property
    def open_sites(self) -> tuple[int, ...]:
        """Predefined and new sites together."""
        return tuple(sorted(self.predefined + self.sites))

    def mean_distance_km(self, after: bool = True) -> float:
        """Demand-weighted mean distance to the nearest open facility (inf before if nothing is predefined)."""
        nearest = self.nearest_after_km if after else self.nearest_before_km
        total = float(self.weights.sum())
        return float((self.weights * nearest).sum() / total) if total > 0 else float("nan")

    def covered_share(self, radius_km: float, after: bool = True) -> float:
        """Share of demand with an open facility within `radius_km`."""
        nearest = self.nearest_after_km if after else self.nearest_before_km
        total = float(self.weights.sum())
        return float(self.weights[nearest <= radius_km].sum() / total) if total > 0 else float("nan")


class _Model:
    """Shared construction: a distance matrix (demand × candidates), demand weights and predefined sites."""

    name: ClassVar[str]

    def __init__(
        self, distances: npt.ArrayLike, weights: npt.ArrayLike | None = None, predefined: Sequence[int] = ()
    ) -> None:
        d = np.asarray(distances, dtype=np.float64)
        if d.ndim != 2:
            raise PlanningInputError(f"the cost matrix must be two-dimensional, got shape {d.shape}")
        w = np.ones(d.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
        if w.shape != (d.shape[0],):
            raise PlanningInputError(f"{w.size} demand weights for {d.shape[0]} demand points")
        fixed = tuple(sorted({int(j) for j in predefined}))
        if any(not 0 <= j < d.shape[1] for j in fixed):
            raise PlanningInputError(f"predefined facility index out of range 0..{d.shape[1] - 1}: {fixed}")
        self.distances, self.weights, self.predefined = d, w, fixed
        self.free = np.setdiff1d(np.arange(d.shape[1]), np.asarray(fixed, dtype=np.int64))

    @classmethod
    def _frames(
        cls,
        demand: pl.DataFrame,
        facilities: pl.DataFrame,
        weight: str | None,
        lon: str,
        lat: str,
        predefined_col: str | None,
    ) -> tuple[FloatArray, FloatArray | None, list[int]]:
        for frame, label, cols in (
            (demand, "demand", [lon, lat] + ([weight] if weight else [])),
            (facilities, "facilities", [lon, lat] + ([predefined_col] if predefined_col else [])),
        ):
            missing = [c for c in cols if c not in frame.columns]
            if missing:
                raise PlanningInputError(f"{label} frame lacks column(s) {', '.join(missing)}")
            for c in (lon, lat):
                bad = frame[c].is_null().arg_true()
                if bad.len():
                    raise PlanningInputError(f"{label} row {int(bad[0])}: column {c} is missing")
        dist = haversine_km(demand[lon], demand[lat], facilities[lon], facilities[lat])
        w = demand[weight].cast(pl.Float64).to_numpy() if weight else None
        fixed = facilities[predefined_col].fill_null(False).arg_true().to_list() if predefined_col else []
        return dist, w, fixed

    def _nearest(self, sites: Sequence[int]) -> FloatArray:
        cols = list(sites)
        return self.distances[:, cols].min(axis=1) if cols else np.full(self.distances.shape[0], np.inf)

    def _solution(
        self, status: str, objective: float, bound: float, new: Sequence[int], seconds: float, detail: dict
    ) -> LocationSolution:
        sites = tuple(sorted(int(j) for j in new))
        gap = abs(objective - bound) / max(abs(objective), 1e-12) if np.isfinite(objective + bound) else float("inf")
        return LocationSolution(
            self.name,
            status,
            objective,
            bound,
            gap,
            sites,
            self.predefined,
            seconds,
            self._nearest(self.predefined),
            self._nearest(self.predefined + sites),
            self.weights,
            detail,
        )


class PMedian(_Model):
    """p-median: open p new facilities minimising the total demand-weighted distance to the nearest open one.

    Formulation (i demand points with weights w_i, j candidate sites, d_ij distance, F predefined sites)::

        min  Σ_i Σ_j w_i d_ij x_ij
        s.t. Σ_j x_ij = 1            for every i      (each point is served)
             x_ij ≤ y_j              for every i, j   (only by an open site)
             Σ_{j ∉ F} y_j = p                        (p new sites)
             y_j = 1                 for j ∈ F        (existing facilities stay open)
             x_ij, y_j ∈ {0, 1}

    With F fixed open, d_ij is replaced by min(d_ij, min_{f∈F} d_if) for j ∉ F — each point goes to its nearest
    open site, so this is the same problem — and solved by changzhu.planning.location.p_median: a greedy start
    improved by Teitz–Bart interchange, a Lagrangian bound (assignment rows relaxed with multipliers λ_i), and the
    sites that bound rules out dropped. By default (`formulation="lagrangian"`) the rest is a branch-and-bound over
    the kept sites (changzhu.planning.pmedian_branch) whose bound at every node is

        L(λ) = Σ_i λ_i + min { Σ_{j ∈ T} Σ_i min(0, w_i d_ij - λ_i) : |T| = p, T ⊇ opened, T ∩ closed = ∅ }

    re-optimised by subgradient steps from the parent's λ, with reduced-cost fixing of sites, branching on
    y_j (open / closed) and nodes taken best-first. `formulation="levels"` instead hands the reduced model (pairs
    the bound rules out dropped too) to HiGHS in Elloumi's (2010) formulation, with the interchange answer as its
    warm start (c_ij = w_i d_ij; for point i, c_i^1 < ... < c_i^{K_i} its distinct kept costs)::

        min  Σ_i c_i^1 + Σ_i Σ_{k<K_i} (c_i^{k+1} - c_i^k) z_i^k
        s.t. z_i^1 + Σ_{j: c_ij = c_i^1} y_j ≥ 1                     for every i
             z_i^k - z_i^{k-1} + Σ_{j: c_ij = c_i^k} y_j ≥ 0          for every i, 1 < k < K_i
             -z_i^{K_i-1} + Σ_{j: c_ij = c_i^{K_i}} y_j ≥ 0           for every i
             Σ_j y_j = p,   y_j ∈ {0, 1},   0 ≤ z_i^k ≤ 1

    z_i^k = 1 when no open site is within c_i^k. Its LP bound equals the classic one; it has one column per
    distinct distance of a point rather than one per pair, and fewer nonzeros. `formulation="assignment"` gives
    HiGHS the classic model. All three give the same optimum; on road and grid networks of 500–1,000 nodes with
    p = 5–10 the Lagrangian branch-and-bound proves more of them in 10 s (docs/planning.md has the numbers).
    """

    name = "p_median"

    def __init__(
        self,
        distances: npt.ArrayLike,
        weights: npt.ArrayLike | None,
        p: int,
        predefined: Sequence[int] = (),
        formulation: str = "lagrangian",
    ) -> None:
        super().__init__(distances, weights, predefined)
        if not 1 <= p <= self.free.size:
            raise PlanningInputError(f"p = {p} must be between 1 and the number of candidate sites ({self.free.size})")
        if formulation not in FORMULATIONS:
            raise PlanningInputError(f"formulation {formulation!r} is not one of {', '.join(FORMULATIONS)}")
        self.p, self.formulation = p, formulation

    @classmethod
    def from_cost_matrix(
        cls, cost_matrix: npt.ArrayLike, weights: npt.ArrayLike, p: int, predefined_facilities: Sequence[int] = ()
    ) -> Self:
        """From a demand × candidate distance matrix, demand weights and the indices of existing facilities."""
        return cls(cost_matrix, weights, p, predefined_facilities)

    @classmethod
    def from_frames(
        cls,
        demand: pl.DataFrame,
        facilities: pl.DataFrame,
        p: int,
        *,
        weight: str = "weight",
        lon: str = "lon",
        lat: str = "lat",
        predefined_col: str | None = None,
    ) -> Self:
        """From demand points (lon, lat, weight) and candidate sites (lon, lat, optional boolean predefined column)."""
        dist, w, fixed = cls._frames(demand, facilities, weight, lon, lat, predefined_col)
        return cls(dist, w, p, fixed)

    def solve(self, time_limit: float = 120.0) -> LocationSolution:
        """Place the p new sites; 'optimal' only when proved."""
        capped = self.distances[:, self.free]
        if self.predefined:
            capped = np.minimum(capped, self._nearest(self.predefined)[:, None])
        r = p_median(self.weights, capped, self.p, time_limit=time_limit, formulation=self.formulation)
        new = [int(self.free[j]) for j in r.sites]
        return self._solution(r.status, r.objective, r.bound, new, r.seconds, dict(r.detail))


class MCLP(_Model):
    """Maximal covering (MCLP): open p new facilities covering the most demand within `radius_km`.

    Formulation (N_i = sites within the radius of point i, F predefined sites)::

        max  Σ_i w_i z_i
        s.t. z_i ≤ Σ_{j ∈ N_i} y_j   for every i      (a point counts only if an open site covers it)
             Σ_{j ∉ F} y_j = p                        (p new sites)
             y_j = 1                 for j ∈ F
             y_j ∈ {0, 1},  0 ≤ z_i ≤ 1

    Points already covered by F have z_i = 1; the rest is solved by changzhu.planning.location.max_covering
    (merged rows, dominated sites dropped, LP bound, HiGHS) on the sites not in F.
    """

    name = "max_covering"

    def __init__(
        self,
        distances: npt.ArrayLike,
        weights: npt.ArrayLike | None,
        p: int,
        radius_km: float,
        predefined: Sequence[int] = (),
        mip_rel_gap: float = 0.0,
    ) -> None:
        super().__init__(distances, weights, predefined)
        if not 1 <= p <= self.free.size:
            raise PlanningInputError(f"p = {p} must be between 1 and the number of candidate sites ({self.free.size})")
        if radius_km <= 0:
            raise PlanningInputError(f"radius {radius_km} km must be positive")
        self.p, self.radius_km, self.mip_rel_gap = p, float(radius_km), mip_rel_gap

    @classmethod
    def from_cost_matrix(
        cls,
        cost_matrix: npt.ArrayLike,
        weights: npt.ArrayLike,
        p: int,
        radius_km: float,
        predefined_facilities: Sequence[int] = (),
    ) -> Self:
        """From a demand × candidate distance matrix, demand weights, the radius and existing facilities."""
        return cls(cost_matrix, weights, p, radius_km, predefined_facilities)

    @classmethod
    def from_frames(
        cls,
        demand: pl.DataFrame,
        facilities: pl.DataFrame,
        p: int,
        radius_km: float,
        *,
        weight: str = "weight",
        lon: str = "lon",
        lat: str = "lat",
        predefined_col: str | None = None,
    ) -> Self:
        """From demand points (lon, lat, weight) and candidate sites (lon, lat, optional predefined column)."""
        dist, w, fixed = cls._frames(demand, facilities, weight, lon, lat, predefined_col)
        return cls(dist, w, p, radius_km, fixed)

    def solve(self, time_limit: float = 120.0) -> LocationSolution:
        """Place the p new sites; 'optimal' only when proved ('gap_limit' when stopped at mip_rel_gap)."""
        done = self._nearest(self.predefined) <= self.radius_km
        already = float(self.weights[done].sum())
        rest = ~done
        if not rest.any() or not (self.distances[np.ix_(rest, self.free)] <= self.radius_km).any():
            detail: dict[str, float | int | str] = {"proof": "nothing left that a new site could cover"}
            return self._solution("optimal", already, already, self.free[: self.p].tolist(), 0.0, detail)
        r = max_covering(
            self.weights[rest],
            self.distances[np.ix_(rest, self.free)],
            self.p,
            self.radius_km,
            time_limit=time_limit,
            mip_rel_gap=self.mip_rel_gap,
        )
        new = [int(self.free[j]) for j in r.sites]
        detail = {**r.detail, "covered_by_predefined": already}
        return self._solution(r.status, already + r.objective, already + r.bound, new, r.seconds, detail)


class LSCP(_Model):
    """Location set covering (LSCP): the fewest new facilities so every demand point has one within `radius_km`.

    Formulation (N_i = sites within the radius of point i, F predefined sites)::

        min  Σ_{j ∉ F} y_j
        s.t. Σ_{j ∈ N_i} y_j ≥ 1     for every i not covered by F
             y_j ∈ {0, 1}

    Points covered by F need nothing; the rest is solved exactly by HiGHS
    (changzhu.planning.location.set_covering, identical rows merged).
    """

    name = "set_covering"

    def __init__(
        self,
        distances: npt.ArrayLike,
        radius_km: float,
        predefined: Sequence[int] = (),
        weights: npt.ArrayLike | None = None,
    ) -> None:
        """`weights` do not change the solution; they weight the access-before-and-after summaries."""
        super().__init__(distances, weights, predefined)
        if radius_km <= 0:
            raise PlanningInputError(f"radius {radius_km} km must be positive")
        self.radius_km = float(radius_km)

    @classmethod
    def from_cost_matrix(
        cls, cost_matrix: npt.ArrayLike, radius_km: float, predefined_facilities: Sequence[int] = ()
    ) -> Self:
        """From a demand × candidate distance matrix, the radius and existing facilities."""
        return cls(cost_matrix, radius_km, predefined_facilities)

    @classmethod
    def from_frames(
        cls,
        demand: pl.DataFrame,
        facilities: pl.DataFrame,
        radius_km: float,
        *,
        weight: str | None = "weight",
        lon: str = "lon",
        lat: str = "lat",
        predefined_col: str | None = None,
    ) -> Self:
        """From demand points (lon, lat, optional weight) and candidate sites (lon, lat, optional predefined)."""
        dist, w, fixed = cls._frames(demand, facilities, weight, lon, lat, predefined_col)
        return cls(dist, radius_km, fixed, w)

    def solve(self, time_limit: float = 120.0) -> LocationSolution:
        """The fewest new sites covering every point; PlanningInputError names a point no site can cover."""
        never = np.flatnonzero((self.distances > self.radius_km).all(axis=1))
        if never.size:
            raise PlanningInputError(
                f"demand point {int(never[0])} is farther than {self.radius_km} km from every site; "
                f"{never.size} point(s) cannot be covered"
            )
        rest = self._nearest(self.predefined) > self.radius_km
        if not rest.any():
            return self._solution("optimal", 0.0, 0.0, [], 0.0, {"proof": "the predefined facilities cover all"})
        r = set_covering(self.distances[np.ix_(rest, self.free)], self.radius_km, time_limit=time_limit)
        new = [int(self.free[j]) for j in r.sites]
        return self._solution(r.status, r.objective, r.bound, new, r.seconds, dict(r.detail))
