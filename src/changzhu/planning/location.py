"""Facility location-allocation (设施选址): the solvers behind PMedian, MCLP and LSCP (planning.location_models,
the API to use), solved with HiGHS.

p-median runs a Lagrangian relaxation first (subgradient on the assignment constraints, with a greedy start and
swap local search for the incumbent), uses the Lagrangian bound to drop assignments and sites that cannot be in
any better solution, and hands the reduced exact model to HiGHS. Nothing is called optimal unless HiGHS proved
it (or the Lagrangian bound meets the incumbent); otherwise the status is the solver's and the bound and gap
are reported as they are.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from changzhu.planning.errors import PlanningInputError
from changzhu.planning.highs import solve_mip
from changzhu.planning.pmedian_branch import lagrangian_branch_and_bound

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
PROOF_TOLERANCE = 1e-9
MAX_REDUCED_PAIRS = 400_000
FORMULATIONS = ("lagrangian", "levels", "assignment")
# HiGHS on the level model: the swap search's answer is the incumbent, so no primal heuristics (their sub-MIPs took
# most of the time); branch at once (no reliability strong branching, no restarts). On a 484-node grid, p = 10,
# reduced model: defaults left a 0.12 % gap after 25 s with no B&B node; these prove the optimum in 6 s (9 nodes).
LEVEL_OPTIONS: dict[str, bool | int | float | str] = {
    "mip_heuristic_effort": 0.0,
    "mip_heuristic_run_rins": False,
    "mip_heuristic_run_rens": False,
    "mip_heuristic_run_feasibility_jump": False,
    "mip_heuristic_run_root_reduced_cost": False,
    "mip_pscost_minreliable": 0,
    "mip_allow_restart": False,
}  # above this the exact model would not fit in ~1 GB: keep the Lagrangian bound


@dataclass(frozen=True)
class LocationResult:
    """A location model's answer: which sites, how good, and how sure (status, bound, relative gap)."""

    model: str
    status: str
    objective: float
    bound: float
    gap: float
    sites: tuple[int, ...]
    seconds: float
    assignment: IntArray | None = None
    detail: dict[str, float | int | str] = field(default_factory=dict)


def _check(weights: FloatArray, cost: FloatArray, p: int | None) -> None:
    if cost.ndim != 2 or cost.shape[0] != weights.shape[0]:
        raise PlanningInputError(
            f"distance matrix has shape {cost.shape}, expected (demand points={weights.shape[0]}, candidates)"
        )
    if not np.all(np.isfinite(cost)) or np.any(cost < 0):
        raise PlanningInputError("distance matrix has a negative or non-finite entry")
    if np.any(weights < 0) or not np.all(np.isfinite(weights)):
        raise PlanningInputError("demand weights must be finite and non-negative")
    if p is not None and not 1 <= p <= cost.shape[1]:
        raise PlanningInputError(f"p = {p} must be between 1 and the number of candidate sites ({cost.shape[1]})")


def _gap(objective: float, bound: float) -> float:
    if not np.isfinite(objective) or not np.isfinite(bound):
        return float("inf")
    return abs(objective - bound) / max(abs(objective), 1e-12)


def assignment_cost(cost: FloatArray, sites: npt.ArrayLike) -> float:
    """Total weighted cost when every demand point is served by its nearest open site."""
    return float(cost[:, np.asarray(sites, dtype=np.int64)].min(axis=1).sum())


def _greedy(cost: FloatArray, p: int) -> list[int]:
    best = np.full(cost.shape[0], np.inf)
    chosen: list[int] = []
    for _ in range(p):
        totals = np.minimum(cost, best[:, None]).sum(axis=0)
        totals[chosen] = np.inf
        j = int(np.argmin(totals))
        chosen.append(j)
        best = np.minimum(best, cost[:, j])
    return chosen


