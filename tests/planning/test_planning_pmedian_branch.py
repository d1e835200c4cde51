"""Lagrangian branch-and-bound for p-median: the optimum of every p-subset enumeration, found and proved."""

import itertools
import time

import numpy as np
import pytest

from changzhu.planning.location import assignment_cost
from changzhu.planning.pmedian_branch import lagrangian_branch_and_bound


def _road_like(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Weighted costs on a small network: Manhattan distances between random points, with ties from rounding."""
    rng = np.random.default_rng(seed)
    points = rng.integers(0, 12, (n, 2)).astype(float)
    distances = np.abs(points[:, None, :] - points[None, :, :]).sum(-1)
    weights = rng.integers(1, 20, n).astype(float)
    return weights[:, None] * distances, weights


def _enumerated(cost: np.ndarray, p: int, forced: tuple[int, ...] = ()) -> float:
    free = [j for j in range(cost.shape[1]) if j not in forced]
    return min(assignment_cost(cost, [*forced, *c]) for c in itertools.combinations(free, p - len(forced)))


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("p", [2, 4])
def test_branch_and_bound_finds_and_proves_the_enumerated_optimum(seed: int, p: int) -> None:
    """From the worst incumbent seen in a few random p-subsets and zero multipliers: it has to find and prove."""
    cost, _ = _road_like(16, seed)
    rng = np.random.default_rng(seed)
    starts = [list(rng.choice(16, p, replace=False)) for _ in range(5)]
    start = max(starts, key=lambda s: assignment_cost(cost, s))
    result = lagrangian_branch_and_bound(
        cost, p, np.zeros(16), start, assignment_cost(cost, start), time.perf_counter() + 60, 1e-9
    )
    best = _enumerated(cost, p)
    assert result.proven
    assert result.upper == pytest.approx(best) and result.lower == pytest.approx(best)
    assert len(set(result.sites)) == p and assignment_cost(cost, result.sites) == pytest.approx(best)


def test_branch_and_bound_keeps_forced_sites_open() -> None:
    cost, _ = _road_like(14, 3)
    forced = np.zeros(14, dtype=bool)
    forced[[0, 13]] = True
    start = [0, 13, 1]
    result = lagrangian_branch_and_bound(
        cost, 3, np.zeros(14), start, assignment_cost(cost, start), time.perf_counter() + 60, 1e-9, forced
    )
    assert result.proven and {0, 13} <= set(result.sites)
    assert result.upper == pytest.approx(_enumerated(cost, 3, (0, 13)))


def test_past_the_deadline_it_says_unproven_with_a_valid_bound() -> None:
    cost, _ = _road_like(16, 5)
    start = [0, 1, 2]
    result = lagrangian_branch_and_bound(
        cost, 3, np.zeros(16), start, assignment_cost(cost, start), time.perf_counter() - 1.0, 1e-9
    )
    best = _enumerated(cost, 3)
    assert not result.proven and result.nodes == 0
    assert result.lower <= best <= result.upper
