"""Elloumi's level formulation of p-median gives the classic formulation's optimum (and enumeration's)."""

import itertools

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from changzhu.planning.highs import solve_mip
from changzhu.planning.location import (
    _level_model,
    _level_start,
    _levels,
    _solve_reduced,
    assignment_cost,
    p_median,
)
from changzhu.planning.location_models import PMedian


def _grid(rows: int, cols: int, lengths: np.ndarray) -> np.ndarray:
    """Shortest-path distances on a rows x cols grid whose horizontal/vertical steps have the given lengths."""
    x = np.concatenate([[0.0], np.cumsum(lengths[: cols - 1])])
    y = np.concatenate([[0.0], np.cumsum(lengths[cols - 1 : cols + rows - 2])])
    px, py = np.meshgrid(x, y)
    px, py = px.ravel(), py.ravel()
    return np.abs(px[:, None] - px[None, :]) + np.abs(py[:, None] - py[None, :])


def _enumerated(cost: np.ndarray, p: int) -> float:
    return min(assignment_cost(cost, c) for c in itertools.combinations(range(cost.shape[1]), p))


def _exact(cost: np.ndarray, p: int, formulation: str) -> tuple[float, list[int]]:
    """Solve the unreduced model (all pairs, no site fixed) in the given formulation."""
    n, m = cost.shape
    i, j = np.indices(cost.shape)
    pairs = sp.coo_matrix((cost.ravel(), (i.ravel(), j.ravel())), shape=(n, m))  # zeros kept as pairs
    lower, upper = np.zeros(m), np.ones(m)
    if formulation == "assignment":
        mip = _solve_reduced(pairs, p, lower, upper, 60.0)
        assert mip.status == "optimal"
        return mip.objective, [int(s) for s in np.flatnonzero(mip.x[pairs.nnz :] > 0.5)]
    levels = _levels(pairs)
    model, z_col = _level_model(levels, m, p, lower, upper)
    start = _level_start(levels, z_col, m, list(range(p)))
    assert start is not None
    mip = solve_mip(**model, time_limit=60.0, start=start)
    assert mip.status == "optimal"
    return mip.objective + levels.constant, [int(s) for s in np.flatnonzero(mip.x[:m] > 0.5)]


@settings(max_examples=25, deadline=None)
@given(
    rows=st.integers(2, 4),
    cols=st.integers(2, 5),
    p=st.integers(1, 3),
    data=st.data(),
)
def test_levels_equal_assignment_and_enumeration_on_grids(rows: int, cols: int, p: int, data: st.DataObject) -> None:
    lengths = np.array(data.draw(st.lists(st.integers(1, 3), min_size=rows + cols, max_size=rows + cols)), float)
    n = rows * cols
    weights = np.array(data.draw(st.lists(st.integers(0, 9), min_size=n, max_size=n)), float)
    cost = weights[:, None] * _grid(rows, cols, lengths)
    best = _enumerated(cost, p)
    levels_value, levels_sites = _exact(cost, p, "levels")
    assignment_value, _ = _exact(cost, p, "assignment")
    assert levels_value == pytest.approx(best, abs=1e-6)
    assert assignment_value == pytest.approx(best, abs=1e-6)
    assert len(levels_sites) == p
    assert assignment_cost(cost, levels_sites) == pytest.approx(best, abs=1e-6)


def test_ties_share_one_level() -> None:
    cost = np.array([[1.0, 1.0, 2.0], [3.0, 0.0, 3.0]])
    i, j = np.indices(cost.shape)
    levels = _levels(sp.coo_matrix((cost.ravel(), (i.ravel(), j.ravel())), shape=cost.shape))
    assert levels.row.tolist() == [0, 0, 1, 1]
    assert levels.cost.tolist() == [1.0, 2.0, 0.0, 3.0]
    assert levels.last.tolist() == [False, True, False, True]
    assert levels.constant == 1.0  # each point's cheapest level: 1 + 0


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("formulation", ["lagrangian", "levels", "assignment"])
def test_p_median_reduced_model_matches_enumeration(seed: int, formulation: str) -> None:
    """max_iter=1 leaves the root Lagrangian bound loose, so the exact step (branch-and-bound or HiGHS) proves."""
    rng = np.random.default_rng(seed)
    rows, cols = 4, 5
    d = _grid(rows, cols, rng.integers(1, 4, rows + cols).astype(float))
    w = rng.integers(1, 10, rows * cols).astype(float)
    result = p_median(w, d, 3, max_iter=1, formulation=formulation)
    assert result.status == "optimal"
    assert result.objective == pytest.approx(_enumerated(w[:, None] * d, 3))
    assert result.detail["formulation"] == formulation  # the proof came from this exact step


def test_pmedian_formulations_agree_with_predefined() -> None:
    rng = np.random.default_rng(7)
    d = _grid(4, 4, rng.integers(1, 4, 8).astype(float))
    w = rng.integers(1, 10, 16).astype(float)
    branch = PMedian(d, w, 2, predefined=[0]).solve()
    new = PMedian(d, w, 2, predefined=[0], formulation="levels").solve()
    old = PMedian(d, w, 2, predefined=[0], formulation="assignment").solve()
    assert branch.status == new.status == old.status == "optimal"
    assert branch.objective == pytest.approx(old.objective) and new.objective == pytest.approx(old.objective)


def test_unknown_formulation_is_refused() -> None:
    from changzhu.planning.errors import PlanningInputError

    with pytest.raises(PlanningInputError):
        PMedian(np.ones((3, 3)), None, 1, formulation="radius")