def _swap_search(cost: FloatArray, sites: list[int], deadline: float) -> list[int]:
    """Best-improvement swap (Teitz-Bart interchange), vectorised over all (in, out) pairs per step."""
    current = list(sites)
    n, _m = cost.shape
    rows = np.arange(n)
    while time.perf_counter() < deadline:
        sub = cost[:, current]
        order = np.argsort(sub, axis=1)[:, :2] if len(current) > 1 else np.zeros((n, 1), dtype=np.int64)
        d1 = sub[rows, order[:, 0]]
        d2 = sub[rows, order[:, 1]] if len(current) > 1 else np.full(n, np.inf)
        gain_add = np.minimum(cost - d1[:, None], 0.0).sum(axis=0)
        loss = np.minimum(cost, d2[:, None]) - np.minimum(cost, d1[:, None])
        owner = sp.csr_matrix((np.ones(n), (order[:, 0], rows)), shape=(len(current), n))
        delta = gain_add[None, :] + (owner @ loss)  # (out position, in candidate)
        delta[:, current] = np.inf
        k, j = np.unravel_index(int(np.argmin(delta)), delta.shape)
        if delta[k, j] >= -1e-9 * max(1.0, float(d1.sum())):
            break
        current[int(k)] = int(j)
    return current


@dataclass
class _Lagrangian:
    lower: float
    multipliers: FloatArray
    upper: float
    sites: list[int]
    iterations: int


def _lagrangian(
    cost: FloatArray, p: int, sites: list[int], upper: float, deadline: float, max_iter: int
) -> _Lagrangian:
    lam = cost[:, sites].min(axis=1)  # each point's cost in the incumbent: a warm start near the dual optimum
    best_lower, best_lam = -np.inf, lam.copy()
    theta, stall, it = 2.0, 0, 0
    clipped = np.empty_like(cost)  # min(0, c_ij - λ_i), one buffer for all iterations
    for it in range(1, max_iter + 1):
        np.subtract(cost, lam[:, None], out=clipped)
        np.minimum(clipped, 0.0, out=clipped)
        rho = clipped.sum(axis=0)
        chosen = np.argpartition(rho, p - 1)[:p]
        lower = float(lam.sum() + rho[chosen].sum())
        if lower > best_lower + 1e-12 * abs(lower):
            best_lower, best_lam, stall = lower, lam.copy(), 0
        else:
            stall += 1
            if stall >= 30:
                theta, stall = theta / 2.0, 0
        candidate = assignment_cost(cost, chosen)
        if it % 100 == 0:  # polish the Lagrangian's own choice now and then: a different start for the swaps
            polished = _swap_search(cost, [int(j) for j in chosen], deadline)
            candidate, chosen = min(
                (candidate, chosen),
                (assignment_cost(cost, polished), np.array(polished)),
                key=lambda pair: float(pair[0]),
            )
        if candidate < upper:
            upper, sites = candidate, [int(j) for j in chosen]
        if upper - best_lower <= PROOF_TOLERANCE * abs(upper) or theta < 1e-4 or time.perf_counter() > deadline:
            break
        grad = 1.0 - (clipped[:, chosen] < 0).sum(axis=1)
        norm = float(grad @ grad)
        if norm == 0.0:
            break
        lam = lam + theta * (upper - lower) / norm * grad
    return _Lagrangian(best_lower, best_lam, upper, sites, it)


