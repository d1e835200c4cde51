"""PMedian, MCLP and LSCP classes: exact against enumeration, with predefined (fixed open) facilities."""

import itertools

import numpy as np
import polars as pl
import pytest

from changzhu.planning.errors import PlanningInputError
from changzhu.planning.location_models import LSCP, MCLP, PMedian


def _instance(n: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(0, 100, (n, 2)), rng.uniform(0, 100, (m, 2))
    return rng.integers(1, 50, n).astype(float), np.sqrt(((a[:, None] - b[None]) ** 2).sum(-1))


@pytest.mark.parametrize("seed", range(4))
def test_p_median_with_predefined_matches_enumeration(seed: int) -> None:
    w, d = _instance(40, 10, seed)
    fixed = (1, 6)
    free = [j for j in range(10) if j not in fixed]
    best = min((float((w * d[:, list(fixed) + list(c)].min(axis=1)).sum()), c) for c in itertools.combinations(free, 3))
    result = PMedian.from_cost_matrix(d, w, 3, predefined_facilities=fixed).solve()
    assert result.status == "optimal"
    assert result.objective == pytest.approx(best[0])
    assert result.bound == pytest.approx(result.objective) and result.gap == pytest.approx(0.0)
    assert not set(result.sites) & set(fixed) and len(result.sites) == 3
    assert result.predefined == fixed and result.open_sites == tuple(sorted(fixed + result.sites))
    assert result.nearest_before_km == pytest.approx(d[:, list(fixed)].min(axis=1))
    assert (result.nearest_after_km <= result.nearest_before_km).all()
    assert result.mean_distance_km() == pytest.approx(best[0] / w.sum())
    assert result.mean_distance_km(after=False) > result.mean_distance_km()


@pytest.mark.parametrize("seed", range(3))
def test_mclp_with_predefined_matches_enumeration(seed: int) -> None:
    w, d = _instance(40, 9, seed)
    fixed = (0,)
    cover = d <= 30
    best = max(w[cover[:, [0, *c]].any(axis=1)].sum() for c in itertools.combinations(range(1, 9), 2))
    result = MCLP.from_cost_matrix(d, w, 2, 30, predefined_facilities=fixed).solve()
    assert result.status == "optimal" and result.objective == pytest.approx(best)
    assert result.covered_share(30) == pytest.approx(best / w.sum())
    assert result.covered_share(30, after=False) == pytest.approx(w[cover[:, 0]].sum() / w.sum())
    assert 0 not in result.sites


def test_lscp_with_predefined_matches_enumeration() -> None:
    _, d = _instance(30, 8, 3)
    cover = d <= 45
    fewest = next(
        k for k in range(0, 8) for c in itertools.combinations(range(1, 8), k) if cover[:, [0, *c]].any(axis=1).all()
    )
    result = LSCP.from_cost_matrix(d, 45, predefined_facilities=(0,)).solve()
    assert result.status == "optimal" and result.objective == fewest
    assert result.covered_share(45) == 1.0
    without = LSCP.from_cost_matrix(d, 45).solve()
    assert without.objective >= result.objective


def test_models_without_predefined_are_the_plain_models() -> None:
    w, d = _instance(40, 9, 11)
    best = min(float((w * d[:, list(c)].min(axis=1)).sum()) for c in itertools.combinations(range(9), 3))
    result = PMedian.from_cost_matrix(d, w, 3).solve()
    assert result.objective == pytest.approx(best)
    assert np.isinf(result.nearest_before_km).all()


def test_from_frames_uses_great_circle_distances() -> None:
    demand = pl.DataFrame({"lon": [113.26, 114.06, 113.12], "lat": [23.13, 22.54, 23.02], "weight": [5.0, 3.0, 1.0]})
    sites = pl.DataFrame(
        {"lon": [113.26, 114.06, 113.12], "lat": [23.13, 22.54, 23.02], "existing": [True, False, False]}
    )
    result = PMedian.from_frames(demand, sites, 1, predefined_col="existing").solve()
    assert result.sites == (1,)  # Shenzhen, 100 km from Guangzhou's existing hospital; Foshan is 16 km from it
    assert result.nearest_after_km[1] == pytest.approx(0.0)
    covering = MCLP.from_frames(demand, sites, 1, 50.0, predefined_col="existing").solve()
    assert covering.objective == pytest.approx(9.0)
    with pytest.raises(PlanningInputError, match="facilities frame lacks column"):
        PMedian.from_frames(demand, sites.drop("lat"), 1)
    with pytest.raises(PlanningInputError, match="demand row 1: column lon is missing"):
        PMedian.from_frames(demand.with_columns(pl.Series("lon", [113.0, None, 113.1])), sites, 1)


def test_bad_inputs_are_named() -> None:
    w, d = _instance(10, 4, 0)
    with pytest.raises(PlanningInputError, match="p = 3 must be between 1 and the number of candidate sites \\(2\\)"):
        PMedian.from_cost_matrix(d, w, 3, predefined_facilities=(0, 1))
    with pytest.raises(PlanningInputError, match="predefined facility index out of range"):
        MCLP.from_cost_matrix(d, w, 1, 10, predefined_facilities=(7,))
    with pytest.raises(PlanningInputError, match="cannot be covered"):
        LSCP.from_cost_matrix(d, 0.001, predefined_facilities=(0,)).solve()
    with pytest.raises(PlanningInputError, match="5 demand weights for 10 demand points"):
        PMedian.from_cost_matrix(d, w[:5], 2)
