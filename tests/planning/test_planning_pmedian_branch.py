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


def test_pair_list_gives_the_dense_rho_and_served_counts_as_multipliers_move() -> None:
    """ρ and the served counts from the capped pair list equal the dense ones, also after λ passes its cap."""
    from changzhu.planning.pmedian_branch import _Pairs

    cost, _ = _road_like(20, 7)
    pairs = _Pairs(cost)
    rng = np.random.default_rng(7)
    lam = np.zeros(20)
    for step in range(12):
        lam = np.maximum(lam + rng.normal(0.0, cost.mean() / 2, 20), -1.0) if step % 3 else lam * 1.5 + 1.0
        rho, reduced = pairs.rho(lam)
        dense = np.minimum(cost - lam[:, None], 0.0)
        assert rho == pytest.approx(dense.sum(axis=0), abs=1e-9)
        chosen = rng.choice(20, 4, replace=False)
        assert np.array_equal(pairs.served(reduced, chosen), (dense[:, chosen] < 0).sum(axis=1))


@pytest.mark.parametrize("seed", range(4))
def test_branch_and_bound_proves_the_enumerated_optimum_on_larger_instances(seed: int) -> None:
    """22 sites, p = 5 (26,334 subsets): deep enough that best-first search and node fixing both get used."""
    cost, _ = _road_like(22, 100 + seed)
    start = [0, 1, 2, 3, 4]
    result = lagrangian_branch_and_bound(
        cost, 5, np.zeros(22), start, assignment_cost(cost, start), time.perf_counter() + 60, 1e-9
    )
    best = _enumerated(cost, 5)
    assert result.proven and result.upper == pytest.approx(best) and result.lower == pytest.approx(best)
    assert assignment_cost(cost, result.sites) == pytest.approx(best)