def _reduced_model(cost: FloatArray, p: int, lag: _Lagrangian) -> tuple[sp.coo_matrix, FloatArray, FloatArray]:
    """Pairs (i, j) whose Lagrangian bound with x_ij = 1 is below the incumbent, and site bounds from fixing."""
    n, m = cost.shape
    reduced = cost - lag.multipliers[:, None]
    rho = np.minimum(reduced, 0.0).sum(axis=0)
    order = np.argsort(rho)
    chosen = np.zeros(m, dtype=bool)
    chosen[order[:p]] = True
    rho_p = rho[order[p - 1]]
    rho_next = rho[order[p]] if p < m else np.inf
    lower = lag.lower
    cutoff = lag.upper + PROOF_TOLERANCE * abs(lag.upper)
    open_penalty = np.where(chosen, 0.0, rho - rho_p)  # raise of the bound when site j is forced open
    pair_bound = lower + np.maximum(reduced, 0.0) + open_penalty[None, :]
    keep = pair_bound <= cutoff
    y_lower = np.where(chosen & (lower - rho + rho_next > cutoff), 1.0, 0.0)
    y_upper = np.where(~chosen & (lower + open_penalty > cutoff), 0.0, 1.0)
    keep &= (y_upper > 0)[None, :]
    i, j = np.nonzero(keep)
    return sp.coo_matrix((cost[i, j], (i, j)), shape=(n, m)), y_lower, y_upper


def _solve_reduced(pairs: sp.coo_matrix, p: int, y_lower: FloatArray, y_upper: FloatArray, time_limit: float):  # type: ignore[no-untyped-def]
    n, m = pairs.shape
    k = pairs.nnz
    rows_i, cols_j = pairs.row.astype(np.int64), pairs.col.astype(np.int64)
    # columns: x_0..x_{k-1}, y_0..y_{m-1}; rows: n assignment, k linking (x - y <= 0), 1 cardinality
    x_idx = np.arange(k)
    data = np.concatenate([np.ones(k), np.ones(k), -np.ones(k), np.ones(m)])
    r = np.concatenate([rows_i, n + x_idx, n + x_idx, np.full(m, n + k)])
    c = np.concatenate([x_idx, x_idx, k + cols_j, k + np.arange(m)])
    matrix = sp.csc_matrix((data, (r, c)), shape=(n + k + 1, k + m))
    row_lower = np.concatenate([np.ones(n), np.full(k, -np.inf), [p]])
    row_upper = np.concatenate([np.ones(n), np.zeros(k), [p]])
    col_cost = np.concatenate([pairs.data, np.zeros(m)])
    col_lower = np.concatenate([np.zeros(k), y_lower])
    col_upper = np.concatenate([np.ones(k), y_upper])
    integer = np.concatenate([np.zeros(k, dtype=bool), np.ones(m, dtype=bool)])
    return solve_mip(col_cost, matrix, row_lower, row_upper, col_lower, col_upper, integer, time_limit=time_limit)


@dataclass(frozen=True)
class _Levels:
    """Distinct cost levels of the kept pairs: each level's row, cost, and the constant Σ_i (cheapest level of i)."""

    row: IntArray
    cost: FloatArray
    last: BoolArray
    level_of_pair: IntArray
    site_of_pair: IntArray
    constant: float


def _levels(pairs: sp.coo_matrix) -> _Levels:
    order = np.lexsort((pairs.data, pairs.row))
    rows, sites, costs = pairs.row[order].astype(np.int64), pairs.col[order].astype(np.int64), pairs.data[order]
    new = np.ones(rows.size, dtype=bool)
    new[1:] = (rows[1:] != rows[:-1]) | (costs[1:] != costs[:-1])
    level_of_pair = np.cumsum(new) - 1
    level_row, level_cost = rows[new], costs[new]
    last = np.ones(level_row.size, dtype=bool)
    last[:-1] = level_row[1:] != level_row[:-1]
    first = np.ones(level_row.size, dtype=bool)
    first[1:] = level_row[1:] != level_row[:-1]
    return _Levels(level_row, level_cost, last, level_of_pair, sites, float(level_cost[first].sum()))


def _level_model(
    levels: _Levels, m: int, p: int, y_lower: FloatArray, y_upper: FloatArray
) -> tuple[dict[str, Any], IntArray]:
    """Elloumi's (2010) formulation on the kept pairs: one variable per distance level of a point, not per pair.

    For point i with kept costs c_i^1 < ... < c_i^K, z_i^k = 1 when no open site is within c_i^k; in the chained
    (sparse) form: z_i^1 + Σ_{c_ij = c_i^1} y_j ≥ 1, z_i^k - z_i^{k-1} + Σ_{c_ij = c_i^k} y_j ≥ 0 (1 < k < K),
    -z_i^{K-1} + Σ_{c_ij = c_i^K} y_j ≥ 0, Σ_j y_j = p; minimise Σ_{i,k<K} (c_i^{k+1} - c_i^k) z_i^k (+ constant).
    Returns the solve_mip arguments and each level's z column (-1 for a point's last level, which has none).
    """
    count = levels.row.size
    has_z = ~levels.last
    z_col = np.full(count, -1, dtype=np.int64)
    z_col[has_z] = m + np.arange(int(has_z.sum()))
    step = np.zeros(count)
    step[has_z] = levels.cost[1:][has_z[:-1]] - levels.cost[:-1][has_z[:-1]]
    own = np.flatnonzero(has_z)  # +z_ℓ in row ℓ
    previous = own + 1  # -z_ℓ in row ℓ+1 (same point, next level)
    r = np.concatenate([levels.level_of_pair, own, previous, np.full(m, count)])
    c = np.concatenate([levels.site_of_pair, z_col[own], z_col[own], np.arange(m)])
    data = np.concatenate([np.ones(levels.site_of_pair.size), np.ones(own.size), -np.ones(own.size), np.ones(m)])
    columns = m + own.size
    first = np.ones(count, dtype=bool)
    first[1:] = levels.row[1:] != levels.row[:-1]
    model = {
        "cost": np.concatenate([np.zeros(m), step[own]]),
        "matrix": sp.csc_matrix((data, (r, c)), shape=(count + 1, columns)),
        "row_lower": np.concatenate([first.astype(np.float64), [p]]),
        "row_upper": np.concatenate([np.full(count, np.inf), [p]]),
        "col_lower": np.concatenate([y_lower, np.zeros(own.size)]),
        "col_upper": np.concatenate([y_upper, np.ones(own.size)]),
        "integer": np.concatenate([np.ones(m, dtype=bool), np.zeros(own.size, dtype=bool)]),
    }
    return model, z_col


def _level_start(levels: _Levels, z_col: IntArray, m: int, sites: list[int]) -> FloatArray | None:
    """The incumbent as a start for the level model (None if a point has no kept pair to an open site)."""
    is_open = np.zeros(m, dtype=bool)
    is_open[sites] = True
    level_open = np.bincount(levels.level_of_pair, weights=is_open[levels.site_of_pair], minlength=levels.row.size)
    reached = level_open > 0
    # a point's level is uncovered while no open site has appeared at it or below: a running count within the point
    served_by = np.maximum.accumulate(np.where(reached, np.arange(reached.size), -1))
    point_start = np.flatnonzero(np.r_[True, levels.row[1:] != levels.row[:-1]])
    start_of = np.repeat(point_start, np.diff(np.r_[point_start, levels.row.size]))
    uncovered = served_by < start_of
    if uncovered[levels.last].any():
        return None
    start = np.zeros(m + int((z_col >= 0).sum()))
    start[sites] = 1.0
    has_z = z_col >= 0
    start[z_col[has_z]] = uncovered[has_z].astype(np.float64)
    return start


def _branch(
    cost: FloatArray,
    p: int,
    lag: _Lagrangian,
    y_lower: FloatArray,
    y_upper: FloatArray,
    deadline: float,
    detail: dict[str, float | int | str],
) -> tuple[float, float, str, list[int]]:
    """Lagrangian branch-and-bound on the sites the root reduction keeps: objective, bound, status, sites."""
    kept = np.union1d(np.flatnonzero(y_upper > 0), lag.sites)  # the incumbent's sites are never ruled out
    position = {int(j): k for k, j in enumerate(kept)}
    began = time.perf_counter()
    found = lagrangian_branch_and_bound(
        cost[:, kept],
        p,
        lag.multipliers,
        [position[j] for j in lag.sites],
        lag.upper,
        deadline,
        PROOF_TOLERANCE,
        y_lower[kept] > 0,
    )
    detail.update(
        formulation="lagrangian",
        branch_nodes=found.nodes,
        branch_sites=int(kept.size),
        branch_seconds=time.perf_counter() - began,
    )
    sites = [int(kept[k]) for k in found.sites]
    objective = assignment_cost(cost, sites)
    if found.proven:
        detail["proof"] = "Lagrangian branch-and-bound over the kept sites (relative gap 1e-9)"
        return objective, objective, "optimal", sites
    return objective, max(lag.lower, min(objective, found.lower)), "time_limit", sites


def p_median(
    weights: npt.ArrayLike,
    distances: npt.ArrayLike,
    p: int,
    *,
    time_limit: float = 120.0,
    max_iter: int = 600,
    formulation: str = "lagrangian",
) -> LocationResult:
    """Choose p sites minimising total weighted distance to the nearest open site (weights: demand, e.g. children).

    `formulation` is how the reduced problem is solved exactly after the Lagrangian reduction: "lagrangian"
    (branch-and-bound over the kept sites with a Lagrangian bound at every node, changzhu.planning.pmedian_branch),
    or HiGHS on "levels" (Elloumi 2010, one variable per distinct distance of a point, with the incumbent as a warm
    start) or on "assignment" (the classic x_ij ≤ y_j model); the HiGHS ones are kept to compare against.
    """
    if formulation not in FORMULATIONS:
        raise PlanningInputError(f"formulation {formulation!r} is not one of {', '.join(FORMULATIONS)}")
    start = time.perf_counter()
    w = np.asarray(weights, dtype=np.float64)
    d = np.asarray(distances, dtype=np.float64)
    _check(w, d, p)
    cost = w[:, None] * d
    deadline = start + time_limit
    sites = _swap_search(cost, _greedy(cost, p), start + 0.25 * time_limit)
    lag = _lagrangian(cost, p, sites, assignment_cost(cost, sites), start + 0.5 * time_limit, max_iter)
    sites = _swap_search(cost, lag.sites, start + 0.55 * time_limit)
    lag.upper, lag.sites = assignment_cost(cost, sites), sites
    detail: dict[str, float | int | str] = {
        "lagrangian_bound": lag.lower,
        "lagrangian_iterations": lag.iterations,
        "heuristic_objective": lag.upper,
    }
    objective, bound, status = lag.upper, lag.lower, "feasible"
    if lag.upper - lag.lower <= PROOF_TOLERANCE * abs(lag.upper):
        status, bound = "optimal", lag.upper
        detail["proof"] = "lagrangian bound meets the incumbent"
    else:
        pairs, y_lower, y_upper = _reduced_model(cost, p, lag)
        detail.update(
            reduced_pairs=int(pairs.nnz),
            full_pairs=int(cost.size),
            sites_fixed_open=int(y_lower.sum()),
            sites_fixed_closed=int((y_upper == 0).sum()),
        )
        covered = np.bincount(pairs.row, minlength=cost.shape[0]) > 0
        if not covered.all():
            status, bound = "optimal", lag.upper
            detail["proof"] = "no assignment can beat the incumbent (Lagrangian reduced costs)"
        elif formulation == "lagrangian":
            objective, bound, status, sites = _branch(cost, p, lag, y_lower, y_upper, deadline, detail)
        elif pairs.nnz > MAX_REDUCED_PAIRS:
            detail["highs_status"] = (
                f"not run: reduced model has {pairs.nnz:,} assignments (limit {MAX_REDUCED_PAIRS:,})"
            )
        else:
            remaining = max(1.0, deadline - time.perf_counter())
            if formulation == "levels":
                levels = _levels(pairs)
                model, z_col = _level_model(levels, cost.shape[1], p, y_lower, y_upper)
                warm = _level_start(levels, z_col, cost.shape[1], sites)
                mip = solve_mip(**model, time_limit=remaining, start=warm, options=LEVEL_OPTIONS)
                mip = replace(mip, objective=mip.objective + levels.constant, bound=mip.bound + levels.constant)
                site_columns = mip.x[: cost.shape[1]]
                detail["distance_levels"] = int(levels.row.size)
            else:
                mip = _solve_reduced(pairs, p, y_lower, y_upper, remaining)
                site_columns = mip.x[pairs.nnz :]
            detail["formulation"] = formulation
            detail["highs_status"], detail["highs_seconds"] = mip.status, mip.seconds
            if np.isfinite(mip.objective):
                milp_sites = [int(j) for j in np.flatnonzero(site_columns > 0.5)]
                milp_cost = assignment_cost(cost, milp_sites)
                if milp_cost < objective:
                    objective, sites = milp_cost, milp_sites
            if mip.status == "optimal" or mip.status == "infeasible":
                status, bound = "optimal", objective
                detail["proof"] = "HiGHS on the reduced model (bound relative gap 1e-9)"
            else:
                status = mip.status
                reduced_bound = mip.bound if np.isfinite(mip.bound) else lag.lower
                bound = max(lag.lower, min(objective, reduced_bound))
    assignment = np.asarray(sites, dtype=np.int64)[np.argmin(cost[:, sites], axis=1)]
    return LocationResult(
        "p_median",
        status,
        objective,
        bound,
        _gap(objective, bound),
        tuple(sorted(sites)),
        time.perf_counter() - start,
        assignment,
        detail,
    )


def _coverage(distances: FloatArray, radius: float) -> sp.csr_matrix:
    return sp.csr_matrix(distances <= radius, dtype=np.float64)


def _dedupe_rows(cover: sp.csr_matrix, weights: FloatArray) -> tuple[sp.csr_matrix, FloatArray]:
    """Demand points with the same set of covering sites are one constraint with the summed weight."""
    rows, merged = _merge_rows(cover.toarray().astype(bool), weights)
    return sp.csr_matrix(rows, dtype=np.float64), merged


def _merge_rows(cover: BoolArray, weights: FloatArray) -> tuple[BoolArray, FloatArray]:
    packed = np.packbits(cover, axis=1)
    _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    merged = np.bincount(inverse.ravel(), weights=weights, minlength=first.size).astype(np.float64)
    return cover[first], merged


def _undominated_sites(cover: BoolArray) -> IntArray:
    """Sites whose covered set is not inside another site's (ties keep the lowest index): an optimum uses only these."""
    counts = cover.sum(axis=0)
    as_float = cover.astype(np.float32)  # BLAS; counts below 2**24 are exact
    shared = as_float.T @ as_float
    inside = shared >= counts[:, None] - 0.5  # inside[j, k]: every row site j covers, site k covers too
    np.fill_diagonal(inside, False)
    same = inside & inside.T
    index = np.arange(cover.shape[1])
    dominated = (inside & ~same).any(axis=1) | (same & (index[None, :] < index[:, None])).any(axis=1)
    return np.flatnonzero(~dominated)


def _covered(cover: BoolArray, weights: FloatArray, sites: list[int]) -> float:
    return float(weights[cover[:, sites].any(axis=1)].sum())


def _covering_swaps(cover: BoolArray, weights: FloatArray, sites: list[int]) -> list[int]:
    """Best-improvement swap for maximal covering: exchange an open site for a closed one while coverage grows."""
    current = list(sites)
    dense = cover.astype(np.float64)
    while True:
        count = cover[:, current].sum(axis=1)
        gain_add = (weights * (count == 0)) @ dense
        sole = weights * (count == 1)
        sole_rows = sole[:, None] * cover[:, current]  # weight each open site alone covers
        delta = gain_add[None, :] - sole_rows.sum(axis=0)[:, None] + sole_rows.T @ dense
        delta[:, current] = -np.inf
        k, j = np.unravel_index(int(np.argmax(delta)), delta.shape)
        if delta[k, j] <= 1e-9 * max(1.0, float(weights.sum())):
            return current
        current[int(k)] = int(j)


def _covering_heuristic(
    cover: BoolArray, weights: FloatArray, p: int, lp_sites: FloatArray, bound: float, deadline: float
) -> list[int]:
    """Greedy, then swaps from the greedy and from random starts drawn by the LP relaxation's site values."""
    uncovered, greedy = np.ones(cover.shape[0], dtype=bool), list[int]()
    for _ in range(p):
        gain = (weights * uncovered) @ cover
        gain[greedy] = -1.0
        j = int(np.argmax(gain))
        greedy.append(j)
        uncovered &= ~cover[:, j]
    best = _covering_swaps(cover, weights, greedy)
    best_value = _covered(cover, weights, best)
    rng = np.random.default_rng(0)
    odds = np.clip(lp_sites, 0.0, 1.0) + 1e-3
    for _ in range(30):
        if time.perf_counter() > deadline or bound - best_value <= PROOF_TOLERANCE * abs(bound):
            break
        pick = [int(j) for j in rng.choice(cover.shape[1], p, replace=False, p=odds / odds.sum())]
        sites = _covering_swaps(cover, weights, pick)
        value = _covered(cover, weights, sites)
        if value > best_value:
            best, best_value = sites, value
    return best


def _covering_model(cover: BoolArray, weights: FloatArray, p: int, integer: bool) -> dict[str, Any]:
    """MCLP over rows i and sites j: max Σ w_i z_i, z_i ≤ Σ_{j covers i} y_j, Σ y_j ≤ p, y binary, 0 ≤ z ≤ 1."""
    n, m = cover.shape
    link = sp.hstack([-sp.csr_matrix(cover, dtype=np.float64), sp.identity(n)])
    card = sp.hstack([sp.csr_matrix(np.ones((1, m))), sp.csr_matrix((1, n))])
    return {
        "cost": np.concatenate([np.zeros(m), weights]),
        "matrix": sp.vstack([link, card]).tocsc(),
        "row_lower": np.full(n + 1, -np.inf),
        "row_upper": np.concatenate([np.zeros(n), [p]]),
        "col_lower": np.zeros(m + n),
        "col_upper": np.ones(m + n),
        "integer": np.concatenate([np.full(m, integer), np.zeros(n, dtype=bool)]),
        "maximize": True,
    }


def max_covering(
    weights: npt.ArrayLike,
    distances: npt.ArrayLike,
    p: int,
    radius: float,
    *,
    time_limit: float = 120.0,
    mip_rel_gap: float = 0.0,
) -> LocationResult:
    """Choose p sites covering the most demand within `radius` (maximal covering location, MCLP).

    Demand points with the same covering sites are merged and dominated sites dropped (both keep the optimum);
    the LP relaxation gives a bound and guides a swap heuristic, whose answer warm-starts HiGHS. With
    `mip_rel_gap` > 0 the search stops once the proven gap is below it (status 'gap_limit', not 'optimal').
    """
    start = time.perf_counter()
    w = np.asarray(weights, dtype=np.float64)
    d = np.asarray(distances, dtype=np.float64)
    _check(w, d, p)
    if not 0.0 <= mip_rel_gap < 1.0:
        raise PlanningInputError(f"mip_rel_gap = {mip_rel_gap} must be in [0, 1)")
    deadline = start + time_limit
    full = d <= radius
    coverable = full.any(axis=1)
    if not coverable.any():  # nothing can be covered: any p sites are optimal
        sites_none = tuple(range(p))
        return LocationResult("max_covering", "optimal", 0.0, 0.0, 0.0, sites_none, time.perf_counter() - start)
    kept = _undominated_sites(full[coverable])
    cover, merged = _merge_rows(full[coverable][:, kept], w[coverable])
    n, m = cover.shape
    relaxed = solve_mip(**_covering_model(cover, merged, p, integer=False), time_limit=time_limit)
    lp_bound = relaxed.objective if np.isfinite(relaxed.objective) else float(merged.sum())
    lp_sites = relaxed.x[:m] if np.isfinite(relaxed.objective) else np.zeros(m)
    local = _covering_heuristic(cover, merged, min(p, m), lp_sites, lp_bound, start + 0.1 * time_limit)
    objective, bound = _covered(cover, merged, local), min(lp_bound, float(merged.sum()))
    detail: dict[str, float | int | str] = {
        "distinct_demand_rows": n,
        "undominated_sites": m,
        "lp_bound": lp_bound,
        "heuristic_objective": objective,
        "radius": radius,
    }
    target = max(mip_rel_gap, PROOF_TOLERANCE)
    if bound - objective <= PROOF_TOLERANCE * abs(objective):
        status, bound = "optimal", objective
        detail["proof"] = "LP relaxation bound meets the heuristic"
    elif bound - objective <= target * abs(objective):
        status = "gap_limit"
    else:
        warm = np.concatenate([np.isin(np.arange(m), local), cover[:, local].any(axis=1)]).astype(np.float64)
        mip = solve_mip(
            **_covering_model(cover, merged, p, integer=True),
            time_limit=max(1.0, deadline - time.perf_counter()),
            mip_rel_gap=target,
            start=warm,
        )
        detail["highs_status"], detail["highs_seconds"] = mip.status, mip.seconds
        if np.isfinite(mip.objective):
            chosen = [int(j) for j in np.flatnonzero(mip.x[:m] > 0.5)]
            if _covered(cover, merged, chosen) > objective:
                local, objective = chosen, _covered(cover, merged, chosen)
        if np.isfinite(mip.bound):
            bound = min(bound, max(mip.bound, objective))
        status = mip.status
        if status == "optimal":
            detail["proof"] = "HiGHS (relative gap 1e-9)"
    sites = [int(kept[j]) for j in local]
    spare = [j for j in np.argsort(-(w @ full), kind="stable") if int(j) not in sites]
    sites = sorted(sites + [int(j) for j in spare[: p - len(sites)]])
    covered = float(w[full[:, sites].any(axis=1)].sum())
    bound = covered if status == "optimal" else bound
    detail["covered_share"] = covered / float(w.sum()) if w.sum() else float("nan")
    return LocationResult(
        "max_covering",
        status,
        covered,
        bound,
        _gap(covered, bound),
        tuple(sites),
        time.perf_counter() - start,
        None,
        detail,
    )


def set_covering(distances: npt.ArrayLike, radius: float, *, time_limit: float = 120.0) -> LocationResult:
    """The fewest sites such that every demand point has one within `radius` (location set covering, LSCP)."""
    start = time.perf_counter()
    d = np.asarray(distances, dtype=np.float64)
    _check(np.ones(d.shape[0]), d, None)
    cover = _coverage(d, radius)
    uncovered = np.flatnonzero(np.asarray(cover.sum(axis=1)).ravel() == 0)
    if uncovered.size:
        raise PlanningInputError(
            f"demand point {int(uncovered[0])} is farther than {radius} from every candidate site; "
            f"{uncovered.size} point(s) cannot be covered"
        )
    rows, _ = _dedupe_rows(cover, np.ones(d.shape[0]))
    n, m = rows.shape
    mip = solve_mip(
        np.ones(m),
        rows.tocsc(),
        np.ones(n),
        np.full(n, np.inf),
        np.zeros(m),
        np.ones(m),
        np.ones(m, dtype=bool),
        time_limit=time_limit,
    )
    sites = tuple(int(j) for j in np.flatnonzero(mip.x > 0.5))
    objective = float(len(sites)) if sites else float("nan")
    return LocationResult(
        "set_covering",
        mip.status,
        objective,
        mip.bound,
        _gap(objective, mip.bound),
        sites,
        time.perf_counter() - start,
        None,
        {"distinct_demand_rows": n, "radius": radius},
    )
